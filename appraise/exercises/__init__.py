"""Self-checking exercises for the lessons.

A lesson asks a question; the learner types an answer and calls :func:`check`, which
prints ``"✓ Correct: ..."`` with a short explanation, or ``"✗ Not yet: ..."`` with a hint.
Nothing is ever raised at the learner: a wrong kind of answer gets a friendly message.

Questions live in *banks*, one module per lesson (``appraise/exercises/lesson01.py`` ...),
loaded lazily the first time one of their questions is asked for.  A bank registers its
questions with :func:`register`::

    from appraise.exercises import Question, register

    register(Question(
        id="lesson02-q1",
        prompt="What is the risk of intubation in the treated arm?",
        answer=lambda trial: trial.outcome("intubation").events_treat
                             / trial.outcome("intubation").n_treat,
        kind="number",
        tolerance=0.005,
        hint="Risk = events / patients in that arm.",
        explanation="7 of 14 treated patients were intubated: 0.5.",
    ))

Answers that depend on the trial are callables taking the :class:`~appraise.trials.Trial`,
so the same question works for another trial card (``check(..., trial=other)``).

Question ids should start with the bank's module name (``"lesson02-q1"``): :func:`check`
then imports only that bank.  Other ids still work; every bank is imported to find them.

How answers are read (the same rule in every lesson, :func:`read_number`)
--------------------------------------------------------------------------
* Numbers may be typed as numbers or strings: ``0.128``, ``"0.128"``, ``"12.8%"``,
  ``"12.8 %"``, ``"0,128"``, ``"−0.30"`` (a typographic minus is accepted).
* For a question about a proportion, risk or risk difference (``percent=True``) a
  percentage is the same answer: ``"-30%"``, ``-30`` and ``-0.30`` are read alike, and a
  plain number above 1 is read as a percentage, which the message says.
* Each number question states its precision (``decimals``): the answer is right when it
  is within half a unit of that decimal place of the expected value (a count, asked as a
  whole number, must be exact).  Fewer decimals than
  asked is not wrong arithmetic: the message says the value is right but the question asks
  for more decimals.  A percentage carries two decimals fewer (``"12.8%"`` is ``0.128``).

Feedback
--------
A wrong answer always gets a sentence in words: why it is wrong when it is a known slip
(``mistakes``: "that is the rule-of-three value; the question asks for the exact bound"),
else where to look (``feedback``).  The code that computes the answer (``hint``) follows
on a separate line, for those who program.  Messages are generated from the card in use.

The lesson's outcome
--------------------
Questions about "the lesson's outcome" (``uses_outcome=True``) receive the outcome chosen
by :func:`appraise.cards.claims.lesson_outcome` from the lesson's ``OUTCOME_ID``, passed
as ``check(..., outcome=OUTCOME_ID)``.
"""

from __future__ import annotations

import importlib
import math
import numbers
import pkgutil
import re
from dataclasses import dataclass, field
from typing import Any, Callable

__all__ = [
    "Question",
    "CheckResult",
    "register",
    "check",
    "hint",
    "get_question",
    "list_questions",
    "expected_answer",
    "read_number",
]

KINDS = ("number", "choice", "text", "bool")
DEFAULT_TRIAL = "mensc-secretome-covid19"

_REGISTRY: dict[str, "Question"] = {}
_LOADED_BANKS: set[str] = set()


