""" "The code" for the pages that train: regression by gradient descent (or another optimizer, on
mini-batches), the optimizer race and the neural network. Like ``core.code_listing``, each generator takes
validated values and prints a listing whose ``name = value`` lines the tests compare with the page; a
formula appears only as the printed, whitelisted tree, and an uploaded file's column names only as Python
string literals (``repr``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import NamedTuple, Protocol

import sympy as sp

from core.code_listing import number, sympy_source
from core.expressions import sigmoid
from core.nn_training import LEARNING_RATE, TrainingSettings
from core.validation import check_option

DATA_KINDS = ("make_regression", "diabetes", "make_classification", "breast_cancer", "csv")

# One update rule per optimizer, as core.optimizers defines it (same defaults, same order of operations,
# so the listing's iterates match the page's to the last digits): (initial state, source).
UPDATES: dict[str, tuple[str, str]] = {
    "GD": (
        "None",
        "def gd(g, state, lr):  # x ← x − η g\n    return -lr * g, state\n",
    ),
    "Momentum": (
        "np.zeros_like(start)",
        "def momentum(g, v, lr, beta=0.9):  # v ← β v + g; x ← x − η v\n"
        "    v = beta * v + g\n    return -lr * v, v\n",
    ),
    "Nesterov": (
        "np.zeros_like(start)",
        "def nesterov(g, v, lr, beta=0.9):  # v ← β v + g; x ← x − η (g + β v)\n"
        "    v = beta * v + g\n    return -lr * (g + beta * v), v\n",
    ),
    "RMSProp": (
        "np.zeros_like(start)",
        "def rmsprop(g, s, lr, rho=0.9, eps=1e-8):  # s ← ρ s + (1 − ρ) g²; x ← x − η g / (√s + ε)\n"
        "    s = rho * s + (1 - rho) * g**2\n    return -lr * g / (np.sqrt(s) + eps), s\n",
    ),
    "Adam": (
        "(0, np.zeros_like(start), np.zeros_like(start))",
        "def adam(g, state, lr, b1=0.9, b2=0.999, eps=1e-8):  # bias-corrected mean and square average\n"
        "    t, m, v = state\n    t += 1\n    m = b1 * m + (1 - b1) * g\n    v = b2 * v + (1 - b2) * g**2\n"
        "    m_hat, v_hat = m / (1 - b1**t), v / (1 - b2**t)\n"
        "    return -lr * m_hat / (np.sqrt(v_hat) + eps), (t, m, v)\n",
    ),
    "Newton": (
        "0",
        "def newton(g, fallbacks, lr, H):  # x ← x − η H⁻¹ g, or a gradient step where H is not positive\n"
        "    if np.all(np.isfinite(H)) and np.all(np.linalg.eigvalsh((H + H.T) / 2) > 0):  # definite\n"
        "        return -lr * np.linalg.solve(H, g), fallbacks\n"
        "    return -0.01 * g, fallbacks + 1\n",
    ),
}


class DataRecipe(NamedTuple):
    """Where a regression page's data came from: a kind of DATA_KINDS and its values, in the order of the
    sklearn call (make_regression: n_samples, noise, seed; make_classification: n_features, n_samples,
    class_sep, flip_y, seed; csv: the x and y column names)."""

    kind: str
    values: tuple = ()


class RunSettings(Protocol):
    """A descent run's controls, as ``core.descent.run.DescentSettings`` holds them."""

    learning_rate: float
    n_iterations: int
    w0: float
    b0: float
    optimizer: str
    batch_size: int | None
    seed: int


