"""Reverse-mode automatic differentiation of a parsed formula, step by step: the chain rule as a graph.

``backward`` turns a SymPy expression (from ``core.expressions``, the whitelisted door) into its
computational graph — one node per operation, numbers folded into the operation that uses them, a shared
sub-expression computed once — evaluates it forward at a point in floating point, then sweeps it backward:
every node's adjoint v̄ = ∂f/∂v is the sum over the nodes that use v of their adjoint times the local
derivative on the edge (the chain rule, summed over paths). The variables' adjoints are the gradient.
This is what backpropagation does in a neural network (Baydin et al. 2018, "Automatic differentiation in
machine learning: a survey", section 3.2), with arithmetic the page can show one step at a time.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import sympy as sp

from core.evaluation import _scalar_sigmoid  # σ without overflow for large |z|
from core.expressions import sigmoid
from core.validation import check_real

MAX_NODES = 40  # more operations than this do not read as a graph on a slide (200 characters make ~57)


class NotDifferentiableError(ValueError):
    """f has a value but no gradient at the point (a kink, a vertical tangent); the message says where."""


@dataclass(frozen=True)
class Node:
    """One step of the evaluation: a variable (a leaf) or an operation on earlier nodes."""

    name: str  # "x", "y" for variables, "v1", "v2", … for operations in evaluation order
    label: str  # what the node does, short enough for a circle: "x", "+", "×", "sin", "^2", "√"
    kind: str  # "variable", "operation" or "constant" (only when f itself is a number)
    expression: sp.Expr  # the sub-expression of f this node computes
    definition: str  # the node in terms of its inputs: "sin(v1)", "v1·v2", "v1 + v2 − 1"
    definition_at_point: str  # the same with the inputs' values: "sin(1)", "2·5", "1 + (−2) − 1"
    inputs: tuple[int, ...]  # indices of the nodes it reads
    local_formulas: tuple[str, ...]  # ∂(this node)/∂(input) in terms of the inputs: "cos(v1)"
    local_derivatives: tuple[float, ...]  # the same at the point
    value: float
    adjoint: float  # ∂f/∂(this node) at the point


@dataclass(frozen=True)
class ComputationGraph:
    """The graph of f at a point after the forward and the backward pass.

    ``nodes`` are in evaluation order (the variables first); ``adjoint_history[k]`` holds every
    node's adjoint after the first k steps of the backward sweep, which visits ``backward_order`` (the
    operations from f back), so the last row is ``adjoint`` of each node.
    """

    variables: tuple[str, ...]
    point: tuple[float, ...]
    nodes: tuple[Node, ...]
    output_node: int  # the node holding f: the last, unless f is one of the variables itself
    output: float
    gradient: tuple[float, ...]
    backward_order: tuple[int, ...]
    adjoint_history: np.ndarray  # (len(backward_order) + 1, len(nodes))

    def edges(self) -> list[tuple[int, int, float]]:
        """(input, node, local derivative ∂node/∂input) for every edge, in node order."""
        return [
            (source, target, derivative)
            for target, node in enumerate(self.nodes)
            for source, derivative in zip(node.inputs, node.local_derivatives, strict=True)
        ]


# ---------------------------------------------------------------------------------------------------
# What each SymPy operation means: its value, its local derivatives and how to write both.


@dataclass(frozen=True)
class _Operation:
    label: str
    inputs: tuple[sp.Expr, ...]
    write: Callable[[Sequence[str]], str]  # the definition, given the inputs' names (or values)
    evaluate: Callable[[Sequence[float]], float]
    # ∂/∂input_i given the inputs' values and the node's own value; None where it does not exist
    differentiate: Callable[[Sequence[float], float], Sequence[float | None]]
    formulas: Callable[[Sequence[str]], Sequence[str]]  # the local derivatives, given the inputs' names
    no_slope: str = "its slope is infinite or undefined there"  # why, where ``differentiate`` gives None


def number_text(value: sp.Expr | float) -> str:
    """A constant as a person writes it: 2, −1/2, π, e, or six significant digits."""
    if isinstance(value, sp.Expr):
        if value == sp.pi:
            return "π"
        if value == sp.E:
            return "e"
        if value.is_Integer or (value.is_Rational and value.q < 1000):
            return str(value).replace("-", "−")
        value = float(value)
    if value == 0:
        return "0"  # never −0
    return f"{value:.6g}".replace("-", "−")


_SUPERSCRIPTS = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def _power_text(base: str, exponent: sp.Expr) -> str:
    if exponent.is_Integer:
        return f"{base}{str(exponent).translate(_SUPERSCRIPTS)}"
    return f"{base}^({number_text(exponent)})" if exponent.is_negative else f"{base}^{number_text(exponent)}"


def _wrapped(text: str) -> str:
    """Text safe to put before a power or inside a product: a bare name or number stays bare."""
    return text if text.replace(".", "").replace("_", "").isalnum() else f"({text})"


def _constant(expr: sp.Expr) -> float:
    value = complex(sp.N(expr, 17))
    if value.imag != 0 or not math.isfinite(value.real):
        raise ValueError(f"The constant {expr} has no finite real value.")
    return value.real


def _split(args: Sequence[sp.Expr]) -> tuple[list[sp.Expr], list[sp.Expr]]:
    """The arguments that depend on the variables (graph inputs) and the numbers (folded in)."""
    return [a for a in args if a.free_symbols], [a for a in args if not a.free_symbols]


def _add(expr: sp.Add) -> _Operation:
    inputs, numbers = _split(expr.args)
    c = sp.Add(*numbers)
    shift = _constant(c)

    def write(names):
        text = " + ".join(f"({n})" if n.startswith("−") else n for n in names)
        if c != 0:
            text += f" − {number_text(-c)}" if c.is_negative else f" + {number_text(c)}"
        return text

    label = "+" if c == 0 else (f"+({number_text(c)})" if c.is_negative else f"+{number_text(c)}")
    return _Operation(
        label,
        tuple(inputs),
        write,
        lambda v: math.fsum(v) + shift,
        lambda v, own: [1.0] * len(v),
        lambda names: ["1"] * len(names),
    )


def _mul(expr: sp.Mul) -> _Operation:
    inputs, numbers = _split(expr.args)
    c = sp.Mul(*numbers)
    factor = _constant(c)

    def product(names: Sequence[str], skip: int | None = None) -> str:
        kept = [_wrapped(n) for i, n in enumerate(names) if i != skip]
        if c == -1:
            return "−" + ("·".join(kept) if kept else "1")
        if c != 1:
            constant = number_text(c)
            kept.insert(0, constant if constant.lstrip("−").replace(".", "").isalnum() else f"({constant})")
        return "·".join(kept) or "1"

    def derivatives(v, own):
        return [factor * math.prod(w for j, w in enumerate(v) if j != i) for i in range(len(v))]

    if len(inputs) == 1:
        label = "−" if c == -1 else f"×{_wrapped(number_text(c))}"
    else:
        label = "×" if c == 1 else f"×{_wrapped(number_text(c))}"
    return _Operation(
        label,
        tuple(inputs),
        product,
        lambda v: factor * math.prod(v),
        derivatives,
        lambda names: [product(names, skip=i) for i in range(len(names))],
    )


_HALF = sp.Rational(1, 2)


def _power_of_constant(base: sp.Expr, exponent: sp.Expr) -> _Operation:
    """a^p for a number p: √a and 1/a get their own names, as people write them."""
    p = _constant(exponent)

    def write(names):
        a = _wrapped(names[0])
        if exponent == _HALF:
            return f"√{a}"
        return f"1/{a}" if exponent == -1 else _power_text(a, exponent)

    def formulas(names):
        a = _wrapped(names[0])
        if exponent == _HALF:
            return [f"1/(2√{a})"]
        if exponent == -1:
            return [f"−1/{a}²"]
        return [
            f"2·{names[0]}"
            if exponent == 2
            else f"{_wrapped(number_text(exponent))}·{_power_text(a, exponent - 1)}"
        ]

    if exponent in (_HALF, -1):
        label = "√" if exponent == _HALF else "1/·"
    else:
        label = f"^{number_text(exponent)}" if exponent.is_nonnegative else f"^({number_text(exponent)})"
    return _Operation(
        label,
        (base,),
        write,
        lambda v: math.pow(v[0], p),
        lambda v, own: [p * math.pow(v[0], p - 1)],
        formulas,
        "the tangent is vertical there" if 0 < p < 1 else _Operation.no_slope,
    )


def _pow(expr: sp.Pow) -> _Operation:
    base, exponent = expr.args
    if not exponent.free_symbols:
        return _power_of_constant(base, exponent)
    if not base.free_symbols:
        b = _constant(base)
        text = _wrapped(number_text(base))
        return _Operation(
            f"{text}^·",
            (exponent,),
            lambda n: f"{text}^{_wrapped(n[0])}",
            lambda v: math.pow(b, v[0]),
            lambda v, own: [math.log(b) * own],
            lambda n: [f"ln({number_text(base)})·{text}^{_wrapped(n[0])}"],
        )
    return _Operation(
        "^",
        (base, exponent),
        lambda n: f"{_wrapped(n[0])}^{_wrapped(n[1])}",
        lambda v: math.pow(v[0], v[1]),
        lambda v, own: [v[1] * math.pow(v[0], v[1] - 1), math.log(v[0]) * own],
        lambda n: [
            f"{_wrapped(n[1])}·{_wrapped(n[0])}^({n[1]} − 1)",
            f"ln({n[0]})·{_wrapped(n[0])}^{_wrapped(n[1])}",
        ],
    )


def _sign(a: float) -> float | None:
    return None if a == 0 else math.copysign(1.0, a)


# function -> (label, value, local derivative from (input, own value), its formula); the name is the label
_UNARY: dict[type, tuple[str, Callable, Callable[[float, float], float | None], str]] = {
    sp.sin: ("sin", math.sin, lambda a, v: math.cos(a), "cos({a})"),
    sp.cos: ("cos", math.cos, lambda a, v: -math.sin(a), "−sin({a})"),
    sp.tan: ("tan", math.tan, lambda a, v: 1 + v * v, "1 + tan²({a})"),
    sp.asin: ("asin", math.asin, lambda a, v: 1 / math.sqrt(1 - a * a), "1/√(1 − {a}²)"),
    sp.acos: ("acos", math.acos, lambda a, v: -1 / math.sqrt(1 - a * a), "−1/√(1 − {a}²)"),
    sp.atan: ("atan", math.atan, lambda a, v: 1 / (1 + a * a), "1/(1 + {a}²)"),
    sp.sinh: ("sinh", math.sinh, lambda a, v: math.cosh(a), "cosh({a})"),
    sp.cosh: ("cosh", math.cosh, lambda a, v: math.sinh(a), "sinh({a})"),
    sp.tanh: ("tanh", math.tanh, lambda a, v: 1 - v * v, "1 − tanh²({a})"),
    sp.exp: ("exp", math.exp, lambda a, v: v, "exp({a})"),
    sp.log: ("ln", math.log, lambda a, v: 1 / a, "1/{a}"),
    sigmoid: ("σ", _scalar_sigmoid, lambda a, v: v * (1 - v), "σ({a})·(1 − σ({a}))"),
    sp.Abs: ("|·|", abs, lambda a, v: _sign(a), "sign({a})"),
}


def _unary(expr: sp.Function) -> _Operation:
    label, value, slope, formula = _UNARY[expr.func]
    write = (lambda n: f"|{n[0]}|") if expr.func is sp.Abs else (lambda n: f"{label}({n[0]})")
    return _Operation(
        label,
        expr.args,
        write,
        lambda v: value(v[0]),
        lambda v, own: [slope(v[0], own)],
        lambda n: [formula.format(a=n[0])],
        "|·| has a corner at 0" if expr.func is sp.Abs else _Operation.no_slope,
    )


def _extreme(expr: sp.Max | sp.Min) -> _Operation:
    """max/min (relu is max(0, ·)): the derivative is 1 along the argument that wins, 0 along the others,
    and does not exist where two arguments tie."""
    inputs, numbers = _split(expr.args)
    pick = max if expr.func is sp.Max else min
    name = "max" if expr.func is sp.Max else "min"
    constants = [_constant(c) for c in numbers]
    relu = expr.func is sp.Max and len(inputs) == 1 and numbers == [sp.Integer(0)]

    def write(names):
        return f"relu({names[0]})" if relu else f"{name}({', '.join([*names, *map(number_text, numbers)])})"

    def derivatives(v, own):
        winners = [i for i, w in enumerate([*v, *constants]) if w == own]
        if len(winners) > 1:
            return [None] * len(v)
        return [1.0 if i == winners[0] else 0.0 for i in range(len(v))]

    def formulas(names):
        others = [*names, *map(number_text, numbers)]
        if relu:
            return [f"[{names[0]} > 0]"]
        return [f"[{n} = {name}({', '.join(others)})]" for n in names]

    return _Operation(
        "ReLU" if relu else name,
        tuple(inputs),
        write,
        lambda v: pick([*v, *constants]),
        derivatives,
        formulas,
        "relu has a corner at 0" if relu else f"two arguments of {name} tie there, a corner",
    )


def _operation(expr: sp.Expr) -> _Operation:
    if isinstance(expr, sp.Add):
        return _add(expr)
    if isinstance(expr, sp.Mul):
        return _mul(expr)
    if isinstance(expr, sp.Pow):
        return _pow(expr)
    if isinstance(expr, sp.Max | sp.Min):
        return _extreme(expr)
    if expr.func in _UNARY:
        return _unary(expr)
    # only what core.expressions builds arrives here; anything else is a programming error, said plainly
    raise ValueError(f"The chain-rule graph has no rule for {type(expr).__name__} (in {expr}).")


# ---------------------------------------------------------------------------------------------------
# Building, evaluating and sweeping the graph


def _where(variables: Sequence[str], point: Sequence[float]) -> str:
    return ", ".join(f"{name} = {value:g}" for name, value in zip(variables, point, strict=True))


def _finite(value: complex | float) -> bool:
    return isinstance(value, float) and math.isfinite(value)


class _GraphBuilder:
    def __init__(self, variables: Sequence[str], point: Sequence[float]):
        self.variables = tuple(variables)
        self.point = tuple(point)
        self.index: dict[sp.Expr, int] = {}
        self.nodes: list[dict] = []

    def add_variable(self, symbol: sp.Symbol, value: float) -> None:
        self.index[symbol] = len(self.nodes)
        self.nodes.append(
            dict(name=symbol.name, label=symbol.name, kind="variable", expression=symbol,
                 definition=symbol.name, definition_at_point=number_text(value), inputs=(), local_formulas=(),
                 local_derivatives=(), value=value)
        )  # fmt: skip

    def visit(self, expr: sp.Expr) -> int:
        """The node computing ``expr``, after the nodes it needs (a post-order walk: evaluation order)."""
        if expr in self.index:
            return self.index[expr]
        if not expr.free_symbols:  # f is a number: the graph is that number alone
            value = _constant(expr)
            self.nodes.append(
                dict(name="f", label=number_text(expr), kind="constant", expression=expr,
                     definition=number_text(expr), definition_at_point=number_text(value), inputs=(),
                     local_formulas=(), local_derivatives=(), value=value)
            )  # fmt: skip
            return len(self.nodes) - 1
        operation = _operation(expr)
        inputs = tuple(self.visit(argument) for argument in operation.inputs)
        if len(self.nodes) >= MAX_NODES:
            raise ValueError(
                f"This formula's graph would have more than {MAX_NODES} nodes, too many to read. "
                "Try a shorter formula."
            )
        names = [self.nodes[i]["name"] for i in inputs]
        values = [self.nodes[i]["value"] for i in inputs]
        name = f"v{sum(node['kind'] == 'operation' for node in self.nodes) + 1}"
        definition = operation.write(names)
        value = self._evaluate(operation, values, f"{name} = {definition}", names)
        self.index[expr] = len(self.nodes)
        self.nodes.append(
            dict(name=name, label=operation.label, kind="operation", expression=expr, definition=definition,
                 definition_at_point=operation.write([number_text(v) for v in values]), inputs=inputs,
                 local_formulas=tuple(operation.formulas(names)),
                 local_derivatives=self._slopes(operation, values, value, f"{name} = {definition}", names),
                 value=value)
        )  # fmt: skip
        return len(self.nodes) - 1

    def _evaluate(self, operation: _Operation, values: list[float], step: str, names: list[str]) -> float:
        try:
            value = operation.evaluate(values)
        except (ValueError, ZeroDivisionError):
            value = float("nan")
        except OverflowError:
            value = float("inf")
        if not _finite(value):
            at = ", ".join(f"{n} = {v:.6g}" for n, v in zip(names, values, strict=True))
            problem = "overflows" if value == float("inf") else "has no finite real value"
            raise ValueError(
                f"f is undefined at ({_where(self.variables, self.point)}): {step} {problem} for {at}."
            )
        return value

    def _slopes(
        self, operation: _Operation, values: list[float], value: float, step: str, names: list[str]
    ) -> tuple[float, ...]:
        try:
            slopes = list(operation.differentiate(values, value))
        except (ValueError, ZeroDivisionError, OverflowError):
            slopes = [None] * len(values)
        for slope, name, input_value in zip(slopes, names, values, strict=True):
            if slope is None or not math.isfinite(slope):
                raise NotDifferentiableError(
                    f"f has no gradient at ({_where(self.variables, self.point)}): {step} has no derivative "
                    f"with respect to {name} at {name} = {input_value:.6g} ({operation.no_slope})."
                )
        return tuple(float(s) for s in slopes)


def backward(expr: sp.Expr, variables: Sequence[str], point: Sequence[float]) -> ComputationGraph:
    """f's computational graph at ``point``: every node's value (forward pass), every node's adjoint ∂f/∂v
    (backward pass), and the gradient, one float per variable in the order given.

    ``expr`` must come from ``core.expressions.parse_expression`` (or calculus on it). A point where f is
    undefined is a ``ValueError``; one where f has no gradient (|x| at 0, a relu at its kink, √x at 0) a
    ``NotDifferentiableError`` (a ValueError) saying which operation is to blame.
    """
    variables = tuple(variables)
    if (
        not variables
        or len(set(variables)) != len(variables)
        or not all(isinstance(v, str) for v in variables)
    ):
        raise ValueError(f"variables must be distinct names. Got {variables!r} instead.")
    by_name = {symbol.name: symbol for symbol in expr.free_symbols}
    stray = sorted(set(by_name) - set(variables))
    if stray:
        raise ValueError(f"f uses {', '.join(stray)}, which is not among the variables {list(variables)}.")
    if len(point) != len(variables):
        raise ValueError(f"point must have {len(variables)} coordinates. Got {len(point)} instead.")
    point = tuple(check_real(f"point[{i}]", value) for i, value in enumerate(point))

    builder = _GraphBuilder(variables, point)
    for name, value in zip(variables, point, strict=True):
        builder.add_variable(by_name.get(name, sp.Symbol(name, real=True)), value)
    output = builder.visit(expr)
    nodes = builder.nodes

    # the sweep: f̄ = 1, then each operation, from f back, passes v̄ · ∂v/∂input to each of its inputs;
    # evaluation order reversed guarantees a node's adjoint is complete before it is passed on
    adjoint = np.zeros(len(nodes))
    adjoint[output] = 1.0
    order = tuple(i for i in reversed(range(len(nodes))) if nodes[i]["kind"] == "operation")
    history = [adjoint.copy()]
    for i in order:
        for source, slope in zip(nodes[i]["inputs"], nodes[i]["local_derivatives"], strict=True):
            adjoint[source] += adjoint[i] * slope
        history.append(adjoint.copy())
    finished = tuple(Node(**node, adjoint=float(adjoint[i])) for i, node in enumerate(nodes))
    return ComputationGraph(
        variables=variables,
        point=point,
        nodes=finished,
        output_node=output,
        output=finished[output].value,
        gradient=tuple(float(adjoint[i]) for i in range(len(variables))),
        backward_order=order,
        adjoint_history=np.array(history),
    )
