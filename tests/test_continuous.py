"""Tests of appraise.continuous: GRIM, GRIMMER, DEBIT, t-tests from summaries, within vs between.

Reference values come from the R packages scrutiny (lhdjung/scrutiny, tests/testthat and
its example data sets data-raw/pigs.R) and rsprite2 (LukasWallrich/rsprite2,
tests/testthat), from scipy, and from brute-force enumeration of small data sets.
"""

from __future__ import annotations

import itertools
import math
import time
from fractions import Fraction

import numpy as np
import pytest
from scipy import stats

import appraise as ap
from appraise._printed import fmt, printed, round_fraction, round_sqrt
from appraise.continuous import (MAX_CANDIDATE_SUMS, _grimmer_total, between_from_within, check_ttest_p,
                                 debit, grim, grimmer, ttest_from_summary, within_arm_p)

T, F = True, False
# scrutiny data-raw/pigs.R: pigs1 (GRIM), pigs3 (DEBIT, n = 1683), pigs5 (GRIMMER)
PIGS1 = ["7.22", "4.74", "5.23", "2.57", "6.77", "2.68", "7.01", "7.38", "3.14", "6.89", "5.00", "0.24"]
PIGS1_N = [32, 25, 29, 24, 27, 28, 29, 26, 27, 31, 25, 28]
PIGS3 = [("0.53", "0.50"), ("0.44", "0.50"), ("0.77", "0.42"), ("0.19", "0.35"), ("0.34", "0.47"),
         ("0.93", "0.25"), ("0.12", "0.33")]
PIGS5 = [("7.22", "5.30", 38), ("4.74", "6.55", 31), ("5.23", "2.55", 35), ("2.57", "2.57", 30),
         ("6.77", "2.18", 33), ("2.68", "2.59", 34), ("7.01", "6.68", 35), ("7.38", "3.65", 32),
         ("3.14", "5.32", 33), ("6.89", "4.18", 37), ("5.00", "2.18", 31), ("0.24", "6.43", 34)]
RULES = {"up_or_down": "either", "up": "half-up", "down": "half-down", "even": "half-even"}


def seq(start: str, stop: str) -> list[str]:
    """scrutiny's seq_endpoint(): printed values from start to stop in steps of the last decimal."""
    a, b = printed("a", start), printed("b", stop)
    return [fmt(u, a.decimals) for u in range(a.units, b.units + 1)]


# ----------------------------------------------------------------------------- GRIM

def test_grim_scrutiny_basic():
    # scrutiny tests/testthat/test-grim.R: seq_endpoint(5.19, 5.3) |> grim(28)
    assert [grim(x, 28).consistent for x in seq("5.19", "5.30")] == [F, F, T, F, F, F, T, F, F, F, T, F]


def test_grim_scrutiny_items():
    # scrutiny tests/testthat/test-grim.R: grim(seq_endpoint(0.150, 0.159), 120, items = 3)
    assert [grim(x, 120, items=3).consistent for x in seq("0.150", "0.159")] == [T, F, F, T, F, F, T, F, T, F]
    # ... and grim(seq_endpoint(0.80, 0.89), 28, items = 2)
    assert [grim(x, 28, items=2).consistent for x in seq("0.80", "0.89")] == [T, F, T, F, T, F, T, T, T, T]


def test_grim_pigs1():
    # scrutiny tests/testthat/test-grim-map.R: grim_map(pigs1)$consistency
    assert [grim(x, n).consistent for x, n in zip(PIGS1, PIGS1_N)] == [T, F, F, F, F, T, F, T, F, F, T, F]
    # same file: grim_map(pigs1, items = 2) has 6 consistent rows
    assert sum(grim(x, n, items=2).consistent for x, n in zip(PIGS1, PIGS1_N)) == 6


