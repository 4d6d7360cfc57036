"""The card format, field by field, and the limits a card must keep within.

``CARD_FIELDS`` maps each table of a card to its allowed keys and their types;
``appraise/cards/schema.json`` documents the same keys (a test keeps the two in step) and
``docs/trial-cards.md`` explains them.  The limits below are checked before a card is
parsed (size, key shape, number of tables) or while it is checked (counts, digits), so
that a hostile or broken file is refused quickly and with little memory; their values and
reasons are in :mod:`appraise._limits` (listed in ``docs/limits.md``).
"""

from __future__ import annotations

from dataclasses import dataclass

from appraise._limits import MAX_CARD_BYTES, MAX_ID_CHARS, MAX_REPORTED_DECIMALS
from appraise._limits import MAX_CARD_CLAIMS as MAX_CLAIMS
from appraise._limits import MAX_CARD_COUNT as MAX_COUNT
from appraise._limits import MAX_CARD_KEY_CHARS as MAX_KEY_CHARS
from appraise._limits import MAX_CARD_KEY_PARTS as MAX_KEY_PARTS
from appraise._limits import MAX_CARD_LIST_ITEMS as MAX_LIST_ITEMS
from appraise._limits import MAX_CARD_TABLES as MAX_TABLES
from appraise._validate import DATE_FORMATS
from appraise.cards.model import (ALLOCATIONS, ARM_ROLES, BLINDING, CLAIM_KINDS, COMPARISONS,
                                  CONTINUOUS_STATISTICS, DATA_COLLECTION, OUTCOME_KINDS, TIMINGS)
from appraise.rob2 import ROB2_DOMAINS, rob2_options

__all__ = ["CARD_FIELDS", "MAX_CARD_BYTES", "MAX_COUNT", "MAX_KEY_CHARS", "MAX_KEY_PARTS",
           "MAX_CLAIMS", "MAX_TABLES", "MAX_LIST_ITEMS", "MAX_REPORTED_DECIMALS", "MAX_ID_CHARS"]

# -- the fields ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Field:
    kind: str                 # str | int | bool | date | str_list | num_list | table | table_list
    required: bool = False
    minimum: int | None = None
    maximum: int | None = MAX_COUNT
    choices: tuple[str, ...] | None = None
    allow_empty: bool = False
    section: str | None = None  # table / table_list: the CARD_FIELDS section (default: the key)


def _S(required=False, choices=None, allow_empty=False):
    return _Field("str", required, choices=choices, allow_empty=allow_empty)


def _I(required=False, minimum=0, maximum=MAX_COUNT):
    return _Field("int", required, minimum=minimum, maximum=maximum)


def _B(required=False):
    return _Field("bool", required)


def _N(required=False):
    """A number kept as printed (a string such as "12.50"): its decimals matter."""
    return _Field("str", required)


#: the CARD_FIELDS section each outcome kind is checked against (format 2)
OUTCOME_SECTIONS = {"binary": "outcomes", "time-to-event": "time_to_event_outcome",
                    "continuous": "continuous_outcome"}


_COUNT_FIELDS = {
    "events_treat": _I(True, 0), "n_treat": _I(True, 1),
    "events_ctrl": _I(True, 0), "n_ctrl": _I(True, 1),
}

