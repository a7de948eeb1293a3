"""What the gradient-descent pages' live chart computes in the browser (ui/live/recipes/descent.js).

The iteration scrubber, Play and the start (w₀, b₀) move the iterate on the landscape, the line or
probability curve on the data plot, the residuals, the loss-curve marker and the readouts without a
rerun. Everything that does not depend on those values is computed here once per run and sent as plain
numbers (`linear_live_params`, `logistic_live_params`); the browser only indexes and combines them.

On the linear page with plain full-batch gradient descent the browser also re-runs descent itself when
the learning rate or the start moves, from the data's centred moments (n, Σx, Σx², Σy, Σxy arranged as
mean x, mean y, var x, the least-squares slope w* and the optimal MSE L*, so that the loss near the
optimum has no cancellation). The MSE and its gradient depend on nothing else:

    L(w, b) = var x · (w − w*)² + L* + (ȳ − w x̄ − b)²
    ∂L/∂w = 2 var x · (w − w*) − 2 x̄ (ȳ − w x̄ − b),    ∂L/∂b = −2 (ȳ − w x̄ − b)

Other optimizers, mini-batches and logistic regression send the server's path; a new learning rate or
start is run by the server once the control is let go.
"""

from __future__ import annotations

import math

import numpy as np

from core.descent.linear import FitView, LinearDescentView
from core.descent.logistic import BoundaryView, LogisticDescentView, ProbabilityView
from core.descent.plot_data import MAX_CURVE_POINTS, MAX_PATH_POINTS, head_then_spaced
from core.descent.run import DescentRun
from core.numbers import format_number
from core.optimizers import RUNAWAY_SIZE
from core.regression import _moments  # the centred moments mse_landscape itself uses

_ACCURACY_CHUNK = 2**20  # margins held at once while scoring every iterate


def _floats(values) -> list[float | None]:
    """JSON numbers; a non-finite value as None, which the browser reads as NaN."""
    return [float(v) if math.isfinite(v) else None for v in np.asarray(values, dtype=float).ravel()]


def mse_moments(x, y) -> dict[str, float]:
    """The centred moments the browser's descent needs: n, mean x, mean y, var x, the least-squares
    slope w* and the optimal MSE L* (the mean squared residual of the least-squares line)."""
    m = _moments(np.asarray(x, dtype=float), np.asarray(y, dtype=float))
    return {
        "n": len(y),
        "mean_x": float(m.mean_x),
        "mean_y": float(m.mean_y),
        "var_x": float(m.sd_x**2),
        "slope": float(m.slope),
        "residual": float(m.residual),
    }


