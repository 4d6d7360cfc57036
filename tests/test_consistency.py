"""Tests of appraise.consistency: percentage (GRIM-style) and reported p-value checks."""

import math
from fractions import Fraction

import numpy as np
import pytest
from scipy import stats

from appraise.consistency import (
    PercentageCheck,
    PValueCheck,
    ReportedP,
    ReportedPercentage,
    check_percentage,
    check_reported_p,
    check_reported_p_one_sample,
    min_attainable_pvalues,
    parse_percentage,
    parse_reported_p,
    smallest_attainable_p,
)
from appraise.tests2x2 import tests_2x2

# ----------------------------------------------------------------------------- parsing


@pytest.mark.parametrize("text, value, decimals", [
    ("28%", 28.0, 0), ("28.6", 28.6, 1), (" 28 % ", 28.0, 0), ("33.33%", 33.33, 2),
    (28, 28.0, 0), (28.6, 28.6, 1), (28.0, 28.0, 0), ("0%", 0.0, 0), ("100%", 100.0, 0),
    ("28.0%", 28.0, 1), (".5%", 0.5, 1),
])
def test_parse_percentage(text, value, decimals):
    rep = parse_percentage(text)
    assert isinstance(rep, ReportedPercentage)
    assert (rep.value, rep.decimals) == (value, decimals)


@pytest.mark.parametrize("bad, exc", [
    ("abc", ValueError), ("120%", ValueError), ("-5%", ValueError), ("", ValueError),
    (None, TypeError), (math.nan, ValueError), (True, TypeError), (math.inf, ValueError),
    ("28%%", ValueError),
])
def test_parse_percentage_rejects(bad, exc):
    with pytest.raises(exc, match="text") as info:
        parse_percentage(bad)
    assert repr(bad) in str(info.value)


def test_check_percentage_names_reported_and_n():
    with pytest.raises(ValueError, match="reported.*'abc'"):
        check_percentage("abc", 14)
    with pytest.raises(ValueError, match="n must be >= 1, got 0"):
        check_percentage("28%", 0)
    with pytest.raises(ValueError, match="rounding"):
        check_percentage("28%", 14, rounding="up")
    with pytest.raises(ValueError, match="events"):
        check_percentage("28%", 14, events=15)


# ----------------------------------------------------------------------------- percentages


def _brute(value, decimals, n):
    """Independent check with exact fractions: half-up rounding of 100 k / n."""
    scale = 10 ** decimals
    target = Fraction(str(value)) * scale
    fits = []
    for k in range(n + 1):
        x = Fraction(100 * k, n) * scale
        rounded = math.floor(x + Fraction(1, 2))
        if rounded == target:
            fits.append(k)
    return tuple(fits)


def test_seed_trial_28_percent_fits_neither_arm():
    # trial-facts.md: 28% matches no k/14 or k/15 when rounded (4/14 = 28.6%, 4/15 = 26.7%)
    for n in (14, 15):
        chk = check_percentage("28%", n)
        assert isinstance(chk, PercentageCheck)
        assert not chk.consistent and chk.candidates == () == _brute(28, 0, n)
    chk14 = check_percentage("28%", 14)
    assert chk14.by_truncation == (4,)  # 4/14 = 28.57% truncated to 28
    assert chk14.nearest_k == 4 and chk14.nearest_percent == pytest.approx(28.571, abs=1e-3)
    assert "truncated" in chk14.message
    assert check_percentage("28%", 14, rounding="truncate").consistent
    assert check_percentage("28%", 14, rounding="either").candidates == (4,)
    chk15 = check_percentage("28%", 15)
    assert chk15.by_truncation == () and chk15.nearest_k == 4


def test_seed_trial_57_and_64_percent():
    assert check_percentage("57%", 14).candidates == (8,) == _brute(57, 0, 14)   # 57.14%
    assert check_percentage("64%", 14).candidates == (9,) == _brute(64, 0, 14)   # 64.29%
    chk = check_percentage("64%", 29)  # 18/29 = 62.07%, 19/29 = 65.52%
    assert not chk.consistent and chk.nearest_k == 19


