"""Figures for f(x, y): contours with gradient arrows, the 3-D surface with its tangent plane, the slice
g(t) = f(p + t·u) and the sweep of D_u f over every angle.

Finished data in (the dataclasses of ``core.fields``), ``go.Figure`` out; no maths here. Contour plots use
equal aspect (one unit of x is as long as one unit of y on screen), or right angles would not look right and
the arrows' perpendicularity to the level curves would be invisible.
"""

from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio
from plotly.colors import sample_colorscale

from core.fields import (
    ArrowField,
    ArrowPath,
    DirectionalView,
    Landscape,
    PointGradient,
    SurfaceMarks,
    format_value,
)
from core.figures import (
    LEGEND_BESIDE,
    PALETTE,
    SURFACE_SCALE,
    TEMPLATE,
    ChartLabels,
    FigureStyle,
    Series,
    figure,
    figure_layout,
    line_chart,
    trace,
    wire_floats,
)

CONTOUR_LEVELS = 20  # as the seed's ax.contour(X, Y, Z, 20)
ARROW_COLOUR = "#3a3a3a"  # dark grey: visible on every Viridis level colour, softer than the highlight
BAND_SCALE = SURFACE_SCALE
# Viridis up to green: its yellow end vanishes on white, and no band may look like the orange highlight
BAND_SPAN = (0.0, 0.75)
LEVEL_GREY = "#a8a8a8"  # level curves when the arrows carry the colour
PLANE_COLOUR = PALETTE["sky"]
GRADIENT_COLOUR = PALETTE["vermillion"]
DIRECTION_COLOUR = PALETTE["blue"]
SQUARE_HEIGHT = 1.1  # × style.height: an equal-aspect plot needs the height to be square beside its legend
PI_TICKS = ((0.0, "0"), (math.pi / 2, "π/2"), (math.pi, "π"), (3 * math.pi / 2, "3π/2"), (2 * math.pi, "2π"))
RANGE_PAD = 0.08  # of the data's span, around the slice and the sweep (their axes stay fixed while live)

# role -> trace name of the traces a live chart moves (ui/live/recipes/gradient_field.js, directional.js);
# every one is drawn whatever the point, with gaps (NaN) where it does not exist there
GRADIENT_FIELD_TRACES = {"point": "(x₀, y₀)", "highlight": "direction of ∇f(x₀, y₀)"}
DIRECTION_TRACES = {"line": "line p + t·u", "gradient_arrow": "∇f(p)", "u_arrow": "u", "point": "p"}
SLICE_TRACES = {
    "slice": "g(t) = f(p + t·u)",
    "tangent": "tangent at t = 0, slope D_u f(p)",
    "slice_point": "p (t = 0)",
}
SWEEP_TRACES = {
    "sweep": "D_u f(p) for u = (cos θ, sin θ)",
    "steepest": "maximum |∇f|, at ∇f's angle",
    "lowest": "minimum −|∇f|, opposite",
    "zeros": "zeros: along the level curve",
    "your_u": "your u",
}
_GAP = ArrowPath(np.array([np.nan]), np.array([np.nan]))  # an arrow that is not there (yet)


def _colour_title(landscape: Landscape) -> str:
    return "f(x, y), log scale" if landscape.log_colour else "f(x, y)"


def _colour_bar(landscape: Landscape, style: FigureStyle) -> dict:
    # title along the bar: above it, it collides with the top tick label
    bar = {
        "title": {"text": _colour_title(landscape), "side": "right"},
        "exponentformat": "power",
        "thickness": 14,
    }
    if landscape.log_colour:
        bar |= {"tickvals": list(landscape.tick_values), "ticktext": list(landscape.tick_labels)}
    return bar


def _contour(landscape: Landscape, style: FigureStyle, *, grey: bool = False, scale: bool = True) -> dict:
    """Level curves of f, coloured by value (or all grey), with f in the hover text even on a log scale;
    ``scale`` shows the colour bar."""
    log = landscape.log_colour
    return trace(
        "contour",
        x=landscape.x,
        y=landscape.y,
        z=wire_floats(landscape.colour),
        customdata=wire_floats(landscape.f) if log else None,
        name="level curves of f",
        ncontours=CONTOUR_LEVELS,
        contours={"coloring": "lines"},
        line={"width": max(1.0, style.line_width * 0.5)},
        colorscale=[[0, LEVEL_GREY], [1, LEVEL_GREY]] if grey else SURFACE_SCALE,
        showscale=scale and not grey,
        colorbar=_colour_bar(landscape, style),
        hovertemplate=f"x = %{{x:.3g}}<br>y = %{{y:.3g}}<br>f = %{{{'customdata' if log else 'z'}:.4g}}"
        "<extra></extra>",
    )


