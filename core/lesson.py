"""Lessons: a walk through the app's pages, step by step, written as a small TOML file.

A lesson file is untrusted input (a lecturer uploads one; the hosted demo is public), so it is parsed with
``tomllib`` and nothing in it is ever evaluated: every step names a page and control values, which are
checked against the registry of the controls each page takes from its URL (``ControlRegistry``), and
turned into the URL query the page reads. Sizes are bounded before parsing. Every mistake raises a
``LessonError`` whose message says where it is (step number, field) and what is allowed.

    title = "Derivatives and gradients"

    [[steps]]
    page = "Derivative"
    text = "The cubic and its derivative: f′(1) = 2."
    question = "Where is f′ smallest?"       # optional: the page opens in quiz mode
    notes = "Drag x₀ along the curve."       # optional: presenter notes
    shows = "2"                              # optional: a value the page shows (checked by the tests)
    controls = { fn = "Cubic (seed)", x0 = 1.0 }
"""

from __future__ import annotations

import math
import numbers
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from core.validation import show

MAX_LESSON_BYTES = 64 * 1024  # the seed lesson is about 6 kB; a lesson ten times longer still fits
MAX_STEPS = 50
MAX_CONTROLS_PER_STEP = 30
MAX_TITLE_CHARS = 120
MAX_TEXT_CHARS = {"text": 1500, "question": 500, "notes": 3000, "shows": 40}
STEP_FIELDS = ("page", "controls", "text", "question", "notes", "shows")
LESSON_FIELDS = ("title", "steps")
QUIZ_PARAMETER, LECTURE_PARAMETER = "quiz", "lecture"


class LessonError(ValueError):
    """A lesson file that cannot be used; the message says where and what to fix."""


def _is_number(value: object) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def _same(option: object, value: object) -> bool:
    """A lesson's value names this option: equal numbers (0.01 is 0.01 however TOML wrote it) or text."""
    if _is_number(option) and _is_number(value):
        return math.isclose(option, value, rel_tol=1e-12)
    return isinstance(value, str) and option == value


def _choices(options: Sequence[object]) -> str:
    return ", ".join(show(option) for option in options)


# ---------------------------------------------------------------------------------------------------
# The kinds of control a page takes from its URL. ``to_url`` checks a value from a lesson file and returns
# the texts the page's widget reads from ?name=...; a value the widget could not take raises LessonError.


@dataclass(frozen=True)
class Number:
    """A slider or number input over [low, high]; ``integer`` when it takes whole numbers only."""

    low: float
    high: float
    integer: bool = False

    def to_url(self, where: str, value: object) -> list[str]:
        kind = "a whole number" if self.integer else "a number"
        if not _is_number(value) or not math.isfinite(value):
            raise LessonError(f"{where} must be {kind} in [{show(self.low)}, {show(self.high)}]. "
                              f"Got {show(value)} instead.")  # fmt: skip
        if self.integer and not float(value).is_integer():
            raise LessonError(f"{where} must be a whole number. Got {show(value)} instead.")
        if not self.low <= value <= self.high:
            raise LessonError(f"{where} must be in [{show(self.low)}, {show(self.high)}]. "
                              f"Got {show(value)} instead.")  # fmt: skip
        return [str(int(value))] if self.integer else [repr(float(value))]


@dataclass(frozen=True)
class Range:
    """A range slider: two numbers in [low, high], low first."""

    low: float
    high: float

    def to_url(self, where: str, value: object) -> list[str]:
        rule = f"a pair of numbers [low, high] within [{show(self.low)}, {show(self.high)}]"
        if not isinstance(value, list) or len(value) != 2:
            raise LessonError(f"{where} must be {rule}. Got {show(value)} instead.")
        texts = [Number(self.low, self.high).to_url(f"{where}[{i}]", end)[0] for i, end in enumerate(value)]
        if not value[0] < value[1]:
            raise LessonError(f"{where} must have its lower end first and the ends apart. "
                              f"Got [{show(value[0])}, {show(value[1])}] instead.")  # fmt: skip
        return texts


@dataclass(frozen=True)
class Choice:
    """A select box, radio, select slider or multiselect: one (or, ``multiple``, a list) of ``options``.
    ``url`` writes an option the way the widget shows it (its ``format_func``), which is what its URL
    parameter holds."""

    options: tuple
    url: Callable[[object], str] = str
    multiple: bool = False

    def _one(self, where: str, value: object) -> str:
        for option in self.options:
            if _same(option, value):
                return self.url(option)
        raise LessonError(f"{where} must be one of {_choices(self.options)}. Got {show(value)} instead.")

    def to_url(self, where: str, value: object) -> list[str]:
        if not self.multiple:
            return [self._one(where, value)]
        if not isinstance(value, list) or not value or len(value) > len(self.options):
            raise LessonError(f"{where} must be a list of some of {_choices(self.options)}. "
                              f"Got {show(value)} instead.")  # fmt: skip
        return [self._one(f"{where}[{i}]", item) for i, item in enumerate(value)]


@dataclass(frozen=True)
class Switch:
    """A toggle or checkbox: true or false."""

    def to_url(self, where: str, value: object) -> list[str]:
        if not isinstance(value, bool):
            raise LessonError(f"{where} must be true or false. Got {show(value)} instead.")
        return ["true" if value else "false"]


