"""The appraisal worksheet as a no-code widget: one tab per step, answers beside the library's.

:class:`AppraisalWorksheet` is ipywidgets wiring over :class:`appraise.worksheet.Worksheet`,
which holds the steps, the questions, the library's answers and the exports.  It is
re-exported as ``appraise.widgets.AppraisalWorksheet``.
"""

from __future__ import annotations

import base64
from pathlib import Path

import ipywidgets as w

from ._format import escape_widget_text as _esc
from .worksheet import MAX_ANSWER_CHARS, Worksheet

__all__ = ["AppraisalWorksheet"]

UNANSWERED = "—"
#: Short tab titles (nine tabs fit a 1280-pixel notebook uncut); each page opens with the
#: step's full title.
TAB_TITLES = {"design": "Design", "recomputation": "Recompute", "forensics": "Forensics",
              "power": "Power", "fragility": "Fragility", "bayes": "Bayes",
              "within": "Within & zero", "registration": "Registration", "bias": "Risk of bias"}
_SUFFIX = {"markdown": "md", "html": "html"}
_MIME = {"markdown": "text/markdown", "html": "text/html"}


def _parse_number(text: str, question_id: str) -> float:
    cleaned = text.strip().rstrip("%").strip().replace(",", ".")
    try:
        return float(cleaned)
    except ValueError:
        raise ValueError(f"answer to {question_id} must be a number such as 12.5, got {text!r}") from None


