"""Exercises for lesson 1 (the trial's design): PICO, randomisation, flow of patients.

Every expected answer that depends on the trial, and every message about it, is computed
from its card, so the same questions work for any trial passed to
:func:`appraise.exercises.check`.
"""

from __future__ import annotations

from appraise.exercises import Question, register


def _follow_up_days(trial) -> int:
    days = trial.design.follow_up_days
    if days is None:
        raise ValueError(f"trial {trial.id!r} records no follow-up period (design.follow_up_days is None)")
    return days


def _follow_up_mistakes(trial):
    """The safety window of a zero-events claim, when it is stated in hours or days."""
    import re

    for claim in trial.claims:
        window = getattr(claim, "window", None) or ""
        m = re.match(r"\s*(\d+)\s*(hours?|h|days?)\b", window)
        if claim.kind == "zero-events" and m:
            value = int(m.group(1))
            days = value / 24 if m.group(2).startswith("h") else value
            yield days, (f"that is the window of the safety statement ({window}), not the follow-up")
            yield value, (f"that is the window of the safety statement ({window}), not the follow-up")


register(Question(
    id="lesson01-n-control",
    prompt="How many patients were analysed in the control arm?",
    answer=lambda trial: trial.control.n_analysed,
    kind="number",
    decimals=0,
    mistakes=lambda trial: [(trial.treatment.n_analysed,
                             f"that is the treatment arm ({trial.treatment.label}); the question asks "
                             f"about the control arm ({trial.control.label})"),
                            (sum(a.n_analysed for a in trial.arms), "that is both arms together")],
    feedback="Find the control arm's count of an outcome and its percentage: only one arm size turns "
             "the one into the other (section 5 of the lesson, the flow of patients).",
    hint="trial.control.n_analysed",
    explanation=lambda trial: f"{trial.control.n_analysed} patients were analysed in the "
                              f"{trial.control.label} arm.",
))

register(Question(
    id="lesson01-follow-up-days",
    prompt="For how many days were patients followed after treatment?",
    answer=_follow_up_days,
    kind="number",
    decimals=0,
    mistakes=_follow_up_mistakes,
    feedback="The Methods of the abstract state the follow-up; the design table records it as "
             "'follow-up'.",
    hint="trial.design.follow_up_days",
    explanation=lambda trial: f"patients were followed for {trial.design.follow_up_days} days; check "
                              "whether each claim (safety above all) covers that whole period.",
))

register(Question(
    id="lesson01-primary-outcome-stated",
    prompt="Does the abstract state a single primary outcome?",
    answer=lambda trial: trial.design.primary_outcome is not None,
    kind="bool",
    mistakes=lambda trial: [(trial.design.primary_outcome is None,
                             "the card's design records no primary outcome: several outcomes are "
                             "named, none of them as the main one"),
                            (trial.design.primary_outcome is not None,
                             f"the card records a primary outcome: {trial.design.primary_outcome}")],
    feedback="Look at the row 'primary outcome' of the design table: 'none stated' means the paper "
             "names none.",
    hint="trial.design.primary_outcome  (None means the paper states none)",
    explanation=lambda trial: (f"the primary outcome is {trial.design.primary_outcome}."
                               if trial.design.primary_outcome else
                               "several outcomes are named and none is declared primary, so no single "
                               "result can be the trial's main test."),
))

register(Question(
    id="lesson01-randomisation-limit",
    prompt=("What does randomisation NOT protect against? a) doctors steering sicker patients "
            "towards one arm; b) chance imbalance between two small arms; c) unknown confounders "
            "being systematically associated with treatment."),
    answer="b",
    kind="choice",
    choices=("a", "b", "c"),
    mistakes=[("a", "steering patients is a systematic bias, which random, concealed allocation removes"),
              ("c", "a systematic link between confounders and treatment is exactly what randomisation "
                    "breaks, for unknown confounders as for known ones")],
    feedback="Randomisation removes systematic differences; ask which of the three is not systematic.",
    explanation="randomisation removes systematic bias (a and c) but not chance: small arms can "
                "still differ at baseline.",
))