def _data_source(recipe: DataRecipe) -> tuple[list[str], str]:
    """(import lines, code that leaves x and y as float arrays) for one recipe."""
    kind = check_option("data kind", recipe.kind, DATA_KINDS)
    if kind == "make_regression":
        n, noise, seed = recipe.values
        call = (
            f"make_regression(n_samples={int(n)}, n_features=1, noise={number(noise)}, "
            f"random_state={int(seed)})"
        )
        return ["from sklearn.datasets import make_regression"], f"X, y = {call}\nx = X.ravel()\n"
    if kind == "diabetes":
        code = 'data = load_diabetes(scaled=False)\nx = data.data[:, data.feature_names.index("bmi")]\n'
        return ["from sklearn.datasets import load_diabetes"], code + "y = data.target.astype(float)\n"
    if kind == "make_classification":
        features, n, separation, flip, seed = recipe.values
        call = (
            f"make_classification(n_samples={int(n)}, n_features={int(features)}, "
            f"n_informative={int(features)}, n_redundant=0, n_clusters_per_class=1, "
            f"class_sep={number(separation)}, flip_y={number(flip)}, random_state={int(seed)})"
        )
        shape = "x = X.ravel()\n" if int(features) == 1 else "x = X\n"
        return [
            "from sklearn.datasets import make_classification"
        ], f"X, y = {call}\n{shape}y = y.astype(float)\n"
    if kind == "breast_cancer":
        code = (
            "data = load_breast_cancer()\n"
            'x = data.data[:, list(data.feature_names).index("mean radius")]\n'
            'y = (data.target == list(data.target_names).index("malignant")).astype(float)  # malignant: 1\n'
        )
        return ["from sklearn.datasets import load_breast_cancer"], code
    x_column, y_column = (str(name) for name in recipe.values)
    code = (
        'table = pd.read_csv("your_data.csv")  # the file you uploaded\n'
        f"x = table[{x_column!r}].to_numpy(dtype=float)\ny = table[{y_column!r}].to_numpy(dtype=float)\n"
        "usable = np.isfinite(x) & np.isfinite(y)  # rows with both values\nx, y = x[usable], y[usable]\n"
    )
    return ["import pandas as pd"], code


_LOSSES = {
    "linear": """def loss_and_gradient(params, x, y):  # the mean squared error of y ≈ w x + b
    w, b = params
    residuals = y - (w * x + b)
    return np.mean(residuals**2), np.array([-2 * np.mean(residuals * x), -2 * np.mean(residuals)])
""",
    "logistic": """def loss_and_gradient(params, X, y):  # the seed's cross-entropy of P(y = 1) = σ(X w + b)
    w, b = params[:-1], params[-1]
    p = 1 / (1 + np.exp(-np.clip(X @ w + b, -30, 30)))
    q = np.clip(p, 1e-15, 1 - 1e-15)
    loss = -np.mean(y * np.log(q) + (1 - y) * np.log(1 - q))
    return loss, np.append(np.mean((p - y)[:, np.newaxis] * X, axis=0), np.mean(p - y))
""",
}

_BATCHES = """def batch_rows(step, n, size, seed):  # each epoch a fresh shuffle, cut into consecutive batches
    epoch, position = divmod(step, -(-n // size))
    order = np.random.default_rng([seed, epoch]).permutation(n)
    return order[position * size : (position + 1) * size]


"""

_OPTIMA = {
    "linear": """
A = np.column_stack([x, np.ones_like(x)])  # least squares: the optimum descent heads for
(w_best, b_best), *_ = np.linalg.lstsq(A, y)
print(f"optimal w = {w_best:.12g}")
print(f"optimal b = {b_best:.12g}")
print(f"optimal MSE = {np.mean((y - (w_best * x + b_best)) ** 2):.12g}")
""",
    "logistic": """
best = LogisticRegression(C=np.inf, tol=1e-10, max_iter=10_000).fit(X, y)  # unpenalised: the optimum
for i, w in enumerate(best.coef_[0]):
    print(f"optimal w{i + 1} = {w:.12g}")
print(f"optimal b = {best.intercept_[0]:.12g}")
""",
}


