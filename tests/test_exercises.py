"""Tests of the exercise checker (appraise.exercises): one rule for reading answers,
precision stated and checked, a worded reason for every wrong answer."""

import pytest

from appraise import exercises as ex
from appraise.exercises import CheckResult, Question, check, read_number, register
from appraise.trials import load_trial


@pytest.fixture
def demo_questions():
    qs = [
        register(Question(id="testbank-risk", prompt="Risk of intubation, treated arm?",
                          answer=lambda t: t.outcome("intubation").events_treat / t.outcome("intubation").n_treat,
                          decimals=2, percent=True, feedback="Divide events by patients.",
                          hint="events / patients", explanation="7/14")),
        # 0.1281 is Fisher's p for 7/14 vs 12/15 (trial-facts.md); 0.0894 the chi-square p
        register(Question(id="testbank-p", prompt="Fisher p?", answer=0.1281, decimals=3, percent=True,
                          mistakes=[(0.0894, "that is the chi-square p-value")],
                          feedback="Look at the table of tests.", hint="tests['fisher'].pvalue")),
        register(Question(id="testbank-rd", prompt="Risk difference?", answer=-0.30, decimals=2,
                          percent=True, feedback="Treated minus control.")),
        register(Question(id="testbank-bool", prompt="Significant?", answer=False, kind="bool",
                          feedback="Compare p with 0.05.")),
        register(Question(id="testbank-text", prompt="Which test?", answer=("fisher", "fisher's exact test"),
                          kind="text", feedback="The lesson names it.")),
    ]
    yield qs
    for q in qs:
        ex._REGISTRY.pop(q.id, None)


@pytest.mark.parametrize("text, value, percent, decimals", [
    ("0.128", 0.128, False, 3), ("12.8%", 0.128, True, 3), ("12.8 %", 0.128, True, 3),
    ("0,128", 0.128, False, 3), ("−0.30", -0.30, False, 2), ("-30%", -0.30, True, 2),
    (13, 13.0, False, 0), (0.13, 0.13, False, 2), ("1e-3", 0.001, False, 3)])
def test_read_number_one_rule(text, value, percent, decimals):
    got = read_number(text)
    assert got.value == pytest.approx(value) and got.was_percent is percent and got.decimals == decimals


def test_read_number_rejects_with_the_value():
    with pytest.raises(ValueError, match="'abc'"):
        read_number("abc")


@pytest.mark.parametrize("answer", [0.128, "0.128", "12.8%", "12.8 %", "0,128", 12.8, 0.1281, "12.81%"])
def test_number_forms_accepted_at_the_stated_precision(demo_questions, answer, capsys):
    result = check("testbank-p", answer)
    assert result.correct is True
    assert capsys.readouterr().out.startswith("✓ Correct")


@pytest.mark.parametrize("answer", [-0.30, "-0.3", "-30%", -30, "−30", "-30 %"])
def test_percent_and_proportion_read_alike(demo_questions, answer):
    # -30 and "-30%" are the same answer for a risk difference of -0.30
    assert check("testbank-rd", answer).correct


@pytest.mark.parametrize("answer, words", [
    (0.13, "rounded to 2 decimals, but the question asks for 3 decimals"),
    ("13%", "rounded to 2 decimals"),
    (0.0894, "that is the chi-square p-value"),
    ("8.94%", "that is the chi-square p-value"),
    (0.2, "Look at the table of tests."),
])
def test_wrong_numbers_get_a_reason_in_words(demo_questions, answer, words, capsys):
    result = check("testbank-p", answer)
    assert not result
    out = capsys.readouterr().out
    assert out.startswith("✗ Not yet") and words in out
    # the code hint comes after the words, on its own line
    assert out.rstrip().endswith("In code: tests['fisher'].pvalue")


def test_wrong_sign_is_named(demo_questions):
    result = check("testbank-rd", 0.30)
    assert not result and "wrong sign" in result.message


def test_placeholder_none_asks_for_an_answer(demo_questions, capsys):
    result = check("testbank-p", None)
    out = capsys.readouterr().out
    assert result.correct is False
    assert out.strip() == "… Not answered yet: replace None with your answer and run the cell again."
    check("no-such-bank-q", None)
    assert capsys.readouterr().out.startswith("✗ There is no exercise 'no-such-bank-q'")