@dataclass(frozen=True)
class Text:
    """A text input (a formula): the page parses it through its own whitelist, never this module."""

    max_chars: int

    def to_url(self, where: str, value: object) -> list[str]:
        if not isinstance(value, str):
            raise LessonError(f"{where} must be text. Got {show(value)} instead.")
        if len(value) > self.max_chars:
            raise LessonError(f"{where} must be at most {self.max_chars} characters. "
                              f"Got {len(value):,} characters instead.")  # fmt: skip
        return [value]


Control = Number | Range | Choice | Switch | Text
ControlRegistry = Mapping[str, Mapping[str, Control]]  # page name (its URL path) -> control name -> kind


# ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    page: str  # the page's URL path, e.g. "Directional_Derivative"
    query: tuple[tuple[str, str], ...]  # (parameter, text) pairs, in the file's order, quiz mode included
    text: str
    question: str = ""
    notes: str = ""
    shows: str = ""

    def query_string_pairs(self, *, lecture: bool) -> list[tuple[str, str]]:
        """The step's URL parameters, with lecture mode when the lesson runs in it."""
        return [*self.query, *([(LECTURE_PARAMETER, "1")] if lecture else [])]


@dataclass(frozen=True)
class Lesson:
    title: str
    steps: tuple[Step, ...] = field(default_factory=tuple)

    def __len__(self) -> int:
        return len(self.steps)


def _text_field(where: str, name: str, value: object, *, required: bool = False) -> str:
    limit = MAX_TEXT_CHARS.get(name, MAX_TITLE_CHARS)
    if value is None:
        if required:
            raise LessonError(f'{where} needs a {name} = "..." line.')
        return ""
    if not isinstance(value, str):
        raise LessonError(f"{where}: {name} must be text in quotes. Got {show(value)} instead.")
    if required and not value.strip():
        raise LessonError(f"{where}: {name} is empty.")
    if len(value) > limit:
        raise LessonError(
            f"{where}: {name} must be at most {limit:,} characters. Got {len(value):,} instead."
        )
    return value


def _unknown(where: str, what: str, names: Sequence[str], allowed: Sequence[str]) -> None:
    unknown = [name for name in names if name not in allowed]
    if unknown:
        raise LessonError(f"{where} has an unknown {what} {unknown[0]!r}. Allowed: {', '.join(allowed)}.")


def _step(number: int, raw: object, registry: ControlRegistry) -> Step:
    where = f"Step {number}"
    if not isinstance(raw, dict):
        raise LessonError(f"{where} must be a [[steps]] table. Got {show(raw)} instead.")
    _unknown(where, "field", list(raw), STEP_FIELDS)
    page = raw.get("page")
    if page is None:
        raise LessonError(f'{where} needs a page = "..." line. Pages: {", ".join(registry)}.')
    if page not in registry:
        raise LessonError(f"{where} has an unknown page {show(page)}. Pages: {', '.join(registry)}.")
    controls = raw.get("controls", {})
    if not isinstance(controls, dict):
        raise LessonError(f"{where}: controls must be a table such as controls = {{ x0 = 1.0 }}. "
                          f"Got {show(controls)} instead.")  # fmt: skip
    if len(controls) > MAX_CONTROLS_PER_STEP:
        raise LessonError(
            f"{where} sets {len(controls)} controls; at most {MAX_CONTROLS_PER_STEP} are allowed."
        )
    allowed = registry[page]
    _unknown(f"{where} (page {page})", "control", list(controls), list(allowed))
    query = [
        (name, text)
        for name, value in controls.items()
        for text in allowed[name].to_url(f"{where}: {name}", value)
    ]
    question = _text_field(where, "question", raw.get("question"))
    if question:
        query.append((QUIZ_PARAMETER, "1"))
    return Step(
        page=page,
        query=tuple(query),
        text=_text_field(where, "text", raw.get("text"), required=True),
        question=question,
        notes=_text_field(where, "notes", raw.get("notes")),
        shows=_text_field(where, "shows", raw.get("shows")),
    )


def parse_lesson(content: bytes, registry: ControlRegistry, *, name: str = "lesson") -> Lesson:
    """Check a lesson file and return its steps, each with the URL query its page reads. ``name`` (the
    file's) is the title when the file has none."""
    if len(content) > MAX_LESSON_BYTES:
        raise LessonError(
            f"The lesson file is {len(content):,} bytes; at most {MAX_LESSON_BYTES:,} are allowed."
        )
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as error:
        raise LessonError(f"The lesson file is not UTF-8 text (byte {error.start} cannot be read).") from None
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise LessonError(f"The lesson file is not valid TOML: {error}.") from None
    _unknown("The lesson file", "top-level field", list(raw), LESSON_FIELDS)
    steps = raw.get("steps")
    if not isinstance(steps, list) or not steps:
        raise LessonError(
            "The lesson file has no steps: add at least one [[steps]] table with a page and a text."
        )
    if len(steps) > MAX_STEPS:
        raise LessonError(f"The lesson has {len(steps)} steps; at most {MAX_STEPS} are allowed.")
    title = _text_field("The lesson file", "title", raw.get("title")) or name
    return Lesson(title=title, steps=tuple(_step(i, step, registry) for i, step in enumerate(steps, start=1)))