# scrutiny tests/testthat/test-grim-map.R: pigs1 means at n = 40 and n = 80 (ties!) by rounding
@pytest.mark.parametrize("n, rule, expected", [
    (40, "up_or_down", [T, F, T, T, T, T, F, T, F, F, T, F]),
    (40, "up", [F, F, T, F, F, T, F, T, F, F, T, F]),
    (40, "down", [T, F, F, T, T, F, F, F, F, F, T, F]),
    (40, "even", [T, F, T, T, T, T, F, T, F, F, T, F]),
    (80, "up_or_down", [T] * 12),
    (80, "up", [F, T, T, F, F, T, T, T, T, T, T, T]),
    (80, "down", [T, T, F, T, T, F, T, F, T, T, T, T]),
    (80, "even", [T] * 12),
])
def test_grim_rounding_rules_scrutiny(n, rule, expected):
    if rule == "even":
        # scrutiny's "even" takes both neighbours of an exact tie to be possible (R's round()
        # decides ties by binary representation; scrutiny's rounding_offsets(), described in
        # tests/testthat/test-debit.R), so it equals "either" here.  The strict rule differs
        # exactly at the ties: 5.23 = 209/40 = 5.225 prints 5.22 under half-even.
        assert [grim(x, n, rounding="either").consistent for x in PIGS1] == expected
        strict = [grim(x, n, rounding="half-even").consistent for x in PIGS1]
        ties = [any(Fraction(s, n) * 1000 % 10 == 5 for s in range(int(float(x) * n) - 1, int(float(x) * n) + 2))
                for x in PIGS1]
        assert all(a == b or tie for a, b, tie in zip(strict, expected, ties))
        assert grim("5.23", 40).consistent_under == ("half-up",)
        return
    assert [grim(x, n, rounding=RULES[rule]).consistent for x in PIGS1] == expected
    if rule != "up_or_down":
        assert [RULES[rule] in grim(x, n).consistent_under for x in PIGS1] == expected


def test_grim_rsprite2_and_vignette():
    # rsprite2 tests/testthat/test-core-and-plot-functions.R: GRIM_test(5.19, 28) FALSE,
    # GRIM_test(5.18, 14, n_items = 2) TRUE, closest value to 5.19 is 5.18
    r = grim("5.19", 28)
    assert not r.consistent and r.nearest == ("5.18",)
    assert grim("5.18", 14, items=2).consistent
    # scrutiny vignette "GRIM": grim(x = "5.27", n = 43) is FALSE
    assert not grim("5.27", 43).consistent
    # the worked example of the Wikipedia article "GRIM test" (a die rolled 20 times): a mean
    # of 3.48 is impossible, any k/20 ends in 0 or 5 at the second decimal; 3.50 is nearest
    assert not grim("3.48", 20).consistent and grim("3.48", 20).nearest == ("3.50",)
    assert grim("3.45", 20).consistent


@pytest.mark.parametrize("n", [1, 3, 7, 13, 28, 40, 99])
@pytest.mark.parametrize("rule", ["either", "half-up", "half-down", "half-even"])
def test_grim_equals_enumeration(n, rule):
    # exact reference: the set of printed means of every total 0..9n (2 decimals), by direct rounding
    reachable = {u for s in range(0, 9 * n + 1) for u in round_fraction(Fraction(s, n), 2, rule)}
    for units in range(0, 901):
        assert grim(fmt(units, 2), n, rounding=rule, scale=(0, 9)).consistent == (units in reachable)


def test_grim_tie_is_exact():
    # 1/8 = 0.125 exactly: half-up prints 0.13, half-down and half-even 0.12 (binary floats
    # would not decide this reliably in general; here the bounds are fractions)
    assert grim("0.13", 8).consistent_under == ("half-up",)
    assert grim("0.12", 8).consistent_under == ("half-down", "half-even")
    # negative means (a change): -0.125 prints -0.13 when ties go away from zero
    assert grim("-0.13", 8).consistent_under == ("half-up",)


def test_grim_uninformative_and_numbers():
    r = grim("5.21", 200)
    assert r.consistent and not r.informative and r.totals == (1041, 1043)
    assert grim(5.2, 20).decimals == 1 and grim(5.2, 20, decimals=2).mean == "5.20"
    assert grim("5.19", 28).informative


# ----------------------------------------------------------------------------- GRIMMER

