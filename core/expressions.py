"""Untrusted text -> SymPy expression: the only door for user formulas.

Nothing here hands user text to ``eval``, ``sympify``, ``parse_expr`` or ``lambdify``. The text is tokenised
against a whitelist, textbook notation and implicit multiplication are made explicit (core.formula_text),
the result is parsed with ``ast.parse(mode="eval")`` (which only builds a tree and runs nothing), and the tree
is walked against a whitelist while the SymPy expression is built node by node, with every power checked
*before* SymPy evaluates it.

Short formulas can still be slow to work with (issue #20: ``x^x^x^…`` took 16 s, ``max`` of a few dozen planes
50 s), so the builder also bounds what makes differentiation blow up: the height of exponential towers, how
deeply functions are nested, how many arguments ``max``/``min`` get and the size of the finished tree. Every
constant is approximated as it is built (mpmath, 53 bits, magnitudes checked before each exponential), so
a constant that is not real (``asin(2)``, ``(-8)^(1/3)``) or astronomically large is refused in words, and
SymPy never has to ``evalf`` one itself.
"""

from __future__ import annotations

import ast
import math
from collections.abc import Callable, Sequence

import mpmath
import sympy as sp

from core import formula_text
from core.formula_bounds import (
    APPROXIMATIONS,
    DOMAIN_HINTS,
    MAX_POWER_BITS,
    TooLarge,
    approximate,
    count_nodes,
    is_real,
    log2_magnitude,
    rational_bits,
    real_root_hint,
    sigmoid_value,
    source,
    tower_height,
)

MAX_LENGTH = 200
MAX_DEPTH = 30  # parentheses and function calls
MAX_TREE_DEPTH = 120  # operators without parentheses, such as x+x+...+x, also nest in the tree
MAX_INTEGER = 10**6
MAX_DEGREE = 100
MAX_TOWER_HEIGHT = 4  # exponentials stacked in exponents: x^x^x^x^x, exp(exp(exp(exp(x))))
MAX_FUNCTION_NESTING = 6  # function calls inside function calls: sigmoid(tanh(exp(…)))
MAX_MINMAX_ARGUMENTS = 4  # per max/min (after SymPy merges nested ones): the Hessian grows with their cube
MAX_NODES = 600  # the finished expression tree; a 401 × 401 grid then costs at most ~10^8 node-points


class ExpressionError(ValueError):
    """A formula was rejected; the message says what is wrong and what is allowed. ``position`` is the
    0-based column of the typed text at fault, or None when no single place is."""

    def __init__(self, message: str, position: int | None = None):
        super().__init__(message)
        self.position = position

    def __reduce__(self):  # keeps the position across pickling (forked preparation, caches)
        return type(self), (str(self), self.position)


class sigmoid(sp.Function):
    """The logistic function σ(z) = 1 / (1 + e^(−z)), kept whole so derivatives read σ(z)(1 − σ(z))."""

    is_real = True

    @classmethod
    def eval(cls, arg):
        if arg.is_zero:
            return sp.Rational(1, 2)
        return None

    def fdiff(self, argindex=1):
        s = sigmoid(self.args[0])
        return s * (1 - s)

    def _eval_rewrite_as_exp(self, arg, **kwargs):
        return 1 / (1 + sp.exp(-arg))

    def _eval_evalf(self, prec):
        return (1 / (1 + sp.exp(-self.args[0])))._eval_evalf(prec)

    def _latex(self, printer, exp=None):
        inner = printer._print(self.args[0])
        base = rf"\sigma\left({inner}\right)"
        return rf"{base}^{{{exp}}}" if exp else base


def _relu(arg: sp.Expr) -> sp.Expr:
    return sp.Max(0, arg)


# name -> (builder, number of arguments; None means two or more)
FUNCTIONS: dict[str, tuple[Callable[..., sp.Expr], int | None]] = {
    "exp": (sp.exp, 1),
    "ln": (sp.log, 1),
    "log": (sp.log, 1),
    "sqrt": (sp.sqrt, 1),
    "abs": (sp.Abs, 1),
    "sin": (sp.sin, 1),
    "cos": (sp.cos, 1),
    "tan": (sp.tan, 1),
    "asin": (sp.asin, 1),
    "acos": (sp.acos, 1),
    "atan": (sp.atan, 1),
    "sinh": (sp.sinh, 1),
    "cosh": (sp.cosh, 1),
    "tanh": (sp.tanh, 1),
    "sigmoid": (sigmoid, 1),
    "relu": (_relu, 1),
    "max": (sp.Max, None),
    "min": (sp.Min, None),
}
CONSTANTS: dict[str, sp.Expr] = {"e": sp.E, "pi": sp.pi}


