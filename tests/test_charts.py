"""Tests of the chart builders, through chart.to_dict().

The numbers drawn are passed in from the library; the tests check that the spec holds
exactly those values, the right marks and encodings, a title, axis titles and a reading.
Expected readings quote trial-facts.md (Fisher p = 0.1281 for 7/14 vs 12/15).
"""

import numpy as np
import pytest

import appraise.charts as ch
from appraise.charts._base import pct
from appraise.power import power_two_proportions, pvalue_at_n, simulate_pvalues
from appraise.proportions import compare_proportions
from appraise.registration import audit_registration
from appraise.tests2x2 import hypergeometric_table, tests_2x2
from appraise.trials import load_trial


def layers(spec):
    if "layer" in spec:
        return spec["layer"]
    if "hconcat" in spec:
        return [l for panel in spec["hconcat"] for l in layers(panel)]
    return [spec]


def data_of(spec, layer):
    """The rows a layer draws (each chart carries its datasets inline, by name)."""
    return layer.get("data", spec.get("data"))["values"]


def marks(spec):
    return [l["mark"]["type"] if isinstance(l["mark"], dict) else l["mark"] for l in layers(spec)]


def common(chart):
    spec = chart.to_dict()
    assert spec["title"] and spec["description"] == " ".join(ch.reading(chart).split("\n"))
    assert all(len(line) <= ch.theme.READING_WIDTH for line in ch.reading(chart).split("\n"))
    assert "\n" not in spec["description"]
    for layer in layers(spec):
        assert "tooltip" in layer["encoding"]
    return spec


def test_palette_is_okabe_ito():
    # Okabe & Ito (2008) Color Universal Design, hex codes
    assert list(ch.OKABE_ITO.values()) == ["#000000", "#E69F00", "#56B4E9", "#009E73", "#F0E442",
                                           "#0072B2", "#D55E00", "#CC79A7"]


def test_enable_offline_idempotent():
    import altair as alt
    assert ch.enable_offline() == "jupyter" and ch.enable_offline() == "jupyter"
    assert alt.renderers.options.get("offline") is True and alt.JupyterChart._is_offline


def test_pvalue_vs_n_chart_seed():
    ns = list(range(5, 61))
    ps = [pvalue_at_n(0.5, 0.8, n_treat=n, n_ctrl=n).pvalue for n in ns]
    p_now = tests_2x2(7, 14, 12, 15)["fisher"].pvalue   # 0.1281 (trial-facts.md)
    chart = ch.pvalue_vs_n_chart(ns, ps, risk_treat=0.5, risk_ctrl=0.8, current=(14, 15), current_pvalue=p_now)
    spec = common(chart)
    assert marks(spec) == ["line", "rule", "point"]
    line = layers(spec)[0]
    assert line["encoding"]["y"]["scale"]["type"] == "log"
    assert "Patients per arm" in line["encoding"]["x"]["title"]
    assert [r["p-value"] for r in data_of(spec, line)] == ps
    first = next(n for n, p in zip(ns, ps) if p < 0.05)
    assert spec["description"] == (f"At 14 vs 15 patients the observed 50% vs 80% gives p = 0.128; "
                                   f"it would cross 0.05 at about {first} per arm.")
    never = ch.pvalue_vs_n_chart(ns[:3], ps[:3], risk_treat=0.5, risk_ctrl=0.8, current=(14, 15),
                                 current_pvalue=p_now)
    assert "stays above 0.05 up to 7 per arm" in never.description


def test_power_curve_chart():
    ns = list(range(1, 61))
    exact = [power_two_proportions(0.5, 0.8, n_treat=n) for n in ns]
    normal = [power_two_proportions(0.5, 0.8, n_treat=n, test="normal") for n in ns]
    chart = ch.power_curve_chart(ns, exact, power_normal=normal, p_treat=0.5, p_ctrl=0.8, current_n=14)
    spec = common(chart)
    assert marks(spec) == ["line", "rule", "rule"]
    rows = data_of(spec, layers(spec)[0])
    assert [r["power"] for r in rows if r["method"].startswith("exact")] == exact
    assert [r["power"] for r in rows if r["method"].startswith("normal")] == normal
    # sample_size_two_proportions(0.5, 0.8) = 44 (its docstring; first n with power >= 0.8)
    assert "first reaches 80% at 44 per arm" in spec["description"]
    assert f"has {pct(exact[13])} power at 14 per arm" in spec["description"]


