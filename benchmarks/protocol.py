"""Streamlit's browser protocol, reduced to what one student's tab does: open a page, move its controls.

As the frontend does: fetch the XSRF cookie from /_stcore/health, open ws://HOST/_stcore/stream offering the
subprotocols ("streamlit", token), send a BackMsg.rerun_script carrying a ClientState (page name or hash,
query string, widget states, cached message hashes) and read ForwardMsgs until script_finished. The
controls a student moves are the sidebar's sliders (their widget state) and the live charts' scrubbers
(ui/live_chart.py: the browser moves those itself and reports the settled values as the component's JSON
state, {"view": {...}}). A blocking client on one socket with no thread of its own (websocket-client):
one thread per session in the burst test, one greenlet per Locust user (Locust patches the standard
library's sockets for gevent; with ``websockets.sync``, which reads in a background thread, a Locust run
aborted in libev, epoll_ctl on a closed socket, as Locust stopped its users).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import random
import time
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

import websocket
from streamlit.proto.Alert_pb2 import Alert
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.Slider_pb2 import Slider
from streamlit.proto.WidgetStates_pb2 import WidgetState

from ui import registry
from ui.live_chart import DATA_FIELD

ROOT = Path(__file__).resolve().parents[1]
XSRF_COOKIE = "_streamlit_xsrf"
MOVABLE_TYPES = (Slider.INT, Slider.FLOAT)  # a select_slider's position is an index, also INT


@dataclass(frozen=True)
class PageVisit:
    """A page a student opens, with the query string its link carries (a preset, say)."""

    path: str
    query_string: str = ""

    @property
    def url_path(self) -> str:
        """What the browser puts after the host, and sends as page_name before it knows the page's hash."""
        return registry.url_path(self.path)


def parse_pages(text: str) -> list[PageVisit]:
    """'pages/1_Derivative.py,pages/4_Critical_Points.py?fn=Bowl' -> visits, each checked to exist."""
    visits = []
    for item in filter(None, (part.strip() for part in text.split(","))):
        path, _, query = item.partition("?")
        if not (ROOT / path).is_file():
            raise argparse.ArgumentTypeError(f"page must be a file under {ROOT}. Got {path!r} instead.")
        visits.append(PageVisit(path, query))
    if not visits:
        raise argparse.ArgumentTypeError("pages must name at least one page file.")
    return visits


def every_page() -> list[PageVisit]:
    """The home page and every page file, in their order."""
    return [PageVisit("streamlit_app.py")] + [
        PageVisit(str(path.relative_to(ROOT))) for path in sorted(ROOT.glob("pages/*.py"))
    ]


@dataclass(frozen=True)
class SliderControl:
    """A single-valued slider or select_slider as the server described it in a delta.

    Positions are the slider's value, or for a select_slider the option's index (what the proto carries).
    """

    id: str
    low: float
    high: float
    step: float
    position: float  # where the server puts the thumb: its forced value, else the default
    forced: bool  # the script set the value (session state): the browser adopts it, so do we
    integer: bool
    options: tuple[str, ...] = ()  # a select_slider's formatted options: its widget state is the label
    url_key: str = ""  # bind="query-params": the frontend writes the new value into the page's URL
    label: str = ""


def slider_control(msg: ForwardMsg) -> SliderControl | None:
    """The movable slider this ForwardMsg adds to the page, or None (other messages, range sliders, sliders
    in forms, disabled ones, dates and times)."""
    if msg.WhichOneof("type") != "delta" or msg.delta.WhichOneof("type") != "new_element":
        return None
    if msg.delta.new_element.WhichOneof("type") != "slider":
        return None
    slider = msg.delta.new_element.slider
    values = list(slider.value) if slider.set_value else list(slider.default)
    if len(values) != 1 or slider.disabled or slider.form_id or slider.ignore_rerun:
        return None
    if slider.data_type not in MOVABLE_TYPES:
        return None
    shared = {
        "id": slider.id,
        "position": values[0],
        "forced": slider.set_value,
        "url_key": slider.query_param_key,
        "label": slider.label,
    }
    if slider.type == Slider.SELECT_SLIDER:
        options = tuple(slider.options)
        return SliderControl(low=0, high=len(options) - 1, step=1, integer=True, options=options, **shared)
    integer = slider.data_type == Slider.INT
    return SliderControl(low=slider.min, high=slider.max, step=slider.step, integer=integer, **shared)


