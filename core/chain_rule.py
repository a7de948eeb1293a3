"""The chain-rule page's computations: presets, the graph's layout, and the forward and backward pass cut
into steps the page can scrub through (each step's caption, node states and texts, edge texts).

Everything here is words and numbers; ``core.figures.graph`` turns a ``ChainRuleView`` into a figure.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import sympy as sp

from core.autodiff import ComputationGraph, backward
from core.calculus import gradient
from core.evaluation import scalar_function
from core.expressions import parse_expression, to_latex
from core.numbers import format_number
from core.validation import check_real

VARIABLES = ("x", "y")
POINT_LIMIT = 10.0
BAR = "\u0304"  # combining macron: v̄ is the adjoint ∂f/∂v


@dataclass(frozen=True)
class ChainPreset:
    formula: str
    variables: tuple[str, ...]
    point: tuple[float, ...]
    note: str


PRESETS: dict[str, ChainPreset] = {
    "Cubic (seed)": ChainPreset(
        "x^3 - 2x^2 + 3x - 1", ("x",), (1.0,), "The seed's first example: f′(x) = 3x² − 4x + 3, so f′(1) = 2."
    ),
    "Bowl x²+2y² (seed)": ChainPreset(
        "x^2 + 2y^2", VARIABLES, (1.0, 1.0), "The seed's gradient example: ∇f = (2x, 4y) = (2, 4) at (1, 1)."
    ),
    "No critical point (seed)": ChainPreset(
        "x^2 + y^2 - 2x y + 2x - 4y + 3",
        VARIABLES,
        (1.0, 1.0),
        "The seed's critical-point loss: x appears in three terms, so three paths carry its adjoint back.",
    ),
    "Logistic loss, one sample": ChainPreset(
        "-ln(sigmoid(2x + y))",
        VARIABLES,
        (1.0, 1.0),
        "The seed's cross-entropy for one sample with feature 2 and label 1, weight w = x and bias b = y: "
        "a neuron, its activation and its loss, back-propagated.",
    ),
    "Autodiff survey": ChainPreset(
        "ln(x) + x y - sin(y)",
        VARIABLES,
        (2.0, 5.0),
        "The worked example of Baydin et al. (2018), Automatic differentiation in machine learning: a survey "
        "(JMLR 18): f = 11.652, ∂f/∂x = 5.5, ∂f/∂y = 1.716 at (2, 5).",
    ),
    "ReLU unit": ChainPreset(
        "relu(x y - 1) + 0.5x^2",
        VARIABLES,
        (1.5, 1.0),
        "A rectified unit: where x·y < 1 it passes no gradient back, and only the ½x² path remains.",
    ),
}
DEFAULT = "Cubic (seed)"


@dataclass(frozen=True)
class ChainFunction:
    """A parsed formula, the variables it uses and its symbolic gradient, compiled: cached per formula."""

    expr: sp.Expr
    variables: tuple[str, ...]
    gradient: tuple[sp.Expr, ...]
    gradient_functions: tuple[Callable[..., float], ...]

    @property
    def latex(self) -> str:
        return to_latex(self.expr)

    @property
    def gradient_latex(self) -> str:
        """f′(x) = … for one variable, ∇f = (…, …) for two."""
        parts = [to_latex(g) for g in self.gradient]
        if len(parts) == 1:
            return rf"f'({self.variables[0]}) = {parts[0]}"
        return r"\nabla f = \left(" + r",\; ".join(parts) + r"\right)"


def prepare(text: str, variables: Sequence[str] | None = None) -> ChainFunction:
    """Parse untrusted text (``ExpressionError`` if it is refused) in x and y; without ``variables`` the
    variables are those the formula uses (x alone unless it has a y)."""
    expr = parse_expression(text, VARIABLES)
    if variables is None:
        used = {symbol.name for symbol in expr.free_symbols}
        variables = ("x", "y") if "y" in used else ("x",)
    variables = tuple(variables)
    derivatives = gradient(expr, variables)
    return ChainFunction(
        expr=expr,
        variables=variables,
        gradient=derivatives,
        gradient_functions=tuple(scalar_function(d, variables) for d in derivatives),
    )


@dataclass(frozen=True)
class Step:
    """What the graph shows after one step of the forward or backward pass."""

    caption: str
    states: tuple[str, ...]  # per node: "pending", "computed", "current", "done" (adjoint final)
    value_texts: tuple[str, ...]
    adjoint_texts: tuple[str, ...]
    edge_texts: tuple[str, ...]  # per edge of ``ChainRuleView.edges``; "" until the sweep reaches it
    active_edges: tuple[int, ...]  # the edges the step works along


@dataclass(frozen=True)
class ChainRuleView:
    graph: ComputationGraph
    layout: Layout
    edges: tuple[tuple[int, int], ...]  # (input, node), as ``layout.edge_paths``
    steps: tuple[Step, ...]
    symbolic_gradient: tuple[float, ...]  # SymPy's gradient at the point, for the comparison

    @property
    def agrees(self) -> bool:
        return bool(np.allclose(self.graph.gradient, self.symbolic_gradient, rtol=1e-9, atol=1e-12))

    def trace_table(self) -> dict[str, list[str]]:
        """The evaluation trace (a Wengert list): every node's definition, value, local derivatives and
        adjoint, in evaluation order, as text columns."""
        nodes = self.graph.nodes
        return {
            "node": [node.name for node in nodes],
            "definition": [node.definition if node.inputs else "input" for node in nodes],
            "value": [number(node.value) for node in nodes],
            "local derivatives": [
                "; ".join(
                    f"∂{node.name}/∂{nodes[i].name} = {formula} = {number(slope)}"
                    for i, formula, slope in zip(
                        node.inputs, node.local_formulas, node.local_derivatives, strict=True
                    )
                )
                for node in nodes
            ],
            "adjoint ∂f/∂node": [number(node.adjoint) for node in nodes],
        }


def number(value: float) -> str:
    """Four significant digits, a real minus sign, and never −0."""
    return format_number(value, ".4g").replace("-", "−")


def bar(name: str) -> str:
    """The adjoint's name: x → x̄, v3 → v̄3."""
    return name[0] + BAR + name[1:]


