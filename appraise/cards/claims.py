"""What each claim of a card refers to: the one place that reads claims.

:func:`resolve_claim` turns a :class:`~appraise.cards.model.ReportedClaim` into a
:class:`ClaimTarget`: the arm, the counts and the denominator it is about, the comparison it
makes and the check that applies to it (or, when none does, why not).  Flags, reports,
exercises, widgets and lessons all read claims through here, so a rule changes in one place.

The rules, in order:

- *counts*: a claim whose ``outcome`` names an outcome or a baseline characteristic has that
  item's 2x2 counts ``(events_treat, n_treat, events_ctrl, n_ctrl)``.
- *denominator*: the claim's own ``denominator``, else its arm's size in that outcome, else its
  arm's analysed size.  *events*: the claim's own ``events``, else the outcome's events in its
  arm; a zero-events claim has 0.
- *check*: a percentage with a denominator -> ``"percentage"``; a zero-events claim with a
  denominator -> ``"zero-events"``; a printed p-value (a p-value claim's text or any claim's
  ``reported_p``) between arms ("between-arms" or "not stated") with counts ->
  ``"p-between-arms"``, or in a single arm with ``events`` and a denominator ->
  ``"p-one-sample"``; a within-arm comparison -> ``"within-group"``; a conclusion, or a
  printed p-value with the paper's wording (``described_as``) -> ``"wording"``.  Otherwise
  ``None`` and a plain-language ``reason``.
- claims about format-2 outcomes: a percentage in an arm of a time-to-event outcome ->
  ``"km-percentage"`` (a Kaplan-Meier estimate, not events/n); its p between arms ->
  ``"p-logrank"``; a p about a continuous outcome -> ``"p-continuous"``.
"""

from __future__ import annotations

from dataclasses import dataclass

from appraise.cards.model import BaselineCharacteristic, ReportedClaim, Trial

__all__ = ["ClaimTarget", "CHECKS", "resolve_claim", "resolve_claims", "lesson_outcome",
           "claim_p_text", "percentage_target", "reported_p_checks", "outcome_or_none",
           "is_baseline", "arm_n"]

#: every value ``ClaimTarget.check`` can take besides None (the last three only on claims about
#: format-2 outcomes: a Kaplan-Meier percentage, a time-to-event p, a continuous outcome's p)
CHECKS = ("percentage", "p-between-arms", "p-one-sample", "zero-events", "within-group", "wording",
          "km-percentage", "p-logrank", "p-continuous")


@dataclass(frozen=True)
class ClaimTarget:
    """What one claim refers to and which check applies to it.

    Attributes
    ----------
    claim : ReportedClaim
    kind : str
        The claim's kind ("percentage", "p-value", "zero-events", "change", "statement",
        "conclusion").
    comparison : str
        "between-arms", "within-arm", "single-arm", "subgroup", "baseline" (a claim about a
        baseline characteristic) or "not stated".
    arm : str or None
        "treatment", "control" or None (both arms or not stated).
    outcome_id : str or None
        The outcome or baseline characteristic it is about.
    counts : tuple of int or None
        ``(events_treat, n_treat, events_ctrl, n_ctrl)`` of that outcome.
    events : int or None
        Numerator of a single-arm figure, when known.
    denominator : int or None
        The number of patients the figure refers to.
    check : str or None
        One of :data:`CHECKS`, or None when nothing on the card can check it.
    reason : str or None
        Why it is not checkable here (None when ``check`` is set).
    """

    claim: ReportedClaim
    kind: str
    comparison: str
    arm: str | None
    outcome_id: str | None
    counts: tuple[int, int, int, int] | None
    events: int | None
    denominator: int | None
    check: str | None
    reason: str | None

    @property
    def p_text(self) -> str | None:
        """The p-value the claim prints (its text for a p-value claim, else ``reported_p``)."""
        return claim_p_text(self.claim)


def outcome_or_none(trial, outcome_id):
    """The binary outcome or baseline characteristic named ``outcome_id``, or None."""
    if outcome_id is None:
        return None
    for item in (*trial.all_outcomes, *trial.baseline):
        if item.id == outcome_id:
            return item
    return None


def is_baseline(trial, outcome_id) -> bool:
    """True when ``outcome_id`` names a baseline characteristic (not an outcome)."""
    return any(b.id == outcome_id for b in trial.baseline)


def arm_n(trial, arm) -> int | None:
    """The analysed size of the arm with this role, or None (no such arm / arm not stated)."""
    for a in trial.arms:
        if a.role == arm:
            return a.n_analysed
    return None


def claim_p_text(claim) -> str | None:
    """The p-value a claim prints: its text for a p-value claim, else ``reported_p``."""
    if claim.kind == "p-value":
        return claim.text
    return claim.reported_p


def _check_trial(trial) -> None:
    if not isinstance(trial, Trial):
        raise TypeError(f"trial must be a Trial (use appraise.load_trial), got {trial!r:.80} "
                        f"of type {type(trial).__name__}")


