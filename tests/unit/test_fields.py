"""The 2-D computations behind the Gradient field and Directional derivative pages, against references:
central differences, the seed's worked example, and the geometry of ∇f·u."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from core import bivariate, fields, functions2d
from core.calculus import directional_derivative
from core.evaluation import numeric_function

PRESETS = list(functions2d.FUNCTIONS.values())
_prepared: dict[str, bivariate.Bivariate] = {}


def prepared(formula: str) -> bivariate.Bivariate:
    if formula not in _prepared:
        _prepared[formula] = bivariate.prepare(formula)
    return _prepared[formula]


def point_in(window, a: float, b: float) -> tuple[float, float]:
    x_min, x_max, y_min, y_max = window
    return x_min + a * (x_max - x_min), y_min + b * (y_max - y_min)


fractions = st.floats(0.02, 0.98)


def central(f, x: float, y: float) -> np.ndarray:
    """(∂f/∂x, ∂f/∂y) by central differences, the step scaled to the point."""
    hx, hy = 1e-5 * (1 + abs(x)), 1e-5 * (1 + abs(y))
    return np.array([(f(x + hx, y) - f(x - hx, y)) / (2 * hx), (f(x, y + hy) - f(x, y - hy)) / (2 * hy)])


@pytest.mark.parametrize("preset", PRESETS, ids=lambda p: p.name)
@given(a=fractions, b=fractions)
def test_every_presets_gradient_and_hessian_agree_with_central_differences(preset, a, b):
    fn = prepared(preset.formula)
    x, y = point_in(preset.window, a, b)
    size = 1 + abs(float(fn.f(x, y)))  # rounding in f(x ± h) grows with |f|
    gradient = np.array([float(g) for g in fn.gradient_at(x, y)])
    np.testing.assert_allclose(central(fn.f, x, y), gradient, rtol=1e-5, atol=1e-5 * size)
    hessian = [
        [numeric_function(entry, bivariate.VARIABLES)(x, y) for entry in row] for row in fn.hessian.tolist()
    ]
    numeric = np.array([central(fn.df_dx, x, y), central(fn.df_dy, x, y)])
    np.testing.assert_allclose(numeric, np.array(hessian, dtype=float), rtol=1e-5, atol=1e-4 * size)


def test_the_seeds_directional_derivative_example_exactly():
    # f = x² + 2y², p = (1, 1), u = (1, 1)/√2  ->  ∇f = (2, 4), D_u f = 6/√2 = 4.2426…
    fn = prepared("x^2 + 2y^2")
    point = fields.gradient_at_point(fn, 1.0, 1.0)
    view = fields.directional_view(fn, point, fields.Direction.from_vector(1, 1), (-2, 2, -2, 2))
    assert point.gradient == (2.0, 4.0)
    assert view.direction.unit == pytest.approx((1 / math.sqrt(2), 1 / math.sqrt(2)), rel=1e-15)
    assert view.value == pytest.approx(6 / math.sqrt(2), rel=1e-15)
    assert view.value == pytest.approx(directional_derivative(fn.expr, ("x", "y"), (1, 1), (1, 1)), rel=1e-15)
    assert f"{view.value:.4f}" == "4.2426"
    gradient_line, direction_line, value_line = view.latex
    assert gradient_line == r"\nabla f(p) = \nabla f(1, 1) = (2, 4)"
    assert direction_line == r"u = (1, 1) \,/\, \lVert (1, 1) \rVert = (0.707107, 0.707107)"
    assert value_line.endswith(r"2 \cdot 0.707107 + 4 \cdot 0.707107 = 4.24264")


def test_the_angle_form_of_the_seeds_direction_gives_the_same_value():
    fn = prepared("x^2 + 2y^2")
    point = fields.gradient_at_point(fn, 1.0, 1.0)
    view = fields.directional_view(fn, point, fields.Direction.from_angle(45), (-2, 2, -2, 2))
    assert view.value == pytest.approx(6 / math.sqrt(2), rel=1e-14)
    assert r"\cos 45^\circ" in view.latex[1]


@pytest.mark.parametrize("preset", PRESETS, ids=lambda p: p.name)
@given(a=fractions, b=fractions, degrees=st.floats(0, 359.99))
def test_the_angle_sweep_peaks_at_the_gradients_angle_with_height_the_gradients_length(preset, a, b, degrees):
    fn = prepared(preset.formula)
    point = fields.gradient_at_point(fn, *point_in(preset.window, a, b))
    view = fields.directional_view(fn, point, fields.Direction.from_angle(degrees), preset.window)
    if point.norm == 0:
        assert np.all(view.sweep == 0) and view.zero_angles == ()
        return
    at_gradient = view.sweep[view.theta == view.steepest_angle]
    assert at_gradient == pytest.approx([point.norm], rel=1e-12)
    assert view.sweep.max() == pytest.approx(point.norm, rel=1e-12)  # a tie at most, never beaten
    assert view.steepest_angle == pytest.approx(
        math.atan2(point.gradient[1], point.gradient[0]) % (2 * math.pi)
    )
    assert view.sweep.min() == pytest.approx(-point.norm, rel=1e-12)
    assert abs(view.lowest_angle - view.steepest_angle) == pytest.approx(math.pi)
    for zero in view.zero_angles:
        assert view.sweep[np.argmin(abs(view.theta - zero))] == pytest.approx(0, abs=1e-9 * point.norm)
    assert np.all((view.theta >= 0) & (view.theta < 2 * math.pi))
    # the chosen u is on the curve, and no direction beats the gradient's
    assert abs(view.value) <= point.norm * (1 + 1e-12)


def test_the_slice_passes_through_f_of_p_with_slope_d_u_f():
    fn = prepared("(x^2 + y - 11)^2 + (x + y^2 - 7)^2")
    point = fields.gradient_at_point(fn, 1.0, -2.0)
    view = fields.directional_view(fn, point, fields.Direction.from_angle(120), (-5, 5, -5, 5))
    middle = len(view.t) // 2
    assert view.t[middle] == 0 and view.g[middle] == pytest.approx(point.value)
    dt = view.t[1] - view.t[0]
    slope = (view.g[middle + 1] - view.g[middle - 1]) / (2 * dt)
    assert slope == pytest.approx(view.value, rel=1e-3)
    np.testing.assert_allclose(view.tangent, point.value + view.value * view.t)


@pytest.mark.parametrize("vector", [(0, 0), (0.0, -0.0), (math.inf, 1), (math.nan, 0)])
def test_a_zero_or_infinite_direction_is_a_value_error_not_a_division_by_zero(vector):
    with pytest.raises(ValueError, match="non-zero, finite"):
        fields.Direction.from_vector(*vector)


def test_a_direction_is_normalised_for_the_user():
    direction = fields.Direction.from_vector(3, -4)
    assert direction.unit == pytest.approx((0.6, -0.8))
    assert direction.angle == pytest.approx(math.atan2(-4, 3) + 2 * math.pi)
    assert fields.Direction.from_angle(90).unit == (0.0, 1.0)  # not 6e-17
    assert fields.Direction.from_vector(1, -1e-17).angle == 0.0  # in [0, 2π): not 2π after rounding
    with pytest.raises(ValueError, match="finite"):
        fields.Direction.from_angle(math.inf)


def _shafts(path: fields.ArrowPath) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Start and tip of every arrow: six points per arrow, the first two are the shaft."""
    return path.x[0::6], path.y[0::6], path.x[1::6] - path.x[0::6], path.y[1::6] - path.y[0::6]


