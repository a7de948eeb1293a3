"""Derivative: f and f′ symbolically and numerically, the rules step by step, tangent vs secant, and how
the error of a finite difference depends on the step h."""

import streamlit as st

from core import code_listing, univariate
from core.calculus import has_kink
from core.derivative_forms import self_derivative_latex
from core.figures.derivative import DERIVATIVE_ROLES, ERROR_ROLES, derivative_chart, difference_error_chart
from ui.cache import prepared_univariate
from ui.code_panel import show_code
from ui.inputs import build_or_keep, function_picker, url_bound
from ui.live_chart import Drag, LiveChart, LiveControl, live_controls, show_live_chart, trace_roles
from ui.page import explain, introduce, revealed, setup_page, share_link
from ui.registry import page_info
from ui.taylor_panel import taylor_panel

settings = setup_page(page_info("pages/1_Derivative.py"))

choice, text = function_picker(
    list(univariate.PRESETS),
    default=univariate.DEFAULT,
    variables="x",
    default_formula="x^2 sin(x)",
    examples="x^3 - 2x, sin(x)^2, e^(-x^2), sigmoid(2x), relu(x-1), ln(1+x^2)",
)
parameter = univariate.PRESETS[choice].parameter if text is None else ""
c = url_bound(st.sidebar.slider, "c", -10.0, 10.0, 3.0, 0.5, key="c") if parameter == "c" else 3.0
n = url_bound(st.sidebar.slider, "n", -5, 10, 3, key="n") if parameter == "n" else 3
if text is None:
    text = univariate.preset_formula(choice, c=c, n=n)
x_low, x_high = url_bound(st.sidebar.slider, "x range", -10.0, 10.0, (-2.0, 3.0), 0.5, key="xr")
u, text = build_or_keep(prepared_univariate, text)  # a refused formula keeps the last one, greyed
controls = live_controls(
    "derivative-live",
    [
        LiveControl("x0", "Point x₀", 1.0, -10.0, 10.0, 0.05),
        LiveControl(
            "h",
            "Step h",
            0.1,
            options=univariate.STEP_CHOICES,
            format="step",
            play_label="Shrink h",
            play_from=1.0,
            play_to=1e-6,
            play_ms=250,
        ),
    ],
)
x0, h = (c.value for c in controls)
view = univariate.derivative_view(u, x_range=(x_low, x_high), x0=x0, h=h)

left, right = st.columns(2)
left.latex(rf"f(x) = {u.latex}")
with right:
    answer = revealed(settings, "f′(x)", text)  # quiz mode: the class guesses f′ first
    if answer:
        st.latex(rf"f'(x) = {u.derivative_latex}")
        if in_f := self_derivative_latex(u.expr):  # σ′ = σ(1 − σ) however σ was typed
            st.latex(in_f)
if view.undefined_fraction > 0:
    st.info(
        f"f is undefined on {view.undefined_fraction:.0%} of this window; the gaps in the curves are there."
    )

main = derivative_chart(view, settings.style, reveal=answer)
figures = [("derivative", main)]
roles = trace_roles(main, DERIVATIVE_ROLES)
if answer:  # the error curves give f′(x₀) away, so quiz mode shows them only after Reveal
    error_chart = difference_error_chart(view, settings.style)
    figures.append(("difference-error", error_chart))
    roles |= trace_roles(error_chart, ERROR_ROLES, chart=1)
show_live_chart(
    LiveChart(
        key="derivative-live",
        recipe="derivative",
        figures=figures,
        controls=controls,
        params={"x_low": x_low, "x_high": x_high, "has_kink": has_kink(u.expr), "reveal": answer},
        traces=roles,
        formulas=univariate.browser_formulas(u),
        variables=univariate.VARIABLES,
        drag=Drag(plot=0, x="x0"),
        columns=len(figures),
        lecture=settings.lecture,
        server_readouts=view.readouts(reveal=answer),
        server_message=view.message(reveal=answer),
    )
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
explain(
    settings,
    "Drag on the chart or use the sliders under it (arrow keys work too): the tangent, the secant and the "
    "numbers follow at once. **Shrink h** animates the step from 1 down to 10⁻⁶. On the log–log error chart "
    "the forward error falls with slope 1 (error ∝ h) and the central error with slope 2 (error ∝ h²) — "
    "until rounding takes over: below about h ≈ 10⁻⁸ (forward) or 10⁻⁵ (central) subtracting two nearly "
    "equal floats loses digits, and the error grows again as h shrinks.",
)

if answer:  # order 1 is the tangent: it gives f′(x₀) away
    taylor_panel(settings, text, (x_low, x_high), x0, view.y_range)
    with st.expander("Derivation, rule by rule", expanded=not settings.lecture):
        for step in u.steps:
            st.markdown(f"**{step.rule.capitalize()} rule**")
            st.latex(step.latex)

show_code(code_listing.derivative(u.expr, x0=x0, h=h), reveal=answer)
share_link()
