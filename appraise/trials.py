"""Trial cards: load, validate and represent one trial's reported facts.

A *trial card* is a TOML file holding data only (never code): the citation, the design,
the arms, the binary outcomes with their counts, every reported figure as written in the
paper (``claims``), continuous summaries, registry records and key dates.  Every figure
carries ``where`` (its location in the paper or registry).  The format is documented in
``docs/trial-cards.md``; the machine-readable schema is ``appraise/cards/schema.json``.

:func:`load_trial` validates a whole card before it builds anything: a card with any error
raises :class:`CardValidationError`, which lists every problem with the file, the field
path and the reason.  Nothing is partly loaded.
"""

from __future__ import annotations

import datetime as _dt
import difflib
import importlib.resources
import math
import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from appraise._validate import DATE_FORMATS

# ---------------------------------------------------------------------------
# Data model (frozen: a loaded trial is a value)
# ---------------------------------------------------------------------------

ARM_ROLES = ("treatment", "control")
ALLOCATIONS = ("randomised", "non-randomised")
BLINDING = ("open-label", "single-blind", "double-blind", "not reported")
CLAIM_KINDS = ("percentage", "p-value", "zero-events", "change", "statement", "conclusion")
COMPARISONS = ("between-arms", "within-arm", "single-arm", "subgroup", "not stated")
CONTINUOUS_STATISTICS = ("mean_sd", "median_iqr")
SCHEMA_VERSION = 1
MAX_CARD_BYTES = 1_048_576          # 1 MB: larger files are rejected before parsing
MAX_COUNT = 10_000_000              # larger numbers are implausible on a trial card


@dataclass(frozen=True)
class Citation:
    authors: tuple[str, ...]
    title: str
    journal: str
    year: int
    doi: str
    volume: str | None = None
    pages: str | None = None
    pmid: str | None = None
    pmcid: str | None = None
    licence: str | None = None
    url: str | None = None

    def short(self) -> str:
        """``"Fathi-Kazerooni M et al. Stem Cell Research & Therapy 2022"``."""
        first = self.authors[0] if self.authors else "Anonymous"
        etal = " et al." if len(self.authors) > 1 else ""
        return f"{first}{etal} {self.journal} {self.year}"


@dataclass(frozen=True)
class Design:
    allocation: str                 # "randomised" | "non-randomised"
    blinding: str                   # see BLINDING
    control: str                    # free text: "placebo (saline)", "standard care", ...
    phase: str | None
    population: str
    intervention: str
    comparator: str
    follow_up_days: int | None
    ratio: str | None = None        # "1:1"
    primary_outcome: str | None = None      # None: the paper states none
    sample_size_calculation: bool = False   # reported in the paper?
    multiplicity_adjustment: bool = False   # any adjustment for many outcomes?
    outcomes_named: tuple[str, ...] = ()    # every outcome the paper names
    where: str = ""


@dataclass(frozen=True)
class Arm:
    role: str                       # "treatment" | "control"
    label: str
    n_analysed: int
    n_randomised: int | None = None  # None: not reported
    where: str = ""


@dataclass(frozen=True)
class BinaryOutcome:
    id: str
    label: str
    event: str                      # what counts as an event, e.g. "intubated", "alive at day 28"
    event_is_bad: bool              # True: fewer events is benefit (death, intubation)
    events_treat: int
    n_treat: int
    events_ctrl: int
    n_ctrl: int
    time_frame: str = ""
    primary: bool = False
    where: str = ""
    note: str = ""

    @property
    def counts(self) -> tuple[int, int, int, int]:
        """``(events_treat, n_treat, events_ctrl, n_ctrl)``, ready to unpack into the statistics."""
        return (self.events_treat, self.n_treat, self.events_ctrl, self.n_ctrl)


