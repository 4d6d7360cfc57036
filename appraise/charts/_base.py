"""How every chart is made: checked inputs -> parts -> one Altair chart, one spec path.

Each public builder is split in two:

* a *parts* function checks the inputs and computes everything that changes with the
  data: the rows of each named dataset, the title, the one-line reading and the size
  (:class:`ChartParts`);
* a *structure* function lays out the marks and encodings over the named datasets
  (``data(name)``); its other arguments (``ChartParts.key``) are the few things besides
  the data that shape the layout.

:func:`render` joins the two into the chart the builder returns.  :func:`chart_spec`
gives the same chart's Vega-Lite dict: the layout is rendered and validated against the
schema once (by :func:`render` and ``to_dict``) and cached, then only the rows and text
are filled in, which is what an explorer redrawing a ``JupyterChart`` on every move of a
control needs.  There is no other way a chart or a spec is made here.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Callable

import altair as alt
import numpy as np

__all__ = ["ChartParts", "register", "render", "chart_spec", "records"]

_PARTS: dict = {}          # public builder -> its parts function
_TEMPLATES: dict = {}      # (structure, key, theme) -> (validated spec without the data, data paths)
_MAX_TEMPLATES = 256
_FILLED = ("title", "description", "width", "height")


@dataclass(frozen=True)
class ChartParts:
    """Everything one chart shows, before it is laid out."""

    structure: Callable   # (data, *key) -> un-titled chart; data(name) gives a dataset
    key: tuple            # everything besides data and text that shapes the chart
    datasets: dict        # dataset name -> list of row dicts (plain Python values)
    title: str
    description: str
    width: int | None = None     # None for concatenated charts (each panel has its own size)
    height: int | None = None


def register(builder, parts_function) -> None:
    """Record ``parts_function`` as the parts of the public ``builder`` (for :func:`chart_spec`)."""
    _PARTS[builder] = parts_function


def render(parts: ChartParts):
    """The Altair chart of ``parts`` (the project theme applies when it is drawn).

    Each dataset is inline data carrying its name, so the chart can be layered and
    concatenated with other charts like any Altair chart.
    """
    def data(name):
        return alt.InlineData(values=parts.datasets[name], name=name)

    props = {"title": parts.title, "description": parts.description}
    if parts.width is not None:
        props.update(width=parts.width, height=parts.height)
    return parts.structure(data, *parts.key).properties(**props)


def _slots(node, names, path=()):
    """Paths to every inline dataset named in ``names`` inside a spec."""
    if isinstance(node, dict):
        if "values" in node and node.get("name") in names:
            yield path
        for k, v in node.items():
            yield from _slots(v, names, path + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _slots(v, names, path + (i,))


def _at(node, path):
    for step in path:
        node = node[step]
    return node


def _fill(parts: ChartParts) -> dict:
    tkey = (parts.structure, parts.key, alt.theme.active)
    cached = _TEMPLATES.get(tkey)
    if cached is None:
        if len(_TEMPLATES) >= _MAX_TEMPLATES:
            _TEMPLATES.clear()
        template = {k: v for k, v in render(parts).to_dict().items() if k not in _FILLED}
        slots = tuple(_slots(template, set(parts.datasets)))   # validated against the schema once
        for path in slots:
            _at(template, path)["values"] = None
        cached = _TEMPLATES[tkey] = (template, slots)
    template, slots = cached
    spec = copy.deepcopy(template)
    for path in slots:
        node = _at(spec, path)
        node["values"] = parts.datasets[node["name"]]
    spec.update(title=parts.title, description=parts.description)
    if parts.width is not None:
        spec.update(width=parts.width, height=parts.height)
    return spec


def chart_spec(builder, /, *args, **kwargs) -> dict:
    """The Vega-Lite dict of ``builder(*args, **kwargs)``, without building the chart.

    Works for every builder of :mod:`appraise.charts`.  The arguments are checked exactly
    as by the builder; the marks, encodings and theme come from a spec validated against
    the Vega-Lite schema the first time that layout is drawn, and only the rows, title,
    reading and size are filled in, so the result equals
    ``builder(*args, **kwargs).to_dict()`` at a fraction of the cost.  Assign it to a
    ``JupyterChart``'s ``spec`` to redraw it in place.

    Examples
    --------
    >>> from appraise.charts import traffic_light_chart
    >>> spec = chart_spec(traffic_light_chart, {"D1": "low", "D2": "high"})
    >>> spec == traffic_light_chart({"D1": "low", "D2": "high"}).to_dict()
    True
    >>> spec["description"]
    'Risk of bias: low in D1; high in D2.'
    """
    parts = _PARTS.get(builder)
    if parts is None:
        names = ", ".join(sorted(f.__name__ for f in _PARTS))
        raise ValueError(f"builder must be one of {names}; got {builder!r}")
    return _fill(parts(*args, **kwargs))


def records(**columns) -> list:
    """Rows from equal-length columns, as plain Python values."""
    names = list(columns)
    values = [c.tolist() if isinstance(c, np.ndarray) else list(c) for c in columns.values()]
    return [dict(zip(names, row)) for row in zip(*values)]


# ---------------------------------------------------------------------------
# formatting for chart text (display only)
# ---------------------------------------------------------------------------

def pct(x: float) -> str:
    """``0.5`` -> ``'50%'``, ``0.4286`` -> ``'42.9%'``."""
    value = round(100.0 * float(x), 1)
    return f"{value:.0f}%" if value.is_integer() else f"{value:.1f}%"


def pval(p: float) -> str:
    """A p-value as text by the package's one rule (:func:`appraise._format.format_p`)."""
    from appraise._format import format_p

    return format_p(float(p))


def p_phrase(p: float) -> str:
    """``'p = 0.128'`` or ``'p < 0.0001'`` (:func:`appraise._format.p_phrase`)."""
    from appraise._format import p_phrase as _phrase

    return _phrase(float(p))


# ---------------------------------------------------------------------------
# input checks shared by the builders
# ---------------------------------------------------------------------------

def as_float_array(name: str, values) -> np.ndarray:
    if isinstance(values, (str, bytes)):
        raise TypeError(f"{name} must be a sequence of numbers, got {values!r}")
    try:
        arr = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a sequence of numbers, got {values!r}") from None
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"{name} must be a non-empty one-dimensional sequence, got shape {arr.shape}")
    return arr


def check_unit(name: str, arr: np.ndarray) -> np.ndarray:
    bad = arr[~((arr >= 0) & (arr <= 1))]
    if bad.size:
        raise ValueError(f"{name} must lie in [0, 1], got {float(bad[0])!r}")
    return arr


def check_sizes(name: str, arr: np.ndarray) -> np.ndarray:
    bad = arr[~np.isfinite(arr) | (arr != np.round(arr))]
    if bad.size:
        raise TypeError(f"{name} must be whole numbers of patients, got {float(bad[0])!r}")
    bad = arr[arr < 1]
    if bad.size:
        raise ValueError(f"{name} must be at least 1, got {int(bad[0])!r}")
    return arr


def same_length(**arrays) -> None:
    lengths = {k: len(v) for k, v in arrays.items()}
    if len(set(lengths.values())) > 1:
        raise ValueError("lengths differ: " + ", ".join(f"{k}={n}" for k, n in lengths.items()))


def check_prob(name, value) -> float:
    from .._validate import check_probability
    return check_probability(name, value)


def check_alpha(value) -> float:
    from .._validate import check_alpha as _check_alpha
    return _check_alpha(value)
