"""Reading trial cards: finding the file, screening it, parsing it, building the Trial.

:func:`load_trial` validates a whole card before it builds anything: a card with any error
raises :class:`~appraise.cards.checker.CardValidationError`, which lists every problem with
the file, the field path and the reason.  Nothing is partly loaded.

Before the TOML reader sees a file it is screened: only a regular file is opened (never a
FIFO or a device), its size is capped, a UTF-8 byte-order mark is removed, and every key is
checked for length and number of dotted parts (see :mod:`appraise.cards.schema` for the
limits and why).  A symbolic link is followed; when the file it points to is a bundled card,
the id must match the name of the file the link points to, and the error says so.
"""

from __future__ import annotations

import difflib
import importlib.resources
import os
import re
import stat
import tomllib
from pathlib import Path

from appraise._limits import MAX_TRIAL_ARG_CHARS
from appraise.cards.checker import CardError, CardValidationError, _Checker
from appraise.cards.model import (Arm, ArmSummary, BaselineCharacteristic, BinaryOutcome,
                                  Citation, ContinuousOutcome, ContinuousSummary, Design,
                                  HazardRatio, KaplanMeierFigure, MedianSurvival, Registration,
                                  ReportedClaim, SurvivalTest, TimeToEventOutcome, Trial,
                                  TrialDates)
from appraise.cards.rob2_key import build_rob2_keys
from appraise.cards.schema import (MAX_CARD_BYTES, MAX_CLAIMS, MAX_KEY_CHARS, MAX_KEY_PARTS,
                                   MAX_TABLES)

__all__ = ["list_trials", "load_trial", "validate_card"]

_TOML_POSITION = re.compile(r"\(at (line \d+, column \d+|end of document)\)$")
_BOM = b"\xef\xbb\xbf"
# a key at the start of a line: bare, "quoted" or 'literal' parts joined by dots
_PART = r"""(?:[A-Za-z0-9_-]+|"(?:[^"\\\n]|\\.)*"|'[^'\n]*')"""
_KEY_LINE = re.compile(rf"^[ \t]*(\[\[?)?[ \t]*({_PART}(?:[ \t]*\.[ \t]*{_PART})*)[ \t]*(=|\]\]?)?", re.M)
_PARTS = re.compile(_PART)
_LONG_DIGITS = re.compile(r"[0-9_]{1000,}")
_TABLE_ARRAY = re.compile(r"^[ \t]*\[\[[ \t]*([A-Za-z0-9_-]+)[ \t]*\]\]", re.M)


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


def _shown(trial: str) -> str:
    return repr(trial) if len(trial) <= 100 else f"{trial[:97]!r}... ({len(trial):,} characters)"


