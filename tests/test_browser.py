"""The lessons as learners meet them: JupyterLab in a real Chromium.

Each lesson is opened in JupyterLab (on a temporary copy of ``lessons/``), its outputs
are cleared and every cell is run from the browser.  The test then asserts what a
learner would see: no error or stderr output, every chart drawn with marks, every
widget view displayed.  In the sample-size and fragility lessons it moves a slider with
the keyboard and checks that the displayed p-value and the chart both change to the
values the library computes.

Needs Debian's ``chromium`` (``sudo apt-get install -y chromium``).  When it is missing
the tests fail in CI (``CI`` set) and are skipped with that instruction elsewhere.
On failure a screenshot of the page is saved in the test's temporary directory.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import browser_harness as bh

pytestmark = [pytest.mark.browser, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[1]
LESSONS = sorted(p.name for p in (REPO / "lessons").glob("[0-9][0-9]-*.ipynb"))
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"


@pytest.fixture
def page(chromium, tmp_path, request):
    context = chromium.new_context(viewport={"width": 1400, "height": 1000})
    pg = context.new_page()
    yield pg
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        shot = tmp_path / f"{request.node.name}.png"
        try:
            pg.screenshot(path=str(shot), full_page=True)
            print(f"screenshot saved: {shot}")
        except Exception as exc:  # the page may be gone; the assertion message matters more
            print(f"screenshot failed: {exc}")
    context.close()


def _committed_widget_outputs(name: str) -> int:
    nb = json.loads((REPO / "lessons" / name).read_text(encoding="utf-8"))
    return sum(
        1
        for cell in nb["cells"] if cell["cell_type"] == "code"
        for out in cell.get("outputs", [])
        if WIDGET_MIME in out.get("data", {})
    )


def test_every_lesson_is_listed():
    assert len(LESSONS) >= 10, LESSONS


@pytest.mark.parametrize("name", LESSONS)
def test_lesson_runs_clean_in_jupyterlab(lab, page, name):
    bh.open_and_run_all(page, lab, f"lessons/{name}")
    problems = page.evaluate(bh.JS_OUTPUT_PROBLEMS)
    assert problems == [], f"{name}: {problems}"

    expected_views = _committed_widget_outputs(name)
    page.wait_for_function(
        "n => { const s = (" + bh.JS_WIDGET_STATE + ")(); return s.rendered >= n; }",
        arg=expected_views, timeout=60_000, polling=250)
    widgets = page.evaluate(bh.JS_WIDGET_STATE)
    assert widgets["empty"] == [], f"{name}: widget views not displayed in cells {widgets['empty']}"
    assert widgets["rendered"] >= expected_views, (name, widgets, expected_views)

    charts = page.evaluate(bh.JS_CHART_STATE)
    undrawn = [i for i, c in enumerate(charts) if not c["drawn"]]
    assert undrawn == [], f"{name}: charts {undrawn} have no marks: {charts}"


def _slider_handle(page, label: str, nth: int = 0):
    slider = page.locator(".widget-slider", has=page.locator(".widget-label", has_text=label)).nth(nth)
    slider.scroll_into_view_if_needed()
    return slider, slider.locator(".noUi-handle")


def _aria_labels(page) -> list[str]:
    return [c["aria"] for c in page.evaluate(bh.JS_CHART_STATE)]


def test_sample_size_slider_moves_p_value_and_chart(lab, page):
    import appraise as ap

    trial = ap.load_trial("mensc-secretome-covid19")
    out = trial.outcome("intubation")
    bh.open_and_run_all(page, lab, "lessons/04-sample-size-and-p-values.ipynb")

    slider, handle = _slider_handle(page, "Patients per arm")
    start = int(slider.locator(".widget-readout").inner_text())
    handle.focus()
    page.keyboard.press("ArrowRight")
    n_new = start + 1
    page.wait_for_function(
        "t => document.body.innerText.includes(t)", arg=f"at {n_new} per arm", timeout=30_000)

    # what the library says for the new size (the explorer's imagined trial has equal arms)
    n_treat = n_ctrl = n_new
    p = ap.pvalue_at_n(out.events_treat / out.n_treat, out.events_ctrl / out.n_ctrl,
                       n_treat=n_treat, n_ctrl=n_ctrl).pvalue
    p_text = f"{p:.3f}"
    text = bh.notebook_text(page)
    assert f"at {n_new} per arm (Fisher): {p_text}" in text.replace("\n", " ")
    # the p-vs-n chart was redrawn for the new size: its accessible reading says so
    page.wait_for_function(
        "t => Array.from(document.querySelectorAll('.vega-embed .chart-wrapper'))"
        ".some(e => (e.getAttribute('aria-label') || '').includes(t))",
        arg=f"At {n_treat} vs {n_ctrl} patients", timeout=30_000)
    assert any(f"At {n_treat} vs {n_ctrl} patients" in a and f"p = {p_text}" in a
               for a in _aria_labels(page)), _aria_labels(page)


def test_fragility_flip_moves_p_value_and_chart(lab, page):
    import appraise as ap

    trial = ap.load_trial("mensc-secretome-covid19")
    a, n1, c, n2 = trial.outcome("intubation").counts
    bh.open_and_run_all(page, lab, "lessons/05-fragility.ipynb")

    slider, handle = _slider_handle(page, "Change in events, treatment")
    handle.focus()
    page.keyboard.press("ArrowLeft")          # one treated patient fewer with the event
    a_new = a - 1
    p = ap.tests_2x2(a_new, n1, c, n2)["fisher"].pvalue
    page.wait_for_function("t => document.body.innerText.includes(t)",
                           arg=f"Fisher p = {p:.3f}", timeout=30_000)
    rfi = ap.reverse_fragility_index(a_new, n1, c, n2) if p >= 0.05 else ap.fragility_index(a_new, n1, c, n2)
    text = bh.notebook_text(page)
    assert f"fragility index = {rfi.index}" in text.lower().replace("\n", " ")
    page.wait_for_function(
        "t => Array.from(document.querySelectorAll('.vega-embed .chart-wrapper'))"
        ".some(e => (e.getAttribute('aria-label') || '').includes(t))",
        arg=f"Treatment: {a_new} of {n1}", timeout=30_000)
