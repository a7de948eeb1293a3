"""core.descent against references: the seed's own descent loop, closed forms, brute force."""

import math

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from core.datasets import breast_cancer_radius, classification_data, diabetes_bmi, regression_data
from core.descent.linear import fit_view, linear_descent_view, stable_learning_rate, step_stability
from core.descent.logistic import boundary_segment, logistic_descent_view, weight_norm_curve
from core.descent.notes import method_note
from core.descent.plot_data import (
    MAX_CURVE_POINTS,
    MAX_DATA_POINTS,
    PLANE_WORK,
    bce_weight_plane,
    evenly_spaced,
    gradient_cloud_view,
    head_then_spaced,
    iterates_table,
    loss_curve,
    loss_landscape,
    marked_points,
    path_on_plot,
)
from core.descent.run import DescentSettings, convergence_iteration, run_descent, standardized
from core.descent.window import ParameterWindow, explore_box, nice_window, plot_window
from core.regression import gradient_descent, mse_landscape
from tests.unit.test_regression import exact_cross_entropy_minimum, seed_linear_descent

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


def test_the_default_view_knows_the_optimum_and_how_far_descent_is_from_it(seed_view):
    run = seed_view.run
    (w, b), residual, *_ = np.linalg.lstsq(np.column_stack((SEED.x, np.ones_like(SEED.x))), SEED.y)
    assert (run.optimum.w, run.optimum.b) == pytest.approx((w, b), rel=1e-10)
    assert run.optimum.loss == pytest.approx(residual[0] / len(SEED.y), rel=1e-10)
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
    assert window == ParameterWindow(0.0, 45.0, -0.6, 1.2)


@given(
    low=st.floats(-1e4, 1e4),
    span=st.floats(1e-3, 1e4),
    wiggle=st.floats(0, 1e-3),
)
@example(low=-5e-324, span=21.0, wiggle=0.0)  # rounds to -0.0, tidied to 0.0: inside the input once
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
    box = ParameterWindow(-1.0, 1.0, -1.0, 1.0)
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


def test_a_long_run_is_drawn_with_a_bounded_number_of_points():
    path = gradient_descent("linear", SEED.x, SEED.y, learning_rate=0.001, n_iterations=5000)
    drawn = path_on_plot(path, ParameterWindow(-100, 100, -100, 100), max_points=400)
    assert len(drawn.iterations) <= 400
    assert drawn.iterations[-1] == 5000
    np.testing.assert_array_equal(drawn.w, path.w[drawn.iterations])
    curve = loss_curve(run_descent("linear", SEED.x, SEED.y, learning_rate=0.001, n_iterations=5000))
    assert len(curve.iterations) <= MAX_CURVE_POINTS and curve.iterations[-1] == 5000


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
    logistic = loss_landscape("logistic", data.x, data.y, ParameterWindow(-1, 8, -2, 2), points=11)
    assert logistic.loss.shape == (11, 11) and np.isfinite(logistic.loss).all()


def test_the_fit_view_draws_residuals_of_the_descents_line():
    x, y = np.array([0.0, 1.0, 2.0]), np.array([1.0, 3.0, 2.0])
    fit = fit_view(x, y, descent=(1.0, 0.5), optimum=(0.5, 1.5), own=(2.0, 1.0))
    np.testing.assert_array_equal(fit.line_x, [0.0, 2.0])
    np.testing.assert_array_equal(fit.own_line, [1.0, 5.0])
    np.testing.assert_array_equal(fit.descent_line, [0.5, 2.5])
    expected_x = [0, 0, np.nan, 1, 1, np.nan, 2, 2, np.nan]
    expected_y = [1, 0.5, np.nan, 3, 1.5, np.nan, 2, 2.5, np.nan]
    np.testing.assert_array_equal(fit.residual_x, expected_x)
    np.testing.assert_array_equal(fit.residual_y, expected_y)
    assert fit.own_loss == pytest.approx(np.mean((y - (2 * x + 1)) ** 2))
    assert fit.y_range[0] < 1 and fit.y_range[1] > 3


def test_the_fit_view_shows_at_most_a_few_thousand_points():
    big = regression_data(n_samples=10_000)
    fit = fit_view(big.x, big.y, descent=(1, 0), optimum=(1, 0), own=(1, 0))
    assert len(fit.x) == MAX_DATA_POINTS
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


# --- optimizers and mini-batches -------------------------------------------------------------------


def test_plain_gd_through_run_descent_is_the_seed_and_a_whole_batch_is_no_batch():
    seed_run = run_descent("linear", SEED.x, SEED.y, learning_rate=0.01, n_iterations=100)
    whole = run_descent("linear", SEED.x, SEED.y, learning_rate=0.01, n_iterations=100, batch_size=500)
    assert whole.settings.batch_size is None and whole.settings.plain_gd
    np.testing.assert_array_equal(whole.path.w, seed_run.path.w)
    with pytest.raises(ValueError, match="batch_size must be an integer"):
        run_descent("linear", SEED.x, SEED.y, learning_rate=0.01, n_iterations=10, batch_size=0)


