"""The live chart: Plotly figures that in-chart controls redraw in the browser (Streamlit Components v2).

What a class watches move (a point, an iteration, a step h, an angle) is recomputed by a small JavaScript
recipe (``ui/live/recipes/*.js``) and applied with ``Plotly.restyle``: no server round trip while a control
is dragged or a key held. Python hears the settled value once the user lets go; the page then writes it to
the URL and redraws what only the server can compute. plotly.js is the copy inside the plotly wheel, served
by the app itself (``static/``), so a lecture hall needs no internet.
"""

from __future__ import annotations

import math
import os
import shutil
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import orjson
import plotly
import plotly.graph_objects as go
import streamlit as st

from core.figures.alt_text import text_alternative
from core.figures.serialize import figure_json

_HERE = Path(__file__).resolve().parent / "live"
STATIC_DIR = Path(__file__).resolve().parents[1] / "static"
PLOTLY_SOURCE = Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"


def _install_plotly_js() -> None:
    """Copy the wheel's plotly.min.js where ``server.enableStaticServing`` serves it (app/static/…).

    Copied rather than committed: 4.8 MB that must match the installed plotly. Written to a temporary file
    and renamed, so two server processes starting at once never serve half a file."""
    target = STATIC_DIR / "plotly.min.js"
    if target.exists() and target.stat().st_size == PLOTLY_SOURCE.stat().st_size:
        return
    STATIC_DIR.mkdir(exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=STATIC_DIR, suffix=".part")
    os.close(handle)
    shutil.copyfile(PLOTLY_SOURCE, temporary)
    os.replace(temporary, target)


def _component_js() -> str:
    base = (_HERE / "live_chart.js").read_text()
    recipes = "\n".join(path.read_text() for path in sorted((_HERE / "recipes").glob("*.js")))
    return base.replace("/* RECIPES */", recipes)


# the one field of the component's data: everything the JavaScript needs, as one JSON string (show_live_chart)
DATA_FIELD = "json"

_install_plotly_js()
_MOUNT = st.components.v2.component(
    "gradient_lab.live_chart",
    js=_component_js(),
    css=(_HERE / "live_chart.css").read_text(),
    isolate_styles=False,  # a shadow root keeps plotly.js's global CSS out: legends land in the wrong place
)


@dataclass(frozen=True)
class LiveControl:
    """A scrubber under the chart. ``options``: a fixed list of values (the slider moves by index);
    otherwise ``min``…``max`` in steps of ``step``. ``play``: a Play button that runs the control to
    ``play_to`` (from ``play_from`` when it is already there), ``play_stride`` steps every ``play_ms``."""

    name: str
    label: str
    value: float
    min: float = 0.0
    max: float = 1.0
    step: float = 1.0
    options: Sequence[float] | None = None
    format: str = "number"  # "number", "int", "step" (1e-5) or "degrees"
    play_label: str = ""
    play_from: float | None = None
    play_to: float | None = None
    play_ms: int = 120
    play_stride: int = 1

    def clean(self, raw: object) -> float:
        """A value from the browser or the URL, checked: the nearest allowed value, or the current one."""
        try:
            number = float(raw)  # type: ignore[arg-type]
        except (TypeError, ValueError, OverflowError):
            return self.value
        if not math.isfinite(number):
            return self.value
        if self.options is not None:
            return min(self.options, key=lambda option: abs(option - number))
        snapped = self.min + round((min(self.max, max(self.min, number)) - self.min) / self.step) * self.step
        return round(snapped, 10)

    def as_data(self) -> dict:
        data = {"name": self.name, "label": self.label, "value": self.value, "format": self.format}
        if self.options is not None:
            data["options"] = list(self.options)
        else:
            data.update(min=self.min, max=self.max, step=self.step)
        if self.play_label:
            data["play"] = {
                "label": self.play_label,
                "from": self.min if self.play_from is None else self.play_from,
                "to": self.max if self.play_to is None else self.play_to,
                "interval": self.play_ms,
                "stride": self.play_stride,
            }
        return data


@dataclass(frozen=True)
class Drag:
    """Clicking or dragging on chart ``plot`` sets control ``x`` (and ``y``) to the pointer's coordinates;
    or, with ``handler``, whatever ``DRAGS[handler]`` in a recipe file makes of them (turning an arrow by its
    head, say): ``({point, values, params, grab}) -> {grab, set: {control: value}}``, ``grab`` being null on
    the press and what the press returned while the pointer moves."""

    plot: int = 0
    x: str | None = None
    y: str | None = None
    handler: str | None = None


@dataclass
class LiveChart:
    """Everything one live chart needs. ``traces``: the traces the recipe moves, role -> (chart, index)."""

    key: str
    recipe: str
    figures: Sequence[tuple[str, go.Figure]]  # (name for the PNG export, figure)
    controls: Sequence[LiveControl]
    params: Mapping[str, object] = field(default_factory=dict)
    traces: Mapping[str, tuple[int, int]] = field(default_factory=dict)
    formulas: Mapping[str, str] = field(default_factory=dict)
    variables: Sequence[str] = ()
    drag: Drag | None = None
    columns: int = 1
    lecture: bool = False
    # what the server computed at the current values: shown while the browser cannot compute them itself
    # (no formula code), and before plotly.js has loaded
    server_readouts: Sequence[tuple[str, str, str]] = ()
    server_message: str = ""


