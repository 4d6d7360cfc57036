"""Questions on time-to-event and continuous outcomes (lessons 3 and 7): each expected
answer equals a value computed independently, and ``check`` gives worded feedback.

References:
* log-rank p: every ordering of the deaths listed with ``itertools.combinations`` and the
  log-rank statistic computed from the numbers at risk (Peto & Peto's O - E over V), the
  formula checked against ``statsmodels.duration.survfunc.survdiff`` on the most extreme
  ordering;
* GRIM total: exact decimal arithmetic over every whole-number total;
* between-arm p of the change: ``scipy.stats.ttest_ind_from_stats`` on the changes, with
  the SD of a change ``sqrt(sd_b**2 + sd_f**2 - 2 r sd_b sd_f)``.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from itertools import combinations

import numpy as np
import pytest
from scipy import stats

import appraise as ap
from appraise.exercises import check, expected_answer
from survival_reference import statsmodels_logrank_p

SEED = "mensc-secretome-covid19"
CAPSTONE = "huc-msc-covid19-shu2020"


def _logrank_p(treated_positions, deaths, n_treat, n_ctrl):
    """Two-sided log-rank p for deaths at distinct times; ``treated_positions`` are the
    indices (in time order) of the treated deaths; survivors censored after the last death."""
    at_t, at_c, o_minus_e, var = n_treat, n_ctrl, 0.0, 0.0
    treated = set(treated_positions)
    for k in range(deaths):
        total = at_t + at_c
        o_minus_e += (k in treated) - at_t / total
        var += at_t * at_c / total ** 2
        if k in treated:
            at_t -= 1
        else:
            at_c -= 1
    return stats.chi2.sf(o_minus_e ** 2 / var, 1)


def test_logrank_formula_agrees_with_statsmodels():
    for ordering in ("C" * 12 + "T" * 6, "T" * 6 + "C" * 12, "CTCCTCCCTCCCTCCTCC"):
        positions = [i for i, arm in enumerate(ordering) if arm == "T"]
        assert _logrank_p(positions, len(ordering), 14, 15) == pytest.approx(statsmodels_logrank_p(ordering, 14, 15), rel=1e-9)


def test_lesson03_logrank_one_more_death_by_enumeration(capsys):
    # The seed card: 6/14 vs 11/15 deaths; one more control death gives 6/14 vs 12/15.
    trial = ap.load_trial(SEED)
    death = next(o for o in trial.time_to_event if o.test is not None)
    assert death.counts == (6, 14, 11, 15)
    deaths = 6 + 12
    pvalues = [_logrank_p(c, deaths, 14, 15) for c in combinations(range(deaths), 6)]
    assert len(pvalues) == math.comb(18, 6) == 18564
    smallest = min(pvalues)
    assert expected_answer("lesson03-logrank-low-one-more-death") == pytest.approx(smallest, rel=1e-9)
    assert round(smallest, 4) == 0.0018 and smallest > 0.0001
    assert check("lesson03-logrank-low-one-more-death", "0.0018")
    assert check("lesson03-logrank-low-one-more-death", "0.18%")
    assert not check("lesson03-logrank-low-one-more-death", 0.0102)     # the card's 11 deaths
    assert "the card's 11 control deaths" in capsys.readouterr().out
    assert not check("lesson03-logrank-low-one-more-death", round(max(pvalues), 4))
    assert "the largest p" in capsys.readouterr().out
    assert not check("lesson03-logrank-low-one-more-death", 0.002)      # three decimals
    assert "4 decimals" in capsys.readouterr().out


def _prints_as(total, n, text):
    q = Decimal(total) / Decimal(n)
    places = Decimal(1).scaleb(-len(text.split(".")[1]))
    return any(str(q.quantize(places, rounding=r)) == text for r in (ROUND_HALF_UP, ROUND_HALF_EVEN))


def test_lesson07_grim_total_by_exact_arithmetic(capsys):
    # The capstone's Table 1: control mean age "57.86" for 29 patients.
    trial = ap.load_trial(CAPSTONE)
    fitting = [t for t in range(0, 29 * 200) if _prints_as(t, 29, "57.86")]
    assert fitting == [1678]
    assert expected_answer("lesson07-grim-total", trial=trial) == 1678
    assert check("lesson07-grim-total", 1678, trial=trial)
    assert not check("lesson07-grim-total", 1677.94, trial=trial)
    assert "not a whole number" in capsys.readouterr().out
    assert not check("lesson07-grim-total", 1677, trial=trial)
    assert "does not print as 57.86" in capsys.readouterr().out
    # the seed card prints no means: the question says so instead of raising
    assert not check("lesson07-grim-total", 1678, trial=ap.load_trial(SEED))
    assert "cannot be checked" in capsys.readouterr().out


def test_lesson07_between_p_at_half_against_scipy(capsys):
    from appraise.exercises.lesson07 import CHANGE_EXAMPLE, CHANGE_R

    trial = ap.load_trial(SEED)
    e, r = CHANGE_EXAMPLE, CHANGE_R
    sd_change = math.sqrt(2 * e["sd"] ** 2 - 2 * r * e["sd"] ** 2)
    change_t, change_c = e["mean_follow_treat"] - e["mean_base"], e["mean_follow_ctrl"] - e["mean_base"]
    between = stats.ttest_ind_from_stats(change_t, sd_change, 14, change_c, sd_change, 15).pvalue
    within_t = 2 * stats.t.sf(abs(change_t) / (sd_change / math.sqrt(14)), 13)
    assert expected_answer("lesson07-between-p-at-half", trial=trial) == pytest.approx(between, rel=1e-9)
    assert round(between, 3) == 0.190
    assert check("lesson07-between-p-at-half", "0.190", trial=trial)
    assert check("lesson07-between-p-at-half", "19.0%", trial=trial)
    assert not check("lesson07-between-p-at-half", round(within_t, 5), trial=trial)
    assert "within-arm p" in capsys.readouterr().out
