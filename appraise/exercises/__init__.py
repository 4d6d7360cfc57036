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

from ._answers import ReadNumber, read_number  # noqa: F401
from ._answers import _Unparseable, _compare

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
