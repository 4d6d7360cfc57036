"""What each claim refers to (appraise.cards.claims), outcome direction and tri-state facts.

Expected counts come from the course's trial-facts document (quoted beside each value);
NNTs are recomputed here exactly with fractions, a different method from the library's floats.
"""

from __future__ import annotations

import dataclasses
from fractions import Fraction

import pytest

from appraise.cards import claims as claims_mod
from appraise.cards.claims import (CHECKS, ClaimTarget, lesson_outcome, percentage_target,
                                   reported_p_checks, resolve_claim, resolve_claims)
from appraise.cards.model import stated
from appraise.trials import list_trials, load_trial

SEED = "mensc-secretome-covid19"
CAPSTONE = "huc-msc-covid19-shu2020"


@pytest.mark.parametrize("trial_id", list_trials())
def test_every_claim_of_every_bundled_card_resolves(trial_id):
    trial = load_trial(trial_id)
    targets = resolve_claims(trial)
    assert [t.claim for t in targets] == list(trial.claims)
    for t in targets:
        assert isinstance(t, ClaimTarget)
        assert t.kind == t.claim.kind
        assert t.check in CHECKS or t.check is None
        # a target either says which check applies or why none does, never both
        assert (t.check is None) == bool(t.reason)
        if t.counts is not None:
            assert t.counts == trial.counts_for(t.outcome_id)
        if t.check == "percentage":
            assert t.denominator is not None
        if t.check == "p-between-arms":
            assert t.counts is not None and t.p_text
        assert resolve_claim(trial, t.claim.id) == t == resolve_claim(trial, t.claim)


def test_seed_survival_p_resolves_to_its_counts():
    # facts: survival "57% treated vs 28% control, P < 0.0001"; implied counts 8/14 vs 4/15
    t = resolve_claim(load_trial(SEED), "survival-p")
    assert (t.check, t.comparison, t.outcome_id, t.counts) == (
        "p-between-arms", "between-arms", "survival", (8, 14, 4, 15))
    assert t.p_text == "P < 0.0001"


def test_seed_percentages_resolve_to_count_and_arm_size():
    trial = load_trial(SEED)
    # facts: intubation "treated 7 (50%), control 12 (80%)": 7/14 vs 12/15
    got = {c.id: percentage_target(trial, c) for c in trial.claims if c.kind == "percentage"}
    assert got["intubation-treat-pct"] == (7, 14) and got["intubation-ctrl-pct"] == (12, 15)
    # facts: survival 8/14 = 57.1%; the control's 28% is checked against the 15 controls (4/15)
    assert got["survival-treat-pct"] == (8, 14) and got["survival-ctrl-pct"] == (4, 15)
    # facts: improved oxygen "64% of patients", 9/14 = 64.3% (the card's own count)
    assert got["oxygen-pct"] == (9, 14)


def test_seed_checks_per_claim():
    trial = load_trial(SEED)
    checks = {t.claim.id: t.check for t in resolve_claims(trial)}
    assert checks["adverse-events"] == "zero-events"
    assert checks["oxygen-p"] == "p-one-sample"          # facts: 9/14 vs 0.5, group unnamed
    for lab in ("crp-change", "ferritin-change", "d-dimer-change", "cd4-change", "cd8-change",
                "lung-involvement"):
        assert checks[lab] == "within-group", lab
    assert checks["conclusion-first"] == "wording"
    # a subgroup p-value (survivors vs non-survivors) has no counts on the card
    t = resolve_claim(trial, "lung-survivors")
    assert t.check is None and "subgroup" in t.reason
    zero = resolve_claim(trial, "adverse-events")
    assert (zero.events, zero.denominator) == (0, 14)


def test_capstone_baseline_claims_are_baseline_comparisons():
    trial = load_trial(CAPSTONE)
    t = resolve_claim(trial, "male-p")
    # capstone facts: male 8/12 vs 16/29, "P = 0.794"
    assert (t.comparison, t.check, t.counts) == ("baseline", "p-between-arms", (8, 12, 16, 29))
    t = resolve_claim(trial, "mortality-p")
    assert (t.comparison, t.counts) == ("between-arms", (0, 12, 3, 29))


def test_reported_p_checks_match_the_resolution():
    trial = load_trial(SEED)
    rows = reported_p_checks(trial)
    assert [(c.id, chk.consistent) for c, *_, chk in rows] == [("oxygen-p", False), ("survival-p", False)]
    (_, _, outcome, n, chk) = rows[1]
    # facts: survival 8/14 vs 4/15, Fisher exact p = 0.1394 (scipy 1.17)
    assert outcome.counts == (8, 14, 4, 15) and n is None
    assert round(float(chk.pvalues["fisher"]), 4) == 0.1394


def _card_with(trial, claim):
    return dataclasses.replace(trial, claims=(claim,))


