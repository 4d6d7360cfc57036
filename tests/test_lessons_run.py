"""The lesson notebooks: committed in a clean, executed state, and reusable for other trials.

nbval (the second step of ``python3 scripts/dev.py test``) checks that the stored outputs
match a fresh run.  The tests here check what nbval cannot:

* every committed notebook was executed top to bottom, without errors, warnings, stored
  widget state or absolute paths;
* every lesson starts with a ``parameters`` cell (``TRIAL_ID``, ``OUTCOME_ID``), and lessons
  02-08 run unchanged on the capstone trial when other values are injected after it, the
  way papermill does;
* the README's lesson map links exactly the lessons that exist;
* ``scripts/execute_lessons.py`` is deterministic.
"""

from __future__ import annotations

import ast
import copy
import importlib.util
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

REPO = Path(__file__).resolve().parent.parent
LESSONS = REPO / "lessons"
LESSON_NOTEBOOKS = sorted(LESSONS.glob("[0-9][0-9]-*.ipynb"))
SOLUTION_NOTEBOOKS = sorted((LESSONS / "solutions").glob("*.ipynb"))
ALL_NOTEBOOKS = LESSON_NOTEBOOKS + SOLUTION_NOTEBOOKS
# lessons whose analysis applies to any trial card: they must run on the capstone trial too
REUSABLE = [p for p in LESSON_NOTEBOOKS if 2 <= int(p.name[:2]) <= 8]

CAPSTONE = {"TRIAL_ID": "huc-msc-covid19-shu2020", "OUTCOME_ID": "mortality-day28"}
PARAMETERS = ("TRIAL_ID", "OUTCOME_ID")
ABSOLUTE_PATH = re.compile(r"(?<![\w.~-])(/work|/home|/tmp|/root|/Users)/")


def _ids(paths):
    return [p.relative_to(LESSONS).as_posix() for p in paths]


def _load_execute_lessons():
    spec = importlib.util.spec_from_file_location(
        "execute_lessons", REPO / "scripts" / "execute_lessons.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _code_cells(nb):
    return [c for c in nb.cells if c.cell_type == "code" and c.source.strip()]


def _parameters_cell_index(nb) -> int:
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and cell.source.strip():
            return index
    raise AssertionError("the notebook has no code cell")


def _assigned_strings(source: str) -> dict[str, str]:
    """Names assigned a string literal at the top level of ``source``."""
    values = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant):
            for target in node.targets:
                if isinstance(target, ast.Name) and isinstance(node.value.value, str):
                    values[target.id] = node.value.value
    return values


def _output_text(cell) -> str:
    """The displayed text of a cell's outputs (what a learner reads)."""
    parts = []
    for out in cell.get("outputs", []):
        if out.output_type == "stream":
            parts.append(out.text)
        elif out.output_type in ("execute_result", "display_data"):
            data = out.get("data", {})
            parts.append(str(data.get("text/plain", "")) + str(data.get("text/html", "")))
    return "".join(parts)


# --------------------------------------------------------------------------------------
# committed state
# --------------------------------------------------------------------------------------


def test_lessons_exist():
    assert LESSON_NOTEBOOKS, f"no lesson notebooks found in {LESSONS}"
    assert (LESSONS / "00-start-here.ipynb") in LESSON_NOTEBOOKS


@pytest.mark.parametrize("path", ALL_NOTEBOOKS, ids=_ids(ALL_NOTEBOOKS))
def test_notebook_is_executed_in_order(path):
    nb = nbformat.read(path, as_version=4)
    counts = [cell.execution_count for cell in _code_cells(nb)]
    assert counts, f"{path.name} has no code cell"
    assert counts == list(range(1, len(counts) + 1)), (
        f"{path.name}: execution counts {counts} are not 1..{len(counts)}: "
        "re-execute it with `python3 scripts/dev.py execute`"
    )


@pytest.mark.parametrize("path", ALL_NOTEBOOKS, ids=_ids(ALL_NOTEBOOKS))
def test_notebook_has_no_errors_or_stderr(path):
    nb = nbformat.read(path, as_version=4)
    for index, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            where = f"{path.name}, cell {index}"
            assert out.output_type != "error", f"{where}: stored error {out.get('ename')}"
            assert not (out.output_type == "stream" and out.name == "stderr"), (
                f"{where}: stored stderr output (a warning?): {out.text[:300]!r}"
            )


