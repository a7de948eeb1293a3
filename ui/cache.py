"""Cached, bounded wrappers around core preparers that are slow (SymPy) and whose results are immutable.

``cache_resource`` hands every session the same object (no pickling, so compiled NumPy functions can be
cached); ``max_entries`` keeps a public server's memory bounded whatever formulas strangers type.

Core modules are imported inside the functions that use them: every page imports this module, and importing
all of core up front (SymPy, SciPy, scikit-learn) cost about 1.5 s of the first page a fresh server renders,
whichever page that was.
"""

from __future__ import annotations

import dataclasses
import functools
from typing import TYPE_CHECKING

import streamlit as st

if TYPE_CHECKING:
    from core import (
        bivariate,
        critical_points,
        datasets,
        fields,
        nn_landscape,
        nn_training,
        race,
        univariate,
    )
    from core.descent.linear import LinearDescentView
    from core.descent.logistic import LogisticDescentView
    from core.descent.plot_data import DescentLandscape
    from core.descent.run import DescentSettings
    from core.descent.window import ParameterWindow
    from ui import network_controls


@st.cache_resource(max_entries=128, show_spinner=False)
def prepared_univariate(text: str) -> univariate.Univariate:
    from core import univariate

    return univariate.prepare(text)


@st.cache_data(max_entries=64, show_spinner=False)
def taylor_models(text: str, x_range: tuple[float, float], x0: float) -> univariate.TaylorView | str:
    """Order 5 can take SymPy a second: each formula, window and point is worked out once."""
    from core import univariate

    return univariate.taylor_view(prepared_univariate(text), x_range=x_range, x0=x0)


@st.cache_resource(max_entries=128, show_spinner=False)
def prepared_bivariate(text: str) -> bivariate.Bivariate:
    from core import bivariate

    return bivariate.prepare(text)


@st.cache_resource(max_entries=64, show_spinner=False)
def _critical_points_by_limit(text: str, window: tuple[float, float, float, float]) -> dict:
    """One function and window's reports, by the time limit they were solved with (see below)."""
    return {}


def critical_points_report(
    text: str, window: tuple[float, float, float, float], time_limit: float
) -> critical_points.CriticalPointReport:
    """Solving can take the whole time limit, so the same function and window are solved once for all
    limits where that gives the same answer: an exact (symbolic) answer serves every limit, and a numeric
    fallback serves every limit up to the one it was found with (a longer limit timed out already)."""
    from core import bivariate, critical_points

    solved = _critical_points_by_limit(text, window)
    for limit, report in list(solved.items()):
        if report.method == "symbolic" or limit >= time_limit:
            return report
    b = prepared_bivariate(text)
    x_min, x_max, y_min, y_max = window
    report = critical_points.find_critical_points(
        b.expr, bivariate.VARIABLES, bounds=[(x_min, x_max), (y_min, y_max)], time_limit=time_limit
    )
    if not report.server_busy:
        solved[time_limit] = report  # at most one per limit the slider offers
    return report


# The grids below depend on the function, window and a few settings, never on the point: moving the point
# reruns only the cheap per-point work. Keys are the small parameters, not arrays.


@st.cache_data(max_entries=64, show_spinner=False)
def field_landscape(text: str, window: fields.Window, colour: str, points: int) -> fields.Landscape:
    from core import fields

    return fields.landscape(prepared_bivariate(text), window, points=points, colour=colour)


@st.cache_data(max_entries=64, show_spinner=False)
def field_arrows(text: str, window: fields.Window, per_side: int, true_length: bool) -> fields.ArrowField:
    from core import fields

    return fields.arrow_field(prepared_bivariate(text), window, per_side=per_side, true_length=true_length)


# Gradient-descent pages. `data_key` names the dataset exactly (source and its parameters, or the upload's
# file id and columns); the dataset itself is passed unhashed (leading underscore), so a key costs nothing
# to hash however large the upload.


@st.cache_data(max_entries=32, show_spinner=False)
def synthetic_regression(n_samples: int, noise: float, seed: int) -> datasets.Dataset:
    from core import datasets

    return datasets.regression_data(n_samples=n_samples, noise=noise, seed=seed)


@st.cache_data(max_entries=1, show_spinner=False)
def diabetes_bmi() -> datasets.Dataset:
    """Raw BMI: the pages standardise on request, so the difference is there to see."""
    from core import datasets

    return datasets.diabetes_bmi(standardize=False)


@st.cache_data(max_entries=8, show_spinner=False)
def uploaded_table(file_id: str, _upload):
    from core import datasets

    return datasets.read_csv_columns(_upload)


@st.cache_data(max_entries=32, show_spinner=False)
def synthetic_classification(
    n_samples: int, class_sep: float, label_noise: float, n_features: int, seed: int
) -> datasets.Dataset:
    from core import datasets

    return datasets.classification_data(
        n_samples=n_samples, class_sep=class_sep, label_noise=label_noise, n_features=n_features, seed=seed
    )


@st.cache_data(max_entries=1, show_spinner=False)
def breast_cancer_radius() -> datasets.Dataset:
    """Raw radius in mm, as with the diabetes BMI: standardising is the reader's move."""
    from core import datasets

    return datasets.breast_cancer_radius(standardize=False)


@st.cache_data(max_entries=32, show_spinner=False)
def model_optimum(model: str, data_key: tuple, _dataset: datasets.Dataset, standardize: bool):
    """The optimum depends on the data alone: a new learning rate or optimizer does not refit it."""
    from core.descent import run

    data = run.standardized(_dataset) if standardize else _dataset
    return run.model_optimum(model, data.x, data.y)


# seconds: the network page's largest training took 0.7 s here; work a worker has not finished by then is
# done in the calling thread
WORKER_TIME_LIMIT = 30.0


