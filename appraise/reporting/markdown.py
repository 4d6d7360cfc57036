"""The report as Markdown (CommonMark/GitHub/JupyterLab).

Every string that comes from a trial card, and every message built from one, goes through
:func:`appraise._format.escape_markdown`: no HTML, link, image, comment, code span, table cell
or heading can come out of card text.
"""

from __future__ import annotations

from appraise._format import escape_markdown as _m

from ._text import (FIGURE_HEADER, FIGURES_TITLE, claim_rows, claims_overview, design_rows, evidence_text,
                    figure_rows, outcome_rows, percentage_rows, pvalue_rows)
from .data import flag_sections

__all__ = ["render_markdown"]


def _table(header, rows) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(_m(c) for c in row) + " |" for row in rows]
    return out + [""]


def render_markdown(d) -> str:
    """Markdown text of :func:`~appraise.reporting.report_data`'s dictionary ``d``."""
    t = d["trial"]
    out = [f"# Appraisal: {_m(t['short_title'])}", "", _m(t["citation_text"]), "", "## Design", ""]
    out += [f"- **{_m(label)}:** {_m(value)}" for label, value in design_rows(d)]
    out += ["", "## Recomputed outcomes", ""]
    for o in d["outcomes"]:
        out += [f"### {_m(o['label'])}", "",
                f"Event: {_m(o['event'])} ({'fewer is better' if o['event_is_bad'] else 'more is better'}); "
                f"time frame: {_m(o['time_frame'] or 'not stated')}.", ""]
        out += _table(("quantity", "value"), outcome_rows(o))
    out += ["## Claims and verdicts", "", claims_overview(d), ""]
    if d["claims"]:
        out += _table(("claim", "kind", "as printed", "verdict", "finding"), claim_rows(d))
    out += ["## Reported numbers checked", ""]
    pc, pv = percentage_rows(d), pvalue_rows(d)
    if pc:
        out += _table(("claim", "reported", "n", "count", "fits k", "consistent"), pc)
    if pv:
        out += _table(("claim", "reported", "test", "recomputed p", "consistent"), pv)
    if not pc and not pv:
        out += ["No reported percentages or p-values to check.", ""]
    fr = figure_rows(d)
    if fr:
        out += [f"## {FIGURES_TITLE}", ""]
        out += _table(FIGURE_HEADER, fr)
    out += ["## Registration", ""]
    reg = d["registration"]
    if reg["entries"]:
        for e in reg["entries"]:
            out.append(f"- **{_m(e['registry'])} {_m(e['id'])}** ({_m(e['date_text'])}, "
                       f"{_m(e['declared_format'])}): {_m(e['verdict'])}. {_m(e['explanation'])}")
        out += ["", "Timeline:", ""]
        for ev in reg["timeline"]:
            out.append(f"- {_m(ev['date'])}: {_m(ev['label'])}" + (" (uncertain reading)" if ev["uncertain"] else ""))
    else:
        out.append("The card records no registry entry.")
    out += ["", "## Flags", ""]
    if not d["flags"]:
        out.append("No flags raised.")
    for _sev, title, n, groups in flag_sections(d):
        out += [f"### {title} ({n})", ""]
        for g in groups:
            if len(g["items"]) == 1:
                f = g["items"][0]
                out += [f"- **{_m(f['title'])}** (`{g['code']}`, about {_m(f['claim'])}): {_m(f['detail'])}",
                        f"  - Evidence: {_m(evidence_text(f['evidence']))}"]
                continue
            claims = ", ".join(_m(c) for c in g["claims"])
            out.append(f"- `{g['code']}`, the same finding for {len(g['items'])} claims ({claims}): "
                       f"{_m(g['shared'])}")
            for f in g["items"]:
                detail = f" {_m(f['detail'])}" if f["detail"] else ""
                out.append(f"  - **{_m(f['claim'])}: {_m(f['title'])}.**{detail} "
                           f"Evidence: {_m(evidence_text(f['evidence']))}")
        out.append("")
    return "\n".join(out).rstrip() + "\n"