@dataclass(frozen=True)
class Question:
    """One self-checking exercise.

    Parameters
    ----------
    id : str
        Unique id, prefixed by the bank's module name, e.g. ``"lesson02-q1"``.
    prompt : str
        The question as the lesson asks it.
    answer : callable or constant
        The expected answer, or a function ``answer(trial) -> value`` computing it from a
        :class:`~appraise.trials.Trial` with the library (never a hard-coded number when
        the library can compute it).  For ``kind="text"`` a tuple of accepted strings may
        be given.
    kind : {"number", "choice", "text", "bool"}
        How answers are parsed and compared.
    tolerance : float, optional
        Absolute tolerance for ``kind="number"`` when ``decimals`` is not given.  Default:
        exact for whole-number answers, otherwise 0.005 when ``|expected| <= 1`` and 0.5%
        of the expected value above that.
    hint : str or callable
        The code that computes the answer, shown after the words of a wrong answer.
    explanation : str or callable
        Shown after a right answer.
    choices : tuple of str
        The allowed options for ``kind="choice"``.
    decimals : int, optional
        The precision the question asks for (0 for a whole number); the answer is right
        within half a unit of that decimal place.
    percent : bool
        The answer is a proportion (or difference of proportions): percentages are
        accepted as the same answer.
    feedback : str or callable
        Where to look, in words, shown after any wrong answer that is not a known slip.
    mistakes : callable, optional
        ``mistakes(trial, outcome)`` (or ``mistakes(trial)``) -> iterable of
        ``(value, reason)``: known wrong answers with the sentence that explains them.
    uses_outcome : bool
        The answer is about the lesson's outcome: callables receive ``(trial, outcome)``,
        the outcome chosen by :func:`appraise.cards.claims.lesson_outcome`.

    Callables among ``hint``, ``explanation``, ``feedback`` take the same arguments as
    ``answer`` and return the text, so every message speaks of the card in use.

    Examples
    --------
    >>> q = Question(id="demo-q1", prompt="How many treated patients?",
    ...              answer=lambda trial: trial.treatment.n_analysed, hint="Count the arm.")
    >>> q.kind
    'number'
    """

    id: str
    prompt: str
    answer: Any
    kind: str = "number"
    tolerance: float | None = None
    hint: Any = ""
    explanation: Any = ""
    choices: tuple[str, ...] = ()
    decimals: int | None = None
    percent: bool = False
    feedback: Any = ""
    mistakes: Any = None
    uses_outcome: bool = False

    def __post_init__(self):
        if not isinstance(self.id, str) or not self.id.strip():
            raise ValueError(f"id must be a non-empty string, got {self.id!r}")
        if self.kind not in KINDS:
            raise ValueError(f"kind must be one of {', '.join(map(repr, KINDS))}; got {self.kind!r}")
        if self.kind == "choice" and not self.choices:
            raise ValueError(f"question {self.id!r}: kind 'choice' needs choices, got {self.choices!r}")
        if self.tolerance is not None:
            if isinstance(self.tolerance, bool) or not isinstance(self.tolerance, numbers.Real) \
                    or not math.isfinite(self.tolerance) or self.tolerance < 0:
                raise ValueError(f"tolerance must be a finite number >= 0, got {self.tolerance!r}")
        if self.decimals is not None and (isinstance(self.decimals, bool)
                                          or not isinstance(self.decimals, int) or not 0 <= self.decimals <= 10):
            raise ValueError(f"decimals must be a whole number from 0 to 10, got {self.decimals!r}")
        object.__setattr__(self, "choices", tuple(self.choices))

    def _args(self, trial=None, outcome=None) -> tuple:
        """The arguments of the question's callables: ``(trial,)`` or ``(trial, outcome)``."""
        trial = _resolve_trial(trial)
        if self.uses_outcome:
            from appraise.cards.claims import lesson_outcome

            return trial, lesson_outcome(trial, outcome)
        return (trial,)

    def expected(self, trial=None, outcome=None):
        """The expected answer for ``trial`` (default: the seed trial).

        ``outcome`` is the lesson's ``OUTCOME_ID`` (``None``: the card's primary outcome,
        else its first), used by questions about the lesson's outcome.

        Examples
        --------
        >>> Question(id="demo-q2", prompt="?", answer=3).expected()
        3
        """
        if callable(self.answer):
            return self.answer(*self._args(trial, outcome))
        return self.answer

    def text(self, name: str, args: tuple) -> str:
        """The message field ``name`` (hint, explanation, feedback) for the card in use."""
        value = getattr(self, name)
        return value(*args) if callable(value) else value


@dataclass(frozen=True)
class CheckResult:
    """What :func:`check` found.  Truthy when the answer is correct.

    Attributes
    ----------
    question_id : str
    correct : bool
    message : str
        The line :func:`check` printed.
    given : object
        The answer as typed.
    """

    question_id: str
    correct: bool
    message: str
    given: Any = None

    def __bool__(self) -> bool:
        return self.correct

    def _ipython_display_(self):
        # check() has already printed the message; showing the result again in a
        # notebook would only repeat it.
        return None


# ---------------------------------------------------------------------------
# registry
# ---------------------------------------------------------------------------