def test_pvalue_dance_chart():
    p = simulate_pvalues(0.5, 0.8, n_treat=14, n_ctrl=15, n_trials=200, seed=3)
    spec = common(ch.pvalue_dance_chart(p, n_treat=14, n_ctrl=15, p_treat=0.5, p_ctrl=0.8))
    dots = layers(spec)[0]
    assert marks(spec) == ["point", "rule"]
    assert dots["encoding"]["x"]["scale"]["type"] == "log"
    assert {"color", "shape"} <= set(dots["encoding"])          # not colour-only
    assert [r["p-value"] for r in data_of(spec, dots)] == list(p)
    k = int((p < 0.05).sum())
    assert f"{k} ({pct(k / 200)}) gave p < 0.05" in spec["description"]
    with pytest.raises(ValueError, match="pvalues"):
        ch.pvalue_dance_chart([1.5], n_treat=1, n_ctrl=1, p_treat=0.5, p_ctrl=0.5)


def test_fisher_table_chart_sums_to_fisher_p():
    table = hypergeometric_table(7, 14, 12, 15)
    spec = common(ch.fisher_table_probabilities_chart(table, events_treat=7, n_treat=14, events_ctrl=12,
                                                      n_ctrl=15))
    assert marks(spec) == ["bar", "text"]
    rows = data_of(spec, layers(spec)[0])
    assert [r["probability"] for r in rows] == list(table["probability"])
    assert [r["table"] for r in rows if r["events in treated arm"] == 7] == ["observed table"]
    # not colour alone: a symbol over each highlighted bar, named in the colour legend
    assert layers(spec)[1]["encoding"]["text"]["field"] == "symbol"
    assert {r["symbol"] for r in rows if r["table"] != "less extreme"} == {"★", "▲"}
    legend_labels = set(layers(spec)[0]["encoding"]["color"]["scale"]["domain"])
    assert {r["legend"] for r in rows} <= legend_labels
    assert all(r["symbol"] in r["legend"] for r in rows)
    # Fisher exact p = 0.1281 for 7/14 vs 12/15 (trial-facts.md, scipy 1.17)
    assert "total probability 0.128," in spec["description"] and "11 tables" in spec["description"]


def test_forest_chart_two_outcomes():
    trial = load_trial("mensc-secretome-covid19")
    cmps = {o.label: compare_proportions(*o.counts) for o in trial.outcomes}
    spec = common(ch.forest_chart(cmps))
    assert len(spec["hconcat"]) == 2
    rd_panel, rr_panel = spec["hconcat"]
    assert rr_panel["layer"][1]["encoding"]["x"]["scale"]["type"] == "log"
    assert data_of(spec, rd_panel["layer"][0]) == [{"null": 0.0, "label": "no effect"}]
    assert data_of(spec, rr_panel["layer"][0]) == [{"null": 1.0, "label": "no effect"}]
    # the outcome names are written once (left panel), in the same order in both panels
    assert rr_panel["layer"][1]["encoding"]["y"]["axis"]["labels"] is False
    assert (rd_panel["layer"][1]["encoding"]["y"]["scale"]["domain"]
            == rr_panel["layer"][1]["encoding"]["y"]["scale"]["domain"] == list(cmps))
    rd_rows = data_of(spec, rd_panel["layer"][1])
    first = cmps["Intubation within 28 days"].risk_difference
    assert rd_rows[0]["low"] == pytest.approx(100 * first.low) and rd_rows[0]["high"] == pytest.approx(100 * first.high)
    assert spec["description"].startswith("Intubation within 28 days: risk difference -30.0 points")
    assert spec["description"].endswith("every interval includes no effect.")


def test_forest_chart_zero_events_ratio_kept_if_finite():
    cmp = compare_proportions(0, 12, 3, 29)   # capstone mortality 0/12 vs 3/29
    spec = ch.forest_chart({"Death by day 28": cmp}).to_dict()
    assert "risk ratio" in spec["description"]


