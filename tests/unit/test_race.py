"""The race core: runs, tuning, the table, and the saddle demonstration."""

import math

import numpy as np
import pytest

from core import bivariate, functions2d, race
from core.figures import FigureStyle
from core.figures.race import contour_layer, race_contour


def rosenbrock_by_hand(x, y):
    return (1 - x) ** 2 + 100 * (y - x**2) ** 2


def rosenbrock_gradient_by_hand(x, y):
    return -2 * (1 - x) - 400 * x * (y - x**2), 200 * (y - x**2)


@pytest.fixture(scope="module")
def rosenbrock():
    return bivariate.prepare(functions2d.get("Rosenbrock").formula)


def test_a_race_runs_every_optimizer_from_the_same_start(rosenbrock):
    racers = race.race(rosenbrock, (-1.5, 2.0), 200, dict(race.DEFAULT_RATES))
    assert [r.name for r in racers] == list(race.NAMES)
    for racer in racers:
        assert racer.path.shape == (201, 2) and tuple(racer.path[0]) == (-1.5, 2.0)
        assert not racer.diverged
        x, y = racer.path[:, 0], racer.path[:, 1]
        np.testing.assert_allclose(racer.loss, rosenbrock_by_hand(x, y), rtol=1e-10, atol=1e-12)
        gradient_norm = np.hypot(*rosenbrock_gradient_by_hand(x, y))
        np.testing.assert_allclose(racer.gradient_norm, gradient_norm, rtol=1e-10, atol=1e-10)
    gd = racers[0]
    steps = -race.DEFAULT_RATES["GD"] * np.column_stack(rosenbrock_gradient_by_hand(*gd.path[:-1].T))
    np.testing.assert_allclose(gd.path[1:], gd.path[:-1] + steps, rtol=1e-12)  # x ← x − η ∇f, by hand
    newton = racers[-1]
    assert np.linalg.norm(newton.path[-1] - [1, 1]) < 1e-9


def test_default_rates_are_offered_choices():
    assert set(race.DEFAULT_RATES.values()) <= set(race.RATE_CHOICES)


def test_tune_picks_a_rate_that_beats_the_default_for_gd(rosenbrock):
    tuned = race.tune(rosenbrock, (-1.5, 2.0), 200, "GD")
    assert tuned in race.RATE_CHOICES
    default_final = race.race(rosenbrock, (-1.5, 2.0), 200, {"GD": race.DEFAULT_RATES["GD"]})[0].loss[-1]
    tuned_final = race.race(rosenbrock, (-1.5, 2.0), 200, {"GD": tuned})[0].loss[-1]
    assert tuned_final <= default_final


def _final_value(b, start, n_steps, name, rate):
    (racer,) = race.race(b, start, n_steps, {name: rate})
    return math.inf if racer.diverged else float(racer.loss[-1])


@pytest.mark.parametrize("name", race.NAMES)
def test_tune_picks_the_grid_rate_with_the_lowest_final_value_for_every_optimizer(rosenbrock, name):
    start, n_steps = (-1.5, 2.0), 60
    finals = {rate: _final_value(rosenbrock, start, n_steps, name, rate) for rate in race.TUNE_GRID}
    best = min(finals, key=lambda rate: (finals[rate], rate))  # ties: the smallest rate, as tune
    assert race.tune(rosenbrock, start, n_steps, name) == race.nearest_choice(best)


def test_tune_gives_newton_a_damped_step_where_the_full_step_diverges():
    # f = sqrt(1 + x²) + sqrt(1 + y²): the full Newton step maps x to -x³, so from (2, 2) it runs away
    # (until f'' underflows against f' and the step falls back to a gradient step far out)
    flattening = bivariate.prepare("sqrt(1 + x^2) + sqrt(1 + y^2)")
    start = (2.0, 2.0)
    assert _final_value(flattening, start, 50, "Newton", 1.0) > 1e6
    tuned = race.tune(flattening, start, 50, "Newton")
    assert tuned < 1.0
    assert _final_value(flattening, start, 50, "Newton", tuned) == pytest.approx(2.0, abs=1e-9)  # f(0, 0)


