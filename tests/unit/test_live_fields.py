"""The live charts of the 2-D pages: what core.live_fields sends the browser, and the browser's recipes
(ui/live/recipes/gradient_*.js, directional.js) run in Node.js on it, against references written out here
with NumPy (f and its gradient by hand, central differences, g(t) = f(p + t·u) evaluated directly)."""

import dataclasses
import math

import numpy as np
import pytest
import sympy as sp

from core import bivariate, fields, live_fields
from tests.unit.live_recipes import numbers, run

WINDOW = (-2.0, 2.0, -2.0, 2.0)
SEED = "x^2 + 2y^2"


def seed_f(x, y):
    return x**2 + 2 * y**2


def central(f, x: float, y: float, h: float = 1e-6) -> np.ndarray:
    return np.array([(f(x + h, y) - f(x - h, y)) / (2 * h), (f(x, y + h) - f(x, y - h)) / (2 * h)])


@pytest.fixture(scope="module")
def bowl():
    return bivariate.prepare(SEED)


def field_case(b, values, *, reveal=True, window=WINDOW, per_side=15):
    field = fields.arrow_field(b, window, per_side=per_side, true_length=False)
    return {
        "kind": "recipe",
        "name": "gradient_field",
        "values": values,
        "params": live_fields.gradient_field_params(b, field, window, reveal=reveal),
        "formulas": live_fields.browser_formulas(b),
        "variables": list(bivariate.VARIABLES),
    }


def directional_case(b, values, *, mode=live_fields.VECTOR, reveal=True, window=WINDOW):
    point = fields.gradient_at_point(b, values["x0"], values["y0"])
    view = live_fields.directional_view(b, point, live_fields.direction(mode, values), window)
    return {
        "kind": "recipe",
        "name": "directional",
        "values": values,
        "params": live_fields.directional_params(b, view, window, mode=mode, reveal=reveal),
        "formulas": live_fields.browser_formulas(b),
        "variables": list(bivariate.VARIABLES),
    }


def readouts(out) -> dict[str, str]:
    return {r["label"]: r["value"] for r in out["readouts"]}


def plain(text: str) -> str:
    return text.replace("−", "-")


# --- numbers as the browser writes them --------------------------------------------------------------


def test_the_server_writes_numbers_exactly_as_the_browser_does():
    rng = np.random.default_rng(0)
    values = [0.0, -0.0, 2.0, -3.0, 4.47213595499958, 1e-4, 9.99999e-5, 1e-5, -1e-5, 123456.789, 9999999.0]
    values += list(10.0 ** rng.uniform(-9, 9, 40) * rng.choice([-1, 1], 40))
    for digits in (4, 6):
        browser = run([{"kind": "format", "values": values, "digits": digits}])[0]
        assert [live_fields.readout_number(v, digits) for v in values] == browser
    assert live_fields.readout_number(math.nan) == "undefined"


# --- what the server sends ---------------------------------------------------------------------------


def test_the_browser_gets_f_and_both_partial_derivatives_or_nothing(bowl):
    assert set(live_fields.browser_formulas(bowl)) == {"f", "fx", "fy"}
    x = sp.Symbol("x", real=True)
    untranslatable = dataclasses.replace(bowl, gradient=(sp.Function("g")(x), bowl.gradient[1]))
    assert live_fields.browser_formulas(untranslatable) == {}  # the server then draws every settled move


def test_server_readouts_hide_answers_in_quiz_mode_but_not_f(bowl):
    point = fields.gradient_at_point(bowl, 1.0, 1.0)
    shown = live_fields.point_readouts(point, at="(p)", reveal=True)
    assert [(label, value) for label, value, _ in shown] == [
        ("f(p)", "3"),
        ("∇f(p)", "(2, 4)"),
        ("|∇f(p)|", live_fields.readout_number(math.sqrt(20))),
    ]
    hidden = live_fields.point_readouts(point, ("D_u f(p)", "4.24264", ""), at="(p)", reveal=False)
    assert [value for _, value, _ in hidden] == ["3", "?", "?", "?"]


def test_the_directional_view_has_gaps_instead_of_an_error_where_there_is_no_derivative():
    ln = bivariate.prepare("ln(x y)")
    outside = fields.gradient_at_point(ln, -1.0, 1.0)  # x y < 0: f undefined at p
    view = live_fields.directional_view(ln, outside, fields.Direction.from_vector(1, 1), WINDOW)
    assert math.isnan(view.value) and view.point is outside
    assert np.isnan(view.sweep).all()
    # the slice along (1, 1) from (−1, 1) reaches x y > 0 for t > √2/… : partly defined, as f is
    assert np.isnan(view.g).any() and np.isfinite(view.g).any()
    notes = live_fields.directional_notes(outside, None, WINDOW, reveal=False)
    assert notes[0] == live_fields.ZERO_DIRECTION_NOTE and notes[1].startswith(live_fields.NO_DERIVATIVE)
    flat = live_fields.directional_view(ln, fields.gradient_at_point(ln, 1.0, 1.0), None, WINDOW)
    assert math.isnan(flat.value) and np.isfinite(flat.sweep).all()  # no u, but ∇f(p) and its sweep


