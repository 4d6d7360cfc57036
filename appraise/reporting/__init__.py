"""The full appraisal of one trial as Markdown, self-contained HTML or JSON.

(The package is called ``reporting`` so that importing it never hides the function
``appraise.report`` behind a module of the same name.)

:func:`report` gathers, for one trial: its citation and design (facts the card does not
state are "not reported"), the recomputed 2x2 statistics of every binary outcome (risks,
risk difference with Newcombe's interval, risk ratio, odds ratio, NNT and five p-values),
every claim of the card with its verdict (checked, with result and evidence, or "not
checkable here" with the reason), the registration audit, and the flags grouped by severity,
identical findings said once for all the claims they concern.  Every check is computed once
(:func:`appraise.verdicts.assess`) and the three formats render the same data:

- :mod:`.data` -- :func:`report_data`, the plain data;
- :mod:`.markdown`, :mod:`.html`, :mod:`.json` -- the renderers, each escaping card text for
  its output (:mod:`appraise._format`).
"""

from __future__ import annotations

from appraise._validate import check_choice

from .data import report_data
from .html import render_html
from .json import render_json
from .markdown import render_markdown

__all__ = ["report", "report_data", "FORMATS"]

FORMATS = ("markdown", "html", "json")
_RENDER = {"markdown": render_markdown, "html": render_html, "json": render_json}


def report(trial, *, format: str = "markdown") -> str:  # noqa: A002 - the documented keyword
    """Render the full appraisal of a trial.

    Parameters
    ----------
    trial : appraise.trials.Trial
        A loaded trial card.
    format : {"markdown", "html", "json"}
        ``"markdown"``: headings and tables; ``"html"``: one self-contained page (inline
        CSS, no scripts, every card string escaped); ``"json"``: the data of
        :func:`report_data` with sorted keys (stable output).

    Returns
    -------
    str

    Raises
    ------
    TypeError
        If ``trial`` is not a Trial or ``format`` not a string.
    ValueError
        If ``format`` is not one of the three.

    Examples
    --------
    >>> from appraise.trials import load_trial
    >>> trial = load_trial("mensc-secretome-covid19")
    >>> print(report(trial).splitlines()[0])
    # Appraisal: Menstrual-blood stromal cell secretome for severe COVID-19 (14 vs 15)
    >>> import json
    >>> data = json.loads(report(trial, format="json"))
    >>> "p-value-irreproducible" in {f["code"] for f in data["flags"]}
    True
    >>> report(trial, format="html").startswith("<!DOCTYPE html>")
    True
    """
    check_choice("format", format, FORMATS)
    return _RENDER[format](report_data(trial))
