"""Appraisal flags: what a careful reader should question in a trial report.

:func:`appraise` runs a set of small checks on a :class:`~appraise.trials.Trial`.  Each
check is a function of the trial that recomputes its evidence with the library
(:mod:`appraise.consistency`, :mod:`appraise.tests2x2`, :mod:`appraise.power`,
:mod:`appraise.fragility`, :mod:`appraise.design`, :mod:`appraise.registration`) and
returns zero or more :class:`Flag` values (the checks about claims are here, those about the
trial as a whole in :mod:`appraise.flags_trial`).  No statistic is computed here, and no claim is
interpreted here: every claim is resolved by :mod:`appraise.cards.claims` and checked once by
:func:`appraise.verdicts.assess`; each check below reads those results.  Design facts the card
does not state (``None``) are said to be "not reported", never "no".

Flag codes are stable (lessons and tests refer to them):

=================================== ======== ==============================================
code                                severity what it catches
=================================== ======== ==============================================
``non-randomised-allocation``       serious  arms were not formed by randomisation
``randomisation-doubtful``          caution  randomisation claimed, but arms far from the
                                             ratio or data collected retrospectively
``p-value-irreproducible``          serious  no standard test on the counts gives the p-value
``nonsignificant-called-significant`` serious a p-value of 0.05 or more described as significant
``registration-retrospective``      caution  registered after the study started (serious
                                             when after completion and no registry record
                                             is prospective)
``registration-date-ambiguous``     info     a day/month date that reads two ways (caution
                                             when the verdict depends on the reading)
``p-value-unverifiable``            caution  group or test unnamed; the obvious test disagrees
``percentage-inconsistent``         caution  a percentage no whole count of patients gives
``zero-events-small-n``             caution  "no events" in few patients; exact upper bound
``within-group-comparison``         caution  change tested within one arm, not vs control
``no-primary-outcome``              caution  no single primary outcome stated
``many-outcomes-no-correction``     caution  many outcomes / between-arm p-values, no
                                             adjustment
``underpowered``                    caution  power for the observed risks below 80%
``fragile-result``                  caution  (reverse) fragility index of 0 to 2
``subgroup-by-outcome``             caution  patients split by an outcome, not allocation
``spin-in-conclusions``             caution  causal or "first time" language from a small
                                             early-phase trial without a significant
                                             between-arm result
=================================== ======== ==============================================

The figures of time-to-event and continuous outcomes (card format 2) raise
``logrank-p-impossible``, ``km-percentage``, ``ci-p-inconsistent``, ``grim-inconsistent``,
``grimmer-inconsistent`` and ``ttest-irreproducible`` (:mod:`appraise.flags_outcomes`); a
within-arm claim's flag says what its p implies (:func:`appraise.continuous.within_arm_p`).
"""

from __future__ import annotations

import re

# the Flag type, thresholds and shared helpers; trial-level checks
from appraise._flag import (ALPHA, EXACT_N_LIMIT, FRAGILE_MAX, MANY_OUTCOMES,  # noqa: F401
                            PRIMARY_NEEDED_FROM, SEVERITIES, TARGET_POWER, Flag, _claim_results,
                            _called_significant, _fmt_p, _num, _pct, _pvalue)
from appraise._format import format_values, p_phrase
# what each claim refers to is decided in one place: appraise.cards.claims
from appraise.cards.claims import is_baseline as _is_baseline
from appraise.cards.claims import percentage_target, reported_p_checks  # noqa: F401 (re-exported)
from appraise.flags_trial import (check_allocation, check_fragility, check_multiplicity,
                                  check_power, check_primary_outcome, check_registration)

__all__ = ["Flag", "appraise", "collect_flags", "SEVERITIES", "CHECKS", "ALPHA", "TARGET_POWER",
           "FRAGILE_MAX", "MANY_OUTCOMES", "PRIMARY_NEEDED_FROM", "percentage_target"]

# ---------------------------------------------------------------------------
# checks: each takes the trial and returns a list of flags
# ---------------------------------------------------------------------------

