"""The gradient-descent figures (core.figures.landscape, descent_charts, descent_style): properties of the
figures (trace types, frames, buttons, axes), never pixels."""

import json

import numpy as np
import plotly.io as pio
import pytest

from core.datasets import classification_data, regression_data
from core.descent.linear import fit_view, linear_descent_view
from core.descent.logistic import logistic_descent_view, weight_norm_curve
from core.descent.plot_data import Spot, gradient_cloud_view, loss_curve, loss_landscape, marked_points
from core.descent.run import run_descent
from core.figures import ChartLabels, FigureStyle
from core.figures.descent_charts import (
    boundary_chart,
    fit_chart,
    gradient_cloud_chart,
    loss_chart,
    probability_chart,
    weight_norm_chart,
)
from core.figures.descent_style import LIVE_TRACES, log_ticks
from core.figures.landscape import LandscapeLabels, contour_with_path, surface_with_path

STYLE = FigureStyle()
LABELS = LandscapeLabels("MSE landscape")


def _pieces(learning_rate=0.01):
    data = regression_data()
    view = linear_descent_view(data, learning_rate=learning_rate, n_iterations=100)
    landscape = loss_landscape("linear", data.x, data.y, view.window)
    marked = marked_points(view.run, 40, Spot(20.0, 0.0, 500.0))
    return view, landscape, marked


@pytest.fixture(scope="module")
def pieces():
    return _pieces()


def _spec(fig) -> dict:
    """The JSON the browser receives."""
    return json.loads(pio.to_json(fig.to_dict(), validate=False))


def test_the_contour_has_the_landscape_the_path_and_every_marked_point(pieces):
    view, landscape, marked = pieces
    fig = contour_with_path(landscape, view.path, marked, LABELS, STYLE)
    assert [trace.type for trace in fig.data] == [
        "contour",
        "scatter",
        "scatter",
        "scatter",
        "scatter",
        "scatter",
    ]
    names = [trace.name for trace in fig.data[1:]]
    assert names == ["gradient descent", "start", "shown iteration", "your (w, b)", "optimum"]
    assert fig.data[3].text == ("iteration 40",)  # the live chart rewrites the label as the iterate moves
    optimum = fig.data[-1]
    assert (optimum.x[0], optimum.y[0]) == (view.run.optimum.w, view.run.optimum.b)
    assert optimum.text == ("optimum",) and fig.layout.showlegend is False  # labelled on the plot
    assert fig.layout.xaxis.title.text == "weight w" and fig.layout.yaxis.title.text == "bias b"
    assert tuple(fig.layout.xaxis.range) == (view.window.w_min, view.window.w_max)
    assert tuple(fig.layout.yaxis.range) == (view.window.b_min, view.window.b_max)


def test_the_contour_has_no_plotly_frames_the_live_chart_plays_it(pieces):
    view, landscape, marked = pieces
    fig = contour_with_path(landscape, view.path, marked, LABELS, STYLE)
    assert not fig.frames and not fig.layout.updatemenus
    np.testing.assert_array_equal(fig.data[1].x, view.path.w)
    np.testing.assert_array_equal(fig.data[1].customdata, view.path.iterations)  # hover names the iteration
    assert {role: name for role, name in LIVE_TRACES[0].items()} == {
        "path": "gradient descent", "start": "start", "iterate": "shown iteration"
    }  # fmt: skip


def test_the_contour_json_is_small_and_uses_the_shared_template(pieces):
    view, landscape, marked = pieces
    spec = _spec(contour_with_path(landscape, view.path, marked, LABELS, STYLE))
    assert spec["data"][0]["z"]["dtype"] == "f4"  # the grid travels as float32
    assert len(json.dumps(spec)) < 200_000
    assert spec["layout"]["template"]["layout"]["plot_bgcolor"] == "white"
    assert "frames" not in spec


def test_a_diverging_path_keeps_the_axes_on_the_landscape():
    view, landscape, marked = _pieces(learning_rate=2.0)
    fig = contour_with_path(landscape, view.path, marked, LABELS, STYLE)
    path = fig.data[1]
    assert abs(path.x[-1]) > view.window.w_max or abs(path.y[-1]) > view.window.b_max  # leaves the plot
    assert tuple(fig.layout.xaxis.range) == (view.window.w_min, view.window.w_max)
    # iteration 40 of this run is far off the plot: its marker is kept for the live chart to move, at NaN;
    # the 3-D surface leaves it out
    assert not view.window.contains(marked.shown.w, marked.shown.b)
    shown = next(trace for trace in fig.data if trace.name == "shown iteration")
    assert np.isnan(shown.x[0]) and np.isnan(shown.y[0])
    names = {trace.name for trace in surface_with_path(landscape, view.path, marked, LABELS, STYLE).data}
    assert "start" in names and "iteration 40" not in names


