"""The trial model: frozen values built from a validated card.

A loaded :class:`Trial` is a value (every class here is a frozen dataclass).  Design facts
that a paper may or may not state are tri-state: ``True`` (the paper says so), ``False``
(the paper says not) or ``None`` (not reported; the default when the card omits the key).
:func:`stated` turns one into words.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field

__all__ = ["ARM_ROLES", "ALLOCATIONS", "BLINDING", "DATA_COLLECTION", "CLAIM_KINDS", "COMPARISONS",
           "CONTINUOUS_STATISTICS", "OUTCOME_KINDS", "TIMINGS", "SCHEMA_VERSION", "SCHEMA_VERSIONS",
           "Citation", "TimeToEventOutcome", "ContinuousOutcome", "ArmSummary", "KaplanMeierFigure",
           "MedianSurvival", "HazardRatio", "SurvivalTest", "Design", "Arm", "BinaryOutcome",
           "ReportedClaim", "BaselineCharacteristic", "ContinuousSummary", "Registration",
           "TrialDates", "Trial", "stated"]

ARM_ROLES = ("treatment", "control")
ALLOCATIONS = ("randomised", "non-randomised")
DATA_COLLECTION = ("prospective", "retrospective")
BLINDING = ("open-label", "single-blind", "double-blind", "not reported")
CLAIM_KINDS = ("percentage", "p-value", "zero-events", "change", "statement", "conclusion")
COMPARISONS = ("between-arms", "within-arm", "single-arm", "subgroup", "not stated")
CONTINUOUS_STATISTICS = ("mean_sd", "median_iqr")
OUTCOME_KINDS = ("binary", "time-to-event", "continuous")   # time-to-event and continuous: v2
TIMINGS = ("baseline", "follow-up", "change")
SCHEMA_VERSION = 2                  # the newest format; version 1 cards load unchanged
SCHEMA_VERSIONS = (1, 2)


def stated(value) -> str:
    """A tri-state design fact in words: ``"yes"``, ``"no"`` or ``"not reported"``.

    Parameters
    ----------
    value : bool or None
        ``True`` (the paper states it), ``False`` (the paper states it was not done) or
        ``None`` (the paper does not say).

    Examples
    --------
    >>> from appraise.trials import load_trial
    >>> design = load_trial("mensc-secretome-covid19").design
    >>> stated(design.sample_size_calculation), stated(True), stated(False)
    ('not reported', 'yes', 'no')
    """
    if value is None:
        return "not reported"
    if isinstance(value, bool):
        return "yes" if value else "no"
    raise TypeError(f"value must be True, False or None (not reported), got {value!r} "
                    f"of type {type(value).__name__}")


@dataclass(frozen=True)
class Citation:
    authors: tuple[str, ...]
    title: str
    journal: str
    year: int
    doi: str
    volume: str | None = None
    pages: str | None = None
    pmid: str | None = None
    pmcid: str | None = None
    licence: str | None = None
    url: str | None = None

    def short(self) -> str:
        """``"Fathi-Kazerooni M et al. Stem Cell Research & Therapy 2022"``."""
        first = self.authors[0] if self.authors else "Anonymous"
        etal = " et al." if len(self.authors) > 1 else ""
        return f"{first}{etal} {self.journal} {self.year}"


@dataclass(frozen=True)
class Design:
    """How the trial was designed.

    ``sample_size_calculation``, ``multiplicity_adjustment`` and the three
    ``blinding_*`` facts are ``True``, ``False`` or ``None`` (not reported).
    """

    allocation: str                 # "randomised" | "non-randomised"
    blinding: str                   # see BLINDING: the paper's own label
    control: str                    # free text: "placebo (saline)", "standard care", ...
    phase: str | None
    population: str
    intervention: str
    comparator: str
    follow_up_days: int | None
    ratio: str | None = None        # "1:1"
    primary_outcome: str | None = None      # None: the paper states none
    sample_size_calculation: bool | None = None   # None: not reported
    multiplicity_adjustment: bool | None = None   # None: not reported
    outcomes_named: tuple[str, ...] = ()    # every outcome the paper names
    where: str = ""
    blinding_participants: bool | None = None     # were patients blinded? None: not reported
    blinding_personnel: bool | None = None        # were those giving care blinded?
    blinding_assessors: bool | None = None        # were outcome assessors blinded?
    allocation_as_reported: str | None = None     # the paper's own words on allocation, quoted
    randomisation_method: str | None = None       # how the sequence was generated; None: not reported
    data_collection: str | None = None            # see DATA_COLLECTION; None: not reported


@dataclass(frozen=True)
class Arm:
    role: str                       # "treatment" | "control"
    label: str
    n_analysed: int
    n_randomised: int | None = None  # None: not reported
    where: str = ""


@dataclass(frozen=True)
class BinaryOutcome:
    id: str
    label: str
    event: str                      # what counts as an event, e.g. "intubated", "alive at day 28"
    event_is_bad: bool              # True: fewer events is benefit (death, intubation)
    events_treat: int
    n_treat: int
    events_ctrl: int
    n_ctrl: int
    time_frame: str = ""
    primary: bool = False
    where: str = ""
    note: str = ""
    kind: str = "binary"

    @property
    def counts(self) -> tuple[int, int, int, int]:
        """``(events_treat, n_treat, events_ctrl, n_ctrl)``, ready to unpack into the statistics."""
        return (self.events_treat, self.n_treat, self.events_ctrl, self.n_ctrl)


@dataclass(frozen=True)
class KaplanMeierFigure:
    """A Kaplan-Meier percentage per arm at one time point, as printed (e.g. ``"57%"``)."""

    time_days: int
    treat: str | None = None
    ctrl: str | None = None
    where: str = ""


@dataclass(frozen=True)
class MedianSurvival:
    """Median time to the event per arm, as printed (``None``: not reached / not reported)."""

    treat: str | None = None
    ctrl: str | None = None
    unit: str = "days"
    where: str = ""


@dataclass(frozen=True)
class HazardRatio:
    """A hazard ratio (treatment vs control) and its interval, as printed."""

    estimate: str
    low: str | None = None
    high: str | None = None
    level: str = "95%"
    where: str = ""


@dataclass(frozen=True)
class SurvivalTest:
    """The test the paper names for a time-to-event comparison and its p, as printed."""

    p: str
    name: str | None = None         # "log-rank", "Cox", ...; None: not named
    where: str = ""


@dataclass(frozen=True)
class TimeToEventOutcome:
    """An outcome analysed as time to an event (card format 2, ``kind = "time-to-event"``).

    ``censored_before_end`` is ``True`` (someone was censored before the end of follow-up),
    ``False`` (follow-up was complete) or ``None`` (not reported).
    """

    id: str
    label: str
    event: str                      # the event whose time is measured: "death"
    event_is_bad: bool
    events_treat: int
    n_treat: int
    events_ctrl: int
    n_ctrl: int
    follow_up_days: int | None = None
    censored_before_end: bool | None = None
    km: tuple[KaplanMeierFigure, ...] = ()
    median: MedianSurvival | None = None
    hazard_ratio: HazardRatio | None = None
    test: SurvivalTest | None = None
    time_frame: str = ""
    primary: bool = False
    where: str = ""
    note: str = ""
    kind: str = "time-to-event"

    @property
    def counts(self) -> tuple[int, int, int, int]:
        """``(events_treat, n_treat, events_ctrl, n_ctrl)``: events by the end of follow-up."""
        return (self.events_treat, self.n_treat, self.events_ctrl, self.n_ctrl)


@dataclass(frozen=True)
class ArmSummary:
    """One arm's summary of a continuous outcome; every figure kept as printed (a string),
    since its decimals matter for the consistency checks."""

    n: int
    mean: str | None = None
    sd: str | None = None
    se: str | None = None
    ci_low: str | None = None
    ci_high: str | None = None
    median: str | None = None
    q1: str | None = None
    q3: str | None = None
    where: str = ""


@dataclass(frozen=True)
class ContinuousOutcome:
    """An outcome measured on a scale (card format 2, ``kind = "continuous"``).

    ``timing`` says what the summaries describe: ``"baseline"``, ``"follow-up"`` or
    ``"change"`` (from baseline).  ``scale_min``/``scale_max``/``items`` describe a bounded
    scale (``None`` when unbounded or not reported).
    """

    id: str
    label: str
    timing: str
    treatment: ArmSummary
    control: ArmSummary
    unit: str = ""
    higher_is_better: bool | None = None
    scale_min: float | None = None
    scale_max: float | None = None
    items: int | None = None
    p_within_treat: str | None = None
    p_within_ctrl: str | None = None
    p_between: str | None = None
    time_frame: str = ""
    primary: bool = False
    where: str = ""
    note: str = ""
    kind: str = "continuous"


@dataclass(frozen=True)
class ReportedClaim:
    """One figure or statement exactly as the paper reports it."""

    id: str
    kind: str                       # see CLAIM_KINDS
    text: str                       # as written: "28%", "P < 0.0001", "no adverse events"
    where: str
    outcome: str | None = None      # id of a BinaryOutcome it is about, if any
    arm: str | None = None          # "treatment" | "control" | None (both / not stated)
    comparison: str = "not stated"  # see COMPARISONS
    measure: str | None = None      # for changes: "C-reactive protein"
    described_as: str | None = None  # how the paper words it: "significant", "improvement"
    events: int | None = None       # count behind a single-arm figure (e.g. 9 of 14 improved)
    denominator: int | None = None  # n a percentage or zero-event claim refers to, if not the arm's
    reported_p: str | None = None   # p-value printed with a change or statement, e.g. "P = 0.06"
    window: str | None = None       # observation window of a safety claim, e.g. "72 hours"
    note: str = ""


@dataclass(frozen=True)
class BaselineCharacteristic:
    """A binary baseline characteristic (e.g. male sex) counted in each arm.

    Not an outcome: it describes who was enrolled.  Claims may refer to it by ``id``
    (``ReportedClaim.outcome``), so reported baseline percentages and p-values can be
    checked against the counts like any outcome's.
    """

    id: str
    label: str
    events_treat: int               # patients with the characteristic
    n_treat: int
    events_ctrl: int
    n_ctrl: int
    where: str = ""
    note: str = ""

    @property
    def counts(self) -> tuple[int, int, int, int]:
        """``(events_treat, n_treat, events_ctrl, n_ctrl)``."""
        return (self.events_treat, self.n_treat, self.events_ctrl, self.n_ctrl)


@dataclass(frozen=True)
class ContinuousSummary:
    id: str
    label: str
    statistic: str                  # "mean_sd" | "median_iqr"
    treatment: tuple[float, ...]    # (mean, sd) or (median, q1, q3)
    control: tuple[float, ...]
    reported_p: str | None = None
    unit: str = ""
    where: str = ""


@dataclass(frozen=True)
class Registration:
    registry: str                   # "ClinicalTrials.gov", "IRCT", ...
    id: str
    date: str                       # as the registry writes it, e.g. "04/01/2021"
    date_format: str                # declared: "DD/MM/YYYY", "YYYY-MM-DD", ...
    date_as_printed: str | None = None  # as the paper prints it, typos and all
    paper_says_retrospective: bool | None = None
    url: str | None = None
    where: str = ""


@dataclass(frozen=True)
class TrialDates:
    start: _dt.date | None = None
    completion: _dt.date | None = None
    publication: _dt.date | None = None
    where: str = ""


@dataclass(frozen=True)
class Trial:
    id: str
    short_title: str
    citation: Citation
    design: Design
    arms: tuple[Arm, ...]
    outcomes: tuple[BinaryOutcome, ...]
    claims: tuple[ReportedClaim, ...] = ()
    continuous: tuple[ContinuousSummary, ...] = ()
    registrations: tuple[Registration, ...] = ()
    dates: TrialDates = field(default_factory=TrialDates)
    source_path: str | None = None
    baseline: tuple[BaselineCharacteristic, ...] = ()
    time_to_event: tuple[TimeToEventOutcome, ...] = ()     # format 2 outcomes of these kinds;
    continuous_outcomes: tuple[ContinuousOutcome, ...] = ()  # ``outcomes`` holds the binary ones
    schema_version: int = 1
    rob2: tuple = ()        # RoB 2 teaching keys (appraise.cards.rob2_key.RoB2Key), one per outcome

    @property
    def all_outcomes(self) -> tuple:
        """Every outcome of every kind: binary, then time-to-event, then continuous."""
        return (*self.outcomes, *self.time_to_event, *self.continuous_outcomes)

    @property
    def treatment(self) -> Arm:
        return self.arm("treatment")

    @property
    def control(self) -> Arm:
        return self.arm("control")

    def arm(self, role: str) -> Arm:
        for arm in self.arms:
            if arm.role == role:
                return arm
        raise KeyError(f"trial {self.id!r} has no arm with role {role!r}")

    def outcome(self, outcome_id: str) -> BinaryOutcome:
        for outcome in self.outcomes:
            if outcome.id == outcome_id:
                return outcome
        known = ", ".join(repr(o.id) for o in self.outcomes)
        raise KeyError(f"trial {self.id!r} has no outcome {outcome_id!r}; it has {known}")

    def claim(self, claim_id: str) -> ReportedClaim:
        for claim in self.claims:
            if claim.id == claim_id:
                return claim
        known = ", ".join(repr(c.id) for c in self.claims)
        raise KeyError(f"trial {self.id!r} has no claim {claim_id!r}; it has {known}")

    def characteristic(self, characteristic_id: str) -> BaselineCharacteristic:
        """The baseline characteristic with this id (``KeyError`` naming the known ids)."""
        for item in self.baseline:
            if item.id == characteristic_id:
                return item
        known = ", ".join(repr(b.id) for b in self.baseline) or "none"
        raise KeyError(f"trial {self.id!r} has no baseline characteristic {characteristic_id!r}; it has {known}")

    def counts_for(self, outcome_or_baseline_id: str) -> tuple[int, int, int, int]:
        """Counts of an outcome or a baseline characteristic: what a claim's ``outcome`` names.

        A time-to-event outcome gives its events by the end of follow-up; a continuous
        outcome has no counts (``KeyError``)."""
        for item in (*self.outcomes, *self.baseline, *self.time_to_event):
            if item.id == outcome_or_baseline_id:
                return item.counts
        known = ", ".join(repr(o.id) for o in (*self.outcomes, *self.baseline))
        raise KeyError(f"trial {self.id!r} has no outcome or baseline characteristic "
                       f"{outcome_or_baseline_id!r}; it has {known}")

    def claims_about(self, outcome_id: str) -> tuple[ReportedClaim, ...]:
        return tuple(c for c in self.claims if c.outcome == outcome_id)

    def compare(self, outcome_id: str, *, confidence_level: float = 0.95):
        """Compare the arms on one outcome, reading benefit and harm the outcome's way.

        Calls :func:`appraise.proportions.compare_proportions` on the outcome's counts with
        ``event_is_bad`` taken from the card, so the NNT is a benefit (NNTB) when the
        treated arm has fewer bad events or more good ones.

        Parameters
        ----------
        outcome_id : str
            Id of one of the card's outcomes.
        confidence_level : float, optional
            Coverage of every interval (default 0.95).

        Returns
        -------
        appraise.proportions.Comparison

        Raises
        ------
        ValueError
            ``outcome_id`` names no outcome of this card (the message lists the ids).

        Examples
        --------
        >>> from appraise.trials import load_trial
        >>> trial = load_trial("mensc-secretome-covid19")
        >>> trial.compare("survival").nnt.kind, trial.compare("intubation").nnt.kind
        ('benefit', 'benefit')
        """
        if not isinstance(outcome_id, str):
            raise TypeError(f"outcome_id must be the id (str) of one of the card's outcomes, "
                            f"got {outcome_id!r:.80} of type {type(outcome_id).__name__}")
        found = [o for o in self.outcomes if o.id == outcome_id]
        if not found:
            known = ", ".join(repr(o.id) for o in self.outcomes)
            raise ValueError(f"outcome_id {outcome_id!r:.80} names no outcome of trial {self.id!r}; "
                             f"its outcomes are {known}")
        from appraise.proportions import compare_proportions

        outcome = found[0]
        return compare_proportions(*outcome.counts, confidence_level=confidence_level,
                                   event_is_bad=outcome.event_is_bad)