def test_grimmer_pigs5():
    # scrutiny tests/testthat/test-grimmer-map.R: grimmer_map(pigs5) consistency and reasons
    expected = [F, T, F, T, F, T, F, T, F, T, T, T]
    reasons = ["GRIM", "", "test 3", "", "GRIM", "", "GRIM", "", "GRIM", "", "", ""]
    got = [grimmer(x, sd, n) for x, sd, n in PIGS5]
    assert [g.consistent for g in got] == expected
    mapped = {"mean fails GRIM": "GRIM", "consistent": "",
              "sums of squares that fit have the wrong parity": "test 3"}
    assert [mapped[g.reason] for g in got] == reasons


def test_grimmer_rsprite2():
    # rsprite2 tests/testthat/test-core-and-plot-functions.R ("GRIMMER works")
    assert grimmer("5.21", "1.6", 28).consistent
    assert not grimmer("3.44", "2.47", 18).consistent


def _printed_pairs(data, md, sd_dec, rule="half-up", items=1):
    n = len(data)
    s, q = sum(data), sum(x * x for x in data)
    means = round_fraction(Fraction(s, n * items), md, rule)
    sds = round_sqrt(Fraction(n * q - s * s, n * (n - 1) * items * items), sd_dec, rule)
    return [(fmt(m, md), fmt(v, sd_dec)) for m in means for v in sds]


@pytest.mark.parametrize("n", [2, 3, 4, 5, 6])
def test_grimmer_never_rejects_real_data(n):
    # brute-force oracle: every multiset of n values on 0..6 is a real data set; its printed
    # mean and SD must pass (GRIMMER's conditions are necessary ones)
    for data in itertools.combinations_with_replacement(range(7), n):
        for md, sd_dec in ((1, 2), (2, 2)):
            for m, s in _printed_pairs(data, md, sd_dec):
                assert grimmer(m, s, n, rounding="half-up", scale=(0, 6)).consistent, (data, m, s)


def test_grimmer_never_rejects_real_data_items():
    # participants' scores are means of 2 items on 1..5: the item totals are whole numbers 2..10
    for data in itertools.combinations_with_replacement(range(2, 11), 4):
        for m, s in _printed_pairs(data, 2, 2, items=2):
            assert grimmer(m, s, 4, items=2, rounding="half-up", scale=(1, 5)).consistent, (data, m, s)


def test_grimmer_rejects_what_enumeration_rejects_mostly():
    # the converse is not guaranteed (necessary conditions), but on a small exhaustive grid
    # every rejection is correct and most impossible pairs are rejected
    n, real = 4, set()
    for data in itertools.combinations_with_replacement(range(7), n):
        real.update(_printed_pairs(data, 2, 2))
    rejected = possible_rejected = 0
    for mu in range(0, 601, 25):
        for su in range(0, 400, 7):
            m, s = fmt(mu, 2), fmt(su, 2)
            if not grimmer(m, s, n, rounding="half-up", scale=(0, 6)).consistent:
                rejected += 1
                possible_rejected += (m, s) in real
    assert possible_rejected == 0 and rejected > 0


@pytest.mark.parametrize("rule", ["half-up", "half-down", "half-even"])
def test_grimmer_and_grim_pass_random_real_data(rule):
    # property: random whole-number data of 2..300 participants (1..4 items, scale 1..7),
    # printed to 1..3 decimals under each rule, always pass GRIM and GRIMMER
    rng = np.random.default_rng(20)
    for _ in range(300):
        n, items = int(rng.integers(2, 301)), int(rng.integers(1, 5))
        data = rng.integers(items, 7 * items + 1, size=n).tolist()   # item totals
        md, sd_dec = int(rng.integers(1, 4)), int(rng.integers(1, 4))
        for m, sd in _printed_pairs(data, md, sd_dec, rule, items=items):
            assert grim(m, n, items=items, rounding=rule, scale=(1, 7)).consistent
            g = grimmer(m, sd, n, items=items, rounding=rule, scale=(1, 7))
            assert g.consistent and rule in g.consistent_under, (data, m, sd, items)


