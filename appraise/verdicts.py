"""A verdict for every claim of a card, computed once.

:func:`assess` resolves every claim (:mod:`appraise.cards.claims`), runs the check that
applies to each exactly once (percentage, p-value between arms or in one arm, zero-events
bound), derives the flags of :mod:`appraise.flags` from those results, and gives each claim
a :class:`ClaimVerdict`:

``"consistent"``
    the check reproduces the printed figure and no flag is raised on the claim;
``"inconsistent"``
    the printed figure is not what the card's counts give;
``"flagged"``
    a flag is raised on the claim (a within-group test, an unnamed comparison, "no events"
    in few patients, wording stronger than the result, ...);
``"not checkable here"``
    nothing on the card can check it; ``reason`` says why.

Reports, the worksheet and lessons read :func:`assess` (or :func:`claim_verdicts`), so a
report computes each check once and lists every claim, including those it cannot check.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from appraise._format import bounded_values, format_p, format_pct, format_values, p_phrase, to_jsonable
from appraise._limits import MAX_LISTED_VALUES
from appraise.cards.claims import ClaimTarget, resolve_claims

__all__ = ["ClaimVerdict", "ClaimResult", "Assessment", "STATUSES", "assess", "claim_verdicts",
           "percentage_evidence"]

STATUSES = ("consistent", "inconsistent", "flagged", "not checkable here")
_RANK = {"not checkable here": 0, "consistent": 1, "flagged": 2, "inconsistent": 3}


@dataclass(frozen=True)
class ClaimResult:
    """The raw results of the checks on one claim (computed once per assessment).

    Attributes
    ----------
    target : ClaimTarget
        What the claim refers to.
    percentage : PercentageCheck or None
        :func:`appraise.consistency.check_percentage` of its text against its denominator.
    other_sizes : dict
        When the percentage does not fit: fitting counts for each other arm size (at most
        :data:`appraise._limits.MAX_LISTED_VALUES` of them each).
    pvalue : PValueCheck or None
        :func:`~appraise.consistency.check_reported_p` (between arms) or
        :func:`~appraise.consistency.check_reported_p_one_sample` (one arm, against 50%).
    zero_bound : dict or None
        Upper 95% bounds for "no events" (exact two-sided, exact one-sided, rule of three).
    parsed_p : ReportedP or None
        The printed p-value, read.
    error : str or None
        Why a printed figure could not be read (the claim is then not checkable here).
    figures : tuple of FigureCheck
        The checks of a claim about a time-to-event or continuous outcome
        (:func:`appraise._verdicts_v2.check_claim`).
    within : WithinArmP or None
        For a within-arm claim with a p and an arm size: what that p implies
        (:func:`appraise.continuous.within_arm_p`).
    """

    target: ClaimTarget
    percentage: object = None
    other_sizes: dict = field(default_factory=dict, hash=False)
    pvalue: object = None
    zero_bound: dict | None = field(default=None, hash=False)
    parsed_p: object = None
    error: str | None = None
    figures: tuple = ()
    within: object = None


@dataclass(frozen=True)
class ClaimVerdict:
    """What the appraisal concludes about one claim of the card.

    Attributes
    ----------
    claim_id, text, kind : str
        The claim's id, printed text and kind.
    status : str
        One of :data:`STATUSES`.
    summary : str
        One plain sentence: the result of the check, or why it cannot be checked.
    evidence : dict
        The recomputed numbers (JSON-ready).
    reason : str or None
        Why it is not checkable here (None otherwise).
    flag_codes : tuple of str
        Codes of the flags raised on this claim.
    """

    claim_id: str
    text: str
    kind: str
    status: str
    summary: str
    evidence: dict = field(hash=False)
    reason: str | None
    flag_codes: tuple


@dataclass(frozen=True)
class Assessment:
    """Everything the appraisal of one trial computes, once.

    Attributes
    ----------
    trial : Trial
    targets : tuple of ClaimTarget
        Every claim resolved, in card order.
    results : dict
        Claim id -> :class:`ClaimResult`.
    flags : tuple of Flag
        As :func:`appraise.flags.appraise` returns them (most severe first).
    verdicts : tuple of ClaimVerdict
        One per claim, in card order.
    figures : tuple of FigureCheck
        The printed figures of time-to-event and continuous outcomes that no claim prints,
        checked (:func:`appraise._verdicts_v2.outcome_figures`).
    """

    trial: object
    targets: tuple
    results: dict = field(hash=False)
    flags: tuple
    verdicts: tuple
    figures: tuple = ()


def _compute(trial, target: ClaimTarget, arm_sizes) -> ClaimResult:
    from appraise.consistency import (check_percentage, check_reported_p, check_reported_p_one_sample,
                                      parse_reported_p)
    from appraise.design import zero_event_bound

    c, p_text, n = target.claim, target.p_text, target.denominator
    parsed = None
    try:
        if p_text:
            parsed = parse_reported_p(p_text)
        if target.check == "percentage":
            pct = check_percentage(c.text, n)
            others = {}
            if not percentage_evidence(target, pct)[0]:
                others = {str(m): list(check_percentage(c.text, m).candidates[:MAX_LISTED_VALUES])
                          for m in arm_sizes if m != n}
            return ClaimResult(target, percentage=pct, other_sizes=others, parsed_p=parsed)
        if target.check == "p-between-arms":
            return ClaimResult(target, pvalue=check_reported_p(p_text, *target.counts), parsed_p=parsed)
        if target.check == "p-one-sample":
            return ClaimResult(target, pvalue=check_reported_p_one_sample(p_text, target.events, n, null=0.5),
                               parsed_p=parsed)
        if target.check in ("km-percentage", "p-logrank", "p-continuous"):
            from appraise._verdicts_v2 import check_claim

            return ClaimResult(target, parsed_p=parsed, figures=check_claim(trial, target))
        if target.check == "within-group":
            from appraise._verdicts_v2 import within_reading

            return ClaimResult(target, parsed_p=parsed, within=within_reading(p_text, n))
        if target.check == "zero-events":
            bound = {m: float(zero_event_bound(n, confidence_level=0.95, method=m))
                     for m in ("exact", "exact-one-sided", "rule_of_three")}
            return ClaimResult(target, zero_bound=bound, parsed_p=parsed)
    except (ValueError, TypeError, ArithmeticError) as exc:
        return ClaimResult(target, parsed_p=parsed, error=str(exc))
    return ClaimResult(target, parsed_p=parsed)


def percentage_evidence(target: ClaimTarget, chk, other_sizes=None) -> tuple[bool, dict]:
    """Whether a percentage claim fits its count, and its evidence (fitting counts bounded).

    Parameters
    ----------
    target : ClaimTarget
    chk : PercentageCheck
        :func:`appraise.consistency.check_percentage` of the claim against its denominator.
    other_sizes : dict, optional
        Fitting counts for the other arm sizes (:attr:`ClaimResult.other_sizes`).

    Returns
    -------
    fits : bool
        The percentage fits some count, and the card's count when it states one.
    evidence : dict
        ``reported``, ``n``, ``events``, ``candidates`` (at most
        :data:`appraise._limits.MAX_LISTED_VALUES`), ``candidates_count``, ``nearest_k``,
        ``nearest_percent``, ``candidates_for_other_arm_sizes``.
    """
    fits = bool(chk.consistent) and (target.events is None or target.events in chk.candidates)
    evidence = {"reported": target.claim.text, "n": target.denominator, "events": target.events,
                **bounded_values("candidates", chk.candidates), "nearest_k": chk.nearest_k,
                "nearest_percent": chk.nearest_percent, "candidates_for_other_arm_sizes": other_sizes or {}}
    return fits, evidence


def _pvalues(chk) -> dict:
    return {k: float(getattr(v, "pvalue", v)) for k, v in chk.pvalues.items()}


def _verdict(result: ClaimResult, flags) -> ClaimVerdict:
    t = result.target
    c = t.claim
    codes = tuple(dict.fromkeys(f.code for f in flags))
    status, summary, evidence, reason = "not checkable here", "", {}, t.reason
    if result.error:
        reason = f"the printed figure {c.text!r} could not be read: {result.error}"
    elif result.percentage is not None:
        cands, n = result.percentage.candidates, t.denominator
        fits, evidence = percentage_evidence(t, result.percentage, result.other_sizes)
        status = "consistent" if fits else "inconsistent"
        if fits:
            shown = f"{t.events}/{n}" if t.events is not None else format_values(cands, lambda k: f"{k}/{n}")
            summary = f"{c.text} of {n} fits {shown}."
        elif cands:
            summary = (f"{c.text} of {n} fits {format_values(cands, lambda k: f'{k}/{n}')}, "
                       f"not the card's count {t.events}/{n}.")
        else:
            summary = f"No whole number of {t.denominator} patients gives {c.text}."
    elif result.pvalue is not None:
        chk = result.pvalue
        ps = _pvalues(chk)
        evidence = {"reported": t.p_text, "pvalues": ps, "matching_tests": list(chk.matching_tests),
                    "min_attainable_p": chk.min_attainable_p}
        if t.check == "p-between-arms":
            evidence["counts"] = list(t.counts)
            status = "consistent" if chk.consistent else "inconsistent"
            if chk.consistent:
                summary = (f"{t.p_text} is reproduced by {', '.join(chk.matching_tests)} on "
                           f"{t.counts[0]}/{t.counts[1]} vs {t.counts[2]}/{t.counts[3]}.")
            else:
                lo, hi = min(ps.values()), max(ps.values())
                summary = (f"{t.p_text} is not reproduced: the standard tests on {t.counts[0]}/{t.counts[1]} "
                           f"vs {t.counts[2]}/{t.counts[3]} give p from {format_p(lo, digits=4)} to "
                           f"{format_p(hi, digits=4)}.")
        else:
            evidence.update(events=t.events, n=t.denominator, null=0.5)
            p = next(iter(ps.values()))
            status = "flagged"   # the comparison is unstated, whatever the guessed test gives
            summary = (f"An exact binomial test of {t.events}/{t.denominator} against 50% gives "
                       f"{p_phrase(p, digits=4)}, which {'fits' if chk.consistent else 'does not fit'} "
                       f"{t.p_text}; the paper names no comparison group.")
    elif result.zero_bound is not None:
        b = result.zero_bound
        status = "consistent"
        evidence = {"n": t.denominator, "events": 0, "exact_upper_95": b["exact"],
                    "exact_one_sided_upper_95": b["exact-one-sided"], "rule_of_three_upper_95": b["rule_of_three"]}
        summary = (f"No events in {t.denominator} patients is compatible with a true risk of up to "
                   f"{format_pct(b['exact'])} (exact 95% upper bound).")
    elif result.figures:
        checked = [fc for fc in result.figures if fc.status != "not checkable here"]
        if checked:
            status = max((fc.status for fc in checked), key=_RANK.get)
            summary = " ".join(fc.summary for fc in checked)
            evidence = {fc.check: fc.evidence for fc in checked}
        else:
            reason = "; ".join(fc.evidence.get("reason", "") for fc in result.figures)
    elif t.check == "within-group":
        from appraise._verdicts_v2 import within_sentence

        status = "consistent"
        summary = ("A change within one arm; the card gives no comparison with the control arm, so "
                   "the treatment effect is not tested.")
        evidence = {"arm": t.arm, "reported_p": t.p_text}
        if result.within is not None:
            w = result.within
            summary += " " + within_sentence(w, t.arm)
            evidence.update(n=w.n, t_low=w.t_low, t_high=w.t_high, effect_low=w.effect_low,
                            effect_high=w.effect_high)
    elif t.check == "wording":
        status = "consistent"
        summary = "" if flags else "No wording stronger than the trial's results was found."
        evidence = {"described_as": c.described_as}
    if status != "not checkable here":
        reason = None
    elif reason is None:
        reason = f"no {t.check or 'standard'} check of this claim is run in the appraisal report"
    if flags:
        status = max(status, "flagged", key=_RANK.get)
        titles = "; ".join(dict.fromkeys(f.title for f in flags))
        summary = (summary + " " if summary else "") + f"Flagged: {titles}."
    if status == "not checkable here" and not summary:
        summary = f"Not checkable here: {reason}."
    return ClaimVerdict(claim_id=c.id, text=c.text, kind=c.kind, status=status, summary=summary,
                        evidence=to_jsonable(evidence), reason=reason if status == "not checkable here" else None,
                        flag_codes=codes)


def assess(trial) -> Assessment:
    """Resolve and check every claim once, derive the flags, and give each claim a verdict.

    Parameters
    ----------
    trial : Trial
        A loaded card (:func:`appraise.load_trial`).

    Returns
    -------
    Assessment

    Examples
    --------
    >>> from appraise.trials import load_trial
    >>> a = assess(load_trial("mensc-secretome-covid19"))
    >>> [(v.claim_id, v.status) for v in a.verdicts][:2]
    [('adverse-events', 'flagged'), ('intubation-treat-pct', 'consistent')]
    >>> next(v for v in a.verdicts if v.claim_id == "survival-p").status
    'inconsistent'
    """
    from appraise._verdicts_v2 import outcome_figures
    from appraise.flags import SEVERITIES, collect_flags

    targets = resolve_claims(trial)
    arm_sizes = sorted({a.n_analysed for a in trial.arms})
    results = {t.claim.id: _compute(trial, t, arm_sizes) for t in targets}
    figures = outcome_figures(trial, targets)
    flags = collect_flags(trial, targets, results, figures)
    order = {s: i for i, s in enumerate(SEVERITIES)}
    flags = tuple(sorted(flags, key=lambda f: (order[f.severity], f.code, f.claim)))
    by_claim: dict[str, list] = {}
    for f in flags:
        by_claim.setdefault(f.claim, []).append(f)
    verdicts = tuple(_verdict(results[t.claim.id], by_claim.get(t.claim.id, [])) for t in targets)
    return Assessment(trial=trial, targets=targets, results=results, flags=flags, verdicts=verdicts,
                      figures=figures)


def claim_verdicts(trial) -> tuple[ClaimVerdict, ...]:
    """One :class:`ClaimVerdict` per claim of the card, in card order.

    Examples
    --------
    >>> from appraise.trials import load_trial
    >>> verdicts = claim_verdicts(load_trial("huc-msc-covid19-shu2020"))
    >>> next(v for v in verdicts if v.claim_id == "mortality-p").summary
    'P = 0.543 is reproduced by fisher on 0/12 vs 3/29.'
    """
    return assess(trial).verdicts
