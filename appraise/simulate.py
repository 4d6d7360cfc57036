"""Simulate baseline / follow-up trials in which the treatment does nothing.

Small trials often report that a laboratory value "fell significantly" *within* the
treated arm: the follow-up value is compared with the same patients' baseline value by
a paired test.  Such a fall can appear with no treatment effect at all, for two reasons
that act on both arms alike:

* **natural recovery** -- patients who survive an acute illness get better anyway;
* **regression to the mean** -- patients are enrolled *because* a measured value was
  high; part of that height was chance (day-to-day variation and measurement error),
  and the next measurement drifts back towards the patient's usual level.

This module simulates that situation so that a lesson can show it, and analyses each
simulated trial two ways: the within-arm paired t-test (``scipy.stats.ttest_rel``) that
such papers report, and the between-arm comparison adjusted for baseline (ANCOVA,
``statsmodels`` OLS of follow-up on arm and baseline) that answers the question whether
the treatment changed anything.

Model (one patient, arbitrary units)::

    usual level      mu   ~ Normal(mean, sd_between)
    baseline         B    = mu + e1,             e1 ~ Normal(0, sd_within)
    enrolled only if B > enrol_above             (no selection when enrol_above is None)
    follow-up        F    = mu - recovery - treatment_effect * [treated] + e2,
                                                 e2 ~ Normal(0, sd_within)

With ``treatment_effect = 0`` (the default) the treatment does nothing; the expected
within-arm change is then :func:`expected_change`, the sum of the natural recovery and
the regression to the mean caused by selective enrolment.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from ._results import Estimate, TestResult
from ._limits import MAX_SIMULATED_DRAWS, MAX_SIMULATED_PATIENTS
from ._validate import check_confidence_level, check_alpha, check_int, check_limit, check_real

__all__ = [
    "BaselineFollowupAnalysis",
    "WithinGroupSimulation",
    "analyse_baseline_followup",
    "expected_change",
    "simulate_baseline_followup",
    "simulate_within_group_trials",
]

_ARMS = ("treatment", "control")


def _check_model(mean, sd_between, sd_within, enrol_above, recovery, treatment_effect):
    mean = check_real("mean", mean)
    sd_between = check_real("sd_between", sd_between, low=0.0, low_open=True)
    sd_within = check_real("sd_within", sd_within, low=0.0, low_open=True)
    if enrol_above is not None:
        enrol_above = check_real("enrol_above", enrol_above)
        total_sd = math.hypot(sd_between, sd_within)
        # a threshold so high that almost nobody qualifies would make the simulation run forever
        if stats.norm.sf(enrol_above, loc=mean, scale=total_sd) < 1e-4:
            raise ValueError(
                f"enrol_above must leave at least 1 in 10,000 patients eligible; got {enrol_above!r} "
                f"with mean={mean!r} and a baseline SD of {total_sd:.3g}"
            )
    recovery = check_real("recovery", recovery)
    treatment_effect = check_real("treatment_effect", treatment_effect)
    return mean, sd_between, sd_within, enrol_above, recovery, treatment_effect


def _check_size(n_trials: int, n_treat: int, n_ctrl: int, model) -> None:
    """Refuse simulations beyond :data:`MAX_SIMULATED_PATIENTS` / :data:`MAX_SIMULATED_DRAWS`."""
    patients = n_trials * (n_treat + n_ctrl)
    names = "n_trials * (n_treat + n_ctrl)" if n_trials > 1 else "n_treat + n_ctrl"
    check_limit(names, patients, MAX_SIMULATED_PATIENTS,
                "every simulated patient holds several numbers in memory at once")
    mean, sd_between, sd_within, enrol_above = model[:4]
    if enrol_above is not None:
        eligible = stats.norm.sf(enrol_above, loc=mean, scale=math.hypot(sd_between, sd_within))
        screened = math.ceil(patients / eligible)
        if screened > MAX_SIMULATED_DRAWS:
            raise ValueError(f"enrol_above={enrol_above!r} leaves {eligible:.3g} of patients eligible, so "
                             f"{patients} enrolled patients need about {screened} screened, more than "
                             f"{MAX_SIMULATED_DRAWS:,}: patients are screened in blocks until enough qualify")


def expected_change(*, mean: float = 100.0, sd_between: float = 20.0, sd_within: float = 15.0,
                    enrol_above: float | None = None, recovery: float = 0.0,
                    treatment_effect: float = 0.0) -> float:
    """Expected mean change (follow-up minus baseline) in one arm of the model.

    Closed form: with total baseline SD ``s = sqrt(sd_between**2 + sd_within**2)`` and
    enrolment above ``c``, the baseline of an enrolled patient exceeds the patient's usual
    level by ``(sd_within**2 / s**2) * (E[B | B > c] - mean)`` on average, where
    ``E[B | B > c] = mean + s * phi(a) / (1 - Phi(a))`` and ``a = (c - mean) / s`` (mean
    of a truncated normal).  That excess disappears at follow-up (regression to the mean),
    on top of the natural ``recovery`` and any ``treatment_effect``.

    Parameters
    ----------
    mean, sd_between, sd_within, enrol_above, recovery, treatment_effect
        The model in the module docstring.  Pass ``treatment_effect`` for the treated arm
        only.

    Returns
    -------
    float
        Expected follow-up minus baseline (negative: values fall).  Without selection
        (``enrol_above=None``) it is ``-(recovery + treatment_effect)``.

    Examples
    --------
    >>> round(expected_change(mean=100, sd_between=20, sd_within=15, enrol_above=110,
    ...                       recovery=10), 2)
    -19.62
    >>> expected_change(recovery=10)
    -10.0
    """
    mean, sd_between, sd_within, enrol_above, recovery, treatment_effect = _check_model(
        mean, sd_between, sd_within, enrol_above, recovery, treatment_effect)
    regression = 0.0
    if enrol_above is not None:
        total_sd = math.hypot(sd_between, sd_within)
        a = (enrol_above - mean) / total_sd
        excess = total_sd * math.exp(stats.norm.logpdf(a) - stats.norm.logsf(a))
        regression = (sd_within**2 / total_sd**2) * excess
    return -(recovery + treatment_effect + regression)


def _draw_patients(rng, count, mean, sd_between, sd_within, enrol_above):
    """Usual level and baseline of ``count`` enrolled patients (rejection sampling)."""
    if enrol_above is None:
        mu = rng.normal(mean, sd_between, count)
        return mu, mu + rng.normal(0.0, sd_within, count)
    total_sd = math.hypot(sd_between, sd_within)
    eligible = stats.norm.sf(enrol_above, loc=mean, scale=total_sd)
    mus, baselines, have = [], [], 0
    while have < count:
        draw = int(1.2 * (count - have) / eligible) + 16
        mu = rng.normal(mean, sd_between, draw)
        baseline = mu + rng.normal(0.0, sd_within, draw)
        keep = baseline > enrol_above
        mus.append(mu[keep])
        baselines.append(baseline[keep])
        have += int(keep.sum())
    return np.concatenate(mus)[:count], np.concatenate(baselines)[:count]


def _simulate_arrays(rng, n_trials, n_treat, n_ctrl, model):
    mean, sd_between, sd_within, enrol_above, recovery, treatment_effect = model
    n = n_treat + n_ctrl
    mu, baseline = _draw_patients(rng, n_trials * n, mean, sd_between, sd_within, enrol_above)
    mu = mu.reshape(n_trials, n)
    baseline = baseline.reshape(n_trials, n)
    treated = np.zeros(n, dtype=bool)
    treated[:n_treat] = True
    follow = mu - recovery - treatment_effect * treated + rng.normal(0.0, sd_within, (n_trials, n))
    return baseline, follow, treated


def simulate_baseline_followup(*, n_treat: int, n_ctrl: int, mean: float = 100.0,
                               sd_between: float = 20.0, sd_within: float = 15.0,
                               enrol_above: float | None = None, recovery: float = 0.0,
                               treatment_effect: float = 0.0, seed: int = 0) -> pd.DataFrame:
    """One simulated two-arm trial measured at baseline and at follow-up.

    Parameters
    ----------
    n_treat, n_ctrl : int
        Patients per arm (at least 2 each, so that a paired test exists); required, so
        that a simulation is always of a stated size (a card's arms:
        ``trial.treatment.n_analysed``, ``trial.control.n_analysed``).
    mean, sd_between, sd_within : float
        Population mean of the usual level, SD between patients, SD of one measurement
        around the patient's usual level (day-to-day variation plus assay error).
    enrol_above : float or None
        Enrol only patients whose baseline exceeds this value (``None``: no selection).
    recovery : float
        Natural improvement between baseline and follow-up, the same in both arms.
    treatment_effect : float
        Extra fall in the treated arm (default 0: the treatment does nothing).
    seed : int
        Seed of ``numpy.random.default_rng``.

    Returns
    -------
    pandas.DataFrame
        One row per patient: ``arm`` ("treatment"/"control"), ``baseline``, ``follow_up``.

    Examples
    --------
    A trial the size of the seed trial's (14 and 15 patients):

    >>> data = simulate_baseline_followup(n_treat=14, n_ctrl=15, enrol_above=110, recovery=10, seed=1)
    >>> data["arm"].value_counts().to_dict()
    {'control': 15, 'treatment': 14}
    >>> bool((data["baseline"] > 110).all())
    True
    """
    n_treat = check_int("n_treat", n_treat, minimum=2)
    n_ctrl = check_int("n_ctrl", n_ctrl, minimum=2)
    seed = check_int("seed", seed)
    model = _check_model(mean, sd_between, sd_within, enrol_above, recovery, treatment_effect)
    _check_size(1, n_treat, n_ctrl, model)
    rng = np.random.default_rng(seed)
    baseline, follow, treated = _simulate_arrays(rng, 1, n_treat, n_ctrl, model)
    return pd.DataFrame({
        "arm": np.where(treated, "treatment", "control"),
        "baseline": baseline[0],
        "follow_up": follow[0],
    })


@dataclass(frozen=True)
class BaselineFollowupAnalysis:
    """Within-arm and between-arm analyses of one baseline / follow-up trial.

    Attributes
    ----------
    within : dict
        ``{"treatment": TestResult, "control": TestResult}``: paired t-test of follow-up
        against baseline in each arm (``scipy.stats.ttest_rel``).
    mean_change : dict
        Mean follow-up minus baseline per arm.
    percent_change : dict
        ``100 * (mean follow-up / mean baseline - 1)`` per arm: the "mean reduction of X%"
        style of figure papers report.
    between : Estimate
        Treatment minus control difference in follow-up, adjusted for baseline (ANCOVA,
        OLS of follow-up on arm and baseline), with its t-based confidence interval.
    between_test : TestResult
        The t-test of that coefficient.
    """

    within: dict
    mean_change: dict
    percent_change: dict
    between: Estimate
    between_test: TestResult


def analyse_baseline_followup(data: pd.DataFrame, *, confidence_level: float = 0.95
                              ) -> BaselineFollowupAnalysis:
    """Analyse a trial within each arm (paired t) and between arms (ANCOVA).

    Parameters
    ----------
    data : pandas.DataFrame
        Columns ``arm`` ("treatment"/"control"), ``baseline``, ``follow_up``; at least
        two patients per arm.
    confidence_level : float
        Level of the interval for the adjusted difference.

    Returns
    -------
    BaselineFollowupAnalysis

    Examples
    --------
    >>> data = simulate_baseline_followup(n_treat=14, n_ctrl=15, enrol_above=110, recovery=10, seed=1)
    >>> result = analyse_baseline_followup(data)
    >>> sorted(result.within)
    ['control', 'treatment']
    >>> result.between.method
    'ANCOVA (OLS of follow-up on arm and baseline)'
    """
    import statsmodels.api as sm

    if not isinstance(data, pd.DataFrame):
        raise TypeError(f"data must be a pandas DataFrame, got {type(data).__name__}")
    missing = {"arm", "baseline", "follow_up"} - set(data.columns)
    if missing:
        raise ValueError(f"data must have columns 'arm', 'baseline', 'follow_up'; missing {sorted(missing)}")
    level = check_confidence_level(confidence_level)
    unknown = set(data["arm"]) - set(_ARMS)
    if unknown:
        raise ValueError(f"data['arm'] must hold only 'treatment' and 'control'; got {sorted(map(str, unknown))}")
    within, change, percent = {}, {}, {}
    for arm in _ARMS:
        rows = data[data["arm"] == arm]
        if len(rows) < 2:
            raise ValueError(f"data must hold at least 2 patients in the {arm} arm; got {len(rows)}")
        res = stats.ttest_rel(rows["follow_up"], rows["baseline"])
        within[arm] = TestResult(float(res.statistic), float(res.pvalue), "paired t-test (follow-up vs baseline)")
        change[arm] = float((rows["follow_up"] - rows["baseline"]).mean())
        percent[arm] = float(100.0 * (rows["follow_up"].mean() / rows["baseline"].mean() - 1.0))
    treated = (data["arm"] == "treatment").to_numpy(dtype=float)
    design = np.column_stack([np.ones(len(data)), treated, data["baseline"].to_numpy(dtype=float)])
    fit = sm.OLS(data["follow_up"].to_numpy(dtype=float), design).fit()
    low, high = fit.conf_int(alpha=1.0 - level)[1]
    method = "ANCOVA (OLS of follow-up on arm and baseline)"
    return BaselineFollowupAnalysis(
        within=within,
        mean_change=change,
        percent_change=percent,
        between=Estimate(float(fit.params[1]), float(low), float(high), method, level),
        between_test=TestResult(float(fit.tvalues[1]), float(fit.pvalues[1]), method),
    )


@dataclass(frozen=True)
class WithinGroupSimulation:
    """Many simulated trials, each analysed within arms and between arms.

    Attributes
    ----------
    trials : pandas.DataFrame
        One row per simulated trial: ``p_within_treat``, ``p_within_ctrl`` (paired t-test
        p-values), ``percent_change_treat``, ``percent_change_ctrl``, ``p_between``
        (ANCOVA p-value) and ``between`` (adjusted difference, treatment minus control).
    expected_change_treat, expected_change_ctrl : float
        The model's true mean change per arm (:func:`expected_change`).
    treatment_effect : float
        The true treatment effect used (0: none).
    """

    trials: pd.DataFrame
    expected_change_treat: float
    expected_change_ctrl: float
    treatment_effect: float

    def share_significant(self, alpha: float = 0.05) -> dict:
        """Share of simulated trials with p < ``alpha`` for each analysis.

        Returns a dict with keys ``"within treatment arm"``, ``"within control arm"``,
        ``"within both arms"`` and ``"between arms (ANCOVA)"``.
        """
        alpha = check_alpha(alpha)
        t = self.trials
        treat = t["p_within_treat"] < alpha
        ctrl = t["p_within_ctrl"] < alpha
        return {
            "within treatment arm": float(treat.mean()),
            "within control arm": float(ctrl.mean()),
            "within both arms": float((treat & ctrl).mean()),
            "between arms (ANCOVA)": float((t["p_between"] < alpha).mean()),
        }


def _ancova_batch(baseline: np.ndarray, follow: np.ndarray, treated: np.ndarray):
    """OLS of follow-up on (1, arm, baseline) in every row at once: arm coefficient and p-value.

    The normal equations of each trial are solved together (a stack of 3 x 3
    systems); the t statistic uses the residual variance on ``n - 3`` degrees of
    freedom, as ``statsmodels.OLS`` does (the tests compare the two).
    """
    n_trials, n = baseline.shape
    design = np.empty((n_trials, n, 3))
    design[:, :, 0] = 1.0
    design[:, :, 1] = treated
    design[:, :, 2] = baseline
    xtx = np.einsum("tni,tnj->tij", design, design)
    xty = np.einsum("tni,tn->ti", design, follow)
    inverse = np.linalg.inv(xtx)
    coef = np.einsum("tij,tj->ti", inverse, xty)
    resid = follow - np.einsum("tni,ti->tn", design, coef)
    sigma2 = (resid ** 2).sum(axis=1) / (n - 3)
    se = np.sqrt(sigma2 * inverse[:, 1, 1])
    t = coef[:, 1] / se
    return coef[:, 1], 2.0 * stats.t.sf(np.abs(t), n - 3)


def simulate_within_group_trials(*, n_treat: int, n_ctrl: int, n_trials: int = 1000,
                                 mean: float = 100.0, sd_between: float = 20.0,
                                 sd_within: float = 15.0, enrol_above: float | None = None,
                                 recovery: float = 0.0, treatment_effect: float = 0.0,
                                 seed: int = 0) -> WithinGroupSimulation:
    """Simulate ``n_trials`` baseline / follow-up trials and analyse each two ways.

    Parameters are those of :func:`simulate_baseline_followup`, plus ``n_trials``.
    Within-arm p-values come from ``scipy.stats.ttest_rel``; the between-arm p-value and
    difference from OLS of follow-up on arm and baseline (ANCOVA), solved for all
    trials at once (the same numbers as ``statsmodels.OLS``).  At most 1,000,000
    simulated patients in all (``n_trials * (n_treat + n_ctrl)``,
    :data:`appraise._limits.MAX_SIMULATED_PATIENTS`), and at most 10,000,000 screened
    when ``enrol_above`` turns most away.

    Returns
    -------
    WithinGroupSimulation

    Examples
    --------
    >>> sim = simulate_within_group_trials(n_treat=14, n_ctrl=15, n_trials=200, enrol_above=110,
    ...                                    recovery=10, seed=2)
    >>> shares = sim.share_significant()
    >>> shares["within treatment arm"] > 0.5, shares["between arms (ANCOVA)"] < 0.15
    (True, True)
    """
    n_trials = check_int("n_trials", n_trials, minimum=1)
    n_treat = check_int("n_treat", n_treat, minimum=2)
    n_ctrl = check_int("n_ctrl", n_ctrl, minimum=2)
    seed = check_int("seed", seed)
    model = _check_model(mean, sd_between, sd_within, enrol_above, recovery, treatment_effect)
    _check_size(n_trials, n_treat, n_ctrl, model)
    rng = np.random.default_rng(seed)
    baseline, follow, treated = _simulate_arrays(rng, n_trials, n_treat, n_ctrl, model)
    p_treat = stats.ttest_rel(follow[:, treated], baseline[:, treated], axis=1).pvalue
    p_ctrl = stats.ttest_rel(follow[:, ~treated], baseline[:, ~treated], axis=1).pvalue
    pct_treat = 100.0 * (follow[:, treated].mean(axis=1) / baseline[:, treated].mean(axis=1) - 1.0)
    pct_ctrl = 100.0 * (follow[:, ~treated].mean(axis=1) / baseline[:, ~treated].mean(axis=1) - 1.0)
    between, p_between = _ancova_batch(baseline, follow, treated)
    mean_, sd_b, sd_w, enrol, recovery_, effect = model
    return WithinGroupSimulation(
        trials=pd.DataFrame({
            "p_within_treat": p_treat,
            "p_within_ctrl": p_ctrl,
            "percent_change_treat": pct_treat,
            "percent_change_ctrl": pct_ctrl,
            "p_between": p_between,
            "between": between,
        }),
        expected_change_treat=expected_change(mean=mean_, sd_between=sd_b, sd_within=sd_w,
                                              enrol_above=enrol, recovery=recovery_,
                                              treatment_effect=effect),
        expected_change_ctrl=expected_change(mean=mean_, sd_between=sd_b, sd_within=sd_w,
                                             enrol_above=enrol, recovery=recovery_),
        treatment_effect=effect,
    )