def test_the_surface_is_coarser_and_carries_the_path_inside_the_window(pieces):
    view, landscape, marked = pieces
    fig = surface_with_path(landscape, view.path, marked, LABELS, STYLE)
    assert [trace.type for trace in fig.data[:2]] == ["surface", "scatter3d"]
    assert np.shape(fig.data[0].z) == (41, 41)
    np.testing.assert_array_equal(fig.data[1].z, view.path.loss)
    assert fig.layout.scene.zaxis.title.text == "MSE"
    diverged, diverged_landscape, diverged_marked = _pieces(learning_rate=2.0)
    fig = surface_with_path(diverged_landscape, diverged.path, diverged_marked, LABELS, STYLE)
    assert len(fig.data[1].x) == len(diverged.path.w) - 1  # the point outside the window is left out


def test_the_loss_chart_is_logarithmic_with_the_optimal_loss_and_markers(pieces):
    view, _, _ = pieces
    fig = loss_chart(loss_curve(view.run), loss_name="MSE", shown=40, converged=None, style=STYLE)
    assert fig.layout.yaxis.type == "log"
    assert fig.layout.xaxis.title.text == "iteration" and fig.layout.yaxis.title.text == "MSE (log scale)"
    optimal = next(trace for trace in fig.data if trace.name == "optimal loss")
    assert set(optimal.y) == {view.run.optimum.loss}
    marker = next(trace for trace in fig.data if trace.name == "shown iteration")
    assert tuple(marker.x) == (40, 40) and min(marker.y) > 0
    within = next(trace for trace in fig.data if trace.name == "within 1%")  # kept for the live chart
    assert np.isnan(within.x).all() and within.showlegend is False and tuple(within.text) == ("", "within 1%")
    converged = loss_chart(loss_curve(view.run), loss_name="MSE", shown=40, converged=7, style=STYLE)
    assert tuple(next(trace.x for trace in converged.data if trace.name == "within 1%")) == (7, 7)


def test_long_axis_titles_wrap(pieces):
    view, _, _ = pieces
    fit = fit_view(view.data.x, view.data.y, descent=(30.0, 0.0), optimum=(44.0, 1.0), own=(20.0, 0.0))
    labels = ChartLabels("Data", "x", "disease progression after one year")
    fig = fit_chart(fit, labels=labels, style=STYLE)
    assert fig.layout.yaxis.title.text == "disease progression after<br>one year"


def test_the_fit_chart_has_data_three_lines_and_residuals(pieces):
    view, _, _ = pieces
    fit = fit_view(view.data.x, view.data.y, descent=(30.0, 0.0), optimum=(44.0, 1.0), own=(20.0, 0.0))
    fig = fit_chart(fit, labels=ChartLabels("Data", "x", "y"), style=STYLE)
    names = [trace.name for trace in fig.data]
    assert names == ["data", "your line", "residuals", "least squares", "gradient descent"]
    assert fig.data[0].mode == "markers" and len(fig.data[0].x) == 100
    assert len(fig.data[2].x) == 300  # one NaN-separated segment per point
    assert fig.layout.legend.yref == "container" and fig.layout.height > STYLE.height  # room for the legend
    assert tuple(fig.layout.yaxis.range) == fit.y_range
    assert fig.layout.xaxis.title.text == "x"


def test_lecture_style_enlarges_the_landscape_text(pieces):
    view, landscape, marked = pieces
    normal = contour_with_path(landscape, view.path, marked, LABELS, STYLE)
    lecture = contour_with_path(landscape, view.path, marked, LABELS, FigureStyle.lecture())
    assert lecture.layout.font.size > normal.layout.font.size
    assert lecture.data[2].textfont.size > normal.data[2].textfont.size  # the points' labels


def test_log_ticks_label_loss_values_and_never_crowd():
    values, text = log_ticks(1.9, 3.7)
    assert text == ["100", "200", "500", "1000", "2000", "5000"]
    np.testing.assert_allclose(values, np.log10([100, 200, 500, 1000, 2000, 5000]))
    values, text = log_ticks(-5, 10)
    assert len(values) <= 8 and text[:2] == ["0.0001", "0.01"]  # every other decade
    assert log_ticks(-300, 300)[1] == ["1e-300", "1e-200", "1e-100", "1", "1e+100", "1e+200", "1e+300"]


# --- logistic regression and mini-batch noise ------------------------------------------------------


