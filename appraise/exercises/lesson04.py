"""Exercises for lesson 4 (sample size and p-values).

The observed risks of the lesson's outcome (``check(..., outcome=OUTCOME_ID)``, resolved
by :func:`appraise.cards.claims.lesson_outcome`) are taken as the true risks.
"""

from __future__ import annotations

from appraise.exercises import Question, register

#: The plausible true effect of lesson 4: a 10-point risk difference in the benefit direction.
PLAUSIBLE_EFFECT = 0.10


def _risks(outcome):
    e_t, n_t, e_c, n_c = outcome.counts
    return e_t / n_t, e_c / n_c, n_t, n_c


def _power(outcome, *, equal_arms=False, test="fisher") -> float:
    from appraise.power import power_two_proportions

    r_t, r_c, n_t, n_c = _risks(outcome)
    return power_two_proportions(r_t, r_c, n_treat=n_t, n_ctrl=n_t if equal_arms else n_c, test=test)


def _n_for(power: float, test="fisher"):
    def answer(trial, outcome) -> int:
        from appraise.power import sample_size_two_proportions

        r_t, r_c, _, _ = _risks(outcome)
        return sample_size_two_proportions(r_t, r_c, power=power, test=test)
    return answer


register(Question(
    id="lesson04-power-observed",
    prompt="What was the exact power of Fisher's test at the trial's arm sizes for the observed risks?",
    answer=lambda trial, outcome: _power(outcome),
    uses_outcome=True,
    kind="number",
    decimals=2,
    percent=True,
    mistakes=lambda trial, outcome: [
        (_power(outcome, equal_arms=True), f"that is the power with two equal arms of {outcome.n_treat} "
         "(the power chart); the question asks for the trial's own arm sizes"),
        (_power(outcome, test="normal"), "that is the normal approximation; the question asks for the "
         "exact power of Fisher's test")],
    feedback="Section 2 of the lesson prints the exact power of Fisher's test at the trial's own arm sizes.",
    hint="ap.power_two_proportions(risk_t, risk_c, n_treat=n_t, n_ctrl=n_c)",
    explanation=lambda trial, outcome: (
        f"{_power(outcome):.2f}: even if the observed risks were the truth, a trial of {outcome.n_treat} "
        f"vs {outcome.n_ctrl} would reach p < 0.05 only that often. Remember that power at the observed "
        "effect only restates the p-value; plan with an effect chosen in advance."),
))

register(Question(
    id="lesson04-n-80",
    prompt="How many patients per arm give at least 80% exact power for the observed risks?",
    answer=_n_for(0.8),
    uses_outcome=True,
    kind="number",
    decimals=0,
    mistakes=lambda trial, outcome: [
        (_n_for(0.8, "normal")(trial, outcome), "that is the normal approximation; the question asks "
         "for the exact Fisher calculation"),
        (2 * _n_for(0.8)(trial, outcome), "that is both arms together; the question asks per arm"),
        (_n_for(0.9)(trial, outcome), "that is the size for 90% power")],
    feedback="Section 4 of the lesson: the table gives the number per arm for 80% and 90% power, "
             "exact (Fisher) and approximate.",
    hint="ap.sample_size_two_proportions(risk_t, risk_c, power=0.8)",
    explanation=lambda trial, outcome: (
        f"{_n_for(0.8)(trial, outcome)} per arm is the smallest size whose exact Fisher power reaches "
        f"80%, against the trial's {outcome.n_treat} and {outcome.n_ctrl}."),
))

register(Question(
    id="lesson04-n-90",
    prompt="How many patients per arm give at least 90% exact power for the observed risks?",
    answer=_n_for(0.9),
    uses_outcome=True,
    kind="number",
    decimals=0,
    mistakes=lambda trial, outcome: [
        (_n_for(0.9, "normal")(trial, outcome), "that is the normal approximation; the question asks "
         "for the exact Fisher calculation"),
        (2 * _n_for(0.9)(trial, outcome), "that is both arms together; the question asks per arm"),
        (_n_for(0.8)(trial, outcome), "that is the size for 80% power")],
    feedback="Section 4 of the lesson: the table gives the number per arm for 80% and 90% power.",
    hint="ap.sample_size_two_proportions(risk_t, risk_c, power=0.9)",
    explanation=lambda trial, outcome: (
        f"{_n_for(0.9)(trial, outcome)} per arm: 90% power needs still more patients than 80%."),
))


def _retro(outcome):
    from appraise.design import retrodesign_from_counts

    effect = -PLAUSIBLE_EFFECT if outcome.event_is_bad else PLAUSIBLE_EFFECT
    return retrodesign_from_counts(effect, *outcome.counts)


register(Question(
    id="lesson04-type-m",
    prompt=("If the true risk difference were 10 points in favour of treatment, by what factor would a "
            "significant estimate exaggerate it on average (Type M)?"),
    answer=lambda trial, outcome: _retro(outcome).type_m,
    uses_outcome=True,
    kind="number",
    decimals=1,
    mistakes=lambda trial, outcome: [
        (_retro(outcome).type_s, "that is the Type S error (wrong sign); the question asks for Type M"),
        (_retro(outcome).power, "that is the power; the question asks for Type M")],
    feedback="Section 5 of the lesson prints power, Type S and Type M for a true 10-point difference; "
             "Type M is the factor followed by 'x'.",
    hint="ap.retrodesign_from_counts(plausible, *outcome.counts).type_m  (plausible = -0.10 for a bad event)",
    explanation=lambda trial, outcome: (
        f"about {_retro(outcome).type_m:.1f} times: a significant estimate from a trial of "
        f"{outcome.n_treat} vs {outcome.n_ctrl} would exaggerate a plausible 10-point effect that much."),
))
