"""Appraisal flags: the exact codes for the bundled cards, the evidence numbers against
independent references, and small synthetic cards that do / do not trigger each check."""

import json
import math
import textwrap
from math import comb

import numpy as np
import pytest
from scipy import stats

from appraise.flags import SEVERITIES, Flag, appraise
from appraise.trials import load_trial

SEED_CODES = {
    "registration-retrospective", "registration-date-ambiguous", "p-value-irreproducible",
    "p-value-unverifiable", "percentage-inconsistent", "zero-events-small-n",
    "within-group-comparison", "nonsignificant-called-significant", "no-primary-outcome",
    "many-outcomes-no-correction", "underpowered", "fragile-result", "subgroup-by-outcome",
    "spin-in-conclusions",
    # the survival outcome read as time to death (card format 2): tests/test_flags_v2.py
    "logrank-p-impossible", "km-percentage",
}


@pytest.fixture(scope="module")
def seed_flags():
    return appraise(load_trial("mensc-secretome-covid19"))


@pytest.fixture(scope="module")
def capstone_flags():
    return appraise(load_trial("huc-msc-covid19-shu2020"))


def _one(flags, code, claim=None):
    found = [f for f in flags if f.code == code and (claim is None or f.claim == claim)]
    assert len(found) == 1, (code, claim, found)
    return found[0]


# ---------------------------------------------------------------------------
# the bundled cards
# ---------------------------------------------------------------------------

def test_seed_raises_exactly_these_codes(seed_flags):
    assert {f.code for f in seed_flags} == SEED_CODES


def test_capstone_raises_only_what_applies(capstone_flags):
    # randomisation claimed ("individually randomized") but doubtful: no method, 12 vs 29,
    # data collected retrospectively (trial-facts.md, capstone); hypertension "33.33%" for 3/12;
    # underpowered (0/12 vs 3/29 deaths).  No registration is recorded, no within-group
    # claims, and P = 0.543 for mortality is Fisher's exact p (0.5430), so no p-value flag
    # on the outcome.  Male sex "P = 0.794" (8/12 vs 16/29) matches none of the five tests
    # (scipy 1.17: Fisher 0.7289, chi2 0.4967, Yates 0.7404, Barnard 0.6015, Boschloo
    # 0.5480), so a baseline p-value flag is raised, as caution.  Baseline age 61.00 (17.87)
    # vs 57.86 (15.79) with "P = 0.576" is no t-test (tests/test_flags_v2.py).
    assert {f.code for f in capstone_flags} == {
        "randomisation-doubtful", "percentage-inconsistent", "underpowered",
        "p-value-irreproducible", "ttest-irreproducible"}
    assert {f.claim for f in capstone_flags if f.code == "p-value-irreproducible"} == {"male-p"}
    assert _one(capstone_flags, "p-value-irreproducible").severity == "caution"
    assert _one(capstone_flags, "randomisation-doubtful").severity == "caution"
    pct = _one(capstone_flags, "percentage-inconsistent")
    assert pct.claim == "hypertension-treat-pct"
    # 33.33% of 12 fits only 4/12 = 33.333...%; the printed count is 3 (3/12 = 25%)
    assert pct.evidence["candidates"] == [4] and pct.evidence["events"] == 3


def test_flags_are_sorted_and_well_formed(seed_flags, capstone_flags):
    for flags in (seed_flags, capstone_flags):
        keys = [(SEVERITIES.index(f.severity), f.code, f.claim) for f in flags]
        assert keys == sorted(keys)
        for f in flags:
            assert isinstance(f, Flag)
            assert f.severity in ("info", "caution", "serious")
            assert f.title and len(f.message) > 40
            json.dumps(f.evidence, allow_nan=False)   # JSON-serialisable, no NaN/inf


def test_flag_is_frozen(seed_flags):
    with pytest.raises(AttributeError):
        seed_flags[0].code = "x"


def test_appraise_rejects_non_trial():
    with pytest.raises(TypeError, match="trial must be a Trial.*'mensc-secretome-covid19'"):
        appraise("mensc-secretome-covid19")


# ---------------------------------------------------------------------------
# evidence numbers on the seed trial, against independent references
# ---------------------------------------------------------------------------

