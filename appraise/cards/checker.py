"""Checking a parsed card: every problem, each with its field path and reason.

:class:`CardError` is one problem (file, field path, reason); :class:`CardValidationError`
is raised by :func:`appraise.cards.io.load_trial` with all of them.  ``_Checker`` walks a
parsed card against :data:`appraise.cards.schema.CARD_FIELDS`, then checks meaning: arm
sizes, unique ids, dates in order, and that every claim's printed text reads as its kind
with the same parsers the checks and reports use.
"""

from __future__ import annotations

import datetime as _dt
import difflib
import math
import re
from dataclasses import dataclass
from typing import Any

from appraise._validate import DATE_FORMATS
from appraise.cards.model import ARM_ROLES, SCHEMA_VERSIONS
from appraise.cards.rob2_key import check_rob2_keys
from appraise.cards.schema import (CARD_FIELDS, MAX_CLAIMS, MAX_COUNT, MAX_ID_CHARS,
                                   MAX_LIST_ITEMS, MAX_REPORTED_DECIMALS, MAX_TABLES,
                                   OUTCOME_SECTIONS, _Field)

__all__ = ["CardError", "CardValidationError"]


def check_outcome_kinds(checker, outcomes, arms, version):
    """Format-2 outcome kinds (time-to-event, continuous): see :mod:`appraise.cards.kinds`."""
    from appraise.cards.kinds import check_outcome_kinds as check

    check(checker, outcomes, arms, version)

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



#: claim kinds whose text is a printed figure -> the parser in appraise.consistency
_READ_AS = {"percentage": "parse_percentage", "p-value": "parse_reported_p"}
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_DOI = re.compile(r"^10\.\d{4,9}/\S+$")
_RATIO = re.compile(r"^[1-9][0-9]*:[1-9][0-9]*$")

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


def _show_number(value) -> str:
    """A number as written, or its number of digits when it is too long to repeat."""
    if isinstance(value, int) and abs(value) >= 10 ** 40:
        return f"a number with {len(str(abs(value)))} digits"
    return repr(value)


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
            if len(value) > MAX_LIST_ITEMS:
                self.error(where, f"has {len(value):,} items; at most {MAX_LIST_ITEMS:,} are read")
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
            if len(value) > MAX_LIST_ITEMS:
                self.error(where, f"has {len(value):,} items; at most {MAX_LIST_ITEMS:,} are read")
                return False, None
            ok = True
            for i, item in enumerate(value):
                if isinstance(item, bool) or not isinstance(item, (int, float)):
                    self.error(_join(where, i), f"must be a number, got {_describe(item)}")
                    ok = False
                elif (isinstance(item, float) and not math.isfinite(item)) or abs(item) > MAX_COUNT:
                    self.error(_join(where, i), f"must be a finite number of at most {MAX_COUNT} "
                                                f"in size (larger values are implausible), got "
                                                f"{_show_number(item)}")
                    ok = False
            return ok, tuple(float(v) for v in value) if ok else None
        if kind == "number":
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                return self._wrong(where, "a number", value)
            if (isinstance(value, float) and not math.isfinite(value)) or abs(value) > MAX_COUNT:
                self.error(where, f"must be a finite number of at most {MAX_COUNT} in size, got "
                                  f"{_show_number(value)}")
                return False, None
            return True, value
        if kind == "table":
            if not isinstance(value, dict):
                return self._wrong(where, f"a table ([{key}])", value)
            return True, self.table(value, fld.section or key, where)
        if kind == "table_list":
            if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
                return self._wrong(where, f"an array of tables, each written [[{key}]]", value)
            limit = MAX_CLAIMS if key == "claims" else MAX_TABLES
            if len(value) > limit:
                self.error(where, f"has {len(value):,} [[{key}]] tables; a card may have at most "
                                  f"{limit:,} (each is checked and reported one by one)")
                return False, None
            return True, [self.table(item, self.section_of(fld, key, item), _join(where, i))
                          for i, item in enumerate(value)]
        raise AssertionError(kind)  # pragma: no cover

    @staticmethod
    def section_of(fld: _Field, key: str, item: dict) -> str:
        """The section an array item is checked against (an outcome's depends on its kind)."""
        if key == "outcomes":
            return OUTCOME_SECTIONS.get(item.get("kind", "binary"), "outcomes")
        return fld.section or key

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
            self.error(where, f"must be a whole number <= {high}{why}, got {_show_number(value)}")
            return False, None
        return True, value

    def _wrong(self, where, expected, value):
        self.error(where, f"must be {expected}, got {_describe(value)}")
        return False, None

    # -- meaning ------------------------------------------------------------
    def check(self, data: dict, bundled_id: str | None) -> dict[str, Any]:
        card = self.table(data, "card", "")
        version = card.get("schema_version")
        if version is not None and version not in SCHEMA_VERSIONS:
            self.error("schema_version", f"unsupported schema_version {version}; this version "
                                         f"of appraise reads schema_version "
                                         f"{' and '.join(map(str, SCHEMA_VERSIONS))}")
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
        outcomes = card.get("outcomes") or []
        if "outcomes" in card and not any(o.get("kind", "binary") == "binary" for o in outcomes):
            self.error("outcomes", "a card needs at least one binary [[outcomes]] table (the "
                                   "lessons analyse a binary outcome)")
        ids: dict[str, str] = {}
        self.count_tables(outcomes, "outcomes", arms, ids, baseline=False)
        check_outcome_kinds(self, outcomes, arms, version)
        self.count_tables(card.get("baseline") or [], "baseline", arms, ids, baseline=True)
        self.claims(card.get("claims") or [], ids)
        self.continuous(card.get("continuous") or [])
        self.registrations(card.get("registrations") or [])
        self.dates(card.get("dates"))
        check_rob2_keys(self, card.get("rob2") or [], [o.get("id") for o in outcomes if o.get("id")],
                        design.get("allocation"))
        return card

    def slug(self, path: str, value) -> bool:
        if value is None:
            return False
        if len(value) > MAX_ID_CHARS or not _SLUG.match(value):
            shown = repr(value) if len(value) <= 80 else f"{value[:77]!r}... ({len(value)} characters)"
            self.error(path, "must be a lowercase slug of letters, digits and single hyphens "
                             f"(at most {MAX_ID_CHARS} characters, e.g. 'mortality-day28'), got {shown}")
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
            kind, text = claim.get("kind"), claim.get("text")
            if kind in _READ_AS and text is not None:
                self.printed(f"{path}.text", text, kind)
            if claim.get("reported_p") is not None:
                self.printed(f"{path}.reported_p", claim["reported_p"], "p-value")

    def printed(self, path: str, text: str, kind: str) -> None:
        """Check a printed figure reads as its kind, with the parser the checks use."""
        from appraise import consistency

        parse = getattr(consistency, _READ_AS[kind])
        try:
            parsed = parse(text)
        except (ValueError, TypeError, ArithmeticError) as exc:
            self.error(path, f"cannot be read as a {kind}: {exc}")
            return
        if parsed.decimals > MAX_REPORTED_DECIMALS:
            self.error(path, f"prints {parsed.decimals} decimals; at most {MAX_REPORTED_DECIMALS} "
                             f"can be checked (a double carries 15-17 significant digits), got {text!r}")

    def continuous(self, items):
        seen: dict[str, int] = {}
        for i, item in enumerate(items):
            path = f"continuous[{i}]"
            self.unique_id("continuous", i, item.get("id"), seen)
            if item.get("reported_p") is not None:
                self.printed(f"{path}.reported_p", item["reported_p"], "p-value")
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