def test_grimmer_all_totals_not_only_the_rounded_one():
    # Allard's original function (quoted in scrutiny tests/testthat/test-grimmer.R) examines only
    # the total round(mean * n).  These 12 values are real: total 27, mean 2.25 -> "2.3" (half up),
    # SD 1.66.  round(2.3 * 12) = 28, and with a total of 28 no sum of squares gives SD 1.66; the
    # total 27 does.  This module examines every total, as scrutiny does.
    data = [0, 0, 1, 1, 1, 2, 3, 3, 3, 4, 4, 5]
    assert _printed_pairs(data, 1, 2) == [("2.3", "1.66")]
    assert grimmer("2.3", "1.66", 12).consistent
    assert grim("2.3", 12).totals == (27, 28)
    sd = printed("sd", "1.66")
    assert _grimmer_total(28, 12, 1, sd, (True, True), None)[0] != 5   # the original's only total fails
    assert _grimmer_total(27, 12, 1, sd, (True, True), None)[0] == 5


def test_grimmer_scrutiny_vignette_flying_pigs():
    # scrutiny vignettes/grimmer.Rmd, flying_pigs1 (n = 25): its text says two rows fail
    # GRIMMER's test 3 (parity), written when scrutiny examined only the total round(mean * n).
    # Those two are 8.9/2.81 and 2.6/2.05.  Examining every total that prints as the mean, only
    # 2.6/2.05 fails: the 25 values below are real, total 223 (mean 8.92 -> "8.9"), SD 2.81,
    # while round(8.9 * 25) = 222 admits no SD of 2.81 of the right parity.
    rows = [("8.9", "2.81"), ("2.6", "2.05"), ("7.2", "2.89"), ("3.6", "3.11"), ("9.2", "7.13"),
            ("10.4", "2.53"), ("7.3", "3.14")]
    got = [grimmer(x, sd, 25) for x, sd in rows]
    assert [g.consistent for g in got] == [T, F, T, T, T, T, T]
    assert got[1].reason == "sums of squares that fit have the wrong parity"
    data = [3, 4, 5, 6, 7, 7, 7, 8, 8, 8, 9, 9, 9, 9, 9, 9, 9, 11, 11, 11, 12, 12, 12, 14, 14]
    assert _printed_pairs(data, 1, 2) == [("8.9", "2.81")]
    assert _grimmer_total(222, 25, 1, printed("sd", "2.81"), (True, True), None)[0] == 4
    # the same vignette as rendered (lhdjung.github.io/scrutiny/articles/grimmer.html):
    # grimmer(x = "7.3", sd = "2.51", n = 12) is FALSE
    assert not grimmer("7.3", "2.51", 12).consistent


def test_grimmer_smallest_sum_of_squares_bound():
    # Three whole numbers with total 10 (mean "3.33") have SD at least sqrt(1/3) = 0.577:
    # (3, 3, 4).  An SD printed as 0.50 passes GRIM and the parity test but not this bound.
    reachable = {s for data in itertools.combinations_with_replacement(range(10), 3) if sum(data) == 10
                 for _, s in _printed_pairs(data, 2, 2)}
    assert "0.58" in reachable and "0.50" not in reachable
    r = grimmer("3.33", "0.50", 3)
    assert not r.consistent and r.reason == "SD below the smallest possible"
    assert r.nearest_sd == ("0.58",)


def test_grimmer_scale_upper_bound():
    # 4 values on 1..5 with mean 3.00: the largest SD is (1, 1, 5, 5) -> 2.31
    assert grimmer("3.00", "2.31", 4, scale=(1, 5)).consistent
    r = grimmer("3.00", "2.50", 4, scale=(1, 5))
    assert not r.consistent and r.reason == "SD above the largest possible on the scale"
    # (0, 2, 4, 6): mean 3.00, SD sqrt(20/3) = 2.58 -- possible without a scale, not on 1..5
    assert _printed_pairs((0, 2, 4, 6), 2, 2) == [("3.00", "2.58")]
    assert grimmer("3.00", "2.58", 4).consistent
    assert not grimmer("3.00", "2.58", 4, scale=(1, 5)).consistent


def test_grimmer_speed_n_10000():
    start = time.perf_counter()
    r = grimmer("5.21", "0.00", 10_000)   # inconsistent: every one of 101 totals is examined
    elapsed = time.perf_counter() - start
    assert not r.consistent and elapsed < 0.1


