"""Reverse-mode autodiff against SymPy's symbolic gradient and central finite differences: the seed's
examples first, then the autodiff survey's worked example, then random compositions (hypothesis)."""

import math

import pytest
import sympy as sp
from hypothesis import assume, given
from hypothesis import strategies as st

from core.autodiff import MAX_NODES, NotDifferentiableError, backward
from core.expressions import ExpressionError, parse_expression, sigmoid

X = ("x",)
XY = ("x", "y")
x, y = sp.symbols("x y", real=True)


def symbolic_gradient(expr: sp.Expr, variables, point) -> list[float]:
    """SymPy's gradient at the point, evaluated to 30 digits: the reference."""
    at = dict(zip(sp.symbols(variables, real=True), point, strict=True))
    return [float(sp.N(sp.diff(expr, s).subs(at), 30)) for s in at]


def finite_difference_gradient(expr: sp.Expr, variables, point, h=1e-6) -> list[float]:
    """Central differences of f evaluated by SymPy (an independent evaluator of the same formula)."""
    symbols = sp.symbols(variables, real=True)

    def f(*values):
        return float(sp.N(expr.subs(dict(zip(symbols, values, strict=True))), 30))

    gradient = []
    for i in range(len(point)):
        up, down = list(point), list(point)
        up[i] += h
        down[i] -= h
        gradient.append((f(*up) - f(*down)) / (2 * h))
    return gradient


def test_the_seeds_cubic_at_one_has_slope_two():
    # the seed's f(x) = x³ − 2x² + 3x − 1 and f′(x) = 3x² − 4x + 3, written here independently of the parser
    seed = x**3 - 2 * x**2 + 3 * x - 1
    graph = backward(parse_expression("x^3 - 2x^2 + 3x - 1", X), X, (1.0,))
    assert graph.output == pytest.approx(float(seed.subs(x, 1)))
    assert graph.gradient == pytest.approx((float((3 * x**2 - 4 * x + 3).subs(x, 1)),))
    for point in (-1.7, 0.3, 2.5):
        graph = backward(parse_expression("x^3 - 2x^2 + 3x - 1", X), X, (point,))
        assert graph.gradient[0] == pytest.approx(3 * point**2 - 4 * point + 3)


@pytest.mark.parametrize(
    ("formula", "point", "gradient"),
    [
        ("x^2 + 2y^2", (1.0, 1.0), (2.0, 4.0)),  # the seed's gradient example: ∇f = (2x, 4y)
        ("x^2 + 2y^2", (-0.5, 2.0), (-1.0, 8.0)),
        ("x^2 + y^2 - 2x y + 2x - 4y + 3", (1.0, 1.0), (2.0, -4.0)),  # the seed's critical-point loss
        ("x^2 + y^2 - 2x y + 2x - 4y + 3", (3.0, 0.0), (8.0, -10.0)),
    ],
)
def test_the_seeds_two_variable_examples(formula, point, gradient):
    graph = backward(parse_expression(formula, XY), XY, point)
    assert graph.gradient == pytest.approx(gradient)


@pytest.mark.parametrize(
    ("formula", "reference"),
    [
        ("x", sp.Integer(1)),
        ("x^4", 4 * x**3),
        ("e^x", sp.exp(x)),
        ("ln(x)", 1 / x),
        ("sin(x)", sp.cos(x)),
        ("cos(x)", -sp.sin(x)),
        ("sigmoid(x)", sp.exp(-x) / (1 + sp.exp(-x)) ** 2),
        ("tanh(x)", 1 - sp.tanh(x) ** 2),
        ("relu(x)", sp.Integer(1)),  # at x > 0
    ],
)
@pytest.mark.parametrize("point", [0.4, 1.3, 2.9])
def test_every_row_of_the_seeds_derivative_table(formula, reference, point):
    graph = backward(parse_expression(formula, X), X, (point,))
    assert graph.gradient[0] == pytest.approx(float(reference.subs(x, point)), rel=1e-12)


def test_relu_is_flat_left_of_zero_and_has_no_gradient_at_zero():
    assert backward(parse_expression("relu(x)", X), X, (-0.5,)).gradient == (0.0,)
    with pytest.raises(NotDifferentiableError, match="relu has a corner at 0"):
        backward(parse_expression("relu(x)", X), X, (0.0,))


