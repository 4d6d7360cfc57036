"""RoB 2 judgement algorithms against decision tables transcribed from the guidance.

Source of every table: Higgins JPT, Savović J, Page MJ, Sterne JAC (eds). Revised
Cochrane risk-of-bias tool for randomized trials (RoB 2), detailed guidance of
22 August 2019 (riskofbias.info): the suggested algorithm drawn for each domain (domain
4: "Table 12 and Figure 5", p. 54) and the criteria tables; Sterne JAC et al.
BMJ 2019;366:l4898, Table 2 (overall judgement).  The same branches are encoded, as
code, in the CoRATES checklist app (InfinityBowman/corates,
packages/shared/src/checklists/rob2/scoring.ts, rules D1.R1-D5.R4).

Each table row is one path through the algorithm figure: a pattern per signalling
question, then the judgement at the end of the path.  Pattern "-" means the path does
not reach the question (any answer, "NA" or none).  The tables are evaluated by plain
pattern matching, independently of appraise.rob2's if/else trees; every row set is
checked to be exclusive (no answer set matches two rows) and exhaustive (every
complete answer set matches one row).
"""

from __future__ import annotations

import itertools

import pytest

from appraise import rob2
from appraise.rob2 import ROB2_DOMAINS, rob2_domain_judgement, rob2_overall

L, SC, H = "low", "some concerns", "high"
MISSING = object()          # question left out of the answers mapping

PATTERNS = {
    "Y/PY": {"Y", "PY"},
    "N/PN": {"N", "PN"},
    "NI": {"NI"},
    "Y/PY/NI": {"Y", "PY", "NI"},
    "N/PN/NI": {"N", "PN", "NI"},
}

# ---------------------------------------------------------------------------
# Domain 1, randomisation process.  Columns: 1.1, 1.2, 1.3.
# Guidance, domain 1 algorithm figure (1.2 first): 1.2 N/PN -> High; 1.2 NI -> 1.3
# (Y/PY High, N/PN/NI Some concerns); 1.2 Y/PY -> 1.1 N/PN -> Some concerns;
# 1.1 Y/PY/NI -> 1.3 (N/PN/NI Low, Y/PY Some concerns).  Same as the criteria, quoted
# in Systematic Reviews 2021;10:171, Table 2: "Some concerns: (i.1) The allocation
# sequence was adequately concealed AND (i.2.1) the allocation sequence was not random
# OR (i.2.2) baseline differences ... suggest a problem ...".
# ---------------------------------------------------------------------------
D1_TABLE = [
    ("-", "N/PN", "-", H),
    ("-", "NI", "Y/PY", H),
    ("-", "NI", "N/PN/NI", SC),
    ("N/PN", "Y/PY", "-", SC),
    ("Y/PY/NI", "Y/PY", "Y/PY", SC),
    ("Y/PY/NI", "Y/PY", "N/PN/NI", L),
]

# ---------------------------------------------------------------------------
# Domain 2, deviations from intended interventions (effect of assignment).
# Part 1, columns 2.1, 2.2, 2.3, 2.4, 2.5 (figure, part 1): both 2.1 and 2.2 N/PN ->
# Low; either Y/PY/NI -> 2.3: N/PN Low, NI Some concerns, Y/PY -> 2.4: N/PN Some
# concerns, Y/PY/NI -> 2.5: Y/PY Some concerns, N/PN/NI High.
# "Either Y/PY/NI" is written as two rows (2.1 Y/PY/NI, 2.2 then not needed; or 2.1
# N/PN and 2.2 Y/PY/NI).
# ---------------------------------------------------------------------------
_AWARE = [("Y/PY/NI", "-"), ("N/PN", "Y/PY/NI")]
D2_PART1_TABLE = [("N/PN", "N/PN", "-", "-", "-", L)]
for _a21, _a22 in _AWARE:
    D2_PART1_TABLE += [
        (_a21, _a22, "N/PN", "-", "-", L),
        (_a21, _a22, "NI", "-", "-", SC),
        (_a21, _a22, "Y/PY", "N/PN", "-", SC),
        (_a21, _a22, "Y/PY", "Y/PY/NI", "Y/PY", SC),
        (_a21, _a22, "Y/PY", "Y/PY/NI", "N/PN/NI", H),
    ]
