"""What the gradient-descent charts share: the path's colour, the trace names the live chart moves
(``LIVE_TRACES``, ui/live/recipes/descent.js), a line trace drawn like ``core.figures.line_chart``'s, the
legend in rows below a half-width chart, and log-scale ticks labelled with the loss values.

Speed: these figures are rebuilt on every slider move, so each is built in one go with
``core.figures.figure`` from the cached shared layout (``figure_layout``) and plain-dict traces.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence

import numpy as np

from core.figures import PALETTE, FigureStyle, Series, trace

PATH_COLOR = PALETTE["vermillion"]
LEGEND_COLUMNS = 2  # legend entries per row: two fit a half-width chart even in lecture mode
DESCENT, SHOWN, CONVERGED = "gradient descent", "shown iteration", "within 1%"
# role in the live recipe -> trace name, per chart: (landscape, data plot, loss curve)
LIVE_TRACES = (
    {"path": DESCENT, "start": "start", "iterate": SHOWN},
    {"data_line": DESCENT, "residuals": "residuals", "boundary": "boundary"},
    {"loss": "descent", "loss_marker": SHOWN, "converged": CONVERGED},
)


def styled_line(
    series: Series,
    style: FigureStyle,
    *,
    line_width: float | None = None,
    marker_size: float | None = None,
    **properties,
) -> dict:
    """A line or marker trace drawn like ``core.figures.line_chart`` draws its series; `line_width`,
    `marker_size` and `properties` (more Scatter properties) override the style's."""
    return trace(
        "scatter",
        x=np.asarray(series.x, dtype=float),
        y=np.asarray(series.y, dtype=float),
        name=series.name,
        mode=series.mode,
        line={
            "color": series.color,
            "dash": series.dash,
            "width": line_width or style.line_width * series.width_scale,
        },
        marker={"color": series.color, "size": marker_size or style.marker_size},
        hovertemplate=series.hover or None,
        connectgaps=False,
        **properties,
    )


def legend_below(traces: Sequence, style: FigureStyle) -> dict:
    """Layout changes that put the legend in rows of LEGEND_COLUMNS under the x-axis title and grow the
    figure to hold them (the shared layout's legend sits at a fixed fraction below the plot, where a
    half-width chart's wrapped legend runs into the axis title)."""
    entries = sum(line.get("showlegend") is not False for line in traces)
    rows = math.ceil(entries / LEGEND_COLUMNS)
    row_height = 1.6 * style.font_size
    axis_space = 3.2 * style.font_size  # tick labels and the axis title
    legend = {
        "yref": "container",
        "y": 0.0,
        "yanchor": "bottom",
        "entrywidth": 1 / LEGEND_COLUMNS,
        "entrywidthmode": "fraction",
    }
    return {
        "height": style.height + rows * row_height,
        "margin": {"b": axis_space + rows * row_height},
        "legend": legend,
    }


def wrapped_title(title: str, width: int = 28) -> str:
    """Long axis titles (a CSV's column names) on several lines instead of running off the plot."""
    return "<br>".join(textwrap.wrap(title, width)) or title


def log_ticks(low: float, high: float, *, most=8) -> tuple[list[float], list[str]]:
    """Colour-bar ticks for log10 values in [low, high], labelled with the loss values: 1, 2 and 5 × 10^k,
    or fewer (decades, every other decade, ...) so that there are at most `most`."""
    decades = range(math.floor(low), math.ceil(high) + 1)
    strides = (1, 2, 5, 10, 20, 50, 100, 200, 500)  # a float64 spans about 630 decades
    choices = [(1, (1, 2, 5))] + [(stride, (1,)) for stride in strides]
    for stride, mantissas in choices:
        ticks = [k + math.log10(m) for k in decades if k % stride == 0 for m in mantissas]
        ticks = [t for t in ticks if low <= t <= high]
        if len(ticks) <= most:
            break
    return ticks, [f"{10**t:g}" for t in ticks]
