"""Exercises for lesson 7 (within-group changes, zero events).

The simulation question uses the lesson's model (:data:`MODEL`, seed 2022, 1000 trials,
arm sizes from the card).  Claims are resolved by :func:`appraise.cards.claims.resolve_claims`.
"""

from __future__ import annotations

from appraise._format import p_phrase
from appraise.exercises import Question, register

MODEL = dict(mean=100.0, sd_between=20.0, sd_within=15.0, enrol_above=110.0, recovery=10.0)
SEED = 2022
N_TRIALS = 1000


def _shares(trial) -> dict:
    from appraise.simulate import simulate_within_group_trials

    sim = simulate_within_group_trials(n_trials=N_TRIALS, n_treat=trial.treatment.n_analysed,
                                       n_ctrl=trial.control.n_analysed, seed=SEED, **MODEL)
    return sim.share_significant(alpha=0.05)


_SHARE_NAMES = {"within treatment arm": "the treated arm alone", "within control arm": "the control arm alone",
                "between arms (ANCOVA)": "the between-arm ANCOVA"}

register(Question(
    id="lesson07-share-both-arms",
    prompt="In the 1000 simulated trials with no treatment effect, what share had significant "
           "within-arm changes in both arms?",
    answer=lambda trial: _shares(trial)["within both arms"],
    kind="number",
    decimals=3,
    percent=True,
    mistakes=lambda trial: [(_shares(trial)[name], f"that is the share for {words}; the question asks "
                             "for both arms at once") for name, words in _SHARE_NAMES.items()],
    feedback="Section 2 of the lesson prints four shares for the 1000 simulated trials; the question "
             "asks for the line 'within both arms'.",
    hint='sim.share_significant(alpha=0.05)["within both arms"]',
    explanation=lambda trial: (
        f"{_shares(trial)['within both arms']:.1%}: natural recovery and regression to the mean move both "
        "arms, so within-arm significance says nothing about the treatment."),
))


def _below_005(text: str) -> bool:
    from appraise.consistency import parse_reported_p

    r = parse_reported_p(text)
    if r.relation in (">", ">="):
        return False
    return r.value < 0.05 or (r.relation in ("<", "<=") and r.value <= 0.05)


def _changes(trial):
    changes = [c for c in trial.claims if c.kind == "change" and c.reported_p]
    if not changes:
        raise ValueError(f"trial {trial.id!r} records no change claims with a p-value")
    return changes


def _not_significant(trial) -> int:
    return sum(1 for c in _changes(trial) if not _below_005(c.reported_p))


def _not_significant_text(trial) -> str:
    items = [f"{c.measure} ({c.reported_p})" for c in _changes(trial) if not _below_005(c.reported_p)]
    return ", ".join(items) or "none"


register(Question(
    id="lesson07-changes-not-significant",
    prompt="How many change claims report a p-value that is not below 0.05?",
    answer=_not_significant,
    kind="number",
    decimals=0,
    mistakes=lambda trial: [(len(_changes(trial)) - _not_significant(trial),
                             "that is the number whose p-value IS below 0.05")],
    feedback="Section 3 of the lesson parses each change claim's p-value; count those that are not "
             "below 0.05 (a bound such as 'P < 0.05' is below).",
    hint="ap.parse_reported_p(claim.reported_p) for each change claim",
    explanation=lambda trial: f"{_not_significant(trial)}: {_not_significant_text(trial)}.",
))


def _zero_target(trial):
    from appraise.cards.claims import resolve_claims

    for target in resolve_claims(trial):
        if target.check == "zero-events":
            return target
    raise ValueError(f"trial {trial.id!r} records no zero-events claim with a number of patients")


def _bound(trial, method):
    from appraise.design import zero_event_bound

    return zero_event_bound(_zero_target(trial).denominator, method=method)


register(Question(
    id="lesson07-exact-bound",
    prompt="Exact (two-sided Clopper-Pearson) upper 95% bound after zero adverse events?",
    answer=lambda trial: _bound(trial, "exact"),
    kind="number",
    decimals=4,
    percent=True,
    mistakes=lambda trial: [
        (_bound(trial, "rule_of_three"), "that is the rule-of-three value; the question asks for the "
                                         "exact two-sided bound"),
        (_bound(trial, "exact-one-sided"), "that is the one-sided exact bound; the question asks for "
                                           "the two-sided one")],
    feedback="Section 4 of the lesson prints three bounds; the question asks for the line 'exact'.",
    hint="ap.zero_event_bound(n)  with n the number of patients in the safety claim",
    explanation=lambda trial: (
        f"{_bound(trial, 'exact'):.4f}: 0 events in {_zero_target(trial).denominator} patients is "
        f"compatible with a risk of up to {_bound(trial, 'exact'):.0%}."),
))

