"""The README's main command starts JupyterLab and serves the first lesson.

``python3 scripts/dev.py lab`` is started headless on the loopback address (as root when
the test runs as root, as in a container or on a CI runner, where JupyterLab refuses to
start without ``--allow-root``).  The test then fetches lesson 00's page and the
notebook through the contents API, checks that the news pop-up plugin is disabled in the
page's configuration, and shuts the server down through its API; every wait is bounded.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[1]
LESSON = "00-start-here.ipynb"   # dev.py opens lessons/00-start-here.ipynb: lessons/ is the root
NEWS_PLUGIN = "@jupyterlab/apputils-extension:announcements"
START_TIMEOUT = 120.0   # seconds; includes dev.py's check of the installed dependencies
STOP_TIMEOUT = 30.0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str, token: str, *, timeout: float = 10.0) -> tuple[int, str]:
    request = urllib.request.Request(url, headers={"Authorization": f"token {token}"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return response.status, response.read().decode("utf-8")


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("lab-start")
    port, token = _free_port(), secrets.token_hex(16)
    env = dict(os.environ)
    env.update(
        JUPYTERLAB_SETTINGS_DIR=str(tmp / "settings"),
        JUPYTERLAB_WORKSPACES_DIR=str(tmp / "workspaces"),
        JUPYTER_RUNTIME_DIR=str(tmp / "runtime"),
        PYTHONDONTWRITEBYTECODE="1",
    )
    log_path = tmp / "dev-lab.log"
    log = open(log_path, "w", encoding="utf-8")
    cmd = [sys.executable, "scripts/dev.py", "lab", "--no-browser", "--ip", "127.0.0.1",
           f"--port={port}", f"--ServerApp.token={token}", "--ServerApp.port_retries=0"]
    # own session, so that a failed shutdown can end dev.py and the JupyterLab it started
    proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL, start_new_session=True)
    base = f"http://127.0.0.1:{port}"

    def read_log() -> str:
        log.flush()
        return log_path.read_text(encoding="utf-8", errors="replace")

    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if proc.poll() is not None:
                pytest.fail(f"dev.py lab exited with status {proc.returncode}:\n{read_log()[-4000:]}")
            try:
                _get(f"{base}/api/status", token, timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"JupyterLab did not answer within {START_TIMEOUT:.0f} s:\n"
                                f"{read_log()[-4000:]}")
                time.sleep(0.5)
        yield {"base": base, "token": token, "proc": proc, "log": read_log}
    finally:
        if proc.poll() is None:  # a test failed before the shutdown test ran
            try:
                request = urllib.request.Request(f"{base}/api/shutdown", method="POST",
                                                 headers={"Authorization": f"token {token}"})
                urllib.request.urlopen(request, timeout=10).close()
                proc.wait(timeout=STOP_TIMEOUT)
            except (OSError, subprocess.TimeoutExpired):
                os.killpg(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(timeout=STOP_TIMEOUT)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait(timeout=STOP_TIMEOUT)
        log.close()


def test_dev_lab_serves_lesson_00(lab):
    status, page = _get(f"{lab['base']}/lab/tree/{LESSON}", lab["token"])
    assert status == 200
    assert "jupyter-config-data" in page        # JupyterLab's application page, not an error page

    status, body = _get(f"{lab['base']}/api/contents/{LESSON}?content=1", lab["token"])
    model = json.loads(body)
    assert status == 200 and model["type"] == "notebook" and model["path"] == LESSON
    committed = json.loads((REPO / "lessons" / LESSON).read_text(encoding="utf-8"))
    assert len(model["content"]["cells"]) == len(committed["cells"])
    assert model["content"]["cells"][0]["source"] == "".join(committed["cells"][0]["source"])


def test_dev_lab_has_no_news_popup(lab):
    _, page = _get(f"{lab['base']}/lab/tree/{LESSON}", lab["token"])
    match = re.search(r'<script id="jupyter-config-data" type="application/json">(.*?)</script>',
                      page, re.S)
    assert match, "page config not found in the JupyterLab page"
    config = json.loads(match.group(1))
    disabled = config.get("disabledExtensions", [])
    assert NEWS_PLUGIN in disabled, disabled


def test_dev_lab_says_when_it_runs_as_root(lab):
    text = lab["log"]()
    if os.geteuid() == 0:
        assert "running as root" in text and "--allow-root" in text, text[-2000:]
    else:
        assert "--allow-root" not in text, text[-2000:]


def test_dev_lab_stops_cleanly(lab):
    """Last in the module: shut the server down through its API, within a bounded wait."""
    request = urllib.request.Request(f"{lab['base']}/api/shutdown", method="POST",
                                     headers={"Authorization": f"token {lab['token']}"})
    urllib.request.urlopen(request, timeout=10).close()
    status = lab["proc"].wait(timeout=STOP_TIMEOUT)
    assert status == 0, lab["log"]()[-2000:]
