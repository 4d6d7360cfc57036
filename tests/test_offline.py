"""The package works offline and treats trial cards as data.

(a) Every lesson and every worked solution runs to the end in a kernel that cannot reach
    the network (a startup file in a private IPython directory makes every non-loopback
    connection and name lookup fail, and logs the attempt), and no output loads a script
    from a CDN or any other remote address.
(b) HTML reports escape every string taken from a card.
(c) Card text is never evaluated: code-like and template-like strings come back verbatim,
    and the package source has no eval/exec/pickle/yaml.load.
"""

from __future__ import annotations

import ast
import json
import os
import re
import textwrap
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

import appraise as ap
from appraise._format import escape_markdown

REPO = Path(__file__).resolve().parent.parent
LESSONS = REPO / "lessons"
NOTEBOOKS = sorted(LESSONS.glob("[0-9][0-9]-*.ipynb")) + sorted((LESSONS / "solutions").glob("*.ipynb"))
PACKAGE = REPO / "appraise"
SEED_CARD = PACKAGE / "cards" / "mensc-secretome-covid19.toml"

# ---------------------------------------------------------------------------
# (a) lessons in a kernel without network
# ---------------------------------------------------------------------------

NO_NETWORK = textwrap.dedent('''
    # IPython startup file: no network except loopback and unix sockets.
    import ipaddress as _ipaddress
    import os as _os
    import socket as _socket

    _LOG = _os.environ["APPRAISE_NETWORK_LOG"]
    _LOCAL_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", ""}


    def _is_local_host(host):
        if host is None:
            return True
        if isinstance(host, bytes):
            host = host.decode("ascii", "replace")
        host = str(host).strip("[]").lower()
        if host in _LOCAL_NAMES:
            return True
        try:
            return _ipaddress.ip_address(host.split("%")[0]).is_loopback
        except ValueError:
            return False


    def _refuse(what):
        with open(_LOG, "a", encoding="utf-8") as fh:
            fh.write(what + "\\n")
        raise OSError(101, "network access is disabled in this kernel: " + what)


    def _check_address(sock, address):
        family = getattr(sock, "family", None)
        if family == getattr(_socket, "AF_UNIX", object()):
            return
        host = address[0] if isinstance(address, tuple) and address else address
        if not _is_local_host(host):
            _refuse("connect %r" % (address,))


    _connect, _connect_ex = _socket.socket.connect, _socket.socket.connect_ex


    def connect(self, address):
        _check_address(self, address)
        return _connect(self, address)


    def connect_ex(self, address):
        _check_address(self, address)
        return _connect_ex(self, address)


    _getaddrinfo, _create_connection = _socket.getaddrinfo, _socket.create_connection


    def getaddrinfo(host, *args, **kwargs):
        if not _is_local_host(host):
            _refuse("getaddrinfo %r" % (host,))
        return _getaddrinfo(host, *args, **kwargs)


    def create_connection(address, *args, **kwargs):
        if not _is_local_host(address[0]):
            _refuse("create_connection %r" % (address,))
        return _create_connection(address, *args, **kwargs)


    _socket.socket.connect, _socket.socket.connect_ex = connect, connect_ex
    _socket.getaddrinfo, _socket.create_connection = getaddrinfo, create_connection
''')

# A script, stylesheet, module or iframe loaded from anywhere but the page itself.
REMOTE_LOAD = re.compile(
    r"""(?:<script[^>]*\ssrc\s*=\s*["']?\s*(?:https?:)?//"""
    r"""|<link[^>]*\shref\s*=\s*["']?\s*(?:https?:)?//"""
    r"""|<iframe[^>]*\ssrc\s*=\s*["']?\s*(?:https?:)?//"""
    r"""|\bimport\s*\(\s*["'](?:https?:)?//"""
    r"""|\bfrom\s*["'](?:https?:)?//"""
    r"""|require\.config\([^)]*https?://"""
    r"""|cdn\.jsdelivr|https://cdn|unpkg\.com|cdnjs\.)""",
    re.IGNORECASE,
)


@pytest.fixture(scope="module")
def offline_env(tmp_path_factory):
    root = tmp_path_factory.mktemp("offline-kernel")
    ipython_dir = root / "ipython"
    startup = ipython_dir / "profile_default" / "startup"
    startup.mkdir(parents=True)
    (startup / "00-no-network.py").write_text(NO_NETWORK, encoding="utf-8")
    log = root / "network-attempts.log"
    log.write_text("", encoding="utf-8")
    env = dict(os.environ)
    env.update({"IPYTHONDIR": str(ipython_dir), "APPRAISE_NETWORK_LOG": str(log),
                "PYTHONDONTWRITEBYTECODE": "1"})
    # proxies would only hide an attempt behind a loopback connection
    for key in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        env.pop(key, None)
    return env, log


