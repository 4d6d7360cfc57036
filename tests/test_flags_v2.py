"""Verdicts and flags on the figures of time-to-event and continuous outcomes (card format 2).

Every expected number comes from an independent computation named beside it: scipy's
log-rank test and Kaplan-Meier estimator (``scipy.stats.logrank``, ``scipy.stats.ecdf`` on
``CensoredData``), a brute-force enumeration of every order of the deaths with the textbook
log-rank formula, scipy's t-tests from summaries, an enumeration of every set of whole-number
scores, and the worked example of Altman & Bland (BMJ 2011;343:d2304).
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import math
import statistics

import numpy as np
import pytest
from scipy import stats

import appraise as ap
from appraise.cards.model import ArmSummary, ContinuousOutcome, HazardRatio, SurvivalTest
from appraise.reporting import report
from appraise.verdicts import assess

SEED, CAPSTONE, GRECCO = "mensc-secretome-covid19", "huc-msc-covid19-shu2020", "colchicine-covid19-grecco19"


@pytest.fixture(scope="module")
def seed():
    return ap.load_trial(SEED)


@pytest.fixture(scope="module")
def seed_assessment(seed):
    return assess(seed)


def _figure(assessment, outcome_id, figure):
    return next(fc for fc in assessment.figures if fc.outcome_id == outcome_id and fc.figure == figure)


def _flags(assessment, code, about=None):
    return [f for f in assessment.flags if f.code == code and (about is None or f.claim == about)]


def _with_tte(trial, **changes):
    """The trial with its time-to-event outcome changed."""
    tte = dataclasses.replace(trial.time_to_event[0], **changes)
    return dataclasses.replace(trial, time_to_event=(tte,))


# ---------------------------------------------------------------------------- log-rank

def _scipy_logrank(ordering, n_treat, n_ctrl):
    """scipy's log-rank p for deaths at times 1, 2, ... in this order, the rest censored at 1000."""
    t_deaths = [i + 1 for i, arm in enumerate(ordering) if arm == "T"]
    c_deaths = [i + 1 for i, arm in enumerate(ordering) if arm == "C"]
    x = stats.CensoredData(uncensored=t_deaths, right=[1000] * (n_treat - len(t_deaths)))
    y = stats.CensoredData(uncensored=c_deaths, right=[1000] * (n_ctrl - len(c_deaths)))
    return stats.logrank(x, y).pvalue


def _all_orderings_p(d1, n1, d0, n0):
    """Two-sided log-rank p of every ordering, by the textbook sums (O - E)**2 / V."""
    total = d1 + d0
    positions = np.array(list(itertools.combinations(range(total), d1)))
    treated = np.zeros((len(positions), total), dtype=bool)
    np.put_along_axis(treated, positions, True, axis=1)
    at_t = n1 - np.concatenate([np.zeros((len(positions), 1)), np.cumsum(treated, axis=1)[:, :-1]], axis=1)
    at_c = n0 - np.concatenate([np.zeros((len(positions), 1)), np.cumsum(~treated, axis=1)[:, :-1]], axis=1)
    at = at_t + at_c
    expected = (at_t / at).sum(axis=1)
    variance = (at_t * at_c / at ** 2).sum(axis=1)
    return stats.chi2.sf((d1 - expected) ** 2 / variance, 1)


def test_seed_logrank_range_against_enumeration_and_scipy(seed_assessment):
    fc = _figure(seed_assessment, "death", "test.p")
    assert (fc.check, fc.text, fc.status) == ("logrank", "P < 0.0001", "inconsistent")
    ev = fc.evidence
    assert ev["counts"] == [6, 14, 11, 15]
    # brute force over all C(17, 6) = 12,376 orders of the 6 treated and 11 control deaths
    every = _all_orderings_p(6, 14, 11, 15)
    assert len(every) == ev["orderings"] == math.comb(17, 6)
    assert ev["low"] == pytest.approx(every.min(), rel=1e-9)
    assert ev["high"] == pytest.approx(every.max(), rel=1e-9)
    # scipy.stats.logrank on the two extreme orderings the evidence names
    assert ev["low"] == pytest.approx(_scipy_logrank(ev["ordering_low"], 14, 15), rel=1e-9)
    assert ev["high"] == pytest.approx(_scipy_logrank(ev["ordering_high"], 14, 15), rel=1e-9)
    # scipy 1.17: 0.010222 (all control deaths first) and 0.41951 (all treated deaths first)
    assert round(ev["low"], 4) == 0.0102 and round(ev["high"], 4) == 0.4195


