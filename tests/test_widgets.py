"""Tests of the explorers (driven by setting .value) and of the RoB 2 algorithms."""

import itertools

import pytest

import appraise.widgets as wd
from appraise._format import format_p
from appraise.trials import load_trial

SEED = "mensc-secretome-covid19"


@pytest.fixture(scope="module")
def trial():
    return load_trial(SEED)


def test_sample_size_explorer_extremes(trial):
    from appraise.power import power_two_proportions, pvalue_at_n, sample_size_two_proportions
    ex = wd.SampleSizeExplorer(trial, "intubation")
    for n in (1, 2, 14, 50, 300):
        ex.n.value = n
        p = pvalue_at_n(0.5, 0.8, n_treat=n, n_ctrl=n).pvalue
        assert f"<b>{wd._fmt_p(p)}</b>" in ex.pvalue_html.value
        power = power_two_proportions(0.5, 0.8, n_treat=n)
        assert f"<b>{wd._pct(power)}</b>" in ex.power_html.value
        assert ex.status.value == ""
        assert ex.pvalue_chart.spec["description"].startswith(f"At {n} vs {n} patients")
    # sample_size_two_proportions(0.5, 0.8) = 44 (power.py docstring), normal 39
    assert "<b>44</b> per arm (normal approximation 39)" in ex.needed_html.value
    assert f"<b>{sample_size_two_proportions(0.5, 0.8, power=0.9)}</b>" in ex.needed_html.value
    ex.n.value = 20
    for rt, rc in ((0.0, 1.0), (1.0, 0.0), (0.0, 0.0), (1.0, 1.0), (0.5, 0.5)):
        ex.risk_treat.value, ex.risk_ctrl.value = rt, rc
        assert ex.status.value == ""
        assert f"<b>{wd._pct(power_two_proportions(rt, rc, n_treat=20))}</b>" in ex.power_html.value
    assert "equal risks" in ex.needed_html.value
    ex.risk_treat.value, ex.risk_ctrl.value = 0.5, 0.52
    assert "more than 300 per arm" in ex.needed_html.value


def test_sample_size_charts_equal_builders(trial):
    # the spec shown is the builder's own to_dict() of numbers recomputed here from the
    # pure functions, on the grid (n = 1) and off it (n = 299)
    import appraise.charts as ch
    from appraise.power import power_two_proportions, pvalue_at_n
    ex = wd.SampleSizeExplorer(trial, "intubation")
    ex.risk_treat.value, ex.risk_ctrl.value = 0.3, 0.9
    for n in (1, 299):
        ex.n.value = n
        ns = sorted(set(wd.N_GRID) | {n})
        pv = [pvalue_at_n(0.5, 0.8, n_treat=k, n_ctrl=k).pvalue for k in ns]
        p_now = pvalue_at_n(0.5, 0.8, n_treat=n, n_ctrl=n).pvalue
        assert ex.pvalue_chart.spec == ch.pvalue_vs_n_chart(ns, pv, risk_treat=0.5, risk_ctrl=0.8, current=(n, n),
                                                            current_pvalue=p_now).to_dict()
        exact = [power_two_proportions(0.3, 0.9, n_treat=k) for k in ns]
        normal = [power_two_proportions(0.3, 0.9, n_treat=k, test="normal") for k in ns]
        assert ex.power_chart.spec == ch.power_curve_chart(ns, exact, power_normal=normal, p_treat=0.3, p_ctrl=0.9,
                                                           current_n=n).to_dict()


def test_pvalue_dance(trial):
    from appraise.power import simulate_pvalues
    dance = wd.PValueDance(trial, "intubation", seed=5, n_trials=200)
    for n in (1, 14, 300):
        dance.n.value = n
        expected = simulate_pvalues(0.5, 0.8, n_treat=n, n_ctrl=n, n_trials=200, seed=5)
        assert (dance.pvalues == expected).all()
    dance.reroll.click()
    assert dance.current_seed == 6
    assert (dance.pvalues == simulate_pvalues(0.5, 0.8, n_treat=300, n_ctrl=300, n_trials=200, seed=6)).all()
    assert dance.summary_html.value.startswith("Seed 6.")
    import appraise.charts as ch
    expected = ch.pvalue_dance_chart(simulate_pvalues(0.5, 0.8, n_treat=300, n_ctrl=300, n_trials=200, seed=6),
                                     n_treat=300, n_ctrl=300, p_treat=0.5, p_ctrl=0.8).to_dict()
    assert dance.chart_view.spec == expected
    assert dance.summary_html.value == "Seed 6. " + expected["description"].replace("&", "&amp;").replace(
        "<", "&lt;").replace(">", "&gt;")


