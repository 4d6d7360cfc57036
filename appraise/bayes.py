"""Bayesian reanalysis of a two-arm binary outcome with independent beta priors.

Each arm's risk gets its own beta prior; with ``k`` events among ``n`` patients the
posterior of that arm is ``Beta(a + k, b + n - k)`` (conjugacy), and the two arms are
independent.  Everything about the risk difference ``p_treat - p_ctrl`` follows from the
two posteriors by one-dimensional numerical integration (no simulation):

* ``P(p_treat < p_ctrl - margin) = integral f_ctrl(x) * F_treat(x - margin) dx``, computed
  with :func:`scipy.integrate.quad`: over [0, 1] while both posteriors are wide (SD at
  least 0.01, up to a few thousand patients per arm), and past that over the quantiles
  of the narrower posterior (``x = Q(q)``), which no peak however narrow and no spike
  at 0 or 1 can hide from (absolute error below 1e-9; the tests check it against Evan
  Miller's closed form for integer parameters and seeded Monte Carlo up to 10^8 per
  arm);
* the credible interval from the distribution function of the difference, inverted with
  :func:`scipy.optimize.brentq`;
* the density for plotting by Gauss-Legendre quadrature of the convolution.

The prior slider (lesson 6)
---------------------------
:func:`prior_from_slider` builds one family from sceptical (-1) through flat (0) to
enthusiastic (+1).  A prior "worth ``w`` patients" with mode ``m`` is
``Beta(1 + w*m, 1 + w*(1 - m))``: a flat prior plus ``w`` imaginary patients of whom a
fraction ``m`` had the event.  At slider position ``s``, ``w = |s| * strength`` patients
per arm; the control arm's mode is ``centre``; the treatment arm's mode is ``centre`` for
``s <= 0`` (no expected difference: sceptical) and ``centre -/+ shift`` for ``s > 0``
(a benefit: lower risk when the event is bad, higher when it is good).

Named priors follow the outcome
-------------------------------
``"sceptical"`` and ``"enthusiastic"`` are the ends of that slider built for the outcome
(:func:`named_prior`): enthusiastic favours benefit in the outcome's direction
(``event_is_bad``), and ``baseline_risk`` centres both on the control risk instead of 50%.
"""

from __future__ import annotations

import math
import numbers
import warnings
from dataclasses import dataclass

import numpy as np
from scipy import integrate, optimize, special, stats

from ._limits import MAX_COUNT, MAX_GRID_SIZE
from ._validate import check_confidence_level, check_counts, check_int, check_limit, check_real, check_str

__all__ = ["PRIORS", "Posterior", "Prior", "named_prior", "posterior_density", "posterior_risk_difference",
           "prior_from_slider", "probability_of_benefit"]


@dataclass(frozen=True)
class Prior:
    """Independent beta priors: ``Beta(a_treat, b_treat)`` and ``Beta(a_ctrl, b_ctrl)``."""

    name: str
    a_treat: float
    b_treat: float
    a_ctrl: float
    b_ctrl: float
    description: str = ""

    def __post_init__(self):
        check_str("name", self.name)
        for field in ("a_treat", "b_treat", "a_ctrl", "b_ctrl"):
            value = check_real(field, getattr(self, field), low=0.0, low_open=True)
            check_limit(field, value, float(MAX_COUNT), "a prior worth more patients than any trial holds")
        check_str("description", self.description, allow_empty=True)


