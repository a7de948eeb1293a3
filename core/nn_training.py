"""Training the landscape page's network in NumPy, step for step as scikit-learn's ``MLPClassifier``
trains it with Adam, keeping the weights before training and after every epoch.

scikit-learn's ``partial_fit`` loop, one call per epoch, took a median 466 ms of CPU at the page's
default settings here (7.2 s at its largest), most of it checking its input and bookkeeping again on every
call; the same steps written out take 40 ms (2.1 s).
What "the same steps" means, each as scikit-learn 1.9 does it (``tests/unit/test_nn_training.py`` trains
both and compares every epoch's weights):

- initial weights: per layer, weights then biases uniform in ±√(f / (fan_in + fan_out)) from
  ``RandomState(seed)``, f = 2 for the logistic activation and 6 otherwise (``_init_coef``);
- each epoch the data in the order ``default_rng(seed).permutation`` draws, cut into consecutive
  mini-batches of ``batch_size`` (the last one shorter);
- per batch of m samples, the gradient of mean cross-entropy + l2/(2m)·Σ‖W‖² (the penalty is scaled by the
  batch, as scikit-learn scales it), and one Adam step with β₁ = 0.9, β₂ = 0.999, ε = 1e-8:
  θ ← θ − η·√(1 − β₂ᵗ)/(1 − β₁ᵗ) · m / (√v + ε).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import expit

from core.nn_network import (
    ACTIVATIONS,
    DATASETS,
    MAX_NOISE,
    MAX_SAMPLES,
    MAX_SEED,
    MIN_SAMPLES,
    Architecture,
    check_hidden,
    cross_entropy_and_penalty,
    make_data,
    probability,
)
from core.validation import check_integer, check_option, check_real

L2_CHOICES = (0.0, 1e-5, 1e-4, 1e-3, 1e-2, 0.1, 1.0, 10.0)
BATCH_CHOICES = (8, 16, 32, 64, 128, 256)

MAX_L2 = 10.0
MIN_BATCH = 8  # smaller batches mean more optimizer steps per epoch: this and the caps bound training time
MAX_EPOCHS = 300
LEARNING_RATE = 0.02  # Adam's step; scikit-learn's 0.001 needs several hundred epochs on these data sets
BETA_1, BETA_2, EPSILON = 0.9, 0.999, 1e-8  # scikit-learn's Adam defaults


@dataclass(frozen=True)
class TrainingSettings:
    """Everything that determines a trained network; validated on creation (pages pass on URL values)."""

    dataset: str = "Moons"
    noise: float = 0.2
    n_samples: int = 200
    hidden: tuple[int, ...] = (16,)
    activation: str = "relu"
    l2: float = 1e-4  # scikit-learn's `alpha`
    batch_size: int = 32
    epochs: int = 100
    seed: int = 0

    def __post_init__(self):
        check_option("dataset", self.dataset, DATASETS)
        check_real("noise", self.noise, low=0, high=MAX_NOISE)
        check_integer("n_samples", self.n_samples, low=MIN_SAMPLES, high=MAX_SAMPLES)
        check_hidden(self.hidden)
        check_option("activation", self.activation, ACTIVATIONS)
        check_real("l2", self.l2, low=0, high=MAX_L2)
        check_integer("batch_size", self.batch_size, low=MIN_BATCH, high=MAX_SAMPLES)
        check_integer("epochs", self.epochs, low=1, high=MAX_EPOCHS)
        check_integer("seed", self.seed, low=0, high=MAX_SEED)


@dataclass(frozen=True, eq=False)
class TrainedNetwork:
    """A trained network, its data and its weights: ``path[0]`` is θ₀ (before training), ``path[k]`` the
    weights after epoch k, ``path[-1]`` is θ*. ``cross_entropy``, ``penalty`` and ``accuracy`` are at θ*."""

    settings: TrainingSettings
    x: np.ndarray
    y: np.ndarray
    architecture: Architecture
    path: np.ndarray
    cross_entropy: float
    penalty: float
    accuracy: float

    @property
    def initial(self) -> np.ndarray:
        return self.path[0]

    @property
    def trained(self) -> np.ndarray:
        return self.path[-1]


def initial_weights(architecture: Architecture, seed: int) -> np.ndarray:
    """scikit-learn's Glorot-uniform start for ``random_state=seed`` (``MLPClassifier._init_coef``)."""
    factor = 2.0 if architecture.activation == "logistic" else 6.0
    rng = np.random.RandomState(seed)
    parts = []
    for fan_in, fan_out in architecture.shapes:
        bound = np.sqrt(factor / (fan_in + fan_out))
        parts += [rng.uniform(-bound, bound, (fan_in, fan_out)).ravel(), rng.uniform(-bound, bound, fan_out)]
    return np.concatenate(parts)


def _relu_derivative(activated: np.ndarray, delta: np.ndarray) -> None:
    np.copyto(delta, 0.0, where=activated == 0)


def _tanh_derivative(activated: np.ndarray, delta: np.ndarray) -> None:
    delta *= 1 - activated**2


def _logistic_derivative(activated: np.ndarray, delta: np.ndarray) -> None:
    delta *= activated
    delta *= 1 - activated


def _identity_derivative(activated: np.ndarray, delta: np.ndarray) -> None:
    """The identity's derivative is 1: delta stays as it is."""