def test_capstone_hypertension_33_33_percent():
    # Shu 2020 prints "3 (33.33%)" of 12: 33.33% is 4/12, not the stated 3/12 = 25%.
    chk = check_percentage("33.33%", 12)
    assert chk.consistent and chk.candidates == (4,) == _brute(33.33, 2, 12)
    stated = check_percentage("33.33%", 12, events=3)
    assert not stated.consistent
    assert "3/12" in stated.message
    # and the others in the same table are fine: 66.67% of 12 = 8, 55.17% of 29 = 16
    assert check_percentage("66.67%", 12, events=8).consistent
    assert check_percentage("55.17%", 29, events=16).consistent
    assert check_percentage("17.24%", 29, events=5).consistent


def test_rounding_is_half_up_and_exact():
    # 1/8 = 12.5% -> "13%" by half-up rounding; 3/8 = 37.5% -> "38%"
    assert check_percentage("13%", 8).candidates == (1,)
    assert check_percentage("12%", 8).candidates == ()
    assert check_percentage("12%", 8).by_truncation == (1,)
    assert check_percentage("38%", 8).candidates == (3,)


def test_grim_brown_heathers_style_example():
    # Brown & Heathers (2017) GRIM: a mean of 5.19 from 28 integer responses is
    # impossible (5.19 * 28 = 145.32; 145/28 = 5.18, 146/28 = 5.21).  The same logic for
    # percentages: 100 * k / 28 must round to the printed value.
    assert check_percentage("51.9%", 28).candidates == ()   # 14/28 = 50.0, 15/28 = 53.6
    assert check_percentage("53.6%", 28).candidates == (15,)


@pytest.mark.parametrize("n", [7, 14, 15, 29, 41, 100, 113])
def test_candidates_agree_with_brute_force_for_every_integer_percent(n):
    for value in range(0, 101):
        assert check_percentage(value, n).candidates == _brute(value, 0, n)
    for value in (12.5, 28.6, 33.3, 66.7, 99.9):
        assert check_percentage(str(value), n).candidates == _brute(value, 1, n)


# ----------------------------------------------------------------------------- p-values


@pytest.mark.parametrize("text, relation, value, decimals", [
    ("P < 0.0001", "<", 0.0001, 4),
    ("p=0.06", "=", 0.06, 2),
    ("P<.05", "<", 0.05, 2),
    ("p \u2264 0.05", "<=", 0.05, 2),
    ("P = 1.000", "=", 1.0, 3),
    ("P > 0.05", ">", 0.05, 2),
    ("p-value = 0.543", "=", 0.543, 3),
    ("0\u00b706", "=", 0.06, 2),
    ("P = 2.3e-5", "=", 2.3e-5, 6),
    (0.543, "=", 0.543, 3),
    (1, "=", 1.0, 0),
])
def test_parse_reported_p(text, relation, value, decimals):
    rep = parse_reported_p(text)
    assert isinstance(rep, ReportedP)
    assert (rep.relation, rep.value, rep.decimals) == (relation, pytest.approx(value), decimals)


@pytest.mark.parametrize("bad, exc, fragment", [
    ("NS", ValueError, "not significant"),
    ("n.s.", ValueError, "not significant"),
    ("P < 0", ValueError, "impossible"),
    ("P = 1.5", ValueError, "between 0 and 1"),
    ("P < abc", ValueError, "p-value such as"),
    ("", ValueError, "p-value such as"),
    (None, TypeError, "text"),
    (True, TypeError, "text"),
    (math.nan, ValueError, "finite"),
])
def test_parse_reported_p_rejects(bad, exc, fragment):
    with pytest.raises(exc, match=fragment) as info:
        parse_reported_p(bad)
    assert "text" in str(info.value) and repr(bad) in str(info.value)


def test_survival_p_below_0_0001_matches_no_test():
    # trial-facts.md (scipy 1.17): survival 8/14 vs 4/15: Fisher 0.1394, chi-square 0.0959;
    # 8/14 vs 4/14: Fisher 0.2519, chi-square 0.1266.
    for counts, fisher, chi2 in [((8, 14, 4, 15), 0.1394, 0.0959), ((8, 14, 4, 14), 0.2519, 0.1266)]:
        chk = check_reported_p("P < 0.0001", *counts)
        assert isinstance(chk, PValueCheck)
        assert not chk.consistent and chk.matching_tests == ()
        assert round(chk.pvalues["fisher"], 4) == fisher
        assert round(chk.pvalues["chi2"], 4) == chi2
        assert min(chk.pvalues.values()) > 0.05
        assert "does not match" in chk.verdict
        # P < 0.0001 is attainable with these arm sizes, just not on these counts
        assert chk.min_attainable_p < 0.0001


