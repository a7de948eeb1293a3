"""The linear-regression page's view: how the MSE's curvature limits the learning rate
(`step_stability`), the data with the descent's, the optimum's and the reader's own line and its
residuals (`fit_view`), and `linear_descent_view`, which puts the run, the window and the path together.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from core.datasets import Dataset
from core.descent.notes import Metric, convergence_metric, method_note, short_number, with_window_note
from core.descent.plot_data import MAX_DATA_POINTS, PathOnPlot, evenly_spaced, path_on_plot
from core.descent.run import DescentRun, run_descent, standardized
from core.descent.window import ParameterWindow, explore_box, on_grid, plot_window
from core.regression import Curvature, check_real, mse_curvature, mse_landscape


@dataclass(frozen=True)
class StepStability:
    """What the MSE's curvature means for one learning rate η.

    Along each eigenvector of the Hessian a step multiplies the distance to the optimum by
    |1 − η λ|, so descent converges when both factors are below 1, that is when η < 2 / λ_max.
    """

    learning_rate: float
    curvature: Curvature
    factors: tuple[float, float]  # |1 − η λ_min|, |1 − η λ_max|
    verdict: str  # "converges", "oscillates" (exactly at the bound) or "diverges"
    explanation: str  # Markdown


def step_stability(x, learning_rate) -> StepStability:
    learning_rate = check_real("learning_rate", learning_rate, low=0, low_open=True)
    curvature = mse_curvature(x)
    smallest, largest = curvature.eigenvalues
    factors = (abs(1 - learning_rate * smallest), abs(1 - learning_rate * largest))
    worst = max(factors)
    bound = (
        f"2/λ_max = {curvature.max_stable_learning_rate:.4g} (λ_max = {largest:.4g} is the largest "
        "eigenvalue of the loss's Hessian: the steepest curvature of the bowl)"
    )
    if math.isclose(worst, 1.0, rel_tol=1e-9):
        verdict = "oscillates"
        explanation = (
            f"**Gradient descent oscillates without converging.** η = {learning_rate:g} equals the "
            f"stability bound {bound}. Along the steepest direction each step overshoots the minimum by "
            "exactly as far as it was away, so the iterates bounce back and forth forever."
        )
    elif worst > 1.0:
        verdict = "diverges"
        explanation = (
            f"**Gradient descent diverges.** η = {learning_rate:g} is above the stability bound {bound}. "
            f"Along the steepest direction each step multiplies the distance to the optimum by "
            f"|1 − η λ_max| = {factors[1]:.3g} > 1: every step overshoots the minimum further than the "
            "last, so the path zigzags outward."
        )
    elif worst < 1e-9:
        verdict = "converges"
        explanation = (
            f"**One step lands on the optimum.** η = {learning_rate:g} = 1/λ for every eigenvalue λ of the "
            "loss's Hessian (the bowl is round and η matches its curvature), so each step's factor "
            "|1 − η λ| is 0: this is Newton's method in disguise."
        )
    else:
        verdict = "converges"
        slow, fast = (_factor(factor) for factor in factors)
        steps = _steps_per_tenfold(worst)
        explanation = (
            f"**Stable step.** η = {learning_rate:g} is below {bound}. Each step multiplies the distance "
            f"to the optimum by |1 − η λ|: {slow} along the flattest direction and {fast} along the "
            f"steepest. The larger factor sets the pace: about {steps:,} step{'s' if steps > 1 else ''} "
            "to shrink the distance tenfold."
        )
    return StepStability(learning_rate, curvature, factors, verdict, explanation)


def _factor(value: float) -> str:
    """A factor near 1 with enough digits to tell it from 1 (0.99995, not 1); rounding noise near 0 is 0."""
    if value < 1e-9:
        return "0"
    digits = 3 if abs(1 - value) >= 1e-2 else min(15, 2 - math.floor(math.log10(abs(1 - value) or 1e-15)))
    return f"{value:.{digits}g}"


def _steps_per_tenfold(factor: float) -> int:
    return math.ceil(math.log(0.1) / math.log(factor)) if factor > 0 else 1


def stable_learning_rate(dataset: Dataset, *, standardize=False) -> float:
    """2 / λ_max for the data as descent will see it: the largest learning rate that converges."""
    data = standardized(dataset) if standardize else dataset
    return mse_curvature(data.x).max_stable_learning_rate


def line_scales(x, y) -> tuple[float, float]:
    """How far w and b must move to shift a line noticeably: sd(y)/sd(x) and sd(y) (1 for a flat y)."""
    sd_y = float(np.std(y)) or 1.0
    return sd_y / float(np.std(x)), sd_y


@dataclass(frozen=True, eq=False)
class LinearDescentView:
    """Everything the linear-regression page shows that depends on the data and the descent settings."""

    data: Dataset  # as descent sees it (standardised when asked)
    run: DescentRun
    stability: StepStability
    raw_condition_number: float  # of the data before standardising
    box: ParameterWindow  # range of the try-your-own-line sliders
    window: ParameterWindow  # the landscape's
    path: PathOnPlot

    @property
    def suggested_line(self) -> tuple[float, float]:
        """A first line of the reader's own: half the optimal slope through the optimal intercept, on
        the sliders' grid. Clearly off, yet near the data, so its residuals are worth looking at."""
        w_step, b_step = self.box.steps()
        return on_grid(self.run.optimum.w / 2, w_step), on_grid(self.run.optimum.b, b_step)

    @property
    def warning(self) -> str | None:
        """Why descent fails to converge, in Markdown; None when it does not fail.

        The stability bound is plain gradient descent's; other methods are judged by their run.
        """
        path = self.run.path
        notes = []
        if self.run.settings.plain_gd and self.stability.verdict != "converges":
            notes.append(self.stability.explanation)
            if path.diverged:
                notes.append(f"The loss overflowed at iteration {path.stopped_at}; the run stops there.")
        elif path.diverged:
            notes.append(path.message)
        return with_window_note(notes, self.path)

    @property
    def method_note(self) -> str:
        return method_note(self.run.settings, lambda_max=self.stability.curvature.eigenvalues[1])

    @property
    def optimum_summary(self) -> str:
        optimum = self.run.optimum
        return (
            f"Optimum (least squares): **w\\* = {optimum.w:.6g}**, **b\\* = {optimum.b:.6g}**, "
            f"MSE\\* = {optimum.loss:.6g}."
        )

    @property
    def metrics(self) -> list[Metric]:
        run, path = self.run, self.run.path
        return [
            Metric("Final w", short_number(path.w[-1]), answer=True),
            Metric("Final b", short_number(path.b[-1]), answer=True),
            Metric("Final MSE", short_number(path.loss[-1]), answer=True),
            Metric(
                "Distance to optimum",
                short_number(run.distance, 4),
                "Euclidean distance in the (w, b) plane.",
                answer=True,
            ),
            convergence_metric(run, "MSE"),
        ]


