"""Malformed trial cards are rejected whole, with file, field path and reason.

Each file in tests/bad_cards/ is a small valid card with one deliberate fault (its first
line says which).  EXPECTED gives, per file, the field path the error must name and a
fragment of the reason.
"""

from __future__ import annotations

import os
import shutil
import time
import tracemalloc
from pathlib import Path

import pytest
from card_strategies import card_texts, write_card
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from appraise.cards import io as card_io
from appraise.cards.claims import resolve_claims
from appraise.cards.schema import MAX_CLAIMS, MAX_KEY_PARTS
from appraise.trials import CardError, CardValidationError, load_trial, validate_card

BAD = Path(__file__).parent / "bad_cards"

# file -> (field path, fragment of the reason); path "" = a problem with the whole file
EXPECTED = {
    "invalid-toml.toml": ("", "invalid TOML at line 25, column 13"),
    "duplicate-key.toml": ("", "invalid TOML at line 25"),
    "missing-field.toml": ("outcomes[0].events_ctrl", "required field is missing"),
    "missing-citation.toml": ("citation", "required table is missing"),
    "string-count.toml": ("outcomes[0].n_treat", "must be a whole number >= 1, got '10' (a string)"),
    "events-exceed-n.toml": ("outcomes[0].events_treat", "must be <= outcomes[0].n_treat (10), got 12"),
    "unknown-key.toml": ("arms[0].n_analyzed", "did you mean 'n_analysed'?"),
    "duplicate-outcome-id.toml": ("outcomes[1].id", "duplicate id 'death'"),
    "duplicate-claim-id.toml": ("claims[1].id", "duplicate claim id 'death-p'"),
    "undeclared-date-format.toml": ("registrations[0].date_format", "got 'DD-MM-YY'"),
    "date-not-matching-format.toml": ("registrations[0].date",
                                      "'2021-01-04' does not match the declared date_format 'DD/MM/YYYY'"),
    "huge-number.toml": ("outcomes[0].n_ctrl", "implausible"),
    "deeply-nested-junk.toml": ("design.extra", "unknown key 'extra'"),
    "negative-count.toml": ("arms[1].n_analysed", "must be a whole number >= 1, got -3"),
    "float-count.toml": ("outcomes[0].events_treat", "got 2.0 (a float)"),
    "bool-count.toml": ("outcomes[0].events_ctrl", "got true (a boolean)"),
    "missing-control-arm.toml": ("arms", "exactly one arm with role 'control', found 0"),
    "claim-unknown-outcome.toml": ("claims[0].outcome", "unknown outcome 'mortality'"),
    "bad-schema-version.toml": ("schema_version", "unsupported schema_version 3; this version of appraise reads schema_version 1 and 2"),
    "bad-id.toml": ("id", "lowercase slug"),
    "dates-out-of-order.toml": ("dates.completion", "must not be before dates.start (2021-02-01), got 2021-01-01"),
    "date-as-string.toml": ("dates.start", "must be a TOML date"),
    "n-exceeds-arm.toml": ("outcomes[0].n_treat", "must be <= arms[0].n_analysed (10)"),
    "bad-allocation.toml": ("design.allocation", "got 'randomized'"),
    "arms-not-array.toml": ("arms", "must be an array of tables"),
    # printed figures are read with the parsers the checks and reports use
    "percentage-in-words.toml": ("claims[0].text", "cannot be read as a percentage: text must be a "
                                                   "percentage such as '28%' or '28.6', got 'about a third'"),
    "p-value-ns.toml": ("claims[0].text", "cannot be read as a p-value: text 'NS' ('not significant') "
                                          "gives no number to check"),
    "p-value-too-many-decimals.toml": ("claims[0].text", "prints 30 decimals; at most 15 can be checked"),
    "reported-p-unreadable.toml": ("claims[1].reported_p", "cannot be read as a p-value"),
    # screened before the TOML reader sees the file
    "key-too-long.toml": ("", "line 65: a key of 201 characters; keys longer than 200 characters"),
    "dotted-key-too-many-parts.toml": ("", "line 60: a dotted key of 65 parts"),
    "integer-5000-digits.toml": ("", "line 41: a number with thousands of digits cannot be read"),
    "huge-float-in-continuous.toml": ("continuous[0].treatment[1]", "got a number with 400 digits"),
    "long-id.toml": ("outcomes[0].id", "(300 characters)"),
}


