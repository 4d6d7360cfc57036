"""Checks of the figures of time-to-event and continuous outcomes (card format 2), run once.

:func:`appraise.verdicts.assess` calls :func:`check_claim` for every claim whose target check
is ``"p-logrank"``, ``"km-percentage"`` or ``"p-continuous"`` (or a within-arm claim with a
printed p), and :func:`outcome_figures` for the figures an outcome records itself (its
Kaplan-Meier percentages, its test's p, its hazard ratio, each arm's mean and SD, its
within- and between-arm p) that no claim on that outcome prints.  Every check returns a
:class:`FigureCheck`: the status and one-sentence summary a verdict shows, and the evidence
a flag cites; :mod:`appraise.flags_outcomes` turns the failing ones into flags.

The checks, each by the library function named:

``logrank``
    a printed p against :func:`appraise.survival.logrank_pvalue_range` on the deaths per
    arm: the range holds with complete follow-up (no one censored before the end);
``km``
    a printed survival percentage against :func:`appraise.survival.check_km_percentage`:
    a figure that is no ``s/n`` can still be a Kaplan-Meier estimate after censoring;
``ci-p``
    a ratio, its interval and a p against :func:`appraise.survival.check_ci_p`;
``grim``, ``grimmer``
    an arm's printed mean (and SD) against :func:`appraise.continuous.grim` /
    :func:`~appraise.continuous.grimmer`, run only when the card gives the number of
    items of a scale of whole-number answers (otherwise the data need not be whole
    numbers and the checks say nothing);
``ttest``
    a printed between-arm p against :func:`appraise.continuous.check_ttest_p` on both
    arms' mean and SD;
``within``
    a printed within-arm p read by :func:`appraise.continuous.within_arm_p`: how large
    a paired change it implies, and that it says nothing about the control arm.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from appraise._format import format_p, p_phrase
from appraise._limits import MAX_KM_ARM, MAX_KM_PATTERNS_PER_FIGURE

__all__ = ["FigureCheck", "check_claim", "outcome_figures", "within_reading", "p_fits_range"]


#: the statuses a figure check gives (as claim verdicts do)
_CONSISTENT, _INCONSISTENT, _FLAGGED, _NOT = "consistent", "inconsistent", "flagged", "not checkable here"


@dataclass(frozen=True)
class FigureCheck:
    """One printed figure of a format-2 outcome, checked.

    Attributes
    ----------
    outcome_id : str
        The outcome the figure belongs to.
    figure : str
        Where on the outcome it is: ``"test.p"``, ``"km[0].ctrl"``, ``"hazard_ratio"``,
        ``"treatment.mean"``, ``"p_between"``, ... or ``"claim"`` for a claim's own text.
    text : str
        The figure as printed.
    check : str
        ``"logrank"``, ``"km"``, ``"ci-p"``, ``"grim"``, ``"grimmer"``, ``"ttest"`` or
        ``"within"``.
    status : str
        ``"consistent"``, ``"inconsistent"``, ``"flagged"`` or ``"not checkable here"``.
    summary : str
        One plain sentence: the result, or why it cannot be checked.
    evidence : dict
        The recomputed numbers (JSON-ready).
    claim_id : str or None
        The claim that prints the figure, when a claim does.
    """

    outcome_id: str | None
    figure: str
    text: str
    check: str
    status: str
    summary: str
    evidence: dict = field(hash=False)
    claim_id: str | None = None

    @property
    def about(self) -> str:
        """What a flag on this figure is about: the claim's id, else the outcome's."""
        return self.claim_id or self.outcome_id or "design"


def p_fits_range(rep, low: float, high: float) -> bool:
    """Can a printed p (a :class:`~appraise.consistency.ReportedP`) lie in ``[low, high]``?

    An ``=`` p fits when some value that rounds to it lies in the range; ``<``/``>`` fit
    when some p in the range satisfies them.
    """
    if rep.relation == "=":
        half = 0.5 * 10.0 ** -rep.decimals
        return low <= rep.value + half and high >= rep.value - half
    return {"<": low < rep.value, "<=": low <= rep.value,
            ">": high > rep.value, ">=": high >= rep.value}[rep.relation]


def _arm_counts(outcome, arm):
    return (outcome.events_treat, outcome.n_treat) if arm == "treatment" else (outcome.events_ctrl, outcome.n_ctrl)


def _not(outcome_id, figure, text, check, reason, claim_id=None, **evidence) -> FigureCheck:
    return FigureCheck(outcome_id, figure, text, check, _NOT, f"Not checkable here: {reason}.",
                       {"reason": reason, **evidence}, claim_id)


# ------------------------------------------------------------------------------ time to event

def logrank_check(outcome, p_text, *, figure="test.p", claim_id=None) -> FigureCheck:
    """A printed p of a time-to-event outcome against the log-rank p range of its counts."""
    from appraise.consistency import parse_reported_p
    from appraise.survival import logrank_pvalue_range

    oid = outcome.id
    if outcome.censored_before_end:
        return _not(oid, figure, p_text, "logrank", "the paper says some patients were censored before the "
                    "end of follow-up, and the log-rank range over orderings assumes no one was", claim_id)
    try:
        rep = parse_reported_p(p_text)
        rng = logrank_pvalue_range(*outcome.counts)
    except (ValueError, TypeError, ArithmeticError) as exc:
        return _not(oid, figure, p_text, "logrank", str(exc), claim_id)
    high = rng.high if rng.high_exact else 1.0
    fits = p_fits_range(rep, rng.low, high)
    d1, n1, d0, n0 = outcome.counts
    complete = {False: "complete follow-up, as the paper states",
                None: "complete follow-up (the paper does not say whether anyone was censored before the end)"}
    ev = {"reported": rep.text, "counts": [d1, n1, d0, n0], "low": rng.low, "high": rng.high,
          "high_exact": rng.high_exact, "orderings": rng.orderings, "ordering_low": rng.ordering_low,
          "ordering_high": rng.ordering_high, "statistic_low": rng.statistic_low,
          "statistic_high": rng.statistic_high, "censored_before_end": outcome.censored_before_end,
          "follow_up_days": outcome.follow_up_days, "test_named": outcome.test.name if outcome.test else None}
    span = (f"from {format_p(rng.low, digits=4)} to {format_p(rng.high, digits=4)}"
            + ("" if rng.high_exact else " or above"))
    head = (f"With {d1}/{n1} vs {d0}/{n0} {outcome.event} events and "
            f"{complete[outcome.censored_before_end]}, a log-rank test gives p {span} over all "
            f"{rng.orderings:,} orders in which the events could have happened")
    if fits:
        return FigureCheck(oid, figure, p_text, "logrank", _CONSISTENT,
                           f"{head}; {rep.text} lies within that range.", ev, claim_id)
    return FigureCheck(oid, figure, p_text, "logrank", _INCONSISTENT,
                       f"{head}; {rep.text} lies outside it, so it is no log-rank p on these counts.", ev, claim_id)


def _km_search(text, n, events):
    """The check with as many censored patients as the pattern limit allows."""
    from appraise.survival import check_km_percentage

    most = n
    while True:
        try:
            return check_km_percentage(text, n, events=events, max_censored=most)
        except ValueError:
            if most == 0:
                raise
            most //= 2


def km_check(outcome, arm, text, time_days, *, figure, claim_id=None) -> FigureCheck:
    """A printed survival percentage of one arm against Kaplan-Meier patterns."""
    oid = outcome.id
    events_end, n = _arm_counts(outcome, arm)
    at_end = time_days is not None and outcome.follow_up_days is not None and time_days >= outcome.follow_up_days
    if n > MAX_KM_ARM:
        return _not(oid, figure, text, "km", f"an arm of {n} patients is larger than the {MAX_KM_ARM} whose "
                    "Kaplan-Meier patterns are searched", claim_id)
    candidates = [events_end] if at_end else list(range(events_end + 1))
    checks, examined = [], 0
    try:
        for e in candidates:
            chk = _km_search(text, n, e)
            checks.append((e, chk))
            examined += chk.patterns_checked
            if (chk.consistent and chk.fewest_censored == 0) or examined > MAX_KM_PATTERNS_PER_FIGURE:
                break
    except (ValueError, TypeError, ArithmeticError) as exc:
        return _not(oid, figure, text, "km", str(exc), claim_id)
    searched = [e for e, _ in checks]
    if not any(c.consistent for _, c in checks) and len(searched) < len(candidates):
        return _not(oid, figure, text, "km", f"the search stopped after {examined:,} patterns of deaths and "
                    "censoring without finding one that gives the figure", claim_id, events_considered=searched)
    survivors = sorted({int(s) for _, c in checks for s in c.without_censoring})
    fitting = [(e, c) for e, c in checks if c.consistent]
    no_censoring = [e for e, c in fitting if c.fewest_censored == 0]
    complete = outcome.censored_before_end is False
    ev = {"reported": text, "arm": arm, "n": n, "time_days": time_days,
          "events_by_end": events_end, "events_considered": searched,
          "survivors_fitting_without_censoring": survivors,
          "censored_before_end": outcome.censored_before_end,
          "fewest_censored": min((c.fewest_censored for _, c in fitting), default=None),
          "max_censored_searched": min((c.max_censored for _, c in checks), default=None),
          "patterns_checked": sum(c.patterns_checked for _, c in checks),
          "patterns_fitting": sum(c.matching for _, c in checks)}
    plural = "" if events_end == 1 else "s"
    deaths = (f"{events_end} {outcome.event} event{plural}" if at_end
              else f"up to {events_end} {outcome.event} event{plural}")
    if no_censoring:
        status, summary = _CONSISTENT, f"{text} of {n} is {n - no_censoring[0]}/{n} with no one censored."
        ev["kaplan_meier"] = "fits without censoring"
    elif fitting and not complete:
        best = min(fitting, key=lambda ec: ec[1].fewest_censored)[1]
        status = _FLAGGED
        summary = (f"No number of survivors out of {n} prints as {text}, but with {deaths} a Kaplan-Meier "
                   f"estimate does once at least {best.fewest_censored} patients are censored before the "
                   "last event.")
        ev["kaplan_meier"] = "fits only with censoring"
    else:
        status = _INCONSISTENT
        why = ("the paper states follow-up was complete, so the estimate is s/n" if complete and fitting
               else f"no pattern of {deaths} and censoring (up to {ev['max_censored_searched']} censored) gives it")
        summary = f"{text} of {n} cannot be a Kaplan-Meier estimate here: {why}."
        ev["kaplan_meier"] = "fits no pattern"
    return FigureCheck(oid, figure, text, "km", status, summary, ev, claim_id)


def ci_p_check(outcome, p_text, *, figure="hazard_ratio", claim_id=None) -> FigureCheck:
    """A hazard ratio, its interval and a printed p against one another (normal theory)."""
    from appraise.consistency import parse_percentage
    from appraise.survival import check_ci_p

    hr, oid = outcome.hazard_ratio, outcome.id
    shown = f"{hr.estimate} ({hr.low} to {hr.high}), {p_text}"
    try:
        level = parse_percentage(hr.level).value / 100 if hr.level else 0.95
        chk = check_ci_p(hr.estimate, hr.low, hr.high, p_text, ratio=True, level=level)
    except (ValueError, TypeError, ArithmeticError) as exc:
        return _not(oid, figure, shown, "ci-p", str(exc), claim_id)
    ev = {"estimate": hr.estimate, "low": hr.low, "high": hr.high, "level": level, "reported": p_text,
          "pvalue": chk.pvalue, "pvalue_low": chk.pvalue_low, "pvalue_high": chk.pvalue_high}
    summary = (f"The hazard ratio {hr.estimate} ({hr.low} to {hr.high}) gives {p_phrase(chk.pvalue, digits=4)} "
               f"by a log-scale normal test (figures that print the same: {format_p(chk.pvalue_low, digits=4)} to "
               f"{format_p(chk.pvalue_high, digits=4)}), which {'agrees with' if chk.consistent else 'cannot give'} "
               f"the printed {p_text}.")
    return FigureCheck(oid, figure, shown, "ci-p", _CONSISTENT if chk.consistent else _INCONSISTENT,
                       summary, ev, claim_id)


# ------------------------------------------------------------------------------ continuous

def _scale(outcome):
    if outcome.scale_min is None or outcome.scale_max is None:
        return None
    lo, hi = outcome.scale_min, outcome.scale_max
    return (int(lo), int(hi)) if float(lo).is_integer() and float(hi).is_integer() else None


def grim_checks(outcome) -> list[FigureCheck]:
    """GRIM and GRIMMER on each arm's printed mean (and SD) of a scale of whole-number items."""
    from appraise.continuous import grim, grimmer

    out, oid = [], outcome.id
    if outcome.items is None:
        return out
    scale = _scale(outcome) if outcome.timing != "change" else None
    for arm in ("treatment", "control"):
        s = getattr(outcome, arm)
        if s.mean is None:
            continue
        try:
            g = grim(s.mean, s.n, items=outcome.items, scale=scale)
            gm = None
            if s.sd is not None and g.consistent:
                gm = grimmer(s.mean, s.sd, s.n, items=outcome.items, scale=scale)
        except (ValueError, TypeError, ArithmeticError) as exc:
            out.append(_not(oid, f"{arm}.mean", s.mean, "grim", str(exc)))
            continue
        ev = {"arm": arm, "mean": s.mean, "n": s.n, "items": outcome.items, "scale": list(scale) if scale else None,
              "consistent": g.consistent, "nearest": [str(x) for x in g.nearest], "informative": g.informative}
        out.append(FigureCheck(oid, f"{arm}.mean", s.mean, "grim", _CONSISTENT if g.consistent else _INCONSISTENT,
                               g.message, ev))
        if gm is not None:
            ev2 = {"arm": arm, "mean": s.mean, "sd": s.sd, "n": s.n, "items": outcome.items,
                   "consistent": gm.consistent, "nearest_sd": [str(x) for x in gm.nearest_sd], "reason": gm.reason}
            out.append(FigureCheck(oid, f"{arm}.sd", f"{s.mean} ({s.sd})", "grimmer",
                                   _CONSISTENT if gm.consistent else _INCONSISTENT, gm.message, ev2))
    return out