@dataclass(frozen=True)
class ReportedClaim:
    """One figure or statement exactly as the paper reports it."""

    id: str
    kind: str                       # see CLAIM_KINDS
    text: str                       # as written: "28%", "P < 0.0001", "no adverse events"
    where: str
    outcome: str | None = None      # id of a BinaryOutcome it is about, if any
    arm: str | None = None          # "treatment" | "control" | None (both / not stated)
    comparison: str = "not stated"  # see COMPARISONS
    measure: str | None = None      # for changes: "C-reactive protein"
    described_as: str | None = None  # how the paper words it: "significant", "improvement"
    events: int | None = None       # count behind a single-arm figure (e.g. 9 of 14 improved)
    denominator: int | None = None  # n a percentage or zero-event claim refers to, if not the arm's
    reported_p: str | None = None   # p-value printed with a change or statement, e.g. "P = 0.06"
    window: str | None = None       # observation window of a safety claim, e.g. "72 hours"
    note: str = ""


@dataclass(frozen=True)
class BaselineCharacteristic:
    """A binary baseline characteristic (e.g. male sex) counted in each arm.

    Not an outcome: it describes who was enrolled.  Claims may refer to it by ``id``
    (``ReportedClaim.outcome``), so reported baseline percentages and p-values can be
    checked against the counts like any outcome's.
    """

    id: str
    label: str
    events_treat: int               # patients with the characteristic
    n_treat: int
    events_ctrl: int
    n_ctrl: int
    where: str = ""
    note: str = ""

    @property
    def counts(self) -> tuple[int, int, int, int]:
        """``(events_treat, n_treat, events_ctrl, n_ctrl)``."""
        return (self.events_treat, self.n_treat, self.events_ctrl, self.n_ctrl)


@dataclass(frozen=True)
class ContinuousSummary:
    id: str
    label: str
    statistic: str                  # "mean_sd" | "median_iqr"
    treatment: tuple[float, ...]    # (mean, sd) or (median, q1, q3)
    control: tuple[float, ...]
    reported_p: str | None = None
    unit: str = ""
    where: str = ""


@dataclass(frozen=True)
class Registration:
    registry: str                   # "ClinicalTrials.gov", "IRCT", ...
    id: str
    date: str                       # as the registry writes it, e.g. "04/01/2021"
    date_format: str                # declared: "DD/MM/YYYY", "YYYY-MM-DD", ...
    date_as_printed: str | None = None  # as the paper prints it, typos and all
    paper_says_retrospective: bool | None = None
    url: str | None = None
    where: str = ""


@dataclass(frozen=True)
class TrialDates:
    start: _dt.date | None = None
    completion: _dt.date | None = None
    publication: _dt.date | None = None
    where: str = ""


@dataclass(frozen=True)
class Trial:
    id: str
    short_title: str
    citation: Citation
    design: Design
    arms: tuple[Arm, ...]
    outcomes: tuple[BinaryOutcome, ...]
    claims: tuple[ReportedClaim, ...] = ()
    continuous: tuple[ContinuousSummary, ...] = ()
    registrations: tuple[Registration, ...] = ()
    dates: TrialDates = field(default_factory=TrialDates)
    source_path: str | None = None
    baseline: tuple[BaselineCharacteristic, ...] = ()

    @property
    def treatment(self) -> Arm:
        return self.arm("treatment")

    @property
    def control(self) -> Arm:
        return self.arm("control")

    def arm(self, role: str) -> Arm:
        for arm in self.arms:
            if arm.role == role:
                return arm
        raise KeyError(f"trial {self.id!r} has no arm with role {role!r}")

    def outcome(self, outcome_id: str) -> BinaryOutcome:
        for outcome in self.outcomes:
            if outcome.id == outcome_id:
                return outcome
        known = ", ".join(repr(o.id) for o in self.outcomes)
        raise KeyError(f"trial {self.id!r} has no outcome {outcome_id!r}; it has {known}")

    def claim(self, claim_id: str) -> ReportedClaim:
        for claim in self.claims:
            if claim.id == claim_id:
                return claim
        known = ", ".join(repr(c.id) for c in self.claims)
        raise KeyError(f"trial {self.id!r} has no claim {claim_id!r}; it has {known}")

    def characteristic(self, characteristic_id: str) -> BaselineCharacteristic:
        """The baseline characteristic with this id (``KeyError`` naming the known ids)."""
        for item in self.baseline:
            if item.id == characteristic_id:
                return item
        known = ", ".join(repr(b.id) for b in self.baseline) or "none"
        raise KeyError(f"trial {self.id!r} has no baseline characteristic {characteristic_id!r}; it has {known}")

    def counts_for(self, outcome_or_baseline_id: str) -> tuple[int, int, int, int]:
        """Counts of an outcome or a baseline characteristic: what a claim's ``outcome`` names."""
        for item in (*self.outcomes, *self.baseline):
            if item.id == outcome_or_baseline_id:
                return item.counts
        known = ", ".join(repr(o.id) for o in (*self.outcomes, *self.baseline))
        raise KeyError(f"trial {self.id!r} has no outcome or baseline characteristic "
                       f"{outcome_or_baseline_id!r}; it has {known}")

    def claims_about(self, outcome_id: str) -> tuple[ReportedClaim, ...]:
        return tuple(c for c in self.claims if c.outcome == outcome_id)


