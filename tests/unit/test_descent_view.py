"""core.descent_view against references: the seed's own descent loop, closed forms, brute force."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from core import descent_view
from core.datasets import classification_data, diabetes_bmi, regression_data
from core.descent_view import (
    DescentSettings,
    Window,
    convergence_iteration,
    evenly_spaced,
    explore_box,
    fit_view,
    head_then_spaced,
    linear_descent_view,
    loss_curve,
    loss_landscape,
    marked_points,
    nice_window,
    path_on_plot,
    plot_window,
    run_descent,
    stable_learning_rate,
    standardized,
    step_stability,
)
from core.regression import gradient_descent, mse_landscape
from tests.unit.test_regression import seed_linear_descent

SEED = regression_data()


@pytest.fixture(scope="module")
def seed_view():
    return linear_descent_view(SEED, learning_rate=0.01, n_iterations=100)


# --- the seed's run, through this module -------------------------------------------------------


def test_the_default_view_reproduces_the_seed_run(seed_view):
    *_, w_history, b_history, loss_history = seed_linear_descent(SEED.x, SEED.y)
    path = seed_view.run.path
    np.testing.assert_allclose(path.w, w_history, rtol=1e-9)
    np.testing.assert_allclose(path.b, b_history, rtol=1e-9)
    np.testing.assert_allclose(path.loss, loss_history, rtol=1e-9)
    assert path.w[-1] == pytest.approx(35.853591940160115, abs=1e-9)
    assert path.b[-1] == pytest.approx(-0.4983323119577071, abs=1e-9)


def test_the_default_view_knows_the_optimum_and_how_far_descent_is_from_it(seed_view):
    run = seed_view.run
    assert run.optimum.w == pytest.approx(44.437, abs=1e-3)
    assert run.optimum.b == pytest.approx(1.165, abs=1e-3)
    assert run.optimum.loss == pytest.approx(78.054, abs=1e-3)
    expected = math.hypot(run.path.w[-1] - run.optimum.w, run.path.b[-1] - run.optimum.b)
    assert run.distance == pytest.approx(expected, rel=1e-12)
    assert run.converged_at is None  # loss 138.8 after 100 steps, against 78.05
    assert seed_view.warning is None


def test_the_stability_bound_is_the_seeds(seed_view):
    assert stable_learning_rate(SEED) == pytest.approx(0.9536, abs=1e-4)
    assert seed_view.stability.verdict == "converges"
    assert "0.9536" in seed_view.stability.explanation


# --- convergence -------------------------------------------------------------------------------


def test_convergence_iteration_is_the_first_loss_within_one_percent():
    assert convergence_iteration([10.0, 5.0, 1.02, 1.009, 1.0], 1.0) == 3
    assert convergence_iteration([10.0, 5.0, 2.0], 1.0) is None
    assert convergence_iteration([1.0, 1.0], 1.0) == 0


def test_a_perfect_fit_converges_against_a_fraction_of_the_start_loss():
    # optimal loss 0: 1% of it can never be met, so the gap is measured against the start loss
    assert convergence_iteration([100.0, 1e-3, 1e-7], 0.0) == 2


def test_fast_descent_reports_the_first_iteration_within_one_percent():
    run = run_descent("linear", SEED.x, SEED.y, learning_rate=0.5, n_iterations=50)
    within = np.flatnonzero(run.path.loss <= 1.01 * run.optimum.loss)
    assert run.converged_at == within[0] <= 5


def test_the_logistic_run_reproduces_the_seed_and_finds_its_optimum():
    data = classification_data()
    run = run_descent("logistic", data.x, data.y, learning_rate=0.5, n_iterations=100)
    assert run.path.w[-1] == pytest.approx(3.7209, abs=1e-4)
    assert run.path.b[-1] == pytest.approx(0.1323, abs=1e-4)
    assert run.optimum.w == pytest.approx(5.33, abs=0.01)
    assert run.has_optimum and run.distance > 1


# --- windows -----------------------------------------------------------------------------------


def test_nice_window_rounds_outward_to_round_numbers():
    window = nice_window(0.13, 44.4, -0.52, 1.17)
    assert window == Window(0.0, 45.0, -0.6, 1.2)


@given(
    low=st.floats(-1e4, 1e4),
    span=st.floats(1e-3, 1e4),
    wiggle=st.floats(0, 1e-3),
)
def test_nice_window_contains_its_input_and_ignores_tiny_changes(low, span, wiggle):
    window = nice_window(low, low + span, -1.0, 1.0)
    assert window.w_min <= low and low + span <= window.w_max
    assert window.w_max - window.w_min <= 1.5 * span + 1e-9 * abs(low)  # rounded, not inflated
    nudged = nice_window(low, low + span * (1 - wiggle), -1.0, 1.0)
    assert nudged.w_max - nudged.w_min <= window.w_max - window.w_min


def test_the_explore_box_holds_the_origin_and_the_optimum():
    box = explore_box(44.437, 1.165, w_scale=50.0, b_scale=40.0)
    assert box.contains(0, 0) and box.contains(44.437, 1.165)
    assert box.b_max - box.b_min >= 8  # padded by a tenth of the scale at least, both sides


@pytest.mark.parametrize("learning_rate", [0.001, 0.01, 0.1, 0.5, 0.9])
@pytest.mark.parametrize("start", [(0.0, 0.0), (-80.0, 60.0), (100.0, -100.0)])
def test_a_converging_path_lies_inside_the_window_with_the_optimum(learning_rate, start):
    view = linear_descent_view(SEED, learning_rate=learning_rate, n_iterations=200, w0=start[0], b0=start[1])
    assert view.window.contains(view.run.path.w, view.run.path.b).all()
    assert view.window.contains(view.run.optimum.w, view.run.optimum.b)
    assert not view.path.left_window and view.path.iterations[-1] == 200


def test_a_diverging_path_is_drawn_until_it_leaves_the_window():
    view = linear_descent_view(SEED, learning_rate=2.0, n_iterations=100)
    window, drawn = view.window, view.path
    assert drawn.left_window
    inside = window.contains(drawn.w, drawn.b)
    assert inside[:-1].all() and not inside[-1]  # everything up to the exit, then the first point out
    assert window.contains(view.run.optimum.w, view.run.optimum.b) and window.contains(0, 0)
    assert np.ptp(window[:2]) < 1e4  # not squashed by the iterates that ran away


def test_the_window_follows_iterates_until_their_loss_runs_away():
    path = gradient_descent("linear", SEED.x, SEED.y, learning_rate=1.0, n_iterations=100)
    box = Window(-1.0, 1.0, -1.0, 1.0)
    window = plot_window(path, box, escape_factor=10)
    kept = path.loss <= 10 * path.loss[0]
    assert window.contains(path.w[kept], path.b[kept]).all()
    assert not window.contains(path.w, path.b).all()


# --- the drawn path and its frames -------------------------------------------------------------


@given(n=st.integers(1, 20_000), limit=st.integers(2, 500))
def test_subsampling_keeps_the_first_and_last_and_respects_the_limit(n, limit):
    for indices in (evenly_spaced(n, limit), head_then_spaced(n, limit)):
        assert indices[0] == 0 and indices[-1] == n - 1
        assert len(indices) <= limit and np.all(np.diff(indices) > 0)


def test_the_head_of_a_long_path_is_kept_whole():
    indices = head_then_spaced(10_000, 400)
    np.testing.assert_array_equal(indices[:200], np.arange(200))


def test_frames_run_from_the_start_to_the_whole_path(seed_view):
    drawn = seed_view.path
    assert len(drawn.frame_ends) <= descent_view.MAX_FRAMES
    assert drawn.frame_ends[0] == 1 and drawn.frame_ends[-1] == len(drawn.iterations)
    assert drawn.frame_iterations[0] == 0 and drawn.frame_iterations[-1] == 100


def test_a_long_run_is_drawn_with_a_bounded_number_of_points():
    path = gradient_descent("linear", SEED.x, SEED.y, learning_rate=0.001, n_iterations=5000)
    drawn = path_on_plot(path, Window(-100, 100, -100, 100), max_points=400, max_frames=30)
    assert len(drawn.iterations) <= 400 and len(drawn.frame_ends) <= 30
    assert drawn.iterations[-1] == 5000
    np.testing.assert_array_equal(drawn.w, path.w[drawn.iterations])
    curve = loss_curve(run_descent("linear", SEED.x, SEED.y, learning_rate=0.001, n_iterations=5000))
    assert len(curve.iterations) <= descent_view.MAX_CURVE_POINTS and curve.iterations[-1] == 5000


# --- curvature and stability --------------------------------------------------------------------


def test_just_below_the_bound_converges_and_just_above_diverges():
    bound = stable_learning_rate(SEED)
    assert step_stability(SEED.x, 0.99 * bound).verdict == "converges"
    above = step_stability(SEED.x, 1.01 * bound)
    assert above.verdict == "diverges"
    assert above.factors[1] > 1 and "diverges" in above.explanation
    assert step_stability(SEED.x, bound).verdict == "oscillates"


def test_standardising_makes_the_bowl_round():
    raw = diabetes_bmi(standardize=False)
    view = linear_descent_view(raw, standardize=True, learning_rate=0.5, n_iterations=20)
    assert view.raw_condition_number > 1e4
    assert view.stability.curvature.condition_number == pytest.approx(1.0)
    assert view.run.converged_at is not None and view.run.converged_at <= 2
    assert np.mean(view.data.x) == pytest.approx(0, abs=1e-12) and np.std(view.data.x) == pytest.approx(1)
    assert "standardised" in view.data.x_name and "standard deviation" in view.data.note


def test_standardising_a_constant_x_says_why_it_cannot():
    constant = regression_data()
    constant = type(constant)(np.ones(5), np.arange(5.0), "x", "y", "")
    with pytest.raises(ValueError, match="x must vary"):
        standardized(constant)


def test_an_overflowing_run_explains_itself():
    view = linear_descent_view(SEED, learning_rate=10.0, n_iterations=500)
    assert view.run.path.diverged
    assert "overflowed at iteration" in view.warning and "2/λ_max = 0.9536" in view.warning
    assert "leaves the plot" in view.warning


# --- the landscape, the data plot and the marked points -----------------------------------------


def test_the_landscape_is_the_loss_on_the_window(seed_view):
    landscape = loss_landscape("linear", SEED.x, SEED.y, seed_view.window, points=21)
    assert landscape.w[0] == seed_view.window.w_min and landscape.b[-1] == seed_view.window.b_max
    np.testing.assert_allclose(landscape.loss, mse_landscape(SEED.x, SEED.y, landscape.w, landscape.b))
    data = classification_data()
    logistic = loss_landscape("logistic", data.x, data.y, Window(-1, 8, -2, 2), points=11)
    assert logistic.loss.shape == (11, 11) and np.isfinite(logistic.loss).all()


def test_the_fit_view_draws_residuals_of_the_readers_line():
    x, y = np.array([0.0, 1.0, 2.0]), np.array([1.0, 3.0, 2.0])
    fit = fit_view(x, y, descent=(1.0, 0.0), optimum=(0.5, 1.5), own=(2.0, 1.0))
    np.testing.assert_array_equal(fit.line_x, [0.0, 2.0])
    np.testing.assert_array_equal(fit.own_line, [1.0, 5.0])
    np.testing.assert_array_equal(fit.descent_line, [0.0, 2.0])
    expected_x = [0, 0, np.nan, 1, 1, np.nan, 2, 2, np.nan]
    expected_y = [1, 1, np.nan, 3, 3, np.nan, 2, 5, np.nan]
    np.testing.assert_array_equal(fit.residual_x, expected_x)
    np.testing.assert_array_equal(fit.residual_y, expected_y)
    assert fit.own_loss == pytest.approx(np.mean((y - (2 * x + 1)) ** 2))
    assert fit.y_range[0] < 1 and fit.y_range[1] > 3


def test_the_fit_view_shows_at_most_a_few_thousand_points():
    big = regression_data(n_samples=10_000)
    fit = fit_view(big.x, big.y, descent=(1, 0), optimum=(1, 0), own=(1, 0))
    assert len(fit.x) == descent_view.MAX_DATA_POINTS
    assert fit.own_loss == pytest.approx(np.mean((big.y - big.x - 0) ** 2))


def test_marked_points_clamp_the_iteration_and_carry_losses(seed_view):
    marked = marked_points(seed_view.run, 10_000)
    assert marked.shown_iteration == 100
    assert marked.shown.loss == seed_view.run.path.loss[-1]
    assert marked.start == (0.0, 0.0, seed_view.run.path.loss[0])
    assert marked.optimum.w == seed_view.run.optimum.w and marked.own is None


def test_the_suggested_line_sits_on_the_slider_grid_inside_the_box(seed_view):
    box = seed_view.box
    w_step, b_step = box.steps()
    w, b = seed_view.suggested_line
    assert box.contains(w, b)
    assert w == pytest.approx(44.437 / 2, abs=w_step) and b == pytest.approx(1.165, abs=b_step)
    assert (w / w_step) == pytest.approx(round(w / w_step)) and (b / b_step) == pytest.approx(
        round(b / b_step)
    )


def test_settings_are_small_and_hashable():
    assert hash(DescentSettings(0.01, 100)) == hash(DescentSettings(0.01, 100, 0.0, 0.0))
