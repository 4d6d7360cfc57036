"""Flags about the trial as a whole: allocation, registration, primary outcome,
multiplicity, power and fragility (see :mod:`appraise.flags` for the table of codes).

Each check takes the trial (and, for the multiplicity count, the resolved claims of
:func:`appraise.verdicts.assess`) and returns zero or more :class:`~appraise.flags.Flag`.
"""

from __future__ import annotations

from appraise._flag import (ALPHA, EXACT_N_LIMIT, FRAGILE_MAX, MANY_OUTCOMES, PRIMARY_NEEDED_FROM,
                            TARGET_POWER, Flag, _claim_results, _num, _pct)
from appraise._format import p_phrase
from appraise._limits import MAX_TABLE_N
from appraise.cards.model import stated

__all__ = ["check_allocation", "check_registration", "check_primary_outcome", "check_multiplicity",
           "check_power", "check_fragility"]


def check_allocation(trial, targets=(), results=None) -> list[Flag]:
    """``non-randomised-allocation`` when the arms were not formed by randomisation;
    ``randomisation-doubtful`` when they are said to be but the card's facts cast doubt.

    A claim of randomisation is doubted (caution) when the arm sizes are far from the
    stated ratio (or 1:1 when none is stated: a two-sided exact binomial test of the
    treatment arm's size at the ratio's share gives p < 0.05, as simple randomisation would
    rarely produce such a split and restricted randomisation even more rarely) or the data
    were collected retrospectively (``design.data_collection``); a randomisation method that
    is not reported (``design.randomisation_method`` is None) is named among the reasons.
    Arm sizes are those randomised when the card gives them for both arms, else those
    analysed.
    """
    d = trial.design
    n_t, n_c = trial.treatment.n_analysed, trial.control.n_analysed
    if d.allocation == "non-randomised":
        return [Flag(
            "non-randomised-allocation", "serious", "design", "Arms were not randomised",
            f"Patients were not randomly allocated ({n_t} treated, {n_c} controls). Whoever chose "
            "who got the treatment may have chosen patients with a better (or worse) outlook, so any "
            "difference between the arms may reflect who was picked rather than what they received. "
            "No p-value or confidence interval corrects for that.",
            {"allocation": d.allocation, "n_treat": n_t, "n_ctrl": n_c, "control": d.control,
             "ratio": d.ratio})]
    return _randomisation_doubts(trial)


def _randomisation_doubts(trial) -> list[Flag]:
    from scipy.stats import binomtest

    d = trial.design
    randomised = [a.n_randomised for a in (trial.treatment, trial.control)]
    counted = "randomised" if None not in randomised else "analysed"
    n_t, n_c = randomised if counted == "randomised" else (trial.treatment.n_analysed, trial.control.n_analysed)
    r_t, r_c = (int(x) for x in (d.ratio or "1:1").split(":"))
    share = r_t / (r_t + r_c)
    split_p = float(binomtest(n_t, n_t + n_c, share).pvalue)
    uneven = split_p < ALPHA
    retrospective = d.data_collection == "retrospective"
    if not (uneven or retrospective):
        return []
    ratio_text = f"the stated {d.ratio}" if d.ratio else "an implied 1:1 (no ratio is reported)"
    reasons = []
    if d.randomisation_method is None:
        reasons.append("no method of generating or concealing the allocation sequence is reported")
    if uneven:
        reasons.append(f"the arms are {n_t} vs {n_c} patients {counted}, far from {ratio_text}: allocating "
                       f"{n_t + n_c} patients at random {r_t}:{r_c} gives a split at least this uneven with "
                       f"probability {split_p:.3f} (two-sided exact binomial test), and blocked "
                       "randomisation would keep the arms closer still")
    if retrospective:
        reasons.append("the data were collected retrospectively, the way an observational study is run: a "
                       "randomised trial allocates patients first and then records what happens to them")
    said = (f"The report calls the allocation randomised, in its own words: {d.allocation_as_reported}."
            if d.allocation_as_reported else "The report calls the allocation randomised.")
    msg = (f"{said} Yet " + "; ".join(reasons) + ". A reader should doubt that chance formed the arms: "
           "if it did not, a difference between them may reflect who received the treatment rather than "
           "what it did, and no p-value corrects for that. Until the method can be checked, read the "
           "comparison as you would a non-randomised one.")
    ev = {"allocation": d.allocation, "allocation_as_reported": d.allocation_as_reported,
          "randomisation_method": d.randomisation_method or "not reported",
          "data_collection": d.data_collection or "not reported",
          "ratio": d.ratio, "ratio_used": f"{r_t}:{r_c}", "arm_sizes": counted,
          "n_treat": n_t, "n_ctrl": n_c, "split_pvalue": _num(split_p), "split_far_from_ratio": uneven}
    return [Flag("randomisation-doubtful", "caution", "design", "Randomisation claimed but doubtful", msg, ev)]