# Part 2, columns 2.6, 2.7 (figure, part 2): 2.6 Y/PY Low; N/PN/NI -> 2.7: N/PN Some
# concerns, Y/PY/NI High.
D2_PART2_TABLE = [
    ("Y/PY", "-", L),
    ("N/PN/NI", "N/PN", SC),
    ("N/PN/NI", "Y/PY/NI", H),
]
# Combining the parts (guidance, domain 2 figure): "Low risk of bias" in both parts ->
# Low; "High risk of bias" in either part -> High; otherwise Some concerns.
D2_COMBINE = {
    (L, L): L, (L, SC): SC, (L, H): H,
    (SC, L): SC, (SC, SC): SC, (SC, H): H,
    (H, L): H, (H, SC): H, (H, H): H,
}

# ---------------------------------------------------------------------------
# Domain 3, missing outcome data.  Columns 3.1, 3.2, 3.3, 3.4 (figure): 3.1 Y/PY Low;
# N/PN/NI -> 3.2: Y/PY Low; N/PN -> 3.3: N/PN Low; Y/PY/NI -> 3.4: N/PN Some concerns,
# Y/PY/NI High.  (3.2 has no NI option, Box 8.)
# ---------------------------------------------------------------------------
D3_TABLE = [
    ("Y/PY", "-", "-", "-", L),
    ("N/PN/NI", "Y/PY", "-", "-", L),
    ("N/PN/NI", "N/PN", "N/PN", "-", L),
    ("N/PN/NI", "N/PN", "Y/PY/NI", "N/PN", SC),
    ("N/PN/NI", "N/PN", "Y/PY/NI", "Y/PY/NI", H),
]

# ---------------------------------------------------------------------------
# Domain 4, measurement of the outcome.  Columns 4.1-4.5 (Table 12 / Figure 5, p. 54):
# 4.1 Y/PY High; 4.2 Y/PY High; then two branches, 4.2 N/PN and 4.2 NI:
#   4.3 N/PN -> Low | Some concerns;  4.3 Y/PY/NI -> 4.4 N/PN -> Low | Some concerns;
#   4.4 Y/PY/NI -> 4.5 N/PN Some concerns, Y/PY/NI High (both branches).
# ---------------------------------------------------------------------------
D4_TABLE = [
    ("Y/PY", "-", "-", "-", "-", H),
    ("N/PN/NI", "Y/PY", "-", "-", "-", H),
    ("N/PN/NI", "N/PN", "N/PN", "-", "-", L),
    ("N/PN/NI", "N/PN", "Y/PY/NI", "N/PN", "-", L),
    ("N/PN/NI", "N/PN", "Y/PY/NI", "Y/PY/NI", "N/PN", SC),
    ("N/PN/NI", "N/PN", "Y/PY/NI", "Y/PY/NI", "Y/PY/NI", H),
    ("N/PN/NI", "NI", "N/PN", "-", "-", SC),
    ("N/PN/NI", "NI", "Y/PY/NI", "N/PN", "-", SC),
    ("N/PN/NI", "NI", "Y/PY/NI", "Y/PY/NI", "N/PN", SC),
    ("N/PN/NI", "NI", "Y/PY/NI", "Y/PY/NI", "Y/PY/NI", H),
]

# ---------------------------------------------------------------------------
# Domain 5, selection of the reported result.  Columns 5.1, 5.2, 5.3 (figure): either
# 5.2 or 5.3 Y/PY -> High; both N/PN/NI with at least one NI -> Some concerns; both
# N/PN -> 5.1: Y/PY Low, N/PN/NI Some concerns.
# ---------------------------------------------------------------------------
D5_TABLE = [
    ("-", "Y/PY", "-", H),
    ("-", "N/PN/NI", "Y/PY", H),
    ("-", "NI", "N/PN/NI", SC),
    ("-", "N/PN", "NI", SC),
    ("Y/PY", "N/PN", "N/PN", L),
    ("N/PN/NI", "N/PN", "N/PN", SC),
]


