"""Survival forensics: log-rank range, CI <-> p, Kaplan–Meier percentages.

References:
* the log-rank p of each ordering from statsmodels' independent implementation
  (``statsmodels.duration.survfunc.survdiff``), brute force over every ordering;
* Kaplan–Meier estimates from statsmodels' ``SurvfuncRight``;
* Altman & Bland, BMJ 2011;343:d2090 and d2304 worked examples (quoted below).
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import chi2
from statsmodels.duration.survfunc import SurvfuncRight, survdiff

import appraise as ap
from appraise import _logrank_paths as paths
from appraise.consistency import check_percentage
from appraise.survival import (MAX_LOGRANK_NODES, check_ci_p, check_km_percentage, ci_from_pvalue,
                               logrank_pvalue_range, logrank_test_ordering, pvalue_from_ci)


def reference_p(ordering: str, n_treat: int, n_ctrl: int) -> float:
    """statsmodels' log-rank p for deaths at times 1, 2, ... in the given arm order,
    everyone else censored after the last death."""
    last = len(ordering) + 1
    times, status, group = [], [], []
    for t, arm in enumerate(ordering, start=1):
        times.append(t)
        status.append(1)
        group.append(1 if arm == "T" else 0)
    for arm, n in ((1, n_treat), (0, n_ctrl)):
        dead = sum(1 for a in ordering if (a == "T") == (arm == 1))
        times += [last] * (n - dead)
        status += [0] * (n - dead)
        group += [arm] * (n - dead)
    statistic = survdiff(np.array(times, float), np.array(status), np.array(group))[0]
    # statsmodels' own p is 1 - cdf, which loses everything below ~1e-13; its statistic
    # is the independent part, turned into p by the chi-square upper tail
    return float(chi2.sf(statistic, 1))


def all_reference_ps(d1, n1, d0, n0):
    total = d1 + d0
    out = {}
    for positions in itertools.combinations(range(total), d1):
        ordering = "".join("T" if i in positions else "C" for i in range(total))
        out[ordering] = reference_p(ordering, n1, n0)
    return out


# every (events_treat, n_treat, events_ctrl, n_ctrl) with arms up to 6, events >= 1 in all
BRUTE_CASES = [(d1, n1, d0, n0) for n1 in (1, 3, 6) for n0 in (2, 4, 6)
               for d1 in range(0, n1 + 1) for d0 in range(0, n0 + 1) if d1 + d0 >= 1]


@pytest.mark.parametrize("d1,n1,d0,n0", BRUTE_CASES)
def test_range_equals_brute_force_over_orderings(d1, n1, d0, n0):
    ps = all_reference_ps(d1, n1, d0, n0)
    result = logrank_pvalue_range(d1, n1, d0, n0)
    assert result.low == pytest.approx(min(ps.values()), rel=1e-9, abs=1e-12)
    assert result.high == pytest.approx(max(ps.values()), rel=1e-9, abs=1e-12)
    assert result.high_exact
    assert result.orderings == len(ps)
    # the orderings returned attain the extremes (by the reference implementation)
    assert ps[result.ordering_low] == pytest.approx(result.low, rel=1e-9, abs=1e-12)
    assert ps[result.ordering_high] == pytest.approx(result.high, rel=1e-9, abs=1e-12)


@pytest.mark.parametrize("d1,n1,d0,n0", [(5, 8, 7, 9), (7, 12, 2, 12), (3, 20, 9, 10), (6, 14, 11, 15)])
def test_range_equals_brute_force_larger(d1, n1, d0, n0):
    ps = all_reference_ps(d1, n1, d0, n0) if math.comb(d1 + d0, d1) <= 20_000 else None
    result = logrank_pvalue_range(d1, n1, d0, n0)
    if ps is None:  # too many for statsmodels one by one: vectorised enumeration instead
        big_e, big_v, _ = paths.all_orderings(n1, n0, d1, d0)
        from scipy import stats
        values = stats.chi2.sf((d1 - big_e) ** 2 / big_v, 1)
        ps = {"min": values.min(), "max": values.max()}
    assert result.low == pytest.approx(min(ps.values()), rel=1e-9)
    assert result.high == pytest.approx(max(ps.values()), rel=1e-9)


def pareto_reference(n1, n0, d1, d0):
    """Smallest Z**2 by Pareto fronts of (E, V) per lattice node, written independently
    of the library: valid when every ordering has E on one side of O, where a smaller
    |O - E| and a larger V are both better, so dominated partial paths can be dropped."""
    observed = d1
    first_e = sum((n1 - i) / (n1 - i + n0) for i in range(d1)) + sum(
        (n1 - d1) / (n1 - d1 + n0 - j) for j in range(d0))
    sign = 1 if first_e >= observed else -1  # sign * (E - O) >= 0 for every ordering
    fronts = {(0, 0): [(0.0, 0.0, "")]}
    for i in range(d1 + 1):
        for j in range(d0 + 1):
            if (i, j) == (0, 0):
                continue
            points = []
            for pi, pj, arm in ((i - 1, j, "T"), (i, j - 1, "C")):
                if pi < 0 or pj < 0:
                    continue
                a, b = n1 - pi, n0 - pj
                for big_e, big_v, o in fronts[pi, pj]:
                    points.append((big_e + a / (a + b), big_v + a * b / (a + b) ** 2, o + arm))
            points.sort(key=lambda p: (sign * p[0], -p[1]))
            front, best_v = [], -1.0
            for point in points:  # keep the points no other beats on both E and V
                if point[1] > best_v:
                    front.append(point)
                    best_v = point[1]
            fronts[i, j] = front
    finals = fronts[d1, d0]
    xs = [big_e - observed for big_e, _, _ in finals]
    assert all(x > 0 for x in xs) or all(x < 0 for x in xs)
    return min(((observed - big_e) ** 2 / big_v, o) for big_e, big_v, o in finals)


@pytest.mark.parametrize("d1,n1,d0,n0", [(5, 20, 15, 20), (10, 30, 8, 10), (12, 60, 6, 60),
                                          (9, 40, 12, 13), (14, 14, 4, 30), (30, 100, 25, 40)])
def test_largest_p_beyond_listing_equals_pareto_reference(d1, n1, d0, n0):
    from appraise import survival
    from scipy import stats
    old = survival.MAX_LISTED_CELLS
    survival.MAX_LISTED_CELLS = 0  # force the tangent search
    try:
        result = logrank_pvalue_range(d1, n1, d0, n0)
    finally:
        survival.MAX_LISTED_CELLS = old
    z2, ordering = pareto_reference(n1, n0, d1, d0)
    assert result.method == "tangent" and result.high_exact
    assert result.high == pytest.approx(stats.chi2.sf(z2, 1), rel=1e-9)
    assert reference_p(result.ordering_high, n1, n0) == pytest.approx(result.high, rel=1e-9)


def test_seed_trial_range_nowhere_near_reported_p():
    # seed trial: 6/14 treated vs 11/15 control deaths, complete 28-day follow-up,
    # reported "P < 0.0001" for survival
    result = logrank_pvalue_range(6, 14, 11, 15)
    ps = all_reference_ps(6, 14, 11, 15)  # 12,376 orderings through statsmodels
    assert result.orderings == 12_376 == len(ps)
    assert result.low == pytest.approx(min(ps.values()), rel=1e-9)
    assert result.high == pytest.approx(max(ps.values()), rel=1e-9)
    assert result.low > 0.01  # a hundred times the printed bound 0.0001
    assert result.high_exact and result.method == "listed"


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_random_ordering_lies_within_range(data):
    n1 = data.draw(st.integers(1, 40), label="n_treat")
    n0 = data.draw(st.integers(1, 40), label="n_ctrl")
    d1 = data.draw(st.integers(0, n1), label="events_treat")
    d0 = data.draw(st.integers(0, n0), label="events_ctrl")
    arms = ["T"] * d1 + ["C"] * d0
    ordering = "".join(data.draw(st.permutations(arms), label="ordering"))
    result = logrank_pvalue_range(d1, n1, d0, n0)
    if not ordering:
        assert result.low == result.high == 1.0
        return
    p = reference_p(ordering, n1, n0)
    # statsmodels sums its variance with ~1e-8 relative error in the statistic (checked
    # against exact fractions), so compare at 1e-6 relative in p
    assert result.low <= p * (1 + 1e-6)
    assert p <= result.high * (1 + 1e-6) or not result.high_exact and p <= 1.0
    assert logrank_test_ordering(ordering, n1, n0).pvalue == pytest.approx(p, rel=1e-6)


def test_large_arms_run_and_bound_each_other():
    result = logrank_pvalue_range(40, 100, 60, 100)
    assert 0 < result.low < result.high <= 1
    for ordering in (result.ordering_low, result.ordering_high):
        assert ordering.count("T") == 40 and ordering.count("C") == 60
    assert reference_p(result.ordering_low, 100, 100) == pytest.approx(result.low, rel=1e-9)
    assert reference_p(result.ordering_high, 100, 100) == pytest.approx(result.high, rel=1e-9)


def test_degenerate_cases():
    none = logrank_pvalue_range(0, 10, 0, 12)
    assert (none.low, none.high, none.method) == (1.0, 1.0, "no events")
    one_arm = logrank_pvalue_range(0, 5, 4, 5)
    assert one_arm.low == one_arm.high == pytest.approx(reference_p("CCCC", 5, 5), rel=1e-12)
    everyone = logrank_pvalue_range(3, 3, 4, 4)  # all die: still defined
    assert 0 < everyone.low <= everyone.high <= 1


def test_bad_input_names_the_argument():
    with pytest.raises(ValueError, match="events_treat"):
        logrank_pvalue_range(15, 14, 11, 15)
    with pytest.raises(TypeError, match="n_ctrl"):
        logrank_pvalue_range(6, 14, 11, 15.0)
    with pytest.raises(ValueError, match=r"\(events_treat \+ 1\) \* \(events_ctrl \+ 1\)"):
        logrank_pvalue_range(1000, 1000, 1000, 1000)
    assert MAX_LOGRANK_NODES >= 201 * 301  # 500 per arm with 200 vs 300 deaths accepted
    with pytest.raises(ValueError, match="ordering"):
        logrank_test_ordering("TXC", 5, 5)


# ------------------------------------------------------------------ CI <-> p

def test_ci_from_p_altman_bland_difference():
    # Altman & Bland, BMJ 2011;343:d2090: "more patients in the zinc group than in the
    # control group recovered by two days (49% v 32%, P=0.032) ... Est = 17 percentage
    # points ... z = -0.862 + sqrt[0.743 - 2.404 log(0.032)] = 2.141; SE = 17/2.141 =
    # 7.940 ... 95% CI is 17.0 - 15.56 to 17.0 + 15.56, or 1.4 to 32.6 percentage points."
    ci = ci_from_pvalue(17, 0.032, method="altman-bland")
    assert (round(ci.low, 1), round(ci.high, 1)) == (1.4, 32.6)
    assert (ci.high - ci.estimate) / 1.96 == pytest.approx(7.940, abs=5e-4)
    # the exact normal version differs only in the third figure
    exact = ci_from_pvalue(17, 0.032)
    assert exact.low == pytest.approx(1.4, abs=0.1) and exact.high == pytest.approx(32.6, abs=0.1)


def test_ci_from_p_altman_bland_ratio():
    # d2090 example (b), relative risk 0.30 with P = 0.034 (Lindblad 1994), as computed
    # in R from the paper's steps (vaszar.org, "Obtain the CI from a p-value", 2021):
    #   z <- -0.862 + sqrt(0.743 - 2.404 * log(p)); z   ## [1] 2.116569
    #   se <- abs(log(est)/z); se                         ## [1] 0.5688323
    #   ## 0.30 (95%CI 0.10 - 0.90 )    [limits printed to 1 decimal]
    ci = ci_from_pvalue(0.30, 0.034, ratio=True, method="altman-bland")
    assert math.log(ci.high / ci.estimate) / 1.96 == pytest.approx(0.5688323, rel=1e-6)
    assert (round(ci.low, 1), round(ci.high, 1)) == (0.1, 0.9)


def test_p_from_ci_altman_bland_ratio():
    # Altman & Bland, BMJ 2011;343:d2304, ratio example as quoted with the paper's
    # formulas (gist peterdalle/18c844ef, "Convert 95% confidence interval to a
    # p-value"): "0.81, 95% CI [0.70, 0.94] to p-value = 0.005."
    approx = pvalue_from_ci(0.81, 0.70, 0.94, ratio=True, method="altman-bland")
    exact = pvalue_from_ci(0.81, 0.70, 0.94, ratio=True)
    assert round(approx.pvalue, 3) == 0.005 and round(exact.pvalue, 3) == 0.005
    # exact normal: z from the log-scale interval, p from scipy's normal tail
    from scipy import stats
    se = (math.log(0.94) - math.log(0.70)) / (2 * stats.norm.isf(0.025))
    assert exact.statistic == pytest.approx(math.log(0.81) / se, rel=1e-12)


def test_p_and_ci_are_inverse():
    for est, p, ratio in [(17, 0.032, False), (0.3, 0.034, True), (-2.5, 0.2, False), (1.8, 1e-6, True)]:
        ci = ci_from_pvalue(est, p, ratio=ratio, level=0.9)
        back = pvalue_from_ci(est, ci.low, ci.high, ratio=ratio, level=0.9)
        assert back.pvalue == pytest.approx(p, rel=1e-9)


def test_check_ci_p_allows_rounding():
    assert check_ci_p("0.81", "0.70", "0.94", "P = 0.005", ratio=True).consistent
    assert not check_ci_p("0.81", "0.70", "0.94", "P < 0.001", ratio=True).consistent
    # d2090 zinc example: 17 (1.4 to 32.6) and P = 0.032 agree
    assert check_ci_p("17", "1.4", "32.6", "P=0.032").consistent
    # an interval that includes no effect cannot go with P < 0.05
    check = check_ci_p("0.62", "0.37", "1.05", "P < 0.05", ratio=True)
    assert not check.consistent and check.pvalue_low > 0.05


def test_ci_p_bad_input():
    with pytest.raises(ValueError, match="low"):
        pvalue_from_ci(1.0, 2.0, 1.5)
    with pytest.raises(ValueError, match="estimate"):
        pvalue_from_ci(-0.5, 0.2, 0.9, ratio=True)
    with pytest.raises(ValueError, match="p must"):
        ci_from_pvalue(1.0, 1.5)
    with pytest.raises(ValueError, match="estimate must not be 0"):
        ci_from_pvalue(0.0, 0.5)
    with pytest.raises(TypeError, match="ratio"):
        pvalue_from_ci(1.0, 0.5, 2.0, ratio="yes")


# ------------------------------------------------------------------ Kaplan–Meier

def km_reference(pattern, n):
    """statsmodels' Kaplan–Meier estimate after the pattern's last death."""
    times, status, t = [], [], 0
    for c in pattern.censored_before:
        for _ in range(c):
            t += 1
            times.append(t)
            status.append(0)
        t += 1
        times.append(t)
        status.append(1)
    alive = n - len(times)
    times += [t + 1] * alive
    status += [0] * alive
    fit = SurvfuncRight(np.array(times, float), np.array(status))
    return float(fit.surv_prob[fit.surv_times <= t][-1])


def test_km_seed_control_arm():
    # seed control arm: "28%" survival of 15
    check = check_km_percentage("28%", 15)
    assert check.consistent and check.without_censoring == ()
    assert check.fewest_censored == 2
    for pattern in check.examples:
        value = km_reference(pattern, 15)
        assert value == pytest.approx(pattern.survival, rel=1e-12)
        assert 27.5 <= 100 * value < 28.5
    assert not check_km_percentage("28%", 15, events=11).consistent


@pytest.mark.parametrize("reported,n", [("28%", 14), ("57%", 14), ("33.3%", 15), ("50%", 7), ("0%", 9),
                                        ("100%", 4), ("12.5", 8)])
def test_km_without_censoring_equals_check_percentage(reported, n):
    check = check_km_percentage(reported, n, max_censored=0)
    assert check.without_censoring == check_percentage(reported, n).by_rounding
    assert check.consistent == bool(check_percentage(reported, n).by_rounding)


@pytest.mark.parametrize("n,max_censored", [(8, 8), (12, 3)])
def test_km_every_matching_pattern_is_a_km_estimate(n, max_censored):
    check = check_km_percentage("40%", n, max_censored=max_censored, max_examples=1000)
    assert check.matching == len(check.examples) or len(check.examples) == 1000
    for pattern in check.examples:
        assert 39.5 <= 100 * km_reference(pattern, n) < 40.5
        assert pattern.censored <= max_censored


def test_km_bad_input():
    with pytest.raises(ValueError, match="patterns for n and max_censored"):
        check_km_percentage("28%", 60)
    with pytest.raises(ValueError, match="events"):
        check_km_percentage("28%", 15, events=16)
    with pytest.raises(ValueError, match="reported"):
        check_km_percentage("twenty", 15)


def test_exported_lazily():
    assert ap.logrank_pvalue_range is logrank_pvalue_range
    assert ap.check_km_percentage is check_km_percentage
    assert ap.pvalue_from_ci is pvalue_from_ci and ap.ci_from_pvalue is ci_from_pvalue


# ------------------------------------------------------------------ chart

def test_orderings_chart_seed_trial():
    from appraise.charts import chart_spec, reading
    from appraise.charts.survival import CURVE_POINTS, logrank_orderings_chart
    from appraise.survival import logrank_pvalues_over_orderings

    result = logrank_pvalue_range(6, 14, 11, 15)
    ps = logrank_pvalues_over_orderings(6, 14, 11, 15)
    # the listing agrees with statsmodels ordering by ordering (sorted)
    reference = sorted(all_reference_ps(6, 14, 11, 15).values())
    np.testing.assert_allclose(ps, reference, rtol=1e-9)
    chart = logrank_orderings_chart(result, reported_p="P < 0.0001", pvalues=ps)
    spec = chart.to_dict()
    assert len(spec["layer"]) == 3
    curve = [layer for layer in spec["layer"] if layer["mark"]["type"] == "line"][0]
    values = curve["data"]["values"] if "values" in curve["data"] else spec["datasets"][curve["data"]["name"]]
    assert len(values) == CURVE_POINTS
    assert values[0]["p-value"] == pytest.approx(result.low) and values[-1]["p-value"] == pytest.approx(result.high)
    assert [v["share of orderings (%)"] for v in values] == sorted(v["share of orderings (%)"] for v in values)
    assert "below every one of them" in chart.description
    assert " ".join(reading(chart).split("\n")) == chart.description
    assert chart_spec(logrank_orderings_chart, result, reported_p="P < 0.0001", pvalues=ps)["description"] \
        == chart.description


def test_orderings_chart_without_listing_and_bad_input():
    from appraise.charts.survival import logrank_orderings_chart

    result = logrank_pvalue_range(40, 100, 60, 100)
    chart = logrank_orderings_chart(result, reported_p="0.01")
    assert "lies within that range" in chart.description
    assert logrank_orderings_chart(result, reported_p="P < 1e-7").description.count("below every") == 1
    with pytest.raises(TypeError, match="result"):
        logrank_orderings_chart((0.01, 0.4), reported_p="0.01")
    with pytest.raises(ValueError, match="pvalues"):
        logrank_orderings_chart(result, reported_p="0.01", pvalues=[0.1, 0.2])


@pytest.mark.parametrize("d1,n1,d0,n0", [(10, 20, 10, 20), (7, 14, 8, 15), (5, 10, 5, 10), (1, 5, 1, 5),
                                          (9, 12, 11, 16), (3, 30, 2, 20)])
def test_largest_p_meet_in_middle_equals_listing(d1, n1, d0, n0):
    # E can pass O here: the halves paired near E = O against every ordering listed
    from appraise import survival
    from scipy import stats
    big_e, big_v, _ = paths.all_orderings(n1, n0, d1, d0)
    assert big_e.min() < d1 < big_e.max()
    listed = stats.chi2.sf(((d1 - big_e) ** 2 / big_v).min(), 1)
    old = survival.MAX_LISTED_CELLS
    survival.MAX_LISTED_CELLS = 0  # force the search
    try:
        result = logrank_pvalue_range(d1, n1, d0, n0)
    finally:
        survival.MAX_LISTED_CELLS = old
    assert result.method == "meet in the middle" and result.high_exact
    assert result.high == pytest.approx(listed, rel=1e-12)
    assert logrank_test_ordering(result.ordering_high, n1, n0).pvalue == pytest.approx(listed, rel=1e-12)


@pytest.mark.parametrize("d1,n1,d0,n0", [(100, 200, 100, 200), (60, 80, 70, 90)])
def test_exchange_search_beyond_the_middle(d1, n1, d0, n0):
    # too many orderings even for halves: the ordering found is real (checked by
    # statsmodels) and its p is within a hair of 1, the bound on the largest p
    result = logrank_pvalue_range(d1, n1, d0, n0)
    assert result.method == "exchange search"
    assert result.ordering_high.count("T") == d1 and result.ordering_high.count("C") == d0
    assert reference_p(result.ordering_high, n1, n0) == pytest.approx(result.high, rel=1e-9)
    assert 1 - 1e-6 < result.high <= 1.0
