"""The logistic-regression page's view: the probability curve and decision boundary of an iterate
(`probability_view` for one feature, `boundary_view` for two), the weights' growth on separable classes
(`weight_norm_curve`), and `logistic_descent_view`, which puts the run, the window and the path together.

For two features the landscape is drawn over (w₁, w₂) at the shown iterate's bias: `weight_plane` puts
w₁ in the place of w and w₂ in that of b, so the plane helpers draw it unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
from scipy.special import expit

from core.datasets import Dataset
from core.descent.notes import Metric, convergence_metric, method_note, short_number, with_window_note
from core.descent.plot_data import (
    MAX_CURVE_POINTS,
    MAX_DATA_POINTS,
    MarkedPoints,
    PathOnPlot,
    evenly_spaced,
    head_then_spaced,
    marked_points,
    path_on_plot,
)
from core.descent.run import DescentRun, run_descent, standardized
from core.descent.window import ParameterWindow, explore_box, plot_window
from core.regression import MAX_ITERATIONS, DescentPath, check_integer

PROBABILITY_POINTS = 200  # along the probability curve σ(w x + b)


def logistic_scales(x) -> tuple[float, float]:
    """How far each axis of the landscape's plane must move to change the probabilities noticeably:
    ten units of the margin z = w·x + b. For one feature (w, b): 10/sd(x) and 10; for two (w₁, w₂):
    10/sd(x₁) and 10/sd(x₂). A constant column counts as unit spread."""
    spread = np.atleast_1d(np.std(x, axis=0))
    scales = 10.0 / np.where(spread > 0, spread, 1.0)
    return (float(scales[0]), 10.0) if len(scales) == 1 else (float(scales[0]), float(scales[1]))


def weight_plane(run: DescentRun) -> DescentRun:
    """The run as drawn over the (w₁, w₂) plane of a two-feature model: w₁ in the place of w and w₂ in
    that of b, in the path and the optimum, so the plane helpers draw it unchanged. The loss of each
    iterate stays its own (at its own bias)."""
    path = replace(run.path, w=run.path.w[:, 0], b=run.path.w[:, 1])
    optimum = run.optimum
    if run.has_optimum:
        optimum = replace(optimum, w=optimum.w[0], b=optimum.w[1])
    return replace(run, path=path, optimum=optimum)


def weight_norms(path: DescentPath) -> np.ndarray:
    """‖w‖ at every iterate (|w| for one feature)."""
    return np.abs(path.w) if path.w.ndim == 1 else np.linalg.norm(path.w, axis=1)


def predicted_classes(x, w, b) -> np.ndarray:
    """1 where σ(w·x + b) > 0.5, that is where the margin w·x + b is positive; else 0."""
    return (np.dot(np.reshape(x, (len(x), -1)), np.atleast_1d(w)) + b > 0).astype(float)


@dataclass(frozen=True, eq=False)
class LogisticDescentView:
    """Everything the logistic-regression page shows that depends on the data and the descent settings.

    `plane` is the run in the landscape's plane: `run` itself for one feature, `weight_plane(run)` for two.
    """

    data: Dataset  # as descent sees it (standardised when asked)
    run: DescentRun
    plane: DescentRun
    window: ParameterWindow
    path: PathOnPlot

    @property
    def two_features(self) -> bool:
        return self.data.x.ndim == 2

    def slice_bias(self, iteration: int) -> float | None:
        """For two features the landscape is the loss over (w₁, w₂) at the bias of the shown iterate."""
        return float(self.run.path.b[self._clamped(iteration)]) if self.two_features else None

    def _clamped(self, iteration: int) -> int:
        return min(
            check_integer("iteration", iteration, low=0, high=MAX_ITERATIONS), len(self.run.path.b) - 1
        )

    @property
    def method_note(self) -> str:
        return method_note(self.run.settings)

    @property
    def warning(self) -> str | None:
        """Why descent misbehaved (the loss grew, or it overflowed), in Markdown; None when it did not."""
        return with_window_note([self.run.path.message] if self.run.path.message else [], self.path)

    @property
    def metrics(self) -> list[Metric]:
        run, path = self.run, self.run.path
        weights = (
            [Metric("Final w₁", short_number(path.w[-1, 0]), answer=True),
             Metric("Final w₂", short_number(path.w[-1, 1]), answer=True)]
            if self.two_features
            else [Metric("Final w", short_number(path.w[-1]), answer=True)]
        )  # fmt: skip
        accuracy = np.mean(predicted_classes(self.data.x, path.w[-1], path.b[-1]) == self.data.y)
        if run.has_optimum:
            last = convergence_metric(run, "cross-entropy")
        elif self.two_features:
            last = Metric(
                "Final ‖w‖", short_number(weight_norms(path)[-1], 4), "It grows without bound.", answer=True
            )
        else:  # |w| is the metric beside; what settles while it grows is the boundary
            boundary = _threshold(path.w[-1], path.b[-1])
            shown = "none" if boundary is None else short_number(boundary, 4)
            last = Metric(
                "Final boundary x",
                shown,
                "x = −b/w, where σ(w x + b) = 0.5: it settles as w grows.",
                answer=True,
            )
        return [
            *weights,
            Metric("Final b", short_number(path.b[-1]), answer=True),
            Metric(
                "Final cross-entropy",
                short_number(path.loss[-1], 4),
                "The seed's loss, its probabilities clipped.",
                answer=True,
            ),
            Metric(
                "Accuracy",
                f"{accuracy:.1%}",
                "Share of samples on the right side of the boundary.",
                answer=True,
            ),
            last,
        ]

    @property
    def optimum_summary(self) -> str | None:
        """The optimum in Markdown, or None for separable classes (which have none)."""
        optimum = self.run.optimum
        if not self.run.has_optimum:
            return None
        weights = (
            f"**w₁\\* = {optimum.w[0]:.6g}**, **w₂\\* = {optimum.w[1]:.6g}**"
            if self.two_features
            else f"**w\\* = {optimum.w:.6g}**"
        )
        return (
            f"Optimum (scikit-learn, unpenalised): {weights}, **b\\* = {optimum.b:.6g}**, "
            f"cross-entropy\\* = {optimum.loss:.6g}."
        )

    @property
    def separable_note(self) -> str | None:
        """Why separable classes have no finite minimum, in Markdown; None when they are not separable."""
        if not self.run.optimum.separable:
            return None
        return (
            f"{self.run.optimum.message} Scaling w and b up together keeps the boundary where it is and "
            "pushes every σ(w·x + b) closer to its label, so every term of the loss shrinks: the loss "
            "approaches 0 but reaches it only at infinitely large weights. Descent follows that slope "
            "for ever: ‖w‖ keeps growing (for gradient descent, roughly like the logarithm of the number "
            "of steps) while the boundary settles and the probability curve steepens toward a step. An L2 "
            "penalty or a little label noise restores a finite minimum; an unpenalised fit stops wherever "
            "its tolerance says, so its numbers are not an optimum."
        )

    def marked(self, iteration: int) -> MarkedPoints:
        return marked_points(self.plane, iteration)

    def class_view(self, iteration: int) -> ProbabilityView | BoundaryView:
        """The data with the model of iterate `iteration` (and of the optimum, if there is one)."""
        k = self._clamped(iteration)
        path, optimum = self.run.path, self.run.optimum
        descent = (path.w[k], float(path.b[k]))
        best = (optimum.w, optimum.b) if self.run.has_optimum else None
        build = boundary_view if self.two_features else probability_view
        return build(self.data.x, self.data.y, descent=descent, optimum=best, loss=float(path.loss[k]))


def logistic_descent_view(dataset: Dataset, *, standardize=False, **descent) -> LogisticDescentView:
    """The logistic page's view; `descent` are `run_descent`'s keyword options (learning_rate, ...)."""
    data = standardized(dataset) if standardize else dataset
    run = run_descent("logistic", data.x, data.y, **descent)
    plane = weight_plane(run) if data.x.ndim == 2 else run
    w_scale, b_scale = logistic_scales(data.x)
    centre = (plane.optimum.w, plane.optimum.b) if plane.has_optimum else (0.0, 0.0)
    box = explore_box(*centre, w_scale=w_scale, b_scale=b_scale)
    window = plot_window(plane.path, box)
    return LogisticDescentView(data, run, plane, window, path_on_plot(plane.path, window))


@dataclass(frozen=True, eq=False)
class ProbabilityView:
    """One feature: the data (classes drawn at 0 and 1, a little apart so piles of points show) with the
    probability curves σ(w x + b) of the chosen iterate and of the optimum, and their decision boundaries
    x = −b/w (None where w = 0: no boundary; drawn only inside the plotted x range)."""

    x: np.ndarray
    y: np.ndarray
    y_drawn: np.ndarray  # y spread by up to ±0.03
    curve_x: np.ndarray
    descent_curve: np.ndarray
    optimum_curve: np.ndarray | None
    boundary: float | None
    optimum_boundary: float | None
    x_range: tuple[float, float]
    accuracy: float
    loss: float

    @property
    def summary(self) -> str:
        """The model at this iterate in words (Markdown): its boundary, loss and accuracy."""
        if self.boundary is None:
            boundary = "no boundary (w = 0: σ is 0.5 everywhere)"
        else:
            inside = self.x_range[0] <= self.boundary <= self.x_range[1]
            boundary = f"boundary x = −b/w = **{self.boundary:.4g}**" + ("" if inside else " (off the plot)")
        return f"{boundary}, cross-entropy **{self.loss:.4g}**, accuracy **{self.accuracy:.1%}**."


def _spread(n: int, width: float = 0.03) -> np.ndarray:
    """A deterministic scatter in [−width, width] (golden-ratio steps): no two neighbours coincide."""
    return width * (2.0 * ((np.arange(n) * 0.6180339887498949) % 1.0) - 1.0)


def _threshold(w: float, b: float) -> float | None:
    return None if w == 0 else -b / w


def probability_view(x, y, *, descent, optimum, loss) -> ProbabilityView:
    """σ(w x + b) along the data's x range for `descent` = (w, b) and `optimum` (None if none)."""
    shown = evenly_spaced(len(x), MAX_DATA_POINTS)
    low, high = float(np.min(x)), float(np.max(x))
    pad = 0.05 * (high - low)
    x_range = (low - pad, high + pad)
    curve_x = np.linspace(*x_range, PROBABILITY_POINTS)
    w, b = float(descent[0]), descent[1]
    optimum_curve = None if optimum is None else expit(optimum[0] * curve_x + optimum[1])
    return ProbabilityView(
        x[shown],
        y[shown],
        y[shown] + _spread(len(shown)),
        curve_x,
        expit(w * curve_x + b),
        optimum_curve,
        _threshold(w, b),
        None if optimum is None else _threshold(*optimum),
        x_range,
        float(np.mean(predicted_classes(x, w, b) == y)),
        loss,
    )


