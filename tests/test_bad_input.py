"""Bad input across the public API.

Every case calls one public function with one bad argument and checks three things:

* the exception type: ``TypeError`` for a value of the wrong kind (``None``, ``bool``,
  a float or string where a count is needed), ``ValueError`` for a value of the right
  kind that is impossible (a negative count, ``events > n``, a probability of 1.5, an
  unknown method name, text that is not a p-value);
* the message names the argument (its parameter name) and repeats the bad value;
* no ``RuntimeWarning`` (numpy's "invalid value", "divide by zero") escapes on the way.

A second group checks that nothing is silently clamped: an impossible input never comes
back as a plausible-looking answer.  A third group drives the command line
(``python -m appraise compare``) with bad fractions and options.
"""

from __future__ import annotations

import math
import re
import warnings
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np
import pytest

import appraise as ap
from appraise import _validate, registration
from appraise.__main__ import main, parse_fraction
from appraise.bayes import Prior, prior_from_slider
from appraise.power import solve_two_proportions
from appraise.tests2x2 import hypergeometric_table

NAN = float("nan")
INF = float("inf")


@dataclass
class Case:
    id: str
    func: Callable
    args: tuple = ()
    kwargs: dict = field(default_factory=dict)
    exc: type = ValueError
    names: tuple = ()          # any one of these must appear in the message
    shown: tuple | None = None  # any one of these must appear; default: repr/str of the bad value
    bad: Any = None            # the bad value itself (for the default ``shown``)


def C(id, func, *args, exc=ValueError, name, bad, shown=None, **kwargs):
    names = (name,) if isinstance(name, str) else tuple(name)
    return Case(id, func, args, kwargs, exc, names, shown, bad)


def _forms(value) -> tuple[str, ...]:
    """Acceptable spellings of a bad value inside a message."""
    if isinstance(value, str):
        return (repr(value),) if value.strip() == "" else (repr(value), value)
    if isinstance(value, float) and math.isnan(value):
        return ("nan",)
    if isinstance(value, float) and math.isinf(value):
        return ("inf",)
    forms = {repr(value), str(value)}
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        forms.add(repr(float(value)))
    if isinstance(value, float) and value.is_integer():
        forms.add(str(int(value)))
    return tuple(forms)




def _repeats(message: str, form: str) -> bool:
    """``form`` appears in ``message`` as a value of its own: "0" is not found in "0.05" or "10"."""
    if not re.fullmatch(r"-?\d+(?:\.\d+)?", form):
        return form in message
    return re.search(r"(?<![\w.])" + re.escape(form) + r"(?![\w]|\.\d)", message) is not None


def _trial():
    return ap.load_trial("mensc-secretome-covid19")


def _report(**kwargs):
    return ap.report(_trial(), **kwargs)


def _sample_size_explorer(**kwargs):
    from appraise.widgets import SampleSizeExplorer
    return SampleSizeExplorer(_trial(), **kwargs)


def _fragility_explorer(*args, **kwargs):
    from appraise.widgets import FragilityExplorer
    return FragilityExplorer(_trial(), *args, **kwargs)


def _pvalue_dance(**kwargs):
    from appraise.widgets import PValueDance
    return PValueDance(_trial(), **kwargs)


def _icon_array(*args, **kwargs):
    from appraise.charts import icon_array_chart
    return icon_array_chart(*args, **kwargs)


def _two_by_two(*args):
    from appraise.widgets import TwoByTwoExplorer
    return TwoByTwoExplorer(*args)


def _fragility_explorer_of(trial):
    from appraise.widgets import FragilityExplorer
    return FragilityExplorer(trial)


def _pvalue_vs_n_chart(pvalues, n_per_arm=(10, 20)):
    from appraise.charts import pvalue_vs_n_chart
    return pvalue_vs_n_chart(list(n_per_arm), pvalues, risk_treat=0.5, risk_ctrl=0.8, current=(14, 15),
                             current_pvalue=0.128)


def _power_curve_chart(power_exact, n_per_arm=(14, 30)):
    from appraise.charts import power_curve_chart
    return power_curve_chart(list(n_per_arm), power_exact, p_treat=0.5, p_ctrl=0.8)


def _timeline_chart(audit):
    from appraise.charts import registration_timeline_chart
    return registration_timeline_chart(audit)


def _flags_chart(flags):
    from appraise.charts import flags_traffic_light_chart
    return flags_traffic_light_chart(flags)


def _posterior_chart(**kwargs):
    from appraise.charts import posterior_chart
    x = np.linspace(-1, 1, 11)
    return posterior_chart(x, np.ones_like(x), **kwargs)


