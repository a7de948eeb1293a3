"""The numeric search for critical points: zeros of ∇f inside a window, found from a grid and verified.

Every critical point is a zero of |∇f|, so the search starts from the local minima of |∇f| on a grid over
the window (a fixed count per axis: the starts scale with the window at any zoom), runs Newton's method
from all of them at once, polishes each candidate that settled with ``scipy.optimize.root`` and keeps it
only if ``verified`` says ∇f really vanishes there. A wall clock bounds the polishing.
"""

from __future__ import annotations

import itertools
import math
import time
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import sympy as sp
from scipy.optimize import root

from core.calculus import gradient, hessian, symbol_for
from core.evaluation import numeric_function

NUMERIC_TIME_LIMIT = 2.0  # wall clock for polishing the numeric search's candidates
SEARCH_POINTS_PER_AXIS = 121  # the grid |∇f| is scanned on: the same count at every zoom
STARTS_PER_AXIS = 12  # at most STARTS_PER_AXIS² of the grid's local minima of |∇f| become Newton starts
MAX_STARTS = STARTS_PER_AXIS**2
NEWTON_STEPS = 60
GRADIENT_TOLERANCE = 1e-8  # |∇f| relative to the Hessian's norm times the window's width
STEP_TOLERANCE = 1e-7  # Newton's remaining step relative to the window's width
PROMISING_STEP = 1e-4  # the same after the vectorised Newton steps, for a candidate to be polished


def inside(location: Sequence[float], bounds: Sequence[tuple[float, float]], slack: float) -> bool:
    """Whether the location lies in the bounds, give or take ``slack`` (absolute)."""
    return all(low - slack <= v <= high + slack for v, (low, high) in zip(location, bounds, strict=True))


# Every critical point is a zero of |∇f|, so the search starts from the local minima of |∇f| on a grid
# over the window (a fixed count per axis: the starts scale with the window at any zoom), runs Newton's
# method from all of them at once, polishes each candidate with ``scipy.optimize.root`` and keeps it only
# if it passes ``_verified``. A wall clock bounds the polishing.


def _grid_starts(grad_parts, bounds) -> np.ndarray:
    """The grid's local minima of |∇f|, deepest dips first, at most MAX_STARTS.

    Inside a plateau (where |∇f| underflows to the same 0 over a whole region, as far out on a Gaussian)
    no point is a start; among equal minima, the one whose neighbours rise most comes first, so the
    origin of exp(-x² - y²) is not crowded out by the flat corners of a wide window.
    """
    axes = [np.linspace(low, high, SEARCH_POINTS_PER_AXIS) for low, high in bounds]
    mesh = np.meshgrid(*axes, indexing="ij")
    with np.errstate(all="ignore"):
        parts = [np.broadcast_to(part(*mesh), mesh[0].shape) for part in grad_parts]
        norm = np.sqrt(sum(g**2 for g in parts))
    norm = np.where(np.isnan(norm), np.inf, norm)
    padded = np.pad(norm, 1, constant_values=np.nan)  # beyond the border: no neighbour
    neighbours = np.stack([
        padded[tuple(slice(1 + o, padded.shape[i] - 1 + o) for i, o in enumerate(offset))]
        for offset in itertools.product((-1, 0, 1), repeat=norm.ndim) if any(offset)
    ])  # fmt: skip
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN neighbourhoods only in 1-point grids
        lowest_around, highest_around = np.nanmin(neighbours, axis=0), np.nanmax(neighbours, axis=0)
    dips = np.isfinite(norm) & (norm <= lowest_around) & (norm < highest_around)
    order = np.lexsort((-highest_around[dips], norm[dips]))[:MAX_STARTS]
    return np.stack([m[dips] for m in mesh], axis=1)[order]


def _newton_candidates(starts, grad_parts, hessian_parts, bounds) -> np.ndarray:
    """Newton's method x ← x − H⁻¹∇f from every start at once (vectorised over the starts).

    Newton steps towards any critical point (minimum, maximum or saddle) alike, which is what we want;
    a step is capped at a tenth of the window so a start near an inflection cannot jump far away.
    """
    x = np.array(starts, dtype=float)
    n = x.shape[1]
    max_step = 0.1 * window_width(bounds)
    with np.errstate(all="ignore"):
        length = np.full((len(x), 1), np.inf)
        for _ in range(NEWTON_STEPS):
            g = np.stack([np.broadcast_to(part(*x.T), len(x)) for part in grad_parts], axis=-1)
            h = np.stack([np.broadcast_to(part(*x.T), len(x)) for part in hessian_parts], axis=-1).reshape(
                len(x), n, n
            )
            alive = np.all(np.isfinite(g), axis=1) & np.all(np.isfinite(h), axis=(1, 2))
            x[~alive] = np.nan
            if not alive.any():
                break
            step = np.zeros_like(x)
            step[alive] = np.einsum("mij,mj->mi", np.linalg.pinv(h[alive]), g[alive])
            length = np.linalg.norm(step, axis=1, keepdims=True)
            step *= np.minimum(1.0, max_step / np.maximum(length, 1e-300))
            x = x - step
    # after NEWTON_STEPS even a degenerate point (linear convergence, as for x⁴) is approached to a tiny
    # step; a start still taking big steps (the flat far field of a Gaussian) is not worth polishing
    settling = np.all(np.isfinite(x), axis=1) & (length[:, 0] <= PROMISING_STEP * window_width(bounds))
    return x[settling]


