"""Exercises for lesson 2 (recompute the headline numbers).

The questions are about the lesson's outcome: the ``OUTCOME_ID`` of the lesson, passed as
``check(..., outcome=OUTCOME_ID)`` and resolved by
:func:`appraise.cards.claims.lesson_outcome` (the card's primary outcome when none is given).
"""

from __future__ import annotations

from appraise._format import format_p, p_phrase
from appraise.exercises import Question, register

TEST_CHOICES = ("fisher", "chi2", "chi2_yates", "barnard", "boschloo")


def _comparison(outcome):
    from appraise.proportions import compare_proportions

    return compare_proportions(*outcome.counts, event_is_bad=outcome.event_is_bad)


def _tests(outcome):
    from appraise.tests2x2 import tests_2x2

    return tests_2x2(*outcome.counts)


def _counts_text(outcome) -> str:
    e_t, n_t, e_c, n_c = outcome.counts
    return f"{e_t}/{n_t} vs {e_c}/{n_c}"


def _rd_mistakes(trial, outcome):
    e_t, n_t, e_c, n_c = outcome.counts
    cmp = _comparison(outcome)
    rr = cmp.risk_ratio.estimate
    yield e_t / n_t, "that is the treatment arm's risk alone; subtract the control arm's risk from it"
    yield e_c / n_c, "that is the control arm's risk alone; the question asks for the difference"
    if rr == rr and abs(rr) < 1e6:
        yield rr, "that is the risk ratio (a division); the risk difference is a subtraction"


register(Question(
    id="lesson02-risk-difference",
    prompt="What is the risk difference (treatment minus control), as a proportion?",
    answer=lambda trial, outcome: _comparison(outcome).risk_difference.estimate,
    uses_outcome=True,
    kind="number",
    decimals=3,
    percent=True,
    mistakes=_rd_mistakes,
    feedback="Section 3 of the lesson: risk = events / patients in each arm, then the treated arm's "
             "risk minus the control arm's. A reduction is negative.",
    hint="cmp.risk_difference.estimate",
    explanation=lambda trial, outcome: (
        f"for {outcome.label.lower()}, {_counts_text(outcome)} gives "
        f"{outcome.events_treat / outcome.n_treat:.3f} - {outcome.events_ctrl / outcome.n_ctrl:.3f} = "
        f"{_comparison(outcome).risk_difference.estimate:+.3f}."),
))


def _fisher_mistakes(trial, outcome):
    from appraise.tests2x2 import hypergeometric_table

    tests = _tests(outcome)
    hyper = hypergeometric_table(*outcome.counts)
    observed = hyper.loc[hyper["events_treat"] == outcome.events_treat, "probability"].iloc[0]
    yield observed, ("that is the probability of the observed table alone; add every table no more "
                     "likely than it (the rows marked as_or_more_extreme)")
    yield tests["chi2"].pvalue, "that is the chi-square p-value; the question asks for Fisher's"
    yield tests["chi2_yates"].pvalue, "that is the chi-square p-value with Yates' correction; the question asks for Fisher's"
    from appraise.tests2x2 import tests_2x2
    direction = "less" if outcome.event_is_bad else "greater"
    yield tests_2x2(*outcome.counts, alternative=direction)["fisher"].pvalue, (
        "that is the one-sided p-value (one tail only); the two-sided p-value adds the tables in both tails")


register(Question(
    id="lesson02-fisher-p",
    prompt="What is the two-sided Fisher exact p-value for the lesson's outcome?",
    answer=lambda trial, outcome: _tests(outcome)["fisher"].pvalue,
    uses_outcome=True,
    kind="number",
    decimals=3,
    mistakes=_fisher_mistakes,
    feedback="Section 4 of the lesson: in the table `hyper`, add the probabilities of every row marked "
             "True in the column as_or_more_extreme.",
    hint='hyper.loc[hyper["as_or_more_extreme"], "probability"].sum()',
    explanation=lambda trial, outcome: (
        f"summing the probabilities of the tables no more likely than {_counts_text(outcome)} gives "
        f"Fisher's two-sided {p_phrase(_tests(outcome)['fisher'].pvalue, digits=4)}."),
))


def _rr_mistakes(trial, outcome):
    cmp = _comparison(outcome)
    yield cmp.odds_ratio.estimate, "that is the odds ratio; the risk ratio divides the risks, not the odds"
    yield 1 / cmp.risk_ratio.estimate if cmp.risk_ratio.estimate else None, (
        "that is control over treatment; the question asks for treatment over control")
    yield cmp.risk_difference.estimate, "that is the risk difference (a subtraction); the ratio is a division"


register(Question(
    id="lesson02-risk-ratio",
    prompt="What is the risk ratio (treatment over control)?",
    answer=lambda trial, outcome: _comparison(outcome).risk_ratio.estimate,
    uses_outcome=True,
    kind="number",
    decimals=2,
    mistakes=_rr_mistakes,
    feedback="Section 3 of the lesson: divide the treated arm's risk by the control arm's risk.",
    hint="cmp.risk_ratio.estimate",
    explanation=lambda trial, outcome: (
        f"{outcome.events_treat / outcome.n_treat:.3f} / {outcome.events_ctrl / outcome.n_ctrl:.3f} = "
        f"{_comparison(outcome).risk_ratio.estimate:.3f}."),
))


def _smallest(outcome) -> str:
    tests = _tests(outcome)
    return min(TEST_CHOICES, key=lambda name: tests[name].pvalue)


register(Question(
    id="lesson02-smallest-p-test",
    prompt="Which of the five tests gives the smallest p-value for the lesson's outcome?",
    answer=lambda trial, outcome: _smallest(outcome),
    uses_outcome=True,
    kind="choice",
    choices=TEST_CHOICES,
    mistakes=lambda trial, outcome: [
        (name, f"its p-value is {format_p(_tests(outcome)[name].pvalue, digits=4)}, and another test gives a smaller one")
        for name in TEST_CHOICES],
    feedback="Section 5 of the lesson: read the p-value column of the table of five tests and find the "
             "smallest.",
    hint="min(tests, key=lambda name: tests[name].pvalue)",
    explanation=lambda trial, outcome: (
        f"{_smallest(outcome)} gives {p_phrase(_tests(outcome)[_smallest(outcome)].pvalue, digits=4)}; picking a test "
        "for its small p-value after seeing the data would be p-hacking."),
))
