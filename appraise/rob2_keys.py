"""RoB 2 teaching answer keys: signalling answers and reasons per (card, outcome).

The data of :func:`rob2_answer_key`; the judgements are derived with the algorithms of
:mod:`appraise.rob2` (which re-exports these names), never typed.  A key is an argument,
not a fact; the keys here are written from the abstract alone, which RoB 2 is not meant
for, and say so.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Rob2Key", "rob2_answer_key"]

_FROM_ABSTRACT = ("Judged from the abstract alone, which RoB 2 is not meant for: the full paper's "
                  "methods and flow of participants, the protocol and the registry record could "
                  "change this answer.")

#: (trial id, outcome id) -> domain -> (signalling answers, reason).  Teaching keys written
#: from the abstract; the judgements are derived by the algorithms of appraise.rob2, never typed.
_ANSWER_KEYS = {
    ("mensc-secretome-covid19", "intubation"): {
        "D1": ({"1.1": "NI", "1.2": "NI", "1.3": "NI"},
               "The abstract calls the trial randomised 1:1 but says neither how the sequence was "
               "generated (the guidance, Box 4, asks for 'no information' when a trial is only said to "
               "be randomised) nor how it was concealed, and gives no baseline table. With concealment "
               "'no information' and no sign of baseline imbalance, the algorithm gives some concerns."),
        "D2": ({"2.1": "PN", "2.2": "PN", "2.6": "NI", "2.7": "NI"},
               "Called double-blind with a placebo of the same volume, so deviations caused by knowing "
               "the allocation are unlikely (2.1, 2.2 probably no). But the abstract reports only the "
               "patients analysed, 14 and 15, and not how many were randomised, so whether everyone was "
               "analysed in the assigned group (2.6) and whether any exclusions could matter (2.7) are "
               "both 'no information'. The algorithm maps 'no information' at 2.7 to high: when a "
               "report is silent about who was left out, the tool assumes the worst."),
        "D3": ({"3.1": "NI", "3.2": "N", "3.3": "PY", "3.4": "PN"},
               "Intubation is known for all 29 analysed patients, but how many were randomised is not "
               "reported (3.1 no information), and nothing shows the result is unaffected (3.2 no). "
               "Patients lost before analysis could have been sicker (3.3 probably yes), though nothing "
               "reported suggests that they were (3.4 probably no)."),
        "D4": ({"4.1": "N", "4.2": "N", "4.3": "PN"},
               "Intubation is a clinical event recorded the same way in both arms (4.1, 4.2 no). The "
               "abstract says 'double-blind' without saying who was blinded; the clinicians who decided "
               "on intubation were probably unaware of the allocation if the placebo matched, hence "
               "'probably no' at 4.3, not 'no'. Answering 'no information' would lead to 4.4."),
        "D5": ({"5.1": "NI", "5.2": "NI", "5.3": "PN"},
               "No analysis plan is reported (5.1 no information). Question 5.2 asks whether this "
               "result was picked from several measurements of the same outcome (other definitions or "
               "time points of intubation); the abstract reports one, and says nothing of others "
               "(no information, or probably no). Question 5.3 asks whether it was picked from several "
               "analyses: the intubation result is plain counts with no test or p-value (probably no). "
               "The many other outcomes of the trial matter for spin and multiplicity, not for this "
               "domain, which judges one result."),
    },
}


@dataclass(frozen=True)
class Rob2Key:
    """A RoB 2 answer key for one outcome: signalling answers, judgements and reasons.

    Attributes
    ----------
    answers : dict
        Domain -> question -> answer.
    judgements : dict
        Domain -> judgement, derived with :func:`rob2_domain_judgement`.
    overall : str
        :func:`rob2_overall` of the judgements (the "several concerns" rule not applied).
    explanations : dict
        Domain -> reason, each ending with the note that it was judged from the abstract.
    """

    answers: dict
    judgements: dict
    overall: str
    explanations: dict

    def as_mapping(self) -> dict:
        """Domain -> judgement plus ``"Overall"``, as :class:`appraise.widgets.RoB2Checklist` expects."""
        return {**self.judgements, "Overall": self.overall}


def rob2_answer_key(trial, outcome_id: str) -> Rob2Key | None:
    """The teaching RoB 2 key for ``outcome_id`` of ``trial``, or ``None`` if there is none.

    RoB 2 applies to randomised trials only, so a card whose allocation is not
    ``"randomised"`` has no key.

    Examples
    --------
    >>> from appraise.trials import load_trial
    >>> key = rob2_answer_key(load_trial("mensc-secretome-covid19"), "intubation")
    >>> key.judgements["D4"], key.judgements["D5"], key.overall
    ('low', 'some concerns', 'high')
    >>> rob2_answer_key(load_trial("huc-msc-covid19-shu2020"), "mortality-day28") is None
    True
    """
    if not isinstance(outcome_id, str):
        raise TypeError(f"outcome_id must be an outcome id (str), got {outcome_id!r} of type "
                        f"{type(outcome_id).__name__}")
    spec = _ANSWER_KEYS.get((trial.id, outcome_id))
    if spec is None or trial.design.allocation != "randomised":
        return None
    from .rob2 import rob2_domain_judgement, rob2_overall

    answers = {d: dict(a) for d, (a, _) in spec.items()}
    judgements = {d: rob2_domain_judgement(d, a) for d, a in answers.items()}
    return Rob2Key(answers=answers, judgements=judgements, overall=rob2_overall(judgements),
                   explanations={d: f"{reason} {_FROM_ABSTRACT}" for d, (_, reason) in spec.items()})