# d(activation)/dz written in terms of the activation's own output, in place, as scikit-learn's DERIVATIVES
_DERIVATIVES = {
    "relu": _relu_derivative,
    "tanh": _tanh_derivative,
    "logistic": _logistic_derivative,
    "identity": _identity_derivative,
}
_IN_PLACE_ACTIVATIONS = {
    "relu": lambda z: np.maximum(z, 0.0, out=z),
    "tanh": lambda z: np.tanh(z, out=z),
    "logistic": lambda z: expit(z, out=z),
    "identity": lambda z: z,
}


@dataclass(frozen=True)
class _Buffers:
    """The flat parameter vector being trained and its gradient, with per-layer views of both (writing to a
    view writes to the vector: the optimizer updates all layers in one step)."""

    activation: str
    theta: np.ndarray
    gradient: np.ndarray
    penalty_weights: np.ndarray
    layers: list
    gradient_layers: list

    @classmethod
    def start(cls, architecture: Architecture, theta: np.ndarray, l2: float) -> _Buffers:
        gradient = np.empty_like(theta)
        return cls(
            architecture.activation,
            theta,
            gradient,
            l2 * architecture.weight_mask(),
            architecture.unflatten(theta),
            architecture.unflatten(gradient),
        )


def _gradient(buffers: _Buffers, x: np.ndarray, y: np.ndarray) -> None:
    """Backpropagation for one mini-batch of m samples into ``buffers.gradient``: scikit-learn's
    ``_backprop`` in its order of operations, so the rounding is the same too. The penalty's part is one
    product over all layers (``penalty_weights`` is l2 on weights, 0 on biases): a weight's gradient is
    (aᵀδ + l2·W)/m as scikit-learn has it, a bias's Σδ/m."""
    activate, derivative = _IN_PLACE_ACTIVATIONS[buffers.activation], _DERIVATIVES[buffers.activation]
    layers = buffers.layers
    activations = [x]
    for index, (weights, biases) in enumerate(layers):
        z = activations[-1] @ weights
        z += biases
        if index < len(layers) - 1:
            activate(z)
        else:
            expit(z, out=z)
        activations.append(z)
    delta = activations[-1] - y  # d(cross-entropy)/dz of a logistic output
    for index in range(len(layers) - 1, -1, -1):
        weight_gradient, bias_gradient = buffers.gradient_layers[index]
        np.matmul(activations[index].T, delta, out=weight_gradient)
        np.add.reduce(delta, axis=0, out=bias_gradient)
        if index:
            delta = delta @ layers[index][0].T
            derivative(activations[index], delta)
    gradient = buffers.gradient  # augmented assignment in place, not to the frozen field
    gradient += buffers.penalty_weights * buffers.theta
    gradient /= len(y)


class _Adam:
    """scikit-learn's ``AdamOptimizer`` on one flat parameter vector (its updates are elementwise, so one
    vector gives the same numbers as its list of per-layer arrays, in a few NumPy calls per step)."""

    def __init__(self, n_parameters: int, learning_rate: float):
        self.learning_rate = learning_rate
        self.step_count = 0
        self.first_moment = np.zeros(n_parameters)
        self.second_moment = np.zeros(n_parameters)

    def step(self, theta: np.ndarray, gradient: np.ndarray) -> None:
        """Move ``theta`` in place: θ ← θ − η·√(1 − β₂ᵗ)/(1 − β₁ᵗ) · m / (√v + ε)."""
        self.step_count += 1
        self.first_moment *= BETA_1
        self.first_moment += (1 - BETA_1) * gradient
        self.second_moment *= BETA_2
        self.second_moment += (1 - BETA_2) * gradient**2
        rate = self.learning_rate * np.sqrt(1 - BETA_2**self.step_count) / (1 - BETA_1**self.step_count)
        theta += -rate * self.first_moment / (np.sqrt(self.second_moment) + EPSILON)


def train_network(settings: TrainingSettings) -> TrainedNetwork:
    """Train with Adam for ``settings.epochs`` epochs on data shuffled by ``settings.seed`` (see the module
    docstring for the steps); keep the weights before training and after every epoch."""
    if not isinstance(settings, TrainingSettings):
        raise ValueError(f"settings must be a TrainingSettings. Got {type(settings).__name__} instead.")
    x, y = make_data(settings.dataset, noise=settings.noise, n_samples=settings.n_samples, seed=settings.seed)
    architecture = Architecture.for_hidden(settings.hidden, settings.activation)
    path = np.empty((settings.epochs + 1, architecture.n_parameters))
    theta = initial_weights(architecture, settings.seed)
    path[0] = theta
    buffers = _Buffers.start(architecture, theta, settings.l2)
    optimizer = _Adam(architecture.n_parameters, LEARNING_RATE)
    batch_size = min(settings.batch_size, len(y))
    rng = np.random.default_rng(settings.seed)
    for epoch in range(1, settings.epochs + 1):
        order = rng.permutation(len(y))
        shuffled_x, shuffled_y = x[order], y[order, np.newaxis]
        for start in range(0, len(y), batch_size):
            batch = slice(start, start + batch_size)
            _gradient(buffers, shuffled_x[batch], shuffled_y[batch])
            optimizer.step(theta, buffers.gradient)
        path[epoch] = theta
    cross_entropy, penalty = cross_entropy_and_penalty(architecture, settings.l2, x, y, path[-1:])
    return TrainedNetwork(
        settings=settings,
        x=x,
        y=y,
        architecture=architecture,
        path=path,
        cross_entropy=float(cross_entropy[0]),
        penalty=float(penalty[0]),
        # scikit-learn's predict: class 1 where the probability is above one half
        accuracy=float(np.mean((probability(architecture, x, path[-1]) > 0.5) == y)),
    )
