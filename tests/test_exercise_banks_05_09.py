"""Exercise banks of lessons 5-9: every expected answer equals an independent value.

References (each quoted beside its value):
* scipy.stats.fisher_exact on the flipped tables, walked by hand (fragility);
* trial-facts.md (Fisher p of 0/12 vs 3/29 = 0.5430) and closed forms for zero events
  (1 - 0.025**(1/n), 3/n);
* Monte Carlo integration of two beta posteriors (seeded, 400,000 draws) for the
  probability of benefit;
* registration dates from the card, subtracted with datetime.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from scipy import stats

from appraise.exercises import check, expected_answer, list_questions
from appraise.trials import load_trial

SEED = "mensc-secretome-covid19"
SHU = "huc-msc-covid19-shu2020"


def _fisher(a, n1, c, n2):
    return stats.fisher_exact([[a, n1 - a], [c, n2 - c]]).pvalue


def _walk_reverse(a, n1, c, n2, alpha=0.05):
    # fewest one-arm changes (either arm, either direction) to reach p < alpha, by brute force
    best = None
    for arm in ("t", "c"):
        for step in (1, -1):
            k, x = 0, (a if arm == "t" else c)
            while 0 <= x + step <= (n1 if arm == "t" else n2):
                x += step
                k += 1
                p = _fisher(x, n1, c, n2) if arm == "t" else _fisher(a, n1, x, n2)
                if p < alpha:
                    if best is None or k < best[0]:
                        best = (k, p)
                    break
    return best


def test_banks_register_all_questions():
    assert len(list_questions("lesson05")) == 4
    assert len(list_questions("lesson06")) == 4
    assert len(list_questions("lesson07")) == 6
    assert len(list_questions("lesson08")) == 4
    assert len(list_questions("lesson09")) == 4


def test_lesson05_fragility_against_scipy_walk():
    # intubation 7/14 vs 12/15: 6/14 gives p = 0.0604, 5/14 gives p = 0.0253 (scipy fisher_exact)
    k, p = _walk_reverse(7, 14, 12, 15)
    assert k == 2
    assert expected_answer("lesson05-reverse-fragility") == k
    assert expected_answer("lesson05-pvalue-after") == pytest.approx(p, abs=1e-12)
    assert round(p, 3) == 0.025
    k10, _ = _walk_reverse(7, 14, 12, 15, alpha=0.10)
    assert expected_answer("lesson05-alpha-010") == k10 == 1
    # the abstract reports no numbers randomised (trial-facts.md)
    assert expected_answer("lesson05-lost-to-follow-up") == "cannot tell"


def _mc_benefit(a, n1, c, n2, prior=(1, 1, 1, 1), margin=0.0, draws=400_000):
    rng = np.random.default_rng(20220307)
    pt = rng.beta(prior[0] + a, prior[1] + n1 - a, draws)
    pc = rng.beta(prior[2] + c, prior[3] + n2 - c, draws)
    return float(np.mean(pt < pc - margin))


def test_lesson06_benefit_against_monte_carlo():
    # Monte Carlo SE <= 0.0008 at 400,000 draws; tolerance 0.003
    assert expected_answer("lesson06-benefit-flat") == pytest.approx(_mc_benefit(7, 14, 12, 15), abs=0.003)
    assert expected_answer("lesson06-benefit-meaningful") == pytest.approx(
        _mc_benefit(7, 14, 12, 15, margin=0.10), abs=0.003)
    # sceptical prior: Beta(11, 11) in each arm (bayes.PRIORS description)
    assert expected_answer("lesson06-benefit-sceptical") == pytest.approx(
        _mc_benefit(7, 14, 12, 15, prior=(11, 11, 11, 11)), abs=0.003)
    assert expected_answer("lesson06-both-true") == "a"


def test_lesson07_answers():
    # exact two-sided Clopper-Pearson upper bound for 0/14: 1 - 0.025**(1/14) = 0.2316 (design.md §5)
    assert expected_answer("lesson07-exact-bound") == pytest.approx(1 - 0.025 ** (1 / 14), abs=1e-12)
    assert round(expected_answer("lesson07-exact-bound"), 4) == 0.2316
    # scipy's exact binomial interval agrees
    assert expected_answer("lesson07-exact-bound") == pytest.approx(
        stats.binomtest(0, 14).proportion_ci(method="exact").high, abs=1e-9)
    assert expected_answer("lesson07-rule-of-three") == pytest.approx(3 / 14)  # 0.2143
    # CD4+ "P = 0.06" is the only change claim not below 0.05 (trial-facts.md table)
    assert expected_answer("lesson07-changes-not-significant") == 1
    share = expected_answer("lesson07-share-both-arms")
    assert 0.5 < share <= 1.0


def test_lesson07_simulation_answer_matches_a_direct_run():
    from appraise.exercises.lesson07 import MODEL
    from appraise.simulate import simulate_within_group_trials

    sim = simulate_within_group_trials(n_trials=1000, n_treat=14, n_ctrl=15, seed=2022, **MODEL)
    t = sim.trials
    both = float(((t["p_within_treat"] < 0.05) & (t["p_within_ctrl"] < 0.05)).mean())
    assert expected_answer("lesson07-share-both-arms") == both


def test_lesson08_answers_from_dates():
    # ClinicalTrials.gov 2021-08-24 vs completion 2021-06-09 (trial-facts.md): 76 days
    assert expected_answer("lesson08-days-after-completion") == (dt.date(2021, 8, 24) - dt.date(2021, 6, 9)).days == 76
    # IRCT: both readings (2021-01-04, 2021-04-01) precede the start 2021-04-17
    assert dt.date(2021, 1, 4) < dt.date(2021, 4, 17) and dt.date(2021, 4, 1) < dt.date(2021, 4, 17)
    assert expected_answer("lesson08-irct-verdict") == "prospective"
    assert expected_answer("lesson08-who-primary") == "IRCT"
    # D5: 5.1 NI, 5.2 NI, 5.3 PN -> "both N/PN/NI but at least one NI -> some concerns"
    # (RoB 2 guidance 2019-08-22, figure after Box 11; Sterne et al. BMJ 2019;366:l4898)
    assert expected_answer("lesson08-rob-d5") == "some concerns"


def test_lesson08_key_judgements_follow_the_algorithm():
    from appraise.rob2 import rob2_answer_key

    key = rob2_answer_key(load_trial(SEED), "intubation")
    # concealment "NI" with no baseline information -> some concerns (RoB 2 D1 algorithm)
    assert key.judgements["D1"] == "some concerns"
    # number randomised unknown: 2.6 NI, 2.7 NI -> "Y/PY/NI -> High" (guidance, figure after Box 6)
    assert key.answers["D2"]["2.7"] == "NI" and key.judgements["D2"] == "high"
    # objective outcome, assessors probably unaware (not stated) -> low
    assert key.answers["D4"]["4.3"] == "PN" and key.judgements["D4"] == "low"
    # a high domain makes the overall high; several concerns alone would not
    assert key.overall == "high"
    assert set(key.explanations) == {"D1", "D2", "D3", "D4", "D5"}
    assert all("abstract alone" in reason for reason in key.explanations.values())
    assert "were blinded" not in key.explanations["D4"]
    assert rob2_answer_key(load_trial(SHU), "mortality-day28") is None


def test_lesson09_answers_for_the_capstone_card():
    shu = load_trial(SHU)
    # trial-facts.md: the authors call it "individually randomized"; the card records their claim
    assert expected_answer("lesson09-allocation", trial=shu) == "randomised"
    # trial-facts.md: Fisher exact on 0/12 vs 3/29 gives 0.5430
    assert expected_answer("lesson09-fisher-p", trial=shu) == pytest.approx(0.5430, abs=5e-5)
    # 33.33% of 12 = 4/12 (4/12 = 0.33333), not the printed 3
    assert expected_answer("lesson09-hypertension-count", trial=shu) == 4
    # 0 deaths in 12: 1 - 0.025**(1/12) = 0.2646
    assert expected_answer("lesson09-zero-deaths-bound", trial=shu) == pytest.approx(1 - 0.025 ** (1 / 12))


def test_check_accepts_right_and_rejects_wrong(capsys):
    assert check("lesson05-reverse-fragility", 2)
    assert not check("lesson05-reverse-fragility", 3)
    assert check("lesson07-exact-bound", "23.16%")
    assert check("lesson09-allocation", "randomised", trial=SHU)
    out = capsys.readouterr().out
    assert "✓" in out and "✗" in out


def test_questions_without_data_report_instead_of_raising(capsys):
    shu = load_trial(SHU)
    result = check("lesson07-exact-bound", 0.2, trial=shu)
    assert not result
    assert "cannot be checked" in capsys.readouterr().out
