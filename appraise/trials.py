"""Trial cards: load, validate and represent one trial's reported facts.

This module keeps the import names the lessons and users rely on
(``from appraise.trials import load_trial, Trial, ...``); the code lives in the
:mod:`appraise.cards` package: the model in :mod:`appraise.cards.model`, the format and
its limits in :mod:`appraise.cards.schema`, checking in :mod:`appraise.cards.checker`,
reading in :mod:`appraise.cards.io` and what each claim refers to in
:mod:`appraise.cards.claims`.

>>> load_trial("mensc-secretome-covid19").outcome("intubation").counts
(7, 14, 12, 15)
"""

from __future__ import annotations

from appraise.cards.checker import CardError, CardValidationError, _Checker
from appraise.cards.claims import (ClaimTarget, lesson_outcome, percentage_target,
                                   reported_p_checks, resolve_claim, resolve_claims)
from appraise.cards.io import _build, _cards_dir, _check, _parse, _resolve, list_trials, load_trial, validate_card
from appraise.cards.model import (ALLOCATIONS, ARM_ROLES, BLINDING, CLAIM_KINDS, COMPARISONS,
                                  CONTINUOUS_STATISTICS, OUTCOME_KINDS, SCHEMA_VERSION,
                                  SCHEMA_VERSIONS, Arm, ArmSummary, BaselineCharacteristic,
                                  BinaryOutcome, Citation, ContinuousOutcome, ContinuousSummary,
                                  Design, HazardRatio, KaplanMeierFigure, MedianSurvival,
                                  Registration, ReportedClaim, SurvivalTest, TimeToEventOutcome,
                                  Trial, TrialDates, stated)
from appraise.cards.schema import CARD_FIELDS, MAX_CARD_BYTES, MAX_COUNT, _Field

__all__ = ["ALLOCATIONS", "ARM_ROLES", "BLINDING", "CARD_FIELDS", "CLAIM_KINDS", "COMPARISONS",
           "CONTINUOUS_STATISTICS", "MAX_CARD_BYTES", "MAX_COUNT", "OUTCOME_KINDS",
           "SCHEMA_VERSION", "SCHEMA_VERSIONS", "Arm", "ArmSummary", "BaselineCharacteristic",
           "BinaryOutcome", "CardError", "CardValidationError", "Citation", "ClaimTarget",
           "ContinuousOutcome", "ContinuousSummary", "Design", "HazardRatio", "KaplanMeierFigure",
           "MedianSurvival", "Registration", "ReportedClaim", "SurvivalTest", "TimeToEventOutcome",
           "Trial", "TrialDates", "lesson_outcome", "list_trials", "load_trial",
           "percentage_target", "reported_p_checks", "resolve_claim", "resolve_claims", "stated",
           "validate_card"]
