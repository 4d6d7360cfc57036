"""appraise._format: the one p-value rule, number formatters and the one JSON converter."""

import datetime
import json
import math
from decimal import ROUND_HALF_EVEN, Decimal

import numpy as np
import pytest

from appraise._format import (escape_chart_text, escape_html, escape_markdown, escape_terminal,
                              escape_widget_text, format_ci, format_nnt, format_p, format_pct,
                              format_ratio, p_phrase, to_json, to_jsonable)

# Boundary table: (p, alpha, digits, expected).  Rule: `digits` decimals and at least two
# significant digits, more decimals until the printed value sits on the same side of alpha
# as p; below 0.0001 "< 0.0001".
BOUNDARY = [
    (0.12814, 0.05, 3, "0.128"),
    (0.12814, 0.05, 4, "0.1281"),     # Fisher p of 7/14 vs 12/15 (trial-facts.md)
    (0.08942, 0.05, 4, "0.0894"),     # chi-square p of the same table (trial-facts.md)
    (0.0496, 0.05, 3, "0.0496"),      # never "0.050" (sample-size explorer, p below alpha)
    (0.0496, 0.05, 2, "0.0496"),
    (0.04999, 0.05, 3, "0.04999"),    # never "0.0500"
    (0.04999, 0.05, 4, "0.04999"),
    (0.049999999, 0.05, 3, "0.049999999"),
    (0.05, 0.05, 3, "0.050"),
    (0.0500001, 0.05, 3, "0.050"),    # at/above alpha may print as alpha
    (0.0099, 0.01, 2, "0.0099"),
    (0.0123, 0.05, 3, "0.012"),
    (0.001, 0.05, 3, "0.0010"),
    (0.00042, 0.05, 3, "0.00042"),
    (0.0001, 0.05, 3, "0.00010"),
    (0.0000999, 0.05, 3, "< 0.0001"),
    (0.0, 0.05, 3, "< 0.0001"),
    (1.0, 0.05, 3, "1.000"),
    (0.99999, 0.05, 3, "1.000"),
    (float("nan"), 0.05, 3, "n/a"),
]


@pytest.mark.parametrize("p, alpha, digits, expected", BOUNDARY)
def test_format_p_boundary_table(p, alpha, digits, expected):
    assert format_p(p, alpha=alpha, digits=digits) == expected
    if expected not in ("n/a",) and not expected.startswith("<"):
        # the printed value sits on p's side of alpha
        assert (float(expected) < alpha) == (p < alpha)


def test_format_p_never_crosses_alpha_and_matches_decimal_rounding():
    grid = np.concatenate([np.linspace(0.0001, 1, 2001), np.linspace(0.0495, 0.0505, 1001)])
    for p in grid:
        text = format_p(p)
        assert (float(text) < 0.05) == (p < 0.05), p
        # reference by a different method: the exact binary value rounded by Decimal to
        # max(3 decimals, two significant digits)
        d = Decimal(float(p))
        places = max(3, 1 - d.adjusted())
        ref = d.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_EVEN)
        if (float(ref) < 0.05) == (p < 0.05):
            assert text == str(ref), p


def test_p_phrase_never_p_equals_less_than():
    assert p_phrase(1e-9) == "p < 0.0001" and p_phrase(0.12814) == "p = 0.128"
    for p in (0.0, 1e-12, 0.00009, 0.5):
        assert "= <" not in p_phrase(p)


@pytest.mark.parametrize("bad, exc", [(1.5, ValueError), (-0.1, ValueError), ("0.1", TypeError),
                                      (True, TypeError), (None, TypeError)])
def test_format_p_rejects(bad, exc):
    with pytest.raises(exc, match="p"):
        format_p(bad)


def test_other_number_formats():
    assert format_pct(7 / 14) == "50.0%" and format_pct(None) == "n/a"
    assert format_pct(np.float32(0.8)) == "80.0%"
    assert format_ratio(float("inf")) == "∞" and format_ratio(float("nan")) == "n/a"
    assert format_ci(0.268, 0.732, estimate=0.5, pct=True) == "50.0% (26.8% to 73.2%)"
    assert format_nnt(1 / 0.3, "benefit") == "NNTB 3.3" and format_nnt(math.inf) == "infinity"


def test_to_jsonable_inf_nan_numpy_dates():
    data = {"inf": math.inf, "-inf": -math.inf, "nan": math.nan, "f32": np.float32(0.5),
            "i64": np.int64(7), "b": np.bool_(True), "arr": np.array([[1, 2], [3, 4]]),
            "farr": np.array([0.1, np.inf]), "day": datetime.date(2021, 8, 26),
            "t": (1, 2), "s": {3, 1}}
    out = to_jsonable(data)
    assert out == {"inf": None, "-inf": None, "nan": None, "f32": 0.5, "i64": 7, "b": True,
                   "arr": [[1, 2], [3, 4]], "farr": [0.1, None], "day": "2021-08-26",
                   "t": [1, 2], "s": [1, 3]}
    assert type(out["i64"]) is int and type(out["b"]) is bool
    json.dumps(out, allow_nan=False)
    with pytest.raises(TypeError, match="object"):
        to_jsonable(object())


def test_to_json_is_safe_in_html_and_terminal():
    text = to_json({"t": "</script><!-- \x1b[2J é"})
    assert "<" not in text and "\x1b" not in text and "é" not in text
    assert json.loads(text) == {"t": "</script><!-- \x1b[2J é"}


def test_infinite_nnt_is_the_same_in_compare_json_and_report_json(capsys):
    from appraise.__main__ import main

    main(["compare", "5/10", "5/10", "--json"])
    cmp = json.loads(capsys.readouterr().out)
    assert cmp["nnt"]["estimate"] is None and cmp["nnt"]["kind"] == "none"
    from appraise import load_trial
    from appraise.reporting import report_data

    trial = load_trial("mensc-secretome-covid19")
    data = json.loads(to_json(report_data(trial)))
    from appraise.proportions import compare_proportions, comparison_to_dict

    for o, outcome in zip(data["outcomes"], trial.outcomes):
        ref = comparison_to_dict(compare_proportions(*outcome.counts, event_is_bad=outcome.event_is_bad))
        assert {k: o["nnt"][k] for k in ("estimate", "low", "high", "kind")} == \
               {k: ref["nnt"][k] for k in ("estimate", "low", "high", "kind")}


def test_escapers():
    assert escape_html("<b>&") == "&lt;b&gt;&amp;"
    assert escape_widget_text("a\nb<") == "a b&lt;"
    assert escape_terminal("a\x1b[31mb\x07\x9b") == "ab"
    assert escape_markdown("a|b `c` $x$ <img src=x>") == "a\\|b \\`c\\` \\$x\\$ &lt;img src=x>"
    assert escape_chart_text("x\n</script>") == "x < /script>"