def test_every_bad_card_has_an_expectation():
    on_disk = sorted(p.name for p in BAD.glob("*.toml"))
    assert on_disk == sorted(EXPECTED)
    assert len(on_disk) >= 15


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_card_is_rejected_with_path_and_reason(name):
    path = BAD / name
    expected_path, fragment = EXPECTED[name]
    with pytest.raises(CardValidationError) as info:
        load_trial(path)
    err = info.value
    assert isinstance(err, ValueError)
    message = str(err)
    assert name in message
    assert fragment in message
    matching = [e for e in err.errors if e.path == expected_path and fragment in e.reason]
    assert matching, [str(e) for e in err.errors]
    line = str(matching[0])
    assert line.startswith(str(path))
    if expected_path:
        assert f": {expected_path}: " in line
    # every error, not only the first, appears in the message
    for e in err.errors:
        assert str(e) in message
    # validate_card reports exactly the same problems, as a list
    assert validate_card(path) == list(err.errors)
    assert validate_card(str(path)) == list(err.errors)


def _base_text() -> str:
    text = (BAD / "float-count.toml").read_text(encoding="utf-8")
    return text.replace("events_treat = 2.0", "events_treat = 2")


def test_base_card_itself_is_valid(tmp_path):
    card = tmp_path / "ok.toml"
    card.write_text(_base_text(), encoding="utf-8")
    assert validate_card(card) == []
    assert load_trial(card).outcome("death").counts == (2, 10, 4, 10)


def test_two_errors_are_both_reported(tmp_path):
    text = _base_text().replace("events_treat = 2", "events_treat = -1").replace(
        'blinding = "double-blind"', 'blinding = "triple-blind"')
    card = tmp_path / "two.toml"
    card.write_text(text, encoding="utf-8")
    errors = validate_card(card)
    assert [e.path for e in errors] == ["design.blinding", "outcomes[0].events_treat"]
    with pytest.raises(CardValidationError) as info:
        load_trial(card)
    message = str(info.value)
    assert "2 problems" in message
    assert "design.blinding: must be one of" in message and "'triple-blind'" in message
    assert "outcomes[0].events_treat: must be a whole number >= 0, got -1" in message


def test_many_errors_all_reported(tmp_path):
    text = (_base_text().replace("events_treat = 2", "events_treat = 2.5")
            .replace("n_ctrl = 10", "n_ctrl = true")
            .replace('kind = "p-value"', 'kind = "pvalue"')
            .replace("year = 2021", 'year = "2021"'))
    card = tmp_path / "many.toml"
    card.write_text(text, encoding="utf-8")
    paths = {e.path for e in validate_card(card)}
    assert paths == {"citation.year", "outcomes[0].events_treat", "outcomes[0].n_ctrl", "claims[0].kind"}


