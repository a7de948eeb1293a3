"""The chain-rule page's view (presets, layout, steps) and its figure: the steps replay the sweep the
graph reports, the layout keeps edges off nodes, and the figure has a frame per step."""

import math

import numpy as np
import plotly.graph_objects as go
import pytest

from core import chain_rule
from core.autodiff import NotDifferentiableError
from core.figures import FigureStyle
from core.figures.graph import ACTIVE, ADJOINTS, CAPTION, EDGE_TEXT, NODES, VALUES, computation_graph_chart


def view_of(name: str, **kwargs) -> chain_rule.ChainRuleView:
    preset = chain_rule.PRESETS[name]
    return chain_rule.chain_rule_view(
        chain_rule.prepare(preset.formula, preset.variables), preset.point, **kwargs
    )


@pytest.mark.parametrize("name", list(chain_rule.PRESETS))
def test_every_preset_agrees_with_sympy_and_matches_its_note(name):
    view = view_of(name)
    assert view.agrees
    assert len(view.graph.gradient) == len(chain_rule.PRESETS[name].variables)


def test_the_seed_presets_give_the_seeds_numbers():
    assert view_of("Cubic (seed)").graph.gradient == pytest.approx((2.0,))
    assert view_of("Bowl x²+2y² (seed)").graph.gradient == pytest.approx((2.0, 4.0))
    assert view_of("No critical point (seed)").graph.gradient == pytest.approx((2.0, -4.0))
    survey = view_of("Autodiff survey").graph
    assert (survey.output, *survey.gradient) == pytest.approx((11.652, 5.5, 1.716), abs=5e-4)
    # −ln σ(2w + b) at w = b = 1: ∂/∂b = σ(3) − 1, ∂/∂w = 2(σ(3) − 1), the logistic gradient of the seed
    sigma = 1 / (1 + math.exp(-3))
    assert view_of("Logistic loss, one sample").graph.gradient == pytest.approx((2 * (sigma - 1), sigma - 1))


def test_custom_formulas_use_y_only_when_they_mention_it():
    assert chain_rule.prepare("x^2 sin(x)").variables == ("x",)
    assert chain_rule.prepare("x + y").variables == ("x", "y")
    assert chain_rule.prepare("y^2").variables == ("x", "y")
    assert chain_rule.prepare("x^3").gradient_latex == "f'(x) = 3 x^{2}"
    assert chain_rule.prepare("x y").gradient_latex.startswith(r"\nabla f = \left(y")


def test_there_is_a_step_per_node_forward_then_the_seed_one_per_operation_and_the_result():
    view = view_of("Autodiff survey")
    nodes, operations = len(view.graph.nodes), len(view.graph.backward_order)
    assert len(view.steps) == nodes + 1 + operations + 1
    assert view.steps[0].caption == "Forward: the input x = 2"
    assert view.steps[4].caption == "Forward: v3 = x·y = 2·5 = 10"
    assert view.steps[nodes].caption.startswith("Backward: start at the output, v̄5 = ∂f/∂v5 = 1")
    assert "∇f = (∂f/∂x, ∂f/∂y) = (5.5, 1.716)" in view.steps[-1].caption
    forward_only = view_of("Autodiff survey", backward_pass=False)
    assert len(forward_only.steps) == nodes and not any(forward_only.steps[-1].adjoint_texts)


def test_the_steps_replay_the_sweep_with_partial_sums_until_every_user_has_pushed():
    view = view_of("Autodiff survey")
    nodes = view.graph.nodes
    x_texts = [step.adjoint_texts[0] for step in view.steps]
    # x feeds ln and ×: after ln pushes it holds 1/x = 0.5 and is unfinished, after × it is 0.5 + 5
    assert "x̄ = 0.5 + …" in x_texts and x_texts[-1] == "x̄ = 5.5"
    assert x_texts.index("x̄ = 5.5") > x_texts.index("x̄ = 0.5 + …")
    final = view.steps[-1]
    assert final.states == ("done",) * len(nodes)
    assert final.adjoint_texts == tuple(
        f"{chain_rule.bar(n.name)} = {chain_rule.number(n.adjoint)}" for n in nodes
    )
    assert all(final.edge_texts)  # every edge has been crossed
    for step in view.steps[: len(nodes)]:
        assert not any(step.edge_texts) and not any(step.adjoint_texts)
    pushing = view.steps[len(nodes) + 1]  # the output node, +, sends 1 back along its three edges
    assert pushing.states[view.graph.output_node] == "current" and len(pushing.active_edges) == 3


