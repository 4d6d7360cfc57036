"""The facts of a trial for each step of the appraisal worksheet, computed by the library.

Every sentence here that states a fact of the trial is built from the card and from a
library result; the fixed words explain methods only.  :mod:`appraise.worksheet` turns the
steps into questions and exports; lesson 10 shows the facts step by step.
"""

from __future__ import annotations

import math

from ._format import format_pct, p_phrase
from .cards.claims import lesson_outcome
from .cards.model import stated
from .verdicts import assess

__all__ = ["STEPS", "METHODS", "build_steps", "citation_text", "claim_results", "lesson_outcome",
           "render", "stated"]

STEPS = (
    ("design", "Design"),
    ("recomputation", "Recomputation"),
    ("forensics", "Reported-number forensics"),
    ("power", "Power and sample size"),
    ("fragility", "Fragility"),
    ("bayes", "Bayesian reanalysis"),
    ("within", "Within-group changes and zero events"),
    ("registration", "Registration and spin"),
    ("bias", "Risk of bias"),
)

ROB2_DOMAIN_IDS = ("D1", "D2", "D3", "D4", "D5")
YES_NO = ("yes", "no")
YES_NO_UNKNOWN = ("yes", "no", "not reported")
FORENSIC_ANSWERS = ("consistent", "inconsistent", "not checkable here")
TARGET_POWER = 0.80
FRAGILE_MAX = 2       # an index of 0, 1 or 2: a handful of patients decide the result

METHODS = {
    "design": "What was compared with what, how patients were allocated, who knew the allocation, "
              "and what the paper says it measured first.",
    "recomputation": "The 2x2 table of the outcome recomputed from the counts: risks with Wilson "
                     "intervals, the risk difference with Newcombe's hybrid score interval, the "
                     "number needed to treat, and Fisher's exact test.",
    "forensics": "Every figure the card records as printed, checked against the counts where the "
                 "counts allow it: a percentage must fit some whole number of patients, a p-value "
                 "must be reproduced by some test on the counts. For a time-to-event outcome, a "
                 "log-rank p must lie in the range the deaths allow over every order in which they "
                 "could have happened, and a survival percentage must be some Kaplan-Meier estimate; "
                 "for a continuous outcome, a between-arm p must come from a t-test on the printed "
                 "means and SDs, and a mean of whole-number answers must pass GRIM (and GRIMMER with "
                 "its SD) when the card gives the number of items.",
    "power": "If the observed risks were the true ones, how often would a trial of this size reach "
             "p < alpha (exact Fisher power), and how many patients per arm would 80% power need?",
    "fragility": "How many patients' outcomes would have to change to move the result across the "
                 "significance line (fragility index for a significant result, reverse fragility "
                 "index for a non-significant one).",
    "bayes": "The posterior probability that the treatment is better, with a flat Beta(1, 1) prior "
             "in each arm, in the direction the outcome's definition gives (fewer bad events or "
             "more good ones).",
    "within": "A change within one arm has no comparison with the other arm; 'no events' among a "
              "few patients still allows a sizeable risk (exact upper 95% bound).",
    "registration": "Was the trial registered before its first patient was enrolled, and do the "
                    "conclusions say more than the comparisons between arms support?",
    "bias": "The five RoB 2 domains, judged by you from what the paper reports; the RoB 2 rule "
            "then combines your domain judgements into an overall judgement.",
}


# ------------------------------------------------------------------------------------
# formatting and claim results: one rule each, from the modules that own them
# ------------------------------------------------------------------------------------

def fmt_p(p: float, alpha: float = 0.05) -> str:
    """``"p = 0.128"``, ``"p < 0.0001"``; a p below alpha never prints as alpha or above."""
    return p_phrase(p, alpha=alpha)


def fmt_pct(x: float, digits: int = 1) -> str:
    return format_pct(x, digits)


def _num(x: float) -> str:
    if math.isinf(x):
        return "infinity"
    if math.isnan(x):
        return "undefined"
    return f"{x:.2f}"


def render(fact: str, escape) -> str:
    """A fact sentence escaped for the output (facts are plain text)."""
    return escape(fact)


