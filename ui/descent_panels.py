"""Main-area pieces shared by the gradient-descent pages: the layout, the metrics row (answers hidden in quiz
mode), and the loss curve with the mini-batch gradient cloud and a note on the chosen method."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from core import descent_view
from core.descent_view import LinearDescentView, LogisticDescentView, Metric
from core.figures import PALETTE, VerticalMarker
from core.figures.landscape import gradient_cloud_chart, loss_chart
from ui.page import PageSettings, explain, show_chart


def side_by_side(settings: PageSettings) -> tuple:
    """Two containers: columns on a laptop, one below the other in lecture mode, where text is larger."""
    return (st.container(), st.container()) if settings.lecture else st.columns(2)


def show_metrics(settings: PageSettings, metrics: Sequence[Metric], *, answers: bool) -> None:
    """The metrics in one row, or rows of three where one row would cut them off (lecture mode's larger
    numbers, more than five metrics); an answer reads "?" until revealed."""
    per_row = 3 if settings.lecture or len(metrics) > 5 else len(metrics)
    for start in range(0, len(metrics), per_row):
        for column, metric in zip(st.columns(per_row), metrics[start : start + per_row], strict=False):
            shown = metric.value if answers or not metric.answer else "?"
            column.metric(metric.label, shown, help=metric.help)


def loss_and_noise(
    container,
    settings: PageSettings,
    view: LinearDescentView | LogisticDescentView,
    iteration: int,
    *,
    model: str,
    loss_name: str,
) -> None:
    """The loss curve with the shown iteration (and the first within 1% of the optimum) marked; for a
    mini-batch run, every batch's gradient at that iteration around the full one; what the chosen
    optimizer and batch size change."""
    run = view.run
    markers = [VerticalMarker(iteration, f"iteration {iteration}")]
    if run.converged_at is not None:
        markers.append(VerticalMarker(run.converged_at, "within 1%", PALETTE["green"]))
    with container:
        curve = descent_view.loss_curve(run)
        show_chart(loss_chart(curve, loss_name=loss_name, markers=markers, style=settings.style), name="loss")
        if run.settings.batch_size is not None:
            cloud = descent_view.gradient_cloud_view(model, view.data.x, view.data.y, run, iteration)
            if isinstance(cloud, str):
                st.caption(cloud)
            else:
                chart = gradient_cloud_chart(cloud, style=settings.style)
                show_chart(chart, name="gradient-cloud")
                st.caption(cloud.summary)
        if view.method_note:
            explain(settings, view.method_note)
