"""The Cochrane RoB 2 tool: signalling questions and the suggested judgement algorithms.

Covers individually randomised parallel-group trials and the effect of **assignment**
to intervention (the "intention-to-treat" effect), as published in

* Sterne JAC, Savović J, Page MJ, et al. RoB 2: a revised tool for assessing risk of
  bias in randomised trials. BMJ 2019;366:l4898.
* Higgins JPT, Savović J, Page MJ, Sterne JAC (eds). Revised Cochrane risk-of-bias tool
  for randomized trials (RoB 2). Detailed guidance, version of 22 August 2019
  (riskofbias.info), and its short version (cribsheet) of the same date.

The guidance gives, for each domain, a box of signalling questions (Box 4, p. 17:
domain 1; Box 6, pp. 28-29: domain 2; Box 8, pp. 45-46: domain 3; Box 10, p. 54:
domain 4; Box 11, pp. 63-65: domain 5), a table of criteria and an algorithm, drawn as a
figure, mapping the answers to a suggested judgement (for domain 4: "Criteria for
reaching risk-of-bias judgements are given in Table 11 and an algorithm for
implementing these is provided in Table 12 and Figure 5", p. 54).  Each rule below
quotes the branch of that algorithm it implements.

Answers
-------
``"Y"`` yes, ``"PY"`` probably yes, ``"PN"`` probably no, ``"N"`` no, ``"NI"`` no
information (:data:`ROB2_ANSWERS`).  Question 3.2 has no "no information" option
(guidance Box 8: response options Y/PY/PN/N).  ``"NA"`` (not applicable) is accepted
only for the *conditional* questions, whose wording starts "If ... to ...:"
(2.3, 2.4, 2.5, 2.7, 3.2, 3.3, 3.4, 4.3, 4.4, 4.5): the tool answers them only when the
condition holds.

How incomplete answers are handled
----------------------------------
* A question the algorithm reaches must be answered: a missing answer, or ``"NA"`` to a
  conditional question whose condition holds, raises :class:`ValueError` naming the
  question (and, for a conditional one, the answers that make it apply).
* The questions are read in the order of the algorithm figure, stopping at the
  judgement (domain 2: both parts, from 2.1 and from 2.6).  A question the algorithm
  does not reach may be missing or ``"NA"`` (conditional questions) and is ignored even
  if answered (e.g. 2.3 when 2.1 and 2.2 are both N/PN;
  1.1 when 1.2 is N/PN).  Every answer given is still checked for validity.
* A question number that is not in the domain, or an answer that is not allowed for
  the question, raises :class:`ValueError` repeating the value.

The judgements are the tool's *suggested* ones.  The guidance lets assessors override
a suggested judgement with a stated reason; these functions do not.

Answer keys
-----------
:func:`rob2_answer_key` (defined in :mod:`appraise.cards.rob2_key`) gives the teaching
key a trial card holds for one of its outcomes (the card's ``[[rob2]]`` tables): the
answer to every signalling question the algorithm reaches, the reason for each domain,
what the key was judged from, and the judgements derived with the functions above.  A key
is an argument, not a fact; the bundled seed card's key is written from the abstract
alone, which RoB 2 is not meant for (it asks for the full report, protocol and registry
record), and says so.  A card without a key for an outcome gives ``None``.
"""

from __future__ import annotations

from typing import Mapping

from ._validate import check_int

__all__ = [
    "ROB2_ANSWERS",
    "ROB2_NOT_APPLICABLE",
    "ROB2_JUDGEMENTS",
    "ROB2_DOMAINS",
    "rob2_options",
    "rob2_domain_judgement",
    "rob2_overall",
    "RoB2Key",
    "rob2_answer_key",
]

#: Answers to a signalling question: yes, probably yes, probably no, no, no information.
ROB2_ANSWERS = ("Y", "PY", "PN", "N", "NI")

#: "Not applicable": allowed for conditional questions only (see :func:`rob2_options`).
ROB2_NOT_APPLICABLE = "NA"

#: The three judgements, from least to most concern.
ROB2_JUDGEMENTS = ("low", "some concerns", "high")

