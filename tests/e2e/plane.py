"""Browser-test helpers for the live charts over the plane (the Gradient field and Directional derivative
pages): where plotly.js draws a point of the data, so a test can press and drag on it."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Page

_AXES = """(chart) => {
    const gd = document.querySelectorAll('.gl-plot')[chart];
    const r = gd.getBoundingClientRect();
    const { xaxis: xa, yaxis: ya } = gd._fullLayout;
    const traces = gd.querySelectorAll('.scatterlayer .trace');
    const p = traces[traces.length - 1].querySelector('.point').getBoundingClientRect();
    return { left: r.left + xa._offset, top: r.top + ya._offset, x: [xa.d2p(0), xa.d2p(1)],
             y: [ya.d2p(0), ya.d2p(1)], marker: [p.left + p.width / 2, p.top + p.height / 2] };
}"""


def screen_position(page: Page, chart: int = 0) -> tuple[Callable[[float, float], tuple[float, float]], list]:
    """(data -> pixel on screen, the centre of the drawn marker of p, the chart's last trace). The pixels
    come from the axes' own offsets (an equal-aspect chart draws its axes inside the margins), and the
    marker lets a test check them against what is drawn."""
    box = page.evaluate(_AXES, chart)

    def at(x: float, y: float) -> tuple[float, float]:
        (x0, x1), (y0, y1) = box["x"], box["y"]
        return box["left"] + x0 + (x1 - x0) * x, box["top"] + y0 + (y1 - y0) * y

    return at, box["marker"]


def close(a: tuple[float, float], b, pixels: float = 1.5) -> bool:
    return all(abs(u - v) < pixels for u, v in zip(a, b, strict=True))