def check_pvalues(trial, targets=(), results=None) -> list[Flag]:
    """``p-value-irreproducible`` (between arms) and ``p-value-unverifiable`` (single arm).

    A between-arm p-value is recomputed with all five 2x2 tests
    (:func:`appraise.consistency.check_reported_p`); a single-arm p-value with the exact
    binomial test against 0.5 (:func:`appraise.consistency.check_reported_p_one_sample`).
    """
    flags = []
    for t, r in _claim_results(trial, targets, results):
        chk, c, text = r.pvalue, t.claim, t.p_text
        if chk is None:
            continue
        pvalues = {k: _num(_pvalue(v)) for k, v in chk.pvalues.items()}
        if t.check == "p-between-arms":
            if chk.consistent:
                continue
            a, n1, b, n2 = t.counts
            item = next(i for i in (*trial.outcomes, *trial.baseline) if i.id == t.outcome_id)
            ev = {"reported": text, "counts": list(t.counts), "pvalues": pvalues,
                  "matching_tests": list(chk.matching_tests),
                  "min_attainable_p": _num(chk.min_attainable_p),
                  "min_attainable_p_test": chk.min_attainable_p_test}
            finite = [v for v in pvalues.values() if v is not None]
            lo, hi = min(finite), max(finite)
            msg = (f"The paper reports {text} for {item.label.lower()} ({a}/{n1} vs {b}/{n2}). "
                   f"{'Five' if len(finite) == 5 else f'The {len(finite)} computed'} standard tests on "
                   f"these counts give p from {_fmt_p(lo)} to "
                   f"{_fmt_p(hi)}; none agrees. ")
            if chk.min_attainable_p is not None:
                msg += (f"Even the most extreme table with these arm sizes gives "
                        f"{p_phrase(float(chk.min_attainable_p), digits=4)} ({chk.min_attainable_p_test}). ")
            msg += "Either the counts or the p-value is wrong, or the test was not a comparison of these counts."
            baseline = _is_baseline(trial, t.outcome_id)
            if baseline:
                msg += (" This is a baseline comparison, which says nothing about the treatment, but a p-value "
                        "that cannot be reproduced is a sign of careless reporting.")
            ev["baseline"] = baseline
            flags.append(Flag("p-value-irreproducible", "caution" if baseline else "serious", c.id,
                              f"Reported {text} cannot be reproduced", msg, ev))
        else:
            k, n = t.events, t.denominator
            ev = {"reported": text, "events": k, "n": n, "null": 0.5, "pvalues": pvalues,
                  "consistent_with_binomial_test": bool(chk.consistent),
                  "min_attainable_p": _num(chk.min_attainable_p)}
            p = next(iter(pvalues.values()))
            msg = (f"The paper reports {text} for {k} of {n} patients "
                   f"({c.measure or c.text}) without naming the group it compares or the test. ")
            if chk.consistent:
                msg += (f"An exact binomial test of {k}/{n} against 50% gives {p_phrase(p, digits=4)}, "
                        "which fits, but the comparison is still unstated.")
            else:
                msg += (f"The obvious reading, an exact binomial test of {k}/{n} against 50%, "
                        f"gives {p_phrase(p, digits=4)}, nowhere near it. A proportion in one group says "
                        "nothing about the control group.")
            if _num(chk.min_attainable_p) is not None:
                msg += (f" With {n} patients this test cannot go below p = "
                        f"{float(chk.min_attainable_p):.6f}.")
            flags.append(Flag("p-value-unverifiable", "caution", c.id,
                              f"Reported {text} names no comparison or test", msg, ev))
    return flags


def check_percentages(trial, targets=(), results=None) -> list[Flag]:
    """``percentage-inconsistent``: a percentage that the stated count and denominator do not give.

    The count and denominator are the claim's target (:func:`appraise.cards.claims.resolve_claim`).
    When it fails, the other arm sizes are tried too and reported in the evidence.
    """
    flags = []
    from appraise.verdicts import percentage_evidence

    for t, r in _claim_results(trial, targets, results):
        chk = r.percentage
        if chk is None:
            continue
        c, k, n = t.claim, t.events, t.denominator
        fits, ev = percentage_evidence(t, chk, r.other_sizes)
        if fits:
            continue
        candidates, others = chk.candidates, r.other_sizes
        if not candidates:
            msg = f"{c.text} of {n} patients is impossible: no whole number of {n} patients gives it"
            if chk.nearest_k is not None:
                msg += f" (the nearest is {chk.nearest_k}/{n} = {float(chk.nearest_percent):.1f}%)"
            msg += "."
            if others and not any(others.values()):
                msg += " Nor does any k out of " + " or ".join(others) + "."
            elif others:
                fits = [f"k/{m}" for m, v in others.items() if v]
                msg += " It would fit " + ", ".join(fits) + ", a different denominator."
        else:
            msg = (f"{c.text} of {n} fits {format_values(candidates, lambda x: f'{x}/{n}')}, "
                   f"but the paper's count is {k}/{n} = {100 * k / n:.2f}%.")
        msg += " A percentage that does not match its count is a sign of a transcription or analysis error."
        flags.append(Flag("percentage-inconsistent", "caution", c.id,
                          f"{c.text} does not match the count", msg, ev))
    return flags