def test_a_diverging_rate_is_reported_and_the_path_stays_finite(rosenbrock):
    (gd,) = race.race(rosenbrock, (-1.5, 2.0), 100, {"GD": 0.05})
    assert gd.diverged and "diverged" in gd.message
    assert np.all(np.isfinite(gd.path))


def test_on_the_saddle_gd_stalls_while_momentum_and_adam_escape():
    saddle = bivariate.prepare("x^2 - y^2")
    racers = {r.name: r for r in race.race(saddle, (-1.5, 0.01), 100, {"GD": 0.01, "Momentum": 0.01,
                                                                        "Adam": 0.05})}  # fmt: skip
    assert abs(racers["GD"].path[-1, 1]) < 0.1  # still next to the saddle's ridge line y = 0
    assert abs(racers["Momentum"].path[-1, 1]) > 1.0
    assert abs(racers["Adam"].path[-1, 1]) > 1.0


def test_the_results_table_reports_distance_to_the_nearest_minimum(rosenbrock):
    racers = race.race(rosenbrock, (-1.5, 2.0), 50, {"Newton": 1.0, "GD": 0.001})
    table = race.results_table(racers, [(1, 1)])
    assert table["optimizer"] == ["Newton", "GD"]
    assert table["distance to nearest minimum"][0] < 1e-9
    assert table[f"steps to |∇f| < {race.GRADIENT_TOLERANCE:g}"][0] <= 10
    assert race.winner(racers) == "Newton"


def test_loss_gaps_are_floored_at_a_fraction_of_the_start_so_every_curve_reads(rosenbrock):
    racers = race.race(rosenbrock, (-1.5, 2.0), 50, {"Newton": 1.0, "GD": 0.001})
    curves = race.loss_curves(racers, [0.0])
    newton, gd = curves.values
    start = (1 - (-1.5)) ** 2 + 100 * (2.0 - (-1.5) ** 2) ** 2  # Rosenbrock at the start, f_min = 0
    floor = race.GAP_FLOOR * start
    assert curves.log_scale and "f_min = 0" in curves.label
    assert racers[0].loss.min() < floor  # Newton converges far below the floor (a positive control)
    np.testing.assert_allclose(newton, np.maximum(racers[0].loss, floor), rtol=1e-12)
    assert newton.min() == pytest.approx(floor, rel=1e-12) and np.all(gd >= floor)
    np.testing.assert_allclose(gd, racers[1].loss, rtol=1e-12)  # GD stays well above: drawn as it is


def test_without_a_known_minimum_the_loss_is_plotted_as_is_with_a_sane_range():
    saddle = bivariate.prepare("x^2 - y^2")
    racers = race.race(saddle, (-1.5, 0.01), 100, {"GD": 0.01, "Adam": 0.05})
    curves = race.loss_curves(racers, [])
    assert not curves.log_scale and curves.label == "f(x_k)"
    low, high = curves.y_range
    assert low < 0 < high


def test_frames_keep_the_first_and_last_step_and_paths_are_thinned():
    steps = race.frame_indices(1001)
    assert steps[0] == 0 and steps[-1] == 1000 and len(steps) <= 60
    assert len(race.thinned(np.zeros((1001, 2)))) <= 300


def test_the_race_figure_has_a_marker_per_optimizer_and_the_browser_its_position_at_every_frame(rosenbrock):
    racers = race.race(rosenbrock, (-1.5, 2.0), 100, dict(race.DEFAULT_RATES))
    steps = race.frame_indices(101)
    window = (-2, 2, -1, 3)
    contour = contour_layer(*bivariate.evaluate_on_grid(rosenbrock.f, window, 41), None)
    tracks = race.tracks(racers, steps, window)
    fig = race_contour(contour, window, tracks, (-1.5, 2.0), [(1, 1)], FigureStyle())
    assert fig.layout.yaxis.scaleanchor == "x" and fig.layout.dragmode is False  # a press starts the race
    names = {trace.name for trace in fig.data}
    assert set(race.NAMES) <= names and {"known minimum", "start"} <= names
    markers = race.live_markers(tracks, steps)
    assert markers["steps"] == [int(s) for s in steps]
    for (
        racer
    ) in racers:  # each frame's position: the racer's iterate at that step, or its last inside the map
        x, y = racer.path[:, 0], racer.path[:, 1]
        outside = np.flatnonzero((x < -2) | (x > 2) | (y < -1) | (y > 3))
        last_inside = (outside[0] if outside.size else len(racer.path)) - 1
        positions = np.array(markers["positions"][racer.name])
        assert positions.shape == (len(steps), 2)
        np.testing.assert_array_equal(positions, racer.path[np.minimum(steps, max(last_inside, 0))])


