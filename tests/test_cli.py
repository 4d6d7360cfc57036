"""Command line: python -m appraise report | validate | compare | list."""

import json
import subprocess
import sys

import pytest
from scipy import stats

from appraise import __version__
from appraise.__main__ import main, parse_fraction


def run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_compare_table(capsys):
    code, out, err = run(capsys, "compare", "7/14", "12/15")
    assert code == 0 and err == ""
    assert "treatment 7/14 vs control 12/15" in out
    assert "0.1281" in out          # trial-facts.md: Fisher p = 0.1281


def test_compare_json(capsys):
    code, out, _ = run(capsys, "compare", "7/14", "12/15", "--json", "--confidence-level", "0.9")
    assert code == 0
    data = json.loads(out)
    assert data["counts"] == {"events_treat": 7, "n_treat": 14, "events_ctrl": 12, "n_ctrl": 15}
    assert data["confidence_level"] == 0.9 and data["risk_treat"]["confidence_level"] == 0.9
    # Fisher p of the table, independently from scipy
    assert data["tests"]["fisher"]["pvalue"] == pytest.approx(stats.fisher_exact([[7, 7], [12, 3]]).pvalue)
    # 90% Wilson interval of 7/14 from scipy's binomtest
    ci = stats.binomtest(7, 14).proportion_ci(confidence_level=0.9, method="wilson")
    assert (data["risk_treat"]["low"], data["risk_treat"]["high"]) == pytest.approx((ci.low, ci.high))


@pytest.mark.parametrize("bad, words", [
    ("7/", "'7/' is not EVENTS/N"),
    ("a/b", "'a/b' is not EVENTS/N"),
    ("15/14", "events (15) cannot exceed the number of patients (14)"),
    ("3/0", "at least 1"),
    ("1.5/14", "'1.5/14' is not EVENTS/N"),
])
def test_compare_rejects_bad_fractions(capsys, bad, words):
    code, out, err = run(capsys, "compare", bad, "12/15")
    assert code == 2 and out == ""
    assert words in err and "Traceback" not in err
    with pytest.raises(ValueError, match="EVENTS/N|exceed|at least"):
        parse_fraction(bad)


def test_compare_rejects_bad_level(capsys):
    code, _, err = run(capsys, "compare", "7/14", "12/15", "--confidence-level", "95")
    assert code == 2 and "between 0 and 1" in err and "'95'" in err


def test_report_default_and_formats(capsys, tmp_path):
    code, out, _ = run(capsys, "report")
    assert code == 0 and out.startswith("# Appraisal: Menstrual-blood")
    code, out, _ = run(capsys, "report", "huc-msc-covid19-shu2020", "--format", "json")
    data = json.loads(out)
    assert "randomisation-doubtful" in {f["code"] for f in data["flags"]}
    target = tmp_path / "seed.html"
    code, out, _ = run(capsys, "report", "--format", "html", "--output", str(target))
    assert code == 0 and out == ""
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_report_unknown_trial(capsys, tmp_path):
    code, out, err = run(capsys, "report", str(tmp_path / "missing.toml"))
    assert code == 2 and err.startswith("appraise: error:") and "Traceback" not in err


