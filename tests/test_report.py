"""Reports: Markdown content, escaped self-contained HTML, stable JSON."""

import json
import re

import pytest
from scipy import stats

from appraise._format import to_json
from appraise.flags import appraise
from appraise.reporting import report, report_data
from appraise.trials import load_trial


@pytest.fixture(scope="module")
def seed():
    return load_trial("mensc-secretome-covid19")


@pytest.fixture(scope="module")
def md(seed):
    return report(seed)


def test_markdown_sections(md):
    assert md.startswith("# Appraisal: Menstrual-blood stromal cell secretome")
    for heading in ("## Design", "## Recomputed outcomes", "### Intubation within 28 days",
                    "## Reported numbers checked", "## Registration", "## Flags",
                    "### Serious", "### Caution", "### For information"):
        assert heading in md
    assert "doi:10.1186/s13287-022-02771-w" in md
    assert "NCT05019287" in md and "129 days after the study started" in md
    assert "2021-01-04: IRCT registration" in md and "(uncertain reading)" in md


def test_markdown_numbers_against_references(md):
    # trial-facts.md (scipy 1.17): intubation Fisher 0.1281, chi-square 0.0894, Yates 0.1910
    assert "| p, Fisher exact | 0.1281 |" in md
    assert "| p, Pearson chi-square | 0.0894 |" in md
    assert "| p, Chi-square, Yates-corrected | 0.1910 |" in md
    # Barnard with arms as scipy's binomial samples (columns): see tests/test_flags.py
    barnard = stats.barnard_exact([[7, 12], [7, 3]]).pvalue
    assert f"| p, Barnard exact | {barnard:.4f} |" in md
    # risks 7/14 = 50.0%, 12/15 = 80.0%; Wilson interval of 7/14 from scipy's binomtest
    ci = stats.binomtest(7, 14).proportion_ci(method="wilson")
    assert f"50.0% ({100 * ci.low:.1f}% to {100 * ci.high:.1f}%)" in md
    assert "| survival-ctrl-pct | 28% | 15 | 4 | none | no |" in md


def test_markdown_lists_every_flag(seed, md):
    for f in appraise(seed):
        assert f"`{f.code}`" in md


def test_json_round_trip_and_stable(seed):
    text = report(seed, format="json")
    assert text == report(seed, format="json")
    data = json.loads(text)
    assert to_json(data) + "\n" == text
    assert [f["code"] for f in data["flags"]] == [f.code for f in appraise(seed)]
    out = data["outcomes"][0]
    assert out["tests"]["fisher"]["pvalue"] == pytest.approx(0.1281, abs=5e-5)
    assert data["registration"]["entries"][0]["days_to_start"] == [129]
    assert data == report_data(seed)


def test_json_has_no_nan_for_zero_cell():
    # capstone 0/12 vs 3/29: the odds ratio has a zero cell; JSON must stay valid
    text = report(load_trial("huc-msc-covid19-shu2020"), format="json")
    json.loads(text, parse_constant=lambda c: pytest.fail(f"non-standard JSON constant {c}"))


def test_html_self_contained(seed):
    page = report(seed, format="html")
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert "<style>" in page and "<script" not in page.lower()
    assert "<link" not in page and "src=" not in page
    assert "Stem Cell Research &amp; Therapy" in page     # & escaped


HOSTILE = "<script>alert(1)</script>"


def test_html_escapes_card_strings(tmp_path):
    from appraise.trials import _cards_dir

    text = (_cards_dir() / "mensc-secretome-covid19.toml").read_text(encoding="utf-8")
    text = text.replace('short_title = "Menstrual-blood stromal cell secretome for severe COVID-19 (14 vs 15)"',
                        f'short_title = "{HOSTILE}"')
    text = text.replace('text = "presented as the first demonstration of this effect"',
                        f'text = "{HOSTILE} for the first time"')
    text = text.replace('text = "pulmonary involvement improved in the secretome group"',
                        f'text = "{HOSTILE}"')
    assert text.count(HOSTILE) == 3
    path = tmp_path / "hostile.toml"
    path.write_text(text, encoding="utf-8")
    trial = load_trial(str(path))
    page = report(trial, format="html")
    assert "<script" not in page.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert page.count("&lt;script&gt;") >= 3