#: The five domains for the effect of assignment to intervention.  ``"name"`` is the
#: domain's short name; ``"questions"`` maps question number -> wording of the detailed
#: guidance (22 August 2019), conditional questions starting with their condition;
#: ``"options"`` lists the answers of a question whose options differ from
#: :data:`ROB2_ANSWERS`; ``"conditional"`` lists the questions that may be ``"NA"``.
ROB2_DOMAINS = {
    "D1": {
        "name": "Randomisation process",
        "questions": {
            "1.1": "Was the allocation sequence random?",
            "1.2": "Was the allocation sequence concealed until participants were enrolled and "
                   "assigned to interventions?",
            "1.3": "Did baseline differences between intervention groups suggest a problem with "
                   "the randomization process?",
        },
        "conditional": (),
    },
    "D2": {
        "name": "Deviations from intended interventions",
        "questions": {
            "2.1": "Were participants aware of their assigned intervention during the trial?",
            "2.2": "Were carers and people delivering the interventions aware of participants' "
                   "assigned intervention during the trial?",
            "2.3": "If Y/PY/NI to 2.1 or 2.2: Were there deviations from the intended intervention "
                   "that arose because of the trial context?",
            "2.4": "If Y/PY to 2.3: Were these deviations likely to have affected the outcome?",
            "2.5": "If Y/PY/NI to 2.4: Were these deviations from intended intervention balanced "
                   "between groups?",
            "2.6": "Was an appropriate analysis used to estimate the effect of assignment to "
                   "intervention?",
            "2.7": "If N/PN/NI to 2.6: Was there potential for a substantial impact (on the result) "
                   "of the failure to analyse participants in the group to which they were "
                   "randomized?",
        },
        "conditional": ("2.3", "2.4", "2.5", "2.7"),
    },
    "D3": {
        "name": "Missing outcome data",
        "questions": {
            "3.1": "Were data for this outcome available for all, or nearly all, participants "
                   "randomized?",
            "3.2": "If N/PN/NI to 3.1: Is there evidence that the result was not biased by missing "
                   "outcome data?",
            "3.3": "If N/PN to 3.2: Could missingness in the outcome depend on its true value?",
            "3.4": "If Y/PY/NI to 3.3: Is it likely that missingness in the outcome depended on its "
                   "true value?",
        },
        # Box 8: 3.2 is answered Y/PY/PN/N only ("no information" is not an option)
        "options": {"3.2": ("Y", "PY", "PN", "N")},
        "conditional": ("3.2", "3.3", "3.4"),
    },
    "D4": {
        "name": "Measurement of the outcome",
        "questions": {
            "4.1": "Was the method of measuring the outcome inappropriate?",
            "4.2": "Could measurement or ascertainment of the outcome have differed between "
                   "intervention groups?",
            "4.3": "If N/PN/NI to 4.1 and 4.2: Were outcome assessors aware of the intervention "
                   "received by study participants?",
            "4.4": "If Y/PY/NI to 4.3: Could assessment of the outcome have been influenced by "
                   "knowledge of intervention received?",
            "4.5": "If Y/PY/NI to 4.4: Is it likely that assessment of the outcome was influenced "
                   "by knowledge of intervention received?",
        },
        "conditional": ("4.3", "4.4", "4.5"),
    },
    "D5": {
        "name": "Selection of the reported result",
        "questions": {
            "5.1": "Were the data that produced this result analysed in accordance with a "
                   "pre-specified analysis plan that was finalized before unblinded outcome data "
                   "were available for analysis?",
            "5.2": "Is the numerical result being assessed likely to have been selected, on the "
                   "basis of the results, from multiple eligible outcome measurements (e.g. scales, "
                   "definitions, time points) within the outcome domain?",
            "5.3": "Is the numerical result being assessed likely to have been selected, on the "
                   "basis of the results, from multiple eligible analyses of the data?",
        },
        "conditional": (),
    },
}

_YES = ("Y", "PY")
_NO = ("N", "PN")
_NI = "NI"

#: Why each conditional question applies, for error messages (wording of the guidance).
_CONDITION_TEXT = {
    "2.3": "it applies if 2.1 or 2.2 is Y/PY/NI",
    "2.4": "it applies if 2.3 is Y/PY",
    "2.5": "it applies if 2.4 is Y/PY/NI",
    "2.7": "it applies if 2.6 is N/PN/NI",
    "3.2": "it applies if 3.1 is N/PN/NI",
    "3.3": "it applies if 3.2 is N/PN",
    "3.4": "it applies if 3.3 is Y/PY/NI",
    "4.3": "it applies if 4.1 and 4.2 are N/PN/NI",
    "4.4": "it applies if 4.3 is Y/PY/NI",
    "4.5": "it applies if 4.4 is Y/PY/NI",
}


