"""Plotly figure builders: finished arrays in, ``go.Figure`` out. No maths and no SymPy here.

Every builder takes a ``FigureStyle`` so lecture mode (bigger text, thicker lines) applies everywhere, and
uses the Okabe–Ito palette, which stays distinguishable for the common kinds of colour blindness. This
module holds the shared pieces and line charts; topic modules (contours and surfaces, landscapes) sit
beside it and build on ``figure_layout`` and ``figure``.
"""

from __future__ import annotations

import dataclasses
import functools
import json
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas  # noqa: F401  (complete before Plotly builds anything: see core/__init__.py)
import plotly.graph_objects as go
import plotly.io as pio

# Okabe & Ito (2008), "Color Universal Design"
PALETTE = {
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "green": "#009E73",
    "orange": "#E69F00",
    "sky": "#56B4E9",
    "purple": "#CC79A7",
    "yellow": "#F0E442",
    "black": "#000000",
}
SURFACE_SCALE = "Viridis"  # perceptually uniform
# A legend right of a square map, from its top, in the plot's coordinates: the shared layout's legend is
# placed in the figure's ("container"), where plotly.js reserves a top margin as tall as a vertical legend,
# and the optimizer race's map (eight entries) shrank to an 80-110 px square on a 1280x720 screen.
LEGEND_BESIDE = {
    "orientation": "v",
    "xref": "paper",
    "yref": "paper",
    "x": 1.02,
    "xanchor": "left",
    "y": 1.0,
    "yanchor": "top",
}
TEMPLATE = "gradient_lab"
TRACE_TYPES = ("contour", "heatmap", "scatter", "scatter3d", "surface")  # every kind of trace drawn here
UNUSED_AXES = ("polar", "ternary", "geo")


def _register_template() -> None:
    """plotly_white with only the parts these charts read: its defaults for the trace types in TRACE_TYPES,
    its layout without polar, ternary and geographic axes. Every figure carries its template, and Plotly
    copies it when a figure is made, copied for Streamlit and written as JSON: plotly_white's 7 KB, for 24
    trace types, was copied three times per chart per rerun."""
    white = pio.templates["plotly_white"].to_plotly_json()
    pio.templates[TEMPLATE] = go.layout.Template(
        data={kind: white["data"][kind] for kind in TRACE_TYPES},
        layout={key: value for key, value in white["layout"].items() if key not in UNUSED_AXES},
    )


_register_template()
# As the default, go.Figure() attaches it without validation; setting template=... on each figure
# re-validated and copied it, ~14 ms of CPU per chart per rerun.
pio.templates.default = TEMPLATE


@dataclass(frozen=True)
class FigureStyle:
    """Text and line sizes for one figure; ``lecture()`` is the projector version."""

    font_size: int = 15
    line_width: float = 2.5
    marker_size: int = 10
    height: int = 460

    @classmethod
    def lecture(cls) -> FigureStyle:
        return cls(font_size=21, line_width=4.0, marker_size=14, height=520)


@dataclass(frozen=True)
class Series:
    """One line (or set of markers) on a 2-D chart."""

    name: str
    x: np.ndarray
    y: np.ndarray
    color: str = PALETTE["blue"]
    dash: str = "solid"
    mode: str = "lines"
    width_scale: float = 1.0
    hover: str = ""


@dataclass(frozen=True)
class VerticalMarker:
    x: float
    label: str
    color: str = PALETTE["black"]


@dataclass(frozen=True)
class ChartLabels:
    title: str
    x_title: str
    y_title: str
    log_x: bool = False
    log_y: bool = False
    y_range: tuple[float, float] | None = None
    markers: Sequence[VerticalMarker] = field(default_factory=tuple)


def wire_floats(values) -> np.ndarray:
    """Grids go to the browser as float32: half the JSON of float64, and far finer than a pixel. Values
    beyond float32's range (exp(1000 x), a diverged loss) become gaps (NaN) rather than infinities, which
    would wreck a colour scale. Paths and losses that the live charts move stay float64."""
    values = np.asarray(values, dtype=float)
    with np.errstate(invalid="ignore"):
        too_big = np.abs(values) > np.finfo(np.float32).max
    return np.where(too_big, np.nan, values).astype(np.float32)


