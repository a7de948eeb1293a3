"""The small neural network of the landscape page: its 2-D toy data, how a flat parameter vector maps to its
layers, and its forward pass and training objective for many parameter vectors at once.

The network is scikit-learn's ``MLPClassifier`` for two classes, written out: hidden layers with one of its
activations, a single logistic output unit, and the objective it minimises (``loss_``): mean binary
cross-entropy plus the L2 penalty l2/(2n)·Σ‖W‖² over the weight matrices (not the biases).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import expit
from sklearn.datasets import make_circles, make_classification, make_moons

from core.validation import check_integer, check_option, check_real

DATASETS = ("Moons", "Circles", "Blobs")
ACTIVATIONS = ("relu", "tanh", "logistic", "identity")  # scikit-learn's names
HIDDEN_PRESETS = {
    "4": (4,),
    "8": (8,),
    "16": (16,),
    "64": (64,),
    "8,8": (8, 8),
    "16,16": (16, 16),
    "32,32": (32, 32),
}
SAMPLE_CHOICES = (50, 100, 200, 300, 500)

MIN_SAMPLES = 20
MAX_SAMPLES = 500
MAX_NOISE = 0.5
MAX_LAYERS = 3
MAX_UNITS = 64
MAX_SEED = 10_000


def make_data(dataset: str, *, noise: float, n_samples: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Two-class 2-D data: x of shape (n, 2), labels y in {0, 1}.

    ``noise`` is the standard deviation of Gaussian noise for moons and circles and the fraction of labels
    assigned at random for blobs (make_classification's ``flip_y``)."""
    check_option("dataset", dataset, DATASETS)
    noise = check_real("noise", noise, low=0, high=MAX_NOISE)
    n_samples = check_integer("n_samples", n_samples, low=MIN_SAMPLES, high=MAX_SAMPLES)
    seed = check_integer("seed", seed, low=0, high=MAX_SEED)
    if dataset == "Moons":
        x, y = make_moons(n_samples, noise=noise, random_state=seed)
    elif dataset == "Circles":
        x, y = make_circles(n_samples, noise=noise, factor=0.5, random_state=seed)
    else:
        x, y = make_classification(
            n_samples, n_features=2, n_informative=2, n_redundant=0, n_clusters_per_class=1,
            flip_y=noise, random_state=seed,
        )  # fmt: skip
    return x, y.astype(float)


def check_hidden(hidden) -> tuple[int, ...]:
    """Return ``hidden`` after checking it is a tuple of 1 to ``MAX_LAYERS`` layer sizes in [1, MAX_UNITS]."""
    if not isinstance(hidden, tuple) or not 1 <= len(hidden) <= MAX_LAYERS:
        raise ValueError(f"hidden must be a tuple of 1 to {MAX_LAYERS} layer sizes. Got {hidden!r} instead.")
    for units in hidden:
        check_integer("each hidden layer size", units, low=1, high=MAX_UNITS)
    return hidden


@dataclass(frozen=True)
class Architecture:
    """How a flat parameter vector maps to layers: per layer its weight matrix (fan_in × fan_out, as
    scikit-learn's ``coefs_``), then its biases."""

    layer_sizes: tuple[int, ...]  # (2, *hidden, 1)
    activation: str

    @classmethod
    def for_hidden(cls, hidden: tuple[int, ...], activation: str) -> Architecture:
        """Two inputs, the hidden layers, one output unit."""
        check_option("activation", activation, ACTIVATIONS)
        return cls((2, *check_hidden(hidden), 1), activation)

    @property
    def shapes(self) -> list[tuple[int, int]]:
        return list(zip(self.layer_sizes[:-1], self.layer_sizes[1:], strict=True))

    @property
    def n_parameters(self) -> int:
        return sum((fan_in + 1) * fan_out for fan_in, fan_out in self.shapes)

    def flatten(self, coefs, intercepts) -> np.ndarray:
        return np.concatenate(
            [part.ravel() for w, b in zip(coefs, intercepts, strict=True) for part in (w, b)]
        )

    def unflatten(self, thetas: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
        """(weights, biases) per layer for a stack of parameter vectors of shape (..., n_parameters):
        weights (..., fan_in, fan_out), biases (..., fan_out). Views, not copies: writing to them writes
        to ``thetas``."""
        layers, start = [], 0
        for fan_in, fan_out in self.shapes:
            end = start + fan_in * fan_out
            layers.append(
                (
                    thetas[..., start:end].reshape(*thetas.shape[:-1], fan_in, fan_out),
                    thetas[..., end : end + fan_out],
                )
            )
            start = end + fan_out
        return layers

    def weight_mask(self) -> np.ndarray:
        """True for weights, False for biases: the L2 penalty leaves biases out."""
        return np.concatenate(
            [np.repeat([True, False], [fan_in * fan_out, fan_out]) for fan_in, fan_out in self.shapes]
        )


def _relu(z: np.ndarray) -> np.ndarray:
    return np.maximum(z, 0.0)


def _identity(z: np.ndarray) -> np.ndarray:
    return z


# scikit-learn's functions (its logistic is SciPy's expit, which neither overflows nor warns), so that a
# network trained here takes exactly scikit-learn's steps
HIDDEN_ACTIVATIONS = {"relu": _relu, "tanh": np.tanh, "logistic": expit, "identity": _identity}


def logits(architecture: Architecture, x: np.ndarray, thetas: np.ndarray) -> np.ndarray:
    """The output before the sigmoid for every parameter vector in ``thetas`` (g, p) and every sample in
    ``x`` (n, 2): shape (g, n). The g networks run as one batched matrix product per layer."""
    hidden = HIDDEN_ACTIVATIONS[architecture.activation]
    layers = architecture.unflatten(thetas)
    activations = x[np.newaxis]  # (1, n, 2): broadcasts against the g weight matrices of the first layer
    for index, (weights, biases) in enumerate(layers):
        activations = np.matmul(activations, weights) + biases[:, np.newaxis, :]
        if index < len(layers) - 1:
            activations = hidden(activations)
    return activations[..., 0]


def probability(architecture: Architecture, x: np.ndarray, theta: np.ndarray) -> np.ndarray:
    """P(class 1) for points x (m, 2) under one parameter vector: scikit-learn's ``predict_proba[:, 1]``."""
    return expit(logits(architecture, np.asarray(x, dtype=float), theta[np.newaxis])[0])


def cross_entropy_and_penalty(
    architecture: Architecture, l2: float, x: np.ndarray, y: np.ndarray, thetas: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Both parts of the objective for every parameter vector in ``thetas`` (g, p), shape (g,) each."""
    z = logits(architecture, x, thetas)
    # -[y log σ(z) + (1 - y) log(1 - σ(z))] = log(1 + eᶻ) - y·z, exact where σ(z) rounds to 0 or 1
    cross_entropy = np.mean(np.logaddexp(0.0, z) - y * z, axis=1)
    penalty = l2 / (2 * len(y)) * (thetas**2 @ architecture.weight_mask())
    return cross_entropy, penalty


def describe_hidden(hidden: tuple[int, ...]) -> str:
    """ "2 → 16 → 16 → 1" for hidden layers (16, 16): the network's shape from input to output."""
    return " → ".join(str(units) for units in (2, *hidden, 1))