def register(question: Question | None = None, /, **fields) -> Any:
    """Add a question to the registry.

    Use it as a function, ``register(Question(...))``, or as a decorator on the answer
    function, ``@register(id=..., prompt=..., kind=..., hint=...)``.

    Parameters
    ----------
    question : Question, optional
        The question to register.
    **fields
        With no ``question``: the :class:`Question` fields other than ``answer``; the
        decorated function becomes the answer.

    Returns
    -------
    Question or decorator
        The registered question (function form) or a decorator returning it.

    Raises
    ------
    ValueError
        If another question with the same id is already registered.

    Examples
    --------
    >>> q = register(Question(id="demo-analysed", prompt="How many were analysed?",
    ...              answer=lambda t: t.treatment.n_analysed + t.control.n_analysed))
    >>> get_question("demo-analysed") is q
    True
    >>> @register(id="demo-treated", prompt="How many were treated?")
    ... def _treated(trial):
    ...     return trial.treatment.n_analysed
    >>> _treated.expected()
    14
    """
    if question is None:
        def decorator(func: Callable) -> Question:
            return register(Question(answer=func, **fields))
        return decorator
    if not isinstance(question, Question):
        raise TypeError(f"question must be a Question, got {question!r} of type {type(question).__name__}")
    old = _REGISTRY.get(question.id)
    if old is not None and old != question and not _same_definition(old, question):
        raise ValueError(f"question id {question.id!r} is already registered with a different definition")
    _REGISTRY[question.id] = question
    return question


def _same_definition(a: Question, b: Question) -> bool:
    # re-importing a bank (importlib.reload) re-creates lambdas: same code, same question
    fa, fb = a.answer, b.answer
    same_answer = (fa == fb) or (callable(fa) and callable(fb)
                                 and getattr(fa, "__code__", None) is not None
                                 and getattr(fa, "__code__").co_code == getattr(fb, "__code__", None).co_code)
    return same_answer and (a.id, a.prompt, a.kind, a.tolerance, a.hint, a.explanation, a.choices) == \
        (b.id, b.prompt, b.kind, b.tolerance, b.hint, b.explanation, b.choices)


def _bank_names() -> list[str]:
    return sorted(m.name for m in pkgutil.iter_modules(__path__) if re.fullmatch(r"lesson\d+", m.name))


def _load_bank(name: str) -> None:
    if name not in _LOADED_BANKS:
        importlib.import_module(f"{__name__}.{name}")
        _LOADED_BANKS.add(name)


def _find(question_id: str) -> Question | None:
    if question_id in _REGISTRY:
        return _REGISTRY[question_id]
    banks = _bank_names()
    prefix = re.match(r"(lesson\d+)", question_id)
    if prefix and prefix.group(1) in banks:
        _load_bank(prefix.group(1))
        if question_id in _REGISTRY:
            return _REGISTRY[question_id]
    for name in banks:
        _load_bank(name)
    return _REGISTRY.get(question_id)


def get_question(question_id: str) -> Question:
    """Return the registered question ``question_id`` (loading its bank if needed).

    Raises
    ------
    KeyError
        If no bank defines it.

    Examples
    --------
    >>> get_question("lesson00-analysed").kind
    'number'
    """
    if not isinstance(question_id, str):
        raise TypeError(f"question_id must be a string, got {question_id!r} of type {type(question_id).__name__}")
    question = _find(question_id)
    if question is None:
        raise KeyError(f"no exercise has the id {question_id!r}")
    return question


def list_questions(bank: str | None = None) -> list[str]:
    """Ids of the registered questions, optionally of one bank (``"lesson00"``).

    Examples
    --------
    >>> list_questions("lesson00")
    ['lesson00-analysed', 'lesson00-design']
    """
    names = _bank_names()
    if bank is not None:
        if bank not in names:
            raise ValueError(f"bank must be one of {', '.join(map(repr, names))}; got {bank!r}")
        _load_bank(bank)
        return sorted(q for q in _REGISTRY if q.startswith(bank + "-") or q.startswith(bank + "."))
    for name in names:
        _load_bank(name)
    return sorted(_REGISTRY)


def hint(question_id: str, *, trial=None, outcome=None) -> str:
    """Print and return the hint of a question, before answering it: where to look, in
    words, then the code that computes it.

    Examples
    --------
    >>> _ = hint("lesson00-analysed")
    Hint: The table of arms in section 3 shows how many patients each arm analysed.
    In code: sum(arm.n_analysed for arm in trial.arms)
    """
    question = get_question(question_id)
    args = question._args(trial, outcome)
    words = question.text("feedback", args) or "re-read the lesson section the exercise follows."
    code = question.text("hint", args)
    text = f"Hint: {words}" + (f"\nIn code: {code}" if code else "")
    print(text)
    return text


