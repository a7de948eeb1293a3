"""Sidebar controls shared by the gradient-descent pages: where the data comes from and how descent runs.

Every control is keyed and mirrored in the URL except the file uploader (a file cannot live in a link);
a link to an upload view therefore opens asking for the file. Bad input stops the page with the core's
message in an error box, never a traceback.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import streamlit as st

from core import descent_view
from core.datasets import MAX_SEED, Dataset, xy_from_table
from core.descent_view import DescentSettings
from ui import cache

T = TypeVar("T")
SYNTHETIC, DIABETES, UPLOAD = "Synthetic (seed)", "Diabetes BMI", "CSV upload"
START_LIMIT = 100.0


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


def short_number(value: float, digits: int = 6) -> str:
    """A metric value that fits its column: `digits` significant figures, two once it needs an exponent
    (a diverged run's 1e+50 reads as -2.1e+50, not -2.10683e+50 cut off at the column's edge)."""
    text = f"{value:.{digits}g}"
    return f"{value:.2g}" if "e" in text else text


def regression_data() -> LoadedData:
    """Sidebar: the seed's synthetic data (samples, noise, seed), the diabetes BMI preset, or a CSV."""
    st.sidebar.subheader("Data")
    source = st.sidebar.selectbox("Data", (SYNTHETIC, DIABETES, UPLOAD), key="data", bind="query-params")
    if source == SYNTHETIC:
        n_samples = st.sidebar.slider("Samples", 10, 1000, 100, 10, key="n", bind="query-params")
        noise = st.sidebar.slider("Noise", 0.0, 50.0, 10.0, 1.0, key="noise", bind="query-params")
        seed = st.sidebar.number_input("Random seed", 0, MAX_SEED, 42, key="seed", bind="query-params")
        dataset = cache.synthetic_regression(n_samples, noise, seed)
        return LoadedData(dataset, (SYNTHETIC, n_samples, noise, seed))
    if source == DIABETES:
        return LoadedData(cache.diabetes_bmi(), (DIABETES,))
    return uploaded_data(binary_target=False)


def standardize_toggle() -> bool:
    return st.sidebar.toggle(
        "Standardise x",
        key="std",
        bind="query-params",
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
    x_column = st.sidebar.selectbox("x column", columns, index=0, key="xcol", bind="query-params")
    y_column = st.sidebar.selectbox(
        "y column", columns, index=len(columns) - 1, key="ycol", bind="query-params"
    )
    dataset = or_stop(
        xy_from_table, cache.uploaded_table(upload.file_id, upload), x_column, y_column,
        binary_target=binary_target,
    )  # fmt: skip
    return LoadedData(dataset, (UPLOAD, upload.file_id, x_column, y_column))


def descent_settings(*, default_rate: float, stable_below: float | None = None) -> DescentSettings:
    """Sidebar: learning rate on a 1-2-5 log scale (with the stability bound when known), iterations
    and the start (w₀, b₀)."""
    st.sidebar.subheader("Gradient descent")
    learning_rate = st.sidebar.select_slider(
        "Learning rate η",
        options=descent_view.LEARNING_RATES,
        value=default_rate,
        format_func=lambda rate: f"{rate:g}",
        key="lr",
        bind="query-params",
        help="On a log scale: each notch multiplies η by 2 or 2.5.",
    )
    if stable_below is not None:
        stable = [rate for rate in descent_view.LEARNING_RATES if rate < stable_below]
        largest = (
            f" (largest stable choice here: {stable[-1]:g})"
            if stable
            else ": none of the rates offered is stable, so standardise x"
        )
        st.sidebar.caption(f"Stable below 2/λ_max = **{stable_below:.4g}**{largest}.")
    n_iterations = st.sidebar.select_slider(
        "Iterations", options=descent_view.ITERATION_CHOICES, value=100, key="iters", bind="query-params"
    )
    w0 = st.sidebar.slider("Start w₀", -START_LIMIT, START_LIMIT, 0.0, 0.5, key="w0", bind="query-params")
    b0 = st.sidebar.slider("Start b₀", -START_LIMIT, START_LIMIT, 0.0, 0.5, key="b0", bind="query-params")
    return DescentSettings(learning_rate, n_iterations, w0, b0)


def slider_kept_in_range(container, label, low, high, default, step=None, *, key, follow_end=False):
    """A URL-bound slider whose range depends on other controls.

    Streamlit keeps a keyed slider's value when its range changes and raises if the value now lies
    outside; this clamps it first. With `follow_end`, a value sitting at the old maximum moves to the
    new one (an iteration scrubber left at the last iteration stays there when iterations change).
    """
    state, end_key = st.session_state, f"{key}.end"
    adjusted = False
    if key in state:
        value = state[key]
        wanted = high if follow_end and value == state.get(end_key) else min(max(value, low), high)
        if wanted != value:
            state[key], adjusted = wanted, True
    state[end_key] = high
    # a value set through session state must not come with a default too (Streamlit warns)
    return container.slider(
        label, low, high, None if adjusted else default, step, key=key, bind="query-params"
    )
