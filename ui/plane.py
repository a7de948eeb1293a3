"""What the pages about f(x, y) at a point share: the sidebar (function, window, colour scale, point), the
landscape on the contour grid, ∇f at the point, and the metrics that report it.

Two steps, so a page can put its own controls in the sidebar before anything is computed (a bad formula
stops the run, and every control should still be on screen, and in the URL, when it does).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import streamlit as st

from core import bivariate, fields, functions2d
from ui.cache import field_landscape, prepared_bivariate
from ui.inputs import build_or_stop, function2d_input, url_bound

POINT_LIMIT = 10.0  # the point sliders' range: every preset's window, at a step fine enough for the smallest


@dataclass(frozen=True)
class PlaneControls:
    choice: str
    text: str
    zoom: float
    colour: str
    point: tuple[float, float]


@dataclass(frozen=True)
class Plane:
    text: str
    function: bivariate.Bivariate
    window: fields.Window
    colour: str
    landscape: fields.Landscape
    point: fields.PointGradient


def plane_controls() -> PlaneControls:
    """Sidebar: function, window (a zoom of the function's own window, so one URL value fits every
    preset), colour scale and the point (x₀, y₀)."""
    choice, text = function2d_input()
    if choice in functions2d.FUNCTIONS and functions2d.get(choice).note:
        st.sidebar.caption(functions2d.get(choice).note)
    zoom = url_bound(
        st.sidebar.select_slider,
        "Window size (× the function's own)",
        options=fields.ZOOMS,
        value=1.0,
        format_func=lambda zoom: f"{zoom:g}",
        key="zoom",
        help="Custom formulas start from −3 ≤ x, y ≤ 3.",
    )
    colour = url_bound(
        st.sidebar.radio,
        "Colour scale",
        fields.COLOUR_SCALES,
        horizontal=True,
        key="colour",
        help="'log' spaces the level curves geometrically above the minimum, so a huge range (Rosenbrock, "
        "Beale) stays readable. 'auto' picks log when most of the window lies near the minimum.",
    )
    x0 = url_bound(st.sidebar.slider, "Point x₀", -POINT_LIMIT, POINT_LIMIT, 1.0, 0.05, key="x0")
    y0 = url_bound(st.sidebar.slider, "Point y₀", -POINT_LIMIT, POINT_LIMIT, 1.0, 0.05, key="y0")
    return PlaneControls(choice, text, zoom, colour, (x0, y0))


def prepare_plane(controls: PlaneControls) -> Plane:
    """Parse f (or stop with the parser's message), evaluate it over the window (or stop if it is undefined
    everywhere there) and take ∇f at the point. Notes about gaps and the point's place go on the page."""
    function = build_or_stop(prepared_bivariate, controls.text)
    window = bivariate.zoomed(fields.base_window(controls.choice), controls.zoom)
    landscape = field_landscape(controls.text, window, controls.colour, fields.CONTOUR_POINTS)
    if landscape.message:
        st.warning(landscape.message)
        st.stop()
    if landscape.undefined_fraction > 0:
        st.info(f"f is undefined on {landscape.undefined_fraction:.0%} of this window; the gaps are there.")
    point = fields.gradient_at_point(function, *controls.point)
    if not fields.contains(window, point.x, point.y):
        st.info(f"The point ({point.x:g}, {point.y:g}) is outside this window: a larger window shows it.")
    return Plane(controls.text, function, window, controls.colour, landscape, point)


def _vector(a: float, b: float) -> str:
    return f"({a:.4g}, {b:.4g})"


def gradient_metrics(
    point: fields.PointGradient, *extra: tuple[str, str, str], at: str = "(x₀, y₀)", answers: bool = True
) -> None:
    """A row of metrics: f, ∇f and |∇f| at the point (called ``at``), then ``extra`` (label, value, help)
    ones. Where ∇f is undefined or zero, say so in words. Without ``answers`` (quiz mode, not yet revealed)
    every value but f's shows as '?'."""
    defined = point.defined
    value = f"{point.value:.6g}" if math.isfinite(point.value) else "undefined"
    metrics = [
        (f"∇f{at}", _vector(*point.gradient) if defined else "undefined", "(∂f/∂x, ∂f/∂y) at the point."),
        (f"|∇f{at}|", f"{point.norm:.6g}" if defined else "undefined", "The steepest slope at the point."),
        *extra,
    ]
    if not answers:
        metrics = [(label, "?", help_text) for label, _, help_text in metrics]
    metrics.insert(0, (f"f{at}", value, "The value of f at the point."))
    for column, (label, value, help_text) in zip(st.columns(len(metrics)), metrics, strict=True):
        column.metric(label, value, help=help_text)
    if not answers:
        return
    if not defined:
        st.warning(point.message)
    elif point.norm == 0:
        st.info(
            "∇f = 0 here: no direction is uphill and every directional derivative is 0. This is a critical "
            "point (a minimum, maximum or saddle); the Critical points page classifies it."
        )