# ---------------------------------------------------------------------------
# Errors
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CardError:
    """One problem found in a trial card.

    ``file`` is the card's file name as given (a bundled card: ``"<id>.toml"``), ``path``
    the field path inside the card (``"outcomes[0].events_treat"``; ``""`` for a problem
    with the whole file) and ``reason`` what is wrong, repeating the offending value.

    >>> str(CardError("card.toml", "arms[1].n_analysed", "must be a whole number >= 1, got -3"))
    'card.toml: arms[1].n_analysed: must be a whole number >= 1, got -3'
    """

    file: str
    path: str
    reason: str

    def __str__(self) -> str:
        if self.path:
            return f"{self.file}: {self.path}: {self.reason}"
        return f"{self.file}: {self.reason}"


class CardValidationError(ValueError):
    """A trial card was rejected; ``.errors`` lists every problem (a tuple of :class:`CardError`)."""

    def __init__(self, errors):
        self.errors = tuple(errors)
        files = sorted({e.file for e in self.errors})
        count = len(self.errors)
        head = (f"trial card {', '.join(files)} is invalid "
                f"({count} problem{'s' if count != 1 else ''}); nothing was loaded:")
        super().__init__("\n".join([head, *(f"  {e}" for e in self.errors)]))


# ---------------------------------------------------------------------------
# The card format, field by field (schema.json documents the same keys; a test keeps
# the two in step)
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Field:
    kind: str                 # str | int | bool | date | str_list | num_list | table | table_list
    required: bool = False
    minimum: int | None = None
    maximum: int | None = MAX_COUNT
    choices: tuple[str, ...] | None = None
    allow_empty: bool = False


def _S(required=False, choices=None, allow_empty=False):
    return _Field("str", required, choices=choices, allow_empty=allow_empty)


def _I(required=False, minimum=0, maximum=MAX_COUNT):
    return _Field("int", required, minimum=minimum, maximum=maximum)


def _B(required=False):
    return _Field("bool", required)


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
        "outcomes_named": _Field("str_list"),
        "where": _S(True),
    },
    "arms": {
        "role": _S(True, ARM_ROLES), "label": _S(True),
        "n_analysed": _I(True, 1), "n_randomised": _I(False, 1),
        "where": _S(True),
    },
    "outcomes": {
        "id": _S(True), "label": _S(True), "event": _S(True), "event_is_bad": _B(True),
        **_COUNT_FIELDS,
        "time_frame": _S(), "primary": _B(), "where": _S(True), "note": _S(allow_empty=True),
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
    "dates": {
        "start": _Field("date"), "completion": _Field("date"), "publication": _Field("date"),
        "where": _S(True),
    },
}

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_DOI = re.compile(r"^10\.\d{4,9}/\S+$")
_RATIO = re.compile(r"^[1-9][0-9]*:[1-9][0-9]*$")
_TOML_POSITION = re.compile(r"\(at (line \d+, column \d+|end of document)\)$")

