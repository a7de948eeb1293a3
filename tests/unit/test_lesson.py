"""core.lesson: every mistake a lesson file can make gets its own message, saying where and what to fix; a
good file becomes the URL queries its pages read."""

import tomllib
from urllib.parse import parse_qsl, urlencode

import pytest

from core import lesson
from core.lesson import Choice, LessonError, Number, Range, Switch, Text, parse_lesson

REGISTRY = {
    "Derivative": {
        "fn": Choice(("Cubic (seed)", "Sine")),
        "formula": Text(20),
        "x0": Number(-10.0, 10.0),
        "n": Number(-5, 10, integer=True),
        "xr": Range(-10.0, 10.0),
        "h": Choice((1e-5, 0.1, 1.0), lambda value: f"{value:g}"),
    },
    "Optimizer_Race": {"racers": Choice(("GD", "Adam", "Newton"), multiple=True), "std": Switch()},
}


def lesson_file(steps: str, *, head: str = 'title = "Test"') -> bytes:
    return f"{head}\n{steps}".encode()


def step(body: str, page: str = "Derivative") -> str:
    return f'[[steps]]\npage = "{page}"\ntext = "Say this."\n{body}\n'


def error_of(content: bytes) -> str:
    with pytest.raises(LessonError) as caught:
        parse_lesson(content, REGISTRY)
    return str(caught.value)


def test_a_good_step_becomes_its_pages_url_query_in_the_files_order():
    parsed = parse_lesson(
        lesson_file(step('controls = { fn = "Sine", x0 = 1, n = 3, xr = [-2, 3.5], h = 1e-5 }')), REGISTRY
    )
    assert parsed.title == "Test"
    (only,) = parsed.steps
    assert only.page == "Derivative"
    assert only.query == (
        ("fn", "Sine"),
        ("x0", "1.0"),
        ("n", "3"),
        ("xr", "-2.0"),
        ("xr", "3.5"),
        ("h", "1e-05"),
    )
    assert only.text == "Say this."
    assert (only.question, only.notes, only.shows) == ("", "", "")


def test_a_question_opens_the_page_in_quiz_mode_and_lecture_mode_is_added_on_request():
    parsed = parse_lesson(lesson_file(step('question = "Why?"\nnotes = "psst"\nshows = "2"')), REGISTRY)
    (only,) = parsed.steps
    assert only.question == "Why?" and only.notes == "psst" and only.shows == "2"
    assert only.query_string_pairs(lecture=False) == [("quiz", "1")]
    assert only.query_string_pairs(lecture=True) == [("quiz", "1"), ("lecture", "1")]


def test_multiple_choices_and_switches_are_written_as_the_widgets_read_them():
    content = lesson_file(step('controls = { racers = ["GD", "Adam"], std = true }', page="Optimizer_Race"))
    (only,) = parse_lesson(content, REGISTRY).steps
    assert only.query == (("racers", "GD"), ("racers", "Adam"), ("std", "true"))


def test_a_formula_is_passed_on_as_text_and_stays_inside_its_parameter():
    formula = "x^2 & fn=Sine #"
    (only,) = parse_lesson(lesson_file(step(f'controls = {{ formula = "{formula}" }}')), REGISTRY).steps
    assert parse_qsl(urlencode(only.query)) == [("formula", formula)]


def test_the_title_defaults_to_the_files_name():
    assert parse_lesson(lesson_file(step(""), head=""), REGISTRY, name="week3").title == "week3"


