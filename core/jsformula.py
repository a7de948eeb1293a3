"""Already-parsed SymPy expressions -> JavaScript, so the browser can evaluate f while a slider is dragged.

Only expressions built by ``core.expressions`` (the whitelisted door) or by calculus on them come here; the
user's text never does. SymPy's JavaScript printer writes the code, a few functions map to the small helpers
of the live-chart component (``H.sigmoid`` …), and the result is checked token by token against a whitelist
before it leaves Python: numbers, the variable names, operators, and allowed ``Math.*`` and ``H.*`` names.
Anything the printer cannot translate returns None and the page falls back to evaluating on the server.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

import sympy as sp
from sympy.printing.jscode import JavascriptCodePrinter

# every name the emitted code may call or read, besides the variables
MATH_NAMES = frozenset(
    {
        "Math.abs", "Math.acos", "Math.acosh", "Math.asin", "Math.asinh", "Math.atan", "Math.atan2",
        "Math.atanh", "Math.cbrt", "Math.ceil", "Math.cos", "Math.cosh", "Math.E", "Math.exp", "Math.floor",
        "Math.log", "Math.max", "Math.min", "Math.PI", "Math.pow", "Math.sign", "Math.sin", "Math.sinh",
        "Math.sqrt", "Math.tan", "Math.tanh",
    }
)  # fmt: skip
# the helpers the component defines (ui/live/live_chart.js), with the same conventions as core.evaluation:
# a stable sigmoid, Heaviside(0) = 1/2 and DiracDelta counted as 0
HELPER_NAMES = frozenset({"H.sigmoid", "H.heaviside", "H.dirac"})
MAX_CODE_LENGTH = 20_000  # a derivative far longer than this is cheaper to send as numbers

_TOKEN = re.compile(
    r"\s+|(?P<number>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)|(?P<name>[A-Za-z_][A-Za-z_0-9]*(?:\.[A-Za-z_]\w*)?)"
    r"|(?P<op>[-+*/(),])"
)


class _Printer(JavascriptCodePrinter):
    """SymPy's printer with the app's own functions spelled as the component's helpers."""

    def __init__(self):
        super().__init__({"strict": True, "user_functions": {"sigmoid": "H.sigmoid", "sign": "Math.sign"}})

    def _print_Heaviside(self, expr):
        return f"H.heaviside({self._print(expr.args[0])})"

    def _print_DiracDelta(self, expr):
        return f"H.dirac({self._print(expr.args[0])})"

    def _print_Pow(self, expr):
        # SymPy's printer writes x^(1/3) as Math.cbrt(x), which is real for x < 0; SymPy's x^(1/3) is the
        # principal (complex) root there, which the server draws as a gap, so the browser must too
        if expr.exp == sp.Rational(1, 3):
            return f"Math.pow({self._print(expr.base)}, 1/3)"
        return super()._print_Pow(expr)

    def _print_Max(self, expr):
        return "Math.max(" + ", ".join(self._print(a) for a in expr.args) + ")"

    def _print_Min(self, expr):
        return "Math.min(" + ", ".join(self._print(a) for a in expr.args) + ")"


# every rerun of a page with a live chart asks again for the same function's code: printing it was a few per
# cent of the rerun. Bounded: the keys are parsed formulas, whatever strangers type.
@functools.lru_cache(maxsize=256)
def to_javascript(expr: sp.Expr, variables: tuple[str, ...]) -> str | None:
    """A JavaScript expression for ``expr`` in the named variables, or None where it cannot be translated
    (an unsupported function, a symbol that is not a variable, code too long to be worth sending)."""
    if any(s.name not in variables for s in expr.free_symbols):
        return None
    try:
        code = _Printer().doprint(expr)
    except (NotImplementedError, ValueError, TypeError, RecursionError):
        return None
    if len(code) > MAX_CODE_LENGTH or not is_safe_javascript(code, variables):
        return None
    return code


def is_safe_javascript(code: str, variables: Sequence[str]) -> bool:
    """True when ``code`` holds nothing but numbers, the variables, operators and whitelisted names."""
    allowed = MATH_NAMES | HELPER_NAMES | set(variables)
    position = 0
    while position < len(code):
        match = _TOKEN.match(code, position)
        if match is None or match.end() == position:
            return False
        name = match.group("name")
        if name is not None and name not in allowed:
            return False
        position = match.end()
    return True
