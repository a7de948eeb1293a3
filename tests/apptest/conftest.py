"""AppTest helpers: open a page the way a user does (through the app's entry file) and read its charts."""

import base64
import json
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from ui.live_chart import DATA_FIELD

ROOT = Path(__file__).resolve().parents[2]


def open_page(page: str | None = None, *, timeout: float = 60, **query: str) -> AppTest:
    """Run the home page, switch to ``page`` (e.g. "pages/1_Derivative.py") and run it once; a run longer
    than ``timeout`` seconds raises RuntimeError."""
    app = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=timeout)
    for key, value in query.items():
        app.query_params[key] = value
    if page is not None:
        app.switch_page(page)
    app.run()
    return app


def chart_specs(app: AppTest) -> list[dict]:
    """The Plotly figures on the page, as the JSON the browser receives."""
    return [json.loads(chart.proto.spec) for chart in app.get("plotly_chart")]


def trace(spec: dict, name: str) -> dict:
    matches = [t for t in spec["data"] if t.get("name") == name]
    assert matches, f"no trace named {name!r} in {[t.get('name') for t in spec['data']]}"
    return matches[0]


def assert_healthy(app: AppTest) -> None:
    """No exception and no error box on the page."""
    assert not app.exception, [e.message for e in app.exception]
    assert not app.error, [e.value for e in app.error]


@pytest.fixture
def derivative_page():
    return open_page("pages/1_Derivative.py")


def values(field) -> np.ndarray:
    """A trace's x or y as an array, whether Plotly sent a list or base64 ``bdata`` (Plotly 7)."""
    if isinstance(field, dict) and "bdata" in field:
        return np.frombuffer(base64.b64decode(field["bdata"]), dtype=np.dtype(field["dtype"]))
    return np.asarray(field, dtype=float)


def component_data(element) -> dict:
    """What a component sends its JavaScript: a live chart's figures, controls and recipe parameters, as the
    one JSON string ui/live_chart.py writes; nothing for the lesson's key listener."""
    sent = json.loads(element.proto.json) if element.proto.json else {}
    return json.loads(sent[DATA_FIELD]) if isinstance(sent, dict) and DATA_FIELD in sent else sent


def live_data(app: AppTest, key: str) -> dict:
    """What a live chart (ui/live_chart.py) sends the browser: figures, controls, recipe parameters."""
    for element in app.get("bidi_component"):
        if element.proto.id.endswith(f"-{key}"):
            return component_data(element)
    raise AssertionError(f"no live chart with key {key!r}")


def live_figures(app: AppTest, key: str) -> list[dict]:
    return [figure["figure"] for figure in live_data(app, key)["figures"]]


def live_readout(app: AppTest, key: str, label: str) -> str:
    """A number the live chart shows beside its figure, as the server computed it for the current values."""
    return next(r["value"] for r in live_data(app, key)["readouts"] if r["label"] == label)


def move_live(app: AppTest, key: str, **view: float) -> AppTest:
    """Let go of a live chart's controls at these values, as the browser reports them, and rerun."""
    # AppTest's session state has no .get()
    state = app.session_state[key] if key in app.session_state else {"view": {}}  # noqa: SIM401
    app.session_state[key] = {"view": {**state["view"], **view}}
    return app.run()


def every_figure(app: AppTest) -> list[tuple[dict, dict]]:
    """(config, figure) of every chart on the page: st.plotly_chart's and the live charts' alike."""
    charts = [(json.loads(c.proto.config), json.loads(c.proto.spec)) for c in app.get("plotly_chart")]
    for element in app.get("bidi_component"):
        data = component_data(element)
        charts += [(figure["config"], figure["figure"]) for figure in data.get("figures", [])]
    return charts


def hidden_answers(app: AppTest) -> int:
    """How many numbers read "?" (quiz mode), in metrics and in the live charts' readouts."""
    readouts = [r for e in app.get("bidi_component") for r in component_data(e).get("readouts", [])]
    return sum(m.value == "?" for m in app.metric) + sum(r["value"] == "?" for r in readouts)