def _matches(row, values):
    for pattern, value in zip(row, values):
        if pattern != "-" and value not in PATTERNS[pattern]:
            return False
    return True


def _lookup(table, values):
    """The judgement of the one row matching ``values``; None if no row (a reached
    question unanswered).  Fails if two rows match (the table must be exclusive)."""
    hits = [row[-1] for row in table if _matches(row[:-1], values)]
    assert len(hits) <= 1, (values, hits)
    return hits[0] if hits else None


def expected(domain, answers):
    """Judgement from the transcribed tables, or None when a reached question is
    unanswered (missing or NA)."""
    qs = list(ROB2_DOMAINS[domain]["questions"])
    values = [answers.get(q, MISSING) for q in qs]
    if domain == "D2":
        p1 = _lookup(D2_PART1_TABLE, values[:5])
        p2 = _lookup(D2_PART2_TABLE, values[5:])
        return None if p1 is None or p2 is None else D2_COMBINE[(p1, p2)]
    table = {"D1": D1_TABLE, "D3": D3_TABLE, "D4": D4_TABLE, "D5": D5_TABLE}[domain]
    return _lookup(table, values)


ANSWERS = ("Y", "PY", "PN", "N", "NI")
CONDITIONAL = {"2.3", "2.4", "2.5", "2.7", "3.2", "3.3", "3.4", "4.3", "4.4", "4.5"}


def _values(q):
    """Every input the function accepts for question q: its answers, NA if the question
    is conditional, or no answer at all."""
    base = ("Y", "PY", "PN", "N") if q == "3.2" else ANSWERS
    return (*base, *(("NA",) if q in CONDITIONAL else ()), MISSING)


# Supported inputs per domain: (5+1)^3 for D1; 6^3 * 7^4 for D2 (2.1, 2.2, 2.6 plain;
# 2.3, 2.4, 2.5, 2.7 conditional); 6 * 6 * 7 * 7 for D3 (3.2 has 4 answers + NA + none);
# 6^2 * 7^3 for D4; 6^3 for D5.
N_INPUTS = {"D1": 6 ** 3, "D2": 6 ** 3 * 7 ** 4, "D3": 6 * 6 * 7 * 7, "D4": 6 ** 2 * 7 ** 3, "D5": 6 ** 3}
# Complete answer sets (every question answered Y/PY/PN/N/NI; 3.2 without NI), the
# space of tests/test_widgets.py: 5^3, 5^7, 5*4*5*5, 5^5, 5^3.
N_COMPLETE = {"D1": 125, "D2": 5 ** 7, "D3": 500, "D4": 5 ** 5, "D5": 125}


@pytest.mark.parametrize("domain", list(ROB2_DOMAINS))
def test_every_supported_input_matches_the_guidance_tables(domain):
    qs = list(ROB2_DOMAINS[domain]["questions"])
    n = n_judged = n_complete = 0
    seen = set()
    for combo in itertools.product(*(_values(q) for q in qs)):
        answers = {q: v for q, v in zip(qs, combo) if v is not MISSING}
        want = expected(domain, answers)
        if want is None:
            with pytest.raises(ValueError, match=r"question \d\.\d must be answered"):
                rob2_domain_judgement(domain, answers)
        else:
            assert rob2_domain_judgement(domain, answers) == want, answers
            n_judged += 1
            seen.add(want)
        if all(v is not MISSING and v != "NA" for v in combo):
            assert want is not None, answers        # tables exhaustive for complete sets
            n_complete += 1
        n += 1
    assert n == N_INPUTS[domain]
    assert n_complete == N_COMPLETE[domain]
    assert seen == {L, SC, H}
    assert n_judged > n_complete                    # short (path-only) answer sets judged too