def test_bad_format(seed):
    with pytest.raises(ValueError, match="format.*'pdf'"):
        report(seed, format="pdf")
    with pytest.raises(TypeError, match="format"):
        report(seed, format=None)
    with pytest.raises(TypeError, match="trial must be a Trial"):
        report("mensc-secretome-covid19")


def test_package_report_stays_the_function_after_the_module_is_imported():
    import appraise as ap
    import appraise.reporting  # noqa: F401  (a submodule import sets a package attribute)

    assert callable(ap.report) and ap.report is report


# ---------------------------------------------------------------------------
# nothing dropped, unknown is not "no", each check once
# ---------------------------------------------------------------------------

import appraise as ap  # noqa: E402


@pytest.mark.parametrize("trial_id", ap.list_trials())
def test_every_format_names_every_claim_with_its_verdict(trial_id):
    trial = load_trial(trial_id)
    md, page = report(trial), report(trial, format="html")
    data = json.loads(report(trial, format="json"))
    assert [v["claim_id"] for v in data["claims"]] == [c.id for c in trial.claims]
    for v in data["claims"]:
        assert v["status"] in ("consistent", "inconsistent", "flagged", "not checkable here")
        assert v["summary"]
        if v["status"] == "not checkable here":
            assert v["reason"]
        row_md = next(line for line in md.splitlines() if line.startswith(f"| {v['claim_id']} | {v['kind']} |"))
        assert f"| {v['status']} |" in row_md
        assert f"<td>{v['claim_id']}</td><td>{v['kind']}</td>" in page


@pytest.mark.parametrize("trial_id", ap.list_trials())
def test_not_reported_is_never_rendered_as_no(trial_id):
    trial = load_trial(trial_id)
    md, page = report(trial), report(trial, format="html")
    data = json.loads(report(trial, format="json"))
    labels = {"sample_size_calculation": "Sample-size calculation",
              "multiplicity_adjustment": "Multiplicity adjustment",
              "blinding_participants": "Blinding of participants",
              "blinding_personnel": "Blinding of personnel",
              "blinding_assessors": "Blinding of outcome assessors"}
    for key, label in labels.items():
        value = getattr(trial.design, key)
        words = {None: "not reported", True: "yes", False: "no"}[value]
        assert data["design"][key] is value and data["design_stated"][key] == words
        assert f"- **{label}:** {words}\n" in md
        assert f"<td>{label}</td><td>{words}</td>" in page


def test_seed_design_facts_the_card_omits_are_not_reported(md):
    # the seed card states neither a sample-size calculation nor a multiplicity adjustment
    assert "- **Sample-size calculation:** not reported" in md
    assert "- **Multiplicity adjustment:** not reported" in md
    assert "Multiplicity adjustment:** none" not in md and "Multiplicity adjustment:** no\n" not in md


def test_each_check_runs_once_per_report(seed, monkeypatch):
    import appraise.consistency as cons

    calls = {"check_percentage": 0, "check_reported_p": 0, "check_reported_p_one_sample": 0}
    for name in calls:
        real = getattr(cons, name)

        def counted(*args, _real=real, _name=name, **kwargs):
            calls[_name] += 1
            return _real(*args, **kwargs)

        monkeypatch.setattr(cons, name, counted)
    report(seed)
    n_pct = sum(c.kind == "percentage" for c in seed.claims)
    # one call per claim; a percentage that fails is also tried once per other arm size
    assert calls["check_reported_p"] == 1 and calls["check_reported_p_one_sample"] == 1
    assert calls["check_percentage"] == n_pct + 1     # survival-ctrl-pct also tried at 14


def test_identical_findings_are_grouped(md):
    # six within-group claims: the shared explanation is printed once, each claim listed
    shared = "Patients recovering from an acute illness improve anyway"
    assert md.count(shared) == 1
    assert "`within-group-comparison`, the same finding for 6 claims" in md


# ---------------------------------------------------------------------------
# every card that validates renders, in all three formats
# ---------------------------------------------------------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402