def check_registration(trial, targets=(), results=None) -> list[Flag]:
    """``registration-retrospective`` and ``registration-date-ambiguous``, per registry record."""
    from appraise.registration import audit_registration

    audit = audit_registration(trial)
    flags = []
    any_prospective = audit.any_prospective
    for e in audit.entries:
        evidence = {
            "registry": e.registry, "id": e.id, "date_as_written": e.date_text,
            "declared_format": e.declared_format,
            "readings": [r.isoformat() for r in e.readings],
            "start": trial.dates.start.isoformat() if trial.dates.start else None,
            "completion": trial.dates.completion.isoformat() if trial.dates.completion else None,
            "days_to_start": list(e.days_to_start),
            "days_after_completion": list(e.days_after_completion),
            "after_completion": e.after_completion, "verdict": e.verdict,
            "paper_says_retrospective": e.paper_says_retrospective,
        }
        if e.verdict == "retrospective":
            serious = bool(e.after_completion) and not any_prospective
            msg = e.explanation + (
                " Registering before the first patient is enrolled fixes the outcomes and analyses "
                "in advance; a later record cannot show that they were not chosen after seeing the data.")
            if any_prospective:
                others = [o for o in audit.entries if o.verdict == "prospective"]
                msg += (" Another registry record (" + ", ".join(f"{o.registry} {o.id}" for o in others)
                        + ") predates the start: compare its outcomes with the paper's.")
            flags.append(Flag("registration-retrospective", "serious" if serious else "caution",
                              "registration", f"{e.registry} record registered after the study started",
                              msg, evidence))
        if e.ambiguous:
            depends = e.verdict == "ambiguous"
            flags.append(Flag(
                "registration-date-ambiguous", "caution" if depends else "info", "registration",
                f"{e.registry} date {e.date_text} reads two ways",
                e.explanation + (" Check the registry record itself for the month name."
                                 if depends else
                                 " The verdict is the same under both readings, but a reader should "
                                 "know which date is meant."),
                evidence))
    return flags


def check_primary_outcome(trial, targets=(), results=None) -> list[Flag]:
    """``no-primary-outcome``: no single primary outcome is stated among several outcomes.

    Fires when the card states no primary outcome (``design.primary_outcome`` is None and
    no outcome is marked ``primary``) and names at least :data:`PRIMARY_NEEDED_FROM`
    outcomes: with one or two outcomes a reader can see every result, with more the
    report can choose which to headline.
    """
    d = trial.design
    if d.primary_outcome is not None or any(o.primary for o in trial.outcomes):
        return []
    if len(d.outcomes_named) < PRIMARY_NEEDED_FROM:
        return []
    ev = {"primary_outcome": None, "outcomes_named": list(d.outcomes_named),
          "n_outcomes_named": len(d.outcomes_named),
          "sample_size_calculation": stated(d.sample_size_calculation)}
    msg = ("The report names no single primary outcome. Without one chosen in advance, any of the "
           f"{len(d.outcomes_named) or 'many'} outcomes can be presented as the main result after the data are seen.")
    if d.sample_size_calculation is False:
        msg += " The report says no sample-size calculation was done, so the trial's size was not planned around an outcome."
    elif d.sample_size_calculation is None:
        msg += (" A sample-size calculation is not reported either, so nothing shows that the trial's size "
                "was planned around an outcome.")
    return [Flag("no-primary-outcome", "caution", "design", "No primary outcome stated", msg, ev)]


_NULL_OF_KIND = {
    "within-arm": "a change within one arm, which patients who recover show without any treatment effect",
    "single-arm": "one arm's figure against a fixed value, which says nothing about the other arm",
    "subgroup": "groups not formed by allocation",
    "not stated": "an unstated comparison",
}