def ttest_check(outcome, p_text, *, figure="p_between", claim_id=None) -> FigureCheck:
    """A printed between-arm p against two-sample t-tests over the printed means and SDs."""
    from appraise.continuous import check_ttest_p

    t, c, oid = outcome.treatment, outcome.control, outcome.id
    if None in (t.mean, t.sd, c.mean, c.sd):
        return _not(oid, figure, p_text, "ttest", "the card gives no mean and SD for both arms (a median and "
                    "interquartile range cannot be turned into a t-test)", claim_id)
    try:
        chk = check_ttest_p(p_text, t.mean, t.sd, t.n, c.mean, c.sd, c.n)
    except (ValueError, TypeError, ArithmeticError) as exc:
        return _not(oid, figure, p_text, "ttest", str(exc), claim_id)
    ev = {"reported": p_text, "treatment": [t.mean, t.sd, t.n], "control": [c.mean, c.sd, c.n],
          "ranges": {k: [v.low, v.high] for k, v in chk.ranges.items()}, "matching_tests": list(chk.matching_tests),
          "timing": outcome.timing}
    return FigureCheck(oid, figure, p_text, "ttest", _CONSISTENT if chk.consistent else _INCONSISTENT,
                       chk.verdict, ev, claim_id)


def within_reading(p_text, n):
    """:func:`appraise.continuous.within_arm_p` of a printed within-arm p, or None when unreadable."""
    from appraise.continuous import within_arm_p

    if not p_text or n is None or n < 2:
        return None
    try:
        return within_arm_p(p_text, n)
    except (ValueError, TypeError, ArithmeticError):
        return None