def rob2_options(question: str) -> tuple[str, ...]:
    """The answers allowed for one signalling question, ``"NA"`` included if it is conditional.

    Examples
    --------
    >>> rob2_options("1.1")
    ('Y', 'PY', 'PN', 'N', 'NI')
    >>> rob2_options("3.2")
    ('Y', 'PY', 'PN', 'N', 'NA')
    """
    for spec in ROB2_DOMAINS.values():
        if question in spec["questions"]:
            options = spec.get("options", {}).get(question, ROB2_ANSWERS)
            if question in spec["conditional"]:
                options = (*options, ROB2_NOT_APPLICABLE)
            return tuple(options)
    known = [q for spec in ROB2_DOMAINS.values() for q in spec["questions"]]
    raise ValueError(f"question must be one of {', '.join(known)}; got {question!r}")


def _checked_answers(domain: str, answers) -> dict:
    """Validate every answer given for ``domain``; return a plain dict."""
    if not isinstance(answers, Mapping):
        raise TypeError(f"answers must be a mapping of question -> answer, got {type(answers).__name__}")
    questions = ROB2_DOMAINS[domain]["questions"]
    out = {}
    for q, value in answers.items():
        if q not in questions:
            raise ValueError(f"answers for {domain} must use the question numbers {', '.join(questions)}; "
                             f"got question {q!r}")
        options = rob2_options(q)
        if not isinstance(value, str):
            raise TypeError(f"answer to question {q} must be one of {', '.join(options)}; "
                            f"got {value!r} of type {type(value).__name__}")
        if value not in options:
            why = " (NA only for a conditional question)" if value == ROB2_NOT_APPLICABLE else ""
            raise ValueError(f"answer to question {q} must be one of {', '.join(options)}{why}; got {value!r}")
        out[q] = value
    return out


def _reader(domain: str, answers: dict):
    """``a(q)``: the answer to a question the algorithm has reached (must be given)."""

    def a(q: str) -> str:
        value = answers.get(q)
        if value is None or value == ROB2_NOT_APPLICABLE:
            options = ", ".join(o for o in rob2_options(q) if o != ROB2_NOT_APPLICABLE)
            why = f"; {_CONDITION_TEXT[q]}" if q in _CONDITION_TEXT else ""
            raise ValueError(f"{domain}: question {q} must be answered ({options}) for this judgement"
                             f"{why}; got {value!r}")
        return value

    return a


def _d1(a) -> str:
    # Guidance 22 Aug 2019, domain 1 algorithm (figure after Box 4; criteria table):
    # the algorithm starts at 1.2 (concealment).
    concealed = a("1.2")
    if concealed in _NO:
        # "1.2 N/PN -> High" ("the allocation sequence was not adequately concealed")
        return "high"
    if concealed == _NI:
        # "1.2 NI -> 1.3: Y/PY -> High; N/PN/NI -> Some concerns"; 1.1 is not used
        return "high" if a("1.3") in _YES else "some concerns"
    # 1.2 Y/PY -> 1.1
    if a("1.1") in _NO:
        # "1.1 N/PN -> Some concerns" whatever 1.3 ("concealed AND sequence not random")
        return "some concerns"
    # 1.1 Y/PY/NI -> 1.3: "N/PN/NI -> Low; Y/PY -> Some concerns"
    return "some concerns" if a("1.3") in _YES else "low"


def _d2_part1(a) -> str:
    # Domain 2 (assignment), part 1, questions 2.1-2.5 (figure after Box 6).
    if a("2.1") in _NO and a("2.2") in _NO:
        # "Both 2.1 and 2.2 N/PN -> Low" (2.3-2.5 not asked)
        return "low"
    # "Either Y/PY/NI -> 2.3"
    deviations = a("2.3")
    if deviations in _NO:
        return "low"                       # "2.3 N/PN -> Low"
    if deviations == _NI:
        return "some concerns"             # "2.3 NI -> Some concerns"
    # 2.3 Y/PY -> 2.4
    if a("2.4") in _NO:
        return "some concerns"             # "2.4 N/PN -> Some concerns"
    # 2.4 Y/PY/NI -> 2.5: "Y/PY -> Some concerns; N/PN/NI -> High"
    return "some concerns" if a("2.5") in _YES else "high"