register(Question(
    id="lesson07-rule-of-three",
    prompt="What does the rule of three give for the same claim?",
    answer=lambda trial: _bound(trial, "rule_of_three"),
    kind="number",
    decimals=4,
    percent=True,
    mistakes=lambda trial: [
        (_bound(trial, "exact"), "that is the exact two-sided bound; the rule of three is simply 3/n"),
        (_bound(trial, "exact-one-sided"), "that is the one-sided exact bound, which 3/n approximates")],
    feedback="The rule of three is 3 divided by the number of patients in the safety claim (section 4).",
    hint='ap.zero_event_bound(n, method="rule_of_three")',
    explanation=lambda trial: (
        f"3/{_zero_target(trial).denominator} = {_bound(trial, 'rule_of_three'):.4f}; 3/n approximates the "
        "one-sided 95% bound, so it sits a little below the two-sided exact bound."),
))


# ---------------------------------------------------------------------------- continuous outcomes

#: The invented within-vs-between example of section 5 (the seed abstract prints no means or
#: SDs): one baseline and follow-up mean and SD per arm, arm sizes from the card.
CHANGE_EXAMPLE = dict(mean_base=80.0, sd=30.0, mean_follow_treat=45.0, mean_follow_ctrl=60.0)
CHANGE_R = 0.5


def _grim_arm(trial):
    for o in trial.continuous_outcomes:
        arm = o.control
        if arm.mean is not None and arm.n:
            return o, arm
    raise ValueError(f"trial {trial.id!r} records no continuous outcome with a printed control-arm mean")


def _grim(trial):
    from appraise.continuous import grim

    _, arm = _grim_arm(trial)
    return grim(arm.mean, arm.n)


def _grim_total(trial) -> int:
    r = _grim(trial)
    if not r.consistent:
        raise ValueError(f"no whole-number total of {r.n} values gives the mean {r.mean}")
    low, high = r.totals
    if low != high:
        raise ValueError(f"{high - low + 1} totals give the mean {r.mean}: the question needs exactly one")
    return low


def _grim_mistakes(trial):
    from fractions import Fraction

    o, arm = _grim_arm(trial)
    total = _grim_total(trial)
    out = []
    for other in (total - 1, total + 1):
        mean = Fraction(other, arm.n)
        out.append((other, f"{other}/{arm.n} = {float(mean):.4f}, which does not print as {arm.mean}"))
    return out


register(Question(
    id="lesson07-grim-total",
    prompt="If the control arm's ages are whole years, what total do they add up to?",
    answer=_grim_total,
    kind="number",
    decimals=0,
    mistakes=_grim_mistakes,
    feedback=lambda trial: (
        f"Section 5 of the lesson: a mean of {_grim_arm(trial)[1].mean} from {_grim_arm(trial)[1].n} whole "
        "numbers means their total divided by the number of patients rounds to it; multiply, then find the "
        "whole number whose quotient prints as the mean."),
    hint=lambda trial: f'continuous.grim("{_grim_arm(trial)[1].mean}", {_grim_arm(trial)[1].n}).totals',
    explanation=lambda trial: (
        f"{_grim_total(trial)}: {_grim_total(trial)}/{_grim_arm(trial)[1].n} = "
        f"{_grim_total(trial) / _grim_arm(trial)[1].n:.4f}, which prints as {_grim_arm(trial)[1].mean}; "
        "no other total does. A printed mean that no whole-number total gives fails GRIM."),
))


def _change_figures(trial):
    e = CHANGE_EXAMPLE
    return (e["mean_base"], e["sd"], e["mean_follow_treat"], e["sd"], trial.treatment.n_analysed,
            e["mean_base"], e["sd"], e["mean_follow_ctrl"], e["sd"], trial.control.n_analysed)


def _at(trial, r):
    from appraise.continuous import between_from_within

    return between_from_within(*_change_figures(trial), correlation=(r, r))


register(Question(
    id="lesson07-between-p-at-half",
    prompt="In the worked example, what is the between-arm p of the change when the correlation is 0.50?",
    answer=lambda trial: _at(trial, CHANGE_R).pvalue_range.low,
    kind="number",
    decimals=3,
    percent=True,
    mistakes=lambda trial: [
        (_at(trial, CHANGE_R).pvalue_within_treat.low, "that is the treated arm's within-arm p; the question "
                                                       "asks for the comparison between the arms"),
        (_at(trial, CHANGE_R).pvalue_within_ctrl.low, "that is the control arm's within-arm p; the question "
                                                      "asks for the comparison between the arms"),
        (_at(trial, 0.0).pvalue_range.low, "that is the between-arm p at r = 0, where the slider starts; move "
                                           "it to 0.50")],
    feedback="Section 5 of the lesson: set the slider to r = 0.50 and read the first line of the table "
             "under it, 'between arms'.",
    hint="explorer.at(0.5).pvalue_range.low",
    explanation=lambda trial: (
        f"{_at(trial, CHANGE_R).pvalue_range.low:.3f}, while both arms' own changes give "
        f"{p_phrase(_at(trial, CHANGE_R).pvalue_within_treat.low, digits=4)} and "
        f"{p_phrase(_at(trial, CHANGE_R).pvalue_within_ctrl.low)}: each arm 'improved significantly', and the "
        "comparison that isolates the treatment did not reach 0.05."),
))