@dataclass(frozen=True, eq=False)
class BoundaryView:
    """Two features: the data in the (x₁, x₂) plane with the boundary lines w₁ x₁ + w₂ x₂ + b = 0 of the
    chosen iterate and of the optimum, clipped to the plotted box (None where a line misses it or w = 0),
    and the iterate's probability σ(w·x + b) on a coarse grid behind the points."""

    x: np.ndarray  # (k, 2)
    y: np.ndarray
    descent_line: np.ndarray | None  # (2, 2): its two ends
    optimum_line: np.ndarray | None
    box: tuple[float, float, float, float]  # x₁ range, then x₂ range
    grid_x1: np.ndarray
    grid_x2: np.ndarray
    probability: np.ndarray  # [j, i] at (grid_x1[i], grid_x2[j])
    accuracy: float
    loss: float

    @property
    def summary(self) -> str:
        """The model at this iterate in words (Markdown): its loss and accuracy."""
        return f"cross-entropy **{self.loss:.4g}**, accuracy **{self.accuracy:.1%}**."


def _padded(values, fraction=0.08) -> tuple[float, float]:
    low, high = float(np.min(values)), float(np.max(values))
    pad = fraction * (high - low) if high > low else 1.0
    return low - pad, high + pad


def boundary_segment(w, b, box) -> np.ndarray | None:
    """The part of the line w₁ u + w₂ v + b = 0 inside box = (u_min, u_max, v_min, v_max), as its two
    ends; None when w = 0 or the line misses the box."""
    (w1, w2), (u_min, u_max, v_min, v_max) = (float(w[0]), float(w[1])), box
    ends = []
    if w2 != 0:
        ends += [(u, -(w1 * u + b) / w2) for u in (u_min, u_max)]
    if w1 != 0:
        ends += [(-(w2 * v + b) / w1, v) for v in (v_min, v_max)]
    tolerance = 1e-12 * max(u_max - u_min, v_max - v_min)
    inside = [
        (u, v)
        for u, v in ends
        if u_min - tolerance <= u <= u_max + tolerance and v_min - tolerance <= v <= v_max + tolerance
    ]
    if len(inside) < 2:
        return None
    along = np.array(inside) @ np.array([-w2, w1])  # position along the line
    return np.array([inside[int(np.argmin(along))], inside[int(np.argmax(along))]])