def test_registration_evidence(seed_flags):
    f = _one(seed_flags, "registration-retrospective")
    # hand arithmetic in tests/test_registration.py: 129 days after start, 76 after completion
    assert f.evidence["days_to_start"] == [129] and f.evidence["days_after_completion"] == [76]
    assert f.evidence["registry"] == "ClinicalTrials.gov"
    assert f.severity == "caution"   # the IRCT record predates the start under both readings
    a = _one(seed_flags, "registration-date-ambiguous")
    assert a.evidence["readings"] == ["2021-01-04", "2021-04-01"]
    assert a.evidence["verdict"] == "prospective" and a.severity == "info"


def test_survival_p_irreproducible_with_all_five_tests(seed_flags):
    f = _one(seed_flags, "p-value-irreproducible")
    assert f.claim == "survival-p" and f.severity == "serious"
    assert f.evidence["counts"] == [8, 14, 4, 15]
    p = f.evidence["pvalues"]
    assert set(p) == {"fisher", "chi2", "chi2_yates", "barnard", "boschloo"}
    # trial-facts.md (scipy 1.17): survival 8/14 vs 4/15 Fisher 0.1394, chi-square 0.0959
    assert p["fisher"] == pytest.approx(0.1394, abs=5e-5)
    assert p["chi2"] == pytest.approx(0.0959, abs=5e-5)
    table = np.array([[8, 6], [4, 11]])          # rows: arms
    assert p["chi2_yates"] == pytest.approx(stats.chi2_contingency(table, correction=True).pvalue)
    # Barnard's and Boschloo's tests condition on the sizes of the two binomial samples, which
    # scipy (like R's Barnard::barnard.test) takes to be the COLUMN totals: arms go in columns.
    assert p["barnard"] == pytest.approx(stats.barnard_exact(table.T).pvalue, rel=1e-6)
    assert p["boschloo"] == pytest.approx(stats.boschloo_exact(table.T).pvalue, rel=1e-6)
    assert f.evidence["matching_tests"] == []
    # the smallest attainable p for 14 vs 15 is far below 0.0001 (0/14 vs 15/15: Fisher
    # p = 2 / C(29, 14) by hand, since only the two extreme tables share that probability)
    assert f.evidence["min_attainable_p"] <= 2 / comb(29, 14) * 1.000001


def test_single_arm_p_unverifiable_binomial(seed_flags):
    f = _one(seed_flags, "p-value-unverifiable")
    assert f.claim == "oxygen-p"
    # exact two-sided binomial test of 9/14 against 0.5, by hand:
    # P(X >= 9) = (C(14,9)+...+C(14,14)) / 2^14 = (2002+1001+364+91+14+1)/16384 = 3473/16384
    # doubled (symmetric null): 6946/16384 = 0.42395 (trial-facts.md: 0.424)
    by_hand = 2 * sum(comb(14, k) for k in range(9, 15)) / 2 ** 14
    assert by_hand == pytest.approx(0.42395, abs=1e-5)
    (p,) = f.evidence["pvalues"].values()
    assert p == pytest.approx(by_hand, rel=1e-9)
    assert f.evidence["consistent_with_binomial_test"] is False


def test_percentage_28_fits_neither_14_nor_15(seed_flags):
    f = _one(seed_flags, "percentage-inconsistent")
    assert f.claim == "survival-ctrl-pct"
    # by hand: k/15 -> 4/15 = 26.67% (27%), 5/15 = 33.3%; k/14 -> 4/14 = 28.57% (29%)
    assert f.evidence["n"] == 15 and f.evidence["candidates"] == []
    assert f.evidence["candidates_for_other_arm_sizes"] == {"14": []}


def test_zero_events_bounds(seed_flags):
    f = _one(seed_flags, "zero-events-small-n")
    assert f.claim == "adverse-events" and f.evidence["n"] == 14
    # Clopper-Pearson upper bound for 0/n at 95% two-sided, closed form 1 - 0.025**(1/n)
    assert f.evidence["exact_upper_95"] == pytest.approx(1 - 0.025 ** (1 / 14), rel=1e-9)
    assert round(f.evidence["exact_upper_95"], 4) == 0.2316
    assert f.evidence["exact_one_sided_upper_95"] == pytest.approx(1 - 0.05 ** (1 / 14), rel=1e-9)
    # rule of three (Hanley & Lippman-Hand 1983): 3/n
    assert f.evidence["rule_of_three_upper_95"] == pytest.approx(3 / 14)
    assert round(f.evidence["rule_of_three_upper_95"], 4) == 0.2143
    assert f.evidence["window"] == "72 hours after injection" and f.evidence["follow_up_days"] == 28
    assert "72 hours" in f.message and "28 days" in f.message