@pytest.mark.parametrize("domain", list(ROB2_DOMAINS))
def test_minimal_answer_sets(domain):
    """Each table row, answered only on its path (others left out, or NA when
    conditional), gives the row's judgement: the path is all the function needs."""
    qs = list(ROB2_DOMAINS[domain]["questions"])
    if domain == "D2":
        rows = [(r1[:-1] + r2[:-1], D2_COMBINE[(r1[-1], r2[-1])]) for r1 in D2_PART1_TABLE for r2 in D2_PART2_TABLE]
    else:
        table = {"D1": D1_TABLE, "D3": D3_TABLE, "D4": D4_TABLE, "D5": D5_TABLE}[domain]
        rows = [(r[:-1], r[-1]) for r in table]
    for patterns, want in rows:
        for values in itertools.product(*(sorted(PATTERNS[p]) if p != "-" else [MISSING] for p in patterns)):
            short = {q: v for q, v in zip(qs, values) if v is not MISSING}
            assert rob2_domain_judgement(domain, short) == want, short
            with_na = {q: ("NA" if v is MISSING and q in CONDITIONAL else v) for q, v in zip(qs, values)}
            with_na = {q: v for q, v in with_na.items() if v is not MISSING}
            assert rob2_domain_judgement(domain, with_na) == want, with_na


# ---------------------------------------------------------------------------
# Named worked cases
# ---------------------------------------------------------------------------

def test_seed_trial_answer_key():
    # The seed trial (MenSC secretome, intubation 7/14 vs 12/15), judged from its abstract:
    # "randomised 1:1", sequence generation and concealment not described, no baseline table.
    # Guidance Box 4, 1.1: "Answer 'No information' if the only information about
    # randomization methods is a statement that the study is randomized."
    from appraise.rob2 import rob2_answer_key
    from appraise.trials import load_trial

    d1 = rob2_domain_judgement("D1", {"1.1": "NI", "1.2": "NI", "1.3": "NI"})
    assert d1 == SC                     # 1.2 NI, 1.3 N/PN/NI -> Some concerns
    # double-blind placebo; number randomised unknown -> 2.6 NI and 2.7 NI (not PN: nothing
    # is known about exclusions); figure after Box 6: "2.7 Y/PY/NI -> High"
    d2 = rob2_domain_judgement("D2", {"2.1": "PN", "2.2": "PN", "2.6": "NI", "2.7": "NI"})
    assert d2 == H
    d3 = rob2_domain_judgement("D3", {"3.1": "NI", "3.2": "N", "3.3": "PY", "3.4": "PN"})
    assert d3 == SC                     # 3.4 N/PN -> Some concerns
    d4 = rob2_domain_judgement("D4", {"4.1": "N", "4.2": "N", "4.3": "PN"})
    assert d4 == L                      # assessors probably unaware -> Low
    # 5.2 is about several measurements of the SAME outcome (Sterne et al. BMJ 2019;366:l4898):
    # nothing reported -> NI; 5.3: plain counts, no analysis to choose from -> PN.
    # "Both N/PN/NI but at least one NI -> Some concerns"
    d5 = rob2_domain_judgement("D5", {"5.1": "NI", "5.2": "NI", "5.3": "PN"})
    assert d5 == SC
    assert rob2_domain_judgement("D5", {"5.1": "NI", "5.2": "PN", "5.3": "PN"}) == SC
    judgements = {"D1": d1, "D2": d2, "D3": d3, "D4": d4, "D5": d5}
    assert rob2_overall(judgements) == H          # one high domain
    # several concerns alone are not automatically high: only if the assessor says so
    concerns = dict(judgements, D2=SC)
    assert rob2_overall(concerns) == SC
    assert rob2_overall(concerns, multiple_concerns_high=4) == H
    # the key is read from the seed card's [[rob2]] table: the same answers, the same judgements
    key = rob2_answer_key(load_trial("mensc-secretome-covid19"), "intubation")
    assert key.answers == {"D1": {"1.1": "NI", "1.2": "NI", "1.3": "NI"},
                           "D2": {"2.1": "PN", "2.2": "PN", "2.6": "NI", "2.7": "NI"},
                           "D3": {"3.1": "NI", "3.2": "N", "3.3": "PY", "3.4": "PN"},
                           "D4": {"4.1": "N", "4.2": "N", "4.3": "PN"},
                           "D5": {"5.1": "NI", "5.2": "NI", "5.3": "PN"}}
    assert key.judgements == judgements and key.overall == H
    assert all(text.endswith(key.basis) for text in key.explanations.values())
    with pytest.raises(TypeError, match="outcome_id"):
        rob2_answer_key(load_trial("mensc-secretome-covid19"), None)


