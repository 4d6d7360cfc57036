"""Hostile card text never becomes markup, a link, a comment or a control sequence in any output.

A corpus of hostile strings is written into EVERY free-text field of a copy of the seed card:
the card dictionary is walked generically, each string field is tried with hostile text
appended, and the field counts as free text when the card still validates.  Then every output
is checked: the Markdown report, the HTML report, the JSON report, the command line on a
terminal, widget HTML and chart titles/descriptions.
"""

from __future__ import annotations

import datetime
import json
import re
import tomllib

import pytest
from card_strategies import toml_string

from appraise import load_trial
from appraise.__main__ import main
from appraise.reporting import report, report_data
from appraise.trials import _cards_dir, validate_card

SEED = "mensc-secretome-covid19"

HOSTILE = [
    "<img src=x onerror=alert(1)>",
    "<script>alert(1)</script>",
    "[x](javascript:alert(1))",
    "![i](javascript:alert(1))",
    "<!-- the rest is hidden",
    "--> <!-->",
    "line one\n# Forged section\n",
    "\n## Flags\n\nNo flags raised.\n",
    "`code` and ```fence```",
    "a | b | c",
    "\x1b[2J\x1b[H cleared",
    "\x1b]0;owned title\x07",
    "\x9b31m C1 CSI",
    "\x00\x07\x08\x7f controls",
    "\r\nTotal: 0",
    "$\\frac{1}{0}$ math",
    "*bold* _em_ ~~strike~~",
    "&lt;img src=x&gt;",
    "&#60;script&#62;",
    '<a href="javascript:alert(1)">x</a>',
    "<svg onload=alert(1)>",
    "\u202eevil reversed",
    "<style>body{display:none}</style>",
    "</td></tr></table><h1>x</h1>",
    '" onmouseover="alert(1)',
    "' onmouseover='alert(1)",
    "[ref]: javascript:alert(1)",
    "> quoted\n- list\n1. ordered",
    "<http://evil.example>",
    "\u2028line\u2029separators",
    "</script><script>alert(2)</script>",
]

_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


# -- a minimal TOML writer for card dictionaries ---------------------------------------------

def _toml_value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v)
    if isinstance(v, (datetime.date, datetime.datetime)):
        return v.isoformat()
    if isinstance(v, str):
        return toml_string(v)
    if isinstance(v, list):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    raise TypeError(type(v))


_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


def _key(k) -> str:
    """A key as TOML needs it: bare when it can be, quoted otherwise (``"1.1"`` is one key)."""
    return k if _BARE_KEY.match(k) else toml_string(k)


def to_toml(card: dict) -> str:
    lines = []

    def table(prefix, d, header):
        if header:
            lines.append(header)
        for k, v in d.items():
            if not isinstance(v, dict) and not (isinstance(v, list) and v and isinstance(v[0], dict)):
                lines.append(f"{_key(k)} = {_toml_value(v)}")
        for k, v in d.items():
            name = f"{prefix}{_key(k)}"
            if isinstance(v, dict):
                table(name + ".", v, f"[{name}]")
            elif isinstance(v, list) and v and isinstance(v[0], dict):
                for item in v:
                    table(name + ".", item, f"[[{name}]]")
        lines.append("")

    table("", card, None)
    return "\n".join(lines)