def test_ten_megabyte_card_rejected_before_parsing(tmp_path):
    card = tmp_path / "huge.toml"
    size = 10 * 1024 * 1024
    with card.open("w", encoding="utf-8") as fh:
        fh.write(_base_text())
        fh.write("# padding\n" * ((size - fh.tell()) // 10 + 1))
    actual = card.stat().st_size
    assert actual > size
    with pytest.raises(CardValidationError) as info:
        load_trial(card)
    (only,) = info.value.errors
    assert only.path == ""
    assert f"{actual:,} bytes" in only.reason and "1 MB" in only.reason
    assert "huge.toml" in str(info.value)
    assert validate_card(card) == [only]


def test_deep_nesting_inside_a_value_does_not_crash(tmp_path):
    card = tmp_path / "deep.toml"
    depth = 50_000
    card.write_text(_base_text() + "\n[junk]\nx = " + "[" * depth + "]" * depth + "\n", encoding="utf-8")
    (only,) = validate_card(card)
    assert "nested too deeply" in only.reason


def test_moderately_nested_unknown_value_is_summarised(tmp_path):
    card = tmp_path / "nest.toml"
    card.write_text(_base_text().replace('label = "Drug X"', 'label = [[[["Drug X"]]]]'), encoding="utf-8")
    (only,) = validate_card(card)
    assert (only.path, only.reason) == ("arms[0].label", "must be a string, got an array of 1 item")


def test_not_utf8(tmp_path):
    card = tmp_path / "latin1.toml"
    card.write_bytes(_base_text().replace("Adults", "Adultes \u00e2g\u00e9s").encode("latin-1"))
    (only,) = validate_card(card)
    assert "not UTF-8" in only.reason


def test_bundled_card_name_must_match_its_id():
    import tomllib

    from appraise import trials
    checker = trials._Checker("other-name.toml")
    parsed = tomllib.loads(_base_text())
    checker.check(parsed, "other-name")
    assert [(e.path, e.reason) for e in checker.errors] == [
        ("id", "a bundled card's id must match its file name: the file is other-name.toml "
               "but id is 'bad-card-example'")]


def test_card_error_str():
    err = CardError("card.toml", "arms[1].n_analysed", "must be a whole number >= 1, got -3")
    assert str(err) == "card.toml: arms[1].n_analysed: must be a whole number >= 1, got -3"
    assert str(CardError("card.toml", "", "invalid TOML at line 3, column 1: x")) == \
        "card.toml: invalid TOML at line 3, column 1: x"


def test_copied_bad_card_keeps_its_own_name(tmp_path):
    copy = tmp_path / "renamed-card.toml"
    shutil.copy(BAD / "negative-count.toml", copy)
    (err,) = validate_card(copy)
    assert err.file == str(copy) and "renamed-card.toml" in str(err)


# ---- screening before and while parsing ----------------------------------------------------


def test_utf8_byte_order_mark_is_accepted(tmp_path):
    card = tmp_path / "bom.toml"
    card.write_bytes(b"\xef\xbb\xbf" + _base_text().encode("utf-8"))
    assert validate_card(card) == []
    assert load_trial(card).outcome("death").counts == (2, 10, 4, 10)


def test_thirty_thousand_part_dotted_key_is_refused_fast_and_small(tmp_path):
    card = tmp_path / "dotted.toml"
    card.write_text(".".join(["a"] * 30_000) + " = 1\n" + _base_text(), encoding="utf-8")
    assert card.stat().st_size > 59_000
    tracemalloc.start()
    start = time.perf_counter()
    try:
        (only,) = validate_card(card)
        elapsed = time.perf_counter() - start
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert only.path == "" and "line 1: a dotted key of 30,000 parts" in only.reason
    assert f"more than {MAX_KEY_PARTS} parts" in only.reason
    assert elapsed < 1.0 and peak < 20 * 1024 * 1024, (elapsed, peak)


def test_dotted_keys_inside_strings_and_quoted_parts_are_not_counted(tmp_path):
    dots = ".".join(["a"] * 100)
    text = _base_text().replace('population = "Adults"', f'population = "{dots} = 1"')
    card = tmp_path / "quoted.toml"
    card.write_text(text, encoding="utf-8")
    assert validate_card(card) == []


def test_too_many_claims_refused_before_parsing(tmp_path):
    claim = '[[claims]]\nid = "c{i}"\nkind = "statement"\ntext = "x"\nwhere = "y"\n\n'
    card = tmp_path / "claims.toml"
    card.write_text(_base_text() + "".join(claim.format(i=i) for i in range(MAX_CLAIMS + 1)),
                    encoding="utf-8")
    (only,) = validate_card(card)
    assert only.path == "claims" and f"more than {MAX_CLAIMS} [[claims]] tables" in only.reason
    # exactly the limit is accepted (one claim is already in the base card)
    card.write_text(_base_text() + "".join(claim.format(i=i) for i in range(MAX_CLAIMS - 1)),
                    encoding="utf-8")
    assert validate_card(card) == []


def test_long_id_argument_is_a_value_error_naming_trial():
    with pytest.raises(ValueError, match="^trial 'aaa") as info:
        load_trial("a" * 300)
    assert "300 characters" in str(info.value) and not isinstance(info.value, OSError)
    with pytest.raises(ValueError, match="^trial "):
        validate_card("b" * 5000)


def test_long_path_argument_is_a_value_error_naming_trial(tmp_path):
    with pytest.raises(ValueError, match="^trial .*cannot be read as a file path") as info:
        load_trial(str(tmp_path / ("x" * 300 + ".toml")))
    assert not isinstance(info.value, OSError)
    with pytest.raises(ValueError, match="NUL byte"):
        load_trial("card\0.toml")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_fifo_is_refused_without_opening_it(tmp_path):
    fifo = tmp_path / "card.toml"
    os.mkfifo(fifo)
    start = time.perf_counter()
    with pytest.raises(ValueError, match="is a FIFO") as info:
        load_trial(fifo)
    assert str(fifo) in str(info.value) and time.perf_counter() - start < 1.0


@pytest.mark.skipif(not os.path.exists("/dev/null"), reason="no /dev/null")
def test_device_is_refused():
    with pytest.raises(ValueError, match="'/dev/null' is a device, not a file"):
        validate_card("/dev/null")


def test_symlink_to_a_bundled_card_under_another_name_loads(tmp_path):
    # decision: a link is followed; the id is checked against the name of the file it points to
    link = tmp_path / "my-copy.toml"
    link.symlink_to(card_io._cards_dir().joinpath("mensc-secretome-covid19.toml"))
    trial = load_trial(link)
    assert trial.id == "mensc-secretome-covid19" and trial.source_path == str(link)


def test_id_mismatch_through_a_link_names_the_link(tmp_path, monkeypatch):
    cards = tmp_path / "cards"
    cards.mkdir()
    (cards / "other-name.toml").write_text(_base_text(), encoding="utf-8")
    monkeypatch.setattr(card_io, "_cards_dir", lambda: cards)
    link = tmp_path / "bad-card-example.toml"
    link.symlink_to(cards / "other-name.toml")
    (err,) = validate_card(link)
    assert err.path == "id" and "the file is other-name.toml but id is 'bad-card-example'" in err.reason
    assert f"({link} is a symbolic link to {cards / 'other-name.toml'})" in err.reason


# ---- generated cards: every card that validates loads, and every claim resolves -------------

_SETTINGS = settings(max_examples=80, deadline=None, derandomize=True, database=None,
                     suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


def _checked(path):
    """Load a card that validated and run the check its every claim resolves to."""
    from appraise.consistency import check_percentage, check_reported_p, check_reported_p_one_sample

    trial = load_trial(path)
    targets = resolve_claims(trial)
    assert [t.claim.id for t in targets] == [c.id for c in trial.claims]
    for t in targets:
        assert (t.check is None) == bool(t.reason)
        if t.check == "percentage":
            check_percentage(t.claim.text, t.denominator)
        elif t.check == "p-between-arms":
            check_reported_p(t.p_text, *t.counts)
        elif t.check == "p-one-sample":
            check_reported_p_one_sample(t.p_text, t.claim.events, t.denominator, null=0.5)
    return trial


@_SETTINGS
@given(text=st.one_of(card_texts(), card_texts(format2=True)))
def test_every_generated_card_that_validates_loads_and_resolves(tmp_path, text):
    path = write_card(tmp_path, text)
    errors = validate_card(path)
    assert all(isinstance(e, CardError) and e.file == str(path) for e in errors)
    if not errors:
        _checked(path)
    else:
        with pytest.raises(CardValidationError):
            load_trial(path)


@_SETTINGS
@given(text=st.one_of(card_texts(well_formed=True), card_texts(well_formed=True, format2=True)))
def test_well_formed_generated_cards_validate(tmp_path, text):
    path = write_card(tmp_path, text)
    assert validate_card(path) == []
    _checked(path)


def test_long_strings_on_their_own_lines_are_not_keys(tmp_path):
    long = "an outcome named at length " * 12
    text = _base_text().replace('population = "Adults"',
                                f'population = "Adults"\noutcomes_named = ["x",\n  "{long}"]')
    card = tmp_path / "long-strings.toml"
    card.write_text(text, encoding="utf-8")
    assert len(long) > 300 and validate_card(card) == []


def test_screening_a_large_card_is_linear(tmp_path):
    # 130,000 short dotted keys (about 1 MB): the screen must not rescan the text per key
    card = tmp_path / "many-keys.toml"
    card.write_text("a.b = 1\n" * 130_000, encoding="utf-8")
    start = time.perf_counter()
    (only,) = validate_card(card)
    assert time.perf_counter() - start < 2.0 and "invalid TOML at line 2" in only.reason
