"""Gradient field: ∇f as arrows on the level curves of f(x, y) and on its 3-D surface, at a point you move."""

import streamlit as st

from core import code_listing, fields, live_fields
from core.figures.fields import (
    GRADIENT_FIELD_TRACES,
    gradient_field_chart,
    gradient_map_has_legend,
    gradient_map_key,
    surface_chart,
)
from ui.cache import field_arrows, field_landscape
from ui.code_panel import show_code
from ui.inputs import url_bound
from ui.live_chart import Drag, trace_roles
from ui.page import explain, introduce, revealed, setup_page, share_link, show_chart
from ui.plane import plane_controls, point_controls, prepare_plane, show_note, show_plane_chart
from ui.quadratic_panel import add_quadratic_model, quadratic_model_toggle
from ui.registry import page_info

LIVE = "gradient-field-live"
settings = setup_page(page_info("pages/2_Gradient_Field.py"))

controls = plane_controls()
per_side = url_bound(st.sidebar.slider, "Arrows per side", *fields.ARROWS_PER_SIDE, 15, key="arrows")
true_length = url_bound(
    st.sidebar.toggle,
    "True-length arrows",
    key="true_length",
    help="Off: every arrow has the same length and shows only the direction, as in the seed. "
    "On: arrows are in proportion to |∇f|, the longest filling the space between arrows.",
)
by_norm = url_bound(st.sidebar.toggle, "Colour arrows by |∇f|", key="by_norm")
show_model = quadratic_model_toggle()
introduce(
    settings,
    "On the left, the level curves of f(x, y): along each one f keeps the same value. The arrows are the "
    "gradient ∇f, the vector of partial derivatives, drawn on a grid: each points in the direction in which "
    "f increases fastest. Drag the point (x₀, y₀) on the map, or use its sliders (arrow keys work too), to "
    "see ∇f there at once; the tangent plane on the surface follows when you let go.",
    [
        r"\nabla f(x, y) = \begin{bmatrix} \partial f / \partial x \\ \partial f / \partial y \end{bmatrix}"
        r"\qquad |\nabla f| = \sqrt{(\partial f / \partial x)^2 + (\partial f / \partial y)^2}",
        r"\text{tangent plane at } p = (x_0, y_0)\text{: } z = f(p) + \nabla f(p) \cdot (x - x_0,\ y - y_0)",
        r"\max_{|u| = 1} \nabla f(p) \cdot u = |\nabla f(p)|"
        r"\text{ at } u = \frac{\nabla f(p)}{|\nabla f(p)|}"
        r"\qquad \nabla f \perp \text{ level curves}",
    ],
)
scrubbers = point_controls(LIVE)
plane = prepare_plane(controls, (scrubbers[0].value, scrubbers[1].value))
point = plane.point

field = field_arrows(plane.text, plane.window, per_side, true_length)
surface = field_landscape(plane.text, plane.window, plane.colour, fields.SURFACE_POINTS)
# the formulas beside the map, over the surface: the map starts high enough to open large at 1280x720
left, right = st.columns([1.2, 1])
with right:
    st.latex(rf"f(x, y) = {plane.function.latex}")
    answer = revealed(settings, "∇f", plane.text)  # quiz mode: the class guesses the gradient first
    show_note(controls, revealed=answer)
    if answer:
        st.latex(rf"\nabla f(x, y) = {plane.function.gradient_latex}")
with left:
    contours = gradient_field_chart(
        plane.landscape,
        field,
        point,
        live_fields.highlight_arrow(field, point) if answer else None,
        colour_by_norm=by_norm,
        style=settings.style,
    )
    model_note = ""  # drawn for the settled p: the live chart leaves these traces alone
    if show_model and answer:
        model_note = add_quadratic_model(
            contours, plane.function, (point.x, point.y), plane.window, plane.landscape.f, settings.style
        )
    show_plane_chart(
        plane,
        settings,
        key=LIVE,
        recipe="gradient_field",
        figures=[("gradient-field", contours)],
        controls=scrubbers,
        params=live_fields.gradient_field_params(plane.function, field, plane.window, reveal=answer),
        traces=trace_roles(contours, GRADIENT_FIELD_TRACES),
        readouts=live_fields.point_readouts(point, at="(x₀, y₀)", reveal=answer),
        notes=live_fields.point_notes(point, plane.window, reveal=answer),
        drag=Drag(plot=0, x="x0", y="y0"),
    )
    if not gradient_map_has_legend(field, colour_by_norm=by_norm):
        st.caption(gradient_map_key(highlighted=answer))
    if true_length and field.scale > 0:
        st.caption(f"Arrow lengths are |∇f| × {field.scale:.3g} (in units of x and y).")
    if model_note:
        st.caption(model_note)
with right:  # drawn by the server, when the point is let go
    show_chart(
        surface_chart(
            surface, point, fields.surface_marks(point, plane.window) if answer else None, settings.style
        ),
        name="surface",
    )

explain(
    settings,
    "**Read the arrows against the level curves.** Every arrow crosses the level curves at a right angle: "
    "along a level curve f does not change, so the direction of fastest increase must be perpendicular to "
    "it. Turn on *true-length arrows*: they are longest where the level curves crowd together, because "
    "there f changes fastest — |∇f| is the slope in the steepest direction.",
)
explain(
    settings,
    "On the surface, the tangent plane at the point rises with slope |∇f| in the direction of ∇f (the line "
    "from the point) and is level along the level curve. The negative gradient −∇f points downhill: gradient "
    "descent follows it.",
)
show_code(code_listing.gradient(plane.function.expr, point=(point.x, point.y)), reveal=answer)
share_link()