@pytest.fixture(scope="module")
def logistic():
    data = classification_data()
    return logistic_descent_view(data, learning_rate=0.5, n_iterations=100)


def test_the_loss_axis_labels_its_ticks_in_full(logistic):
    fig = loss_chart(
        loss_curve(logistic.run), loss_name="cross-entropy", shown=0, converged=None, style=STYLE
    )
    assert list(fig.layout.yaxis.ticktext) == ["0.1", "0.2", "0.5"]  # not plotly's bare "2" and "5"
    np.testing.assert_allclose(fig.layout.yaxis.tickvals, [0.1, 0.2, 0.5])


def test_the_probability_chart_has_both_classes_the_curves_the_threshold_and_the_boundaries(logistic):
    chart = probability_chart(logistic.class_view(100), labels=ChartLabels("Data", "x", "P"), style=STYLE)
    names = [trace.name for trace in chart.data]
    assert names[:5] == ["class 0", "class 1", "p = 0.5", "optimum", "optimal boundary"]
    assert names[5:] == ["gradient descent", "boundary"]
    assert chart.data[1].marker.symbol == "diamond" and chart.data[0].marker.symbol == "circle"
    assert chart.data[4].showlegend is False and tuple(chart.layout.yaxis.range) == (-0.08, 1.08)


def test_at_the_start_the_curve_is_flat_and_there_is_no_boundary(logistic):
    view = logistic.class_view(0)
    chart = probability_chart(view, labels=ChartLabels("Data", "x", "P"), style=STYLE)
    np.testing.assert_allclose(chart.data[-2].y, 0.5)
    assert np.isnan(chart.data[-1].x).all() and "no boundary" in view.summary


def test_the_boundary_chart_draws_the_plane_with_the_probability_behind_the_points():
    data = classification_data(n_features=2, label_noise=0.2)
    view = logistic_descent_view(data, learning_rate=0.5, n_iterations=100)
    chart = boundary_chart(view.class_view(100), labels=ChartLabels("Data", "x₁", "x₂"), style=STYLE)
    assert [trace.type for trace in chart.data] == ["heatmap", "scatter", "scatter", "scatter", "scatter"]
    assert [trace.name for trace in chart.data[1:]] == ["class 0", "class 1", "optimum", "gradient descent"]
    (w1, w2), b = view.run.path.w[-1], view.run.path.b[-1]
    line = chart.data[-1]
    np.testing.assert_allclose(w1 * np.asarray(line.x) + w2 * np.asarray(line.y) + b, 0, atol=1e-9)


def test_the_gradient_cloud_draws_an_arrow_per_batch_and_the_full_gradient():
    data = classification_data()
    run = run_descent("logistic", data.x, data.y, learning_rate=0.5, n_iterations=30, batch_size=25)
    cloud = gradient_cloud_view("logistic", data.x, data.y, run, 12)
    chart = gradient_cloud_chart(cloud, style=STYLE)
    shafts = chart.data[0]
    assert shafts.name == "each batch" and len(shafts.x) == 12 and np.isnan(shafts.x[2::3]).all()
    assert [trace.name for trace in chart.data[2:]] == ["step 12's batch", "full batch"]
    assert len(chart.layout.annotations) == 2 and chart.layout.annotations[1].x == cloud.full[0]
    assert chart.layout.xaxis.title.text == "∂L/∂w"


def test_the_weight_norm_chart_is_one_line_against_iteration():
    data = classification_data(label_noise=0.0)
    run = run_descent("logistic", data.x, data.y, learning_rate=0.5, n_iterations=200)
    chart = weight_norm_chart(weight_norm_curve(run), style=STYLE)
    assert len(chart.data) == 1 and chart.layout.title.text == "‖w‖ against iteration"
    np.testing.assert_allclose(chart.data[0].y, np.abs(run.path.w))


def test_equal_axes_draw_a_unit_of_b_as_long_as_a_unit_of_w_within_the_same_window(pieces):
    view, landscape, marked = pieces
    stretched = contour_with_path(landscape, view.path, marked, LABELS, STYLE).layout
    to_scale = contour_with_path(landscape, view.path, marked, LABELS, STYLE, equal_axes=True).layout
    assert stretched.yaxis.scaleanchor is None
    assert to_scale.yaxis.scaleanchor == "x" and to_scale.yaxis.scaleratio == 1
    assert (
        to_scale.xaxis.constrain == to_scale.yaxis.constrain == "domain"
    )  # the plot shrinks, not the window
    assert to_scale.xaxis.range == stretched.xaxis.range and to_scale.yaxis.range == stretched.yaxis.range