# ----------------------------------------------------------------------------- DEBIT

def test_debit_pigs3():
    # scrutiny tests/testthat/test-debit.R: pmap_lgl(pigs3, debit, digits_x = 2, digits_sd = 2)
    assert [debit(m, s, 1683).consistent for m, s in PIGS3] == [T, T, T, F, T, T, T]
    # same file, show_rec: 0.53 among 1683 means 884 to 900 ones
    r = debit("0.53", "0.50", 1683)
    assert (r.ones[0], r.ones[-1]) == (884, 900)


def test_debit_scrutiny_vignette():
    # scrutiny vignette "DEBIT": debit(x = "0.35", sd = "0.18", n = 20) is FALSE
    # (7 ones among 20 have SD sqrt(7 * 13 / 380) = 0.489)
    r = debit("0.35", "0.18", 20)
    assert not r.consistent and r.ones == (7,) and r.possible_sds == ("0.49",)


def test_debit_scrutiny_edge_cases():
    # scrutiny tests/testthat/test-debit.R: boundary means, 50 ones and 50 zeros, exclusive bound
    assert debit("0.00", "0.00", 50).consistent and debit("1.00", "0.00", 50).consistent
    assert not debit("0.00", "0.50", 50).consistent and not debit("1.00", "0.50", 50).consistent
    assert debit("0.50", "0.503", 100).consistent
    assert not debit("0.05", "0.21", 20).consistent and debit("0.05", "0.22", 20).consistent
    # floor rounding is not offered; under half-even/half-up 3/9 ones have SD exactly 0.5 -> "0.5"
    assert debit("0.33", "0.5", 9).consistent


@pytest.mark.parametrize("n, rule", [(2, "either"), (5, "half-up"), (8, "half-down"), (20, "half-even"),
                                     (37, "either"), (9, "half-even")])
def test_debit_exact_against_enumeration(n, rule):
    # every (mean, SD) pair printed to 2 decimals is consistent iff some k ones among n print so
    real = set()
    for k in range(n + 1):
        for m in round_fraction(Fraction(k, n), 2, rule):
            for s in round_sqrt(Fraction(k * (n - k), n * (n - 1)), 2, rule):
                real.add((m, s))
    for m in range(0, 101):
        for s in range(0, 60):
            assert debit(fmt(m, 2), fmt(s, 2), n, rounding=rule).consistent == ((m, s) in real)


# ----------------------------------------------------------------------------- t-tests

CASES = [("61.00", "17.87", 12, "57.86", "15.79", 29),     # capstone trial baseline age
         ("5.2", "1.1", 14, "4.1", "1.9", 15), ("0.30", "0.05", 40, "0.31", "0.20", 6),
         ("-3.5", "2.0", 10, "-1.0", "2.5", 11)]


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("equal_var", [True, False])
def test_ttest_equals_scipy(case, equal_var):
    m1, s1, n1, m2, s2, n2 = case
    ref = stats.ttest_ind_from_stats(float(m1), float(s1), n1, float(m2), float(s2), n2, equal_var=equal_var)
    r = ttest_from_summary(*case, equal_var=equal_var)
    assert r.statistic == pytest.approx(ref.statistic, rel=1e-12)
    assert r.pvalue == pytest.approx(ref.pvalue, rel=1e-12)
    # exact numbers: no range
    exact = ttest_from_summary(float(m1), float(s1), n1, float(m2), float(s2), n2, equal_var=equal_var)
    assert exact.pvalue_range is None


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("equal_var", [True, False])
def test_ttest_pvalue_range_against_grid(case, equal_var):
    # dense grid over the rounding box of the four printed figures (corners included)
    m1, s1, n1, m2, s2, n2 = case
    axes = []
    for text in (m1, s1, m2, s2):
        p = printed("x", text)
        h = 0.5 * 10.0 ** -p.decimals
        axes.append(np.linspace(float(p.value) - h, float(p.value) + h, 9))
    g = np.meshgrid(*axes, indexing="ij")
    ps = stats.ttest_ind_from_stats(g[0], np.maximum(g[1], 0), n1, g[2], np.maximum(g[3], 0), n2,
                                    equal_var=equal_var).pvalue
    r = ttest_from_summary(*case, equal_var=equal_var).pvalue_range
    assert r.low <= ps.min() + 1e-12 and r.high >= ps.max() - 1e-12
    if equal_var:   # the extremes are corners, which are on the grid (unless 0 is inside the box)
        assert r.low == pytest.approx(ps.min(), rel=1e-9)
        assert r.high == pytest.approx(ps.max(), rel=1e-9)
    else:
        assert r.low == pytest.approx(ps.min(), rel=1e-3) and r.high == pytest.approx(ps.max(), rel=1e-3)