def test_within_group_one_flag_per_change(seed_flags):
    claims = {f.claim for f in seed_flags if f.code == "within-group-comparison"}
    assert claims == {"crp-change", "ferritin-change", "d-dimer-change", "cd4-change",
                      "cd8-change", "lung-involvement"}


def test_cd4_called_significant(seed_flags):
    f = _one(seed_flags, "nonsignificant-called-significant")
    assert f.claim == "cd4-change" and f.severity == "serious"
    assert f.evidence["p_value"] == pytest.approx(0.06) and f.evidence["p_relation"] == "="


def test_multiplicity_counts(seed_flags):
    f = _one(seed_flags, "many-outcomes-no-correction")
    # p-values printed: oxygen (single arm), survival (between arms), CRP, ferritin, D-dimer, CD4,
    # CD8, lung (within arm), lung by survival (subgroup): only survival compares the arms
    assert f.evidence["n_between_arm_pvalues"] == 1
    assert f.evidence["claims_with_between_arm_pvalues"] == ["survival-p"]
    assert f.evidence["n_other_pvalues"] == 8
    assert f.evidence["other_pvalues_by_comparison"] == {"single-arm": 1, "within-arm": 6, "subgroup": 1}
    assert f.evidence["n_outcomes_named"] == 7
    # 7 named outcomes, each comparable between the arms: family-wise error of 7 independent
    # tests at 0.05 is 1 - 0.95**7 = 0.3017 (not 1 - 0.95**9 = 0.370 over every printed p)
    assert f.evidence["n_tests_counted"] == 7
    assert f.evidence["chance_of_a_false_positive_if_independent"] == pytest.approx(1 - 0.95 ** 7)
    assert f.evidence["bonferroni_threshold"] == pytest.approx(0.05 / 7)
    assert "37" not in f.message and "30.2%" in f.message
    assert "1 p-value comparing the arms" in f.message
    assert "The other 8 p-values are not counted" in f.message
    assert "not reported" in f.message


def _within_claims(n):
    return "".join(f"""
        [[claims]]
        id = "w{i}"
        kind = "change"
        text = "marker {i} fell"
        measure = "marker {i}"
        arm = "treatment"
        comparison = "within-arm"
        reported_p = "P = 0.01"
        where = "Results"
        """ for i in range(n))


def _between_claims(n):
    return "".join(f"""
        [[claims]]
        id = "b{i}"
        kind = "statement"
        text = "outcome {i} differed"
        measure = "outcome {i}"
        comparison = "between-arms"
        reported_p = "P = 0.2"
        where = "Results"
        """ for i in range(n))


def test_multiplicity_ignores_within_arm_pvalues(tmp_path):
    # six within-arm p-values and one named outcome: nothing shares the null "no treatment effect"
    trial = card(tmp_path, _within_claims(6))
    assert "many-outcomes-no-correction" not in codes(trial)
    # six between-arm p-values: the family-wise error is over those six
    trial = card(tmp_path, _between_claims(6) + _within_claims(2))
    f = _one(appraise(trial), "many-outcomes-no-correction")
    assert f.evidence["n_between_arm_pvalues"] == 6 and f.evidence["n_other_pvalues"] == 2
    assert f.evidence["tests_counted"] == "between-arm p-values"
    # reference: P(at least one of 6 independent uniform p-values < 0.05) = 1 - 0.95**6 = 0.2649
    assert f.evidence["chance_of_a_false_positive_if_independent"] == pytest.approx(1 - 0.95 ** 6)
    assert "among them would be 26.5%" in f.message
    assert "The other 2 p-values are not counted (2 within-arm)" in f.message
    assert "states that no adjustment" in f.message


def _fisher_power_by_loop(p1, p2, n1, n2, alpha=0.05):
    """Exact power of the two-sided Fisher test by a plain loop over scipy.fisher_exact."""
    total = 0.0
    for a in range(n1 + 1):
        for c in range(n2 + 1):
            if stats.fisher_exact([[a, n1 - a], [c, n2 - c]]).pvalue < alpha:
                total += stats.binom.pmf(a, n1, p1) * stats.binom.pmf(c, n2, p2)
    return total