def prior_from_slider(position, *, centre=0.5, strength=20.0, shift=0.2, event_is_bad=True) -> Prior:
    """A prior on the sceptical (-1) <-> flat (0) <-> enthusiastic (+1) scale.

    Parameters
    ----------
    position : float
        Slider position in [-1, 1].
    centre : float
        Prior mode of the control risk (and of the treatment risk when sceptical), in
        [0, 1].
    strength : float
        Patients per arm the prior is worth at either end of the slider (>= 0).
    shift : float
        Expected benefit (risk difference) of the fully enthusiastic prior, in [0, 1].
    event_is_bad : bool
        Direction of benefit: ``True`` (death, intubation) puts the enthusiastic
        treatment mode at ``centre - shift``, ``False`` (survival) at ``centre + shift``.

    Returns
    -------
    Prior
        ``Beta(1 + w*m, 1 + w*(1-m))`` per arm, with ``w = |position| * strength``
        (see the module notes).

    Examples
    --------
    >>> p = prior_from_slider(-1.0, centre=0.8)
    >>> p.name, round(p.a_treat, 1), round(p.b_treat, 1), round(p.a_ctrl, 1), round(p.b_ctrl, 1)
    ('sceptical', 17.0, 5.0, 17.0, 5.0)
    >>> p = prior_from_slider(1.0, centre=0.8)
    >>> p.name, round(p.a_treat, 1), round(p.b_treat, 1)
    ('enthusiastic', 13.0, 9.0)
    >>> prior_from_slider(0.0).a_treat
    1.0
    """
    position = check_real("position", position, low=-1.0, high=1.0)
    centre = check_real("centre", centre, low=0.0, high=1.0)
    strength = check_real("strength", strength, low=0.0)
    shift = check_real("shift", shift, low=0.0, high=1.0)
    if not isinstance(event_is_bad, bool):
        raise TypeError(f"event_is_bad must be True or False, got {event_is_bad!r}")
    benefit = shift * max(position, 0.0)
    mode_treat = centre - benefit if event_is_bad else centre + benefit
    if not 0.0 <= mode_treat <= 1.0:
        raise ValueError(f"centre {centre!r} and shift {shift!r} put the treatment mode at {mode_treat!r}, "
                         f"outside [0, 1]")
    w = abs(position) * strength
    name = "flat" if w == 0 else ("sceptical" if position < 0 else "enthusiastic")
    return Prior(name=name, a_treat=1 + w * mode_treat, b_treat=1 + w * (1 - mode_treat),
                 a_ctrl=1 + w * centre, b_ctrl=1 + w * (1 - centre),
                 description=f"slider {position:+.2f}: worth {w:g} patients per arm; modes "
                             f"treatment {mode_treat:g}, control {centre:g}")


def _named(prior: Prior, name: str, description: str) -> Prior:
    return Prior(name, prior.a_treat, prior.b_treat, prior.a_ctrl, prior.b_ctrl, description)


PRIORS: dict[str, Prior] = {
    "flat": Prior("flat", 1.0, 1.0, 1.0, 1.0, "Beta(1, 1) in each arm: every risk equally likely"),
    "jeffreys": Prior("jeffreys", 0.5, 0.5, 0.5, 0.5, "Beta(0.5, 0.5) in each arm: Jeffreys' reference prior"),
    "sceptical": _named(prior_from_slider(-1.0), "sceptical",
                        "Beta(11, 11) in each arm: both risks around 50%, worth 20 patients per arm; "
                        "no difference expected"),
    "enthusiastic": _named(prior_from_slider(1.0), "enthusiastic",
                           "treatment Beta(7, 15) (mode 30%), control Beta(11, 11) (mode 50%): a 20-point "
                           "lower event risk expected with treatment, worth 20 patients per arm"),
}


#: Share of the room between the control risk and the better end (0 for a bad event, 1 for a
#: good one) that the enthusiastic prior expects the treatment to remove: 0.2 at a 50% risk,
#: the 20-point benefit of the course's enthusiastic prior.
ENTHUSIASTIC_SHARE = 0.4

#: Patients per arm the sceptical and enthusiastic priors are worth.
NAMED_STRENGTH = 20.0


