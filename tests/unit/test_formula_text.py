"""Textbook notation, typographic characters and the column of a refusal (core.formula_text through
core.expressions.parse_expression). Every accepted form is compared with the plain-ASCII formula it stands
for, parsed the old way; every refused character with Python's own Unicode database."""

import pickle
import unicodedata

import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st

from core.expressions import FUNCTIONS, ExpressionError, parse_expression
from core.formula_text import INSTEAD, SUPERSCRIPT_DIGITS, TYPOGRAPHIC, pointer
from tests.hostile.formulas import FORMULAS
from tests.unit.test_expressions import HOSTILE, formulas

VARIABLES = ("x", "y")
UNARY = sorted(name for name, (_, arity) in FUNCTIONS.items() if arity == 1)


def same(text: str, ascii_text: str) -> None:
    assert ascii_text.isascii()
    assert sp.simplify(parse_expression(text, VARIABLES) - parse_expression(ascii_text, VARIABLES)) == 0


def refusal(text: str) -> ExpressionError:
    with pytest.raises(ExpressionError) as info:
        parse_expression(text, VARIABLES)
    assert "Allowed:" in str(info.value)
    return info.value


# --- typographic characters -----------------------------------------------------------------------------

TYPOGRAPHIC_CASES = {
    "2x \u2212 1": "2x - 1",  # − MINUS SIGN
    "\u2212x^2": "-x^2",
    "2\u00b7x": "2*x",  # · MIDDLE DOT
    "3\u00d7x\u00d7y": "3*x*y",  # × MULTIPLICATION SIGN
    "x\u00b2 + 2y\u00b2": "x^2 + 2y^2",  # the seed's f(x, y) = x² + 2y²
    "x\u00b3 - 2x\u00b2 + 3x - 1": "x^3 - 2x^2 + 3x - 1",  # the seed's cubic, as in its plot labels
    "x\u2070 + x\u00b9 + x\u2074x\u2075 + x\u2076x\u2077x\u2078x\u2079": "x^0 + x^1 + x^4x^5 + x^6x^7x^8x^9",
    "x\u00b9\u2070": "x^10",  # a run of superscripts is one exponent
    "(x+1)\u00b2": "(x+1)^2",
    "sin(\u03c0x)": "sin(pi x)",  # π
    "2\u03c0": "2pi",
    "x\u00a0+\u00a0y": "x + y",  # NO-BREAK SPACE
    "1/(1+e^(\u2212x))": "1/(1+e^(-x))",
}


@pytest.mark.parametrize(("text", "ascii_text"), TYPOGRAPHIC_CASES.items())
def test_each_typographic_character_means_its_ascii_counterpart(text, ascii_text):
    same(text, ascii_text)


def test_the_typographic_table_is_exactly_the_documented_one():
    assert set(TYPOGRAPHIC) == {"\u2212", "\u00b7", "\u00d7", "\u03c0", "\u00a0"}
    assert [SUPERSCRIPT_DIGITS[c] for c in "⁰¹²³⁴⁵⁶⁷⁸⁹"] == list("0123456789")
    assert not set(INSTEAD) & (set(TYPOGRAPHIC) | set(SUPERSCRIPT_DIGITS))


_TYPESET = [("-", "\u2212"), ("*", "\u00d7"), ("*", "\u00b7"), (" ", "\u00a0"), ("pi", "\u03c0"), ("^2", "²")]


@given(formulas, st.lists(st.sampled_from(_TYPESET), min_size=1, max_size=3))
def test_typesetting_a_random_formula_does_not_change_it(text, replacements):
    typeset = text
    for ascii_piece, typographic in replacements:
        typeset = typeset.replace(ascii_piece, typographic)
    try:
        expected = parse_expression(text, VARIABLES)
    except ExpressionError:
        with pytest.raises(ExpressionError):
            parse_expression(typeset, VARIABLES)
    else:
        assert parse_expression(typeset, VARIABLES) == expected


# every other non-ASCII character, a printable one or not, is refused where it stands, by its Unicode name
_ACCEPTED = set(TYPOGRAPHIC) | set(SUPERSCRIPT_DIGITS)
foreign = st.characters(min_codepoint=0x80, exclude_characters=_ACCEPTED)


@given(st.sampled_from(["x + y", "sin(x)", "2x^2"]), foreign, st.data())
def test_any_other_character_is_refused_by_name_at_its_column(text, character, data):
    column = data.draw(st.integers(0, len(text)))
    error = refusal(text[:column] + character + text[column:])
    assert error.position == column
    assert f"U+{ord(character):04X}" in str(error)
    name = unicodedata.name(character, "")
    assert name in str(error)


@pytest.mark.parametrize(
    ("character", "advice"),
    [
        ("\u2013", "type - instead"),
        ("\u00f7", "type / instead"),
        ("\u22c5", "type * instead"),
        ("\u207b", "type ^-"),
        ("\u221a", "sqrt("),
        ("\u03c3", "sigmoid("),
        ("\u0445", "plain letters a-z"),  # Cyrillic x
        ("\u200b", "invisible"),  # zero-width space
        ("\u202e", "invisible"),  # right-to-left override
        ("\u0663", "digits 0-9"),  # Arabic-Indic three
        ("\u2248", "plain keyboard characters"),  # ≈
    ],
)
def test_a_refused_character_says_what_to_type_instead(character, advice):
    error = refusal(f"x {character} 1")
    assert advice in str(error) and unicodedata.name(character) in str(error)
    if unicodedata.category(character).startswith(("C", "Z")):
        assert character not in str(error)  # an invisible or direction-changing one is only named


