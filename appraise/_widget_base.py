"""Shared plumbing of the explorers: the status line, error messages, in-place chart
redraws, the layout that keeps every control readable, and the widget text helpers.
"""

from __future__ import annotations

import altair as alt
import ipywidgets as w

from . import charts
from ._format import escape_widget_text, format_p, format_pct, p_phrase

__all__ = ["tidy_layout"]

def _fmt_p(p: float) -> str:
    return escape_widget_text(format_p(p))


def _p_phrase(p: float) -> str:
    return escape_widget_text(p_phrase(p))


def _pct(x: float) -> str:
    return format_pct(x)


# Sizes for laying out controls so that nothing is cut on a 1280-pixel-wide screen.
_LABEL_PX_PER_CHAR = 7.5      # width of one character of a control's label (13 px font)
_SLIDER_TRACK_PX = 280        # a track long enough to set a chosen value with the mouse
_READOUT_PX = 70              # the slider's value readout
_INPUT_PX = 110               # a number box: three digits beside its arrows


def _label_px(text: str) -> int:
    return int(max(80, _LABEL_PX_PER_CHAR * len(text) + 12))


def tidy_layout(widget):
    """Lay out a widget tree so nothing is cut off; return the widget.

    Every slider gets a label column as wide as its label and a track of
    ``_SLIDER_TRACK_PX`` pixels (a label left at its natural width squeezes the track to a
    few pixels), every number or text box room for its label and three digits, every
    button the width of its text, and every row of widgets (``HBox``) wraps onto the next
    line instead of running past the edge of the notebook.  Widths set on purpose
    elsewhere by an explorer are replaced; the function is idempotent.
    """
    if isinstance(widget, (w.IntSlider, w.FloatSlider, w.IntRangeSlider, w.FloatRangeSlider,
                           w.SelectionSlider)):
        label = _label_px(widget.description or "")
        widget.style.description_width = f"{label}px"
        widget.layout.width = f"{label + _SLIDER_TRACK_PX + _READOUT_PX}px"
    elif isinstance(widget, (w.IntText, w.FloatText, w.BoundedIntText, w.BoundedFloatText, w.Text)):
        label = _label_px(widget.description or "")
        widget.style.description_width = f"{label}px"
        widget.layout.width = f"{label + _INPUT_PX}px"
    elif isinstance(widget, w.Button):
        widget.layout.width = "auto"
    if isinstance(widget, w.HBox) and not widget.layout.flex_flow:
        widget.layout.flex_flow = "row wrap"
    for child in getattr(widget, "children", ()):
        tidy_layout(child)
    return widget


class _Explorer:
    """Shared plumbing: status line, error handling, display."""

    def __init__(self):
        alt.JupyterChart.enable_offline(offline=True)
        self.status = w.HTML(value="")
        self.widget: w.Widget | None = None

    def _observe(self, *controls) -> None:
        for control in controls:
            control.observe(self._on_change, names="value")

    def _on_change(self, change=None) -> None:
        self.update()

    def update(self) -> bool:
        """Recompute and redraw from the current control values.

        Returns
        -------
        bool
            True when the values were valid; otherwise the reason is shown in
            ``self.status`` and the displays keep their last valid state.
        """
        try:
            self._update()
        except (ValueError, TypeError) as exc:
            self._message(str(exc))
            return False
        except Exception as exc:  # a bug: still a message in the page, not a traceback
            self._message(f"unexpected error ({type(exc).__name__}): {exc}")
            return False
        self.status.value = ""
        return True

    def _message(self, text: str) -> None:
        self.status.value = (f'<span style="color:{charts.OKABE_ITO["vermillion"]}">'
                             f"⚠ {escape_widget_text(text)}</span>")

    @staticmethod
    def _draw(view, builder, *args, **kwargs) -> None:
        """Redraw a JupyterChart in place from a builder's arguments (no chart rebuilt)."""
        view.spec = charts.chart_spec(builder, *args, **kwargs)

    def _update(self) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def _repr_mimebundle_(self, **kwargs):
        return tidy_layout(self.widget)._repr_mimebundle_(**kwargs)

    def display(self):
        """Show the explorer (same as leaving it as the last expression of a cell)."""
        from IPython.display import display

        display(tidy_layout(self.widget))


def _outcome(trial, outcome_id):
    from .trials import Trial

    if not isinstance(trial, Trial):
        raise TypeError(f"trial must be a Trial (appraise.load_trial), got {trial!r} of type "
                        f"{type(trial).__name__}")
    from .cards.claims import lesson_outcome

    return lesson_outcome(trial, outcome_id)
