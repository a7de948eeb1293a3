"""Optimizers against hand-written references of their update rules, and a convergence table."""

import math

import numpy as np
import pytest

from core import optimizers


def rosenbrock_gradient(v):
    x, y = v
    return np.array([-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)])


def rosenbrock_hessian(v):
    x, y = v
    return np.array([[2 - 400 * (y - x * x) + 800 * x * x, -400 * x], [-400 * x, 200]])


START = np.array([-1.5, 2.0])


# --- references: the rules written out longhand, one loop each ---------------------------------------


def reference_gd(eta, steps):
    x, path = START.copy(), [START.copy()]
    for _ in range(steps):
        x = x - eta * rosenbrock_gradient(x)
        path.append(x)
    return np.array(path)


def reference_momentum(eta, beta, steps, nesterov=False):
    x, v, path = START.copy(), np.zeros(2), [START.copy()]
    for _ in range(steps):
        g = rosenbrock_gradient(x)
        v = beta * v + g
        x = x - eta * (g + beta * v) if nesterov else x - eta * v
        path.append(x)
    return np.array(path)


def reference_rmsprop(eta, rho, eps, steps):
    x, s, path = START.copy(), np.zeros(2), [START.copy()]
    for _ in range(steps):
        g = rosenbrock_gradient(x)
        s = rho * s + (1 - rho) * g * g
        x = x - eta * g / (np.sqrt(s) + eps)
        path.append(x)
    return np.array(path)


def reference_adam(eta, b1, b2, eps, steps):
    x, m, v, path = START.copy(), np.zeros(2), np.zeros(2), [START.copy()]
    for t in range(1, steps + 1):
        g = rosenbrock_gradient(x)
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        m_hat, v_hat = m / (1 - b1**t), v / (1 - b2**t)
        x = x - eta * m_hat / (np.sqrt(v_hat) + eps)
        path.append(x)
    return np.array(path)


@pytest.mark.parametrize(
    ("optimizer", "reference"),
    [
        (optimizers.gd(1e-3), lambda: reference_gd(1e-3, 200)),
        (optimizers.momentum(2e-4, beta=0.8), lambda: reference_momentum(2e-4, 0.8, 200)),
        (optimizers.nesterov(2e-4, beta=0.85), lambda: reference_momentum(2e-4, 0.85, 200, nesterov=True)),
        (optimizers.rmsprop(3e-3, decay=0.95, eps=1e-6), lambda: reference_rmsprop(3e-3, 0.95, 1e-6, 200)),
        (
            optimizers.adam(0.03, b1=0.8, b2=0.99, eps=1e-7),
            lambda: reference_adam(0.03, 0.8, 0.99, 1e-7, 200),
        ),
    ],
    ids=["gd", "momentum", "nesterov", "rmsprop", "adam"],
)
def test_every_optimizer_follows_its_rule_for_200_rosenbrock_steps(optimizer, reference):
    path = optimizers.run(optimizer, rosenbrock_gradient, START, 200)
    assert path.shape == (201, 2)
    np.testing.assert_allclose(path, reference(), rtol=1e-9, atol=1e-9)


# --- convergence: optimizers x targets ----------------------------------------------------------------

QUADRATIC_A = np.array([[3.0, 1.0], [1.0, 2.0]])
QUADRATIC_B = np.array([1.0, -1.0])
QUADRATIC_MIN = np.linalg.solve(QUADRATIC_A, QUADRATIC_B)


def quadratic_gradient(v):
    return QUADRATIC_A @ v - QUADRATIC_B


TARGETS = {
    # name: (gradient, Hessian, minimum, steps, {optimizer: learning rate})
    "convex quadratic": (quadratic_gradient, lambda v: QUADRATIC_A, QUADRATIC_MIN, 500,
                         {"GD": 0.2, "Momentum": 0.05, "Nesterov": 0.05, "RMSProp": 0.01, "Adam": 0.05,
                          "Newton": 1.0}),
    "Rosenbrock": (rosenbrock_gradient, rosenbrock_hessian, np.array([1.0, 1.0]), 5000,
                   {"GD": 2e-3, "Momentum": 5e-4, "Nesterov": 5e-4, "RMSProp": 3e-3, "Adam": 0.01,
                    "Newton": 1.0}),
}  # fmt: skip