def boundary_view(x, y, *, descent, optimum, loss, grid_points=41) -> BoundaryView:
    shown = evenly_spaced(len(x), MAX_DATA_POINTS)
    box = (*_padded(x[:, 0]), *_padded(x[:, 1]))
    w, b = np.asarray(descent[0], dtype=float), float(descent[1])
    grid_x1 = np.linspace(box[0], box[1], grid_points)
    grid_x2 = np.linspace(box[2], box[3], grid_points)
    margin = w[0] * grid_x1[np.newaxis, :] + w[1] * grid_x2[:, np.newaxis] + b
    return BoundaryView(
        x[shown],
        y[shown],
        boundary_segment(w, b, box),
        None if optimum is None else boundary_segment(optimum[0], optimum[1], box),
        box,
        grid_x1,
        grid_x2,
        expit(margin),
        float(np.mean(predicted_classes(x, w, b) == y)),
        loss,
    )


@dataclass(frozen=True, eq=False)
class WeightNormCurve:
    """‖w‖ against iteration, subsampled for drawing."""

    iterations: np.ndarray
    norm: np.ndarray


def weight_norm_curve(run: DescentRun, *, max_points=MAX_CURVE_POINTS) -> WeightNormCurve:
    shown = head_then_spaced(len(run.path.loss), max_points)
    return WeightNormCurve(shown, weight_norms(run.path)[shown])