from card_strategies import card_texts, write_card  # noqa: E402


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(text=card_texts())
def test_every_card_that_validates_renders_in_all_formats(tmp_path, text):
    from appraise.trials import validate_card

    path = write_card(tmp_path, text)
    if validate_card(str(path)):
        return                                   # rejected with reasons: nothing to render
    trial = load_trial(str(path))
    md = report(trial)
    page = report(trial, format="html")
    data = json.loads(report(trial, format="json"))
    assert [v["claim_id"] for v in data["claims"]] == [c.id for c in trial.claims]
    for c in trial.claims:
        assert f"| {c.id} |" in md and f"<td>{c.id}</td>" in page
    assert not re.search(r"<[A-Za-z!/?]", md)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(text=card_texts(well_formed=True))
def test_well_formed_generated_cards_validate_and_render(tmp_path, text):
    from appraise.trials import validate_card

    path = write_card(tmp_path, text)
    assert validate_card(str(path)) == []
    trial = load_trial(str(path))
    for fmt in ("markdown", "html", "json"):
        assert report(trial, format=fmt)


LARGE_CARD = """schema_version = 1
id = "large-trial"
short_title = "A trial of ten million per arm"

[citation]
authors = ["A B"]
title = "A large trial"
journal = "J"
year = 2020
doi = "10.1000/large"

[design]
allocation = "randomised"
blinding = "double-blind"
control = "placebo"
population = "Adults"
intervention = "Drug"
comparator = "Placebo"
where = "Methods"

[[arms]]
role = "treatment"
label = "Drug"
n_analysed = 10000000
where = "Table 1"

[[arms]]
role = "control"
label = "Placebo"
n_analysed = 10000000
where = "Table 1"

[[outcomes]]
id = "death"
label = "Death"
event = "died"
event_is_bad = true
events_treat = 2800000
n_treat = 10000000
events_ctrl = 3000000
n_ctrl = 10000000
where = "Table 2"

[[claims]]
id = "death-ctrl-pct"
kind = "percentage"
text = "32%"
outcome = "death"
arm = "control"
where = "Table 2"

[[claims]]
id = "arm-pct"
kind = "percentage"
text = "28%"
arm = "treatment"
denominator = 10000000
where = "Table 2"
"""


def test_long_candidate_lists_are_summarised(tmp_path):
    """28% of 10,000,000 fits 100,000 counts: reports give the first, the last and how many."""
    import time
    from decimal import ROUND_HALF_UP, Decimal

    from appraise._limits import MAX_LISTED_VALUES

    def rounds_to(k, n, pct):   # independent rule: Decimal half-up rounding of 100 k / n
        return (Decimal(100 * k) / Decimal(n)).quantize(Decimal(1), rounding=ROUND_HALF_UP) == pct

    n = 10_000_000
    # The fitting counts run from 2,750,000 (27.5%) to 2,849,999 (28.49999%): 100,000 values.
    assert not rounds_to(2_749_999, n, 28) and rounds_to(2_750_000, n, 28)
    assert rounds_to(2_849_999, n, 28) and not rounds_to(2_850_000, n, 28)
    trial = load_trial(str(write_card(tmp_path, LARGE_CARD, "large-trial.toml")))
    start = time.perf_counter()
    md, page, text = (report(trial, format=f) for f in ("markdown", "html", "json"))
    assert time.perf_counter() - start < 6
    assert len(md) < 20_000 and len(page) < 30_000 and len(text) < 60_000
    assert "2750000/10000000 to 2849999/10000000 (100,000 values)" in md
    assert "3150000/10000000 to 3249999/10000000 (100,000 values)" in md      # 31.5% to < 32.5%
    data = json.loads(text)
    rows = {r["claim"]: r for r in data["checks"]["percentages"]}
    assert rows["arm-pct"]["candidates_count"] == 100_000
    assert rows["arm-pct"]["candidates"] == list(range(2_750_000, 2_750_000 + MAX_LISTED_VALUES))
    assert rows["death-ctrl-pct"]["consistent"] is False
    flag = next(f for f in data["flags"] if f["claim"] == "death-ctrl-pct")
    assert flag["evidence"]["candidates_count"] == 100_000
    assert len(flag["evidence"]["candidates"]) == MAX_LISTED_VALUES