def test_the_autodiff_surveys_worked_example():
    # Baydin, Pearlmutter, Radul & Siskind (2018), JMLR 18(153), Table 3: f(x1, x2) = ln(x1) + x1·x2 − sin(x2)
    # at (2, 5): f = 11.652, x̄1 = 5.5, x̄2 = 1.716
    graph = backward(parse_expression("ln(x) + x y - sin(y)", XY), XY, (2.0, 5.0))
    assert graph.output == pytest.approx(11.652, abs=5e-4)
    assert graph.gradient == pytest.approx((5.5, 1.716), abs=5e-4)
    # x feeds two operations (ln and ×): its adjoint is the sum over both paths, 1/2 + 5
    x_node = graph.nodes[0]
    uses = [node for node in graph.nodes if 0 in node.inputs]
    assert len(uses) == 2 and x_node.adjoint == pytest.approx(0.5 + 5.0)


def test_a_shared_sub_expression_is_one_node_whose_adjoint_sums_its_paths():
    expr = parse_expression("sin(x) cos(sin(x))", X)
    graph = backward(expr, X, (0.7,))
    sines = [node for node in graph.nodes if node.expression == sp.sin(x)]
    assert len(sines) == 1
    s = math.sin(0.7)
    # f = s·cos(s): ∂f/∂s = cos(s) − s·sin(s), summing the path through × and the path through cos
    assert sines[0].adjoint == pytest.approx(math.cos(s) - s * math.sin(s))
    assert graph.gradient[0] == pytest.approx(symbolic_gradient(expr, X, (0.7,))[0])


def test_every_node_holds_its_sub_expressions_value_and_the_output_adjoint_is_one():
    expr = parse_expression("-ln(sigmoid(2x + y)) + sqrt(1 + x^2) / y", XY)
    graph = backward(expr, XY, (0.8, -1.5))
    for node in graph.nodes:
        assert node.value == pytest.approx(float(node.expression.subs({x: 0.8, y: -1.5})), rel=1e-12)
    assert graph.nodes[graph.output_node].adjoint == 1.0
    assert graph.output == pytest.approx(float(expr.subs({x: 0.8, y: -1.5})))
    assert [n.name for n in graph.nodes[:2]] == ["x", "y"]
    assert [n.name for n in graph.nodes[2:]] == [f"v{i}" for i in range(1, len(graph.nodes) - 1)]
    assert all(max(node.inputs, default=-1) < i for i, node in enumerate(graph.nodes))  # evaluation order


def test_each_adjoint_is_complete_before_the_sweep_passes_it_on():
    graph = backward(parse_expression("x y + sin(x y) + e^(x y) x", XY), XY, (0.3, 0.9))
    history = graph.adjoint_history
    assert history.shape == (len(graph.backward_order) + 1, len(graph.nodes))
    assert history[-1].tolist() == [node.adjoint for node in graph.nodes]
    for step, index in enumerate(graph.backward_order):
        assert history[step][index] == graph.nodes[index].adjoint  # final when it is pushed back


def test_edges_carry_the_local_derivatives():
    graph = backward(parse_expression("x y", XY), XY, (2.0, 5.0))
    assert graph.edges() == [(0, 2, 5.0), (1, 2, 2.0)]  # ∂(xy)/∂x = y, ∂(xy)/∂y = x
    assert graph.nodes[2].local_formulas == ("y", "x") and graph.nodes[2].label == "×"


def test_a_variable_f_does_not_use_gets_a_zero_gradient_and_f_may_be_a_variable_or_a_number():
    assert backward(parse_expression("x^2", XY), XY, (3.0, 1.0)).gradient == (6.0, 0.0)
    graph = backward(parse_expression("y", XY), XY, (3.0, 1.0))
    assert graph.gradient == (0.0, 1.0) and graph.output == 1.0 and graph.output_node == 1
    graph = backward(parse_expression("2 pi", X), X, (3.0,))
    assert graph.gradient == (0.0,) and graph.output == pytest.approx(2 * math.pi)