def allowed_summary(variables: Sequence[str]) -> str:
    """One sentence listing what a formula may contain (used in every error message)."""
    return (
        f"Allowed: numbers, the variables {', '.join(variables)}, the constants e and pi, "
        "+ - * / ^ and parentheses, and the functions " + ", ".join(FUNCTIONS) + "."
    )


def _fail(problem: str, variables: Sequence[str], position: int | None = None) -> ExpressionError:
    return ExpressionError(f"{problem} {allowed_summary(variables)}", position=position)


def _python_source(text: str, variables: Sequence[str]) -> formula_text.PythonSource:
    """The typed text as ASCII Python source (see core.formula_text), or the refusal with its column."""
    known = {*variables, *CONSTANTS}
    try:
        tokens = formula_text.split_variable_runs(formula_text.tokenize(text), variables)
        tokens = formula_text.textbook_notation(text, tokens, FUNCTIONS, known)
        source = formula_text.make_explicit(tokens, functions=FUNCTIONS, known=known, max_depth=MAX_DEPTH)
    except formula_text.TextProblem as problem:
        raise _fail(problem.problem, variables, problem.position) from None
    if not source.text.isascii():  # the whitelist above maps every accepted character to ASCII
        raise _fail("Only the listed characters are allowed.", variables)
    return source


def _highest_power(expr: sp.Expr) -> float:
    """The largest numeric exponent applied to anything that contains a variable."""
    highest = 0.0
    for power in expr.atoms(sp.Pow):
        base, exponent = power.as_base_exp()
        if base.free_symbols and exponent.is_Number:
            highest = max(highest, abs(float(exponent)))
    return highest


_CONSTANT_FUNCTIONS = {**APPROXIMATIONS, sigmoid: sigmoid_value}


