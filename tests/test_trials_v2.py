"""Card format 2: time-to-event and continuous outcomes, version 1 cards unchanged.

Figures of the example card are the course's trial facts: the seed trial's deaths "6 of 14
and 11 of 15" with complete 28-day follow-up and "57% vs 28%, P < 0.0001" survival; the
capstone's age "61.00 +/- 17.87 (12) vs 57.86 +/- 15.79 (29), P = 0.576" (Table 1).
"""

from __future__ import annotations

import datetime as dt
import json
import tomllib
from importlib.resources import files

import jsonschema
import pytest

from appraise.cards.claims import resolve_claim, resolve_claims
from appraise.cards.model import ArmSummary, ContinuousOutcome, TimeToEventOutcome
from appraise.trials import CardValidationError, list_trials, load_trial, validate_card

V2_CARD = '''
schema_version = 2
id = "format-two-example"
short_title = "Format 2 example built from the course's trial facts (14 vs 15)"

[citation]
authors = ["Example A", "Example B"]
title = "A card in format 2"
journal = "Journal of Examples"
year = 2022
doi = "10.1000/example.2"

[design]
allocation = "randomised"
blinding = "double-blind"
blinding_participants = true
control = "placebo"
population = "Adults"
intervention = "Drug X"
comparator = "Placebo"
where = "Abstract, Methods"

[[arms]]
role = "treatment"
label = "Drug X"
n_analysed = 14
where = "Abstract"

[[arms]]
role = "control"
label = "Placebo"
n_analysed = 15
where = "Abstract"

[[outcomes]]
id = "intubation"
label = "Intubation within 28 days"
event = "intubated"
event_is_bad = true
events_treat = 7
n_treat = 14
events_ctrl = 12
n_ctrl = 15
where = "Abstract, Results"

[[outcomes]]
id = "survival"
kind = "time-to-event"
label = "Survival to day 28"
event = "death"
event_is_bad = true
events_treat = 6
n_treat = 14
events_ctrl = 11
n_ctrl = 15
follow_up_days = 28
censored_before_end = false
km = [{ time_days = 28, treat = "57%", ctrl = "28%", where = "Abstract, Results" }]
test = { p = "P < 0.0001", where = "Abstract, Results" }
hazard_ratio = { estimate = "0.45", low = "0.17", high = "1.20", level = "95%", where = "made up for the test" }
where = "Abstract, Results"

[[outcomes]]
id = "age"
kind = "continuous"
label = "Age"
timing = "baseline"
unit = "years"
treatment = { n = 12, mean = "61.00", sd = "17.87", where = "Table 1" }
control = { n = 15, mean = "57.86", sd = "15.79", where = "Table 1" }
p_between = "P = 0.576"
where = "Table 1"

[[claims]]
id = "survival-treat-pct"
kind = "percentage"
text = "57%"
outcome = "survival"
arm = "treatment"
where = "Abstract, Results"

[[claims]]
id = "survival-p"
kind = "p-value"
text = "P < 0.0001"
outcome = "survival"
comparison = "between-arms"
where = "Abstract, Results"

[[claims]]
id = "age-p"
kind = "p-value"
text = "P = 0.576"
outcome = "age"
comparison = "between-arms"
where = "Table 1"
'''


@pytest.fixture
def v2_path(tmp_path):
    path = tmp_path / "format-two-example.toml"
    path.write_text(V2_CARD, encoding="utf-8")
    return path


def test_format_two_card_loads(v2_path):
    assert validate_card(v2_path) == []
    trial = load_trial(v2_path)
    assert trial.schema_version == 2
    assert [o.id for o in trial.outcomes] == ["intubation"]          # binary, as in format 1
    (surv,) = trial.time_to_event
    assert isinstance(surv, TimeToEventOutcome)
    # facts: 6 of 14 and 11 of 15 deaths, complete 28-day follow-up
    assert surv.counts == (6, 14, 11, 15) and surv.follow_up_days == 28
    assert surv.censored_before_end is False
    assert (surv.km[0].time_days, surv.km[0].treat, surv.km[0].ctrl) == (28, "57%", "28%")
    assert surv.test.p == "P < 0.0001" and surv.test.name is None
    assert (surv.hazard_ratio.estimate, surv.hazard_ratio.low, surv.hazard_ratio.high) == ("0.45", "0.17", "1.20")
    (age,) = trial.continuous_outcomes
    assert isinstance(age, ContinuousOutcome) and age.timing == "baseline"
    # printed strings keep their decimals: "61.00", not 61.0
    assert age.treatment == ArmSummary(n=12, mean="61.00", sd="17.87", where="Table 1")
    assert [o.id for o in trial.all_outcomes] == ["intubation", "survival", "age"]
    assert trial.counts_for("survival") == (6, 14, 11, 15)
    assert trial.design.blinding_participants is True and trial.design.blinding_assessors is None