def within_check(outcome_id, arm, p_text, n, *, figure, claim_id=None) -> FigureCheck:
    """What a within-arm p says: the smallest paired change it implies, and nothing about control."""
    r = within_reading(p_text, n)
    if r is None:
        return _not(outcome_id, figure, p_text or "", "within", "no readable p-value and arm size", claim_id)
    ev = {"reported_p": p_text, "arm": arm, "n": n, "t_low": r.t_low, "t_high": r.t_high,
          "effect_low": r.effect_low, "effect_high": r.effect_high}
    return FigureCheck(outcome_id, figure, p_text, "within", _FLAGGED, within_sentence(r, arm), ev, claim_id)


def within_sentence(r, arm) -> str:
    """One sentence on what a within-arm p (a :class:`~appraise.continuous.WithinArmP`) can say.

    Examples
    --------
    >>> from appraise.continuous import within_arm_p
    >>> print(within_sentence(within_arm_p("P < 0.001", 14), "treatment"))
    If it comes from a paired t-test, P < 0.001 with 14 patients means the treatment arm's
    mean change was at least 1.13 standard deviations of the changes (t at least 4.22); it
    says nothing about how the control arm changed.
    """
    inf = float("inf")
    if r.effect_high == inf and r.effect_low > 0:
        size, t = f"at least {r.effect_low:.2f}", f"t at least {r.t_low:.2f}"
    elif r.effect_high == inf:
        size, t = "of any size", "t of any size"
    elif r.effect_low == 0:
        size, t = f"at most {r.effect_high:.2f}", f"t at most {r.t_high:.2f}"
    else:
        size, t = f"{r.effect_low:.2f} to {r.effect_high:.2f}", f"t from {r.t_low:.2f} to {r.t_high:.2f}"
    who = f"{arm} arm" if arm else "arm"
    return (f"If it comes from a paired t-test, {r.reported.text} with {r.n} patients means the {who}'s mean "
            f"change was {size} standard deviations of the changes ({t}); it says nothing about how the "
            "control arm changed.")


