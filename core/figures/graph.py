"""A formula's computational graph, left to right, with a step slider through the forward and backward pass
(Plotly frames: the steps play in the browser, no server round trip)."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from core.chain_rule import ChainRuleView, Step
from core.figures import PALETTE, ChartLabels, FigureStyle, figure, figure_layout, trace

STEP_MS = 900  # per step when playing: time to read a caption line
# node fill by state: waiting, value known, the step's own node, adjoint final
STATE_FILL = {"pending": "#FFFFFF", "computed": "#CDE7F6", "current": PALETTE["orange"], "done": "#F5CBB0"}
STATE_LINE = {"pending": "#AAAAAA", "computed": PALETTE["blue"], "current": PALETTE["black"],
              "done": PALETTE["vermillion"]}  # fmt: skip
# the traces a frame changes, by index in the figure's data
NODES, VALUES, ADJOINTS, ACTIVE, EDGE_TEXT, CAPTION = 2, 3, 4, 1, 5, 6


def computation_graph_chart(
    view: ChainRuleView, style: FigureStyle, *, start: int | None = None
) -> go.Figure:
    """Nodes (operation in the circle, value above, adjoint below) and edges (local derivative at the
    middle once the backward pass has crossed it); the slider and Play step through ``view.steps``,
    starting at ``start`` (default: the last step, everything computed)."""
    nodes = view.graph.nodes
    start = len(view.steps) - 1 if start is None else start
    first = view.steps[start]
    paths = view.layout.edge_paths
    x, y = view.layout.node_x.tolist(), view.layout.node_y.tolist()
    edge_x, edge_y = _segments(view, range(len(view.edges)))
    # a local derivative sits halfway along its edge (at the middle waypoint of a long one)
    middles = [(path[(len(path) - 1) // 2] + path[len(path) // 2]) / 2 for path in paths]
    node_size = style.marker_size * 3.6
    hover = [f"{node.name} = {node.definition}" if node.inputs else f"input {node.name}" for node in nodes]
    edge_hover = [
        f"∂{nodes[t].name}/∂{nodes[s].name} = {nodes[t].local_formulas[nodes[t].inputs.index(s)]}"
        for s, t in view.edges
    ]
    caption_lines = max(step.caption.count("<br>") + 1 for step in view.steps)
    active_x, active_y = _segments(view, first.active_edges)
    traces = [
        trace("scatter", x=edge_x, y=edge_y, mode="lines", name="edges", hoverinfo="skip",
            line={"color": "#B0B0B0", "width": style.line_width * 0.6}, showlegend=False),
        trace("scatter", x=active_x, y=active_y, mode="lines", name="this step's edges",
            hoverinfo="skip", line={"color": PALETTE["orange"], "width": style.line_width * 1.6},
            showlegend=False),
        trace("scatter", x=x, y=y, mode="markers+text", name="nodes",
            text=[node.label for node in nodes], hovertext=hover, hoverinfo="text",
            textfont={"size": style.font_size, "color": PALETTE["black"]}, showlegend=False,
            marker={"size": node_size, "color": _fills(first), "symbol": "circle",
                    "line": {"width": style.line_width * 0.8, "color": _lines(first)}}),
        # values and adjoints ride on invisible markers of the nodes' size, so the text clears the circle
        trace("scatter", x=x, y=y, mode="markers+text", name="values (forward)",
            text=list(first.value_texts), textposition="top center", hoverinfo="skip",
            cliponaxis=False,
            textfont={"size": style.font_size - 1, "color": PALETTE["blue"]},
            marker={"size": node_size, "opacity": 0}, showlegend=False),
        trace("scatter", x=x, y=y, mode="markers+text", name="adjoints ∂f/∂node (backward)",
            text=list(first.adjoint_texts), textposition="bottom center", hoverinfo="skip",
            cliponaxis=False,
            textfont={"size": style.font_size - 1, "color": PALETTE["vermillion"]},
            marker={"size": node_size, "opacity": 0}, showlegend=False),
        trace("scatter", x=[m[0] for m in middles], y=[m[1] for m in middles], mode="text",
            name="local derivatives", textposition="top center",
            text=list(first.edge_texts), hovertext=edge_hover, hoverinfo="text",
            textfont={"size": style.font_size - 2, "color": PALETTE["black"]}, showlegend=False),
        trace("scatter", x=[0.0], y=[1.0], mode="text", name="what this step does",
            text=[first.caption], textposition="bottom right", hoverinfo="skip", xaxis="x2",
            yaxis="y2", textfont={"size": style.font_size - 1, "color": PALETTE["black"]},
            showlegend=False),
    ]  # fmt: skip
    frames = [
        {
            "name": str(k),
            "traces": [ACTIVE, NODES, VALUES, ADJOINTS, EDGE_TEXT, CAPTION],
            "data": [
                trace("scatter", **dict(zip(("x", "y"), _segments(view, step.active_edges), strict=True))),
                trace("scatter", marker={"color": _fills(step), "line": {"color": _lines(step)}}),
                trace("scatter", text=list(step.value_texts)),
                trace("scatter", text=list(step.adjoint_texts)),
                trace("scatter", text=list(step.edge_texts)),
                trace("scatter", text=[step.caption]),
            ],
        }
        for k, step in enumerate(view.steps)
    ]
    reach = max(float(np.abs(path[:, 1]).max()) for path in paths) if paths else 0.0
    rows = round(2 * max(reach, *map(abs, y))) + 1  # heights are centred on 0, the densest column one apart
    caption_px = caption_lines * (style.font_size + 4) + 8
    top, bottom = _margins(style)
    # per row of the densest column: a node, its value above and its adjoint below, in this style's sizes
    row_px = node_size + 2.6 * style.font_size + 6  # two lines of text, ~1.3 font sizes each, and a gap
    graph_px = max(style.height - 240, round(rows * row_px))  # the y range below is `rows` rows high
    height = graph_px + caption_px + top + bottom
    caption_share = caption_px / (graph_px + caption_px)
    hidden = {"showgrid": False, "zeroline": False, "showticklabels": False, "showline": False}
    half = (rows - 1) / 2 + 0.5  # a node and its text beyond the outer rows (text may pass the axes)
    layout = figure_layout(
        ChartLabels(
            "The computational graph: forward values, then adjoints backward",
            "",  # the title says which way each pass runs; an axis title would cost the graph its height
            "",
        ),
        style,
        height=height,
        xaxis={**hidden, "range": [-0.6, max(x) + 0.6]},
        yaxis={**hidden, "range": [-half, half], "domain": [0.0, 1.0 - caption_share]},
        xaxis2={**hidden, "range": [0, 1], "anchor": "y2", "domain": [0.0, 1.0]},
        yaxis2={**hidden, "range": [0, 1], "domain": [1.0 - caption_share, 1.0], "anchor": "x2"},
        annotations=[
            {"x": x[t], "y": y[t], "ax": path[-2, 0], "ay": path[-2, 1], "xref": "x", "yref": "y",
             "axref": "x", "ayref": "y", "showarrow": True, "arrowhead": 2, "arrowsize": 1.2,
             "arrowwidth": style.line_width * 0.6, "arrowcolor": "#B0B0B0", "standoff": node_size / 2 + 2,
             "text": ""}
            for (_, t), path in zip(view.edges, paths, strict=True)
        ],
        showlegend=False,
        **_step_player(len(view.steps), start, style),
    )  # fmt: skip
    return figure(layout, traces, frames)


def _segments(view: ChainRuleView, edges) -> tuple[list, list]:
    """Line coordinates for these edges, separated by None (one trace draws them all)."""
    xs, ys = [], []
    for e in edges:
        path = view.layout.edge_paths[e]
        xs += [*path[:, 0].tolist(), None]
        ys += [*path[:, 1].tolist(), None]
    return xs, ys


def _fills(step: Step) -> list[str]:
    return [STATE_FILL[state] for state in step.states]


def _lines(step: Step) -> list[str]:
    return [STATE_LINE[state] for state in step.states]


def _margins(style: FigureStyle) -> tuple[int, int]:
    """(top, bottom) in px: the title above; the step slider and Play below."""
    return 20 + 2 * style.font_size, 86


def _step_player(count: int, start: int, style: FigureStyle) -> dict:
    """A Play button and a step slider under the chart that switch frames in the browser."""
    play = {
        "frame": {"duration": STEP_MS, "redraw": False},
        "transition": {"duration": 0},
        "fromcurrent": True,
    }
    pause = {"frame": {"duration": 0, "redraw": False}, "mode": "immediate", "transition": {"duration": 0}}
    top, bottom = _margins(style)
    return dict(
        margin={"l": 10, "r": 10, "t": top, "b": bottom},
        updatemenus=[
            {"type": "buttons", "direction": "left", "x": 0.0, "y": 0.0, "xanchor": "left", "yanchor": "top",
             "pad": {"t": 26}, "showactive": False, "font": {"size": style.font_size},
             "buttons": [{"label": "▶ Play", "method": "animate", "args": [None, play]},
                         {"label": "❚❚ Pause", "method": "animate", "args": [[None], pause]}]}
        ],
        sliders=[
            # from 30% of the width: Play and Pause in lecture-mode type need ~220 px of an 820 px chart
            {"active": start, "x": 0.3, "y": 0.0, "len": 0.7, "yanchor": "top", "pad": {"t": 16},
             "currentvalue": {"prefix": "step ", "suffix": f" of {count}", "font": {"size": style.font_size}},
             "font": {"size": max(10, style.font_size - 5)},
             "steps": [{"label": str(k + 1), "method": "animate",
                        "args": [[str(k)], {"mode": "immediate", "frame": {"duration": 0, "redraw": False},
                                            "transition": {"duration": 0}}]}
                       for k in range(count)]}
        ],
    )  # fmt: skip
