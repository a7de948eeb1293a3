"""Optimizers as pairs of pure functions, in the style of optax.

Each factory returns an ``Optimizer(init, update)``: ``init(params) -> state`` and
``update(grad, state) -> (step, state)``; parameters move as x ← x + step. States are NamedTuples, so a
run can be replayed, inspected and tested step by step. ``t`` counts steps from 1.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np

from core.validation import check_integer, check_real

MAX_STEPS = (
    10_000  # the regression pages' longest run (core.regression.MAX_ITERATIONS); the race stops at 1000
)
# The one divergence rule of every descent loop (`trajectory`): a run stops at the first step whose gradient
# or new iterate is not finite, or whose iterate is this large: there f, a square or worse, is about to
# overflow, and plotly.js cannot place such a point.
RUNAWAY_SIZE = 1e150


class Optimizer(NamedTuple):
    name: str
    init: Callable[[np.ndarray], Any]
    update: Callable[..., tuple[np.ndarray, Any]]
    needs_hessian: bool = False


class EmptyState(NamedTuple):
    pass


class VelocityState(NamedTuple):
    velocity: np.ndarray


class SquareAverageState(NamedTuple):
    square_average: np.ndarray


class AdamState(NamedTuple):
    count: int
    mean: np.ndarray
    second_moment: np.ndarray


class NewtonState(NamedTuple):
    gradient_steps: int  # steps where the Hessian was not positive definite and a gradient step was taken


def _rate(learning_rate: float) -> float:
    return check_real("learning_rate", learning_rate, low=0, low_open=True)


def _fraction(name: str, value: float) -> float:
    return check_real(name, value, low=0, high=1, high_open=True)


def gd(learning_rate: float) -> Optimizer:
    """Gradient descent: x ← x − η g."""
    eta = _rate(learning_rate)
    return Optimizer("GD", lambda params: EmptyState(), lambda grad, state: (-eta * grad, state))


def momentum(learning_rate: float, beta: float = 0.9) -> Optimizer:
    """Heavy-ball momentum: v ← β v + g; x ← x − η v."""
    eta, beta = _rate(learning_rate), _fraction("beta", beta)

    def update(grad, state):
        velocity = beta * state.velocity + grad
        return -eta * velocity, VelocityState(velocity)

    return Optimizer("Momentum", lambda params: VelocityState(np.zeros_like(params, dtype=float)), update)


def nesterov(learning_rate: float, beta: float = 0.9) -> Optimizer:
    """Nesterov momentum: v ← β v + g; x ← x − η (g + β v)."""
    eta, beta = _rate(learning_rate), _fraction("beta", beta)

    def update(grad, state):
        velocity = beta * state.velocity + grad
        return -eta * (grad + beta * velocity), VelocityState(velocity)

    return Optimizer("Nesterov", lambda params: VelocityState(np.zeros_like(params, dtype=float)), update)


def rmsprop(learning_rate: float, decay: float = 0.9, eps: float = 1e-8) -> Optimizer:
    """RMSProp: s ← ρ s + (1 − ρ) g²; x ← x − η g / (√s + ε)."""
    eta, rho = _rate(learning_rate), _fraction("decay", decay)
    eps = check_real("eps", eps, low=0, low_open=True)

    def update(grad, state):
        square_average = rho * state.square_average + (1 - rho) * grad**2
        return -eta * grad / (np.sqrt(square_average) + eps), SquareAverageState(square_average)

    return Optimizer("RMSProp", lambda params: SquareAverageState(np.zeros_like(params, dtype=float)), update)


def adam(learning_rate: float, b1: float = 0.9, b2: float = 0.999, eps: float = 1e-8) -> Optimizer:
    """Adam: m ← β₁m + (1 − β₁)g; v ← β₂v + (1 − β₂)g²; x ← x − η m̂/(√v̂ + ε).

    with the bias corrections m̂ = m/(1 − β₁ᵗ) and v̂ = v/(1 − β₂ᵗ).
    """
    eta, b1, b2 = _rate(learning_rate), _fraction("b1", b1), _fraction("b2", b2)
    eps = check_real("eps", eps, low=0, low_open=True)

    def init(params):
        zeros = np.zeros_like(params, dtype=float)
        return AdamState(0, zeros, zeros)

    def update(grad, state):
        t = state.count + 1
        mean = b1 * state.mean + (1 - b1) * grad
        second_moment = b2 * state.second_moment + (1 - b2) * grad**2
        mean_hat = mean / (1 - b1**t)
        second_hat = second_moment / (1 - b2**t)
        return -eta * mean_hat / (np.sqrt(second_hat) + eps), AdamState(t, mean, second_moment)

    return Optimizer("Adam", init, update)


def newton(learning_rate: float = 1.0, damping: float = 0.0, fallback_rate: float = 0.01) -> Optimizer:
    """Damped Newton: x ← x − η (H + λI)⁻¹ g where H + λI is positive definite, else x ← x − η_fallback g.

    Near a saddle or a maximum the Newton step points uphill, so the update falls back to a (small)
    gradient step there and counts it in the state (``gradient_steps``).
    """
    eta = _rate(learning_rate)
    damping = check_real("damping", damping, low=0)
    fallback = check_real("fallback_rate", fallback_rate, low=0, low_open=True)

    def update(grad, state, hessian):
        matrix = np.asarray(hessian, dtype=float) + damping * np.eye(len(grad))
        if np.all(np.isfinite(matrix)) and np.all(np.linalg.eigvalsh((matrix + matrix.T) / 2) > 0):
            return -eta * np.linalg.solve(matrix, grad), state
        return -fallback * grad, NewtonState(state.gradient_steps + 1)

    return Optimizer("Newton", lambda params: NewtonState(0), update, needs_hessian=True)


@dataclass(frozen=True)
class OptimizerRun:
    """A path (row 0 = the start) and how it ended; rows stop at the last finite iterate."""

    name: str
    path: np.ndarray  # shape (k, d), k = n_steps + 1 unless the run stopped early
    diverged: bool
    message: str
    final_state: Any = None


def trajectory(
    optimizer: Optimizer,
    grad_fn: Callable[[np.ndarray], np.ndarray],
    x0: np.ndarray,
    n_steps: int,
    *,
    hessian_fn: Callable[[np.ndarray], np.ndarray] | None = None,
) -> OptimizerRun:
    """Run ``optimizer`` for ``n_steps`` from ``x0``, stopping and saying so where it diverges: the path
    keeps every iterate before the first step whose gradient or new iterate is not finite or whose iterate
    reaches RUNAWAY_SIZE. ``grad_fn`` is called once per step, at each iterate but the last, in order."""
    n_steps = check_integer("n_steps", n_steps, low=1, high=MAX_STEPS)
    if optimizer.needs_hessian and hessian_fn is None:
        raise ValueError(f"{optimizer.name} needs hessian_fn.")
    x = np.array(x0, dtype=float).ravel()
    if not np.all(np.isfinite(x)):
        raise ValueError(f"x0 must be finite. Got {tuple(x.tolist())} instead.")
    path = np.empty((n_steps + 1, x.size))
    path[0] = x
    state = optimizer.init(x)
    with np.errstate(all="ignore"):
        for t in range(1, n_steps + 1):
            grad = np.asarray(grad_fn(x), dtype=float)
            if optimizer.needs_hessian:
                step, state = optimizer.update(grad, state, hessian_fn(x))
            else:
                step, state = optimizer.update(grad, state)
            x = x + step
            # two reductions instead of six calls per step (a Python loop of thousands of steps): a NaN or an
            # infinity anywhere makes the maximum fail its comparison
            if not (np.abs(grad).max() < math.inf and np.abs(x).max() < RUNAWAY_SIZE):
                message = (
                    f"{optimizer.name} diverged at step {t}: the iterates overflowed or left the domain of "
                    "f. Try a smaller learning rate."
                )
                return OptimizerRun(optimizer.name, path[:t].copy(), True, message, state)
            path[t] = x
    return OptimizerRun(optimizer.name, path, False, "", state)


def run(
    optimizer: Optimizer,
    grad_fn: Callable[[np.ndarray], np.ndarray],
    x0: np.ndarray,
    n_steps: int,
    *,
    hessian_fn: Callable[[np.ndarray], np.ndarray] | None = None,
) -> np.ndarray:
    """The path as an array of shape (n_steps + 1, d), row 0 = x0 (fewer rows if the run diverged)."""
    return trajectory(optimizer, grad_fn, x0, n_steps, hessian_fn=hessian_fn).path


FACTORIES: dict[str, Callable[..., Optimizer]] = {
    "GD": gd,
    "Momentum": momentum,
    "Nesterov": nesterov,
    "RMSProp": rmsprop,
    "Adam": adam,
    "Newton": newton,
}