# ------------------------------------------------------------------------------ dispatch

def check_claim(trial, target) -> tuple[FigureCheck, ...]:
    """The format-2 checks of one resolved claim (empty when none applies)."""
    from appraise.cards.claims import outcome_or_none

    c = target.claim
    item = outcome_or_none(trial, target.outcome_id)
    kind = getattr(item, "kind", None)
    if target.check == "km-percentage" and kind == "time-to-event":
        time = next((k.time_days for k in item.km if c.text in (k.treat, k.ctrl)), item.follow_up_days)
        return (km_check(item, target.arm, c.text, time, figure="claim", claim_id=c.id),)
    if target.check == "p-logrank" and kind == "time-to-event":
        out = [logrank_check(item, target.p_text, figure="claim", claim_id=c.id)]
        hr = item.hazard_ratio
        if hr is not None and hr.low is not None and hr.high is not None:
            out.append(ci_p_check(item, target.p_text, figure="claim", claim_id=c.id))
        return tuple(out)
    if target.check == "p-continuous" and kind == "continuous":
        if target.comparison == "within-arm":
            s = getattr(item, target.arm or "", None)
            return (within_check(item.id, target.arm, target.p_text, target.denominator or getattr(s, "n", None),
                                 figure="claim", claim_id=c.id),)
        return (ttest_check(item, target.p_text, figure="claim", claim_id=c.id),)
    return ()