def linear_descent_view(dataset: Dataset, *, standardize=False, **descent) -> LinearDescentView:
    """The linear page's view; `descent` are `run_descent`'s keyword options (learning_rate, ...)."""
    data = standardized(dataset) if standardize else dataset
    run = run_descent("linear", data.x, data.y, **descent)
    w_scale, b_scale = line_scales(data.x, data.y)
    box = explore_box(run.optimum.w, run.optimum.b, w_scale=w_scale, b_scale=b_scale)
    window = plot_window(run.path, box)
    return LinearDescentView(
        data,
        run,
        step_stability(data.x, run.settings.learning_rate),
        mse_curvature(dataset.x).condition_number,
        box,
        window,
        path_on_plot(run.path, window),
    )


@dataclass(frozen=True, eq=False)
class FitView:
    """The data (at most MAX_DATA_POINTS shown) with three lines across its x range, and the
    residuals of the descent's line, as NaN-separated vertical segments."""

    x: np.ndarray
    y: np.ndarray
    line_x: np.ndarray  # the two ends of every line
    descent_line: np.ndarray  # ŷ at line_x for the chosen iterate
    optimum_line: np.ndarray
    own_line: np.ndarray
    residual_x: np.ndarray
    residual_y: np.ndarray
    own_loss: float  # MSE of the reader's line over all the data
    y_range: tuple[float, float]  # the data's, padded: wild lines must not rescale the plot


def fit_view(x, y, *, descent: tuple[float, float], optimum: tuple[float, float], own: tuple[float, float]):
    """Lines ŷ = w x + b for (w, b) = `descent`, `optimum` and `own` over the data, and the residuals of
    the descent's line (the live chart moves it and them with the shown iteration)."""
    shown = evenly_spaced(len(x), MAX_DATA_POINTS)
    x_shown, y_shown = x[shown], y[shown]
    line_x = np.array([x.min(), x.max()])
    own_w, own_b = own
    fitted = descent[0] * x_shown + descent[1]
    gaps = np.full_like(x_shown, np.nan)
    pad = 0.1 * (np.ptp(y) or 1.0)
    return FitView(
        x_shown,
        y_shown,
        line_x,
        descent[0] * line_x + descent[1],
        optimum[0] * line_x + optimum[1],
        own_w * line_x + own_b,
        np.column_stack((x_shown, x_shown, gaps)).ravel(),
        np.column_stack((y_shown, fitted, gaps)).ravel(),
        float(mse_landscape(x, y, [own_w], [own_b])[0, 0]),
        (float(y.min() - pad), float(y.max() + pad)),
    )