# --- the gradient field's recipe in the browser ------------------------------------------------------


@pytest.mark.parametrize("point", [(1.0, 1.0), (-1.5, 0.35), (0.05, -1.95)])
def test_the_highlighted_arrow_and_readouts_follow_the_point_as_finite_differences_say(bowl, point):
    x0, y0 = point
    out = run([field_case(bowl, {"x0": x0, "y0": y0})])[0]
    gx, gy = central(seed_f, x0, y0)
    arrow_x, arrow_y = numbers(out["traces"]["highlight"]["x"]), numbers(out["traces"]["highlight"]["y"])
    shaft = np.array([arrow_x[1] - arrow_x[0], arrow_y[1] - arrow_y[0]])
    assert (arrow_x[0], arrow_y[0]) == pytest.approx((x0, y0))
    spacing = 4.0 / 15
    assert np.linalg.norm(shaft) == pytest.approx(2 * fields.ARROW_FILL * spacing)  # twice a field arrow
    np.testing.assert_allclose(
        shaft / np.linalg.norm(shaft), np.array([gx, gy]) / math.hypot(gx, gy), atol=1e-8
    )
    assert math.isnan(arrow_x[-1])  # the gap that ends an arrow, as on the server
    assert out["traces"]["point"] == {"x": [x0], "y": [y0]}
    shown = readouts(out)
    assert float(shown["f(x₀, y₀)"]) == pytest.approx(seed_f(x0, y0), rel=1e-5)
    vector = [float(v) for v in plain(shown["∇f(x₀, y₀)"]).strip("()").split(",")]
    np.testing.assert_allclose(vector, [gx, gy], rtol=1e-3, atol=1e-9)
    assert float(shown["|∇f(x₀, y₀)|"]) == pytest.approx(math.hypot(gx, gy), rel=1e-5)
    assert out["message"] == ""


def test_the_browser_draws_the_servers_arrow_and_readouts(bowl):
    field = fields.arrow_field(bowl, WINDOW, per_side=15, true_length=False)
    point = fields.gradient_at_point(bowl, -0.7, 1.3)
    out = run([field_case(bowl, {"x0": -0.7, "y0": 1.3})])[0]
    server = fields.highlighted_gradient(field, point)
    np.testing.assert_allclose(numbers(out["traces"]["highlight"]["x"]), server.x, rtol=1e-12)
    np.testing.assert_allclose(numbers(out["traces"]["highlight"]["y"]), server.y, rtol=1e-12)
    expected = live_fields.point_readouts(point, at="(x₀, y₀)", reveal=True)
    assert [(r["label"], r["value"]) for r in out["readouts"]] == [(a, b) for a, b, _ in expected]


def test_quiz_mode_hides_the_gradient_in_the_browser_too(bowl):
    quiz, shown = run([field_case(bowl, {"x0": 0.5, "y0": 0.5}, reveal=reveal) for reveal in (False, True)])
    assert readouts(quiz) == {"f(x₀, y₀)": "0.75", "∇f(x₀, y₀)": "?", "|∇f(x₀, y₀)|": "?"}
    assert set(quiz["traces"]) == {"point"} and "highlight" in shown["traces"]  # the arrow is ∇f(p)


def test_at_the_minimum_the_arrow_is_a_gap_and_the_note_says_why(bowl):
    out = run(
        [field_case(bowl, {"x0": 0.0, "y0": 0.0}), field_case(bowl, {"x0": 0.0, "y0": 0.0}, reveal=False)]
    )
    assert all(math.isnan(v) for v in numbers(out[0]["traces"]["highlight"]["x"]))
    assert out[0]["message"] == live_fields.ZERO_GRADIENT_NOTE
    assert out[1]["message"] == ""  # in quiz mode that would give the answer away


@pytest.mark.parametrize(
    ("formula", "point", "says"),
    [
        ("abs(x) + y^2", (0.0, 0.5), "f has a corner there (∂f/∂x is -1 from one side and 1 from the other)"),
        ("ln(x y)", (-1.0, 1.0), "f is undefined at (-1, 1), so it has no gradient there."),
        ("sqrt(x - y)", (1.0, 1.0), "∇f is undefined at (1, 1): f is not differentiable there"),
    ],
)
def test_where_the_gradient_is_undefined_the_browser_says_what_the_server_says(formula, point, says):
    b = bivariate.prepare(formula)
    out = run([field_case(b, {"x0": point[0], "y0": point[1]})])[0]
    server = fields.gradient_at_point(b, *point)
    assert says in server.message and plain(out["message"]) == server.message
    assert readouts(out)["∇f(x₀, y₀)"] == "undefined"