CASES = [
    # ---- appraise._validate.parse_date ----------------------------------------------
    C("parse_date-month-13", _validate.parse_date, "2021-13-01", "YYYY-MM-DD", name="date", bad="2021-13-01"),
    C("parse_date-31-feb", _validate.parse_date, "31/02/2021", "DD/MM/YYYY", name="date", bad="31/02/2021"),
    C("parse_date-empty", _validate.parse_date, "", "YYYY-MM-DD", name="date", bad=""),
    C("parse_date-int", _validate.parse_date, 20210104, "YYYY-MM-DD", exc=TypeError, name="date", bad=20210104),
    C("parse_date-undeclared-format", _validate.parse_date, "04/01/2021", "DD-MM-YYYY",
      name="format", bad="DD-MM-YYYY"),
    C("parse_date-strptime-format", _validate.parse_date, "04/01/2021", "%d/%m/%Y", name="format", bad="%d/%m/%Y"),
    C("parse_date-format-none", _validate.parse_date, "2021-01-04", None, exc=TypeError, name="format", bad=None),
    C("parse_date-wrong-order", _validate.parse_date, "2021-08-24", "DD/MM/YYYY", name="date", bad="2021-08-24"),
    # ---- registration.parse_registry_date ---------------------------------------------
    C("registry-day-32", registration.parse_registry_date, "32/01/2021", "DD/MM/YYYY", name="text", bad="32/01/2021"),
    C("registry-format-lowercase", registration.parse_registry_date, "04/01/2021", "dd/mm/yyyy",
      name="date_format", bad="dd/mm/yyyy"),
    C("registry-format-iso-word", registration.parse_registry_date, "2021-08-24", "ISO", name="date_format", bad="ISO"),
    C("registry-text-none", registration.parse_registry_date, None, "YYYY-MM-DD", exc=TypeError, name="text", bad=None),
    C("registry-typo-month", registration.parse_registry_date, "24AGUEST 2021", "D MONTH YYYY",
      name="text", bad="24AGUEST 2021"),
    C("registry-two-digit-year", registration.parse_registry_date, "04/01/21", "DD/MM/YYYY", name="text", bad="04/01/21"),
    C("registry-format-int", registration.parse_registry_date, "2021-08-24", 3, exc=TypeError,
      name="date_format", bad=3),
    C("registry-text-blank", registration.parse_registry_date, "   ", "YYYY-MM-DD", name="text", bad="   "),
    # ---- proportion_ci --------------------------------------------------------------
    C("ci-negative-events", ap.proportion_ci, -1, 14, name="events", bad=-1),
    C("ci-float-events", ap.proportion_ci, 7.0, 14, exc=TypeError, name="events", bad=7.0),
    C("ci-bool-events", ap.proportion_ci, True, 14, exc=TypeError, name="events", bad=True),
    C("ci-none-events", ap.proportion_ci, None, 14, exc=TypeError, name="events", bad=None),
    C("ci-nan-events", ap.proportion_ci, NAN, 14, exc=TypeError, name="events", bad=NAN),
    C("ci-inf-n", ap.proportion_ci, 7, INF, exc=TypeError, name="n", bad=INF),
    C("ci-string-events", ap.proportion_ci, "7", 14, exc=TypeError, name="events", bad="7"),
    C("ci-events-gt-n", ap.proportion_ci, 15, 14, name="events", bad=15),
    C("ci-n-zero", ap.proportion_ci, 0, 0, name="n", bad=0),
    C("ci-numpy-negative", ap.proportion_ci, np.int64(-2), 14, name="events", bad=-2),
    C("ci-unknown-method", ap.proportion_ci, 7, 14, method="exakt", name="method", bad="exakt"),
    C("ci-method-none", ap.proportion_ci, 7, 14, method=None, exc=TypeError, name="method", bad=None),
    C("ci-level-one", ap.proportion_ci, 7, 14, confidence_level=1.0, name="confidence_level", bad=1.0),
    C("ci-level-zero", ap.proportion_ci, 7, 14, confidence_level=0, name="confidence_level", bad=0),
    C("ci-level-percent", ap.proportion_ci, 7, 14, confidence_level=95, name="confidence_level", bad=95),
    C("ci-level-nan", ap.proportion_ci, 7, 14, confidence_level=NAN, name="confidence_level", bad=NAN),
    C("ci-level-string", ap.proportion_ci, 7, 14, confidence_level="0.95", exc=TypeError,
      name="confidence_level", bad="0.95"),
    # ---- compare_proportions ----------------------------------------------------------
    C("compare-events-ctrl-gt-n", ap.compare_proportions, 7, 14, 16, 15, name="events_ctrl", bad=16),
    C("compare-n-ctrl-zero", ap.compare_proportions, 7, 14, 0, 0, name="n_ctrl", bad=0),
    C("compare-negative-n-treat", ap.compare_proportions, 7, -14, 12, 15, name="n_treat", bad=-14),
    C("compare-level-above-one", ap.compare_proportions, 7, 14, 12, 15, confidence_level=1.5,
      name="confidence_level", bad=1.5),
    C("compare-event_is_bad-string", ap.compare_proportions, 7, 14, 12, 15, event_is_bad="yes",
      exc=TypeError, name="event_is_bad", bad="yes"),
    C("format_comparison-not-comparison", ap.format_comparison, (7, 14, 12, 15), exc=TypeError, name="cmp",
      bad=(7, 14, 12, 15), shown=("tuple",)),
    # ---- tests_2x2 / fisher_pvalue_table / hypergeometric_table -------------------------
    C("tests-alternative-r-spelling", ap.tests_2x2, 7, 14, 12, 15, alternative="two.sided",
      name="alternative", bad="two.sided"),
    C("tests-alternative-unknown", ap.tests_2x2, 7, 14, 12, 15, alternative="both", name="alternative", bad="both"),
    C("tests-alternative-none", ap.tests_2x2, 7, 14, 12, 15, alternative=None, exc=TypeError,
      name="alternative", bad=None),
    C("tests-float-events", ap.tests_2x2, 7, 14, 12.5, 15, exc=TypeError, name="events_ctrl", bad=12.5),
    C("tests-events-treat-gt-n", ap.tests_2x2, 20, 14, 12, 15, name="events_treat", bad=20),
    C("fisher-table-n-zero", ap.fisher_pvalue_table, 0, 15, name="n_treat", bad=0),
    C("fisher-table-float", ap.fisher_pvalue_table, 14, 15.0, exc=TypeError, name="n_ctrl", bad=15.0),
    C("fisher-table-huge", ap.fisher_pvalue_table, 10**6, 10**6, name="n_treat", bad=10**6),
    C("fisher-table-string", ap.fisher_pvalue_table, "14", 15, exc=TypeError, name="n_treat", bad="14"),
    C("hypergeometric-events-gt-n", hypergeometric_table, 7, 14, 16, 15, name="events_ctrl", bad=16),
    # ---- percentages ----------------------------------------------------------------
    C("pct-120", ap.parse_percentage, "120%", name="text", bad="120%"),
    C("pct-abc", ap.parse_percentage, "abc", name="text", bad="abc"),
    C("pct-empty", ap.parse_percentage, "", name="text", bad=""),
    C("pct-none", ap.parse_percentage, None, exc=TypeError, name="text", bad=None),
    C("pct-nan", ap.parse_percentage, NAN, name="text", bad=NAN),
    C("pct-bool", ap.parse_percentage, True, exc=TypeError, name="text", bad=True),
    C("pct-negative", ap.parse_percentage, "-5%", name="text", bad="-5%"),
    C("pct-two-signs", ap.parse_percentage, "28%%", name="text", bad="28%%"),
    C("pct-check-n-zero", ap.check_percentage, "28%", 0, name="n", bad=0),
    C("pct-check-n-float", ap.check_percentage, "28%", 14.0, exc=TypeError, name="n", bad=14.0),
    C("pct-check-rounding", ap.check_percentage, "28%", 14, rounding="floor", name="rounding", bad="floor"),
    C("pct-check-events-gt-n", ap.check_percentage, "28%", 14, events=15, name="events", bad=15),
    C("pct-check-120", ap.check_percentage, "120%", 14, name="reported", bad="120%"),
    C("pct-check-inf", ap.check_percentage, INF, 14, name="reported", bad=INF),
    # ---- reported p-values ----------------------------------------------------------
    C("p-dangling-relation", ap.parse_reported_p, "P <", name="text", bad="P <"),
    C("p-abc", ap.parse_reported_p, "abc", name="text", bad="abc"),
    C("p-empty", ap.parse_reported_p, "", name="text", bad=""),
    C("p-1.5", ap.parse_reported_p, "p = 1.5", name="text", bad="p = 1.5"),
    C("p-NS", ap.parse_reported_p, "NS", name="text", bad="NS"),
    C("p-less-than-zero", ap.parse_reported_p, "P < 0", name="text", bad="P < 0"),
    C("p-greater-than-one", ap.parse_reported_p, "P > 1", name="text", bad="P > 1"),
    C("p-negative-float", ap.parse_reported_p, -0.1, name="text", bad=-0.1),
    C("p-none", ap.parse_reported_p, None, exc=TypeError, name="text", bad=None),
    C("p-inf", ap.parse_reported_p, INF, name="text", bad=INF),
    C("p-bool", ap.parse_reported_p, True, exc=TypeError, name="text", bad=True),
    C("p-percent", ap.parse_reported_p, "p = 5%", name="text", bad="p = 5%"),
    C("check-p-events-gt-n", ap.check_reported_p, "P < 0.0001", 8, 14, 16, 15, name="events_ctrl", bad=16),
    C("check-p-unreadable", ap.check_reported_p, "p == ?", 8, 14, 4, 15, name="reported", bad="p == ?"),
    C("check-p-one-sample-null-one", ap.check_reported_p_one_sample, "P < 0.05", 9, 14, null=1.0,
      name="null", bad=1.0),
    C("check-p-one-sample-events-gt-n", ap.check_reported_p_one_sample, "P < 0.05", 15, 14, name="events", bad=15),
    C("smallest-p-n-zero", ap.smallest_attainable_p, 0, 15, name="n_treat", bad=0),
    C("smallest-p-total-too-big", ap.smallest_attainable_p, 14, 15, total_events=30, name="total_events", bad=30),
    C("smallest-p-total-negative", ap.smallest_attainable_p, 14, 15, total_events=-1, name="total_events", bad=-1),
    # ---- power -------------------------------------------------------------------
    C("power-p-treat-above-one", ap.power_two_proportions, 1.2, 0.8, n_treat=14, name="p_treat", bad=1.2),
    C("power-p-ctrl-negative", ap.power_two_proportions, 0.5, -0.1, n_treat=14, name="p_ctrl", bad=-0.1),
    C("power-p-ctrl-nan", ap.power_two_proportions, 0.5, NAN, n_treat=14, name="p_ctrl", bad=NAN),
    C("power-p-treat-string", ap.power_two_proportions, "0.5", 0.8, n_treat=14, exc=TypeError,
      name="p_treat", bad="0.5"),
    C("power-n-zero", ap.power_two_proportions, 0.5, 0.8, n_treat=0, name="n_treat", bad=0),
    C("power-n-float", ap.power_two_proportions, 0.5, 0.8, n_treat=14.5, exc=TypeError, name="n_treat", bad=14.5),
    C("power-alpha-zero", ap.power_two_proportions, 0.5, 0.8, n_treat=14, alpha=0.0, name="alpha", bad=0.0),
    C("power-alpha-one", ap.power_two_proportions, 0.5, 0.8, n_treat=14, alpha=1, name="alpha", bad=1),
    C("power-alpha-percent", ap.power_two_proportions, 0.5, 0.8, n_treat=14, alpha=5, name="alpha", bad=5),
    C("power-unknown-test", ap.power_two_proportions, 0.5, 0.8, n_treat=14, test="t-test", name="test", bad="t-test"),
    C("sample-size-power-one", ap.sample_size_two_proportions, 0.5, 0.8, power=1.0, name="power", bad=1.0),
    C("sample-size-power-zero", ap.sample_size_two_proportions, 0.5, 0.8, power=0, name="power", bad=0),
    C("sample-size-power-percent", ap.sample_size_two_proportions, 0.5, 0.8, power=80, name="power", bad=80),
    C("sample-size-equal-risks", ap.sample_size_two_proportions, 0.5, 0.5, name="p_treat", bad=0.5),
    C("sample-size-test-trailing-space", ap.sample_size_two_proportions, 0.5, 0.8, test="normal ",
      name="test", bad="normal "),
    C("simulate-n-trials-zero", ap.simulate_pvalues, 0.5, 0.8, n_treat=14, n_ctrl=15, n_trials=0,
      name="n_trials", bad=0),
    C("simulate-seed-negative", ap.simulate_pvalues, 0.5, 0.8, n_treat=14, n_ctrl=15, seed=-1, name="seed", bad=-1),
    C("simulate-seed-float", ap.simulate_pvalues, 0.5, 0.8, n_treat=14, n_ctrl=15, seed=1.5, exc=TypeError,
      name="seed", bad=1.5),
    C("pvalue-at-n-ctrl-zero", ap.pvalue_at_n, 0.5, 0.8, n_treat=14, n_ctrl=0, name="n_ctrl", bad=0),
    C("pvalue-at-n-risk-above-one", ap.pvalue_at_n, 1.5, 0.8, n_treat=14, n_ctrl=15, name="risk_treat", bad=1.5),
    C("solve-power-above-one", solve_two_proportions, p_ctrl=0.8, n_per_arm=14, power=1.2, name="power", bad=1.2),
    C("solve-direction", solve_two_proportions, p_ctrl=0.8, n_per_arm=14, power=0.8, direction="down",
      name="direction", bad="down"),
    # ---- design ------------------------------------------------------------------
    C("retrodesign-se-zero", ap.retrodesign, 0.1, 0, name="se", bad=0),
    C("retrodesign-se-negative", ap.retrodesign, 0.1, -0.2, name="se", bad=-0.2),
    C("retrodesign-effect-nan", ap.retrodesign, NAN, 0.1, name="true_effect", bad=NAN),
    C("retrodesign-effect-string", ap.retrodesign, "0.1", 0.1, exc=TypeError, name="true_effect", bad="0.1"),
    C("retrodesign-alpha-zero", ap.retrodesign, 0.1, 0.1, alpha=0.0, name="alpha", bad=0.0),
    C("retrodesign-counts-effect-above-one", ap.retrodesign_from_counts, 1.5, 7, 14, 12, 15,
      name="true_effect", bad=1.5),
    C("zero-bound-n-zero", ap.zero_event_bound, 0, name="n", bad=0),
    C("zero-bound-n-float", ap.zero_event_bound, 14.0, exc=TypeError, name="n", bad=14.0),
    C("zero-bound-method", ap.zero_event_bound, 14, method="rule-of-three", name="method", bad="rule-of-three"),
    C("zero-bound-rule-of-three-level", ap.zero_event_bound, 14, confidence_level=0.9, method="rule_of_three",
      name="confidence_level", bad=0.9),
    C("zero-bound-level-one", ap.zero_event_bound, 14, confidence_level=1.0, name="confidence_level", bad=1.0),
    # ---- fragility ---------------------------------------------------------------
    C("fragility-alpha-zero", ap.fragility_index, 1, 14, 12, 15, alpha=0.0, name="alpha", bad=0.0),
    C("fragility-alpha-one", ap.fragility_index, 1, 14, 12, 15, alpha=1, name="alpha", bad=1),
    C("fragility-negative-events", ap.fragility_index, -1, 14, 12, 15, name="events_treat", bad=-1),
    C("reverse-fragility-alpha-nan", ap.reverse_fragility_index, 7, 14, 12, 15, alpha=NAN, name="alpha", bad=NAN),
    C("reverse-fragility-n-none", ap.reverse_fragility_index, 7, 14, 12, None, exc=TypeError, name="n_ctrl", bad=None),
    C("fragility-quotient-reverse-string", ap.fragility_quotient, 7, 14, 12, 15, reverse="yes", exc=TypeError,
      name="reverse", bad="yes"),
    # ---- bayes -------------------------------------------------------------------
    C("benefit-prior-unknown-name", ap.probability_of_benefit, 7, 14, 12, 15, prior="uniform",
      name="prior", bad="uniform"),
    C("benefit-prior-list", ap.probability_of_benefit, 7, 14, 12, 15, prior=[1, 1], exc=TypeError,
      name="prior", bad=[1, 1]),
    C("benefit-prior-one-number", ap.probability_of_benefit, 7, 14, 12, 15, prior=(1,), exc=TypeError,
      name="prior", bad=(1,)),
    C("benefit-prior-three-numbers", ap.probability_of_benefit, 7, 14, 12, 15, prior=(1, 1, 1), exc=TypeError,
      name="prior", bad=(1, 1, 1)),
    C("benefit-prior-zero-shape", ap.probability_of_benefit, 7, 14, 12, 15, prior=(0, 1),
      name=("prior", "a_treat"), bad=0),
    C("benefit-prior-negative-shape", ap.probability_of_benefit, 7, 14, 12, 15, prior=(1, 1, 1, -1),
      name=("prior", "b_ctrl"), bad=-1),
    C("benefit-prior-string-shape", ap.probability_of_benefit, 7, 14, 12, 15, prior=(1, "1"), exc=TypeError,
      name="prior", bad=(1, "1")),
    C("benefit-prior-none", ap.probability_of_benefit, 7, 14, 12, 15, prior=None, exc=TypeError,
      name="prior", bad=None),
    C("benefit-prior-bool-shape", ap.probability_of_benefit, 7, 14, 12, 15, prior=(True, 1), exc=TypeError,
      name="prior", bad=(True, 1)),
    C("benefit-prior-nan-shape", ap.probability_of_benefit, 7, 14, 12, 15, prior=(NAN, 1),
      name=("prior", "a_treat"), bad=NAN),
    C("benefit-prior-dict", ap.probability_of_benefit, 7, 14, 12, 15, prior={"a": 1, "b": 1}, exc=TypeError,
      name="prior", bad={"a": 1, "b": 1}),
    C("benefit-event_is_bad-int", ap.probability_of_benefit, 7, 14, 12, 15, event_is_bad=1, exc=TypeError,
      name="event_is_bad", bad=1),
    C("benefit-margin-one", ap.probability_of_benefit, 7, 14, 12, 15, margin=1.0, name="margin", bad=1.0),
    C("benefit-margin-negative", ap.probability_of_benefit, 7, 14, 12, 15, margin=-0.1, name="margin", bad=-0.1),
    C("benefit-events-gt-n", ap.probability_of_benefit, 15, 14, 12, 15, name="events_treat", bad=15),
    C("posterior-credible-one", ap.posterior_risk_difference, 7, 14, 12, 15, credible_level=1,
      name="credible_level", bad=1),
    C("posterior-grid-too-small", ap.posterior_risk_difference, 7, 14, 12, 15, grid_size=5, name="grid_size", bad=5),
    C("slider-position-out-of-range", prior_from_slider, 1.5, name="position", bad=1.5),
    C("slider-event_is_bad-string", prior_from_slider, 0.5, event_is_bad="no", exc=TypeError,
      name="event_is_bad", bad="no"),
    C("Prior-zero-shape", Prior, "mine", 0, 1, 1, 1, name="a_treat", bad=0),
    C("Prior-name-none", Prior, None, 1, 1, 1, 1, exc=TypeError, name="name", bad=None),
    # ---- trial cards -------------------------------------------------------------
    C("load-int", ap.load_trial, 42, exc=TypeError, name="trial", bad=42),
    C("load-none", ap.load_trial, None, exc=TypeError, name="trial", bad=None),
    C("load-unknown-id", ap.load_trial, "no-such-trial", name="trial", bad="no-such-trial"),
    C("load-empty", ap.load_trial, "", name="trial", bad=""),
    C("load-missing-file", ap.load_trial, "missing-card.toml", exc=FileNotFoundError, name="trial",
      bad="missing-card.toml", shown=("missing-card.toml",)),
    C("validate-float", ap.validate_card, 3.5, exc=TypeError, name="trial", bad=3.5),
    # ---- flags, report, registration audit ---------------------------------------
    C("report-pdf", _report, format="pdf", name="format", bad="pdf"),
    C("report-format-none", _report, format=None, exc=TypeError, name="format", bad=None),
    C("report-format-upper", _report, format="HTML", name="format", bad="HTML"),
    C("report-id-not-trial", ap.report, "mensc-secretome-covid19", exc=TypeError, name="trial",
      bad="mensc-secretome-covid19"),
    C("appraise-id-not-trial", ap.appraise, "mensc-secretome-covid19", exc=TypeError, name="trial",
      bad="mensc-secretome-covid19"),
    C("audit-id-not-trial", ap.audit_registration, "mensc-secretome-covid19", exc=TypeError, name="trial",
      bad="mensc-secretome-covid19"),
    C("audit-none", ap.audit_registration, None, exc=TypeError, name="trial", bad=None),
    # ---- CLI fraction parser -----------------------------------------------------
    C("fraction-events-gt-n", parse_fraction, "15/14", name=("events", "text"), bad="15/14"),
    C("fraction-n-zero", parse_fraction, "7/0", name=("patients", "text"), bad="7/0"),
    C("fraction-words", parse_fraction, "7 of 14", name=("EVENTS/N", "text"), bad="7 of 14"),
    C("fraction-negative", parse_fraction, "-1/14", name=("EVENTS/N", "text"), bad="-1/14"),
    C("fraction-decimal", parse_fraction, "7.5/14", name=("EVENTS/N", "text"), bad="7.5/14"),
    C("fraction-int", parse_fraction, 7, exc=TypeError, name=("fraction", "text"), bad=7),
    # ---- charts and widgets (thin layers: same rules) ----------------------------
    C("icon-array-events-gt-n", _icon_array, 15, 14, 12, 15, name="events_treat", bad=15),
    C("icon-array-per-row-zero", _icon_array, 7, 14, 12, 15, per_row=0, name="per_row", bad=0),
    C("posterior-chart-prob-above-one", _posterior_chart, event_is_bad=True, prob_benefit=1.2,
      name="prob_benefit", bad=1.2),
    C("posterior-chart-event_is_bad-string", _posterior_chart, event_is_bad="yes", prob_benefit=0.5,
      exc=TypeError, name="event_is_bad", bad="yes"),
    C("pvalue-vs-n-chart-p-above-one", _pvalue_vs_n_chart, [0.5, 1.5], name="pvalues", bad=1.5),
    C("pvalue-vs-n-chart-fractional-n", _pvalue_vs_n_chart, [0.5, 0.2], n_per_arm=(14.5, 30), exc=TypeError,
      name="n_per_arm", bad=14.5),
    C("power-curve-chart-nan", _power_curve_chart, [0.19, NAN], name="power_exact", bad=NAN),
    C("power-curve-chart-above-one", _power_curve_chart, [0.19, 1.3], name="power_exact", bad=1.3),
    C("timeline-chart-string", _timeline_chart, "NCT05019287", exc=TypeError, name="audit", bad="NCT05019287"),
    C("flags-chart-string", _flags_chart, "fragile-result", exc=TypeError, name="flags", bad="fragile-result"),
    C("widget-2x2-negative-events", _two_by_two, -1, 14, 12, 15, name="events_treat", bad=-1),
    C("widget-2x2-above-slider-max", _two_by_two, 7, 700, 12, 15, name="n_treat", bad=700),
    C("widget-2x2-float-events", _two_by_two, 7.5, 14, 12, 15, exc=TypeError, name="events_treat", bad=7.5),
    C("widget-trial-id-not-trial", _fragility_explorer_of, "mensc-secretome-covid19", exc=TypeError,
      name="trial", bad="mensc-secretome-covid19"),
    C("widget-sample-size-alpha", _sample_size_explorer, alpha=1.5, name="alpha", bad=1.5),
    C("widget-fragility-alpha", _fragility_explorer, alpha=0.0, name="alpha", bad=0.0),
    C("widget-fragility-unknown-outcome", _fragility_explorer, "deaths", name="outcome_id", bad="deaths"),
    # the seed card's time-to-event outcome has no 2x2 counts for the fragility explorer
    C("widget-fragility-time-to-event-outcome", _fragility_explorer, "death", name="outcome_id", bad="death"),
    C("widget-dance-n-trials-zero", _pvalue_dance, n_trials=0, name="n_trials", bad=0),
    C("widget-dance-seed-negative", _pvalue_dance, seed=-3, name="seed", bad=-3),
]

