"""Typed formula text -> ASCII Python source, each token remembering the column it came from.

The first half of the formula door (``core.expressions`` walks and builds the tree). Text is read against a
whitelist: ASCII numbers, names, operators and spaces, plus a fixed table of typographic characters copied
from slides (− · × superscript digits π and the no-break space), each mapped to one ASCII token. There is no
general Unicode normalisation: NFKC turns look-alike letters into ASCII, which is how a known code-execution
bug in a SymPy wrapper worked. Every other character is refused by its Unicode name, with what to type
instead.

Textbook notation is rewritten at the token level, with no guessing: ``f^n(x)`` means ``f(x)^n`` and a
function followed by one variable, constant or number (``sin x``, ``ln 2``) takes that as its argument; a
bare argument followed by more (``sin 2x``, ``sin x^2``) is ambiguous and refused.
"""

from __future__ import annotations

import bisect
import difflib
import re
import unicodedata
from collections.abc import Collection, Sequence
from typing import NamedTuple


class TextProblem(Exception):
    """What is wrong with the text and the 0-based column at fault (None: no single place)."""

    def __init__(self, problem: str, position: int | None):
        super().__init__(problem)
        self.problem = problem
        self.position = position


class Token(NamedTuple):
    kind: str  # "number", "name" or "op"
    value: str  # ASCII, as Python reads it
    start: int  # the column in the typed text
    end: int


# typographic character -> (token kind, ASCII value); the only non-ASCII characters a formula may hold
TYPOGRAPHIC: dict[str, tuple[str, str]] = {
    "\u2212": ("op", "-"),  # − MINUS SIGN
    "\u00b7": ("op", "*"),  # · MIDDLE DOT
    "\u00d7": ("op", "*"),  # × MULTIPLICATION SIGN
    "\u03c0": ("name", "pi"),  # π GREEK SMALL LETTER PI
    "\u00a0": ("space", " "),  # NO-BREAK SPACE
}
SUPERSCRIPT_DIGITS = dict(zip("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789", strict=True))  # x²³ reads as x^23

# characters people type for one of ours, refused with the ASCII to type instead
INSTEAD: dict[str, str] = {
    "\u2013": "-",  # – EN DASH
    "\u2014": "-",  # — EM DASH
    "\u2010": "-",  # ‐ HYPHEN
    "\u2011": "-",  # ‑ NON-BREAKING HYPHEN
    "\u00f7": "/",  # ÷ DIVISION SIGN
    "\u2215": "/",  # ∕ DIVISION SLASH
    "\u2044": "/",  # ⁄ FRACTION SLASH
    "\u22c5": "*",  # ⋅ DOT OPERATOR
    "\u2219": "*",  # ∙ BULLET OPERATOR
    "\u2217": "*",  # ∗ ASTERISK OPERATOR
    "\u207b": "^- (as in x^-1)",  # ⁻ SUPERSCRIPT MINUS
    "\u207a": "^",  # ⁺ SUPERSCRIPT PLUS
    "\u221a": "sqrt(…)",  # √ SQUARE ROOT
    "\u03c3": "sigmoid(…)",  # σ GREEK SMALL LETTER SIGMA
    "\u00bd": "1/2",
    "\u00bc": "1/4",
    "\u00be": "3/4",
    "\u2009": "a plain space",  # THIN SPACE
    "\u202f": "a plain space",  # NARROW NO-BREAK SPACE
    "\u2003": "a plain space",  # EM SPACE
}

_ASCII_TOKEN = re.compile(
    r"""
    (?P<space>[ \t]+)
  | (?P<number>(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)
  | (?P<name>[A-Za-z_][A-Za-z_0-9]*)
  | (?P<op>\*\*|[-+*/^(),])
    """,
    re.VERBOSE | re.ASCII,
)


def character_problem(character: str, position: int) -> TextProblem:
    """A refused character named by its Unicode name, with what to type instead."""
    name = unicodedata.name(character, "an unnamed character")
    code = f"U+{ord(character):04X}"
    category = unicodedata.category(character)
    if character in INSTEAD:
        advice = f"type {INSTEAD[character]} instead."
    elif not character.isascii() and category.startswith("C"):
        advice = "it is invisible or a control character: delete it."
    elif category.startswith("L"):
        advice = (
            "retype the name with plain letters a-z (look-alike letters from other alphabets are refused)."
        )
    elif category.startswith("N"):
        advice = "type the digits 0-9."
    else:
        advice = "type plain keyboard characters: letters a-z, digits, + - * / ^ ( ) and commas."
    visible = not category.startswith(("C", "Z"))  # an invisible or direction-changing one is only named
    shown = f"{character!r} " if visible else ""
    return TextProblem(
        f"The character {shown}({name}, {code}) can't be used in a formula: {advice}", position
    )