@pytest.mark.parametrize(
    ("formula", "point", "error", "message"),
    [
        ("ln(x)", (-1.0,), ValueError, r"undefined at \(x = -1\): v1 = ln\(x\) has no finite real value"),
        ("1/x", (0.0,), ValueError, "undefined"),
        ("exp(exp(x))", (10.0,), ValueError, "overflows"),
        ("sqrt(x)", (0.0,), NotDifferentiableError, "vertical"),
        ("abs(x - 1)", (1.0,), NotDifferentiableError, "corner"),
        ("max(x, 2)", (2.0,), NotDifferentiableError, "tie"),
        ("asin(x)", (1.0,), NotDifferentiableError, "no derivative"),
    ],
)
def test_points_without_a_gradient_are_explained(formula, point, error, message):
    with pytest.raises(error, match=message):
        backward(parse_expression(formula, X), X, point)


def test_a_formula_too_large_to_draw_is_refused():
    text = "+".join(f"ln({k}x)" for k in range(2, 26))  # 167 characters, 49 operations
    with pytest.raises(ValueError, match=f"more than {MAX_NODES} nodes"):
        backward(parse_expression(text, X), X, (1.0,))


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (("x y", X, (1.0,)), "f uses y, which is not among the variables"),
        (("x", X, (1.0, 2.0)), "point must have 1 coordinates"),
        (("x", X, (math.inf,)), r"point\[0\] must be a finite number"),
        (("x", ("x", "x"), (1.0, 1.0)), "distinct names"),
    ],
)
def test_bad_arguments_are_refused(arguments, message):
    text, variables, point = arguments
    with pytest.raises(ValueError, match=message):
        backward(parse_expression(text, XY), variables, point)


# Random compositions, written as text and parsed through the app's own door, so every shape the parser
# builds (n-ary sums and products with folded numbers, reciprocals, powers, σ …) is exercised.
LEAVES = st.sampled_from(["x", "y", "2", "0.5", "3", "pi"])
UNARY = ["sin", "cos", "tanh", "sigmoid", "atan", "exp", "sinh"]
SAFE = ["ln(1 + ({})^2)", "sqrt(2 + ({})^2)", "({})^2", "({})^3", "1/(1 + ({})^2)"]


def _compose(children):
    return st.one_of(
        st.builds(lambda f, a: f"{f}({a})", st.sampled_from(UNARY), children),
        st.builds(lambda form, a: form.format(a), st.sampled_from(SAFE), children),
        st.builds(lambda a, op, b: f"({a}) {op} ({b})", children, st.sampled_from("+-*/^"), children),
    )


FORMULAS = st.recursive(LEAVES, _compose, max_leaves=8)
POINTS = st.tuples(st.floats(-2, 2), st.floats(-2, 2)).map(lambda p: (round(p[0], 3), round(p[1], 3)))


def _graph_or_skip(text: str, point):
    try:
        expr = parse_expression(text, XY)
        return expr, backward(expr, XY, point)
    except (ExpressionError, ValueError):
        assume(False)  # undefined there (x^y with x < 0, a division by zero, an overflow): not this test


@given(text=FORMULAS, point=POINTS)
def test_random_compositions_match_sympys_gradient(text, point):
    expr, graph = _graph_or_skip(text, point)
    reference = symbolic_gradient(expr, XY, point)
    assume(all(math.isfinite(g) and abs(g) < 1e8 for g in reference))
    assert graph.gradient == pytest.approx(reference, rel=1e-8, abs=1e-10)
    assert graph.output == pytest.approx(float(sp.N(expr.subs({x: point[0], y: point[1]}), 30)), rel=1e-10)


@given(text=FORMULAS, point=POINTS)
def test_random_compositions_match_central_differences(text, point):
    expr, graph = _graph_or_skip(text, point)
    numeric = finite_difference_gradient(expr, XY, point)
    assume(all(abs(g) < 1e4 for g in numeric))
    # central differences at h = 1e-6 in 30-digit arithmetic: an O(h²) error, scaled by f's curvature
    assert graph.gradient == pytest.approx(numeric, rel=1e-4, abs=1e-5)


def test_sigmoid_is_evaluated_without_overflow_far_out():
    graph = backward(sigmoid(x) * 1, X, (-800.0,))
    assert graph.output == pytest.approx(0.0, abs=1e-300) and math.isfinite(graph.gradient[0])