def test_a_point_outside_the_window_is_pointed_out(bowl):
    small = (-0.5, 0.5, -0.5, 0.5)
    out = run([field_case(bowl, {"x0": 1.0, "y0": 1.0}, window=small)])[0]
    server = live_fields.point_notes(fields.gradient_at_point(bowl, 1.0, 1.0), small, reveal=True)
    assert (
        out["message"]
        == " ".join(server)
        == "The point (1, 1) is outside this window: a larger window shows it."
    )


# --- the directional derivative's recipe in the browser ----------------------------------------------


def test_the_seeds_directional_derivative_in_the_browser(bowl):
    # f = x² + 2y², p = (1, 1), u = (1, 1)/√2  ->  D_u f = (2 + 4)/√2 = 4.24264
    out = run([directional_case(bowl, {"x0": 1.0, "y0": 1.0, "u1": 1.0, "u2": 1.0})])[0]
    assert readouts(out)["D_u f(p)"] == "4.24264"
    assert float(readouts(out)["D_u f(p)"]) == pytest.approx(6 / math.sqrt(2), rel=1e-6)
    your_u = out["traces"]["your_u"]
    assert your_u["x"][0] == pytest.approx(math.pi / 4) and your_u["y"][0] == pytest.approx(6 / math.sqrt(2))


@pytest.mark.parametrize(
    ("formula", "f", "values", "mode"),
    [
        ("x^2 - y^2", lambda x, y: x**2 - y**2, {"x0": 1.0, "y0": 0.5, "theta": 30}, live_fields.ANGLE),
        ("sin(x) cos(y) + x y / 3", lambda x, y: np.sin(x) * np.cos(y) + x * y / 3,
         {"x0": -0.6, "y0": 1.25, "u1": -2.0, "u2": 0.7}, live_fields.VECTOR),
    ],
)  # fmt: skip
def test_the_slice_its_tangent_and_the_sweep_in_the_browser_match_numpy(formula, f, values, mode):
    b = bivariate.prepare(formula)
    out = run([directional_case(b, values, mode=mode)])[0]
    x0, y0 = values["x0"], values["y0"]
    if mode == live_fields.ANGLE:
        u = np.array([math.cos(math.radians(values["theta"])), math.sin(math.radians(values["theta"]))])
    else:
        u = np.array([values["u1"], values["u2"]]) / math.hypot(values["u1"], values["u2"])
    gradient = central(f, x0, y0)
    slope = gradient @ u
    traces = out["traces"]
    t = np.array(traces["slice"]["x"])
    np.testing.assert_allclose(numbers(traces["slice"]["y"]), f(x0 + t * u[0], y0 + t * u[1]), rtol=1e-12)
    g = lambda s: f(x0 + s * u[0], y0 + s * u[1])  # noqa: E731
    tangent_t, tangent_y = traces["tangent"]["x"], traces["tangent"]["y"]
    tangent_slope = (tangent_y[1] - tangent_y[0]) / (tangent_t[1] - tangent_t[0])
    assert tangent_slope == pytest.approx((g(1e-6) - g(-1e-6)) / 2e-6, rel=1e-6)  # g′(0)
    assert float(plain(readouts(out)["D_u f(p)"])) == pytest.approx(slope, rel=1e-5)
    theta = np.array(traces["sweep"]["x"])
    np.testing.assert_allclose(
        traces["sweep"]["y"], np.cos(theta) * gradient[0] + np.sin(theta) * gradient[1], rtol=1e-6, atol=1e-8
    )
    norm = np.linalg.norm(gradient)
    assert traces["steepest"]["y"][0] == pytest.approx(norm, rel=1e-6)
    assert traces["steepest"]["x"][0] == pytest.approx(math.atan2(gradient[1], gradient[0]) % (2 * math.pi))
    assert traces["lowest"]["y"][0] == pytest.approx(-norm, rel=1e-6)
    for zero in traces["zeros"]["x"]:
        assert abs(np.cos(zero) * gradient[0] + np.sin(zero) * gradient[1]) < 1e-6 * norm
    assert max(traces["sweep"]["y"]) == pytest.approx(norm, rel=1e-9)  # the peak sampled exactly
    ux, uy = numbers(traces["u_arrow"]["x"]), numbers(traces["u_arrow"]["y"])
    np.testing.assert_allclose([ux[1] - ux[0], uy[1] - uy[0]], fields.MARK_FRACTION * 4 * u, rtol=1e-12)
    line_x, line_y = traces["line"]["x"], traces["line"]["y"]
    assert (line_y[1] - line_y[0]) * u[0] == pytest.approx((line_x[1] - line_x[0]) * u[1])  # along u