def tokenize(text: str) -> list[Token]:
    """The tokens of ``text``, spaces dropped; a character outside the whitelist raises TextProblem."""
    tokens: list[Token] = []
    position = 0
    while position < len(text):
        character = text[position]
        if character in TYPOGRAPHIC:
            kind, value = TYPOGRAPHIC[character]
            if kind != "space":
                tokens.append(Token(kind, value, position, position + 1))
            position += 1
        elif character in SUPERSCRIPT_DIGITS:
            end = position
            while end < len(text) and text[end] in SUPERSCRIPT_DIGITS:
                end += 1
            digits = "".join(SUPERSCRIPT_DIGITS[c] for c in text[position:end])
            tokens += [Token("op", "^", position, end), Token("number", digits, position, end)]
            position = end
        elif (match := _ASCII_TOKEN.match(text, position)) is not None:
            if match.lastgroup != "space":
                tokens.append(Token(match.lastgroup, match.group(), position, match.end()))
            position = match.end()
        else:
            raise character_problem(character, position)
    return tokens


def suggest(name: str, functions: Collection[str], known: Collection[str]) -> str:
    """A 'did you mean' hint for an unknown name such as ``sinx`` or ``xy``."""
    for function in sorted(functions, key=len, reverse=True):
        rest = name[len(function) :]
        if name.startswith(function) and rest and (rest in known or rest.replace(".", "").isdigit()):
            return f" Did you mean {function}({rest})?"
    close = difflib.get_close_matches(name, [*functions, *known], n=1)
    return f" Did you mean {close[0]}?" if close else ""


def split_variable_runs(tokens: list[Token], variables: Sequence[str]) -> list[Token]:
    """``xy`` means x*y when x and y are both one-letter variables, as people write 2xy."""
    single = {v for v in variables if len(v) == 1}
    split: list[Token] = []
    for token in tokens:
        value = token.value
        if token.kind == "name" and value not in variables and len(value) > 1 and set(value) <= single:
            split += [Token("name", ch, token.start + i, token.start + i + 1) for i, ch in enumerate(value)]
        else:
            split.append(token)
    return split


def _synthetic(value: str, at: Token) -> Token:
    return Token("op", value, at.start, at.start)


def _starts_operand(token: Token) -> bool:
    return token.kind in ("number", "name") or token.value == "("


class _Notation:
    """Rewrites ``f^n(x)`` to ``(f(x)^n)`` and ``f x`` to ``f(x)`` over a token list (see the module)."""

    def __init__(self, text: str, tokens: list[Token], functions: Collection[str], operands: Collection[str]):
        self.text, self.tokens, self.functions, self.operands = text, tokens, functions, operands

    def is_function(self, index: int) -> bool:
        return (
            index < len(self.tokens)
            and self.tokens[index].kind == "name"
            and self.tokens[index].value in self.functions
        )

    def is_bare_argument(self, index: int) -> bool:
        if index >= len(self.tokens):
            return False
        token = self.tokens[index]
        return token.kind == "number" or (token.kind == "name" and token.value in self.operands)

    def power(self, index: int) -> list[Token]:
        """The ``^ n`` after the function at ``index`` (empty if none); a power that is not a whole number
        written before the argument is refused."""
        tokens, function = self.tokens, self.tokens[index]
        if index + 1 >= len(tokens) or tokens[index + 1].value not in ("^", "**"):
            return []
        caret = tokens[index + 1]
        exponent = tokens[index + 2] if index + 2 < len(tokens) else None
        name = function.value
        if exponent is not None and exponent.value == "-":
            inverse = f"a{name}(x) for the inverse function or " if f"a{name}" in self.functions else ""
            raise TextProblem(
                f"{name}^-1(x) is ambiguous (the inverse function, or 1/{name}(x)): write "
                f"{inverse}{name}(x)^-1 for one over {name}.",
                caret.start,
            )
        follows = index + 3
        if (
            exponent is None
            or exponent.kind != "number"
            or not exponent.value.isdigit()
            or not (
                (follows < len(tokens) and tokens[follows].value == "(") or self.is_bare_argument(follows)
            )
        ):
            raise TextProblem(
                f"A power of {name} is written {name}^2(x), with a whole number right after ^ and the "
                f"argument after it, or {name}(x)^n.",
                caret.start,
            )
        return [Token("op", "^", caret.start, caret.end), exponent]

    def rewrite(self) -> list[Token]:
        tokens, out = self.tokens, []
        after_close: list[list[Token]] = []  # per open parenthesis: what follows its closing one
        index = 0
        while index < len(tokens):
            token = tokens[index]
            if not self.is_function(index):
                if token.value == "(":
                    after_close.append([])
                out.append(token)
                if token.value == ")" and after_close:
                    out += after_close.pop()
                index += 1
                continue
            power = self.power(index)
            argument = index + 1 + len(power)
            wrap = [_synthetic("(", token)] if power else []
            closing = [*power, _synthetic(")", token)] if power else []
            if argument < len(tokens) and tokens[argument].value == "(":
                out += [*wrap, token, tokens[argument]]
                after_close.append(closing)
                index = argument + 1
            elif self.is_bare_argument(argument):
                self.refuse_ambiguous(token, argument)
                bare = tokens[argument]
                out += [*wrap, token, _synthetic("(", bare), bare, _synthetic(")", bare), *closing]
                index = argument + 1
            else:
                out.append(token)  # core.expressions says it needs parentheses
                index += 1
        return out

    def refuse_ambiguous(self, function: Token, argument: int) -> None:
        """``sin 2x`` (sin(2)·x or sin(2x)?) and ``sin x^2`` (sin(x)^2 or sin(x^2)?) are refused."""
        tokens = self.tokens
        if argument + 1 >= len(tokens):
            return
        following = tokens[argument + 1]
        power = following.value in ("^", "**")
        if not power and not (_starts_operand(following) and not self.is_function(argument + 1)):
            return
        last = tokens[argument + 2] if power and argument + 2 < len(tokens) else following
        bare, name = tokens[argument], function.value
        tail = self.text[bare.end : last.end]
        raise TextProblem(
            f"{self.text[function.start : last.end]} is ambiguous without parentheses: it could mean "
            f"{name}({bare.value}){tail} or {name}({bare.value}{tail}). Write the one you mean.",
            bare.start,
        )