def trace_roles(figure: go.Figure, roles: Mapping[str, str], *, chart: int = 0) -> dict[str, tuple[int, int]]:
    """role -> (chart, trace index) for the traces named in ``roles`` (role -> trace name) that the figure
    has; a role whose trace is absent (hidden in quiz mode, say) is left out, and the recipe skips it."""
    index = {trace.name: i for i, trace in enumerate(figure.data)}
    return {role: (chart, index[name]) for role, name in roles.items() if name in index}


def live_controls(key: str, controls: Sequence[LiveControl], *, reset_on: object = None) -> list[LiveControl]:
    """The controls with their current values: the ones the user last let go of in the browser, else the
    URL's, else the defaults; every one checked (the browser and the URL are both untrusted) and written
    back to the URL, so a copied link reopens the view. Call before building the figures.

    A new ``reset_on`` (another function, say) puts every control back to its default: the browser's last
    value and the URL's belong to the old one."""
    state = st.session_state.get(key)
    view = state.get("view") if isinstance(state, Mapping) else getattr(state, "view", None)
    marker, stale = f"{key}:reset-on", f"{key}:stale-view"
    if marker in st.session_state and st.session_state[marker] != repr(reset_on):
        st.session_state[stale] = view  # the browser keeps reporting it until the user moves again
        for control in controls:
            st.query_params.pop(control.name, None)
    st.session_state[marker] = repr(reset_on)
    if view is not None and view == st.session_state.get(stale):
        view = None
    current = []
    for control in controls:
        if isinstance(view, Mapping) and control.name in view:
            value = control.clean(view[control.name])
        elif control.name in st.query_params:
            value = _from_link(control, st.query_params[control.name])
        else:
            value = control.value
        st.query_params[control.name] = f"{value:g}"
        current.append(LiveControl(**{**control.__dict__, "value": value}))
    return current


def _from_link(control: LiveControl, text: str) -> float:
    """A control's value from the URL; one that is not a finite number in the control's range, or not one
    of its options, is ignored with a notice, as for every other control bound to the URL (ui.inputs)."""
    value = control.clean(text)
    try:
        number = float(text)
    except (TypeError, ValueError, OverflowError):
        number = math.nan
    if control.options is not None:
        fits = any(math.isclose(number, option, rel_tol=1e-9) for option in control.options)
    else:
        fits = control.min <= number <= control.max  # False for NaN and infinities
    if not fits:
        shown = text if len(text) <= 40 else f"{text[:40]}… ({len(text):,} characters)"
        st.toast(f"Ignored `{control.name}={shown}` from the link: not a value this chart offers. Using the "
                 "default.", icon="⚠️")  # fmt: skip
        return control.value
    return value


def show_live_chart(chart: LiveChart) -> None:
    """Mount the chart. The figures are drawn as built; the recipe then moves the named traces."""
    data = {
        "recipe": chart.recipe,
        "figures": [_figure_data(name, f) for name, f in chart.figures],
        "controls": [c.as_data() for c in chart.controls],
        "params": dict(chart.params),
        "traces": {role: list(where) for role, where in chart.traces.items()},
        "formulas": dict(chart.formulas),
        "variables": list(chart.variables),
        "drag": chart.drag.__dict__ if chart.drag else None,
        "columns": chart.columns,
        "lecture": chart.lecture,
        # without formula code the recipe cannot run: every settled move is drawn by the server instead
        "live": bool(chart.formulas) or not chart.variables,
        "readouts": [{"label": a, "value": b, "help": c} for a, b, c in chart.server_readouts],
        "message": chart.server_message,
    }
    _MOUNT(
        key=chart.key,
        # one string, written by orjson: Streamlit writes a component's data as JSON twice per rerun (to send
        # it and to identify it) with the standard library's encoder, which took a tenth of the logistic
        # page's rerun for its paths' floats; a string costs it almost nothing
        data={DATA_FIELD: orjson.dumps(data, option=orjson.OPT_SERIALIZE_NUMPY).decode()},
        default={"view": {c.name: c.value for c in chart.controls}},
        on_view_change=lambda: None,
    )


def _figure_data(name: str, fig: go.Figure) -> dict:
    """The figure as Plotly writes it (numpy arrays in plotly.js's typed-array form, NaN as null), embedded
    as it is in the chart's JSON, with its text alternative and its export settings."""
    return {
        "figure": orjson.Fragment(figure_json(fig)),
        "alt": text_alternative(fig),  # the plot's aria-label: what it shows, with its spans
        "config": {
            "displaylogo": False,
            "toImageButtonOptions": {"format": "png", "scale": 2, "filename": f"gradient-lab-{name}"},
        },
    }