def named_prior(name, *, event_is_bad=True, baseline_risk=None) -> Prior:
    """The prior called ``name``, pointing the outcome's way and centred on its baseline risk.

    Parameters
    ----------
    name : str
        A key of :data:`PRIORS`: ``"flat"`` and ``"jeffreys"`` do not depend on the outcome;
        ``"sceptical"`` (no difference expected) and ``"enthusiastic"`` (benefit expected)
        are :func:`prior_from_slider` at -1 and +1, worth 20 patients per arm.
    event_is_bad : bool
        ``True`` (death, intubation): the enthusiastic prior expects a lower treated risk;
        ``False`` (survival, recovery): a higher one.  Enthusiastic always favours benefit.
    baseline_risk : float or None
        Expected risk in the control arm, in (0, 1): both arms are centred on it, and the
        enthusiastic prior expects the treatment to remove :data:`ENTHUSIASTIC_SHARE` (40%) of
        the room between it and the better end (0 for a bad event, 1 for a good one).
        ``None`` centres on 50% with a 20-point benefit, the :data:`PRIORS` entries.

    Returns
    -------
    Prior

    Examples
    --------
    For a good event (survival) the enthusiastic prior expects more events with treatment:

    >>> p = named_prior("enthusiastic", event_is_bad=False)
    >>> round(p.a_treat, 1), round(p.b_treat, 1), round(p.a_ctrl, 1), round(p.b_ctrl, 1)
    (15.0, 7.0, 11.0, 11.0)

    Centred on a 10% mortality: control mode 10%, treatment mode 6% (relative risk 0.6):

    >>> p = named_prior("enthusiastic", baseline_risk=0.10)
    >>> round(p.a_treat, 2), round(p.b_treat, 2), round(p.a_ctrl, 2), round(p.b_ctrl, 2)
    (2.2, 19.8, 3.0, 19.0)
    """
    if not isinstance(name, str):
        raise TypeError(f"name must be a str, one of {', '.join(map(repr, PRIORS))}; got {name!r}")
    if name not in PRIORS:
        raise ValueError(f"name must be one of {', '.join(map(repr, PRIORS))}; got {name!r}")
    if not isinstance(event_is_bad, bool):
        raise TypeError(f"event_is_bad must be True or False, got {event_is_bad!r}")
    if baseline_risk is not None:
        baseline_risk = check_real("baseline_risk", baseline_risk, low=0.0, high=1.0, low_open=True,
                                   high_open=True)
    if name not in ("sceptical", "enthusiastic"):
        return PRIORS[name]
    centre = 0.5 if baseline_risk is None else baseline_risk
    room = centre if event_is_bad else 1.0 - centre
    shift = ENTHUSIASTIC_SHARE * room
    position = -1.0 if name == "sceptical" else 1.0
    pr = prior_from_slider(position, centre=centre, strength=NAMED_STRENGTH, shift=shift,
                           event_is_bad=event_is_bad)
    if name == "sceptical":
        desc = (f"Beta({pr.a_ctrl:g}, {pr.b_ctrl:g}) in each arm: both risks around {centre:.0%}, worth "
                f"{NAMED_STRENGTH:g} patients per arm; no difference expected")
    else:
        mode_t = centre - shift if event_is_bad else centre + shift
        desc = (f"treatment Beta({pr.a_treat:g}, {pr.b_treat:g}) (mode {mode_t:.0%}), control "
                f"Beta({pr.a_ctrl:g}, {pr.b_ctrl:g}) (mode {centre:.0%}): a {100 * shift:.3g}-point "
                f"{'lower' if event_is_bad else 'higher'} event risk expected with treatment, worth "
                f"{NAMED_STRENGTH:g} patients per arm")
    return _named(pr, name, desc)


def _prior(prior, *, event_is_bad=True, baseline_risk=None) -> Prior:
    if isinstance(prior, str):
        if prior not in PRIORS:
            raise ValueError(f"prior must be one of {', '.join(map(repr, PRIORS))} or a Prior; got {prior!r}")
        return named_prior(prior, event_is_bad=event_is_bad, baseline_risk=baseline_risk)
    if baseline_risk is not None:
        raise ValueError(f"baseline_risk centres a named prior only; got baseline_risk={baseline_risk!r} "
                         f"with prior={prior!r}")
    if isinstance(prior, Prior):
        return prior
    if isinstance(prior, tuple) and len(prior) in (2, 4) and all(
            isinstance(v, numbers.Real) and not isinstance(v, bool) for v in prior):
        values = prior * 2 if len(prior) == 2 else prior
        return Prior("custom", *map(float, values), description=f"Beta parameters {prior!r}")
    raise TypeError(f"prior must be a Prior, a name in PRIORS, or a tuple (a, b) or (a_treat, b_treat, a_ctrl, "
                    f"b_ctrl); got {prior!r} of type {type(prior).__name__}")


def _posteriors(events_treat, n_treat, events_ctrl, n_ctrl, prior, event_is_bad=True, baseline_risk=None):
    events_treat, n_treat = check_counts("events_treat", events_treat, "n_treat", n_treat)
    events_ctrl, n_ctrl = check_counts("events_ctrl", events_ctrl, "n_ctrl", n_ctrl)
    if not isinstance(event_is_bad, bool):
        raise TypeError(f"event_is_bad must be True or False, got {event_is_bad!r}")
    pr = _prior(prior, event_is_bad=event_is_bad, baseline_risk=baseline_risk)
    post_t = stats.beta(pr.a_treat + events_treat, pr.b_treat + n_treat - events_treat)
    post_c = stats.beta(pr.a_ctrl + events_ctrl, pr.b_ctrl + n_ctrl - events_ctrl)
    return post_t, post_c, pr


#: Tail probability left out of each posterior: every integral runs over the central
#: ``1 - 2e-15`` of the beta posteriors (their quantiles), whatever their width.
_TAIL = 1e-15


