"""Question banks of lessons 1-4: each expected answer for the seed trial equals an
independent value (the paper's figures as listed in the trial facts, exact arithmetic, or a
computation by a different method), and ``check`` accepts it and rejects a wrong one.

The seed trial: Fathi-Kazerooni et al., Stem Cell Research & Therapy 2022;13:96,
doi:10.1186/s13287-022-02771-w.  Intubation 7/14 vs 12/15; survival 8/14 vs 4/15;
9 of 14 with improved oxygen.
"""

from __future__ import annotations

import math
from fractions import Fraction
from itertools import product

import numpy as np
import pytest
from scipy import stats

from appraise.exercises import check, expected_answer, get_question, list_questions

SEED = "mensc-secretome-covid19"
CAPSTONE = "huc-msc-covid19-shu2020"

IDS = {
    "lesson01": ["lesson01-follow-up-days", "lesson01-n-control", "lesson01-primary-outcome-stated",
                 "lesson01-randomisation-limit"],
    "lesson02": ["lesson02-fisher-p", "lesson02-risk-difference", "lesson02-risk-ratio",
                 "lesson02-smallest-p-test"],
    "lesson03": ["lesson03-inconsistent-percentage", "lesson03-logrank-low-one-more-death",
                 "lesson03-reported-outcome-fisher-p", "lesson03-single-arm-p", "lesson03-tables-below-reported-p"],
    "lesson04": ["lesson04-n-80", "lesson04-n-90", "lesson04-power-observed", "lesson04-type-m"],
}


@pytest.mark.parametrize("bank", sorted(IDS))
def test_banks_register_the_lesson_ids(bank):
    assert list_questions(bank) == IDS[bank]


# ---------------------------------------------------------------------------- lesson 1

def test_lesson01_values():
    # trial-facts.md, Results: "intubation within 28 days | treated 7 (50%), control 12 (80%)
    # | 7/14 vs 12/15" -> 15 analysed controls
    assert expected_answer("lesson01-n-control") == 15
    # trial-facts.md, Design: "Follow-up: 28 days after treatment."
    assert expected_answer("lesson01-follow-up-days") == 28
    # trial-facts.md, Design: "The abstract names no single primary outcome"
    assert expected_answer("lesson01-primary-outcome-stated") is False
    # randomisation protects against systematic imbalance (a, c), not chance imbalance (b)
    assert expected_answer("lesson01-randomisation-limit") == "b"


def test_lesson01_choice_and_bool_checking(capsys):
    assert check("lesson01-randomisation-limit", "B")
    assert not check("lesson01-randomisation-limit", "a")
    assert check("lesson01-primary-outcome-stated", "no")
    assert not check("lesson01-primary-outcome-stated", True)
    capsys.readouterr()


def test_lesson01_missing_follow_up_is_reported_not_raised(capsys):
    # the capstone card records no follow-up period: check explains instead of raising
    result = check("lesson01-follow-up-days", 28, trial=CAPSTONE)
    assert not result and "cannot be checked" in result.message
    capsys.readouterr()


# ---------------------------------------------------------------------------- lesson 2

def test_lesson02_values():
    # exact arithmetic on the counts 7/14 vs 12/15 (trial-facts.md)
    rd = Fraction(7, 14) - Fraction(12, 15)          # -3/10
    rr = Fraction(7, 14) / Fraction(12, 15)          # 5/8
    assert expected_answer("lesson02-risk-difference") == pytest.approx(float(rd), abs=1e-12)
    assert expected_answer("lesson02-risk-ratio") == pytest.approx(float(rr), abs=1e-12)
    # trial-facts.md: "intubation 7/14 vs 12/15: Fisher exact p = 0.1281" (scipy 1.17)
    assert expected_answer("lesson02-fisher-p") == pytest.approx(0.1281, abs=5e-5)


def test_lesson02_fisher_p_by_direct_enumeration():
    # different method: hypergeometric probabilities from binomial coefficients (math.comb),
    # summed over the tables no more likely than the observed one (R fisher.test's rule)
    a, n1, c, n2 = 7, 14, 12, 15
    m = a + c
    total = math.comb(n1 + n2, m)
    probs = {x: Fraction(math.comb(n1, x) * math.comb(n2, m - x), total)
             for x in range(max(0, m - n2), min(m, n1) + 1)}
    p = sum(v for v in probs.values() if v <= probs[a])
    assert expected_answer("lesson02-fisher-p") == pytest.approx(float(p), rel=1e-9)


