"""Everything the Gradient field and Directional derivative pages compute about one f(x, y): the landscape on
a grid (with a log colour option for wide ranges), arrow fields, ∇f at a point, the tangent plane, the slice
g(t) = f(p + t·u) and D_u f over every angle.

Pure NumPy on a ``core.bivariate.Bivariate``; sizes are capped here so a crafted URL cannot make the server
work without bound. Arrows are finished line paths (NaN-separated), ready for one Plotly trace each.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import sympy as sp

from core import functions2d
from core.bivariate import WINDOW_LIMIT, Bivariate, check_window, evaluate_on_grid
from core.calculus import unit_vector
from core.evaluation import undefined_message
from core.numbers import format_number

Window = tuple[float, float, float, float]  # x_min, x_max, y_min, y_max

# per axis: enough for Rosenbrock's narrow valley on the log scale; 151 cost the browser ~300 ms a move
CONTOUR_POINTS = 101
SURFACE_POINTS = 60  # the 3-D surface is the heavy chart: 60 × 60 keeps it near 20 KB
SLICE_POINTS = 201
SWEEP_POINTS = 360
ARROWS_PER_SIDE = (3, 40)  # at most 1 600 arrows, whatever the URL says
ARROW_BANDS = 5
ZOOMS = (0.25, 0.5, 1.0, 2.0, 4.0)  # window sizes offered, × the function's own (core.bivariate.zoomed)
CUSTOM_WINDOW: Window = (-3.0, 3.0, -3.0, 3.0)
COLOUR_SCALES = ("auto", "linear", "log")
LOG_DECADES = 3  # a log colour scale resolves values down to 1/1000 of the window's range
AUTO_LOG_MEDIAN = 0.08  # 'auto' goes log when half the window sits in the bottom 8 % of the range
ARROW_FILL = 0.9  # the longest arrow covers this much of the spacing between arrows
HEAD_FRACTION, HEAD_HALF_ANGLE = 0.3, math.radians(20)
MARK_FRACTION = 0.25  # length of the highlighted arrows, as a fraction of the window's shorter side
PLANE_FRACTION = 0.18  # half-width of the tangent-plane patch, same units
SLICE_FRACTION = 0.4  # the slice runs over t ∈ [−T, T], T this fraction of the shorter side


# ---------------------------------------------------------------------------------------------------
# Windows


def base_window(name: str) -> Window:
    """The named function's own window; a custom formula starts from CUSTOM_WINDOW."""
    return functions2d.FUNCTIONS[name].window if name in functions2d.FUNCTIONS else CUSTOM_WINDOW


def _shorter_side(window: Window) -> float:
    x_min, x_max, y_min, y_max = window
    return min(x_max - x_min, y_max - y_min)


def check_point(x: float, y: float) -> tuple[float, float]:
    if not all(math.isfinite(v) and abs(v) <= WINDOW_LIMIT for v in (x, y)):
        raise ValueError(f"point must be finite and within ±{WINDOW_LIMIT:g}. Got ({x}, {y}) instead.")
    return float(x), float(y)


def contains(window: Window, x, y):
    """Whether (x, y) lies in the window: a bool for a point, a boolean array for arrays of points (NaN is
    outside)."""
    x_min, x_max, y_min, y_max = window
    return (x_min <= x) & (x <= x_max) & (y_min <= y) & (y <= y_max)


# ---------------------------------------------------------------------------------------------------
# The landscape on a grid


@dataclass(frozen=True)
class Landscape:
    """f on a grid (rows = y, columns = x), NaN where undefined, and the values to colour it by."""

    x: np.ndarray
    y: np.ndarray
    f: np.ndarray
    value_range: tuple[float, float]  # smallest and largest finite f (0, 0 when there is none)
    colour: np.ndarray  # f itself, or log-compressed f when ``log_colour``
    log_colour: bool
    tick_values: tuple[float, ...]  # colour-bar ticks in ``colour`` units, labelled with values of f
    tick_labels: tuple[str, ...]
    undefined_fraction: float
    message: str  # why nothing can be drawn, or ''