def _factor(text: str) -> str:
    """A factor in a product: a negative number or a sum in parentheses, so 1 · (−2) reads right."""
    return f"({text})" if text.startswith("−") or " " in text else text


@dataclass(frozen=True)
class Layout:
    node_x: np.ndarray  # column: the longest path from a variable
    node_y: np.ndarray  # height within the column, centred on 0
    edge_paths: tuple[np.ndarray, ...]  # per edge, (k, 2) points from its input to its node


MAX_GAP = 2.0  # the most room between two nodes of a sparse column, in units of the densest's spacing


def layered_layout(graph: ComputationGraph) -> Layout:
    """A layered (Sugiyama-style) drawing: columns left to right by the longest path from a variable; an
    edge that skips columns bends through a waypoint in each, which takes a place like a node, so no edge
    runs through a node; places within a column follow the mean height of what feeds them (the barycentre
    heuristic), which keeps most edges short and uncrossed."""
    nodes = graph.nodes
    edges = graph.edges()
    column = [0] * len(nodes)
    for i, node in enumerate(nodes):
        column[i] = 1 + max((column[j] for j in node.inputs), default=-1)
    # items: ("node", i) or ("bend", edge, column); each edge's chain of items from source to target
    chains = [
        [("node", s), *(("bend", e, c) for c in range(column[s] + 1, column[t])), ("node", t)]
        for e, (s, t, _) in enumerate(edges)
    ]
    feeds: dict[tuple, list[tuple]] = {}
    for chain in chains:
        for before, after in itertools.pairwise(chain):
            feeds.setdefault(after, []).append(before)
    members: dict[int, list[tuple]] = {}
    for i in range(len(nodes)):
        members.setdefault(column[i], []).append(("node", i))
    for chain in chains:
        for item in chain[1:-1]:
            members[item[2]].append(item)
    densest = max(len(items) for items in members.values())
    height: dict[tuple, float] = {}
    for c in sorted(members):
        items = members[c]
        if c > 0:  # the variables keep their given order, x on top
            items.sort(key=lambda item: -np.mean([height[f] for f in feeds.get(item, [])] or [0.0]))
        gap = min(MAX_GAP, (densest - 1) / (len(items) - 1)) if len(items) > 1 else 0.0
        for slot, item in enumerate(items):
            height[item] = ((len(items) - 1) / 2 - slot) * gap
    position = {
        item: (float(item[2] if item[0] == "bend" else column[item[1]]), height[item]) for item in height
    }
    return Layout(
        node_x=np.array([float(c) for c in column]),
        node_y=np.array([height[("node", i)] for i in range(len(nodes))]),
        edge_paths=tuple(np.array([position[item] for item in chain]) for chain in chains),
    )