@pytest.mark.parametrize("equal_var", [True, False])
def test_ttest_range_one_printed_sd(equal_var):
    # only sd_treat is printed; the other figures are exact numbers: a 1-D box
    r = ttest_from_summary(5.2, "1.1", 14, 4.1, 1.9, 15, equal_var=equal_var).pvalue_range
    s1 = np.linspace(1.05, 1.15, 2001)
    ps = stats.ttest_ind_from_stats(5.2, s1, 14, 4.1, 1.9, 15, equal_var=equal_var).pvalue
    assert r.low == pytest.approx(ps.min(), rel=1e-6) and r.high == pytest.approx(ps.max(), rel=1e-6)


def test_ttest_range_random_points_inside():
    # property: any values that round to the printed figures give a p inside the range
    rng = np.random.default_rng(7)
    for _ in range(60):
        figs = [f"{rng.uniform(-20, 20):.{d}f}" for d in rng.integers(0, 3, size=2)]
        sds = [f"{rng.uniform(0.5, 15):.{d}f}" for d in rng.integers(0, 3, size=2)]
        n1, n2 = (int(v) for v in rng.integers(2, 60, size=2))
        for equal_var in (True, False):
            r = ttest_from_summary(figs[0], sds[0], n1, figs[1], sds[1], n2, equal_var=equal_var).pvalue_range
            pts = []
            for text in (figs[0], sds[0], figs[1], sds[1]):
                p = printed("x", text)
                h = 0.5 * 10.0 ** -p.decimals
                pts.append(rng.uniform(float(p.value) - h, float(p.value) + h, size=200))
            ps = stats.ttest_ind_from_stats(pts[0], np.abs(pts[1]), n1, pts[2], np.abs(pts[3]), n2,
                                            equal_var=equal_var).pvalue
            assert np.all(ps >= r.low * (1 - 1e-9)) and np.all(ps <= r.high * (1 + 1e-9))


def test_ttest_range_contains_zero_difference():
    r = ttest_from_summary("5.0", "1.0", 10, "5.0", "1.0", 10)
    assert r.pvalue == 1.0 and r.pvalue_range.high == 1.0 and r.pvalue_range.low < 1


def test_check_ttest_p():
    case = ("61.00", "17.87", 12, "57.86", "15.79", 29)
    assert not check_ttest_p("P = 0.576", *case).consistent   # the capstone trial's printed p
    assert check_ttest_p("P = 0.58", *case).matching_tests == ("student",)
    assert check_ttest_p("P = 0.60", *case).matching_tests == ("welch",)
    assert check_ttest_p("P > 0.05", *case).consistent
    assert not check_ttest_p("P < 0.05", *case).consistent
    assert check_ttest_p("p=0.580", *case, equal_var=True).consistent


# ----------------------------------------------------------------------------- within vs between

def _data_with(mean_b, sd_b, mean_f, sd_f, r, n, seed):
    """Paired data with exactly these sample means, SDs (ddof 1) and correlation."""
    rng = np.random.default_rng(seed)
    z = rng.standard_normal((2, n))
    z -= z.mean(axis=1, keepdims=True)
    z[1] -= z[0] * (z[0] @ z[1]) / (z[0] @ z[0])
    z /= z.std(axis=1, ddof=1, keepdims=True)
    b = mean_b + sd_b * z[0]
    f = mean_f + sd_f * (r * z[0] + math.sqrt(1 - r * r) * z[1])
    return b, f


