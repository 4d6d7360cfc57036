"""Trial cards: the bundled ``*.toml`` cards, their format and the trial model.

A *trial card* is a TOML file holding data only (never code): the citation, the design,
the arms, the binary outcomes with their counts, every reported figure as written in the
paper (``claims``), continuous summaries, registry records and key dates.  Every figure
carries ``where`` (its location in the paper or registry).  The format is documented in
``docs/trial-cards.md``; the machine-readable schema is ``schema.json`` beside this file.

Modules, one idea each:

- :mod:`~appraise.cards.model` -- the frozen trial model (``Trial``, ``Arm``, ``Design``, ...)
- :mod:`~appraise.cards.schema` -- the card's fields and the limits a card must keep within
- :mod:`~appraise.cards.checker` -- checking a parsed card (``CardError``, ``CardValidationError``)
- :mod:`~appraise.cards.kinds` -- checking format-2 outcomes (time-to-event, continuous)
- :mod:`~appraise.cards.io` -- reading files (``list_trials``, ``load_trial``, ``validate_card``)
- :mod:`~appraise.cards.claims` -- what each claim refers to (``resolve_claim``, ...)
- :mod:`~appraise.cards.rob2_key` -- RoB 2 teaching keys held in a card (``RoB2Key``)
"""

from appraise.cards.checker import CardError, CardValidationError
from appraise.cards.claims import ClaimTarget, lesson_outcome, resolve_claim, resolve_claims
from appraise.cards.io import list_trials, load_trial, validate_card
from appraise.cards.model import (Arm, ArmSummary, BaselineCharacteristic, BinaryOutcome,
                                  Citation, ContinuousOutcome, ContinuousSummary, Design,
                                  Registration, ReportedClaim, TimeToEventOutcome, Trial,
                                  TrialDates, stated)

__all__ = ["Arm", "ArmSummary", "ContinuousOutcome", "TimeToEventOutcome", "BaselineCharacteristic", "BinaryOutcome", "CardError", "CardValidationError",
           "Citation", "ClaimTarget", "ContinuousSummary", "Design", "Registration",
           "ReportedClaim", "Trial", "TrialDates", "lesson_outcome", "list_trials", "load_trial",
           "resolve_claim", "resolve_claims", "stated", "validate_card"]
