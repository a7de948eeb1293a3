"""core.momentum against independent references: heavy-ball and Adam loops written out here on the data's
own MSE gradient, NumPy's eigenvalues of the iteration matrix, SciPy's minimiser of the convergence factor,
and the closed forms of Goh's "Why Momentum Really Works"."""

import math

import numpy as np
import pytest
from scipy.optimize import minimize

from core import momentum
from core.datasets import diabetes_bmi, regression_data
from core.figures import FigureStyle
from core.figures.momentum import CURRENT_NAME, OPTIMUM_NAME, eigen_error_chart, rate_map_chart
from core.regression import mse_curvature
from core.training import descend


@pytest.fixture(scope="module")
def raw_bmi():
    data = diabetes_bmi(standardize=False)  # κ ≈ 2.6e4: a long, narrow valley
    return data.x, data.y


def mse_gradient(params, x, y):
    w, b = params
    residuals = y - (w * x + b)
    return np.array([-2 * np.mean(residuals * x), -2 * np.mean(residuals)])


def reference_frame(x, y):
    """Eigenvectors of the Hessian and the least-squares optimum, worked out here."""
    hessian = np.array([[2 * np.mean(x * x), 2 * np.mean(x)], [2 * np.mean(x), 2.0]])
    values, vectors = np.linalg.eigh(hessian)
    optimum = np.polyfit(x, y, 1)
    return values, vectors, optimum


def test_the_bowl_is_the_mse_s_hessian_and_least_squares_line(raw_bmi):
    x, y = raw_bmi
    bowl = momentum.mse_bowl(x, y)
    values, _, optimum = reference_frame(x, y)
    assert bowl.eigenvalues == pytest.approx(tuple(values), rel=1e-9)
    assert bowl.eigenvalues == pytest.approx(mse_curvature(x).eigenvalues, rel=1e-9)
    assert bowl.optimum == pytest.approx(tuple(optimum), rel=1e-9)
    with pytest.raises(ValueError, match="x must vary"):
        momentum.mse_bowl(np.ones(10), np.arange(10.0))


def test_the_optimal_eta_and_beta_are_goh_s_closed_forms_and_the_best_on_the_map(raw_bmi):
    bowl = momentum.mse_bowl(*raw_bmi)
    low, high = bowl.eigenvalues
    eta, beta = momentum.optimal_momentum(bowl.eigenvalues)
    assert eta == pytest.approx((2 / (math.sqrt(high) + math.sqrt(low))) ** 2, rel=1e-12)
    assert beta == pytest.approx(
        ((math.sqrt(high) - math.sqrt(low)) / (math.sqrt(high) + math.sqrt(low))) ** 2
    )
    kappa = high / low
    theory = (math.sqrt(kappa) - 1) / (math.sqrt(kappa) + 1)
    # at (η*, β*) the slow and fast roots are double, where the square root costs ~√ε of precision
    assert momentum.convergence_factor(eta, beta, bowl.eigenvalues) == pytest.approx(theory, rel=1e-7)
    # SciPy, searching (log η, β) from elsewhere, finds nothing better
    found = minimize(
        lambda v: momentum.convergence_factor(math.exp(v[0]), min(max(v[1], 0.0), 0.999), bowl.eigenvalues),
        x0=[math.log(eta / 3), 0.5],
        method="Nelder-Mead",
        options={"xatol": 1e-10, "fatol": 1e-12, "maxiter": 4000},
    )
    assert found.fun >= theory - 1e-9
    rates = momentum.rate_map(bowl.eigenvalues)
    assert np.nanmin(rates.factors) >= theory - 1e-9


@pytest.mark.parametrize(
    ("eta", "beta", "lam"), [(0.1, 0.5, 3.0), (0.5, 0.9, 1.0), (0.02, 0.0, 40.0), (1.9, 0.3, 1.5)]
)
def test_the_factor_is_the_spectral_radius_of_the_iteration_and_the_error_s_rate(eta, beta, lam):
    matrix = np.array([[beta, lam], [-eta * beta, 1 - eta * lam]])
    radius = max(abs(np.linalg.eigvals(matrix)))
    assert momentum.convergence_factor(eta, beta, (lam, lam)) == pytest.approx(radius, rel=1e-12)
    # a one-dimensional heavy ball: its error falls (or grows) by that factor per step in the long run
    v, e, errors = 0.0, 1.0, []
    for _ in range(400):
        v = beta * v + lam * e
        e = e - eta * v
        errors.append(abs(e))
    tail = [value for value in errors[200:] if value > 0]
    assert (max(tail[-20:]) / max(tail[:20])) ** (1 / (len(tail) - 20)) == pytest.approx(radius, rel=0.02)