def chain_rule_view(
    function: ChainFunction, point: Sequence[float], *, backward_pass: bool = True
) -> ChainRuleView:
    """The graph of f at ``point`` and its steps: one per node forward, then (with ``backward_pass``) the
    seed f̄ = 1, one per operation backward and the gradient read off the variables."""
    point = tuple(
        check_real(f"point[{i}]", p, low=-POINT_LIMIT, high=POINT_LIMIT) for i, p in enumerate(point)
    )
    graph = backward(function.expr, function.variables, point)
    layout = layered_layout(graph)
    edges = tuple((source, target) for source, target, _ in graph.edges())
    steps = _forward_steps(graph, edges)
    if backward_pass:
        steps += _backward_steps(graph, edges)
    symbolic = tuple(float(g(*point)) for g in function.gradient_functions)
    return ChainRuleView(graph, layout, edges, tuple(steps), symbolic)


def _value_text(graph: ComputationGraph, i: int) -> str:
    return f"{graph.nodes[i].name} = {number(graph.nodes[i].value)}"


def _forward_steps(graph: ComputationGraph, edges: tuple[tuple[int, int], ...]) -> list[Step]:
    nodes = graph.nodes
    steps = []
    for k, node in enumerate(nodes):
        if node.inputs:
            worked = f"{node.definition} = {node.definition_at_point}"
            caption = f"Forward: {node.name} = {worked} = {number(node.value)}"
        elif node.kind == "constant":
            caption = f"Forward: f is the number {node.definition}; no variable reaches it"
        else:
            caption = f"Forward: the input {node.name} = {number(node.value)}"
        steps.append(
            Step(
                caption,
                tuple("computed" if i < k else "current" if i == k else "pending" for i in range(len(nodes))),
                tuple(_value_text(graph, i) if i <= k else "" for i in range(len(nodes))),
                ("",) * len(nodes),
                ("",) * len(edges),
                tuple(e for e, (_, target) in enumerate(edges) if target == k),
            )
        )
    return steps


def _backward_steps(graph: ComputationGraph, edges: tuple[tuple[int, int], ...]) -> list[Step]:
    nodes = graph.nodes
    values = tuple(_value_text(graph, i) for i in range(len(nodes)))
    consumers = [{target for source, target in edges if source == i} for i in range(len(nodes))]
    out = graph.output_node
    reached = {out}
    pushed: set[int] = set()
    edge_texts = [""] * len(edges)

    def snapshot(caption: str, adjoints: np.ndarray, current: int | None, active: tuple[int, ...]) -> Step:
        final = {i for i in reached if consumers[i] <= pushed}
        states = tuple(
            "current" if i == current else "done" if i in final else "computed" for i in range(len(nodes))
        )
        texts = tuple(
            ""
            if i not in reached
            else f"{bar(nodes[i].name)} = {number(adjoints[i])}" + ("" if i in final else " + …")
            for i in range(len(nodes))
        )
        return Step(caption, states, values, texts, tuple(edge_texts), active)

    steps = [
        snapshot(
            f"Backward: start at the output, {bar(nodes[out].name)} = ∂f/∂{nodes[out].name} = 1",
            graph.adjoint_history[0],
            out,
            (),
        )
    ]
    for k, i in enumerate(graph.backward_order):
        node = nodes[i]
        adjoint = graph.adjoint_history[k][i]
        lines = [
            f"Backward: {bar(node.name)} = {number(adjoint)} flows back through "
            f"{node.name} = {node.definition}"
        ]
        active = []
        for source, formula, slope in zip(
            node.inputs, node.local_formulas, node.local_derivatives, strict=True
        ):
            e = edges.index((source, i))
            while e in active:  # x^x reads one node twice: the second edge is the next match
                e = edges.index((source, i), e + 1)
            active.append(e)
            edge_texts[e] = f"∂ = {number(slope)}"
            name = nodes[source].name
            worked = [
                _factor(number(adjoint)) + " · " + _factor(text)
                for text in dict.fromkeys((formula, number(slope)))
            ]
            lines.append(
                f"{bar(name)} += {bar(node.name)} · ∂{node.name}/∂{name} = {' = '.join(worked)} "
                f"= {number(adjoint * slope)}"
            )
            reached.add(source)
        pushed.add(i)
        steps.append(snapshot("<br>".join(lines), graph.adjoint_history[k + 1], i, tuple(active)))
    reached.update(range(len(graph.variables)))  # a variable f does not use ends with adjoint 0
    gradient_text = ", ".join(number(g) for g in graph.gradient)
    names = ", ".join(f"∂f/∂{v}" for v in graph.variables)
    if len(graph.variables) > 1:
        gradient_text, names = f"({gradient_text})", f"∇f = ({names})"
    steps.append(
        snapshot(
            f"Done: the variables' adjoints are the gradient, {names} = {gradient_text}",
            graph.adjoint_history[-1],
            None,
            (),
        )
    )
    return steps