def test_normalised_arrows_share_one_length_and_point_along_the_gradient():
    fn = prepared("x^2 + 2y^2")
    field = fields.arrow_field(fn, (-2, 2, -2, 2), per_side=10, true_length=False)
    x, y, dx, dy = _shafts(field.arrows)
    assert field.count == 100 and field.spacing == pytest.approx(0.4)
    np.testing.assert_allclose(np.hypot(dx, dy), fields.ARROW_FILL * 0.4)
    gx, gy = 2 * x, 4 * y
    np.testing.assert_allclose(dx * gy - dy * gx, 0, atol=1e-12)  # parallel to ∇f …
    assert np.all(dx * gx + dy * gy > 0)  # … and uphill


def test_true_length_arrows_are_in_proportion_to_the_gradient():
    fn = prepared("x^2 + 2y^2")
    field = fields.arrow_field(fn, (-2, 2, -2, 2), per_side=8, true_length=True)
    x, y, dx, dy = _shafts(field.arrows)
    np.testing.assert_allclose(dx, field.scale * 2 * x)
    np.testing.assert_allclose(dy, field.scale * 4 * y)
    assert np.hypot(dx, dy).max() == pytest.approx(fields.ARROW_FILL * field.spacing)


def test_arrows_are_perpendicular_to_the_level_curves():
    # along the level curve through each arrow's foot f is constant: its tangent is ⟂ to the arrow
    fn = prepared("(x^2 + y - 11)^2 + (x + y^2 - 7)^2")
    field = fields.arrow_field(fn, (-5, 5, -5, 5), per_side=12, true_length=False)
    x, y, dx, dy = _shafts(field.arrows)
    length = np.hypot(dx, dy)
    h = 1e-4
    along_arrow = fn.f(x + h * dx / length, y + h * dy / length) - fn.f(x, y)
    across = fn.f(x - h * dy / length, y + h * dx / length) - fn.f(x - h * -dy / length, y - h * dx / length)
    moving = along_arrow > 1e-6
    assert moving.sum() > 100
    assert np.all(np.abs(across[moving]) < 1e-3 * along_arrow[moving])


