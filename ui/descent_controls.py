"""Controls shared by the gradient-descent pages: where the data comes from and how descent runs (the
sidebar), the landscape view picker, and the live chart's controls: the iteration (with Play), the start
(w₀, b₀), also set by clicking the landscape, and on the linear page the learning rate.

Every control is keyed and mirrored in the URL except the file uploader (a file cannot live in a link);
a link to an upload view therefore opens asking for the file. Bad input stops the page with the core's
message in an error box, never a traceback.
"""

from __future__ import annotations

import dataclasses
import functools
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TypeVar

import plotly.graph_objects as go
import streamlit as st

from core import training
from core.datasets import MAX_SEED, Dataset, xy_from_table
from core.descent.run import BATCH_SIZES, ITERATION_CHOICES, LEARNING_RATES, DescentSettings
from core.descent.window import ParameterWindow
from core.figures import landscape
from core.figures.landscape import LandscapeLabels
from ui import cache
from ui.inputs import url_bound
from ui.live_chart import LiveControl, live_controls

T = TypeVar("T")
SYNTHETIC, DIABETES, BREAST_CANCER, UPLOAD = "Synthetic (seed)", "Diabetes BMI", "Breast cancer", "CSV upload"
START_LIMIT = 100.0
FULL_BATCH = "full batch"
PLAY_TICKS = 100  # Play shows at most this many iterations, one every PLAY_MS: about three seconds
PLAY_MS = 30


@dataclass(frozen=True, eq=False)
class LoadedData:
    """A dataset with a key that names it exactly; caches key on the small key, never on the arrays."""

    dataset: Dataset
    key: tuple


def or_stop(action: Callable[..., T], *args, **kwargs) -> T:
    """Run `action`; if the input is unusable, show the core's message and stop the page cleanly."""
    try:
        return action(*args, **kwargs)
    except ValueError as error:
        st.error(f"**That input can't be used.** {error}")
        st.stop()


def _data_source(preset: str) -> str:
    st.sidebar.subheader("Data")
    return url_bound(st.sidebar.selectbox, "Data", (SYNTHETIC, preset, UPLOAD), key="data")


def _sample_count() -> int:
    return url_bound(st.sidebar.slider, "Samples", 10, 1000, 100, 10, key="n")


def _data_seed() -> int:
    return url_bound(st.sidebar.number_input, "Random seed", 0, MAX_SEED, 42, key="seed")


def regression_data() -> LoadedData:
    """Sidebar: the seed's synthetic data (samples, noise, seed), the diabetes BMI preset, or a CSV."""
    source = _data_source(DIABETES)
    if source == SYNTHETIC:
        n_samples = _sample_count()
        noise = url_bound(st.sidebar.slider, "Noise", 0.0, 50.0, 10.0, 1.0, key="noise")
        seed = _data_seed()
        dataset = cache.synthetic_regression(n_samples, noise, seed)
        return LoadedData(dataset, (SYNTHETIC, n_samples, noise, seed))
    if source == DIABETES:
        return LoadedData(cache.diabetes_bmi(), (DIABETES,))
    return uploaded_data(binary_target=False)


def classification_data() -> LoadedData:
    """Sidebar: the seed's synthetic classes (features, samples, separation, label noise, seed), the breast
    cancer preset (mean radius → malignant), or a CSV with a binary target."""
    source = _data_source(BREAST_CANCER)
    if source == SYNTHETIC:
        n_features = url_bound(
            st.sidebar.radio, "Features", (1, 2), horizontal=True, key="features",
            help="With two, the boundary is a line in the (x₁, x₂) plane and the landscape is over (w₁, w₂).",
        )  # fmt: skip
        n_samples = _sample_count()
        class_sep = url_bound(
            st.sidebar.slider, "Class separation", 0.2, 4.0, 1.0, 0.1, key="sep",
            help="How far apart the two classes' centres are (scikit-learn's class_sep).",
        )  # fmt: skip
        label_noise = url_bound(
            st.sidebar.slider, "Label noise", 0.0, 0.5, 0.01, 0.01, key="flip",
            help="The share of samples given a random class (scikit-learn's flip_y; the seed's 0.01). "
            "Without it, well-separated classes are linearly separable.",
        )  # fmt: skip
        seed = _data_seed()
        dataset = cache.synthetic_classification(n_samples, class_sep, label_noise, n_features, seed)
        return LoadedData(dataset, (SYNTHETIC, n_features, n_samples, class_sep, label_noise, seed))
    if source == BREAST_CANCER:
        return LoadedData(cache.breast_cancer_radius(), (BREAST_CANCER,))
    return uploaded_data(binary_target=True)