def test_textbook_cases():
    # computer-generated sequence, central allocation, chance imbalances only -> Low
    assert rob2_domain_judgement("D1", {"1.1": "Y", "1.2": "Y", "1.3": "N"}) == L
    # alternation (not random) with an open list (not concealed) -> High
    assert rob2_domain_judgement("D1", {"1.1": "N", "1.2": "N", "1.3": "NI"}) == H
    # concealed but predictable sequence -> Some concerns even without imbalance
    assert rob2_domain_judgement("D1", {"1.1": "N", "1.2": "Y", "1.3": "N"}) == SC
    # open-label; trial-context deviations affecting the outcome, unbalanced -> High
    assert rob2_domain_judgement("D2", {"2.1": "Y", "2.2": "Y", "2.3": "PY", "2.4": "PY", "2.5": "N",
                                        "2.6": "Y"}) == H
    # blinded trial, per-protocol analysis excluding many -> High (part 2)
    assert rob2_domain_judgement("D2", {"2.1": "N", "2.2": "N", "2.6": "N", "2.7": "Y"}) == H
    # 20% lost, sicker patients dropped out more in one arm -> High
    assert rob2_domain_judgement("D3", {"3.1": "N", "3.2": "N", "3.3": "Y", "3.4": "PY"}) == H
    # all-cause mortality assessed unblinded: knowledge cannot influence it (Box 10,
    # 4.4: "unlikely to influence ... for example all-cause mortality") -> Low
    assert rob2_domain_judgement("D4", {"4.1": "N", "4.2": "N", "4.3": "Y", "4.4": "N"}) == L
    # same, but unknown whether ascertainment differed between groups -> Some concerns
    assert rob2_domain_judgement("D4", {"4.1": "N", "4.2": "NI", "4.3": "Y", "4.4": "N"}) == SC
    # patient-reported symptom score, unblinded, strong beliefs -> High
    assert rob2_domain_judgement("D4", {"4.1": "N", "4.2": "N", "4.3": "Y", "4.4": "Y", "4.5": "PY"}) == H
    # pre-registered plan, one outcome measure, one analysis -> Low
    assert rob2_domain_judgement("D5", {"5.1": "Y", "5.2": "N", "5.3": "N"}) == L


# ---------------------------------------------------------------------------
# Bad input
# ---------------------------------------------------------------------------

def test_bad_input_messages():
    with pytest.raises(ValueError, match=r"domain .*got 'D6'"):
        rob2_domain_judgement("D6", {})
    with pytest.raises(ValueError, match="domain"):
        rob2_domain_judgement(1, {})
    with pytest.raises(TypeError, match="answers must be a mapping"):
        rob2_domain_judgement("D1", ["Y"])
    with pytest.raises(ValueError, match=r"question 1\.1 .*got 'maybe'"):
        rob2_domain_judgement("D1", {"1.1": "maybe", "1.2": "N"})      # checked even if not read
    with pytest.raises(ValueError, match=r"question 3\.2 .*got 'NI'"):
        rob2_domain_judgement("D3", {"3.1": "N", "3.2": "NI"})         # no NI option for 3.2
    with pytest.raises(ValueError, match=r"question 1\.2 .*NA only for a conditional question.*got 'NA'"):
        rob2_domain_judgement("D1", {"1.1": "Y", "1.2": "NA", "1.3": "N"})
    with pytest.raises(ValueError, match=r"got question '2\.1'"):
        rob2_domain_judgement("D1", {"1.2": "N", "2.1": "Y"})
    with pytest.raises(TypeError, match=r"question 1\.2 .*got 1"):
        rob2_domain_judgement("D1", {"1.2": 1})
    with pytest.raises(ValueError, match=r"question 1\.2 must be answered.*got None"):
        rob2_domain_judgement("D1", {"1.1": "Y"})
    # a conditional question that applies cannot be NA; the message says why it applies
    with pytest.raises(ValueError, match=r"question 2\.3 must be answered.*2\.1 or 2\.2 is Y/PY/NI; got 'NA'"):
        rob2_domain_judgement("D2", {"2.1": "Y", "2.2": "N", "2.3": "NA", "2.6": "Y"})
    with pytest.raises(ValueError, match=r"question 4\.3 must be answered.*4\.1 and 4\.2"):
        rob2_domain_judgement("D4", {"4.1": "N", "4.2": "NI"})


