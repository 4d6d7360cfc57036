"""How numbers and card text are written in every output: one rule each.

Every module that shows a p-value, a percentage, an interval or an NNT, or that places text
from a trial card into Markdown, HTML, a terminal, JSON, a widget or a chart, calls the
functions here, so one number always reads the same everywhere.

Rules
-----
p-values (:func:`format_p`)
    ``digits`` decimals (3 in charts and widgets; 4 where a recomputed p-value is set beside a
    printed one, so ``0.1281`` can be told from ``0.128``), and at least two significant
    digits (0.00042, not 0.000); below 0.0001 the text is ``"< 0.0001"``.  A p-value below
    ``alpha`` never prints as ``alpha`` or above: more decimals are shown until it does not
    (0.0496 -> ``"0.0496"``, never ``"0.050"``; 0.04999 -> ``"0.04999"``), and one at or above
    ``alpha`` never prints below it.  ``nan`` prints as ``"n/a"``.
JSON (:func:`to_jsonable`)
    JSON has no infinity and no NaN.  Every number that is not finite (an NNT of infinity when
    the risks are equal, an odds ratio with a zero cell, an undefined test) becomes ``null``;
    each such number sits beside fields that say what it means (an NNT's ``kind`` and
    ``text``).  The same converter serves ``compare --json`` and ``report --format json``.
Card text
    One escaping function per output: :func:`escape_html`, :func:`escape_markdown`,
    :func:`escape_terminal`, :func:`to_json` (JSON that is also safe inside HTML),
    :func:`escape_widget_text` and :func:`escape_chart_text`.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import enum
import html as _html
import json
import math
import numbers
import os
import re

from appraise._limits import MAX_LISTED_VALUES

__all__ = ["format_p", "p_phrase", "format_pct", "format_number", "format_ratio", "format_ci",
           "format_nnt", "format_values", "bounded_values", "to_jsonable", "to_json", "escape_html", "escape_markdown",
           "escape_terminal", "escape_widget_text", "escape_chart_text"]

P_FLOOR = 0.0001     # below this a p-value is written "< 0.0001"


def _real(name, value) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {value!r} of type {type(value).__name__}")
    return float(value)


# ---------------------------------------------------------------------------
# numbers
# ---------------------------------------------------------------------------

def format_p(p, *, alpha: float = 0.05, digits: int = 3) -> str:
    """A p-value as text, by the one rule of the package.

    Parameters
    ----------
    p : float
        The p-value, in [0, 1] (``nan`` gives ``"n/a"``).
    alpha : float
        Significance level that the printed value may never appear to cross.
    digits : int
        Decimals (at least 1); more when needed for two significant digits or to keep the
        printed value on p's side of ``alpha``.

    Examples
    --------
    >>> format_p(0.12814), format_p(0.12814, digits=4), format_p(0.0496), format_p(0.0894, digits=4)
    ('0.128', '0.1281', '0.0496', '0.0894')
    >>> format_p(0.04999), format_p(0.05), format_p(0.00042), format_p(0.00003)
    ('0.04999', '0.050', '0.00042', '< 0.0001')
    """
    p = _real("p", p)
    if math.isnan(p):
        return "n/a"
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"p must lie in [0, 1], got {p!r}")
    alpha = _real("alpha", alpha)
    if isinstance(digits, bool) or not isinstance(digits, numbers.Integral) or not 1 <= digits <= 15:
        raise ValueError(f"digits must be a whole number from 1 to 15, got {digits!r}")
    if p < P_FLOOR:
        return f"< {P_FLOOR:g}" if P_FLOOR < 0.001 else f"< {P_FLOOR}"
    two_significant = 1 - math.floor(math.log10(p)) if p > 0 else 1
    for d in range(max(int(digits), two_significant), 18):
        text = f"{p:.{d}f}"
        shown = float(text)
        if (p < alpha) == (shown < alpha):
            return text
    return repr(p)  # pragma: no cover - 15 digits always settle the side


def p_phrase(p, *, alpha: float = 0.05, digits: int = 3) -> str:
    """``"p = 0.128"`` or ``"p < 0.0001"`` (never ``"p = < 0.0001"``).

    Examples
    --------
    >>> p_phrase(0.12814), p_phrase(1e-9)
    ('p = 0.128', 'p < 0.0001')
    """
    text = format_p(p, alpha=alpha, digits=digits)
    return f"p {text}" if text.startswith("<") else f"p = {text}"


def format_pct(x, digits: int = 1) -> str:
    """A proportion as a percentage: ``0.5 -> "50.0%"``; ``None``/``nan`` -> ``"n/a"``.

    Examples
    --------
    >>> format_pct(7 / 14), format_pct(12 / 15, 0)
    ('50.0%', '80%')
    """
    if x is None:
        return "n/a"
    x = _real("x", x)
    if math.isnan(x):
        return "n/a"
    return f"{100 * x:.{digits}f}%"


def format_number(x, digits: int = 3) -> str:
    """A plain number: ints as they are, floats with ``digits`` decimals, ``inf`` as ``"∞"``,
    ``None``/``nan`` as ``"n/a"``, booleans as ``"yes"``/``"no"``.

    Examples
    --------
    >>> format_number(0.2857142), format_number(14), format_number(float("inf"))
    ('0.286', '14', '∞')
    """
    if x is None:
        return "n/a"
    if isinstance(x, bool):
        return "yes" if x else "no"
    if isinstance(x, numbers.Integral):
        return str(int(x))
    if isinstance(x, numbers.Real):
        x = float(x)
        if math.isnan(x):
            return "n/a"
        if math.isinf(x):
            return "∞" if x > 0 else "-∞"
        return f"{x:.{digits}f}"
    return str(x)


def format_ratio(x, digits: int = 2) -> str:
    """A risk or odds ratio: ``digits`` decimals, ``inf`` as ``"∞"``, ``nan`` as ``"n/a"``.

    Examples
    --------
    >>> format_ratio(0.625), format_ratio(float("inf"))
    ('0.62', '∞')
    """
    return format_number(x if x is None else _real("x", x), digits)


def format_ci(low, high, *, estimate=None, digits: int = 3, pct: bool = False) -> str:
    """``"low to high"``, or ``"estimate (low to high)"`` when ``estimate`` is given.

    Examples
    --------
    >>> format_ci(0.268, 0.732, estimate=0.5, pct=True)
    '50.0% (26.8% to 73.2%)'
    >>> format_ci(-0.6, 0.02)
    '-0.600 to 0.020'
    """
    conv = (lambda v: format_pct(v, 1)) if pct else (lambda v: format_number(v, digits))
    span = f"{conv(low)} to {conv(high)}"
    return span if estimate is None else f"{conv(estimate)} ({span})"


def format_nnt(x, kind: str | None = None) -> str:
    """A number needed to treat: one decimal below 10, whole above; infinity as ``"infinity"``.

    ``kind`` ``"benefit"`` or ``"harm"`` prefixes ``NNTB`` or ``NNTH``.

    Examples
    --------
    >>> format_nnt(3.3333, "benefit"), format_nnt(24.2, "harm"), format_nnt(float("inf"))
    ('NNTB 3.3', 'NNTH 24', 'infinity')
    """
    x = _real("x", x)
    if math.isnan(x):
        text = "n/a"
    elif math.isinf(x):
        text = "infinity"
    else:
        text = f"{x:.1f}" if abs(x) < 10 else f"{x:.0f}"
    prefix = {"benefit": "NNTB ", "harm": "NNTH "}.get(kind or "", "")
    return prefix + text


# ---------------------------------------------------------------------------
# JSON
# ---------------------------------------------------------------------------

def format_values(values, show=str, *, most: int = 4) -> str:
    """Sorted values written out: all of them when at most ``most``, else the first and the
    last with how many there are.

    Examples
    --------
    >>> format_values([4, 5])
    '4, 5'
    >>> format_values(range(2_750_000, 2_850_000), lambda k: f"{k}/10000000")
    '2750000/10000000 to 2849999/10000000 (100,000 values)'
    """
    values = values if isinstance(values, (list, tuple, range)) else list(values)
    if len(values) <= most:
        return ", ".join(show(v) for v in values)
    return f"{show(values[0])} to {show(values[-1])} ({len(values):,} values)"


def bounded_values(name: str, values, *, most: int | None = None) -> dict:
    """A list for JSON evidence, bounded: ``{name: the first values, name_count: how many}``.

    At most :data:`appraise._limits.MAX_LISTED_VALUES` values are kept (``most`` overrides).

    Examples
    --------
    >>> bounded_values("candidates", range(100_000), most=3)
    {'candidates': [0, 1, 2], 'candidates_count': 100000}
    """
    most = MAX_LISTED_VALUES if most is None else most
    values = values if isinstance(values, (list, tuple, range)) else list(values)
    return {name: list(values[:most]), f"{name}_count": len(values)}


_MAX_DEPTH = 64


def to_jsonable(obj, _depth: int = 0):
    """Plain JSON data from results, cards and numpy values (THE converter of the package).

    Dataclasses become dicts of their fields, mappings dicts with string keys, tuples, lists,
    sets and numpy arrays lists, numpy scalars Python numbers, dates ISO strings, enums their
    value, paths strings.  Every number that is not finite (``nan``, ``inf``) becomes ``None``
    (JSON has neither; see the module notes).  Anything else raises ``TypeError``.

    Examples
    --------
    >>> import numpy as np, datetime
    >>> to_jsonable({"nnt": float("inf"), "p": np.float64(0.1281), "n": np.int64(14),
    ...              "on": datetime.date(2021, 8, 26), "xs": np.array([1.5, np.nan])})
    {'nnt': None, 'p': 0.1281, 'n': 14, 'on': '2021-08-26', 'xs': [1.5, None]}
    """
    if _depth > _MAX_DEPTH:
        raise ValueError(f"object nested deeper than {_MAX_DEPTH} levels cannot be written as JSON")
    d = _depth + 1
    if obj is None or isinstance(obj, (bool, str)):
        return obj
    if isinstance(obj, enum.Enum):
        return to_jsonable(obj.value, d)
    if isinstance(obj, numbers.Integral):
        return int(obj)
    if isinstance(obj, numbers.Real):
        x = float(obj)
        return x if math.isfinite(x) else None
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: to_jsonable(getattr(obj, f.name), d) for f in dataclasses.fields(obj)}
    if isinstance(obj, dict):
        return {str(k): to_jsonable(v, d) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [to_jsonable(v, d) for v in obj]
    if isinstance(obj, (set, frozenset)):
        return sorted((to_jsonable(v, d) for v in obj), key=repr)
    if isinstance(obj, (_dt.date, _dt.datetime, _dt.time)):
        return obj.isoformat()
    if isinstance(obj, os.PathLike):
        return os.fspath(obj)
    if hasattr(obj, "tolist") and hasattr(obj, "dtype"):      # numpy array or scalar
        return to_jsonable(obj.tolist(), d)
    if hasattr(obj, "item") and hasattr(obj, "dtype"):        # pragma: no cover
        return to_jsonable(obj.item(), d)
    raise TypeError(f"cannot write {type(obj).__name__} as JSON: {obj!r:.80}")


def to_json(obj, *, indent: int | None = 2) -> str:
    """``obj`` as stable JSON text (sorted keys), safe to print and to embed in HTML.

    Non-ASCII and control characters are ``\\uXXXX`` escapes, and ``<``, ``>``, ``&`` are
    escaped too (they only ever occur inside strings), so the text cannot close a ``<script>``
    element or open a comment.

    Examples
    --------
    >>> to_json({"title": "<img src=x>", "nnt": float("inf")}, indent=None)
    '{"nnt": null, "title": "\\\\u003cimg src=x\\\\u003e"}'
    """
    text = json.dumps(to_jsonable(obj), sort_keys=True, indent=indent, allow_nan=False,
                      ensure_ascii=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


# ---------------------------------------------------------------------------
# text escaping, one function per output
# ---------------------------------------------------------------------------

# ESC-introduced sequences (CSI ``ESC [ ... final``, OSC ``ESC ] ... BEL|ST``, two-byte ``ESC x``)
_ANSI = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])")
# C0 controls except tab and newline, DEL, C1 controls, bidirectional overrides/isolates
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_LINE_BREAKS = re.compile(r"\s*[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]+\s*")


def _strip_controls(text: str) -> str:
    return _CONTROL.sub("", _ANSI.sub("", text))


def _one_line(text: str) -> str:
    return _LINE_BREAKS.sub(" ", text)


def escape_terminal(text) -> str:
    """``text`` safe to print to a terminal: no escape sequences or control characters.

    Whole ANSI sequences (colour, clear screen, set title, ...) are removed, then every
    remaining C0 control except newline and tab, DEL, every C1 control and the Unicode
    bidirectional overrides.  Carriage returns go too (they would overwrite a line).

    Examples
    --------
    >>> escape_terminal("Intubation\\x1b[2J\\x1b]0;pwned\\x07 rate\\r")
    'Intubation rate'
    """
    return _strip_controls(str(text))


def escape_html(text) -> str:
    """Card text for HTML element content or a quoted attribute value.

    ``& < > " '`` become entities; control characters (invalid in HTML) are removed.

    Examples
    --------
    >>> escape_html('<img src=x onerror="alert(1)">')
    '&lt;img src=x onerror=&quot;alert(1)&quot;&gt;'
    """
    return _html.escape(_strip_controls(str(text)), quote=True)


def escape_widget_text(text) -> str:
    """Card text for a widget's HTML (``ipywidgets.HTML`` values, labels built as HTML).

    As :func:`escape_html`, on one line (a label never spans lines).

    Examples
    --------
    >>> escape_widget_text("Intubation\\n<b>x</b>")
    'Intubation &lt;b&gt;x&lt;/b&gt;'
    """
    return escape_html(_one_line(str(text)))


_MD_PUNCT = re.compile(r"([\\`*_\[\]|~$])")
_MD_TAG_START = re.compile(r"<(?=[A-Za-z/!?])")
_MD_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
_MD_ORDERED = re.compile(r"^(\s*\d{1,9})([.)])(?=\s|$)")
_MD_BLOCK_START = re.compile(r"^(\s*)(?=[#+-]+(?:\s|$)|>|[-=]+\s*$)")


def _escape_line_start(line: str) -> str:
    """Escape what would open a heading, list, quote or rule at the start of a line."""
    line = _MD_ORDERED.sub(r"\1\\\2", line)
    return _MD_BLOCK_START.sub(r"\1\\", line, count=1)


def escape_markdown(text, *, block: bool = False) -> str:
    """Card text for a Markdown report (CommonMark / GitHub / JupyterLab).

    Nothing in the text can become markup: ``\\ ` * _ [ ] | ~ $`` are backslash-escaped (so
    no link, image, code span, table cell or formula), ``<`` before a letter, ``/``, ``!`` or
    ``?`` becomes ``&lt;`` (no HTML tag, comment or autolink), ``&`` before an entity name
    ``&amp;``, and a line may not start a heading, quote, list or rule.  By default the text
    is put on one line: a newline in a one-line field cannot start a new report section.
    ``block=True`` keeps line breaks, each line escaped alike.  Plain ``<`` as in
    ``P < 0.001`` stays as it is.

    Examples
    --------
    >>> escape_markdown("[x](javascript:alert(1)) <!-- hide")
    '\\\\[x\\\\](javascript:alert(1)) &lt;!-- hide'
    >>> escape_markdown("Title\\n# Forged section"), escape_markdown("# Heading")
    ('Title # Forged section', '\\\\# Heading')
    >>> escape_markdown("P < 0.001")
    'P < 0.001'
    """
    text = _strip_controls(str(text)).replace("\r", "")
    lines = text.split("\n") if block else [_one_line(text)]
    out = []
    for line in lines:
        line = _MD_ENTITY.sub("&amp;", line.lstrip() if block else line)
        line = _MD_PUNCT.sub(r"\\\1", line)
        line = _MD_TAG_START.sub("&lt;", line)
        line = _escape_line_start(line)
        out.append(line)
    return "\n".join(out)


def escape_chart_text(text) -> str:
    """Card text for a chart title, axis label, legend or description (Vega-Lite text).

    Vega draws text, not HTML, but a chart's specification is embedded in HTML pages: the
    text is put on one line, control characters are removed, and ``<`` before a letter,
    ``/``, ``!`` or ``?`` gets a space after it, so nothing in a title can close the
    ``<script>`` element that carries the chart or open a tag.

    Examples
    --------
    >>> escape_chart_text("Intubation</script><img src=x>\\nrate")
    'Intubation< /script>< img src=x> rate'
    """
    return _MD_TAG_START.sub("< ", _one_line(_strip_controls(str(text)))).strip()