@dataclass(frozen=True)
class ChartControl:
    """A live chart's scrubber, as the server described it in the component's data (ui/live_chart.py).

    The browser moves it without the server and, once the user lets go, sends the values of all the chart's
    scrubbers as the component's state. Positions are the value, or for a fixed list of options the index."""

    chart_id: str  # the component's widget id: its state travels under it
    name: str  # the key in the state's "view" (and in the URL)
    low: float
    high: float
    step: float
    position: float  # where the server drew it this run
    options: tuple[float, ...] = ()
    label: str = ""

    @property
    def id(self) -> str:
        return f"{self.chart_id}/{self.name}"

    @property
    def integer(self) -> bool:  # an index into the options moves by whole steps
        return bool(self.options)

    def value(self, position: float) -> float:
        return self.options[int(position)] if self.options else position


Control = SliderControl | ChartControl


def chart_controls(msg: ForwardMsg) -> list[ChartControl]:
    """The scrubbers of the live chart this ForwardMsg adds to the page; [] for anything else (other
    components, such as the lesson's key listener, carry no controls)."""
    if msg.WhichOneof("type") != "delta" or msg.delta.WhichOneof("type") != "new_element":
        return []
    if msg.delta.new_element.WhichOneof("type") != "bidi_component":
        return []
    component = msg.delta.new_element.bidi_component
    try:
        data = json.loads(component.json or component.mixed.json or "null")
        if isinstance(data, dict) and isinstance(data.get(DATA_FIELD), str):  # ui/live_chart.py's one string
            data = json.loads(data[DATA_FIELD])
    except ValueError:
        return []
    described = data.get("controls") if isinstance(data, dict) else None
    controls = []
    for item in described if isinstance(described, list) else []:
        try:
            value = float(item["value"])
            shared = {
                "chart_id": component.id,
                "name": str(item["name"]),
                "label": str(item.get("label", "")),
            }
            if "options" in item:
                options = tuple(float(option) for option in item["options"])
                index = min(range(len(options)), key=lambda i: abs(options[i] - value))
                controls.append(ChartControl(low=0, high=len(options) - 1, step=1, position=index,
                                             options=options, **shared))  # fmt: skip
            else:
                low, high, step = float(item["min"]), float(item["max"]), float(item["step"])
                controls.append(ChartControl(low=low, high=high, step=step, position=value, **shared))
        except (KeyError, TypeError, ValueError):
            continue  # not a scrubber this client understands: a student simply does not move it
    return controls


def chart_state(chart_id: str, view: dict[str, float]) -> WidgetState:
    """The state the live chart's JavaScript sends when a scrubber is let go: every scrubber's value."""
    return WidgetState(id=chart_id, json_value=json.dumps({"view": view}))


def next_position(control: Control, current: float, rng: random.Random) -> float:
    """One to three steps left or right of ``current``, turned back at the ends, on the slider's grid."""
    steps = rng.choice((-3, -2, -1, 1, 2, 3))
    target = current + steps * control.step
    if not control.low <= target <= control.high:
        target = current - steps * control.step
    target = min(max(target, control.low), control.high)
    on_grid = control.low + round((target - control.low) / control.step) * control.step
    return float(round(on_grid)) if control.integer else round(on_grid, 10)


def widget_state(control: SliderControl, position: float) -> WidgetState:
    """The state the frontend sends for a slider: its values, or a select_slider's option label."""
    state = WidgetState(id=control.id)
    if control.options:
        state.string_array_value.data.append(control.options[int(position)])
    else:
        state.double_array_value.data.append(position)
    return state


def url_value(control: SliderControl, position: float) -> str:
    """How a bound slider's value reads in the URL: the option's label, or the number ("5", not "5.0")."""
    if control.options:
        return control.options[int(position)]
    return str(int(position)) if position == int(position) else repr(position)


def with_param(query_string: str, key: str, value: str) -> str:
    """The query string with ``key`` set to ``value`` (a slider holds one value; order does not matter)."""
    kept = [(name, old) for name, old in parse_qsl(query_string, keep_blank_values=True) if name != key]
    return urlencode([*kept, (key, value)])