def _arrows(path: ArrowPath, name: str, colour: str, width: float) -> dict:
    return trace(
        "scatter",
        x=wire_floats(path.x),
        y=wire_floats(path.y),
        name=name,
        mode="lines",
        line={"color": colour, "width": width},
        connectgaps=False,
        hoverinfo="skip",  # the vertices of an arrow's outline mean nothing to a reader
    )


def _point(point: PointGradient, name: str, style: FigureStyle) -> dict:
    return trace(
        "scatter",
        x=[point.x],
        y=[point.y],
        name=name,
        mode="markers",
        marker={
            "color": PALETTE["black"],
            "size": style.marker_size,
            "line": {"color": "white", "width": 1.5},
        },
        hovertemplate="(%{x:.3g}, %{y:.3g})<extra></extra>",
    )


def _tall(style: FigureStyle) -> int:
    return round(style.height * SQUARE_HEIGHT)


def _view_revision(landscape: Landscape) -> str:
    """Plotly's uirevision: a zoom or a 3-D camera the user set survives reruns until the window changes."""
    return f"{landscape.x[0]:g},{landscape.x[-1]:g},{landscape.y[0]:g},{landscape.y[-1]:g}"


def _plane_layout(landscape: Landscape, title: str, style: FigureStyle) -> dict:
    # equal aspect, and the window exactly: 'domain' shrinks the plot area instead of widening the ranges
    return figure_layout(
        ChartLabels(title, "x", "y"),
        style,
        height=_tall(style),
        uirevision=_view_revision(landscape),
        xaxis={"range": [landscape.x[0], landscape.x[-1]], "constrain": "domain", "showgrid": False},
        yaxis={
            "range": [landscape.y[0], landscape.y[-1]],
            "scaleanchor": "x",
            "scaleratio": 1,
            "constrain": "domain",
            "showgrid": False,
        },
    )


def gradient_field_chart(
    landscape: Landscape,
    field: ArrowField,
    point: PointGradient,
    highlight: ArrowPath | None,
    *,
    colour_by_norm: bool,
    style: FigureStyle,
) -> go.Figure:
    """Level curves of f with ∇f as arrows, the point and its own gradient arrow highlighted.

    ``colour_by_norm`` colours the arrows by bands of |∇f| (listed in the legend) and greys the level curves,
    so exactly one thing carries colour.
    """
    traces = [_contour(landscape, style, grey=colour_by_norm)]
    width = max(1.0, style.line_width * 0.5)
    kind = "true length" if field.true_length else "direction only"
    if colour_by_norm and field.bands:
        colours = sample_colorscale(BAND_SCALE, list(np.linspace(*BAND_SPAN, len(field.bands))))
        for band, colour in zip(field.bands, colours, strict=True):
            traces.append(
                _arrows(band.path, f"|∇f| {format_value(band.low)}–{format_value(band.high)}", colour, width)
            )
    else:
        traces.append(_arrows(field.arrows, f"∇f ({kind})", ARROW_COLOUR, width))
    if highlight is not None:
        name = GRADIENT_FIELD_TRACES["highlight"]
        traces.append(_arrows(highlight, name, GRADIENT_COLOUR, style.line_width * 1.3))
    traces.append(_point(point, GRADIENT_FIELD_TRACES["point"], style))
    layout = _plane_layout(landscape, "Level curves of f and its gradient ∇f", style)
    layout["showlegend"] = gradient_map_has_legend(field, colour_by_norm=colour_by_norm)
    return figure(layout, traces)


def gradient_map_has_legend(field: ArrowField, *, colour_by_norm: bool) -> bool:
    """Only arrows coloured by |∇f| need the legend, for their bands; otherwise the page writes
    ``gradient_map_key`` under the map. Below it, the legend took 78-95 px of a chart fitted to the height
    the screen leaves, and the square map shrank to 85-125 px at 1280x720 (beside it, in a column beside
    the surface, it left the map no wider)."""
    return colour_by_norm and bool(field.bands)