def test_underpowered_evidence(seed_flags):
    flags = {f.claim: f for f in seed_flags if f.code == "underpowered"}
    assert set(flags) == {"intubation", "survival"}
    for claim, (a, n1, c, n2) in {"intubation": (7, 14, 12, 15), "survival": (8, 14, 4, 15)}.items():
        ev = flags[claim].evidence
        by_loop = _fisher_power_by_loop(a / n1, c / n2, n1, n2)
        assert ev["power"] == pytest.approx(by_loop, rel=1e-9)
        assert ev["power"] < 0.5          # "far below 80%"
        n = ev["n_per_arm_needed"]
        assert ev["n_per_arm_method"] == "fisher"
        assert n > max(n1, n2)
        # at the stated size the exact power reaches 80% (checked by the independent loop)
        assert _fisher_power_by_loop(a / n1, c / n2, n, n) >= 0.8


def _fisher_p(a, n1, c, n2):
    return stats.fisher_exact([[a, n1 - a], [c, n2 - c]]).pvalue


def test_fragile_results(seed_flags):
    flags = {f.claim: f for f in seed_flags if f.code == "fragile-result"}
    # intubation 7/14 vs 12/15: two fewer intubations among the treated (5/14) -> significant
    ev = flags["intubation"].evidence
    assert ev["kind"] == "reverse fragility index" and ev["index"] == 2
    assert _fisher_p(6, 14, 12, 15) >= 0.05 and _fisher_p(5, 14, 12, 15) < 0.05
    assert ev["pvalue_after"] == pytest.approx(_fisher_p(5, 14, 12, 15))
    assert ev["pvalue"] == pytest.approx(0.1281, abs=5e-5)   # trial-facts.md
    # every flagged index is between 0 and 2, and the p-value after the change is < 0.05
    for f in flags.values():
        assert 0 <= f.evidence["index"] <= 2 and f.evidence["pvalue_after"] < 0.05


def test_subgroup_and_spin(seed_flags):
    assert _one(seed_flags, "subgroup-by-outcome").claim == "lung-survivors"
    spin = {f.claim: f for f in seed_flags if f.code == "spin-in-conclusions"}
    assert {"conclusion-first", "conclusion-mechanism"} <= set(spin)
    ev = spin["conclusion-first"].evidence
    assert "for the first time" in ev["matched_wording"]
    # trial-facts.md: intubation Fisher 0.1281; survival 8/14 vs 4/15 Fisher 0.1394
    assert ev["between_arm_fisher_p"]["intubation"] == pytest.approx(0.1281, abs=5e-5)
    assert ev["between_arm_fisher_p"]["survival"] == pytest.approx(0.1394, abs=5e-5)


def test_safe_conclusion_answered_with_the_zero_event_bound(seed_flags):
    from scipy.stats import binomtest

    f = next(f for f in seed_flags if f.code == "spin-in-conclusions" and f.claim == "conclusion-safety")
    ev = f.evidence
    assert ev["about"] == "safety" and "between_arm_fisher_p" not in ev
    # exact (Clopper-Pearson) upper bound for 0/14: scipy's binomtest, 0.2316 (1 - 0.025**(1/14))
    reference = binomtest(0, 14).proportion_ci(method="exact").high
    assert reference == pytest.approx(0.2316, abs=5e-5)
    (zero,) = ev["zero_event_claims"]
    assert zero["n"] == 14 and zero["events"] == 0 and zero["window"] == "72 hours after injection"
    assert zero["exact_upper_95"] == pytest.approx(reference, rel=1e-9)
    assert "0 events in 14" in f.message and "23.2%" in f.message and "72 hours" in f.message
    assert "followed for 28 days" in f.message
    # the efficacy p-values belong to the efficacy wording, not to "safe"
    assert "p = 0.128" not in f.message and "intubation" not in f.message


# ---------------------------------------------------------------------------
# synthetic cards
# ---------------------------------------------------------------------------

