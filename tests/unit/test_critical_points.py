"""Critical points against known answers: the seed's example, textbook cases, Himmelblau, slow inputs."""

import time

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as hypothesis_st

from core.critical_points import classify, find_critical_points, second_derivative_test, table
from core.expressions import parse_expression

XY = ("x", "y")


def solve(text, half_width=3.0, time_limit=5.0):
    expr = parse_expression(text, XY)
    return find_critical_points(
        expr, XY, bounds=[(-half_width, half_width), (-half_width, half_width)], time_limit=time_limit
    )


def kinds(report):
    return sorted(p.kind for p in report.points)


def test_the_seeds_example_has_no_critical_point_and_says_why():
    report = solve("x^2 + y^2 - 2x y + 2x - 4y + 3")
    assert report.points == [] and report.method == "symbolic"
    assert r"\partial f/\partial x + \partial f/\partial y = -2" in report.message
    assert "singular" in report.message and "unbounded" in report.message


@pytest.mark.parametrize(
    ("text", "location", "kind"),
    [
        ("x^2 + y^2", (0, 0), "minimum"),
        ("x^2 - y^2", (0, 0), "saddle"),
        ("-x^2 - 3y^2 + 2x", (1, 0), "maximum"),
        ("x^4 + y^4", (0, 0), "degenerate"),
        ("x^3 - 3x y^2", (0, 0), "degenerate"),
    ],
)
def test_textbook_cases_are_found_exactly_and_classified(text, location, kind):
    report = solve(text)
    assert report.method == "symbolic"
    (point,) = report.points
    assert point.location == pytest.approx(location, abs=1e-12)
    assert point.kind == kind


def test_the_maximum_has_the_right_eigenvalues_and_value():
    (point,) = solve("-x^2 - 3y^2 + 2x").points
    assert point.eigenvalues == pytest.approx((-6, -2))
    assert point.value == pytest.approx(1.0)
    assert point.determinant == pytest.approx(12.0)


def test_himmelblau_has_four_minima_one_maximum_and_four_saddles():
    start = time.perf_counter()
    report = solve("(x^2 + y - 11)^2 + (x + y^2 - 7)^2", half_width=5, time_limit=1.0)
    assert time.perf_counter() - start < 1.0 + 3.0
    assert kinds(report) == ["maximum"] + ["minimum"] * 4 + ["saddle"] * 4
    minima = sorted(p.location for p in report.points if p.kind == "minimum")
    expected = sorted([(3, 2), (-2.805118, 3.131313), (-3.779310, -3.283186), (3.584428, -1.848127)])
    np.testing.assert_allclose(minima, expected, atol=1e-5)
    # all four minima are at f = 0, shown as 0 rather than the root's float noise (7.9e-31)
    assert [p.value for p in report.points if p.kind == "minimum"] == [0.0] * 4
    (maximum,) = [p for p in report.points if p.kind == "maximum"]
    assert maximum.location == pytest.approx((-0.270845, -0.923039), abs=1e-5)


@pytest.mark.parametrize("text", ["sin(x)cos(y) + x y", "x^7 + y^7 - 3x y"])
def test_slow_inputs_answer_within_the_limit_with_numeric_points(text):
    start = time.perf_counter()
    report = solve(text, half_width=2, time_limit=1.0)
    assert time.perf_counter() - start < 1.0 + 3.0
    assert report.method == "numeric" and "numeric" in report.message and "window" in report.message
    assert report.points
    for point in report.points:
        assert point.method == "numeric"


def test_numeric_points_of_x7_are_the_origin_saddle_and_a_minimum():
    report = solve("x^7 + y^7 - 3x y", half_width=2, time_limit=0.5)
    by_kind = {p.kind: p.location for p in report.points}
    assert by_kind["saddle"] == pytest.approx((0, 0), abs=1e-9)
    root = (3 / 7) ** (1 / 5)  # on x = y: 7x^6 = 3x
    assert by_kind["minimum"] == pytest.approx((root, root), abs=1e-7)