def check_zero_events(trial, targets=(), results=None) -> list[Flag]:
    """``zero-events-small-n``: "no events" in few patients, with the exact upper bound."""
    flags = []
    for t, r in _claim_results(trial, targets, results):
        if r.zero_bound is None:
            continue
        c, n, b = t.claim, t.denominator, r.zero_bound
        ev = {"n": n, "events": 0, "exact_upper_95": b["exact"],
              "exact_one_sided_upper_95": b["exact-one-sided"],
              "rule_of_three_upper_95": b["rule_of_three"],
              "window": c.window, "follow_up_days": trial.design.follow_up_days}
        msg = (f"No events in {n} patients is compatible with a true risk of up to {_pct(b['exact'])} "
               f"(exact 95% upper bound; the rule of three, 3/n, gives {_pct(b['rule_of_three'])}). "
               "With so few patients, only common harms could have been seen.")
        if c.window and trial.design.follow_up_days:
            msg += (f" Harms were looked for over {c.window}, while patients were followed for "
                    f"{trial.design.follow_up_days} days.")
        flags.append(Flag("zero-events-small-n", "caution", c.id,
                          f"No events in only {n} patients", msg, ev))
    return flags


def check_within_group(trial, targets=(), results=None) -> list[Flag]:
    """``within-group-comparison``: a change tested within one arm, not against the control arm."""
    flags = []
    for t, r in _claim_results(trial, targets, results):
        if t.comparison != "within-arm":
            continue
        c, p_text, parsed = t.claim, t.p_text, r.parsed_p
        ev = {"measure": c.measure, "arm": t.arm, "reported": c.text, "reported_p": p_text,
              "p_relation": parsed.relation if parsed else None,
              "p_value": _num(parsed.value) if parsed else None, "described_as": c.described_as}
        what = c.measure or c.text
        msg = (f"The {what} result ({c.text}{', ' + p_text if p_text else ''}) compares patients in the "
               f"{t.arm or 'same'} arm with themselves before treatment. Patients recovering from an acute "
               "illness improve anyway, so a within-group change says little about the treatment; the "
               "question is whether the change differed from the control arm's, which is not reported.")
        w = r.within or next((fc for fc in r.figures if fc.check == "within"), None)
        if w is not None:
            from appraise._verdicts_v2 import within_sentence

            if hasattr(w, "effect_low"):
                msg += " " + within_sentence(w, t.arm)
                ev.update(n=w.n, t_low=_num(w.t_low), t_high=_num(w.t_high), effect_low=_num(w.effect_low),
                          effect_high=_num(w.effect_high))
            elif w.status != "not checkable here":
                msg += " " + w.summary
                ev.update({k: _num(v) for k, v in w.evidence.items() if k.startswith(("t_", "effect_", "n"))})
        flags.append(Flag("within-group-comparison", "caution", c.id,
                          f"{what}: within-group change, not a comparison with control", msg, ev))
    return flags


def check_significance_wording(trial, targets=(), results=None) -> list[Flag]:
    """``nonsignificant-called-significant``: p >= 0.05 described as significant."""
    flags = []
    for t, r in _claim_results(trial, targets, results):
        c, p_text, parsed = t.claim, t.p_text, r.parsed_p
        if parsed is None or not _called_significant(c.described_as):
            continue
        # significant at ALPHA only if the printed p is below it ("P < 0.05", "P = 0.03")
        shown_below = (parsed.relation in ("<", "<=") and parsed.value <= ALPHA) or \
                      (parsed.relation == "=" and parsed.value < ALPHA)
        if shown_below:
            continue
        ev = {"reported_p": p_text, "p_relation": parsed.relation, "p_value": _num(parsed.value),
              "alpha": ALPHA, "described_as": c.described_as, "measure": c.measure}
        msg = (f"{p_text} is not below the conventional 0.05, yet the result "
               f"({c.measure or c.text}) is described as a \"{c.described_as}\". By the paper's own "
               "threshold this is not statistically significant.")
        flags.append(Flag("nonsignificant-called-significant", "serious", c.id,
                          f"{p_text} called significant", msg, ev))
    return flags


