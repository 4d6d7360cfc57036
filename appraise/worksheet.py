"""The appraisal worksheet: the course's appraisal path as questions, for any trial card.

A :class:`Worksheet` holds the nine steps of the course (design, recomputation,
reported-number forensics, power and sample size, fragility, Bayesian reanalysis,
within-group changes and zero events, registration and spin, risk of bias).  Each step has
the facts of the trial the library computes, written as sentences generated from the card
and the statistics, and questions the learner answers; each question carries the library's
own answer, so an answer can be set beside it.  A finished worksheet exports as Markdown or
HTML.  Nothing here displays anything: :class:`appraise.widgets.AppraisalWorksheet` is the
no-code layer over it, and lesson 10 shows its facts step by step.

Examples
--------
>>> from appraise.trials import load_trial
>>> ws = Worksheet(load_trial("mensc-secretome-covid19"))
>>> [s.id for s in ws.steps][:3]
['design', 'recomputation', 'forensics']
>>> ws.question("design.randomised").library_answer
'yes'
>>> ws.answer("design.randomised", "yes")
>>> ws.agrees("design.randomised")
True
>>> "## Design" in ws.to_markdown()
True
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from . import worksheet_facts as _facts
from ._format import escape_html, escape_markdown

__all__ = ["Worksheet", "Step", "Question", "STEPS", "MAX_ANSWER_CHARS", "escape_markdown", "escape_html"]

#: Steps of the worksheet: (id, title), in the order of the course.
STEPS = _facts.STEPS

#: A free-text answer longer than this is refused (a worksheet is short notes, and the
#: export must stay small enough to open in any browser).
MAX_ANSWER_CHARS = 5000


@dataclass(frozen=True)
class Question:
    """One appraisal question.

    Attributes
    ----------
    id : str
        ``"<step>.<name>"``, e.g. ``"design.randomised"``.
    step : str
        Id of its step.
    prompt : str
        The question, as shown to the learner (may name the trial's outcome or a claim).
    kind : {"choice", "number", "text"}
        How it is answered: one of ``options``, a number, or free text.
    options : tuple of str
        The allowed answers of a ``"choice"`` question (empty otherwise).
    library_answer : str or float or None
        The answer the library's result gives; None when the library gives none (free
        text, a judgement left to the reader).
    explanation : str
        The library's result in words, shown beside the learner's answer.
    tolerance : float
        For ``"number"`` questions: an answer within this of ``library_answer`` agrees.
    """

    id: str
    step: str
    prompt: str
    kind: str
    options: tuple[str, ...] = ()
    library_answer: str | float | None = None
    explanation: str = ""
    tolerance: float = 0.0


@dataclass(frozen=True)
class Step:
    """One step: its title, what it checks (method), the trial's facts and the questions."""

    id: str
    title: str
    method: str
    facts: tuple[str, ...]
    questions: tuple[Question, ...]


def _question(spec: dict, step: str) -> Question:
    spec = dict(spec)
    name = spec.pop("id")
    return Question(id=f"{step}.{name}", step=step, **spec)


