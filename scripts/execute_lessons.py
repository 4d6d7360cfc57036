#!/usr/bin/env python3
"""Re-execute lesson notebooks in place and store clean, reproducible outputs.

    python3 scripts/execute_lessons.py                       # every lesson and solution
    python3 scripts/execute_lessons.py lessons/03-*.ipynb    # only these
    python3 scripts/execute_lessons.py --check FILE...       # run, report errors, write nothing

Run it (usually as ``python3 scripts/dev.py execute``) whenever library code or a lesson
changes, then commit the notebooks: ``nbval`` compares their stored outputs with a fresh run.

Each notebook runs top to bottom in a fresh ``python3`` kernel of the current environment,
with the notebook's own folder as the working directory (as in JupyterLab), so relative
paths in lessons work.  Afterwards the script

* removes ``metadata.widgets`` (random ids and about 1 MB of JavaScript per notebook),
* records no execution timestamps,
* merges consecutive stream outputs (how they are split depends on timing),
* replaces random ids (Altair's ``altair-viz-<hex>`` and widget ``model_id``) with ids
  numbered in order of appearance, and memory addresses ``at 0x...`` with ``at 0x0``,
* replaces absolute paths of the repository and of the Python environment,

so running it twice gives byte-identical files.  A cell that raises stops the run with the
error and a non-zero exit status, and the notebook is not rewritten.

Before the widget state is dropped, every output that shows a chart (an Altair
``JupyterChart``, alone or inside an explorer's boxes) gets a static ``image/svg+xml``
rendering of the chart(s) it shows, drawn by ``vl-convert`` from the chart's Vega-Lite
spec, beside the live widget in the same output bundle.  JupyterLab shows the live
widget; GitHub, nbviewer and exported HTML, which cannot run widgets, show the SVG.
nbval leaves that SVG out of its comparison (``lessons/conftest.py``): a fresh run in a
kernel has only the live widget.
"""

from __future__ import annotations

import argparse
import re
import sys
import sysconfig
from pathlib import Path

import nbformat
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

REPO = Path(__file__).resolve().parent.parent
LESSONS = REPO / "lessons"
TIMEOUT = 600  # seconds per cell
KERNEL = "python3"

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
SVG = "image/svg+xml"

_ALTAIR_ID = re.compile(r"altair-viz-[0-9a-f]{8,}")
_MODEL_ID = re.compile(r"(?<![0-9a-f])[0-9a-f]{32}(?![0-9a-f])")
_ADDRESS = re.compile(r"\bat 0x[0-9a-fA-F]+")


def default_notebooks() -> list[Path]:
    return sorted(LESSONS.glob("*.ipynb")) + sorted(LESSONS.glob("solutions/*.ipynb"))


def kernel_manager() -> KernelManager:
    """A manager for the ``python3`` kernel, started with *this* interpreter.

    A ``python3`` kernelspec found first on the Jupyter path (for example one installed in
    the user's home) may name another Python; the lessons must run in this environment.
    """
    km = KernelManager(kernel_name=KERNEL)
    argv = km.kernel_spec.argv
    if argv[1:3] == ["-m", "ipykernel_launcher"]:
        argv[0] = sys.executable
    return km


def execute(path: Path) -> nbformat.NotebookNode:
    """Run the notebook at ``path`` in a fresh kernel; return the executed notebook."""
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        km=kernel_manager(),
        timeout=TIMEOUT,
        kernel_name=KERNEL,
        record_timing=False,
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()
    return nb


def _coalesce_streams(outputs: list) -> list:
    merged: list = []
    for out in outputs:
        if (
            out.get("output_type") == "stream"
            and merged
            and merged[-1].get("output_type") == "stream"
            and merged[-1].get("name") == out.get("name")
        ):
            merged[-1]["text"] += out["text"]
        else:
            merged.append(out)
    return merged


class _Normaliser:
    """Rewrites volatile text consistently across one notebook."""

    def __init__(self) -> None:
        self.altair: dict[str, str] = {}
        self.models: dict[str, str] = {}
        prefixes = {str(REPO): "<repo>"}
        for key in ("purelib", "platlib", "stdlib"):
            prefixes[sysconfig.get_paths()[key]] = "<python>"
        prefixes[sys.prefix] = "<env>"
        # longest first so that a nested prefix wins over its parent
        self.prefixes = sorted(prefixes.items(), key=lambda kv: -len(kv[0]))

    def _altair(self, match: re.Match) -> str:
        return self.altair.setdefault(match.group(0), f"altair-viz-{len(self.altair) + 1:04d}")

    def model_id(self, value: str) -> str:
        return self.models.setdefault(value, f"{len(self.models) + 1:032x}")

    def text(self, s: str) -> str:
        s = _ALTAIR_ID.sub(self._altair, s)
        if self.models:
            s = _MODEL_ID.sub(lambda m: self.models.get(m.group(0), m.group(0)), s)
        s = _ADDRESS.sub("at 0x0", s)
        for prefix, replacement in self.prefixes:
            s = s.replace(prefix, replacement)
        return s

    def value(self, value):
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, list):
            return [self.value(v) for v in value]
        if isinstance(value, dict):
            return {k: self.value(v) for k, v in value.items()}
        return value