def _window(post) -> tuple[float, float]:
    """Central range of a beta posterior outside which it has less than 1e-15 mass each side.

    A side where the density does not vanish (a parameter of at most 1, e.g. Jeffreys'
    prior with no events) runs to the end of [0, 1] itself: the quadrature handles an
    integrable spike at an end of its range, not just inside it.
    """
    a, b = post.args
    low = 0.0 if a <= 1 else float(post.ppf(_TAIL))
    high = 1.0 if b <= 1 else float(post.isf(_TAIL))
    return low, high


#: Posterior standard deviation below which an arm counts as narrow: from about 2,500
#: patients in an arm the whole-range quadrature of :func:`_prob_less_wide` may step
#: over the peak, and :func:`_prob_less_narrow` takes over.
_NARROW_SD = 0.01


def _prob_less(post_t, post_c, delta: float) -> float:
    """P(p_treat - p_ctrl < delta) = integral f_c(x) F_t(x + delta) dx."""
    lo, hi = max(0.0, -delta), min(1.0, 1.0 - delta)
    if lo >= hi:
        return 0.0 if delta <= -1 else 1.0
    sd_t, sd_c = float(post_t.std()), float(post_c.std())
    if min(sd_t, sd_c) >= _NARROW_SD:
        return _prob_less_wide(post_t, post_c, delta, lo, hi)
    if sd_c <= sd_t:
        return _prob_less_narrow(post_t, post_c, delta, lo, hi)
    # integrate over the narrower arm, the treatment: P(t - c < d) = 1 - P(c - t < -d)
    return 1.0 - _prob_less_narrow(post_c, post_t, -delta, max(0.0, delta), min(1.0, 1.0 + delta))


def _prob_less_wide(post_t, post_c, delta: float, lo: float, hi: float) -> float:
    """Whole-range quadrature with the normalised density: wide posteriors (small trials).

    Spikes of a posterior with a parameter below 1 sit at an end of the range, where the
    adaptive rule copes with them.
    """
    a_c, b_c = post_c.args
    a_t, b_t = post_t.args
    a_c1, b_c1, log_norm = a_c - 1.0, b_c - 1.0, special.betaln(a_c, b_c)
    xlogy, xlog1py, betainc, exp = special.xlogy, special.xlog1py, special.betainc, math.exp

    def f(x):
        return exp(xlogy(a_c1, x) + xlog1py(b_c1, -x) - log_norm) * betainc(a_t, b_t, x + delta)

    tail = post_c.sf(hi) if hi < 1 else 0.0  # x above hi: F_t(x + delta) = 1
    value, _ = integrate.quad(f, lo, hi, epsabs=1e-11, epsrel=1e-10, limit=200)
    return float(min(1.0, max(0.0, value + tail)))


def _prob_less_narrow(post_t, post_c, delta: float, lo: float, hi: float) -> float:
    """Quadrature over the quantiles of the narrower posterior, ``post_c`` (large trials).

    ``P(p_t - p_c < delta) = integral_0^1 F_t(Q_c(q) + delta) dq`` with ``Q_c`` the
    control's quantile function (``betaincinv``): the substitution ``x = Q_c(q)``
    removes the control's density, so neither a peak a millionth wide nor a spike at 0
    or 1 (a parameter below 1) is left for the quadrature to find; the integrand is a
    bounded, monotone distribution function, with break points where it climbs
    (the control quantiles of the treatment's mean and mean +/- 3 SD, shifted by
    ``delta``) and where ``Q_c(q) + delta`` leaves [0, 1] (``lo``/``hi``).
    """
    a_c, b_c = post_c.args
    a_t, b_t = post_t.args
    betainc, betaincinv = special.betainc, special.betaincinv

    def f(q):
        x = betaincinv(a_c, b_c, q) + delta
        return 0.0 if x <= 0.0 else (1.0 if x >= 1.0 else betainc(a_t, b_t, x))

    mean_t, sd_t = float(post_t.mean()), float(post_t.std())
    # where F_t climbs (around the treatment's mean), and where Q_c(q) + delta leaves [0, 1]
    at = [mean_t + k * sd_t - delta for k in (-3, 0, 3)] + [-delta, 1.0 - delta]
    points = {float(betainc(a_c, b_c, min(1.0, max(0.0, x)))) for x in at}
    # a break point within 1e-12 of an end bounds a piece too small to matter
    inside = sorted(q for q in points if 1e-12 < q < 1.0 - 1e-12)
    with warnings.catch_warnings():
        # quadpack's "roundoff error" notice: it cannot certify 1e-9 where the integrand
        # is flat to the last bit; the value is checked against Monte Carlo in the tests
        warnings.simplefilter("ignore", integrate.IntegrationWarning)
        value, _ = integrate.quad(f, 0.0, 1.0, points=inside or None, epsabs=1e-10, epsrel=1e-9, limit=400)
    return float(min(1.0, max(0.0, value)))