def test_the_layout_runs_left_to_right_and_no_edge_passes_through_a_node():
    for name in chain_rule.PRESETS:
        view = view_of(name)
        layout, nodes = view.layout, view.graph.nodes
        for (source, target), path in zip(view.edges, layout.edge_paths, strict=True):
            assert layout.node_x[source] < layout.node_x[target]
            assert np.all(np.diff(path[:, 0]) == 1)  # one column per segment: waypoints fill the gaps
            inner = {tuple(p) for p in path[1:-1]}
            spots = {(layout.node_x[i], layout.node_y[i]) for i in range(len(nodes))}
            assert not inner & spots
        assert len(set(zip(layout.node_x, layout.node_y, strict=True))) == len(nodes)  # no two nodes overlap


def test_the_trace_table_lists_every_node_in_evaluation_order():
    table = view_of("Autodiff survey").trace_table()
    assert table["node"] == ["x", "y", "v1", "v2", "v3", "v4", "v5"]
    assert table["definition"][4] == "x·y" and table["value"][4] == "10"
    assert table["local derivatives"][4] == "∂v3/∂x = y = 5; ∂v3/∂y = x = 2"
    assert table["adjoint ∂f/∂node"][:2] == ["5.5", "1.716"]


def test_a_kink_and_an_out_of_range_point_are_errors():
    relu = chain_rule.prepare("relu(x - 1)")
    with pytest.raises(NotDifferentiableError):
        chain_rule.chain_rule_view(relu, (1.0,))
    with pytest.raises(ValueError, match=r"point\[0\] must be in \[-10.0, 10.0\]"):
        chain_rule.chain_rule_view(relu, (11.0,))


def test_the_figure_has_a_frame_per_step_and_starts_at_the_last():
    view = view_of("Autodiff survey")
    fig = computation_graph_chart(view, FigureStyle())
    assert isinstance(fig, go.Figure)
    assert len(fig.frames) == len(view.steps)
    assert fig.layout.sliders[0].active == len(view.steps) - 1
    assert [step.label for step in fig.layout.sliders[0].steps] == [
        str(k + 1) for k in range(len(view.steps))
    ]
    assert fig.data[NODES].text == tuple(node.label for node in view.graph.nodes)
    assert fig.data[ADJOINTS].text == view.steps[-1].adjoint_texts
    assert len(fig.layout.annotations) == len(view.edges)  # an arrowhead per edge
    third = fig.frames[2]
    assert list(third.traces) == [ACTIVE, NODES, VALUES, ADJOINTS, EDGE_TEXT, CAPTION]
    assert third.data[2].text == view.steps[2].value_texts
    assert third.data[5].text == (view.steps[2].caption,)
    assert fig.layout.title.text  # the axes are hidden: the title says which way each pass runs


def test_the_figure_can_start_at_any_step_and_grows_with_the_widest_column():
    small = computation_graph_chart(view_of("Cubic (seed)"), FigureStyle(), start=0)
    assert small.layout.sliders[0].active == 0
    assert small.data[VALUES].text == ("x = 1", "", "", "", "", "")
    wide = chain_rule.chain_rule_view(
        chain_rule.prepare("sin(x) + cos(x) + exp(x) + tanh(x) + atan(x) + x^5"), (0.3,)
    )
    assert computation_graph_chart(wide, FigureStyle()).layout.height > small.layout.height
