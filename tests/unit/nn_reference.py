"""scikit-learn as the reference for the network landscape page's NumPy network: its ``MLPClassifier``
trained epoch by epoch with ``partial_fit`` on the page's data order (how the page trained before it did so
in NumPy), and its forward pass for any parameter vector."""

import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import log_loss
from sklearn.neural_network import MLPClassifier

from core import nn_training
from core.nn_network import Architecture, make_data


def sklearn_training(settings: nn_training.TrainingSettings) -> tuple[np.ndarray, MLPClassifier]:
    """scikit-learn's weights after every epoch (one row each) and the trained estimator: Adam with the
    page's learning rate, each epoch one ``partial_fit`` on the data in ``default_rng(seed)``'s order."""
    x, y = make_data(settings.dataset, noise=settings.noise, n_samples=settings.n_samples, seed=settings.seed)
    estimator = MLPClassifier(
        settings.hidden,
        activation=settings.activation,
        alpha=settings.l2,
        batch_size=min(settings.batch_size, len(y)),
        learning_rate_init=nn_training.LEARNING_RATE,
        shuffle=False,
        random_state=settings.seed,
    )
    architecture = Architecture.for_hidden(settings.hidden, settings.activation)
    rng = np.random.default_rng(settings.seed)
    path = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # one epoch per call is the point
        for epoch in range(settings.epochs):
            order = rng.permutation(len(y))
            estimator.partial_fit(x[order], y[order], classes=None if epoch else [0.0, 1.0])
            path.append(architecture.flatten(estimator.coefs_, estimator.intercepts_))
    return np.array(path), estimator


def sklearn_network(network: nn_training.TrainedNetwork, theta) -> MLPClassifier:
    """An ``MLPClassifier`` of the network's shape carrying the weights ``theta``: one epoch fitted at a
    negligible learning rate sets up its classes and layers, then the weights are replaced."""
    settings = network.settings
    estimator = MLPClassifier(
        settings.hidden, activation=settings.activation, learning_rate_init=1e-300, random_state=0
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        estimator.partial_fit(network.x, network.y, classes=[0.0, 1.0])
    layers = network.architecture.unflatten(np.asarray(theta, dtype=float))
    estimator.coefs_ = [weights.copy() for weights, _ in layers]
    estimator.intercepts_ = [biases.copy() for _, biases in layers]
    return estimator


def sklearn_objective(network: nn_training.TrainedNetwork, theta) -> float:
    """The objective at θ the slow way: scikit-learn's forward pass, log_loss, and the L2 term by hand."""
    estimator = sklearn_network(network, theta)
    cross_entropy = log_loss(network.y, estimator.predict_proba(network.x))
    squares = sum(float(np.sum(weights**2)) for weights in estimator.coefs_)
    return cross_entropy + network.settings.l2 / (2 * len(network.y)) * squares
