"""Independent log-rank reference shared by the tests: statsmodels' ``survdiff``.

Not part of the package: the tests check the library's own log-rank code against it.
"""

from __future__ import annotations


def statsmodels_logrank_p(ordering: str, n_treat: int, n_ctrl: int, *, end_day: int = 28) -> float:
    """Two-sided log-rank p by ``statsmodels.duration.survfunc.survdiff``.

    ``ordering`` names the arm of each death in time order ("T" treated, "C" control);
    deaths fall on days 1, 2, ... and everyone still alive is censored at ``end_day``.
    """
    from statsmodels.duration.survfunc import survdiff

    times, status, group = [], [], []
    for day, arm in enumerate(ordering, start=1):
        times.append(day)
        status.append(1)
        group.append(arm)
    for arm, n in (("T", n_treat), ("C", n_ctrl)):
        alive = n - ordering.count(arm)
        times += [end_day] * alive
        status += [0] * alive
        group += [arm] * alive
    return survdiff(times, status, group)[1]