def test_icon_array_stable_ids_and_flips():
    spec = common(ch.icon_array_chart(6, 14, 12, 15, original=(7, 14, 12, 15), event="intubated"))
    rows = data_of(spec, spec)
    assert len(rows) == 29
    assert [r["patient"] for r in rows if r["change"] == "flipped"] == ["T07"]
    assert sum(r["outcome"] == "intubated" for r in rows if r["arm"] == "Treatment") == 6
    assert {"color", "shape", "row"} <= set(spec["encoding"])
    # same ids whatever the counts
    again = ch.icon_array_chart(9, 14, 12, 15, original=(7, 14, 12, 15)).to_dict()
    assert [r["patient"] for r in data_of(again, again)] == [r["patient"] for r in rows]
    assert [r["patient"] for r in data_of(again, again) if r["change"] == "flipped"] == ["T08", "T09"]
    with pytest.raises(ValueError, match="events_treat"):
        ch.icon_array_chart(15, 14, 1, 15)


def test_posterior_chart():
    from appraise.bayes import posterior_risk_difference, probability_of_benefit
    post = posterior_risk_difference(7, 14, 12, 15)
    pb = probability_of_benefit(7, 14, 12, 15)
    pm = probability_of_benefit(7, 14, 12, 15, margin=0.1)
    spec = common(ch.posterior_chart(post.x, post.y, event_is_bad=True, prob_benefit=pb,
                                     prob_beyond_margin=pm, margin=0.1, pvalue=0.1281))
    assert marks(spec) == ["area", "line", "rule"]
    shaded = data_of(spec, layers(spec)[0])
    assert all(r["risk difference"] < 0 for r in shaded)     # benefit = fewer intubations
    rules = data_of(spec, layers(spec)[2])
    assert [r["at"] for r in rules] == [0.0, -10.0]
    # P(benefit) = 0.95, beyond 10 points 0.85 (appraise.bayes docstring, flat prior)
    assert spec["description"] == ("With a flat prior, P(benefit) = 95% and P(benefit of more than 10 points) "
                                   "= 85%; the two-sided p-value is 0.128.")


def test_registration_timeline_chart_seed():
    audit = audit_registration(load_trial("mensc-secretome-covid19"))
    spec = common(ch.registration_timeline_chart(audit))
    rows = data_of(spec, spec)
    assert [r["date"] for r in rows] == [e.date.isoformat() for e in audit.timeline]
    # trial-facts.md: IRCT 2021-01-04 or 2021-04-01 (ambiguous), start 2021-04-17, CT.gov 2021-08-24
    assert [r["reading"] for r in rows][:2] == ["uncertain (ambiguous date)"] * 2
    assert "2021-08-24 (after the start)" in spec["description"]
    assert "2021-01-04, uncertain (before the start)" in spec["description"]
    assert spec["encoding"]["x"]["type"] == "temporal"
    # one row per event, so no two event names share a line (they overlapped when written
    # beside points on one row per kind)
    assert len({r["row"] for r in rows}) == len(rows) == len(audit.timeline)
    assert spec["encoding"]["y"]["field"] == "row" and "mark_text" not in str(spec["mark"])


def test_traffic_light_symbols_not_colour_only():
    spec = common(ch.traffic_light_chart({"D1": "low", "D2": "some concerns", "D3": "high"}, overall="high"))
    assert marks(spec) == ["circle", "text"]
    rows = data_of(spec, layers(spec)[1])
    assert [r["symbol"] for r in rows] == ["+", "−", "×", "×"]
    assert layers(spec)[1]["encoding"]["text"]["field"] == "symbol"
    with pytest.raises(ValueError, match="judgement"):
        ch.traffic_light_chart({"D1": "medium"})


def test_flags_traffic_light_chart():
    from appraise.flags import appraise
    flags = appraise(load_trial("mensc-secretome-covid19"))
    spec = common(ch.flags_traffic_light_chart(flags))
    rows = data_of(spec, layers(spec)[0])
    assert sorted(r["code"] for r in rows) == sorted(f.code for f in flags)
    n_serious = sum(f.severity == "serious" for f in flags)
    assert spec["description"].startswith(f"{len(flags)} flags: {n_serious} serious")


