"""The appraisal worksheet (pure logic and the widget) on every bundled card.

References for the numbers checked here:
* Fisher's exact p: ``scipy.stats.fisher_exact`` on the same table (an implementation
  independent of appraise's own enumeration).
* Exact upper 95% bound for 0 events in n: the closed form ``1 - 0.025 ** (1/n)`` and
  ``scipy.stats.binomtest(0, n).proportion_ci(method="exact")``.
* Reverse fragility: the definition (fewest outcome changes that bring Fisher's p below
  alpha), verified by recomputing Fisher's p with scipy before and after the changes.
* RoB 2 overall: Sterne et al. BMJ 2019;366:l4898, Table 2 (low in every domain -> low;
  high in any domain -> high).
"""

from __future__ import annotations

import dataclasses
import math

import pytest
from scipy import stats

import appraise as ap
from appraise.worksheet import STEPS, Worksheet, escape_html, escape_markdown
from survival_reference import statsmodels_logrank_p

TRIALS = ap.list_trials()
# every card's arms are called treatment and control: the library's generic word for a role
ROLE_WORDS = {"treatment", "control"}


def _md(text: str) -> str:
    """``text`` as escaped in the middle of a Markdown line (line starts escape more)."""
    return escape_markdown("x " + text)[2:]


def _other_card_strings(trial_id: str) -> set[str]:
    """Titles, arm labels and outcome labels of every other card, except strings the card
    itself also contains (a generic label such as 'Control' may be in both)."""
    own = ap.load_trial(trial_id)
    own_source = str(dataclasses.asdict(own))
    found = set()
    for other_id in TRIALS:
        if other_id == trial_id:
            continue
        other = ap.load_trial(other_id)
        for text in (other.short_title, other.citation.title,
                     *(a.label for a in other.arms), *(o.label for o in other.outcomes)):
            if text not in own_source and text.lower() not in ROLE_WORDS:
                found.add(text)
    return found


def _answer_everything(ws: Worksheet) -> None:
    """Answer every question: the library's answer for even positions, another for odd."""
    for i, q in enumerate(ws.questions):
        lib = ws.library_answer(q.id)
        if q.kind == "choice":
            if lib is None or i % 2:
                value = next((o for o in q.options if o != lib), q.options[0])
            else:
                value = lib
        elif q.kind == "number":
            value = float(lib) if i % 2 == 0 else float(lib) + 10 * (q.tolerance + 1)
        else:
            value = f"note {i} on {q.id}"
        ws.answer(q.id, value)


@pytest.mark.parametrize("trial_id", TRIALS)
def test_worksheet_runs_and_exports_on_every_card(trial_id):
    trial = ap.load_trial(trial_id)
    ws = Worksheet(trial)
    assert [s.id for s in ws.steps] == [sid for sid, _ in STEPS]
    assert all(s.facts for s in ws.steps), "every step states at least one fact"
    _answer_everything(ws)
    for i, q in enumerate(ws.questions):
        if q.kind == "text" or ws.library_answer(q.id) is None:
            assert ws.agrees(q.id) is None
        elif q.kind == "number":
            assert ws.agrees(q.id) is (i % 2 == 0), q.id
    md, page = ws.to_markdown(), ws.to_html()
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    for step in ws.steps:
        assert f"## {_md(step.title)}" in md
        assert f"<h2>{escape_html(step.title)}</h2>" in page
    for q in ws.questions:
        assert _md(q.prompt) in md, q.id
        assert escape_html(q.prompt) in page, q.id
    for claim in trial.claims:  # forensics lists every claim with its verdict
        assert _md(claim.text) in md, claim.id
        assert escape_html(claim.text) in page, claim.id
    assert "not answered" not in md  # every answer made it into the export
    for text in _other_card_strings(trial_id):
        assert text not in md and text not in page, f"{trial_id}: another card's {text!r} in the export"


@pytest.mark.parametrize("trial_id", TRIALS)
def test_library_answers_match_independent_references(trial_id):
    trial = ap.load_trial(trial_id)
    ws = Worksheet(trial)
    a, n1, c, n2 = ws.outcome.counts
    p = stats.fisher_exact([[a, n1 - a], [c, n2 - c]])[1]
    assert ws.question("recomputation.fisher-p").library_answer == pytest.approx(p, abs=5e-5)
    for claim in trial.claims:
        if claim.kind == "zero-events" and f"within.zero-{claim.id}" in {q.id for q in ws.questions}:
            from appraise.cards.claims import resolve_claim

            n = resolve_claim(trial, claim).denominator
            closed = 1 - 0.025 ** (1 / n)
            scipy_high = stats.binomtest(0, n).proportion_ci(method="exact").high
            assert closed == pytest.approx(scipy_high, rel=1e-9)
            assert ws.question(f"within.zero-{claim.id}").library_answer == pytest.approx(100 * closed, abs=0.05)


