"""Directional derivative: D_u f(p) = ∇f(p)·u, the slice of f along u through p, and D_u f for every
direction."""

import streamlit as st

from core import code_listing, live_fields
from core.figures.fields import (
    DIRECTION_TRACES,
    SLICE_TRACES,
    SWEEP_TRACES,
    angle_sweep_chart,
    direction_chart,
    slice_chart,
)
from ui.code_panel import show_code
from ui.inputs import url_bound
from ui.live_chart import Drag, LiveControl, trace_roles
from ui.page import explain, introduce, revealed, setup_page, share_link
from ui.plane import plane_controls, point_controls, prepare_plane, show_note, show_plane_chart
from ui.registry import page_info

LIVE = "directional-live"
DIRECTION_CONTROLS = {
    live_fields.VECTOR: (
        LiveControl("u1", "u₁ (x component)", 1.0, -3.0, 3.0, 0.1),
        LiveControl("u2", "u₂ (y component)", 1.0, -3.0, 3.0, 0.1),
    ),
    live_fields.ANGLE: (LiveControl("theta", "Angle θ", 45, 0, 359, 1, format="degrees"),),
}

settings = setup_page(page_info("pages/3_Directional_Derivative.py"))

controls = plane_controls()
given_as = url_bound(st.sidebar.radio, "Direction u as", ("Vector", "Angle"), horizontal=True, key="u")
mode = live_fields.ANGLE if given_as == "Angle" else live_fields.VECTOR
st.sidebar.caption("u is normalised to length 1 for you: only its direction matters.")
introduce(
    settings,
    "Stand at the point p on the landscape and face the direction u. How steeply does f rise or fall as you "
    "walk? That slope is the directional derivative D_u f(p): the dot product of the gradient at p with u. "
    "Turn u (drag its arrow's head, or use the sliders above the charts) and watch D_u f trace a cosine — "
    "largest along ∇f, zero along the level curve. Drag anywhere else on the map to move p.",
    [
        r"D_u f(p) = \lim_{t \to 0} \frac{f(p + t u) - f(p)}{t} = g'(0) \quad \text{with } g(t) = f(p + t u)",
        r"D_u f(p) = \nabla f(p) \cdot u = |\nabla f(p)| \cos \alpha \qquad |u| = 1"
        r"\quad (u = v / |v| \text{ for any } v \neq 0)",
        r"u = (\cos \theta, \sin \theta): \quad -|\nabla f(p)| \le D_u f(p) \le |\nabla f(p)|",
    ],
)
scrubbers = point_controls(LIVE, *DIRECTION_CONTROLS[mode])
values = {c.name: c.value for c in scrubbers}
plane = prepare_plane(controls, (values["x0"], values["y0"]))
point = plane.point
direction = live_fields.direction(mode, values)
view = live_fields.directional_view(plane.function, point, direction, plane.window)

answer = revealed(settings, "D_u f(p)", plane.text)  # quiz mode: the class guesses from f and u first
show_note(controls, revealed=answer)

# ∇f(p)'s arrow beside u would tell D_u f(p): quiz mode draws it after Reveal
figures = [("direction", direction_chart(plane.landscape, view, settings.style, show_gradient=answer))]
roles = trace_roles(figures[0][1], DIRECTION_TRACES)
if answer:  # the slice and the sweep would tell D_u f
    figures += [
        ("slice", slice_chart(view, settings.style)),
        ("angle-sweep", angle_sweep_chart(view, settings.style)),
    ]
    roles |= trace_roles(figures[1][1], SLICE_TRACES, chart=1) | trace_roles(
        figures[2][1], SWEEP_TRACES, chart=2
    )
show_plane_chart(
    plane,
    settings,
    key=LIVE,
    recipe="directional",
    figures=figures,
    controls=scrubbers,
    params=live_fields.directional_params(plane.function, view, plane.window, mode=mode, reveal=answer),
    traces=roles,
    readouts=live_fields.point_readouts(
        point,
        ("D_u f(p)", live_fields.readout_number(view.value), "∇f(p)·u: the slope of f along u at p."),
        at="(p)",
        reveal=answer,
    ),
    notes=live_fields.directional_notes(point, direction, plane.window, reveal=answer),
    drag=Drag(plot=0, handler="directional"),
)
st.latex(rf"f(x, y) = {plane.function.latex}")  # under the chart, which then opens on a projector's screen
if answer and point.defined and direction is not None:  # the arithmetic for the settled p and u
    st.latex(r" \\[4pt] ".join(view.latex))
if answer:
    explain(
        settings,
        "Walk from p along u: the heights you meet are the slice g(t) = f(p + t·u). Its slope at t = 0 is "
        "the directional derivative D_u f(p) = ∇f(p)·u — the dashed tangent. The dotted line on the map is "
        "the path of the walk.",
    )
    explain(
        settings,
        "Since ∇f(p)·u = |∇f(p)| cos α, with α the angle between ∇f(p) and u, D_u f traces a cosine as u "
        "turns: largest, |∇f|, when u points along the gradient (steepest ascent), smallest, −|∇f|, opposite "
        "(steepest descent), and zero at the two directions along the level curve through p.",
    )
if direction is not None:  # a zero u has no direction to differentiate along
    show_code(
        code_listing.directional(plane.function.expr, point=(point.x, point.y), direction=direction.unit),
        reveal=answer,
    )
share_link()