def test_two_by_two_explorer():
    from appraise.proportions import compare_proportions
    ex = wd.TwoByTwoExplorer(7, 14, 12, 15)
    assert "Fisher" in ex.tests_html.value
    for counts in ((0, 1, 0, 1), (1, 1, 0, 1), (7, 14, 12, 15), (0, 500, 500, 500)):
        ex.events_treat.value, ex.n_treat.value, ex.events_ctrl.value, ex.n_ctrl.value = counts
        assert ex.status.value == ""
        cmp = compare_proportions(*counts)
        assert cmp.summary().replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") in ex.summary_html.value
        for r in cmp.tests.values():
            shown = format_p(r.pvalue, digits=4) if r.computed else "not computed (arm too large)"
            assert f"<td>{shown}</td>" in ex.tests_html.value
    ex.events_treat.value = 501                                     # bounded: becomes 500
    assert ex.events_treat.value == 500
    before = ex.summary_html.value
    ex.n_treat.value = 3                                            # events 500 > n 3
    assert "events_treat" in ex.status.value and "⚠" in ex.status.value
    assert ex.summary_html.value == before                          # last valid state kept
    ex.n_treat.value = 0
    assert "n_treat" in ex.status.value


def test_fragility_explorer(trial):
    from appraise.fragility import fragility_index, reverse_fragility_index
    from appraise.tests2x2 import tests_2x2
    ex = wd.FragilityExplorer(trial, "intubation")
    # reverse fragility index of 7/14 vs 12/15 is 2 (fragility.py docstring)
    assert ex.fragility_html.value == "<b>Reverse fragility index</b> = 2"
    for ft in (ex.flip_treat.min, -2, 0, ex.flip_treat.max):
        for fc in (ex.flip_ctrl.min, 0, ex.flip_ctrl.max):
            ex.flip_treat.value, ex.flip_ctrl.value = ft, fc
            a, c = 7 + ft, 12 + fc
            p = tests_2x2(a, 14, c, 15)["fisher"].pvalue
            assert f"{wd._p_phrase(p)} (" in ex.pvalue_html.value
            frag = (fragility_index if p < 0.05 else reverse_fragility_index)(a, 14, c, 15)
            shown = "not reachable" if frag.index is None else str(frag.index)
            assert ex.fragility_html.value.endswith(f"= {shown}")
            assert ex.status.value == ""
            import appraise.charts as ch
            assert ex.chart_view.spec == ch.icon_array_chart(a, 14, c, 15, original=(7, 14, 12, 15),
                                                             event="intubated").to_dict()
    ex.reset.click()
    assert ex.counts() == (7, 14, 12, 15)


def test_prior_explorer(trial):
    from appraise.bayes import prior_from_slider, probability_of_benefit
    ex = wd.PriorExplorer(trial, "intubation")
    for pos, margin in ((-1.0, 0.0), (0.0, 0.1), (1.0, 0.3)):
        ex.prior.value, ex.margin.value = pos, margin
        prior = prior_from_slider(pos)
        pb = probability_of_benefit(7, 14, 12, 15, prior=prior)
        pm = probability_of_benefit(7, 14, 12, 15, prior=prior, margin=margin)
        assert ex.benefit_html.value == (f"<b>P(benefit)</b> = {wd._pct(pb)}; "
                                         f"<b>P(benefit beyond {100 * margin:g} points)</b> = {wd._pct(pm)}")
        # the curve drawn is the density of posterior_risk_difference (the full computation)
        import appraise.charts as ch
        from appraise.bayes import posterior_risk_difference
        post = posterior_risk_difference(7, 14, 12, 15, prior=prior)
        assert ex.chart_view.spec == ch.posterior_chart(post.x, post.y, event_is_bad=True, prob_benefit=pb,
                                                        prob_beyond_margin=pm, margin=margin,
                                                        prior_label=prior.name, pvalue=ex.pvalue).to_dict()
    assert "0.128" in ex.pvalue_html.value   # Fisher p 0.1281 (trial-facts.md)