@pytest.mark.parametrize("target", list(TARGETS))
@pytest.mark.parametrize("name", list(optimizers.FACTORIES))
def test_each_optimizer_converges_with_a_suitable_rate(name, target):
    gradient, hessian, minimum, steps, rates = TARGETS[target]
    run = optimizers.trajectory(
        optimizers.FACTORIES[name](rates[name]), gradient, START, steps, hessian_fn=hessian
    )
    assert not run.diverged
    assert np.linalg.norm(run.path[-1] - minimum) < 1.1e-2


def test_newton_reaches_a_quadratics_minimum_in_one_step():
    path = optimizers.run(optimizers.newton(), quadratic_gradient, START, 1, hessian_fn=lambda v: QUADRATIC_A)
    np.testing.assert_allclose(path[1], QUADRATIC_MIN, atol=1e-12)


def test_newton_takes_a_gradient_step_where_the_hessian_is_not_positive_definite_and_counts_it():
    saddle_hessian = np.diag([2.0, -2.0])
    run = optimizers.trajectory(optimizers.newton(fallback_rate=0.1), lambda v: saddle_hessian @ v,
                                np.array([1.0, 0.5]), 3, hessian_fn=lambda v: saddle_hessian)  # fmt: skip
    assert run.final_state.gradient_steps == 3
    np.testing.assert_allclose(run.path[1], [1.0 - 0.1 * 2.0, 0.5 + 0.1 * 1.0])


def test_a_diverging_run_stops_and_says_so_instead_of_returning_inf():
    run = optimizers.trajectory(optimizers.gd(1.0), rosenbrock_gradient, START, 100)
    assert run.diverged and "diverged" in run.message
    assert np.all(np.isfinite(run.path)) and len(run.path) < 101


@pytest.mark.parametrize(
    ("factory", "kwargs", "message"),
    [
        (optimizers.gd, {"learning_rate": -0.1}, "learning_rate must be > 0. Got -0.1 instead."),
        (optimizers.gd, {"learning_rate": 0}, "learning_rate must be > 0"),
        (optimizers.gd, {"learning_rate": math.nan}, "learning_rate must be a finite number"),
        (
            optimizers.momentum,
            {"learning_rate": 0.1, "beta": 1.0},
            "beta must be in [0, 1). Got 1.0 instead.",
        ),
        (optimizers.nesterov, {"learning_rate": 0.1, "beta": -0.5}, "beta must be in"),
        (optimizers.rmsprop, {"learning_rate": 0.1, "eps": 0}, "eps must be > 0"),
        (optimizers.rmsprop, {"learning_rate": 0.1, "decay": 2}, "decay must be in"),
        (optimizers.adam, {"learning_rate": 0.1, "b2": 1.0}, "b2 must be in"),
        (optimizers.newton, {"damping": -1}, "damping must be >= 0"),
        (optimizers.newton, {"fallback_rate": 0}, "fallback_rate must be > 0"),
    ],
)
def test_invalid_hyper_parameters_raise_value_errors(factory, kwargs, message):
    with pytest.raises(ValueError) as info:
        factory(**kwargs)
    assert message in str(info.value)


def test_run_validates_its_arguments():
    with pytest.raises(ValueError, match="n_steps"):
        optimizers.run(optimizers.gd(0.1), quadratic_gradient, START, 0)
    with pytest.raises(ValueError, match="needs hessian_fn"):
        optimizers.run(optimizers.newton(), quadratic_gradient, START, 5)
    with pytest.raises(ValueError, match="x0 must be finite"):
        optimizers.run(optimizers.gd(0.1), quadratic_gradient, [np.nan, 0], 5)


def test_states_are_namedtuples_and_adam_counts_its_steps():
    run = optimizers.trajectory(optimizers.adam(0.01), quadratic_gradient, START, 7)
    assert run.final_state.count == 7
    assert run.final_state._fields == ("count", "mean", "second_moment")
