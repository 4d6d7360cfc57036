"""Exercises for lesson 3 (do the reported numbers add up?).

What each claim refers to (its count, its denominator, its 2×2 counts) comes from
:func:`appraise.cards.claims.resolve_claims`, the one place that resolves claims.
"""

from __future__ import annotations

from appraise._format import p_phrase
from appraise.exercises import Question, register


def _targets(trial, check):
    from appraise.cards.claims import resolve_claims

    return [t for t in resolve_claims(trial) if t.check == check]


def _misfits(trial) -> list:
    from appraise.consistency import check_percentage

    return [t for t in _targets(trial, "percentage")
            if not check_percentage(t.claim.text, t.denominator, events=t.events).consistent]


def _first_misfit(trial):
    misfits = _misfits(trial)
    if not misfits:
        raise ValueError(f"every percentage on the card of trial {trial.id!r} fits its count")
    return misfits[0]


def _misfit_explanation(trial) -> str:
    from appraise.consistency import check_percentage

    t = _first_misfit(trial)
    return (f"the card pairs {t.claim.text} with {t.events} of {t.denominator}; "
            f"{check_percentage(t.claim.text, t.denominator).message}")


register(Question(
    id="lesson03-inconsistent-percentage",
    prompt="Which reported percentage cannot be produced by its count out of the arm it describes?",
    answer=lambda trial: _first_misfit(trial).claim.text,
    kind="text",
    mistakes=lambda trial: [(t.claim.text, f"it fits: {t.events}/{t.denominator} rounds to it")
                            for t in _targets(trial, "percentage") if t not in _misfits(trial)],
    feedback="Section 1 of the lesson: the table of percentages has a column 'fits'; type the one "
             "marked False exactly as printed, with its % sign, in quotes.",
    hint="ap.check_percentage(claim.text, n, events=k).consistent for each percentage claim",
    explanation=_misfit_explanation,
))


def _between(trial):
    targets = _targets(trial, "p-between-arms")
    if not targets:
        raise ValueError(f"trial {trial.id!r} reports no between-arm p-value for an outcome with counts")
    return targets[0]


def _reported_tests(trial):
    from appraise.tests2x2 import tests_2x2

    return tests_2x2(*_between(trial).counts)


def _fisher_mistakes(trial):
    tests = _reported_tests(trial)
    for name, label in (("chi2", "the chi-square p-value"), ("chi2_yates", "the Yates-corrected chi-square p-value"),
                        ("barnard", "Barnard's p-value"), ("boschloo", "Boschloo's p-value")):
        yield tests[name].pvalue, f"that is {label}; the question asks for Fisher's"


register(Question(
    id="lesson03-reported-outcome-fisher-p",
    prompt="What is the two-sided Fisher p-value for the outcome whose between-arm p-value is reported?",
    answer=lambda trial: _reported_tests(trial)["fisher"].pvalue,
    kind="number",
    decimals=3,
    percent=True,
    mistakes=_fisher_mistakes,
    feedback="Section 2 of the lesson: the table of recomputed p-values has one row per reported "
             "p-value; read its 'fisher' column.",
    hint="ap.check_reported_p(claim.text, *counts).pvalues['fisher']",
    explanation=lambda trial: (
        f"recomputed from {_between(trial).counts[0]}/{_between(trial).counts[1]} vs "
        f"{_between(trial).counts[2]}/{_between(trial).counts[3]}, Fisher's "
        f"{p_phrase(_reported_tests(trial)['fisher'].pvalue, digits=4)}, against the printed {_between(trial).claim.text!r}."),
))


def _bound(trial) -> float:
    from appraise.consistency import parse_reported_p

    return parse_reported_p(_between(trial).claim.text).value


def _tables_below(trial, bound=None) -> int:
    from appraise.tests2x2 import fisher_pvalue_table, hypergeometric_table

    counts = _between(trial).counts
    tables = hypergeometric_table(*counts)
    pvalues = fisher_pvalue_table(counts[1], counts[3])[tables["events_treat"], tables["events_ctrl"]]
    return int((pvalues < (_bound(trial) if bound is None else bound)).sum())