def test_errors_are_messages_not_tracebacks(trial, monkeypatch, capsys):
    import appraise.bayes
    import appraise.power
    ex = wd.SampleSizeExplorer(trial, "intubation")
    shown = ex.power_html.value

    def broken(*args, **kwargs):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(appraise.power, "power_two_proportions", broken)
    ex.risk_treat.value = 0.21                   # a new state: the power is recomputed
    assert ex.status.value.startswith("<span") and "unexpected error (ZeroDivisionError)" in ex.status.value
    assert "Traceback" not in ex.status.value and ex.power_html.value == shown
    monkeypatch.undo()
    ex.risk_treat.value = 0.22
    assert ex.status.value == ""
    # an invalid value from a statistic: its message (naming the argument) in the status line
    pr = wd.PriorExplorer(trial, "intubation")
    monkeypatch.setattr(appraise.bayes, "probability_of_benefit",
                        lambda *a, **k: appraise.bayes.check_real("margin", 2.0, high=1.0))
    pr.margin.value = 0.25
    assert "margin" in pr.status.value and "2.0" in pr.status.value and "⚠" in pr.status.value
    out = capsys.readouterr()
    assert out.out == "" and out.err == ""        # nothing printed


def test_explorers_reject_wrong_trial():
    with pytest.raises(TypeError, match="trial"):
        wd.SampleSizeExplorer("mensc", "intubation")


def test_explorers_default_to_the_cards_own_outcome():
    # the capstone card's first binary outcome is 28-day mortality, 0/12 vs 3/29 (Shu et al.
    # 2020, Table 2 as quoted in the card); no explorer falls back on another card's outcome
    capstone = load_trial("huc-msc-covid19-shu2020")
    assert [o.id for o in capstone.outcomes][0] == "mortality-day28"
    counts = capstone.outcome("mortality-day28").counts
    assert counts == (0, 12, 3, 29)
    assert wd.FragilityExplorer(capstone).original == counts
    assert wd.PriorExplorer(capstone).outcome.id == "mortality-day28"
    assert wd.SampleSizeExplorer(capstone).trial_sizes == (12, 29)
    assert wd.PValueDance(capstone, n_trials=50).true_risks == (0 / 12, 3 / 29)
    # the seed card without outcome_id: its primary outcome, intubation 7/14 vs 12/15
    assert wd.FragilityExplorer(load_trial("mensc-secretome-covid19")).original == (7, 14, 12, 15)
    with pytest.raises(ValueError, match="no-such-outcome"):
        wd.FragilityExplorer(capstone, "no-such-outcome")


# ---------------------------------------------------------------------------
# RoB 2: every combination of answers against an independent encoding of the
# guidance's criteria ("Low risk of bias if ... High if ... otherwise Some concerns",
# Cochrane RoB 2 guidance, 22 Aug 2019, tables of criteria per domain).
# ---------------------------------------------------------------------------
Y, NO_, NI = {"Y", "PY"}, {"N", "PN"}, {"NI"}


def expected_d1(a):
    if a["1.2"] in NO_ or (a["1.2"] in NI and a["1.3"] in Y):
        return "high"
    if a["1.2"] in Y and a["1.1"] in Y | NI and a["1.3"] in NO_ | NI:
        return "low"
    return "some concerns"


def expected_d2(a):
    unaware = a["2.1"] in NO_ and a["2.2"] in NO_
    low1 = unaware or a["2.3"] in NO_
    high1 = not unaware and a["2.3"] in Y and a["2.4"] in Y | NI and a["2.5"] in NO_ | NI
    low2 = a["2.6"] in Y
    high2 = a["2.6"] in NO_ | NI and a["2.7"] in Y | NI
    if high1 or high2:
        return "high"
    return "low" if low1 and low2 else "some concerns"


def expected_d3(a):
    if a["3.1"] in Y or a["3.2"] in Y or a["3.3"] in NO_:
        return "low"
    if a["3.3"] in Y | NI and a["3.4"] in Y | NI:
        return "high"
    return "some concerns"


def expected_d4(a):
    if a["4.1"] in Y or a["4.2"] in Y or (a["4.3"] in Y | NI and a["4.4"] in Y | NI and a["4.5"] in Y | NI):
        return "high"
    if a["4.2"] in NO_ and (a["4.3"] in NO_ or a["4.4"] in NO_):
        return "low"
    return "some concerns"


