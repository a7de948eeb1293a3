"""Figures for the neural-network landscape page: the data with the network's decision regions, the loss on
a plane through the trained weights (contour and surface) with the projected training path, and the loss
on the line from the initial to the trained weights."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from core.figures import (
    PALETTE,
    SURFACE_SCALE,
    ChartLabels,
    FigureStyle,
    Series,
    VerticalMarker,
    figure,
    figure_layout,
    line_chart,
    trace,
    wire_floats,
)
from core.nn_landscape import DecisionSurface, NetworkLossSurface

PATH_COLOR = PALETTE["vermillion"]
# Class colours (shape differs too): the regions are pale tints of them, so the points stand out on either.
CLASS_STYLE = ((PALETTE["blue"], "circle"), (PALETTE["vermillion"], "diamond"))
REGION_SCALE = [[0.0, "#99C7E0"], [0.5, "#FFFFFF"], [1.0, "#EEBF99"]]


def _square_axes(x: np.ndarray, y: np.ndarray) -> dict:
    """Layout for equal units on both axes, fixed to the grid: a circle in the data looks like one, and a
    path that leaves the grid does not rescale the plot."""
    return {
        "xaxis": {"range": [float(x[0]), float(x[-1])], "constrain": "domain"},
        "yaxis": {
            "range": [float(y[0]), float(y[-1])],
            "constrain": "domain",
            "scaleanchor": "x",
            "scaleratio": 1,
        },
    }


def decision_regions(
    surface: DecisionSurface, points: np.ndarray, labels: np.ndarray, network_name: str, style: FigureStyle
) -> go.Figure:
    """P(class 1) as pale colours over the plane with the boundary p = 0.5, and the training points;
    ``network_name`` ("2 → 16 → 1") goes in the title."""
    x1, x2, probability = surface.x1, surface.x2, surface.probability
    traces = [
        trace(
            "heatmap",
            x=wire_floats(x1),
            y=wire_floats(x2),
            z=wire_floats(probability),
            colorscale=REGION_SCALE,
            zmin=0.0,
            zmax=1.0,
            zsmooth="best",
            showscale=False,
            name="P(class 1)",
            hovertemplate="x₁ %{x:.3g}<br>x₂ %{y:.3g}<br>P(class 1) %{z:.2f}<extra></extra>",
            showlegend=False,
        ),
        trace(
            "contour",
            x=wire_floats(x1),
            y=wire_floats(x2),
            z=wire_floats(probability),
            autocontour=False,
            contours={"coloring": "none", "start": 0.5, "end": 0.5, "size": 1.0},
            line={"color": PALETTE["black"], "width": style.line_width},
            name="decision boundary",
            showscale=False,
            showlegend=True,
            hoverinfo="skip",
        ),
    ]
    for label, (color, symbol) in enumerate(CLASS_STYLE):
        chosen = labels == label
        traces.append(
            trace(
                "scatter",
                x=points[chosen, 0],
                y=points[chosen, 1],
                mode="markers",
                name=f"class {label}",
                marker={
                    "color": color,
                    "symbol": symbol,
                    "size": style.marker_size * 0.8,
                    "line": {"color": "white", "width": 1},
                },
                hovertemplate=f"class {label}<br>x₁ %{{x:.3g}}<br>x₂ %{{y:.3g}}<extra></extra>",
            )
        )
    labels = ChartLabels(f"Decision regions ({network_name})", "x₁", "x₂")
    return figure(figure_layout(labels, style, **_square_axes(x1, x2)), traces)


def _point(name: str, x, y, marker: dict, position: str, style: FigureStyle) -> dict:
    """A marker labelled on the plot itself, readable from the back of a hall without a legend."""
    return trace(
        "scatter",
        x=[float(x)],
        y=[float(y)],
        mode="markers+text",
        name=name,
        text=[f"<b>{name}</b>"],
        textposition=position,
        textfont={"size": style.font_size, "color": PALETTE["black"]},
        marker={"size": style.marker_size + 6, "line": {"color": PALETTE["black"], "width": 1.5}, **marker},
        hovertemplate=f"{name}<br>a %{{x:.3g}}<br>b %{{y:.3g}}<extra></extra>",
        showlegend=False,
        cliponaxis=False,  # a label near the edge of the grid stays whole
    )


def landscape_contour(
    landscape: NetworkLossSurface, z_range: tuple[float, float] | None, style: FigureStyle
) -> go.Figure:
    """Filled contours of the loss on the plane, the projected path, its start and the trained point;
    ``z_range`` limits the colours and levels (the far corners of a grid can be far higher)."""
    low, high = z_range or (None, None)
    contours = {"coloring": "heatmap", "showlines": True}
    if z_range is not None:
        contours |= {"start": low, "end": high, "size": (high - low) / 20}
    path_a, path_b = landscape.plane.path_coordinates.T
    # one label above its point and the other below, so they stay apart however close the points are
    start_side, centre_side = ("bottom", "top") if path_b[0] < 0 else ("top", "bottom")
    star = {"color": "white", "symbol": "star", "size": style.marker_size + 12}
    traces = [
        trace(
            "contour",
            x=wire_floats(landscape.a),
            y=wire_floats(landscape.b),
            z=wire_floats(landscape.loss),
            colorscale=SURFACE_SCALE,
            line={"width": 0.5, "color": "rgba(255, 255, 255, 0.5)"},
            colorbar={"title": {"text": "loss", "side": "top"}, "thickness": 14, "tickformat": ".3g"},
            name="loss",
            hovertemplate="a %{x:.3g}<br>b %{y:.3g}<br>loss %{z:.4g}<extra></extra>",
            showlegend=False,
            zmin=low,
            zmax=high,
            autocontour=z_range is None,
            contours=contours,
        ),
        trace(
            "scatter",
            x=path_a,
            y=path_b,
            mode="lines+markers",
            name="training path (projected)",
            line={"color": PATH_COLOR, "width": style.line_width},
            marker={"color": PATH_COLOR, "size": max(4, style.marker_size // 2)},
            customdata=np.arange(len(path_a)),
            hovertemplate="epoch %{customdata}<br>a %{x:.3g}<br>b %{y:.3g}<extra></extra>",
            showlegend=False,
        ),
        _point("start θ₀", path_a[0], path_b[0], {"color": PALETTE["sky"]}, f"{start_side} center", style),
        _point("trained θ*", 0.0, 0.0, star, f"{centre_side} center", style),
    ]
    layout = _square_axes(landscape.a, landscape.b)
    for axis in layout.values():
        axis |= {"showgrid": False, "zeroline": False}
    labels = ChartLabels("Loss on a plane through θ*", *landscape.plane.axis_titles)
    return figure(figure_layout(labels, style, **layout, showlegend=False), traces)


def landscape_surface(
    landscape: NetworkLossSurface, z_range: tuple[float, float] | None, style: FigureStyle
) -> go.Figure:
    """The same loss as a 3-D surface, with the projected path lying on it."""
    low, high = z_range or (None, None)
    path_a, path_b = landscape.plane.path_coordinates.T
    inside = (np.abs(path_a) <= landscape.a[-1]) & (np.abs(path_b) <= landscape.b[-1])
    lift = 0.01 * float(np.ptp(landscape.loss))  # a line or marker exactly on a surface disappears into it
    traces = [
        trace(
            "surface",
            x=wire_floats(landscape.a),
            y=wire_floats(landscape.b),
            z=wire_floats(landscape.loss),
            colorscale=SURFACE_SCALE,
            cmin=low,
            cmax=high,
            showscale=False,
            name="loss",
            hovertemplate="a %{x:.3g}<br>b %{y:.3g}<br>loss %{z:.4g}<extra></extra>",
        ),
        trace(
            "scatter3d",
            x=path_a[inside],
            y=path_b[inside],
            z=landscape.path_loss[inside] + lift,
            mode="lines",
            name="training path (projected)",
            line={"color": PATH_COLOR, "width": style.line_width * 2},
            hoverinfo="skip",
        ),
        trace(
            "scatter3d",
            # a pin standing on θ*: a marker on the surface itself is half hidden by it
            x=[0.0, 0.0],
            y=[0.0, 0.0],
            z=[landscape.centre_loss, landscape.centre_loss + 15 * lift],
            mode="lines+markers",
            name="trained θ*",
            hovertext=[f"trained θ*<br>loss {landscape.centre_loss:.4g}"] * 2,
            hoverinfo="text",
            line={"color": PALETTE["black"], "width": style.line_width},
            marker={
                "color": "white",
                "size": [0, style.marker_size],
                "line": {"color": PALETTE["black"], "width": 2},
            },
        ),
    ]
    ticks = {"nticks": 5, "tickfont": {"size": round(style.font_size * 0.75)}}
    scene = {
        "xaxis": {"title": {"text": "a"}, **ticks},
        "yaxis": {"title": {"text": "b"}, **ticks},
        # no z title: WebGL cuts it off at the scene's left edge, and the chart's title names the height
        "zaxis": {"title": {"text": ""}, **ticks},
        "camera": {"eye": {"x": 1.4, "y": -1.4, "z": 1.7}},  # from above, so ridges hide less of the path
        "aspectmode": "manual",
        "aspectratio": {"x": 1, "y": 1, "z": 0.7},
    }
    # no legend: the contour beside it names the path and the point, and the scene gets the height
    labels = ChartLabels("Loss as height over the plane", "a", "b")
    return figure(figure_layout(labels, style, scene=scene, showlegend=False, margin={"b": 0}), traces)


def interpolation_chart(t: np.ndarray, loss: np.ndarray, style: FigureStyle) -> go.Figure:
    """Goodfellow et al.'s 1-D view: the loss along (1 − t)·θ₀ + t·θ*, with t = 0 and t = 1 marked."""
    return line_chart(
        [Series("loss", t, loss, PALETTE["blue"], hover="t %{x:.2f}<br>loss %{y:.4g}<extra></extra>")],
        ChartLabels(
            "Loss on the line from θ₀ to θ*",
            "t   (weights (1 − t)·θ₀ + t·θ*)",
            "loss",
            markers=(
                VerticalMarker(0.0, "t = 0: initial θ₀", PALETTE["sky"]),
                VerticalMarker(1.0, "t = 1: trained θ*", PALETTE["black"]),
            ),
        ),
        style,
    )
