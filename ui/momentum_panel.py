"""Momentum, the Distill way, on the linear-regression page: η and β (and Adam's β₁, β₂ when the page runs
Adam) as controls, the error along each eigenvector of the bowl against the iteration, and the optimal
(η*, β*) for this bowl marked on the map of convergence factors."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import streamlit as st

from core import momentum
from core.figures.momentum import eigen_error_chart, rate_map_chart
from ui.inputs import url_bound
from ui.page import PageSettings, explain, show_chart

ETA_KEY, BETA_KEY = "m_eta", "m_beta"
BETA_STEP = 0.001


def _nice(value: float) -> float:
    return float(f"{value:.3g}")


def learning_rate_choices(eigenvalues: tuple[float, float], optimum: float) -> list[float]:
    """1, 2 and 5 per decade across the map's range of η, with η* itself among them: at a large condition
    number η* sits just inside momentum's stability edge 2(1 + β*)/λ_max, which rounding could cross."""
    high = eigenvalues[1]
    low_exponent, high_exponent = math.floor(math.log10(1e-3 / high)), math.ceil(math.log10(4 / high))
    nice = [m * 10.0**k for k in range(low_exponent, high_exponent + 1) for m in (1, 2, 5)]
    return sorted({_nice(v) for v in nice if 1e-3 / high <= v <= 4 / high} | {optimum})


def _kept_choice(key: str, options: Sequence[float]) -> None:
    """A select_slider whose options change with the data: forget a value the new options lack."""
    if key in st.session_state and st.session_state[key] not in options:
        del st.session_state[key]


def _use_optimum(eta: float, beta: float) -> None:
    st.session_state[ETA_KEY], st.session_state[BETA_KEY] = eta, beta


def momentum_panel(settings: PageSettings, x: np.ndarray, y: np.ndarray, run) -> None:
    """The panel for data (x, y) as descent sees them; ``run``: the page's descent settings (start,
    iterations, optimizer). It opens at (η*, β*), the best the bowl allows, for the reader to leave."""
    st.subheader("Momentum, the Distill way")
    try:
        bowl = momentum.mse_bowl(x, y)
    except ValueError as error:
        st.caption(str(error))
        return
    eta_star, beta_star = momentum.optimal_momentum(bowl.eigenvalues)
    options = learning_rate_choices(bowl.eigenvalues, eta_star)
    _kept_choice(ETA_KEY, options)
    left, middle, right = st.columns([2, 2, 1])
    eta = url_bound(
        left.select_slider, "Momentum's learning rate η", options, value=eta_star, key=ETA_KEY,
        format_func=lambda v: f"{v:.4g}",
    )  # fmt: skip
    # on the slider's grid, rounded up: a β a little above β* keeps η* stable, one below may not
    beta_default = min(math.ceil(beta_star / BETA_STEP) * BETA_STEP, momentum.BETA_MAX)
    beta = url_bound(middle.slider, "Momentum's β", 0.0, momentum.BETA_MAX, beta_default, BETA_STEP,
                     key=BETA_KEY, format="%.3f")  # fmt: skip
    right.button(
        "Use η*, β*", on_click=_use_optimum, args=(eta_star, beta_default),
        help="The best (η, β) for this bowl, from its smallest and largest curvature.",
    )  # fmt: skip
    start, steps = (run.w0, run.b0), run.n_iterations
    runs = [
        ("momentum", momentum.momentum_errors(
            bowl, start, learning_rate=eta, beta=beta, n_iterations=steps)),
        ("GD at best η", momentum.momentum_errors(
            bowl, start, learning_rate=2 / sum(bowl.eigenvalues), beta=0.0, n_iterations=steps)),
    ]  # fmt: skip
    if run.optimizer == "Adam":
        first, second = st.columns(2)
        b1 = url_bound(first.slider, "Adam's β₁", 0.0, 0.999, 0.9, 0.001, key="adam_b1", format="%.3f")
        b2 = url_bound(second.slider, "Adam's β₂", 0.0, 0.9999, 0.999, 0.0001, key="adam_b2", format="%.4f")
        runs.append((f"Adam β₁={b1:g}, β₂={b2:g}", momentum.adam_errors(
            bowl, start, learning_rate=run.learning_rate, b1=b1, b2=b2, n_iterations=steps)))  # fmt: skip
    factor = momentum.convergence_factor(eta, beta, bowl.eigenvalues)
    best, kappa = math.sqrt(beta_star), bowl.condition_number
    st.caption(
        f"η* = {eta_star:.4g} and β* = {beta_star:.4g} for λ_min = {bowl.eigenvalues[0]:.4g}, λ_max = "
        f"{bowl.eigenvalues[1]:.4g} (κ = {kappa:.4g}): the error shrinks by {best:.4f} per step, against "
        f"{(kappa - 1) / (kappa + 1):.4f} for the best plain GD. "
        + (f"Yours: {factor:.4f} per step." if factor < 1 else "Yours diverges (factor ≥ 1).")
    )
    chart_left, chart_right = st.columns(2)
    with chart_left:
        shown = [(label, *momentum.thinned(errors)) for label, errors in runs]
        show_chart(eigen_error_chart(shown, bowl.eigenvalues, settings.style), name="momentum-eigen-errors")
    with chart_right:
        show_chart(
            rate_map_chart(
                momentum.rate_map(bowl.eigenvalues), (eta_star, beta_star), (eta, beta), settings.style
            ),
            name="momentum-rate-map",
        )
    explain(
        settings,
        "In the bowl's eigenvector coordinates each direction is its own one-dimensional problem. Plain "
        "descent must keep η below 2/λ_max for the steep direction, so the shallow one (λ_min) crawls. "
        "Momentum's velocity keeps what past steps agreed on: with β near 1 the shallow direction speeds "
        "up, while the steep one oscillates and damps. At (η*, β*) both directions shrink at the same rate "
        "√β* = (√κ − 1)/(√κ + 1), the best any (η, β) can do (Goh, Why Momentum Really Works, Distill 2017).",
    )