def standardize_toggle() -> bool:
    return url_bound(
        st.sidebar.toggle,
        "Standardise x",
        key="std",
        help="Rescale x to mean 0 and standard deviation 1 before descent: the bowl becomes round.",
    )


def uploaded_data(*, binary_target: bool) -> LoadedData:
    """Sidebar: a CSV upload with pickers for the x and y columns (y must be binary if asked)."""
    upload = st.sidebar.file_uploader(
        "CSV file", type=["csv"], key="csv", help="Comma-separated, a header row, numeric columns."
    )
    if upload is None:
        st.info("Upload a CSV file in the sidebar, then pick its x and y columns.")
        st.stop()
    columns = list(or_stop(cache.uploaded_table, upload.file_id, upload).columns)
    if len(columns) < 2:
        st.error(f"**That input can't be used.** It needs two numeric columns. Got only {columns[0]!r}.")
        st.stop()
    x_column = url_bound(st.sidebar.selectbox, "x column", columns, index=0, key="xcol")
    y_column = url_bound(st.sidebar.selectbox, "y column", columns, index=len(columns) - 1, key="ycol")
    dataset = or_stop(
        xy_from_table, cache.uploaded_table(upload.file_id, upload), x_column, y_column,
        binary_target=binary_target,
    )  # fmt: skip
    return LoadedData(dataset, (UPLOAD, upload.file_id, x_column, y_column))


def descent_settings(
    *, default_rate: float, stable_below: float | None = None, live_rate: bool = False
) -> DescentSettings:
    """Sidebar: the optimizer, learning rate on a 1-2-5 log scale (unless `live_rate`: then it is a live
    control and `default_rate` stands in until `live_descent_controls` sets it), plain GD's stability bound
    when known, iterations, and batch size (and the shuffle seed for mini-batches). The start is (0, 0)
    until `live_descent_controls` sets it."""
    st.sidebar.subheader("Gradient descent")
    optimizer = url_bound(
        st.sidebar.selectbox, "Optimizer", training.OPTIMIZERS, key="opt",
        help="GD is the seed's plain gradient descent; the others remember past gradients "
        "(compare them on the Optimizer race page).",
    )  # fmt: skip
    learning_rate = default_rate
    if not live_rate:
        learning_rate = url_bound(
            st.sidebar.select_slider,
            "Learning rate η",
            options=LEARNING_RATES,
            value=default_rate,
            format_func=lambda rate: f"{rate:g}",
            key="lr",
            help="On a log scale: each notch multiplies η by 2 or 2.5.",
        )
    if stable_below is not None:
        stable = [rate for rate in LEARNING_RATES if rate < stable_below]
        largest = (
            f" (largest stable choice here: {stable[-1]:g})"
            if stable
            else ": none of the rates offered is stable, so standardise x"
        )
        method = "" if optimizer == "GD" else " for plain GD"
        st.sidebar.caption(f"Stable below 2/λ_max = **{stable_below:.4g}**{method}{largest}.")
    n_iterations = url_bound(
        st.sidebar.select_slider, "Iterations", options=ITERATION_CHOICES, value=100, key="iters"
    )
    batch = url_bound(
        st.sidebar.select_slider, "Batch size", options=(*BATCH_SIZES, FULL_BATCH),
        value=FULL_BATCH, key="batch", format_func=str,
        help="Samples per step. Below the full batch, each step follows one mini-batch's gradient "
        "(mini-batch SGD): a noisy path.",
    )  # fmt: skip
    batch_size, shuffle_seed = None, 0
    if batch != FULL_BATCH:
        batch_size = batch
        shuffle_seed = url_bound(
            st.sidebar.number_input, "Shuffle seed", 0, MAX_SEED, 0, key="shuffle",
            help="Which random split into mini-batches each epoch uses.",
        )  # fmt: skip
    return DescentSettings(learning_rate, n_iterations, 0.0, 0.0, optimizer, batch_size, shuffle_seed)


@dataclass(frozen=True)
class LiveDescent:
    """The live chart's controls with their current values, the run they ask for and the iteration shown."""

    controls: list[LiveControl]
    settings: DescentSettings
    iteration: int