def _run(nb, env, cwd: Path, timeout: int = 600):
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", allow_errors=True,
                            resources={"metadata": {"path": str(cwd)}})
    client.execute(env=env)
    return nb


def _errors(nb) -> list[str]:
    found = []
    for index, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                found.append(f"cell {index}: {out.get('ename')}: {out.get('evalue')}")
    return found


def _remote_loads_in_text(blob: str, where: str) -> list[str]:
    return [f"{where}: ...{blob[max(0, m.start() - 60): m.end() + 60]}..." for m in REMOTE_LOAD.finditer(blob)]


def _remote_loads(nb) -> list[str]:
    """Remote script/style/module loads in any output (every mime type, text and JSON)."""
    hits = []
    for index, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            blobs = [out.get("text", "")]
            for value in (out.get("data") or {}).values():
                blobs.append(value if isinstance(value, str) else json.dumps(value))
            for blob in blobs:
                if isinstance(blob, list):
                    blob = "".join(blob)
                hits += _remote_loads_in_text(blob, f"cell {index}")
    return hits


@pytest.mark.parametrize("html", [
    '<script src="https://cdn.jsdelivr.net/npm/vega@5"></script>',
    "<script type='text/javascript' src='//unpkg.com/vega-embed'></script>",
    '<link rel="stylesheet" href="https://example.org/x.css">',
    'import vegaEmbed from "https://esm.sh/vega-embed@6";',
    'const m = await import("https://cdn.example/x.js")',
    'require.config({paths: {vega: "https://cdnjs.cloudflare.com/ajax/libs/vega/5/vega"}})',
])
def test_remote_load_scan_catches_cdn_scripts(html):
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("chart")
    cell.outputs = [nbformat.v4.new_output("display_data", data={"text/html": html, "text/plain": "chart"})]
    nb.cells = [cell]
    assert _remote_loads(nb)


def test_remote_load_scan_allows_inline_scripts_and_links():
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("chart")
    cell.outputs = [nbformat.v4.new_output("display_data", data={
        "text/html": '<script type="module">const x = 1;</script>'
                     '<a href="https://doi.org/10.1186/s13287-022-02771-w">the paper</a>',
        "text/plain": "See https://clinicaltrials.gov/study/NCT05019287"})]
    nb.cells = [cell]
    assert _remote_loads(nb) == []


def test_the_kernel_guard_blocks_the_network(offline_env, tmp_path):
    """The guard works: a lookup and a connection fail, loopback still works."""
    env, log = offline_env
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell("import socket, urllib.request\n"
                                  "try:\n"
                                  "    urllib.request.urlopen('https://cdn.jsdelivr.net/npm/vega@5', timeout=5)\n"
                                  "    print('REACHED')\n"
                                  "except OSError as exc:\n"
                                  "    print('BLOCKED', exc)"),
        nbformat.v4.new_code_cell("s = socket.socket()\n"
                                  "try:\n"
                                  "    s.connect(('93.184.216.34', 80))\n"
                                  "    print('REACHED')\n"
                                  "except OSError as exc:\n"
                                  "    print('BLOCKED', exc)\n"
                                  "finally:\n"
                                  "    s.close()"),
        nbformat.v4.new_code_cell("srv = socket.socket(); srv.bind(('127.0.0.1', 0)); srv.listen(1)\n"
                                  "cli = socket.create_connection(srv.getsockname(), timeout=5)\n"
                                  "print('LOOPBACK OK'); cli.close(); srv.close()"),
    ]
    _run(nb, env, tmp_path, timeout=60)
    outputs = ["".join(o.get("text", "") for o in c.outputs) for c in nb.cells]
    assert outputs[0].startswith("BLOCKED") and "network access is disabled" in outputs[0], outputs[0]
    assert outputs[1].startswith("BLOCKED"), outputs[1]
    assert outputs[2].strip() == "LOOPBACK OK", outputs[2]
    assert not _errors(nb)
    attempts = log.read_text(encoding="utf-8")
    assert "cdn.jsdelivr.net" in attempts and "93.184.216.34" in attempts
    log.write_text("", encoding="utf-8")  # the lessons start from an empty log


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.relative_to(LESSONS).as_posix() for p in NOTEBOOKS])
def test_lesson_runs_offline_without_cdn_scripts(path, offline_env, tmp_path):
    env, log = offline_env
    before = log.read_text(encoding="utf-8")
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:  # judge the fresh run only
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    _run(nb, env, path.parent)
    errors = _errors(nb)
    assert not errors, f"{path.name} failed offline:\n" + "\n".join(errors)
    attempts = log.read_text(encoding="utf-8")[len(before):]
    assert attempts == "", f"{path.name} tried to use the network:\n{attempts}"
    hits = _remote_loads(nb)
    assert not hits, f"{path.name} output loads remote scripts:\n" + "\n".join(hits[:5])
    # the charts' JavaScript (JupyterChart's bundled ES module) lives in the widget state
    hits = _remote_loads_in_text(json.dumps(nb.metadata.get("widgets", {})), "widget state")
    assert not hits, f"{path.name} widget state loads remote scripts:\n" + "\n".join(hits[:5])