def test_a_line_of_critical_points_is_recognised():
    report = solve("(x - y)^2")
    assert report.points == [] and report.families == ("x = y",)
    assert "Infinitely many" in report.message
    curve_x, curve_y = report.family_curves[0]
    assert np.allclose(curve_x[np.isfinite(curve_x)], curve_y[np.isfinite(curve_y)])


def test_points_outside_the_bounds_are_left_out():
    report = find_critical_points(parse_expression("(x - 5)^2 + y^2", XY), XY, bounds=[(-1, 1), (-1, 1)],
                                  time_limit=2)  # fmt: skip
    assert report.points == [] and "none of its solutions" in report.message


@pytest.mark.parametrize(
    ("eigenvalues", "kind"),
    [
        ((1, 2), "minimum"),
        ((-1, -2), "maximum"),
        ((-1, 2), "saddle"),
        ((0, 2), "degenerate"),
        ((1e-12, 3), "degenerate"),
    ],
)
def test_classification_by_eigenvalues(eigenvalues, kind):
    assert classify(eigenvalues) == kind


@pytest.mark.parametrize(
    ("bounds", "limit"),
    [([(1, -1), (0, 1)], 1), ([(0, 1)], 1), ([(0, 1), (0, 1)], 0), ([(0, 1), (0, 1)], 60)],
)
def test_bad_arguments_are_value_errors(bounds, limit):
    with pytest.raises(ValueError):
        find_critical_points(parse_expression("x^2 + y^2", XY), XY, bounds=bounds, time_limit=limit)


def test_the_second_derivative_test_is_explained_for_each_kind():
    for text, word in [
        ("x^2 + y^2", "local minimum"),
        ("x^2 - y^2", "saddle point"),
        ("x^4 + y^4", "inconclusive"),
    ]:
        (point,) = solve(text).points
        assert word in second_derivative_test(point)
    rows = table(solve("x^2 - y^2").points)
    assert rows["kind"] == ["saddle"] and rows["point"] == ["(0, 0)"]


def test_a_numeric_check_catches_points_sympy_silently_missed():
    # SymPy's solve returns only the origin for the six-hump camel (its coefficients are floats); the
    # camel has 15 critical points: 6 minima, 2 maxima and 7 saddles
    report = find_critical_points(
        parse_expression("(4 - 2.1x^2 + x^4/3)x^2 + x y + (4y^2 - 4)y^2", XY), XY,
        bounds=[(-2, 2), (-1, 1)], time_limit=10,  # generous: on a loaded machine 2 s can time out
    )  # fmt: skip
    assert kinds(report) == ["maximum"] * 2 + ["minimum"] * 6 + ["saddle"] * 7
    assert "missed" in report.message
    lowest = min(report.points, key=lambda p: p.value)
    assert lowest.value == pytest.approx(-1.0316284534898774, abs=1e-12)


def test_the_answer_comes_within_the_limit_plus_a_small_constant_for_every_preset():
    from core import functions2d

    for function in functions2d.FUNCTIONS.values():
        x_min, x_max, y_min, y_max = function.window
        start = time.perf_counter()
        find_critical_points(
            function.expression(), XY, bounds=[(x_min, x_max), (y_min, y_max)], time_limit=0.5
        )
        assert time.perf_counter() - start < 0.5 + 4.0, function.name


# --- the edges of the window and of f's domain ---------------------------------------------------------


def two_gaussians(x, y):
    return -np.exp(-((x - 1) ** 2 + y**2)) - 0.7 * np.exp(-2 * ((x + 1) ** 2 + (y + 0.5) ** 2))


def finite_difference_gradient(function, point, h=1e-6):
    x, y = point
    return np.array([
        (function(x + h, y) - function(x - h, y)) / (2 * h),
        (function(x, y + h) - function(x, y - h)) / (2 * h),
    ])  # fmt: skip