#: Allowed keys of every table of a card: section name -> {key: _Field}.
CARD_FIELDS: dict[str, dict[str, _Field]] = {
    "card": {
        "schema_version": _I(True, 1, 1_000),
        "id": _S(True),
        "short_title": _S(True),
        "citation": _Field("table", True),
        "design": _Field("table", True),
        "arms": _Field("table_list", True),
        "outcomes": _Field("table_list", True),
        "baseline": _Field("table_list"),
        "claims": _Field("table_list"),
        "continuous": _Field("table_list"),
        "registrations": _Field("table_list"),
        "dates": _Field("table"),
        "rob2": _Field("table_list"),
    },
    "citation": {
        "authors": _Field("str_list", True),
        "title": _S(True), "journal": _S(True),
        "year": _I(True, 1900, 2100),
        "doi": _S(True),
        "volume": _S(), "pages": _S(), "pmid": _S(), "pmcid": _S(), "licence": _S(), "url": _S(),
    },
    "design": {
        "allocation": _S(True, ALLOCATIONS),
        "blinding": _S(True, BLINDING),
        "control": _S(True), "population": _S(True), "intervention": _S(True), "comparator": _S(True),
        "phase": _S(), "ratio": _S(), "primary_outcome": _S(),
        "follow_up_days": _I(False, 1, 36_500),
        "sample_size_calculation": _B(), "multiplicity_adjustment": _B(),
        "blinding_participants": _B(), "blinding_personnel": _B(), "blinding_assessors": _B(),
        "allocation_as_reported": _S(), "randomisation_method": _S(),
        "data_collection": _S(False, DATA_COLLECTION),
        "outcomes_named": _Field("str_list"),
        "where": _S(True),
    },
    "arms": {
        "role": _S(True, ARM_ROLES), "label": _S(True),
        "n_analysed": _I(True, 1), "n_randomised": _I(False, 1),
        "where": _S(True),
    },
    "outcomes": {
        "id": _S(True), "kind": _S(False, OUTCOME_KINDS), "label": _S(True), "event": _S(True),
        "event_is_bad": _B(True), **_COUNT_FIELDS,
        "time_frame": _S(), "primary": _B(), "where": _S(True), "note": _S(allow_empty=True),
    },
    "time_to_event_outcome": {
        "id": _S(True), "kind": _S(True, OUTCOME_KINDS), "label": _S(True), "event": _S(True),
        "event_is_bad": _B(True), **_COUNT_FIELDS,
        "follow_up_days": _I(False, 1, 36_500), "censored_before_end": _B(),
        "km": _Field("table_list"), "median": _Field("table"),
        "hazard_ratio": _Field("table"), "test": _Field("table"),
        "time_frame": _S(), "primary": _B(), "where": _S(True), "note": _S(allow_empty=True),
    },
    "km": {"time_days": _I(True, 0, 36_500), "treat": _N(), "ctrl": _N(), "where": _S(True)},
    "median": {"treat": _N(), "ctrl": _N(), "unit": _S(), "where": _S(True)},
    "hazard_ratio": {"estimate": _N(True), "low": _N(), "high": _N(), "level": _S(),
                     "where": _S(True)},
    "test": {"p": _S(True), "name": _S(), "where": _S(True)},
    "continuous_outcome": {
        "id": _S(True), "kind": _S(True, OUTCOME_KINDS), "label": _S(True),
        "timing": _S(True, TIMINGS),
        "treatment": _Field("table", True, section="arm_summary"),
        "control": _Field("table", True, section="arm_summary"),
        "unit": _S(), "higher_is_better": _B(),
        "scale_min": _Field("number"), "scale_max": _Field("number"), "items": _I(False, 1, 1_000),
        "p_within_treat": _S(), "p_within_ctrl": _S(), "p_between": _S(),
        "time_frame": _S(), "primary": _B(), "where": _S(True), "note": _S(allow_empty=True),
    },
    "arm_summary": {
        "n": _I(True, 1), "mean": _N(), "sd": _N(), "se": _N(), "ci_low": _N(), "ci_high": _N(),
        "median": _N(), "q1": _N(), "q3": _N(), "where": _S(True),
    },
    "baseline": {
        "id": _S(True), "label": _S(True), **_COUNT_FIELDS,
        "where": _S(True), "note": _S(allow_empty=True),
    },
    "claims": {
        "id": _S(True), "kind": _S(True, CLAIM_KINDS), "text": _S(True), "where": _S(True),
        "outcome": _S(), "arm": _S(False, ARM_ROLES), "comparison": _S(False, COMPARISONS),
        "measure": _S(), "described_as": _S(),
        "events": _I(False, 0), "denominator": _I(False, 1),
        "reported_p": _S(), "window": _S(), "note": _S(allow_empty=True),
    },
    "continuous": {
        "id": _S(True), "label": _S(True), "statistic": _S(True, CONTINUOUS_STATISTICS),
        "treatment": _Field("num_list", True), "control": _Field("num_list", True),
        "reported_p": _S(), "unit": _S(), "where": _S(True),
    },
    "registrations": {
        "registry": _S(True), "id": _S(True), "date": _S(True),
        "date_format": _S(True, tuple(DATE_FORMATS)),
        "date_as_printed": _S(), "paper_says_retrospective": _B(), "url": _S(),
        "where": _S(True),
    },
    "rob2": {
        "outcome": _S(True), "basis": _S(True), "where": _S(True),
        **{d: _Field("table", True, section="rob2_domain") for d in ROB2_DOMAINS},
    },
    "rob2_domain": {"answers": _Field("table", True, section="rob2_answers"), "rationale": _S(True)},
    "rob2_answers": {q: _S(False, rob2_options(q)) for spec in ROB2_DOMAINS.values()
                     for q in spec["questions"]},
    "dates": {
        "start": _Field("date"), "completion": _Field("date"), "publication": _Field("date"),
        "where": _S(True),
    },
}