BASE = """\
schema_version = 1
id = "synthetic"
short_title = "Synthetic trial"

[citation]
authors = ["Doe J"]
title = "A synthetic trial"
journal = "Journal of Examples"
year = 2020
doi = "10.0000/example"

[design]
allocation = "{allocation}"
blinding = "double-blind"
control = "placebo"
phase = "{phase}"
population = "adults"
intervention = "drug"
comparator = "placebo"
multiplicity_adjustment = {adjusted}
outcomes_named = [{named}]
{primary}
where = "Methods"

[[arms]]
role = "treatment"
label = "Drug"
n_analysed = {n1}
where = "Results"

[[arms]]
role = "control"
label = "Placebo"
n_analysed = {n2}
where = "Results"

[[outcomes]]
id = "death"
label = "Death"
event = "died"
event_is_bad = true
events_treat = {a}
n_treat = {n1}
events_ctrl = {c}
n_ctrl = {n2}
where = "Results"
"""


def card(tmp_path, extra="", *, allocation="randomised", phase="III", adjusted="false",
         named=("death",), primary='primary_outcome = "death"', a=10, n1=200, c=40, n2=200):
    text = BASE.format(allocation=allocation, phase=phase, adjusted=adjusted,
                       named=", ".join(f'"{x}"' for x in named), primary=primary,
                       a=a, n1=n1, c=c, n2=n2) + textwrap.dedent(extra)
    path = tmp_path / "synthetic.toml"
    path.write_text(text, encoding="utf-8")
    return load_trial(str(path))


def codes(trial):
    return {f.code for f in appraise(trial)}


def test_clean_synthetic_trial_raises_nothing(tmp_path):
    # 10/200 vs 40/200: Fisher p ~ 1e-6, power ~ 1, fragility index large
    assert _fisher_p(10, 200, 40, 200) < 1e-5
    assert codes(card(tmp_path)) == set()


def test_non_randomised(tmp_path):
    assert "non-randomised-allocation" in codes(card(tmp_path, allocation="non-randomised"))


def _split_pvalue(k, n, share):
    """Two-sided exact binomial p (sum of outcomes no more likely than k), from math.comb."""
    pmf = [math.comb(n, i) * share ** i * (1 - share) ** (n - i) for i in range(n + 1)]
    return sum(p for p in pmf if p <= pmf[k] * (1 + 1e-7))


def test_capstone_randomisation_doubtful(capstone_flags):
    f = _one(capstone_flags, "randomisation-doubtful")
    ev = f.evidence
    # trial-facts.md: "individually randomized" (preprint Methods), data "collected
    # retrospectively", no randomisation method or ratio reported, arms 12 vs 29
    assert "'individually randomized'" in f.message and "collected retrospectively" in f.message
    assert ev["randomisation_method"] == "not reported" and ev["data_collection"] == "retrospective"
    assert (ev["n_treat"], ev["n_ctrl"], ev["ratio"], ev["ratio_used"]) == (12, 29, None, "1:1")
    # 12 or fewer (or 29 or more) of 41 under 1:1: 2 * sum_{k<=12} C(41, k) / 2**41 = 0.0115
    reference = _split_pvalue(12, 41, 0.5)
    assert reference == pytest.approx(2 * sum(math.comb(41, k) for k in range(13)) / 2 ** 41)
    assert ev["split_pvalue"] == pytest.approx(reference, rel=1e-9) and ev["split_far_from_ratio"]
    assert "probability 0.012" in f.message and "no method" in f.message
    assert "non-randomised-allocation" not in {g.code for g in capstone_flags}


RANDOMISED_DOUBT = """
allocation_as_reported = "'randomly assigned'"
{extra}
"""


def _randomised_card(tmp_path, extra="", **kwargs):
    trial = card(tmp_path, **kwargs)
    path = tmp_path / "synthetic.toml"
    text = path.read_text(encoding="utf-8").replace(
        'where = "Methods"\n', RANDOMISED_DOUBT.format(extra=extra).lstrip() + 'where = "Methods"\n', 1)
    path.write_text(text, encoding="utf-8")
    return load_trial(str(path))