def test_claim_without_any_denominator_resolves_as_not_checkable():
    trial = load_trial(SEED)
    bare = dataclasses.replace(trial.claim("oxygen-pct"), arm=None, events=None, denominator=None,
                               outcome=None, comparison="not stated")
    t = resolve_claim(_card_with(trial, bare), bare)
    assert t.check is None and t.denominator is None and "no number of patients" in t.reason
    assert percentage_target(_card_with(trial, bare), bare) == (None, None)
    zero = dataclasses.replace(trial.claim("adverse-events"), arm=None, denominator=None)
    t = resolve_claim(_card_with(trial, zero), zero)
    assert t.check is None and "no number of patients" in t.reason
    p = dataclasses.replace(trial.claim("survival-p"), outcome=None)
    t = resolve_claim(_card_with(trial, p), p)
    assert t.check is None and t.counts is None and t.reason
    one = dataclasses.replace(trial.claim("oxygen-p"), events=None)
    t = resolve_claim(_card_with(trial, one), one)
    assert t.check is None and "single-arm" in t.reason


def test_resolve_claim_bad_arguments():
    trial = load_trial(SEED)
    with pytest.raises(ValueError, match="claim_or_id 'nope'.*'survival-p'"):
        resolve_claim(trial, "nope")
    with pytest.raises(TypeError, match="claim_or_id must be.*got 3"):
        resolve_claim(trial, 3)
    with pytest.raises(TypeError, match="trial must be a Trial"):
        resolve_claims("mensc-secretome-covid19")


def test_lesson_outcome_is_one_definition():
    seed, capstone = load_trial(SEED), load_trial(CAPSTONE)
    # no outcome is marked primary on the seed card: the first outcome
    assert lesson_outcome(seed).id == "intubation"
    assert lesson_outcome(seed, "survival").id == "survival"
    assert lesson_outcome(capstone).id == "mortality-day28"
    marked = dataclasses.replace(seed, outcomes=(seed.outcomes[0],
                                                 dataclasses.replace(seed.outcomes[1], primary=True)))
    assert lesson_outcome(marked).id == "survival"
    named = dataclasses.replace(seed, design=dataclasses.replace(seed.design, primary_outcome="Survival"))
    assert lesson_outcome(named).id == "survival"
    with pytest.raises(ValueError, match="outcome_id 'death'.*'intubation', 'survival'"):
        lesson_outcome(seed, "death")
    with pytest.raises(TypeError, match="outcome_id must be"):
        lesson_outcome(seed, 1)


def test_flags_use_the_claims_module():
    from appraise import flags

    assert flags.percentage_target is claims_mod.percentage_target
    assert flags.reported_p_checks is claims_mod.reported_p_checks


# ---- outcomes carry their direction -----------------------------------------------------------

def test_compare_reads_survival_as_benefit():
    # facts: survival 8/14 vs 4/15; survival is a good event, more of it with treatment is benefit.
    # NNTB = 1 / (8/14 - 4/15) = 210/64 = 3.28125, computed exactly here.
    cmp = load_trial(SEED).compare("survival")
    assert cmp.nnt.kind == "benefit"
    assert float(cmp.nnt.estimate) == pytest.approx(float(1 / (Fraction(8, 14) - Fraction(4, 15))), rel=1e-12)
    assert cmp.nnt.text.startswith("NNTB 3.3")


def test_compare_reads_intubation_as_benefit():
    # facts: intubation 7/14 vs 12/15; a bad event, fewer with treatment is benefit.
    # NNTB = 1 / (12/15 - 7/14) = 10/3
    trial = load_trial(SEED)
    cmp = trial.compare("intubation", confidence_level=0.9)
    assert cmp.nnt.kind == "benefit"
    assert float(cmp.nnt.estimate) == pytest.approx(float(Fraction(10, 3)), rel=1e-12)
    assert "90% CI" in cmp.nnt.text
    # the event direction is the card's: passing the opposite by hand reads harm
    from appraise.proportions import compare_proportions
    assert compare_proportions(7, 14, 12, 15, event_is_bad=False).nnt.kind == "harm"


def test_compare_bad_outcome_id():
    trial = load_trial(SEED)
    with pytest.raises(ValueError, match="outcome_id 'death'.*'intubation', 'survival'"):
        trial.compare("death")
    with pytest.raises(TypeError, match="outcome_id must be"):
        trial.compare(None)


# ---- unknown is not "no" ------------------------------------------------------------------------

def test_stated():
    assert (stated(True), stated(False), stated(None)) == ("yes", "no", "not reported")
    with pytest.raises(TypeError, match="value must be True, False or None.*got 0"):
        stated(0)


@pytest.mark.parametrize("trial_id", [SEED, CAPSTONE])
def test_unstated_design_facts_are_not_reported(trial_id):
    d = load_trial(trial_id).design
    # neither paper's abstract (as recorded) states these facts either way
    for fact in ("sample_size_calculation", "multiplicity_adjustment", "blinding_participants",
                 "blinding_personnel", "blinding_assessors"):
        assert getattr(d, fact) is None, fact
        assert stated(getattr(d, fact)) == "not reported"