def test_a_racer_that_leaves_the_window_is_drawn_until_it_leaves_and_its_marker_stays_inside(rosenbrock):
    rates = dict(race.DEFAULT_RATES) | {"GD": 1.0}  # overflows within a few steps on Rosenbrock
    racers = race.race(rosenbrock, (-1.5, 2.0), 100, rates)
    window = (-2.0, 2.0, -1.0, 3.0)
    steps = race.frame_indices(101)
    gd = next(track for track in race.tracks(racers, steps, window) if track.name == "GD")
    x_min, x_max, y_min, y_max = window
    inside = (
        (x_min <= gd.line[:, 0])
        & (gd.line[:, 0] <= x_max)
        & (y_min <= gd.line[:, 1])
        & (gd.line[:, 1] <= y_max)
    )
    assert inside[:-1].all() and not inside[-1]  # the line runs to its first point outside, no further
    assert len(gd.line) < 10
    for x, y in gd.positions:
        assert x_min <= x <= x_max and y_min <= y <= y_max


def test_bad_race_arguments_are_value_errors(rosenbrock):
    with pytest.raises(ValueError, match="optimizer must be one of"):
        race.race(rosenbrock, (0, 0), 10, {"SGD": 0.1})
    with pytest.raises(ValueError, match="n_steps"):
        race.race(rosenbrock, (0, 0), 10**6, {"GD": 0.1})
    with pytest.raises(ValueError, match="learning_rate"):
        race.race(rosenbrock, (0, 0), 10, {"GD": -1.0})


def test_the_paths_table_has_a_row_per_step_and_columns_per_optimizer(rosenbrock):
    racers = race.race(rosenbrock, (-1.5, 2.0), 20, {"GD": 0.001, "Newton": 1.0})
    table = race.paths_table(racers)
    assert table["step"] == list(range(21))
    assert table["Newton x"][0] == -1.5 and len(table["GD f"]) == 21


def test_a_racer_that_leaves_the_map_is_marked_where_its_step_crosses_the_edge():
    window = (-2.0, 2.0, -2.0, 2.0)
    inside, outside = np.array([1.0, 0.5]), np.array([5.0, 1.5])
    ex, ey = race.edge_crossing(inside, outside, window)
    # on the right edge, on the segment: x = 2 at t = 1/4 of the step
    assert (ex, ey) == (2.0, pytest.approx(0.5 + 0.25 * 1.0))
    assert race.edge_crossing(np.array([0.0, 0.0]), np.array([0.0, -np.inf]), window) == (0.0, -2.0)

    bowl = bivariate.prepare("x^2 + y^2")
    racers = race.race(bowl, (1.0, 0.5), 20, {"GD": 1.5, "Adam": 0.05})  # GD: x -> -2x each step, out
    steps = race.frame_indices(21)
    gd, adam = race.tracks(racers, steps, window)
    first_out = next(k for k, (x, y) in enumerate(racers[0].path) if max(abs(x), abs(y)) > 2)
    assert gd.left_at == first_out and adam.exit is None and adam.left_at is None
    a, b = racers[0].path[first_out - 1], racers[0].path[first_out]
    t = (np.sign(b[0]) * 2 - a[0]) / (b[0] - a[0])
    assert gd.exit == (pytest.approx(a[0] + t * (b[0] - a[0])), pytest.approx(a[1] + t * (b[1] - a[1])))