def probability_of_benefit(events_treat, n_treat, events_ctrl, n_ctrl, *, event_is_bad=True, prior="flat",
                           margin=0.0, baseline_risk=None) -> float:
    """Posterior probability that treatment is better than control by more than ``margin``.

    Parameters
    ----------
    events_treat, n_treat, events_ctrl, n_ctrl : int
        Counts.
    event_is_bad : bool
        ``True`` (death, intubation): benefit means ``p_treat < p_ctrl - margin``.
        ``False`` (survival): benefit means ``p_treat > p_ctrl + margin``.
    prior : Prior, str or tuple
        A :class:`Prior`, a key of :data:`PRIORS` (built by :func:`named_prior` for this
        ``event_is_bad`` and ``baseline_risk``: "enthusiastic" favours benefit in the
        outcome's direction), ``(a, b)`` for the same beta prior in both arms, or
        ``(a_treat, b_treat, a_ctrl, b_ctrl)``.
    margin : float
        Smallest difference worth calling a benefit, in [0, 1).
    baseline_risk : float or None
        Control risk the named priors are centred on, in (0, 1) (see :func:`named_prior`);
        ``None``: 50%.  Only with a named prior (``ValueError`` otherwise).

    Returns
    -------
    float
        Computed by adaptive quadrature (absolute error < 1e-9).

    Examples
    --------
    Intubation 7/14 vs 12/15 with a flat prior:

    >>> round(probability_of_benefit(7, 14, 12, 15), 3)
    0.95
    >>> round(probability_of_benefit(7, 14, 12, 15, margin=0.1), 3)
    0.85
    >>> round(probability_of_benefit(7, 14, 12, 15, prior="sceptical"), 3)
    0.856
    >>> round(probability_of_benefit(8, 14, 4, 15, event_is_bad=False), 3)
    0.947

    Survival (a good event): the enthusiastic prior favours a higher treated risk, so it
    gives more than the flat one:

    >>> round(probability_of_benefit(8, 14, 4, 15, event_is_bad=False, prior="enthusiastic"), 3)
    0.979
    """
    post_t, post_c, _ = _posteriors(events_treat, n_treat, events_ctrl, n_ctrl, prior, event_is_bad,
                                    baseline_risk)
    margin = check_real("margin", margin, low=0.0, high=1.0, high_open=True)
    if event_is_bad:
        return _prob_less(post_t, post_c, -margin)
    return 1.0 - _prob_less(post_t, post_c, margin)


@dataclass(frozen=True)
class Posterior:
    """Posterior of the risk difference ``p_treat - p_ctrl``.

    ``mean`` is exact; ``low``/``high`` bound the equal-tailed credible interval (by
    quadrature and root finding, error < 1e-8, at any trial size: the quadrature runs
    over the range where the posteriors have mass); ``x``/``y`` are a grid on [-1, 1]
    (or, for a posterior too narrow for that grid, such as a trial of tens of
    thousands, an even grid over the range holding all but 1e-15 of its mass) and the
    density there, for plotting only (200-point Gauss-Legendre rule over that range;
    near a prior with parameters below 1, e.g. Jeffreys with 0 events, the density has
    integrable spikes and the plotted curve is approximate).
    """

    mean: float
    low: float
    high: float
    x: np.ndarray
    y: np.ndarray
    method: str
    credible_level: float
    prior: Prior

    def __iter__(self):
        return iter((self.mean, self.low, self.high))