def resolve_claim(trial, claim_or_id) -> ClaimTarget:
    """What one claim refers to, and which check applies.

    Parameters
    ----------
    trial : Trial
        A loaded card.
    claim_or_id : ReportedClaim or str
        One of the card's claims, or its id.

    Returns
    -------
    ClaimTarget

    Raises
    ------
    TypeError
        ``trial`` is not a Trial, or ``claim_or_id`` is neither a claim nor a str.
    ValueError
        ``claim_or_id`` is an id no claim of the card has (the message lists them).

    Examples
    --------
    >>> from appraise.trials import load_trial
    >>> trial = load_trial("mensc-secretome-covid19")
    >>> target = resolve_claim(trial, "survival-p")
    >>> target.check, target.counts
    ('p-between-arms', (8, 14, 4, 15))
    >>> t = resolve_claim(trial, "survival-ctrl-pct")
    >>> t.check, t.arm, t.events, t.denominator
    ('percentage', 'control', 4, 15)
    """
    _check_trial(trial)
    if isinstance(claim_or_id, str):
        found = [c for c in trial.claims if c.id == claim_or_id]
        if not found:
            known = ", ".join(repr(c.id) for c in trial.claims) or "none"
            raise ValueError(f"claim_or_id {claim_or_id!r:.80} names no claim of trial {trial.id!r}; "
                             f"its claims are {known}")
        claim = found[0]
    elif isinstance(claim_or_id, ReportedClaim):
        claim = claim_or_id
    else:
        raise TypeError(f"claim_or_id must be a ReportedClaim or a claim id (str), got "
                        f"{claim_or_id!r:.80} of type {type(claim_or_id).__name__}")
    return _resolve(trial, claim)


def _resolve(trial, claim: ReportedClaim) -> ClaimTarget:
    item = outcome_or_none(trial, claim.outcome)
    kind = getattr(item, "kind", "binary") if item is not None else None
    counts = getattr(item, "counts", None)
    comparison = "baseline" if isinstance(item, BaselineCharacteristic) else claim.comparison
    events, n = claim.events, claim.denominator
    if item is not None and claim.arm in ("treatment", "control"):
        treat = claim.arm == "treatment"
        if kind == "continuous":
            n = n if n is not None else (item.treatment if treat else item.control).n
        else:
            if n is None:
                n = item.n_treat if treat else item.n_ctrl
            if events is None and kind == "binary":   # a survival percentage is no events/n
                events = item.events_treat if treat else item.events_ctrl
    if n is None and claim.arm is not None:
        n = arm_n(trial, claim.arm)
    if claim.kind == "zero-events" and events is None:
        events = 0
    if kind in ("time-to-event", "continuous"):
        check, reason = _which_check_v2(claim, kind, n)
    else:
        check, reason = _which_check(claim, counts, events, n)
    return ClaimTarget(claim=claim, kind=claim.kind, comparison=comparison, arm=claim.arm,
                       outcome_id=claim.outcome, counts=counts, events=events, denominator=n,
                       check=check, reason=reason)


def _which_check(claim, counts, events, n) -> tuple[str | None, str | None]:
    kind, p_text = claim.kind, claim_p_text(claim)
    if kind == "percentage":
        if n is not None:
            return "percentage", None
        return None, ("the card gives no number of patients for this percentage (no denominator, "
                      "no outcome arm and no arm), so it cannot be checked against a count")
    if kind == "zero-events":
        if n is not None:
            return "zero-events", None
        return None, ("the card gives no number of patients for this safety claim (no denominator "
                      "and no arm), so no upper bound on the risk can be computed")
    if p_text:
        if counts is not None and claim.comparison in ("between-arms", "not stated"):
            return "p-between-arms", None
        if claim.comparison == "single-arm" and claim.events is not None and n is not None:
            return "p-one-sample", None
    if claim.comparison == "within-arm":
        return "within-group", None
    if kind == "conclusion" or (p_text and claim.described_as):
        return "wording", None
    if p_text:
        if claim.comparison == "subgroup":
            return None, ("a comparison between subgroups for which the card gives no counts, so "
                          "the p-value cannot be recomputed")
        if claim.comparison == "single-arm":
            return None, ("a single-arm p-value without the number of patients with the event, so "
                          "it cannot be recomputed")
        return None, ("the card names no outcome with counts for this p-value, so it cannot be "
                      "recomputed")
    return None, "a statement with no figure the card can recompute"