def test_seed_trial_fragility_against_fisher_by_scipy():
    ws = Worksheet(ap.load_trial("mensc-secretome-covid19"), "intubation")
    # 7/14 vs 12/15: p = 0.128 (not significant); one fewer treated event: 0.060; two: 0.025
    assert stats.fisher_exact([[7, 7], [12, 3]])[1] > 0.05
    assert stats.fisher_exact([[6, 8], [12, 3]])[1] > 0.05
    assert stats.fisher_exact([[5, 9], [12, 3]])[1] < 0.05
    assert ws.question("fragility.index").library_answer == 2
    assert ws.question("fragility.significant").library_answer == "no"
    assert ws.question("fragility.fragile").library_answer == "yes"


def test_rob2_overall_follows_the_tool():
    ws = Worksheet(ap.load_trial("mensc-secretome-covid19"))
    assert ws.library_answer("bias.overall") is None
    for d in ("d1", "d2", "d3", "d4"):
        ws.answer(f"bias.{d}", "low")
    assert ws.library_answer("bias.overall") is None  # not all five yet
    ws.answer("bias.d5", "low")
    assert ws.library_answer("bias.overall") == "low"
    ws.answer("bias.d3", "high")
    assert ws.library_answer("bias.overall") == "high"
    ws.answer("bias.overall", "high")
    assert ws.agrees("bias.overall") is True


def test_bad_answers_are_refused_with_the_value():
    ws = Worksheet(ap.load_trial("mensc-secretome-covid19"))
    with pytest.raises(ValueError, match="'maybe'"):
        ws.answer("design.randomised", "maybe")
    with pytest.raises(TypeError, match="'30'"):
        ws.answer("power.power", "30")
    with pytest.raises(ValueError, match="nan"):
        ws.answer("power.power", math.nan)
    with pytest.raises(ValueError, match="at most"):
        ws.answer("design.notes", "x" * 6000)
    with pytest.raises(KeyError, match="no question 'design.nope'"):
        ws.answer("design.nope", "yes")
    with pytest.raises(TypeError, match="Trial"):
        Worksheet("mensc-secretome-covid19")
    ws.answer("design.randomised", "yes")
    ws.answer("design.randomised", None)
    assert "design.randomised" not in ws.answers


HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def _hostile_trial():
    trial = ap.load_trial("mensc-secretome-covid19")
    arms = tuple(dataclasses.replace(a, label=f"{a.role} {HOSTILE}") for a in trial.arms)
    outcomes = tuple(dataclasses.replace(o, label=f"{o.label} {HOSTILE}", event=HOSTILE) for o in trial.outcomes)
    claims = tuple(dataclasses.replace(c, text=HOSTILE) if c.kind in ("conclusion", "statement") else c
                   for c in trial.claims)
    return dataclasses.replace(trial, short_title=HOSTILE, arms=arms, outcomes=outcomes, claims=claims)


def test_hostile_card_and_answer_text_is_escaped():
    ws = Worksheet(_hostile_trial())
    ws.answer("design.notes", HOSTILE)
    md, page = ws.to_markdown(), ws.to_html()
    for out in (md, page):
        assert "<script" not in out and "<img" not in out
    assert "&lt;script&gt;" in page


def test_widget_shows_the_library_after_answering_and_exports(tmp_path):
    from appraise import widgets

    sheet = widgets.AppraisalWorksheet(_hostile_trial())
    assert "<script" not in sheet.widget.children[0].value
    assert sheet.library["recomputation.lower-risk"].value == ""
    sheet.controls["recomputation.lower-risk"].value = "treatment"
    assert "agrees" in sheet.library["recomputation.lower-risk"].value
    sheet.controls["recomputation.fisher-p"].value = "0.5"
    assert "differs" in sheet.library["recomputation.fisher-p"].value
    sheet.controls["recomputation.fisher-p"].value = "not a number"
    assert "not a number" in sheet.status.value
    sheet.controls["design.notes"].value = HOSTILE
    md = sheet.save("markdown", tmp_path)
    page = sheet.save("html", tmp_path)
    assert md.name.endswith(".md") and page.name.endswith(".html")
    assert "<script" not in md.read_text(encoding="utf-8")
    assert "<script" not in page.read_text(encoding="utf-8")
    assert sheet.download_link("html").startswith('<a download="appraisal-')
    with pytest.raises(ValueError, match="'pdf'"):
        sheet.save("pdf", tmp_path)