def test_options_and_domain_table():
    assert rob2.ROB2_ANSWERS == ANSWERS
    assert rob2.rob2_options("2.3") == (*ANSWERS, "NA")
    assert rob2.rob2_options("3.2") == ("Y", "PY", "PN", "N", "NA")
    assert rob2.rob2_options("5.1") == ANSWERS
    with pytest.raises(ValueError, match="got '9.9'"):
        rob2.rob2_options("9.9")
    numbers = {d: list(s["questions"]) for d, s in ROB2_DOMAINS.items()}
    assert numbers == {"D1": ["1.1", "1.2", "1.3"], "D2": [f"2.{i}" for i in range(1, 8)],
                       "D3": [f"3.{i}" for i in range(1, 5)], "D4": [f"4.{i}" for i in range(1, 6)],
                       "D5": ["5.1", "5.2", "5.3"]}
    for spec in ROB2_DOMAINS.values():
        for q, text in spec["questions"].items():
            # the guidance writes each conditional question as "If <answers> to <q>: ..."
            assert text.startswith("If ") == (q in CONDITIONAL), q
            assert (q in spec["conditional"]) == (q in CONDITIONAL), q
        assert spec["name"]


# ---------------------------------------------------------------------------
# Overall judgement: Sterne et al. BMJ 2019, Table 2 ("Low risk of bias: the trial is
# judged to be at low risk of bias for all domains for this result. Some concerns: ...
# some concerns in at least one domain ..., but not to be at high risk of bias for any
# domain. High risk of bias: ... high risk of bias in at least one domain ... or ...
# some concerns for multiple domains in a way that substantially lowers confidence").
# ---------------------------------------------------------------------------

def test_overall_every_combination():
    doms = list(ROB2_DOMAINS)
    for combo in itertools.product((L, SC, H), repeat=5):
        judgements = dict(zip(doms, combo))
        n_sc = combo.count(SC)
        want = H if H in combo else (SC if n_sc else L)
        assert rob2_overall(judgements) == want
        for k in range(2, 6):
            want_k = H if (H in combo or n_sc >= k) else want
            assert rob2_overall(judgements, multiple_concerns_high=k) == want_k, (combo, k)


def test_overall_bad_input():
    full = {d: L for d in ROB2_DOMAINS}
    with pytest.raises(ValueError, match="missing"):
        rob2_overall({"D1": L})
    with pytest.raises(ValueError, match="got 'Overall'"):
        rob2_overall(dict(full, Overall=L))
    with pytest.raises(ValueError, match=r"judgement for D3 .*got 'unclear'"):
        rob2_overall(dict(full, D3="unclear"))
    with pytest.raises(TypeError, match="judgements must be a mapping"):
        rob2_overall([L] * 5)
    with pytest.raises(ValueError, match=r"multiple_concerns_high must be >= 2, got 1"):
        rob2_overall(full, multiple_concerns_high=1)
    with pytest.raises(ValueError, match=r"multiple_concerns_high must be <= 5, got 6"):
        rob2_overall(full, multiple_concerns_high=6)
    with pytest.raises(TypeError, match="multiple_concerns_high"):
        rob2_overall(full, multiple_concerns_high=2.0)
