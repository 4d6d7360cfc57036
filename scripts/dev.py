#!/usr/bin/env python3
"""Developer entry point: one command per job, on a fresh machine or an old one.

    python3 scripts/dev.py lab        open the lessons in JupyterLab (extra options are
                                      passed on, e.g. --no-browser --port 8899)
    python3 scripts/dev.py test       run every test (unit tests, doctests, lessons)
    python3 scripts/dev.py bench      run every benchmark in benchmarks/
    python3 scripts/dev.py execute    re-execute the lessons in place (maintainers)

Needs only Python 3.11+ with pip and venv.  Outside a virtual environment it creates
``.venv/`` in the repository and runs itself again with that interpreter, so it works
where the system Python refuses ``pip install`` (PEP 668).  Inside any virtual environment
it uses that one.  Dependencies are installed with pip, pinned by
``binder/requirements.txt`` and ``scripts/constraints-test.txt``; the install is skipped
while ``.dev-stamp`` records the same hash of pyproject.toml, the pins and the interpreter.

``lab`` turns off JupyterLab's news pop-up in this environment (as binder/postBuild does) and,
when run as root (a container, a cloud VM, a CI runner), passes ``--allow-root`` and says so.

Every command is printed before it runs.  The first failing step stops the run with a
non-zero exit status; a test step that collects no test at all counts as a failure.
"""

from __future__ import annotations

import hashlib
import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
VENV = REPO / ".venv"
STAMP = REPO / ".dev-stamp"
CONSTRAINTS = [REPO / "binder" / "requirements.txt", REPO / "scripts" / "constraints-test.txt"]
PYTEST_NO_TESTS = 5  # pytest's exit status when it collected nothing

USAGE = __doc__.split("\n\n")[1]


def run(cmd: list[str], *, check: bool = True, **kwargs) -> int:
    """Print ``cmd`` as a shell line, run it from the repository root, return its status."""
    print("$ " + shlex.join(str(part) for part in cmd), flush=True)
    status = subprocess.call([str(part) for part in cmd], cwd=kwargs.pop("cwd", REPO), **kwargs)
    if check and status != 0:
        sys.exit(f"dev.py: command failed with exit status {status}: {shlex.join(map(str, cmd))}")
    return status


def in_virtualenv() -> bool:
    return sys.prefix != getattr(sys, "base_prefix", sys.prefix)


def venv_python(venv: Path) -> Path:
    if os.name == "nt":
        return venv / "Scripts" / "python.exe"
    return venv / "bin" / "python"


def ensure_virtualenv() -> None:
    """Re-run this script inside ``.venv/`` unless a virtual environment is already active."""
    if in_virtualenv():
        return
    python = venv_python(VENV)
    if not python.exists():
        if sys.version_info < (3, 11):
            sys.exit(f"dev.py: Python 3.11 or newer is needed; this is {sys.version.split()[0]}")
        status = run([sys.executable, "-m", "venv", VENV], check=False)
        if status != 0 or not python.exists():
            sys.exit(
                "dev.py: could not create the virtual environment .venv/.\n"
                "On Debian or Ubuntu install the venv module first:\n"
                "    sudo apt-get install python3-venv\n"
                "then run this command again."
            )
    print(f"dev.py: using the virtual environment {VENV.relative_to(REPO)}/", flush=True)
    os.execv(str(python), [str(python), str(Path(__file__).resolve()), *sys.argv[1:]])


def install_hash(extra: str) -> str:
    digest = hashlib.sha256()
    for path in [REPO / "pyproject.toml", *CONSTRAINTS]:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    digest.update(extra.encode())
    digest.update(sys.executable.encode())
    digest.update(sys.version.encode())
    return digest.hexdigest()