def landscape(
    b: Bivariate, window: Window, *, points: int = CONTOUR_POINTS, colour: str = "auto"
) -> Landscape:
    """Evaluate f over the window; ``colour`` is 'linear', 'log' (log of f − min f) or 'auto'."""
    if colour not in COLOUR_SCALES:
        raise ValueError(
            f"colour must be one of {', '.join(map(repr, COLOUR_SCALES))}. Got {colour!r} instead."
        )
    x, y, f = evaluate_on_grid(b.f, window, points)
    finite = f[np.isfinite(f)]
    low, high = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 0.0)
    spread = high - low
    if colour == "auto":
        colour = "log" if spread > 0 and np.median(finite - low) < AUTO_LOG_MEDIAN * spread else "linear"
    if colour == "linear" or not (spread > 0 and math.isfinite(spread)):
        values, ticks, labels, log = f, (), (), False
    else:
        # log10(1 + (f − min)/δ): 0 at the minimum, log10(1 + 10^LOG_DECADES) at the maximum; equally
        # spaced contour levels then sit at geometrically spaced values of f
        delta = spread / 10**LOG_DECADES
        values = np.log10(1 + (f - low) / delta)
        offsets = [
            0.0,
            *(10.0**k for k in range(math.ceil(math.log10(delta)), math.floor(math.log10(spread)) + 1)),
        ]
        ticks = tuple(math.log10(1 + d / delta) for d in offsets)
        labels = tuple(format_value(low + d) for d in offsets)
        log = True
    return Landscape(
        x=x,
        y=y,
        f=f,
        value_range=(low, high),
        colour=values,
        log_colour=log,
        tick_values=ticks,
        tick_labels=labels,
        undefined_fraction=float(np.isnan(f).mean()),
        message=undefined_message(f),
    )


def format_value(value: float) -> str:
    """3 significant digits, but 1000 rather than 1e+03 below a million."""
    text = f"{value:.3g}"
    return f"{value:.0f}" if "e+" in text and abs(value) < 1e6 else text


# ---------------------------------------------------------------------------------------------------
# Arrows


@dataclass(frozen=True)
class ArrowPath:
    """Arrows (shaft and head) as one polyline; NaN separates one arrow from the next."""

    x: np.ndarray
    y: np.ndarray


def arrow_paths(x: np.ndarray, y: np.ndarray, dx: np.ndarray, dy: np.ndarray) -> ArrowPath:
    """Arrows from (x, y) to (x + dx, y + dy) with heads scaled to their length (equal-aspect axes)."""
    x, y, dx, dy = (np.atleast_1d(np.asarray(a, dtype=float)).ravel() for a in (x, y, dx, dy))
    tip_x, tip_y = x + dx, y + dy
    angle = np.arctan2(dy, dx)
    head = HEAD_FRACTION * np.hypot(dx, dy)
    left_x = tip_x - head * np.cos(angle - HEAD_HALF_ANGLE)
    left_y = tip_y - head * np.sin(angle - HEAD_HALF_ANGLE)
    right_x = tip_x - head * np.cos(angle + HEAD_HALF_ANGLE)
    right_y = tip_y - head * np.sin(angle + HEAD_HALF_ANGLE)
    gap = np.full_like(x, np.nan)
    # shaft, one barb, back to the tip, the other barb, break: six points per arrow
    xs = np.column_stack([x, tip_x, left_x, tip_x, right_x, gap]).ravel()
    ys = np.column_stack([y, tip_y, left_y, tip_y, right_y, gap]).ravel()
    return ArrowPath(xs, ys)


@dataclass(frozen=True)
class ArrowBand:
    low: float  # |∇f| range of the arrows in this band
    high: float
    path: ArrowPath


@dataclass(frozen=True)
class ArrowField:
    """∇f as arrows on an even grid: all of them, and the same arrows split into bands of |∇f|."""

    arrows: ArrowPath
    bands: tuple[ArrowBand, ...]  # equal-count bands, lowest |∇f| first; empty bands are left out
    count: int
    spacing: float  # distance between neighbouring arrows (the shorter of the two directions)
    scale: float  # drawn length per unit of |∇f| in true-length mode; NaN when normalised
    true_length: bool


