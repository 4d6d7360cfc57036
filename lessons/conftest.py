"""nbval settings for the lessons (``pytest --nbval ... lessons/``).

``scripts/execute_lessons.py`` stores, beside each live chart (a widget), a static SVG of
the chart drawn by vl-convert, for readers that cannot run widgets (GitHub, nbviewer,
exported HTML).  A fresh run in a kernel produces only the live widget, so nbval leaves
``image/svg+xml`` out of its comparison, as it already leaves out widget views and PNG
images.
"""

STATIC_CHART = "image/svg+xml"


def pytest_collectstart(collector):
    if getattr(collector, "skip_compare", None) is not None and STATIC_CHART not in collector.skip_compare:
        collector.skip_compare = (*collector.skip_compare, STATIC_CHART)
