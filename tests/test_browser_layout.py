"""Every lesson looks right on a 1280 x 800 screen: nothing overlaps, nothing is cut off.

Each lesson is opened in JupyterLab (on a temporary copy of ``lessons/``) in Debian's
Chromium at 1280 x 800 pixels, with the file browser open as on a first start, and every
cell is run.  The test then measures what is on screen and fails on

* overlapping text in any chart: the boxes of two different SVG text marks of one Vega
  view (axis labels, titles, legend labels, text marks) share more than a pixel each way;
* a chart or widget wider than the output area that holds it, or a legend outside its
  chart (cut off);
* text cut in its own box: a label, button, dropdown or slider readout whose
  ``scrollWidth`` exceeds its ``clientWidth``, or a number wider than its input box;
* a slider track shorter than :data:`MIN_SLIDER_PX` (too short to set a value);
* a printed line wider than the output area: JupyterLab breaks such lines anywhere, in the
  middle of a word.

On the first lesson the test then puts each kind of defect into the page on purpose and
asserts that the checks report it.

A PNG of every chart is saved in ``$APPRAISE_LAYOUT_SHOTS`` (default: the test's temporary
folder) as ``<lesson>-chart<k>.png`` to look at.  Needs Debian's ``chromium``; fails in CI
(``CI`` set) and is skipped elsewhere when it is missing, like ``tests/test_browser.py``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import browser_harness as bh

pytestmark = [pytest.mark.browser, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[1]
LESSONS = sorted(p.name for p in (REPO / "lessons").glob("[0-9][0-9]-*.ipynb"))
VIEWPORT = {"width": 1280, "height": 800}
OVERLAP_PX = 1.0       # texts may touch; sharing more than this each way is an overlap
MIN_SLIDER_PX = 120    # a shorter track cannot be set to a chosen value with a mouse
SPINNER_PX = 18        # room taken by the up/down arrows of a number box in Chromium


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    folder = os.environ.get("APPRAISE_LAYOUT_SHOTS")
    path = Path(folder) if folder else tmp_path_factory.mktemp("layout-shots")
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture
def page(chromium):
    context = chromium.new_context(viewport=VIEWPORT)
    pg = context.new_page()
    yield pg
    context.close()


def _save_chart_shots(page, folder: Path, name: str) -> list[Path]:
    saved = []
    charts = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .vega-embed")
    for k in range(charts.count()):
        path = folder / f"{Path(name).stem}-chart{k}.png"
        chart = charts.nth(k)
        chart.scroll_into_view_if_needed()
        chart.screenshot(path=str(path))
        saved.append(path)
    return saved


# Defects put into a page on purpose, to show that the checks find them: two chart texts
# on top of each other, a legend outside its chart, the notebook style that keeps printed
# lines whole removed, and number boxes squeezed as they were before the explorers were
# laid out.
JS_INJECT_DEFECTS = """(notebookCss) => {
  const nb = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook');
  document.querySelectorAll('style').forEach(s => { if (s.textContent.trim() === notebookCss) s.remove(); });
  const out = nb.querySelector('.jp-OutputArea-output');
  const div = document.createElement('div');
  div.className = 'vega-embed';
  div.innerHTML = '<svg width="300" height="100"><g class="role-axis-label"><text x="10" y="50">first label</text>' +
                  '<text x="30" y="52">second label</text></g><g class="role-legend"><text x="290" y="10">' +
                  'a legend past the edge</text></g></svg>';
  out.appendChild(div);
  const text = document.createElement('div');
  text.className = 'jp-RenderedText';
  text.setAttribute('data-mime-type', 'application/vnd.jupyter.stdout');
  const pre = document.createElement('pre');
  pre.textContent = 'a printed line of words, '.repeat(12) + 'then 0.128 and 1.12';
  text.appendChild(pre);
  out.appendChild(text);
  const box = document.createElement('div');
  box.innerHTML = '<input type="number" value="28" style="width: 12px">';
  out.appendChild(box);
  return true;
}"""


def _checks_catch_injected_defects(page) -> None:
    from appraise.charts.theme import NOTEBOOK_CSS

    page.evaluate(JS_INJECT_DEFECTS, NOTEBOOK_CSS)
    overlaps = page.evaluate(bh.JS_CHART_TEXT_OVERLAPS, OVERLAP_PX)
    clipped = page.evaluate(bh.JS_CLIPPED, {"spinnerPx": SPINNER_PX, "minSliderPx": MIN_SLIDER_PX})
    assert any({o["a"], o["b"]} == {"first label", "second label"} for o in overlaps), overlaps
    kinds = {c["what"] for c in clipped}
    assert {"legend cut off", "printed line broken inside a word",
            "number or text wider than its input"} <= kinds, clipped


def _describe(problems: list) -> str:
    return "\n".join(f"  cell {p.get('cell')}: {p}" for p in problems[:40])


def test_every_lesson_is_listed():
    assert len(LESSONS) >= 10, LESSONS


@pytest.mark.parametrize("name", LESSONS)
def test_lesson_layout_at_1280x800(lab, page, shots, name):
    bh.open_and_run_all(page, lab, f"lessons/{name}")
    bh.wait_for_charts_drawn(page)
    charts = page.evaluate(bh.JS_CHART_STATE)
    assert all(c["kind"] == "svg" for c in charts), f"{name}: charts not drawn as SVG: {charts}"
    saved = _save_chart_shots(page, shots, name)
    print(f"{name}: {len(saved)} chart screenshot(s) in {shots}")
    overlaps = page.evaluate(bh.JS_CHART_TEXT_OVERLAPS, OVERLAP_PX)
    clipped = page.evaluate(bh.JS_CLIPPED, {"spinnerPx": SPINNER_PX, "minSliderPx": MIN_SLIDER_PX})
    assert not overlaps and not clipped, (
        f"{name} at {VIEWPORT['width']}x{VIEWPORT['height']}:\n"
        f"overlapping chart text:\n{_describe(overlaps)}\ncut off or too small:\n{_describe(clipped)}")
    if name == LESSONS[0]:
        _checks_catch_injected_defects(page)     # the checks above can fail
