"""Critical points: solve ∇f = 0 (symbolically within a time limit, numerically otherwise) and classify each
point with the Hessian's eigenvalues."""

import pandas as pd
import streamlit as st

from core import bivariate, code_listing, critical_points, functions2d
from core.figures.critical import CONTOUR_STEPS, critical_points_contour, critical_points_surface
from ui.cache import critical_points_report, prepared_bivariate
from ui.code_panel import show_code
from ui.inputs import CUSTOM, build_or_keep, function2d_input, url_bound
from ui.page import explain, introduce, revealed, setup_page, share_link, show_chart
from ui.quadratic_panel import add_quadratic_model, quadratic_model_point
from ui.registry import page_info

settings = setup_page(page_info("pages/4_Critical_Points.py"))

choice, text = function2d_input(default="Seed loss x²+y²−2xy+2x−4y+3")
base_window = (-3.0, 3.0, -3.0, 3.0) if choice == CUSTOM else functions2d.get(choice).window
zoom = url_bound(st.sidebar.select_slider, "Zoom out", [0.25, 0.5, 1.0, 2.0, 4.0], value=1.0, key="zoom")
time_limit = url_bound(st.sidebar.slider, "Symbolic time limit (s)", 0.5, 5.0, 2.0, 0.5, key="limit")
window = bivariate.zoomed(base_window, zoom)
model_point = quadratic_model_point(window)  # None unless the model is asked for

introduce(
    settings,
    "A critical point is where the gradient vanishes: no direction goes up or down to first order. The "
    "Hessian's eigenvalues say what kind it is: the curvature along its two eigenvector directions. Markers "
    "show the kind by shape and colour; the black segments are the eigenvector directions.",
    [
        r"\nabla f(x, y) = \begin{pmatrix} \partial f/\partial x \\ \partial f/\partial y \end{pmatrix}"
        r" = 0 \qquad H = \begin{pmatrix} f_{xx} & f_{xy} \\ f_{xy} & f_{yy} \end{pmatrix}",
        r"\lambda_1, \lambda_2 > 0: \text{minimum} \quad \lambda_1, \lambda_2 < 0: \text{maximum} \quad "
        r"\lambda_1 \lambda_2 < 0: \text{saddle} \quad \lambda_i = 0: \text{test inconclusive}",
        r"\det H = f_{xx} f_{yy} - f_{xy}^2 = \lambda_1 \lambda_2",
    ],
)
b, text = build_or_keep(prepared_bivariate, text)  # a refused formula keeps the last one, greyed
# the map first, the formulas and the answer beside it: the map opens whole on a 1280x720 projector
contour_column, table_column = st.columns([1.4, 1])
with table_column:
    st.latex(rf"f(x, y) = {b.latex}")
    st.latex(rf"\nabla f = {b.gradient_latex}")
    answer = revealed(settings, "the critical points", (text, window))  # quiz mode: guess the kinds first
    if answer:  # H's eigenvalues are the kinds (the same everywhere for a quadratic f)
        st.latex(rf"H = {b.hessian_latex}")
    with st.spinner(f"Solving ∇f = 0 symbolically (at most {time_limit:g} s), then numerically if needed…"):
        report = critical_points_report(text, window, time_limit)
    if answer:
        (st.info if report.points or report.families else st.warning)(report.message)
        st.caption(f"Answered in {report.seconds:.2f} s ({report.method}).")

points = report.points if answer else []
x, y, z = bivariate.evaluate_on_grid(b.f, window, 121)
scale = min(window[1] - window[0], window[3] - window[2])
marks = critical_points.marks_by_kind(points)
with contour_column:
    contour = critical_points_contour(
        x, y, z, marks, critical_points.eigenvector_segments(points, 0.25 * scale),
        report.family_curves if answer else (), settings.style, z_range=bivariate.color_range(z),
    )  # fmt: skip
    if model_point and answer:
        note = add_quadratic_model(contour, b, model_point, window, z, settings.style, levels=CONTOUR_STEPS,
                                   mark_point=True)  # fmt: skip
    show_chart(contour, name="critical-points-contour")
    if model_point and answer:
        st.caption(note)
    explain(settings, "Black segments: the Hessian's eigenvector directions, along which f curves most "
            "and least at each point.")  # fmt: skip
with table_column:
    if points:
        st.dataframe(
            pd.DataFrame(critical_points.table(points)),
            hide_index=True,
            width="stretch",
            column_config={
                name: st.column_config.NumberColumn(format="%.4g") for name in critical_points.NUMERIC_COLUMNS
            },
        )
        labels = [
            f"{i + 1}: {p.kind} at ({p.location[0]:.3g}, {p.location[1]:.3g})" for i, p in enumerate(points)
        ]
        chosen = st.selectbox("Explain the second-derivative test at", range(len(points)),
                              format_func=labels.__getitem__, key="point")  # fmt: skip
        st.markdown(critical_points.second_derivative_test(points[chosen]))

sx, sy, sz = bivariate.evaluate_on_grid(b.f, window, 51)
show_chart(critical_points_surface(sx, sy, sz, marks, settings.style), name="critical-points-surface")

show_code(
    code_listing.critical_points(b.expr, window=window, symbolic=report.method == "symbolic"), reveal=answer
)
share_link()