def accuracy_per_iterate(x, y, w, b) -> np.ndarray:
    """The share of samples on the right side of each iterate's decision boundary (w·x + b > 0 is class
    1); w is (k,) for one feature or (k, 2) for two. Costs about what the descent that made the path did."""
    features = np.reshape(np.asarray(x, dtype=float), (len(y), -1))
    biases = np.asarray(b, dtype=float)
    weights = np.reshape(np.asarray(w, dtype=float), (len(biases), -1))
    labels = np.asarray(y, dtype=float) > 0.5
    accuracy = np.empty(len(biases))
    rows = max(1, _ACCURACY_CHUNK // len(labels))
    for start in range(0, len(biases), rows):
        block = slice(start, start + rows)
        margins = weights[block] @ features.T + biases[block, np.newaxis]
        accuracy[block] = np.mean((margins > 0) == labels, axis=1)
    return accuracy


def _descent_params(run: DescentRun, plane: DescentRun, window, *, reveal: bool) -> dict:
    """What both pages send: the window, which iterates to draw, the settled controls, the optimum in the
    landscape's plane and the server's path in that plane (index = iteration). Without ``reveal`` (quiz
    mode) the path and the optimum stay on the server: the browser draws only the start."""
    settings = run.settings
    total = settings.n_iterations + 1
    answer = {
        "optimum": (
            {"w": float(plane.optimum.w), "b": float(plane.optimum.b), "loss": float(run.optimum.loss)}
            if plane.has_optimum
            else None
        ),
        "path": {"w": _floats(plane.path.w), "b": _floats(plane.path.b), "loss": _floats(run.path.loss)},
    }
    return {
        "reveal": reveal,
        "window": list(window),
        "n_iterations": settings.n_iterations,
        "path_indices": head_then_spaced(total, MAX_PATH_POINTS).tolist(),
        "curve_indices": head_then_spaced(total, MAX_CURVE_POINTS).tolist(),
        "settled": {"lr": settings.learning_rate, "w0": settings.w0, "b0": settings.b0},
        "method": _method(settings.optimizer, settings.batch_size),
        **(answer if reveal else {"optimum": None, "path": {}}),
    }


def _method(optimizer: str, batch_size: int | None) -> str:
    name = "Gradient descent" if optimizer == "GD" else optimizer
    return name if batch_size is None else f"{name} on mini-batches of {batch_size}"


def linear_live_params(view: LinearDescentView, fit: FitView, *, reveal: bool) -> dict:
    """The linear page's recipe parameters. With plain GD the browser computes the path itself, so the
    server's is not sent; in quiz mode neither goes (the moments hold the optimum)."""
    params = _descent_params(view.run, view.run, view.window, reveal=reveal)
    curvature = view.stability.curvature
    browser = view.run.settings.plain_gd
    params.update(
        model="linear",
        loss_name="MSE",
        browser_descent=browser,
        moments=mse_moments(view.data.x, view.data.y) if reveal else {},
        lambda_max=curvature.eigenvalues[1],
        stable_rate=curvature.max_stable_learning_rate,
        runaway=RUNAWAY_SIZE,  # where the server's run stops (core.optimizers): the browser's stops there too
        line_x=_floats(fit.line_x),
        data_x=_floats(fit.x),
        data_y=_floats(fit.y),
    )
    if browser:
        del params["path"]
    return params


def logistic_live_params(
    view: LogisticDescentView, classes: ProbabilityView | BoundaryView, *, reveal: bool
) -> dict:
    """The logistic page's recipe parameters: the server's path (for two features in the (w₁, w₂) plane,
    with the bias beside it), every iterate's accuracy, and where the data plot draws the model: along the
    probability curve's x, or (two features) the box the boundary line is clipped to."""
    run = view.run
    params = _descent_params(run, view.plane, view.window, reveal=reveal)
    params.update(
        model="logistic",
        loss_name="cross-entropy",
        browser_descent=False,
        two_features=view.two_features,
        accuracy=(
            _floats(accuracy_per_iterate(view.data.x, view.data.y, run.path.w, run.path.b)) if reveal else []
        ),
    )
    if reveal:
        params["path"]["bias"] = _floats(run.path.b)
    if isinstance(classes, BoundaryView):
        params["box"] = list(classes.box)
    else:
        params["curve_x"] = _floats(classes.curve_x)
    return params


def _number(value: float, digits: int = 6) -> str:
    """As the browser's formatNumber writes it: `digits` significant figures and a real minus sign."""
    return format_number(value, f".{digits}g").replace("-", "−")


def descent_readouts(
    view: LinearDescentView | LogisticDescentView, iteration: int, *, reveal: bool
) -> list[tuple[str, str, str]]:
    """(label, value, help) of the numbers above the live chart at `iteration`, as the recipe computes
    them (shown by the component until plotly.js has loaded); what the run reached (weights, loss,
    accuracy, boundary) reads "?" until revealed."""
    run, plane = view.run, getattr(view, "plane", view.run)
    k = min(iteration, len(run.path.loss) - 1)

    def hidden(value: float) -> str:
        return _number(value) if reveal else "?"

    if isinstance(view, LogisticDescentView) and view.two_features:
        w1, w2 = run.path.w[k]
        readouts = [
            ("w₁", hidden(w1), f"The first weight at iteration {k}."),
            ("w₂", hidden(w2), f"The second weight at iteration {k}."),
            ("b", hidden(run.path.b[k]), f"The bias at iteration {k}."),
        ]
    else:
        readouts = [
            ("w", hidden(plane.path.w[k]), f"The weight at iteration {k}."),
            ("b", hidden(plane.path.b[k]), f"The bias at iteration {k}."),
        ]
    if isinstance(view, LogisticDescentView):
        accuracy = accuracy_per_iterate(
            view.data.x, view.data.y, run.path.w[k : k + 1], run.path.b[k : k + 1]
        )
        shown_accuracy = f"{accuracy[0]:.1%}" if reveal else "?"
        boundary = _boundary(plane.path.w[k], plane.path.b[k]) if reveal else "?"
        return [
            *readouts,
            ("cross-entropy", hidden(run.path.loss[k]), f"The cross-entropy at iteration {k}."),
            ("Accuracy", shown_accuracy, "Share of samples on the right side of the boundary."),
            *([] if view.two_features else [("Boundary x", boundary, BOUNDARY)]),
        ]
    readouts.append(("MSE", hidden(run.path.loss[k]), f"The MSE at iteration {k}."))
    if run.settings.plain_gd:
        curvature = view.stability.curvature
        factor = abs(1 - run.settings.learning_rate * curvature.eigenvalues[1])
        readouts.append(
            ("|1 − η λ_max|", _number(factor, 4), _factor_help(curvature.max_stable_learning_rate))
        )
    return readouts


BOUNDARY = "x = −b/w, where σ(w x + b) = 0.5."


def _boundary(w: float, b: float) -> str:
    return "none" if w == 0 else _number(-b / w, 4)


def _factor_help(stable_rate: float) -> str:
    return (
        "What every step multiplies the distance to the optimum by along the steepest direction: below 1 "
        f"descent converges, above it (η above 2/λ_max = {_number(stable_rate, 4)}) it diverges."
    )