def expected_answer(question_id: str, *, trial=None, outcome=None):
    """The expected answer (for teachers and the solutions notebooks).

    Examples
    --------
    >>> expected_answer("lesson00-analysed")
    29
    """
    return get_question(question_id).expected(trial, outcome)


def _resolve_trial(trial):
    from appraise.trials import Trial, load_trial

    if trial is None:
        return load_trial(DEFAULT_TRIAL)
    if isinstance(trial, Trial):
        return trial
    if isinstance(trial, str):
        return load_trial(trial)
    raise TypeError(f"trial must be a Trial or a trial id, got {trial!r} of type {type(trial).__name__}")


# ---------------------------------------------------------------------------
# parsing and comparing answers
# ---------------------------------------------------------------------------

_NUMBER = re.compile(r"^\s*([-+−]?\s*(?:\d+(?:[.,](\d*))?|[.,](\d+))(?:[eE]([-+]?\d+))?)\s*(%?)\s*$")


class _Unparseable(Exception):
    """An answer that cannot be read as the question's kind (message is for the learner)."""


@dataclass(frozen=True)
class ReadNumber:
    """A number answer as read by :func:`read_number`.

    Attributes
    ----------
    value : float
        The number, a percentage divided by 100.
    was_percent : bool
        Typed with a ``%`` sign.
    decimals : int
        Decimal places given, on the scale of ``value`` (``"12.8%"`` -> 3).
    """

    value: float
    was_percent: bool
    decimals: int


def _float_decimals(value: float) -> int:
    text = repr(float(value))
    if "e" in text or "E" in text:
        mantissa, _, exponent = text.lower().partition("e")
        places = len(mantissa.partition(".")[2].rstrip("0"))
        return max(0, places - int(exponent))
    return len(text.partition(".")[2].rstrip("0"))


def read_number(answer) -> ReadNumber:
    """Read a number answer the same way in every lesson.

    Parameters
    ----------
    answer : int, float or str
        ``0.128``, ``"0.128"``, ``"12.8%"``, ``"12.8 %"``, ``"0,128"``, ``"−0.3"``.

    Returns
    -------
    ReadNumber

    Raises
    ------
    ValueError
        ``answer`` is not a finite number or a string holding one (the message is meant
        for the learner and repeats the answer).

    Examples
    --------
    >>> read_number("12.8%")
    ReadNumber(value=0.128, was_percent=True, decimals=3)
    >>> read_number(-30).value, read_number("−0.30").decimals
    (-30.0, 2)
    """
    try:
        return _read_number(answer)
    except _Unparseable as exc:
        raise ValueError(str(exc)) from None


def _read_number(answer) -> ReadNumber:
    if isinstance(answer, bool):
        raise _Unparseable(f"this question wants a number, and {answer!r} is a yes/no value")
    if isinstance(answer, numbers.Real):
        value = float(answer)
        if not math.isfinite(value):
            raise _Unparseable(f"{answer!r} is not a finite number")
        places = 0 if isinstance(answer, numbers.Integral) else _float_decimals(value)
        return ReadNumber(value, False, places)
    if isinstance(answer, str):
        match = _NUMBER.match(answer)
        if not match:
            raise _Unparseable(f"this question wants a number such as 0.13 or 13%, and {answer!r} is not one")
        text = match.group(1).replace("−", "-").replace(" ", "").replace(",", ".")
        value = float(text)
        if not math.isfinite(value):
            raise _Unparseable(f"{answer!r} is not a finite number")
        places = len(match.group(2) or match.group(3) or "") - int(match.group(4) or 0)
        if match.group(5):
            return ReadNumber(round(value / 100.0, 15), True, max(0, places + 2))
        return ReadNumber(value, False, max(0, places))
    raise _Unparseable(f"this question wants a number such as 0.13 or 13%, not a {type(answer).__name__}")


def _default_tolerance(expected: float) -> float:
    if float(expected).is_integer():
        return 0.0
    return 0.005 if abs(expected) <= 1 else 0.005 * abs(expected)


def _close(value: float, expected: float, tol: float) -> bool:
    return abs(value - expected) <= tol + 1e-9 * max(1.0, abs(expected))


def _fmt(value: float, decimals: int | None) -> str:
    if decimals is None:
        return f"{value:.4g}"
    return f"{value:.{decimals}f}"


def _places_word(n: int) -> str:
    if n == 0:
        return "a whole number"
    return "one decimal" if n == 1 else f"{n} decimals"


_TRUE = {"true", "yes", "y", "t", "1"}
_FALSE = {"false", "no", "n", "f", "0"}