def test_each_mini_batch_step_follows_the_gradient_of_the_batch_the_cloud_marks_as_used():
    data = classification_data()
    run = run_descent("logistic", data.x, data.y, learning_rate=0.5, n_iterations=40, batch_size=30, seed=5)
    for iteration in (0, 3, 4, 17):
        cloud = gradient_cloud_view("logistic", data.x, data.y, run, iteration)
        step = np.array(
            [
                run.path.w[iteration + 1] - run.path.w[iteration],
                run.path.b[iteration + 1] - run.path.b[iteration],
            ]
        )
        np.testing.assert_allclose(step, -0.5 * cloud.batches[cloud.used], rtol=1e-12)
    assert len(cloud.batches) == 4 and cloud.spread > 0 and "4 mini-batches of 30" in cloud.summary


def test_the_gradient_cloud_says_why_it_is_missing():
    data = classification_data()
    full = run_descent("logistic", data.x, data.y, learning_rate=0.5, n_iterations=5)
    assert "full batch" in gradient_cloud_view("logistic", data.x, data.y, full, 2)
    two = classification_data(n_features=2)
    batched = run_descent("logistic", two.x, two.y, learning_rate=0.5, n_iterations=5, batch_size=10)
    assert "one feature" in gradient_cloud_view("logistic", two.x, two.y, batched, 2)
    big = regression_data(n_samples=5000)
    single = run_descent("linear", big.x, big.y, learning_rate=0.01, n_iterations=5, batch_size=1)
    assert "too many arrows" in gradient_cloud_view("linear", big.x, big.y, single, 2)


@pytest.mark.parametrize(
    ("optimizer", "batch_size", "expected"),
    [
        ("GD", None, ""),
        ("Momentum", None, "here η < 1.812"),
        ("Nesterov", None, "here η < 0.6472"),
        ("Adam", None, "whatever the curvature"),
        ("GD", 10, "Mini-batches of 10"),
    ],
)
def test_the_method_note_says_what_the_optimizer_and_batches_change(optimizer, batch_size, expected):
    settings = DescentSettings(0.01, 100, optimizer=optimizer, batch_size=batch_size)
    note = method_note(settings, lambda_max=2.097)
    assert expected in note if expected else note == ""


def test_the_iterates_table_has_a_column_per_parameter():
    data = classification_data(n_features=2, label_noise=0.2)
    path = run_descent("logistic", data.x, data.y, learning_rate=0.5, n_iterations=7).path
    table = iterates_table(path)
    assert list(table) == ["iteration", "w1", "w2", "b", "loss"]
    np.testing.assert_array_equal(table["iteration"], np.arange(8))
    np.testing.assert_array_equal(table["w2"], path.w[:, 1])
    assert list(
        iterates_table(gradient_descent("linear", SEED.x, SEED.y, learning_rate=0.01, n_iterations=3))
    ) == ["iteration", "w", "b", "loss"]


# --- logistic regression ---------------------------------------------------------------------------

LOGISTIC_SEED = classification_data()


@pytest.fixture(scope="module")
def logistic_view():
    return logistic_descent_view(LOGISTIC_SEED, learning_rate=0.5, n_iterations=100)


def test_the_logistic_view_reproduces_the_seed_and_frames_start_path_and_optimum(logistic_view):
    reference = gradient_descent(
        "logistic", LOGISTIC_SEED.x, LOGISTIC_SEED.y, learning_rate=0.5, n_iterations=100
    )
    np.testing.assert_allclose(logistic_view.run.path.w, reference.w, rtol=1e-12)
    window = logistic_view.window
    (w,), b, _ = exact_cross_entropy_minimum(LOGISTIC_SEED.x, LOGISTIC_SEED.y)
    assert window.contains(reference.w, reference.b).all() and window.contains(w, b)
    assert not logistic_view.path.left_window and logistic_view.warning is None
    labels = [metric.label for metric in logistic_view.metrics]
    assert labels == ["Final w", "Final b", "Final cross-entropy", "Accuracy", "Within 1% at"]
    assert all(metric.answer for metric in logistic_view.metrics)  # quiz mode: all the run reached
    assert f"w\\* = {w:.6g}" in logistic_view.optimum_summary and logistic_view.separable_note is None


def test_separable_classes_have_no_optimum_and_the_view_says_why():
    separable = classification_data(label_noise=0.0)
    view = logistic_descent_view(separable, learning_rate=0.5, n_iterations=500)
    assert view.optimum_summary is None and view.run.converged_at is None
    assert "no finite optimum" in view.separable_note and "‖w‖ keeps growing" in view.separable_note
    assert view.window.contains(view.run.path.w, view.run.path.b).all()
    norms = weight_norm_curve(view.run).norm
    assert np.all(np.diff(norms[10:]) > 0)
    assert view.metrics[-1].label == "Final boundary x" and view.marked(500).optimum is None


