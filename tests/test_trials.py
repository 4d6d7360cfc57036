"""Bundled trial cards: loading, every figure against the course's trial facts, the schema.

Expected values are copied from the course's trial-facts document (which records the
paper's abstract and tables); each is quoted beside the assertion.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import tomllib
from importlib.resources import files
from pathlib import Path

import jsonschema
import pytest

from appraise import trials
from appraise.trials import (CARD_FIELDS, CardValidationError, Trial, list_trials, load_trial,
                             validate_card)

SEED = "mensc-secretome-covid19"
CAPSTONE = "huc-msc-covid19-shu2020"


def test_list_trials():
    assert list_trials() == ["colchicine-covid19-grecco19", CAPSTONE, SEED]


@pytest.mark.parametrize("trial_id", [SEED, CAPSTONE])
def test_bundled_cards_are_valid(trial_id):
    assert validate_card(trial_id) == []
    trial = load_trial(trial_id)
    assert isinstance(trial, Trial)
    assert trial.id == trial_id
    assert trial.source_path == f"{trial_id}.toml"
    # every figure records where it comes from
    for item in (*trial.arms, *trial.outcomes, *trial.baseline, *trial.claims, *trial.continuous,
                 *trial.registrations):
        assert item.where.strip()
    assert trial.design.where.strip() and trial.dates.where.strip()


# ---- seed trial -------------------------------------------------------------------------

def test_seed_figures_match_trial_facts():
    t = load_trial(SEED)
    c = t.citation
    # facts: "Stem Cell Research & Therapy 2022;13:96. doi:10.1186/s13287-022-02771-w. PMID 35255966,
    # PMCID PMC8899458. Published online 2022-03-07. Licence CC BY 4.0."
    assert (c.journal, c.year, c.volume, c.pages) == ("Stem Cell Research & Therapy", 2022, "13", "96")
    assert (c.doi, c.pmid, c.pmcid, c.licence) == ("10.1186/s13287-022-02771-w", "35255966", "PMC8899458", "CC BY 4.0")
    assert c.authors[0] == "Fathi-Kazerooni M" and c.authors[-1] == "Kazemnejad S" and len(c.authors) == 8
    # facts: "Prospective, randomized 1:1, double-blind, placebo-controlled; labelled phase I & II."
    d = t.design
    assert (d.allocation, d.ratio, d.blinding, d.phase) == ("randomised", "1:1", "double-blind", "I/II")
    # facts: "Follow-up: 28 days after treatment." / "names no single primary outcome and no
    # sample-size calculation"
    assert d.follow_up_days == 28 and d.primary_outcome is None
    assert len(d.outcomes_named) == 7
    # facts: "Group sizes implied by the intubation counts: 14 treated, 15 control"; "does not
    # report how many were randomised"
    assert (t.treatment.n_analysed, t.control.n_analysed) == (14, 15)
    assert t.treatment.n_randomised is None and t.control.n_randomised is None
    # facts: "intubation within 28 days | treated 7 (50%), control 12 (80%) | 7/14 vs 12/15"
    assert t.outcome("intubation").counts == (7, 14, 12, 15) and t.outcome("intubation").event_is_bad
    # facts: "survival | 57% treated vs 28% control, P < 0.0001 | 8/14 = 57.1%" (control 4/15 closest)
    assert t.outcome("survival").counts == (8, 14, 4, 15) and not t.outcome("survival").event_is_bad
    texts = {cl.id: cl.text for cl in t.claims}
    assert texts["intubation-treat-pct"] == "50%" and texts["intubation-ctrl-pct"] == "80%"
    assert texts["survival-treat-pct"] == "57%" and texts["survival-ctrl-pct"] == "28%"
    assert texts["survival-p"] == "P < 0.0001" and t.claim("survival-p").comparison == "between-arms"
    # facts: "improved oxygen within 5 days | 64% of patients, P < 0.0001 | 9/14 = 64.3%"
    ox = t.claim("oxygen-p")
    assert (texts["oxygen-pct"], ox.text, ox.events, ox.denominator) == ("64%", "P < 0.0001", 9, 14)
    # facts: "adverse events | none attributable, observed up to 72 h after injection | 0 events"
    ae = t.claim("adverse-events")
    assert (ae.kind, ae.denominator, ae.window) == ("zero-events", 14, "72 hours after injection")
    # facts: CRP 77% P < 0.001; ferritin 43% P < 0.001; D-dimer 42% P < 0.05; CD4+ 20% P = 0.06
    # ("called a significant improvement"); CD8+ 15% P < 0.05 — all within-group changes
    changes = {cl.id: (cl.text, cl.reported_p, cl.comparison) for cl in t.claims if cl.kind == "change"}
    assert changes == {
        "crp-change": ("mean reduction of 77%", "P < 0.001", "within-arm"),
        "ferritin-change": ("mean reduction of 43%", "P < 0.001", "within-arm"),
        "d-dimer-change": ("mean reduction of 42%", "P < 0.05", "within-arm"),
        "cd4-change": ("mean increase of 20%", "P = 0.06", "within-arm"),
        "cd8-change": ("mean increase of 15%", "P < 0.05", "within-arm"),
    }
    assert t.claim("cd4-change").described_as == "significant improvement"
    # facts: pulmonary involvement P < 0.0001; survivors vs non-survivors P < 0.005 ("subgroup by outcome")
    assert t.claim("lung-involvement").reported_p == "P < 0.0001"
    assert (t.claim("lung-survivors").reported_p, t.claim("lung-survivors").comparison) == ("P < 0.005", "subgroup")


def test_seed_registrations_and_dates_match_trial_facts():
    t = load_trial(SEED)
    ct, irct = t.registrations
    # facts: "ClinicalTrials.gov NCT05019287, registered 2021-08-24; the abstract itself says
    # 'retrospectively registered' (and misspells the month)"
    assert (ct.registry, ct.id, ct.date, ct.date_format) == ("ClinicalTrials.gov", "NCT05019287", "2021-08-24", "YYYY-MM-DD")
    assert ct.paper_says_retrospective is True and ct.date_as_printed == "24AGUEST 2021"
    # facts: 'IRCT20180619040147N6, registered "04/01/2021". IRCT writes dates as dd/mm/yyyy'
    assert (irct.registry, irct.id, irct.date, irct.date_format) == ("IRCT", "IRCT20180619040147N6", "04/01/2021", "DD/MM/YYYY")
    # facts: "study start 2021-04-17; completion 2021-06-09"; "publication 2022-03-07"
    assert t.dates.start == dt.date(2021, 4, 17)
    assert t.dates.completion == dt.date(2021, 6, 9)
    assert t.dates.publication == dt.date(2022, 3, 7)


# ---- capstone trial ---------------------------------------------------------------------

def test_capstone_figures_match_trial_facts():
    t = load_trial(CAPSTONE)
    # facts: "Shu L, et al. ... Stem Cell Research & Therapy 2020;11:361. doi:10.1186/s13287-020-01875-5."
    c = t.citation
    assert (c.journal, c.year, c.volume, c.pages, c.doi) == (
        "Stem Cell Research & Therapy", 2020, "11", "361", "10.1186/s13287-020-01875-5")
    assert c.short() == "Shu L et al. Stem Cell Research & Therapy 2020"
    # facts: "individually randomized" (preprint, Methods), data "collected retrospectively",
    # no randomisation method or ratio reported; 12 patients received hUC-MSC, 29 controls
    d = t.design
    assert (d.allocation, d.data_collection, d.randomisation_method, d.ratio) == (
        "randomised", "retrospective", None, None)
    assert "'individually randomized'" in d.allocation_as_reported
    assert "collected retrospectively" in d.allocation_as_reported
    assert "non-randomised" not in t.short_title
    assert t.design.blinding == "not reported"        # the facts say nothing about blinding
    assert (t.treatment.n_analysed, t.control.n_analysed) == (12, 29)
    # facts: "conducted 2020-02-12 to 2020-03-25"
    assert (t.dates.start, t.dates.completion, t.dates.publication) == (dt.date(2020, 2, 12), dt.date(2020, 3, 25), None)
    # facts give no registration: none is invented
    assert t.registrations == ()
    # facts: "Day-28 mortality: 0/12 vs 3/29, reported P = 0.543"
    m = t.outcome("mortality-day28")
    assert m.counts == (0, 12, 3, 29) and m.event_is_bad and m.event == "died by day 28"
    assert t.claim("mortality-p").text == "P = 0.543"
    assert t.claim("mortality-p").comparison == "between-arms"
    # facts: "male sex 8/12 (66.67%) vs 16/29 (55.17%), P = 0.794; diabetes 3/12 (25%) vs
    # 5/29 (17.24%), P = 0.672; hypertension reported as 3 (33.33%) of 12 vs 6 (20.69%) of 29, P = 1.000"
    assert t.characteristic("male-sex").counts == (8, 12, 16, 29)
    assert t.counts_for("diabetes") == (3, 12, 5, 29)
    assert t.counts_for("hypertension") == (3, 12, 6, 29)
    pct = {(cl.outcome, cl.arm): (cl.text, cl.events, cl.denominator) for cl in t.claims if cl.kind == "percentage"}
    assert pct == {
        ("male-sex", "treatment"): ("66.67%", 8, 12), ("male-sex", "control"): ("55.17%", 16, 29),
        ("diabetes", "treatment"): ("25%", 3, 12), ("diabetes", "control"): ("17.24%", 5, 29),
        ("hypertension", "treatment"): ("33.33%", 3, 12), ("hypertension", "control"): ("20.69%", 6, 29),
    }
    pvals = {cl.outcome: cl.text for cl in t.claims if cl.kind == "p-value"}
    assert pvals == {"mortality-day28": "P = 0.543", "male-sex": "P = 0.794",
                     "diabetes": "P = 0.672", "hypertension": "P = 1.000"}
    # facts: "age mean (SD) 61.00 (17.87) vs 57.86 (15.79), P = 0.576"
    age = t.continuous[0]
    assert (age.id, age.statistic, age.treatment, age.control, age.reported_p) == (
        "age", "mean_sd", (61.0, 17.87), (57.86, 15.79), "P = 0.576")
    # facts: "Time to clinical improvement, median (IQR) days: 9.0 (6.0, 13.0) vs 14.0 (9.5, 21.0), P = 0.006"
    tci = t.continuous[1]
    assert (tci.statistic, tci.treatment, tci.control, tci.reported_p, tci.unit) == (
        "median_iqr", (9.0, 6.0, 13.0), (14.0, 9.5, 21.0), "P = 0.006", "days")


def test_capstone_hypertension_percentage_is_inconsistent_with_its_count():
    # facts: "3/12 is 25%, not 33.33%": the card keeps the printed text and the printed count
    claim = load_trial(CAPSTONE).claim("hypertension-treat-pct")
    assert round(100 * claim.events / claim.denominator, 2) == 25.0
    assert claim.text == "33.33%"


# ---- loading by path, errors naming the argument ----------------------------------------

def test_load_by_path_str_and_pathlib(tmp_path):
    copy = tmp_path / "my-card.toml"
    shutil.copy(files("appraise.cards").joinpath(f"{SEED}.toml"), copy)
    by_path = load_trial(copy)
    by_str = load_trial(str(copy))
    bundled = load_trial(SEED)
    assert by_path.source_path == str(copy)
    assert by_path.outcomes == bundled.outcomes == by_str.outcomes
    assert by_path.claims == bundled.claims


def test_trial_is_frozen():
    trial = load_trial(SEED)
    with pytest.raises(AttributeError):
        trial.id = "x"


@pytest.mark.parametrize("bad", [3, None, b"mensc-secretome-covid19", ["x.toml"]])
def test_wrong_argument_type(bad):
    with pytest.raises(TypeError, match="trial must be") as info:
        load_trial(bad)
    assert repr(bad) in str(info.value)
    with pytest.raises(TypeError):
        validate_card(bad)


def test_unknown_id_names_value_and_lists_bundled_ids():
    with pytest.raises(ValueError) as info:
        load_trial("mensc-secretome")
    message = str(info.value)
    assert "'mensc-secretome'" in message and SEED in message and CAPSTONE in message
    assert "Did you mean 'mensc-secretome-covid19'?" in message
    assert not isinstance(info.value, CardValidationError)


def test_missing_file_names_value_and_lists_bundled_ids(tmp_path):
    missing = tmp_path / "nope.toml"
    for arg in (missing, str(missing)):
        with pytest.raises(FileNotFoundError) as info:
            load_trial(arg)
        assert str(missing) in str(info.value) and SEED in str(info.value)
    with pytest.raises(FileNotFoundError):
        validate_card(missing)


def test_directory_and_empty_string(tmp_path):
    with pytest.raises(ValueError, match="is a directory, not a file") as info:
        load_trial(tmp_path)
    assert str(tmp_path) in str(info.value)
    with pytest.raises(ValueError, match="got ''"):
        load_trial("")


def test_outcome_and_characteristic_lookup_errors_name_the_id():
    t = load_trial(CAPSTONE)
    with pytest.raises(KeyError, match="'nope'.*'mortality-day28'"):
        t.outcome("nope")
    with pytest.raises(KeyError, match="'nope'.*'male-sex'"):
        t.characteristic("nope")
    with pytest.raises(KeyError, match="'nope'"):
        t.counts_for("nope")


# ---- JSON Schema -------------------------------------------------------------------------

def _schema() -> dict:
    return json.loads(files("appraise.cards").joinpath("schema.json").read_text(encoding="utf-8"))


def _as_json(value):
    """A parsed card as JSON data: TOML dates become ISO strings."""
    if isinstance(value, dict):
        return {k: _as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_json(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def test_schema_is_valid_draft_2020_12():
    schema = _schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize("trial_id", [SEED, CAPSTONE])
def test_bundled_cards_validate_against_schema(trial_id):
    data = tomllib.loads(files("appraise.cards").joinpath(f"{trial_id}.toml").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(_schema(), format_checker=jsonschema.FormatChecker())
    assert [e.message for e in validator.iter_errors(_as_json(data))] == []


def test_schema_rejects_what_python_rejects_for_shape():
    bad = Path(__file__).parent / "bad_cards"
    validator = jsonschema.Draft202012Validator(_schema())
    # (float-count.toml is left out: JSON Schema counts 2.0 as an integer; the Python
    # validator is stricter and rejects it.)
    for name in ("unknown-key.toml", "bool-count.toml", "bad-allocation.toml",
                 "missing-field.toml", "deeply-nested-junk.toml", "huge-number.toml", "negative-count.toml"):
        data = _as_json(tomllib.loads((bad / name).read_text(encoding="utf-8")))
        assert list(validator.iter_errors(data)), name


def test_schema_and_python_validator_agree_on_keys():
    schema = _schema()
    sections = {"card": schema, **schema["$defs"]}
    assert set(sections) == set(CARD_FIELDS)
    for name, spec in CARD_FIELDS.items():
        section = sections[name]
        assert set(section["properties"]) == set(spec), name
        assert set(section["required"]) == {k for k, f in spec.items() if f.required}, name
        assert section["additionalProperties"] is False, name
        for key, prop in section["properties"].items():
            assert prop.get("description", "").strip(), f"{name}.{key} has no description"
            choices = spec[key].choices
            if choices is not None:
                assert tuple(prop["enum"]) == choices, f"{name}.{key}"


def test_every_documented_field_is_in_the_docs():
    docs = (Path(__file__).parents[1] / "docs" / "trial-cards.md").read_text(encoding="utf-8")
    for name, spec in CARD_FIELDS.items():
        for key in spec:
            assert f"`{key}`" in docs, f"{name}.{key} is not documented"
    assert "python -m appraise validate" in docs
    assert "TRIAL_ID" in docs and "OUTCOME_ID" in docs


def test_limits_are_as_documented():
    assert trials.MAX_CARD_BYTES == 1_048_576
    assert trials.MAX_COUNT == 10_000_000


# ---- design facts: true, false or not reported ---------------------------------------------------

@pytest.mark.parametrize("written, expected", [("true", True), ("false", False), (None, None)])
def test_design_facts_are_tri_state(tmp_path, written, expected):
    from appraise.cards.model import stated

    text = (Path(__file__).parent / "bad_cards" / "float-count.toml").read_text(encoding="utf-8")
    text = text.replace("events_treat = 2.0", "events_treat = 2")
    facts = ("sample_size_calculation", "multiplicity_adjustment", "blinding_participants",
             "blinding_personnel", "blinding_assessors")
    if written is not None:
        text = text.replace('where = "Abstract, Methods"',
                            'where = "Abstract, Methods"\n' + "\n".join(f"{f} = {written}" for f in facts), 1)
    card = tmp_path / "facts.toml"
    card.write_text(text, encoding="utf-8")
    design = load_trial(card).design
    for fact in facts:
        assert getattr(design, fact) is expected, fact
    assert stated(design.sample_size_calculation) == {True: "yes", False: "no", None: "not reported"}[expected]


def test_design_fact_must_be_a_boolean(tmp_path):
    text = (Path(__file__).parent / "bad_cards" / "float-count.toml").read_text(encoding="utf-8")
    text = text.replace("events_treat = 2.0", "events_treat = 2").replace(
        'where = "Abstract, Methods"', 'where = "Abstract, Methods"\nblinding_assessors = "yes"', 1)
    card = tmp_path / "facts.toml"
    card.write_text(text, encoding="utf-8")
    (err,) = validate_card(card)
    assert (err.path, err.reason) == ("design.blinding_assessors", "must be true or false, got 'yes' (a string)")
