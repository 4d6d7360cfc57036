"""Rows and sentences shared by the Markdown and HTML reports (plain text; each renderer escapes)."""

from __future__ import annotations

from appraise._format import format_ci, format_number, format_p

from .data import STATUS_TITLES, TEST_NAMES

__all__ = ["design_rows", "outcome_rows", "evidence_text", "claim_rows", "claims_overview",
           "percentage_rows", "pvalue_rows", "figure_rows", "FIGURE_HEADER", "FIGURES_TITLE"]

FIGURES_TITLE = "Survival and continuous outcomes checked"
FIGURE_HEADER = ("outcome", "figure", "as printed", "check", "verdict", "finding")


def _or(value, missing="not stated") -> str:
    return missing if value in (None, "") else str(value)


def design_rows(d) -> list[tuple[str, str]]:
    des, st = d["design"], d["design_stated"]
    arms = [(f"Arm: {a['label']} ({a['role']})",
             f"{a['n_analysed']} analysed; randomised: {_or(a.get('n_randomised'), 'not reported')}")
            for a in d["arms"]]
    return [
        ("Allocation", des["allocation"] + (f", {des['ratio']}" if des["ratio"] else "")),
        ("Blinding", des["blinding"]),
        ("Blinding of participants", st["blinding_participants"]),
        ("Blinding of personnel", st["blinding_personnel"]),
        ("Blinding of outcome assessors", st["blinding_assessors"]),
        ("Control", des["control"]), ("Phase", _or(des["phase"])),
        ("Population", des["population"]), ("Intervention", des["intervention"]),
        ("Comparator", des["comparator"]), *arms,
        ("Follow-up", f"{des['follow_up_days']} days" if des["follow_up_days"] else "not stated"),
        ("Primary outcome", _or(des["primary_outcome"])),
        ("Sample-size calculation", st["sample_size_calculation"]),
        ("Multiplicity adjustment", st["multiplicity_adjustment"]),
    ]


def _ci(e, digits=3, pct=False) -> str:
    return format_ci(e["low"], e["high"], estimate=e["estimate"], digits=digits, pct=pct)


def outcome_rows(o) -> list[tuple[str, str]]:
    rows = [
        ("Events, treatment", f"{o['events_treat']}/{o['n_treat']}"),
        ("Events, control", f"{o['events_ctrl']}/{o['n_ctrl']}"),
        ("Risk, treatment (Wilson 95% CI)", _ci(o["risk_treat"], pct=True)),
        ("Risk, control (Wilson 95% CI)", _ci(o["risk_ctrl"], pct=True)),
        ("Risk difference (Newcombe 95% CI)", _ci(o["risk_difference"])),
        ("Risk ratio (95% CI)", _ci(o["risk_ratio"])),
        ("Odds ratio (95% CI)", _ci(o["odds_ratio"])),
        ("NNT", o["nnt"]["text"]),
    ]
    for name, t in o["tests"].items():
        value = (format_p(t["pvalue"], digits=4) if t.get("computed", True) and t["pvalue"] is not None
                 else "not computed (arm too large)")
        rows.append((f"p, {TEST_NAMES.get(name, name)}", value))
    return rows


def evidence_text(value) -> str:
    if isinstance(value, dict):
        return "; ".join(f"{k}: {evidence_text(v)}" for k, v in value.items())
    if isinstance(value, list):
        return "[" + ", ".join(evidence_text(v) for v in value) + "]"
    if isinstance(value, float):
        return f"{value:.4g}"
    return format_number(value)


def claims_overview(d) -> str:
    counts: dict[str, int] = {}
    for v in d["claims"]:
        counts[v["status"]] = counts.get(v["status"], 0) + 1
    parts = ", ".join(f"{n} {STATUS_TITLES[s]}" for s, n in counts.items())
    n = len(d["claims"])
    return (f"Every claim of the card, in card order: {n} claim{'s' if n != 1 else ''}"
            + (f" ({parts})." if parts else "."))


def claim_rows(d) -> list[tuple[str, ...]]:
    """(claim id, kind, as printed, verdict, finding) per claim, in card order."""
    return [(v["claim_id"], v["kind"], v["text"], v["status"], v["summary"]) for v in d["claims"]]


def percentage_rows(d) -> list[tuple[str, ...]]:
    return [(r["claim"], r["reported"], format_number(r["n"]), format_number(r["events"]),
             r["candidates_text"], format_number(r["consistent"]))
            for r in d["checks"]["percentages"]]


def figure_rows(d) -> list[tuple[str, ...]]:
    """(outcome, figure, as printed, check, verdict, finding) per checked figure of a
    time-to-event or continuous outcome."""
    return [(r["outcome_label"], r["claim"] or r["figure"], r["text"], r["check_title"], r["status"],
             r["summary"]) for r in d.get("outcome_figures", [])]


def pvalue_rows(d) -> list[tuple[str, ...]]:
    rows = []
    for r in d["checks"]["pvalues"]:
        ps = ", ".join(f"{k} {format_p(v, digits=4)}" for k, v in r["pvalues"].items() if v is not None)
        rows.append((r["claim"], r["reported"], r["test"], ps, format_number(r["consistent"])))
    return rows