def check_multiplicity(trial, targets=(), results=None) -> list[Flag]:
    """``many-outcomes-no-correction``: many outcomes or between-arm p-values, no adjustment.

    Fires when the card states that no adjustment was made (``False``) or does not say
    (``None``, "not reported"; the message says which), and the outcomes named or the
    p-values comparing the arms number at least :data:`MANY_OUTCOMES`.

    Only p-values that compare the arms (``comparison == "between-arms"`` in
    :func:`appraise.cards.claims.resolve_claims`) share the null hypothesis "the treatment
    did nothing", so only they are counted.  Within-arm, single-arm and subgroup p-values
    test other nulls (a within-arm change is expected in patients who recover anyway), so
    they can be small with no treatment effect at all: the message says how many there are
    and why they are not counted.  Baseline comparisons are not outcome tests.  The
    evidence gives the number of tests counted ``m`` (the between-arm p-values, or the
    outcomes named when there are more of them, since each can be compared between the
    arms), the chance of at least one p < 0.05 among ``m`` independent tests when the
    treatment does nothing (``1 - 0.95**m``) and the Bonferroni threshold ``0.05 / m``.
    """
    d = trial.design
    if d.multiplicity_adjustment:
        return []
    targets = targets or [t for t, _ in _claim_results(trial, targets, results)]
    with_p = [t for t in targets if t.p_text and t.comparison != "baseline"]
    between = [t.claim.id for t in with_p if t.comparison == "between-arms"]
    others = [t for t in with_p if t.comparison != "between-arms"]
    other_kinds: dict[str, int] = {}
    for t in others:
        other_kinds[t.comparison] = other_kinds.get(t.comparison, 0) + 1
    k, m_outcomes = len(between), len(d.outcomes_named)
    m = max(k, m_outcomes)
    if m < MANY_OUTCOMES:
        return []
    fwer = 1 - (1 - ALPHA) ** m
    ev = {"n_between_arm_pvalues": k, "n_outcomes_named": m_outcomes,
          "claims_with_between_arm_pvalues": between,
          "n_other_pvalues": len(others), "other_pvalues_by_comparison": other_kinds,
          "claims_with_other_pvalues": [t.claim.id for t in others],
          "n_tests_counted": m, "tests_counted": "between-arm p-values" if k >= m_outcomes
          else "outcomes named",
          "multiplicity_adjustment": stated(d.multiplicity_adjustment),
          "chance_of_a_false_positive_if_independent": _num(fwer),
          "bonferroni_threshold": _num(ALPHA / m)}
    p_word = "p-value" if k == 1 else "p-values"
    printed = f"prints {k} {p_word} comparing the arms"
    if d.multiplicity_adjustment is False:
        title = "Many outcomes, no correction for multiple comparisons"
        msg = (f"The report names {m_outcomes} outcomes and {printed}, and states that no adjustment for "
               "multiple comparisons was made.")
    else:
        title = "Many outcomes, correction for multiple comparisons not reported"
        msg = (f"The report names {m_outcomes} outcomes and {printed}; whether the analyses were adjusted "
               "for multiple comparisons is not reported.")
    if k >= m_outcomes:
        msg += (f" If the treatment did nothing and the {k} between-arm tests were independent and "
                f"unadjusted, the chance of at least one p < 0.05 among them would be {_pct(fwer)}; a "
                f"Bonferroni threshold would be {ALPHA / k:.4f}.")
    else:
        msg += (f" Each named outcome can be compared between the arms: if the treatment did nothing and "
                f"{m_outcomes} independent, unadjusted comparisons were made, the chance of at least one "
                f"p < 0.05 would be {_pct(fwer)}; a Bonferroni threshold would be {ALPHA / m_outcomes:.4f}.")
    if others:
        parts = [f"{n} {kind}" for kind, n in other_kinds.items()]
        why = "; ".join(f"{kind}: {_NULL_OF_KIND.get(kind, kind)}" for kind in other_kinds)
        n_o = len(others)
        msg += (f" The other {n_o} {'p-value is' if n_o == 1 else 'p-values are'} not counted "
                f"({', '.join(parts)}): {'it tests' if n_o == 1 else 'they test'} other questions ({why}), "
                "not whether the treatment did anything, and can be small with no treatment effect at all.")
    return [Flag("many-outcomes-no-correction", "caution", "design", title, msg, ev)]


