"""The quadratic model of f(x, y) at a point, in numbers: q(d) = f(p) + ∇f(p)·d + ½ dᵀ H d, the second-order
Taylor model (``core.taylor``) that Newton's method minimises, and its minimum p − H⁻¹∇f where H is positive
definite."""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import sympy as sp

from core.bivariate import VARIABLES, Bivariate
from core.evaluation import scalar_function
from core.fields import contains, gradient_at_point

NEIGHBOURHOOD = 0.35  # half the side of the square around p where the model is drawn, per shorter window side


@dataclass(frozen=True)
class QuadraticModel:
    """q(d) = f(p) + g·d + ½ dᵀ H d with g = ∇f(p), H the Hessian at p: f's second-order Taylor model."""

    point: tuple[float, float]
    value: float
    gradient: tuple[float, float]
    hessian: tuple[tuple[float, float], tuple[float, float]]

    @property
    def eigenvalues(self) -> tuple[float, float]:
        low, high = np.linalg.eigvalsh(np.array(self.hessian))
        return float(low), float(high)

    @property
    def minimum(self) -> tuple[float, float] | None:
        """p − H⁻¹g, Newton's next point, where H is positive definite; None where q has no minimum."""
        if self.eigenvalues[0] <= 0:
            return None
        step = np.linalg.solve(np.array(self.hessian), np.array(self.gradient))
        return float(self.point[0] - step[0]), float(self.point[1] - step[1])

    @property
    def summary(self) -> str:
        """One sentence for the page: where q's minimum is, or why it has none."""
        low, high = self.eigenvalues
        where = f"({self.point[0]:.3g}, {self.point[1]:.3g})"
        if self.minimum is None:
            kind = (
                "a flat direction"
                if math.isclose(low, 0.0, abs_tol=1e-12 * max(1.0, abs(high)))
                else ("a direction of negative curvature")
            )
            return (
                f"Quadratic model at p = {where}: no minimum: H is not positive definite (eigenvalues "
                f"{low:.3g} and {high:.3g}, {kind}), so Newton's step does not lead to a minimum."
            )
        m = self.minimum
        return (
            f"Quadratic model at p = {where}: its minimum p − H⁻¹∇f = ({m[0]:.4g}, {m[1]:.4g}) is where "
            f"Newton's method steps next (H's eigenvalues {low:.3g} and {high:.3g} are both positive)."
        )

    def minimum_within(self, window: tuple[float, float, float, float]) -> tuple[float, float] | None:
        """The minimum where the window shows it, else None (the caption still says where it is)."""
        m = self.minimum
        return m if m is not None and contains(window, *m) else None

    def near_point(self, window: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
        """The part of the window where the model is drawn: a square of NEIGHBOURHOOD × the window's
        shorter side on either side of p. Far from p a second-order model says little about f, and its
        level curves would crowd the whole map."""
        reach = NEIGHBOURHOOD * min(window[1] - window[0], window[3] - window[2])
        x, y = self.point
        return (
            max(window[0], x - reach),
            min(window[1], x + reach),
            max(window[2], y - reach),
            min(window[3], y + reach),
        )

    def on_grid(self, window: tuple[float, float, float, float], points: int) -> tuple[np.ndarray, ...]:
        """(x, y, q) with q[i, j] = q at (x[j], y[i]), as ``core.bivariate.evaluate_on_grid`` lays it out."""
        x = np.linspace(window[0], window[1], points)
        y = np.linspace(window[2], window[3], points)
        dx, dy = x[np.newaxis, :] - self.point[0], y[:, np.newaxis] - self.point[1]
        (hxx, hxy), (_, hyy) = self.hessian
        gx, gy = self.gradient
        q = self.value + gx * dx + gy * dy + 0.5 * (hxx * dx**2 + 2 * hxy * dx * dy + hyy * dy**2)
        return x, y, q


@functools.lru_cache(maxsize=64)
def _compiled_second_derivatives(entries: tuple[sp.Expr, ...]) -> tuple[Callable[..., float], ...]:
    # compiled once per formula: reruns that move only the point reuse them
    return tuple(scalar_function(entry, VARIABLES) for entry in entries)


def quadratic_model(b: Bivariate, point: Sequence[float]) -> QuadraticModel:
    """f's quadratic model at ``point``; a ValueError says why where f, ∇f or H is undefined there (a
    kink of abs, relu or max included)."""
    where = gradient_at_point(b, *point)
    if not where.defined:
        raise ValueError(where.message)
    hxx, hxy, hyx, hyy = (part(where.x, where.y) for part in _compiled_second_derivatives(tuple(b.hessian)))
    if not all(math.isfinite(v) for v in (hxx, hxy, hyx, hyy)):
        raise ValueError(f"The Hessian is undefined at ({where.x:g}, {where.y:g}): f is not twice "
                         "differentiable there, so it has no quadratic model.")  # fmt: skip
    symmetric = 0.5 * (hxy + hyx)
    return QuadraticModel(
        (where.x, where.y), where.value, where.gradient, ((hxx, symmetric), (symmetric, hyy))
    )


def contour_levels(
    value_range: tuple[float, float] | None, q: np.ndarray, count: int
) -> tuple[float, float, float]:
    """(start, end, size) of ``count`` evenly spaced levels over ``value_range`` (f's own levels, so the
    dashed curves are comparable with f's), or over q's central values when f has no range."""
    if value_range is None or not value_range[1] > value_range[0]:
        finite = q[np.isfinite(q)]
        value_range = (
            (float(np.percentile(finite, 1)), float(np.percentile(finite, 90))) if finite.size else (0, 1)
        )
    low, high = value_range
    if not high > low:
        low, high = low - 1.0, low + 1.0
    return float(low), float(high), float(high - low) / count