def test_seed_logrank_flag_and_severity(seed):
    a = assess(seed)
    [flag] = _flags(a, "logrank-p-impossible")
    assert flag.claim == "death" and flag.severity == "caution"       # censoring not reported
    assert flag.evidence["censored_before_end"] is None and "not say" in flag.message
    assert "0.0102" in flag.message and "0.4195" in flag.message
    complete = assess(_with_tte(seed, censored_before_end=False))
    assert [f.severity for f in _flags(complete, "logrank-p-impossible")] == ["serious"]
    censored = assess(_with_tte(seed, censored_before_end=True))
    assert not _flags(censored, "logrank-p-impossible")
    assert _figure(censored, "death", "test.p").status == "not checkable here"


@pytest.mark.parametrize(("printed", "fits"), [
    ("P = 0.03", True), ("P < 0.05", True), ("P = 0.42", True), ("P = 0.5", False),
    ("P = 0.01", True),     # 0.0102 rounds to 0.01
    ("P = 0.009", False), ("P > 0.5", False), ("P < 0.01", False)])
def test_printed_p_against_the_range(seed, printed, fits):
    # the range is [0.010222, 0.41951] (enumeration above); "=" allows the p's rounding
    a = assess(_with_tte(seed, test=SurvivalTest(p=printed, where="test")))
    fc = _figure(a, "death", "test.p")
    assert (fc.status == "consistent") is fits
    assert bool(_flags(a, "logrank-p-impossible")) is not fits


# ---------------------------------------------------------------------------- Kaplan-Meier

def _km(deaths, censored, n):
    """scipy's Kaplan-Meier estimate after these events: deaths at the given times,
    censoring at the given times, everyone else followed past the last."""
    rest = n - len(deaths) - len(censored)
    data = stats.CensoredData(uncensored=deaths, right=list(censored) + [1000] * rest)
    return float(stats.ecdf(data).sf.evaluate(999))


def test_seed_control_28_percent_is_no_kaplan_meier_estimate(seed_assessment):
    fc = _figure(seed_assessment, "death", "km[0].ctrl")
    assert (fc.check, fc.status) == ("km", "inconsistent")
    [flag] = _flags(seed_assessment, "km-percentage", "death")
    assert flag.severity == "caution" and flag.evidence["events_considered"] == [11]
    # independent: with 11 deaths among 15, censoring only lowers the estimate below 4/15 = 26.7%,
    # which is below 27.5% (the lowest value printing as 28%): scipy's estimator on random patterns
    rng = np.random.default_rng(20221)
    for _ in range(200):
        k = int(rng.integers(0, 5))
        times = rng.permutation(np.arange(1, 12 + k))
        deaths, censored = sorted(times[:11]), sorted(times[11:])
        assert _km(deaths, censored, 15) <= 4 / 15 + 1e-12 < 0.275
    # the treated arm's 57% is 8/14 survivors, no one censored
    treat = _figure(seed_assessment, "death", "km[0].treat")
    assert treat.status == "consistent" and treat.evidence["survivors_fitting_without_censoring"] == [8]


