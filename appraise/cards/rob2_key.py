"""RoB 2 teaching keys held in a trial card: the ``[[rob2]]`` tables.

A key is an argument about one result of one card, not a fact of the paper: the answer to
every signalling question the RoB 2 algorithms reach, the reason for each domain's
answers, what the key was judged from (``basis``) and ``where``.  The judgements are never
written in the card; they are derived with :func:`appraise.rob2.rob2_domain_judgement` and
:func:`appraise.rob2.rob2_overall`.  :func:`rob2_answer_key` (also
:func:`appraise.rob2.rob2_answer_key`) reads a key.

In a card::

    [[rob2]]
    outcome = "intubation"
    basis = "Judged from the abstract alone, ..."
    where = "Abstract"

    [rob2.D1]
    answers = { "1.1" = "NI", "1.2" = "NI", "1.3" = "NI" }
    rationale = "The abstract calls the trial randomised 1:1 but ..."
"""

from __future__ import annotations

from dataclasses import dataclass, field

from appraise.rob2 import ROB2_DOMAINS, rob2_domain_judgement, rob2_overall

__all__ = ["RoB2Key", "build_rob2_keys", "check_rob2_keys", "rob2_answer_key"]


@dataclass(frozen=True)
class RoB2Key:
    """A card's RoB 2 teaching key for one outcome.

    Attributes
    ----------
    outcome_id : str
        The outcome (of the same card) whose result the key judges.
    answers : dict
        Domain (``"D1"`` ... ``"D5"``) -> question (``"1.1"`` ...) -> ``"Y"``, ``"PY"``,
        ``"PN"``, ``"N"``, ``"NI"`` or ``"NA"``.
    rationales : dict
        Domain -> the reason for that domain's answers, as written in the card.
    basis : str
        What the key was judged from, e.g. that it was judged from the abstract alone.
    where : str
        The part of the paper (or other source) the key was written from.

    Derived, never stored in the card: :attr:`judgements`, :attr:`overall` and
    :attr:`explanations` (each domain's rationale followed by the ``basis``).

    Examples
    --------
    >>> from appraise.trials import load_trial
    >>> key = load_trial("mensc-secretome-covid19").rob2[0]
    >>> key.outcome_id, key.answers["D4"], key.judgements["D4"], key.overall
    ('intubation', {'4.1': 'N', '4.2': 'N', '4.3': 'PN'}, 'low', 'high')
    """

    outcome_id: str
    answers: dict = field(hash=False)
    rationales: dict = field(hash=False)
    basis: str = ""
    where: str = ""

    @property
    def judgements(self) -> dict:
        """Domain -> suggested judgement, from :func:`appraise.rob2.rob2_domain_judgement`."""
        return {d: rob2_domain_judgement(d, a) for d, a in self.answers.items()}

    @property
    def overall(self) -> str:
        """:func:`appraise.rob2.rob2_overall` of the judgements (the "several concerns" rule not applied)."""
        return rob2_overall(self.judgements)

    @property
    def explanations(self) -> dict:
        """Domain -> the rationale followed by the ``basis`` note."""
        return {d: f"{text} {self.basis}".strip() for d, text in self.rationales.items()}

    def as_mapping(self) -> dict:
        """Domain -> judgement plus ``"Overall"``, as :class:`appraise.widgets.RoB2Checklist` expects."""
        return {**self.judgements, "Overall": self.overall}


