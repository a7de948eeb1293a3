"""Derivative: f and f′ symbolically and numerically, the rules step by step, tangent vs secant, and how
the error of a finite difference depends on the step h."""

import streamlit as st

from core import univariate
from core.figures import PALETTE, ChartLabels, Series, VerticalMarker, line_chart
from ui.cache import prepared_univariate
from ui.inputs import build_or_stop, function_picker
from ui.page import explain, introduce, revealed, setup_page, share_link, show_chart
from ui.registry import page_info

settings = setup_page(page_info("pages/1_Derivative.py"))

choice, text = function_picker(
    list(univariate.PRESETS),
    default=univariate.DEFAULT,
    variables="x",
    default_formula="x^2 sin(x)",
    examples="x^3 - 2x, sin(x)^2, e^(-x^2), sigmoid(2x), relu(x-1), ln(1+x^2)",
)
parameter = univariate.PRESETS[choice].parameter if text is None else ""
c = st.sidebar.slider("c", -10.0, 10.0, 3.0, 0.5, key="c", bind="query-params") if parameter == "c" else 3.0
n = st.sidebar.slider("n", -5, 10, 3, key="n", bind="query-params") if parameter == "n" else 3
if text is None:
    text = univariate.preset_formula(choice, c=c, n=n)
x_low, x_high = st.sidebar.slider("x range", -10.0, 10.0, (-2.0, 3.0), 0.5, key="xr", bind="query-params")
x0 = st.sidebar.slider("Point x₀", -10.0, 10.0, 1.0, 0.05, key="x0", bind="query-params")
h = st.sidebar.select_slider(
    "Step h",
    options=univariate.STEP_CHOICES,
    value=0.1,
    format_func=univariate.format_step,
    key="h",
    bind="query-params",
)

introduce(
    settings,
    "The blue curve is f. Its derivative f′ is drawn twice: worked out symbolically (solid) and estimated "
    "numerically (dashed) — they should lie on top of each other. At x₀ the tangent has slope f′(x₀); the "
    "secant through x₀ and x₀ + h has the slope of the difference quotient. Shrink h and watch the secant "
    "turn into the tangent.",
    [
        r"f'(x) = \lim_{h \to 0} \frac{f(x + h) - f(x)}{h}",
        r"\text{forward: } \frac{f(x+h) - f(x)}{h} = f'(x) + O(h) \qquad "
        r"\text{central: } \frac{f(x+h) - f(x-h)}{2h} = f'(x) + O(h^2)",
        r"(x^n)' = n x^{n-1} \quad (gh)' = g'h + gh' \quad (g \circ h)' = (g' \circ h)\, h'",
        r"\sigma'(x) = \sigma(x)\,(1 - \sigma(x)) \quad \tanh'(x) = 1 - \tanh^2(x) \quad "
        r"\mathrm{ReLU}'(x) = \begin{cases} 1 & x > 0 \\ 0 & x < 0 \end{cases}",
    ],
)
u = build_or_stop(prepared_univariate, text)
view = univariate.derivative_view(u, x_range=(x_low, x_high), x0=x0, h=h)

left, right = st.columns(2)
left.latex(rf"f(x) = {u.latex}")
with right:
    answer = revealed(settings, "f′(x)", text)  # quiz mode: the class guesses f′ first
    if answer:
        st.latex(rf"f'(x) = {u.derivative_latex}")

status = view.differentiability
if status.differentiable:
    cols = st.columns(4)
    cols[0].metric("f′(x₀)", f"{view.slope:.6g}" if answer else "?", help="The exact derivative at x₀.")
    cols[1].metric("Secant slope", f"{view.forward_quotient:.6g}", help="(f(x₀+h) − f(x₀)) / h")
    cols[2].metric("Gap", f"{view.gap:.3g}", help="Secant slope − f′(x₀): the forward difference's error.")
    cols[3].metric("Central difference", f"{view.central_quotient:.6g}", help="(f(x₀+h) − f(x₀−h)) / 2h")
else:
    st.warning(f"**Not differentiable at x₀ = {x0:g}.** {status.reason}")
if view.undefined_fraction > 0:
    st.info(
        f"f is undefined on {view.undefined_fraction:.0%} of this window; the gaps in the curves are there."
    )

curves = [
    Series("f(x)", view.x, view.f, PALETTE["blue"]),
    Series("secant", view.x, view.secant, PALETTE["orange"], dash="dot", width_scale=0.8),
    Series(
        "x₀, x₀+h",
        [x0, view.secant_point[0]],
        [view.f_x0, view.secant_point[1]],
        PALETTE["black"],
        mode="markers",
    ),
]
if answer:
    curves[1:1] = [
        Series("f′(x) symbolic", view.x, view.f_prime, PALETTE["vermillion"]),
        Series("f′(x) numerical", view.x, view.f_prime_numeric, PALETTE["green"], dash="dash"),
    ]
if answer and status.differentiable:
    curves.insert(3, Series("tangent at x₀", view.x, view.tangent, PALETTE["purple"], width_scale=0.8))
show_chart(
    line_chart(
        curves,
        ChartLabels("f, its derivative, the tangent and the secant", "x", "y", y_range=view.y_range),
        settings.style,
    ),
    name="derivative",
)

st.subheader("How good is a finite difference?")
if status.differentiable:
    show_chart(
        line_chart(
            [
                Series("forward (f(x₀+h) − f(x₀))/h", view.h_values, view.forward_error, PALETTE["orange"]),
                Series("central (f(x₀+h) − f(x₀−h))/2h", view.h_values, view.central_error, PALETTE["blue"]),
                *(
                    Series(name, view.h_values, guide, PALETTE["black"], dash=dash, width_scale=0.5)
                    for (name, guide), dash in zip(
                        view.guides.items(), ("dash", "dashdot", "dot"), strict=False
                    )
                ),
            ],
            ChartLabels(
                "|error| against the step h at x₀",
                "step h",
                "|error|",
                log_x=True,
                log_y=True,
                markers=(VerticalMarker(h, f"h = {univariate.format_step(h)}"),),
            ),
            settings.style,
        ),
        name="difference-error",
    )
    explain(
        settings,
        "On log–log axes the forward error falls with slope 1 (error ∝ h) and the central error "
        "with slope 2 (error ∝ h²) — until rounding takes over: below about h ≈ 10⁻⁸ (forward) or 10⁻⁵ "
        "(central) subtracting two nearly equal floats loses digits, and the error grows again as h shrinks.",
    )
else:
    st.caption("The error curve needs f′(x₀), which does not exist here.")

if answer:
    with st.expander("Derivation, rule by rule", expanded=not settings.lecture):
        for step in u.steps:
            st.markdown(f"**{step.rule.capitalize()} rule**")
            st.latex(step.latex)

share_link()
