"""The neural-network landscape page in a real browser: four charts, no errors, and deep links that work
when they are the first thing a fresh server is asked for."""

from tests.e2e.conftest import assert_no_errors, open_app, plotted, screenshot

CHART_COUNT = 4  # decision regions, landscape contour, landscape surface, interpolation


def test_a_cold_deep_link_with_settings_trains_that_network_and_shows_its_landscape(page, app_url):
    open_app(page, f"{app_url}/Neural_Network_Landscape?data=Circles&act=tanh&hidden=32%2C32&plane=pca")
    assert_no_errors(page)
    charts = plotted(page)
    assert len(charts) == CHART_COUNT
    assert page.get_by_text("2 → 32 → 32 → 1").count() == 1
    path = next(t for t in charts[1] if t["name"] == "training path (projected)")
    assert len(path["x"]) == 101  # θ₀ and one point per epoch
    screenshot(page, "nn-landscape-circles-pca", full_page=True)


def test_the_default_page_shows_its_charts_and_metrics_without_errors(page, app_url):
    open_app(page, f"{app_url}/Neural_Network_Landscape")
    assert_no_errors(page)
    assert len(plotted(page)) == CHART_COUNT
    assert page.get_by_text("Accuracy", exact=True).count() == 1
    screenshot(page, "nn-landscape-default")
    screenshot(page, "nn-landscape-default-full", full_page=True)


def test_lecture_mode_keeps_the_landscape_readable(page, app_url):
    open_app(page, f"{app_url}/Neural_Network_Landscape?lecture=1&l2=1")
    assert_no_errors(page)
    assert len(plotted(page)) == CHART_COUNT
    screenshot(page, "nn-landscape-lecture", full_page=True)