def test_lesson02_smallest_p_test():
    # trial-facts.md: Fisher 0.1281, Pearson chi-square 0.0894, Yates 0.1910, Barnard 0.1028,
    # Boschloo 0.1078 -> the uncorrected chi-square is the smallest
    assert expected_answer("lesson02-smallest-p-test") == "chi2"


def test_lesson02_number_checking(capsys):
    for same in ("-30%", -30, "-0.300", -0.3, "−30 %"):
        assert check("lesson02-risk-difference", same)
    assert check("lesson02-fisher-p", 0.128)
    # 0.13 is right to two decimals; the question asks for three: said in words
    assert "asks for 3 decimals" in check("lesson02-fisher-p", 0.13).message
    assert not check("lesson02-fisher-p", 0.05)
    # 0.25 is the odds ratio (7/7) / (12/3), not the risk ratio
    assert "odds ratio" in check("lesson02-risk-ratio", 0.25).message
    # 0.0894 is the Pearson chi-square p (trial-facts.md)
    assert "chi-square" in check("lesson02-fisher-p", 0.0894).message
    capsys.readouterr()


def test_lesson02_follows_the_lessons_outcome_id(capsys):
    # survival 8/14 vs 4/15 (trial-facts.md): RD = 8/14 - 4/15, Fisher p = 0.1394
    rd = float(Fraction(8, 14) - Fraction(4, 15))
    assert expected_answer("lesson02-risk-difference", outcome="survival") == pytest.approx(rd, abs=1e-12)
    assert expected_answer("lesson02-fisher-p", outcome="survival") == pytest.approx(0.1394, abs=5e-5)
    ok = check("lesson02-risk-difference", round(rd, 3), outcome="survival")
    assert ok and "8/14 vs 4/15" in ok.message and "7/14" not in ok.message
    capsys.readouterr()


# ---------------------------------------------------------------------------- lesson 3

def test_lesson03_values():
    # trial-facts.md: "28% matches no k/14 or k/15 when rounded (4/14 = 28.6%, 4/15 = 26.7%)"
    assert expected_answer("lesson03-inconsistent-percentage") == "28%"
    # trial-facts.md: "survival 8/14 vs 4/15: Fisher exact p = 0.1394"
    assert expected_answer("lesson03-reported-outcome-fisher-p") == pytest.approx(0.1394, abs=5e-5)
    # trial-facts.md: "9/14 improved, exact binomial test against 0.5: p = 0.424"
    assert expected_answer("lesson03-single-arm-p") == pytest.approx(0.424, abs=5e-4)


def test_lesson03_tables_below_bound_by_scipy():
    # different method: scipy.stats.fisher_exact on every table with the survival margins
    # (14 and 15 patients, 8 + 4 = 12 survivors), counted against the printed 0.0001
    n1, n2, m = 14, 15, 12
    below = sum(stats.fisher_exact([[a, n1 - a], [m - a, n2 - m + a]]).pvalue < 1e-4
                for a in range(max(0, m - n2), min(m, n1) + 1))
    assert expected_answer("lesson03-tables-below-reported-p") == below == 2


def test_lesson03_text_checking(capsys):
    assert check("lesson03-inconsistent-percentage", " 28% ")
    assert not check("lesson03-inconsistent-percentage", "57%")
    capsys.readouterr()


def test_lesson03_capstone_answers_follow_the_card(capsys):
    # capstone: hypertension "33.33%" for 3 of 12 (3/12 = 25%) -- trial-facts.md
    assert expected_answer("lesson03-inconsistent-percentage", trial=CAPSTONE) == "33.33%"
    # trial-facts.md: "Day-28 mortality: 0/12 vs 3/29 ... Fisher exact on these counts gives 0.5430"
    assert expected_answer("lesson03-reported-outcome-fisher-p", trial=CAPSTONE) == pytest.approx(0.5430, abs=5e-5)
    # no single-arm p-value on that card: a message, not an exception
    result = check("lesson03-single-arm-p", 0.5, trial=CAPSTONE)
    assert not result and "cannot be checked" in result.message
    capsys.readouterr()


# ---------------------------------------------------------------------------- lesson 4

def _power_by_scipy(p1, p2, n1, n2, alpha=0.05):
    """Exact Fisher power by brute force: scipy.stats.fisher_exact on every table."""
    pmf1 = stats.binom.pmf(np.arange(n1 + 1), n1, p1)
    pmf2 = stats.binom.pmf(np.arange(n2 + 1), n2, p2)
    return float(sum(pmf1[a] * pmf2[c] for a, c in product(range(n1 + 1), range(n2 + 1))
                     if stats.fisher_exact([[a, n1 - a], [c, n2 - c]]).pvalue <= alpha))