# ---------------------------------------------------------------------------
# Size limits (appraise._limits): refused up front, the message names the argument,
# repeats the value and states the limit and why
# ---------------------------------------------------------------------------

def _fisher_table(*args):
    from appraise.tests2x2 import fisher_pvalue_table
    return fisher_pvalue_table(*args)


def _simulate_within(**kwargs):
    from appraise.simulate import simulate_within_group_trials
    return simulate_within_group_trials(**{"n_treat": 14, "n_ctrl": 15, **kwargs})


def _simulate_one(**kwargs):
    from appraise.simulate import simulate_baseline_followup
    return simulate_baseline_followup(**{"n_treat": 14, "n_ctrl": 15, **kwargs})


def _retro_counts(*args):
    from appraise.design import retrodesign_from_counts
    return retrodesign_from_counts(0.1, *args)


BIG = 10**10            # above appraise._limits.MAX_COUNT (a billion)
HUGE = 10**400          # overflows a float

LIMIT_CASES = [
    C("limit-fisher-table-treat", _fisher_table, 2001, 15, name="n_treat", bad=2001),
    C("limit-fisher-table-ctrl", _fisher_table, 14, 10**6, name="n_ctrl", bad=10**6),
    C("limit-hypergeometric-table", hypergeometric_table, 1, 5000, 2, 15, name="n_treat", bad=5000),
    C("limit-power-fisher-arm", ap.power_two_proportions, 0.5, 0.8, n_treat=2001, name="n_treat", bad=2001),
    C("limit-power-fisher-ctrl", ap.power_two_proportions, 0.5, 0.8, n_treat=14, n_ctrl=5000, name="n_ctrl",
      bad=5000),
    C("limit-power-normal-count", ap.power_two_proportions, 0.5, 0.8, n_treat=BIG, test="normal", name="n_treat",
      bad=BIG),
    C("limit-power-p-overflow", ap.power_two_proportions, HUGE, 0.8, n_treat=14, name="p_treat", bad=HUGE,
      shown=("0" * 60 + "...",)),
    C("limit-sample-size-max-n", ap.sample_size_two_proportions, 0.5, 0.8, max_n=5000, name="max_n", bad=5000),
    C("limit-sample-size-beyond-exact", ap.sample_size_two_proportions, 0.5, 0.55, name="max_n", bad=1565),
    C("limit-sample-size-stable", ap.sample_size_two_proportions, 0.4, 0.5, stable=True, name="stable",
      bad=388),
    C("limit-solve-n-per-arm", solve_two_proportions, p_treat=0.5, p_ctrl=0.8, n_per_arm=BIG, name="n_per_arm",
      bad=BIG),
    C("limit-pvalue-at-n", ap.pvalue_at_n, 0.5, 0.8, n_treat=BIG, n_ctrl=15, name="n_treat", bad=BIG),
    C("limit-simulate-trials", ap.simulate_pvalues, 0.5, 0.8, n_treat=14, n_ctrl=15, n_trials=10**9,
      name="n_trials", bad=10**9),
    C("limit-simulate-fisher-arm", ap.simulate_pvalues, 0.5, 0.8, n_treat=3000, n_ctrl=15, name="n_treat",
      bad=3000),
    C("limit-posterior-density-grid", ap.posterior_density, 7, 14, 12, 15, grid_size=10**7, name="grid_size",
      bad=10**7),
    C("limit-posterior-grid", ap.posterior_risk_difference, 7, 14, 12, 15, grid_size=10**6, name="grid_size",
      bad=10**6),
    C("limit-posterior-count", ap.posterior_risk_difference, 7, BIG, 12, 15, name="n_treat", bad=BIG),
    C("limit-benefit-count", ap.probability_of_benefit, 7, 14, 12, BIG, name="n_ctrl", bad=BIG),
    C("limit-prior-parameter", Prior, "wide", 1e12, 1.0, 1.0, 1.0, name="a_treat", bad=1e12),
    C("limit-percentage-n", ap.check_percentage, "28%", 10**8, name="n", bad=10**8),
    C("limit-reported-p-count", ap.check_reported_p, "P = 0.5", 7, BIG, 12, 15, name="n_treat", bad=BIG),
    C("limit-reported-p-one-sample-count", ap.check_reported_p_one_sample, "P = 0.5", 9, BIG, name="n", bad=BIG),
    C("limit-min-attainable", ap.min_attainable_pvalues, BIG, 15, name="n_treat", bad=BIG),
    C("limit-smallest-p", ap.smallest_attainable_p, 14, BIG, name="n_ctrl", bad=BIG),
    C("limit-tests-2x2-count", ap.tests_2x2, 7, 14, 12, HUGE, name="n_ctrl", bad=HUGE, shown=("0" * 60 + "...",)),
    C("limit-compare-count", ap.compare_proportions, 7, BIG, 12, 15, name="n_treat", bad=BIG),
    C("limit-proportion-ci-count", ap.proportion_ci, 7, BIG, name="n", bad=BIG),
    C("limit-fragility-arm", ap.fragility_index, 1, 3000, 12, 15, name="n_treat", bad=3000),
    C("limit-reverse-fragility-arm", ap.reverse_fragility_index, 7, 14, 12, 3000, name="n_ctrl", bad=3000),
    C("limit-zero-event-bound-n", ap.zero_event_bound, BIG, name="n", bad=BIG),
    C("limit-retrodesign-counts", _retro_counts, 7, BIG, 12, 15, name="n_treat", bad=BIG),
    C("limit-simulate-patients", _simulate_within, n_trials=100_000, name="n_trials", bad=2_900_000),
    C("limit-simulate-screened", _simulate_within, n_trials=30_000, enrol_above=170, name="enrol_above",
      bad=170),
    C("limit-simulate-one-trial", _simulate_one, n_treat=10**7, name="n_treat", bad=10**7 + 15),
    C("limit-numpy-bool-alpha", ap.power_two_proportions, 0.5, 0.8, n_treat=14, alpha=np.True_, exc=TypeError,
      name="alpha", bad=np.True_, shown=("True",)),
    C("limit-numpy-bool-count", ap.tests_2x2, np.True_, 14, 12, 15, exc=TypeError, name="events_treat",
      bad=np.True_, shown=("True",)),
]

