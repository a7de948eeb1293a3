"""What makes a formula costly, measured before SymPy pays for it: tree size, exact-fraction size, tower
height, and the value of every constant (53-bit mpmath, magnitudes checked before each exponential, so a
constant that is complex or astronomically large is caught without SymPy's ``evalf``). Used by the parser
(``core.expressions``, on trees it has already whitelisted) and by the derivative bounds (``core.calculus``).
"""

from __future__ import annotations

import ast
import math
import re

import mpmath
import sympy as sp

MAX_POWER_BITS = 4096  # the largest exact number (or 2^ magnitude) a constant may have


def count_nodes(expr: sp.Basic, limit: int) -> int:
    """The number of nodes in the expression tree (shared subtrees counted each time, as printing and NumPy
    evaluate them), counted no further than ``limit + 1``: the count itself is bounded."""
    count = 0
    for _ in sp.preorder_traversal(expr):
        count += 1
        if count > limit:
            break
    return count


def rational_bits(expr: sp.Basic) -> float:
    """Bits of the exact rationals in ``expr``, per unit of a power it is raised to: (p/q)^n is exactly a
    fraction of about n·(log2 p + log2 q) bits. (999999/1000000)^1000000 is about 1/e, but exactly 40 million
    bits (issue #21)."""
    if expr.is_Rational:
        return math.log2(abs(expr.p) or 1) + math.log2(expr.q)
    if expr.is_Pow and expr.exp.is_Rational:
        return abs(float(expr.exp)) * rational_bits(expr.base)
    if expr.is_Mul or expr.is_Add:
        return sum(rational_bits(arg) for arg in expr.args)
    return 0.0


class TooLarge(ArithmeticError):
    """A constant's magnitude would exceed 2^MAX_POWER_BITS."""


_LN2 = math.log(2)


def log2_magnitude(z) -> float:
    return float(mpmath.log(abs(z), 2)) if z != 0 else -math.inf


def exp_checked(u):
    if float(mpmath.re(u)) / _LN2 > MAX_POWER_BITS:
        raise TooLarge
    return mpmath.exp(u)


def power_checked(base, exponent):
    if base == 0:
        return mpmath.mpc(0) if mpmath.re(exponent) > 0 else mpmath.mpc(1 if exponent == 0 else mpmath.inf)
    if log2_magnitude(base) * float(mpmath.re(exponent)) > MAX_POWER_BITS:
        raise TooLarge
    return mpmath.power(base, exponent)


def _hyperbolic(function):
    def checked(u):
        exp_checked(abs(mpmath.re(u)))  # sinh and cosh grow like e^|u|
        return function(u)

    return checked


def sigmoid_value(u):
    return 1 / (1 + exp_checked(-u)) if mpmath.re(u) < 0 else 1 / (1 + mpmath.exp(-u))


def _extreme(pick):
    def choose(*values):
        if any(abs(mpmath.im(v)) > 0 for v in values):
            return mpmath.mpc(mpmath.nan)  # a complex argument is reported where it was built
        return pick(values, key=mpmath.re)

    return choose


APPROXIMATIONS = {
    sp.exp: exp_checked,
    sp.log: mpmath.log,
    sp.Abs: abs,
    sp.sin: mpmath.sin,
    sp.cos: mpmath.cos,
    sp.tan: mpmath.tan,
    sp.asin: mpmath.asin,
    sp.acos: mpmath.acos,
    sp.atan: mpmath.atan,
    sp.sinh: _hyperbolic(mpmath.sinh),
    sp.cosh: _hyperbolic(mpmath.cosh),
    sp.tanh: mpmath.tanh,
    sp.Max: _extreme(max),
    sp.Min: _extreme(min),
}


def approximate(expr: sp.Expr, memo: dict, functions: dict = APPROXIMATIONS):
    """A 53-bit mpmath value of a constant expression (complex where SymPy's principal branches are), built
    bottom-up with every exponential's magnitude checked first. ``functions``: SymPy function class -> its
    mpmath value. Raises TooLarge; None if unknown."""
    if expr in memo:
        return memo[expr]
    with mpmath.workprec(53):
        if expr.is_Rational:
            value = mpmath.mpc(mpmath.mpf(expr.p) / expr.q)
        elif expr.is_Float:
            value = mpmath.mpc(expr._to_mpmath(53))
        elif expr is sp.E or expr is sp.pi or expr is sp.I:
            value = mpmath.mpc({sp.E: mpmath.e, sp.pi: mpmath.pi, sp.I: 1j}[expr])
        elif expr.has(sp.zoo, sp.nan, sp.oo, -sp.oo):
            value = None  # refused as undefined once the whole formula is built
        else:
            args = [approximate(arg, memo, functions) for arg in expr.args]
            if any(arg is None for arg in args):
                value = None
            elif expr.is_Add:
                value = mpmath.fsum(args)
            elif expr.is_Mul:
                value = mpmath.fprod(args)
            elif expr.is_Pow:
                value = power_checked(*args)
            elif type(expr) in functions:
                value = mpmath.mpc(functions[type(expr)](*args))
            else:
                value = None
    memo[expr] = value
    return value


def is_real(value) -> bool:
    return abs(value.imag) <= 1e-12 * max(1.0, abs(value.real))


def tower_height(expr: sp.Basic, memo: dict) -> int:
    """How many exponentials are stacked in exponents: 1 for x^x and e^x, 2 for x^x^x and exp(exp(x))."""
    if expr in memo:
        return memo[expr]
    if not expr.args:
        height = 0
    elif expr.is_Pow and expr.exp.free_symbols:
        height = max(tower_height(expr.base, memo), 1 + tower_height(expr.exp, memo))
    elif isinstance(expr, sp.exp) and expr.args[0].free_symbols:
        height = 1 + tower_height(expr.args[0], memo)
    else:
        height = max(tower_height(arg, memo) for arg in expr.args)
    memo[expr] = height
    return height


def source(node: ast.AST) -> str:
    """A node as the person wrote it (near enough): for messages about one part of the formula."""
    text = ast.unparse(node)
    for spaced, tight in ((" ** ", "^"), (" / ", "/"), (" * ", "*")):
        text = text.replace(spaced, tight)
    return re.sub(r"(\d)\*([A-Za-z(])", r"\1\2", text)


def real_root_hint(base: sp.Expr, exponent: sp.Expr) -> str:
    """For (-8)^(1/3): the real root that was probably meant, written so that it parses as one."""
    if not (base.is_Rational and exponent.is_Rational):
        return ""
    if exponent.q % 2 == 0:
        return " An even root of a negative number has no real value."
    magnitude = str(abs(base)) if abs(base).is_Integer else f"({abs(base)})"
    real_root = f"{magnitude}^({exponent})"
    signed = f"-({real_root})" if exponent.p % 2 else real_root
    return f" For the real root write {signed}."


DOMAIN_HINTS = {
    "asin": " asin and acos take arguments between -1 and 1.",
    "acos": " asin and acos take arguments between -1 and 1.",
    "log": " log needs a positive argument.",
    "ln": " ln needs a positive argument.",
    "sqrt": " sqrt needs an argument of at least 0.",
}