def _chart_specs(models: dict, model_id: str, seen: set | None = None) -> list[dict]:
    """The Vega-Lite specs of the charts a widget shows, itself or through its children."""
    seen = set() if seen is None else seen
    if model_id in seen or model_id not in models:
        return []
    seen.add(model_id)
    state = models[model_id].get("state", {})
    spec = state.get("spec")
    if isinstance(spec, dict) and "vega-lite" in str(spec.get("$schema", "")):
        return [spec]
    specs = []
    for child in state.get("children", []) or []:
        if isinstance(child, str) and child.startswith("IPY_MODEL_"):
            specs += _chart_specs(models, child[len("IPY_MODEL_"):], seen)
    return specs


def _stacked(specs: list[dict]) -> dict:
    """One spec drawing several charts of the same theme one under the other."""
    if len(specs) == 1:
        return specs[0]
    top = {"$schema": specs[0]["$schema"], "config": specs[0].get("config", {}), "vconcat": []}
    for spec in specs:
        top["vconcat"].append({k: v for k, v in spec.items() if k not in ("$schema", "config")})
    return top


def static_svg(spec: dict) -> str:
    """The chart drawn as SVG by vl-convert (no browser, no network)."""
    from altair.utils.mimebundle import spec_to_mimebundle

    return spec_to_mimebundle(spec, format="svg", mode="vega-lite", engine="vl-convert")[SVG]


def add_static_charts(nb: nbformat.NotebookNode) -> int:
    """Put a static SVG of its chart(s) beside every live chart output; return how many.

    Reads the widget state that the execution stored in ``nb.metadata.widgets``; call it
    before :func:`clean` removes that state.
    """
    models = nb.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    added = 0
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for out in cell.outputs:
            view = out.get("data", {}).get(WIDGET_VIEW)
            if not view:
                continue
            specs = _chart_specs(models, view.get("model_id", ""))
            if specs:
                out["data"][SVG] = static_svg(_stacked(specs))
                added += 1
    return added


def clean(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Strip volatile metadata and normalise outputs, in place; return ``nb``."""
    nb.metadata.pop("widgets", None)
    nb.metadata.pop("papermill", None)
    norm = _Normaliser()
    has_ids = (nb.nbformat, nb.nbformat_minor) >= (4, 5)
    for index, cell in enumerate(nb.cells):
        if has_ids:
            cell.setdefault("id", f"cell-{index:03d}")
        cell.metadata.pop("execution", None)
        if cell.cell_type != "code":
            continue
        # first pass: number the widget models in order of appearance
        for out in cell.outputs:
            view = out.get("data", {}).get("application/vnd.jupyter.widget-view+json")
            if view and "model_id" in view:
                view["model_id"] = norm.model_id(view["model_id"])
        cell.outputs = [
            nbformat.from_dict(norm.value(dict(out))) for out in _coalesce_streams(cell.outputs)
        ]
    return nb


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: every lesson")
    parser.add_argument(
        "--check",
        action="store_true",
        help="execute and report errors only; write nothing",
    )
    args = parser.parse_args(argv)
    paths = [p.resolve() for p in args.notebooks] or default_notebooks()
    if not paths:
        print("execute_lessons.py: no notebooks found", file=sys.stderr)
        return 1
    failed = []
    for path in paths:
        shown = path.relative_to(REPO) if path.is_relative_to(REPO) else path
        print(f"executing {shown} ...", flush=True)
        try:
            nb = execute(path)
        except CellExecutionError as exc:
            print(f"  FAILED: {shown}\n{exc}", file=sys.stderr, flush=True)
            failed.append(shown)
            continue
        if not args.check:
            charts = add_static_charts(nb)
            nbformat.write(clean(nb), path)
            print(f"  {charts} chart output(s) with a static SVG", flush=True)
    if failed:
        print(f"{len(failed)} notebook(s) failed: " + ", ".join(map(str, failed)), file=sys.stderr)
        return 1
    print(f"{len(paths)} notebook(s) executed without error", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