def outcome_figures(trial, targets) -> tuple[FigureCheck, ...]:
    """Check the figures each format-2 outcome records that no claim on it prints."""
    claimed: dict[str, set] = {}
    for t in targets:
        if t.outcome_id:
            claimed.setdefault(t.outcome_id, set()).update(filter(None, (t.claim.text, t.p_text)))
    out = []
    for o in trial.time_to_event:
        seen = claimed.get(o.id, set())
        for i, km in enumerate(o.km):
            for arm, text in (("treatment", km.treat), ("control", km.ctrl)):
                if text is not None and text not in seen:
                    key = "treat" if arm == "treatment" else "ctrl"
                    out.append(km_check(o, arm, text, km.time_days, figure=f"km[{i}].{key}"))
        p = o.test.p if o.test is not None else None
        if p is not None and p not in seen:
            out.append(logrank_check(o, p))
        hr = o.hazard_ratio
        if p is not None and p not in seen and hr is not None and hr.low is not None and hr.high is not None:
            out.append(ci_p_check(o, p))
    for o in trial.continuous_outcomes:
        seen = claimed.get(o.id, set())
        out.extend(grim_checks(o))
        if o.p_between is not None and o.p_between not in seen:
            out.append(ttest_check(o, o.p_between))
        for arm, key in (("treatment", "p_within_treat"), ("control", "p_within_ctrl")):
            p = getattr(o, key)
            if p is not None and p not in seen:
                out.append(within_check(o.id, arm, p, getattr(o, arm).n, figure=key))
    return tuple(out)
