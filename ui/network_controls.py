"""The neural-network landscape page's controls: the data, the network and its training, and the plane the
landscape is drawn on. Every control mirrors itself in the URL (``ui.inputs.url_bound``), so a link opens
the same network and slice."""

from __future__ import annotations

from dataclasses import dataclass

from core import nn_landscape, nn_network, nn_training
from ui.inputs import url_bound

DEFAULT = nn_training.TrainingSettings()


@dataclass(frozen=True)
class PlaneChoice:
    """Which slice of the trained network's loss to draw: the arguments of ``nn_landscape.loss_landscape``
    (hashable, so it keys the landscape cache)."""

    plane: str = "random"
    direction_seed: int = 0
    resolution: int = 41
    span: float = 1.0


def training_controls(container) -> nn_training.TrainingSettings:
    """Data, network and training controls in ``container`` (the sidebar); a ValueError names a value the
    settings refuse."""
    container.subheader("Data")
    dataset = url_bound(container.selectbox, "Data set", nn_network.DATASETS, key="data")
    noise = url_bound(
        container.slider,
        "Noise",
        0.0,
        nn_network.MAX_NOISE,
        DEFAULT.noise,
        0.05,
        key="noise",
        help="Moons and circles: the spread of the points. Blobs: the share of random labels.",
    )
    n_samples = url_bound(
        container.select_slider, "Samples", nn_network.SAMPLE_CHOICES, value=DEFAULT.n_samples, key="n"
    )

    container.subheader("Network and training")
    hidden = url_bound(
        container.selectbox,
        "Hidden layer sizes",
        list(nn_network.HIDDEN_PRESETS),
        index=list(nn_network.HIDDEN_PRESETS.values()).index(DEFAULT.hidden),
        key="hidden",
        help="Units per hidden layer: 16,16 is two layers of 16.",
    )
    activation = url_bound(container.selectbox, "Activation", nn_network.ACTIVATIONS, key="act")
    l2 = url_bound(
        container.select_slider,
        "L2 strength",
        nn_training.L2_CHOICES,
        value=DEFAULT.l2,
        format_func=lambda v: f"{v:g}",
        key="l2",
        help="scikit-learn's alpha: the penalty is alpha/(2n)·Σ‖W‖².",
    )
    batch_size = url_bound(
        container.select_slider,
        "Batch size",
        nn_training.BATCH_CHOICES,
        value=DEFAULT.batch_size,
        key="batch",
    )
    epochs = url_bound(
        container.slider, "Epochs", 10, nn_training.MAX_EPOCHS, DEFAULT.epochs, 10, key="epochs"
    )
    seed = url_bound(
        container.number_input, "Seed (data and initial weights)", 0, nn_network.MAX_SEED, 0, key="seed"
    )
    return nn_training.TrainingSettings(
        dataset, noise, n_samples, nn_network.HIDDEN_PRESETS[hidden], activation, l2, batch_size, epochs, seed
    )


def plane_controls(container) -> PlaneChoice:
    """The landscape's directions, grid and span in ``container``."""
    container.subheader("Landscape")
    plane = url_bound(
        container.radio,
        "Directions",
        list(nn_landscape.PLANES),
        captions=list(nn_landscape.PLANES.values()),
        key="plane",
    )
    direction_seed = url_bound(
        container.number_input,
        "Direction seed",
        0,
        nn_network.MAX_SEED,
        0,
        key="dseed",
        disabled=plane != "random",
    )
    resolution = url_bound(
        container.select_slider,
        "Grid points per side",
        nn_landscape.RESOLUTION_CHOICES,
        value=PlaneChoice.resolution,
        key="grid",
    )
    span = url_bound(
        container.select_slider, "Span ±", nn_landscape.SPAN_CHOICES, value=PlaneChoice.span, key="span"
    )
    return PlaneChoice(plane, direction_seed, resolution, span)
