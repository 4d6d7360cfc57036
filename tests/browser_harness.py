"""Drive JupyterLab in Debian's Chromium with Playwright.

Shared by ``tests/test_browser.py`` and ``benchmarks/bench_browser.py``.  JupyterLab runs
on a temporary copy of the lessons (its autosave would otherwise rewrite the committed
notebooks), bound to 127.0.0.1 only, with its own settings and runtime directories so a
developer's own JupyterLab settings cannot change what the test sees.  Nothing here
touches the network beyond the loopback address.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("APPRAISE_CHROMIUM", "/usr/bin/chromium")
INSTALL_HINT = (
    "The real-browser tests need Debian's Chromium at {path}: install it with "
    "`sudo apt-get install -y chromium` (never `playwright install`), or point "
    "APPRAISE_CHROMIUM at another Chromium binary."
)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

# JupyterLab user settings for the test server: render every cell (no windowing, so
# charts below the fold are drawn too) and never ask about news.
LAB_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
}


def chromium_available() -> bool:
    return Path(CHROMIUM).exists() and os.access(CHROMIUM, os.X_OK)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LabServer:
    """A JupyterLab server on a temporary copy of ``lessons/``."""

    def __init__(self, workdir: Path):
        self.workdir = Path(workdir)
        self.root = self.workdir / "root"
        self.port = _free_port()
        self.token = secrets.token_hex(16)
        self.proc: subprocess.Popen | None = None
        self.log_path = self.workdir / "jupyterlab.log"

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url_for(self, relpath: str) -> str:
        return f"{self.base_url}/lab/tree/{relpath}?token={self.token}&reset"

    def start(self, timeout: float = 90.0) -> "LabServer":
        shutil.copytree(REPO / "lessons", self.root / "lessons",
                        ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
        settings = self.workdir / "lab-settings"
        for rel, value in LAB_SETTINGS.items():
            path = settings / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(value), encoding="utf-8")
        env = dict(os.environ)
        env.update(
            JUPYTERLAB_SETTINGS_DIR=str(settings),
            JUPYTERLAB_WORKSPACES_DIR=str(self.workdir / "workspaces"),
            JUPYTER_RUNTIME_DIR=str(self.workdir / "runtime"),
            PYTHONDONTWRITEBYTECODE="1",
        )
        cmd = [
            sys.executable, "-m", "jupyter", "lab",
            "--no-browser", "--allow-root",
            "--ip", "127.0.0.1", f"--port={self.port}",
            f"--ServerApp.root_dir={self.root}",
            f"--IdentityProvider.token={self.token}",
            "--LabApp.expose_app_in_browser=True",
            "--LabApp.news_url=",
            "--ServerApp.open_browser=False",
        ]
        self._log = open(self.log_path, "w", encoding="utf-8")
        self.proc = subprocess.Popen(cmd, cwd=self.root, env=env, stdout=self._log,
                                     stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"JupyterLab exited early; log:\n{self.log()}")
            try:
                with urllib.request.urlopen(f"{self.base_url}/api/status?token={self.token}", timeout=2):
                    return self
            except OSError:
                time.sleep(0.5)
        raise RuntimeError(f"JupyterLab did not answer within {timeout:.0f} s; log:\n{self.log()}")

    def log(self) -> str:
        try:
            return self.log_path.read_text(encoding="utf-8")[-4000:]
        except OSError:
            return ""

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        with contextlib.suppress(Exception):
            self._log.close()


@contextlib.contextmanager
def browser():
    """A headless Chromium (Debian's) driven by Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield b
        finally:
            b.close()


# --- JavaScript snippets evaluated in the page ------------------------------------------

JS_KERNEL_IDLE = """() => {
  const app = window.jupyterapp; if (!app) return false;
  const w = app.shell.currentWidget;
  if (!w || !w.sessionContext || !w.sessionContext.session) return false;
  const k = w.sessionContext.session.kernel;
  return !!k && k.status === 'idle' && w.context && w.context.isReady;
}"""

JS_RUN_ALL = """async () => {
  const app = window.jupyterapp;
  await app.commands.execute('notebook:clear-all-cell-outputs');
  await app.commands.execute('notebook:run-all-cells');
  return true;
}"""

# every code cell has a number and none is queued/running
JS_ALL_EXECUTED = """() => {
  const app = window.jupyterapp; const w = app.shell.currentWidget;
  if (!w || !w.content) return false;
  const k = w.sessionContext.session && w.sessionContext.session.kernel;
  if (!k || k.status !== 'idle') return false;
  const cells = w.content.widgets.filter(c => c.model.type === 'code' && c.model.sharedModel.getSource().trim());
  return cells.every(c => c.model.executionCount !== null && c.model.executionCount !== undefined);
}"""

JS_OUTPUT_PROBLEMS = """() => {
  const nb = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook');
  const problems = [];
  if (!nb) return ['no notebook in view'];
  nb.querySelectorAll('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')
    .forEach(e => problems.push('stderr/error output: ' + e.innerText.slice(0, 300)));
  const text = nb.innerText;
  for (const bad of ['Error displaying widget', 'Error loading script', 'Javascript Error',
                     'Traceback (most recent call last)', 'Failed to load model class']) {
    if (text.includes(bad)) problems.push('page shows: ' + bad);
  }
  return problems;
}"""

# charts drawn by vega-embed (JupyterChart): each must hold marks
JS_CHART_STATE = """() => {
  const nb = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook');
  const charts = Array.from(nb.querySelectorAll('.vega-embed'));
  return charts.map(c => {
    const svg = c.querySelector('svg.marks');
    const canvas = c.querySelector('canvas');
    const marks = svg ? svg.querySelectorAll('path, rect, circle, line, text, symbol').length : 0;
    const drawn = (svg && marks > 0) || (!!canvas && canvas.width > 0 && canvas.height > 0);
    return {drawn, marks, kind: svg ? 'svg' : (canvas ? 'canvas' : 'none'),
            aria: (c.querySelector('.chart-wrapper') || c).getAttribute('aria-label') || ''};
  });
}"""

# widget views (ipywidgets and JupyterChart outputs are Lumino panels): a view that
# failed to load stays an empty <div>
JS_WIDGET_STATE = """() => {
  const nb = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook');
  const outs = Array.from(nb.querySelectorAll('.jp-OutputArea-output.lm-Panel'));
  const ok = o => !!o.querySelector('.jupyter-widgets, .vega-embed, .widget-box, .widget-html-content');
  return {outputs: outs.length, rendered: outs.filter(ok).length,
          empty: outs.filter(o => !ok(o)).map(o => o.closest('.jp-Cell') ?
                 Array.from(o.closest('.jp-Notebook').querySelectorAll('.jp-Cell')).indexOf(o.closest('.jp-Cell')) : -1)};
}"""


def open_and_run_all(page, server: LabServer, relpath: str, *, timeout_ms: int = 120_000) -> None:
    """Open a notebook, wait for its kernel, clear outputs, run all cells, wait for the end."""
    page.goto(server.url_for(relpath))
    page.wait_for_function(JS_KERNEL_IDLE, timeout=timeout_ms, polling=250)
    page.evaluate(JS_RUN_ALL)
    page.wait_for_function(JS_ALL_EXECUTED, timeout=timeout_ms, polling=250)
    # give anywidget/vega a moment to draw the last outputs
    page.wait_for_timeout(500)


def notebook_text(page) -> str:
    return page.evaluate(
        "() => document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook').innerText"
    )


# --- layout checks (tests/test_browser_layout.py) ---------------------------------------

# Overlapping text inside each chart.  Every <text> of a Vega view is measured on screen;
# two texts overlap when their boxes share more than OVERLAP_PX in both directions.
# Identical texts in the same place (Vega draws some labels twice) are not an overlap.
JS_CHART_TEXT_OVERLAPS = """(overlapPx) => {
  const nb = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook');
  const cells = Array.from(nb.querySelectorAll('.jp-Cell'));
  const problems = [];
  nb.querySelectorAll('.vega-embed').forEach((embed, chartIndex) => {
    const cell = cells.indexOf(embed.closest('.jp-Cell'));
    const texts = Array.from(embed.querySelectorAll('svg text'))
      .map(t => ({t, r: t.getBoundingClientRect(), s: (t.textContent || '').trim(),
                  role: (t.closest('g[class*="role-"]') || {}).getAttribute ?
                        t.closest('g[class*="role-"]').getAttribute('class') : ''}))
      .filter(x => x.s && x.r.width > 0 && x.r.height > 0 &&
                   getComputedStyle(x.t).visibility !== 'hidden' && x.t.getAttribute('opacity') !== '0');
    for (let i = 0; i < texts.length; i++) {
      for (let j = i + 1; j < texts.length; j++) {
        const a = texts[i], b = texts[j];
        const w = Math.min(a.r.right, b.r.right) - Math.max(a.r.left, b.r.left);
        const h = Math.min(a.r.bottom, b.r.bottom) - Math.max(a.r.top, b.r.top);
        if (w <= overlapPx || h <= overlapPx) continue;
        const same = a.s === b.s && Math.abs(a.r.left - b.r.left) < 1 && Math.abs(a.r.top - b.r.top) < 1;
        if (same) continue;
        problems.push({cell, chart: chartIndex, a: a.s.slice(0, 60), b: b.s.slice(0, 60),
                       overlap: [Math.round(w), Math.round(h)]});
      }
    }
  });
  return problems;
}"""

# Charts, legends and widgets cut off: a legend outside its chart, a chart or widget wider
# than the output area that holds it, text wider than its own box (scrollWidth >
# clientWidth: a label or button cut with an ellipsis, a number wider than its input), a
# slider track too short to use, and a printed line that wraps inside a word.
JS_CLIPPED = """(opts) => {
  const nb = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook');
  const cells = Array.from(nb.querySelectorAll('.jp-Cell'));
  const cellOf = e => cells.indexOf(e.closest('.jp-Cell'));
  const problems = [];
  const outside = (inner, outer, tol) => inner.left < outer.left - tol || inner.right > outer.right + tol ||
                                         inner.top < outer.top - tol || inner.bottom > outer.bottom + tol;
  const canvas = document.createElement('canvas').getContext('2d');
  const textWidth = (el, text) => {
    const cs = getComputedStyle(el);
    canvas.font = `${cs.fontStyle} ${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
    return canvas.measureText(text).width;
  };
  nb.querySelectorAll('.jp-OutputArea-output').forEach(out => {
    const area = out.getBoundingClientRect();
    if (area.width === 0) return;
    out.querySelectorAll('.vega-embed').forEach(embed => {
      const svg = embed.querySelector('svg');
      if (!svg) return;
      const box = svg.getBoundingClientRect();
      if (box.right > area.right + 1)
        problems.push({cell: cellOf(out), what: 'chart wider than its output area',
                       chart: Math.round(box.width), area: Math.round(area.width),
                       text: (embed.querySelector('.chart-wrapper') || embed).getAttribute('aria-label')});
      svg.querySelectorAll('g.role-legend').forEach(legend => {
        const r = legend.getBoundingClientRect();
        if (r.width && (outside(r, box, 1) || r.right > area.right + 1))
          problems.push({cell: cellOf(out), what: 'legend cut off', legend: legend.textContent.slice(0, 80)});
      });
    });
    out.querySelectorAll('.jupyter-widgets').forEach(wdg => {
      const r = wdg.getBoundingClientRect();
      if (r.width && r.right > area.right + 1)
        problems.push({cell: cellOf(out), what: 'widget wider than its output area',
                       widget: wdg.className.slice(0, 80), right: Math.round(r.right), area: Math.round(area.right)});
    });
    out.querySelectorAll('.widget-label, .widget-readout, .widget-button, button, .widget-dropdown select, ' +
                         '.widget-toggle-button, .widget-label-basic').forEach(el => {
      if (el.offsetParent === null) return;
      if (el.scrollWidth > el.clientWidth + 1)
        problems.push({cell: cellOf(out), what: 'text cut in ' + el.tagName.toLowerCase() + '.' +
                       String(el.className).split(' ')[0], text: (el.innerText || el.value || '').slice(0, 60),
                       scroll: el.scrollWidth, client: el.clientWidth});
    });
    out.querySelectorAll('input[type=number], input[type=text]').forEach(el => {
      if (el.offsetParent === null) return;
      const cs = getComputedStyle(el);
      const inner = el.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
      const need = textWidth(el, String(el.value)) + (el.type === 'number' ? opts.spinnerPx : 0);
      if (inner < need)
        problems.push({cell: cellOf(out), what: 'number or text wider than its input',
                       value: el.value, inner: Math.round(inner), need: Math.round(need)});
    });
    out.querySelectorAll('.widget-slider .slider-container, .widget-slider .noUi-target').forEach(el => {
      if (el.offsetParent === null) return;
      const w = el.getBoundingClientRect().width;
      if (w < opts.minSliderPx)
        problems.push({cell: cellOf(out), what: 'slider track too short', width: Math.round(w),
                       label: (el.closest('.widget-slider').querySelector('.widget-label') || {}).innerText});
    });
    // printed text: find each place where a line wraps and fail when it wraps between two
    // characters of a word (JupyterLab's default for printed output)
    out.querySelectorAll(':scope > pre, .jp-RenderedText > pre').forEach(pre => {
      const width = pre.clientWidth;
      const long = (pre.innerText || '').split('\\n').some(line => line && textWidth(pre, line) > width + 1);
      if (!long) return;
      const walker = document.createTreeWalker(pre, NodeFilter.SHOW_TEXT);
      const range = document.createRange();
      let node, prevTop = null, prevChar = '', line = '';
      while ((node = walker.nextNode())) {
        const text = node.textContent;
        for (let i = 0; i < text.length; i++) {
          const ch = text[i];
          if (ch === '\\n') { prevTop = null; prevChar = ''; line = ''; continue; }
          range.setStart(node, i); range.setEnd(node, i + 1);
          const rects = range.getClientRects();
          if (!rects.length) continue;
          const top = rects[0].top;
          if (prevTop !== null && top > prevTop + 2 && /\\S/.test(ch) && /[^\\s\\-\\/]/.test(prevChar)) {
            problems.push({cell: cellOf(out), what: 'printed line broken inside a word',
                           at: (line.slice(-30) + '|' + text.slice(i, i + 20))});
            return;
          }
          prevTop = top; prevChar = ch; line += ch;
        }
      }
    });
  });
  return problems;
}"""


def wait_for_charts_drawn(page, timeout_ms: int = 30_000) -> None:
    """Wait until every chart in view has an SVG with marks (vega draws asynchronously)."""
    page.wait_for_function(
        "() => { const s = (" + JS_CHART_STATE + ")(); return s.every(c => c.drawn); }",
        timeout=timeout_ms, polling=250)