def check_power(trial, targets=(), results=None) -> list[Flag]:
    """``underpowered``: exact (Fisher) power for the observed risks at these arm sizes < 80%."""
    from appraise.power import power_two_proportions, sample_size_two_proportions

    flags = []
    for o in trial.outcomes:
        r_t, r_c = o.events_treat / o.n_treat, o.events_ctrl / o.n_ctrl
        if r_t == r_c:
            continue
        # exact (Fisher) power enumerates every table: up to MAX_TABLE_N per arm
        test = "fisher" if max(o.n_treat, o.n_ctrl) <= MAX_TABLE_N else "normal"
        power = float(power_two_proportions(r_t, r_c, n_treat=o.n_treat, n_ctrl=o.n_ctrl,
                                            alpha=ALPHA, test=test))
        if power >= TARGET_POWER:
            continue
        # the exact (Fisher) search is used up to EXACT_N_LIMIT per arm; beyond it the
        # normal approximation (close there, and the search would take minutes)
        n_needed = int(sample_size_two_proportions(r_t, r_c, power=TARGET_POWER, alpha=ALPHA,
                                                   test="normal"))
        n_method = "normal approximation"
        if n_needed <= EXACT_N_LIMIT:
            n_needed = int(sample_size_two_proportions(r_t, r_c, power=TARGET_POWER, alpha=ALPHA,
                                                       test="fisher"))
            n_method = "fisher"
        ev = {"risk_treat": r_t, "risk_ctrl": r_c, "n_treat": o.n_treat, "n_ctrl": o.n_ctrl,
              "alpha": ALPHA, "test": test, "power": power, "target_power": TARGET_POWER,
              "n_per_arm_needed": n_needed, "n_per_arm_method": n_method}
        msg = (f"If the true risks of {o.label.lower()} were exactly those observed "
               f"({_pct(r_t)} vs {_pct(r_c)}), a trial of {o.n_treat} vs {o.n_ctrl} patients would "
               f"reach p < 0.05 ({'Fisher' if test == 'fisher' else 'normal approximation'}) only "
               f"{_pct(power)} of the time; about {n_needed} patients per "
               f"arm would be needed for {TARGET_POWER:.0%} power. A non-significant result from so few "
               "patients is not evidence of no effect, and a significant one is likely to exaggerate it.")
        flags.append(Flag("underpowered", "caution", o.id,
                          f"{o.label}: far too few patients", msg, ev))
    return flags


def check_fragility(trial, targets=(), results=None) -> list[Flag]:
    """``fragile-result``: fragility index (significant) or reverse fragility index (not) of 0-2."""
    from appraise.fragility import fragility_index, reverse_fragility_index

    flags = []
    for o in trial.outcomes:
        if max(o.n_treat, o.n_ctrl) > MAX_TABLE_N:
            continue  # the indices walk the exact Fisher table, computed up to MAX_TABLE_N per arm
        fi = fragility_index(*o.counts, alpha=ALPHA)
        kind = "fragility index"
        if not fi.significant:
            fi = reverse_fragility_index(*o.counts, alpha=ALPHA)
            kind = "reverse fragility index"
        if fi.index is None or fi.index > FRAGILE_MAX:
            continue
        ev = {"counts": list(o.counts), "kind": kind, "index": int(fi.index),
              "pvalue": _num(fi.pvalue), "pvalue_after": _num(fi.pvalue_after),
              "modified_arm": fi.modified_arm, "significant": bool(fi.significant),
              "fragility_quotient": _num(fi.quotient), "alpha": ALPHA}
        patients = "patient" if fi.index == 1 else "patients"
        if fi.significant:
            msg = (f"{o.label} is significant (Fisher {p_phrase(float(fi.pvalue), digits=4)}), but changing the "
                   f"outcome of {fi.index} {patients} in the {fi.modified_arm} arm makes it "
                   f"non-significant ({p_phrase(float(fi.pvalue_after), digits=4)}).")
        else:
            msg = (f"{o.label} is not significant (Fisher {p_phrase(float(fi.pvalue), digits=4)}), but changing "
                   f"the outcome of just {fi.index} {patients} in the {fi.modified_arm} arm would make it "
                   f"significant ({p_phrase(float(fi.pvalue_after), digits=4)}).")
        msg += " With so few patients, the verdict hangs on one or two people."
        flags.append(Flag("fragile-result", "caution", o.id,
                          f"{o.label}: {kind} {fi.index}", msg, ev))
    return flags
