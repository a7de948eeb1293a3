"""Logistic regression by gradient descent: the cross-entropy landscape with the descent path and the
optimum, the loss curve, the probability curve and decision boundary at any iteration (a line in the plane
for two features), and why separable classes have no finite optimum."""

import streamlit as st

from core import code_listing_training
from core.descent.logistic import weight_norm_curve
from core.descent.plot_data import iterates_table
from core.figures import ChartLabels, descent_charts
from core.figures import landscape as descent_figures
from ui import cache
from ui.code_panel import data_recipe, show_code
from ui.descent_controls import (
    classification_data,
    descent_settings,
    landscape_drawing,
    landscape_view_picker,
    live_descent_controls,
    or_stop,
    standardize_toggle,
)
from ui.descent_panels import mini_batch_panel, show_descent_chart, show_metrics, side_by_side
from ui.page import download_csv, explain, introduce, revealed, setup_page, share_link, show_chart
from ui.registry import page_info

settings = setup_page(page_info("pages/6_Logistic_Regression_GD.py"))

loaded = classification_data()
standardize = standardize_toggle()
two_features = loaded.dataset.x.ndim == 2
start_label = "Start w₁ = w₂" if two_features else "Start w₀"
sidebar = descent_settings(default_rate=0.5)
live = live_descent_controls("logistic-live", sidebar, start_label=start_label, live_rate=False)
descent, iteration = live.settings, live.iteration
data_key = (*loaded.key, standardize)
view = or_stop(cache.logistic_descent, data_key, loaded.dataset, standardize, descent)
st.sidebar.caption(view.data.note)

introduce(
    settings,
    "Logistic regression turns the margin z = w x + b into a probability σ(z) and is fitted by gradient "
    "descent on the binary cross-entropy. The loss is convex but has no closed-form minimum; on separable "
    "classes it has none at all. Press **Play** or scrub the iteration to watch the path, the probability "
    "curve and the decision boundary move together; click the landscape to start descent there.",
    [
        r"\sigma(z) = \frac{1}{1 + e^{-z}}, \qquad z_i = \mathbf{w} \cdot \mathbf{x}_i + b",
        r"L(\mathbf{w}, b) = -\frac{1}{n} \sum_{i=1}^{n} \bigl[y_i \log \sigma(z_i) "
        r"+ (1 - y_i) \log\bigl(1 - \sigma(z_i)\bigr)\bigr]",
        r"\nabla_{\mathbf{w}} L = \frac{1}{n} \sum_{i} \bigl(\sigma(z_i) - y_i\bigr) \mathbf{x}_i \qquad "
        r"\frac{\partial L}{\partial b} = \frac{1}{n} \sum_{i} \bigl(\sigma(z_i) - y_i\bigr)",
        r"\text{decision boundary: } \sigma(z) = 0.5 \iff \mathbf{w} \cdot \mathbf{x} + b = 0 "
        r"\quad (x = -b / w \text{ for one feature})",
    ],
)
answers = revealed(settings, "the final weights", (data_key, descent))  # quiz mode: guess where it ends
if view.warning and answers:  # a run that diverged or overflowed tells where it ends
    st.warning(view.warning)

surface_view = not two_features and landscape_view_picker(st.sidebar)  # a row less above the chart
bias = view.slice_bias(iteration)
landscape = cache.loss_landscape("logistic", data_key, view.data, view.window, bias)
if two_features:
    labels = descent_figures.LandscapeLabels(
        "Cross-entropy over (w₁, w₂)", "weight w₁", "weight w₂", "cross-entropy", "w₁", "w₂"
    )
    shown_bias = f", b = {bias:.4g}" if answers else ""  # the iterate's bias: an answer
    st.caption(
        f"The landscape is the slice at the bias of iteration {iteration}{shown_bias}, which the path "
        "crosses there; it is redrawn when the iteration is let go."
    )
    data_labels, draw_data = (
        ChartLabels("Data and decision boundary", "x₁", "x₂"),
        descent_charts.boundary_chart,
    )
else:
    labels = descent_figures.LandscapeLabels("Cross-entropy landscape", loss_name="cross-entropy")
    data_labels = ChartLabels("Data and σ(w x + b)", view.data.x_name, f"P({view.data.y_name} = 1)")
    draw_data = descent_charts.probability_chart
draw_landscape, axes_note = landscape_drawing(surface_view, view.window, labels)
classes = view.class_view(iteration)
show_descent_chart(
    "logistic-live",
    settings,
    view,
    live,
    draw_landscape(landscape, view.path, view.marked(iteration), labels, settings.style),
    (draw_data(classes, labels=data_labels, style=settings.style), classes),
    surface=surface_view,
    answers=answers,
)
if axes_note:
    st.caption(axes_note)
# the run's outcome under the chart, which then opens on a projector's screen
show_metrics(settings, view.metrics, answers=answers)
if view.separable_note and answers:  # no finite optimum: descent never settles, the answer
    st.info(view.separable_note)
elif answers:
    st.markdown(view.optimum_summary)

left, right = side_by_side(settings)
mini_batch_panel(left, settings, view, iteration, model="logistic", answers=answers)
with right:
    if view.separable_note and answers:  # ‖w‖ growing without bound is where descent goes
        curve = weight_norm_curve(view.run)
        show_chart(descent_charts.weight_norm_chart(curve, style=settings.style), name="weight-norm")
    explain(
        settings,
        "Each gradient term (σ(zᵢ) − yᵢ) xᵢ is the prediction's error times the input, so confidently right "
        "samples barely pull and wrong ones pull hardest. The cross-entropy is convex, so descent cannot get "
        "stuck, but its curvature, the mean of σ(zᵢ)(1 − σ(zᵢ)) xᵢ², fades as the predictions grow "
        "confident: the slope flattens toward the optimum and the steps shrink, which is why the seed's 100 "
        "steps stop short of it. The seed clips σ's argument to ±30 and the probabilities to "
        "[10⁻¹⁵, 1 − 10⁻¹⁵]; the landscape uses the exact loss, which keeps growing where clipping would "
        "flatten it into a plateau.",
    )
if answers:
    download_csv(
        "Download the iterates (CSV)",
        iterates_table(view.run.path),
        "logistic-regression-iterates.csv",
    )
listing = code_listing_training.regression(
    "logistic",
    data_recipe(loaded),
    view.run.settings,
    standardize=standardize,
    has_optimum=view.run.has_optimum,
)
show_code(listing, reveal=answers)
share_link()