def test_arrow_bands_hold_every_arrow_once_lowest_first():
    fn = prepared("(1 - x)^2 + 100(y - x^2)^2")
    field = fields.arrow_field(fn, (-2, 2, -1, 3), per_side=15, true_length=False)
    assert sum(np.isnan(band.path.x).sum() for band in field.bands) == field.count
    lows = [band.low for band in field.bands]
    assert lows == sorted(lows) and len(field.bands) == fields.ARROW_BANDS


def test_the_highlighted_gradient_starts_at_the_point_and_is_missing_where_the_gradient_vanishes():
    fn = prepared("x^2 + 2y^2")
    field = fields.arrow_field(fn, (-2, 2, -2, 2), per_side=15, true_length=True)
    arrow = fields.highlighted_gradient(field, fields.gradient_at_point(fn, 1.0, 1.0))
    x, y, dx, dy = _shafts(arrow)
    assert (x[0], y[0]) == (1.0, 1.0) and dy[0] / dx[0] == pytest.approx(2.0)
    assert fields.highlighted_gradient(field, fields.gradient_at_point(fn, 0.0, 0.0)) is None


def test_the_tangent_plane_touches_the_surface_with_the_gradients_slopes():
    fn = prepared("x^2 + 2y^2")
    point = fields.gradient_at_point(fn, 1.0, -0.5)
    marks = fields.surface_marks(point, (-2, 2, -2, 2))
    (x0, x1), (y0, y1) = marks.plane_x, marks.plane_y
    assert (marks.plane_z[0, 1] - marks.plane_z[0, 0]) / (x1 - x0) == pytest.approx(2.0)
    assert (marks.plane_z[1, 0] - marks.plane_z[0, 0]) / (y1 - y0) == pytest.approx(-2.0)
    assert marks.plane_z.mean() == pytest.approx(point.value)  # the patch is centred on the point
    run = math.hypot(marks.ascent_x[1] - marks.ascent_x[0], marks.ascent_y[1] - marks.ascent_y[0])
    rise = (marks.ascent_z[1] - marks.ascent_z[0]) / run
    assert rise == pytest.approx(point.norm)


