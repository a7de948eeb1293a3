"""Figure builders of the network landscape page, tested on properties of the figures, never on pixels."""

import dataclasses

import numpy as np
import pytest

from core import nn_landscape
from core.figures import FigureStyle
from core.figures.nn_landscape import (
    decision_regions,
    interpolation_chart,
    landscape_contour,
    landscape_surface,
)

STYLE = FigureStyle()


@pytest.fixture
def landscape():
    """A made-up bowl 1 + a² + 2b² on a 5 × 5 grid with a three-point path coming in from the lower left."""
    offsets = np.linspace(-1, 1, 5)
    a, b = np.meshgrid(offsets, offsets)
    path = np.array([[-0.8, -0.5], [-0.4, -0.1], [0.0, 0.0]])
    titles = ("a (random direction δ)", "b (random direction η)")
    plane = nn_landscape.Plane(np.ones(3), np.ones(3), path, 0.5, titles, "")
    return nn_landscape.NetworkLossSurface(
        offsets, offsets, 1 + a**2 + 2 * b**2, plane, 1 + path[:, 0] ** 2 + 2 * path[:, 1] ** 2
    )


def names(fig):
    return [trace.name for trace in fig.data]


def test_decision_regions_shade_the_plane_draw_the_boundary_and_both_classes():
    x1 = x2 = np.linspace(-2, 2, 11)
    probability = np.tile(np.linspace(0, 1, 11), (11, 1))
    points, labels = np.array([[0.0, 0.0], [1.0, 1.0], [-1.0, 0.5]]), np.array([0.0, 1.0, 1.0])
    surface = nn_landscape.DecisionSurface(x1, x2, probability)
    fig = decision_regions(surface, points, labels, "2 → 16 → 1", STYLE)
    assert [trace.type for trace in fig.data] == ["heatmap", "contour", "scatter", "scatter"]
    assert names(fig) == ["P(class 1)", "decision boundary", "class 0", "class 1"]
    boundary = fig.data[1].contours
    assert (boundary.start, boundary.end, boundary.coloring) == (0.5, 0.5, "none")
    assert len(fig.data[3].x) == 2
    assert "2 → 16 → 1" in fig.layout.title.text
    assert (fig.layout.xaxis.title.text, fig.layout.yaxis.title.text) == ("x₁", "x₂")
    assert fig.layout.yaxis.scaleanchor == "x"


def test_the_landscape_contour_marks_the_centre_and_the_projected_path(landscape):
    fig = landscape_contour(landscape, (1.0, 3.0), STYLE)
    assert [trace.type for trace in fig.data] == ["contour", "scatter", "scatter", "scatter"]
    assert names(fig) == ["loss", "training path (projected)", "start θ₀", "trained θ*"]
    centre = fig.data[3]
    assert (centre.x[0], centre.y[0], centre.marker.symbol) == (0.0, 0.0, "star")
    assert fig.data[0].zmin == 1.0 and fig.data[0].zmax == 3.0
    assert (fig.layout.xaxis.title.text, fig.layout.yaxis.title.text) == landscape.plane.axis_titles
    assert tuple(fig.layout.xaxis.range) == (-1.0, 1.0)
    assert fig.data[0].z.dtype == np.float32  # half the JSON of float64


def test_the_start_and_centre_labels_sit_on_opposite_sides(landscape):
    fig = landscape_contour(landscape, (1.0, 3.0), STYLE)
    start, centre = fig.data[2].textposition, fig.data[3].textposition
    assert start == "bottom center"  # the start is below the centre
    assert centre == "top center"


def test_the_surface_carries_the_path_on_it_and_the_trained_point(landscape):
    fig = landscape_surface(landscape, (1.0, 3.0), STYLE)
    assert [trace.type for trace in fig.data] == ["surface", "scatter3d", "scatter3d"]
    lift = 0.01 * np.ptp(landscape.loss)  # drawn just above the surface, so that it shows
    np.testing.assert_allclose(fig.data[1].z, landscape.path_loss + lift)
    assert fig.data[2].z[0] == landscape.loss[2, 2]  # a pin standing on the trained point
    assert f"{landscape.loss[2, 2]:.4g}" in fig.data[2].hovertext[0]  # the true loss, not the lifted one
    scene = fig.layout.scene
    assert (scene.xaxis.title.text, scene.yaxis.title.text) == ("a", "b")
    assert fig.layout.title.text == "Loss as height over the plane"


def test_the_surface_leaves_out_path_points_beyond_the_grid(landscape):
    far_path = np.array([[-3.0, 0.0], [-0.5, 0.0], [0.0, 0.0]])
    far = dataclasses.replace(
        landscape, plane=dataclasses.replace(landscape.plane, path_coordinates=far_path)
    )
    assert len(landscape_surface(far, None, STYLE).data[1].x) == 2


def test_the_interpolation_chart_marks_the_initial_and_trained_weights():
    t = np.linspace(-0.5, 1.5, 9)
    fig = interpolation_chart(t, (t - 1) ** 2, STYLE)
    assert names(fig) == ["loss", "t = 0: initial θ₀", "t = 1: trained θ*"]
    assert list(fig.data[1].x) == [0.0, 0.0] and list(fig.data[2].x) == [1.0, 1.0]
    assert fig.layout.yaxis.title.text == "loss"
    assert fig.layout.xaxis.title.text.startswith("t")


def test_lecture_style_makes_the_text_larger(landscape):
    normal, lecture = (
        landscape_contour(landscape, (1.0, 3.0), STYLE),
        landscape_contour(landscape, (1.0, 3.0), FigureStyle.lecture()),
    )
    assert lecture.layout.font.size > normal.layout.font.size
    assert lecture.data[3].textfont.size > normal.data[3].textfont.size