def _parse_bool(answer) -> bool:
    if isinstance(answer, bool):
        return answer
    if isinstance(answer, str) and answer.strip().lower() in _TRUE | _FALSE:
        return answer.strip().lower() in _TRUE
    if isinstance(answer, numbers.Integral) and answer in (0, 1):
        return bool(answer)
    raise _Unparseable(f"this question wants True or False (or \"yes\"/\"no\"), not {answer!r}")


def _norm_text(text: str) -> str:
    return " ".join(str(text).strip().lower().split())


@dataclass(frozen=True)
class _Verdict:
    correct: bool
    note: str = ""          # added to a right answer ("read 13 as 13%")
    reason: str = ""        # why a wrong answer is wrong, when known


def _number_verdict(question: Question, answer, expected, mistakes) -> _Verdict:
    read = _read_number(answer)
    exp = float(expected)
    value, note = read.value, ""
    if question.percent and not read.was_percent and abs(exp) <= 1 < abs(value) <= 100:
        value, note = value / 100.0, f" (read {read.value:g} as {read.value:g}%)"
    if question.decimals == 0 and exp.is_integer():
        tol = 0.0                      # a count: exact
        if not value.is_integer():
            return _Verdict(False, reason=f"{read.value:g} is not a whole number, and the answer is a count")
    elif question.decimals is not None:
        tol = 0.5 * 10.0 ** -question.decimals
    else:
        tol = question.tolerance if question.tolerance is not None else _default_tolerance(exp)
    shown = f"{read.value:g}%" if note else (answer if isinstance(answer, str) else f"{read.value:g}")
    if _close(value, exp, tol):
        return _Verdict(True, note)
    numeric = [(float(w), r) for w, r in mistakes if isinstance(w, numbers.Real) and not isinstance(w, bool)]
    for wrong, reason in numeric:
        if _close(value, wrong, tol):
            return _Verdict(False, reason=f"{shown} — {reason}")
    given = read.decimals + (2 if note else 0)
    asked = question.decimals
    if asked is not None and given < asked:
        coarse = 0.5 * 10.0 ** -given
        # a whole number for an answer below 1 is not a rounding of it (1 for 0.63)
        if (given > 0 or abs(exp) >= 1) and _close(value, exp, coarse):
            return _Verdict(False, reason=(
                f"{shown} is the right value rounded to {_places_word(given)}, but the question asks for "
                f"{_places_word(asked)}; give it as {_fmt(exp, asked)}"
                + (f" or {exp * 100:.{max(asked - 2, 0)}f}%" if question.percent else "")))
        if given >= 1 or asked == 0:
            for wrong, reason in numeric:
                if _close(value, wrong, coarse):
                    return _Verdict(False, reason=f"{shown} — {reason}")
    if question.percent and exp != 0 and _close(-value, exp, tol):
        return _Verdict(False, reason=f"{shown} has the wrong sign: check which arm is subtracted from which")
    return _Verdict(False)


def _compare(question: Question, answer, expected, mistakes=()) -> _Verdict:
    """Judge one answer; raise _Unparseable when it cannot be read as the question's kind."""
    kind = question.kind
    if kind == "number":
        return _number_verdict(question, answer, expected, mistakes)
    if kind == "bool":
        given = _parse_bool(answer)
        if given == bool(expected):
            return _Verdict(True)
        reason = next((r for w, r in mistakes if isinstance(w, bool) and w == given), "")
        return _Verdict(False, reason=reason)
    if kind == "choice":
        if not isinstance(answer, str):
            raise _Unparseable(f"this question wants one of {', '.join(map(repr, question.choices))}, not {answer!r}")
        normalised = {_norm_text(c): c for c in question.choices}
        if _norm_text(answer) not in normalised:
            raise _Unparseable(f"{answer!r} is not one of the options: {', '.join(map(repr, question.choices))}")
        if _norm_text(answer) == _norm_text(expected):
            return _Verdict(True)
        reason = next((r for w, r in mistakes if isinstance(w, str) and _norm_text(w) == _norm_text(answer)), "")
        return _Verdict(False, reason=f"{answer!r} — {reason}" if reason else "")
    # text
    if not isinstance(answer, str):
        raise _Unparseable(f"this question wants a word or phrase in quotes, not {answer!r}")
    accepted = expected if isinstance(expected, (tuple, list, set, frozenset)) else (expected,)
    if _norm_text(answer) in {_norm_text(a) for a in accepted}:
        return _Verdict(True)
    reason = next((r for w, r in mistakes if isinstance(w, str) and _norm_text(w) == _norm_text(answer)), "")
    return _Verdict(False, reason=f"{answer!r} — {reason}" if reason else "")


