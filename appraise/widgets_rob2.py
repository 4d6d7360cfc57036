"""Explorer of lesson 8: the RoB 2 signalling questions as dropdowns, with domain
judgements and traffic lights (:class:`RoB2Checklist`).

The RoB 2 tables and algorithms live in :mod:`appraise.rob2` (pure functions, tested on
every combination of answers); the checklist only wires them to dropdowns.
"""

from __future__ import annotations

import html
from typing import Mapping

import ipywidgets as w

from . import charts
from ._format import escape_widget_text
from ._widget_base import _Explorer
from .rob2 import ROB2_ANSWERS, ROB2_DOMAINS, rob2_domain_judgement, rob2_options, rob2_overall

__all__ = ["RoB2Checklist"]



class RoB2Checklist(_Explorer):
    """Answer the RoB 2 signalling questions; see domain judgements and traffic lights.

    Controls: ``dropdowns[question]`` (e.g. ``dropdowns["1.2"]``), each with "—"
    (unanswered) and the answers :func:`appraise.rob2.rob2_options` allows ("NA" only for
    conditional questions), each labelled in words ("PY — probably yes"); a legend above the
    questions explains the codes.  Displays ``judgement_html[domain]`` (empty until the
    domain has an answer; then what is still to answer, or the judgement),
    ``overall_html``, ``comparison_html`` and a traffic-light chart.

    ``answer_key`` is a :class:`appraise.rob2.RoB2Key` (judgements and the answers behind
    them) or a mapping of domain -> judgement and optionally ``"Overall"``.  For a domain
    whose judgement differs from the key, the comparison lists the answers that led to each
    judgement, and which answers differ when the key has them.

    Examples
    --------
    >>> rob = RoB2Checklist(answer_key={"D1": "some concerns"})
    >>> rob.judgement_html["D1"].value
    ''
    >>> for q, v in {"1.1": "Y", "1.2": "NI", "1.3": "N"}.items():
    ...     rob.dropdowns[q].value = v
    >>> rob.judgements["D1"]
    'some concerns'
    """

    UNANSWERED = "—"

    #: The answer codes in words (the guidance's response options).
    ANSWER_WORDS = {"Y": "yes", "PY": "probably yes", "PN": "probably no", "N": "no",
                    "NI": "no information", "NA": "not applicable"}

    def __init__(self, *, answer_key=None, outcome: str = ""):
        super().__init__()
        self.key_answers: dict = dict(getattr(answer_key, "answers", None) or {})
        if hasattr(answer_key, "as_mapping"):
            answer_key = answer_key.as_mapping()
        self.answer_key = dict(answer_key or {})
        self.dropdowns: dict[str, w.Dropdown] = {}
        self.judgement_html: dict[str, w.HTML] = {}
        self.judgements: dict[str, str | None] = {d: None for d in ROB2_DOMAINS}
        legend = w.HTML(
            "<b>Answers</b>: " + "; ".join(f"<b>{code}</b> = {words}" for code, words in self.ANSWER_WORDS.items())
            + " (NA only for a question that applies after certain earlier answers); "
            f"<b>{self.UNANSWERED}</b> = not answered yet.")
        sections = []
        for dom, spec in ROB2_DOMAINS.items():
            rows = []
            for q, text in spec["questions"].items():
                options = [(self.UNANSWERED, self.UNANSWERED)]
                options += [(f"{code} — {self.ANSWER_WORDS[code]}", code) for code in rob2_options(q)]
                dd = w.Dropdown(options=options, value=self.UNANSWERED, layout=w.Layout(width="190px"))
                self.dropdowns[q] = dd
                rows.append(w.HBox([dd, w.HTML(f"{q} {escape_widget_text(text)}")]))
            self.judgement_html[dom] = w.HTML()
            sections.append(w.VBox([w.HTML(f"<b>{dom}. {escape_widget_text(spec['name'])}</b>"), *rows,
                                    self.judgement_html[dom]]))
        self.overall_html = w.HTML()
        self.comparison_html = w.HTML()
        self.outcome = outcome
        args, kwargs = self._lights()
        self.chart_view = charts.live_chart(charts.traffic_light_chart(*args, **kwargs))
        self._observe(*self.dropdowns.values())
        self.widget = w.VBox([legend, *sections, self.overall_html, self.comparison_html, self.status,
                              self.chart_view])
        self.update()

    def answers(self, domain: str) -> dict:
        """The answers given so far in one domain (unanswered questions left out)."""
        return {q: self.dropdowns[q].value for q in ROB2_DOMAINS[domain]["questions"]
                if self.dropdowns[q].value != self.UNANSWERED}

    def _lights(self):
        """Arguments of the traffic-light chart for the current judgements."""
        lights = {d: (j or "no information") for d, j in self.judgements.items()}
        overall = None
        if all(self.judgements.values()):
            overall = rob2_overall(self.judgements)
        return (lights,), dict(overall=overall, study=self.outcome or "This trial")

    @staticmethod
    def _still_to_answer(message: str) -> str:
        """The library's reason a domain cannot be judged yet, in the checklist's words."""
        import re

        m = re.search(r"question (\d\.\d) must be answered \(([^)]*)\) for this judgement"
                      r"(?:; (it applies if [^;]*))?; got '?(\w+)'?", message)
        if not m:
            return html.escape(message)
        q, options, applies, got = m.groups()
        if got == "NA":
            return (f"Question {q} is marked NA (not applicable), but {html.escape(applies or 'it applies here')}: "
                    f"answer it ({html.escape(options)}).")
        return f"Still to answer before this domain can be judged: question {q} ({html.escape(options)})."

    @staticmethod
    def _answer_text(answers: Mapping[str, str]) -> str:
        return ", ".join(f"{q} {a}" for q, a in answers.items()) or "none"

    def _difference(self, dom: str) -> str:
        """The answers behind a domain judgement that differs from the key."""
        mine = self.answers(dom)
        text = f"your answers {html.escape(self._answer_text(mine))}"
        key = self.key_answers.get(dom)
        if key:
            differ = [f"{q} (yours {mine.get(q, 'unanswered')}, key {a})" for q, a in key.items()
                      if mine.get(q) != a]
            text += f"; key's answers {html.escape(self._answer_text(key))}"
            if differ:
                text += f"; they differ at {html.escape(', '.join(differ))}"
        return text

    def _update(self):
        for dom in ROB2_DOMAINS:
            given = self.answers(dom)
            if not given:
                self.judgements[dom] = None
                self.judgement_html[dom].value = ""
                continue
            try:
                self.judgements[dom] = rob2_domain_judgement(dom, given)
                self.judgement_html[dom].value = f"Judgement: <b>{self.judgements[dom]}</b>"
            except ValueError as exc:
                self.judgements[dom] = None
                self.judgement_html[dom].value = f"<i>{self._still_to_answer(str(exc))}</i>"
        if all(self.judgements.values()):
            overall = rob2_overall(self.judgements)
            self.overall_html.value = f"<b>Overall risk of bias: {overall}</b>"
        else:
            overall = None
            self.overall_html.value = "<b>Overall</b>: judged once every domain has its answers."
        self.comparison_html.value = ""
        if self.answer_key and any(self.judgements.values()):
            mine = dict(self.judgements, Overall=overall)
            lines = []
            for dom, key in self.answer_key.items():
                got = mine.get(dom)
                if got is None:
                    lines.append(f"· {html.escape(dom)}: not judged yet")
                elif got == key:
                    lines.append(f"✓ {html.escape(dom)}: yours {html.escape(got)}, key {html.escape(key)}")
                else:
                    line = f"✗ {html.escape(dom)}: yours {html.escape(got)}, key {html.escape(key)}"
                    if dom in ROB2_DOMAINS:
                        line += f" — {self._difference(dom)}"
                    lines.append(line)
            self.comparison_html.value = "<br>".join(lines)
        args, kwargs = self._lights()
        self._draw(self.chart_view, charts.traffic_light_chart, *args, **kwargs)