def regression(
    model: str,
    data: DataRecipe,
    settings: RunSettings,
    *,
    standardize: bool = False,
    has_optimum: bool = True,
) -> str:
    """A regression page: load the data, run the page's optimizer from (w₀, b₀) and print the final
    parameters and loss, then the optimum (least squares, or scikit-learn's unpenalised logistic fit;
    none for separable classes, ``has_optimum`` False)."""
    model = check_option("model", model, ("linear", "logistic"))
    optimizer = check_option(
        "optimizer", settings.optimizer, tuple(name for name in UPDATES if name != "Newton")
    )
    imports, load = _data_source(data)
    if model == "logistic" and has_optimum:
        imports.append("from sklearn.linear_model import LogisticRegression")
    state, update = UPDATES[optimizer]
    rule = optimizer.lower()
    loss = "MSE" if model == "linear" else "cross-entropy"
    features = "x" if model == "linear" else "X"
    text = "\n".join(["import numpy as np", *imports]) + "\n\n" + load
    if standardize:
        text += "x = (x - x.mean(axis=0)) / x.std(axis=0)  # standardised: mean 0, sd 1\n"
    if model == "logistic" and data.kind == "csv":
        text += "y = (y == y.max()).astype(float)  # the two classes as 0 and 1\n"
    if model == "logistic":
        text += "X = x.reshape(len(y), -1)  # one column per feature\n"
    text += "\n\n" + _LOSSES[model] + "\n\n" + update + "\n\n"
    batch = settings.batch_size
    if batch is not None:
        text += _BATCHES
        gradient = f"loss_and_gradient(params, {features}[rows], y[rows])[1]"
        step = (
            f"    rows = batch_rows(step, len(y), {int(batch)}, {int(settings.seed)})\n    g = {gradient}\n"
        )
    else:
        step = f"    g = loss_and_gradient(params, {features}, y)[1]\n"
    start = f"np.array([{number(settings.w0)}, {number(settings.b0)}])"
    if model == "logistic":
        start = f"np.append(np.full(X.shape[1], {number(settings.w0)}), {number(settings.b0)})"
    text += (
        f"lr, n_iterations = {number(settings.learning_rate)}, {int(settings.n_iterations)}\n"
        f"start = {start}\n"
        f"params, state = start, {state}\n"
        f"for step in range(n_iterations):\n{step}"
        f"    move, state = {rule}(g, state, lr)\n"
        "    params = params + move\n"
    )
    if model == "linear":
        text += 'print(f"w = {params[0]:.12g}")\n'
    else:
        text += 'for i, w in enumerate(params[:-1]):\n    print(f"w{i + 1} = {w:.12g}")\n'
    text += 'print(f"b = {params[-1]:.12g}")\n'
    text += f'print(f"{loss} = {{loss_and_gradient(params, {features}, y)[0]:.12g}}")\n'
    if has_optimum:
        text += _OPTIMA[model]
    else:
        text += "# the classes are linearly separable: no finite optimum, the weights grow for ever\n"
    return text