class _Builder:
    def __init__(self, variables: Sequence[str], source: formula_text.PythonSource):
        self.variables = tuple(variables)
        self.source = source
        self.symbols = {name: sp.Symbol(name, real=True) for name in self.variables}
        self.values: dict = {}  # constant subexpression -> mpmath value (see approximate)
        self.heights: dict = {}
        self.call_depth = 0

    def fail(self, problem: str, node: ast.AST | None = None) -> ExpressionError:
        """The refusal, placed at the typed column where ``node`` starts (None: no single place)."""
        position = None if node is None else self.source.column(node.col_offset)
        return _fail(problem, self.variables, position)

    def build(self, node: ast.AST, depth: int = 0) -> sp.Expr:
        if depth > MAX_TREE_DEPTH:
            raise self.fail("The formula is too long a chain of operations; split it up.")
        result = self._build(node, depth + 1)
        if _highest_power(result) > MAX_DEGREE:
            raise self.fail(f"Powers of a variable above degree {MAX_DEGREE} are not allowed.", node)
        if result.free_symbols:
            height = tower_height(result, self.heights)
            if height > MAX_TOWER_HEIGHT:
                raise self.fail(
                    f"{source(node)} stacks {height} exponentials, one in the exponent of the next; at "
                    f"most {MAX_TOWER_HEIGHT} are allowed (x^x^x^x^x, exp(exp(exp(exp(x))))): the "
                    "derivatives of a higher tower grow too fast to work with.",
                    node,
                )
        else:
            self._check_real(result, node)
        return result

    def value_of(self, constant: sp.Expr, node: ast.AST):
        """The constant's mpmath value (None if it has no plain value); refuses astronomically large ones."""
        try:
            return approximate(constant, self.values, _CONSTANT_FUNCTIONS)
        except (TooLarge, OverflowError):
            raise self.fail(
                f"The value of {source(node)} is too large to compute (beyond 2^{MAX_POWER_BITS}).", node
            ) from None

    def _check_real(self, constant: sp.Expr, node: ast.AST) -> None:
        value = self.value_of(constant, node)
        if value is not None and mpmath.isfinite(value) and not is_real(value):
            hint = DOMAIN_HINTS.get(node.func.id, "") if isinstance(node, ast.Call) else ""
            raise self._not_real(node, value, hint)

    def _not_real(self, node: ast.AST, value, hint: str) -> ExpressionError:
        real, imaginary = float(value.real), float(value.imag)
        shown = f"{real:.6g} {'+' if imaginary >= 0 else '-'} {abs(imaginary):.6g}i"
        return self.fail(
            f"{source(node)} is not a real number: its value would be complex ({shown}).{hint}", node
        )

    def _build(self, node: ast.AST, depth: int) -> sp.Expr:
        if isinstance(node, ast.Constant):
            return self._number(node)
        if isinstance(node, ast.Name):
            if node.id in self.symbols:
                return self.symbols[node.id]
            if node.id in CONSTANTS:
                return CONSTANTS[node.id]
            raise self.fail(f"Unknown name {node.id!r}.", node)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
            operand = self.build(node.operand, depth)
            return -operand if isinstance(node.op, ast.USub) else operand
        if isinstance(node, ast.BinOp):
            return self._binary(node, depth)
        if isinstance(node, ast.Call):
            return self._call(node, depth)
        raise self.fail(f"{type(node).__name__} is not allowed in a formula.", node)

    def _number(self, node: ast.Constant) -> sp.Expr:
        value = node.value
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(f"{value!r} is not a number.", node)
        if isinstance(value, float):
            if not math.isfinite(value):
                raise self.fail("Number literals must be finite.", node)
            return sp.Float(value)
        if abs(value) > MAX_INTEGER:
            raise self.fail(f"Whole numbers must be at most {MAX_INTEGER:,} in size. Got {value}.", node)
        return sp.Integer(value)

    def _binary(self, node: ast.BinOp, depth: int) -> sp.Expr:
        left = self.build(node.left, depth)
        right = self.build(node.right, depth)
        if isinstance(node.op, ast.Add):
            return left + right
        if isinstance(node.op, ast.Sub):
            return left - right
        if isinstance(node.op, ast.Mult):
            return left * right
        if isinstance(node.op, ast.Div):
            if right.is_zero:
                raise self.fail("Division by zero.", node.right)
            return left / right
        if isinstance(node.op, ast.Pow):
            return self._power(node, left, right)
        raise self.fail(f"The operator {type(node.op).__name__} is not allowed.", node)

    def _power(self, node: ast.BinOp, base: sp.Expr, exponent: sp.Expr) -> sp.Expr:
        """base^exponent, refusing powers that would be huge before SymPy computes them.

        A constant power is bounded twice: by its magnitude (2^(10^6) has a million bits) and by the size of
        the exact fraction SymPy would build ((999999/1000000)^1000000 is about 1/e, but exactly 40 million
        bits). One that is small but not exactly small is computed as a 15-digit decimal instead.
        """
        if base.free_symbols:
            if exponent.is_Number and abs(float(exponent)) > MAX_DEGREE:
                raise self.fail(f"Powers of a variable above degree {MAX_DEGREE} are not allowed.", node)
            return base**exponent
        if exponent.free_symbols:
            return base**exponent
        base_value, exponent_value = self.value_of(base, node.left), self.value_of(exponent, node.right)
        if base_value is None or exponent_value is None:
            return base**exponent
        if base_value == 0:
            if exponent_value.real < 0:
                raise self.fail("Division by zero (zero to a negative power).", node)
            return base**exponent
        if abs(float(exponent_value.real) * log2_magnitude(base_value)) > MAX_POWER_BITS:
            raise self.fail(
                f"The power {source(node)} is too large to compute (its exact value would have more than "
                f"{MAX_POWER_BITS} bits).",
                node,
            )
        exact_bits = abs(float(exponent)) * rational_bits(base) if exponent.is_Rational else 0.0
        value = mpmath.power(base_value, exponent_value)
        if not is_real(value):
            hint = " A negative number to a non-integer power is complex." + real_root_hint(-base, exponent)
            raise self._not_real(node, value, hint)
        if exact_bits <= MAX_POWER_BITS:
            return base**exponent
        return sp.Pow(base, exponent, evaluate=False).evalf(15)  # magnitude checked: evalf is cheap here

    def _call(self, node: ast.Call, depth: int) -> sp.Expr:
        if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
            raise self.fail("Only the listed functions can be called.", node)
        if node.keywords:
            raise self.fail("Functions take plain arguments, without names.", node)
        name = node.func.id
        builder, arity = FUNCTIONS[name]
        if arity is None and len(node.args) < 2:
            raise self.fail(f"{name} needs two or more arguments, as in {name}(x, 0).", node)
        if arity is not None and len(node.args) != arity:
            raise self.fail(f"{name} takes exactly one argument, as in {name}(x).", node)
        if arity is None and len(node.args) > MAX_MINMAX_ARGUMENTS:
            raise self._too_many_arguments(name, len(node.args), node)
        self.call_depth += 1
        try:
            if self.call_depth > MAX_FUNCTION_NESTING:
                raise self.fail(
                    f"Functions are nested more than {MAX_FUNCTION_NESTING} deep (as in "
                    "sigmoid(sigmoid(…))): the derivatives of such a chain grow too fast to work with. Use "
                    "fewer levels.",
                    node,
                )
            args = [self.build(arg, depth) for arg in node.args]
        finally:
            self.call_depth -= 1
        if name in ("ln", "log") and args[0].is_zero:
            raise self.fail("log(0) is undefined.", node.args[0])
        result = builder(*args)
        if isinstance(result, sp.Max | sp.Min) and len(result.args) > MAX_MINMAX_ARGUMENTS:
            raise self._too_many_arguments(name, len(result.args), node)  # max(max(a, b), max(c, d)) merges
        return result

    def _too_many_arguments(self, name: str, count: int, node: ast.AST) -> ExpressionError:
        return self.fail(
            f"{name} gets {count} arguments here; at most {MAX_MINMAX_ARGUMENTS} are allowed (nested {name} "
            "calls count together): its second derivatives grow with the cube of that number.",
            node,
        )


