"""Exercises for lesson 5 (fragility).

Answers are computed from the trial card with :mod:`appraise.fragility`, for the lesson's
outcome (``check(..., outcome=OUTCOME_ID)``, resolved by
:func:`appraise.cards.claims.lesson_outcome`).
"""

from __future__ import annotations

from appraise._format import p_phrase
from appraise.exercises import Question, register


def _reverse(outcome, alpha=0.05):
    from appraise.fragility import reverse_fragility_index

    result = reverse_fragility_index(*outcome.counts, alpha=alpha)
    if result.index is None:
        raise ValueError(f"no change in one arm makes the result for {outcome.id!r} significant "
                         f"at alpha = {alpha}")
    return result


def flips_text(outcome, result) -> str:
    """Plain words for the flips of a (reverse) fragility result: how many, which arm, which way.

    Examples
    --------
    >>> from appraise.trials import load_trial
    >>> from appraise.fragility import reverse_fragility_index
    >>> o = load_trial("mensc-secretome-covid19").outcome("intubation")
    >>> flips_text(o, reverse_fragility_index(*o.counts))
    '2 fewer patients intubated in the treatment arm (towards benefit)'
    """
    first, last = result.steps[0], result.steps[-1]
    column = 0 if result.modified_arm == "treatment" else 1
    change = last[column] - first[column]
    e_t, n_t, e_c, n_c = outcome.counts
    after_t = last[0] / n_t
    after_c = last[1] / n_c
    lower_with_treatment = after_t < after_c
    benefit = lower_with_treatment == outcome.event_is_bad
    noun = "patient" if abs(change) == 1 else "patients"
    return (f"{abs(change)} {'more' if change > 0 else 'fewer'} {noun} {outcome.event} in the "
            f"{result.modified_arm} arm (towards {'benefit' if benefit else 'harm'})")


register(Question(
    id="lesson05-reverse-fragility",
    prompt="What is the reverse fragility index of the lesson's outcome?",
    answer=lambda trial, outcome: _reverse(outcome).index,
    uses_outcome=True,
    kind="number",
    decimals=0,
    mistakes=lambda trial, outcome: [
        (_reverse(outcome, 0.10).index, "that is the index at a significance level of 0.10; the "
         "question uses 0.05")],
    feedback="Section 2 of the lesson prints the reverse fragility index and lists its steps, one "
             "flipped patient per row after the published table.",
    hint="ap.reverse_fragility_index(*outcome.counts).index",
    explanation=lambda trial, outcome: (
        f"with {flips_text(outcome, _reverse(outcome))}, Fisher's p would fall below 0.05: the "
        "verdict rests on very few patients."),
))

register(Question(
    id="lesson05-pvalue-after",
    prompt="What is the Fisher p-value after the flips of the reverse fragility index?",
    answer=lambda trial, outcome: _reverse(outcome).pvalue_after,
    uses_outcome=True,
    kind="number",
    decimals=3,
    percent=True,
    mistakes=lambda trial, outcome: [
        (_reverse(outcome).pvalue, "that is the p-value of the published table, before any flip"),
        *[(p, "that is the p-value of an intermediate step; the question asks for the last one")
          for _, _, p in _reverse(outcome).steps[1:-1]]],
    feedback="Section 2 of the lesson: the last line of the steps is the table after the final flip.",
    hint="ap.reverse_fragility_index(*outcome.counts).pvalue_after",
    explanation=lambda trial, outcome: (
        f"{p_phrase(_reverse(outcome).pvalue_after, digits=4)} after the last flip: the index stops at the first "
        "table whose p-value falls below 0.05."),
))


def _lost(trial, outcome) -> str:
    arms = trial.arms
    if any(arm.n_randomised is None for arm in arms):
        return "cannot tell"
    lost = sum(arm.n_randomised - arm.n_analysed for arm in arms)
    return "yes" if lost > _reverse(outcome).index else "no"


def _lost_explanation(trial, outcome) -> str:
    if any(arm.n_randomised is None for arm in trial.arms):
        return ("the card does not report how many were randomised, so the number lost cannot be known; "
                "that gap belongs in the appraisal.")
    lost = sum(arm.n_randomised - arm.n_analysed for arm in trial.arms)
    return (f"{lost} patients were randomised but not analysed, against a reverse fragility index of "
            f"{_reverse(outcome).index}.")


register(Question(
    id="lesson05-lost-to-follow-up",
    prompt="Were more patients lost to follow-up than the reverse fragility index?",
    answer=_lost,
    uses_outcome=True,
    kind="choice",
    choices=("yes", "no", "cannot tell"),
    mistakes=lambda trial, outcome: [
        (choice, "the card gives no number randomised for at least one arm, so the number lost is unknown")
        for choice in ("yes", "no") if any(arm.n_randomised is None for arm in trial.arms)],
    feedback="Section 4 of the lesson prints, for each arm, how many were randomised and how many analysed.",
    hint="[(arm.n_randomised, arm.n_analysed) for arm in trial.arms]",
    explanation=_lost_explanation,
))

register(Question(
    id="lesson05-alpha-010",
    prompt="What is the reverse fragility index at a significance level of 0.10?",
    answer=lambda trial, outcome: _reverse(outcome, alpha=0.10).index,
    uses_outcome=True,
    kind="number",
    decimals=0,
    mistakes=lambda trial, outcome: [
        (_reverse(outcome).index, "that is the index at 0.05; a laxer threshold can need fewer flips")],
    feedback="Section 5 of the lesson recomputes the reverse fragility index at three significance levels.",
    hint="ap.reverse_fragility_index(*outcome.counts, alpha=0.10).index",
    explanation=lambda trial, outcome: (
        f"{_reverse(outcome, 0.10).index} at 0.10 against {_reverse(outcome).index} at 0.05: the index "
        "depends on the threshold, not only on the data."),
))
