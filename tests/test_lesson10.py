"""Lesson 10 runs on every bundled card and speaks only of the card it was given.

For each card the notebook is executed with ``TRIAL_ID`` injected after its parameters cell
(the way papermill does), and its outputs, including the stored widget state, are read:

* no cell raises and nothing is written to stderr;
* every claim of the card appears with its printed text in the generated Markdown;
* no title, arm label or outcome label of any *other* bundled card appears anywhere, except
  a label the card itself also uses, or a role word ("Control") the library uses for every card.
"""

from __future__ import annotations

import copy
import dataclasses
import importlib.util
import json
import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

import appraise as ap
from appraise.worksheet import escape_markdown

REPO = Path(__file__).resolve().parent.parent
LESSON = REPO / "lessons" / "10-your-own-trial.ipynb"
TRIALS = ap.list_trials()
# every card's arms are called treatment and control: the library's generic word for a role
ROLE_WORDS = {"treatment", "control"}


def _kernel_manager():
    spec = importlib.util.spec_from_file_location("execute_lessons", REPO / "scripts" / "execute_lessons.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.kernel_manager()


def _minimal_card() -> str:
    """The minimal card printed in docs/trial-cards.md ("A minimal card")."""
    doc = (REPO / "docs" / "trial-cards.md").read_text(encoding="utf-8")
    return re.search(r"## A minimal card.*?```toml\n(.*?)```", doc, flags=re.S).group(1)


def _run(trial_id: str):
    nb = copy.deepcopy(nbformat.read(LESSON, as_version=4))
    position = next(i for i, c in enumerate(nb.cells) if c.cell_type == "code") + 1
    injected = nbformat.v4.new_code_cell(f"TRIAL_ID = {trial_id!r}\nOUTCOME_ID = ''",
                                         metadata={"tags": ["injected-parameters"]})
    nb.cells.insert(position, injected)
    NotebookClient(nb, km=_kernel_manager(), timeout=600, record_timing=False,
                   resources={"metadata": {"path": str(LESSON.parent)}}).execute()
    return nb


def _outputs(nb) -> tuple[str, str]:
    """(all generated Markdown, every output and the widget state as one text)."""
    markdown, everything = [], []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if out.output_type == "stream":
                everything.append(out.text)
            for mime, value in out.get("data", {}).items():
                text = value if isinstance(value, str) else json.dumps(value)
                everything.append(text)
                if mime == "text/markdown":
                    markdown.append(text)
    everything.append(json.dumps(nb.metadata.get("widgets", {}), ensure_ascii=False))
    return "\n".join(markdown), "\n".join(everything)


def _md(text: str) -> str:
    """``text`` as escaped in the middle of a Markdown line."""
    return escape_markdown("x " + text)[2:]


def _foreign_strings(trial) -> set[str]:
    own = str(dataclasses.asdict(trial))
    found = set()
    for other_id in TRIALS:
        if other_id == trial.id:
            continue
        other = ap.load_trial(other_id)
        for text in (other.short_title, other.citation.title,
                     *(a.label for a in other.arms), *(o.label for o in other.outcomes)):
            if text not in own and text.lower() not in ROLE_WORDS:
                found.add(text)
    return found


def test_lesson10_is_in_the_course():
    nb = nbformat.read(LESSON, as_version=4)
    first = next(c for c in nb.cells if c.cell_type == "code")
    assert "parameters" in first.metadata.get("tags", [])
    assert "TRIAL_ID" in first.source and "OUTCOME_ID" in first.source
    prose = sum(len(c.source) for c in nb.cells if c.cell_type == "markdown")
    code = sum(len(c.source) for c in nb.cells if c.cell_type == "code")
    assert prose >= 2 * code
    assert nb.cells[0].cell_type == "markdown" and "Time:" in nb.cells[0].source
    assert nb.cells[-1].source.startswith("## Key points")
    assert "AppraisalWorksheet" in "".join(c.source for c in nb.cells if c.cell_type == "code")


@pytest.mark.slow
@pytest.mark.parametrize("trial_id", TRIALS)
def test_lesson10_runs_on_every_card_and_speaks_only_of_it(trial_id):
    trial = ap.load_trial(trial_id)
    nb = _run(trial_id)  # raises CellExecutionError, with the cell and traceback, on any error
    for index, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            assert not (out.output_type == "stream" and out.name == "stderr"), (
                f"cell {index} on {trial_id}: {out.text[:300]!r}")
    markdown, everything = _outputs(nb)
    for claim in trial.claims:
        assert _md(claim.text) in markdown, f"{trial_id}: claim {claim.id} ({claim.text!r}) not shown"
    assert _md(trial.short_title) in markdown
    for text in _foreign_strings(trial):
        assert text not in everything, f"{trial_id}: another card's {text!r} appears in lesson 10"


@pytest.mark.slow
def test_lesson10_runs_on_a_card_given_by_path(tmp_path):
    path = tmp_path / "my-card.toml"
    path.write_text(_minimal_card(), encoding="utf-8")
    trial = ap.load_trial(str(path))
    nb = _run(str(path))
    markdown, everything = _outputs(nb)
    for claim in trial.claims:
        assert _md(claim.text) in markdown, claim.id
    for text in _foreign_strings(trial):
        assert text not in everything, f"a bundled card's {text!r} appears in lesson 10 run on {path.name}"