def rerun_message(
    *,
    page_name: str,
    page_script_hash: str,
    query_string: str,
    widget_states: Sequence[WidgetState],
    cached_hashes: Sequence[str],
    url: str,
) -> BackMsg:
    """The BackMsg the browser sends to run the page: the first time by page name (from the URL), then by
    the page's script hash; with every widget's state and the hashes of the big messages it has cached."""
    msg = BackMsg()
    state = msg.rerun_script
    state.query_string = query_string
    state.page_script_hash = page_script_hash
    state.page_name = "" if page_script_hash else page_name
    state.widget_states.widgets.extend(widget_states)
    state.cached_message_hashes.extend(cached_hashes)
    state.context_info.url = url  # st.context.url: the page's share box needs it
    state.context_info.timezone = "UTC"
    state.context_info.locale = "en-US"
    return msg


def errors_in(msg: ForwardMsg) -> tuple[str, str] | None:
    """('exception', its type and first line) for a traceback element, ('st.error', its first line) for an
    error box; None for anything else."""
    if msg.WhichOneof("type") != "delta" or msg.delta.WhichOneof("type") != "new_element":
        return None
    element = msg.delta.new_element
    kind = element.WhichOneof("type")
    if kind == "exception" and not element.exception.is_warning:
        exception = element.exception
        return "exception", f"{exception.type}: {exception.message.strip()}".splitlines()[0]
    if kind == "alert" and element.alert.format == Alert.ERROR:
        return "st.error", (element.alert.body.strip().splitlines() or [""])[0]
    return None


def xsrf_token(base_url: str, timeout: float = 10) -> str:
    """The XSRF cookie a browser gets with its first request; the frontend offers its value again as the
    websocket's second subprotocol (double submit), so a session can prove it read the cookie."""
    with urllib.request.urlopen(f"{base_url}/_stcore/health", timeout=timeout) as response:
        cookies = SimpleCookie()
        for header in response.headers.get_all("Set-Cookie") or []:
            cookies.load(header)
    return cookies[XSRF_COOKIE].value if XSRF_COOKIE in cookies else ""


