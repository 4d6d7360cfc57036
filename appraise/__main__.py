"""Command line: ``python -m appraise report | validate | compare | list``.

Examples
--------
::

    python -m appraise report                          # the seed trial, as Markdown
    python -m appraise report huc-msc-covid19-shu2020 --format html --output shu.html
    python -m appraise validate my-trial.toml other.toml
    python -m appraise compare 7/14 12/15              # treatment events/n, control events/n
    python -m appraise compare 7/14 12/15 --json --confidence-level 0.9
    python -m appraise list

``report --output FILE`` never writes over a card it reads (compared by resolved path and by
:func:`os.path.samefile`), refuses an existing ``FILE`` unless ``--force`` is given, and writes
atomically: a temporary file beside ``FILE`` is fsync'ed and renamed, so ``FILE`` is either its
old content or the whole report.  ``--output -`` is standard output.  Text printed to the terminal
has every control sequence removed.

Exit status: 0 on success, 1 when ``validate`` finds an invalid card, 2 on a usage error, when a
file cannot be read or written, or when the library refuses an input (the message is one line
starting with ``appraise: error:``; never a traceback).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile

DEFAULT_TRIAL = "mensc-secretome-covid19"
_FRACTION = re.compile(r"\s*(\d+)\s*/\s*(\d+)\s*")


def parse_fraction(text: str) -> tuple[int, int]:
    """Parse ``"EVENTS/N"`` (e.g. ``"7/14"``) strictly into ``(events, n)``.

    Parameters
    ----------
    text : str
        Two whole numbers separated by ``/``, with ``0 <= events <= n`` and ``n >= 1``.

    Returns
    -------
    tuple of int

    Raises
    ------
    ValueError
        For anything else, naming the text.

    Examples
    --------
    >>> parse_fraction("7/14")
    (7, 14)
    >>> parse_fraction("15/14")
    Traceback (most recent call last):
    ...
    ValueError: '15/14': events (15) cannot exceed the number of patients (14)
    """
    if not isinstance(text, str):
        raise TypeError(f"fraction must be a string like '7/14', got {text!r} of type {type(text).__name__}")
    m = _FRACTION.fullmatch(text)
    if not m:
        raise ValueError(f"{text!r} is not EVENTS/N: give two whole numbers such as 7/14")
    events, n = int(m.group(1)), int(m.group(2))
    if n == 0:
        raise ValueError(f"{text!r}: the number of patients must be at least 1")
    if events > n:
        raise ValueError(f"{text!r}: events ({events}) cannot exceed the number of patients ({n})")
    return events, n


def _fraction_arg(text: str) -> tuple[int, int]:
    try:
        return parse_fraction(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _level_arg(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"confidence level must be a number, got {text!r}") from None
    if not 0 < value < 1:
        raise argparse.ArgumentTypeError(f"confidence level must be between 0 and 1 (e.g. 0.95), got {text!r}")
    return value


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``python -m appraise`` (exposed for documentation tools)."""
    from appraise import __version__

    parser = argparse.ArgumentParser(
        prog="appraise",
        description="Critically appraise small clinical trials: recompute, check and question every "
                    "reported number.")
    parser.add_argument("--version", action="version", version=f"appraise {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    p = sub.add_parser("report", help="print the full appraisal of a trial",
                       description="Print the full appraisal of a trial: recomputed outcomes, "
                                   "reported-number checks, registration audit and flags.")
    p.add_argument("trial", nargs="?", default=DEFAULT_TRIAL, metavar="TRIAL",
                   help=f"id of a bundled trial or path to a .toml card (default: {DEFAULT_TRIAL})")
    p.add_argument("--format", choices=("markdown", "html", "json"), default="markdown",
                   help="output format (default: markdown)")
    p.add_argument("--output", "-o", metavar="FILE",
                   help="write to FILE instead of standard output ('-' is standard output); never "
                        "an input card; an existing FILE is refused unless --force")
    p.add_argument("--force", action="store_true", help="replace an existing output file")

    p = sub.add_parser("validate", help="check trial card files",
                       description="Check trial cards; print 'OK <file>' or every problem as "
                                   "'file: path: reason'. Exit 1 if any card is invalid.")
    p.add_argument("cards", nargs="+", metavar="CARD", help="path to a .toml trial card")

    p = sub.add_parser("compare", help="compare two proportions (events/n per arm)",
                       description="Compare treatment EVENTS/N with control EVENTS/N: risks, risk "
                                   "difference, ratios, NNT and five tests.")
    p.add_argument("treat", type=_fraction_arg, metavar="TREAT", help="treatment arm, e.g. 7/14")
    p.add_argument("ctrl", type=_fraction_arg, metavar="CTRL", help="control arm, e.g. 12/15")
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    p.add_argument("--confidence-level", type=_level_arg, default=0.95, metavar="LEVEL",
                   help="confidence level of the intervals (default: 0.95)")

    sub.add_parser("list", help="list the bundled trials", description="List the bundled trial cards.")
    return parser


