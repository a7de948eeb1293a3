"""Directional derivative: D_u f(p) = ∇f(p)·u, the slice of f along u through p, and D_u f for every
direction."""

import streamlit as st

from core import fields
from core.figures.fields import angle_sweep_chart, direction_chart, slice_chart
from ui.inputs import url_bound
from ui.page import explain, introduce, revealed, setup_page, share_link, show_chart
from ui.plane import gradient_metrics, plane_controls, prepare_plane
from ui.registry import page_info

settings = setup_page(page_info("pages/3_Directional_Derivative.py"))

controls = plane_controls()
given_as = url_bound(st.sidebar.radio, "Direction u as", ("Vector", "Angle"), horizontal=True, key="u")
if given_as == "Angle":
    theta = url_bound(st.sidebar.slider, "Angle θ (degrees)", 0, 359, 45, key="theta")
else:
    u1 = url_bound(st.sidebar.slider, "u₁ (x component)", -3.0, 3.0, 1.0, 0.1, key="u1")
    u2 = url_bound(st.sidebar.slider, "u₂ (y component)", -3.0, 3.0, 1.0, 0.1, key="u2")
st.sidebar.caption("u is normalised to length 1 for you: only its direction matters.")
introduce(
    settings,
    "Stand at the point p on the landscape and face the direction u. How steeply does f rise or fall as you "
    "walk? That slope is the directional derivative D_u f(p): the dot product of the gradient at p with u. "
    "Turn u and watch it trace a cosine — largest along ∇f, zero along the level curve.",
    [
        r"D_u f(p) = \lim_{t \to 0} \frac{f(p + t u) - f(p)}{t} = g'(0) \quad \text{with } g(t) = f(p + t u)",
        r"D_u f(p) = \nabla f(p) \cdot u = |\nabla f(p)| \cos \alpha \qquad |u| = 1"
        r"\quad (u = v / |v| \text{ for any } v \neq 0)",
        r"u = (\cos \theta, \sin \theta): \quad -|\nabla f(p)| \le D_u f(p) \le |\nabla f(p)|",
    ],
)
plane = prepare_plane(controls)

st.latex(rf"f(x, y) = {plane.function.latex}")
try:
    direction = (
        fields.Direction.from_angle(theta) if given_as == "Angle" else fields.Direction.from_vector(u1, u2)
    )
    view = fields.directional_view(plane.function, plane.point, direction, plane.window)
except ValueError as error:
    st.error(f"**No directional derivative here.** {error}")
    st.stop()

# quiz mode: the class guesses D_u f(p) from the arrows first; another function, point or direction is
# another question
question = (plane.text, controls.point, direction.unit)
answer = revealed(settings, "D_u f(p)", question)
gradient_metrics(
    plane.point,
    ("D_u f(p)", f"{view.value:.6g}", "∇f(p)·u: the slope of f along u at p."),
    at="(p)",
    answers=answer,
)
if answer:
    st.latex(r" \\[4pt] ".join(view.latex))

left, right = st.columns([1.3, 1])
with left:
    show_chart(direction_chart(plane.landscape, view, settings.style), name="direction")
if answer:
    with right:
        show_chart(slice_chart(view, settings.style), name="slice")
    explain(
        settings,
        "Walk from p along u: the heights you meet are the slice g(t) = f(p + t·u). Its slope at t = 0 is "
        "the directional derivative D_u f(p) = ∇f(p)·u — the dashed tangent. The dotted line on the left is "
        "the path of the walk.",
    )
    show_chart(angle_sweep_chart(view, settings.style), name="angle-sweep")
    explain(
        settings,
        "Since ∇f(p)·u = |∇f(p)| cos α, with α the angle between ∇f(p) and u, D_u f traces a cosine as u "
        "turns: largest, |∇f|, when u points along the gradient (steepest ascent), smallest, −|∇f|, opposite "
        "(steepest descent), and zero at the two directions along the level curve through p.",
    )
share_link()