def rob2_answer_key(trial, outcome_id: str):
    """The RoB 2 teaching key the card of ``trial`` holds for ``outcome_id``, or ``None``.

    Keys live in the trial card (its ``[[rob2]]`` tables, see ``docs/trial-cards.md``);
    nothing about any trial is written here.  A card may key some of its outcomes, or none.

    Parameters
    ----------
    trial : Trial
        A loaded card (:func:`appraise.load_trial`).
    outcome_id : str
        An outcome of the card, of any kind.

    Returns
    -------
    RoB2Key or None
        :class:`RoB2Key` (``answers``, ``rationales``, ``basis``,
        ``where`` and the derived ``judgements``, ``overall``, ``explanations``), or
        ``None`` when the card has no RoB 2 teaching key for this outcome: the learner then
        answers the signalling questions without a key to compare with.

    Raises
    ------
    TypeError
        ``trial`` is not a Trial, or ``outcome_id`` is not a str.
    ValueError
        ``outcome_id`` names no outcome of the card (the message lists them).

    Examples
    --------
    >>> from appraise.trials import load_trial
    >>> from appraise.rob2 import rob2_answer_key
    >>> key = rob2_answer_key(load_trial("mensc-secretome-covid19"), "intubation")
    >>> key.judgements["D4"], key.judgements["D5"], key.overall
    ('low', 'some concerns', 'high')
    >>> rob2_answer_key(load_trial("huc-msc-covid19-shu2020"), "mortality-day28") is None
    True
    """
    from appraise.cards.model import Trial

    if not isinstance(trial, Trial):
        raise TypeError(f"trial must be a Trial (appraise.load_trial), got {trial!r:.80} of type "
                        f"{type(trial).__name__}")
    if not isinstance(outcome_id, str):
        raise TypeError(f"outcome_id must be an outcome id (str), got {outcome_id!r:.80} of type "
                        f"{type(outcome_id).__name__}")
    known = [o.id for o in trial.all_outcomes]
    if outcome_id not in known:
        raise ValueError(f"outcome_id must name an outcome of {trial.id!r} "
                         f"({', '.join(map(repr, known))}); got {outcome_id!r:.80}")
    return next((key for key in trial.rob2 if key.outcome_id == outcome_id), None)


def check_rob2_keys(checker, keys, outcome_ids, allocation) -> None:
    """Check the meaning of every ``[[rob2]]`` table (their fields' types are already checked).

    Each key must name an outcome of the card, at most one key per outcome, the card must
    describe a randomised trial, and each domain's answers must reach a judgement by the
    RoB 2 algorithm (every question it reaches answered; ``"NA"`` only where a conditional
    question does not apply).
    """
    if keys and allocation is not None and allocation != "randomised":
        checker.error("rob2", f"RoB 2 judges randomised trials only; design.allocation is {allocation!r}")
    seen: dict[str, int] = {}
    for i, key in enumerate(keys):
        path = f"rob2[{i}]"
        outcome = key.get("outcome")
        if outcome is not None:
            if outcome not in outcome_ids:
                known = ", ".join(map(repr, outcome_ids)) or "none"
                checker.error(f"{path}.outcome", f"names no outcome of this card, got {outcome!r} "
                                                 f"(outcomes: {known})")
            elif outcome in seen:
                checker.error(f"{path}.outcome", f"rob2[{seen[outcome]}] already keys outcome "
                                                 f"{outcome!r}; one key per outcome")
            else:
                seen[outcome] = i
        for domain in ROB2_DOMAINS:
            answers = (key.get(domain) or {}).get("answers")
            where = f"{path}.{domain}.answers"
            if answers is None or any(e.path.startswith(where) for e in checker.errors):
                continue        # missing or a bad answer: already reported with its path
            try:
                rob2_domain_judgement(domain, answers)
            except (TypeError, ValueError) as exc:
                checker.error(where, f"no RoB 2 judgement can be derived: {exc}")


def build_rob2_keys(keys) -> tuple[RoB2Key, ...]:
    """The :class:`RoB2Key` of every (valid) ``[[rob2]]`` table, in card order."""
    return tuple(RoB2Key(outcome_id=key["outcome"],
                         answers={d: dict(key[d]["answers"]) for d in ROB2_DOMAINS},
                         rationales={d: key[d]["rationale"] for d in ROB2_DOMAINS},
                         basis=key["basis"], where=key["where"])
                 for key in keys)