class SessionError(Exception):
    """A session that cannot go on: the connection dropped, a rerun timed out, or the page would not run."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


@dataclass(frozen=True)
class Run:
    """One script run as the browser saw it: seconds from sending the BackMsg to script_finished, the
    tracebacks and error boxes it showed (as ``errors_in`` words them), the bytes of ForwardMsgs received,
    and the label of the control moved before it (empty for opening the page)."""

    seconds: float
    errors: tuple[tuple[str, str], ...]
    received: int = 0
    moved: str = ""


class Session:
    """A browser tab reduced to its protocol: one websocket session on one page, moving its controls."""

    def __init__(self, base_url: str, visit: PageVisit, *, token: str, rng: random.Random, timeout: float):
        self.base_url, self.visit, self.token, self.rng, self.timeout = base_url, visit, token, rng, timeout
        self.query_string = visit.query_string
        self.page_hash = ""
        self.controls: dict[str, Control] = {}  # the movable controls the last run drew, by id
        self.positions: dict[str, float] = {}  # what this browser shows (and sends) for each control
        self.moved_charts: set[str] = set()  # charts whose state the browser has sent: it keeps sending it
        self.cached: set[str] = set()
        self.controls_by_hash: dict[str, list[Control]] = {}  # a cached element re-sent as a hash reference
        self.socket = None

    def open(self, timeout: float | None = None) -> Run:
        """Connect and run the page once, as opening the link does (``timeout``: for this first run)."""
        host = urlsplit(self.base_url).netloc
        try:
            self.socket = websocket.create_connection(
                f"ws://{host}/_stcore/stream",
                timeout=self.timeout,
                subprotocols=["streamlit"] + ([self.token] if self.token else []),
                cookie=f"{XSRF_COOKIE}={self.token}",
                origin=self.base_url,
                # no proxy from the environment: the server is the one named, often on loopback
                http_no_proxy=[urlsplit(self.base_url).hostname],
                # no permessage-deflate (websocket-client offers none), as Streamlit's server has it off;
                # no pings of its own, as a browser sends none; no size limit (chart JSON runs to 1 MB)
            )
        except (OSError, websocket.WebSocketException) as error:  # TimeoutError is an OSError
            raise SessionError("connect failed") from error
        return self._run(timeout or self.timeout)

    def move(self) -> Run:
        """Move one control by one to three steps and rerun, as an arrow key or a short drag would: a slider
        through its widget state, a live chart's scrubber through the chart's state."""
        if not self.controls:
            raise SessionError("no control to move")
        control = self.controls[self.rng.choice(sorted(self.controls))]
        self.positions[control.id] = next_position(control, self.positions[control.id], self.rng)
        if isinstance(control, ChartControl):
            self.moved_charts.add(control.chart_id)
        elif control.url_key:  # the browser rewrites its URL and sends the new query string with the rerun
            value = url_value(control, self.positions[control.id])
            self.query_string = with_param(self.query_string, control.url_key, value)
        run = self._run(self.timeout)
        return Run(run.seconds, run.errors, run.received, control.label or control.id)

    def close(self) -> None:
        if self.socket is not None:
            with contextlib.suppress(OSError, websocket.WebSocketException):  # already gone: nothing to close
                self.socket.close(timeout=1)

    def widget_states(self) -> list[WidgetState]:
        """Every slider's state, and each moved chart's view (all its scrubbers, as its JavaScript sends)."""
        states = [
            widget_state(control, self.positions[id_])
            for id_, control in self.controls.items()
            if isinstance(control, SliderControl)
        ]
        views: dict[str, dict[str, float]] = {}
        for id_, control in self.controls.items():
            if isinstance(control, ChartControl) and control.chart_id in self.moved_charts:
                views.setdefault(control.chart_id, {})[control.name] = control.value(self.positions[id_])
        return states + [chart_state(chart_id, view) for chart_id, view in views.items()]

    def _run(self, timeout: float) -> Run:
        msg = rerun_message(
            page_name=self.visit.url_path,
            page_script_hash=self.page_hash,
            query_string=self.query_string,
            widget_states=self.widget_states(),
            cached_hashes=sorted(self.cached),
            url=f"{self.base_url}/{self.visit.url_path}",
        )
        start = time.perf_counter()
        deadline = start + timeout
        seen: dict[str, Control] = {}
        errors: list[tuple[str, str]] = []
        received = 0
        try:
            self.socket.send_binary(msg.SerializeToString())
            while True:
                left = deadline - time.perf_counter()
                if left <= 0:
                    raise SessionError("timeout")
                self.socket.settimeout(left)
                opcode, data = self.socket.recv_data()
                if opcode == websocket.ABNF.OPCODE_CLOSE:
                    raise SessionError("dropped")
                received += len(data)
                if self._handle(ForwardMsg.FromString(data), seen, errors):
                    break
        except (TimeoutError, websocket.WebSocketTimeoutException) as error:
            raise SessionError("timeout") from error
        except (OSError, websocket.WebSocketException) as error:
            raise SessionError("dropped") from error
        seconds = time.perf_counter() - start
        self.controls = seen
        for control in seen.values():
            # a live chart draws its scrubbers where the server put them (it cleans what the browser sent)
            if isinstance(control, ChartControl) or control.forced or control.id not in self.positions:
                self.positions[control.id] = control.position
        return Run(seconds, tuple(errors), received)

    def _handle(self, msg: ForwardMsg, seen: dict[str, Control], errors: list[tuple[str, str]]) -> bool:
        """Take in one ForwardMsg as the frontend would; True once the rerun has finished."""
        kind = msg.WhichOneof("type")
        if kind == "navigation":  # the page that ran (new_session names the entry script's hash)
            self.page_hash = msg.navigation.page_script_hash
        elif kind == "page_info_changed":  # the script set st.query_params: the browser's URL follows
            self.query_string = msg.page_info_changed.query_string
        elif kind == "page_not_found":
            raise SessionError("page not found")
        elif kind == "script_finished":
            if msg.script_finished == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                raise SessionError("compile error")
            # FINISHED_EARLY_FOR_RERUN ends a run that st.rerun() or a callback replaces: keep reading
            return msg.script_finished == ForwardMsg.FINISHED_SUCCESSFULLY
        elif kind == "ref_hash":  # an element this browser cached, unchanged: its controls are as before
            controls = self.controls_by_hash.get(msg.ref_hash, [])
            seen.update((control.id, control) for control in controls)
        elif (error := errors_in(msg)) is not None:
            errors.append(error)
        else:
            slider = slider_control(msg)
            controls: list[Control] = [slider] if slider is not None else chart_controls(msg)
            seen.update((control.id, control) for control in controls)
            if msg.metadata.cacheable and msg.hash and controls:
                self.controls_by_hash[msg.hash] = controls
        if msg.metadata.cacheable and msg.hash:
            self.cached.add(msg.hash)
        return False