def test_intubation_fisher_reproduces_r():
    # R: fisher.test(matrix(c(7, 7, 12, 3), 2)) gives p-value = 0.1281 (quoted in
    # trial-facts.md; checked here by exact integer arithmetic over the 11 tables with 19
    # events: sum of C(14,a) C(15,19-a) / C(29,19) over tables no more probable than a=7).
    probs = {a: math.comb(14, a) * math.comb(15, 19 - a) for a in range(4, 15)}
    exact = sum(v for v in probs.values() if v <= probs[7]) / math.comb(29, 19)
    chk = check_reported_p("P = 0.1281", 7, 14, 12, 15)
    assert chk.pvalues["fisher"] == pytest.approx(exact, rel=1e-12)
    assert chk.matching_tests == ("fisher",)


def test_capstone_mortality_matches_fisher():
    # Shu 2020: 0/12 vs 3/29, reported P = 0.543; exact integer arithmetic over the four
    # tables with 3 events: sum of C(12,a) C(29,3-a) / C(41,3) for tables no more
    # probable than a = 0
    probs = {a: math.comb(12, a) * math.comb(29, 3 - a) for a in range(4)}
    exact = sum(v for v in probs.values() if v <= probs[0]) / math.comb(41, 3)
    assert round(exact, 4) == 0.5430
    chk = check_reported_p("P = 0.543", 0, 12, 3, 29)
    assert chk.pvalues["fisher"] == pytest.approx(exact, rel=1e-12)
    assert chk.consistent and "fisher" in chk.matching_tests
    assert "reproduced" in chk.verdict
    assert check_reported_p(0.543, 0, 12, 3, 29).matching_tests == chk.matching_tests


def test_equality_uses_printed_precision():
    # Fisher for intubation is 0.12814: "P = 0.13" and "P = 0.128" match, "P = 0.12" does not
    assert "fisher" in check_reported_p("P = 0.13", 7, 14, 12, 15).matching_tests
    assert "fisher" in check_reported_p("P = 0.128", 7, 14, 12, 15).matching_tests
    assert "fisher" not in check_reported_p("P = 0.12", 7, 14, 12, 15).matching_tests
    # inequalities: chi-square 0.089 < 0.1; Yates 0.191 is not
    chk = check_reported_p("P < 0.1", 7, 14, 12, 15)
    assert chk.matching_tests == ("chi2",)
    assert check_reported_p("P > 0.05", 7, 14, 12, 15).matching_tests == \
        ("fisher", "chi2", "chi2_yates", "barnard", "boschloo")


def test_p_equal_1_000():
    # baseline hypertension in the capstone, 3/12 vs 6/29 reported "P = 1.000"
    assert "fisher" in check_reported_p("P = 1.000", 3, 12, 6, 29).matching_tests


def test_min_attainable_fisher_and_chi2_by_enumeration():
    n1, n2 = 5, 6
    mins = min_attainable_pvalues(n1, n2)
    fisher = min(stats.fisher_exact([[a, n1 - a], [c, n2 - c]]).pvalue
                 for a in range(n1 + 1) for c in range(n2 + 1))
    assert mins["fisher"] == pytest.approx(fisher, rel=1e-12)
    for name in ("chi2", "chi2_yates"):
        brute = min(tests_2x2(a, n1, c, n2)[name].pvalue for a in range(n1 + 1) for c in range(n2 + 1))
        assert mins[name] == pytest.approx(brute, rel=1e-12)
    # chi-square maximum is N for a perfect split: p = P(chi2_1 >= 11)
    assert mins["chi2"] == pytest.approx(stats.chi2.sf(11, 1))


@pytest.mark.slow
def test_min_attainable_barnard_boschloo_at_perfect_split():
    n1, n2 = 4, 5
    mins = min_attainable_pvalues(n1, n2)
    for name in ("barnard", "boschloo"):
        brute = min(tests_2x2(a, n1, c, n2)[name].pvalue for a in range(n1 + 1) for c in range(n2 + 1))
        assert mins[name] == pytest.approx(brute, rel=1e-9)


