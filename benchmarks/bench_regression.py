"""Time core.regression against the seed's loops and plain numpy broadcasting.

Run from the repository root: python -m benchmarks.bench_regression
Prints a markdown table; times are the best of several repeats.
"""

import timeit
from functools import partial

import numpy as np
from sklearn.datasets import make_classification, make_regression

from core import regression

# The seed's code, verbatim, is kept once: in the tests that hold core.regression to it.
from tests.unit.test_regression import (
    seed_bce_grid,
    seed_linear_descent,
    seed_logistic_descent,
    seed_mse_grid,
)


def best_time(function, *, repeat=5):
    """Best wall time of one call, over `repeat` rounds of enough calls to last about 0.2 s."""
    timer = timeit.Timer(function)
    calls, _ = timer.autorange()
    return min(timer.repeat(repeat=repeat, number=calls)) / calls


# --- Plain numpy broadcasting: one (n_b, n_w, n) array --------------------------------------


def broadcast_mse_grid(x, y, w, b):
    predictions = w[np.newaxis, :, np.newaxis] * x + b[:, np.newaxis, np.newaxis]
    return np.mean((y - predictions) ** 2, axis=-1)


def broadcast_bce_grid(x, y, w, b):
    z = w[np.newaxis, :, np.newaxis] * x + b[:, np.newaxis, np.newaxis]
    return np.mean(np.logaddexp(0, z) - y * z, axis=-1)


def main():
    x_lin, y_lin = make_regression(n_samples=100, n_features=1, noise=10, random_state=42)
    x_lin = x_lin.ravel()
    x_log, y_log = make_classification(
        n_samples=100, n_features=1, n_informative=1, n_redundant=0, n_clusters_per_class=1, random_state=42
    )
    x_log, y_log = x_log.ravel(), y_log.astype(float)
    grid3, grid5, grid200 = np.linspace(-3, 3, 100), np.linspace(-5, 5, 100), np.linspace(-5, 5, 200)
    rng = np.random.default_rng(0)
    x_big = rng.normal(size=10**6)
    y_big = 3 * x_big + 1 + rng.normal(size=10**6)
    x_mid = rng.normal(size=10_000)
    y_mid = (x_mid + rng.normal(size=10_000) > 0).astype(float)
    mse, bce, descent = regression.mse_landscape, regression.bce_landscape, regression.gradient_descent

    # (task, reference name, reference call, factor to scale the reference time, our call)
    cases = [
        (
            "MSE 100×100, seed data",
            "seed loop",
            partial(seed_mse_grid, x_lin, y_lin, grid3, grid3),
            1,
            partial(mse, x_lin, y_lin, grid3, grid3),
        ),
        (
            "MSE 100×100, seed data",
            "broadcasting",
            partial(broadcast_mse_grid, x_lin, y_lin, grid3, grid3),
            1,
            partial(mse, x_lin, y_lin, grid3, grid3),
        ),
        # The seed loop would take minutes here: time a 10×10 corner and scale by 400.
        (
            "MSE 200×200, 10⁶ samples",
            "seed loop, 10×10 ×400",
            partial(seed_mse_grid, x_big, y_big, grid200[:10], grid200[:10]),
            400,
            partial(mse, x_big, y_big, grid200, grid200),
        ),
        (
            "BCE 100×100, seed data",
            "seed loop",
            partial(seed_bce_grid, x_log, y_log, grid5, grid5),
            1,
            partial(bce, x_log, y_log, grid5, grid5),
        ),
        (
            "BCE 100×100, seed data",
            "broadcasting",
            partial(broadcast_bce_grid, x_log, y_log, grid5, grid5),
            1,
            partial(bce, x_log, y_log, grid5, grid5),
        ),
        # Broadcasting would need an 800 MB array here: time 10 grid rows and scale by 10.
        (
            "BCE 100×100, 10⁴ samples",
            "broadcasting, 10 rows ×10",
            partial(broadcast_bce_grid, x_mid, y_mid, grid5, grid5[:10]),
            10,
            partial(bce, x_mid, y_mid, grid5, grid5),
        ),
        (
            "GD linear, lr 0.01, 100 steps",
            "seed loop",
            partial(seed_linear_descent, x_lin, y_lin, 0.01, 100),
            1,
            partial(descent, "linear", x_lin, y_lin, learning_rate=0.01, n_iterations=100),
        ),
        (
            "GD linear, lr 0.01, 10⁴ steps",
            "seed loop",
            partial(seed_linear_descent, x_lin, y_lin, 0.01, 10**4),
            1,
            partial(descent, "linear", x_lin, y_lin, learning_rate=0.01, n_iterations=10**4),
        ),
        (
            "GD logistic, lr 0.5, 100 steps",
            "seed loop",
            partial(seed_logistic_descent, x_log, y_log, 0.5, 100),
            1,
            partial(descent, "logistic", x_log, y_log, learning_rate=0.5, n_iterations=100),
        ),
    ]

    print("| task | reference | reference time | ours | our time | speed-up |")
    print("|---|---|---:|---|---:|---:|")
    for task, reference_name, reference, scale, ours in cases:
        reference_time = best_time(reference, repeat=3) * scale
        ours_time = best_time(ours)
        print(
            f"| {task} | {reference_name} | {reference_time * 1e3:.3f} ms | {ours.func.__name__} | "
            f"{ours_time * 1e3:.3f} ms | {reference_time / ours_time:,.1f}× |"
        )


if __name__ == "__main__":
    main()
