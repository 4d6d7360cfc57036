"""Exercises for lesson 9 (capstone): they work on any trial card.

The capstone's card is ``"huc-msc-covid19-shu2020"``; pass ``trial=`` to
:func:`appraise.exercises.check`.  The outcome is the lesson's ``OUTCOME_ID``
(``check(..., outcome=OUTCOME_ID)``), resolved by :func:`appraise.cards.claims.lesson_outcome`;
claims are resolved by :func:`appraise.cards.claims.resolve_claims`.
"""

from __future__ import annotations

from appraise._format import format_p, p_phrase
from appraise.exercises import Question, register


def _allocation_explanation(trial) -> str:
    if trial.design.allocation == "randomised":
        return ("the card records the allocation as randomised, as the authors describe it. Ask how the "
                "sequence was generated and concealed: a claim of randomisation with no method reported "
                "deserves doubt, and arms of very different sizes add to it.")
    return ("the card records the allocation as not randomised: a difference between arms may reflect "
            "who received the treatment rather than what it did.")


register(Question(
    id="lesson09-allocation",
    prompt="How does the card record the allocation: randomised or non-randomised?",
    answer=lambda trial: trial.design.allocation,
    kind="choice",
    choices=("randomised", "non-randomised"),
    feedback="Question 1 of the capstone prints the card's design; read the line 'allocation'.",
    hint="trial.design.allocation",
    explanation=_allocation_explanation,
))


def _tests(outcome):
    from appraise.tests2x2 import tests_2x2

    return tests_2x2(*outcome.counts)


def _reported_p_text(trial, outcome) -> str:
    from appraise.cards.claims import resolve_claims

    for target in resolve_claims(trial):
        if target.check == "p-between-arms" and target.outcome_id == outcome.id:
            return target.claim.text
    return "no p-value"


register(Question(
    id="lesson09-fisher-p",
    prompt="What is the two-sided Fisher exact p-value for the outcome?",
    answer=lambda trial, outcome: _tests(outcome)["fisher"].pvalue,
    uses_outcome=True,
    kind="number",
    decimals=3,
    percent=True,
    mistakes=lambda trial, outcome: [
        (_tests(outcome)[name].pvalue, f"that is the {label} p-value; the question asks for Fisher's")
        for name, label in (("chi2", "chi-square"), ("chi2_yates", "Yates-corrected chi-square"),
                            ("barnard", "Barnard"), ("boschloo", "Boschloo"))],
    feedback="Question 2 of the capstone: the comparison of the two arms lists five tests; Fisher's "
             "is the first.",
    hint='ap.compare_proportions(*outcome.counts).tests["fisher"].pvalue',
    explanation=lambda trial, outcome: (
        f"{p_phrase(_tests(outcome)['fisher'].pvalue, digits=4)}; the paper prints {_reported_p_text(trial, outcome)}. "
        "Compare them, and read the p-value beside the confidence interval."),
))


def _misfit(trial):
    from appraise.cards.claims import resolve_claims
    from appraise.consistency import check_percentage

    for target in resolve_claims(trial):
        if target.check == "percentage" and target.events is not None:
            result = check_percentage(target.claim.text, target.denominator)
            if target.events not in result.candidates:
                return target, result
    raise ValueError(f"trial {trial.id!r} has no percentage that contradicts its count")


def _misfit_explanation(trial) -> str:
    from appraise.cards.claims import resolve_claims
    from appraise.tests2x2 import tests_2x2

    target, result = _misfit(trial)
    text = (f"{target.claim.text} of {target.denominator} is {result.nearest_k}/{target.denominator}, "
            f"but the count printed beside it is {target.events}.")
    p_claims = [t for t in resolve_claims(trial)
                if t.check == "p-between-arms" and t.outcome_id == target.outcome_id]
    if p_claims and target.counts is not None:
        e_t, n_t, e_c, n_c = target.counts
        treat = target.arm == "treatment"
        other = (result.nearest_k, n_t, e_c, n_c) if treat else (e_t, n_t, result.nearest_k, n_c)
        p_count = tests_2x2(*target.counts)["fisher"].pvalue
        p_pct = tests_2x2(*other)["fisher"].pvalue
        text += (f" The printed {p_claims[0].claim.text} is closer to Fisher's p for the printed count "
                 f"({format_p(p_count)}) than for the count the percentage fits ({format_p(p_pct)}): the count is likely "
                 "right and the percentage the error."
                 if abs(p_count - _p_value(p_claims[0].claim.text)) <= abs(p_pct - _p_value(p_claims[0].claim.text))
                 else f" The printed {p_claims[0].claim.text} is closer to Fisher's p for the count the "
                      f"percentage fits ({format_p(p_pct)}) than for the printed count ({format_p(p_count)}): the count may be "
                      "the error.")
    return text


def _p_value(text: str) -> float:
    from appraise.consistency import parse_reported_p

    return parse_reported_p(text).value


register(Question(
    id="lesson09-hypertension-count",
    prompt="Which count out of the arm's patients does the printed percentage fit?",
    answer=lambda trial: _misfit(trial)[1].nearest_k,
    kind="number",
    decimals=0,
    mistakes=lambda trial: [(_misfit(trial)[0].events, "that is the count printed beside the percentage; "
                             "the question asks which count the percentage itself fits")],
    feedback="Question 3 of the capstone: a percentage of n patients is k/n; find the k that rounds to "
             "the printed figure.",
    hint="ap.check_percentage(text, n).nearest_k",
    explanation=_misfit_explanation,
))


def _zero_arm(outcome):
    for events, n, arm in ((outcome.events_treat, outcome.n_treat, "treatment"),
                           (outcome.events_ctrl, outcome.n_ctrl, "control")):
        if events == 0:
            return n, arm
    raise ValueError(f"outcome {outcome.id!r} has events in both arms")


def _zero_bound(outcome, method="exact") -> float:
    from appraise.design import zero_event_bound

    return zero_event_bound(_zero_arm(outcome)[0], method=method)


register(Question(
    id="lesson09-zero-deaths-bound",
    prompt="Exact upper 95% bound for the risk in the arm with zero events?",
    answer=lambda trial, outcome: _zero_bound(outcome),
    uses_outcome=True,
    kind="number",
    decimals=4,
    percent=True,
    mistakes=lambda trial, outcome: [
        (_zero_bound(outcome, "rule_of_three"), "that is the rule-of-three value; the question asks for "
                                                "the exact two-sided bound"),
        (_zero_bound(outcome, "exact-one-sided"), "that is the one-sided exact bound; the question asks "
                                                  "for the two-sided one")],
    feedback="Question 4 of the capstone: the exact bound for zero events in n patients, as in lesson 7.",
    hint="ap.zero_event_bound(n)",
    explanation=lambda trial, outcome: (
        f"{_zero_bound(outcome):.4f}: zero events among {_zero_arm(outcome)[0]} patients in the "
        f"{_zero_arm(outcome)[1]} arm cannot exclude a risk of {_zero_bound(outcome):.0%}."),
))