def textbook_notation(
    text: str, tokens: list[Token], functions: Collection[str], operands: Collection[str]
) -> list[Token]:
    """``tanh^2(x)`` -> ``(tanh(x)^2)``, ``sin x`` -> ``sin(x)``; ambiguous forms raise TextProblem."""
    return _Notation(text, tokens, functions, operands).rewrite()


class PythonSource(NamedTuple):
    """The ASCII source handed to ``ast.parse`` and, per piece, its offset there and its typed column."""

    text: str
    offsets: tuple[int, ...]
    columns: tuple[int, ...]
    end: int  # the column just after the last token (where a missing operand would go)

    def column(self, offset: int | None) -> int:
        """The typed column of the piece at or after ``offset`` in the source (the end past the last)."""
        if offset is None or offset < 0 or not self.offsets:
            return self.end
        index = bisect.bisect_left(self.offsets, offset)
        return self.columns[index] if index < len(self.columns) else self.end


def make_explicit(
    tokens: list[Token], *, functions: Collection[str], known: Collection[str], max_depth: int
) -> PythonSource:
    """Join tokens back into Python syntax: ``^`` becomes ``**`` and implicit products get a ``*``."""
    pieces: list[tuple[str, int]] = []
    previous: Token | None = None
    open_at: list[int] = []
    for token in tokens:
        kind, value = token.kind, token.value
        if kind == "name" and value not in known and value not in functions:
            raise TextProblem(f"Unknown name {value!r}.{suggest(value, functions, known)}", token.start)
        if previous is not None:
            after_function = previous.kind == "name" and previous.value in functions
            if after_function and value != "(":
                raise _needs_parentheses(previous)
            ends_operand = previous.kind in ("number", "name") or previous.value == ")"
            if ends_operand and _starts_operand(token) and not after_function:
                if previous.kind == "number" and kind == "number":
                    raise TextProblem(
                        f"Two numbers in a row ({previous.value} {value}); write one number.", token.start
                    )
                pieces.append(("*", token.start))
        if value == "(":
            open_at.append(token.start)
            if len(open_at) > max_depth:
                raise TextProblem(
                    f"The formula is nested too deeply (more than {max_depth} levels).", token.start
                )
        elif value == ")":
            if not open_at:
                raise TextProblem("A closing parenthesis has no matching opening one.", token.start)
            open_at.pop()
        pieces.append(("**" if value == "^" else value, token.start))
        previous = token
    if previous is not None and previous.kind == "name" and previous.value in functions:
        raise _needs_parentheses(previous)
    if open_at:
        raise TextProblem("An opening parenthesis is never closed.", open_at[-1])
    offsets, source = [], ""
    for piece, _ in pieces:
        offsets.append(len(source) + (1 if source else 0))
        source = f"{source} {piece}" if source else piece
    end = max((t.end for t in tokens), default=0)
    return PythonSource(source, tuple(offsets), tuple(column for _, column in pieces), end)


def _needs_parentheses(function: Token) -> TextProblem:
    name = function.value
    return TextProblem(f"The function {name} needs parentheses, as in {name}(x).", function.start)


def pointer(text: str, position: int) -> str:
    """The formula over a caret under column ``position``, for a monospace block. Characters that might
    not take one column (refused non-ASCII, tabs, invisible ones) are shown as ``?``."""
    shown = "".join(
        c if (" " <= c <= "~" or c in TYPOGRAPHIC or c in SUPERSCRIPT_DIGITS) else "?" for c in text
    )
    shown = shown.replace("\u00a0", " ")
    return f"{shown}\n{' ' * max(0, min(position, len(text)))}^"