def window_width(bounds) -> float:
    return max(high - low for low, high in bounds)


@dataclass(frozen=True)
class Derivatives:
    """f, ∇f and the Hessian, as expressions and as NumPy functions (parts for grids, vectors at a point)."""

    symbols: tuple[sp.Symbol, ...]
    gradient: tuple[sp.Expr, ...]
    hessian: tuple[sp.Expr, ...]  # row by row
    f: object
    grad_parts: list
    hessian_parts: list

    @classmethod
    def of(cls, expr: sp.Expr, variables: tuple[str, ...]) -> Derivatives:
        grad, matrix = gradient(expr, variables), hessian(expr, variables)
        return cls(
            tuple(symbol_for(expr, name) for name in variables),
            tuple(grad),
            tuple(matrix),
            numeric_function(expr, variables),
            [numeric_function(g, variables) for g in grad],
            [numeric_function(e, variables) for e in matrix],
        )

    def grad_at(self, v) -> np.ndarray:
        """∇f at one point as a vector (the signature scipy's root expects)."""
        return np.array([float(part(*v)) for part in self.grad_parts])

    def hessian_at(self, *coordinates) -> np.ndarray:
        """The Hessian at one point, given as separate coordinates or as one vector (scipy's Jacobian)."""
        if len(coordinates) == 1:
            coordinates = tuple(coordinates[0])
        n = len(self.symbols)
        return np.array([float(part(*coordinates)) for part in self.hessian_parts]).reshape(n, n)

    def precise_at(self, location) -> tuple[np.ndarray, np.ndarray] | None:
        """∇f and the Hessian at 30 digits, scaled by their largest entry (which Newton's step H⁺∇f does not
        notice), for where floats underflow; None where either is not a real number."""
        subs = {s: sp.Float(v, 30) for s, v in zip(self.symbols, location, strict=True)}
        values = [sp.N(e, 30, subs=subs) for e in (*self.gradient, *self.hessian)]
        if not all(v.is_real and v.is_finite for v in values):
            return None
        n = len(self.gradient)
        scale = max(abs(v) for v in values)
        scaled = np.array([float(v / scale) if scale else 0.0 for v in values])
        return scaled[:n], scaled[n:].reshape(n, n)


UNDERFLOW = 1e-280  # a smaller |∇f| is recomputed at 30 digits (with the Hessian) before it counts as 0


def verified(location, d: Derivatives, bounds) -> bool:
    """Whether ∇f really vanishes at ``location``: f, ∇f and the Hessian are real there, |∇f| is tiny next
    to the Hessian times the window's width, and Newton's next step H⁺∇f is a negligible part of the
    window. The step test rejects the flat far field of a Gaussian, where |∇f| is 1e-100 but the point is
    no closer to being critical; where floats underflow to exactly 0 (exp(-x²-y²) at x = y = 20) the
    test is repeated at 30 digits."""
    with np.errstate(all="ignore"):
        value, gradient_there, matrix = float(d.f(*location)), d.grad_at(location), d.hessian_at(location)
        if not (math.isfinite(value) and np.all(np.isfinite(gradient_there)) and np.all(np.isfinite(matrix))):
            return False
        if np.max(np.abs(gradient_there)) < UNDERFLOW:  # a true 0, or one that underflowed?
            precise = d.precise_at(location)
            if precise is None:
                return False
            gradient_there, matrix = precise
        # the test is scale-free, and scaling first keeps norms of 1e-275-sized entries from underflowing
        scale = max(np.max(np.abs(gradient_there)), np.max(np.abs(matrix)))
        if scale == 0.0:
            return True
        gradient_there, matrix = gradient_there / scale, matrix / scale
        residual = float(np.linalg.norm(gradient_there))
        width = window_width(bounds)
        curvature = float(np.linalg.norm(matrix, 2))
        step = float(np.linalg.norm(np.linalg.pinv(matrix) @ gradient_there))
    return residual <= GRADIENT_TOLERANCE * curvature * width and step <= STEP_TOLERANCE * width


def numeric_search(d: Derivatives, bounds, deadline):
    """Distinct verified critical points in the bounds, and whether the wall clock cut the search short."""
    width = window_width(bounds)
    found: list[np.ndarray] = []
    candidates = _newton_candidates(_grid_starts(d.grad_parts, bounds), d.grad_parts, d.hessian_parts, bounds)
    with np.errstate(all="ignore"):
        for candidate in candidates:
            if time.perf_counter() > deadline:
                return [tuple(float(v) for v in loc) for loc in found], True
            if not inside(candidate, bounds, slack=1e-3 * width):
                continue
            if any(np.linalg.norm(candidate - other) < 1e-5 * width for other in found):
                continue  # already polished from a neighbouring start
            try:
                solution = root(
                    d.grad_at, candidate, jac=d.hessian_at, method="hybr", options={"xtol": 1e-13}
                )
            except (ValueError, np.linalg.LinAlgError):
                continue
            location = solution.x if np.all(np.isfinite(solution.x)) else candidate
            if not inside(location, bounds, slack=1e-9 * width):
                continue
            if not verified(location, d, bounds):
                continue
            if any(np.linalg.norm(location - other) < 1e-6 * width for other in found):
                continue
            found.append(location)
    return [tuple(float(v) for v in loc) for loc in found], False