class AppraisalWorksheet:
    """A no-code appraisal of one trial: tabs for the nine steps of the course.

    In each tab the learner answers the appraisal questions with dropdowns, number boxes and
    text boxes; once a question is answered the library's result appears beside it, marked
    "agrees" or "differs".  The buttons write the finished appraisal next to the notebook as
    Markdown or HTML and offer it as a download link.

    Parameters
    ----------
    trial : appraise.trials.Trial
    outcome_id : str, optional
        The outcome to recompute; default the card's primary outcome, else its first.
    alpha : float

    Attributes
    ----------
    worksheet : appraise.worksheet.Worksheet
        The answers and the library's results (``.answers``, ``.agrees(id)``).
    controls : dict
        Question id -> its control (``Dropdown`` for choices, ``Text`` for numbers,
        ``Textarea`` for notes).
    library : dict
        Question id -> the ``HTML`` widget showing the library's result.
    tabs : ipywidgets.Tab
    status, downloads : ipywidgets.HTML
    widget : ipywidgets.VBox

    Examples
    --------
    >>> from appraise.trials import load_trial
    >>> sheet = AppraisalWorksheet(load_trial("mensc-secretome-covid19"))
    >>> sheet.library["design.randomised"].value
    ''
    >>> sheet.controls["design.randomised"].value = "no"
    >>> "differs" in sheet.library["design.randomised"].value
    True
    """

    def __init__(self, trial, outcome_id: str | None = None, *, alpha: float = 0.05):
        self.worksheet = Worksheet(trial, outcome_id, alpha=alpha)
        self.controls: dict[str, w.Widget] = {}
        self.library: dict[str, w.HTML] = {}
        self.status = w.HTML(value="")
        self.downloads = w.HTML(value="")
        pages = [self._page(step) for step in self.worksheet.steps]
        self.tabs = w.Tab(children=pages)
        self.tabs.titles = tuple(TAB_TITLES.get(step.id, step.title) for step in self.worksheet.steps)
        self.save_markdown = w.Button(description="Save as Markdown", layout=w.Layout(width="auto"))
        self.save_html = w.Button(description="Save as HTML", layout=w.Layout(width="auto"))
        self.save_markdown.on_click(lambda _b: self._save("markdown"))
        self.save_html.on_click(lambda _b: self._save("html"))
        title = w.HTML(f"<b>Appraisal worksheet: {_esc(trial.short_title)}</b>")
        self.widget = w.VBox([title, self.tabs, w.HBox([self.save_markdown, self.save_html]),
                              self.status, self.downloads])

    # -- building ----------------------------------------------------------------------

    def _control(self, q):
        if q.kind == "choice":
            control = w.Dropdown(options=(UNANSWERED, *q.options), value=UNANSWERED,
                                 layout=w.Layout(width="auto", min_width="12em"))
        elif q.kind == "number":
            control = w.Text(value="", placeholder="a number", layout=w.Layout(width="10em"))
        else:
            control = w.Textarea(value="", placeholder="your notes", layout=w.Layout(width="95%"))
        control.observe(lambda change, qid=q.id: self._on_answer(qid, change["new"]), names="value")
        return control

    def _page(self, step):
        facts = "".join(f"<li>{_esc(f)}</li>" for f in step.facts)
        rows = [w.HTML(f"<b>{_esc(step.title)}</b><br><i>{_esc(step.method)}</i>"),
                w.HTML(f"<details><summary>What the library computes for this trial</summary>"
                       f"<ul>{facts}</ul></details>")]
        for q in step.questions:
            self.controls[q.id] = self._control(q)
            self.library[q.id] = w.HTML(value="")
            rows.append(w.VBox([w.HTML(f"<b>{_esc(q.prompt)}</b>"), self.controls[q.id], self.library[q.id]]))
        return w.VBox(rows)

    # -- answering ---------------------------------------------------------------------

    def _on_answer(self, question_id: str, value) -> None:
        q = self.worksheet.question(question_id)
        try:
            if q.kind == "choice":
                value = None if value == UNANSWERED else value
            elif q.kind == "number":
                value = _parse_number(value, question_id) if value.strip() else None
            elif len(value) > MAX_ANSWER_CHARS:
                raise ValueError(f"notes must be at most {MAX_ANSWER_CHARS} characters, got {len(value)}")
            self.worksheet.answer(question_id, value)
        except (ValueError, TypeError) as exc:
            self.status.value = f"⚠ {_esc(exc)}"
            return
        self.status.value = ""
        self._show(question_id)
        if question_id.startswith("bias."):
            self._show("bias.overall")

    def _show(self, question_id: str) -> None:
        q = self.worksheet.question(question_id)
        if q.kind == "text" or question_id not in self.worksheet.answers:
            self.library[question_id].value = ""
            return
        agree = self.worksheet.agrees(question_id)
        mark = {True: " — <b>agrees</b>", False: " — <b>differs</b>", None: ""}[agree]
        self.library[question_id].value = (f"The library: {_esc(self.worksheet.explanation(question_id))}"
                                           f"{mark}")

    # -- export ------------------------------------------------------------------------

    def to_markdown(self) -> str:
        """The finished appraisal as Markdown."""
        return self.worksheet.to_markdown()

    def to_html(self) -> str:
        """The finished appraisal as a standalone HTML page."""
        return self.worksheet.to_html()

    def save(self, format: str = "markdown", directory=".") -> Path:  # noqa: A002 - the documented keyword
        """Write the appraisal to ``appraisal-<trial id>.md`` (or ``.html``) in ``directory``."""
        if format not in _SUFFIX:
            raise ValueError(f"format must be 'markdown' or 'html', got {format!r}")
        text = self.to_markdown() if format == "markdown" else self.to_html()
        path = Path(directory) / f"appraisal-{self.worksheet.trial.id}.{_SUFFIX[format]}"
        path.write_text(text, encoding="utf-8")
        return path

    def download_link(self, format: str = "markdown") -> str:  # noqa: A002
        """An HTML link that downloads the appraisal (a data URI; nothing is written)."""
        if format not in _SUFFIX:
            raise ValueError(f"format must be 'markdown' or 'html', got {format!r}")
        text = self.to_markdown() if format == "markdown" else self.to_html()
        data = base64.b64encode(text.encode("utf-8")).decode("ascii")
        name = f"appraisal-{self.worksheet.trial.id}.{_SUFFIX[format]}"
        return (f'<a download="{_esc(name)}" href="data:{_MIME[format]};charset=utf-8;base64,{data}">'
                f"Download {_esc(name)}</a>")

    def _save(self, format: str) -> None:  # noqa: A002
        try:
            path = self.save(format)
        except OSError as exc:
            self.status.value = f"⚠ could not write the file: {_esc(exc)}"
        else:
            self.status.value = f"Saved {_esc(path.name)} next to this notebook."
        self.downloads.value = self.download_link(format)

    # -- display -----------------------------------------------------------------------

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)

    def display(self):
        """Show the worksheet (same as leaving it as the last expression of a cell)."""
        from IPython.display import display

        display(self.widget)