def test_grecco_kaplan_meier_figures_are_info_not_typing_errors():
    a = assess(ap.load_trial(GRECCO))
    flags = {f.claim: f for f in _flags(a, "km-percentage")}
    assert set(flags) == {"event-free-10d-treat", "event-free-10d-ctrl"}
    assert {f.severity for f in flags.values()} == {"info"}
    # the percentage flag defers to the Kaplan-Meier reading for a time-to-event outcome
    assert not [f for f in a.flags if f.code == "percentage-inconsistent" and f.claim.startswith("event-free")]
    # 83% of 50 is no s/50 (41/50 = 82%, 42/50 = 84%), but 8 censored before 7 deaths gives
    # 35/42 = 83.3% (scipy's Kaplan-Meier estimator); the flag says at least 8 censored
    assert [s for s in range(51) if round(100 * s / 50) == 83] == []
    assert round(100 * _km(list(range(2, 9)), [1] * 8, 50)) == 83
    assert flags["event-free-10d-ctrl"].evidence["fewest_censored"] == 8
    # 97% of 55: one event with 39 at risk gives 38/39 = 97.4% (16 censored before it)
    assert round(100 * _km([2], [1] * 16, 55)) == 97
    assert flags["event-free-10d-treat"].evidence["fewest_censored"] == 16
    verdicts = {v.claim_id: v for v in a.verdicts}
    assert verdicts["event-free-10d-ctrl"].status == "flagged"
    assert "km-percentage" in verdicts["event-free-10d-ctrl"].flag_codes


# ---------------------------------------------------------------------------- interval and p

def test_hazard_ratio_interval_against_p_altman_bland(seed):
    # Altman & Bland, BMJ 2011;343:d2304: HR 0.81 (95% CI 0.70 to 0.94) gives P = 0.005
    hr = HazardRatio(estimate="0.81", low="0.70", high="0.94", where="test")
    ok = assess(_with_tte(seed, hazard_ratio=hr, test=SurvivalTest(p="P = 0.005", where="test")))
    fc = _figure(ok, "death", "hazard_ratio")
    assert fc.status == "consistent" and not _flags(ok, "ci-p-inconsistent")
    # z = ln(0.81) / ((ln 0.94 - ln 0.70) / (2 x 1.96)); scipy's normal tail
    z = math.log(0.81) / ((math.log(0.94) - math.log(0.70)) / (2 * stats.norm.isf(0.025)))
    assert fc.evidence["pvalue"] == pytest.approx(2 * stats.norm.sf(abs(z)), rel=1e-9)
    bad = assess(_with_tte(seed, hazard_ratio=hr, test=SurvivalTest(p="P < 0.001", where="test")))
    [flag] = _flags(bad, "ci-p-inconsistent")
    assert flag.claim == "death" and flag.severity == "caution"


# ---------------------------------------------------------------------------- continuous

def test_capstone_baseline_age_p_is_no_t_test():
    a = assess(ap.load_trial(CAPSTONE))
    [flag] = _flags(a, "ttest-irreproducible")
    assert flag.claim == "baseline-age" and flag.severity == "caution"
    ranges = flag.evidence["ranges"]
    # scipy.stats.ttest_ind_from_stats over the corners of the rounding box of
    # 61.00 (17.87), n = 12 vs 57.86 (15.79), n = 29 (means +/- 0.005, SDs +/- 0.005)
    for name, equal_var in (("student", True), ("welch", False)):
        corners = [stats.ttest_ind_from_stats(61.00 + a1, 17.87 + s1, 12, 57.86 + a0, 15.79 + s0, 29,
                                              equal_var=equal_var).pvalue
                   for a1, s1, a0, s0 in itertools.product((-0.005, 0.005), repeat=4)]
        low, high = ranges[name]
        assert low <= min(corners) + 1e-9 and high >= max(corners) - 1e-9
        assert high - low < 0.01
    assert (round(ranges["student"][0], 3), round(ranges["student"][1], 3)) == (0.579, 0.582)
    assert (round(ranges["welch"][0], 3), round(ranges["welch"][1], 3)) == (0.602, 0.604)
    improvement = _figure(a, "clinical-improvement-days", "p_between")
    assert improvement.status == "not checkable here" and "median" in improvement.summary