def test_lessons_were_found():
    assert len(NOTEBOOKS) >= 10, [p.name for p in NOTEBOOKS]


# ---------------------------------------------------------------------------
# (b) HTML reports escape card strings
# ---------------------------------------------------------------------------

SCRIPT = "<script>alert(1)</script>"
ATTRIBUTE = '"><img src=x onerror=alert(1)>'


def _toml_string(text: str) -> str:
    return json.dumps(text)  # a JSON string literal is a valid TOML basic string here


def _edit_card(text: str, replacements: list[tuple[str, str]]) -> str:
    for old, new in replacements:
        assert text.count(old) == 1, f"seed card line not found exactly once: {old!r}"
        text = text.replace(old, new)
    return text


def _hostile_card(tmp_path: Path, values: dict[str, str], name: str) -> Path:
    seed = SEED_CARD.read_text(encoding="utf-8")
    card = _edit_card(seed, [
        ('short_title = "Menstrual-blood stromal cell secretome for severe COVID-19 (14 vs 15)"',
         f"short_title = {_toml_string(values['short_title'])}"),
        ('title = "Safety and efficacy study of allogeneic human menstrual blood stromal cells secretome to treat '
         'severe COVID-19 patients: clinical trial phase I & II"',
         f"title = {_toml_string(values['title'])}"),
        ('text = "mean reduction of 77%"', f"text = {_toml_string(values['claim'])}"),
        ('label = "Intubation within 28 days"', f"label = {_toml_string(values['label'])}"),
        ('label = "MenSC secretome"', f"label = {_toml_string(values['arm'])}"),
        ('measure = "C-reactive protein"', f"measure = {_toml_string(values['measure'])}"),
    ])
    path = tmp_path / f"{name}.toml"
    path.write_text(card, encoding="utf-8")
    return path


HOSTILE_HTML = {"short_title": SCRIPT, "title": ATTRIBUTE, "claim": SCRIPT + " and " + ATTRIBUTE,
                "label": ATTRIBUTE, "arm": SCRIPT, "measure": ATTRIBUTE}


@pytest.fixture
def hostile_trial(tmp_path):
    return ap.load_trial(_hostile_card(tmp_path, HOSTILE_HTML, "hostile-html"))


def test_hostile_card_loads_verbatim(hostile_trial):
    t = hostile_trial
    assert t.short_title == SCRIPT
    assert t.citation.title == ATTRIBUTE
    assert t.claim("crp-change").text == SCRIPT + " and " + ATTRIBUTE
    assert t.outcome("intubation").label == ATTRIBUTE
    assert t.treatment.label == SCRIPT


def test_html_report_escapes_every_card_string(hostile_trial):
    html = ap.report(hostile_trial, format="html")
    lowered = html.lower()
    assert "<script" not in lowered, "raw <script in the HTML report"
    assert "<img" not in lowered, "raw <img in the HTML report"
    assert "onerror=alert(1)>" not in html
    # the escaped forms are there: the text is shown, not dropped
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;" in html
    # the title (page <title> and <h1>) and the outcome label made it through, escaped
    assert html.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 2
    assert "<h3>&quot;&gt;&lt;img src=x onerror=alert(1)&gt;</h3>" in html


def test_markdown_and_json_reports_keep_hostile_text_as_text(hostile_trial):
    data = json.loads(ap.report(hostile_trial, format="json"))
    assert SCRIPT in json.dumps(data, ensure_ascii=False)  # JSON carries the data unchanged
    md = ap.report(hostile_trial, format="markdown")
    assert isinstance(md, str) and md


# ---------------------------------------------------------------------------
# (c) card content is never evaluated
# ---------------------------------------------------------------------------

PYTHON = "__import__('os').system('touch PWNED')"
JINJA = "{{7*7}}"
SHELL = "${7*7}"
FORMAT = "{0.__class__}"
HOSTILE_CODE = {"short_title": PYTHON, "title": JINJA, "claim": SHELL, "label": JINJA + " " + SHELL,
                "arm": PYTHON, "measure": FORMAT}


