"""The live charts of the Gradient field and Directional derivative pages (ui/live/recipes/gradient_*.js and
directional.js): f and ∇f as JavaScript for the browser, the fixed numbers its recipes need, and the same
readouts and notes computed here, which the page shows where the browser cannot compute them (a formula the
JavaScript printer cannot translate) and before plotly.js has loaded.

Whatever is fixed for one function and window (arrow lengths, the slice's t values, the angle grid) is
computed here once, so a recipe only evaluates f and ∇f at the point it is given.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping, Sequence

import numpy as np

from core import fields
from core.bivariate import VARIABLES, Bivariate
from core.jsformula import to_javascript
from core.numbers import format_number

ANGLE = "angle"
VECTOR = "vector"
DIRECTION_MODES = (VECTOR, ANGLE)
ZERO_GRADIENT_NOTE = (
    "∇f = 0 here: no direction is uphill and every directional derivative is 0. This is a critical point (a "
    "minimum, maximum or saddle); the Critical points page classifies it."
)
ZERO_DIRECTION_NOTE = "u = (0, 0) has no direction: give u a non-zero component."
NO_DERIVATIVE = "No directional derivative here."


def browser_formulas(b: Bivariate) -> dict[str, str]:
    """f, ∂f/∂x and ∂f/∂y as JavaScript, or {} when any cannot be translated (the chart then asks the
    server at every settled move)."""
    dx, dy = b.gradient
    formulas = {name: to_javascript(e, VARIABLES) for name, e in (("f", b.expr), ("fx", dx), ("fy", dy))}
    return formulas if all(formulas.values()) else {}


def readout_number(value: float, digits: int = 6) -> str:
    """A number as the live chart's ``formatNumber`` writes it (ui/live/live_chart.js), so the server's
    readouts read exactly as the browser's: 6 significant digits, exponents only outside [1e-4, 1e7), a
    true minus sign, 'undefined' for NaN."""
    if not math.isfinite(value):
        return "undefined"
    if value == 0:
        return "0"  # −0 too
    if 1e-4 <= abs(value) < 1e7:
        rounded = float(format_number(value, f".{digits}g"))
        text = str(int(rounded)) if rounded.is_integer() else repr(rounded)
    else:
        mantissa, exponent = format_number(value, f".{digits - 1}e").split("e")
        mantissa = mantissa.rstrip("0").rstrip(".") if "." in mantissa else mantissa
        text = f"{mantissa}e{int(exponent):+d}"
    return text.replace("-", "−", 1)  # the sign only, as JavaScript's replace of a string


def _vector(gradient: Sequence[float]) -> str:
    return f"({readout_number(gradient[0], 4)}, {readout_number(gradient[1], 4)})"


def point_readouts(
    point: fields.PointGradient, *extra: tuple[str, str, str], at: str, reveal: bool
) -> list[tuple[str, str, str]]:
    """(label, value, help) of f, ∇f and |∇f| at the point (called ``at``), then ``extra``; every value but
    f's reads '?' until the answer is revealed (quiz mode)."""
    defined = point.defined
    answers = [
        (f"∇f{at}", _vector(point.gradient) if defined else "undefined", "(∂f/∂x, ∂f/∂y) at the point."),
        (
            f"|∇f{at}|",
            readout_number(point.norm) if defined else "undefined",
            "The steepest slope at the point.",
        ),
        *extra,
    ]
    shown = [(label, value if reveal else "?", help_text) for label, value, help_text in answers]
    return [(f"f{at}", readout_number(point.value), "The value of f at the point."), *shown]


def point_notes(point: fields.PointGradient, window: fields.Window, *, reveal: bool) -> list[str]:
    """What the page says about the point: outside the window, and (once answers show) why ∇f is undefined
    there or that it is zero."""
    notes = []
    if not fields.contains(window, point.x, point.y):
        where = f"({readout_number(point.x)}, {readout_number(point.y)})"
        notes.append(f"The point {where} is outside this window: a larger window shows it.")
    if reveal and not point.defined:
        notes.append(point.message)
    elif reveal and point.norm == 0:
        notes.append(ZERO_GRADIENT_NOTE)
    return notes


