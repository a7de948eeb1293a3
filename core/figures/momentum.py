"""Momentum's eigen-view: the error along each of the bowl's eigenvectors against the iteration, and the
convergence factor over (η, β) with the optimum marked."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from core.figures import (
    PALETTE,
    SURFACE_SCALE,
    ChartLabels,
    FigureStyle,
    Series,
    figure,
    figure_layout,
    line_chart,
    trace,
    wire_floats,
)
from core.momentum import RateMap, steps_per_tenfold

DIRECTION_COLOURS = (PALETTE["blue"], PALETTE["vermillion"])  # λ_min (slow), λ_max (fast)
RUN_DASHES = ("solid", "dash", "dot")
OPTIMUM_NAME = "optimal (η*, β*)"
CURRENT_NAME = "your (η, β)"
EIGEN_ERROR_TITLE = "Error along each eigenvector of H"
RATE_MAP_TITLE = "Steps for 10× less error (blank: diverges)"  # fits a phone's chart


def eigen_error_chart(
    runs: Sequence[tuple[str, np.ndarray, np.ndarray]], eigenvalues: tuple[float, float], style: FigureStyle
) -> go.Figure:
    """Per run (a label, its iterations and its errors there, shape (k, 2)), one line per eigenvector on a
    log axis: the slow direction (λ_min) in blue, the fast one (λ_max) in vermillion; runs differ by dash."""
    series = []
    for (label, steps, errors), dash in zip(runs, RUN_DASHES, strict=False):
        for i, (colour, name) in enumerate(zip(DIRECTION_COLOURS, ("λ_min", "λ_max"), strict=True)):
            values = np.where(errors[:, i] > 0, errors[:, i], np.nan)  # exact zeros cannot sit on a log axis
            series.append(
                Series(f"{label}, along {name} = {eigenvalues[i]:.3g}", steps, values, colour, dash=dash)
            )
    return line_chart(series, ChartLabels(EIGEN_ERROR_TITLE, "iteration k", "|error|", log_y=True), style)


def rate_map_chart(
    rates: RateMap, optimum: tuple[float, float], current: tuple[float, float], style: FigureStyle
) -> go.Figure:
    """How many steps the slowest direction needs to shrink its error tenfold, over (η, β), coloured on a
    log scale (near the optimum of a narrow valley every factor is within 1% of 1, which a linear colour
    scale would paint alike); blank where momentum diverges. The optimum and the reader's choice marked."""
    steps = steps_per_tenfold(rates.factors)
    finite = steps[np.isfinite(steps)]
    powers = (
        np.arange(np.floor(np.log10(finite.min())), np.ceil(np.log10(finite.max())) + 1)
        if finite.size
        else []
    )
    marker = style.marker_size * 1.4
    traces = [
        trace(
            "contour",
            x=rates.learning_rates,
            y=rates.betas,
            z=wire_floats(np.log10(steps)),
            customdata=wire_floats(rates.factors),
            name="steps per tenfold",
            colorscale=SURFACE_SCALE,
            reversescale=True,  # fewer steps, brighter (plotly.js knows no "Viridis_r")
            contours={"coloring": "heatmap", "showlines": True},
            colorbar={"title": {"text": "steps per 10×"}, "tickvals": list(powers),
                      "ticktext": [f"{10**p:g}" for p in powers]},
            hovertemplate="η = %{x:.3g}<br>β = %{y:.3g}<br>factor = %{customdata:.5f}"
            "<br>steps per 10× = 10^%{z:.2f}<extra></extra>",
        ),
        trace(
            "scatter",
            x=[optimum[0]], y=[optimum[1]], name=OPTIMUM_NAME, mode="markers",
            marker={"symbol": "star", "size": marker, "color": PALETTE["yellow"], "line": {"width": 1}},
        ),
        trace(
            "scatter",
            x=[current[0]], y=[current[1]], name=CURRENT_NAME, mode="markers",
            marker={"symbol": "circle-open", "size": marker, "color": PALETTE["black"], "line": {"width": 2}},
        ),
    ]  # fmt: skip
    labels = ChartLabels(RATE_MAP_TITLE, "learning rate η", "β", log_x=True)
    return figure(figure_layout(labels, style), traces)
