"""Result types shared by the statistics modules (scipy's vocabulary)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Estimate:
    """A point estimate with a confidence interval.

    Attributes
    ----------
    estimate : float
        The point estimate (may be ``inf`` or ``nan`` in documented degenerate cases).
    low, high : float
        Interval bounds.
    method : str
        Name of the interval method, e.g. ``"newcombe"`` or ``"wald"``.
    confidence_level : float
        Nominal coverage, e.g. 0.95.
    """

    estimate: float
    low: float
    high: float
    method: str
    confidence_level: float = 0.95

    def __iter__(self):
        # allows ``est, low, high = result`` like a tuple
        return iter((self.estimate, self.low, self.high))


@dataclass(frozen=True)
class TestResult:
    """A hypothesis test result: ``statistic`` and two-sided (unless stated) ``pvalue``.

    ``computed`` is ``False`` when the test was not run because the input is beyond
    the test's size limit (see :mod:`appraise._limits`); ``statistic`` and ``pvalue``
    are then ``nan`` and ``note`` says why, e.g. ``"not computed (arm too large)"``.
    """

    statistic: float
    pvalue: float
    method: str = ""
    alternative: str = "two-sided"
    computed: bool = True
    note: str = ""

    def pvalue_text(self, digits: int = 4) -> str:
        """The p-value with ``digits`` decimals, or the note when not computed."""
        return f"{self.pvalue:.{digits}f}" if self.computed else self.note

    __test__ = False  # not a pytest test class