_OUTCOME_SPLIT = re.compile(r"surviv|non-surviv|died|death|responder|intubated|discharged|recovered", re.I)


def check_subgroups(trial, targets=(), results=None) -> list[Flag]:
    """``subgroup-by-outcome``: patients split by what happened to them, not by allocation.

    A claim with ``comparison = "subgroup"`` whose text or note names an outcome-defined
    group (survivors, non-survivors, responders, the intubated, ...) is flagged.
    """
    flags = []
    for t, _ in _claim_results(trial, targets, results):
        c = t.claim
        if c.comparison != "subgroup":
            continue
        haystack = " ".join(filter(None, (c.text, c.note, c.measure)))
        if not _OUTCOME_SPLIT.search(haystack):
            continue
        ev = {"text": c.text, "measure": c.measure, "reported_p": t.p_text, "note": c.note}
        msg = (f"The report compares {c.measure or 'a measure'} between groups defined by an outcome "
               f"({c.text}{', ' + c.reported_p if c.reported_p else ''}). Groups formed by what happened to "
               "patients are not comparable the way randomised arms are: sicker patients both die more and "
               "have worse scans, so the difference says nothing about the treatment.")
        flags.append(Flag("subgroup-by-outcome", "caution", c.id,
                          "Subgroups defined by an outcome", msg, ev))
    return flags


_SPIN = re.compile(
    r"(?:for the )?first time|first demonstration|revers|restor|reconstitut|cure|effective|efficac|"
    r"prevent|damp|improv|safe\b|safety|proves?\b|demonstrat|beneficial|promising", re.I)


def _early_or_small(trial) -> bool:
    phase = (trial.design.phase or "").upper().replace(" ", "")
    early = phase in ("I", "II", "I/II", "I-II", "1", "2", "1/2", "1-2", "PILOT")
    small = sum(a.n_analysed for a in trial.arms) < 100
    return early or small


_SAFETY_WORD = re.compile(r"^safe|^safety", re.I)


def _safety_evidence(trial, targets, results) -> tuple[list[dict], str]:
    """The zero-event claims of the card with their exact bounds, and a sentence on them."""
    zero = [(t, r) for t, r in _claim_results(trial, targets, results) if r.zero_bound is not None]
    follow = trial.design.follow_up_days
    items = [{"claim": t.claim.id, "events": 0, "n": t.denominator, "arm": t.arm,
              "exact_upper_95": _num(r.zero_bound["exact"]), "window": t.claim.window} for t, r in zero]
    if not zero:
        from appraise.design import zero_event_bound

        n = trial.treatment.n_analysed
        bound = float(zero_event_bound(n))
        return items, (f"The report gives no count of harms to weigh it against; even no events at all in "
                       f"the {n} treated patients would leave a true risk of up to {_pct(bound)} "
                       "(exact 95% upper bound).")
    parts = []
    for (t, r), item in zip(zero, items):
        over = f" over {t.claim.window}" if t.claim.window else ""
        who = {"treatment": "treated ", "control": "control "}.get(t.arm, "")
        parts.append(f"{t.claim.text} in {t.denominator} {who}patients{over}"
                     + f": 0 events in {t.denominator} is compatible with a true risk of up to "
                     f"{_pct(r.zero_bound['exact'])} (exact 95% upper bound)")
    msg = "The evidence for safety is " + "; and ".join(parts) + "."
    if any(t.claim.window for t, _ in zero) and follow:
        msg += f" Patients were followed for {follow} days, longer than the window harms were looked for in."
    msg += " Harms rarer than that bound, or later than that window, could not have been seen."
    return items, msg


