"""core.figures.serialize.figure_json writes what Plotly's own fig.to_json() writes, read back (every page's
live-chart figures: tests/apptest/test_live_figures_json.py)."""

import json

import numpy as np
import plotly.graph_objects as go
import pytest

from core.figures.serialize import figure_json


def assert_same_as_plotly(fig: go.Figure) -> None:
    assert json.loads(figure_json(fig)) == json.loads(fig.to_json())


def test_every_kind_of_value_a_figure_holds():
    fig = go.Figure()
    x = np.linspace(-1, 1, 7)
    y = np.where(x > 0.5, np.nan, x**2)  # NaN gaps in a typed array
    fig.add_scatter(x=x, y=y, name="floats", text=np.array(["a", "b", "c", "d", "e", "f", "g"]))
    fig.add_scatter(x=np.arange(5), y=np.arange(5, dtype=np.int64) * 10**12, name="int64, too big for int32")
    fig.add_scatter(x=[0, 1, float("nan")], y=[np.float64(1.5), np.int64(2), None], name="lists and scalars")
    fig.add_scatter(x=np.array([]), y=np.array([]), name="empty")
    fig.add_contour(z=np.arange(12, dtype=np.float32).reshape(3, 4), colorscale="Viridis", name="2-D float32")
    fig.add_surface(z=np.random.default_rng(0).normal(size=(4, 5)), showscale=False)
    fig.update_layout(
        xaxis_range=(np.float64(-1.0), 1.0), title="a title", shapes=[{"type": "line", "x0": 0}]
    )
    fig.add_annotation(x=np.float64(0.5), y=0.25, text="x₀")
    assert_same_as_plotly(fig)


def test_frames_are_written_too():
    fig = go.Figure(
        go.Scatter(x=np.arange(3), y=np.arange(3.0)), frames=[go.Frame(data=[go.Scatter(y=[1, 2])])]
    )
    assert_same_as_plotly(fig)


def test_a_value_no_figure_holds_is_refused():
    fig = go.Figure(go.Scatter(x=[0], y=[1]))
    fig._data[0]["meta"] = object()  # past Plotly's validation, as nothing in the app ever does
    with pytest.raises(TypeError):
        figure_json(fig)