def read_stamp() -> dict[str, str]:
    try:
        data = json.loads(STAMP.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def ensure_installed(extra: str) -> None:
    """``pip install -e .[extra]`` with the pinned versions, unless the stamp is current.

    The ``test`` extra includes the ``lessons`` extra, so a current ``test`` install
    satisfies ``lessons`` too.
    """
    stamp = read_stamp()
    covering = [extra] + (["test"] if extra == "lessons" else [])
    if any(stamp.get(f"{name} {sys.executable}") == install_hash(name) for name in covering):
        print(f"dev.py: dependencies ({extra}) are up to date ({STAMP.name})", flush=True)
        return
    cmd = [sys.executable, "-m", "pip", "install", "-e", f".[{extra}]"]
    for path in CONSTRAINTS:
        cmd += ["-c", path.relative_to(REPO).as_posix()]
    run(cmd)
    stamp[f"{extra} {sys.executable}"] = install_hash(extra)
    STAMP.write_text(json.dumps(stamp, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def run_pytest(args: list[str], what: str) -> None:
    status = run([sys.executable, "-m", "pytest", *args], check=False)
    if status == PYTEST_NO_TESTS:
        sys.exit(f"dev.py: {what}: pytest collected no tests; that is a failure")
    if status != 0:
        sys.exit(f"dev.py: {what} failed (pytest exit status {status})")


def cmd_test(extra_args: list[str]) -> None:
    ensure_installed("test")
    # 1. unit tests, doctests and the lesson/Binder checks (testpaths in pyproject.toml)
    run_pytest([*extra_args], "unit tests and doctests")
    # 2. every committed lesson output must be reproduced by a fresh run
    run_pytest(
        [
            "--nbval",
            "--nbval-current-env",
            "--nbval-sanitize-with",
            "lessons/nbval_sanitize.cfg",
            "lessons/",
            "-p",
            "no:cacheprovider",
            *extra_args,
        ],
        "lesson outputs (nbval)",
    )
    print("dev.py: all tests passed", flush=True)


#: JupyterLab's plugin that asks "Would you like to get notified about official Jupyter
#: news?" on first start and checks for new versions.  Disabled as binder/postBuild does.
NEWS_PLUGIN = "@jupyterlab/apputils-extension:announcements"


def is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def news_disabled() -> bool:
    """True when this environment's JupyterLab page config already disables the news plugin."""
    path = Path(sys.prefix) / "etc" / "jupyter" / "labconfig" / "page_config.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    disabled = data.get("disabledExtensions", {}) if isinstance(data, dict) else {}
    return bool(disabled.get(NEWS_PLUGIN)) if isinstance(disabled, dict) else NEWS_PLUGIN in disabled


def cmd_lab(extra_args: list[str]) -> None:
    ensure_installed("lessons")
    if not news_disabled():
        # same mechanism as binder/postBuild, written into this environment only
        run([sys.executable, "-m", "jupyter", "labextension", "disable", "--level=sys_prefix",
             NEWS_PLUGIN])
    cmd = [sys.executable, "-m", "jupyter", "lab", "lessons/00-start-here.ipynb"]
    if is_root() and "--allow-root" not in extra_args:
        print("dev.py: running as root (a container or CI runner): passing --allow-root to "
              "JupyterLab", flush=True)
        cmd.append("--allow-root")
    run([*cmd, *extra_args])


def cmd_bench(extra_args: list[str]) -> None:
    ensure_installed("test")
    # run_all.py runs every benchmarks/bench_*.py and prints one table against the targets
    run([sys.executable, "benchmarks/run_all.py", *extra_args])


def cmd_execute(extra_args: list[str]) -> None:
    ensure_installed("test")
    run([sys.executable, "scripts/execute_lessons.py", *extra_args])


COMMANDS = {"lab": cmd_lab, "test": cmd_test, "bench": cmd_bench, "execute": cmd_execute}


def main(argv: list[str]) -> None:
    if not argv or argv[0] not in COMMANDS:
        print(USAGE, file=sys.stderr)
        sys.exit(2)
    ensure_virtualenv()
    COMMANDS[argv[0]](argv[1:])


if __name__ == "__main__":
    main(sys.argv[1:])