@pytest.mark.parametrize(
    ("steps", "message"),
    [
        (step("", page="Nope"), "Step 1 has an unknown page 'Nope'. Pages: Derivative, Optimizer_Race."),
        ('[[steps]]\ntext = "Hi"\n', 'Step 1 needs a page = "..." line. Pages: Derivative, Optimizer_Race.'),
        ('[[steps]]\npage = "Derivative"\n', 'Step 1 needs a text = "..." line.'),
        ('[[steps]]\npage = "Derivative"\ntext = "  "\n', "Step 1: text is empty."),
        (
            step("colour = 1"),
            "Step 1 has an unknown field 'colour'. Allowed: page, controls, text, question, notes, shows.",
        ),
        (
            step("controls = { y0 = 1 }"),
            "Step 1 (page Derivative) has an unknown control 'y0'. Allowed: fn, formula, x0, n, xr, h.",
        ),
        (
            step("controls = 3"),
            "Step 1: controls must be a table such as controls = { x0 = 1.0 }. Got 3 instead.",
        ),
        (step("controls = { x0 = 11 }"), "Step 1: x0 must be in [-10.0, 10.0]. Got 11 instead."),
        (step("controls = { x0 = nan }"), "Step 1: x0 must be a number in [-10.0, 10.0]. Got nan instead."),
        (step('controls = { x0 = "1" }'), "Step 1: x0 must be a number in [-10.0, 10.0]. Got '1' instead."),
        (step("controls = { x0 = true }"), "Step 1: x0 must be a number in [-10.0, 10.0]. Got True instead."),
        (step("controls = { n = 2.5 }"), "Step 1: n must be a whole number. Got 2.5 instead."),
        (step("controls = { n = -6 }"), "Step 1: n must be in [-5, 10]. Got -6 instead."),
        (
            step("controls = { xr = [1] }"),
            "Step 1: xr must be a pair of numbers [low, high] within [-10.0, "
            "10.0]. Got a value of type list instead.",
        ),
        (
            step("controls = { xr = [3, 1] }"),
            "Step 1: xr must have its lower end first and the ends apart. Got [3, 1] instead.",
        ),
        (step("controls = { xr = [1, 30] }"), "Step 1: xr[1] must be in [-10.0, 10.0]. Got 30 instead."),
        (
            step('controls = { fn = "Cosine" }'),
            "Step 1: fn must be one of 'Cubic (seed)', 'Sine'. Got 'Cosine' instead.",
        ),
        (step("controls = { h = 0.2 }"), "Step 1: h must be one of 1e-05, 0.1, 1.0. Got 0.2 instead."),
        (step('controls = { h = "0.1" }'), "Step 1: h must be one of 1e-05, 0.1, 1.0. Got '0.1' instead."),
        (
            step('controls = { formula = "x^2 + x^2 + x^2 + x^2" }'),
            "Step 1: formula must be at most 20 characters. Got 21 characters instead.",
        ),
        (step("controls = { formula = 2 }"), "Step 1: formula must be text. Got 2 instead."),
        (step("question = 3"), "Step 1: question must be text in quotes. Got 3 instead."),
        (
            step(f'notes = "{"n" * 3001}"'),
            "Step 1: notes must be at most 3,000 characters. Got 3,001 instead.",
        ),
        (
            step('controls = { racers = "GD" }', page="Optimizer_Race"),
            "Step 1: racers must be a list of some of 'GD', 'Adam', 'Newton'. Got 'GD' instead.",
        ),
        (
            step('controls = { racers = ["GD", "SGD"] }', page="Optimizer_Race"),
            "Step 1: racers[1] must be one of 'GD', 'Adam', 'Newton'. Got 'SGD' instead.",
        ),
        (
            step('controls = { std = "yes" }', page="Optimizer_Race"),
            "Step 1: std must be true or false. Got 'yes' instead.",
        ),
        (step("") + step("controls = { x0 = 20 }"), "Step 2: x0 must be in [-10.0, 10.0]. Got 20 instead."),
    ],
)
def test_every_mistake_in_a_step_is_named_with_its_step_and_field(steps, message):
    assert error_of(lesson_file(steps)) == message


def test_too_many_controls_in_one_step_are_refused():
    controls = ", ".join(f"c{i} = 1" for i in range(lesson.MAX_CONTROLS_PER_STEP + 1))
    assert error_of(lesson_file(step(f"controls = {{ {controls} }}"))) == (
        f"Step 1 sets {lesson.MAX_CONTROLS_PER_STEP + 1} controls; at most "
        f"{lesson.MAX_CONTROLS_PER_STEP} are allowed."
    )


def test_mistakes_in_the_file_as_a_whole_have_their_own_messages():
    assert error_of(b'title = "x"\n') == (
        "The lesson file has no steps: add at least one [[steps]] table with a page and a text."
    )
    assert error_of(b"steps = 3\n") == error_of(b'title = "x"\n')
    assert error_of(b"steps = [1]\n") == "Step 1 must be a [[steps]] table. Got 1 instead."
    assert error_of(lesson_file(step(""), head="author = 'me'")) == (
        "The lesson file has an unknown top-level field 'author'. Allowed: title, steps."
    )
    assert error_of(lesson_file(step(""), head="title = 5")) == (
        "The lesson file: title must be text in quotes. Got 5 instead."
    )
    assert error_of(b"\xff\xfe title") == "The lesson file is not UTF-8 text (byte 0 cannot be read)."


def test_invalid_toml_is_reported_with_tomllibs_own_position():
    content = b'title = "x"\n[[steps]\n'
    with pytest.raises(tomllib.TOMLDecodeError) as reference:
        tomllib.loads(content.decode())
    assert error_of(content) == f"The lesson file is not valid TOML: {reference.value}."
    assert "line 2" in error_of(content)


def test_a_file_over_the_size_cap_is_refused_before_it_is_parsed():
    content = b"#" * (lesson.MAX_LESSON_BYTES + 1)
    assert error_of(content) == (
        f"The lesson file is {lesson.MAX_LESSON_BYTES + 1:,} bytes; at most {lesson.MAX_LESSON_BYTES:,} are "
        "allowed."
    )
    assert parse_lesson(lesson_file(step("")).ljust(lesson.MAX_LESSON_BYTES, b" "), REGISTRY)


def test_more_steps_than_the_cap_are_refused():
    content = lesson_file(step("") * (lesson.MAX_STEPS + 1))
    assert (
        error_of(content)
        == f"The lesson has {lesson.MAX_STEPS + 1} steps; at most {lesson.MAX_STEPS} are allowed."
    )
    assert len(parse_lesson(lesson_file(step("") * lesson.MAX_STEPS), REGISTRY)) == lesson.MAX_STEPS


def test_nothing_in_a_lesson_is_evaluated():
    """A value that would do something if evaluated is just text, refused where text is not allowed."""
    message = error_of(lesson_file(step("controls = { x0 = \"__import__('os').system('true')\" }")))
    assert message.startswith("Step 1: x0 must be a number")