def test_within_group_simulation_chart():
    from appraise.simulate import analyse_baseline_followup, simulate_baseline_followup
    data = simulate_baseline_followup(n_treat=14, n_ctrl=15, enrol_above=110, recovery=10, seed=1)
    res = analyse_baseline_followup(data)
    spec = common(ch.within_group_simulation_chart(data, res, measure="CRP", unit="mg/L"))
    assert marks(spec) == ["line", "line"]
    assert layers(spec)[1]["encoding"]["y"]["aggregate"] == "mean"
    assert layers(spec)[0]["encoding"]["y"]["title"] == "CRP (mg/L)"
    assert f"{res.percent_change['treatment']:+.1f}%".replace("+-", "-") in spec["description"]


def test_bad_inputs_named():
    with pytest.raises(ValueError, match="lengths differ"):
        ch.pvalue_vs_n_chart([1, 2], [0.5], risk_treat=0.5, risk_ctrl=0.5, current=(1, 1), current_pvalue=1.0)
    with pytest.raises(TypeError, match="pvalues"):
        ch.pvalue_dance_chart("0.1", n_treat=1, n_ctrl=1, p_treat=0.5, p_ctrl=0.5)
    with pytest.raises(ValueError, match="risk_treat"):
        ch.pvalue_vs_n_chart([1], [0.5], risk_treat=1.5, risk_ctrl=0.5, current=(1, 1), current_pvalue=1.0)


def test_chart_spec_equals_builder():
    # the fast path (cached validated layout + new rows and text) gives exactly the spec
    # of the builder, for every layout each builder can draw
    from appraise.bayes import posterior_risk_difference
    post = posterior_risk_difference(7, 14, 12, 15)
    p = simulate_pvalues(0.5, 0.8, n_treat=14, n_ctrl=15, n_trials=50, seed=1)
    cases = [
        (ch.pvalue_vs_n_chart, ([1, 2, 3], [1.0, 0.5, 0.01]),
         dict(risk_treat=0.5, risk_ctrl=0.8, current=(2, 2), current_pvalue=0.5)),
        (ch.pvalue_vs_n_chart, ([5, 50], [0.2, 0.001]),
         dict(risk_treat=0.1, risk_ctrl=0.3, current=(5, 6), current_pvalue=0.2, alpha=0.01, test_label="z-test")),
        (ch.power_curve_chart, ([1, 10, 20], [0.0, 0.5, 0.95]), dict(p_treat=0.2, p_ctrl=0.7, current_n=10)),
        (ch.power_curve_chart, ([1, 10], [0.0, 0.5]), dict(p_treat=0.2, p_ctrl=0.7, power_normal=[0.1, 0.6])),
        (ch.pvalue_dance_chart, (p,), dict(n_treat=14, n_ctrl=15, p_treat=0.5, p_ctrl=0.8)),
        (ch.pvalue_dance_chart, (p[:7],), dict(n_treat=14, n_ctrl=15, p_treat=0.5, p_ctrl=0.8, alpha=0.01)),
        (ch.icon_array_chart, (6, 14, 12, 15), dict(original=(7, 14, 12, 15), event="intubated")),
        (ch.icon_array_chart, (0, 1, 40, 40), dict(per_row=7)),
        (ch.posterior_chart, (post.x, post.y), dict(event_is_bad=True, prob_benefit=0.95,
                                                    prob_beyond_margin=0.85, margin=0.1, pvalue=0.1281)),
        (ch.posterior_chart, (post.x, post.y), dict(event_is_bad=False, prob_benefit=0.05, prior_label="sceptical")),
        (ch.traffic_light_chart, ({"D1": "low", "D2": "high"},), dict(overall="high")),
        (ch.traffic_light_chart, ({"A": {"D1": "low"}, "B": {"D1": "some concerns"}},), {}),
    ]
    # every other builder goes through the same path
    from types import SimpleNamespace as F

    from appraise.charts.forest import _demo_comparison
    from appraise.continuous import between_from_within
    from appraise.survival import logrank_pvalue_range, logrank_pvalues_over_orderings
    from appraise.simulate import analyse_baseline_followup, simulate_baseline_followup
    trial = load_trial("mensc-secretome-covid19")
    within = simulate_baseline_followup(n_treat=14, n_ctrl=15, enrol_above=110, recovery=10, seed=1)
    cases += [
        (ch.fisher_table_probabilities_chart, (hypergeometric_table(7, 14, 12, 15),),
         dict(events_treat=7, n_treat=14, events_ctrl=12, n_ctrl=15)),
        (ch.forest_chart, ({"A": _demo_comparison(), "B": compare_proportions(0, 12, 3, 29)},), {}),
        (ch.registration_timeline_chart, (audit_registration(trial),), {}),
        (ch.flags_traffic_light_chart, ([F(code="a", severity="serious", title="A", message="m")],), {}),
        (ch.within_group_simulation_chart, (within, analyse_baseline_followup(within)), dict(measure="CRP")),
        (ch.logrank_orderings_chart, (logrank_pvalue_range(6, 14, 11, 15),),
         dict(reported_p="P < 0.0001", pvalues=logrank_pvalues_over_orderings(6, 14, 11, 15))),
        (ch.logrank_orderings_chart, (logrank_pvalue_range(6, 14, 11, 15),), dict(reported_p="P = 0.2")),
        (ch.between_within_correlation_chart, (between_from_within(50, 12, 40, 12, 14, 50, 12, 48, 12, 15),),
         dict(correlation=0.5)),
    ]
    assert {c[0] for c in cases} == {getattr(ch, name) for name in ch.__all__
                                     if name.endswith("_chart") and name != "live_chart"}
    for builder, args, kwargs in cases:
        for _ in range(2):                              # first call fills the cache, second uses it
            spec = ch.chart_spec(builder, *args, **kwargs)
            assert spec == builder(*args, **kwargs).to_dict(), builder.__name__
        next(spec[k] for k in ("layer", "hconcat", "encoding") if k in spec).clear()  # a caller's edit
        # leaves the cache alone
        assert ch.chart_spec(builder, *args, **kwargs) == builder(*args, **kwargs).to_dict()
    with pytest.raises(ValueError, match="builder"):
        ch.chart_spec(len, {})
    with pytest.raises(ValueError, match="risk_treat"):
        ch.chart_spec(ch.pvalue_vs_n_chart, [1], [0.5], risk_treat=1.5, risk_ctrl=0.5, current=(1, 1),
                      current_pvalue=1.0)


