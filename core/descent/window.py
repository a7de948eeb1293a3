"""Where to look: the window of the (w, b) plane a descent landscape is drawn over.

`explore_box` frames the start and the optimum from the data's scales alone; `plot_window` widens it to
hold the path up to where it runs away; `nice_window` rounds both, so nearby runs share one cached
landscape. For two features the plane is (w₁, w₂) (see core.descent.logistic.weight_plane).
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from core.regression import DescentPath, auto_range, check_real

# An iterate whose loss is this many times the start's has run away: the window stops following it.
ESCAPE_FACTOR = 10.0


MAX_TRUE_ASPECT = 3.0


class ParameterWindow(NamedTuple):
    """A rectangle of the (w, b) plane; hashable, so caches can key on it."""

    w_min: float
    w_max: float
    b_min: float
    b_max: float

    def contains(self, w, b) -> np.ndarray:
        w, b = np.asarray(w), np.asarray(b)
        return (self.w_min <= w) & (w <= self.w_max) & (self.b_min <= b) & (b <= self.b_max)

    def aspect(self) -> float:
        """How many times wider than tall the window is in the (w, b) plane's own units."""
        return (self.w_max - self.w_min) / (self.b_max - self.b_min)

    def can_be_drawn_to_scale(self) -> bool:
        """Whether equal axes leave a usable map: at most MAX_TRUE_ASPECT times wider than tall (or taller
        than wide). The seed's window, w over 80 and b over 11, would be a strip a seventh as tall as wide."""
        return 1 / MAX_TRUE_ASPECT <= self.aspect() <= MAX_TRUE_ASPECT

    def steps(self, divisions=200) -> tuple[float, float]:
        """Round slider steps for w and b: about `divisions` of them across the window."""
        return (
            _nice_step(self.w_max - self.w_min, divisions),
            _nice_step(self.b_max - self.b_min, divisions),
        )


def on_grid(value: float, step: float) -> float:
    return _tidy(round(value / step) * step)


def _tidy(value: float) -> float:
    """Drop the float noise of a multiplication (0.30000000000000004 -> 0.3)."""
    return float(f"{value:.12g}")


def _nice_step(span: float, divisions: int) -> float:
    """The smallest 1, 2 or 5 times a power of ten that cuts `span` into at most `divisions` parts."""
    raw = span / divisions
    power = 10.0 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= raw * (1 - 1e-12))


def nice_window(w_min, w_max, b_min, b_max, *, divisions=20) -> ParameterWindow:
    """The window widened outward to round numbers: a twentieth of each span, rounded to 1, 2 or 5.

    Nearby inputs give the same window, so a landscape cached for one run serves the next.
    """
    bounds = []
    for low, high in ((w_min, w_max), (b_min, b_max)):
        step = _nice_step(high - low, divisions)
        rounded_low, rounded_high = _tidy(math.floor(low / step) * step), _tidy(math.ceil(high / step) * step)
        # tidying can round inward past a bound within float noise of a round number (-5e-324 -> 0)
        bounds += [
            rounded_low if rounded_low <= low else _tidy(rounded_low - step),
            rounded_high if rounded_high >= high else _tidy(rounded_high + step),
        ]
    return ParameterWindow(*bounds)


def explore_box(w, b, *, w_scale, b_scale) -> ParameterWindow:
    """A round window around the origin and (w, b), padded by a quarter of its span or a tenth of the scale.

    Depends only on the data, so sliders ranging over it keep their values when descent settings change.
    """
    w_scale = check_real("w_scale", w_scale, low=0, low_open=True)
    b_scale = check_real("b_scale", b_scale, low=0, low_open=True)
    bounds = []
    for centre, scale in ((w, w_scale), (b, b_scale)):
        low, high = min(0.0, centre), max(0.0, centre)
        pad = max(0.25 * (high - low), 0.1 * scale)
        bounds += [low - pad, high + pad]
    return nice_window(*bounds)


def plot_window(path: DescentPath, box: ParameterWindow, *, escape_factor=ESCAPE_FACTOR) -> ParameterWindow:
    """A round window holding `box` and every iterate that has not run away (loss <= factor × start loss).

    A diverging path is thereby shown up to where it leaves the plot instead of squashing the
    landscape into a dot; a converging one is shown whole.
    """
    kept = path.loss <= escape_factor * path.loss[0]
    bounds = auto_range(
        [box.w_min, box.w_max, *path.w[kept]], [box.b_min, box.b_max, *path.b[kept]], margin=0.05
    )
    return nice_window(*bounds)
