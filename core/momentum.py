"""Momentum on the MSE bowl, the Distill way (Goh 2017, "Why Momentum Really Works"): the bowl's Hessian H
is the same everywhere, so in its eigenvector coordinates gradient descent and heavy-ball momentum run as
independent one-dimensional problems, one per eigenvalue λᵢ.

Heavy ball (core.optimizers.momentum): v ← β v + g, θ ← θ − η v. Along an eigenvector with curvature λ the
error e and velocity follow the 2 × 2 linear map R(λ) = [[β, λ], [−ηβ, 1 − ηλ]] acting on (v, e); the
error shrinks each step by the spectral radius ρ(R(λ)), and the run converges like max over λ of that.
Minimising it over (η, β) gives η* = (2 / (√λ_max + √λ_min))² and β* = ((√λ_max − √λ_min) / (√λ_max +
√λ_min))², where every direction shrinks by √β* = (√κ − 1)/(√κ + 1) per step (κ = λ_max / λ_min), against
(κ − 1)/(κ + 1) for the best plain gradient descent.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from core import optimizers
from core.regression import check_samples, linear_optimum, mse_hessian
from core.validation import check_integer, check_real

MAX_ITERATIONS = 5000
MAP_POINTS = 41  # per axis of the (η, β) convergence-rate map
MAX_CHART_POINTS = 400  # per line of the eigen-error chart
BETA_MAX = 0.99  # the map's and the slider's largest β: at 1 momentum never forgets and never converges


@dataclass(frozen=True)
class Bowl:
    """The MSE bowl of (w, b): its Hessian's eigenvalues (ascending) and unit eigenvectors (columns), and
    its minimum, the least-squares line."""

    eigenvalues: tuple[float, float]
    eigenvectors: np.ndarray  # (2, 2): column i belongs to eigenvalues[i]
    optimum: tuple[float, float]

    @property
    def condition_number(self) -> float:
        return self.eigenvalues[1] / self.eigenvalues[0]

    def gradient(self, params: np.ndarray) -> np.ndarray:
        """∇L(θ) = H (θ − θ*): exact for the MSE, a quadratic."""
        hessian = self.eigenvectors @ np.diag(self.eigenvalues) @ self.eigenvectors.T
        return hessian @ (params - np.asarray(self.optimum))


def mse_bowl(x, y) -> Bowl:
    """The bowl of one-feature linear regression on (x, y); a flat valley (constant x) is a ValueError."""
    x, y = check_samples(x, y)
    values, vectors = np.linalg.eigh(mse_hessian(x))
    if not values[0] > 0:
        raise ValueError("x must vary for the bowl to have a minimum. Got a flat valley (λ_min = 0) instead.")
    optimum = linear_optimum(x, y)
    return Bowl((float(values[0]), float(values[1])), vectors, (float(optimum.w), float(optimum.b)))


def optimal_momentum(eigenvalues: tuple[float, float]) -> tuple[float, float]:
    """(η*, β*) = ((2 / (√λ_max + √λ_min))², ((√λ_max − √λ_min) / (√λ_max + √λ_min))²)."""
    low, high = (math.sqrt(check_real("eigenvalue", v, low=0, low_open=True)) for v in eigenvalues)
    return (2 / (high + low)) ** 2, ((high - low) / (high + low)) ** 2


def _check_step(learning_rate: float, beta: float) -> tuple[float, float]:
    return (
        check_real("learning_rate", learning_rate, low=0, low_open=True),
        check_real("beta", beta, low=0, high=1, high_open=True),
    )


def convergence_factor(learning_rate: float, beta: float, eigenvalues: tuple[float, float]) -> float:
    """The factor by which the slowest direction's error shrinks per step, max over λ of ρ(R(λ)); at or
    above 1 momentum does not converge."""
    eta, beta = _check_step(learning_rate, beta)
    return float(max(_spectral_radius(eta, beta, np.asarray(eigenvalues, dtype=float))))


def _spectral_radius(eta, beta, lam):
    """ρ of R(λ) = [[β, λ], [−ηβ, 1 − ηλ]] for arrays of η, β, λ (broadcast): the roots of
    z² − (1 + β − ηλ) z + β = 0."""
    half_trace = (1 + beta - eta * lam) / 2
    discriminant = half_trace**2 - beta
    real = np.abs(half_trace) + np.sqrt(np.maximum(discriminant, 0))
    return np.where(discriminant >= 0, real, np.sqrt(beta))  # complex roots: |z|² = β


@dataclass(frozen=True)
class RateMap:
    """max over λ of ρ(R(λ)) on a grid: rows = β, columns = η (log-spaced)."""

    learning_rates: np.ndarray
    betas: np.ndarray
    factors: np.ndarray


def rate_map(eigenvalues: tuple[float, float], *, points: int = MAP_POINTS) -> RateMap:
    """The convergence factor over η from 10⁻³/λ_max to 4/λ_max (momentum's stable range reaches
    2(1 + β)/λ_max) and β from 0 to BETA_MAX."""
    points = check_integer("points", points, low=2, high=401)
    high = eigenvalues[1]
    etas = np.geomspace(1e-3 / high, 4 / high, points)
    betas = np.linspace(0, BETA_MAX, points)
    lam = np.asarray(eigenvalues, dtype=float)[:, None, None]
    factors = np.max(_spectral_radius(etas[None, None, :], betas[None, :, None], lam), axis=0)
    return RateMap(etas, betas, factors)


def steps_per_tenfold(factors: np.ndarray) -> np.ndarray:
    """ln 0.1 / ln ρ: the steps a factor ρ per step needs to shrink an error tenfold; NaN where ρ ≥ 1."""
    factors = np.asarray(factors, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where((factors > 0) & (factors < 1), math.log(0.1) / np.log(factors), np.nan)


def _errors_along_eigenvectors(bowl: Bowl, path: np.ndarray) -> np.ndarray:
    """|component of θ − θ* along each eigenvector| for each iterate: shape (k, 2)."""
    return np.abs((path - np.asarray(bowl.optimum)) @ bowl.eigenvectors)


def _run(bowl: Bowl, rule: optimizers.Optimizer, start, n_iterations: int) -> np.ndarray:
    n_iterations = check_integer("n_iterations", n_iterations, low=1, high=MAX_ITERATIONS)
    start = np.array([check_real("w0", start[0]), check_real("b0", start[1])])
    path = optimizers.trajectory(rule, bowl.gradient, start, n_iterations).path
    return _errors_along_eigenvectors(bowl, path)


def momentum_errors(bowl: Bowl, start, *, learning_rate: float, beta: float, n_iterations: int) -> np.ndarray:
    """Heavy-ball momentum (β = 0: plain gradient descent) from ``start`` = (w₀, b₀): the error along each
    eigenvector at every iterate, shape (k, 2), k = n_iterations + 1 unless the run overflowed first.

    Run in eigenvector coordinates, where each direction is the scalar recursion v ← β v + λ e,
    e ← e − η v: the same iterates as core.optimizers.momentum on ∇L = H (θ − θ*), in floats rather than
    arrays (a hundred times faster per step, which a 5000-step run needs)."""
    eta, beta = _check_step(learning_rate, beta)
    n_iterations = check_integer("n_iterations", n_iterations, low=1, high=MAX_ITERATIONS)
    start = np.array([check_real("w0", start[0]), check_real("b0", start[1])])
    columns = []
    for lam, error in zip(
        bowl.eigenvalues, (start - np.asarray(bowl.optimum)) @ bowl.eigenvectors, strict=True
    ):
        e, v, errors = float(error), 0.0, [abs(float(error))]
        for _ in range(n_iterations):
            v = beta * v + lam * e
            e = e - eta * v
            errors.append(abs(e))
        columns.append(errors)
    errors = np.array(columns).T
    finite = np.isfinite(errors).all(axis=1)
    return errors if finite.all() else errors[: int(np.argmin(finite))]  # up to the first overflow


def adam_errors(
    bowl: Bowl, start, *, learning_rate: float, b1: float, b2: float, n_iterations: int
) -> np.ndarray:
    """The same for Adam (core.optimizers.adam). Adam rescales each coordinate w, b on its own, so unlike
    momentum it does not act on the eigendirections separately: their errors are coupled."""
    return _run(bowl, optimizers.adam(learning_rate, b1, b2), start, n_iterations)


def thinned(errors: np.ndarray, *, limit: int = MAX_CHART_POINTS) -> tuple[np.ndarray, np.ndarray]:
    """(iterations, errors) at no more than ``limit`` evenly spaced iterations, both ends kept: a 5000-step
    run would otherwise send 5000 points per line to the browser."""
    steps = np.unique(np.linspace(0, len(errors) - 1, min(limit, len(errors))).round().astype(int))
    return steps, errors[steps]
