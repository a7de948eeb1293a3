"""Main-area pieces shared by the gradient-descent pages: the layout, the metrics row (answers hidden in quiz
mode), the live chart (landscape, data plot and loss curve, moved in the browser by ui/live/recipes/
descent.js), and below it the mini-batch gradient cloud and a note on the chosen method.

Quiz mode asks where descent ends, so until Reveal the class sees the question only: the landscape, the
data, the start and a line of their own; the run's path, iterate, optimum, the lines drawn from them, the
loss curve (its end is the final loss) and the gradient cloud wait for Reveal."""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go
import streamlit as st

from core.descent.linear import FitView, LinearDescentView
from core.descent.logistic import BoundaryView, LogisticDescentView, ProbabilityView
from core.descent.notes import Metric
from core.descent.plot_data import gradient_cloud_view, loss_curve
from core.descent_live import descent_readouts, linear_live_params, logistic_live_params
from core.figures.descent_charts import gradient_cloud_chart, loss_chart
from core.figures.descent_style import DESCENT, LIVE_TRACES, SHOWN
from ui.descent_controls import LiveDescent
from ui.live_chart import Drag, LiveChart, show_live_chart, trace_roles
from ui.page import PageSettings, explain, show_chart

# every trace drawn from the run or the optimum, by name (core.figures.landscape and descent_charts)
ANSWER_TRACES = frozenset(
    {DESCENT, SHOWN, "optimum", "least squares", "residuals", "boundary", "optimal boundary", "probability"}
)


def without_answers(figure: go.Figure) -> go.Figure:
    """``figure`` with the traces that show the run or the optimum taken out (quiz mode, until Reveal)."""
    figure.data = [trace for trace in figure.data if trace.name not in ANSWER_TRACES]
    return figure


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


def show_descent_chart(
    key: str,
    settings: PageSettings,
    view: LinearDescentView | LogisticDescentView,
    live: LiveDescent,
    landscape: go.Figure,
    data_plot: tuple[go.Figure, FitView | ProbabilityView | BoundaryView],
    *,
    surface: bool,
    answers: bool,
) -> None:
    """The live chart: the landscape (clicking it starts descent there, unless it is the 3-D surface or the
    weight plane of two features), the data plot and the loss curve, with the live controls under them.
    A 3-D landscape is redrawn by the server once a control is let go. Without ``answers`` (quiz mode) the
    run stays off the charts and the loss curve waits for Reveal."""
    data_figure, data_view = data_plot
    linear = isinstance(view, LinearDescentView)
    figures = [("landscape", landscape), ("data", data_figure)]
    if answers:
        loss = loss_chart(
            loss_curve(view.run),
            loss_name="MSE" if linear else "cross-entropy",
            shown=live.iteration,
            converged=view.run.converged_at,
            style=settings.style,
        )
        figures.append(("loss", loss))
    else:
        figures = [(name, without_answers(figure)) for name, figure in figures]
    roles: dict[str, tuple[int, int]] = {}
    for chart, ((_, figure), names) in enumerate(zip(figures, LIVE_TRACES[: len(figures)], strict=True)):
        if not (chart == 0 and surface):
            roles |= trace_roles(figure, names, chart=chart)
    params = (
        linear_live_params(view, data_view, reveal=answers)
        if linear
        else logistic_live_params(view, data_view, reveal=answers)
    )
    plane = not linear and view.two_features
    show_live_chart(
        LiveChart(
            key=key,
            recipe="descent",
            figures=figures,
            controls=live.controls,
            params=params,
            traces=roles,
            drag=None if surface or plane else Drag(plot=0, x="w0", y="b0"),
            columns=1 if settings.lecture else 2,
            lecture=settings.lecture,
            server_readouts=descent_readouts(view, live.iteration, reveal=answers),
        )
    )


def mini_batch_panel(
    container,
    settings: PageSettings,
    view: LinearDescentView | LogisticDescentView,
    iteration: int,
    *,
    model,
    answers: bool,
) -> None:
    """For a mini-batch run, every batch's gradient at the shown iteration around the full one (redrawn
    by the server when the scrubber is let go; in quiz mode after Reveal: the gradients tell how far the
    iterate is from the optimum); what the chosen optimizer and batch size change."""
    run = view.run
    with container:
        if run.settings.batch_size is not None and answers:
            cloud = gradient_cloud_view(model, view.data.x, view.data.y, run, iteration)
            if isinstance(cloud, str):
                st.caption(cloud)
            else:
                show_chart(gradient_cloud_chart(cloud, style=settings.style), name="gradient-cloud")
                st.caption(cloud.summary)
        if view.method_note:
            explain(settings, view.method_note)
