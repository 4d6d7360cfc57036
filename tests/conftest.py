"""Fixtures shared by the test modules."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The repository's top folder (holds pyproject.toml)."""
    return REPO_ROOT


@pytest.fixture(scope="session")
def lessons_dir(repo_root: Path) -> Path:
    """The folder of the lesson notebooks (``lessons/``)."""
    return repo_root / "lessons"


def _require_chromium():
    """Skip without Debian's chromium, except in CI, where its absence is a failure."""
    import browser_harness as bh

    if bh.chromium_available():
        return
    message = bh.INSTALL_HINT.format(path=bh.CHROMIUM)
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A JupyterLab server on a temporary copy of the lessons, one per test module."""
    import browser_harness as bh

    _require_chromium()
    server = bh.LabServer(tmp_path_factory.mktemp("lab")).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def chromium():
    """Debian's chromium driven by Playwright, one per test module."""
    import browser_harness as bh

    _require_chromium()
    with bh.browser() as b:
        yield b


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Record each phase's report on the item (``item.rep_call``), so fixtures can tell
    whether the test failed (the browser tests save a screenshot then)."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, "rep_" + report.when, report)