@pytest.mark.parametrize("path", ALL_NOTEBOOKS, ids=_ids(ALL_NOTEBOOKS))
def test_notebook_stores_no_widget_state_or_absolute_paths(path):
    nb = nbformat.read(path, as_version=4)
    assert "widgets" not in nb.metadata, (
        f"{path.name}: metadata.widgets is stored; run `python3 scripts/dev.py execute`"
    )
    text = path.read_text(encoding="utf-8")
    found = sorted({m.group(0) for m in ABSOLUTE_PATH.finditer(text)})
    assert not found, f"{path.name} contains absolute paths starting with {found}"


@pytest.mark.parametrize("path", ALL_NOTEBOOKS, ids=_ids(ALL_NOTEBOOKS))
def test_first_code_cell_is_tagged_parameters(path):
    nb = nbformat.read(path, as_version=4)
    cell = nb.cells[_parameters_cell_index(nb)]
    assert "parameters" in cell.metadata.get("tags", []), (
        f"{path.name}: the first code cell must carry the tag 'parameters'"
    )
    values = _assigned_strings(cell.source)
    missing = [name for name in PARAMETERS if name not in values]
    assert not missing, f"{path.name}: the parameters cell does not set {missing} to a string"


# --------------------------------------------------------------------------------------
# README lesson map
# --------------------------------------------------------------------------------------


def _readme_lesson_map() -> str:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    match = re.search(r"^## Lesson map\s*$(.*?)(?=^## )", readme, flags=re.M | re.S)
    assert match, "README.md has no '## Lesson map' section"
    return match.group(1)


def test_readme_lesson_map_lists_every_lesson_once():
    section = _readme_lesson_map()
    numbers = re.findall(r"^\|\s*(\d\d)\s*\|", section, flags=re.M)
    assert numbers == [f"{n:02d}" for n in range(11)], numbers


def test_readme_lesson_map_links_exactly_the_lessons_present():
    linked = set(re.findall(r"\]\((lessons/\d\d-[^)]+\.ipynb)\)", _readme_lesson_map()))
    present = {p.relative_to(REPO).as_posix() for p in LESSON_NOTEBOOKS}
    assert linked == present, (
        f"linked but missing: {sorted(linked - present)}; "
        f"present but not linked: {sorted(present - linked)}"
    )


# --------------------------------------------------------------------------------------
# the lessons run on another trial
# --------------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("path", REUSABLE, ids=_ids(REUSABLE))
def test_lesson_runs_on_the_capstone_trial(path):
    committed = nbformat.read(path, as_version=4)
    nb = copy.deepcopy(committed)
    position = _parameters_cell_index(nb) + 1
    source = "\n".join(f"{name} = {value!r}" for name, value in CAPSTONE.items())
    injected = nbformat.v4.new_code_cell(source, metadata={"tags": ["injected-parameters"]})
    nb.cells.insert(position, injected)
    client = NotebookClient(
        nb,
        km=_load_execute_lessons().kernel_manager(),
        timeout=600,
        record_timing=False,
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()  # raises CellExecutionError, with the cell and traceback, on any error

    for index, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            assert not (out.output_type == "stream" and out.name == "stderr"), (
                f"{path.name}, cell {index}, on {CAPSTONE['TRIAL_ID']}: {out.text[:300]!r}"
            )
    # The lesson must read the trial from the parameters, not from hard-coded numbers.
    before = [_output_text(c) for c in committed.cells]
    after = [_output_text(c) for c in nb.cells[:position] + nb.cells[position + 1 :]]
    assert before != after, (
        f"{path.name} shows the same outputs for {CAPSTONE['TRIAL_ID']} as for the seed "
        "trial: does it use TRIAL_ID and OUTCOME_ID?"
    )


# --------------------------------------------------------------------------------------
# the maintainers' script
# --------------------------------------------------------------------------------------


@pytest.mark.slow
def test_execute_lessons_is_deterministic(tmp_path):
    source = LESSONS / "00-start-here.ipynb"
    target = tmp_path / source.name
    results = []
    for _ in range(2):
        shutil.copyfile(source, target)
        subprocess.run(
            [sys.executable, str(REPO / "scripts" / "execute_lessons.py"), str(target)],
            check=True,
            cwd=REPO,
        )
        results.append(target.read_bytes())
    assert results[0] == results[1]
    nb = json.loads(results[0])
    assert "widgets" not in nb["metadata"]
    assert all("execution" not in cell["metadata"] for cell in nb["cells"])