def arrow_field(b: Bivariate, window: Window, *, per_side: int, true_length: bool) -> ArrowField:
    """Arrows at the centres of a per_side × per_side grid of cells.

    Normalised arrows all have the same length (direction only); true-length arrows share one scale, so the
    longest fills ARROW_FILL of the spacing and the others are in proportion to |∇f|.
    """
    low, high = ARROWS_PER_SIDE
    if not low <= per_side <= high:
        raise ValueError(f"per_side must be between {low} and {high}. Got {per_side} instead.")
    x_min, x_max, y_min, y_max = check_window(window)
    step_x, step_y = (x_max - x_min) / per_side, (y_max - y_min) / per_side
    xs = np.linspace(x_min + step_x / 2, x_max - step_x / 2, per_side)
    ys = np.linspace(y_min + step_y / 2, y_max - step_y / 2, per_side)
    x, y = (a.ravel() for a in np.meshgrid(xs, ys))
    gx, gy = b.gradient_at(x, y)
    ok = np.isfinite(gx) & np.isfinite(gy) & np.isfinite(b.f(x, y))
    x, y, gx, gy = x[ok], y[ok], gx[ok], gy[ok]
    magnitude = np.hypot(gx, gy)
    spacing = min(step_x, step_y)
    length = ARROW_FILL * spacing
    if true_length:
        largest = float(magnitude.max()) if magnitude.size else 0.0
        scale = length / largest if largest > 0 else 0.0
        dx, dy = scale * gx, scale * gy
    else:
        scale = float("nan")
        with np.errstate(invalid="ignore", divide="ignore"):
            dx, dy = (np.where(magnitude > 0, length * g / magnitude, 0.0) for g in (gx, gy))
    return ArrowField(
        arrows=arrow_paths(x, y, dx, dy),
        bands=_bands(x, y, dx, dy, magnitude),
        count=int(x.size),
        spacing=spacing,
        scale=scale,
        true_length=true_length,
    )


def _bands(x, y, dx, dy, magnitude) -> tuple[ArrowBand, ...]:
    if magnitude.size == 0:
        return ()
    # equal-count bands: |∇f| is usually skewed (Rosenbrock), and equal-width bands would leave most empty
    edges = np.quantile(magnitude, np.linspace(0, 1, ARROW_BANDS + 1))
    index = np.clip(np.searchsorted(edges, magnitude, side="right") - 1, 0, ARROW_BANDS - 1)
    bands = []
    for band in range(ARROW_BANDS):
        members = index == band
        if members.any():
            path = arrow_paths(x[members], y[members], dx[members], dy[members])
            bands.append(ArrowBand(float(magnitude[members].min()), float(magnitude[members].max()), path))
    return tuple(bands)


# ---------------------------------------------------------------------------------------------------
# The gradient at one point


def angle_in_turn(radians: float) -> float:
    """The same direction as an angle in [0, 2π). A plain ``% 2π`` maps −1e-16 to 2π itself after rounding."""
    angle = radians % (2 * math.pi)
    return 0.0 if angle >= 2 * math.pi else angle


@dataclass(frozen=True)
class PointGradient:
    x: float
    y: float
    value: float  # f(x, y); NaN where undefined
    gradient: tuple[float, float]  # NaN where undefined
    message: str  # why ∇f is undefined here, or ''

    @property
    def defined(self) -> bool:
        return not self.message

    @property
    def norm(self) -> float:
        return math.hypot(*self.gradient)

    @property
    def angle(self) -> float:
        """The gradient's direction in radians, in [0, 2π); NaN when ∇f is zero or undefined."""
        if not self.defined or self.norm == 0:
            return float("nan")
        return angle_in_turn(math.atan2(self.gradient[1], self.gradient[0]))


KINKS = (sp.Abs, sp.Max, sp.Min, sp.Heaviside, sp.sign)  # where a formula can have corners (|x|, relu, max)


def gradient_at_point(b: Bivariate, x: float, y: float) -> PointGradient:
    """f and ∇f at (x, y); never raises for a finite point: an undefined ∇f is explained in ``message``."""
    x, y = check_point(x, y)
    value = float(b.f(x, y))
    gradient = tuple(float(g) for g in b.gradient_at(x, y))
    where = f"({x:g}, {y:g})"
    if not math.isfinite(value):
        message = f"f is undefined at {where}, so it has no gradient there."
    elif not all(math.isfinite(g) for g in gradient):
        message = f"∇f is undefined at {where}: f is not differentiable there (a corner, cusp or edge)."
    else:
        message = _corner_message(b, x, y, value, where)
    return PointGradient(x, y, value, gradient, message)


