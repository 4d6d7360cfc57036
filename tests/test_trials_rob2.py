"""The ``[[rob2]]`` section of a trial card: RoB 2 teaching keys, checked with field paths."""

from __future__ import annotations

import json
import tomllib
from importlib.resources import files

import jsonschema
import pytest

from appraise.rob2 import RoB2Key, rob2_answer_key
from appraise.trials import CardValidationError, load_trial, validate_card

SEED = "mensc-secretome-covid19"
SEED_TEXT = files("appraise.cards").joinpath(f"{SEED}.toml").read_text(encoding="utf-8")


def _card(tmp_path, text, name="card.toml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _errors(tmp_path, text):
    return [(e.path, e.reason) for e in validate_card(_card(tmp_path, text))]


def test_seed_card_key_loads_as_written():
    key = load_trial(SEED).rob2[0]
    assert isinstance(key, RoB2Key) and key.outcome_id == "intubation" and key.where == "Abstract"
    # the answers as written in the card's [rob2.Dx] tables
    raw = tomllib.loads(SEED_TEXT)["rob2"][0]
    assert key.answers == {d: raw[d]["answers"] for d in ("D1", "D2", "D3", "D4", "D5")}
    assert key.answers["D2"] == {"2.1": "PN", "2.2": "PN", "2.6": "NI", "2.7": "NI"}
    assert key.basis.startswith("Judged from the abstract alone, which RoB 2 is not meant for")
    for domain, text in key.explanations.items():
        assert text == f"{raw[domain]['rationale']} {raw['basis']}"
    assert key.as_mapping()["Overall"] == key.overall == "high"
    assert rob2_answer_key(load_trial(SEED), "intubation") == key


def test_no_key_is_none_and_bad_arguments_are_errors():
    seed = load_trial(SEED)
    assert rob2_answer_key(seed, "survival") is None                  # an outcome with no key
    assert load_trial("huc-msc-covid19-shu2020").rob2 == ()
    with pytest.raises(ValueError, match=r"outcome_id must name an outcome .*'nope'"):
        rob2_answer_key(seed, "nope")
    with pytest.raises(TypeError, match="trial must be a Trial"):
        rob2_answer_key("mensc-secretome-covid19", "intubation")


def test_schema_accepts_the_seed_key_and_rejects_a_bad_answer():
    schema = json.loads(files("appraise.cards").joinpath("schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    key = tomllib.loads(SEED_TEXT)["rob2"][0]
    card = {**tomllib.loads(SEED_TEXT), "dates": {"where": "x"}, "rob2": [key]}
    assert list(validator.iter_errors(card)) == []
    bad = json.loads(json.dumps(key))
    bad["D1"]["answers"]["1.1"] = "maybe"
    assert list(validator.iter_errors({**card, "rob2": [bad]}))
    bad = json.loads(json.dumps(key))
    bad["D1"]["answers"]["1.1"] = "NA"             # 1.1 is not conditional
    assert list(validator.iter_errors({**card, "rob2": [bad]}))


@pytest.mark.parametrize("old, new, path, reason", [
    ('"1.1" = "NI"', '"1.1" = "maybe"', "rob2[0].D1.answers.1.1",
     "must be one of 'Y', 'PY', 'PN', 'N', 'NI'; got 'maybe'"),
    ('"1.1" = "NI"', '"1.1" = "NA"', "rob2[0].D1.answers.1.1",
     "must be one of 'Y', 'PY', 'PN', 'N', 'NI'; got 'NA'"),
    ('"3.2" = "N"', '"3.2" = "NI"', "rob2[0].D3.answers.3.2",       # Box 8: 3.2 has no NI
     "must be one of 'Y', 'PY', 'PN', 'N', 'NA'; got 'NI'"),
    ('"1.1" = "NI"', '"1.1" = "NI", "9.9" = "Y"', "rob2[0].D1.answers.9.9", "unknown key '9.9'"),
    (', "2.7" = "NI"', '', "rob2[0].D2.answers",                    # 2.6 NI: the algorithm asks 2.7
     "no RoB 2 judgement can be derived: D2: question 2.7 must be answered (Y, PY, PN, N, NI) for this "
     "judgement; it applies if 2.6 is N/PN/NI; got None"),
    ('"1.1" = "NI"', '"1.1" = "NI", "2.1" = "Y"', "rob2[0].D1.answers",
     "no RoB 2 judgement can be derived: answers for D1 must use the question numbers 1.1, 1.2, 1.3; "
     "got question '2.1'"),
    ('outcome = "intubation"', 'outcome = "intubation-day7"', "rob2[0].outcome",
     "names no outcome of this card, got 'intubation-day7'"),
    ('[rob2.D5]', '[rob2.D6]', "rob2[0].D6", "unknown key 'D6'"),
])
def test_bad_key_is_a_card_error_with_its_path(tmp_path, old, new, path, reason):
    section = SEED_TEXT.index("[[rob2]]")
    assert old in SEED_TEXT[section:]
    text = SEED_TEXT[:section] + SEED_TEXT[section:].replace(old, new, 1)
    errors = _errors(tmp_path, text)
    assert any(p == path and reason in r for p, r in errors), errors
    with pytest.raises(CardValidationError, match=path.replace("[", r"\[").replace("]", r"\]")):
        load_trial(_card(tmp_path, text))


def test_missing_domain_one_key_per_outcome_and_randomised_only(tmp_path):
    section = SEED_TEXT.index("[[rob2]]")
    key_text = SEED_TEXT[section:]
    without_d3 = key_text[:key_text.index("[rob2.D3]")] + key_text[key_text.index("[rob2.D4]"):]
    assert ("rob2[0].D3", "required table is missing") in _errors(tmp_path, SEED_TEXT[:section] + without_d3)
    twice = SEED_TEXT + "\n" + key_text
    assert ("rob2[1].outcome", "rob2[0] already keys outcome 'intubation'; one key per outcome") \
        in _errors(tmp_path, twice)
    design = SEED_TEXT.index('allocation = "randomised"')
    not_randomised = SEED_TEXT[:design] + 'allocation = "non-randomised"' + \
        SEED_TEXT[design + len('allocation = "randomised"'):]
    errors = _errors(tmp_path, not_randomised)
    assert ("rob2", "RoB 2 judges randomised trials only; design.allocation is 'non-randomised'") in errors