@pytest.mark.parametrize("zoom", [1, 2, 4])
def test_two_gaussians_keep_both_minima_and_the_saddle_at_every_zoom(zoom):
    from scipy.optimize import minimize

    from core import bivariate, functions2d

    preset = functions2d.get("Two Gaussians")
    x_min, x_max, y_min, y_max = bivariate.zoomed(preset.window, zoom)
    report = find_critical_points(
        preset.expression(), XY, bounds=[(x_min, x_max), (y_min, y_max)], time_limit=0.5
    )
    assert kinds(report) == ["minimum", "minimum", "saddle"]
    # the reference: SciPy's minimiser on the same function written here in NumPy, from each basin
    expected = sorted(
        tuple(minimize(lambda v: two_gaussians(*v), start, tol=1e-12).x) for start in [(1, 0), (-1, -0.5)]
    )
    found = sorted(p.location for p in report.points if p.kind == "minimum")
    np.testing.assert_allclose(found, expected, atol=1e-6)
    (saddle,) = [p for p in report.points if p.kind == "saddle"]
    assert np.linalg.norm(finite_difference_gradient(two_gaussians, saddle.location)) < 1e-8


@pytest.mark.parametrize("text", ["sqrt(-x^2 - y^2 - 1)", "ln(-x^2 - y^2 - 1)", "sqrt(-1 - x^4) + y"])
def test_a_function_undefined_on_the_whole_window_has_no_critical_points_and_says_why(text):
    report = solve(text)
    assert report.points == []
    assert "undefined (not a real number) everywhere in [-3, 3] × [-3, 3]" in report.message


def test_a_symbolic_solution_where_f_is_undefined_is_left_out_with_a_reason():
    report = solve("sqrt(x^2 + y^2 - 1)")  # ∇f = (x, y)/f vanishes only at the origin, where f = sqrt(-1)
    assert report.points == []
    assert "no critical point lies in" in report.message
    assert (
        "One solution in the window is left out: f or its gradient is not a real number there"
        in report.message
    )


def test_the_flat_far_field_of_a_gaussian_is_not_a_critical_point():
    # at |x|, |y| ≈ 20 the gradient underflows to 0 in floating point, though it is never 0 there
    report = solve(
        "exp(-x^2 - y^2)", half_width=20, time_limit=0.01
    )  # 0.01 s: straight to the numeric search
    assert [(p.kind, p.location) for p in report.points] == [("maximum", pytest.approx((0, 0), abs=1e-9))]


def test_the_numeric_search_covers_a_wide_window():
    # 49 critical points of cos x + cos y at multiples of π in [-12, 12]²: minima, maxima, saddles
    report = solve("cos(x) + cos(y)", half_width=12)
    assert report.method == "numeric" and len(report.points) == 49
    multiples = np.array([p.location for p in report.points]) / np.pi
    np.testing.assert_allclose(multiples, np.round(multiples), atol=1e-9)
    assert kinds(report).count("saddle") == 2 * 3 * 4  # one of the coordinates an even multiple of π


def test_degenerate_points_survive_the_numeric_checks():
    for text in ("x^4 + y^4", "x^3 - 3x y^2"):
        report = solve(text, time_limit=0.01)
        assert [p.kind for p in report.points] == ["degenerate"], text
        assert report.points[0].location == pytest.approx((0, 0), abs=1e-6)


# --- every reported point has a small, finite gradient --------------------------------------------------

coefficient = hypothesis_st.integers(-3, 3)


@given(hypothesis_st.lists(coefficient, min_size=9, max_size=9))
def test_every_reported_critical_point_has_a_small_finite_gradient(c):
    # a random polynomial of degree ≤ 4 with small integer coefficients, also written here in NumPy
    terms = [(1, 0), (0, 1), (2, 0), (1, 1), (0, 2), (3, 0), (1, 2), (4, 0), (0, 4)]
    text = " + ".join(f"({a})*x^{i}*y^{j}" for a, (i, j) in zip(c, terms, strict=True))
    report = solve(text, half_width=2, time_limit=0.5)

    def f(x, y):
        return sum(a * x**i * y**j for a, (i, j) in zip(c, terms, strict=True))

    for point in report.points:
        assert all(np.isfinite(point.location)) and np.isfinite(point.value)
        gradient = finite_difference_gradient(f, point.location, h=1e-5)
        assert np.linalg.norm(gradient) < 1e-5 * max(1.0, sum(abs(a) for a in c)), (text, point)
        assert point.value == pytest.approx(f(*point.location), abs=1e-9)
