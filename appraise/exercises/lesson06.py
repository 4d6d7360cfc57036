"""Exercises for lesson 6 (Bayesian reanalysis): answers from :mod:`appraise.bayes`, for
the lesson's outcome (``check(..., outcome=OUTCOME_ID)``, resolved by
:func:`appraise.cards.claims.lesson_outcome`)."""

from __future__ import annotations

from appraise._format import format_p
from appraise.exercises import Question, register

MARGIN = 0.10  # the clinically meaningful margin used in the lesson


def _benefit(outcome, **options):
    from appraise.bayes import probability_of_benefit

    return probability_of_benefit(*outcome.counts, event_is_bad=outcome.event_is_bad, **options)


def _fisher_p(outcome) -> float:
    from appraise.tests2x2 import tests_2x2

    return tests_2x2(*outcome.counts)["fisher"].pvalue


register(Question(
    id="lesson06-benefit-flat",
    prompt="Under a flat prior, what is the probability of any benefit?",
    answer=lambda trial, outcome: _benefit(outcome),
    uses_outcome=True,
    kind="number",
    decimals=2,
    percent=True,
    mistakes=lambda trial, outcome: [
        (1 - _benefit(outcome), "that is the probability of harm or no benefit, the complement"),
        (_benefit(outcome, margin=MARGIN), "that is the probability of a benefit of more than 10 points"),
        (_fisher_p(outcome), "that is the two-sided Fisher p-value, not a probability of benefit")],
    feedback="Section 3 of the lesson prints P(any benefit) under the flat prior.",
    hint="ap.probability_of_benefit(*outcome.counts, event_is_bad=outcome.event_is_bad)",
    explanation=lambda trial, outcome: (
        f"{_benefit(outcome):.3f} under a flat prior, beside a two-sided Fisher p of "
        f"{format_p(_fisher_p(outcome))}: the two answer different questions."),
))

register(Question(
    id="lesson06-benefit-meaningful",
    prompt="Under a flat prior, what is the probability of a benefit of more than 10 percentage points?",
    answer=lambda trial, outcome: _benefit(outcome, margin=MARGIN),
    uses_outcome=True,
    kind="number",
    decimals=2,
    percent=True,
    mistakes=lambda trial, outcome: [
        (_benefit(outcome), "that is the probability of any benefit; the question asks for more than 10 points")],
    feedback="Section 3 of the lesson prints P(benefit > 10%) beside P(any benefit).",
    hint="ap.probability_of_benefit(*outcome.counts, event_is_bad=outcome.event_is_bad, margin=0.10)",
    explanation=lambda trial, outcome: (
        f"{_benefit(outcome, margin=MARGIN):.3f}, lower than the {_benefit(outcome):.3f} for any benefit, "
        "as it must be: every benefit above 10 points is also a benefit."),
))

register(Question(
    id="lesson06-benefit-sceptical",
    prompt="Under the sceptical prior, what is the probability of any benefit?",
    answer=lambda trial, outcome: _benefit(outcome, prior="sceptical"),
    uses_outcome=True,
    kind="number",
    decimals=2,
    percent=True,
    mistakes=lambda trial, outcome: [
        (_benefit(outcome), "that is the flat prior's value; the question asks for the sceptical prior"),
        (_benefit(outcome, prior="enthusiastic"), "that is the enthusiastic prior's value")],
    feedback="Section 5 of the lesson prints P(any benefit) under the sceptical, flat and "
             "enthusiastic priors.",
    hint='ap.probability_of_benefit(*outcome.counts, event_is_bad=outcome.event_is_bad, prior="sceptical")',
    explanation=lambda trial, outcome: (
        f"{_benefit(outcome, prior='sceptical'):.3f}: the sceptical prior, worth 20 patients per arm "
        f"with no difference, pulls the risks together; {outcome.n_treat + outcome.n_ctrl} patients "
        "cannot fully overcome it."),
))

register(Question(
    id="lesson06-both-true",
    prompt="Why can 'P = 0.13' and 'a 95% probability of benefit under a flat prior' both be true?",
    answer="a",
    kind="choice",
    choices=("a", "b", "c"),
    mistakes=[("b", "both numbers recompute exactly from the counts; they answer different questions"),
              ("c", "the Bayesian analysis uses the same patients; a flat prior adds almost none")],
    feedback="Section 4 of the lesson lists three differences: direction (one or two sided), the "
             "conservatism of Fisher's test, and the prior.",
    explanation="the p-value is two-sided and from a conservative test; the posterior probability is "
                "about one direction and depends on the prior.",
))