ARMS = ((52.0, 11.0, 40.0, 9.0, 14), (50.0, 12.0, 47.0, 13.0, 15))


@pytest.mark.parametrize("r", [-0.3, 0.0, 0.5, 0.8])
@pytest.mark.parametrize("equal_var", [True, False])
def test_between_from_within_matches_scipy_at_fixed_r(r, equal_var):
    (bt, sbt, ft, sft, n1), (bc, sbc, fc, sfc, n2) = ARMS
    b1, f1 = _data_with(bt, sbt, ft, sft, r, n1, 1)
    b2, f2 = _data_with(bc, sbc, fc, sfc, r, n2, 2)
    res = between_from_within(bt, sbt, ft, sft, n1, bc, sbc, fc, sfc, n2, correlation=(r, r),
                              equal_var=equal_var)
    assert res.pvalue_range.low == pytest.approx(stats.ttest_ind(f1 - b1, f2 - b2, equal_var=equal_var).pvalue,
                                                 rel=1e-9)
    assert res.pvalue_within_treat.low == pytest.approx(stats.ttest_rel(f1, b1).pvalue, rel=1e-9)
    assert res.pvalue_within_ctrl.high == pytest.approx(stats.ttest_rel(f2, b2).pvalue, rel=1e-9)


@pytest.mark.parametrize("equal_var", [True, False])
def test_between_from_within_range_against_grid(equal_var):
    (bt, sbt, ft, sft, n1), (bc, sbc, fc, sfc, n2) = ARMS
    res = between_from_within(bt, sbt, ft, sft, n1, bc, sbc, fc, sfc, n2, correlation=(0.1, 0.85),
                              equal_var=equal_var)
    rs = np.linspace(0.1, 0.85, 2001)
    sd1 = np.sqrt(sbt ** 2 + sft ** 2 - 2 * rs * sbt * sft)
    sd2 = np.sqrt(sbc ** 2 + sfc ** 2 - 2 * rs * sbc * sfc)
    ps = stats.ttest_ind_from_stats(ft - bt, sd1, n1, fc - bc, sd2, n2, equal_var=equal_var).pvalue
    assert res.pvalue_range.low == pytest.approx(ps.min(), rel=1e-6)
    assert res.pvalue_range.high == pytest.approx(ps.max(), rel=1e-6)
    if equal_var:   # monotone in r: the ends are at the ends of the correlation range
        assert res.pvalue_range.high == pytest.approx(ps[0], rel=1e-12)
        assert res.pvalue_range.low == pytest.approx(ps[-1], rel=1e-12)
    text = res.explanation
    assert "0.10 to 0.85" in text and "-12" in text and "-3" in text


def test_within_arm_p():
    # paired t with 13 df: two-sided p = 0.001 at |t| = t.isf(0.0005, 13)
    r = within_arm_p("P < 0.001", 14)
    assert r.t_low == pytest.approx(stats.t.isf(0.0005, 13), rel=1e-12) and math.isinf(r.t_high)
    assert r.effect_low == pytest.approx(r.t_low / math.sqrt(14))
    assert "14 patients" in r.explanation and "4.22" in r.explanation
    r = within_arm_p("P = 0.06", 14)
    assert r.t_low == pytest.approx(stats.t.isf(0.0325, 13)) and r.t_high == pytest.approx(stats.t.isf(0.0275, 13))
    assert within_arm_p("P > 0.05", 10).t_low == 0.0


# ----------------------------------------------------------------------------- bad input

