"""The glossary has an entry for every term the course must define, and every glossary link
in the lessons points at an entry that exists."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

LESSONS = Path(__file__).resolve().parent.parent / "lessons"
GLOSSARY = LESSONS / "glossary.md"

#: Terms a learner met undefined (anchor -> words the entry's heading must contain).
REQUIRED = {
    "wilson-interval": "Wilson",
    "clopper-pearson": "Clopper",
    "newcombe-hybrid-score": "Newcombe hybrid score",
    "woolf-logit": "Woolf",
    "margins-and-conditioning": "conditioning",
    "barnard-and-boschloo": "Boschloo",
    "power": "Power",
    "type-s-and-type-m": "Type S and Type M",
    "fragility-index": "Fragility index",
    "reverse-fragility-index": "Reverse fragility index",
    "rule-of-three": "Rule of three",
    "prior-and-posterior": "Prior and posterior",
    "rob2-answers": "Y, PY, PN, N, NI, NA",
    "rob2-domains": "RoB 2 domains",
    "kaplan-meier": "Kaplan",
    "log-rank": "Log-rank",
    "hazard-ratio": "Hazard ratio",
    "grim-and-grimmer": "GRIM and GRIMMER",
}

_ANCHOR = re.compile(r'<a id="([a-z0-9-]+)"></a>\s*\n#+ (.+)')
_LINK = re.compile(r"\]\((?:\.\./)?glossary\.md#([^)\s]+)\)")


def _entries() -> dict[str, tuple[str, str]]:
    """anchor -> (heading, body up to the next anchor)."""
    text = GLOSSARY.read_text(encoding="utf-8")
    matches = list(_ANCHOR.finditer(text))
    out = {}
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        out[m.group(1)] = (m.group(2), text[m.end():end])
    return out


def _lesson_markdown():
    for path in sorted(LESSONS.glob("*.ipynb")) + sorted((LESSONS / "solutions").glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        for index, cell in enumerate(nb.cells):
            if cell.cell_type == "markdown":
                yield path, index, cell.source


@pytest.mark.parametrize("anchor, words", sorted(REQUIRED.items()))
def test_required_term_has_an_entry_with_a_definition(anchor, words):
    entries = _entries()
    assert anchor in entries, f"glossary.md has no entry {anchor!r}"
    heading, body = entries[anchor]
    assert words.lower() in heading.lower()
    # a short definition in plain words and where the course uses it
    assert len(body.split()) >= 15
    assert "Used in:" in body


def test_anchors_are_unique():
    text = GLOSSARY.read_text(encoding="utf-8")
    anchors = re.findall(r'<a id="([a-z0-9-]+)"></a>', text)
    assert len(anchors) == len(set(anchors))


def test_every_glossary_link_resolves():
    anchors = set(re.findall(r'<a id="([a-z0-9-]+)"></a>', GLOSSARY.read_text(encoding="utf-8")))
    links = [(p.name, i, a) for p, i, src in _lesson_markdown() for a in _LINK.findall(src)]
    # links inside the glossary itself
    links += [("glossary.md", 0, a) for a in re.findall(r"\]\(#([^)\s]+)\)", GLOSSARY.read_text(encoding="utf-8"))]
    assert links, "no glossary links found in the lessons"
    broken = [link for link in links if link[2] not in anchors]
    assert not broken, broken


def test_required_terms_used_in_the_lessons_are_linked():
    # every required term that the lessons 00-09 use is linked from at least one lesson
    linked = {a for p, _, src in _lesson_markdown() if p.parent == LESSONS for a in _LINK.findall(src)}
    used_unlinked = []
    for anchor, words in REQUIRED.items():
        key = words.split()[0].lower()
        used = any(key in src.lower() for p, _, src in _lesson_markdown()
                   if p.parent == LESSONS and p.name[:2] < "10")
        if used and anchor not in linked:
            used_unlinked.append(anchor)
    assert not used_unlinked, used_unlinked
