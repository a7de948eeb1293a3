"""What the pages about f(x, y) at a point share: the sidebar (function, window, colour scale), the point
p = (x₀, y₀) as live scrubbers in the chart, the landscape on the contour grid, ∇f at the point, and the
live chart that shows them.

Three steps, so a page can put its own controls in the sidebar before anything is computed (a bad formula
stops the run, and every control should still be on screen, and in the URL, when it does).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import plotly.graph_objects as go
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from core import bivariate, fields, functions2d, live_fields
from ui.cache import field_landscape, prepared_bivariate
from ui.inputs import build_or_keep, function2d_input, url_bound
from ui.live_chart import Drag, LiveChart, LiveControl, live_controls, show_live_chart
from ui.page import PageSettings

POINT_LIMIT = 10.0  # the point's range: every preset's window, at a step fine enough for the smallest
POINT_CONTROLS = (
    LiveControl("x0", "Point x₀", 1.0, -POINT_LIMIT, POINT_LIMIT, 0.05),
    LiveControl("y0", "Point y₀", 1.0, -POINT_LIMIT, POINT_LIMIT, 0.05),
)


@dataclass(frozen=True)
class PlaneControls:
    choice: str
    text: str
    zoom: float
    colour: str
    note: str  # the preset's note ("" for none), shown by show_note
    note_slot: DeltaGenerator  # its place, under the function picker


@dataclass(frozen=True)
class FunctionPlane:
    """f(x, y) as a page about a point draws it: the parsed function, its window and landscape, and ∇f at
    the point (not core.nn_landscape.Plane, two directions through a network's weights)."""

    text: str
    function: bivariate.Bivariate
    window: fields.Window
    colour: str
    landscape: fields.Landscape
    point: fields.PointGradient


def plane_controls() -> PlaneControls:
    """Sidebar: function, window (a zoom of the function's own window, so one URL value fits every
    preset) and colour scale."""
    choice, text = function2d_input()
    note = functions2d.get(choice).note if choice in functions2d.FUNCTIONS else ""
    note_slot = st.sidebar.empty()  # filled once the page knows whether its answer shows
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
    return PlaneControls(choice, text, zoom, colour, note, note_slot)


def show_note(controls: PlaneControls, *, revealed: bool) -> None:
    """The preset's note under the function picker, once the page's answer shows: a note can name ∇f (the
    seed's bowl: ∇f = (2x, 4y)) or the kind of a critical point, so quiz mode keeps it until Reveal."""
    if controls.note and revealed:
        controls.note_slot.caption(controls.note)


def point_controls(key: str, *extra: LiveControl) -> list[LiveControl]:
    """The live chart's scrubbers, p's coordinates first, at their current values (the browser's last
    settled move, else the URL, else the default), checked and written to the URL. Call before
    ``prepare_plane``, so they are in the URL even when the formula stops the run."""
    return live_controls(key, [*POINT_CONTROLS, *extra])


def prepare_plane(controls: PlaneControls, point: tuple[float, float]) -> FunctionPlane:
    """Parse f (a refused formula shows the parser's message and keeps the last one that worked, or
    stops), evaluate it over the window (or stop if it is undefined everywhere there) and take ∇f at the
    point. A note about gaps in the window goes on the page."""
    function, text = build_or_keep(prepared_bivariate, controls.text)  # the last valid one, greyed
    window = bivariate.zoomed(fields.base_window(controls.choice), controls.zoom)
    landscape = field_landscape(text, window, controls.colour, fields.CONTOUR_POINTS)
    if landscape.message:
        st.warning(landscape.message)
        st.stop()
    if landscape.undefined_fraction > 0:
        st.info(f"f is undefined on {landscape.undefined_fraction:.0%} of this window; the gaps are there.")
    return FunctionPlane(
        text,
        function,
        window,
        controls.colour,
        landscape,
        fields.gradient_at_point(function, *point),
    )


def show_plane_chart(
    plane: FunctionPlane,
    settings: PageSettings,
    *,
    key: str,
    recipe: str,
    figures: Sequence[tuple[str, go.Figure]],
    controls: Sequence[LiveControl],
    params: Mapping[str, object],
    traces: Mapping[str, tuple[int, int]],
    readouts: Sequence[tuple[str, str, str]],
    notes: Sequence[str],
    drag: Drag,
) -> None:
    """The live chart over the plane: ∇f goes to the browser as JavaScript, or, where a formula cannot be
    translated, the server's readouts and notes stand and every settled move is redrawn by the server."""
    show_live_chart(
        LiveChart(
            key=key,
            recipe=recipe,
            figures=figures,
            controls=controls,
            params=params,
            traces=traces,
            formulas=live_fields.browser_formulas(plane.function),
            variables=bivariate.VARIABLES,
            drag=drag,
            columns=len(figures),
            lecture=settings.lecture,
            server_readouts=readouts,
            server_message=" ".join(notes),
        )
    )