def test_report_invalid_card(capsys, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('schema_version = 1\nid = "x"\n', encoding="utf-8")
    code, _, err = run(capsys, "report", str(bad))
    assert code == 2 and "appraise: error: invalid trial card" in err
    assert "bad.toml: " in err


def test_validate(capsys, tmp_path):
    from appraise.trials import _cards_dir

    good = _cards_dir() / "mensc-secretome-covid19.toml"
    bad = tmp_path / "bad.toml"
    bad.write_text('schema_version = 1\nid = "x"\n', encoding="utf-8")
    code, out, _ = run(capsys, "validate", str(good))
    assert code == 0 and out == f"OK {good}\n"
    code, out, _ = run(capsys, "validate", str(good), str(bad))
    assert code == 1
    lines = out.splitlines()
    assert lines[0] == f"OK {good}"
    assert len(lines) > 2 and all(line.startswith(f"{bad}: ") for line in lines[1:])
    assert any(": short_title: " in line for line in lines[1:])


def test_validate_missing_and_unreadable(capsys, tmp_path):
    code, out, err = run(capsys, "validate", str(tmp_path / "nope.toml"))
    assert code in (1, 2) and "Traceback" not in err
    if code == 2:
        assert err.startswith("appraise: error:")
    binary = tmp_path / "binary.toml"
    binary.write_bytes(b"\xff\xfe\x00not toml")
    code, out, err = run(capsys, "validate", str(binary))
    assert code in (1, 2) and "Traceback" not in err and "binary.toml" in out + err


def test_list(capsys):
    code, out, _ = run(capsys, "list")
    ids = [line.split("\t")[0] for line in out.splitlines()]
    assert code == 0 and {"mensc-secretome-covid19", "huc-msc-covid19-shu2020"} <= set(ids)


def test_version_and_help(capsys):
    code, out, _ = run(capsys, "--version")
    assert code == 0 and out.strip() == f"appraise {__version__}"
    code, out, _ = run(capsys, "--help")
    assert code == 0 and "report" in out and "validate" in out and "compare" in out
    code, _, err = run(capsys)
    assert code == 2 and "COMMAND" in err


def test_real_subprocess():
    proc = subprocess.run([sys.executable, "-m", "appraise", "compare", "7/14", "12/15"],
                          capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr
    assert "treatment 7/14 vs control 12/15" in proc.stdout and "0.1281" in proc.stdout


# ---------------------------------------------------------------------------
# Output files: never overwrite an input, never clobber silently, write atomically
# ---------------------------------------------------------------------------

SEED = "mensc-secretome-covid19"


def _card_copy(tmp_path, replace=None):
    from appraise.trials import _cards_dir

    text = _cards_dir().joinpath(f"{SEED}.toml").read_text(encoding="utf-8")
    for old, new in (replace or {}).items():
        assert old in text
        text = text.replace(old, new)
    card = tmp_path / f"{SEED}.toml"
    card.write_text(text, encoding="utf-8")
    return card


def _leftovers(directory, keep):
    return sorted(p.name for p in directory.iterdir() if p.name not in keep)


@pytest.mark.parametrize("how", ["same", "relative", "symlink", "hardlink"])
def test_report_never_overwrites_its_input(capsys, tmp_path, monkeypatch, how):
    card = _card_copy(tmp_path)
    before = card.read_bytes()
    monkeypatch.chdir(tmp_path)
    target = {"same": str(card), "relative": f"./sub/../{card.name}"}.get(how)
    (tmp_path / "sub").mkdir()
    if how == "symlink":
        (tmp_path / "link.toml").symlink_to(card)
        target = str(tmp_path / "link.toml")
    elif how == "hardlink":
        import os

        os.link(card, tmp_path / "hard.toml")
        target = str(tmp_path / "hard.toml")
    for extra in ([], ["--force"]):
        code, out, err = run(capsys, "report", str(card), "-o", target, *extra)
        assert code == 2 and out == "" and "Traceback" not in err
        assert err.startswith("appraise: error: refusing") and "input card" in err
        assert len(err.strip().splitlines()) == 1
        assert card.read_bytes() == before


def test_output_never_the_bundled_card_file():
    from appraise.__main__ import _input_paths, check_output_path
    from appraise.trials import _cards_dir

    bundled = str(_cards_dir().joinpath(f"{SEED}.toml"))
    with pytest.raises(ValueError, match="input card"):
        check_output_path(bundled, _input_paths(SEED), force=True)


def test_existing_output_needs_force(capsys, tmp_path):
    target = tmp_path / "out.md"
    target.write_text("keep me", encoding="utf-8")
    code, out, err = run(capsys, "report", "-o", str(target))
    assert code == 2 and "already exists" in err and "--force" in err
    assert target.read_text(encoding="utf-8") == "keep me"
    code, out, err = run(capsys, "report", "-o", str(target), "--force")
    assert code == 0 and err == "" and out == ""
    assert target.read_text(encoding="utf-8").startswith("# Appraisal:")
    assert _leftovers(tmp_path, {"out.md"}) == []


def test_output_dash_is_stdout(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "report", "--format", "json", "-o", "-")
    assert code == 0 and err == ""
    assert json.loads(out)["trial"]["id"] == SEED
    assert not (tmp_path / "-").exists()


@pytest.mark.parametrize("failing", ["fsync", "replace", "write"])
def test_failed_write_keeps_old_file_and_leaves_no_temp(capsys, tmp_path, monkeypatch, failing):
    import io
    import os

    target = tmp_path / "out.md"
    target.write_text("previous report", encoding="utf-8")

    def boom(*args, **kwargs):
        raise OSError(28, "No space left on device")

    if failing == "write":   # the disk fills after part of the report is written
        real_fdopen = os.fdopen

        class HalfWriter(io.TextIOWrapper):
            def write(self, text):
                super().write(text[: len(text) // 2])
                self.flush()
                boom()

        def fdopen(fd, *args, **kwargs):
            fh = real_fdopen(fd, "wb")
            return HalfWriter(fh, encoding="utf-8", newline="\n")

        monkeypatch.setattr(os, "fdopen", fdopen)
    else:
        monkeypatch.setattr(os, failing, boom)
    code, out, err = run(capsys, "report", "-o", str(target), "--force")
    monkeypatch.undo()
    assert code == 2 and "No space left on device" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    assert target.read_text(encoding="utf-8") == "previous report"
    assert _leftovers(tmp_path, {"out.md"}) == []


def test_failed_write_of_new_file_leaves_nothing(capsys, tmp_path, monkeypatch):
    import os

    def boom(*args, **kwargs):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "fsync", boom)
    code, _, err = run(capsys, "report", "-o", str(tmp_path / "new.md"))
    monkeypatch.undo()
    assert code == 2 and "Input/output error" in err
    assert list(tmp_path.iterdir()) == []


def test_output_in_missing_directory_or_a_directory(capsys, tmp_path):
    code, _, err = run(capsys, "report", "-o", str(tmp_path / "no" / "such" / "out.md"))
    assert code == 2 and "does not exist" in err
    code, _, err = run(capsys, "report", "-o", str(tmp_path), "--force")
    assert code == 2 and "is a directory" in err


@pytest.mark.parametrize("exc", [MemoryError(), OverflowError("int too large to convert to float"),
                                 ValueError("bad value\nsecond line"), RecursionError(),
                                 ArithmeticError("decimal overflow"), RuntimeError("odd")])
def test_library_errors_are_one_line_exit_2(capsys, monkeypatch, exc):
    import appraise.reporting

    def raiser(*args, **kwargs):
        raise exc

    monkeypatch.setattr(appraise.reporting, "report", raiser)
    code, out, err = run(capsys, "report")
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and err.startswith("appraise: error: ")
    assert "Traceback" not in err


def test_compare_memory_error_is_one_line(capsys, monkeypatch):
    from appraise import proportions

    def raiser(*args, **kwargs):
        raise MemoryError

    monkeypatch.setattr(proportions, "compare_proportions", raiser)
    code, out, err = run(capsys, "compare", "1/100000", "2/100000")
    assert code == 2 and err.startswith("appraise: error: out of memory") and out == ""


def test_terminal_control_sequences_never_reach_the_terminal(capsys, tmp_path):
    title = "Menstrual-blood stromal cell secretome for severe COVID-19 (14 vs 15)"
    card = _card_copy(tmp_path, {title: title + "\\u001b[2J\\u001b]0;owned\\u0007\\u009b31m"})
    code, out, err = run(capsys, "report", str(card))
    assert code == 0, err
    assert not any(ch in out for ch in "\x1b\x07\x9b")
    assert "Menstrual-blood stromal cell secretome" in out


# ---------------------------------------------------------------------------
# hostile inputs on the command line: one line, exit status 2, never a traceback or a hang
# ---------------------------------------------------------------------------

def _one_error_line(err):
    # card problems one per line as "file: field: reason", then one "appraise: error:" line
    lines = err.strip().splitlines()
    assert lines and all(": " in line for line in lines)
    assert "Traceback" not in err and lines[-1].startswith("appraise: error:")


def test_report_of_a_fifo_does_not_hang(capsys, tmp_path):
    import os

    fifo = tmp_path / "card.toml"
    os.mkfifo(fifo)
    code, out, err = run(capsys, "report", str(fifo))
    assert code == 2 and out == ""
    _one_error_line(err)
    code, out, err = run(capsys, "validate", str(fifo))
    assert code == 2 and "Traceback" not in err


def test_report_of_a_very_long_id_or_path(capsys):
    code, _, err = run(capsys, "report", "x" * 300)
    assert code == 2
    _one_error_line(err)
    code, _, err = run(capsys, "report", "/" + "a" * 300 + ".toml")
    assert code == 2
    _one_error_line(err)


@pytest.mark.parametrize("old, new", [
    ('text = "P < 0.0001"', 'text = "P = 1e-30"'),
    ('text = "P < 0.0001"', 'text = "P = 0.' + "0" * 29 + '1"'),
    ("n_analysed = 14", "n_analysed = " + "9" * 40),
    ("n_analysed = 14", "n_analysed = " + "9" * 5000),
])
def test_cards_with_extreme_numbers_never_give_a_traceback(capsys, tmp_path, old, new):
    from appraise.trials import _cards_dir

    text = _cards_dir().joinpath(f"{SEED}.toml").read_text(encoding="utf-8")
    assert old in text
    card = tmp_path / f"{SEED}.toml"
    card.write_text(text.replace(old, new, 1), encoding="utf-8")
    code, _, err = run(capsys, "validate", str(card))
    assert code in (0, 1, 2) and "Traceback" not in err
    code, out, err = run(capsys, "report", str(card))
    assert "Traceback" not in err
    if code != 0:
        assert code == 2
        _one_error_line(err)


def test_compare_huge_arms_answers_or_refuses_on_one_line(capsys):
    code, out, err = run(capsys, "compare", "1/100000", "2/100000")
    assert "Traceback" not in err
    if code == 0:
        assert "treatment 1/100000 vs control 2/100000" in out
    else:
        assert code == 2 and len(err.strip().splitlines()) == 1
    code, out, err = run(capsys, "compare", "1/" + "9" * 400, "2/3")
    assert code == 2 and len(err.strip().splitlines()) == 1 and "Traceback" not in err