def _with_scale(trial, treat_mean, treat_sd, *, n=5, p_between=None):
    score = ContinuousOutcome(
        id="score", label="Symptom score", timing="follow-up",
        treatment=ArmSummary(n=n, mean=treat_mean, sd=treat_sd, where="test"),
        control=ArmSummary(n=n, mean="3.40", sd="1.14", where="test"),
        scale_min=1, scale_max=7, items=1, p_between=p_between, where="test")
    return dataclasses.replace(trial, continuous_outcomes=(score,), schema_version=2)


def _attainable(n, total, low=1, high=7):
    """Every SD (2 decimals) of n whole scores from low to high summing to total."""
    return {f"{statistics.stdev(c):.2f}" for c in itertools.combinations_with_replacement(range(low, high + 1), n)
            if sum(c) == total}


def test_grim_and_grimmer_on_a_scale_of_whole_numbers(seed):
    # 5 whole scores: means are multiples of 0.2, so "3.30" is impossible and "3.40" (sum 17) possible
    assert not any(round(s / 5, 2) == 3.30 for s in range(5, 36))
    a = assess(_with_scale(seed, "3.30", "1.14"))
    [flag] = _flags(a, "grim-inconsistent")
    assert flag.claim == "score" and flag.evidence["arm"] == "treatment"
    # with mean 3.40 the SD 1.14 is attainable but 1.15 is not (every set of 5 scores 1-7 summing to 17)
    sds = _attainable(5, 17)
    assert "1.14" in sds and "1.15" not in sds
    assert not _flags(assess(_with_scale(seed, "3.40", "1.14")), "grimmer-inconsistent")
    [flag] = _flags(assess(_with_scale(seed, "3.40", "1.15")), "grimmer-inconsistent")
    assert flag.evidence["sd"] == "1.15"
    # without items the data need not be whole numbers: no GRIM check at all
    plain = _with_scale(seed, "3.30", "1.14")
    plain = dataclasses.replace(plain, continuous_outcomes=(dataclasses.replace(plain.continuous_outcomes[0],
                                                                                items=None),))
    assert not [fc for fc in assess(plain).figures if fc.check in ("grim", "grimmer")]


def test_between_arm_p_of_a_scale_against_scipy(seed):
    # 3.40 (1.14) vs 3.40 (1.14), 5 per arm: t = 0, p = 1 at the printed figures (scipy)
    assert stats.ttest_ind_from_stats(3.4, 1.14, 5, 3.4, 1.14, 5).pvalue == pytest.approx(1.0)
    assert not _flags(assess(_with_scale(seed, "3.40", "1.14", p_between="P = 0.99")), "ttest-irreproducible")
    assert _flags(assess(_with_scale(seed, "3.40", "1.14", p_between="P = 0.04")), "ttest-irreproducible")


# ---------------------------------------------------------------------------- within-arm

def test_within_arm_flag_says_what_the_p_implies(seed_assessment):
    [flag] = _flags(seed_assessment, "within-group-comparison", "cd4-change")
    ev = flag.evidence
    # "P = 0.06" means p in [0.055, 0.065); paired t with 13 df: scipy's t quantiles
    assert ev["n"] == 14
    assert ev["t_low"] == pytest.approx(stats.t.isf(0.065 / 2, 13), rel=1e-9)
    assert ev["t_high"] == pytest.approx(stats.t.isf(0.055 / 2, 13), rel=1e-9)
    assert ev["effect_low"] == pytest.approx(ev["t_low"] / math.sqrt(14), rel=1e-12)
    assert "nothing about how the control arm changed" in flag.message
    [crp] = _flags(seed_assessment, "within-group-comparison", "crp-change")
    # "P < 0.001": t above scipy's t.isf(0.0005, 13), no upper limit
    assert crp.evidence["t_low"] == pytest.approx(stats.t.isf(0.0005, 13), rel=1e-9)
    assert crp.evidence["t_high"] is None          # infinity, written as None in JSON-ready evidence
    assert "at least 1.13 standard deviations" in crp.message     # 4.221 / sqrt(14)