def live_descent_controls(
    key: str, sidebar: DescentSettings, *, start_label: str, live_rate: bool
) -> LiveDescent:
    """The iteration scrubber (Play runs it from 0), the learning rate if `live_rate`, and the start
    (w₀, b₀), with their values (browser, else URL, else default; see ui.live_chart.live_controls), and
    the sidebar's settings with that rate and start.

    The scrubber follows the last iteration while it is left there: a new iteration count moves it to
    the new end (the chart's remembered value is updated, so the browser takes it)."""
    n_iterations = sidebar.n_iterations
    stride = math.ceil(n_iterations / PLAY_TICKS)
    controls = [
        LiveControl(
            "show", "Iteration", n_iterations, 0, n_iterations, 1, format="int", play_label="Play",
            play_from=0, play_to=n_iterations, play_ms=PLAY_MS, play_stride=stride,
        ),
    ]  # fmt: skip
    if live_rate:
        rate = LiveControl("lr", "Learning rate η", sidebar.learning_rate, options=LEARNING_RATES)
        controls.append(rate)
    controls += [
        LiveControl("w0", start_label, 0.0, -START_LIMIT, START_LIMIT, 0.5),
        LiveControl("b0", "Start b₀", 0.0, -START_LIMIT, START_LIMIT, 0.5),
    ]
    current = _following_the_end(key, live_controls(key, controls), n_iterations)
    values = {control.name: control.value for control in current}
    settings = dataclasses.replace(
        sidebar, learning_rate=values.get("lr", sidebar.learning_rate), w0=values["w0"], b0=values["b0"]
    )
    return LiveDescent(current, settings, int(values["show"]))


def _following_the_end(key: str, controls: list[LiveControl], n_iterations: int) -> list[LiveControl]:
    """The controls with the scrubber moved to `n_iterations` if it sat at the previous run's end."""
    state, end_key = st.session_state, f"{key}.end"
    previous, state[end_key] = state.get(end_key), n_iterations
    show = controls[0]
    if previous is None or previous == n_iterations or show.value != previous:
        return controls
    chart = state.get(key)
    view = chart.get("view") if isinstance(chart, Mapping) else getattr(chart, "view", None)
    state[key] = {"view": {**(view or {}), "show": n_iterations}}  # before the chart mounts: allowed
    st.query_params["show"] = str(n_iterations)
    return [dataclasses.replace(show, value=float(n_iterations)), *controls[1:]]


def slider_kept_in_range(container, label, low, high, default, step=None, *, key):
    """A URL-bound slider whose range depends on other controls.

    Streamlit keeps a keyed slider's value when its range changes and raises if the value now lies
    outside; this clamps it first.
    """
    state = st.session_state
    adjusted = False
    if key in state:
        value = state[key]
        wanted = min(max(value, low), high)
        if wanted != value:
            state[key], adjusted = wanted, True
    # a value set through session state must not come with a default too (Streamlit warns)
    return url_bound(container.slider, label, low, high, None if adjusted else default, step, key=key)


def landscape_view_picker(container) -> bool:
    """Contour or 3-D surface under the landscape; True for the surface."""
    choice = url_bound(
        container.segmented_control, "Landscape view", ("Contour", "3-D surface"), default="Contour",
        required=True, key="view", label_visibility="collapsed",
    )  # fmt: skip
    return choice == "3-D surface"


def landscape_drawing(
    surface: bool, window: ParameterWindow, labels: LandscapeLabels
) -> tuple[Callable[..., go.Figure], str]:
    """The landscape's figure builder for the view chosen, and what to say under it: for the contour map, a
    sidebar toggle for equal axes (on by default where the window can be drawn to scale) and, with it off,
    a caption saying the axes are stretched, in numbers."""
    if surface:
        return landscape.surface_with_path, ""
    equal = url_bound(
        st.sidebar.toggle,
        "Equal axes (the bowl's true shape)",
        value=window.can_be_drawn_to_scale(),
        key="equal",
        help=f"A unit of {labels.b_symbol} as long as a unit of {labels.w_symbol}. Off, the map fills the "
        "chart and stretches one axis.",
    )
    draw = functools.partial(landscape.contour_with_path, equal_axes=equal)
    return draw, "" if equal else _stretched_axes_note(window, labels.w_symbol, labels.b_symbol)


def _stretched_axes_note(window: ParameterWindow, w: str, b: str) -> str:
    longer, shorter = (w, b) if window.aspect() >= 1 else (b, w)
    return (
        f"The axes are not to scale: {w} spans {window.w_max - window.w_min:.3g} and {b} "
        f"{window.b_max - window.b_min:.3g}, {max(window.aspect(), 1 / window.aspect()):.2g} times as much "
        f"along {longer}, on a map not that much wider than tall, so a unit of {shorter} is drawn longer "
        f"than one of {longer} and the bowl looks narrower across {longer} than it is. *Equal axes* shows "
        "its true shape."
    )