def _arrow_geometry() -> dict[str, float]:
    return {"head_fraction": fields.HEAD_FRACTION, "head_half_angle": fields.HEAD_HALF_ANGLE}


def _shared_params(b: Bivariate, window: fields.Window, *, reveal: bool) -> dict[str, object]:
    return {
        "window": list(window),
        "has_kink": any(b.expr.has(kind) for kind in fields.KINKS),
        "reveal": reveal,
        "zero_gradient_note": ZERO_GRADIENT_NOTE,
        **_arrow_geometry(),
    }


def _gap_arrow() -> fields.ArrowPath:
    return fields.arrow_paths(np.nan, np.nan, np.nan, np.nan)


# ---------------------------------------------------------------------------------------------------
# Gradient field


def highlight_arrow(field: fields.ArrowField, point: fields.PointGradient) -> fields.ArrowPath:
    """The point's own gradient arrow (``fields.highlighted_gradient``), or an arrow of gaps where ∇f is zero
    or undefined: the trace stays, so the browser can draw it again once the point moves on."""
    return fields.highlighted_gradient(field, point) or _gap_arrow()


def gradient_field_params(
    b: Bivariate, field: fields.ArrowField, window: fields.Window, *, reveal: bool
) -> dict[str, object]:
    """What the gradient-field recipe needs besides the point: the highlighted arrow's length (as in
    ``fields.highlighted_gradient``), the arrows' heads, the window and whether f has creases."""
    return {**_shared_params(b, window, reveal=reveal), "arrow_length": 2 * fields.ARROW_FILL * field.spacing}


# ---------------------------------------------------------------------------------------------------
# Directional derivative


def direction(mode: str, values: Mapping[str, float]) -> fields.Direction | None:
    """u from the live controls: the angle θ (degrees) or the vector (u1, u2); None for the zero vector."""
    if mode == ANGLE:
        return fields.Direction.from_angle(values["theta"])
    if mode != VECTOR:
        raise ValueError(f"mode must be one of {DIRECTION_MODES}. Got {mode!r} instead.")
    try:
        return fields.Direction.from_vector(values["u1"], values["u2"])
    except ValueError:
        return None


_NO_DIRECTION = fields.Direction((math.nan, math.nan), "")


def directional_view(
    b: Bivariate, point: fields.PointGradient, u: fields.Direction | None, window: fields.Window
) -> fields.DirectionalView:
    """``fields.directional_view``, with gaps (NaN) instead of an error where ∇f(p) is undefined or u is the
    zero vector: the live chart keeps every trace, ready for the next move."""
    if point.defined and u is not None:
        return fields.directional_view(b, point, u, window)
    # an undefined point goes in as a defined one whose gradient is all gaps; the real one goes back after
    gaps = point if point.defined else dataclasses.replace(point, gradient=(math.nan, math.nan), message="")
    view = fields.directional_view(b, gaps, u or _NO_DIRECTION, window)
    return dataclasses.replace(view, point=point)


def directional_notes(
    point: fields.PointGradient, u: fields.Direction | None, window: fields.Window, *, reveal: bool
) -> list[str]:
    """Why D_u f(p) is missing (shown in quiz mode too: it is no answer), then the point's notes."""
    notes = []
    if u is None:
        notes.append(ZERO_DIRECTION_NOTE)
    if not point.defined:
        notes.append(f"{NO_DERIVATIVE} {point.message}")
    notes += [note for note in point_notes(point, window, reveal=reveal) if note != point.message]
    return notes


def directional_params(
    b: Bivariate, view: fields.DirectionalView, window: fields.Window, *, mode: str, reveal: bool
) -> dict[str, object]:
    """What the directional recipe needs besides p and u: the arrows' length (as ``fields.directional_view``
    draws them), the slice's t values and the angle grid of the sweep."""
    grid = np.linspace(0, 2 * math.pi, fields.SWEEP_POINTS, endpoint=False)
    return {
        **_shared_params(b, window, reveal=reveal),
        "mode": mode,
        "arrow_length": fields.MARK_FRACTION * min(window[1] - window[0], window[3] - window[2]),
        "t": view.t.tolist(),
        "theta": grid.tolist(),
        "zero_direction_note": ZERO_DIRECTION_NOTE,
        "no_derivative": NO_DERIVATIVE,
    }