def _resolve(trial) -> tuple[str, bytes | None, str | None, CardError | None, str | None]:
    """Return (file label, raw bytes, bundled id or None, size error, link target or None)."""
    if not isinstance(trial, (str, os.PathLike)):
        raise TypeError(f"trial must be a bundled trial id (str) or a path (str or pathlib.Path) "
                        f"to a .toml card, got {trial!r:.100} of type {type(trial).__name__}")
    bundled = list_trials()
    known = ", ".join(map(repr, bundled))
    label = os.fspath(trial)
    if not isinstance(label, str):
        raise TypeError(f"trial must be a str or a text path, got the bytes path {label!r:.100}")
    if isinstance(trial, str):
        if not trial.strip():
            raise ValueError(f"trial must name a bundled trial id or a .toml file, got {trial!r}; "
                             f"bundled ids: {known}")
        if trial in bundled:
            name = f"{trial}.toml"
            data = _cards_dir().joinpath(name).read_bytes()
            if len(data) > MAX_CARD_BYTES:  # pragma: no cover - bundled cards are small
                return name, None, trial, _too_big(name, len(data)), None
            return name, data, trial, None, None
        looks_like_path = trial.endswith(".toml") or "/" in trial or os.sep in trial
        if not looks_like_path:
            try:
                looks_like_path = len(trial) <= MAX_TRIAL_ARG_CHARS and Path(trial).exists()
            except (OSError, ValueError):  # name too long for the file system, NUL byte, ...
                looks_like_path = False
        if not looks_like_path:
            close = difflib.get_close_matches(trial, bundled, n=1) if len(trial) <= 100 else []
            hint = f" Did you mean {close[0]!r}?" if close else ""
            raise ValueError(f"trial {_shown(trial)} is not a bundled trial id and not a path to a "
                             f".toml file; bundled ids: {known}.{hint}")
    if len(label) > MAX_TRIAL_ARG_CHARS or "\0" in label:
        raise ValueError(f"trial {_shown(label)} cannot be a file path (longer than "
                         f"{MAX_TRIAL_ARG_CHARS:,} characters or containing a NUL byte)")
    path = Path(label)
    try:
        info = os.stat(path)            # follows symbolic links
    except FileNotFoundError:
        raise FileNotFoundError(f"trial card file {_shown(label)} not found; bundled ids: {known}") from None
    except OSError as exc:
        raise ValueError(f"trial {_shown(label)} cannot be read as a file path: "
                         f"{exc.strerror or exc}") from None
    if not stat.S_ISREG(info.st_mode):
        what = ("a directory" if stat.S_ISDIR(info.st_mode) else
                "a FIFO (named pipe)" if stat.S_ISFIFO(info.st_mode) else
                "a device" if stat.S_ISCHR(info.st_mode) or stat.S_ISBLK(info.st_mode) else
                "a socket" if stat.S_ISSOCK(info.st_mode) else "not a regular file")
        raise ValueError(f"trial {_shown(label)} is {what}, not a file; pass a .toml file or one "
                         f"of the bundled ids: {known}")
    if info.st_size > MAX_CARD_BYTES:
        return label, None, None, _too_big(label, info.st_size), None
    link_target = os.path.realpath(path) if path.is_symlink() else None
    with open(path, "rb") as fh:        # a regular file: reading cannot block
        data = fh.read(MAX_CARD_BYTES + 1)
    if len(data) > MAX_CARD_BYTES:      # grew between stat and read
        return label, None, None, _too_big(label, len(data)), link_target
    bundled_id = None
    try:
        cards_dir = Path(os.fspath(_cards_dir())).resolve()
        real = path.resolve()
        if real.parent == cards_dir:
            bundled_id = real.stem
    except (TypeError, OSError):  # pragma: no cover - zipped package
        pass
    return label, data, bundled_id, None, link_target


def _too_big(label: str, size: int) -> CardError:
    return CardError(label, "", f"file is {size:,} bytes ({size / 1_048_576:.1f} MB); cards larger "
                                f"than {MAX_CARD_BYTES:,} bytes (1 MB) are rejected unread")


def _screen(label: str, text: str) -> CardError | None:
    """Refuse, before parsing, keys the TOML reader would need out-of-proportion memory for."""
    for match in _KEY_LINE.finditer(text):
        key = match.group(2)
        if key.count(".") >= MAX_KEY_PARTS:
            parts = len(_PARTS.findall(key))
            if parts > MAX_KEY_PARTS:
                line = text.count("\n", 0, match.start()) + 1
                return CardError(label, "", f"line {line}: a dotted key of {parts:,} parts; keys of "
                                            f"more than {MAX_KEY_PARTS} parts are refused unread "
                                            "(the card format nests two deep)")
        opener, closer = match.group(1), match.group(3)
        is_key = closer == "=" or bool(opener and closer and closer != "=")  # "k = v" or "[k]"
        if len(key) > MAX_KEY_CHARS and is_key:    # a long string in an array is no key
            line = text.count("\n", 0, match.start()) + 1
            return CardError(label, "", f"line {line}: a key of {len(key):,} characters; keys "
                                        f"longer than {MAX_KEY_CHARS} characters are refused unread")
    counts: dict[str, int] = {}
    for match in _TABLE_ARRAY.finditer(text):
        name = match.group(1)
        counts[name] = counts.get(name, 0) + 1
        limit = MAX_CLAIMS if name == "claims" else MAX_TABLES
        if counts[name] > limit:
            line = text.count("\n", 0, match.start()) + 1
            return CardError(label, name, f"line {line}: more than {limit:,} [[{name}]] tables; a card "
                                          f"may have at most {limit:,} (each is checked and reported "
                                          "one by one)")
    return None