def test_randomisation_doubtful_rules(tmp_path):
    # 14 vs 15 randomised, data collected prospectively or not said: no doubt raised
    assert "randomisation-doubtful" not in codes(_randomised_card(tmp_path, n1=14, c=5, n2=15))
    # retrospective data collection alone raises it
    t = _randomised_card(tmp_path, 'data_collection = "retrospective"', n1=14, c=5, n2=15)
    f = _one(appraise(t), "randomisation-doubtful")
    assert f.evidence["split_far_from_ratio"] is False and "retrospectively" in f.message
    # 60 vs 140 under an implied 1:1: two-sided binomial p far below 0.05
    t = _randomised_card(tmp_path, a=5, n1=60, c=40, n2=140)
    f = _one(appraise(t), "randomisation-doubtful")
    assert f.evidence["split_pvalue"] == pytest.approx(_split_pvalue(60, 200, 0.5), rel=1e-6)
    assert "'randomly assigned'" in f.message
    # the same arms under a stated 1:2 ratio: 60 of 200 at 1/3 is not uneven (p = 0.36)
    t = _randomised_card(tmp_path, 'ratio = "1:2"', a=5, n1=60, c=40, n2=140)
    assert _split_pvalue(60, 200, 1 / 3) > 0.05
    assert "randomisation-doubtful" not in codes(t)
    # a reported method is not listed among the reasons
    t = _randomised_card(tmp_path, 'randomisation_method = "computer-generated list"\n'
                         'data_collection = "retrospective"', n1=14, c=5, n2=15)
    f = _one(appraise(t), "randomisation-doubtful")
    assert "no method" not in f.message
    assert f.evidence["randomisation_method"] == "computer-generated list"


REG = """
[[registrations]]
registry = "R"
id = "R-1"
date = "{date}"
date_format = "{fmt}"
where = "Registry"

[dates]
start = 2021-04-17
completion = 2021-06-09
where = "Registry"
"""


@pytest.mark.parametrize("date, fmt, expected", [
    ("2021-04-10", "YYYY-MM-DD", set()),
    ("2021-04-17", "YYYY-MM-DD", set()),                                   # on the start day
    ("2021-05-01", "YYYY-MM-DD", {"registration-retrospective"}),
    ("24/08/2021", "DD/MM/YYYY", {"registration-retrospective"}),
    ("04/01/2021", "DD/MM/YYYY", {"registration-date-ambiguous"}),
    ("05/04/2021", "DD/MM/YYYY", {"registration-date-ambiguous"}),         # readings disagree
])
def test_registration_checks(tmp_path, date, fmt, expected):
    flags = appraise(card(tmp_path, REG.format(date=date, fmt=fmt)))
    assert {f.code for f in flags} == expected
    if date == "05/04/2021":
        assert flags[0].severity == "caution"
    if date == "24/08/2021":
        assert flags[0].severity == "serious"     # after completion, no prospective record


def test_pvalue_checks(tmp_path):
    good = card(tmp_path, """
        [[claims]]
        id = "death-p"
        kind = "p-value"
        text = "P < 0.001"
        outcome = "death"
        comparison = "between-arms"
        where = "Results"
        """)
    assert codes(good) == set()
    bad = card(tmp_path, """
        [[claims]]
        id = "death-p"
        kind = "p-value"
        text = "P = 0.30"
        outcome = "death"
        comparison = "between-arms"
        where = "Results"
        """)
    assert codes(bad) == {"p-value-irreproducible"}


def test_single_arm_p(tmp_path):
    extra = """
        [[claims]]
        id = "resp"
        kind = "p-value"
        text = "{p}"
        arm = "treatment"
        events = 150
        denominator = 200
        comparison = "single-arm"
        where = "Results"
        """
    # 150/200 vs 0.5: binomial p ~ 1e-12, so "P < 0.0001" fits but is still unverifiable
    assert stats.binomtest(150, 200, 0.5).pvalue < 1e-10
    flags = appraise(card(tmp_path, extra.format(p="P < 0.0001")))
    assert [f.code for f in flags] == ["p-value-unverifiable"]
    assert flags[0].evidence["consistent_with_binomial_test"] is True


def test_percentage_checks(tmp_path):
    extra = """
        [[claims]]
        id = "pct"
        kind = "percentage"
        text = "{text}"
        outcome = "death"
        arm = "treatment"
        where = "Results"
        """
    assert codes(card(tmp_path, extra.format(text="5%"))) == set()       # 10/200 = 5%
    assert codes(card(tmp_path, extra.format(text="5.5%"))) == {"percentage-inconsistent"}  # 11/200
    assert codes(card(tmp_path, extra.format(text="5.25%"))) == {"percentage-inconsistent"}  # no k/200


