"""The report as JSON: :func:`~appraise.reporting.report_data` through the package's one
JSON writer (:func:`appraise._format.to_json`: sorted keys, non-finite numbers as ``null``,
``<``, ``>`` and ``&`` escaped so the text is safe inside HTML too)."""

from __future__ import annotations

from appraise._format import to_json

__all__ = ["render_json"]


def render_json(d) -> str:
    """Stable JSON text of the report data ``d``, ending in a newline."""
    return to_json(d, indent=2) + "\n"