def _d2_part2(a) -> str:
    # Domain 2 (assignment), part 2, questions 2.6-2.7.
    if a("2.6") in _YES:
        return "low"                       # "2.6 Y/PY -> Low"
    # 2.6 N/PN/NI -> 2.7: "N/PN -> Some concerns; Y/PY/NI -> High"
    return "some concerns" if a("2.7") in _NO else "high"


def _d2(a) -> str:
    # The guidance combines the parts: "Low risk of bias in both parts -> Low";
    # "High risk of bias in either part -> High"; otherwise "Some concerns".
    parts = (_d2_part1(a), _d2_part2(a))
    if "high" in parts:
        return "high"
    return "low" if parts == ("low", "low") else "some concerns"


def _d3(a) -> str:
    # Domain 3 algorithm (figure after Box 8).
    if a("3.1") in _YES:
        return "low"                       # "3.1 Y/PY -> Low"
    # 3.1 N/PN/NI -> 3.2 (answered Y/PY/PN/N)
    if a("3.2") in _YES:
        return "low"                       # "3.2 Y/PY -> Low"
    # 3.2 N/PN -> 3.3
    if a("3.3") in _NO:
        return "low"                       # "3.3 N/PN -> Low"
    # 3.3 Y/PY/NI -> 3.4: "N/PN -> Some concerns; Y/PY/NI -> High"
    return "some concerns" if a("3.4") in _NO else "high"


def _d4(a) -> str:
    # Domain 4 algorithm (Table 12 and Figure 5, guidance p. 54 ff.).
    if a("4.1") in _YES:
        return "high"                      # "4.1 Y/PY -> High"
    differed = a("4.2")
    if differed in _YES:
        return "high"                      # "4.2 Y/PY -> High"
    # Figure 5 has two parallel branches after 4.2: N/PN and NI.  They share the
    # questions 4.3-4.5 and differ only where the N/PN branch ends in "Low": there the
    # NI branch ends in "Some concerns".
    best = "low" if differed in _NO else "some concerns"
    if a("4.3") in _NO:
        return best                        # "4.3 N/PN -> Low" (NI branch: Some concerns)
    # 4.3 Y/PY/NI -> 4.4
    if a("4.4") in _NO:
        return best                        # "4.4 N/PN -> Low" (NI branch: Some concerns)
    # 4.4 Y/PY/NI -> 4.5: "N/PN -> Some concerns; Y/PY/NI -> High" (both branches)
    return "some concerns" if a("4.5") in _NO else "high"


def _d5(a) -> str:
    # Domain 5 algorithm (figure after Box 11).  5.2 and 5.3 are read first, 5.1 last.
    by_measure = a("5.2")
    if by_measure in _YES:
        return "high"                      # "Either 5.2 or 5.3 Y/PY -> High"
    by_analysis = a("5.3")
    if by_analysis in _YES:
        return "high"                      # (5.3 is read only when 5.2 is N/PN/NI)
    if _NI in (by_measure, by_analysis):
        return "some concerns"             # "Both N/PN/NI but at least one NI -> Some concerns"
    # both N/PN -> 5.1: "Y/PY -> Low; N/PN/NI -> Some concerns"
    return "low" if a("5.1") in _YES else "some concerns"


_ALGORITHMS = {"D1": _d1, "D2": _d2, "D3": _d3, "D4": _d4, "D5": _d5}


def rob2_domain_judgement(domain: str, answers: Mapping[str, str]) -> str:
    """Suggested RoB 2 judgement for one domain from its signalling-question answers.

    Implements the algorithms of the Cochrane RoB 2 detailed guidance (22 August 2019)
    for the effect of assignment to intervention in an individually randomised
    parallel-group trial.  Domain 2 combines its two parts as the guidance does: low
    only if both parts are low, high if either is high, otherwise some concerns.

    Parameters
    ----------
    domain : {"D1", "D2", "D3", "D4", "D5"}
    answers : mapping
        Question number (``"1.1"``...) -> ``"Y"``, ``"PY"``, ``"PN"``, ``"N"`` or ``"NI"``
        (question 3.2: no ``"NI"``); ``"NA"`` for a conditional question that does not
        apply.  Questions the algorithm does not reach may be left out and are ignored.

    Returns
    -------
    str
        ``"low"``, ``"some concerns"`` or ``"high"``.

    Raises
    ------
    ValueError
        Unknown domain or question number; an answer not allowed for its question
        (``"NA"`` to a question that is not conditional); a question the algorithm
        reaches left unanswered or ``"NA"``.
    TypeError
        ``answers`` is not a mapping, or an answer is not a string.

    Examples
    --------
    The seed trial (intubation 7/14 vs 12/15) is called randomised 1:1, with no word on
    how the sequence was generated or concealed and no baseline table:

    >>> rob2_domain_judgement("D1", {"1.1": "NI", "1.2": "NI", "1.3": "NI"})
    'some concerns'

    Double-blind with a matching placebo, but the number randomised is not reported:

    >>> rob2_domain_judgement("D2", {"2.1": "PN", "2.2": "PN", "2.6": "NI", "2.7": "PN"})
    'some concerns'

    No plan reported, and nothing said about other measurements of intubation:

    >>> rob2_domain_judgement("D5", {"5.1": "NI", "5.2": "NI", "5.3": "PN"})
    'some concerns'
    """
    if not isinstance(domain, str) or domain not in ROB2_DOMAINS:
        raise ValueError(f"domain must be one of {', '.join(map(repr, ROB2_DOMAINS))}; got {domain!r}")
    checked = _checked_answers(domain, answers)
    return _ALGORITHMS[domain](_reader(domain, checked))


