"""core.quadratic_model against independent references: SymPy's series of f along a line, central finite
differences, and SciPy's minimiser on quadratics (where Newton's step lands on the minimum exactly)."""

import numpy as np
import plotly.graph_objects as go
import pytest
import sympy as sp
from scipy.optimize import minimize

from core import bivariate
from core.figures import FigureStyle
from core.figures.taylor import MODEL_MINIMUM_NAME, QUADRATIC_MODEL_NAME, quadratic_model_traces
from core.quadratic_model import contour_levels, quadratic_model

X, Y, T = sp.symbols("x y t", real=True)
CASES = [
    ("(x^2 + y - 11)^2 + (x + y^2 - 7)^2", (1.0, 0.5)),  # Himmelblau
    ("sin(x y) + e^(-x^2) cos(y)", (0.4, -1.2)),
    ("sigmoid(2x - y) + ln(1 + x^2 y^2)", (0.3, 0.7)),
    ("x^2 + y^2 - 2x y + 2x - 4y + 3", (0.0, 0.0)),  # the seed's loss: H is singular
]


@pytest.mark.parametrize(("text", "point"), CASES)
def test_the_model_is_f_s_series_to_second_order_along_every_direction(text, point):
    b = bivariate.prepare(text)
    model = quadratic_model(b, point)
    p = [sp.Rational(repr(v)) for v in point]  # exact, so SymPy's series is exact too
    for d in (
        (1, 0),
        (0, 1),
        (sp.Rational(3, 5), sp.Rational(4, 5)),
        (sp.Rational(-5, 13), sp.Rational(12, 13)),
    ):
        along = b.expr.subs({X: p[0] + T * d[0], Y: p[1] + T * d[1]}, simultaneous=True)
        series = sp.expand(sp.series(along, T, 0, 3).removeO())
        c0, c1, c2 = (float(series.coeff(T, k)) for k in range(3))
        direction = np.array(d, dtype=float)
        assert model.value == pytest.approx(c0, rel=1e-12, abs=1e-12)
        assert np.dot(model.gradient, direction) == pytest.approx(c1, rel=1e-10, abs=1e-10)
        assert 0.5 * direction @ np.array(model.hessian) @ direction == pytest.approx(
            c2, rel=1e-10, abs=1e-10
        )


@pytest.mark.parametrize(("text", "point"), CASES)
def test_gradient_and_hessian_match_central_differences(text, point):
    b = bivariate.prepare(text)
    model = quadratic_model(b, point)
    h, (x0, y0) = 1e-4, point

    def f(x, y):
        return float(b.f(x, y))

    fxx = (f(x0 + h, y0) - 2 * f(x0, y0) + f(x0 - h, y0)) / h**2
    fyy = (f(x0, y0 + h) - 2 * f(x0, y0) + f(x0, y0 - h)) / h**2
    fxy = (f(x0 + h, y0 + h) - f(x0 + h, y0 - h) - f(x0 - h, y0 + h) + f(x0 - h, y0 - h)) / (4 * h**2)
    gx, gy = (f(x0 + h, y0) - f(x0 - h, y0)) / (2 * h), (f(x0, y0 + h) - f(x0, y0 - h)) / (2 * h)
    assert model.gradient == pytest.approx((gx, gy), rel=1e-6, abs=1e-6)
    assert np.array(model.hessian) == pytest.approx(np.array([[fxx, fxy], [fxy, fyy]]), rel=1e-4, abs=1e-4)


def test_on_a_positive_definite_quadratic_the_model_s_minimum_is_f_s_minimum():
    text = "3x^2 + x y + 2y^2 - x + 4y"
    b = bivariate.prepare(text)
    model = quadratic_model(b, (2.0, -1.5))
    best = minimize(lambda v: float(b.f(*v)), x0=[0.0, 0.0], method="BFGS", tol=1e-12).x
    assert model.minimum == pytest.approx(tuple(best), abs=1e-6)
    assert "minimum p − H⁻¹∇f" in model.summary