# --- textbook notation ------------------------------------------------------------------------------------


@given(st.sampled_from(UNARY), st.integers(0, 9), st.sampled_from(["x", "2x+1", "y - 3", "pi x"]))
def test_a_power_written_after_the_function_name_powers_its_value(function, n, argument):
    same(f"{function}^{n}({argument})", f"{function}({argument})^{n}")
    superscript = "".join("⁰¹²³⁴⁵⁶⁷⁸⁹"[int(d)] for d in str(n))
    same(f"{function}{superscript}({argument})", f"{function}({argument})^{n}")


@given(st.sampled_from(UNARY), st.sampled_from(["x", "y", "0.5", "3e-1"]))
def test_a_function_takes_one_bare_variable_constant_or_number(function, argument):
    same(f"{function} {argument}", f"{function}({argument})")
    same(f"2 {function} {argument} + 1", f"2{function}({argument}) + 1")
    same(f"{function}^2 {argument}", f"{function}({argument})^2")


TEXTBOOK_CASES = {
    "tanh^2(x)": "tanh(x)^2",  # the seed's table: f'(x) = 1 - tanh^2(x)
    "1 - tanh^2(x)": "1 - tanh(x)^2",
    "sin^2(x) + cos^2(x)": "sin(x)^2 + cos(x)^2",
    "sin^2(cos^3(x))": "sin(cos(x)^3)^2",  # nested, each power on its own function
    "sin^2(x)^3": "(sin(x)^2)^3",
    "2sin^2(x)y": "2 sin(x)^2 y",
    "sin x cos x": "sin(x) cos(x)",
    "ln x": "ln(x)",
    "ln e": "ln(e)",
    "x sin pi": "x sin(pi)",
    "ln 2 + x": "ln(2) + x",
    "sin x / 2": "sin(x) / 2",
    "sin(x) sin y": "sin(x) sin(y)",
    "max(sin x, cos y)": "max(sin(x), cos(y))",
}


@pytest.mark.parametrize(("text", "ascii_text"), TEXTBOOK_CASES.items())
def test_textbook_notation_means_what_the_textbook_means(text, ascii_text):
    same(text, ascii_text)


@pytest.mark.parametrize(
    ("text", "fragment", "column"),
    [
        ("sin 2x", "could mean sin(2)x or sin(2x)", 4),
        ("sin x^2", "could mean sin(x)^2 or sin(x^2)", 4),
        ("sin x y", "could mean sin(x) y or sin(x y)", 4),
        ("sin xy", "could mean sin(x)y or sin(xy)", 4),
        ("sin pi x", "could mean sin(pi) x or sin(pi x)", 4),
        ("sin^-1(x)", "asin(x) for the inverse function", 3),
        ("sin^x(x)", "a whole number right after ^", 3),
        ("sin^2", "a whole number right after ^", 3),
        ("sin^2.5(x)", "a whole number right after ^", 3),
        ("sin -x", "needs parentheses", 0),
        ("sin sin x", "needs parentheses", 0),
    ],
)
def test_ambiguous_textbook_notation_is_refused_at_its_column(text, fragment, column):
    error = refusal(text)
    assert fragment in str(error)
    assert error.position == column


# --- the column of a refusal ------------------------------------------------------------------------------

CARETS = [
    ("2x^2+", 5),  # the missing operand goes after the last character
    ("x +  ", 3),
    ("x * * 2", 4),
    ("x)", 1),
    ("(x + (y", 5),  # the innermost parenthesis never closed
    ("x + zz", 4),
    ("sinx + 1", 0),
    ("2 3", 2),
    ("x\u00b2 + \u00e9", 5),  # columns count typed characters, a superscript as one
    ("\u2212x + 1/0", 7),  # the divisor
    ("x + log(0)", 8),  # the zero
    ("x + 2^(2^20)", 4),  # the power too large
    ("1 + asin(2)", 4),
    ("x + max(x)", 4),
    ("x + 9999999", 4),
    ("y + x^101", 4),
    ("x^x^x^x^x^x", 0),
    ("1 + sin(" * 7 + "x" + ")" * 7, 52),  # the seventh nested call
    ("x/(x - x)", 3),  # a divisor that is identically zero
]


@pytest.mark.parametrize(("text", "column"), CARETS)
def test_a_refusal_points_at_the_column_at_fault(text, column):
    assert refusal(text).position == column


@pytest.mark.parametrize("text", ["", "   ", "x" * 201])
def test_a_refusal_with_no_single_place_has_no_position(text):
    assert refusal(text).position is None


def test_the_position_survives_pickling_as_the_forked_preparation_and_its_cache_need():
    error = refusal("2x^2+")
    copy = pickle.loads(pickle.dumps(error))
    assert (type(copy), str(copy), copy.position) == (ExpressionError, str(error), 5)


def test_the_pointer_puts_a_caret_under_the_column_and_hides_invisible_characters():
    assert pointer("2x^2+", 5) == "2x^2+\n     ^"
    assert pointer("x\u00b2 \u2212 1", 2) == "x\u00b2 \u2212 1\n  ^"
    assert pointer("x\u202e+\u200b1\t", 1) == "x?+?1?\n ^"


# --- the door stays shut ----------------------------------------------------------------------------------


def test_every_hostile_formula_refused_before_is_still_refused_by_the_parser():
    for text in HOSTILE:
        refusal(text)
    for case in FORMULAS:
        try:
            parse_expression(case.text, VARIABLES)
        except ExpressionError as error:
            assert not error.position or 0 <= error.position <= len(case.text)
