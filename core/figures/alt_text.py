"""A chart's text alternative: what it shows and its key numbers, in one or two sentences, for a screen
reader (WCAG 1.1.1) and for anyone who cannot see the colours.

Read off the finished figure, so it cannot disagree with what is drawn: the title, each axis's title and
the span of the values drawn along it, and the named traces. A number that is an answer in quiz mode is not
in it when its trace is not drawn, since only drawn traces are read.
"""

from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go

from core.figures.serialize import figure_parts
from core.numbers import format_number

MAX_SERIES = 6  # beyond this the list stops helping: "and 3 more"


def text_alternative(fig: go.Figure) -> str:
    """``"<title>. <what is plotted against what, with spans>. Shows: <named traces>."``"""
    # the figure's own dicts: walking Plotly's property objects instead was a tenth of a page's rerun
    traces, layout = figure_parts(fig)
    title = _plain(_text(layout.get("title"))) or "Chart"
    parts = [title.rstrip(".") + "."]
    scene = layout.get("scene", {})
    if _text(scene.get("zaxis", {}).get("title")) is not None or any(
        t.get("type") == "surface" for t in traces
    ):
        axes = [(name, scene.get(f"{name}axis", {})) for name in ("x", "y", "z")]
        kind = "3-D chart"
    else:
        axes = [(name, layout.get(f"{name}axis", {})) for name in ("x", "y")]
        kind = "Chart"
    spans = [_axis_words(name, axis, traces) for name, axis in axes]
    spans = [words for words in spans if words]
    if spans:
        parts.append(
            f"{kind} of {' against '.join(reversed(spans[:2]))}" + (f", {spans[2]}." if spans[2:] else ".")
        )
    names = [
        _plain(t["name"])
        for t in traces
        if t.get("name") and t.get("showlegend") is not False and t.get("visible") is not False
    ]
    if names:
        shown = ", ".join(names[:MAX_SERIES]) + (
            f" and {len(names) - MAX_SERIES} more" if names[MAX_SERIES:] else ""
        )
        parts.append(f"Shows: {shown}.")
    return " ".join(parts)


def _text(title: dict | None) -> str | None:
    return (title or {}).get("text")


def _axis_words(name: str, axis: dict, traces: list[dict]) -> str:
    label = _plain(_text(axis.get("title"))) or name
    span = axis.get("range")
    if span is not None:
        if axis.get("type") == "log":  # a log axis's range is in powers of ten
            span = [10**end for end in span]
    else:
        span = _data_span(name, traces)
    if span is None:
        return label
    low, high = sorted(span)
    return f"{label} from {format_number(low, '.3g')} to {format_number(high, '.3g')}"


def _data_span(name: str, traces: list[dict]) -> tuple[float, float] | None:
    lows, highs = [], []
    for trace in traces:
        values = trace.get(name)
        if values is None or trace.get("visible") is False:
            continue
        try:
            array = np.asarray(values, dtype=float).ravel()
        except (TypeError, ValueError):  # categories, dates: no span to tell
            continue
        finite = array[np.isfinite(array)]
        if finite.size:
            lows.append(float(finite.min()))
            highs.append(float(finite.max()))
    if not lows or not all(math.isfinite(v) for v in (min(lows), max(highs))):
        return None
    return min(lows), max(highs)


def _plain(text: str | None) -> str:
    """Plotly's HTML-ish label text as words: line breaks as spaces, tags dropped."""
    if not text:
        return ""
    for tag in ("<br>", "<br />", "<br/>"):
        text = text.replace(tag, " ")
    out, inside = [], False
    for char in text:
        if char == "<":
            inside = True
        elif char == ">":
            inside = False
        elif not inside:
            out.append(char)
    return " ".join("".join(out).split())