def test_the_browser_draws_the_servers_slice_and_sweep():
    b = bivariate.prepare("x^2 - y^2")
    values = {"x0": 1.0, "y0": 0.5, "theta": 30}
    out = run([directional_case(b, values, mode=live_fields.ANGLE)])[0]
    view = fields.directional_view(
        b, fields.gradient_at_point(b, 1.0, 0.5), fields.Direction.from_angle(30), WINDOW
    )
    np.testing.assert_allclose(out["traces"]["slice"]["y"], view.g, rtol=1e-12)
    np.testing.assert_allclose(out["traces"]["sweep"]["x"], view.theta, rtol=1e-12)
    np.testing.assert_allclose(out["traces"]["sweep"]["y"], view.sweep, rtol=1e-12, atol=1e-12)
    ux, uy = numbers(out["traces"]["u_arrow"]["x"]), numbers(out["traces"]["u_arrow"]["y"])
    np.testing.assert_allclose(ux, view.direction_arrow.x, rtol=1e-12, equal_nan=True)
    np.testing.assert_allclose(uy, view.direction_arrow.y, rtol=1e-12, equal_nan=True)


def test_a_zero_direction_and_an_undefined_point_are_explained_not_drawn(bowl):
    zero, nowhere = run(
        [
            directional_case(bowl, {"x0": 1.0, "y0": 1.0, "u1": 0.0, "u2": 0.0}),
            directional_case(bivariate.prepare("ln(x y)"), {"x0": -1.0, "y0": 1.0, "u1": 1.0, "u2": 1.0}),
        ]
    )
    assert zero["message"] == live_fields.ZERO_DIRECTION_NOTE
    assert readouts(zero)["D_u f(p)"] == "undefined" and readouts(zero)["∇f(p)"] == "(2, 4)"
    assert all(math.isnan(v) for v in numbers(zero["traces"]["slice"]["y"]))
    assert plain(nowhere["message"]).startswith(f"{live_fields.NO_DERIVATIVE} f is undefined at (-1, 1)")
    assert all(math.isnan(v) for v in numbers(nowhere["traces"]["sweep"]["y"]))


def test_quiz_mode_hides_the_directional_derivative_in_the_browser(bowl):
    out = run(
        [directional_case(bowl, {"x0": 1.0, "y0": 1.0, "theta": 45}, mode=live_fields.ANGLE, reveal=False)]
    )
    assert readouts(out[0]) == {"f(p)": "3", "∇f(p)": "?", "|∇f(p)|": "?", "D_u f(p)": "?"}
    # ∇f(p)'s arrow, the slice's tangent and the sweep would each tell D_u f(p): only p, u and the line move
    assert set(out[0]["traces"]) == {"line", "u_arrow", "point"}
    revealed = run([directional_case(bowl, {"x0": 1.0, "y0": 1.0, "theta": 45}, mode=live_fields.ANGLE)])
    assert {"gradient_arrow", "tangent", "sweep"} <= set(revealed[0]["traces"])


# --- turning u by its head ---------------------------------------------------------------------------


def test_a_press_on_us_head_turns_u_and_anywhere_else_moves_p(bowl):
    case = directional_case(bowl, {"x0": 1.0, "y0": 1.0, "theta": 45}, mode=live_fields.ANGLE)
    length = case["params"]["arrow_length"]
    head = (1 + length / math.sqrt(2), 1 + length / math.sqrt(2))
    drag = {"kind": "drag", "name": "directional", "params": case["params"], "values": case["values"]}
    on_head, then_up, elsewhere = run(
        [
            {**drag, "point": [head[0] + 0.05, head[1] - 0.05], "grab": None},
            {**drag, "point": [1.0, 1.5], "grab": "head"},  # straight above p: 90°
            {**drag, "point": [-0.5, 0.25], "grab": None},
        ]
    )
    assert on_head["grab"] == "head"
    expected = round(math.degrees(math.atan2(head[1] - 0.05 - 1, head[0] + 0.05 - 1)))
    assert on_head["set"] == {"theta": expected}
    assert then_up["set"] == {"theta": 90}
    assert elsewhere == {"grab": "point", "set": {"x0": -0.5, "y0": 0.25}}


def test_turning_a_vector_by_its_head_keeps_its_length(bowl):
    case = directional_case(bowl, {"x0": 0.0, "y0": 0.0, "u1": 3.0, "u2": 0.0})
    out = run([{"kind": "drag", "name": "directional", "params": case["params"], "values": case["values"],
                "point": [-0.2, -0.2], "grab": "head"}])[0]  # fmt: skip
    assert math.hypot(out["set"]["u1"], out["set"]["u2"]) == pytest.approx(3.0)
    assert math.atan2(out["set"]["u2"], out["set"]["u1"]) == pytest.approx(-3 * math.pi / 4)
