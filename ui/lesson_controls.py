"""The controls a lesson step may set on each page: the one registry the lesson checker reads.

Each entry mirrors a URL-bound widget of the page (``url_bound(..., key=name)``) or a live-chart control
(``LiveControl(name, ...)``), with the same bounds or options, written the way the widget writes its URL
value (its ``format_func``). The bounds are copied from the pages, so a page that changes a widget's
range must change it here too: tests/apptest/test_lesson_controls.py compares every entry with the
widget or live control its page draws (name, bounds, options as written), and
tests/apptest/test_lesson_page.py opens every seed step's page with the values this registry let through.

Left out on purpose: the CSV upload source and its column pickers (a file cannot travel in a link), and
controls whose bounds depend on other controls' values (the race's start point, the "your line"
sliders on the linear page), which a page would clamp anyway.
"""

from __future__ import annotations

from core import (
    chain_rule,
    fields,
    functions2d,
    nn_landscape,
    nn_network,
    nn_training,
    race,
    training,
    univariate,
)
from core.datasets import MAX_SEED
from core.descent.run import BATCH_SIZES, ITERATION_CHOICES, LEARNING_RATES
from core.lesson import Choice, Control, Number, Range, Switch, Text
from ui.descent_controls import BREAST_CANCER, DIABETES, FULL_BATCH, START_LIMIT, SYNTHETIC
from ui.inputs import CUSTOM
from ui.plane import POINT_LIMIT


def _short(value: object) -> str:
    return f"{value:g}"  # the pages' format_func for numeric options (0.01, 1e-05, 2)


FORMULA = Text(200)  # the custom-formula box's max_chars; the page parses it through its whitelist
FUNCTION_2D = Choice((*functions2d.FUNCTIONS, CUSTOM))
PLANE = {
    "fn": FUNCTION_2D,
    "formula": FORMULA,
    "zoom": Choice(fields.ZOOMS, _short),
    "colour": Choice(fields.COLOUR_SCALES),
    "x0": Number(-POINT_LIMIT, POINT_LIMIT),
    "y0": Number(-POINT_LIMIT, POINT_LIMIT),
}
DESCENT = {
    "n": Number(10, 1000, integer=True),
    "seed": Number(0, MAX_SEED, integer=True),
    "std": Switch(),
    "opt": Choice(training.OPTIMIZERS),
    "lr": Choice(LEARNING_RATES, _short),
    "iters": Choice(ITERATION_CHOICES),
    "batch": Choice((*BATCH_SIZES, FULL_BATCH)),
    "shuffle": Number(0, MAX_SEED, integer=True),
    "w0": Number(-START_LIMIT, START_LIMIT),
    "b0": Number(-START_LIMIT, START_LIMIT),
    "view": Choice(("Contour", "3-D surface")),
    # the iteration scrubber: its top is the iteration count, so the page drops a larger value
    "show": Number(0, max(ITERATION_CHOICES), integer=True),
}

CONTROLS: dict[str, dict[str, Control]] = {
    "Derivative": {
        "fn": Choice((*univariate.PRESETS, CUSTOM)),
        "formula": FORMULA,
        "c": Number(-10.0, 10.0),
        "n": Number(-5, 10, integer=True),
        "xr": Range(-10.0, 10.0),
        "x0": Number(-10.0, 10.0),  # live chart
        "h": Choice(univariate.STEP_CHOICES, _short),  # live chart
    },
    "Gradient_Field": {
        **PLANE,
        "arrows": Number(*fields.ARROWS_PER_SIDE, integer=True),
        "true_length": Switch(),
        "by_norm": Switch(),
    },
    "Directional_Derivative": {
        **PLANE,
        "u": Choice(("Vector", "Angle")),
        "theta": Number(0, 359, integer=True),
        "u1": Number(-3.0, 3.0),
        "u2": Number(-3.0, 3.0),
    },
    "Critical_Points": {
        "fn": FUNCTION_2D,
        "formula": FORMULA,
        "zoom": Choice((0.25, 0.5, 1.0, 2.0, 4.0)),
        "limit": Number(0.5, 5.0),
    },
    "Linear_Regression_GD": {
        "data": Choice((SYNTHETIC, DIABETES)),
        "noise": Number(0.0, 50.0),
        **DESCENT,
    },
    "Logistic_Regression_GD": {
        "data": Choice((SYNTHETIC, BREAST_CANCER)),
        "features": Choice((1, 2)),
        "sep": Number(0.2, 4.0),
        "flip": Number(0.0, 0.5),
        **DESCENT,
    },
    "Optimizer_Race": {
        "fn": FUNCTION_2D,
        "formula": FORMULA,
        "steps": Number(10, race.MAX_RACE_STEPS, integer=True),
        "racers": Choice(race.NAMES, multiple=True),
        **{f"lr_{name}": Choice(race.RATE_CHOICES) for name in race.NAMES},
    },
    "Neural_Network_Landscape": {
        "data": Choice(nn_network.DATASETS),
        "noise": Number(0.0, nn_network.MAX_NOISE),
        "n": Choice(nn_network.SAMPLE_CHOICES),
        "hidden": Choice(tuple(nn_network.HIDDEN_PRESETS)),
        "act": Choice(nn_network.ACTIVATIONS),
        "l2": Choice(nn_training.L2_CHOICES, _short),
        "batch": Choice(nn_training.BATCH_CHOICES),
        "epochs": Number(10, nn_training.MAX_EPOCHS, integer=True),
        "seed": Number(0, nn_network.MAX_SEED, integer=True),
        "plane": Choice(tuple(nn_landscape.PLANES)),
        "dseed": Number(0, nn_network.MAX_SEED, integer=True),
        "grid": Choice(nn_landscape.RESOLUTION_CHOICES),
        "span": Choice(nn_landscape.SPAN_CHOICES),
    },
    "Chain_Rule": {
        "fn": Choice((*chain_rule.PRESETS, CUSTOM)),
        "formula": FORMULA,
        "x0": Number(-chain_rule.POINT_LIMIT, chain_rule.POINT_LIMIT),
        "y0": Number(-chain_rule.POINT_LIMIT, chain_rule.POINT_LIMIT),
    },
}