def race(expr: sp.Expr, *, start: Sequence[float], n_steps: int, rates: Mapping[str, float]) -> str:
    """The optimizer race: each optimizer from the start for ``n_steps``, stopping where it overflows,
    and where it ends with f there."""
    names = [check_option("optimizer", name, tuple(UPDATES)) for name in rates]
    text = "import numpy as np\nimport sympy as sp\n\n\n"
    if expr.has(sigmoid):
        text += "def sigmoid(z):  # σ(z) = 1 / (1 + e^(−z))\n    return 1 / (1 + sp.exp(-z))\n\n\n"
    text += (
        f'x, y = sp.symbols("x y", real=True)\nf = {sympy_source(expr)}\n'
        'f_num = sp.lambdify((x, y), f, "numpy")\n'
        'grad = sp.lambdify([(x, y)], [sp.diff(f, v) for v in (x, y)], "numpy")\n'
    )
    if "Newton" in names:
        text += 'hessian = sp.lambdify([(x, y)], sp.hessian(f, (x, y)), "numpy")\n'
    text += "\n\n" + "\n\n".join(UPDATES[name][1] for name in names) + "\n\n"
    racers = ",\n    ".join(
        f'("{name}", {name.lower()}, {UPDATES[name][0]}, {number(rates[name])})' for name in names
    )
    text += (
        f"start, n_steps = np.array([{number(start[0])}, {number(start[1])}]), {int(n_steps)}\n"
        f"for name, update, state, lr in [\n    {racers},\n]:\n"
        "    p = start\n"
        "    for t in range(n_steps):\n"
        "        g = np.asarray(grad(p), dtype=float)\n"
        '        if name == "Newton":\n'
        "            step, state = update(g, state, lr, np.array(hessian(p), dtype=float))\n"
        "        else:\n"
        "            step, state = update(g, state, lr)\n"
        "        moved = p + step\n"
        "        finite = np.all(np.isfinite(g)) and np.all(np.isfinite(moved))\n"
        "        if not (finite and np.all(np.abs(moved) < 1e150)):  # overflowed or left f's domain\n"
        '            print(f"{name} diverged at step {t + 1}")\n'
        "            break\n"
        "        p = moved\n"
        '    print(f"{name} f = {f_num(*p):.12g} at ({p[0]:.12g}, {p[1]:.12g})")\n'
    )
    if "Newton" not in names:
        text = text.replace(
            '        if name == "Newton":\n'
            "            step, state = update(g, state, lr, np.array(hessian(p), dtype=float))\n"
            "        else:\n"
            "            step, state = update(g, state, lr)\n",
            "        step, state = update(g, state, lr)\n",
        )
    return text


_DATA_CALLS = {
    "Moons": "make_moons(n, noise=noise, random_state=seed)",
    "Circles": "make_circles(n, noise=noise, factor=0.5, random_state=seed)",
    "Blobs": "make_classification(n, n_features=2, n_informative=2, n_redundant=0, n_clusters_per_class=1, "
    "flip_y=noise, random_state=seed)",
}


def network(settings: TrainingSettings) -> str:
    """The neural-network page: the same data and the same MLP, in scikit-learn, whose training
    core.nn_training follows step for step (one shuffled epoch per ``partial_fit``, Adam at its rate), then
    its cross-entropy, L2 penalty, accuracy and parameter count."""
    call = _DATA_CALLS[check_option("dataset", settings.dataset, tuple(_DATA_CALLS))]
    function = call.split("(")[0]
    module = "make_classification" if function == "make_classification" else function
    hidden = ", ".join(str(int(units)) for units in settings.hidden) + (
        "," if len(settings.hidden) == 1 else ""
    )
    return f"""import warnings

import numpy as np
from sklearn.datasets import {module}
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import log_loss
from sklearn.neural_network import MLPClassifier

n, noise, seed = {int(settings.n_samples)}, {number(settings.noise)}, {int(settings.seed)}
X, y = {call}
y = y.astype(float)
net = MLPClassifier(
    ({hidden}),
    activation={str(settings.activation)!r},
    alpha={number(settings.l2)},  # the L2 strength
    batch_size={min(int(settings.batch_size), int(settings.n_samples))},
    learning_rate_init={number(LEARNING_RATE)},  # Adam's step
    shuffle=False,  # shuffled below, once per epoch
    random_state=seed,
)
rng = np.random.default_rng(seed)
warnings.simplefilter("ignore", ConvergenceWarning)  # one epoch per call is the point
for epoch in range({int(settings.epochs)}):
    order = rng.permutation(len(y))
    net.partial_fit(X[order], y[order], classes=[0.0, 1.0])

penalty = net.alpha / (2 * len(y)) * sum((W**2).sum() for W in net.coefs_)
print(f"cross-entropy = {{log_loss(y, net.predict_proba(X)):.12g}}")
print(f"L2 penalty = {{penalty:.12g}}")
print(f"accuracy = {{net.score(X, y):.12g}}")
print(f"parameters = {{sum(W.size + b.size for W, b in zip(net.coefs_, net.intercepts_))}}")
"""
