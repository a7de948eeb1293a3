"""The quadratic model at p (core.quadratic_model) over a page's level curves: a sidebar toggle, on the
critical-points page a point to put it at, and the dashed model drawn into the page's contour map."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from core import quadratic_model
from core.bivariate import Bivariate, color_range
from core.figures import FigureStyle
from core.figures.fields import CONTOUR_LEVELS
from core.figures.taylor import quadratic_model_traces
from ui.descent_controls import slider_kept_in_range
from ui.inputs import url_bound

MODEL_GRID_POINTS = 81  # per axis: q is a quadratic, smooth at any resolution


def quadratic_model_toggle() -> bool:
    return url_bound(
        st.sidebar.toggle,
        "Quadratic model at p",
        key="quadratic",
        help="Dashed: the level curves of q(d) = f(p) + ∇f(p)·d + ½ dᵀ H d, the second-order Taylor model of "
        "f at p that Newton's method minimises; the cross is its minimum, Newton's next point.",
    )


def quadratic_model_point(window: tuple[float, float, float, float]) -> tuple[float, float] | None:
    """The toggle and, when it is on, sliders for p within the window (the window's centre at first)."""
    if not quadratic_model_toggle():
        return None
    x_min, x_max, y_min, y_max = window
    centre = (round((x_min + x_max) / 2, 6), round((y_min + y_max) / 2, 6))
    x = slider_kept_in_range(
        st.sidebar, "Model at x", x_min, x_max, centre[0], (x_max - x_min) / 100, key="qx"
    )
    y = slider_kept_in_range(
        st.sidebar, "Model at y", y_min, y_max, centre[1], (y_max - y_min) / 100, key="qy"
    )
    return float(x), float(y)


def add_quadratic_model(
    figure: go.Figure,
    function: Bivariate,
    point: tuple[float, float],
    window: tuple[float, float, float, float],
    f_values: np.ndarray,
    style: FigureStyle,
    *,
    levels: int = CONTOUR_LEVELS,
    mark_point: bool = False,
) -> str:
    """Draw f's quadratic model at ``point`` into ``figure`` (and p itself if ``mark_point``), its level
    curves at ``levels`` levels over the colour range of ``f_values`` (f on the page's grid) as f's own are.
    Returns the sentence for under the chart: where the model's minimum is, or why there is none."""
    try:
        model = quadratic_model.quadratic_model(function, point)
    except ValueError as error:
        return f"No quadratic model at this point. {error}"
    x, y, q = model.on_grid(model.near_point(window), MODEL_GRID_POINTS)
    spacing = quadratic_model.contour_levels(color_range(f_values), q, levels)
    centre = model.point if mark_point else None
    figure.add_traces(quadratic_model_traces(x, y, q, model.minimum_within(window), spacing, style, centre))
    marks = (
        "dashed: its level curves"
        + ("; ◆ p" if mark_point else "")
        + ("; ⊗ its minimum" if model.minimum_within(window) else "")
    )
    return f"{model.summary} On the map, {marks}."