def expected_d5(a):
    if a["5.2"] in Y or a["5.3"] in Y:
        return "high"
    if a["5.1"] in Y and a["5.2"] in NO_ and a["5.3"] in NO_:
        return "low"
    return "some concerns"


EXPECTED = {"D1": expected_d1, "D2": expected_d2, "D3": expected_d3, "D4": expected_d4, "D5": expected_d5}
ALL = ("Y", "PY", "PN", "N", "NI")


@pytest.mark.parametrize("domain", list(EXPECTED))
def test_rob2_every_combination(domain):
    questions = list(wd.ROB2_DOMAINS[domain]["questions"])
    options = [("Y", "PY", "PN", "N") if (domain, q) == ("D3", "3.2") else ALL for q in questions]
    count = 0
    for combo in itertools.product(*options):
        answers = dict(zip(questions, combo))
        assert wd.rob2_domain_judgement(domain, answers) == EXPECTED[domain](answers), answers
        count += 1
    assert count == {"D1": 125, "D2": 5 ** 7, "D3": 500, "D4": 5 ** 5, "D5": 125}[domain]


def test_rob2_only_needed_questions_and_errors():
    assert wd.rob2_domain_judgement("D1", {"1.2": "N"}) == "high"          # 1.1/1.3 not needed
    assert wd.rob2_domain_judgement("D3", {"3.1": "Y", "3.2": "NA"}) == "low"
    with pytest.raises(ValueError, match="question 1.2"):
        wd.rob2_domain_judgement("D1", {"1.1": "Y"})
    with pytest.raises(ValueError, match="3.2"):
        wd.rob2_domain_judgement("D3", {"3.1": "N", "3.2": "NI"})        # NI not an option for 3.2
    with pytest.raises(ValueError, match="domain"):
        wd.rob2_domain_judgement("D6", {})
    with pytest.raises(TypeError, match="answers"):
        wd.rob2_domain_judgement("D1", ["Y"])


def test_rob2_overall():
    doms = list(wd.ROB2_DOMAINS)
    for combo in itertools.product(("low", "some concerns", "high"), repeat=5):
        expected = "high" if "high" in combo else ("low" if set(combo) == {"low"} else "some concerns")
        assert wd.rob2_overall(dict(zip(doms, combo))) == expected
    with pytest.raises(ValueError, match="missing"):
        wd.rob2_overall({"D1": "low"})


def test_rob2_checklist_widget():
    key = {"D1": "some concerns", "D5": "high", "Overall": "high"}
    rob = wd.RoB2Checklist(answer_key=key)
    # nothing is judged, and nothing compared, before any answer is given
    assert all(h.value == "" for h in rob.judgement_html.values())
    assert rob.comparison_html.value == "" and "None" not in rob.overall_html.value
    # the answer codes are explained in place: in the legend and in every option's label
    legend = rob.widget.children[0].value
    for code, words in (("Y", "yes"), ("PY", "probably yes"), ("PN", "probably no"), ("N", "no"),
                        ("NI", "no information"), ("NA", "not applicable")):
        assert f"<b>{code}</b> = {words}" in legend
    assert ("PY — probably yes", "PY") in [tuple(o) for o in rob.dropdowns["1.1"].options] or \
        "PY — probably yes" in rob.dropdowns["1.1"].options
    rob.dropdowns["1.2"].value = "NI"                       # one answer: says what is still needed
    assert "question 1.3" in rob.judgement_html["D1"].value and "None" not in rob.judgement_html["D1"].value
    answers = {"1.1": "Y", "1.2": "NI", "1.3": "N", "2.1": "N", "2.2": "N", "2.6": "Y",
               "3.1": "Y", "4.1": "N", "4.2": "N", "4.3": "N", "5.1": "N", "5.2": "PY", "5.3": "N"}
    for q, v in answers.items():
        rob.dropdowns[q].value = v
    assert rob.judgements == {"D1": "some concerns", "D2": "low", "D3": "low", "D4": "low", "D5": "high"}
    assert rob.overall_html.value == "<b>Overall risk of bias: high</b>"
    assert rob.comparison_html.value.count("✓") == 3
    spec = rob.chart_view.spec
    assert spec["description"].endswith("overall high.")
    import appraise.charts as ch
    assert spec == ch.traffic_light_chart(rob.judgements, overall="high", study="This trial").to_dict()
    rob.dropdowns["1.2"].value = rob.UNANSWERED                 # D1 unjudged: no overall column
    assert rob.chart_view.spec == ch.traffic_light_chart(dict(rob.judgements, D1="no information")).to_dict()
    # NA to a question that applies: the reason, in words
    rob.dropdowns["3.1"].value = "N"
    rob.dropdowns["3.2"].value = "NA"
    assert "3.2 is marked NA" in rob.judgement_html["D3"].value and "3.1 is N/PN/NI" in rob.judgement_html["D3"].value


