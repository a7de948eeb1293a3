"""Every figure every page draws passes Plotly's own validation unchanged. The figure builders write traces
as plain dicts that nobody validates on the way to the browser (core.figures.trace); here Plotly's
validating constructor rebuilds each figure, and what it writes must be what was sent: a misspelt or
misplaced property would raise, an underscore path (``marker_color``) would be expanded, and a value
plotly.py would coerce would differ."""

import json
import re
from pathlib import Path

import plotly
import plotly.graph_objects as go
import pytest

import ui.live_chart
import ui.page
from tests.apptest.conftest import assert_healthy, open_page

ROOT = Path(__file__).resolve().parents[2]
PAGES = sorted(
    str(p.relative_to(ROOT)) for p in (ROOT / "pages").glob("[0-9]*_*.py") if "Lesson" not in p.name
)
# plotly.py expands a named colour scale into its list; the browser expands the name itself, so a name must
# be one that the plotly.js we serve knows (plotly.js has no "Viridis_r", say: it would draw its default)
PLOTLY_JS = (Path(plotly.__file__).parent / "package_data" / "plotly.min.js").read_text()


def _compared(sent, valid, path: str = "") -> None:
    if isinstance(sent, dict) and isinstance(valid, dict):
        assert sent.keys() == valid.keys(), path
        for key in sent:
            if key == "colorscale" and isinstance(sent[key], str):
                assert re.search(rf"\b{re.escape(sent[key])}:\[\[0,", PLOTLY_JS), f"{path}: {sent[key]}"
            else:
                _compared(sent[key], valid[key], f"{path}/{key}")
    elif isinstance(sent, list) and isinstance(valid, list) and len(sent) == len(valid):
        for index, (one, other) in enumerate(zip(sent, valid, strict=True)):
            _compared(one, other, f"{path}[{index}]")
    else:
        assert sent == valid, path


@pytest.mark.parametrize("path", PAGES)
def test_every_figure_drawn_is_valid_plotly_as_sent(path, monkeypatch):
    drawn = []
    for module, name in ((ui.page, "text_alternative"), (ui.live_chart, "figure_json")):
        real = getattr(module, name)
        monkeypatch.setattr(module, name, lambda fig, real=real: (drawn.append(fig), real(fig))[1])
    app = open_page(path)
    assert_healthy(app)
    assert drawn
    for fig in drawn:
        sent = json.loads(fig.to_json())
        _compared(sent, json.loads(go.Figure(sent).to_json()))