def _corner_message(b: Bivariate, x: float, y: float, value: float, where: str) -> str:
    """On a crease of |x|, relu or max the symbolic gradient still gives a number (sign(0) = 0), so compare
    one-sided slopes: if they disagree, ∇f does not exist there."""
    if not any(b.expr.has(kind) for kind in KINKS):
        return ""
    for name, (dx, dy) in (("x", (1.0, 0.0)), ("y", (0.0, 1.0))):
        h = 1e-6 * max(1.0, abs(x), abs(y))
        right = (float(b.f(x + h * dx, y + h * dy)) - value) / h
        left = (value - float(b.f(x - h * dx, y - h * dy))) / h
        if abs(right - left) > 1e-3 * (1.0 + abs(left) + abs(right)):
            return (
                f"∇f is undefined at {where}: f has a corner there (∂f/∂{name} is {left:.4g} from one side "
                f"and {right:.4g} from the other)."
            )
    return ""


def highlighted_gradient(field: ArrowField, point: PointGradient) -> ArrowPath | None:
    """The point's own gradient direction, twice as long as a normalised field arrow whatever the mode:
    at true length it could be a dot (Rosenbrock's |∇f| spans four orders of magnitude in its window).
    None where ∇f is zero or undefined."""
    if not point.defined or point.norm == 0:
        return None
    length = 2 * ARROW_FILL * field.spacing
    gx, gy = point.gradient
    return arrow_paths(point.x, point.y, length * gx / point.norm, length * gy / point.norm)


@dataclass(frozen=True)
class SurfaceMarks:
    """What the 3-D surface shows at the point: the tangent plane patch and the steepest-ascent line."""

    plane_x: np.ndarray  # 2 values
    plane_y: np.ndarray  # 2 values
    plane_z: np.ndarray  # 2 × 2 (rows = y): a plane needs only its corners
    ascent_x: np.ndarray  # from the point, along ∇f on the tangent plane; empty when ∇f = 0
    ascent_y: np.ndarray
    ascent_z: np.ndarray


def surface_marks(point: PointGradient, window: Window) -> SurfaceMarks | None:
    """Tangent plane z = f(p) + ∇f(p)·(q − p) around p, and the line rising along ∇f; None if undefined."""
    if not point.defined:
        return None
    gx, gy = point.gradient
    half = PLANE_FRACTION * _shorter_side(window)
    px = np.array([point.x - half, point.x + half])
    py = np.array([point.y - half, point.y + half])
    pz = point.value + gx * (px[None, :] - point.x) + gy * (py[:, None] - point.y)
    if point.norm == 0:
        empty = np.zeros(0)
        return SurfaceMarks(px, py, pz, empty, empty, empty)
    length = MARK_FRACTION * _shorter_side(window)
    ux, uy = gx / point.norm, gy / point.norm
    # along the unit direction ĝ the tangent plane rises by |∇f| per unit: the steepest slope
    return SurfaceMarks(
        px,
        py,
        pz,
        np.array([point.x, point.x + length * ux]),
        np.array([point.y, point.y + length * uy]),
        np.array([point.value, point.value + length * point.norm]),
    )


# ---------------------------------------------------------------------------------------------------
# Directional derivatives


def _number(v: float) -> str:
    return format_number(v)


def _factor(v: float) -> str:
    """A number as a factor in a product: negatives in parentheses."""
    text = _number(v)
    return f"({text})" if text.startswith("-") else text


def _pair(a: float, b: float) -> str:
    # a row, as the seed prints vectors: one line of height, where a column vector takes two
    return f"({_number(a)}, {_number(b)})"