_TOML_TYPE = {bool: "a boolean", int: "an integer", float: "a float", str: "a string",
              list: "an array", dict: "a table", _dt.date: "a date", _dt.datetime: "a date-time",
              _dt.time: "a time"}


def _describe(value) -> str:
    """A short, TOML-flavoured rendering of a value and its type (safe on deep nesting)."""
    kind = _TOML_TYPE.get(type(value), type(value).__name__)
    if isinstance(value, bool):
        shown = "true" if value else "false"
    elif isinstance(value, str):
        shown = repr(value) if len(value) <= 60 else repr(value[:57] + "...")
    elif isinstance(value, dict):
        keys = list(value)[:5]
        return f"a table with keys {', '.join(map(repr, keys))}{', ...' if len(value) > 5 else ''}"
    elif isinstance(value, list):
        return f"an array of {len(value)} item{'s' if len(value) != 1 else ''}"
    elif isinstance(value, (_dt.date, _dt.time)):
        shown = value.isoformat()
    else:
        shown = repr(value)
        if len(shown) > 60:
            shown = shown[:57] + "..."
    return f"{shown} ({kind})"


def _show_value(value) -> str:
    """The value alone (for range errors where the type is right)."""
    return str(value)


def _join(path: str, key) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else str(key)


class _Checker:
    """Collects every problem in a parsed card (never stops at the first)."""

    def __init__(self, file: str):
        self.file = file
        self.errors: list[CardError] = []

    def error(self, path: str, reason: str) -> None:
        self.errors.append(CardError(self.file, path, reason))

    # -- generic shape ------------------------------------------------------
    def table(self, data, section: str, path: str) -> dict[str, Any]:
        """Check one table against CARD_FIELDS[section]; return the keys whose type is right."""
        spec = CARD_FIELDS[section]
        good: dict[str, Any] = {}
        for key, value in data.items():
            where = _join(path, key)
            if key not in spec:
                close = difflib.get_close_matches(key, list(spec), n=1)
                hint = f"; did you mean {close[0]!r}?" if close else "."
                allowed = ", ".join(spec)
                self.error(where, f"unknown key {key!r} (not part of the card format){hint} "
                                  f"Allowed here: {allowed}")
                continue
            ok, checked = self.value(spec[key], value, where, key)
            if ok:
                good[key] = checked
        for key, fld in spec.items():
            if fld.required and key not in data:
                self.error(_join(path, key), f"required {_kind_name(fld)} is missing")
        return good

    def value(self, fld: _Field, value, where: str, key: str):
        kind = fld.kind
        if kind == "str":
            if not isinstance(value, str):
                return self._wrong(where, "a string", value)
            if not fld.allow_empty and not value.strip():
                self.error(where, "must not be empty (leave the key out instead), got ''")
                return False, None
            if fld.choices is not None and value not in fld.choices:
                self.error(where, f"must be one of {', '.join(map(repr, fld.choices))}; got {value!r}")
                return False, None
            return True, value
        if kind == "int":
            return self.integer(fld, value, where)
        if kind == "bool":
            if not isinstance(value, bool):
                return self._wrong(where, "true or false", value)
            return True, value
        if kind == "date":
            if isinstance(value, _dt.datetime) or not isinstance(value, _dt.date):
                return self._wrong(where, "a TOML date written without quotes, such as 2021-04-17", value)
            return True, value
        if kind == "str_list":
            if not isinstance(value, list):
                return self._wrong(where, "an array of strings", value)
            if fld.required and not value:
                self.error(where, "must not be an empty array")
                return False, None
            ok = True
            for i, item in enumerate(value):
                if not isinstance(item, str) or not item.strip():
                    self.error(_join(where, i), f"must be a non-empty string, got {_describe(item)}")
                    ok = False
            return ok, tuple(value) if ok else None
        if kind == "num_list":
            if not isinstance(value, list):
                return self._wrong(where, "an array of numbers", value)
            ok = True
            for i, item in enumerate(value):
                if isinstance(item, bool) or not isinstance(item, (int, float)):
                    self.error(_join(where, i), f"must be a number, got {_describe(item)}")
                    ok = False
                elif not math.isfinite(item) or abs(item) > MAX_COUNT:
                    self.error(_join(where, i), f"must be a finite number of at most {MAX_COUNT} "
                                                f"in size (larger values are implausible), got {item!r}")
                    ok = False
            return ok, tuple(float(v) for v in value) if ok else None
        if kind == "table":
            if not isinstance(value, dict):
                return self._wrong(where, f"a table ([{key}])", value)
            return True, self.table(value, key, where)
        if kind == "table_list":
            if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
                return self._wrong(where, f"an array of tables, each written [[{key}]]", value)
            return True, [self.table(item, key, _join(where, i)) for i, item in enumerate(value)]
        raise AssertionError(kind)  # pragma: no cover

    def integer(self, fld: _Field, value, where: str):
        low, high = fld.minimum, fld.maximum
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(where, f"must be a whole number >= {low}, got {_describe(value)}")
            return False, None
        if low is not None and value < low:
            self.error(where, f"must be a whole number >= {low}, got {value}")
            return False, None
        if high is not None and value > high:
            why = " (larger counts are implausible on a trial card)" if high == MAX_COUNT else ""
            shown = str(value) if len(str(value)) <= 40 else f"a number with {len(str(value))} digits"
            self.error(where, f"must be a whole number <= {high}{why}, got {shown}")
            return False, None
        return True, value

    def _wrong(self, where, expected, value):
        self.error(where, f"must be {expected}, got {_describe(value)}")
        return False, None

    # -- meaning ------------------------------------------------------------
    def check(self, data: dict, bundled_id: str | None) -> dict[str, Any]:
        card = self.table(data, "card", "")
        version = card.get("schema_version")
        if version is not None and version != SCHEMA_VERSION:
            self.error("schema_version", f"unsupported schema_version {version}; this version "
                                         f"of appraise reads schema_version {SCHEMA_VERSION}")
        self.slug("id", card.get("id"))
        if bundled_id is not None and card.get("id") is not None and card["id"] != bundled_id:
            self.error("id", f"a bundled card's id must match its file name: the file is "
                             f"{bundled_id}.toml but id is {card['id']!r}")
        citation = card.get("citation") or {}
        doi = citation.get("doi")
        if doi is not None and not _DOI.match(doi):
            self.error("citation.doi", f"must look like '10.1186/s13287-022-02771-w' (no 'doi:' or URL prefix), got {doi!r}")
        design = card.get("design") or {}
        ratio = design.get("ratio")
        if ratio is not None and not _RATIO.match(ratio):
            self.error("design.ratio", f"must be written like '1:1' or '2:1', got {ratio!r}")

        arms = self.arms(card.get("arms") or [], "arms" in card)
        if card.get("outcomes") == []:
            self.error("outcomes", "a card needs at least one [[outcomes]] table (the lessons "
                                   "analyse a binary outcome)")
        ids: dict[str, str] = {}
        self.count_tables(card.get("outcomes") or [], "outcomes", arms, ids, baseline=False)
        self.count_tables(card.get("baseline") or [], "baseline", arms, ids, baseline=True)
        self.claims(card.get("claims") or [], ids)
        self.continuous(card.get("continuous") or [])
        self.registrations(card.get("registrations") or [])
        self.dates(card.get("dates"))
        return card

    def slug(self, path: str, value) -> bool:
        if value is None:
            return False
        if not _SLUG.match(value) or len(value) > 64:
            self.error(path, "must be a lowercase slug of letters, digits and single hyphens "
                             f"(at most 64 characters, e.g. 'mortality-day28'), got {value!r}")
            return False
        return True

    def arms(self, arms: list[dict], present: bool) -> dict[str, tuple[int, dict]]:
        by_role: dict[str, list[int]] = {role: [] for role in ARM_ROLES}
        for i, arm in enumerate(arms):
            if arm.get("role") in by_role:
                by_role[arm["role"]].append(i)
            n_a, n_r = arm.get("n_analysed"), arm.get("n_randomised")
            if n_a is not None and n_r is not None and n_r < n_a:
                self.error(f"arms[{i}].n_randomised", f"must be >= arms[{i}].n_analysed ({n_a}), got {n_r}")
        found = {}
        if present:
            for role, where in by_role.items():
                if len(where) != 1:
                    listed = f" (arms{where})" if where else ""
                    self.error("arms", f"needs exactly one arm with role {role!r}, found {len(where)}{listed}")
                else:
                    found[role] = (where[0], arms[where[0]])
        return found

    def count_tables(self, items, section, arms, ids, *, baseline):
        for i, item in enumerate(items):
            path = f"{section}[{i}]"
            oid = item.get("id")
            if self.slug(f"{path}.id", oid):
                if oid in ids:
                    self.error(f"{path}.id", f"duplicate id {oid!r} (already used by {ids[oid]}); "
                                             "outcome and baseline ids must be unique")
                else:
                    ids[oid] = path
            for suffix, role in (("treat", "treatment"), ("ctrl", "control")):
                events, n = item.get(f"events_{suffix}"), item.get(f"n_{suffix}")
                if events is not None and n is not None and events > n:
                    self.error(f"{path}.events_{suffix}", f"must be <= {path}.n_{suffix} ({n}), got {events}")
                if n is None or role not in arms:
                    continue
                index, arm = arms[role]
                limit = arm.get("n_analysed")
                label = f"arms[{index}].n_analysed"
                if baseline and arm.get("n_randomised") is not None and arm.get("n_analysed") is not None:
                    limit, label = max(arm["n_randomised"], arm["n_analysed"]), f"arms[{index}].n_randomised"
                if limit is not None and n > limit:
                    self.error(f"{path}.n_{suffix}", f"must be <= {label} ({limit}), the {role} arm's "
                                                     f"size, got {n}")

    def unique_id(self, section: str, index: int, value, seen: dict, *, what: str = "id") -> None:
        """Check ``section[index].id`` is a slug not used earlier in the same section."""
        path = f"{section}[{index}].id"
        if self.slug(path, value):
            if value in seen:
                self.error(path, f"duplicate {what} {value!r} (already used by {section}[{seen[value]}])")
            else:
                seen[value] = index

    def claims(self, claims, ids):
        seen: dict[str, int] = {}
        for i, claim in enumerate(claims):
            path = f"claims[{i}]"
            self.unique_id("claims", i, claim.get("id"), seen, what="claim id")
            target = claim.get("outcome")
            if target is not None and target not in ids:
                known = ", ".join(map(repr, ids)) or "none"
                self.error(f"{path}.outcome", f"refers to unknown outcome {target!r}; outcome and "
                                              f"baseline ids in this card: {known}")
            events, denominator = claim.get("events"), claim.get("denominator")
            if events is not None and denominator is not None and events > denominator:
                self.error(f"{path}.events", f"must be <= {path}.denominator ({denominator}), got {events}")

    def continuous(self, items):
        seen: dict[str, int] = {}
        for i, item in enumerate(items):
            path = f"continuous[{i}]"
            self.unique_id("continuous", i, item.get("id"), seen)
            statistic = item.get("statistic")
            if statistic is None:
                continue
            for arm in ("treatment", "control"):
                values = item.get(arm)
                if values is None:
                    continue
                where = f"{path}.{arm}"
                if statistic == "mean_sd":
                    if len(values) != 2:
                        self.error(where, f"mean_sd needs [mean, sd], got {len(values)} values")
                    elif values[1] < 0:
                        self.error(f"{where}[1]", f"a standard deviation must be >= 0, got {values[1]}")
                else:
                    if len(values) != 3:
                        self.error(where, f"median_iqr needs [median, q1, q3], got {len(values)} values")
                    elif not values[1] <= values[0] <= values[2]:
                        self.error(where, "median_iqr must satisfy q1 <= median <= q3, got "
                                          f"median {values[0]}, q1 {values[1]}, q3 {values[2]}")

    def registrations(self, items):
        for i, item in enumerate(items):
            text, fmt = item.get("date"), item.get("date_format")
            if text is None or fmt is None:
                continue
            try:
                _dt.datetime.strptime(text.strip(), DATE_FORMATS[fmt])
            except ValueError:
                self.error(f"registrations[{i}].date", f"{text!r} does not match the declared "
                                                       f"date_format {fmt!r}")

    def dates(self, dates):
        if not dates:
            return
        order = [(k, dates[k]) for k in ("start", "completion", "publication") if k in dates]
        for (k1, d1), (k2, d2) in zip(order, order[1:]):
            if d1 > d2:
                self.error(f"dates.{k2}", f"must not be before dates.{k1} ({d1.isoformat()}), got {d2.isoformat()}")


