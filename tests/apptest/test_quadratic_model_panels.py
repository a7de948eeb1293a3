"""The quadratic model at p on the gradient-field and critical-points pages, through AppTest: dashed level
curves and Newton's next point, compared with the model worked out by hand."""

import numpy as np
import pytest

from core.figures.taylor import MODEL_MINIMUM_NAME, MODEL_POINT_NAME, QUADRATIC_MODEL_NAME
from tests.apptest.conftest import assert_healthy, chart_specs, live_figures, move_live, open_page, values


def names(spec: dict) -> list[str]:
    return [t.get("name") for t in spec["data"]]


def traced(spec: dict, name: str) -> dict:
    return next(t for t in spec["data"] if t.get("name") == name)


def test_the_gradient_field_page_draws_no_model_until_asked():
    app = open_page("pages/2_Gradient_Field.py")
    assert_healthy(app)
    assert QUADRATIC_MODEL_NAME not in names(live_figures(app, "gradient-field-live")[0])


def test_the_gradient_field_page_draws_the_model_at_p_and_newton_s_next_point():
    app = open_page("pages/2_Gradient_Field.py", quadratic="true")
    assert_healthy(app)
    spec = live_figures(app, "gradient-field-live")[0]
    assert traced(spec, QUADRATIC_MODEL_NAME)["line"]["dash"] == "dash"
    # f = x² + 2y² at p = (1, 1): q is f itself, so Newton's step lands on its minimum (0, 0)
    cross = traced(spec, MODEL_MINIMUM_NAME)
    assert (cross["x"][0], cross["y"][0]) == pytest.approx((0.0, 0.0), abs=1e-12)
    assert any("minimum p − H⁻¹∇f = (0, 0)" in c.value for c in app.caption)


def test_the_model_follows_the_settled_point():
    app = open_page("pages/2_Gradient_Field.py", quadratic="true", fn="Himmelblau")
    assert_healthy(app)
    move_live(app, "gradient-field-live", x0=3.5, y0=2.5)
    assert_healthy(app)
    spec = live_figures(app, "gradient-field-live")[0]
    # Himmelblau (x² + y − 11)² + (x + y² − 7)² at (3.5, 2.5), its gradient and Hessian written out
    x, y = 3.5, 2.5
    a, b = x**2 + y - 11, x + y**2 - 7
    g = np.array([4 * x * a + 2 * b, 2 * a + 4 * y * b])
    h = np.array([[12 * x**2 + 4 * y - 42, 4 * x + 4 * y], [4 * x + 4 * y, 4 * x + 12 * y**2 - 26]])
    newton = np.array([x, y]) - np.linalg.solve(h, g)
    cross = traced(spec, MODEL_MINIMUM_NAME)
    assert (cross["x"][0], cross["y"][0]) == pytest.approx(tuple(newton), rel=1e-9)
    model = traced(spec, QUADRATIC_MODEL_NAME)
    dx = values(model["x"])[np.newaxis, :] - x
    dy = values(model["y"])[:, np.newaxis] - y
    by_hand = (
        a**2
        + b**2
        + g[0] * dx
        + g[1] * dy
        + 0.5 * (h[0, 0] * dx**2 + 2 * h[0, 1] * dx * dy + h[1, 1] * dy**2)
    )
    assert values(model["z"]).reshape(by_hand.shape) == pytest.approx(by_hand, rel=1e-6, abs=1e-4)  # float32


def test_the_critical_points_page_says_the_seed_s_loss_has_no_model_minimum():
    app = open_page("pages/4_Critical_Points.py", quadratic="true")
    assert_healthy(app)
    contour = chart_specs(app)[0]
    assert QUADRATIC_MODEL_NAME in names(contour) and MODEL_MINIMUM_NAME not in names(contour)
    # f = (x − y)² + 2x − 4y + 3: H = [[2, −2], [−2, 2]] is singular, so q has no minimum anywhere
    assert any("no minimum: H is not positive definite" in c.value for c in app.caption)
    model = traced(contour, QUADRATIC_MODEL_NAME)["contours"]
    f_levels = traced(contour, "f(x, y)")["contours"]
    assert (model["start"], model["end"], model["size"]) == pytest.approx(
        (f_levels["start"], f_levels["end"], f_levels["size"])
    )  # the dashed curves sit at f's own levels


def test_the_critical_points_page_puts_the_model_where_asked():
    app = open_page("pages/4_Critical_Points.py", quadratic="true", fn="Saddle x²−y²", qx="1", qy="0.5")
    assert_healthy(app)
    contour = chart_specs(app)[0]
    assert MODEL_MINIMUM_NAME not in names(contour)  # a saddle's H has a negative eigenvalue
    p = traced(contour, MODEL_POINT_NAME)
    assert (p["x"][0], p["y"][0]) == (1.0, 0.5)
    assert any("p = (1, 0.5)" in c.value and "negative curvature" in c.value for c in app.caption)