def citation_text(trial) -> str:
    c = trial.citation
    vol = f";{c.volume}" if c.volume else ""
    pages = f":{c.pages}" if c.pages else ""
    authors = ", ".join(c.authors).rstrip(".")
    return f"{authors}. {c.title}. {c.journal} {c.year}{vol}{pages}. doi:{c.doi}"


def claim_results(assessment) -> list[tuple]:
    """``(claim, status, summary, flag_codes)`` for every claim of the card, in card order.

    ``assessment`` is :func:`appraise.verdicts.assess` of the trial; ``status`` is
    "consistent", "inconsistent", "flagged" or "not checkable here" (the summary of a claim
    that cannot be checked is its reason).
    """
    verdicts = {v.claim_id: v for v in assessment.verdicts}
    out = []
    for c in assessment.trial.claims:
        v = verdicts[c.id]
        summary = (v.reason or v.summary) if v.status == "not checkable here" else v.summary
        out.append((c, v.status, _sentence(summary), tuple(v.flag_codes)))
    return out


_INCONSISTENT = {"percentage-inconsistent", "p-value-irreproducible"}


def _sentence(text: str) -> str:
    """``text`` with a capital first letter and a full stop."""
    text = (text or "").strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


# ------------------------------------------------------------------------------------
# the steps
# ------------------------------------------------------------------------------------

def _design(trial, outcome, alpha):
    d = trial.design
    t, c = trial.treatment, trial.control
    facts = [f"Allocation: {d.allocation}. Blinding: {d.blinding}.",
             f"Arms analysed: {t.label} {t.n_analysed}, {c.label} {c.n_analysed}.",
             f"Intervention: {d.intervention}. Comparator: {d.comparator}.",
             f"Population: {d.population}.",
             f"Primary outcome stated: {d.primary_outcome or 'none'}.",
             f"Sample-size calculation reported: {stated(d.sample_size_calculation)}."]
    for arm in (t, c):
        if arm.n_randomised is not None:
            facts.append(f"{arm.label}: {arm.n_randomised} randomised, {arm.n_analysed} analysed.")
    if d.allocation_as_reported:
        facts.append(f"Allocation in the paper's words: {d.allocation_as_reported}.")
    if d.allocation == "randomised":
        facts.append(f"Randomisation method reported: {d.randomisation_method or 'not reported'}.")
    if d.data_collection:
        facts.append(f"Data collection: {d.data_collection}.")
    randomised = "yes" if d.allocation == "randomised" else "no"
    from .flags_trial import check_allocation

    doubt = " ".join(f.message for f in check_allocation(trial) if f.code == "randomisation-doubtful")
    ssc = stated(d.sample_size_calculation)
    questions = [
        dict(id="randomised", prompt="Were patients allocated at random?", kind="choice",
             options=YES_NO, library_answer=randomised,
             explanation=f"The card records the allocation as {d.allocation}." + (f" {doubt}" if doubt else "")),
        dict(id="blinding", prompt="Who was blinded, as the paper reports it?", kind="choice",
             options=("open-label", "single-blind", "double-blind", "not reported"),
             library_answer=d.blinding, explanation=f"The card records: {d.blinding}."),
        dict(id="primary", prompt="Does the paper state a single primary outcome?", kind="choice",
             options=YES_NO, library_answer="yes" if d.primary_outcome else "no",
             explanation=(f"The card records the primary outcome: {d.primary_outcome}." if d.primary_outcome
                          else "The card records no stated primary outcome.")),
        dict(id="sample-size", prompt="Does the paper report a sample-size calculation?", kind="choice",
             options=YES_NO_UNKNOWN, library_answer=ssc,
             explanation=f"The card records: {ssc}."),
        dict(id="notes", prompt="What can this design show, and what can it not?", kind="text"),
    ]
    return facts, questions