def gradient_map_key(*, highlighted: bool) -> str:
    """What the gradient map draws, for under it when it has no legend."""
    if highlighted:
        point = "orange: ∇f(x₀, y₀), from the black point (x₀, y₀)"
    else:
        point = "black: the point (x₀, y₀)"
    return f"Dark arrows: the direction of ∇f on a grid; {point}."


def direction_chart(
    landscape: Landscape, view: DirectionalView, style: FigureStyle, *, show_gradient: bool = True
) -> go.Figure:
    """Level curves of f with ∇f(p) and u drawn from p (directions only, equal length), and the line p + t·u
    along which the slice is taken. ∇f(p)'s arrow is a gap where it is zero or undefined, and left out with
    ``show_gradient`` False (quiz mode: with u beside it, it tells D_u f(p))."""
    # no colour bar: here the level curves' shape matters, not their values (the hover tells those), and
    # the bar's width would come out of the equal-aspect plot
    traces = [
        _contour(landscape, style, scale=False),
        trace(
            "scatter",
            x=wire_floats(view.line_x),
            y=wire_floats(view.line_y),
            name=DIRECTION_TRACES["line"],
            mode="lines",
            line={"color": DIRECTION_COLOUR, "width": max(1.0, style.line_width * 0.5), "dash": "dot"},
            hoverinfo="skip",
        ),
    ]
    width = style.line_width * 1.3
    if show_gradient:
        traces.append(
            _arrows(view.gradient_arrow or _GAP, DIRECTION_TRACES["gradient_arrow"], GRADIENT_COLOUR, width)
        )
    traces.append(_arrows(view.direction_arrow, DIRECTION_TRACES["u_arrow"], DIRECTION_COLOUR, width))
    traces.append(_point(view.point, DIRECTION_TRACES["point"], style))
    title = "∇f(p) and the direction u at p" if show_gradient else "The direction u at p"
    layout = _plane_layout(landscape, title, style)
    # beside the map, which has no colour bar there: below, it took a third of a square plot's height
    layout["legend"] = dict(LEGEND_BESIDE)
    return figure(layout, traces)


def surface_chart(
    landscape: Landscape, point: PointGradient, marks: SurfaceMarks | None, style: FigureStyle
) -> go.Figure:
    """The surface z = f(x, y) with the point on it, its tangent plane there and the steepest-ascent line."""
    traces = [
        trace(
            "surface",
            x=landscape.x,
            y=landscape.y,
            z=wire_floats(landscape.f),
            surfacecolor=wire_floats(landscape.colour) if landscape.log_colour else None,
            colorscale=SURFACE_SCALE,
            # the same colours as the contour plot beside it, whose colour bar explains them
            showscale=False,
            name="f(x, y)",
            opacity=0.75,  # see-through: a convex f hides its tangent plane underneath
            hovertemplate="x = %{x:.3g}<br>y = %{y:.3g}<br>f = %{z:.4g}<extra></extra>",
        )
    ]
    if marks is not None:
        traces.append(
            trace(
                "surface",
                x=marks.plane_x,
                y=marks.plane_y,
                z=marks.plane_z,
                name="tangent plane",
                colorscale=[[0, PLANE_COLOUR], [1, PLANE_COLOUR]],
                showscale=False,
                showlegend=True,
                opacity=0.9,
                hoverinfo="skip",
            )
        )
        if marks.ascent_x.size:
            traces.append(
                trace(
                    "scatter3d",
                    x=marks.ascent_x,
                    y=marks.ascent_y,
                    z=marks.ascent_z,
                    name="steepest ascent (along ∇f)",
                    mode="lines+markers",
                    line={"color": GRADIENT_COLOUR, "width": style.line_width * 3},
                    marker={
                        "color": GRADIENT_COLOUR,
                        "size": [0, style.marker_size * 0.6],
                        "symbol": "diamond",
                    },
                    hoverinfo="skip",
                )
            )
    if math.isfinite(point.value):
        traces.append(
            trace(
                "scatter3d",
                x=[point.x],
                y=[point.y],
                z=[point.value],
                name="(x₀, y₀, f(x₀, y₀))",
                mode="markers",
                marker={"color": PALETTE["black"], "size": style.marker_size * 0.6},
            )
        )
    low, high = landscape.value_range
    pad = 0.05 * (high - low) or 1.0
    x_span, y_span = landscape.x[-1] - landscape.x[0], landscape.y[-1] - landscape.y[0]
    axis = {"showspikes": False, "nticks": 5}
    layout = {
        # the object: in an unvalidated layout, a name would reach plotly.js as a name
        "template": pio.templates[TEMPLATE],
        "title": {
            "text": "Surface z = f(x, y), tangent plane",
            "x": 0.0,
            "xanchor": "left",
            "font": {"size": style.font_size + 3},
        },
        "font": {"size": style.font_size},
        "height": _tall(style),
        "margin": {"l": 0, "r": 0, "t": 40 + 2 * style.font_size, "b": 0},
        "legend": {"orientation": "h", "yanchor": "top", "y": 0.0, "xanchor": "left", "x": 0.0},
        "uirevision": _view_revision(landscape),
        "scene": {
            # the window exactly, so the tangent-plane patch and the ascent line never stretch the axes
            "xaxis": axis | {"title": {"text": "x"}, "range": [landscape.x[0], landscape.x[-1]]},
            "yaxis": axis | {"title": {"text": "y"}, "range": [landscape.y[0], landscape.y[-1]]},
            "zaxis": axis | {"title": {"text": "f(x, y)"}, "range": [low - pad, high + pad]},
            "camera": {"eye": {"x": 1.4, "y": 1.4, "z": 0.9}},
            "aspectmode": "manual",
            "aspectratio": {"x": 1.0, "y": y_span / x_span, "z": 0.7},
        },
    }
    return figure(layout, traces)