def test_rob2_checklist_shows_the_answers_behind_a_difference():
    from appraise.rob2 import rob2_answer_key
    from appraise.trials import load_trial

    key = rob2_answer_key(load_trial("mensc-secretome-covid19"), "intubation")
    rob = wd.RoB2Checklist(answer_key=key, outcome="Intubation")
    # the key: 5.1 NI, 5.2 NI, 5.3 PN -> some concerns; these answers give high (5.2 PY)
    for q, v in {"5.1": "N", "5.2": "PY", "5.3": "PN"}.items():
        rob.dropdowns[q].value = v
    assert rob.judgements["D5"] == "high" and key.judgements["D5"] == "some concerns"
    line = next(l for l in rob.comparison_html.value.split("<br>") if "D5" in l)
    assert line.startswith("✗ D5: yours high, key some concerns")
    assert "your answers 5.1 N, 5.2 PY, 5.3 PN" in line
    assert "key's answers 5.1 NI, 5.2 NI, 5.3 PN" in line
    assert "5.1 (yours N, key NI)" in line and "5.2 (yours PY, key NI)" in line and "5.3" not in line.split("differ at")[1]
    # a domain that agrees is marked, without the answers
    for q, v in key.answers["D1"].items():
        rob.dropdowns[q].value = v
    assert "✓ D1: yours some concerns, key some concerns" in rob.comparison_html.value


# --- every position of every slider --------------------------------------------------
# The tests above check chosen values in detail; these sweep each control over its whole
# range (every step) and check the displayed numbers against the pure functions.

def test_sample_size_n_every_position(trial):
    from appraise.power import power_two_proportions, pvalue_at_n
    ex = wd.SampleSizeExplorer(trial, "intubation")
    for n in range(ex.n.min, ex.n.max + 1):
        ex.n.value = n
        assert ex.status.value == ""
        p = pvalue_at_n(0.5, 0.8, n_treat=n, n_ctrl=n).pvalue
        assert ex.pvalue_html.value.endswith(f"<b>{wd._fmt_p(p)}</b>"), n
        assert f"<b>{wd._pct(power_two_proportions(0.5, 0.8, n_treat=n))}</b>" in ex.power_html.value, n


def test_sample_size_risks_every_tenth(trial):
    from appraise.power import power_two_proportions
    ex = wd.SampleSizeExplorer(trial, "intubation")
    ex.n.value = 30
    grid = [round(0.1 * i, 1) for i in range(11)]
    for rt in grid:
        for rc in grid:
            ex.risk_treat.value, ex.risk_ctrl.value = rt, rc
            assert ex.status.value == "", (rt, rc, ex.status.value)
            assert f"<b>{wd._pct(power_two_proportions(rt, rc, n_treat=30))}</b>" in ex.power_html.value


def test_fragility_every_flip(trial):
    from appraise.tests2x2 import tests_2x2
    ex = wd.FragilityExplorer(trial, "intubation")
    for ft in range(ex.flip_treat.min, ex.flip_treat.max + 1):
        for fc in range(ex.flip_ctrl.min, ex.flip_ctrl.max + 1):
            ex.flip_treat.value, ex.flip_ctrl.value = ft, fc
            assert ex.status.value == ""
            p = tests_2x2(7 + ft, 14, 12 + fc, 15)["fisher"].pvalue
            assert f"{wd._p_phrase(p)} (" in ex.pvalue_html.value, (ft, fc)


def test_prior_every_position(trial):
    from appraise.bayes import prior_from_slider, probability_of_benefit
    ex = wd.PriorExplorer(trial, "intubation")
    positions = [round(-1 + 0.1 * i, 1) for i in range(21)]
    margins = [round(0.01 * i, 2) for i in range(0, 31, 5)]
    for pos in positions:
        for margin in margins:
            ex.prior.value, ex.margin.value = pos, margin
            assert ex.status.value == ""
            prior = prior_from_slider(pos)
            pb = probability_of_benefit(7, 14, 12, 15, prior=prior)
            pm = probability_of_benefit(7, 14, 12, 15, prior=prior, margin=margin)
            assert ex.benefit_html.value == (f"<b>P(benefit)</b> = {wd._pct(pb)}; "
                                             f"<b>P(benefit beyond {100 * margin:g} points)</b> = {wd._pct(pm)}")


