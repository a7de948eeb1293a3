"""The 2-D figure builders, tested on properties of the figure (trace types, counts, axes), never pixels."""

import numpy as np
import pytest

from core import bivariate, fields
from core.figures import FigureStyle
from core.figures.fields import (
    DIRECTION_TRACES,
    SWEEP_TRACES,
    angle_sweep_chart,
    direction_chart,
    gradient_field_chart,
    gradient_map_key,
    slice_chart,
    surface_chart,
)

WINDOW = (-2.0, 2.0, -1.0, 3.0)
STYLE = FigureStyle()


@pytest.fixture(scope="module")
def rosenbrock():
    return bivariate.prepare("(1 - x)^2 + 100(y - x^2)^2")


@pytest.fixture(scope="module")
def parts(rosenbrock):
    point = fields.gradient_at_point(rosenbrock, -1.0, 2.0)
    field = fields.arrow_field(rosenbrock, WINDOW, per_side=12, true_length=False)
    view = fields.directional_view(rosenbrock, point, fields.Direction.from_angle(30), WINDOW)
    return {
        "landscape": fields.landscape(rosenbrock, WINDOW, points=61),
        "linear": fields.landscape(rosenbrock, WINDOW, points=61, colour="linear"),
        "point": point,
        "field": field,
        "highlight": fields.highlighted_gradient(field, point),
        "view": view,
    }


def _names(fig) -> list[str]:
    return [trace.name for trace in fig.data]


def _field_chart(parts, *, colour_by_norm=False, style=STYLE):
    return gradient_field_chart(
        parts["landscape"],
        parts["field"],
        parts["point"],
        parts["highlight"],
        colour_by_norm=colour_by_norm,
        style=style,
    )


def test_the_gradient_field_chart_has_contours_arrows_the_highlight_and_the_point(parts):
    fig = _field_chart(parts)
    assert [trace.type for trace in fig.data] == ["contour", "scatter", "scatter", "scatter"]
    assert _names(fig) == ["level curves of f", "∇f (direction only)", "direction of ∇f(x₀, y₀)", "(x₀, y₀)"]
    assert fig.data[0].contours.coloring == "lines"
    assert fig.data[1].hoverinfo == "skip"
    assert (fig.layout.xaxis.title.text, fig.layout.yaxis.title.text) == ("x", "y")


def test_contour_charts_have_equal_aspect_over_exactly_the_window(parts):
    for fig in (_field_chart(parts), direction_chart(parts["landscape"], parts["view"], STYLE)):
        assert fig.layout.yaxis.scaleanchor == "x" and fig.layout.yaxis.scaleratio == 1
        assert tuple(fig.layout.xaxis.range) == (-2, 2) and tuple(fig.layout.yaxis.range) == (-1, 3)


def test_a_log_colour_scale_labels_its_colour_bar_with_values_of_f(parts):
    contour = _field_chart(parts).data[0]
    assert "log scale" in contour.colorbar.title.text
    assert list(contour.colorbar.ticktext) == list(parts["landscape"].tick_labels)
    assert "customdata" in contour.hovertemplate  # the hover shows f, not its logarithm
    linear = gradient_field_chart(
        parts["linear"], parts["field"], parts["point"], None, colour_by_norm=False, style=STYLE
    ).data[0]
    assert linear.colorbar.title.text == "f(x, y)" and linear.colorbar.tickvals is None


def test_colouring_by_the_gradients_length_gives_one_trace_per_band_and_grey_level_curves(parts):
    fig = _field_chart(parts, colour_by_norm=True)
    bands = [name for name in _names(fig) if name.startswith("|∇f|")]
    assert len(bands) == len(parts["field"].bands)
    assert len({trace.line.color for trace in fig.data if trace.name in bands}) == len(bands)
    assert fig.data[0].showscale is False


def test_the_gradient_map_has_a_legend_only_for_bands_and_otherwise_a_key_naming_what_it_draws(parts):
    assert _field_chart(parts).layout.showlegend is False
    assert _field_chart(parts, colour_by_norm=True).layout.showlegend is True
    # the key names each trace the legend would have: the arrows, the highlight (when drawn), the point
    shown, hidden = gradient_map_key(highlighted=True), gradient_map_key(highlighted=False)
    assert "direction of ∇f" in shown and "∇f(x₀, y₀)" in shown and "(x₀, y₀)" in shown
    assert "orange" in shown and "orange" not in hidden and "(x₀, y₀)" in hidden


def test_the_surface_chart_shows_the_surface_tangent_plane_ascent_and_point(parts):
    marks = fields.surface_marks(parts["point"], WINDOW)
    fig = surface_chart(parts["landscape"], parts["point"], marks, STYLE)
    assert [trace.type for trace in fig.data] == ["surface", "surface", "scatter3d", "scatter3d"]
    assert _names(fig) == ["f(x, y)", "tangent plane", "steepest ascent (along ∇f)", "(x₀, y₀, f(x₀, y₀))"]
    scene = fig.layout.scene
    assert (scene.xaxis.title.text, scene.yaxis.title.text, scene.zaxis.title.text) == ("x", "y", "f(x, y)")
    assert fig.data[0].surfacecolor is not None  # coloured on the same log scale as the contours


