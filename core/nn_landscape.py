"""The loss landscape of a small neural network, after Li et al. (2018), "Visualizing the Loss Landscape of
Neural Nets", and Goodfellow et al. (2015), "Qualitatively characterizing neural network optimization
problems".

A scikit-learn ``MLPClassifier`` is trained on 2-D toy data one epoch at a time (``partial_fit``), keeping a
snapshot of the weights after every epoch. Its loss is then evaluated

- on a plane through the trained weights θ*: L(θ* + a·δ + b·η) for a grid of (a, b), where δ, η are
  random Gaussian directions normalised filter by filter (Li et al.) or the two principal directions of the
  training path (Li et al., section 7), onto which the path is projected;
- on the line from the initial weights θ₀ to θ*: L((1 − t)·θ₀ + t·θ*) (Goodfellow et al.).

The loss everywhere is the objective the network was trained on, scikit-learn's ``loss_``:
mean binary cross-entropy plus the L2 penalty l2/(2n)·Σ‖W‖² over the weight matrices (not the biases).
At θ* its cross-entropy part is exactly ``sklearn.metrics.log_loss`` of the network's own ``predict_proba``.

Every entry point validates its arguments and the caps below bound the work a crafted URL can ask for.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import sklearn
from sklearn.datasets import make_circles, make_classification, make_moons
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier

from core.validation import check_integer, check_option, check_real

DATASETS = ("Moons", "Circles", "Blobs")
ACTIVATIONS = ("relu", "tanh", "logistic", "identity")  # scikit-learn's names
PLANES = {"random": "filter-normalised, as Li et al.", "pca": "principal directions of the training path"}
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
L2_CHOICES = (0.0, 1e-5, 1e-4, 1e-3, 1e-2, 0.1, 1.0, 10.0)
BATCH_CHOICES = (8, 16, 32, 64, 128, 256)
RESOLUTION_CHOICES = (21, 31, 41, 51, 61)
SPAN_CHOICES = (0.25, 0.5, 1.0, 1.5, 2.0)

MIN_SAMPLES = 20
MAX_SAMPLES = 500
MAX_NOISE = 0.5
MAX_LAYERS = 3
MAX_UNITS = 64
MAX_L2 = 10.0
MIN_BATCH = 8  # smaller batches mean more optimizer steps per epoch: this and the caps bound training time
MAX_EPOCHS = 300
MAX_SEED = 10_000
MAX_RESOLUTION = 101
MAX_SPAN = 5.0
# Work one landscape may take, counted as grid points × samples × parameters: about 1.5 s of CPU here at
# the cap, which the page's largest choices stay under. The caps above allow ten times more, so a crafted
# URL asking for everything at once gets an error instead.
MAX_LANDSCAPE_WORK = 3e9
LEARNING_RATE = 0.02  # Adam's step; scikit-learn's 0.001 needs several hundred epochs on these data sets
INTERPOLATION_RANGE = (-0.5, 1.5)  # past both ends, as Goodfellow et al. plot it
INTERPOLATION_POINTS = 101
PATH_MARGIN = 1.25  # the PCA plane's unit is 1.25 × the path's reach, so the path ends inside the picture
_CHUNK_FLOATS = 2**22  # 32 MB of float64 per intermediate array when the grid is evaluated in chunks


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
        if not isinstance(self.hidden, tuple) or not 1 <= len(self.hidden) <= MAX_LAYERS:
            raise ValueError(
                f"hidden must be a tuple of 1 to {MAX_LAYERS} layer sizes. Got {self.hidden!r} instead."
            )
        for units in self.hidden:
            check_integer("each hidden layer size", units, low=1, high=MAX_UNITS)
        check_option("activation", self.activation, ACTIVATIONS)
        check_real("l2", self.l2, low=0, high=MAX_L2)
        check_integer("batch_size", self.batch_size, low=MIN_BATCH, high=MAX_SAMPLES)
        check_integer("epochs", self.epochs, low=1, high=MAX_EPOCHS)
        check_integer("seed", self.seed, low=0, high=MAX_SEED)


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


@dataclass(frozen=True)
class Architecture:
    """How a flat parameter vector maps to layers: per layer its weight matrix (fan_in × fan_out, as
    scikit-learn's ``coefs_``), then its biases."""

    layer_sizes: tuple[int, ...]  # (2, *hidden, 1)
    activation: str

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
        weights (..., fan_in, fan_out), biases (..., fan_out). Views, not copies."""
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


@dataclass(frozen=True, eq=False)
class TrainedNetwork:
    """A trained network, its data and its weights: ``path[0]`` is θ₀ (before training), ``path[k]`` the
    weights after epoch k, ``path[-1]`` is θ*. ``cross_entropy`` and ``penalty`` are at θ*."""

    settings: TrainingSettings
    x: np.ndarray
    y: np.ndarray
    architecture: Architecture
    path: np.ndarray
    estimator: MLPClassifier
    cross_entropy: float
    penalty: float
    accuracy: float

    @property
    def initial(self) -> np.ndarray:
        return self.path[0]

    @property
    def trained(self) -> np.ndarray:
        return self.path[-1]


def _estimator(settings: TrainingSettings, n_samples: int, learning_rate: float) -> MLPClassifier:
    return MLPClassifier(
        settings.hidden,
        activation=settings.activation,
        alpha=settings.l2,
        batch_size=min(settings.batch_size, n_samples),  # scikit-learn would clip it with a warning
        learning_rate_init=learning_rate,
        shuffle=False,  # shuffled here, once per epoch: scikit-learn's own shuffle is the slow part
        random_state=settings.seed,
    )


def _initial_weights(settings: TrainingSettings, x, y) -> np.ndarray:
    """The weights scikit-learn starts from, which it does not expose: one epoch at a learning rate of
    1e-300 leaves them bit for bit unchanged (every step is far below half a unit in the last place of any
    weight), and the same ``random_state`` draws the same initial weights."""
    probe = _estimator(settings, len(y), learning_rate=1e-300).partial_fit(x, y, classes=[0.0, 1.0])
    return Architecture((2, *settings.hidden, 1), settings.activation).flatten(
        probe.coefs_, probe.intercepts_
    )


def train_network(settings: TrainingSettings) -> TrainedNetwork:
    """Train with Adam for ``settings.epochs`` epochs, one ``partial_fit`` per epoch, on data shuffled by
    ``settings.seed``; keep the weights before training and after every epoch."""
    if not isinstance(settings, TrainingSettings):
        raise ValueError(f"settings must be a TrainingSettings. Got {type(settings).__name__} instead.")
    x, y = make_data(settings.dataset, noise=settings.noise, n_samples=settings.n_samples, seed=settings.seed)
    architecture = Architecture((2, *settings.hidden, 1), settings.activation)
    estimator = _estimator(settings, len(y), LEARNING_RATE)
    rng = np.random.default_rng(settings.seed)
    path = [_initial_weights(settings, x, y)]
    # Much of an epoch's time was scikit-learn checking its input again: the data are ours and finite, and
    # the classes are declared once (later calls would check them against the first). Same weights, bit for
    # bit, and about 15% less CPU per epoch.
    unchecked = sklearn.config_context(assume_finite=True, skip_parameter_validation=True)
    with warnings.catch_warnings(), unchecked:
        # few epochs are the point here, not a mistake: the page must not show convergence warnings
        warnings.simplefilter("ignore", ConvergenceWarning)
        for epoch in range(settings.epochs):
            order = rng.permutation(len(y))
            estimator.partial_fit(x[order], y[order], classes=None if epoch else [0.0, 1.0])
            path.append(architecture.flatten(estimator.coefs_, estimator.intercepts_))
    path = np.array(path)
    cross_entropy, penalty = _cross_entropy_and_penalty(architecture, settings.l2, x, y, path[-1:])
    return TrainedNetwork(
        settings=settings,
        x=x,
        y=y,
        architecture=architecture,
        path=path,
        estimator=estimator,
        cross_entropy=float(cross_entropy[0]),
        penalty=float(penalty[0]),
        accuracy=float(estimator.score(x, y)),
    )


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * z))  # 1 / (1 + e⁻ᶻ) without overflow for large -z


_HIDDEN_ACTIVATIONS = {
    "relu": lambda z: np.maximum(z, 0.0),
    "tanh": np.tanh,
    "logistic": _sigmoid,
    "identity": lambda z: z,
}


def _logits(architecture: Architecture, x: np.ndarray, thetas: np.ndarray) -> np.ndarray:
    """The output before the sigmoid for every parameter vector in ``thetas`` (g, p) and every sample in
    ``x`` (n, 2): shape (g, n). The g networks run as one batched matrix product per layer."""
    hidden = _HIDDEN_ACTIVATIONS[architecture.activation]
    layers = architecture.unflatten(thetas)
    activations = x[np.newaxis]  # (1, n, 2): broadcasts against the g weight matrices of the first layer
    for index, (weights, biases) in enumerate(layers):
        activations = np.matmul(activations, weights) + biases[:, np.newaxis, :]
        if index < len(layers) - 1:
            activations = hidden(activations)
    return activations[..., 0]


def _chunk_size(architecture: Architecture, n_samples: int) -> int:
    """Parameter vectors per batch: each costs n_samples × widest layer floats of activations and
    n_parameters floats of weights, and a batch stays within ``_CHUNK_FLOATS`` of each."""
    widest = max(architecture.layer_sizes)
    return max(1, _CHUNK_FLOATS // max(n_samples * widest, architecture.n_parameters))


def _cross_entropy_and_penalty(architecture, l2, x, y, thetas) -> tuple[np.ndarray, np.ndarray]:
    """Both parts of the objective for every parameter vector in ``thetas`` (g, p), shape (g,) each."""
    z = _logits(architecture, x, thetas)
    # -[y log σ(z) + (1 - y) log(1 - σ(z))] = log(1 + eᶻ) - y·z, exact where σ(z) rounds to 0 or 1
    cross_entropy = np.mean(np.logaddexp(0.0, z) - y * z, axis=1)
    penalty = l2 / (2 * len(y)) * (thetas**2 @ architecture.weight_mask())
    return cross_entropy, penalty


def _objective_in_chunks(network: TrainedNetwork, count: int, thetas_for) -> np.ndarray:
    """The objective at ``count`` parameter vectors, made a chunk at a time by ``thetas_for(slice)``, so
    neither the vectors nor the activations of a large grid are ever in memory at once."""
    objective = np.empty(count)
    size = _chunk_size(network.architecture, len(network.y))
    for start in range(0, count, size):
        chunk = slice(start, min(start + size, count))
        cross_entropy, penalty = _cross_entropy_and_penalty(
            network.architecture, network.settings.l2, network.x, network.y, thetas_for(chunk)
        )
        objective[chunk] = cross_entropy + penalty
    return objective


def losses(network: TrainedNetwork, thetas: np.ndarray) -> np.ndarray:
    """The training objective (cross-entropy + L2 penalty) at each row of ``thetas`` (g, n_parameters)."""
    thetas = np.atleast_2d(np.asarray(thetas, dtype=float))
    if thetas.ndim != 2 or thetas.shape[1] != network.architecture.n_parameters:
        raise ValueError(
            f"thetas must have {network.architecture.n_parameters} columns, one per parameter. "
            f"Got shape {thetas.shape} instead."
        )
    return _objective_in_chunks(network, len(thetas), thetas.__getitem__)


def _affine_losses(network: TrainedNetwork, origin, coefficients, basis) -> np.ndarray:
    """The objective at origin + coefficients[i] @ basis for every row i: points on a line or a plane."""
    return _objective_in_chunks(
        network, len(coefficients), lambda chunk: origin + coefficients[chunk] @ basis
    )


def predicted_probability(network: TrainedNetwork, x: np.ndarray) -> np.ndarray:
    """P(class 1) at θ* for points x (m, 2), from the same forward pass the landscape uses."""
    return _sigmoid(_logits(network.architecture, np.asarray(x, dtype=float), network.trained[np.newaxis])[0])


def filter_normalised_direction(network: TrainedNetwork, rng: np.random.Generator) -> np.ndarray:
    """A random Gaussian direction with each neuron's incoming weights rescaled to the norm of that
    neuron's trained incoming weights (Li et al.'s filter normalisation for fully connected layers), so a
    step of 1 changes every neuron by as much as its own weights, however large or small they are.
    Bias directions are zero, as in Li et al. (they leave biases out of the directions)."""
    direction = np.zeros(network.architecture.n_parameters)
    trained = network.architecture.unflatten(network.trained)
    for (weights, _), (direction_weights, _) in zip(
        trained, network.architecture.unflatten(direction), strict=True
    ):
        gaussian = rng.standard_normal(weights.shape)
        # column j holds neuron j's incoming weights
        direction_weights[:] = gaussian * (np.linalg.norm(weights, axis=0) / np.linalg.norm(gaussian, axis=0))
    return direction


@dataclass(frozen=True, eq=False)
class Plane:
    """Two directions through θ* and the training path projected onto them: ``path_coordinates[k]`` is
    (a, b) for the weights after epoch k; ``captured`` is the share of the path's squared distance from θ*
    that lies in the plane (1 = the path lies in it)."""

    first: np.ndarray
    second: np.ndarray
    path_coordinates: np.ndarray
    captured: float
    axis_titles: tuple[str, str]
    description: str


def _projected(path: np.ndarray, centre: np.ndarray, first, second) -> tuple[np.ndarray, float]:
    """Least-squares coordinates of every path point in the plane spanned by (first, second) through
    ``centre`` (the random directions are not orthogonal), and the share of the path the plane holds."""
    displacements = path - centre
    basis = np.column_stack([first, second])
    coordinates = np.linalg.lstsq(basis, displacements.T, rcond=None)[0].T
    total = float(np.sum(displacements**2))
    in_plane = float(np.sum((coordinates @ basis.T) ** 2))
    return coordinates, in_plane / total if total > 0 else 1.0


def random_plane(network: TrainedNetwork, seed: int) -> Plane:
    """Two filter-normalised random directions, reproducible by ``seed``."""
    seed = check_integer("seed", seed, low=0, high=MAX_SEED)
    rng = np.random.default_rng(seed)
    first = filter_normalised_direction(network, rng)
    second = filter_normalised_direction(network, rng)
    coordinates, captured = _projected(network.path, network.trained, first, second)
    return Plane(
        first,
        second,
        coordinates,
        captured,
        ("a (random direction δ)", "b (random direction η)"),
        "δ, η: random Gaussian, each neuron's incoming weights scaled to the norm of that neuron's trained "
        "weights; bias directions zero.",
    )


def pca_plane(network: TrainedNetwork) -> Plane:
    """The two principal directions of the path's displacements θₖ − θ* (Li et al., section 7; taken about
    θ* rather than the path's mean, so the plane through θ* holds as much of the path as any plane can).

    Scaled so that a, b = ±1 reach ``PATH_MARGIN`` times as far as the path goes along either, and signed
    so that θ₀ has a, b ≤ 0: the path comes in from the lower left (singular vectors have no sign of their
    own)."""
    displacements = network.path - network.trained
    components = np.linalg.svd(displacements, full_matrices=False)[2][:2]  # two rows: the path has ≥ 2 points
    components *= np.where(components @ displacements[0] > 0, -1.0, 1.0)[:, np.newaxis]
    reach = np.max(np.abs(displacements @ components.T))
    first, second = components * (PATH_MARGIN * reach if reach > 0 else 1.0)
    coordinates, captured = _projected(network.path, network.trained, first, second)
    return Plane(
        first,
        second,
        coordinates,
        captured,
        ("a (1st principal direction)", "b (2nd principal direction)"),
        f"δ, η: the two principal directions of the path's offsets θₖ − θ*; a, b = ±1 is {PATH_MARGIN:g} × "
        "the path's reach.",
    )


@dataclass(frozen=True, eq=False)
class Landscape:
    """The loss on the plane: ``loss[i, j]`` at θ* + a[j]·δ + b[i]·η (row = b, column = a, as the other
    landscapes here); θ* is the centre, ``loss[centre, centre]``; ``path_loss`` is the loss at the
    projected path points, which lie on the plane (the path itself mostly does not)."""

    a: np.ndarray
    b: np.ndarray
    loss: np.ndarray
    plane: Plane
    path_loss: np.ndarray

    @property
    def centre_loss(self) -> float:
        middle = len(self.a) // 2
        return float(self.loss[middle, middle])


def loss_landscape(
    network: TrainedNetwork,
    *,
    plane: str = "random",
    direction_seed: int = 0,
    resolution: int = 41,
    span: float = 1.0,
) -> Landscape:
    """The loss on a resolution × resolution grid of (a, b) in [−span, span]² on the chosen plane
    (``"random"``: filter-normalised random directions from ``direction_seed``; ``"pca"``: the path's)."""
    check_option("plane", plane, PLANES)
    resolution = check_integer("resolution", resolution, low=5, high=MAX_RESOLUTION)
    if resolution % 2 == 0:
        raise ValueError(f"resolution must be odd, so that θ* is a grid point. Got {resolution} instead.")
    span = check_real("span", span, low=0, high=MAX_SPAN, low_open=True)
    work = resolution**2 * len(network.y) * network.architecture.n_parameters
    if work > MAX_LANDSCAPE_WORK:
        raise ValueError(
            f"resolution² × samples × parameters must be <= {MAX_LANDSCAPE_WORK:.0e} to answer in about a "
            f"second. Got {work:.2g} instead: use a coarser grid, fewer samples or a smaller network."
        )
    chosen = random_plane(network, direction_seed) if plane == "random" else pca_plane(network)
    half = (resolution - 1) // 2
    offsets = span * np.arange(-half, half + 1) / half  # exactly 0 in the middle
    a_grid, b_grid = np.meshgrid(offsets, offsets)
    coefficients = np.vstack([np.column_stack([a_grid.ravel(), b_grid.ravel()]), chosen.path_coordinates])
    grid_and_path = _affine_losses(
        network, network.trained, coefficients, np.vstack([chosen.first, chosen.second])
    )
    return Landscape(
        a=offsets,
        b=offsets.copy(),
        loss=grid_and_path[: resolution**2].reshape(resolution, resolution),
        plane=chosen,
        path_loss=grid_and_path[resolution**2 :],
    )


@dataclass(frozen=True, eq=False)
class Interpolation:
    """Loss along (1 − t)·θ₀ + t·θ*: t = 0 the initial weights, t = 1 the trained ones."""

    t: np.ndarray
    loss: np.ndarray


def interpolate(network: TrainedNetwork, *, points: int = INTERPOLATION_POINTS) -> Interpolation:
    """Goodfellow et al.'s 1-D view: the straight line from the initial to the trained weights, a little
    beyond both ends."""
    points = check_integer("points", points, low=3, high=1001)
    t = np.linspace(*INTERPOLATION_RANGE, points)
    step = (network.trained - network.initial)[np.newaxis]
    return Interpolation(t, _affine_losses(network, network.initial, t[:, np.newaxis], step))


@dataclass(frozen=True, eq=False)
class DecisionSurface:
    """P(class 1) at θ* on a grid over the data: ``probability[i, j]`` at (x1[j], x2[i])."""

    x1: np.ndarray
    x2: np.ndarray
    probability: np.ndarray


def decision_surface(
    network: TrainedNetwork, *, resolution: int = 81, margin: float = 0.5
) -> DecisionSurface:
    resolution = check_integer("resolution", resolution, low=5, high=MAX_RESOLUTION)
    margin = check_real("margin", margin, low=0, high=10)
    low, high = network.x.min(axis=0) - margin, network.x.max(axis=0) + margin
    x1, x2 = np.linspace(low[0], high[0], resolution), np.linspace(low[1], high[1], resolution)
    grid = np.column_stack([axis.ravel() for axis in np.meshgrid(x1, x2)])
    return DecisionSurface(x1, x2, predicted_probability(network, grid).reshape(resolution, resolution))


def describe_hidden(hidden: tuple[int, ...]) -> str:
    """ "2 → 16 → 16 → 1" for hidden layers (16, 16): the network's shape from input to output."""
    return " → ".join(str(units) for units in (2, *hidden, 1))
