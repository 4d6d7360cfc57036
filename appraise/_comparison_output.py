"""A two-arm comparison written out: the CLI's aligned table and its JSON dictionary.

:func:`format_comparison` and :func:`comparison_to_dict` of a
:class:`appraise.proportions.Comparison` (re-exported by :mod:`appraise.proportions`).
"""

from __future__ import annotations

import math

from ._format import format_p, to_jsonable
from .tests2x2 import TEST_NAMES

__all__ = ["format_comparison", "comparison_to_dict", "estimate_dict"]


def format_comparison(cmp: Comparison) -> str:
    """An aligned plain-text table of a :class:`Comparison` (used by the CLI).

    Examples
    --------
    >>> from appraise.proportions import compare_proportions
    >>> print(format_comparison(compare_proportions(7, 14, 12, 15)))
    treatment 7/14 vs control 12/15 (95% CI)
    measure                 estimate  low      high     method
    risk, treatment         0.500     0.268    0.732    wilson
    risk, control           0.800     0.548    0.930    wilson
    risk difference         -0.300    -0.566   0.042    newcombe-hybrid-score
    risk difference (Wald)  -0.300    -0.631   0.031    wald
    risk ratio              0.625     0.349    1.118    log
    odds ratio              0.250     0.048    1.292    logit (Woolf)
    NNTB 3.3 (95% CI NNTH 24 to infinity to NNTB 1.8)
    test                    statistic  p-value
    fisher                  0.250      0.1281
    chi2                    2.885      0.0894
    chi2_yates              1.710      0.1910
    barnard                 -1.698     0.1089
    boschloo                0.095      0.1085
    """
    from .proportions import Comparison

    if not isinstance(cmp, Comparison):
        raise TypeError(f"cmp must be a Comparison, got {type(cmp).__name__}")
    rows = [
        ("risk, treatment", cmp.risk_treat),
        ("risk, control", cmp.risk_ctrl),
        ("risk difference", cmp.risk_difference),
        ("risk difference (Wald)", cmp.risk_difference_wald),
        ("risk ratio", cmp.risk_ratio),
        ("odds ratio", cmp.odds_ratio),
    ]

    def num(x: float) -> str:
        return "nan" if math.isnan(x) else ("inf" if math.isinf(x) else f"{x:.3f}")

    lines = [
        f"treatment {cmp.events_treat}/{cmp.n_treat} vs control {cmp.events_ctrl}/{cmp.n_ctrl} "
        f"({100 * cmp.confidence_level:g}% CI)",
        f"{'measure':<24}{'estimate':<10}{'low':<9}{'high':<9}method",
    ]
    for label, est in rows:
        lines.append(f"{label:<24}{num(est.estimate):<10}{num(est.low):<9}{num(est.high):<9}{est.method}")
    lines.append(cmp.nnt.text)
    lines.append(f"{'test':<24}{'statistic':<11}p-value")
    for name in TEST_NAMES:
        res = cmp.tests[name]
        lines.append(f"{name:<24}{num(res.statistic):<11}{format_p(res.pvalue, digits=4)}" if res.computed
                     else f"{name:<24}{res.note}")
    return "\n".join(lines)


def _json_number(x):
    return to_jsonable(float(x))


def estimate_dict(est) -> dict:
    """An :class:`~appraise._results.Estimate` as JSON-ready numbers (non-finite -> None)."""
    return {"estimate": _json_number(est.estimate), "low": _json_number(est.low),
            "high": _json_number(est.high), "method": est.method,
            "confidence_level": est.confidence_level}


def comparison_to_dict(cmp: Comparison) -> dict:
    """A JSON-ready dictionary of a :class:`Comparison` (for ``compare --json``).

    Numbers go through :func:`appraise._format.to_jsonable`, the package's one JSON rule:
    every number that is not finite (``nan``, or an infinite NNT or ratio) becomes ``None``
    (the NNT's ``kind`` and ``text`` say what it means), so the result passes
    ``json.dumps(..., allow_nan=False)`` and matches ``report --format json``.

    Examples
    --------
    >>> from appraise.proportions import compare_proportions
    >>> d = comparison_to_dict(compare_proportions(7, 14, 12, 15))
    >>> d["counts"]
    {'events_treat': 7, 'n_treat': 14, 'events_ctrl': 12, 'n_ctrl': 15}
    >>> round(d["tests"]["fisher"]["pvalue"], 4)
    0.1281
    >>> d["nnt"]["kind"], d["nnt"]["crosses_zero"]
    ('benefit', True)
    """
    from .proportions import Comparison

    if not isinstance(cmp, Comparison):
        raise TypeError(f"cmp must be a Comparison, got {type(cmp).__name__}")
    nnt = cmp.nnt
    return {
        "counts": {"events_treat": cmp.events_treat, "n_treat": cmp.n_treat,
                   "events_ctrl": cmp.events_ctrl, "n_ctrl": cmp.n_ctrl},
        "confidence_level": cmp.confidence_level,
        "event_is_bad": cmp.event_is_bad,
        "risk_treat": estimate_dict(cmp.risk_treat),
        "risk_ctrl": estimate_dict(cmp.risk_ctrl),
        "risk_treat_clopper_pearson": estimate_dict(cmp.risk_treat_clopper_pearson),
        "risk_ctrl_clopper_pearson": estimate_dict(cmp.risk_ctrl_clopper_pearson),
        "risk_difference": estimate_dict(cmp.risk_difference),
        "risk_difference_wald": estimate_dict(cmp.risk_difference_wald),
        "risk_ratio": estimate_dict(cmp.risk_ratio),
        "odds_ratio": estimate_dict(cmp.odds_ratio),
        "nnt": {"estimate": _json_number(nnt.estimate), "low": _json_number(nnt.low),
                "high": _json_number(nnt.high), "kind": nnt.kind, "text": nnt.text,
                "crosses_zero": nnt.crosses_zero},
        "tests": {name: {"statistic": _json_number(r.statistic), "pvalue": _json_number(r.pvalue),
                         "method": r.method, "alternative": r.alternative, "computed": r.computed,
                         "note": r.note}
                  for name, r in cmp.tests.items()},
    }