def test_the_model_s_minimum_is_newton_s_next_point():
    b = bivariate.prepare("(x^2 + y - 11)^2 + (x + y^2 - 7)^2")
    model = quadratic_model(b, (3.5, 2.5))  # near Himmelblau's minimum at (3, 2), where H is definite
    g, h = np.array(model.gradient), np.array(model.hessian)
    newton = np.array([3.5, 2.5]) - np.linalg.solve(h, g)
    assert model.minimum == pytest.approx(tuple(newton), rel=1e-12)
    x, y, q = model.on_grid((2.0, 4.0, 1.0, 3.0), 201)
    assert q.min() >= q[np.unravel_index(np.argmin(q), q.shape)]
    nearest = np.unravel_index(np.argmin(q), q.shape)
    assert (x[nearest[1]], y[nearest[0]]) == pytest.approx(model.minimum, abs=0.011)


@pytest.mark.parametrize(
    ("text", "point", "words"),
    [
        ("x^2 + y^2 - 2x y + 2x - 4y + 3", (0.0, 0.0), "flat direction"),  # the seed's loss, H singular
        ("x^2 - y^2", (0.5, 0.5), "negative curvature"),  # a saddle
        ("-(x^2) - y^2", (1.0, 1.0), "negative curvature"),  # a maximum
    ],
)
def test_without_a_positive_definite_hessian_the_model_has_no_minimum(text, point, words):
    model = quadratic_model(bivariate.prepare(text), point)
    assert model.minimum is None
    assert "no minimum: H is not positive definite" in model.summary
    assert words in model.summary


@pytest.mark.parametrize(
    ("text", "point"),
    [("relu(x - y) + y^2", (1.0, 1.0)), ("ln(x) + y", (-1.0, 0.0)), ("abs(x) y", (0.0, 2.0))],
)
def test_where_f_is_not_twice_differentiable_there_is_no_model_and_a_reason(text, point):
    with pytest.raises(ValueError, match=r"\S"):
        quadratic_model(bivariate.prepare(text), point)


def test_a_kink_away_from_the_point_does_not_matter():  # positive control for the test above
    model = quadratic_model(bivariate.prepare("relu(x - y) + y^2"), (2.0, 0.0))
    assert np.array(model.hessian) == pytest.approx(np.array([[0.0, 0.0], [0.0, 2.0]]))


def test_levels_follow_f_s_range_or_the_model_s_own():
    q = np.linspace(0, 10, 101).reshape(1, -1)
    assert contour_levels((2.0, 6.0), q, 20) == pytest.approx((2.0, 6.0, 0.2))
    start, end, size = contour_levels(None, q, 10)
    assert start == pytest.approx(0.1) and end == pytest.approx(9.0) and size == pytest.approx(0.89)


def test_the_model_is_dashed_level_curves_and_its_minimum_a_cross():
    model = quadratic_model(bivariate.prepare("x^2 + 3y^2 + x y"), (1.0, 1.0))
    x, y, q = model.on_grid((-2.0, 2.0, -2.0, 2.0), 41)
    traces = quadratic_model_traces(x, y, q, model.minimum, (0.0, 10.0, 0.5), FigureStyle())
    contour, cross = (go.Figure(trace) for trace in traces)  # validated by Plotly
    contour, cross = contour.data[0], cross.data[0]
    assert contour.type == "contour" and contour.name == QUADRATIC_MODEL_NAME
    assert contour.line.dash == "dash" and contour.contours.coloring == "none"
    assert (contour.contours.start, contour.contours.end, contour.contours.size) == (0.0, 10.0, 0.5)
    assert cross.name == MODEL_MINIMUM_NAME and cross.marker.symbol == "circle-x"
    assert (cross.x[0], cross.y[0]) == pytest.approx(model.minimum)
    assert len(quadratic_model_traces(x, y, q, None, (0.0, 10.0, 0.5), FigureStyle())) == 1