def _string_paths(node, path=()):
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _string_paths(v, (*path, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _string_paths(v, (*path, i))
    elif isinstance(node, str):
        yield path


def _get(node, path):
    for p in path:
        node = node[p]
    return node


def _set(node, path, value):
    for p in path[:-1]:
        node = node[p]
    node[path[-1]] = value


@pytest.fixture(scope="module")
def hostile_card(tmp_path_factory):
    """(path, number of free-text fields, number of string fields) of the hostile seed copy."""
    base = tomllib.loads(_cards_dir().joinpath(f"{SEED}.toml").read_text(encoding="utf-8"))
    directory = tmp_path_factory.mktemp("hostile")
    path = directory / f"{SEED}.toml"
    paths = list(_string_paths(base))
    free = []
    for i, p in enumerate(paths):
        trial = tomllib.loads(to_toml(base))   # a deep copy
        _set(trial, p, _get(trial, p) + " " + HOSTILE[i % len(HOSTILE)])
        path.write_text(to_toml(trial), encoding="utf-8")
        if not validate_card(str(path)):
            free.append(p)
    card = tomllib.loads(to_toml(base))
    for i, p in enumerate(free):
        _set(card, p, _get(card, p) + " " + HOSTILE[i % len(HOSTILE)] + " " + HOSTILE[(i + 7) % len(HOSTILE)])
    path.write_text(to_toml(card), encoding="utf-8")
    assert validate_card(str(path)) == [], validate_card(str(path))
    return path, free, paths


def test_corpus_reaches_every_free_text_field(hostile_card):
    path, free, paths = hostile_card
    text = path.read_text(encoding="utf-8")
    # the free-text fields of the seed card: titles, labels, notes, claim texts and wording, ...
    assert len(free) >= 40, len(free)
    names = {p[-1] for p in free}
    for field in ("short_title", "title", "label", "text", "where", "note", "population",
                  "intervention", "comparator", "control"):
        assert field in names, field
    assert text.count("onerror") >= 2


def _no_markup_from_card(text: str):
    assert "<img" not in text.lower() and "<script" not in text.lower() and "<svg" not in text.lower()
    assert "<!--" not in text
    assert "<style" not in text.lower() and "<a href" not in text.lower()
    assert not _CONTROL.search(text), repr(_CONTROL.search(text).group(0))


def test_markdown_report(hostile_card):
    path, _, _ = hostile_card
    md = report(load_trial(str(path)))
    _no_markup_from_card(md)
    assert not re.search(r"<[A-Za-z!/?]", md)                   # no HTML tag, comment, autolink
    assert not re.search(r"(?<!\\)\]\(javascript:", md)        # no live link
    assert not re.search(r"(?m)^\[ref\]:", md)                  # no link definition
    assert not re.search(r"(?<!\\)\$", md)                      # no formula (JupyterLab MathJax)
    headings = [line for line in md.splitlines() if line.startswith("#")]
    assert sum(line.startswith("# ") for line in headings) == 1
    assert [h for h in headings if h.startswith("## ")] == [
        "## Design", "## Recomputed outcomes", "## Claims and verdicts", "## Reported numbers checked",
        "## Survival and continuous outcomes checked", "## Registration", "## Flags"]
    # backticks only around flag codes; every table row has its header's number of cells
    assert not re.search(r"(?<!\\)`", re.sub(r"`[a-z0-9-]+`", "", md))
    lines = md.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("|---"):
            width = len(re.findall(r"(?<!\\)\|", lines[i - 1]))
            j = i + 1
            while j < len(lines) and lines[j].startswith("|"):
                assert len(re.findall(r"(?<!\\)\|", lines[j])) == width, lines[j]
                j += 1


ALLOWED_TAGS = {"html", "head", "meta", "title", "style", "body", "h1", "h2", "h3", "p", "table",
                "thead", "tbody", "tr", "th", "td", "ul", "li", "strong", "div", "span"}


def test_html_report(hostile_card):
    path, _, _ = hostile_card
    page = report(load_trial(str(path)), format="html")
    body = page.split("</style>", 1)[1]
    _no_markup_from_card(body)
    assert {t.lower() for t in re.findall(r"<\s*/?\s*([A-Za-z0-9]+)", body)} <= ALLOWED_TAGS
    assert "javascript:" not in re.sub(r"&[a-z]+;|&#\d+;", "", "".join(re.findall(r"<[^>]*>", body)))
    assert page.count("<style>") == 1 and page.count("<title>") == 1


def test_json_report_round_trips(hostile_card):
    path, _, _ = hostile_card
    trial = load_trial(str(path))
    text = report(trial, format="json")
    assert not _CONTROL.search(text) and "<" not in text
    data = json.loads(text)
    assert data == json.loads(json.dumps(report_data(trial)))
    assert any("<img src=x onerror=alert(1)>" in v["text"] for v in data["claims"])   # kept, as data


def test_command_line_on_a_terminal(hostile_card, capsys):
    path, _, _ = hostile_card
    for fmt in ("markdown", "html", "json"):
        assert main(["report", str(path), "--format", fmt]) == 0
        out = capsys.readouterr()
        assert not _CONTROL.search(out.out) and not _CONTROL.search(out.err)
    assert main(["validate", str(path)]) == 0
    assert not _CONTROL.search(capsys.readouterr().out)


def test_widget_html(hostile_card):
    from appraise import widgets

    path, _, _ = hostile_card
    trial = load_trial(str(path))
    outcome = trial.outcomes[0].id
    for explorer in (widgets.FragilityExplorer(trial, outcome), widgets.PriorExplorer(trial, outcome)):
        for name, value in vars(explorer).items():
            html_value = getattr(value, "value", None)
            if type(value).__name__ == "HTML" and isinstance(html_value, str):
                _no_markup_from_card(html_value)


def test_chart_text(hostile_card):
    from appraise import charts
    from appraise.flags import appraise
    from appraise.registration import audit_registration

    path, _, _ = hostile_card
    trial = load_trial(str(path))
    specs = [charts.registration_timeline_chart(audit_registration(trial)).to_dict(),
             charts.flags_traffic_light_chart(appraise(trial)).to_dict()]
    for spec in specs:
        text = json.dumps(spec, ensure_ascii=False)
        assert "</script" not in text.lower() and "<img" not in text.lower() and "<!--" not in text
        assert not _CONTROL.search(text)
