"""Exercises for lesson 8 (registration, outcomes, spin, RoB 2).

The RoB 2 answer key is :func:`appraise.rob2.rob2_answer_key` (re-exported here for the
lessons); the outcome is the lesson's ``OUTCOME_ID`` (``check(..., outcome=OUTCOME_ID)``),
resolved by :func:`appraise.cards.claims.lesson_outcome`.
"""

from __future__ import annotations

from appraise.exercises import Question, register
from appraise.rob2 import RoB2Key, rob2_answer_key  # noqa: F401  (re-exported for the lessons)


def _audit(trial):
    from appraise.registration import audit_registration

    if not trial.registrations:
        raise ValueError(f"trial {trial.id!r} records no registration")
    return audit_registration(trial)


def _late(trial):
    late = [e for e in _audit(trial).entries if e.verdict == "retrospective" and e.days_after_completion]
    if not late:
        raise ValueError(f"trial {trial.id!r} has no retrospective registration with a completion date")
    return late[0]


def _days_after_completion(trial) -> int:
    return _late(trial).days_after_completion[0]


register(Question(
    id="lesson08-days-after-completion",
    prompt="How many days after completion was the retrospective registry record made?",
    answer=_days_after_completion,
    kind="number",
    decimals=0,
    mistakes=lambda trial: [(abs(e.days_to_start[0]), "that is the number of days after the study "
                             "STARTED; the question asks after completion")
                            for e in _audit(trial).entries
                            if e.verdict == "retrospective" and e.days_to_start],
    feedback="Section 2 of the lesson: the audit's sentence for the retrospective record gives the days "
             "after the study was completed.",
    hint="[e.days_after_completion for e in audit.entries if e.verdict == 'retrospective']",
    explanation=lambda trial: (f"{_days_after_completion(trial)} days: the {_late(trial).registry} record "
                               "was made after the trial had finished; it documents the trial but cannot "
                               "show what was planned."),
))


def _irct_verdict(trial) -> str:
    for entry in _audit(trial).entries:
        if entry.registry == "IRCT":
            return entry.verdict
    raise ValueError(f"trial {trial.id!r} has no IRCT registration")


register(Question(
    id="lesson08-irct-verdict",
    prompt="Was the IRCT record prospective, retrospective, ambiguous or unknown?",
    answer=_irct_verdict,
    kind="choice",
    choices=("prospective", "retrospective", "ambiguous", "unknown"),
    mistakes=[("ambiguous", "the date is ambiguous, but the verdict is not when both readings fall on "
                            "the same side of the start date"),
              ("retrospective", "compare each reading of the IRCT date with the start date")],
    feedback="Section 2 of the lesson: the audit sets both readings of the IRCT date against the "
             "study's start date.",
    hint="[e.verdict for e in audit.entries if e.registry == 'IRCT']",
    explanation="both readings of the ambiguous date fall before the start, so the verdict "
                "does not depend on the reading.",
))

register(Question(
    id="lesson08-who-primary",
    prompt="Which registry is a WHO primary registry: IRCT or ClinicalTrials.gov?",
    answer="IRCT",
    kind="choice",
    choices=("IRCT", "ClinicalTrials.gov"),
    mistakes=[("ClinicalTrials.gov", "ClinicalTrials.gov supplies records to the WHO platform and is "
                                     "accepted by journals, but it is not a WHO primary registry")],
    feedback="Section 1 of the lesson lists examples of WHO primary registries.",
    explanation="the Iranian Registry of Clinical Trials is a WHO primary registry; "
                "ClinicalTrials.gov supplies records to the WHO platform but is not one.",
))


def _key(trial, outcome):
    key = rob2_answer_key(trial, outcome.id)
    if key is None:
        raise ValueError(f"there is no RoB 2 answer key for outcome {outcome.id!r} of trial {trial.id!r}")
    return key


def _d5_answers(trial, outcome) -> str:
    return ", ".join(f"{q} {a}" for q, a in _key(trial, outcome).answers["D5"].items())


register(Question(
    id="lesson08-rob-d5",
    prompt="In the answer key, what is the RoB 2 judgement for domain 5?",
    answer=lambda trial, outcome: _key(trial, outcome).judgements["D5"],
    uses_outcome=True,
    kind="choice",
    choices=("low", "some concerns", "high"),
    mistakes=lambda trial, outcome: [
        ("high", f"the key answers {_d5_answers(trial, outcome)}; 'high' needs a yes or probably yes at "
                 "5.2 or 5.3, and those questions are about several measurements or analyses of THIS "
                 "outcome, not about the trial's many other outcomes"),
        ("low", f"the key answers {_d5_answers(trial, outcome)}; 'low' needs a pre-specified plan (5.1 yes) "
                "and no at both 5.2 and 5.3")],
    feedback="Section 5 of the lesson prints the key's reason for each domain; domain 5 judges the "
             "selection of this one result.",
    hint="rob2_answer_key(trial, OUTCOME_ID).judgements['D5']",
    explanation=lambda trial, outcome: (
        f"{_key(trial, outcome).judgements['D5']}: the key answers {_d5_answers(trial, outcome)}."),
))