def _minimal_card() -> str:
    """The minimal card printed in docs/trial-cards.md ("A minimal card")."""
    import re
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[1] / "docs" / "trial-cards.md").read_text(encoding="utf-8")
    return re.search(r"## A minimal card.*?```toml\n(.*?)```", doc, flags=re.S).group(1)


def test_worksheet_on_the_minimal_card_of_the_card_format(tmp_path):
    """The minimal card of docs/trial-cards.md, read from a path: no registration, no
    within-arm or zero-event claims, one p-value."""
    path = tmp_path / "my-card.toml"
    path.write_text(_minimal_card(), encoding="utf-8")
    ws = Worksheet(ap.load_trial(str(path)))
    assert ws.outcome.id == "death-day28"
    # 3/20 vs 7/20: scipy's Fisher exact p, two-sided
    p = stats.fisher_exact([[3, 17], [7, 13]])[1]
    assert ws.question("recomputation.fisher-p").library_answer == pytest.approx(p, abs=5e-5)
    assert ws.question("registration.prospective").library_answer == "cannot tell"
    assert "no within-arm changes" in ws.facts_markdown("within")
    md = ws.to_markdown()
    assert "P = 0.27" in md and "Drug X" in md


def test_forensics_step_checks_time_to_event_figures_against_statsmodels():
    # The seed card's death outcome: 6/14 vs 11/15 deaths by day 28, printed "P < 0.0001".
    trial = ap.load_trial("mensc-secretome-covid19")
    ws = Worksheet(trial)
    step = next(s for s in ws.steps if s.id == "forensics")
    assert any(f.startswith("Log-rank range, outcome death") for f in step.facts)
    q = ws.question("forensics.figure-death-test.p")
    assert q.library_answer == "inconsistent"
    # Independent reference: statsmodels' log-rank on the most extreme ordering (every
    # control death first) gives the smallest p the worksheet states, and it is above 0.0001.
    most_extreme = statsmodels_logrank_p("C" * 11 + "T" * 6, 14, 15)
    least_extreme = statsmodels_logrank_p("T" * 6 + "C" * 11, 14, 15)
    assert most_extreme == pytest.approx(0.0102, abs=5e-5) and most_extreme > 0.0001
    assert least_extreme == pytest.approx(0.4195, abs=5e-5)
    assert "0.0102 to 0.4195" in q.explanation
    ws.answer(q.id, "consistent")
    assert ws.agrees(q.id) is False


def test_forensics_step_checks_continuous_figures_against_scipy():
    # The capstone's baseline ages, 61.00 (17.87) in 12 vs 57.86 (15.79) in 29, printed P = 0.576.
    trial = ap.load_trial("huc-msc-covid19-shu2020")
    ws = Worksheet(trial)
    q = ws.question("forensics.figure-baseline-age-p_between")
    student = stats.ttest_ind_from_stats(61.00, 17.87, 12, 57.86, 15.79, 29, equal_var=True).pvalue
    welch = stats.ttest_ind_from_stats(61.00, 17.87, 12, 57.86, 15.79, 29, equal_var=False).pvalue
    assert round(student, 3) != 0.576 and round(welch, 3) != 0.576   # scipy: 0.580 and 0.603
    assert q.library_answer == "inconsistent"
    # a median and IQR give no t-test: the library says so rather than guess
    assert ws.question("forensics.figure-clinical-improvement-days-p_between").library_answer == "not checkable here"


def test_design_step_carries_the_capstone_randomisation_doubt():
    # trial-facts.md: "individually randomized" (preprint Methods), no method, 12 vs 29,
    # data "collected retrospectively"; the worksheet shows the claim and the doubt
    ws = Worksheet(ap.load_trial("huc-msc-covid19-shu2020"))
    q = ws.question("design.randomised")
    assert q.library_answer == "yes"
    assert "'individually randomized'" in q.explanation and "retrospectively" in q.explanation
    assert "no method" in q.explanation
    # the seed's 14 vs 15, with no retrospective collection, raises no doubt
    seed = Worksheet(ap.load_trial("mensc-secretome-covid19")).question("design.randomised")
    assert seed.explanation == "The card records the allocation as randomised."