class Worksheet:
    """The appraisal worksheet of one trial.

    Parameters
    ----------
    trial : appraise.trials.Trial
        A loaded trial card.
    outcome_id : str, optional
        The outcome the recomputation, power, fragility and Bayesian steps use; default the
        lesson's outcome (the card's primary outcome, else its first outcome).
    alpha : float
        Significance level of the tests and of the fragility index (default 0.05).

    Raises
    ------
    TypeError
        If ``trial`` is not a Trial.
    KeyError
        If ``outcome_id`` names no outcome of the card.
    """

    def __init__(self, trial, outcome_id: str | None = None, *, alpha: float = 0.05):
        from .trials import Trial

        if not isinstance(trial, Trial):
            raise TypeError(f"trial must be a Trial (use appraise.load_trial), got {trial!r:.80} "
                            f"of type {type(trial).__name__}")
        if outcome_id is not None and not isinstance(outcome_id, str):
            raise TypeError(f"outcome_id must be a string or None, got {outcome_id!r} of type "
                            f"{type(outcome_id).__name__}")
        self.trial = trial
        self.outcome = _facts.lesson_outcome(trial, outcome_id or None)
        self.alpha = alpha
        built = _facts.build_steps(trial, self.outcome, alpha=alpha)
        self.steps: tuple[Step, ...] = tuple(
            Step(id=sid, title=title, method=method, facts=tuple(facts),
                 questions=tuple(_question(q, sid) for q in questions))
            for sid, title, method, facts, questions in built)
        self._questions = {q.id: q for s in self.steps for q in s.questions}
        self._answers: dict[str, str | float] = {}

    # -- lookup ------------------------------------------------------------------------

    def step(self, step_id: str) -> Step:
        """The step with this id (``KeyError`` naming the known ids)."""
        for s in self.steps:
            if s.id == step_id:
                return s
        raise KeyError(f"no step {step_id!r}; the steps are {', '.join(s.id for s in self.steps)}")

    def question(self, question_id: str) -> Question:
        """The question with this id (``KeyError`` naming the step's questions)."""
        try:
            return self._questions[question_id]
        except KeyError:
            raise KeyError(f"no question {question_id!r}; the questions are "
                           f"{', '.join(self._questions)}") from None

    @property
    def questions(self) -> tuple[Question, ...]:
        return tuple(self._questions.values())

    # -- answers -----------------------------------------------------------------------

    def answer(self, question_id: str, value) -> None:
        """Record the learner's answer; ``None`` or ``""`` clears it.

        Raises ``ValueError`` for an answer a choice question does not offer, a number
        that is not finite, or text longer than :data:`MAX_ANSWER_CHARS`; ``TypeError``
        for a value of the wrong type.
        """
        q = self.question(question_id)
        if value is None or (isinstance(value, str) and not value.strip()):
            self._answers.pop(question_id, None)
            return
        if q.kind == "choice":
            if not isinstance(value, str):
                raise TypeError(f"answer to {question_id} must be a string, got {value!r}")
            if value not in q.options:
                raise ValueError(f"answer to {question_id} must be one of {list(q.options)}, got {value!r}")
        elif q.kind == "number":
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise TypeError(f"answer to {question_id} must be a number, got {value!r} "
                                f"of type {type(value).__name__}")
            if not math.isfinite(value):
                raise ValueError(f"answer to {question_id} must be a finite number, got {value!r}")
            value = float(value)
        else:
            if not isinstance(value, str):
                raise TypeError(f"answer to {question_id} must be text, got {value!r} "
                                f"of type {type(value).__name__}")
            if len(value) > MAX_ANSWER_CHARS:
                raise ValueError(f"answer to {question_id} must be at most {MAX_ANSWER_CHARS} "
                                 f"characters (a note, not a document), got {len(value)}")
        self._answers[question_id] = value

    @property
    def answers(self) -> dict:
        """The answers given so far: question id -> answer (a copy)."""
        return dict(self._answers)

    def library_answer(self, question_id: str):
        """The library's answer; for the overall risk of bias, the RoB 2 rule applied to
        the learner's five domain judgements (None until all five are given)."""
        q = self.question(question_id)
        if question_id == "bias.overall":
            domains = {d: self._answers.get(f"bias.{d.lower()}") for d in _facts.ROB2_DOMAIN_IDS}
            if all(domains.values()):
                from .rob2 import rob2_overall

                return rob2_overall(domains)
            return None
        return q.library_answer

    def agrees(self, question_id: str) -> bool | None:
        """Whether the learner's answer matches the library's (None: unanswered, or the
        library gives no answer)."""
        q = self.question(question_id)
        mine = self._answers.get(question_id)
        lib = self.library_answer(question_id)
        if mine is None or lib is None or q.kind == "text":
            return None
        if q.kind == "number":
            return abs(float(mine) - float(lib)) <= q.tolerance + 1e-12
        return mine == lib

    def explanation(self, question_id: str) -> str:
        """The library's result for a question in words (plain text, not escaped)."""
        q = self.question(question_id)
        if question_id == "bias.overall":
            lib = self.library_answer(question_id)
            if lib is None:
                return ("Give a judgement for each of the five domains first; the RoB 2 rule "
                        "then combines them.")
            return f"The RoB 2 rule applied to your five domain judgements gives: {lib}."
        return q.explanation

    def heading_markdown(self) -> str:
        """The trial in three lines of Markdown: title, citation, arms and the outcome used."""
        md = escape_markdown
        t = self.trial
        arms = ", ".join(f"{md(a.label)} ({a.role}, {a.n_analysed} analysed)" for a in t.arms)
        return (f"**{md(t.short_title)}**\n\n{md(_facts.citation_text(t))}\n\n"
                f"Arms: {arms}. Outcome used for the recomputation: {md(self.outcome.label)}.")

    def facts_markdown(self, step_id: str) -> str:
        """The step's facts of the trial as a Markdown bullet list (card text escaped)."""
        return "\n".join(f"- {_facts.render(f, escape_markdown)}" for f in self.step(step_id).facts)

    # -- export ------------------------------------------------------------------------

    def _answer_text(self, question_id: str) -> str:
        value = self._answers.get(question_id)
        if value is None:
            return "(not answered)"
        if isinstance(value, float):
            return f"{value:g}"
        return str(value)

    def _verdict_text(self, question_id: str) -> str:
        agree = self.agrees(question_id)
        return {True: "agrees", False: "differs", None: "—"}[agree]

    def to_markdown(self) -> str:
        """The worksheet with every step, fact, answer and library result, as Markdown."""
        md = escape_markdown
        t = self.trial
        lines = [f"# Appraisal worksheet: {md(t.short_title)}", "",
                 f"{md(_facts.citation_text(t))}", "",
                 f"Outcome used for the recomputation: {md(self.outcome.label)}.", ""]
        for s in self.steps:
            lines += [f"## {md(s.title)}", "", md(s.method), ""]
            lines += [f"- {_facts.render(f, md)}" for f in s.facts]
            lines += [""]
            for q in s.questions:
                lines += [f"**{md(q.prompt)}**", "",
                          f"- Your answer: {md(self._answer_text(q.id))}"]
                if q.kind != "text":
                    lines += [f"- The library: {md(self.explanation(q.id))} ({self._verdict_text(q.id)})"]
                lines += [""]
        return "\n".join(lines).rstrip() + "\n"

    def to_html(self) -> str:
        """The worksheet as a standalone HTML page (every card and answer text escaped)."""
        e = escape_html
        t = self.trial
        parts = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
                 f"<title>Appraisal worksheet: {e(t.short_title)}</title>",
                 "<style>body{font-family:sans-serif;max-width:60em;margin:auto;line-height:1.4}"
                 "td,th{border:1px solid #ccc;padding:4px;vertical-align:top}"
                 "table{border-collapse:collapse;width:100%}</style></head><body>",
                 f"<h1>Appraisal worksheet: {e(t.short_title)}</h1>",
                 f"<p>{e(_facts.citation_text(t))}</p>",
                 f"<p>Outcome used for the recomputation: {e(self.outcome.label)}.</p>"]
        for s in self.steps:
            parts += [f"<h2>{e(s.title)}</h2>", f"<p>{e(s.method)}</p>", "<ul>"]
            parts += [f"<li>{_facts.render(f, e)}</li>" for f in s.facts]
            parts += ["</ul>", "<table><tr><th>Question</th><th>Your answer</th>"
                      "<th>The library</th><th></th></tr>"]
            for q in s.questions:
                lib = "" if q.kind == "text" else e(self.explanation(q.id))
                parts.append(f"<tr><td>{e(q.prompt)}</td><td>{e(self._answer_text(q.id))}</td>"
                             f"<td>{lib}</td><td>{self._verdict_text(q.id)}</td></tr>")
            parts.append("</table>")
        parts.append("</body></html>")
        return "\n".join(parts) + "\n"
