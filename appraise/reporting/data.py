"""The data of a report: every section as plain JSON-ready values, computed once.

:func:`report_data` calls :func:`appraise.verdicts.assess` once (every claim resolved and
checked once, the flags derived from the same results) and the registration audit once;
the Markdown, HTML and JSON renderers only format this dictionary.
"""

from __future__ import annotations

import dataclasses
import re

from appraise._comparison_output import estimate_dict
from appraise._format import format_values, to_jsonable
from appraise.verdicts import percentage_evidence

__all__ = ["report_data", "group_flags", "flag_sections", "SEVERITY_TITLES", "TEST_NAMES",
           "STATUS_TITLES", "FIGURE_CHECKS"]

SEVERITY_TITLES = {"serious": "Serious", "caution": "Caution", "info": "For information"}
TEST_NAMES = {"fisher": "Fisher exact", "chi2": "Pearson chi-square",
              "chi2_yates": "Chi-square, Yates-corrected", "barnard": "Barnard exact",
              "boschloo": "Boschloo exact"}
STATUS_TITLES = {"inconsistent": "inconsistent", "flagged": "flagged", "consistent": "consistent",
                 "not checkable here": "not checkable here"}
#: what each check of a time-to-event or continuous outcome's figure is called in a report
FIGURE_CHECKS = {"logrank": "log-rank p over every order of the events", "km": "Kaplan-Meier patterns",
                 "ci-p": "interval against p", "grim": "GRIM (mean)", "grimmer": "GRIMMER (mean and SD)",
                 "ttest": "t-tests over the rounding of the printed figures", "within": "within-arm p"}
_TRI_STATE = ("sample_size_calculation", "multiplicity_adjustment", "blinding_participants",
              "blinding_personnel", "blinding_assessors")


def _outcome_data(outcome) -> dict:
    from appraise.proportions import compare_proportions

    cmp = compare_proportions(*outcome.counts, event_is_bad=outcome.event_is_bad)
    nnt = cmp.nnt
    return {
        "id": outcome.id, "label": outcome.label, "event": outcome.event,
        "event_is_bad": outcome.event_is_bad, "time_frame": outcome.time_frame,
        "primary": outcome.primary, "where": outcome.where, "note": outcome.note,
        "events_treat": outcome.events_treat, "n_treat": outcome.n_treat,
        "events_ctrl": outcome.events_ctrl, "n_ctrl": outcome.n_ctrl,
        "risk_treat": estimate_dict(cmp.risk_treat), "risk_ctrl": estimate_dict(cmp.risk_ctrl),
        "risk_difference": estimate_dict(cmp.risk_difference),
        "risk_ratio": estimate_dict(cmp.risk_ratio), "odds_ratio": estimate_dict(cmp.odds_ratio),
        "nnt": {"estimate": nnt.estimate, "low": nnt.low, "high": nnt.high, "kind": nnt.kind,
                "text": nnt.text},
        "tests": {name: {"statistic": t.statistic, "pvalue": t.pvalue, "method": t.method,
                         "computed": bool(getattr(t, "computed", True))}
                  for name, t in cmp.tests.items()},
    }


def _checks_data(assessment) -> dict:
    """The percentage and p-value tables, read from the assessment (nothing recomputed)."""
    percentages, pvalues = [], []
    for t in assessment.targets:
        r = assessment.results[t.claim.id]
        c = t.claim
        if r.percentage is not None:
            fits, ev = percentage_evidence(t, r.percentage)
            percentages.append({
                "claim": c.id, "reported": c.text, "n": t.denominator, "events": t.events,
                "candidates": ev["candidates"], "candidates_count": ev["candidates_count"],
                "candidates_text": format_values(r.percentage.candidates) or "none",
                "consistent": fits, "message": r.percentage.message})
        if r.pvalue is not None:
            chk = r.pvalue
            between = t.check == "p-between-arms"
            pvalues.append({
                "claim": c.id, "reported": t.p_text,
                "test": "standard 2x2 tests" if between else "exact binomial vs 0.5",
                "counts": list(t.counts) if between else [t.events, t.denominator],
                "pvalues": {k: float(getattr(v, "pvalue", v)) for k, v in chk.pvalues.items()},
                "consistent": bool(chk.consistent), "matching_tests": list(chk.matching_tests),
                "min_attainable_p": getattr(chk, "min_attainable_p", None), "verdict": chk.verdict})
    return {"percentages": percentages, "pvalues": pvalues}


def _figures_data(trial, assessment) -> list[dict]:
    """Every checked figure of a time-to-event or continuous outcome: those claims print
    (from the claims' results), then those the outcomes record on their own."""
    labels = {o.id: o.label for o in trial.all_outcomes}
    checks = [fc for t in assessment.targets for fc in assessment.results[t.claim.id].figures]
    rows = []
    for fc in (*checks, *assessment.figures):
        rows.append({"outcome": fc.outcome_id, "outcome_label": labels.get(fc.outcome_id, fc.outcome_id),
                     "figure": fc.figure, "claim": fc.claim_id, "text": fc.text, "check": fc.check,
                     "check_title": FIGURE_CHECKS.get(fc.check, fc.check), "status": fc.status,
                     "summary": fc.summary, "evidence": fc.evidence})
    return rows