def test_lesson04_power_by_brute_force():
    # different method from appraise.power (matrix product over a cached p-value table)
    assert expected_answer("lesson04-power-observed") == pytest.approx(
        _power_by_scipy(0.5, 0.8, 14, 15), abs=1e-9)


@pytest.mark.slow
@pytest.mark.parametrize("qid, target", [("lesson04-n-80", 0.8), ("lesson04-n-90", 0.9)])
def test_lesson04_sample_size_by_brute_force(qid, target):
    # definition: the smallest n per arm whose exact Fisher power (brute force) reaches target
    n = expected_answer(qid)
    assert _power_by_scipy(0.5, 0.8, n, n) >= target
    for smaller in range(n - 3, n):
        assert _power_by_scipy(0.5, 0.8, smaller, smaller) < target


def test_lesson04_sample_size_near_r_power_prop_test():
    # R: power.prop.test(p1 = 0.5, p2 = 0.8, power = 0.8) gives n = 38.48 per group, and
    # power = 0.9 gives n = 51.48 (normal approximation).  Fisher's exact test is
    # conservative, so the exact sizes are somewhat larger.
    n80, n90 = expected_answer("lesson04-n-80"), expected_answer("lesson04-n-90")
    assert 39 <= n80 <= 39 * 1.25
    assert 52 <= n90 <= 52 * 1.25
    assert n80 < n90


def test_lesson04_type_m_by_simulation():
    # Gelman & Carlin (2014) by Monte Carlo instead of the closed form: estimates drawn
    # from Normal(D, se) with the Wald se of 7/14 vs 12/15, kept when |est| > 1.96 se
    se = math.sqrt(0.5 * 0.5 / 14 + 0.8 * 0.2 / 15)
    rng = np.random.default_rng(20140601)
    est = rng.normal(-0.10, se, size=2_000_000)
    sig = np.abs(est) > stats.norm.isf(0.025) * se
    type_m = np.mean(np.abs(est[sig])) / 0.10
    assert expected_answer("lesson04-type-m") == pytest.approx(type_m, abs=0.03)
    # design.py docstring (Gelman & Carlin's formula): 4.1 at se 0.169
    assert round(expected_answer("lesson04-type-m"), 1) == 4.1


ALL_IDS = [q for bank in [f"lesson0{i}" for i in range(10)] for q in list_questions(bank)]


def _as_typed(question, value):
    """The expected answer as a learner would type it: rounded to the precision asked."""
    if question.kind == "number" and question.decimals is not None:
        return round(float(value), question.decimals)
    if isinstance(value, tuple):
        return value[0]
    return value


def _a_wrong_answer(question, value):
    if question.kind == "number":
        return round(float(value) * 1.7 + 3, question.decimals or 0)
    if question.kind == "bool":
        return not value
    if question.kind == "choice":
        return next(c for c in question.choices if c.lower() != str(value).lower())
    return "a wrong answer"


@pytest.mark.parametrize("card", [SEED, CAPSTONE])
@pytest.mark.parametrize("qid", ALL_IDS)
def test_every_question_accepts_its_own_answer_and_words_a_wrong_one(qid, card, capsys):
    question = get_question(qid)
    # every question says where to look in words, and states its precision if it is a number
    assert question.feedback
    if question.kind == "number":
        assert question.decimals is not None
    try:
        value = expected_answer(qid, trial=card)
    except ValueError:
        # a question the card cannot answer (no zero-events claim, no registration...): a message
        result = check(qid, 1, trial=card)
        assert not result and "cannot be checked" in result.message
        return
    assert check(qid, _as_typed(question, value), trial=card)
    wrong = check(qid, _a_wrong_answer(question, value), trial=card)
    assert not wrong
    first_line = wrong.message.splitlines()[0]
    # a sentence in words, not only code: more than the bare "Not yet."
    assert first_line.startswith("✗ Not yet") and len(first_line.split()) >= 6
    capsys.readouterr()


@pytest.mark.parametrize("qid", ALL_IDS)
def test_messages_speak_of_the_card_in_use(qid, capsys):
    # no figure of the seed trial (14 vs 15 patients) in a message about the capstone card
    question = get_question(qid)
    try:
        value = expected_answer(qid, trial=CAPSTONE)
    except ValueError:
        return
    for answer in (_as_typed(question, value), _a_wrong_answer(question, value)):
        message = check(qid, answer, trial=CAPSTONE).message
        assert "14 treated" not in message and "7/14" not in message and "12/15" not in message
        assert "15 control" not in message and "MenSC" not in message
    capsys.readouterr()