def _mistakes(question: Question, args: tuple) -> list:
    if question.mistakes is None:
        return []
    found = question.mistakes(*args) if callable(question.mistakes) else question.mistakes
    return [(w, r) for w, r in found if w is not None]


def _wrong_message(question: Question, args: tuple, reason: str) -> str:
    """Why the answer is wrong (if known), where to look (always), then the code (if any)."""
    where = (question.text("feedback", args) or "Re-read the section the exercise follows.").strip()
    message = f"✗ Not yet: {reason.rstrip('.')}. {where}" if reason else f"✗ Not yet. {where}"
    code = question.text("hint", args)
    if code:
        message += f"\n  In code: {code}"
    return message


def check(question_id: str, answer, *, trial=None, outcome=None) -> CheckResult:
    """Check an answer to a lesson exercise; print and return the verdict.

    Parameters
    ----------
    question_id : str
        The exercise id shown in the lesson, e.g. ``"lesson02-risk-difference"``.
    answer : object
        Your answer: a number (``0.128``, ``"0.13"``, ``"13%"``), an option, a phrase or
        True/False, depending on the question.
    trial : Trial or str, optional
        The trial the question is about (default: the seed trial).
    outcome : str, optional
        The lesson's ``OUTCOME_ID``, for questions about the lesson's outcome (default:
        the card's primary outcome, else its first).

    Returns
    -------
    CheckResult
        Truthy when correct; ``.message`` is the printed text.  Nothing is raised for a
        wrong, unreadable or unknown answer: the message says what to do.

    Examples
    --------
    >>> result = check("lesson00-analysed", 29)
    ✓ Correct: 14 in the MenSC secretome arm + 15 in the Placebo arm = 29 patients analysed.
    >>> result.correct
    True
    >>> _ = check("lesson00-analysed", 14)
    ✗ Not yet: 14 — that is one arm only (MenSC secretome); add the other arm's 15. The table of arms in section 3 shows how many patients each arm analysed.
      In code: sum(arm.n_analysed for arm in trial.arms)
    >>> _ = check("lesson00-analysed", "twenty-nine")
    ✗ Not yet: this question wants a number such as 0.13 or 13%, and 'twenty-nine' is not one.
    >>> _ = check("lesson00-analysed", None)
    … Not answered yet: replace None with your answer and run the cell again.
    """
    if not isinstance(question_id, str):
        return _emit(str(question_id), False,
                     f"✗ The question id must be text in quotes, such as \"lesson02-risk-ratio\"; got {question_id!r}.",
                     answer)
    if answer is None or answer is Ellipsis:
        # the lesson's placeholder: not a wrong answer, just not an answer yet
        if _find_quietly(question_id) is None:
            return _emit(question_id, False,
                         f"✗ There is no exercise {question_id!r}. Check the id printed in the lesson.", answer)
        return _emit(question_id, False,
                     "… Not answered yet: replace None with your answer and run the cell again.", answer)
    try:
        question = _find(question_id)
    except ImportError as exc:  # a broken bank must not hide the message
        return _emit(question_id, False, f"✗ The exercises for {question_id!r} could not be loaded ({exc}).", answer)
    if question is None:
        return _emit(question_id, False,
                     f"✗ There is no exercise {question_id!r}. Check the id printed in the lesson.", answer)
    try:
        args = question._args(trial, outcome)
        expected = question.answer(*args) if callable(question.answer) else question.answer
        mistakes = _mistakes(question, args)
    except (TypeError, ValueError, KeyError) as exc:
        return _emit(question_id, False, f"✗ This exercise cannot be checked for that trial: {exc}", answer)
    try:
        verdict = _compare(question, answer, expected, mistakes)
    except _Unparseable as exc:
        return _emit(question_id, False, f"✗ Not yet: {exc}.", answer)
    if verdict.correct:
        explanation = question.text("explanation", args) or "well done."
        return _emit(question_id, True, f"✓ Correct{verdict.note}: {explanation}", answer)
    return _emit(question_id, False, _wrong_message(question, args, verdict.reason), answer)


def _find_quietly(question_id: str):
    try:
        return _find(question_id)
    except ImportError:
        return None


def _emit(question_id, correct, message, given) -> CheckResult:
    print(message)
    return CheckResult(question_id=question_id, correct=correct, message=message, given=given)