def _kind_name(fld: _Field) -> str:
    return {"table": "table", "table_list": "array of tables"}.get(fld.kind, "field")


# ---------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------


def _cards_dir():
    return importlib.resources.files("appraise.cards")


def list_trials() -> list[str]:
    """Ids of the bundled trial cards, sorted.

    Examples
    --------
    >>> list_trials()
    ['colchicine-covid19-grecco19', 'huc-msc-covid19-shu2020', 'mensc-secretome-covid19']
    """
    return sorted(entry.name[: -len(".toml")] for entry in _cards_dir().iterdir()
                  if entry.name.endswith(".toml") and entry.is_file())


def _resolve(trial) -> tuple[str, bytes | None, str | None, CardError | None]:
    """Return (file label, raw bytes, bundled id or None, size error)."""
    if not isinstance(trial, (str, os.PathLike)):
        raise TypeError(f"trial must be a bundled trial id (str) or a path (str or pathlib.Path) "
                        f"to a .toml card, got {trial!r} of type {type(trial).__name__}")
    bundled = list_trials()
    known = ", ".join(map(repr, bundled))
    if isinstance(trial, str):
        if not trial.strip():
            raise ValueError(f"trial must name a bundled trial id or a .toml file, got {trial!r}; "
                             f"bundled ids: {known}")
        if trial in bundled:
            name = f"{trial}.toml"
            data = _cards_dir().joinpath(name).read_bytes()
            if len(data) > MAX_CARD_BYTES:  # pragma: no cover - bundled cards are small
                return name, None, trial, _too_big(name, len(data))
            return name, data, trial, None
        looks_like_path = (trial.endswith(".toml") or "/" in trial or os.sep in trial
                           or Path(trial).exists())
        if not looks_like_path:
            close = difflib.get_close_matches(trial, bundled, n=1)
            hint = f" Did you mean {close[0]!r}?" if close else ""
            raise ValueError(f"trial {trial!r} is not a bundled trial id and not a path to a .toml "
                             f"file; bundled ids: {known}.{hint}")
    path = Path(trial)
    label = os.fspath(trial)
    if not path.exists():
        raise FileNotFoundError(f"trial card file {label!r} not found; bundled ids: {known}")
    if not path.is_file():
        raise IsADirectoryError(f"trial card {label!r} is not a file; pass a .toml file or one of "
                                f"the bundled ids: {known}")
    size = path.stat().st_size
    if size > MAX_CARD_BYTES:
        return label, None, None, _too_big(label, size)
    data = path.read_bytes()
    if len(data) > MAX_CARD_BYTES:  # grew between stat and read
        return label, None, None, _too_big(label, len(data))
    bundled_id = None
    try:
        cards_dir = Path(os.fspath(_cards_dir())).resolve()
        if path.resolve().parent == cards_dir:
            bundled_id = path.stem
    except (TypeError, OSError):  # pragma: no cover - zipped package
        pass
    return label, data, bundled_id, None


