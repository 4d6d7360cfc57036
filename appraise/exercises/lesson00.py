"""Exercises for lesson 0 (start here): reading the trial card.

Every expected answer and every message is computed from the trial card, so the same
questions work for any trial passed to :func:`appraise.exercises.check`.
"""

from __future__ import annotations

from appraise.exercises import Question, register


def _analysed(trial) -> int:
    return sum(arm.n_analysed for arm in trial.arms)


def _arms_text(trial) -> str:
    return " + ".join(f"{arm.n_analysed} in the {arm.label} arm" for arm in trial.arms)


def _analysed_mistakes(trial):
    t, c = trial.treatment, trial.control
    yield t.n_analysed, f"that is one arm only ({t.label}); add the other arm's {c.n_analysed}"
    yield c.n_analysed, f"that is one arm only ({c.label}); add the other arm's {t.n_analysed}"
    randomised = [arm.n_randomised for arm in trial.arms]
    if None not in randomised and sum(randomised) != _analysed(trial):
        yield sum(randomised), "that is the number randomised; the question asks how many were analysed"


register(Question(
    id="lesson00-analysed",
    prompt="How many patients were analysed in the two arms together?",
    answer=_analysed,
    kind="number",
    decimals=0,
    feedback="The table of arms in section 3 shows how many patients each arm analysed.",
    hint="sum(arm.n_analysed for arm in trial.arms)",
    mistakes=_analysed_mistakes,
    explanation=lambda trial: f"{_arms_text(trial)} = {_analysed(trial)} patients analysed.",
))


def _design_explanation(trial) -> str:
    d = trial.design
    if d.allocation == "randomised":
        ratio = f" ({d.ratio})" if getattr(d, "ratio", None) else ""
        return f"the card records the allocation as randomised{ratio}, as the authors describe it."
    return "the card records the allocation as not randomised."


register(Question(
    id="lesson00-design",
    prompt="Was the allocation randomised or non-randomised?",
    answer=lambda trial: trial.design.allocation,
    kind="choice",
    choices=("randomised", "non-randomised"),
    feedback="The design table of section 3 has a row 'allocation'; the abstract's Methods say the same.",
    hint="trial.design.allocation",
    explanation=_design_explanation,
))