def posterior_risk_difference(events_treat, n_treat, events_ctrl, n_ctrl, *, prior="flat", credible_level=0.95,
                              grid_size=401, event_is_bad=True, baseline_risk=None) -> Posterior:
    """Posterior mean, equal-tailed credible interval and density of the risk difference.

    ``prior``, ``event_is_bad`` and ``baseline_risk`` are those of
    :func:`probability_of_benefit` (the direction matters only to a named
    sceptical or enthusiastic prior).

    Examples
    --------
    >>> post = posterior_risk_difference(7, 14, 12, 15)
    >>> round(post.mean, 3), round(post.low, 3), round(post.high, 3)
    (-0.265, -0.56, 0.053)
    >>> post.x.shape, round(float(np.trapezoid(post.y, post.x)), 3)
    ((401,), 1.0)
    """
    post_t, post_c, pr = _posteriors(events_treat, n_treat, events_ctrl, n_ctrl, prior, event_is_bad,
                                     baseline_risk)
    level = check_confidence_level(credible_level, "credible_level")
    grid_size = _check_grid(grid_size)
    mean = float(post_t.mean() - post_c.mean())
    tail = (1 - level) / 2

    def quantile(q):
        return float(optimize.brentq(lambda d: _prob_less(post_t, post_c, d) - q, -1.0, 1.0, xtol=1e-10))

    low, high = quantile(tail), quantile(1 - tail)
    x, y = _density(post_t, post_c, grid_size)
    return Posterior(mean=mean, low=low, high=high, x=x, y=y,
                     method="independent beta posteriors; quadrature", credible_level=level, prior=pr)



def _grid(post_t, post_c, grid_size: int) -> np.ndarray:
    """[-1, 1], or the posterior's own range when [-1, 1] would not resolve it.

    The difference has (almost) all its mass in ``[t_lo - c_hi, t_hi - c_lo]`` (the
    :func:`_window` of each arm); when that range spans fewer than 40 steps of an even
    grid on [-1, 1], the grid covers that range instead, so a large trial's narrow
    posterior is drawn rather than falling between two grid points.
    """
    c_lo, c_hi = _window(post_c)
    t_lo, t_hi = _window(post_t)
    low, high = max(-1.0, t_lo - c_hi), min(1.0, t_hi - c_lo)
    if (high - low) * (grid_size - 1) / 2.0 >= 40:
        return np.linspace(-1.0, 1.0, grid_size)
    return np.linspace(low, high, grid_size)


def _density(post_t, post_c, grid_size: int):
    """Density of the difference on :func:`_grid`: a Gauss-Legendre rule at each point
    over the control risks ``u`` where both ``f_c(u)`` and ``f_t(u + x)`` have mass."""
    x = _grid(post_t, post_c, grid_size)
    c_lo, c_hi = _window(post_c)
    t_lo, t_hi = _window(post_t)
    nodes, weights = _LEGENDRE
    lo = np.maximum.reduce([np.zeros_like(x), -x, np.full_like(x, c_lo), t_lo - x])[:, None]
    hi = np.minimum.reduce([np.ones_like(x), 1.0 - x, np.full_like(x, c_hi), t_hi - x])[:, None]
    half = (hi - lo) / 2
    inside = (hi > lo)[:, 0]
    y = np.zeros_like(x)
    u = lo[inside] + half[inside] * (nodes[None, :] + 1)  # control risk, strictly inside (lo, hi)
    vals = post_c.pdf(u) * post_t.pdf(u + x[inside, None])
    y[inside] = (vals * weights[None, :]).sum(axis=1) * half[inside, 0]
    return x, y


_LEGENDRE = np.polynomial.legendre.leggauss(200)


def posterior_density(events_treat, n_treat, events_ctrl, n_ctrl, *, prior="flat", grid_size=401,
                      event_is_bad=True, baseline_risk=None):
    """Posterior density of the risk difference on a grid, without the credible interval.

    The ``x``/``y`` of :func:`posterior_risk_difference` (same arguments, same values),
    for drawing: it skips the root finding of the interval, the slow part.

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        ``grid_size`` risk differences evenly spaced on [-1, 1] (or over the
        posterior's own range when it is too narrow for that grid, see
        :class:`Posterior`) and the density there (200-point Gauss-Legendre rule for
        the convolution of the two beta posteriors).  ``grid_size`` is at most
        10,001 (:data:`appraise._limits.MAX_GRID_SIZE`).

    Examples
    --------
    >>> x, y = posterior_density(7, 14, 12, 15)
    >>> x.shape, round(float(x[y.argmax()]), 2), round(float(np.trapezoid(y, x)), 3)
    ((401,), -0.3, 1.0)
    """
    post_t, post_c, _ = _posteriors(events_treat, n_treat, events_ctrl, n_ctrl, prior, event_is_bad,
                                    baseline_risk)
    grid_size = _check_grid(grid_size)
    return _density(post_t, post_c, grid_size)


def _check_grid(grid_size) -> int:
    grid_size = check_int("grid_size", grid_size, minimum=11)
    return check_limit("grid_size", grid_size, MAX_GRID_SIZE,
                       "each grid point is a 200-node quadrature, and no chart shows more points")