def _recomputation(trial, outcome, alpha):
    a, n1, c, n2 = outcome.counts
    cmp = trial.compare(outcome.id)
    rd = cmp.risk_difference
    fisher = cmp.tests["fisher"].pvalue
    t, k = trial.treatment.label, trial.control.label
    facts = [f"Outcome: {outcome.label} (event: {outcome.event}); {a} of {n1} ({t}) and {c} of {n2} ({k}).",
             f"Risk with {t}: {fmt_pct(cmp.risk_treat.estimate)} (95% CI {fmt_pct(cmp.risk_treat.low)} to "
             f"{fmt_pct(cmp.risk_treat.high)}); with {k}: {fmt_pct(cmp.risk_ctrl.estimate)} (95% CI "
             f"{fmt_pct(cmp.risk_ctrl.low)} to {fmt_pct(cmp.risk_ctrl.high)}).",
             f"Risk difference ({t} minus {k}): {100 * rd.estimate:.1f} percentage points "
             f"(95% CI {100 * rd.low:.1f} to {100 * rd.high:.1f}).",
             f"Risk ratio: {_num(cmp.risk_ratio.estimate)} (95% CI {_num(cmp.risk_ratio.low)} to "
             f"{_num(cmp.risk_ratio.high)}). {cmp.nnt.text}.",
             f"Fisher's exact test, two-sided: {fmt_p(fisher, alpha)}."]
    if cmp.risk_treat.estimate < cmp.risk_ctrl.estimate:
        lower = "treatment"
    elif cmp.risk_treat.estimate > cmp.risk_ctrl.estimate:
        lower = "control"
    else:
        lower = "equal"
    includes = "yes" if rd.low <= 0 <= rd.high else "no"
    questions = [
        dict(id="lower-risk", prompt=f"Which arm had the lower risk of the event ({outcome.event})?",
             kind="choice", options=("treatment", "control", "equal"), library_answer=lower,
             explanation=f"{fmt_pct(cmp.risk_treat.estimate)} with {t} against "
                         f"{fmt_pct(cmp.risk_ctrl.estimate)} with {k}."),
        dict(id="ci-includes-zero", prompt="Does the 95% interval of the risk difference include no difference?",
             kind="choice", options=YES_NO, library_answer=includes,
             explanation=f"95% CI {100 * rd.low:.1f} to {100 * rd.high:.1f} percentage points."),
        dict(id="fisher-p", prompt="Two-sided Fisher exact p-value (to three decimals)", kind="number",
             library_answer=round(fisher, 4), tolerance=0.0015,
             explanation=f"Fisher's exact test: {fmt_p(fisher, alpha)}."),
        dict(id="notes", prompt="What size of effect is compatible with the data?", kind="text"),
    ]
    return facts, questions


def _values(values) -> str:
    """``[4.5, 1.4, 8.9]`` as ``4.5 (1.4-8.9)``; ``[10.2, 3.1]`` as ``10.2 (3.1)``."""
    head, *rest = (f"{v:g}" for v in values)
    return f"{head} ({'-'.join(rest)})" if rest else head


def _forensic_answer(status: str, codes) -> str:
    if status == "inconsistent" or _INCONSISTENT.intersection(codes):
        return "inconsistent"
    if status == "not checkable here" or "p-value-unverifiable" in codes:
        return "not checkable here"
    return "consistent"


#: what each check of a time-to-event or continuous figure compares the printed figure with
_FIGURE_CHECKS = {
    "logrank": "the range of log-rank p-values over every order of the deaths",
    "km": "the Kaplan-Meier estimates the deaths and censoring allow",
    "ci-p": "the p-value its ratio and interval imply",
    "grim": "the means whole-number data can give (GRIM)",
    "grimmer": "the means and SDs whole-number data can give (GRIMMER)",
    "ttest": "a two-sample t-test on the printed means and SDs",
    "within": "what a within-arm p alone can say",
}


_FIGURE_LABELS = {"logrank": "Log-rank range", "km": "Kaplan-Meier percentage", "ci-p": "Interval and p",
                  "grim": "GRIM", "grimmer": "GRIMMER", "ttest": "Two-sample t-test from the summaries",
                  "within": "Within-arm p"}