def test_where_the_gradient_is_undefined_the_surface_has_no_plane():
    fn = bivariate.prepare("sqrt(x - y)")
    point = fields.gradient_at_point(fn, 1.0, 1.0)
    land = fields.landscape(fn, WINDOW, points=31)
    fig = surface_chart(land, point, fields.surface_marks(point, WINDOW), STYLE)
    assert _names(fig) == ["f(x, y)", "(x₀, y₀, f(x₀, y₀))"]


def test_the_direction_chart_draws_the_gradient_u_and_the_slice_line_from_p(parts):
    fig = direction_chart(parts["landscape"], parts["view"], STYLE)
    assert _names(fig) == ["level curves of f", "line p + t·u", "∇f(p)", "u", "p"]
    assert fig.data[0].showscale is False
    assert (fig.data[2].x[0], fig.data[2].y[0]) == (-1.0, 2.0) == (fig.data[3].x[0], fig.data[3].y[0])


def test_the_slice_chart_shows_g_its_tangent_and_p(parts):
    fig = slice_chart(parts["view"], STYLE)
    assert [trace.mode for trace in fig.data] == ["lines", "lines", "markers"]
    assert fig.data[1].name == "tangent at t = 0, slope D_u f(p)"  # fixed: the browser moves it
    assert fig.layout.xaxis.title.text.startswith("t") and fig.layout.yaxis.title.text == "g(t)"


def test_the_angle_sweep_marks_maximum_minimum_zeros_and_the_chosen_u_on_pi_ticks(parts):
    fig = angle_sweep_chart(parts["view"], STYLE)
    assert _names(fig)[1:] == [
        "maximum |∇f|, at ∇f's angle",
        "minimum −|∇f|, opposite",
        "zeros: along the level curve",
        "your u",
    ]
    assert list(fig.layout.xaxis.ticktext) == ["0", "π/2", "π", "3π/2", "2π"]
    assert fig.data[1].y[0] == pytest.approx(parts["point"].norm)


def test_at_a_critical_point_every_mark_is_still_a_trace_but_only_gaps():
    # a live chart moves these traces: they must exist, empty, for the point to move off the minimum
    fn = bivariate.prepare("x^2 + 2y^2")
    point = fields.gradient_at_point(fn, 0.0, 0.0)
    view = fields.directional_view(fn, point, fields.Direction.from_angle(10), (-2, 2, -2, 2))
    sweep = angle_sweep_chart(view, STYLE)
    assert _names(sweep) == list(SWEEP_TRACES.values())
    for trace in sweep.data[1:4]:  # maximum, minimum, zeros
        assert np.isnan(np.asarray(trace.x, dtype=float)).all()  # no angle to mark
    np.testing.assert_array_equal(sweep.data[0].y, 0.0)  # flat
    assert sweep.layout.yaxis.range[0] < 0 < sweep.layout.yaxis.range[1]
    direction = direction_chart(fields.landscape(fn, (-2, 2, -2, 2), points=31), view, STYLE)
    assert _names(direction) == ["level curves of f", *DIRECTION_TRACES.values()]
    assert np.isnan(np.asarray(direction.data[2].x, dtype=float)).all()  # no ∇f(p) arrow at ∇f = 0


def test_the_slice_and_sweep_have_fixed_ranges_that_hold_their_curves(parts):
    view = parts["view"]
    slice_fig, sweep = slice_chart(view, STYLE), angle_sweep_chart(view, STYLE)
    assert tuple(slice_fig.layout.xaxis.range) == (view.t[0], view.t[-1])
    low, high = slice_fig.layout.yaxis.range
    assert low < np.nanmin(view.g) and np.nanmax(view.g) < high
    low, high = sweep.layout.yaxis.range
    assert low < -parts["point"].norm and parts["point"].norm < high
    assert tuple(sweep.layout.xaxis.range) == (0, 2 * np.pi)


def test_a_zoom_or_camera_survives_reruns_until_the_window_changes(parts):
    field, surface = _field_chart(parts), surface_chart(parts["landscape"], parts["point"], None, STYLE)
    assert field.layout.uirevision == surface.layout.uirevision
    other = fields.landscape(bivariate.prepare("x y"), (-1.0, 1.0, -1.0, 1.0), points=11)
    assert surface_chart(other, parts["point"], None, STYLE).layout.uirevision != surface.layout.uirevision


def test_lecture_style_makes_text_and_lines_bigger(parts):
    normal, lecture = _field_chart(parts), _field_chart(parts, style=FigureStyle.lecture())
    assert lecture.layout.font.size > normal.layout.font.size
    assert lecture.data[2].line.width > normal.data[2].line.width
    surface = surface_chart(parts["landscape"], parts["point"], None, FigureStyle.lecture())
    assert surface.layout.font.size == FigureStyle.lecture().font_size


def test_values_beyond_float32_become_gaps_on_the_wire_not_infinities():
    fn = bivariate.prepare("exp(100 x)")
    window = (-2.0, 9.0, -2.0, 2.0)
    land = fields.landscape(fn, window, points=41, colour="linear")
    field = fields.arrow_field(fn, window, per_side=5, true_length=False)
    point = fields.gradient_at_point(fn, 0.0, 0.0)
    z = gradient_field_chart(land, field, point, None, colour_by_norm=False, style=STYLE).data[0].z
    assert not np.isinf(z).any() and np.isnan(z).any() and np.isfinite(z).any()