@pytest.mark.parametrize("call, exc, words", [
    (lambda: grim(5.19, 28.0), TypeError, "n"),
    (lambda: grim("5.1x", 28), ValueError, "'5.1x'"),
    (lambda: grim(None, 28), TypeError, "mean"),
    (lambda: grim(True, 28), TypeError, "mean"),
    (lambda: grim("5.19", 0), ValueError, "n"),
    (lambda: grim("5.19", 28, rounding="up"), ValueError, "'up'"),
    (lambda: grim("5.19", 28, decimals=3), ValueError, "decimals=3"),
    (lambda: grim(5.193, 28, decimals=2), ValueError, "5.193"),
    (lambda: grim(float("nan"), 28, decimals=2), ValueError, "nan"),
    (lambda: grim("5.19", 28, items=0), ValueError, "items"),
    (lambda: grim("5.19", 28, scale=(5, 1)), ValueError, "scale"),
    (lambda: grimmer("5.19", "-1.0", 28), ValueError, "sd"),
    (lambda: grimmer("5.19", "1.0", 1), ValueError, "n"),
    (lambda: grimmer("5.2", "1.0", 100_000_000), ValueError, str(MAX_CANDIDATE_SUMS)),
    (lambda: debit("1.5", "0.5", 100), ValueError, "'1.5'"),
    (lambda: ttest_from_summary("1", "0", 10, "2", "0", 10), ValueError, "sd_treat"),
    (lambda: ttest_from_summary("1", "1", 1, "2", "1", 10), ValueError, "n_treat"),
    (lambda: ttest_from_summary("1", "1", 5, "2", "1", 10, equal_var="yes"), TypeError, "equal_var"),
    (lambda: between_from_within(1, 1, 2, 1, 5, 1, 1, 2, 1, 5, correlation=(0.5, 1.0)), ValueError,
     "correlation[1]"),
    (lambda: between_from_within(1, 1, 2, 1, 5, 1, 1, 2, 1, 5, correlation=(0.9, 0.5)), ValueError,
     "correlation"),
    (lambda: within_arm_p("NS", 14), ValueError, "NS"),
])
def test_bad_input(call, exc, words):
    with pytest.raises(exc, match=None) as info:
        call()
    assert words in str(info.value)


def test_worst_case_calls_are_fast():
    start = time.perf_counter()
    # largest accepted work: 20,001 totals (n * items / 10**decimals at the limit), inconsistent
    # under "either" and re-scanned under one single rule
    assert not grimmer("5.21", "0.00", 1_999_000).consistent
    assert not grimmer("5.21", "0.00", 1_999_000, rounding="half-even").consistent
    assert not debit("0.50", "0.00", 1_999_000).consistent
    grim("5.123456789012", 10 ** 9)
    assert time.perf_counter() - start < 2.0
    with pytest.raises(ValueError, match="at most 20000"):
        grimmer("5.21", "1.00", 2_000_100)


def test_lazy_exports():
    for name in ("grim", "grimmer", "debit", "ttest_from_summary", "check_ttest_p",
                 "between_from_within", "within_arm_p"):
        assert callable(getattr(ap, name)) and name in dir(ap)


# ----------------------------------------------------------------------------- chart (lesson 7)

def test_between_within_correlation_chart():
    from appraise.charts import chart_spec, reading
    from appraise.charts.pvalues import PVALUE_FLOOR
    from appraise.charts import between_within_correlation_chart

    res = between_from_within(50, 12, 40, 12, 14, 50, 12, 48, 12, 15)
    chart = between_within_correlation_chart(res, correlation=0.5)
    spec = chart.to_dict()
    assert spec["description"] == " ".join(reading(chart).split("\n")) and "\n" not in spec["description"]
    assert spec["description"].startswith("As the correlation between baseline and follow-up runs from 0.00 to 0.90")
    data = {layer["data"]["name"]: layer["data"]["values"] for layer in spec["layer"]}
    rows = data["correlation-curves"]
    assert data["correlation-mark"] == [{"r": 0.5}] and data["correlation-alpha"] == [{"alpha": 0.05}]
    between = [row for row in rows if row["series"] == "between arms"]
    assert [row["r"] for row in between] == list(res.correlations)
    assert [row["p"] for row in between] == [max(p, PVALUE_FLOOR) for p in res.pvalues_between]
    # the reading's crossing point is the smallest charted r with between-arm p < 0.05
    first = min(r for r, p in zip(res.correlations, res.pvalues_between) if p < 0.05)
    assert f"from r = {first:.2f} on" in spec["description"]
    assert chart_spec(between_within_correlation_chart, res, correlation=0.5) == spec
    with pytest.raises(ValueError, match="correlation"):
        between_within_correlation_chart(res, correlation=0.95)
    with pytest.raises(TypeError, match="between_from_within"):
        between_within_correlation_chart({"correlations": []})
