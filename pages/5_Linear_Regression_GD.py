"""Linear regression by gradient descent: the MSE landscape over (w, b) with the descent path and the
optimum, the loss curve, the fitted line at any iteration beside a line of your own, why a step above
2/λ_max diverges, and what momentum, Adam or mini-batches change."""

import streamlit as st

from core import code_listing_training
from core.descent.linear import fit_view, stable_learning_rate
from core.descent.plot_data import Spot, iterates_table, marked_points
from core.figures import ChartLabels, descent_charts
from core.figures import landscape as descent_figures
from ui import cache
from ui.code_panel import data_recipe, show_code
from ui.descent_controls import (
    descent_settings,
    landscape_drawing,
    landscape_view_picker,
    live_descent_controls,
    or_stop,
    regression_data,
    slider_kept_in_range,
    standardize_toggle,
)
from ui.descent_panels import mini_batch_panel, show_descent_chart, show_metrics, side_by_side
from ui.momentum_panel import momentum_panel
from ui.page import download_csv, explain, introduce, revealed, setup_page, share_link
from ui.registry import page_info

settings = setup_page(page_info("pages/5_Linear_Regression_GD.py"))

loaded = regression_data()
standardize = standardize_toggle()
bound = or_stop(stable_learning_rate, loaded.dataset, standardize=standardize)
sidebar = descent_settings(default_rate=0.01, stable_below=bound, live_rate=True)
live = live_descent_controls("linear-live", sidebar, start_label="Start w₀", live_rate=True)
descent, iteration = live.settings, live.iteration
data_key = (*loaded.key, standardize)
view = or_stop(cache.linear_descent, data_key, loaded.dataset, standardize, descent)
run, path, optimum = view.run, view.run.path, view.run.optimum
st.sidebar.caption(view.data.note)

introduce(
    settings,
    "Gradient descent walks downhill on the mean squared error in steps of η times the negative gradient. "
    "The landscape is drawn wide enough for the start, the whole path and the least-squares optimum. "
    "Scrub the iteration or press **Play** to watch the path, the line and its residuals move together; "
    "drag the learning rate to re-run descent, or click the landscape to start it there.",
    [
        r"L(w, b) = \frac{1}{n} \sum_{i=1}^{n} (y_i - \hat y_i)^2, \qquad \hat y_i = w x_i + b",
        r"\frac{\partial L}{\partial w} = -\frac{2}{n} \sum_{i=1}^{n} (y_i - \hat y_i)\, x_i \qquad "
        r"\frac{\partial L}{\partial b} = -\frac{2}{n} \sum_{i=1}^{n} (y_i - \hat y_i)",
        r"(w, b) \leftarrow (w, b) - \eta\, \nabla L \qquad \text{(stable while } \eta < 2 / \lambda_{\max})",
    ],
)
answers = revealed(settings, "the final weights", (data_key, descent))  # quiz mode: guess where it ends
if view.warning and answers:  # a run that diverged or overflowed tells where it ends
    st.warning(view.warning)

surface_view = landscape_view_picker(st.sidebar)  # a row less above the chart
chart_slot = st.container()
with st.container():  # the run's outcome under the chart, which then opens on a projector's screen
    show_metrics(settings, view.metrics, answers=answers)
    if answers:
        st.markdown(view.optimum_summary)
left, right = st.columns(2)
(w_step, b_step), (w_default, b_default) = view.box.steps(), view.suggested_line
own_w = slider_kept_in_range(left, "Your line: w", *view.box[:2], w_default, w_step, key="own_w")
own_b = slider_kept_in_range(right, "Your line: b", *view.box[2:], b_default, b_step, key="own_b")

shown = min(iteration, len(path.loss) - 1)  # a diverged run stops early
fit = fit_view(
    view.data.x,
    view.data.y,
    descent=(path.w[shown], path.b[shown]),
    optimum=(optimum.w, optimum.b),
    own=(own_w, own_b),
)
optimal = f" (optimal {optimum.loss:.6g})" if answers else ""  # where descent ends, if it converges
left.caption(f"Your line's MSE: **{fit.own_loss:.6g}**{optimal}.")
marked = marked_points(run, iteration, Spot(own_w, own_b, fit.own_loss))
landscape = cache.loss_landscape("linear", data_key, view.data, view.window)
labels = descent_figures.LandscapeLabels("MSE landscape")
draw_landscape, axes_note = landscape_drawing(surface_view, view.window, labels)
fit_labels = ChartLabels("Data and lines", view.data.x_name, view.data.y_name)
with chart_slot:
    show_descent_chart(
        "linear-live",
        settings,
        view,
        live,
        draw_landscape(landscape, view.path, marked, labels, settings.style),
        (descent_charts.fit_chart(fit, labels=fit_labels, style=settings.style), fit),
        surface=surface_view,
        answers=answers,
    )
    if axes_note:
        st.caption(axes_note)

left, right = side_by_side(settings)
mini_batch_panel(left, settings, view, iteration, model="linear", answers=answers)

right.subheader("Curvature: why the step has a limit")
curvature = view.stability.curvature
top, bottom = right.columns(2), right.columns(2)
top[0].metric("λ_min", f"{curvature.eigenvalues[0]:.4g}")
top[1].metric("λ_max", f"{curvature.eigenvalues[1]:.4g}")
bottom[0].metric(
    "Condition number",
    f"{curvature.condition_number:.4g}",
    delta=f"{curvature.condition_number - view.raw_condition_number:.4g} vs raw x" if standardize else None,
    delta_color="inverse",
    help="λ_max / λ_min: how much longer the bowl's valley is than wide.",
)
bottom[1].metric("Stable below 2/λ_max", f"{curvature.max_stable_learning_rate:.4g}")
with right:
    if not view.warning:
        explain(settings, view.stability.explanation)
    explain(
        settings,
        "The MSE is a quadratic bowl whose Hessian, [[2 mean x², 2 mean x], [2 mean x, 2]], is the same "
        "everywhere; its eigenvalues are the curvatures along the bowl's axes. Above η = 2/λ_max the "
        "factor |1 − η λ_max| exceeds 1 and descent diverges, while the flat axis (λ_min) decides how "
        "slowly it converges. A large condition number is a long narrow valley: the stable step is tiny "
        "and progress along the valley crawls. Standardising x makes the bowl round, so a larger step is "
        "stable and descent converges in a few steps.",
    )
if answers:
    download_csv("Download the iterates (CSV)", iterates_table(path), "linear-regression-iterates.csv")
momentum_panel(settings, view.data.x, view.data.y, view.run.settings)
listing = code_listing_training.regression(
    "linear", data_recipe(loaded), view.run.settings, standardize=standardize
)
show_code(listing, reveal=answers)
share_link()