@functools.lru_cache(maxsize=256)
def _layout_json(labels: ChartLabels, style: FigureStyle) -> str:
    """The shared layout for these titles and style, validated by Plotly once and kept as JSON: validating
    it on every figure (``update_layout``/``update_xaxes``) cost about 9 ms a chart per rerun."""
    # the template by name, not through Plotly's global default, which importing Streamlit changes
    fig = go.Figure(layout={"template": TEMPLATE})
    fig.update_layout(
        title={"text": labels.title, "x": 0.0, "xanchor": "left", "font": {"size": style.font_size + 3}},
        font={"size": style.font_size},
        height=style.height,
        margin={"l": 10, "r": 10, "t": 40 + 2 * style.font_size, "b": 10},
        # below the plot, where it can wrap without covering the title (lecture mode's big text wraps), at the
        # figure's foot: plotly.js then widens the bottom margin to hold it under the x axis's title, where a
        # place at a fraction of the plot's height ran into that title on a short or lecture-mode chart
        legend={
            "orientation": "h",
            "yref": "container",
            "yanchor": "bottom",
            "y": 0.0,
            "xanchor": "left",
            "x": 0.0,
        },
        hovermode="closest",
    )
    # log axes as powers of ten (10⁻⁸), not SI prefixes (10n), which read as nonsense in maths
    fig.update_xaxes(
        title_text=labels.x_title,
        type="log" if labels.log_x else "linear",
        showline=True,
        exponentformat="power",
    )
    fig.update_yaxes(
        title_text=labels.y_title,
        type="log" if labels.log_y else "linear",
        showline=True,
        exponentformat="power",
    )
    return json.dumps(fig.layout.to_plotly_json())


def figure_layout(labels: ChartLabels, style: FigureStyle, **changes) -> dict:
    """The shared layout (titles, fonts, margins, legend, axes) with ``changes`` merged in, as a plain dict
    for ``figure``. Changes win, nested dicts merged key by key, as Plotly's ``update_layout`` does."""
    # the vertical markers are traces, not layout: leaving them out of the cache key keeps it hashable; the
    # y range, which follows the data, is set here: in the key it made most descent charts a cache miss, a
    # validated layout built anew (5 % of the server's time under load)
    shared = json.loads(_layout_json(dataclasses.replace(labels, markers=(), y_range=None), style))
    if labels.y_range is not None:
        shared["yaxis"]["range"] = [float(bound) for bound in labels.y_range]
    return _merged(shared, changes)


def _merged(base: dict, changes: dict) -> dict:
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            _merged(base[key], value)
        else:
            base[key] = value
    return base


def trace(kind: str, **properties) -> dict:
    """A trace as the plain dict ``figure`` takes unvalidated, written like Plotly's constructor (``trace(
    "scatter", x=..., mode="lines")`` for ``go.Scatter(x=..., mode="lines")``; None leaves a property unset,
    as there). Figures are rebuilt on every rerun, and Plotly's validation of each go.Scatter or go.Contour
    (copying arrays, asking narwhals whether each is a dataframe) was 15 % of the descent pages' server
    time. tests/apptest/test_page_figures_valid.py passes every figure the pages draw through that
    validation instead."""
    if kind not in TRACE_TYPES:
        raise ValueError(f"kind must be one of {TRACE_TYPES}. Got {kind!r} instead.")
    return {"type": kind, **{name: value for name, value in properties.items() if value is not None}}


def figure(layout: dict, traces: Sequence[dict], frames: Sequence | None = None) -> go.Figure:
    """The figure built in one go, unvalidated: ``figure_layout`` was validated when made and the traces
    are plain dicts (``trace``). Each ``update_layout`` afterwards would cost milliseconds of Plotly's
    bookkeeping."""
    return go.Figure(data=list(traces), layout=layout, frames=frames, _validate=False)


def line_chart(series: Sequence[Series], labels: ChartLabels, style: FigureStyle, **layout) -> go.Figure:
    """Several named lines or marker sets on shared axes, with optional labelled vertical markers;
    ``layout``: changes to the shared layout (see ``figure_layout``)."""
    traces = [
        trace(
            "scatter",
            x=np.asarray(s.x, dtype=float),
            y=np.asarray(s.y, dtype=float),
            name=s.name,
            mode=s.mode,
            line={"color": s.color, "dash": s.dash, "width": style.line_width * s.width_scale},
            marker={"color": s.color, "size": style.marker_size},
            connectgaps=False,
            hovertemplate=s.hover or None,
        )
        for s in series
    ]
    finite = np.concatenate([np.asarray(s.y, dtype=float).ravel() for s in series] or [np.zeros(0)])
    finite = finite[np.isfinite(finite) & ((finite > 0) if labels.log_y else True)]
    low, high = labels.y_range or ((finite.min(), finite.max()) if finite.size else (0.0, 1.0))
    for marker in labels.markers:
        # a vertical segment as a trace, not a layout shape: exact on log axes and visible in the data
        traces.append(
            trace(
                "scatter",
                x=[marker.x, marker.x],
                y=[low, high],
                name=marker.label,
                mode="lines",
                line={"color": marker.color, "dash": "dot", "width": max(1.5, style.line_width * 0.6)},
            )
        )
    return figure(figure_layout(labels, style, **layout), traces)