def test_dance_n_across_range(trial):
    from appraise.power import simulate_pvalues
    dance = wd.PValueDance(trial, "intubation", seed=1, n_trials=100)
    for n in list(range(1, 31)) + list(range(40, 301, 20)):
        dance.n.value = n
        assert dance.status.value == ""
        assert (dance.pvalues == simulate_pvalues(0.5, 0.8, n_treat=n, n_ctrl=n, n_trials=100, seed=1)).all()


# ---------------------------------------------------------------------------
# lesson 7: within vs between, the correlation slider
# ---------------------------------------------------------------------------

def _paired_data(mean_base, sd_base, mean_follow, sd_follow, n, r):
    """n pairs whose sample means, SDs (ddof=1) and correlation are exactly the given ones."""
    import numpy as np

    rng = np.random.default_rng(7)
    raw = rng.standard_normal((n, 2))
    raw -= raw.mean(axis=0)
    q, _ = np.linalg.qr(raw)                 # two orthonormal, centred columns
    u, v = q[:, 0], q[:, 1]
    scale = np.sqrt(n - 1)
    x = u * scale
    y = (r * u + np.sqrt(1 - r * r) * v) * scale
    return mean_base + sd_base * x, mean_follow + sd_follow * y


def test_correlation_explorer_against_scipy_on_data_with_that_correlation():
    # Reference: scipy.stats.ttest_rel (within arm) and ttest_ind (between arms, on the
    # changes) run on patient-level data constructed to have exactly the printed means,
    # SDs and the slider's correlation: an independent route to the same p-values.
    from scipy import stats

    from appraise.widgets_continuous import CorrelationExplorer

    figures = (80, 30, 45, 30, 14, 80, 30, 60, 30, 15)   # invented, sized like the seed trial
    ex = CorrelationExplorer(*figures)
    for r in (0.0, 0.25, 0.5, 0.79, 0.9):
        ex.correlation_slider.value = r
        assert ex.status.value == ""
        bt, ft = _paired_data(80, 30, 45, 30, 14, r)
        bc, fc = _paired_data(80, 30, 60, 30, 15, r)
        within_t = stats.ttest_rel(ft, bt).pvalue
        within_c = stats.ttest_rel(fc, bc).pvalue
        between = stats.ttest_ind(ft - bt, fc - bc).pvalue
        point = ex.at(r)
        assert point.pvalue_range.low == pytest.approx(between, rel=1e-9)
        assert point.pvalue_within_treat.low == pytest.approx(within_t, rel=1e-9)
        assert point.pvalue_within_ctrl.low == pytest.approx(within_c, rel=1e-9)
        assert f"At r = {r:.2f}" in ex.pvalues_html.value
        from appraise._format import p_phrase
        for p in (between, within_t, within_c):
            assert p_phrase(p).replace("<", "&lt;") in ex.pvalues_html.value
        assert ex.view.spec["description"].startswith("As the correlation between baseline and follow-up")
        marks = [layer["data"]["values"] for layer in ex.view.spec["layer"]
                 if layer.get("data", {}).get("name") == "correlation-mark"]
        assert marks == [[{"r": r}]], "the slider's correlation is drawn on the chart"


def test_correlation_explorer_refuses_bad_input_by_name():
    from appraise.widgets_continuous import CorrelationExplorer

    with pytest.raises(ValueError, match="n_treat"):
        CorrelationExplorer(80, 30, 45, 30, 1, 80, 30, 60, 30, 15)
    with pytest.raises(ValueError, match="start"):
        CorrelationExplorer(80, 30, 45, 30, 14, 80, 30, 60, 30, 15, start=0.95)
    ex = CorrelationExplorer(80, 30, 45, 30, 14, 80, 30, 60, 30, 15, correlation=(0.2, 0.6), start=0.4)
    assert (ex.correlation_slider.min, ex.correlation_slider.max, ex.correlation_slider.value) == (0.2, 0.6, 0.4)
    ex.correlation_slider.value = 0.95          # the slider keeps to its range
    assert ex.correlation_slider.value == 0.6 and ex.status.value == ""