# Descent runs its steps in a Python loop (0.3-60 ms of server CPU per run here, a mini-batch run of 5,000
# steps more), so it runs in a worker process (core.workers) while this process serves everyone else.
# A descent view pickles to 8 kB at 100 iterations and 62 kB at 2,000: 256 of them hold at most 16 MB per
# page, and a class moving the same few controls back and forth finds its runs there.
@st.cache_data(max_entries=256, show_spinner=False)
def linear_descent(
    data_key: tuple, _dataset: datasets.Dataset, standardize: bool, settings: DescentSettings
) -> LinearDescentView:
    from core.descent import linear

    return _descent_view(linear.linear_descent_view, "linear", data_key, _dataset, standardize, settings)


@st.cache_data(max_entries=256, show_spinner=False)
def logistic_descent(
    data_key: tuple, _dataset: datasets.Dataset, standardize: bool, settings: DescentSettings
) -> LogisticDescentView:
    from core.descent import logistic

    return _descent_view(
        logistic.logistic_descent_view, "logistic", data_key, _dataset, standardize, settings
    )


def _descent_view(view, model, data_key, dataset, standardize, settings):
    from core import workers

    run = functools.partial(
        view,
        standardize=standardize,
        optimum=model_optimum(model, data_key, dataset, standardize),
        **dataclasses.asdict(settings),
    )
    return workers.off_the_lock(run, dataset, time_limit=WORKER_TIME_LIMIT)


@st.cache_data(max_entries=128, show_spinner=False)
def loss_landscape(
    model: str,
    data_key: tuple,
    _dataset: datasets.Dataset,
    window: ParameterWindow,
    bias: float | None = None,
) -> DescentLandscape:
    """Keyed on the window, which `core.descent.window.plot_window` rounds: nearby runs share one
    landscape, and a new learning rate or iteration count recomputes it only when the path needs a wider
    window.
    `bias`: the slice of a two-feature model's (w₁, w₂) landscape."""
    from core.descent import plot_data

    return plot_data.loss_landscape(model, _dataset.x, _dataset.y, window, bias=bias)


@st.cache_data(max_entries=256, show_spinner=False)
def race_results(
    text: str, start: tuple[float, float], n_steps: int, rates: tuple[tuple[str, float], ...]
) -> list[race.Racer]:
    """Raced in a worker process: six optimizers' Python loops were a quarter of the page's server time."""
    from core import race, workers

    b = prepared_bivariate(text)
    return workers.off_the_lock(race.race, b, start, n_steps, dict(rates), time_limit=WORKER_TIME_LIMIT)


@st.cache_data(max_entries=64, show_spinner=False)
def race_contour_layer(text: str, window: tuple[float, float, float, float]) -> dict:
    """The race's contour trace depends on the function and window only: moving a start, a rate or the
    step count reuses it."""
    from core import bivariate, race
    from core.figures.race import contour_layer

    b = prepared_bivariate(text)
    x, y, z = bivariate.evaluate_on_grid(b.f, window, race.CONTOUR_POINTS)
    return contour_layer(x, y, z, bivariate.color_range(z))


# Tuning every optimizer at 1000 steps took 0.6 s on Rosenbrock here (more for a heavy formula or on a
# busy server): over a second is possible, so say what is happening.
@st.cache_data(max_entries=256, show_spinner="Tuning learning rates: racing each optimizer at every rate…")
def tuned_rate(text: str, start: tuple[float, float], n_steps: int, name: str) -> float:
    from core import race

    return race.tune(prepared_bivariate(text), start, n_steps, name)


# Neural-network landscape: training is keyed on its settings (a small frozen dataclass, cheap to hash);
# the landscape reuses the cached training, so moving a landscape control never retrains. Both caches are
# one per server process, whatever the number of sessions; st.cache_data keeps each entry pickled, so an
# entry costs about its arrays' bytes (pickled sizes measured here):
# - a trained network is its path, (epochs + 1) × parameters float64, plus the data (≤ 500 × 3 floats):
#   57 kB at the defaults (101 × 65), 2.9 MB at the page's largest (301 × 1185 for 2 → 32 → 32 → 1), so
#   64 entries hold at most 186 MB;
# - a landscape is its grid (≤ 61² floats), its two directions (2 × parameters) and the projected path
#   (4 × (epochs + 1) floats): 17 kB at the defaults, 57 kB at the largest, so 256 entries hold at most
#   15 MB.
# Both are worked out in a worker process (core.workers), on the other core, while this process serves
# everyone else: they were 87 % of the page's server time, all of it holding the interpreter lock.
# Many entries, because a class revisits settings (students told to try 300 epochs, then going back): a hit
# saves a retraining of 30-300 ms of server CPU, and under load a rerun queues behind everyone else's.


@st.cache_data(max_entries=64, show_spinner="Training the network, one epoch at a time…")
def trained_network(settings: nn_training.TrainingSettings) -> nn_training.TrainedNetwork:
    from core import nn_training, workers

    return workers.off_the_lock(nn_training.train_network, settings, time_limit=WORKER_TIME_LIMIT)


@st.cache_data(max_entries=256, show_spinner="Evaluating the loss on the grid…")
def network_landscape(
    settings: nn_training.TrainingSettings, choice: network_controls.PlaneChoice
) -> nn_landscape.NetworkLossSurface:
    from core import nn_landscape, workers

    slice_on_plane = functools.partial(
        nn_landscape.loss_landscape,
        plane=choice.plane,
        direction_seed=choice.direction_seed,
        resolution=choice.resolution,
        span=choice.span,
    )
    return workers.off_the_lock(slice_on_plane, trained_network(settings), time_limit=WORKER_TIME_LIMIT)