def _too_big(label: str, size: int) -> CardError:
    return CardError(label, "", f"file is {size:,} bytes ({size / 1_048_576:.1f} MB); cards larger "
                                f"than {MAX_CARD_BYTES:,} bytes (1 MB) are rejected unread")


def _parse(label: str, data: bytes) -> tuple[dict | None, CardError | None]:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, CardError(label, "", f"is not UTF-8 text (bad byte at offset {exc.start}); "
                                          "save the card as UTF-8")
    try:
        return tomllib.loads(text), None
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        match = _TOML_POSITION.search(message)
        what = message[: match.start()].strip() if match else message
        position = match.group(1) if match else "an unknown position"
        return None, CardError(label, "", f"invalid TOML at {position}: {what}")
    except RecursionError:
        return None, CardError(label, "", "invalid TOML: arrays or tables nested too deeply to read")


def _check(trial) -> tuple[str, list[CardError], dict | None]:
    label, data, bundled_id, problem = _resolve(trial)
    if problem is not None:
        return label, [problem], None
    parsed, problem = _parse(label, data)
    if problem is not None:
        return label, [problem], None
    checker = _Checker(label)
    card = checker.check(parsed, bundled_id)
    return label, checker.errors, card


def validate_card(trial) -> list[CardError]:
    """Every problem in a trial card; an empty list means the card is valid.

    Parameters
    ----------
    trial : str or pathlib.Path
        A bundled trial id (see :func:`list_trials`) or the path of a ``.toml`` card.

    Returns
    -------
    list of CardError
        In the order found: file-level problems (too big, not UTF-8, invalid TOML) stop
        the check, since nothing further can be read; otherwise every field is checked.

    Raises
    ------
    TypeError
        ``trial`` is neither a ``str`` nor a path.
    ValueError
        ``trial`` is not a bundled id and does not look like a path.
    FileNotFoundError
        the path does not exist.

    Examples
    --------
    >>> validate_card("mensc-secretome-covid19")
    []
    """
    _, errors, _ = _check(trial)
    return errors