@dataclass(frozen=True)
class Direction:
    """A unit direction u and how it was obtained (LaTeX with the numbers)."""

    unit: tuple[float, float]
    latex: str

    @property
    def angle(self) -> float:
        """u's angle in radians, in [0, 2π)."""
        return angle_in_turn(math.atan2(self.unit[1], self.unit[0]))

    @classmethod
    def from_vector(cls, a: float, b: float) -> Direction:
        """(a, b) normalised to length 1; a zero or non-finite vector is a ValueError."""
        ux, uy = (float(v) for v in unit_vector((a, b)))
        raw = _pair(a, b)
        return cls((ux, uy), rf"u = {raw} \,/\, \lVert {raw} \rVert = {_pair(ux, uy)}")

    @classmethod
    def from_angle(cls, degrees: float) -> Direction:
        """u = (cos θ, sin θ), θ in degrees counter-clockwise from the x-axis."""
        if not math.isfinite(degrees):
            raise ValueError(f"angle must be a finite number of degrees. Got {degrees} instead.")
        theta = math.radians(degrees)
        # exact zeros at odd multiples of 90°, where cos and sin leave 6e-17 behind
        ux, uy = (v if abs(v) > 1e-15 else 0.0 for v in (math.cos(theta), math.sin(theta)))
        angle = rf"{_number(degrees)}^\circ"
        return cls((ux, uy), rf"u = (\cos {angle}, \sin {angle}) = {_pair(ux, uy)}")


@dataclass(frozen=True)
class DirectionalView:
    point: PointGradient
    direction: Direction
    value: float  # D_u f(p) = ∇f(p) · u
    t: np.ndarray  # the slice g(t) = f(p + t·u) and its tangent g(0) + D_u f · t
    g: np.ndarray
    tangent: np.ndarray
    theta: np.ndarray  # D_u f over every direction u(θ) = (cos θ, sin θ), θ ∈ [0, 2π)
    sweep: np.ndarray
    steepest_angle: float  # where D_u f = |∇f| (NaN when ∇f = 0): the gradient's own angle
    lowest_angle: float  # where D_u f = −|∇f|, opposite
    zero_angles: tuple[float, ...]  # where D_u f = 0: along the level curve
    gradient_arrow: ArrowPath | None  # drawn from p on the contour plot; directions only, same length
    direction_arrow: ArrowPath
    line_x: np.ndarray  # the line p + t·u that the slice follows
    line_y: np.ndarray
    latex: tuple[str, str, str]  # ∇f(p), u, and D_u f with the numbers substituted

    @property
    def norm(self) -> float:
        return self.point.norm


def directional_view(
    b: Bivariate, point: PointGradient, direction: Direction, window: Window
) -> DirectionalView:
    """D_u f(p) = ∇f(p)·u, the slice of f along u through p, and D_u f for every direction.

    Raises ValueError (with the reason) where ∇f(p) is undefined.
    """
    if not point.defined:
        raise ValueError(point.message)
    window = check_window(window)
    gx, gy = point.gradient
    ux, uy = direction.unit
    value = gx * ux + gy * uy
    reach = SLICE_FRACTION * _shorter_side(window)
    t = np.linspace(-reach, reach, SLICE_POINTS)
    g = b.f(point.x + t * ux, point.y + t * uy)

    steepest = point.angle
    special = (steepest, angle_in_turn(steepest + math.pi))
    zeros = tuple(sorted(angle_in_turn(steepest + s * math.pi / 2) for s in (1, -1)))
    theta = np.linspace(0, 2 * math.pi, SWEEP_POINTS, endpoint=False)
    if math.isfinite(steepest):
        # sample the extremes and zeros exactly, so the curve's own maximum is |∇f|
        theta = np.unique(np.concatenate([theta, special, zeros]))
    length = MARK_FRACTION * _shorter_side(window)
    gradient_arrow = None
    if point.norm > 0:
        gradient_arrow = arrow_paths(point.x, point.y, length * gx / point.norm, length * gy / point.norm)
    p = f"({_number(point.x)}, {_number(point.y)})"
    return DirectionalView(
        point=point,
        direction=direction,
        value=value,
        t=t,
        g=g,
        tangent=point.value + value * t,
        theta=theta,
        sweep=gx * np.cos(theta) + gy * np.sin(theta),
        steepest_angle=special[0],
        lowest_angle=special[1],
        zero_angles=zeros if math.isfinite(steepest) else (),
        gradient_arrow=gradient_arrow,
        direction_arrow=arrow_paths(point.x, point.y, length * ux, length * uy),
        line_x=point.x + t * ux,
        line_y=point.y + t * uy,
        latex=(
            rf"\nabla f(p) = \nabla f{p} = {_pair(gx, gy)}",
            direction.latex,
            rf"D_u f(p) = \nabla f(p) \cdot u = {_factor(gx)} \cdot {_factor(ux)} + {_factor(gy)} \cdot "
            rf"{_factor(uy)} = {_number(value)}",
        ),
    )