def _padded(*arrays: np.ndarray, fallback: tuple[float, float] = (-1.0, 1.0)) -> tuple[float, float]:
    """The finite values' range with a margin: fixed axes for a live chart, refitted at every rerun."""
    values = np.concatenate([np.asarray(a, dtype=float).ravel() for a in arrays])
    values = values[np.isfinite(values)]
    if values.size == 0:
        return fallback
    low, high = float(values.min()), float(values.max())
    pad = RANGE_PAD * (high - low) or 0.5 * max(1.0, abs(high))
    return low - pad, high + pad


def slice_chart(view: DirectionalView, style: FigureStyle) -> go.Figure:
    """g(t) = f(p + t·u) with its tangent at t = 0, whose slope is D_u f(p); the y range fits the slice
    (the tangent may leave it)."""
    names = SLICE_TRACES
    return line_chart(
        [
            Series(names["slice"], view.t, view.g, DIRECTION_COLOUR),
            Series(names["tangent"], view.t, view.tangent, GRADIENT_COLOUR, dash="dash", width_scale=0.8),
            Series(names["slice_point"], [0.0], [view.point.value], PALETTE["black"], mode="markers"),
        ],
        ChartLabels(
            "The slice of f along u through p",
            "t (distance from p along u)",
            "g(t)",
            y_range=_padded(view.g, [view.point.value]),
        ),
        style,
        height=_tall(style),  # it sits beside the contour plot
        xaxis={"range": [float(view.t[0]), float(view.t[-1])]},
    )


def angle_sweep_chart(view: DirectionalView, style: FigureStyle) -> go.Figure:
    """D_u f(p) against the angle θ of u: largest (|∇f|) at the gradient's angle, smallest (−|∇f|) opposite,
    zero at the two directions along the level curve (gaps where ∇f is zero or undefined); the chosen u
    marked."""
    names = SWEEP_TRACES
    zeros = list(view.zero_angles) or [np.nan, np.nan]
    marks = (
        ("steepest", [view.steepest_angle], [view.norm], GRADIENT_COLOUR),
        ("lowest", [view.lowest_angle], [-view.norm], PALETTE["purple"]),
        ("zeros", zeros, [0.0 if view.zero_angles else np.nan] * 2, PALETTE["green"]),
        ("your_u", [view.direction.angle], [view.value], PALETTE["black"]),
    )
    series = [Series(names["sweep"], view.theta, view.sweep, DIRECTION_COLOUR)]
    series += [Series(names[role], x, y, colour, mode="markers") for role, x, y, colour in marks]
    return line_chart(
        series,
        ChartLabels(
            "D_u f(p) for every direction θ", "θ (angle of u)", "D_u f(p)", y_range=_padded(view.sweep)
        ),
        style,
        xaxis={
            "range": [0, 2 * math.pi],
            "tickvals": [value for value, _ in PI_TICKS],
            "ticktext": [label for _, label in PI_TICKS],
        },
    )