def test_two_features_draw_the_weight_plane_at_the_shown_bias():
    data = classification_data(n_features=2, label_noise=0.2)
    view = logistic_descent_view(data, learning_rate=0.5, n_iterations=100)
    assert view.two_features and view.slice_bias(40) == view.run.path.b[40]
    np.testing.assert_array_equal(view.plane.path.w, view.run.path.w[:, 0])
    np.testing.assert_array_equal(view.plane.path.b, view.run.path.w[:, 1])
    marked = view.marked(40)
    assert (marked.shown.w, marked.shown.b) == tuple(view.run.path.w[40])
    assert (marked.optimum.w, marked.optimum.b) == view.run.optimum.w
    landscape = loss_landscape("logistic", data.x, data.y, view.window, bias=view.slice_bias(40), points=21)
    i, j = 7, 13
    z = landscape.w[i] * data.x[:, 0] + landscape.b[j] * data.x[:, 1] + view.slice_bias(40)
    assert landscape.loss[j, i] == pytest.approx(np.mean(np.logaddexp(0, z) - data.y * z), rel=1e-12)
    assert view.metrics[0].label == "Final w₁" and view.metrics[1].label == "Final w₂"


def test_the_weight_plane_is_exact_at_huge_margins_and_coarser_for_many_samples():
    data = classification_data(n_features=2, label_noise=0.2)
    far = bce_weight_plane(data.x, data.y, [1e6], [-1e6], bias=0.0)
    z = 1e6 * data.x[:, 0] - 1e6 * data.x[:, 1]
    assert far[0, 0] == pytest.approx(np.mean(np.logaddexp(0, z) - data.y * z), rel=1e-12)
    assert np.isfinite(far).all() and far[0, 0] > 1e4  # no clipping plateau
    many = classification_data(n_samples=1000, n_features=2)  # the sidebar's largest
    landscape = loss_landscape("logistic", many.x, many.y, ParameterWindow(-1, 1, -1, 1), bias=0.0)
    assert len(landscape.w) ** 2 * 1000 <= PLANE_WORK and len(landscape.w) % 2 == 1
    with pytest.raises(ValueError, match="bias must be a finite number"):
        loss_landscape("logistic", many.x, many.y, ParameterWindow(-1, 1, -1, 1))


def test_the_probability_view_puts_the_boundary_where_sigma_is_one_half(logistic_view):
    view = logistic_view.class_view(100)
    w, b = logistic_view.run.path.w[-1], logistic_view.run.path.b[-1]
    assert view.boundary == pytest.approx(-b / w)
    np.testing.assert_allclose(view.descent_curve, 1 / (1 + np.exp(-(w * view.curve_x + b))))
    assert view.accuracy == 0.99 and view.loss == logistic_view.run.path.loss[-1]
    assert np.all(np.abs(view.y_drawn - view.y) <= 0.03)
    assert logistic_view.class_view(0).boundary is None  # w = 0 at the start


@pytest.mark.parametrize(
    ("w", "b", "expected"),
    [
        ((0.0, 1.0), -0.5, [(-1, 0.5), (1, 0.5)]),  # horizontal
        ((1.0, 0.0), 0.25, [(-0.25, -1), (-0.25, 1)]),  # vertical
        ((1.0, 1.0), 0.0, [(1, -1), (-1, 1)]),  # through two corners
    ],
)
def test_the_boundary_segment_is_the_line_clipped_to_the_box(w, b, expected):
    ends = boundary_segment(w, b, (-1, 1, -1, 1))
    np.testing.assert_allclose(sorted(map(tuple, ends)), sorted(expected), atol=1e-12)


def test_a_boundary_outside_the_box_or_without_weights_is_none():
    assert boundary_segment((1.0, 1.0), 5.0, (-1, 1, -1, 1)) is None
    assert boundary_segment((0.0, 0.0), 0.0, (-1, 1, -1, 1)) is None


def test_a_too_large_rate_on_raw_breast_cancer_data_warns_that_the_loss_grew():
    raw = breast_cancer_radius(standardize=False)
    view = logistic_descent_view(raw, learning_rate=0.5, n_iterations=100)
    assert "learning rate is too large" in view.warning
    calm = logistic_descent_view(raw, standardize=True, learning_rate=0.5, n_iterations=100)
    assert calm.warning is None


def test_every_rate_and_iteration_count_on_the_seed_data_shares_one_window():
    # one window means one cached landscape: moving these sliders never recomputes it
    windows = {
        logistic_descent_view(LOGISTIC_SEED, learning_rate=rate, n_iterations=steps).window
        for rate in (0.001, 0.1, 0.5, 2.0, 10.0)
        for steps in (10, 100, 1000)
    }
    assert len(windows) == 1


@pytest.mark.parametrize(
    ("window", "to_scale"),
    [((-20, 60, -5, 6), False), ((-1, 2, -1, 1), True), ((0, 3, 0, 1), True), ((0, 1, 0, 3.01), False)],
)
def test_a_window_can_be_drawn_to_scale_when_at_most_three_times_wider_than_tall(window, to_scale):
    w_min, w_max, b_min, b_max = window
    assert ParameterWindow(*window).aspect() == pytest.approx((w_max - w_min) / (b_max - b_min))
    assert ParameterWindow(*window).can_be_drawn_to_scale() is to_scale