def check_spin(trial, targets=(), results=None) -> list[Flag]:
    """``spin-in-conclusions``: strong or causal conclusion wording the trial cannot support.

    Flags a conclusion claim whose wording is causal, superlative or about efficacy/safety
    ("first time", "reverses", "restores", "safe", "effective", ...) when the trial is small
    (fewer than 100 patients) or early phase (I, II, I/II).  Each kind of wording is
    answered with its own evidence:

    * efficacy or causal wording, when no between-arm binary outcome is significant
      (Fisher's exact test, :func:`appraise.tests2x2.tests_2x2`): those p-values;
    * "safe" / "safety": the card's zero-event claims with their exact 95% upper bound
      (:func:`appraise.design.zero_event_bound`) over the window harms were looked for in,
      or, when the card counts no harms, the bound no events in the treated arm would give.
    """
    from appraise.tests2x2 import tests_2x2

    conclusions = [c for c in trial.claims if c.kind == "conclusion"]
    if not conclusions or not _early_or_small(trial):
        return []
    fisher = {o.id: float(tests_2x2(*o.counts)["fisher"].pvalue) for o in trial.outcomes}
    efficacy_shown = any(p < ALPHA for p in fisher.values())
    flags = []
    n_total = sum(a.n_analysed for a in trial.arms)
    for c in conclusions:
        text = " ".join(filter(None, (c.text, c.described_as)))
        words = sorted({m.group(0).lower() for m in _SPIN.finditer(text)})
        safety = [w for w in words if _SAFETY_WORD.match(w)]
        efficacy = [] if efficacy_shown else [w for w in words if not _SAFETY_WORD.match(w)]
        if not safety and not efficacy:
            continue
        about = " and ".join(filter(None, ("safety" if safety else "", "efficacy" if efficacy else "")))
        ev = {"text": c.text, "described_as": c.described_as, "matched_wording": words,
              "about": about, "phase": trial.design.phase, "n_total": n_total}
        msg = (f"The conclusion ({c.text}; worded as \"{c.described_as or c.text}\") claims more than a "
               f"phase {trial.design.phase or '?'} trial of {n_total} patients can show.")
        if efficacy:
            ev["between_arm_fisher_p"] = {k: _num(v) for k, v in fisher.items()}
            ps = ", ".join(f"{k} {p_phrase(v)}" for k, v in fisher.items())
            msg += f" No between-arm comparison is statistically significant ({ps})."
        if safety:
            items, sentence = _safety_evidence(trial, targets, results)
            ev["zero_event_claims"] = items
            ev["follow_up_days"] = trial.design.follow_up_days
            msg += " " + sentence
        msg += " Early small trials can suggest, not establish, that a treatment works, is safe, or is a first."
        flags.append(Flag("spin-in-conclusions", "caution", c.id,
                          "Conclusion stronger than the evidence", msg, ev))
    return flags


CHECKS = (check_allocation, check_registration, check_pvalues, check_percentages,
          check_zero_events, check_within_group, check_significance_wording,
          check_primary_outcome, check_multiplicity, check_power, check_fragility,
          check_subgroups, check_spin)


def appraise(trial) -> list[Flag]:
    """Run every check on a trial and return its flags, most severe first.

    Parameters
    ----------
    trial : appraise.trials.Trial
        A loaded trial card (see :func:`appraise.trials.load_trial`).

    Returns
    -------
    list of Flag
        Sorted by severity (serious, caution, info), then code, then claim.

    Raises
    ------
    TypeError
        If ``trial`` is not a :class:`~appraise.trials.Trial`.

    Examples
    --------
    >>> from appraise.trials import load_trial
    >>> flags = appraise(load_trial("mensc-secretome-covid19"))
    >>> sorted({f.code for f in flags if f.severity == "serious"})
    ['nonsignificant-called-significant', 'p-value-irreproducible']
    >>> pct = next(f for f in flags if f.code == "percentage-inconsistent")
    >>> pct.claim, pct.evidence["n"], pct.evidence["candidates"]
    ('survival-ctrl-pct', 15, [])
    >>> zero = next(f for f in flags if f.code == "zero-events-small-n")
    >>> round(zero.evidence["exact_upper_95"], 4), round(zero.evidence["rule_of_three_upper_95"], 4)
    (0.2316, 0.2143)
    """
    from appraise.trials import Trial
    from appraise.verdicts import assess

    if not isinstance(trial, Trial):
        raise TypeError(f"trial must be a Trial (use appraise.load_trial), got {trial!r:.80} "
                        f"of type {type(trial).__name__}")
    return list(assess(trial).flags)


def collect_flags(trial, targets, results, figures=()) -> list[Flag]:
    """Every check of :data:`CHECKS` on already resolved and checked claims (unsorted), and
    the flags on the figures of time-to-event and continuous outcomes
    (:func:`appraise.flags_outcomes.check_outcome_figures`).

    ``targets``, ``results`` and ``figures`` are those of :func:`appraise.verdicts.assess`,
    which calls this; :func:`appraise` is the entry point.
    """
    from appraise.flags_outcomes import check_outcome_figures

    flags = [f for check in CHECKS for f in check(trial, targets, results)]
    return flags + check_outcome_figures(trial, targets, results, tuple(figures))