def test_smallest_attainable_p():
    # least probable table for 14 vs 15: 14/14 vs 0/15 with probability 1 / C(29, 14)
    assert smallest_attainable_p(14, 15) == pytest.approx(1 / math.comb(29, 14), rel=1e-12)
    # with 12 events fixed, the most extreme split is 12/14 vs 0/15
    p = smallest_attainable_p(14, 15, total_events=12)
    exact = math.comb(14, 12) / math.comb(29, 12)
    assert p == pytest.approx(exact, rel=1e-12)
    assert smallest_attainable_p(14, 15, total_events=0) == 1.0
    with pytest.raises(ValueError, match="total_events"):
        smallest_attainable_p(14, 15, total_events=30)
    with pytest.raises(TypeError, match="n_ctrl"):
        smallest_attainable_p(14, "15")


def test_one_sample_binomial():
    # trial-facts.md: 9/14 improved, exact binomial test against 0.5: p = 0.424;
    # exact: P(X <= 5) + P(X >= 9) = 2 * sum_{k>=9} C(14,k) / 2^14
    exact = 2 * sum(math.comb(14, k) for k in range(9, 15)) / 2 ** 14
    chk = check_reported_p_one_sample("P < 0.0001", 9, 14)
    assert chk.pvalues["binomial"] == pytest.approx(exact, rel=1e-12)
    assert round(chk.pvalues["binomial"], 3) == 0.424
    assert not chk.consistent
    assert chk.min_attainable_p == pytest.approx(2 * 0.5 ** 14)
    assert chk.min_attainable_p > 0.0001 and "No result with 14 patients" in chk.verdict
    assert check_reported_p_one_sample("P = 0.42", 9, 14).consistent
    with pytest.raises(ValueError, match="null"):
        check_reported_p_one_sample("P = 0.42", 9, 14, null=1.0)


def test_check_reported_p_rejects_bad_counts():
    with pytest.raises(ValueError, match="events_treat"):
        check_reported_p("P = 0.5", 15, 14, 4, 15)
    with pytest.raises(ValueError, match="reported"):
        check_reported_p("NS", 8, 14, 4, 15)
    assert np.isfinite(list(check_reported_p("P = 0.5", 0, 14, 0, 15).pvalues.values())).all()


# ----------------------------------------------------------------------------- numpy scalars

def test_numpy_float32_percentage_reads_as_typed():
    from appraise.consistency import parse_percentage

    rep = parse_percentage(np.float32(28.6))
    assert (rep.value, rep.decimals, rep.text) == (28.6, 1, "28.6%")
    # 4/14 = 28.571...% rounds to 28.6 at one decimal (exact arithmetic)
    assert check_percentage(np.float32(28.6), 14).candidates == (4,)
    assert check_percentage(np.float64(28.6), 14).candidates == (4,)
    assert check_percentage(np.int64(57), np.int64(14)).candidates == (8,)


def test_numpy_reported_p_is_consistent_and_shown_plainly():
    # Fisher's two-sided p for 7/14 vs 12/15 is 0.12814 (scipy.stats.fisher_exact), 0.1281 at 4 decimals
    assert round(stats.fisher_exact([[7, 7], [12, 3]]).pvalue, 4) == 0.1281
    for value in (np.float32(0.1281), np.float64(0.1281), 0.1281):
        chk = check_reported_p(value, 7, 14, 12, 15)
        assert chk.consistent and "fisher" in chk.matching_tests
        assert chk.reported.text == "0.1281"
        assert "np.float" not in chk.verdict and "0.1281" in chk.verdict


def test_bool_is_not_a_number_anywhere():
    for value in (True, np.True_):
        with pytest.raises(TypeError, match="reported"):
            check_reported_p(value, 7, 14, 12, 15)
        with pytest.raises(TypeError, match="n"):
            check_percentage("28%", value)


# ----------------------------------------------------------------------------- large n

def _fits_by_enumeration(reported_value, decimals, n, truncate=False):
    # reference: every k in 0..n, exact fractions (the loop the arithmetic replaces)
    v = Fraction(str(reported_value))
    unit = Fraction(1, 10**decimals)
    low, high = (v, v + unit) if truncate else (v - unit / 2, v + unit / 2)
    return tuple(k for k in range(n + 1) if low <= Fraction(100 * k, n) < high)