_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z(\"'])")


def group_flags(flags) -> list[dict]:
    """Flags of one code grouped: shared sentences said once, each claim's own detail listed.

    Parameters
    ----------
    flags : list of dict
        Flags as plain data (``code``, ``severity``, ``claim``, ``title``, ``message``,
        ``evidence``), most severe first.

    Returns
    -------
    list of dict
        One per (severity, code): ``code``, ``severity``, ``claims`` (ids), ``shared`` (the
        sentences every flag of the group says, once) and ``items`` (each flag's ``claim``,
        ``title``, ``detail`` (its own sentences) and ``evidence``).
    """
    groups: dict[tuple, list] = {}
    for f in flags:
        groups.setdefault((f["severity"], f["code"]), []).append(f)
    out = []
    for (sev, code), group in groups.items():
        split = [_SENTENCE.split(f["message"]) for f in group]
        shared = []
        if len(group) > 1:
            common = set(split[0]).intersection(*map(set, split[1:]))
            shared = [s for s in split[0] if s in common]
        items = [{"claim": f["claim"], "title": f["title"],
                  "detail": " ".join(s for s in parts if s not in shared), "evidence": f["evidence"]}
                 for f, parts in zip(group, split)]
        out.append({"code": code, "severity": sev, "claims": [f["claim"] for f in group],
                    "shared": " ".join(shared), "items": items})
    return out


def flag_sections(d):
    """``(severity title, number of flags, groups)`` per severity that has flags, most severe first."""
    for sev, title in SEVERITY_TITLES.items():
        groups = [g for g in d["flag_groups"] if g["severity"] == sev]
        if groups:
            yield sev, title, sum(len(g["items"]) for g in groups), groups


def report_data(trial) -> dict:
    """Everything :func:`~appraise.reporting.report` shows, as plain JSON-safe data.

    Parameters
    ----------
    trial : appraise.trials.Trial
        A loaded trial card.

    Returns
    -------
    dict
        Keys ``trial``, ``design`` (tri-state facts as ``True``/``False``/``None``),
        ``design_stated`` (the same facts in words: ``"yes"``, ``"no"``, ``"not reported"``),
        ``arms``, ``dates``, ``outcomes``, ``claims`` (every claim of the card with its
        verdict, in card order), ``checks``, ``outcome_figures`` (every checked figure of a
        time-to-event or continuous outcome: log-rank range, Kaplan-Meier patterns, interval
        against p, GRIM, GRIMMER, t-tests, within-arm p), ``registration``, ``flags`` and
        ``flag_groups``.
        Numbers that are not finite are ``None`` (:func:`appraise._format.to_jsonable`).

    Examples
    --------
    >>> from appraise.trials import load_trial
    >>> data = report_data(load_trial("mensc-secretome-covid19"))
    >>> out = data["outcomes"][0]
    >>> out["id"], out["events_treat"], out["n_treat"], out["events_ctrl"], out["n_ctrl"]
    ('intubation', 7, 14, 12, 15)
    >>> round(out["tests"]["fisher"]["pvalue"], 4)
    0.1281
    >>> len(data["claims"]) == len(load_trial("mensc-secretome-covid19").claims)
    True
    >>> data["design_stated"]["multiplicity_adjustment"]
    'not reported'
    """
    from appraise.cards.model import stated
    from appraise.registration import audit_registration
    from appraise.trials import Trial
    from appraise.verdicts import assess

    if not isinstance(trial, Trial):
        raise TypeError(f"trial must be a Trial (use appraise.load_trial), got {trial!r:.80} "
                        f"of type {type(trial).__name__}")
    cit = trial.citation
    assessment = assess(trial)
    audit = audit_registration(trial)
    flags = to_jsonable(list(assessment.flags))
    return to_jsonable({
        "trial": {"id": trial.id, "short_title": trial.short_title,
                  "citation": dataclasses.asdict(cit), "citation_text": citation_text(cit)},
        "design": dataclasses.asdict(trial.design),
        "design_stated": {k: stated(getattr(trial.design, k)) for k in _TRI_STATE},
        "arms": [dataclasses.asdict(a) for a in trial.arms],
        "dates": dataclasses.asdict(trial.dates),
        "outcomes": [_outcome_data(o) for o in trial.outcomes],
        "claims": list(assessment.verdicts),
        "checks": _checks_data(assessment),
        "outcome_figures": _figures_data(trial, assessment),
        "registration": {"entries": audit.entries, "timeline": audit.timeline},
        "flags": flags,
        "flag_groups": group_flags(flags),
    })


def citation_text(cit) -> str:
    """``Authors. Title. Journal Year;Volume:Pages. doi:...`` (six authors, then et al)."""
    authors = ", ".join(cit.authors[:6]) + (", et al" if len(cit.authors) > 6 else "")
    vol = f";{cit.volume}" if cit.volume else ""
    pages = f":{cit.pages}" if cit.pages else ""
    return f"{authors}. {cit.title}. {cit.journal} {cit.year}{vol}{pages}. doi:{cit.doi}"