def _forensics(trial, outcome, alpha, assessment):
    results = claim_results(assessment)
    facts = [f"Claim {c.id}: \u201c{c.text}\u201d ({c.where}): {status}. {summary}"
             for c, status, summary, _ in results]
    if not results:
        facts = ["The card records no reported figures."]
    for cs in trial.continuous:
        names = "median (IQR)" if cs.statistic == "median_iqr" else "mean (SD)"
        unit = f" {cs.unit}" if cs.unit else ""
        p = f", {cs.reported_p}" if cs.reported_p else ""
        facts.append(f"Continuous summary {cs.id}: {cs.label}, {names} {_values(cs.treatment)}{unit} with "
                     f"{trial.treatment.label} and {_values(cs.control)}{unit} with {trial.control.label}{p} "
                     f"({cs.where}).")
    figures = [f for f in assessment.figures if f.claim_id is None]
    for f in figures:
        summary = f.summary.removeprefix("Not checkable here: ")
        facts.append(f"{_FIGURE_LABELS.get(f.check, f.check)}, outcome {f.outcome_id} ({f.figure}), printed "
                     f"\u201c{f.text}\u201d: {f.status}. {_sentence(summary)}")
    questions = []
    for c, status, summary, codes in results:
        if c.kind not in ("percentage", "p-value"):
            continue
        questions.append(dict(
            id=f"claim-{c.id}", prompt=f"Is the printed \u201c{c.text}\u201d ({c.id}) consistent with the counts?",
            kind="choice", options=FORENSIC_ANSWERS, library_answer=_forensic_answer(status, codes),
            explanation=f"{status}: {summary}"))
    for f in figures:
        if f.check == "within" or f.status not in FORENSIC_ANSWERS:
            continue
        questions.append(dict(
            id=f"figure-{f.outcome_id}-{f.figure}",
            prompt=(f"Is the printed \u201c{f.text}\u201d ({f.outcome_id}, {f.figure}) consistent with "
                    f"{_FIGURE_CHECKS.get(f.check, f.check)}?"),
            kind="choice", options=FORENSIC_ANSWERS, library_answer=f.status,
            explanation=f"{f.status}: {_sentence(f.summary.removeprefix('Not checkable here: '))}"))
    questions.append(dict(id="notes", prompt="Which printed figures would you query with the authors?", kind="text"))
    return facts, questions


def _power(trial, outcome, alpha):
    from .power import power_two_proportions, sample_size_two_proportions

    a, n1, c, n2 = outcome.counts
    r1, r2 = a / n1, c / n2
    facts = [f"Observed risks taken as true: {fmt_pct(r1)} and {fmt_pct(r2)}, with {n1} and {n2} patients."]
    questions = []
    try:
        power = power_two_proportions(r1, r2, n_treat=n1, n_ctrl=n2, alpha=alpha, test="fisher")
    except ValueError as exc:
        facts.append(f"Exact power is not computed here: {exc}")
        power = None
    if power is not None:
        facts.append(f"Exact power of Fisher's test at alpha = {alpha}: {fmt_pct(power)}.")
        facts.append("Power computed at the observed effect only restates the p-value; it says how "
                     "often a trial of this size detects an effect as large as the one observed.")
        questions += [
            dict(id="power", prompt="Power at the observed risks, in percent", kind="number",
                 library_answer=round(100 * power, 1), tolerance=1.0,
                 explanation=f"Exact Fisher power: {fmt_pct(power)}."),
            dict(id="enough", prompt=f"Did the trial have at least {TARGET_POWER:.0%} power for the observed effect?",
                 kind="choice", options=YES_NO, library_answer="yes" if power >= TARGET_POWER else "no",
                 explanation=f"Exact Fisher power: {fmt_pct(power)}.")]
    if r1 != r2:
        try:
            need = sample_size_two_proportions(r1, r2, power=TARGET_POWER, alpha=alpha, test="fisher")
            facts.append(f"Patients per arm for {TARGET_POWER:.0%} power at these risks: {need}.")
        except ValueError as exc:
            facts.append(f"Sample size is not computed here: {exc}")
    else:
        facts.append("The observed risks are equal: no sample size detects a difference of zero.")
    questions.append(dict(id="notes", prompt="What does the trial's size let it detect?", kind="text"))
    return facts, questions