def test_zero_events(tmp_path):
    extra = """
        [[claims]]
        id = "ae"
        kind = "zero-events"
        text = "no adverse events"
        arm = "treatment"
        where = "Results"
        """
    f = _one(appraise(card(tmp_path, extra)), "zero-events-small-n")
    assert f.evidence["n"] == 200
    assert f.evidence["exact_upper_95"] == pytest.approx(1 - 0.025 ** (1 / 200))


def test_within_group_and_significance_wording(tmp_path):
    extra = """
        [[claims]]
        id = "crp"
        kind = "change"
        text = "fell by 30%"
        measure = "CRP"
        arm = "treatment"
        comparison = "within-arm"
        reported_p = "{p}"
        described_as = "{desc}"
        where = "Results"
        """
    assert codes(card(tmp_path, extra.format(p="P = 0.03", desc="significant decline"))) == {
        "within-group-comparison"}
    assert codes(card(tmp_path, extra.format(p="P = 0.08", desc="significant decline"))) == {
        "within-group-comparison", "nonsignificant-called-significant"}
    assert codes(card(tmp_path, extra.format(p="P = 0.08", desc="not significant"))) == {
        "within-group-comparison"}
    assert codes(card(tmp_path, extra.format(p="P = 0.05", desc="significant"))) == {
        "within-group-comparison", "nonsignificant-called-significant"}


def test_primary_outcome(tmp_path):
    named = ("death", "stay", "oxygen")
    assert codes(card(tmp_path, named=named, primary="")) == {"no-primary-outcome"}
    assert codes(card(tmp_path, named=named)) == set()
    assert codes(card(tmp_path, named=("death",), primary="")) == set()


def test_multiplicity(tmp_path):
    named = ("a", "b", "c", "d", "e")
    assert codes(card(tmp_path, named=named)) == {"many-outcomes-no-correction"}
    assert codes(card(tmp_path, named=named, adjusted="true")) == set()
    assert codes(card(tmp_path, named=named[:4])) == set()


def test_underpowered_and_fragile(tmp_path):
    # 7/14 vs 12/15 reproduced in a synthetic card
    c = codes(card(tmp_path, a=7, n1=14, c=12, n2=15))
    assert {"underpowered", "fragile-result"} <= c
    # 5/20 vs 6/20: underpowered but not fragile (no change of 1 or 2 patients reaches p < 0.05)
    assert all(_fisher_p(a, 20, c2, 20) >= 0.05
               for a in range(3, 8) for c2 in range(4, 9) if abs(a - 5) + abs(c2 - 6) <= 2
               and (a == 5 or c2 == 6))
    flags = appraise(card(tmp_path, a=5, n1=20, c=6, n2=20))
    assert [f.code for f in flags] == ["underpowered"]
    # 25% vs 30% needs well over 150 per arm: the normal approximation is reported
    assert flags[0].evidence["n_per_arm_method"] == "normal approximation"
    assert flags[0].evidence["n_per_arm_needed"] > 1000


def test_significant_fragile_result(tmp_path):
    # 1/14 vs 12/15 is significant; its fragility index is 5 (fragility module docs) -> no flag
    assert "fragile-result" not in codes(card(tmp_path, a=1, n1=14, c=12, n2=15))
    # 10/100 vs 22/100: Fisher p just under 0.05; one patient more among the treated undoes it
    p0, p1 = _fisher_p(10, 100, 22, 100), _fisher_p(11, 100, 22, 100)
    assert p0 < 0.05 <= p1
    f = _one(appraise(card(tmp_path, a=10, n1=100, c=22, n2=100)), "fragile-result")
    assert f.evidence["kind"] == "fragility index" and f.evidence["index"] == 1


def test_subgroup_by_outcome(tmp_path):
    extra = """
        [[claims]]
        id = "sub"
        kind = "statement"
        text = "{text}"
        comparison = "subgroup"
        reported_p = "P < 0.01"
        where = "Results"
        """
    assert codes(card(tmp_path, extra.format(text="scores differed between survivors and non-survivors"))) \
        == {"subgroup-by-outcome"}
    assert codes(card(tmp_path, extra.format(text="the effect was larger in women"))) == set()


