"""The look shared by every chart: palette, sizes and a registered Altair theme.

The theme is registered with Altair (``alt.theme.register``) and enabled when
:mod:`appraise.charts` is imported, instead of being written into each chart with
``.configure_*``; charts therefore stay plain layer/concat-able Altair charts, and any
chart a learner builds after ``import appraise`` gets the same fonts and sizes.

>>> import altair as alt
>>> alt.theme.active
'appraise'
"""

from __future__ import annotations

import os

import altair as alt

__all__ = ["OKABE_ITO", "PALETTE", "THEME", "THEME_NAME", "EMBED_OPTIONS", "READING_WIDTH",
           "NOTEBOOK_CSS", "enable_offline", "live_chart", "reading"]

#: The Okabe-Ito palette (Okabe & Ito 2008, "Color Universal Design"), safe for the
#: common forms of colour-vision deficiency.
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky blue": "#56B4E9",
    "bluish green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish purple": "#CC79A7",
}

#: Roles used consistently across charts.  Lines and points on white use the darker
#: colours (orange and yellow are fills only: too little contrast as thin lines).
PALETTE = {
    "treatment": OKABE_ITO["blue"],
    "control": OKABE_ITO["orange"],
    "control line": OKABE_ITO["vermillion"],
    "exact": OKABE_ITO["blue"],
    "approximation": OKABE_ITO["orange"],
    "significant": OKABE_ITO["vermillion"],
    "not significant": OKABE_ITO["sky blue"],
    "reference": OKABE_ITO["black"],
    "highlight": OKABE_ITO["vermillion"],
    "muted": "#999999",
    "benefit": OKABE_ITO["bluish green"],
}

#: Sizes shared by every chart.  A chart plus its legend fits the output area of a
#: notebook in JupyterLab on a 1280-pixel-wide screen with the file browser open.
THEME = {
    "width": 420,
    "height": 260,
    "font": "sans-serif",
    "title_font_size": 15,
    "axis_title_font_size": 13,
    "label_font_size": 12,
}

THEME_NAME = "appraise"

#: Style added to the notebook page by :func:`enable_offline`: JupyterLab breaks printed
#: lines anywhere (``word-break: break-all``), even inside a word or a number ("1.1" /
#: "2"); this breaks them between words, and inside a word only when it is longer than
#: the line.
NOTEBOOK_CSS = (".jp-OutputArea-output pre, .jp-RenderedText pre "
                "{ word-break: normal; overflow-wrap: break-word; }")

#: vega-embed options of every live chart: drawn as SVG (sharp at any zoom, its text
#: readable by screen readers and measurable by the browser layout test).
EMBED_OPTIONS = {"renderer": "svg"}


@alt.theme.register(THEME_NAME, enable=True)
def appraise_theme() -> alt.theme.ThemeConfig:
    """The project's Altair theme (fonts, title, axes, legends, view)."""
    return alt.theme.ThemeConfig(config={
        "font": THEME["font"],
        "title": {"fontSize": THEME["title_font_size"], "anchor": "start", "limit": 0},
        "axis": {"labelFontSize": THEME["label_font_size"],
                 "titleFontSize": THEME["axis_title_font_size"]},
        "legend": {"labelFontSize": THEME["label_font_size"],
                   "titleFontSize": THEME["axis_title_font_size"], "labelLimit": 0, "titleLimit": 0},
        "header": {"labelFontSize": THEME["axis_title_font_size"]},
        "view": {"stroke": None, "continuousWidth": THEME["width"],
                 "continuousHeight": THEME["height"]},
    })


def enable_offline() -> str:
    """Render Altair charts offline in Jupyter (idempotent); return the renderer name.

    Uses Altair's ``jupyter`` renderer with ``offline=True``: each chart becomes a
    ``JupyterChart`` widget whose JavaScript is bundled by ``vl-convert-python``, so no
    CDN is needed and charts stay interactive.  Calling it again changes nothing.  It also
    re-enables the project's theme, in case another theme was enabled since the import.

    Set the environment variable ``APPRAISE_CHART_RENDERER=svg`` to draw static SVG
    instead (also offline, through ``vl-convert-python``): that is the setting for
    exporting a lesson to a self-contained HTML page with ``jupyter nbconvert --execute``.
    Widget explorers always use live charts.

    In a notebook it also adds :data:`NOTEBOOK_CSS` to the page (an HTML output holding
    a ``<style>``), so printed results wrap between words.

    Examples
    --------
    >>> enable_offline()
    'jupyter'
    >>> enable_offline()
    'jupyter'
    """
    alt.theme.enable(THEME_NAME)
    _style_notebook()
    renderer = os.environ.get("APPRAISE_CHART_RENDERER", "jupyter")
    if renderer == "svg":
        alt.renderers.enable("svg")
        return "svg"
    if renderer != "jupyter":
        raise ValueError(f"APPRAISE_CHART_RENDERER must be 'jupyter' or 'svg', got {renderer!r}")
    options = alt.renderers.options
    if (alt.renderers.active != "jupyter" or options.get("offline") is not True
            or options.get("embed_options") != EMBED_OPTIONS):
        alt.renderers.enable("jupyter", offline=True, embed_options=dict(EMBED_OPTIONS))
    alt.JupyterChart.enable_offline(offline=True)
    return alt.renderers.active


def _style_notebook() -> None:
    """Display :data:`NOTEBOOK_CSS` when running in a notebook kernel (nothing elsewhere)."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with altair's jupyter extra
        return
    shell = get_ipython()
    if shell is None or getattr(shell, "kernel", None) is None:
        return
    from IPython.display import HTML, display

    display(HTML(f"<style>{NOTEBOOK_CSS}</style>"))


def live_chart(chart) -> alt.JupyterChart:
    """``chart`` as a ``JupyterChart`` widget drawn offline as SVG (for the explorers).

    Examples
    --------
    >>> from appraise.charts import traffic_light_chart
    >>> view = live_chart(traffic_light_chart({"D1": "low"}))
    >>> view.embed_options
    {'renderer': 'svg'}
    """
    alt.JupyterChart.enable_offline(offline=True)
    return alt.JupyterChart(chart, embed_options=dict(EMBED_OPTIONS))


#: Printed readings are wrapped to this many characters: JupyterLab breaks a longer
#: printed line anywhere, even inside a word or a number ("1.1" / "2").
READING_WIDTH = 88


def reading(chart, *, width: int = READING_WIDTH) -> str:
    """A chart's reading (its one-line ``description``), wrapped for printing.

    The text is the chart's ``description`` broken at spaces into lines of at most
    ``width`` characters, so a notebook shows it without breaking a word;
    ``" ".join(reading(chart).split("\n")) == chart.description``.

    Examples
    --------
    >>> from appraise.charts import traffic_light_chart
    >>> reading(traffic_light_chart({"D1": "low", "D2": "high"}))
    'Risk of bias: low in D1; high in D2.'
    >>> print(reading(traffic_light_chart({"D1": "low", "D2": "high"}), width=20))
    Risk of bias: low in
    D1; high in D2.
    """
    import textwrap

    from .._validate import check_int

    width = check_int("width", width, minimum=20)
    text = getattr(chart, "description", alt.Undefined)
    if text is alt.Undefined or text is None:
        raise ValueError("chart has no description; build it with an appraise.charts builder")
    return textwrap.fill(str(text), width=width, break_long_words=False, break_on_hyphens=False)