CASES = CASES + LIMIT_CASES

_ids = [c.id for c in CASES]
assert len(_ids) == len(set(_ids)), "duplicate case ids"


def _call_no_runtime_warning(case: Case):
    """Call the case; RuntimeWarning becomes an error; return the raised exception info."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        warnings.simplefilter("error", RuntimeWarning)
        with pytest.raises(Exception) as info:
            case.func(*case.args, **case.kwargs)
    runtime = [w for w in caught if issubclass(w.category, RuntimeWarning)]
    assert not runtime, f"RuntimeWarning escaped: {[str(w.message) for w in runtime]}"
    return info


@pytest.mark.parametrize("case", CASES, ids=_ids)
def test_bad_input_raises_named_error(case: Case):
    info = _call_no_runtime_warning(case)
    err = info.value
    assert not isinstance(err, RuntimeWarning), f"a RuntimeWarning was raised instead: {err}"
    assert type(err) is case.exc or (isinstance(err, case.exc) and case.exc is not Exception), (
        f"expected {case.exc.__name__}, got {type(err).__name__}: {err}")
    message = str(err.args[0]) if isinstance(err, KeyError) and err.args else str(err)
    assert any(name in message for name in case.names), (
        f"message does not name the argument {case.names}: {message!r}")
    shown = case.shown if case.shown is not None else _forms(case.bad)
    assert any(_repeats(message, s) for s in shown), (
        f"message does not repeat the value (one of {shown}): {message!r}")


def test_at_least_sixty_distinct_bad_inputs():
    distinct = {(c.func, repr(c.args), repr(sorted(c.kwargs.items()))) for c in CASES}
    assert len(distinct) == len(CASES) >= 60


# ---------------------------------------------------------------------------
# Nothing silently clamped
# ---------------------------------------------------------------------------

CLAMP_CASES = [
    ("proportion_ci-15-of-14", lambda: ap.proportion_ci(15, 14)),
    ("proportion_ci-wald-15-of-14", lambda: ap.proportion_ci(15, 14, method="wald")),
    ("compare-15-of-14", lambda: ap.compare_proportions(15, 14, 12, 15)),
    ("tests-13-of-12", lambda: ap.tests_2x2(7, 14, 13, 12)),
    ("power-p-1.01", lambda: ap.power_two_proportions(1.01, 0.8, n_treat=14)),
    ("power-p-minus-0.01", lambda: ap.power_two_proportions(-0.01, 0.8, n_treat=14)),
    ("percentage-100.4", lambda: ap.check_percentage("100.4%", 14)),
    ("p-1.0001", lambda: ap.parse_reported_p("P = 1.0001")),
    ("fragility-alpha-1.2", lambda: ap.fragility_index(1, 14, 12, 15, alpha=1.2)),
    ("zero-bound-level-1.1", lambda: ap.zero_event_bound(14, confidence_level=1.1)),
    ("margin-1.5", lambda: ap.probability_of_benefit(7, 14, 12, 15, margin=1.5)),
    ("smallest-p-total-30", lambda: ap.smallest_attainable_p(14, 15, total_events=30)),
    ("simulate-p-1.5", lambda: ap.simulate_pvalues(1.5, 0.8, n_treat=14, n_ctrl=15)),
]


@pytest.mark.parametrize("thunk", [t for _, t in CLAMP_CASES], ids=[i for i, _ in CLAMP_CASES])
def test_impossible_input_is_not_clamped(thunk):
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        try:
            result = thunk()
        except (ValueError, TypeError):
            return
    pytest.fail(f"impossible input returned {result!r} instead of raising")


def test_p_value_below_the_smallest_float_is_not_rounded_to_zero():
    # "P < 1e-400" is a true statement, but 1e-400 underflows to 0.0 as a float, and
    # "P < 0" is impossible: the parser must keep a positive bound or refuse the text.
    try:
        rep = ap.parse_reported_p("P < 1e-400")
    except ValueError as err:
        assert "1e-400" in str(err)
        return
    assert rep.value > 0, f"parsed to {rep!r}: the bound became 0, which no p-value is below"


def test_two_by_two_explorer_reports_an_impossible_table_in_its_status():
    # an explorer is typed into: an impossible table is reported in its status line
    # (naming the field and the value) and, as update() documents, the displays keep the
    # last valid results rather than showing anything computed from the impossible table
    ex = _two_by_two(7, 14, 12, 15)
    before = (ex.summary_html.value, ex.tests_html.value)
    ex.events_treat.value = 15
    assert "events_treat" in ex.status.value and "15" in ex.status.value
    assert ex.update() is False
    assert (ex.summary_html.value, ex.tests_html.value) == before


def test_two_sided_intervals_are_not_clipped_silently_at_the_boundary():
    # Wald's interval for 13/14 runs above 1 (13/14 + 1.96*sqrt(13/14*1/14/14) = 1.0634);
    # whatever the library returns must either be that raw interval or say it was clipped.
    low, high = ap.proportion_ci(13, 14, method="wald")
    p = 13 / 14
    half = 1.959963984540054 * math.sqrt(p * (1 - p) / 14)  # z_{0.975} (scipy.stats.norm.ppf)
    assert low == pytest.approx(p - half, abs=1e-9)
    assert high == pytest.approx(p + half, abs=1e-9) or high == 1.0


# ---------------------------------------------------------------------------
# The command line with bad arguments: exit status 2, a message, no traceback
# ---------------------------------------------------------------------------

CLI_CASES = [
    ("compare-events-gt-n", ["compare", "15/14", "12/15"], ("TREAT", "treat"), "15/14"),
    ("compare-ctrl-n-zero", ["compare", "7/14", "0/0"], ("CTRL", "ctrl"), "0/0"),
    ("compare-words", ["compare", "7/14", "abc"], ("CTRL", "ctrl"), "abc"),
    ("compare-negative", ["compare", "-7/14", "12/15"], ("TREAT", "treat"), "-7/14"),
    ("compare-decimal", ["compare", "7/14", "12.0/15"], ("CTRL", "ctrl"), "12.0/15"),
    ("compare-percent", ["compare", "50%", "12/15"], ("TREAT", "treat"), "50%"),
    ("compare-level-above-one", ["compare", "7/14", "12/15", "--confidence-level", "1.5"],
     ("confidence-level", "confidence level"), "1.5"),
    ("compare-level-percent", ["compare", "7/14", "12/15", "--confidence-level", "95"],
     ("confidence-level", "confidence level"), "95"),
    ("compare-level-word", ["compare", "7/14", "12/15", "--confidence-level", "high"],
     ("confidence-level", "confidence level"), "high"),
    ("compare-missing-ctrl", ["compare", "7/14"], ("CTRL", "ctrl"), "CTRL"),
    ("report-format-pdf", ["report", "--format", "pdf"], ("format",), "pdf"),
    ("report-unknown-trial", ["report", "no-such-trial"], ("trial",), "no-such-trial"),
]


@pytest.mark.parametrize("argv,names,value", [c[1:] for c in CLI_CASES], ids=[c[0] for c in CLI_CASES])
def test_cli_bad_arguments(argv, names, value, capsys):
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        status = main(argv)
    out, err = capsys.readouterr()
    assert status == 2, f"exit status {status}; stderr: {err!r}"
    assert "Traceback" not in err and "Traceback" not in out
    assert any(n in err for n in names), f"stderr does not name the argument {names}: {err!r}"
    assert value in err, f"stderr does not repeat {value!r}: {err!r}"
    assert out == ""


# ---------------------------------------------------------------------------
# Widgets say when a control cannot hold a value
# ---------------------------------------------------------------------------

def _card_with_arms(tmp_path, n_treat, n_ctrl):
    from pathlib import Path

    import appraise.cards as cards

    text = (Path(cards.__file__).parent / "mensc-secretome-covid19.toml").read_text(encoding="utf-8")
    text = (text.replace("n_analysed = 14", f"n_analysed = {n_treat}")
                .replace("n_analysed = 15", f"n_analysed = {n_ctrl}")
                .replace("n_treat = 14", f"n_treat = {n_treat}")
                .replace("n_ctrl = 15", f"n_ctrl = {n_ctrl}")
                .replace("denominator = 14", f"denominator = {n_treat}"))
    path = tmp_path / "mensc-secretome-covid19.toml"
    path.write_text(text, encoding="utf-8")
    return ap.load_trial(str(path))


def test_sample_size_explorer_says_when_the_trial_is_beyond_its_slider(tmp_path):
    from appraise.widgets import SampleSizeExplorer

    ex = SampleSizeExplorer(_card_with_arms(tmp_path, 400, 400), "intubation")
    assert ex.n.value == ex.n.max == 300
    assert "400" in ex.note.value and "300" in ex.note.value
    seed = SampleSizeExplorer(_trial(), "intubation")
    assert seed.n.value == 14 and seed.note.value == ""      # nothing to say for the seed trial


def test_two_by_two_explorer_states_its_range_and_untested_sizes():
    from appraise.widgets import TwoByTwoExplorer

    ex = TwoByTwoExplorer(7, 14, 12, 15)
    assert "0 to 500" in ex.note.value
    with pytest.raises(ValueError, match="at most 500, got 501: every test is recomputed"):
        TwoByTwoExplorer(7, 501, 12, 15)
    ex.n_treat.value, ex.n_ctrl.value = 400, 400
    assert ex.tests_html.value.count("not computed (arm too large)") == 2


def test_every_size_limit_is_documented():
    """Each numeric limit of appraise._limits is named in docs/limits.md, and no module
    outside _limits defines a limit of the same name."""
    import pathlib
    import re

    import appraise._limits as limits

    root = pathlib.Path(__file__).resolve().parents[1]
    doc = (root / "docs" / "limits.md").read_text(encoding="utf-8")
    names = [n for n in dir(limits) if n.isupper() and isinstance(getattr(limits, n), int)]
    assert names and [n for n in names if f"`{n}`" not in doc] == []
    for path in (root / "appraise").rglob("*.py"):
        if path.name != "_limits.py":
            text = path.read_text(encoding="utf-8")
            assert [n for n in names if re.search(rf"^\s*{n}\s*=", text, re.M)] == [], path
