"""What every page shares, checked on each: the opening prose and "The maths", lecture mode hiding the prose
but keeping the formulas, and quiz mode hiding an answer behind a Reveal button that works."""

import json

import plotly.io as pio
import pytest

from tests.apptest.conftest import assert_healthy, component_data, every_figure, hidden_answers, open_page
from ui.registry import PAGES

# The Lesson page shows the other pages inside it (each checked here on its own) and has no maths, quiz or
# charts of its own: tests/apptest/test_lesson_page.py covers it.
PATHS = [page.path for page in PAGES if page.path != "pages/10_Lesson.py"]


def maths_expander(app):
    matches = [expander for expander in app.expander if expander.label == "The maths"]
    assert len(matches) == 1, [expander.label for expander in app.expander]
    return matches[0]


def prose(app) -> str:
    return " ".join(block.value for block in app.markdown)


@pytest.mark.parametrize("path", PATHS)
def test_the_page_opens_with_prose_and_the_maths(path):
    app = open_page(path)
    assert_healthy(app)
    assert len(maths_expander(app).latex) >= 2
    lecture = open_page(path, lecture="1")
    assert_healthy(lecture)
    assert len(maths_expander(lecture).latex) == len(maths_expander(app).latex)  # formulas stay
    assert len(prose(lecture)) < len(prose(app))  # the explanations go: the lecturer talks


def amount_shown(app) -> int:
    """Traces, formulas, tables and notes on the page: each a place an answer can be read from."""
    traces = sum(len(spec["data"]) for _, spec in every_figure(app))
    return traces + len(app.latex) + len(app.dataframe) + len(app.info) + len(app.warning)


@pytest.mark.parametrize("path", PATHS)
def test_quiz_mode_hides_an_answer_until_the_reveal_button_is_pressed(path):
    app = open_page(path, quiz="1")
    assert_healthy(app)
    reveal = [button for button in app.button if button.label.startswith("Reveal ")]
    assert len(reveal) == 1
    hidden = hidden_answers(app)
    before = amount_shown(app)
    reveal[0].click().run()
    assert_healthy(app)
    assert not [button for button in app.button if button.label.startswith("Reveal ")]
    assert hidden_answers(app) == 0
    assert hidden > 0 or amount_shown(app) > before  # something was hidden that Reveal brought back
    assert not any(button.label.startswith("Reveal ") for button in open_page(path).button)  # quiz off


@pytest.mark.parametrize("path", PATHS)
def test_every_chart_exports_a_crisp_png_under_its_own_name_and_has_a_title_and_axis_labels(path):
    app = open_page(path, quiz="0")
    charts = every_figure(app)
    assert charts
    names = []
    for config, spec in charts:
        export = config["toImageButtonOptions"]
        assert export["format"] == "png" and export["scale"] == 2
        names.append(export["filename"])
        layout = spec["layout"]
        assert layout["title"]["text"], export["filename"]
        scene = layout.get("scene")
        axes = [scene["xaxis"], scene["yaxis"]] if scene else [layout["xaxis"], layout["yaxis"]]
        if scene and "height" not in layout["title"]["text"]:  # a narrow 3-D chart names z in its title
            axes.append(scene["zaxis"])
        shown = [axis for axis in axes if axis.get("showticklabels") is not False]  # a graph hides its axes
        assert all(axis["title"]["text"] for axis in shown), export["filename"]
    assert len(set(names)) == len(names) and all(name.startswith("gradient-lab-") for name in names)


@pytest.mark.parametrize("path", PATHS)
def test_every_chart_has_a_text_alternative_that_starts_with_its_title(path):
    app = open_page(path, quiz="0")
    charts = [(chart.proto.alt, json.loads(chart.proto.spec)) for chart in app.get("plotly_chart")]
    for element in app.get("bidi_component"):
        data = component_data(element)
        charts += [(figure["alt"], figure["figure"]) for figure in data.get("figures", [])]
    assert charts
    for alt, spec in charts:
        title = spec["layout"]["title"]["text"].replace("<br>", " ")
        assert alt.startswith(" ".join(title.split())), (alt, title)
        assert "Chart of" in alt or "3-D chart of" in alt, alt


@pytest.mark.parametrize("path", PATHS)
def test_every_chart_carries_plotly_white_trimmed_to_the_traces_it_draws(path):
    # whichever imported first, Streamlit (which sets Plotly's default template) or core.figures
    white = pio.templates["plotly_white"].to_plotly_json()
    for config, spec in every_figure(open_page(path, quiz="0")):
        template = spec["layout"]["template"]
        name = config["toImageButtonOptions"]["filename"]
        assert template["layout"]["plot_bgcolor"] == "white" and "polar" not in template["layout"], name
        for trace in spec["data"]:
            kind = trace.get("type", "scatter")
            assert template["data"][kind] == white["data"][kind], (name, kind)
        assert len(template["data"]) < len(white["data"]) / 3, name
