"""The report as one self-contained HTML page: inline CSS, no scripts, no external assets.

Every string from a trial card, and every message built from one, goes through
:func:`appraise._format.escape_html`.
"""

from __future__ import annotations

from appraise._format import escape_html as _e

from ._text import (FIGURE_HEADER, FIGURES_TITLE, claim_rows, claims_overview, design_rows, evidence_text,
                    figure_rows, outcome_rows, percentage_rows, pvalue_rows)
from .data import flag_sections

__all__ = ["render_html"]

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;max-width:60rem;margin:2rem auto;
padding:0 1rem;color:#1a1a1a;line-height:1.5}
h1{font-size:1.6rem}h2{border-bottom:1px solid #ccc;padding-bottom:.2rem;margin-top:2rem}
table{border-collapse:collapse;margin:.5rem 0 1rem}td,th{border:1px solid #ccc;padding:.25rem .6rem;
text-align:left;vertical-align:top}th{background:#f2f2f2}
.flag{border-left:.4rem solid #999;padding:.3rem .8rem;margin:.6rem 0;background:#fafafa}
.serious{border-color:#D55E00}.caution{border-color:#E69F00}.info{border-color:#0072B2}
.code{font-family:ui-monospace,monospace;font-size:.9em}.evidence{font-size:.9em;color:#444}
"""


def _table(header, rows) -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{_e(c)}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def render_html(d) -> str:
    """One HTML page of :func:`~appraise.reporting.report_data`'s dictionary ``d``."""
    t = d["trial"]
    p = ['<!DOCTYPE html>', '<html lang="en">', '<head>', '<meta charset="utf-8">',
         f"<title>Appraisal: {_e(t['short_title'])}</title>", f"<style>{_CSS}</style>", "</head>",
         "<body>", f"<h1>Appraisal: {_e(t['short_title'])}</h1>", f"<p>{_e(t['citation_text'])}</p>",
         "<h2>Design</h2>", _table(("item", "value"), design_rows(d)), "<h2>Recomputed outcomes</h2>"]
    for o in d["outcomes"]:
        p.append(f"<h3>{_e(o['label'])}</h3>")
        p.append(f"<p>Event: {_e(o['event'])} ({'fewer is better' if o['event_is_bad'] else 'more is better'}); "
                 f"time frame: {_e(o['time_frame'] or 'not stated')}.</p>")
        p.append(_table(("quantity", "value"), outcome_rows(o)))
    p += ["<h2>Claims and verdicts</h2>", f"<p>{_e(claims_overview(d))}</p>"]
    if d["claims"]:
        p.append(_table(("claim", "kind", "as printed", "verdict", "finding"), claim_rows(d)))
    p.append("<h2>Reported numbers checked</h2>")
    pc, pv = percentage_rows(d), pvalue_rows(d)
    if pc:
        p.append(_table(("claim", "reported", "n", "count", "fits k", "consistent"), pc))
    if pv:
        p.append(_table(("claim", "reported", "test", "recomputed p", "consistent"), pv))
    if not pc and not pv:
        p.append("<p>No reported percentages or p-values to check.</p>")
    fr = figure_rows(d)
    if fr:
        p += [f"<h2>{_e(FIGURES_TITLE)}</h2>", _table(FIGURE_HEADER, fr)]
    p.append("<h2>Registration</h2>")
    reg = d["registration"]
    if reg["entries"]:
        p.append("<ul>")
        for e in reg["entries"]:
            p.append(f"<li><strong>{_e(e['registry'])} {_e(e['id'])}</strong> ({_e(e['date_text'])}, "
                     f"{_e(e['declared_format'])}): {_e(e['verdict'])}. {_e(e['explanation'])}</li>")
        p.append("</ul>")
        p.append(_table(("date", "event", "reading"),
                        [(ev["date"], ev["label"], "uncertain" if ev["uncertain"] else "")
                         for ev in reg["timeline"]]))
    else:
        p.append("<p>The card records no registry entry.</p>")
    p.append("<h2>Flags</h2>")
    if not d["flags"]:
        p.append("<p>No flags raised.</p>")
    for sev, title, n, groups in flag_sections(d):
        p.append(f"<h3>{_e(title)} ({n})</h3>")
        for g in groups:
            code = f'<span class="code">{_e(g["code"])}</span>'
            if len(g["items"]) == 1:
                f = g["items"][0]
                p.append(f'<div class="flag {_e(sev)}"><p><strong>{_e(f["title"])}</strong> {code} about '
                         f'<span class="code">{_e(f["claim"])}</span></p><p>{_e(f["detail"])}</p>'
                         f'<p class="evidence">Evidence: {_e(evidence_text(f["evidence"]))}</p></div>')
                continue
            items = "".join(f'<li><strong>{_e(f["claim"])}: {_e(f["title"])}.</strong> {_e(f["detail"])} '
                            f'<span class="evidence">Evidence: {_e(evidence_text(f["evidence"]))}</span></li>'
                            for f in g["items"])
            p.append(f'<div class="flag {_e(sev)}"><p>{code}, the same finding for {len(g["items"])} claims '
                     f'({_e(", ".join(g["claims"]))}): {_e(g["shared"])}</p><ul>{items}</ul></div>')
    p += ["</body>", "</html>"]
    return "\n".join(p) + "\n"