def test_momentum_errors_follow_a_heavy_ball_loop_on_the_data(raw_bmi):
    x, y = raw_bmi
    bowl = momentum.mse_bowl(x, y)
    eta, beta = momentum.optimal_momentum(bowl.eigenvalues)
    errors = momentum.momentum_errors(bowl, (1.0, -2.0), learning_rate=eta, beta=beta, n_iterations=300)
    _, vectors, optimum = reference_frame(x, y)
    params, velocity, expected = np.array([1.0, -2.0]), np.zeros(2), []
    for _ in range(301):
        expected.append(np.abs((params - optimum) @ vectors))
        velocity = beta * velocity + mse_gradient(params, x, y)
        params = params - eta * velocity
    assert errors == pytest.approx(np.array(expected), rel=1e-6, abs=1e-9)
    assert errors[-1, 0] < errors[0, 0] * 0.2  # the slow direction really moved: a live comparison


def test_at_beta_0_9_the_errors_are_those_of_the_page_s_momentum_run():
    data = regression_data()
    bowl = momentum.mse_bowl(data.x, data.y)
    path = descend("linear", data.x, data.y, optimizer="Momentum", learning_rate=0.05, n_iterations=80)
    _, vectors, optimum = reference_frame(data.x, data.y)
    expected = np.abs((np.column_stack([path.w, path.b]) - optimum) @ vectors)
    errors = momentum.momentum_errors(bowl, (0.0, 0.0), learning_rate=0.05, beta=0.9, n_iterations=80)
    assert errors == pytest.approx(expected, rel=1e-7, abs=1e-9)


def test_adam_errors_follow_an_adam_loop_on_the_data():
    data = regression_data(n_samples=50, noise=3.0, seed=1)
    bowl = momentum.mse_bowl(data.x, data.y)
    errors = momentum.adam_errors(bowl, (2.0, 1.0), learning_rate=0.3, b1=0.8, b2=0.99, n_iterations=120)
    _, vectors, optimum = reference_frame(data.x, data.y)
    params, m, v, expected = np.array([2.0, 1.0]), np.zeros(2), np.zeros(2), []
    for t in range(1, 122):
        expected.append(np.abs((params - optimum) @ vectors))
        g = mse_gradient(params, data.x, data.y)
        m, v = 0.8 * m + 0.2 * g, 0.99 * v + 0.01 * g**2
        params = params - 0.3 * (m / (1 - 0.8**t)) / (np.sqrt(v / (1 - 0.99**t)) + 1e-8)
    assert errors == pytest.approx(np.array(expected), rel=1e-6, abs=1e-9)


def test_the_map_holds_the_factor_at_each_grid_point_and_blanks_nothing(raw_bmi):
    bowl = momentum.mse_bowl(*raw_bmi)
    rates = momentum.rate_map(bowl.eigenvalues, points=11)
    assert rates.factors.shape == (11, 11)
    for i, j in ((0, 0), (5, 7), (10, 10), (3, 1)):
        factor = momentum.convergence_factor(rates.learning_rates[j], rates.betas[i], bowl.eigenvalues)
        assert rates.factors[i, j] == pytest.approx(factor)
    assert (rates.factors >= 1).any() and (rates.factors < 1).any()  # both regions are on the map


def test_bad_steps_are_refused_in_words():
    with pytest.raises(ValueError, match="beta"):
        momentum.convergence_factor(0.1, 1.0, (1.0, 2.0))
    with pytest.raises(ValueError, match="learning_rate"):
        momentum.convergence_factor(0.0, 0.5, (1.0, 2.0))


def test_the_charts_show_each_direction_per_run_and_mark_the_optimum(raw_bmi):
    bowl = momentum.mse_bowl(*raw_bmi)
    errors = momentum.momentum_errors(bowl, (0.0, 0.0), learning_rate=1e-3, beta=0.5, n_iterations=20)
    steps, shown = momentum.thinned(errors, limit=8)
    assert steps[0] == 0 and steps[-1] == 20 and len(steps) == 8 and shown == pytest.approx(errors[steps])
    chart = eigen_error_chart([("a", steps, shown), ("b", steps, shown)], bowl.eigenvalues, FigureStyle())
    assert len(chart.data) == 4 and chart.layout.yaxis.type == "log"
    assert [t.line.dash for t in chart.data] == ["solid", "solid", "dash", "dash"]
    optimum = momentum.optimal_momentum(bowl.eigenvalues)
    rate_chart = rate_map_chart(momentum.rate_map(bowl.eigenvalues), optimum, (1e-3, 0.5), FigureStyle())
    star = next(t for t in rate_chart.data if t.name == OPTIMUM_NAME)
    assert (star.x[0], star.y[0]) == optimum
    assert next(t for t in rate_chart.data if t.name == CURRENT_NAME).x[0] == 1e-3
    assert rate_chart.layout.xaxis.type == "log"


def test_steps_per_tenfold_count_the_steps_a_factor_needs():
    steps = momentum.steps_per_tenfold(np.array([0.1, 0.5, 0.99, 1.0, 1.5]))
    assert steps[:3] == pytest.approx([1.0, math.log(0.1) / math.log(0.5), 229.1052], rel=1e-6)
    assert 0.5 ** steps[1] == pytest.approx(0.1)
    assert np.isnan(steps[3:]).all()