def _one_line(text: str) -> str:
    """``text`` on one line with no terminal control sequences."""
    from appraise._format import escape_terminal

    return " / ".join(part.strip() for part in escape_terminal(str(text)).splitlines() if part.strip())


def _error(message: str) -> int:
    print(f"appraise: error: {_one_line(message)}", file=sys.stderr)
    return 2


def _input_paths(trial: str) -> list[str]:
    """Files the report reads: the card named by ``trial`` (a bundled id or a path)."""
    from appraise.trials import _cards_dir, list_trials

    paths = [trial]
    if trial in list_trials():
        try:
            paths.append(os.fspath(_cards_dir().joinpath(f"{trial}.toml")))
        except TypeError:  # pragma: no cover - zipped package: nothing on disk to overwrite
            pass
    return paths


def _same_file(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` name one file (same resolved path, or same inode via links)."""
    try:
        if os.path.realpath(a) == os.path.realpath(b):
            return True
        return os.path.exists(a) and os.path.exists(b) and os.path.samefile(a, b)
    except (OSError, ValueError):
        return False


def check_output_path(output: str, inputs: list[str], *, force: bool = False) -> None:
    """Refuse an output file that would destroy data.

    Parameters
    ----------
    output : str
        The file the report would be written to.
    inputs : list of str
        Files the command reads; the output may never be one of them (compared by resolved path
        and by :func:`os.path.samefile`, so links are caught too).
    force : bool
        Allow replacing an existing file that is not an input.

    Raises
    ------
    ValueError
        If ``output`` is an input, a directory, an existing file without ``force``, or lies in a
        directory that does not exist.
    """
    for src in inputs:
        if _same_file(output, src):
            raise ValueError(f"refusing to write the report to {output!r}: it is the input card "
                             f"{src!r}; choose another output file")
    if os.path.isdir(output):
        raise ValueError(f"output {output!r} is a directory; give a file name")
    if os.path.lexists(output) and not force:
        raise ValueError(f"output file {output!r} already exists; pass --force to replace it")
    parent = os.path.dirname(os.path.abspath(output))
    if not os.path.isdir(parent):
        raise ValueError(f"cannot write {output!r}: directory {parent!r} does not exist")


def write_atomic(path: str, text: str, *, force: bool = False) -> None:
    """Write ``text`` to ``path`` so that ``path`` is either the old file or the whole new one.

    The text goes to a temporary file in the same directory, is flushed and fsync'ed, then
    renamed over ``path`` (:func:`os.replace`).  Without ``force`` the final step is a hard link,
    which fails rather than replace a file that appeared meanwhile.  On any failure the temporary
    file is removed and ``path`` is untouched.
    """
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=f".{os.path.basename(path)}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        if force:
            os.replace(tmp, path)
        else:
            try:
                os.link(tmp, path)
            except FileExistsError:
                raise ValueError(f"output file {path!r} already exists; pass --force to replace "
                                 f"it") from None
            except OSError:  # file systems without hard links
                if os.path.lexists(path):
                    raise ValueError(f"output file {path!r} already exists; pass --force to "
                                     f"replace it") from None
                os.replace(tmp, path)
            else:
                os.unlink(tmp)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _cmd_report(args) -> int:
    from appraise.reporting import report
    from appraise.trials import load_trial

    to_file = args.output not in (None, "-")
    if to_file:
        check_output_path(args.output, _input_paths(args.trial), force=args.force)
    text = report(load_trial(args.trial), format=args.format)
    if to_file:
        write_atomic(args.output, text, force=args.force)
    else:
        from appraise._format import escape_terminal

        sys.stdout.write(escape_terminal(text))
        sys.stdout.flush()
    return 0


def _cmd_validate(args) -> int:
    from appraise.trials import CardValidationError, validate_card

    status = 0
    for card in args.cards:
        try:
            errors = validate_card(card)
        except CardValidationError as exc:
            errors = list(getattr(exc, "errors", ())) or None
            if errors is None:
                _error(f"{card}: {exc}")
                status = 2
                continue
        except Exception as exc:  # noqa: BLE001 - one line per card, never a traceback
            if isinstance(exc, MemoryError):
                _error(f"{card}: out of memory: the card is too large to check")
            else:
                _error(f"{card}: {exc}")
            status = 2
            continue
        if errors:
            for err in errors:
                print(_one_line(f"{err.file}: {err.path}: {err.reason}"))
            status = max(status, 1)
        else:
            print(_one_line(f"OK {card}"))
    return status


def _cmd_compare(args) -> int:
    from appraise import proportions

    (a, n1), (c, n2) = args.treat, args.ctrl
    cmp = proportions.compare_proportions(a, n1, c, n2, confidence_level=args.confidence_level)
    if args.json:
        from appraise._format import to_json

        print(to_json(proportions.comparison_to_dict(cmp)))
    else:
        print(proportions.format_comparison(cmp))
    return 0


def _cmd_list(args) -> int:
    from appraise.trials import list_trials, load_trial

    for trial_id in list_trials():
        print(f"{trial_id}\t{_one_line(load_trial(trial_id).short_title)}")
    return 0


_COMMANDS = {"report": _cmd_report, "validate": _cmd_validate, "compare": _cmd_compare,
             "list": _cmd_list}


def main(argv: list[str] | None = None) -> int:
    """Run the command line and return its exit status.

    Parameters
    ----------
    argv : list of str, optional
        Arguments without the program name (default: ``sys.argv[1:]``).

    Returns
    -------
    int
        0 success, 1 invalid card(s) found by ``validate``, 2 usage or input error.

    Examples
    --------
    >>> main(["compare", "7/14", "12/15", "--json"])  # doctest: +ELLIPSIS
    {...}
    0
    >>> main(["report", "mensc-secretome-covid19", "--format", "json"])  # doctest: +ELLIPSIS
    {...}
    0
    """
    parser = build_parser()
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["compare"]:
        # argparse would take "-7/14" for an option and hide the real problem
        for token in argv[1:]:
            if re.fullmatch(r"-\d+(/\d*)?", token):
                return _error(f"argument TREAT/CTRL: {token!r} is not EVENTS/N: counts cannot be negative")
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:   # --help, --version, usage errors
        return int(exc.code or 0) if not isinstance(exc.code, str) else 2
    try:
        return _COMMANDS[args.command](args)
    except BrokenPipeError:  # e.g. ``| head``: the reader left; nothing more to say
        try:
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - silence the flush at exit
        except OSError:  # pragma: no cover
            pass
        return 0
    except Exception as exc:  # noqa: BLE001 - reported on one line, never as a traceback
        return _report_exception(exc)


def _report_exception(exc: BaseException) -> int:
    """Print ``exc`` as ``appraise: error: ...`` lines (one per card problem) and return 2."""
    from appraise.trials import CardValidationError

    if isinstance(exc, CardValidationError) and getattr(exc, "errors", None):
        for err in exc.errors:
            print(_one_line(f"{err.file}: {err.path}: {err.reason}"), file=sys.stderr)
        return _error(f"invalid trial card ({len(exc.errors)} problem(s))")
    if isinstance(exc, MemoryError):
        return _error("out of memory: the input is too large to compute here")
    if isinstance(exc, RecursionError):
        return _error("the input is nested too deeply to read")
    message = str(exc).strip("'\"") or type(exc).__name__
    if isinstance(exc, (ValueError, TypeError, OSError, KeyError)):
        return _error(message)
    if isinstance(exc, ArithmeticError):  # OverflowError, decimal errors: a number out of range
        return _error(f"a number is out of range ({type(exc).__name__}: {message})")
    return _error(f"unexpected {type(exc).__name__}: {message}")

if __name__ == "__main__":
    sys.exit(main())