@pytest.mark.parametrize("text,n", [("28%", 14), ("28%", 15), ("28.6%", 14), ("50%", 1000), ("0%", 999),
                                    ("100%", 37), ("33.3%", 3), ("12.35%", 2000), ("99.9%", 1001)])
def test_percentage_fits_by_arithmetic_equal_enumeration(text, n):
    from appraise.consistency import parse_percentage

    rep = parse_percentage(text)
    chk = check_percentage(text, n, rounding="either")
    assert chk.by_rounding == _fits_by_enumeration(text.rstrip("%"), rep.decimals, n)
    assert chk.by_truncation == _fits_by_enumeration(text.rstrip("%"), rep.decimals, n, truncate=True)
    v = Fraction(text.rstrip("%"))
    nearest = min(range(n + 1), key=lambda k: (abs(Fraction(100 * k, n) - v), k))
    assert chk.nearest_k == nearest


def test_percentage_at_ten_million_is_fast_and_summarised():
    import time

    start = time.perf_counter()
    chk = check_percentage("28%", 10**7)
    assert time.perf_counter() - start < 1.0
    # 27.5% <= 100 k / 10^7 < 28.5%: k = 2,750,000 .. 2,849,999
    assert chk.candidates[0] == 2_750_000 and chk.candidates[-1] == 2_849_999
    assert len(chk.candidates) == 100_000
    assert "100,000 values" in chk.message and len(chk.message) < 300


def test_reported_p_at_large_arms_skips_uncomputed_tests():
    # 600 per arm: Barnard and Boschloo are past appraise._limits.MAX_UNCONDITIONAL_N
    chk = check_reported_p("P = 0.05", 300, 600, 330, 600)
    assert set(chk.pvalues) == {"fisher", "chi2", "chi2_yates"}
    # the chi-square p-value, by scipy directly
    expected = stats.chi2_contingency([[300, 300], [330, 270]], correction=False).pvalue
    assert chk.pvalues["chi2"] == pytest.approx(expected, rel=1e-12)
    assert "3 computed standard two-sided tests" in chk.verdict or chk.consistent
    assert math.isnan(chk.min_attainable_by_test["barnard"])
    assert chk.min_attainable_p_test in ("fisher", "chi2", "chi2_yates")


def test_minimum_attainable_p_without_the_table_equals_enumeration():
    from appraise.consistency import min_attainable_pvalues, smallest_attainable_p
    from appraise.tests2x2 import fisher_pvalue_table

    for n1, n2 in [(1, 1), (1, 5), (14, 15), (12, 29), (20, 20), (7, 40)]:
        table = fisher_pvalue_table(n1, n2)
        mins = min_attainable_pvalues(n1, n2)
        assert mins["fisher"] == pytest.approx(float(table.min()), rel=1e-12)
        # chi-square minima: every table, scipy's statistic (reference enumeration)
        for name, corr in (("chi2", False), ("chi2_yates", True)):
            best = 1.0
            for a in range(n1 + 1):
                for c in range(n2 + 1):
                    if 0 < a + c < n1 + n2:
                        best = min(best, stats.chi2_contingency([[a, n1 - a], [c, n2 - c]],
                                                                correction=corr).pvalue)
            assert mins[name] == pytest.approx(best, rel=1e-9)
        for m in range(n1 + n2 + 1):
            a = np.arange(max(0, m - n2), min(m, n1) + 1)
            assert smallest_attainable_p(n1, n2, total_events=m) == pytest.approx(
                float(table[a, m - a].min()), rel=1e-12)
    # past the table's size, from the closed form 1 / C(n, n1) (times 2 for equal arms)
    assert smallest_attainable_p(10**6, 10**6 + 1) == 0.0          # underflows, as scipy's does
    assert smallest_attainable_p(1000, 3) == pytest.approx(1 / math.comb(1003, 3), rel=1e-9)


def test_many_printed_decimals_are_compared_without_a_decimal_error():
    # 30 decimals exceed decimal's default 28-digit context: compared exactly, no InvalidOperation
    for text in ("P = 1e-30", "P = 0." + "0" * 29 + "1", "P = 0.1281" + "0" * 26):
        chk = check_reported_p(text, 7, 14, 12, 15)
        assert not chk.consistent           # Fisher gives 0.12813593..., not 0.1281 to 30 decimals
    assert check_reported_p("P = 0.12813593", 7, 14, 12, 15).matching_tests == ("fisher",)
