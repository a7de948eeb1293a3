"""Every live chart's figures, on every page with one, are sent as Plotly's own fig.to_json() writes them."""

import json

import pytest

import ui.live_chart
from tests.apptest.conftest import assert_healthy, open_page

# the pages whose charts are live (the critical points, network and chain-rule pages draw theirs with
# st.plotly_chart)
PATHS = [
    "pages/1_Derivative.py",
    "pages/2_Gradient_Field.py",
    "pages/3_Directional_Derivative.py",
    "pages/5_Linear_Regression_GD.py",
    "pages/6_Logistic_Regression_GD.py",
    "pages/7_Optimizer_Race.py",
]


@pytest.mark.parametrize("path", PATHS)
def test_the_figures_sent_are_plotlys_own_json(path, monkeypatch):
    written, real = [], ui.live_chart.figure_json

    def checked(fig):
        sent = real(fig)
        written.append(json.loads(sent) == json.loads(fig.to_json()))
        return sent

    monkeypatch.setattr(ui.live_chart, "figure_json", checked)
    app = open_page(path)
    assert_healthy(app)
    assert written and all(written), written