@pytest.mark.parametrize("answer", ["abc", [1], True, {"a": 1}])
def test_wrong_type_is_a_message_not_a_traceback(demo_questions, answer, capsys):
    result = check("testbank-p", answer)
    out = capsys.readouterr().out
    assert result.correct is False and out.startswith("✗ Not yet: this question wants a number")


def test_callable_answer_uses_the_trial(demo_questions, capsys):
    # 7/14 for the seed trial (trial card; trial-facts.md)
    assert check("testbank-risk", "50%").correct
    # the capstone card has no "intubation" outcome: a message, not a KeyError
    capsys.readouterr()
    result = check("testbank-risk", 0.5, trial="huc-msc-covid19-shu2020")
    assert not result and "cannot be checked for that trial" in capsys.readouterr().out


def test_bool_and_text(demo_questions):
    assert check("testbank-bool", "no").correct
    assert check("testbank-bool", False).correct
    wrong = check("testbank-bool", "yes")
    assert not wrong and "Compare p with 0.05." in wrong.message
    assert not check("testbank-bool", "maybe").correct
    assert check("testbank-text", "  Fisher's exact   TEST ").correct
    assert not check("testbank-text", "chi-square").correct
    assert not check("testbank-text", 3).correct


def test_unknown_question_and_bad_id(capsys):
    assert not check("lesson00-nope", 1)
    assert "There is no exercise 'lesson00-nope'" in capsys.readouterr().out
    assert not check(3, 1)


def test_lesson00_bank_speaks_of_the_card_in_use(capsys):
    seed = load_trial("mensc-secretome-covid19")
    shu = load_trial("huc-msc-covid19-shu2020")
    # 14 + 15 analysed (trial-facts.md); 12 + 29 for the capstone (trial-facts.md)
    assert ex.expected_answer("lesson00-analysed") == 29
    assert ex.expected_answer("lesson00-analysed", trial=shu) == 41
    ok = check("lesson00-analysed", 41, trial=shu)
    assert ok and "12 in the hUC-MSC arm + 29 in the Control arm = 41" in ok.message
    assert "14" not in ok.message and "15" not in ok.message
    wrong = check("lesson00-analysed", 12, trial=shu)
    assert not wrong and "one arm only (hUC-MSC)" in wrong.message
    assert not check("lesson00-analysed", 28.6, trial=seed).correct  # whole numbers are exact
    result = check("lesson00-design", "blinded")
    assert not result and "not one of the options" in result.message


def test_question_validation():
    with pytest.raises(ValueError, match="kind"):
        Question(id="x", prompt="?", answer=1, kind="essay")
    with pytest.raises(ValueError, match="choices"):
        Question(id="x", prompt="?", answer="a", kind="choice")
    with pytest.raises(ValueError, match="tolerance"):
        Question(id="x", prompt="?", answer=1, tolerance=-1)
    with pytest.raises(ValueError, match="decimals"):
        Question(id="x", prompt="?", answer=1, decimals=-1)
    with pytest.raises(TypeError, match="question must be a Question"):
        register("not a question")


def test_duplicate_id_rejected(demo_questions):
    with pytest.raises(ValueError, match="already registered"):
        register(Question(id="testbank-p", prompt="other", answer=1))


def test_decorator_form():
    @register(id="testbank-deco", prompt="control n?", decimals=0, feedback="count")
    def _n(trial):
        return trial.control.n_analysed
    try:
        assert isinstance(_n, Question)
        assert check("testbank-deco", 15).correct
    finally:
        ex._REGISTRY.pop("testbank-deco", None)


def test_hint_prints_words_then_code(capsys):
    text = ex.hint("lesson00-analysed")
    out = capsys.readouterr().out.strip()
    assert out == text
    words, code = text.split("\n")
    assert words.startswith("Hint: ") and code.startswith("In code: ")


def test_check_result_is_truthy():
    assert bool(CheckResult("x", True, "m")) and not CheckResult("x", False, "m")


def test_a_whole_number_is_not_called_a_rounding_of_a_proportion(demo_questions):
    # 1 is not "0.50 rounded to a whole number": the learner gets the words on where to look
    result = check("testbank-risk", 1)
    assert not result and "rounded" not in result.message and "Divide events by patients." in result.message
    # but 4 for 4.07 (a ratio above 1) is a rounding, and is told so
    q = register(Question(id="testbank-typem", prompt="Type M?", answer=4.07, decimals=1, feedback="See section 5."))
    try:
        assert "rounded to a whole number" in check("testbank-typem", 4).message
    finally:
        ex._REGISTRY.pop(q.id, None)