def test_within_arm_p_recorded_on_a_continuous_outcome(seed):
    trial = _with_scale(seed, "3.40", "1.14")
    score = dataclasses.replace(trial.continuous_outcomes[0], p_within_treat="P < 0.05")
    a = assess(dataclasses.replace(trial, continuous_outcomes=(score,)))
    [flag] = _flags(a, "within-group-comparison", "score")
    assert flag.evidence["t_low"] == pytest.approx(stats.t.isf(0.025, 4), rel=1e-9)


# ---------------------------------------------------------------------------- binary claims kept

def test_seed_binary_survival_claims_unchanged(seed, seed_assessment):
    # lessons 01-09 read survival as 8/14 vs 4/15: the claims still check against it
    assert seed.outcome("survival").counts == (8, 14, 4, 15)
    verdicts = {v.claim_id: v for v in seed_assessment.verdicts}
    assert verdicts["survival-p"].status == "inconsistent"
    assert "p-value-irreproducible" in verdicts["survival-p"].flag_codes
    assert _flags(seed_assessment, "percentage-inconsistent", "survival-ctrl-pct")


# ---------------------------------------------------------------------------- report

def test_report_gives_the_logrank_verdict_on_survival(seed):
    md = report(seed)
    section = md.split("## Survival and continuous outcomes checked", 1)[1].split("\n## ", 1)[0]
    assert "log-rank" in section and "0.0102" in section and "0.4195" in section
    assert "P < 0.0001 lies outside it" in section
    assert "`logrank-p-impossible`" in md
    html = report(seed, format="html")
    assert "Survival and continuous outcomes checked" in html and "P &lt; 0.0001 lies outside it" in html
    data = json.loads(report(seed, format="json"))
    rows = [r for r in data["outcome_figures"] if r["check"] == "logrank"]
    assert [(r["outcome"], r["status"]) for r in rows] == [("death", "inconsistent")]
    assert rows[0]["evidence"]["low"] == pytest.approx(0.010222, abs=5e-7)


def test_cli_report_prints_the_logrank_verdict(capsys):
    from appraise.__main__ import main

    assert main(["report", SEED]) in (0, None)
    out = capsys.readouterr().out
    assert "logrank-p-impossible" in out and "0.0102" in out


def test_every_bundled_card_assesses_quickly():
    import time

    for trial_id in ap.list_trials():
        trial = ap.load_trial(trial_id)
        start = time.perf_counter()
        a = assess(trial)
        assert time.perf_counter() - start < 2.0, trial_id
        for fc in a.figures:
            assert fc.status in ("consistent", "inconsistent", "flagged", "not checkable here")
            json.dumps(fc.evidence)


# ---------------------------------------------------------------------------- generated cards

from hypothesis import HealthCheck, given, settings  # noqa: E402

from card_strategies import card_texts, write_card  # noqa: E402


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(text=card_texts(well_formed=True, format2=True))
def test_generated_format2_cards_are_assessed_and_rendered(tmp_path, text):
    import re
    import time

    path = write_card(tmp_path, text)
    assert ap.validate_card(str(path)) == []
    trial = ap.load_trial(str(path))
    start = time.perf_counter()
    a = assess(trial)
    assert time.perf_counter() - start < 2.0
    checked = {(fc.outcome_id, fc.figure) for fc in a.figures}
    for o in trial.time_to_event:
        if o.test is not None:
            assert (o.id, "test.p") in checked or any(c.outcome == o.id for c in trial.claims)
    for f in a.flags:
        json.dumps(f.evidence, allow_nan=False)
    md = report(trial)
    data = json.loads(report(trial, format="json"))
    assert len(data["outcome_figures"]) == len(a.figures) + sum(len(r.figures) for r in a.results.values())
    assert not re.search(r"<[A-Za-z!/?]", md)
    assert report(trial, format="html")