def parse_expression(text: str, variables: Sequence[str]) -> sp.Expr:
    """Parse an untrusted formula in the given variables into a SymPy expression.

    Accepts ``^`` for powers, implicit products (``2x``, ``x y``, ``2(x+1)``, ``(x+1)(x-1)``), the
    constants ``e`` and ``pi``, the functions in ``FUNCTIONS``, textbook notation (``tanh^2(x)``,
    ``sin x``) and the typographic characters of ``core.formula_text.TYPOGRAPHIC`` and superscript digits.
    Symbols are real. Raises ``ExpressionError`` with a message saying what is wrong and what is allowed,
    and the column at fault as ``position``.
    """
    variables = tuple(variables)
    if not variables or not all(isinstance(v, str) and v.isidentifier() for v in variables):
        raise ValueError(f"variables must be a non-empty sequence of names. Got {variables!r} instead.")
    clash = [v for v in variables if v in FUNCTIONS or v in CONSTANTS]
    if clash:
        raise ValueError(f"variables may not be named like a function or constant. Got {clash!r}.")
    if not isinstance(text, str):
        raise _fail(f"The formula must be text. Got {type(text).__name__}.", variables)
    if len(text) > MAX_LENGTH:
        raise _fail(f"The formula is {len(text)} characters long; the limit is {MAX_LENGTH}.", variables)
    if not text.strip():
        raise _fail("The formula is empty.", variables)

    source = _python_source(text, variables)
    try:
        tree = ast.parse(source.text, mode="eval")
    except SyntaxError as error:
        raise _fail(
            "The formula is not well formed (check for a missing operand or an unbalanced parenthesis).",
            variables,
            source.column(error.offset - 1 if error.offset else None),
        ) from None
    except (RecursionError, MemoryError):
        raise _fail(f"The formula is nested too deeply (more than {MAX_DEPTH} levels).", variables) from None

    try:
        expr = _Builder(variables, source).build(tree.body)
    except RecursionError:
        raise _fail(f"The formula is nested too deeply (more than {MAX_DEPTH} levels).", variables) from None
    if count_nodes(expr, MAX_NODES) > MAX_NODES:
        raise _fail(f"The formula has more than {MAX_NODES} operations and terms; shorten it.", variables)
    if expr.has(sp.zoo, sp.nan, sp.oo, -sp.oo):
        raise _fail("The formula is undefined or infinite (for example a division by zero).", variables)
    if expr.has(sp.I):
        raise _fail("The formula has a complex (non-real) value, such as the square root of -1.", variables)
    return expr


def readable(expr: sp.Expr) -> sp.Expr:
    """Write step and sign functions (from derivatives of relu, abs, max) as cases, undefined at the switch.

    The seed's table says ReLU′(x) is 1 for x > 0, 0 for x < 0 and undefined at 0; SymPy's Heaviside(x)
    prints as θ(x) and silently takes 1/2 there.
    """
    return expr.replace(sp.Heaviside, lambda arg, *rest: sp.Piecewise((1, arg > 0), (0, arg < 0))).replace(
        sp.sign, lambda arg: sp.Piecewise((1, arg > 0), (-1, arg < 0))
    )


def to_latex(expr: sp.Expr) -> str:
    """LaTeX as a textbook writes it: ln for the natural logarithm, steps and signs as cases."""
    return sp.latex(readable(expr), ln_notation=True)
