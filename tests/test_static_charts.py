"""Committed chart outputs carry a static SVG for readers that cannot run widgets.

``scripts/execute_lessons.py`` draws each chart a notebook output shows (a live
``JupyterChart``, alone or inside an explorer's boxes) with vl-convert from the chart's
Vega-Lite spec in the stored widget state, and puts it beside the live widget as
``image/svg+xml``.  GitHub, nbviewer and exported HTML show that SVG.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import nbformat
import pytest

import appraise.charts as ch

REPO = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((REPO / "lessons").glob("[0-9][0-9]-*.ipynb")) + sorted(
    (REPO / "lessons" / "solutions").glob("*.ipynb"))


def _script():
    spec = importlib.util.spec_from_file_location("execute_lessons", REPO / "scripts" / "execute_lessons.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _notebook(models: dict, shown: list[str]) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {
        "version_major": 2, "version_minor": 0, "state": models}}
    for model_id in shown:
        out = nbformat.v4.new_output("display_data", data={
            "application/vnd.jupyter.widget-view+json": {"model_id": model_id, "version_major": 2,
                                                         "version_minor": 0},
            "text/plain": "widget"})
        nb.cells.append(nbformat.v4.new_code_cell("x", outputs=[out]))
    return nb


def test_static_svg_beside_every_live_chart():
    ex = _script()
    lights = ch.traffic_light_chart({"D1": "low", "D2": "high"}).to_dict()
    icons = ch.icon_array_chart(7, 14, 12, 15, event="intubated").to_dict()
    models = {
        "a" * 32: {"model_name": "AnyModel", "state": {"spec": lights}},
        "b" * 32: {"model_name": "AnyModel", "state": {"spec": icons}},
        "c" * 32: {"model_name": "IntSliderModel", "state": {"value": 3}},
        # an explorer: boxes holding a slider and two charts
        "d" * 32: {"model_name": "VBoxModel", "state": {"children": [
            "IPY_MODEL_" + "c" * 32, "IPY_MODEL_" + "a" * 32, "IPY_MODEL_" + "b" * 32]}},
        "e" * 32: {"model_name": "VBoxModel", "state": {"children": ["IPY_MODEL_" + "c" * 32]}},
    }
    nb = _notebook(models, ["a" * 32, "d" * 32, "e" * 32, "f" * 32])
    assert ex.add_static_charts(nb) == 2
    data = [cell.outputs[0]["data"] for cell in nb.cells]
    alone, explorer, no_chart, unknown = (d.get("image/svg+xml") for d in data)
    assert alone.startswith("<svg") and "Risk of bias (RoB 2)" in alone
    # both charts of the explorer, one under the other
    assert "Risk of bias (RoB 2)" in explorer and "Every patient: intubated or not" in explorer
    assert no_chart is None and unknown is None
    # the live widget stays first in the bundle; JupyterLab keeps showing it
    assert list(data[0])[0] == "application/vnd.jupyter.widget-view+json"


def test_nbval_leaves_the_static_svg_out():
    conftest = (REPO / "lessons" / "conftest.py").read_text(encoding="utf-8")
    assert 'STATIC_CHART = "image/svg+xml"' in conftest


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_chart_outputs_have_a_static_svg(path):
    # charts shown directly (their text/plain names JupyterChart); an explorer's text/plain
    # does not name its charts, so explorers are covered by the test above
    nb = json.loads(path.read_text(encoding="utf-8"))
    missing = [
        index
        for index, cell in enumerate(nb["cells"]) if cell["cell_type"] == "code"
        for out in cell.get("outputs", [])
        if "application/vnd.jupyter.widget-view+json" in out.get("data", {})
        and "JupyterChart" in "".join(out["data"].get("text/plain", ""))
        and "image/svg+xml" not in out["data"]
    ]
    assert not missing, (f"{path.name}: chart outputs of cells {missing} have no static SVG; "
                         "re-execute with python3 scripts/dev.py execute")