def _which_check_v2(claim, kind, n) -> tuple[str | None, str | None]:
    """The check of a claim about a time-to-event or continuous outcome (card format 2)."""
    p_text = claim_p_text(claim)
    if kind == "time-to-event":
        if claim.kind == "percentage":
            if n is not None:
                return "km-percentage", None
            return None, "the card gives no number of patients for this survival percentage"
        if p_text and claim.comparison in ("between-arms", "not stated"):
            return "p-logrank", None
    elif p_text and claim.comparison in ("between-arms", "within-arm", "not stated"):
        return "p-continuous", None
    if claim.comparison == "within-arm":
        return "within-group", None
    if claim.kind == "conclusion" or (p_text and claim.described_as):
        return "wording", None
    return None, f"a {claim.kind} claim about a {kind} outcome that no check reads"


def resolve_claims(trial) -> tuple[ClaimTarget, ...]:
    """Every claim of the card resolved, in card order.

    Examples
    --------
    >>> from appraise.trials import load_trial
    >>> targets = resolve_claims(load_trial("huc-msc-covid19-shu2020"))
    >>> [(t.claim.id, t.check) for t in targets][:2]
    [('mortality-p', 'p-between-arms'), ('male-treat-pct', 'percentage')]
    """
    _check_trial(trial)
    return tuple(_resolve(trial, c) for c in trial.claims)


def lesson_outcome(trial, outcome_id=None):
    """The outcome a lesson analyses: the one definition every lesson and exercise bank uses.

    Parameters
    ----------
    trial : Trial
    outcome_id : str or None
        The outcome to use; None picks the card's primary outcome (an outcome marked
        ``primary``, else one whose id or label is the design's ``primary_outcome``), else
        its first outcome.

    Returns
    -------
    BinaryOutcome

    Raises
    ------
    ValueError
        ``outcome_id`` names no outcome of the card (the message lists them).

    Examples
    --------
    >>> from appraise.trials import load_trial
    >>> lesson_outcome(load_trial("mensc-secretome-covid19")).id
    'intubation'
    >>> lesson_outcome(load_trial("mensc-secretome-covid19"), "survival").id
    'survival'
    """
    _check_trial(trial)
    if outcome_id is not None:
        if not isinstance(outcome_id, str):
            raise TypeError(f"outcome_id must be an outcome id (str) or None, got {outcome_id!r:.80} "
                            f"of type {type(outcome_id).__name__}")
        for o in trial.outcomes:
            if o.id == outcome_id:
                return o
        known = ", ".join(repr(o.id) for o in trial.outcomes)
        other = [o.id for o in (*trial.time_to_event, *trial.continuous_outcomes) if o.id == outcome_id]
        what = ("is not a binary outcome (counts of events per arm)" if other
                else "names no outcome")
        raise ValueError(f"outcome_id {outcome_id!r:.80} {what} of trial {trial.id!r}; "
                         f"its binary outcomes are {known}")
    for o in trial.outcomes:
        if o.primary:
            return o
    named = (trial.design.primary_outcome or "").strip().lower()
    if named:
        for o in trial.outcomes:
            if named in (o.id.lower(), o.label.lower()):
                return o
    return trial.outcomes[0]


# -- consumers' helpers built on the resolution -----------------------------------------------

def percentage_target(trial, claim) -> tuple[int | None, int | None]:
    """The ``(count, denominator)`` a percentage claim should match (None when unknown).

    The denominator is the claim's own ``denominator``, else the size of its arm in its
    outcome, else its arm's analysed size; the count is the claim's own ``events``, else
    the outcome's events in that arm (see :func:`resolve_claim`).

    Examples
    --------
    >>> from appraise.trials import load_trial
    >>> trial = load_trial("mensc-secretome-covid19")
    >>> percentage_target(trial, trial.claim("survival-treat-pct"))
    (8, 14)
    """
    target = resolve_claim(trial, claim)
    return target.events, target.denominator


def reported_p_checks(trial) -> list[tuple]:
    """Recompute every printed p-value the card gives counts for.

    Returns ``(claim, text, outcome, n, check)`` tuples, one per claim whose target check is
    ``"p-between-arms"`` (all five 2x2 tests, :func:`appraise.consistency.check_reported_p`;
    ``outcome`` is the outcome or baseline characteristic, ``n`` None) or ``"p-one-sample"``
    (exact binomial test against 0.5,
    :func:`appraise.consistency.check_reported_p_one_sample`; ``outcome`` None, ``n`` the
    denominator).

    Examples
    --------
    >>> from appraise.trials import load_trial
    >>> [(c.id, chk.consistent) for c, *_, chk in reported_p_checks(load_trial("mensc-secretome-covid19"))]
    [('oxygen-p', False), ('survival-p', False)]
    """
    from appraise.consistency import check_reported_p, check_reported_p_one_sample

    checks = []
    for target in resolve_claims(trial):
        c, text = target.claim, target.p_text
        if target.check == "p-between-arms":
            outcome = outcome_or_none(trial, c.outcome)
            checks.append((c, text, outcome, None, check_reported_p(text, *target.counts)))
        elif target.check == "p-one-sample":
            n = target.denominator
            checks.append((c, text, None, n,
                           check_reported_p_one_sample(text, c.events, n, null=0.5)))
    return checks