def test_spin(tmp_path):
    extra = """
        [[claims]]
        id = "concl"
        kind = "conclusion"
        text = "the drug reverses lung damage, shown for the first time"
        where = "Conclusions"
        """
    # small, phase I/II, non-significant -> spin
    assert "spin-in-conclusions" in codes(card(tmp_path, extra, phase="I/II", a=7, n1=14, c=12, n2=15))
    # significant between-arm result -> the wording is not flagged
    assert "spin-in-conclusions" not in codes(card(tmp_path, extra, phase="I/II"))
    # neutral wording -> not flagged
    neutral = extra.replace("the drug reverses lung damage, shown for the first time",
                            "a larger trial is needed")
    assert "spin-in-conclusions" not in codes(card(tmp_path, neutral, phase="I/II", a=7, n1=14, c=12, n2=15))


def test_spin_on_safety_without_harm_counts(tmp_path):
    extra = """
        [[claims]]
        id = "concl"
        kind = "conclusion"
        text = "the treatment was safe"
        where = "Conclusions"
        """
    # safety wording is answered even when efficacy is significant (10/200 vs 40/200)
    f = _one(appraise(card(tmp_path, extra, phase="I/II")), "spin-in-conclusions")
    from scipy.stats import binomtest

    # no harm count on the card: the bound no events in the 200 treated would give
    bound = binomtest(0, 200).proportion_ci(method="exact").high    # 0.0181
    assert f.evidence["about"] == "safety" and f.evidence["zero_event_claims"] == []
    assert f"{100 * bound:.1f}%" in f.message and "no count of harms" in f.message


def test_every_evidence_is_finite(seed_flags):
    def walk(x):
        if isinstance(x, float):
            assert math.isfinite(x)
        elif isinstance(x, dict):
            for v in x.values():
                walk(v)
        elif isinstance(x, list):
            for v in x:
                walk(v)
    for f in seed_flags:
        walk(f.evidence)


# ---------------------------------------------------------------------------
# unknown is not "no": tri-state design facts
# ---------------------------------------------------------------------------

def _card_without(tmp_path, key, **kwargs):
    trial = card(tmp_path, **kwargs)
    path = tmp_path / "synthetic.toml"
    text = "\n".join(line for line in path.read_text(encoding="utf-8").splitlines()
                     if not line.startswith(f"{key} ="))
    path.write_text(text + "\n", encoding="utf-8")
    return load_trial(str(path)), trial


def test_multiplicity_not_reported_is_not_no(tmp_path):
    named = ("a", "b", "c", "d", "e")
    unknown, said_no = _card_without(tmp_path, "multiplicity_adjustment", named=named)
    assert said_no.design.multiplicity_adjustment is False
    assert unknown.design.multiplicity_adjustment is None
    f_no = _one(appraise(said_no), "many-outcomes-no-correction")
    f_unknown = _one(appraise(unknown), "many-outcomes-no-correction")
    assert "states that no adjustment" in f_no.message and f_no.evidence["multiplicity_adjustment"] == "no"
    assert "not reported" in f_unknown.message and "not reported" in f_unknown.title
    assert "no adjustment" not in f_unknown.message.lower()
    assert f_unknown.evidence["multiplicity_adjustment"] == "not reported"


def test_sample_size_not_reported_is_not_no(tmp_path):
    named = ("death", "stay", "oxygen")
    unknown = card(tmp_path, named=named, primary="")
    assert unknown.design.sample_size_calculation is None
    f = _one(appraise(unknown), "no-primary-outcome")
    assert "not reported" in f.message and f.evidence["sample_size_calculation"] == "not reported"
    path = tmp_path / "synthetic.toml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        'where = "Methods"', 'sample_size_calculation = false\nwhere = "Methods"', 1), encoding="utf-8")
    f = _one(appraise(load_trial(str(path))), "no-primary-outcome")
    assert "says no sample-size calculation" in f.message and f.evidence["sample_size_calculation"] == "no"


def test_flags_come_from_the_one_assessment():
    from appraise.verdicts import assess

    trial = load_trial("mensc-secretome-covid19")
    a = assess(trial)
    assert list(a.flags) == appraise(trial)
    by_claim = {v.claim_id: v for v in a.verdicts}
    for f in a.flags:
        if f.claim in by_claim:
            assert f.code in by_claim[f.claim].flag_codes
            assert by_claim[f.claim].status in ("flagged", "inconsistent")