def load_trial(trial) -> Trial:
    """Load a trial card, validating all of it first.

    Parameters
    ----------
    trial : str or pathlib.Path
        A bundled trial id (``"mensc-secretome-covid19"``, ``"huc-msc-covid19-shu2020"``)
        or the path of a ``.toml`` card.  A ``str`` is an id when it names a bundled card,
        otherwise a path.

    Returns
    -------
    Trial
        A frozen value.  ``source_path`` is the file name as given (bundled: ``"<id>.toml"``).

    Raises
    ------
    CardValidationError
        The card has one or more problems; ``.errors`` lists all of them and the
        message shows every one as ``file: field.path: reason``.  Nothing is built.
    TypeError, ValueError, FileNotFoundError
        As for :func:`validate_card`.

    Examples
    --------
    >>> trial = load_trial("mensc-secretome-covid19")
    >>> trial.outcome("intubation").counts
    (7, 14, 12, 15)
    >>> trial.treatment.n_analysed, trial.control.n_analysed
    (14, 15)
    """
    label, errors, card = _check(trial)
    if errors:
        raise CardValidationError(errors)
    return _build(card, label)


# ---------------------------------------------------------------------------
# Building (only ever called on a card with no errors)
# ---------------------------------------------------------------------------


def _build(card: dict, label: str) -> Trial:
    cit = dict(card["citation"])
    cit["authors"] = tuple(cit["authors"])
    design = {"phase": None, "follow_up_days": None, **card["design"]}
    if "outcomes_named" in design:
        design["outcomes_named"] = tuple(design["outcomes_named"])
    continuous = []
    for item in card.get("continuous", []):
        item = dict(item)
        item["treatment"] = tuple(item["treatment"])
        item["control"] = tuple(item["control"])
        continuous.append(ContinuousSummary(**item))
    return Trial(
        id=card["id"],
        short_title=card["short_title"],
        citation=Citation(**cit),
        design=Design(**design),
        arms=tuple(Arm(**arm) for arm in card["arms"]),
        outcomes=tuple(BinaryOutcome(**o) for o in card["outcomes"]),
        claims=tuple(ReportedClaim(**c) for c in card.get("claims", [])),
        continuous=tuple(continuous),
        registrations=tuple(Registration(**r) for r in card.get("registrations", [])),
        dates=TrialDates(**card.get("dates", {})),
        source_path=label,
        baseline=tuple(BaselineCharacteristic(**b) for b in card.get("baseline", [])),
    )