def test_claims_about_format_two_outcomes_resolve(v2_path):
    trial = load_trial(v2_path)
    targets = {t.claim.id: t for t in resolve_claims(trial)}
    pct = targets["survival-treat-pct"]
    # a printed survival percentage is a Kaplan-Meier estimate, not deaths / n
    assert (pct.check, pct.denominator, pct.events) == ("km-percentage", 14, None)
    p = targets["survival-p"]
    assert (p.check, p.counts) == ("p-logrank", (6, 14, 11, 15))
    age = resolve_claim(trial, "age-p")
    assert (age.check, age.counts, age.outcome_id) == ("p-continuous", None, "age")


def test_format_two_card_matches_the_json_schema():
    schema = json.loads(files("appraise.cards").joinpath("schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    assert [e.message for e in validator.iter_errors(tomllib.loads(V2_CARD))] == []
    bad = tomllib.loads(V2_CARD.replace('timing = "baseline"', 'timing = "later"'))
    assert list(validator.iter_errors(bad))


@pytest.mark.parametrize("trial_id", list_trials())
def test_version_one_cards_load_unchanged(trial_id):
    raw = tomllib.loads(files("appraise.cards").joinpath(f"{trial_id}.toml").read_text(encoding="utf-8"))
    trial = load_trial(trial_id)
    assert trial.schema_version == raw["schema_version"]
    if raw["schema_version"] == 1:
        assert trial.time_to_event == () and trial.continuous_outcomes == ()
        assert [o.id for o in trial.outcomes] == [o["id"] for o in raw["outcomes"]]
        assert all(o.kind == "binary" for o in trial.outcomes)


def _errors(tmp_path, text):
    path = tmp_path / "card.toml"
    path.write_text(text, encoding="utf-8")
    return [(e.path, e.reason) for e in validate_card(path)]


@pytest.mark.parametrize("old, new, path, fragment", [
    ("schema_version = 2", "schema_version = 1", "outcomes[1].kind",
     "a time-to-event outcome needs schema_version = 2"),
    ('estimate = "0.45"', 'estimate = "1.45"', "outcomes[1].hazard_ratio",
     "low <= estimate <= high, got estimate 1.45"),
    ('low = "0.17", ', "", "outcomes[1].hazard_ratio", "an interval needs both low and high"),
    ('estimate = "0.45"', 'estimate = "-0.45"', "outcomes[1].hazard_ratio.estimate", "must be > 0"),
    ('treat = "57%"', 'treat = "most"', "outcomes[1].km[0].treat", "cannot be read as a percentage"),
    ("time_days = 28", "time_days = 29", "outcomes[1].km[0].time_days",
     "must be <= outcomes[1].follow_up_days (28), got 29"),
    ('p = "P < 0.0001"', 'p = "NS"', "outcomes[1].test.p", "cannot be read as a p-value"),
    ('mean = "61.00"', 'mean = "61,00"', "outcomes[2].treatment.mean", "got '61,00'"),
    ('sd = "17.87"', 'sd = "-17.87"', "outcomes[2].treatment.sd", "must be >= 0"),
    ('mean = "61.00", sd = "17.87", ', 'sd = "17.87", ', "outcomes[2].treatment", "needs a mean or a median"),
    ("n = 15, mean", "n = 16, mean", "outcomes[2].control.n", "must be <= arms[1].n_analysed (15)"),
    ('p_between = "P = 0.576"', 'p_between = "P = 1e-30"', "outcomes[2].p_between", "prints 30 decimals"),
    ('timing = "baseline"', 'timing = "baseline"\nscale_min = 0\nscale_max = 60',
     "outcomes[2].treatment.mean", "must lie on the scale (0 to 60), got 61.00"),
    ('mean = "57.86", sd = "15.79"', 'median = "57", q1 = "60", q3 = "70"', "outcomes[2].control",
     "q1 <= median <= q3"),
    ('kind = "continuous"', 'kind = "ordinal"', "outcomes[2].kind", "must be one of"),
])
def test_bad_format_two_outcomes(tmp_path, old, new, path, fragment):
    assert V2_CARD.count(old) == 1, old
    errors = _errors(tmp_path, V2_CARD.replace(old, new))
    assert any(p == path and fragment in r for p, r in errors), errors


def test_a_card_needs_a_binary_outcome(tmp_path):
    text = V2_CARD.replace('id = "intubation"\nlabel', 'id = "intubation"\nkind = "continuous"\nlabel')
    errors = _errors(tmp_path, text)
    assert ("outcomes", "a card needs at least one binary [[outcomes]] table (the lessons analyse "
                        "a binary outcome)") in errors
    with pytest.raises(CardValidationError):
        load_trial(tmp_path / "card.toml")


def test_dates_still_toml_dates():
    # format 2 changes outcomes only: the rest of the card reads as in format 1
    assert isinstance(load_trial("mensc-secretome-covid19").dates.start, dt.date)
