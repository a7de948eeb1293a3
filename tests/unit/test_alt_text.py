"""core.figures.alt_text: a chart's text alternative says what it shows, with spans that are the drawn
data's own (numpy's min and max, or the axis range set), and names only the drawn series."""

import numpy as np
import plotly.graph_objects as go

from core.figures import ChartLabels, FigureStyle, Series, figure, figure_layout, line_chart
from core.figures.alt_text import text_alternative

STYLE = FigureStyle()


def test_a_line_chart_names_its_title_axes_spans_and_series():
    x = np.linspace(-2.0, 3.0, 41)
    fig = line_chart(
        [Series("f(x)", x, x**3, "#000000"), Series("tangent", x, 3 * x - 2, "#0072B2")],
        ChartLabels("f and its tangent", "x", "y"),
        STYLE,
    )
    ys = np.concatenate([x**3, 3 * x - 2])
    assert text_alternative(fig) == (
        f"f and its tangent. Chart of y from {ys.min():.3g} to {ys.max():.3g} against x from -2 to 3. "
        "Shows: f(x), tangent."
    )


def test_an_axis_range_set_on_the_chart_is_the_span_and_a_log_axis_reads_in_its_own_units():
    layout = figure_layout(ChartLabels("error", "step h", "|error|", log_x=True), STYLE)
    layout["xaxis"]["range"] = [-8, 0]  # plotly.js: powers of ten
    fig = figure(layout, [go.Scatter(x=[1e-8, 1.0], y=[2.0, 5.0], name="forward")])
    assert "|error| from 2 to 5 against step h from 1e-08 to 1" in text_alternative(fig)


def test_gaps_are_skipped_and_hidden_series_are_not_named():
    fig = figure(
        figure_layout(ChartLabels("t", "x", "y"), STYLE),
        [
            go.Scatter(x=[0.0, 1.0, 2.0], y=[1.0, np.nan, np.inf], name="drawn"),
            go.Scatter(x=[0.0, 50.0], y=[-99.0, 99.0], name="answer", visible=False),
        ],
    )
    assert text_alternative(fig) == "t. Chart of y from 1 to 1 against x from 0 to 2. Shows: drawn."


def test_a_surface_is_a_3d_chart_over_its_two_variables():
    x = y = np.linspace(-1.0, 1.0, 5)
    z = np.add.outer(y**2, x**2)
    layout = figure_layout(ChartLabels("Surface z = f(x, y)", "x", "y"), STYLE)
    layout["scene"] = {"xaxis": {"title": {"text": "x"}}, "yaxis": {"title": {"text": "y"}},
                       "zaxis": {"title": {"text": "f"}}}  # fmt: skip
    fig = figure(layout, [go.Surface(x=x, y=y, z=z, name="f(x, y)")])
    assert text_alternative(fig).startswith(
        "Surface z = f(x, y). 3-D chart of y from -1 to 1 against x from -1 to 1, f from 0 to 2."
    )


def test_html_in_labels_reads_as_words():
    fig = figure(figure_layout(ChartLabels("two<br>lines <b>bold</b>", "x", "y"), STYLE), [])
    assert text_alternative(fig).startswith("two lines bold.")
