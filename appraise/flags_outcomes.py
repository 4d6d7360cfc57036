"""Flags on the figures of time-to-event and continuous outcomes (card format 2).

The figures are checked once by :mod:`appraise._verdicts_v2` (called from
:func:`appraise.verdicts.assess`); this module turns the checks that fail into flags.  A
flag is about the claim that prints the figure, or, for a figure the outcome records
without a claim, about the outcome (its id).

=========================== ================ =================================================
code                        severity         what it catches
=========================== ================ =================================================
``logrank-p-impossible``    serious/caution  a printed p no log-rank test on the deaths per arm
                                             gives, whatever their order (serious when the
                                             paper states follow-up was complete, caution
                                             when it does not say)
``km-percentage``           info/caution     a survival percentage that is no ``s/n``: info
                                             when a Kaplan-Meier estimate after censoring
                                             gives it, caution when none can
``ci-p-inconsistent``       caution          a ratio, its interval and its p that disagree
``grim-inconsistent``       caution          a mean no whole-number item scores give
``grimmer-inconsistent``    caution          a mean and SD no whole-number item scores give
``ttest-irreproducible``    caution          a between-arm p no two-sample t-test on the
                                             printed means and SDs gives
``within-group-comparison`` caution          a within-arm p an outcome records (claims with a
                                             within-arm p are flagged by
                                             :func:`appraise.flags.check_within_group`)
=========================== ================ =================================================
"""

from __future__ import annotations

from appraise._flag import Flag, _num

__all__ = ["CODES", "check_outcome_figures", "figure_flags"]

CODES = ("logrank-p-impossible", "km-percentage", "ci-p-inconsistent", "grim-inconsistent",
         "grimmer-inconsistent", "ttest-irreproducible", "within-group-comparison")


def _label(trial, outcome_id) -> str:
    for o in trial.all_outcomes:
        if o.id == outcome_id:
            return o.label.lower()
    return outcome_id or "the outcome"


def _evidence(fc) -> dict:
    return {k: _num(v) for k, v in fc.evidence.items()} | {"outcome": fc.outcome_id, "figure": fc.figure}


def figure_flags(trial, fc) -> list[Flag]:
    """The flag (if any) a failing :class:`~appraise._verdicts_v2.FigureCheck` raises."""
    ev, label = _evidence(fc), _label(trial, fc.outcome_id)
    if fc.check == "logrank" and fc.status == "inconsistent":
        known = fc.evidence.get("censored_before_end") is False
        msg = (fc.summary + " The order of the events is the only thing the counts leave open, and no order "
               "reaches the printed p. Either the counts or the p is wrong, or the p comes from another analysis "
               "(a different outcome, a model with covariates, a one-sided test) that the paper should name.")
        if not known:
            msg += (" The range assumes no one left follow-up before the end; the paper does not say, and "
                    "patients censored early would move the range, so ask how many were.")
        return [Flag("logrank-p-impossible", "serious" if known else "caution", fc.about,
                     f"{fc.text} is no log-rank p for {label}", msg, ev)]
    if fc.check == "km" and fc.status in ("flagged", "inconsistent"):
        if fc.status == "flagged":
            msg = (fc.summary + " A survival percentage read off a Kaplan-Meier curve need not be a whole number "
                   "of patients out of the arm: patients followed for a shorter time count for less. So this is no "
                   "typing error, but the paper should say how many were censored.")
            return [Flag("km-percentage", "info", fc.about,
                         f"{fc.text} is a Kaplan-Meier estimate, not a count", msg, ev)]
        msg = (fc.summary + " Neither a count out of the arm nor a Kaplan-Meier estimate with these events gives "
               "the printed figure: a transcription or analysis error, or events the card does not know of.")
        return [Flag("km-percentage", "caution", fc.about, f"{fc.text} fits no survival pattern", msg, ev)]
    if fc.check == "ci-p" and fc.status == "inconsistent":
        msg = (fc.summary + " An estimate, its interval and its p come from the same analysis and must agree; "
               "one of the three was mistyped, or they come from different analyses.")
        return [Flag("ci-p-inconsistent", "caution", fc.about,
                     f"Interval and p disagree for {label}", msg, ev)]
    if fc.check in ("grim", "grimmer") and fc.status == "inconsistent":
        what = "mean" if fc.check == "grim" else "mean and SD"
        msg = (f"{fc.summary} The {label} is a score of {fc.evidence.get('items')} whole-number item(s), so with "
               f"{fc.evidence.get('n')} patients only some {what}s are possible; the printed one is not.")
        return [Flag(f"{fc.check}-inconsistent", "caution", fc.about,
                     f"Impossible {what} for {label} ({fc.evidence.get('arm')})", msg, ev)]
    if fc.check == "ttest" and fc.status == "inconsistent":
        baseline = fc.evidence.get("timing") == "baseline"
        msg = (fc.summary + " Another test (for example a rank test) may have been used; the paper should name "
               "it, since a reader cannot otherwise check the p.")
        if baseline:
            msg += " This is a baseline comparison, which says nothing about the treatment."
        return [Flag("ttest-irreproducible", "caution", fc.about,
                     f"{fc.text} for {label} is no t-test on the printed means and SDs", msg, ev)]
    if fc.check == "within" and fc.status == "flagged" and fc.claim_id is None:
        msg = (f"The card records a within-arm p ({fc.text}) for {label} in the {fc.evidence.get('arm')} arm. "
               + fc.summary + " Only a comparison with the control arm tests the treatment.")
        return [Flag("within-group-comparison", "caution", fc.about,
                     f"{label}: within-group change, not a comparison with control", msg, ev)]
    return []


def check_outcome_figures(trial, targets=(), results=None, figures=None) -> list[Flag]:
    """Flags on every format-2 figure: those claims print (in ``results``) and those the
    outcomes record on their own (``figures``, from :func:`appraise.verdicts.assess`)."""
    if results is None or figures is None:
        from appraise.verdicts import assess

        a = assess(trial)
        targets, results, figures = a.targets, a.results, a.figures
    checks = [fc for t in targets for fc in results[t.claim.id].figures] + list(figures)
    return [f for fc in checks for f in figure_flags(trial, fc)]
