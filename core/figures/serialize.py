"""A figure as plotly.js reads it, written fast: what ``fig.to_json()`` writes, without its cost.

``to_json`` deep-copies the whole figure, then walks the copy in Python to turn each NumPy array into
plotly.js's typed-array form (base64 ``bdata``), then walks it again to clean it for the JSON encoder: a
sixth of the derivative page's rerun. Here orjson walks the figure's own data once, in C, and calls back
only for the arrays, which Plotly's own ``to_typed_array_spec`` encodes exactly as ``to_json`` does.
"""

from __future__ import annotations

import numpy as np
import orjson
import plotly.graph_objects as go
from _plotly_utils.utils import to_typed_array_spec


def figure_parts(fig: go.Figure) -> tuple[list[dict], dict]:
    """The figure's traces and layout as the plain dicts Plotly keeps them in once validated (what
    ``to_dict`` copies): to read, never to change."""
    return fig._data, fig._layout


def figure_json(fig: go.Figure) -> bytes:
    """The figure's JSON, equal to ``fig.to_json()`` read back (tests/unit/test_figure_json.py)."""
    traces, layout = figure_parts(fig)
    whole = {"data": traces, "layout": layout}
    if fig.frames:
        whole["frames"] = [frame.to_plotly_json() for frame in fig.frames]
    return orjson.dumps(whole, default=_plotly_value, option=orjson.OPT_NON_STR_KEYS)


def _plotly_value(value):
    if isinstance(value, np.ndarray):
        encoded = to_typed_array_spec(value)
        # an empty array, or one of a type plotly.js has no typed array for (text, objects), as a list
        return encoded if isinstance(encoded, dict) else value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"{type(value).__name__} is not a value a Plotly figure holds")