register(Question(
    id="lesson03-tables-below-reported-p",
    prompt="How many tables with the observed margins have a Fisher p-value below the printed bound?",
    answer=_tables_below,
    kind="number",
    decimals=0,
    mistakes=lambda trial: [(_tables_below(trial, 0.05), "that many tables are below 0.05; the question "
                             f"asks for the printed bound, {_bound(trial):g}")],
    feedback="Section 4 of the lesson: in the table `tables`, count the rows whose 'fisher p' is "
             "below the printed bound.",
    hint='int((tables["fisher p"] < bound).sum())',
    explanation=lambda trial: (f"{_tables_below(trial)} of the possible tables reach p < {_bound(trial):g}: "
                               "only the most lopsided splits."),
))


def _single(trial):
    targets = _targets(trial, "p-one-sample")
    if not targets:
        raise ValueError(f"trial {trial.id!r} reports no single-arm p-value with a count")
    return targets[0]


def _single_arm_p(trial, null=0.5) -> float:
    from appraise.consistency import check_reported_p_one_sample

    t = _single(trial)
    return check_reported_p_one_sample(t.claim.text, t.events, t.denominator, null=null).pvalues["binomial"]


register(Question(
    id="lesson03-single-arm-p",
    prompt="What is the exact binomial p-value of the single-arm claim against a null proportion of 50%?",
    answer=_single_arm_p,
    kind="number",
    decimals=3,
    percent=True,
    mistakes=lambda trial: [(_single_arm_p(trial, 0.3), "that is the p-value against a null of 30%; "
                                                         "the question asks for 50%")],
    feedback="Section 5 of the lesson: the first line printed for the single-arm claim gives the "
             "exact binomial p-value against 50%.",
    hint="consistency.check_reported_p_one_sample(claim.text, claim.events, claim.denominator).pvalues['binomial']",
    explanation=lambda trial: (f"{_single(trial).events}/{_single(trial).denominator} against 50% gives "
                               f"{p_phrase(_single_arm_p(trial), digits=4)}: unremarkable, so a small printed p needs "
                               "a hidden, much lower null proportion."),
))


# ---------------------------------------------------------------------------- the log-rank range

def _logrank_outcome(trial):
    outcomes = [o for o in trial.time_to_event if o.test is not None and o.test.p]
    if not outcomes:
        raise ValueError(f"trial {trial.id!r} records no time-to-event outcome with a printed test p-value")
    return outcomes[0]


def _one_more_death(trial) -> tuple[int, int, int, int]:
    o = _logrank_outcome(trial)
    if o.events_ctrl >= o.n_ctrl:
        raise ValueError(f"trial {trial.id!r}: every control patient of outcome {o.id!r} already died")
    return o.events_treat, o.n_treat, o.events_ctrl + 1, o.n_ctrl


def _logrank_range(counts):
    from appraise.survival import logrank_pvalue_range

    return logrank_pvalue_range(*counts)


def _logrank_mistakes(trial):
    o = _logrank_outcome(trial)
    card = _logrank_range(o.counts)
    more = _logrank_range(_one_more_death(trial))
    return [(card.low, f"that is the smallest p with the card's {o.events_ctrl} control deaths; the question "
                       f"asks for one more, {o.events_ctrl + 1}"),
            (more.high, "that is the largest p (the least extreme order of the deaths); the question asks "
                        "for the smallest")]


register(Question(
    id="lesson03-logrank-low-one-more-death",
    prompt="With one more control death, what is the smallest log-rank p over every order of the deaths?",
    answer=lambda trial: _logrank_range(_one_more_death(trial)).low,
    kind="number",
    decimals=4,
    percent=True,
    mistakes=_logrank_mistakes,
    feedback=lambda trial: (
        "Section 3 of the lesson: the first cell there computes the range from the card's deaths; run "
        f"it again with {_one_more_death(trial)[2]} control deaths instead of {_logrank_outcome(trial).events_ctrl} "
        "and read the smallest p (`low`)."),
    hint=lambda trial: "survival.logrank_pvalue_range({}, {}, {}, {}).low".format(*_one_more_death(trial)),
    explanation=lambda trial: (
        f"{_logrank_range(_one_more_death(trial)).low:.4f}: with {_one_more_death(trial)[2]} control deaths "
        f"even the most extreme order gives a log-rank p above the printed {_logrank_outcome(trial).test.p!r}, "
        "so the uncertain control count does not rescue it (under the same assumptions: distinct death "
        "times, no one censored before the end)."),
))