def _fragility(trial, outcome, alpha):
    from .fragility import fragility_index, reverse_fragility_index

    a, n1, c, n2 = outcome.counts
    try:
        fi = fragility_index(a, n1, c, n2, alpha=alpha)
        res = fi if fi.significant else reverse_fragility_index(a, n1, c, n2, alpha=alpha)
    except ValueError as exc:
        return [f"The fragility index is not computed here: {exc}"], [
            dict(id="notes", prompt="How robust is the result?", kind="text")]
    name = "fragility index" if res.kind == "fragility" else "reverse fragility index"
    sig = "significant" if res.significant else "not significant"
    facts = [f"Fisher's exact test: {fmt_p(res.pvalue, alpha)}, {sig} at alpha = {alpha}."]
    if res.index is None:
        facts.append(f"The {name} is not reachable for these counts.")
    else:
        arm = trial.arm(res.modified_arm).label if res.modified_arm else "either arm"
        facts.append(f"The {name} is {res.index}: after changing the outcome of {res.index} "
                     f"patient(s) in the {arm} arm, Fisher's test gives {fmt_p(res.pvalue_after, alpha)}.")
    questions = [dict(id="significant", prompt="Is the result significant at the conventional level?",
                      kind="choice", options=YES_NO, library_answer="yes" if res.significant else "no",
                      explanation=f"Fisher's exact test: {fmt_p(res.pvalue, alpha)}.")]
    if res.index is not None:
        questions += [
            dict(id="index", prompt=f"The {name} (patients whose outcome would change)", kind="number",
                 library_answer=float(res.index), tolerance=0.0, explanation=f"The {name} is {res.index}."),
            dict(id="fragile", prompt=f"Is the result fragile (an index of {FRAGILE_MAX} or less)?",
                 kind="choice", options=YES_NO, library_answer="yes" if res.index <= FRAGILE_MAX else "no",
                 explanation=f"The {name} is {res.index}.")]
    questions.append(dict(id="notes", prompt="How robust is the result?", kind="text"))
    return facts, questions


def _bayes(trial, outcome, alpha):
    from .bayes import probability_of_benefit

    direction = "a lower risk" if outcome.event_is_bad else "a higher proportion"
    try:
        pob = probability_of_benefit(*outcome.counts, event_is_bad=outcome.event_is_bad, prior="flat")
    except ValueError as exc:
        return [f"The posterior is not computed here: {exc}"], [
            dict(id="notes", prompt="What would a sceptic conclude?", kind="text")]
    facts = [f"Benefit here means {direction} of the event ({outcome.event}) with {trial.treatment.label}.",
             f"Posterior probability of benefit with a flat prior: {fmt_pct(pob)}."]
    questions = [
        dict(id="pob", prompt="Probability of benefit with a flat prior, in percent", kind="number",
             library_answer=round(100 * pob, 1), tolerance=1.0, explanation=f"Flat prior: {fmt_pct(pob)}."),
        dict(id="above-95", prompt="Is that probability above 95%?", kind="choice", options=YES_NO,
             library_answer="yes" if pob > 0.95 else "no", explanation=f"Flat prior: {fmt_pct(pob, 2)}."),
        dict(id="notes", prompt="How would a sceptical prior change the reading?", kind="text")]
    return facts, questions


def _within(trial, outcome, alpha):
    from .cards.claims import resolve_claims
    from .design import zero_event_bound

    facts, questions = [], []
    targets = resolve_claims(trial)
    changes = [t.claim for t in targets if t.comparison == "within-arm"]
    for c in changes:
        p = f", {c.reported_p}" if c.reported_p else ""
        facts.append(f"Within-arm claim {c.id}: \u201c{c.text}\u201d about {c.measure or 'a measure'}{p}.")
    if changes:
        questions.append(dict(
            id="within", prompt="Does a change within the treated arm alone show that the treatment caused it?",
            kind="choice", options=YES_NO, library_answer="no",
            explanation=f"{len(changes)} within-arm claim(s); none compares the arms."))
    for t in targets:
        c, n = t.claim, t.denominator
        if t.kind != "zero-events":
            continue
        if n is None:
            facts.append(f"Zero-event claim {c.id}: \u201c{c.text}\u201d, with no denominator on the card.")
            continue
        bound = zero_event_bound(n)
        window = f" over {c.window}" if c.window else ""
        facts.append(f"Zero-event claim {c.id}: \u201c{c.text}\u201d among {n} patients{window}: exact "
                     f"upper 95% bound {fmt_pct(bound)} (rule of three: {fmt_pct(3 / n)}).")
        questions.append(dict(
            id=f"zero-{c.id}", prompt=f"Largest risk compatible with \u201c{c.text}\u201d (exact upper 95% bound, in percent)",
            kind="number", library_answer=round(100 * bound, 1), tolerance=0.5,
            explanation=f"Exact (Clopper-Pearson) upper 95% bound for 0 of {n}: {fmt_pct(bound)}."))
    for o in trial.outcomes:
        for arm, events, n in (("treatment", o.events_treat, o.n_treat), ("control", o.events_ctrl, o.n_ctrl)):
            if events == 0:
                facts.append(f"{o.label}: 0 events among {n} ({trial.arm(arm).label}); exact upper 95% "
                             f"bound {fmt_pct(zero_event_bound(n))}.")
    if not facts:
        facts.append("The card records no within-arm changes and no zero-event figures.")
    questions.append(dict(id="notes", prompt="What do the within-group and zero-event figures show?", kind="text"))
    return facts, questions