def test_code_in_a_card_is_plain_text(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = _hostile_card(tmp_path, HOSTILE_CODE, "hostile-code")
    trial = ap.load_trial(path)
    assert trial.short_title == PYTHON
    assert trial.citation.title == JINJA
    assert trial.claim("crp-change").text == SHELL
    assert trial.outcome("intubation").label == JINJA + " " + SHELL
    assert trial.treatment.label == PYTHON
    assert trial.claim("crp-change").measure == FORMAT

    flags = ap.appraise(trial)
    outputs = {fmt: ap.report(trial, format=fmt) for fmt in ("markdown", "html", "json")}
    outputs["flags"] = "\n".join(f"{f.title}\n{f.message}\n{f.evidence}" for f in flags)

    assert not (tmp_path / "PWNED").exists() and not Path("PWNED").exists()
    assert not (REPO / "PWNED").exists()
    html = outputs["html"]
    assert html.count("__import__(&#x27;os&#x27;).system(&#x27;touch PWNED&#x27;)") >= 1
    assert JINJA in html and SHELL in html          # shown literally ...
    assert "<title>Appraisal: __import__(&#x27;os&#x27;)" in html
    # Markdown shows the text literally through its escaping (``*`` becomes ``\\*``)
    markdown = outputs["markdown"]
    assert escape_markdown(JINJA) in markdown and escape_markdown(SHELL) in markdown
    assert "\\_\\_import\\_\\_" in markdown
    assert JINJA in outputs["json"] and SHELL in outputs["json"]
    assert "__import__" in outputs["json"]
    for name, text in outputs.items():
        # ... and never evaluated: 7*7 = 49 nowhere where the template was, no class repr
        assert "<class " not in text and "&lt;class " not in text, name
        for template in (JINJA, SHELL):
            rendered = text.replace(template, "")
            assert "Appraisal: 49" not in rendered and "<h3>49" not in rendered, name


PACKAGE_SOURCES = sorted(PACKAGE.rglob("*.py"))
EVALUATING_CALLS = {"eval", "exec", "compile", "__import__"}
UNSAFE_MODULES = {"pickle", "cPickle", "_pickle", "dill", "marshal", "shelve", "yaml"}


def _dangerous_uses(source: str) -> list[str]:
    """Calls that run or deserialise code, found in the syntax tree (not in docstrings)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name) and func.id in EVALUATING_CALLS:
                found.append(f"line {node.lineno}: {func.id}(")
            elif (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)
                  and func.value.id in ("builtins", "yaml", "pickle", "marshal")
                  and func.attr in EVALUATING_CALLS | {"load", "loads", "unsafe_load", "full_load"}):
                found.append(f"line {node.lineno}: {func.value.id}.{func.attr}(")
        elif isinstance(node, ast.Import):
            found += [f"line {node.lineno}: import {a.name}" for a in node.names
                      if a.name.split(".")[0] in UNSAFE_MODULES]
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in UNSAFE_MODULES:
            found.append(f"line {node.lineno}: from {node.module} import ...")
    return found


def test_sources_were_found():
    names = {p.name for p in PACKAGE_SOURCES}
    assert {"trials.py", "flags.py", "io.py", "claims.py", "markdown.py", "html.py"} <= names


@pytest.mark.parametrize("path", PACKAGE_SOURCES, ids=[p.relative_to(PACKAGE).as_posix() for p in PACKAGE_SOURCES])
def test_package_never_evaluates_code(path):
    found = _dangerous_uses(path.read_text(encoding="utf-8"))
    assert not found, f"{path.relative_to(REPO)}: " + "; ".join(found)


def test_dangerous_use_scan_catches_planted_calls():
    """The scan above is not vacuous: it finds the calls it is meant to find, and only those."""
    planted = ("import pickle\nimport yaml\nvalue = eval(text)\nexec(code)\nyaml.load(f)\n"
               "builtins.exec(c)\nfrom marshal import loads\n")
    assert len(_dangerous_uses(planted)) == 7
    harmless = ('"""eval(x) in a docstring"""\n# exec(y) in a comment\nimport re\nre.compile("a")\n'
                'df.eval("a + b")\ns = "exec(" + "x)"\n')
    assert _dangerous_uses(harmless) == []


@pytest.mark.parametrize("trial_id", ap.list_trials())
def test_reports_load_nothing_remote(trial_id):
    # every format of every bundled card: no script, stylesheet or frame from elsewhere
    trial = ap.load_trial(trial_id)
    for fmt in ("markdown", "html", "json"):
        text = ap.report(trial, format=fmt)
        assert not REMOTE_LOAD.search(text), (fmt, REMOTE_LOAD.search(text).group(0))
    html = ap.report(trial, format="html")
    assert "<script" not in html.lower() and "<link" not in html.lower() and "src=" not in html


def test_markdown_report_turns_hostile_text_into_text(hostile_trial):
    md = ap.report(hostile_trial, format="markdown")
    assert "<script" not in md.lower() and "<img" not in md.lower()
    assert "&lt;script>alert(1)&lt;/script>" in md      # shown as text in any Markdown viewer