def test_log_colour_goes_automatic_for_rosenbrock_but_not_for_the_bowl():
    rosenbrock = fields.landscape(prepared("(1 - x)^2 + 100(y - x^2)^2"), (-2, 2, -1, 3))
    bowl = fields.landscape(prepared("x^2 + 2y^2"), (-2, 2, -2, 2))
    assert rosenbrock.log_colour and not bowl.log_colour
    assert np.nanmin(rosenbrock.colour) == 0 and list(rosenbrock.tick_values) == sorted(
        rosenbrock.tick_values
    )
    assert rosenbrock.tick_labels[1:] == ("10", "100", "1000")
    assert fields.landscape(prepared("x^2 + 2y^2"), (-2, 2, -2, 2), colour="log").log_colour
    assert not fields.landscape(
        prepared("(1 - x)^2 + 100(y - x^2)^2"), (-2, 2, -1, 3), colour="linear"
    ).log_colour


def test_domain_gaps_are_nan_not_errors():
    fn = prepared("ln(x y)")
    land = fields.landscape(fn, (-2, 2, -2, 2), points=101)
    assert 0.4 < land.undefined_fraction < 0.6 and land.message == ""
    field = fields.arrow_field(fn, (-2, 2, -2, 2), per_side=10, true_length=False)
    assert field.count == 50 and not np.isnan(field.arrows.x[0::6]).any()
    assert "undefined" in fields.gradient_at_point(fn, -1.0, 1.0).message
    edge = fields.gradient_at_point(prepared("sqrt(x - y)"), 1.0, 1.0)  # f = 0 there, ∂f/∂x = ∞
    assert not edge.defined and "not differentiable" in edge.message
    with pytest.raises(ValueError, match="undefined"):
        fields.directional_view(
            fn, fields.gradient_at_point(fn, -1.0, 1.0), fields.Direction.from_angle(0), (-2, 2, -2, 2)
        )


@pytest.mark.parametrize(
    ("formula", "point", "corner"),
    [
        ("abs(x) + abs(y)", (0.0, 0.0), True),
        ("abs(x) + abs(y)", (0.0, 1.0), True),
        ("abs(x) + abs(y)", (1.0, -1.0), False),
        ("relu(x - y)", (1.0, 1.0), True),
        ("max(x, y)", (2.0, 1.0), False),
        ("abs(x)^2 + y", (0.0, 0.0), False),  # a smooth function written with abs
    ],
)
def test_a_corner_of_abs_relu_or_max_is_not_given_a_gradient(formula, point, corner):
    # the symbolic gradient would say sign(0) = 0 there, a number that means nothing
    message = fields.gradient_at_point(prepared(formula), *point).message
    assert ("has a corner" in message) is corner


def test_a_window_where_f_is_undefined_everywhere_is_explained():
    land = fields.landscape(prepared("ln(-x^2 - 1)"), (-2, 2, -2, 2))
    assert "undefined everywhere" in land.message


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda fn: fields.arrow_field(fn, (-2, 2, -2, 2), per_side=10_000, true_length=False), "per_side"),
        (lambda fn: fields.arrow_field(fn, (-2, 2, -2, 2), per_side=1, true_length=True), "per_side"),
        (lambda fn: fields.landscape(fn, (-2, 2, -2, 2), points=10_000), "points"),
        (lambda fn: fields.landscape(fn, (-2, 2, -2, 2), colour="rainbow"), "colour"),
        (lambda fn: fields.landscape(fn, (-1e9, 1e9, -2, 2)), "window"),
        (lambda fn: fields.gradient_at_point(fn, 1e9, 0.0), "point"),
        (lambda fn: fields.gradient_at_point(fn, math.nan, 0.0), "point"),
    ],
)
def test_sizes_and_ranges_are_capped_whatever_a_url_asks_for(call, message):
    with pytest.raises(ValueError, match=message):
        call(prepared("x^2 + 2y^2"))


def test_the_base_window_is_the_presets_own_or_the_custom_default():
    assert fields.base_window("Rosenbrock") == (-2, 2, -1, 3)
    assert fields.base_window("Custom formula") == fields.CUSTOM_WINDOW
    assert bivariate.zoomed(fields.base_window("Rosenbrock"), 2.0) == (-4, 4, -3, 5)