def rob2_overall(judgements: Mapping[str, str], *, multiple_concerns_high: int | None = None) -> str:
    """Overall RoB 2 judgement for the result from the five domain judgements.

    The tool's criteria (Sterne et al. 2019, Table 2; guidance section on the overall
    judgement): **low** if the result is judged at low risk of bias for all domains;
    **some concerns** if it raises some concerns in at least one domain but is not at
    high risk in any; **high** if it is at high risk in at least one domain, *or* if it
    has some concerns for multiple domains "in a way that substantially lowers
    confidence in the result".  That last rule is left to the assessor: the tool gives
    no number of domains.  By default this function does not apply it (several domains
    with some concerns give ``"some concerns"``); pass ``multiple_concerns_high=k`` to
    judge ``"high"`` whenever ``k`` or more domains have some concerns.

    Parameters
    ----------
    judgements : mapping
        Domain (``"D1"``...``"D5"``) -> ``"low"``, ``"some concerns"`` or ``"high"``;
        all five domains are needed, other keys are not allowed.
    multiple_concerns_high : int, optional
        Number of domains (2 to 5) with some concerns that makes the overall judgement
        high.  ``None`` (default): never.

    Returns
    -------
    str
        ``"low"``, ``"some concerns"`` or ``"high"``.

    Examples
    --------
    Some concerns in four domains of the seed trial's intubation result, low in D4:
    several concerns alone do not make the result high unless the assessor judges that
    together they substantially lower confidence:

    >>> concerns = {"D1": "some concerns", "D2": "some concerns", "D3": "some concerns",
    ...             "D4": "low", "D5": "some concerns"}
    >>> rob2_overall(concerns), rob2_overall(concerns, multiple_concerns_high=3)
    ('some concerns', 'high')
    >>> rob2_overall(dict(concerns, D2="high"))
    'high'
    """
    if not isinstance(judgements, Mapping):
        raise TypeError(f"judgements must be a mapping of domain -> judgement, got {type(judgements).__name__}")
    if multiple_concerns_high is not None:
        multiple_concerns_high = check_int("multiple_concerns_high", multiple_concerns_high,
                                           minimum=2, maximum=len(ROB2_DOMAINS))
    extra = [d for d in judgements if d not in ROB2_DOMAINS]
    if extra:
        raise ValueError(f"judgements must use the domains {', '.join(ROB2_DOMAINS)}; got {extra[0]!r}")
    missing = [d for d in ROB2_DOMAINS if d not in judgements]
    if missing:
        raise ValueError(f"judgements must cover every domain; missing {missing}")
    for d in ROB2_DOMAINS:
        if judgements[d] not in ROB2_JUDGEMENTS:
            raise ValueError(f"judgement for {d} must be one of {', '.join(map(repr, ROB2_JUDGEMENTS))}; "
                             f"got {judgements[d]!r}")
    values = [judgements[d] for d in ROB2_DOMAINS]
    if "high" in values:
        return "high"
    concerns = values.count("some concerns")
    if multiple_concerns_high is not None and concerns >= multiple_concerns_high:
        return "high"
    return "some concerns" if concerns else "low"




def __getattr__(name):
    # the keys live with the card model (appraise.cards.rob2_key), which imports this module
    if name in ("RoB2Key", "rob2_answer_key"):
        from .cards import rob2_key

        return getattr(rob2_key, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
