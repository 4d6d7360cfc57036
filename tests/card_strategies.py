"""Hypothesis strategies that write trial cards (TOML text) for property tests.

``card_texts()`` draws a complete card: two arms, one to three binary outcomes, optional
baseline characteristics and up to eight claims of every kind, with free text drawn from
plain words, hostile text (markup, control characters, very long lines) or both.  With
``well_formed=True`` every figure is readable and every count fits its arm, so the card must
validate; otherwise claim texts and counts are also drawn from forms a card must reject
("about a third" as a percentage, "NS" as a p-value, 30 decimals, events above n).

Use::

    from card_strategies import card_texts, write_card

    @given(card_texts())
    def test_something(tmp_path_factory, text):
        path = write_card(tmp_path_factory.mktemp("cards"), text)
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import strategies as st

__all__ = ["card_texts", "free_text", "toml_string", "write_card", "GOOD_P_TEXTS", "BAD_P_TEXTS",
           "GOOD_PERCENT_TEXTS", "BAD_PERCENT_TEXTS", "HOSTILE_TEXTS"]

GOOD_P_TEXTS = ("P < 0.0001", "p=0.06", "P = 0.543", "P<.05", "p \u2264 0.05", "P = 1.000",
                "P > 0.05", "0\u00b706", "P = 0.0496")
BAD_P_TEXTS = ("NS", "n.s.", "P = 1e-30", "P = 0." + "0" * 29 + "1", "significant", "P = 1.5",
               "P < 0", "p = ", "P = 0.05%", "")
GOOD_PERCENT_TEXTS = ("50%", "28%", "57.1%", "66.67%", "0%", "100%", " 12.5 % ", "33.33")
BAD_PERCENT_TEXTS = ("about a third", "101%", "-3%", "1e-30%", "0." + "0" * 40 + "1%", "%", "half")
HOSTILE_TEXTS = ("<img src=x onerror=alert(1)>", "[x](javascript:alert(1))", "<!--", "\n# Forged\n",
                 "\x1b[2J\x1b]0;title\x07", "a|b|c", "`code`", "*bold* _it_", "&amp; &lt;",
                 "\u202eevil", "x" * 2000)


def toml_string(text: str) -> str:
    """``text`` as a TOML basic string (every control character escaped)."""
    out = []
    for ch in text:
        if ch in ('"', "\\"):
            out.append("\\" + ch)
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def free_text(*, hostile: bool = True):
    """A non-blank one-field text: words, hostile strings, or arbitrary printable text."""
    words = st.lists(st.sampled_from(["alpha", "trial", "Drug X", "placebo", "28%", "P < 0.05",
                                      "é", "日本"]), min_size=1, max_size=6).map(" ".join)
    options = [words]
    if hostile:
        options += [st.sampled_from(HOSTILE_TEXTS),
                    st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40)]
    return st.one_of(options).filter(lambda s: s.strip() != "")


@st.composite
def _claim(draw, i, outcome_ids, well_formed, text):
    kind = draw(st.sampled_from(["percentage", "p-value", "zero-events", "change", "statement",
                                 "conclusion"]))
    lines = [f'id = "claim-{i}"', f'kind = "{kind}"']
    if kind == "percentage":
        pool = GOOD_PERCENT_TEXTS if well_formed else GOOD_PERCENT_TEXTS + BAD_PERCENT_TEXTS
        lines.append(f"text = {toml_string(draw(st.sampled_from(pool)))}")
    elif kind == "p-value":
        pool = GOOD_P_TEXTS if well_formed else GOOD_P_TEXTS + BAD_P_TEXTS
        lines.append(f"text = {toml_string(draw(st.sampled_from(pool)))}")
    else:
        lines.append(f"text = {toml_string(draw(text))}")
    lines.append(f"where = {toml_string(draw(text))}")
    if outcome_ids and draw(st.booleans()):
        lines.append(f'outcome = "{draw(st.sampled_from(outcome_ids))}"')
    arm = draw(st.sampled_from([None, "treatment", "control"]))
    if arm:
        lines.append(f'arm = "{arm}"')
    comparison = draw(st.sampled_from([None, "between-arms", "within-arm", "single-arm", "subgroup",
                                       "not stated"]))
    if comparison:
        lines.append(f'comparison = "{comparison}"')
    if draw(st.booleans()):
        denominator = draw(st.integers(1, 60))
        lines.append(f"denominator = {denominator}")
        if draw(st.booleans()):
            top = denominator if well_formed else denominator + 3
            lines.append(f"events = {draw(st.integers(0, top))}")
    if kind in ("change", "statement") and draw(st.booleans()):
        pool = GOOD_P_TEXTS if well_formed else GOOD_P_TEXTS + BAD_P_TEXTS
        lines.append(f"reported_p = {toml_string(draw(st.sampled_from(pool)))}")
    if draw(st.booleans()):
        lines.append(f"described_as = {toml_string(draw(text))}")
    if draw(st.booleans()):
        lines.append(f"measure = {toml_string(draw(text))}")
    if draw(st.booleans()):
        lines.append(f"note = {toml_string(draw(text))}")
    return "[[claims]]\n" + "\n".join(lines) + "\n"


def _printed_number(draw, low=0, high=200):
    value = draw(st.integers(low * 100, high * 100))
    return f"{value / 100:.{draw(st.integers(0, 2))}f}"


@st.composite
def _format_two_outcome(draw, j, n_t, n_c, well_formed, text):
    """A time-to-event or continuous [[outcomes]] table (card format 2)."""
    oid = f"outcome-v2-{j}"
    if draw(st.booleans()):
        e_t, e_c = draw(st.integers(0, n_t)), draw(st.integers(0, n_c))
        lines = [f'id = "{oid}"', 'kind = "time-to-event"', f"label = {toml_string(draw(text))}",
                 'event = "death"', "event_is_bad = true", f"events_treat = {e_t}", f"n_treat = {n_t}",
                 f"events_ctrl = {e_c}", f"n_ctrl = {n_c}", "follow_up_days = 28",
                 f"where = {toml_string(draw(text))}"]
        pool = GOOD_PERCENT_TEXTS if well_formed else GOOD_PERCENT_TEXTS + BAD_PERCENT_TEXTS
        if draw(st.booleans()):
            lines.append(f"km = [{{ time_days = 28, treat = {toml_string(draw(st.sampled_from(pool)))}, "
                         f"where = {toml_string(draw(text))} }}]")
        if draw(st.booleans()):
            ppool = GOOD_P_TEXTS if well_formed else GOOD_P_TEXTS + BAD_P_TEXTS
            lines.append(f"test = {{ p = {toml_string(draw(st.sampled_from(ppool)))}, where = \"Results\" }}")
        if draw(st.booleans()):
            est = draw(st.integers(10, 300)) / 100
            lines.append(f'hazard_ratio = {{ estimate = "{est:.2f}", low = "{est / 2:.2f}", '
                         f'high = "{est * 2:.2f}", where = "Results" }}')
        return "[[outcomes]]\n" + "\n".join(lines) + "\n", oid
    summaries = []
    for n in (n_t, n_c):
        mean = _printed_number(draw)
        sd = _printed_number(draw, 0, 50) if well_formed else draw(st.sampled_from(["3.1", "-1", "1,5"]))
        summaries.append(f'{{ n = {draw(st.integers(1, n))}, mean = "{mean}", sd = "{sd}", '
                         f"where = {toml_string(draw(text))} }}")
    lines = [f'id = "{oid}"', 'kind = "continuous"', f"label = {toml_string(draw(text))}",
             f'timing = "{draw(st.sampled_from(["baseline", "follow-up", "change"]))}"',
             f"treatment = {summaries[0]}", f"control = {summaries[1]}",
             f"where = {toml_string(draw(text))}"]
    if draw(st.booleans()):
        lines.append(f'p_between = {toml_string(draw(st.sampled_from(GOOD_P_TEXTS)))}')
    return "[[outcomes]]\n" + "\n".join(lines) + "\n", oid


@st.composite
def card_texts(draw, *, well_formed: bool = False, hostile: bool = True, max_claims: int = 8,
               format2: bool = False):
    """The text of one trial card (see the module docstring).

    ``format2=True`` writes ``schema_version = 2`` and may add time-to-event and continuous
    outcomes, which claims may then name.
    """
    text = free_text(hostile=hostile)
    n_t, n_c = draw(st.integers(1, 60)), draw(st.integers(1, 60))
    parts = [f"schema_version = {2 if format2 else 1}", 'id = "generated-card"',
             f"short_title = {toml_string(draw(text))}", "",
             "[citation]", f"authors = [{toml_string(draw(text))}]",
             f"title = {toml_string(draw(text))}", f"journal = {toml_string(draw(text))}",
             f"year = {draw(st.integers(1950, 2030))}", 'doi = "10.1000/example.1"', "",
             "[design]", f'allocation = "{draw(st.sampled_from(["randomised", "non-randomised"]))}"',
             f'blinding = "{draw(st.sampled_from(["open-label", "single-blind", "double-blind", "not reported"]))}"',
             f"control = {toml_string(draw(text))}", f"population = {toml_string(draw(text))}",
             f"intervention = {toml_string(draw(text))}", f"comparator = {toml_string(draw(text))}",
             f"where = {toml_string(draw(text))}"]
    for fact in ("sample_size_calculation", "multiplicity_adjustment", "blinding_participants",
                 "blinding_personnel", "blinding_assessors"):
        value = draw(st.sampled_from([None, True, False]))
        if value is not None:
            parts.append(f"{fact} = {'true' if value else 'false'}")
    for role, n in (("treatment", n_t), ("control", n_c)):
        parts += ["", "[[arms]]", f'role = "{role}"', f"label = {toml_string(draw(text))}",
                  f"n_analysed = {n}", f"where = {toml_string(draw(text))}"]
    outcome_ids = []
    for j in range(draw(st.integers(1, 3))):
        oid = f"outcome-{j}"
        outcome_ids.append(oid)
        e_t = draw(st.integers(0, n_t if well_formed else n_t + 2))
        e_c = draw(st.integers(0, n_c))
        parts += ["", "[[outcomes]]", f'id = "{oid}"', f"label = {toml_string(draw(text))}",
                  f"event = {toml_string(draw(text))}",
                  f"event_is_bad = {'true' if draw(st.booleans()) else 'false'}",
                  f"events_treat = {e_t}", f"n_treat = {n_t}", f"events_ctrl = {e_c}", f"n_ctrl = {n_c}",
                  f"where = {toml_string(draw(text))}"]
        if draw(st.booleans()):
            parts.append(f"note = {toml_string(draw(text))}")
    if draw(st.booleans()):
        outcome_ids.append("baseline-0")
        parts += ["", "[[baseline]]", 'id = "baseline-0"', f"label = {toml_string(draw(text))}",
                  f"events_treat = {draw(st.integers(0, n_t))}", f"n_treat = {n_t}",
                  f"events_ctrl = {draw(st.integers(0, n_c))}", f"n_ctrl = {n_c}",
                  f"where = {toml_string(draw(text))}"]
    if format2:
        for j in range(draw(st.integers(0, 2))):
            table, oid = draw(_format_two_outcome(j, n_t, n_c, well_formed, text))
            parts += ["", table]
            outcome_ids.append(oid)
    claims = [draw(_claim(i, outcome_ids, well_formed, text))
              for i in range(draw(st.integers(0, max_claims)))]
    return "\n".join(parts) + "\n\n" + "\n".join(claims)


def write_card(directory, text: str, name: str = "generated-card.toml") -> Path:
    """Write ``text`` as UTF-8 to ``directory/name`` and return the path."""
    path = Path(directory) / name
    path.write_text(text, encoding="utf-8")
    return path
