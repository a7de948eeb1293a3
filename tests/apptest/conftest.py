"""AppTest helpers: open a page the way a user does (through the app's entry file) and read its charts."""

import base64
import json
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]


def open_page(page: str | None = None, **query: str) -> AppTest:
    """Run the home page, switch to ``page`` (e.g. "pages/1_Derivative.py") and run it once."""
    app = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60)
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