_SPIN = {"spin-in-conclusions", "nonsignificant-called-significant"}


def _registration(trial, outcome, alpha, assessment):
    from .registration import audit_registration

    audit = audit_registration(trial)
    facts = [e.explanation for e in audit.entries] or ["The card records no registry entry."]
    verdicts = {e.verdict for e in audit.entries}
    if not audit.entries:
        reg = "cannot tell"
    elif audit.any_prospective:
        reg = "yes"
    elif verdicts == {"retrospective"}:
        reg = "no"
    else:
        reg = "cannot tell"
    spin = [f for f in assessment.flags if f.code in _SPIN]
    facts += [f"{f.title} ({f.claim}): {f.message}" for f in spin]
    conclusions = [c for c in trial.claims if c.kind == "conclusion"]
    facts += [f"Conclusion {c.id}: \u201c{c.text}\u201d." for c in conclusions]
    questions = [
        dict(id="prospective", prompt="Was the trial registered before its first patient was enrolled?",
             kind="choice", options=("yes", "no", "cannot tell"), library_answer=reg,
             explanation="; ".join(f"{e.registry} {e.id}: {e.verdict}" for e in audit.entries)
             or "no registry entry on the card"),
        dict(id="spin", prompt="Do the conclusions or wording claim more than the comparisons support?",
             kind="choice", options=("yes", "no"), library_answer="yes" if spin else None,
             explanation=(f"{len(spin)} flag(s) on wording or conclusions." if spin else
                          "The library's rule-based checks raise no flag on wording; judge the conclusions yourself.")),
        dict(id="notes", prompt="Registration and spin: your notes", kind="text")]
    return facts, questions


def _bias(trial, outcome, alpha):
    from .rob2 import ROB2_DOMAINS, ROB2_JUDGEMENTS

    d = trial.design
    facts = [f"Allocation: {d.allocation}; blinding: {d.blinding}; control: {d.control}.",
             "Judge from the full paper and protocol where you can; an abstract rarely supports a "
             "judgement of low risk."]
    for arm in (trial.treatment, trial.control):
        rnd = "not reported" if arm.n_randomised is None else str(arm.n_randomised)
        facts.append(f"{arm.label}: randomised {rnd}, analysed {arm.n_analysed}.")
    questions = [dict(id=dom.lower(), prompt=f"{dom}. {spec['name']}: your judgement", kind="choice",
                      options=ROB2_JUDGEMENTS, library_answer=None,
                      explanation="Your judgement; the library applies the RoB 2 rule to all five.")
                 for dom, spec in ROB2_DOMAINS.items()]
    questions += [dict(id="overall", prompt="Overall risk of bias: your judgement", kind="choice",
                       options=ROB2_JUDGEMENTS),
                  dict(id="notes", prompt="Risk of bias: your reasons", kind="text")]
    return facts, questions


_USE_ASSESSMENT = {"forensics", "registration"}
_BUILDERS = {"design": _design, "recomputation": _recomputation, "forensics": _forensics,
             "power": _power, "fragility": _fragility, "bayes": _bayes, "within": _within,
             "registration": _registration, "bias": _bias}


def build_steps(trial, outcome, *, alpha=0.05) -> list[tuple]:
    """``(id, title, method, facts, question specs)`` for every step, in course order.

    Every claim is resolved and checked once (:func:`appraise.verdicts.assess`); the
    forensics and the registration-and-spin steps read that one assessment.
    """
    assessment = assess(trial)
    out = []
    for sid, title in STEPS:
        builder = _BUILDERS[sid]
        args = (trial, outcome, alpha, assessment) if sid in _USE_ASSESSMENT else (trial, outcome, alpha)
        facts, questions = builder(*args)
        out.append((sid, title, METHODS[sid], facts, questions))
    return out
