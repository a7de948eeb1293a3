"""The loss landscape of a trained network (``core.nn_training``), after Li et al. (2018), "Visualizing the
Loss Landscape of Neural Nets", and Goodfellow et al. (2015), "Qualitatively characterizing neural network
optimization problems". The loss is evaluated

- on a plane through the trained weights θ*: L(θ* + a·δ + b·η) for a grid of (a, b), where δ, η are
  random Gaussian directions normalised filter by filter (Li et al.) or the two principal directions of the
  training path (Li et al., section 7), onto which the path is projected;
- on the line from the initial weights θ₀ to θ*: L((1 − t)·θ₀ + t·θ*) (Goodfellow et al.).

The loss everywhere is the objective the network was trained on (``core.nn_network``): mean binary
cross-entropy plus the L2 penalty l2/(2n)·Σ‖W‖² over the weight matrices (not the biases). At θ* its
cross-entropy part is exactly ``sklearn.metrics.log_loss`` of scikit-learn's ``predict_proba`` for the same
weights.

Every entry point validates its arguments and the caps below bound the work a crafted URL can ask for.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.nn_network import MAX_SEED, Architecture, cross_entropy_and_penalty, probability
from core.nn_training import TrainedNetwork
from core.validation import check_integer, check_option, check_real

PLANES = {"random": "filter-normalised, as Li et al.", "pca": "principal directions of the training path"}
RESOLUTION_CHOICES = (21, 31, 41, 51, 61)
SPAN_CHOICES = (0.25, 0.5, 1.0, 1.5, 2.0)

MAX_RESOLUTION = 101
MAX_SPAN = 5.0
# Work one landscape may take, counted as grid points × samples × parameters: about 0.8 s of CPU here at
# the cap (0.6 s for the page's largest choices, 61² points × 500 samples × 1185 parameters). The caps on
# each setting allow ten times more, so a crafted URL asking for everything at once gets an error instead.
MAX_LANDSCAPE_WORK = 3e9
INTERPOLATION_RANGE = (-0.5, 1.5)  # past both ends, as Goodfellow et al. plot it
INTERPOLATION_POINTS = 101
PATH_MARGIN = 1.25  # the PCA plane's unit is 1.25 × the path's reach, so the path ends inside the picture
# The grid is evaluated in chunks of at most this many float64 per intermediate array (512 kB): small enough
# to stay in a core's cache. Against 32 MB chunks it made the default landscape 1.7 times and a 2 → 32 → 32
# → 1 network's 2.5 times faster here (CPU time, 41 × 41 grid).
_CHUNK_FLOATS = 2**16
# Weights smaller than this count as zero in the landscape. Adam leaves the weights of dead ReLU units
# subnormal (below 2.2e-308: a third of them after 300 epochs of 2 → 32 → 32 → 1 at batch size 8, in
# scikit-learn's weights too), and arithmetic on subnormals is slow: that 61 × 61 landscape took 4.4 s of
# CPU instead of 0.56 s. Products of weights above 1e-100 stay clear of the subnormal range, and a weight
# below it changes no loss by more than rounding next to the network's ordinary weights.
NEGLIGIBLE_WEIGHT = 1e-100


def _chunk_size(architecture: Architecture, n_samples: int) -> int:
    """Parameter vectors per batch: each costs n_samples × widest layer floats of activations and
    n_parameters floats of weights, and a batch stays within ``_CHUNK_FLOATS`` of each."""
    widest = max(architecture.layer_sizes)
    return max(1, _CHUNK_FLOATS // max(n_samples * widest, architecture.n_parameters))


def _objective_in_chunks(network: TrainedNetwork, count: int, thetas_for) -> np.ndarray:
    """The objective at ``count`` parameter vectors, made a chunk at a time by ``thetas_for(slice)``, so
    neither the vectors nor the activations of a large grid are ever in memory at once."""
    objective = np.empty(count)
    size = _chunk_size(network.architecture, len(network.y))
    for start in range(0, count, size):
        chunk = slice(start, min(start + size, count))
        thetas = np.array(thetas_for(chunk))  # a copy: zeroing below must not write to the caller's array
        thetas[np.abs(thetas) < NEGLIGIBLE_WEIGHT] = 0.0
        cross_entropy, penalty = cross_entropy_and_penalty(
            network.architecture, network.settings.l2, network.x, network.y, thetas
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
    return probability(network.architecture, x, network.trained)


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
class NetworkLossSurface:
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
) -> NetworkLossSurface:
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
    return NetworkLossSurface(
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
