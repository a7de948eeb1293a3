"""Neural-network loss landscape: a small MLP trained on 2-D data, its loss on a plane through the trained
weights (random filter-normalised directions, Li et al. 2018, or the training path's principal directions)
and on the line from the initial weights (Goodfellow et al. 2015)."""

import streamlit as st

from core import bivariate, code_listing_training, nn_landscape, nn_network
from core.figures.nn_landscape import (
    decision_regions,
    interpolation_chart,
    landscape_contour,
    landscape_surface,
)
from ui.cache import network_landscape, trained_network
from ui.code_panel import show_code
from ui.network_controls import plane_controls, training_controls
from ui.page import explain, introduce, revealed, setup_page, share_link, show_chart
from ui.registry import page_info

settings = setup_page(page_info("pages/8_Neural_Network_Landscape.py"))
try:
    training = training_controls(st.sidebar)
except ValueError as error:
    st.error(str(error))
    st.stop()
plane = plane_controls(st.sidebar)

introduce(
    settings,
    "A small neural network (an MLP) is trained on two-dimensional points; left, the classes it predicts. "
    "Its loss is a function of every weight at once, far too many dimensions to draw, so the pictures "
    "show slices: the loss on a plane through the trained weights θ*, and along the straight line from "
    "the initial weights θ₀ to θ*.",
    [
        r"L(\theta) = -\frac{1}{n} \sum_{i=1}^{n} \big[ y_i \log p_i + (1 - y_i) \log (1 - p_i) \big]"
        r" + \frac{\alpha}{2n} \sum_{\text{layers}} \lVert W \rVert^2",
        r"\text{plane: } L(\theta^* + a\,\delta + b\,\eta) \qquad "
        r"\text{filter-normalised: } \delta_j \leftarrow \frac{\delta_j}{\lVert \delta_j \rVert}"
        r"\lVert \theta^*_j \rVert \text{ for each neuron } j",
        r"\text{line: } L\big((1 - t)\,\theta_0 + t\,\theta^*\big), \quad t \in [-0.5, 1.5]",
    ],
)
try:
    network = trained_network(training)
    landscape = network_landscape(training, plane)
except ValueError as error:
    st.error(str(error))
    st.stop()
interpolation = nn_landscape.interpolate(network)
surface = nn_landscape.decision_surface(network)

answer = revealed(settings, "how well it trained", training)  # quiz mode: guess the fit first
z_range = bivariate.color_range(landscape.loss)
left, right = st.columns(2)
with left:
    if answer:
        architecture = nn_network.describe_hidden(training.hidden)
        show_chart(
            decision_regions(surface, network.x, network.y, architecture, settings.style),
            name="nn-decision-regions",
        )
with right:
    show_chart(landscape_contour(landscape, z_range, settings.style), name="nn-landscape-contour")
centre = f"; at the centre θ* it is {landscape.centre_loss:.4f}" if answer else ""  # the trained loss
st.caption(
    f"Loss = cross-entropy + L2 penalty (what training minimised) at θ* + a·δ + b·η{centre}. "
    f"{landscape.plane.description}"
)
# the numbers under the first two charts, which then open on a projector's screen
columns = st.columns(5)
columns[0].metric(
    "Cross-entropy",
    f"{network.cross_entropy:.4f}" if answer else "?",
    help="sklearn.metrics.log_loss of the network's predicted probabilities on the training data.",
)
columns[1].metric(
    "L2 penalty", f"{network.penalty:.2g}" if answer else "?", help="alpha/(2n)·Σ‖W‖² at the trained weights."
)
columns[2].metric("Accuracy", f"{network.accuracy:.1%}" if answer else "?")
columns[3].metric(
    "Parameters",
    network.architecture.n_parameters,
    help="The dimension of weight space; the pictures below show a plane in it.",
)
columns[4].metric(
    "Path in plane",
    f"{landscape.plane.captured:.0%}",
    help="The share of the training path's squared distance from θ* that lies in the plane.",
)

left, right = st.columns(2)
with left:
    show_chart(landscape_surface(landscape, z_range, settings.style), name="nn-landscape-surface")
with right:
    if answer:  # its end, t = 1, is the trained loss
        show_chart(
            interpolation_chart(interpolation.t, interpolation.loss, settings.style), name="nn-interpolation"
        )

explain(
    settings,
    "**What the picture can say.** Around θ* the loss is a bowl of some width: a wide, flat bowl means the "
    "network's predictions barely change when every neuron's weights are nudged by a fraction of their "
    "own size; a narrow one means they change a lot. Filter normalisation is what makes that comparable: "
    "without it, a network whose weights are small (large L2) looks sharp just because a step of 1 is "
    "huge for it. **What it cannot say.** The network has "
    f"{network.architecture.n_parameters} parameters; a plane is two directions out of that many, and "
    "two random directions are almost orthogonal to the path training took (see *Path in plane*). "
    "Valleys, saddles and barriers off the plane are invisible, and a different direction seed draws "
    "a different slice. The PCA plane holds the path instead, but it is chosen after the fact. The straight "
    "line from θ₀ (right) often goes downhill all the way: no barrier on the line, whatever the path did.",
)
explain(
    settings,
    "**Try:** L2 strength 0.0001 against 1 or 10 (the penalty adds a bowl and shrinks the weights); "
    "2 → 4 → 1 against 2 → 64 → 1 (narrow against wide); batch size 8 against 256; the PCA plane to "
    "see the path; another direction seed to see another slice of the same minimum.",
)
show_code(code_listing_training.network(training), reveal=answer)
share_link()