def _parse(label: str, data: bytes) -> tuple[dict | None, CardError | None]:
    if data.startswith(_BOM):           # saved by an editor that marks UTF-8
        data = data[len(_BOM):]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, CardError(label, "", f"is not UTF-8 text (bad byte at offset {exc.start}); "
                                          "save the card as UTF-8")
    problem = _screen(label, text)
    if problem is not None:
        return None, problem
    try:
        return tomllib.loads(text), None
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        match = _TOML_POSITION.search(message)
        what = message[: match.start()].strip() if match else message
        position = match.group(1) if match else "an unknown position"
        return None, CardError(label, "", f"invalid TOML at {position}: {what}")
    except ValueError:                   # an integer with more digits than Python converts
        match = _LONG_DIGITS.search(text)
        where = f"line {text.count(chr(10), 0, match.start()) + 1}: " if match else ""
        return None, CardError(label, "", f"{where}a number with thousands of digits cannot be read; "
                                          "counts on a card have at most 8 digits")
    except RecursionError:
        return None, CardError(label, "", "invalid TOML: arrays or tables nested too deeply to read")


def _check(trial) -> tuple[str, list[CardError], dict | None]:
    label, data, bundled_id, problem, link_target = _resolve(trial)
    if problem is not None:
        return label, [problem], None
    parsed, problem = _parse(label, data)
    if problem is not None:
        return label, [problem], None
    checker = _Checker(label)
    card = checker.check(parsed, bundled_id)
    errors = checker.errors
    if link_target is not None:
        note = f" ({label} is a symbolic link to {link_target})"
        errors = [CardError(e.file, e.path, e.reason + note) if e.path == "id" and "file name" in e.reason
                  else e for e in errors]
    return label, errors, card


def validate_card(trial) -> list[CardError]:
    """Every problem in a trial card; an empty list means the card is valid.

    Parameters
    ----------
    trial : str or pathlib.Path
        A bundled trial id (see :func:`list_trials`) or the path of a ``.toml`` card.

    Returns
    -------
    list of CardError
        In the order found: file-level problems (too big, not UTF-8, a key too long,
        invalid TOML) stop the check, since nothing further can be read; otherwise every
        field is checked, and every printed p-value and percentage is read with the parser
        the checks use.

    Raises
    ------
    TypeError
        ``trial`` is neither a ``str`` nor a path.
    ValueError
        ``trial`` is not a bundled id and does not look like a path, or names something that
        is not a regular file (a directory, a FIFO, a device).
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


def _build(card: dict, label: str) -> Trial:
    """A Trial from a card with no errors (never called otherwise)."""
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
    kinds = {"binary": [], "time-to-event": [], "continuous": []}
    for o in card["outcomes"]:
        kinds[o.get("kind", "binary")].append(_outcome(o))
    return Trial(
        id=card["id"],
        short_title=card["short_title"],
        citation=Citation(**cit),
        design=Design(**design),
        arms=tuple(Arm(**arm) for arm in card["arms"]),
        outcomes=tuple(kinds["binary"]),
        time_to_event=tuple(kinds["time-to-event"]),
        continuous_outcomes=tuple(kinds["continuous"]),
        schema_version=card["schema_version"],
        claims=tuple(ReportedClaim(**c) for c in card.get("claims", [])),
        continuous=tuple(continuous),
        registrations=tuple(Registration(**r) for r in card.get("registrations", [])),
        dates=TrialDates(**card.get("dates", {})),
        source_path=label,
        baseline=tuple(BaselineCharacteristic(**b) for b in card.get("baseline", [])),
        rob2=build_rob2_keys(card.get("rob2", [])),
    )


def _outcome(o: dict):
    """One outcome of any kind from its (valid) table."""
    o = dict(o)
    kind = o.setdefault("kind", "binary")
    if kind == "binary":
        return BinaryOutcome(**o)
    if kind == "time-to-event":
        o["km"] = tuple(KaplanMeierFigure(**km) for km in o.get("km", ()))
        for key, cls in (("median", MedianSurvival), ("hazard_ratio", HazardRatio),
                         ("test", SurvivalTest)):
            if key in o:
                o[key] = cls(**o[key])
        return TimeToEventOutcome(**o)
    o["treatment"], o["control"] = ArmSummary(**o["treatment"]), ArmSummary(**o["control"])
    for key in ("scale_min", "scale_max"):
        if key in o:
            o[key] = float(o[key])
    return ContinuousOutcome(**o)