def test_theme_is_registered_and_charts_compose():
    """Charts carry no configuration of their own: the registered theme styles them, so
    they can be layered and concatenated like any Altair chart."""
    import altair as alt
    assert alt.theme.active == "appraise"
    icons = ch.icon_array_chart(7, 14, 12, 15)
    lights = ch.traffic_light_chart({"D1": "low", "D2": "high"})
    spec = alt.vconcat(lights, ch.flags_traffic_light_chart(
        [__import__("types").SimpleNamespace(code="a", severity="info", title="A", message="")])).to_dict()
    assert len(spec["vconcat"]) == 2
    assert spec["config"]["title"]["fontSize"] == ch.THEME["title_font_size"]
    assert alt.hconcat(icons, lights).to_dict()["hconcat"][0]["description"] == icons.description
    layered = alt.layer(ch.posterior_chart([-0.2, 0.0, 0.2], [1.0, 2.0, 1.0], event_is_bad=True,
                                           prob_benefit=0.5)).to_dict()
    assert "layer" in layered


def test_pvalue_axis_floor_said_in_reading():
    # p at 300 per arm for 50% vs 80% is far below 1e-4: the axis stops at the floor
    ns = [14, 100, 300]
    ps = [pvalue_at_n(0.5, 0.8, n_treat=n, n_ctrl=n).pvalue for n in ns]
    assert ps[-1] < ch.PVALUE_FLOOR
    chart = ch.pvalue_vs_n_chart(ns, ps, risk_treat=0.5, risk_ctrl=0.8, current=(14, 15),
                                 current_pvalue=ps[0])
    spec = chart.to_dict()
    scale = spec["layer"][0]["encoding"]["y"]["scale"]
    assert scale["domainMin"] == ch.PVALUE_FLOOR and scale["clamp"] is True
    assert f"The axis stops at {ch.PVALUE_FLOOR:g}" in chart.description
    assert "axis stops" not in (ch.pvalue_vs_n_chart(ns[:1], ps[:1], risk_treat=0.5, risk_ctrl=0.8,
                                                               current=(14, 15), current_pvalue=ps[0]).description)
