"""The load test's protocol helpers (benchmarks/protocol.py) and its orchestration and report
(benchmarks/load.py, benchmarks/load_report.py), on hand-built messages and timings.

The load run itself is `make load`; tests/load runs the Locust user against a real server.
"""

import argparse
import json
import math
import random

import pytest
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.Slider_pb2 import Slider

from benchmarks.load import MAX_SESSIONS, Stage, nginx_conf, parse_sessions
from benchmarks.load_report import StageResult, error_kind, noise, percentile, stage_notes, summarize
from benchmarks.protocol import (
    PageVisit,
    Session,
    SessionError,
    chart_controls,
    errors_in,
    next_position,
    parse_pages,
    rerun_message,
    slider_control,
    url_value,
    widget_state,
    with_param,
)


def slider_msg(**fields) -> ForwardMsg:
    msg = ForwardMsg()
    slider = msg.delta.new_element.slider
    defaults = {"id": "$$ID-abc-x0", "min": -10.0, "max": 10.0, "step": 0.05, "data_type": Slider.FLOAT}
    for name, value in {**defaults, **fields}.items():
        if isinstance(value, list):
            getattr(slider, name).extend(value)
        else:
            setattr(slider, name, value)
    if not fields.get("default"):
        slider.default.append(1.0)
    return msg


def select_slider_msg(options=("1e-3", "1e-2", "0.1", "1"), index=2.0) -> ForwardMsg:
    return slider_msg(
        id="$$ID-def-h",
        type=Slider.SELECT_SLIDER,
        data_type=Slider.INT,
        min=0.0,
        max=float(len(options) - 1),
        step=1.0,
        options=list(options),
        default=[index],
        query_param_key="h",
    )


def chart_msg(controls, chart_id="$$ID-777-derivative-live", cached_hash="") -> ForwardMsg:
    """A live chart's element as ui/live_chart.py sends it: its controls inside the component's JSON data."""
    msg = ForwardMsg()
    component = msg.delta.new_element.bidi_component
    component.id = chart_id
    component.component_name = "gradient_lab.live_chart"
    component.json = json.dumps({"recipe": "derivative", "figures": [], "controls": controls})
    if cached_hash:
        msg.hash = cached_hash
        msg.metadata.cacheable = True
    return msg


X0 = {
    "name": "x0",
    "label": "Point x₀",
    "value": 1.0,
    "format": "number",
    "min": -10.0,
    "max": 10.0,
    "step": 0.05,
}
H = {"name": "h", "label": "Step h", "value": 1e-3, "format": "step", "options": [1e-6, 1e-3, 0.1, 0.5]}


def new_session() -> Session:
    visit = PageVisit("pages/1_Derivative.py")
    return Session("http://127.0.0.1:8501", visit, token="t", rng=random.Random(0), timeout=30)


def timing(kind="rerun", ms=100.0, error=None, page="pages/1_Derivative.py") -> dict:
    return {"time": 0.0, "kind": kind, "name": "Derivative: x0", "page": page, "ms": ms, "error": error}


def stage(timings, memory=((300.0, 700.0, 650.0),), name="n50", tracebacks=0) -> StageResult:
    return StageResult(
        stage=Stage(name, 50, 10, 60, "one process"),
        timings=timings,
        server_cpu=[30.0] * len(memory),
        wall=60.0,
        machine_cores=1.5,
        generator_cores=0.1,
        memory=memory,
        load_average=2.0,
        new_tracebacks=tracebacks,
        locust_exit=0,
    )


def test_percentiles_interpolate_between_ranks_like_numpy():
    values = list(range(1, 11))
    assert percentile(values, 50) == pytest.approx(5.5)
    assert percentile(values, 95) == pytest.approx(9.55)
    assert percentile(values, 100) == 10
    assert percentile([3.0], 95) == 3.0
    assert math.isnan(percentile([], 50))


def test_a_summary_holds_count_median_tail_and_worst_case():
    summary = summarize([0.4, 0.1, 0.3, 0.2, 2.0])
    assert (summary.count, summary.p50, summary.max) == (5, 0.3, 2.0)
    assert summary.p95 == pytest.approx(1.68)  # numpy.percentile agrees


def test_a_slider_delta_becomes_a_movable_control_at_its_default():
    control = slider_control(slider_msg())
    assert control.id == "$$ID-abc-x0"
    assert (control.low, control.high, control.step, control.position) == (-10.0, 10.0, 0.05, 1.0)
    assert not control.forced and not control.integer and control.options == ()


def test_a_value_the_script_set_wins_over_the_default():
    control = slider_control(slider_msg(value=[4.5], set_value=True))
    assert control.position == 4.5 and control.forced


def test_a_select_slider_moves_by_option_index_and_knows_its_url_key():
    control = slider_control(select_slider_msg())
    assert control.options == ("1e-3", "1e-2", "0.1", "1")
    assert (control.low, control.high, control.step, control.position) == (0, 3, 1, 2.0)
    assert control.integer and control.url_key == "h"


@pytest.mark.parametrize(
    "fields",
    [
        {"default": [-2.0, 3.0]},  # a range slider
        {"form_id": "form"},  # inside a form: moving it does not rerun
        {"disabled": True},
        {"data_type": Slider.DATE},
    ],
)
def test_sliders_a_student_cannot_move_alone_are_skipped(fields):
    assert slider_control(slider_msg(**fields)) is None


def test_other_messages_are_not_sliders():
    msg = ForwardMsg()
    msg.delta.new_element.markdown.body = "hello"
    assert slider_control(msg) is None
    assert slider_control(ForwardMsg(script_finished=ForwardMsg.FINISHED_SUCCESSFULLY)) is None


def test_a_move_is_one_to_three_steps_on_the_grid_and_inside_the_range():
    control = slider_control(slider_msg(min=0.0, max=1.0, step=0.1))
    rng = random.Random(7)
    position = 0.0
    for _ in range(200):
        moved = next_position(control, position, rng)
        assert 0.0 <= moved <= 1.0
        assert moved != position and abs(moved - position) <= 0.3 + 1e-9
        assert round(moved * 10) == pytest.approx(moved * 10)
        position = moved


def test_an_integer_slider_moves_to_whole_numbers():
    control = slider_control(slider_msg(min=-5.0, max=10.0, step=1.0, data_type=Slider.INT))
    rng = random.Random(1)
    assert all(float(next_position(control, 3.0, rng)).is_integer() for _ in range(50))


def test_a_slider_state_carries_its_value_and_a_select_slider_state_its_label():
    slider = widget_state(slider_control(slider_msg()), 1.05)
    assert slider.id == "$$ID-abc-x0" and list(slider.double_array_value.data) == [1.05]
    select = widget_state(slider_control(select_slider_msg()), 1.0)
    assert select.WhichOneof("value") == "string_array_value"
    assert list(select.string_array_value.data) == ["1e-2"]


def test_bound_sliders_write_their_value_into_the_query_string():
    assert url_value(slider_control(slider_msg()), 5.0) == "5"
    assert url_value(slider_control(slider_msg()), 1.05) == "1.05"
    assert url_value(slider_control(select_slider_msg()), 3.0) == "1"
    assert with_param("fn=Bowl&x0=1", "x0", "1.5") == "fn=Bowl&x0=1.5"
    assert with_param("", "h", "0.1") == "h=0.1"


def test_the_first_rerun_names_the_page_and_later_ones_its_hash():
    state = widget_state(slider_control(slider_msg()), 1.5)
    first = rerun_message(
        page_name="Critical_Points",
        page_script_hash="",
        query_string="fn=Bowl",
        widget_states=[],
        cached_hashes=[],
        url="http://127.0.0.1:8501/Critical_Points",
    )
    later = rerun_message(
        page_name="Critical_Points",
        page_script_hash="abc123",
        query_string="fn=Bowl",
        widget_states=[state],
        cached_hashes=["h1", "h2"],
        url="http://127.0.0.1:8501/Critical_Points",
    )
    parsed = BackMsg.FromString(later.SerializeToString()).rerun_script
    assert first.rerun_script.page_name == "Critical_Points" and not first.rerun_script.page_script_hash
    assert parsed.page_script_hash == "abc123" and not parsed.page_name
    assert parsed.query_string == "fn=Bowl"
    assert [w.id for w in parsed.widget_states.widgets] == ["$$ID-abc-x0"]
    assert list(parsed.cached_message_hashes) == ["h1", "h2"]
    assert parsed.context_info.url.endswith("/Critical_Points")


def test_tracebacks_and_error_boxes_count_as_errors_but_warnings_do_not():
    traceback = ForwardMsg()
    traceback.delta.new_element.exception.type = "ValueError"
    traceback.delta.new_element.exception.message = "boom\nmore"
    warning = ForwardMsg()
    warning.delta.new_element.exception.is_warning = True
    error_box = ForwardMsg()
    error_box.delta.new_element.alert.format = 1  # Alert.ERROR
    info_box = ForwardMsg()
    info_box.delta.new_element.alert.format = 3  # Alert.INFO
    error_box.delta.new_element.alert.body = "**That formula can't be used.** unknown name 'sinx'"
    assert errors_in(traceback) == ("exception", "ValueError: boom")
    assert errors_in(error_box) == ("st.error", "**That formula can't be used.** unknown name 'sinx'")
    assert errors_in(warning) is None and errors_in(info_box) is None


def test_a_page_file_gives_the_url_path_streamlit_serves_it_at():
    assert PageVisit("pages/4_Critical_Points.py").url_path == "Critical_Points"
    assert PageVisit("streamlit_app.py").url_path == ""
    assert parse_pages("pages/1_Derivative.py?fn=Cubic") == [PageVisit("pages/1_Derivative.py", "fn=Cubic")]
    with pytest.raises(argparse.ArgumentTypeError, match="page must be a file"):
        parse_pages("pages/0_Missing.py")


def test_session_counts_are_capped():
    assert parse_sessions("50,10,25") == [10, 25, 50]
    with pytest.raises(argparse.ArgumentTypeError, match="sessions must lie in"):
        parse_sessions(f"10,{MAX_SESSIONS + 1}")


def test_a_blocking_session_follows_the_page_hash_the_url_and_collects_the_errors_it_sees():
    session = Session(
        "http://127.0.0.1:8501",
        PageVisit("pages/1_Derivative.py"),
        token="t",
        rng=random.Random(0),
        timeout=30,
    )
    seen, errors = {}, []
    navigation = ForwardMsg()
    navigation.navigation.page_script_hash = "page-hash"
    traceback = ForwardMsg()
    traceback.delta.new_element.exception.type = "AttributeError"
    traceback.delta.new_element.exception.message = "partially initialized module 'pandas'"
    assert not session._handle(navigation, seen, errors)
    assert not session._handle(slider_msg(), seen, errors)
    assert not session._handle(traceback, seen, errors)
    assert session._handle(ForwardMsg(script_finished=ForwardMsg.FINISHED_SUCCESSFULLY), seen, errors)
    assert session.page_hash == "page-hash" and list(seen) == ["$$ID-abc-x0"]
    assert errors == [("exception", "AttributeError: partially initialized module 'pandas'")]


def test_a_live_chart_element_gives_its_scrubbers_with_their_ranges_and_options():
    x0, h = chart_controls(chart_msg([X0, H]))
    assert (x0.chart_id, x0.name, x0.label) == ("$$ID-777-derivative-live", "x0", "Point x₀")
    assert (x0.low, x0.high, x0.step, x0.position, x0.integer) == (-10.0, 10.0, 0.05, 1.0, False)
    # options move by index: 1e-3 is the second option
    assert (h.low, h.high, h.step, h.position, h.integer) == (0, 3, 1, 1, True)
    assert h.value(3) == 0.5 and x0.value(1.05) == 1.05
    assert h.id == "$$ID-777-derivative-live/h"


def test_components_without_controls_and_malformed_controls_give_nothing_to_move():
    listener = ForwardMsg()
    listener.delta.new_element.bidi_component.id = "keys"  # the lesson's key listener: no data at all
    assert chart_controls(listener) == []
    assert (
        chart_controls(chart_msg([{"name": "x0", "value": "not a number", "min": 0, "max": 1, "step": 1}]))
        == []
    )
    assert [c.name for c in chart_controls(chart_msg([{"name": "broken"}, X0]))] == ["x0"]
    assert chart_controls(slider_msg()) == []


def test_a_moved_chart_sends_every_scrubber_of_its_view_as_json_state():
    session = new_session()
    seen, errors = {}, []
    assert not session._handle(chart_msg([X0, H]), seen, errors)
    assert not session._handle(slider_msg(), seen, errors)
    session._handle(ForwardMsg(script_finished=ForwardMsg.FINISHED_SUCCESSFULLY), seen, errors)
    session.controls = seen
    session.positions = {id_: control.position for id_, control in seen.items()}
    # before any chart moved the browser sends only the slider's state
    assert [state.WhichOneof("value") for state in session.widget_states()] == ["double_array_value"]
    session.positions["$$ID-777-derivative-live/x0"] = 1.1
    session.moved_charts.add("$$ID-777-derivative-live")
    slider, chart = session.widget_states()
    assert chart.id == "$$ID-777-derivative-live"
    assert json.loads(chart.json_value) == {"view": {"x0": 1.1, "h": 1e-3}}
    assert list(slider.double_array_value.data) == [1.0]


def test_an_unchanged_chart_re_sent_as_a_hash_reference_keeps_its_controls():
    session = new_session()
    first = {}
    session._handle(chart_msg([X0], cached_hash="abc"), first, [])
    assert "abc" in session.cached and list(first) == ["$$ID-777-derivative-live/x0"]
    reference = ForwardMsg()
    reference.ref_hash = "abc"
    later = {}
    session._handle(reference, later, [])
    assert later == first


def test_a_page_the_server_does_not_have_ends_the_session():
    not_found = ForwardMsg()
    not_found.page_not_found.page_name = "No_Such_Page"
    with pytest.raises(SessionError, match="page not found"):
        new_session()._handle(not_found, {}, [])


def test_a_session_with_no_control_refuses_to_move():
    with pytest.raises(SessionError, match="no control to move"):
        new_session().move()


def test_error_kinds_group_what_the_students_saw():
    assert error_kind("exception: ImportError: cannot import name 'x'") == "exception"
    assert error_kind("st.error: **That formula can't be used.**") == "st.error"
    assert error_kind("timeout") == "timeout"
    assert error_kind("page not found") == "page not found"


def test_a_stage_times_finished_runs_only_and_counts_every_error():
    result = stage(
        [
            timing(ms=100),
            timing(ms=300),
            timing(ms=2000, error="exception: ValueError: boom"),  # finished, showing a traceback: timed
            timing(ms=30000, error="timeout"),  # never finished: an error, not a latency
            timing(kind="open", ms=900),
        ]
    )
    assert result.seconds("rerun") == [0.1, 0.3, 2.0]
    assert result.summary("open").count == 1
    assert result.errors == {"exception": 1, "timeout": 1}
    assert result.server_ms_per_run == pytest.approx(1000 * 30 / 5)
    assert result.server_cores == pytest.approx(0.5)


def test_the_budget_needs_a_low_tail_no_errors_and_one_process_under_800_mb():
    fast = [timing(ms=100 + i) for i in range(40)]
    assert stage(fast).budget() == (True, "p95 ≤ 1 s, no errors, RSS ≤ 800 MB")
    assert not stage([*fast, timing(ms=5000), timing(ms=5000), timing(ms=5000)]).budget()[0]
    assert not stage([*fast, timing(error="dropped")]).budget()[0]
    assert not stage(fast, memory=((300.0, 790.0, 700.0),)).budget()[0]  # 790 MiB = 828 MB
    assert not stage([]).budget()[0]  # no rerun finished
    # two replicas: RSS adds up over processes, the budget is latency and errors
    assert stage(fast, memory=((300.0, 700.0, 650.0),) * 2).budget() == (True, "p95 ≤ 1 s, no errors")
    assert stage(fast, memory=((300.0, 700.0, 650.0),) * 2).rss == (600.0, 1400.0, 1300.0)
    assert stage([timing(kind="open")], name="burst").budget() == (True, "every first run clean")
    assert not stage([timing(kind="open")], name="burst", tracebacks=1).budget()[0]


def test_the_generated_nginx_conf_is_sticky_on_the_xsrf_cookie_and_passes_websocket_upgrades(tmp_path):
    conf = nginx_conf(tmp_path, 8080, [8502, 8503])
    assert "hash $cookie__streamlit_xsrf consistent;" in conf and "ip_hash" not in conf.replace(
        "ip_hash would", ""
    )
    assert "server 127.0.0.1:8502;" in conf and "server 127.0.0.1:8503;" in conf
    assert "listen 127.0.0.1:8080;" in conf
    assert "proxy_set_header Upgrade $http_upgrade;" in conf
    assert "proxy_set_header Connection $connection_upgrade;" in conf
    assert conf.count("{") == conf.count("}")


def test_the_capacity_note_divides_the_interval_by_the_server_cpu_per_run():
    # 30 CPU seconds over 300 runs: 100 ms each; a move every 5 s saturates one core at 50 students
    (note,) = [n for n in stage_notes([stage([timing()] * 300)], interval=5.0) if "saturated" in n]
    assert "at 100 ms of server CPU per run" in note and "about 50 students moving every 5 s" in note


def test_a_run_sharing_the_machine_says_how_much_others_used():
    # 1.5 cores busy, 0.5 of them the server's (30 CPU s over 60 s) and 0.1 Locust's: 0.9 for others
    text = noise([stage([timing()])])
    assert "used 0.90–0.90 cores on top of the servers and Locust" in text
    quiet = StageResult(**{**stage([timing()]).__dict__, "machine_cores": 0.65, "load_average": 0.5})
    assert noise([quiet]) == ""
    # both cores busy with the servers themselves: a full machine, not a noisy one
    saturated = StageResult(**{**stage([timing()]).__dict__, "machine_cores": 0.65, "load_average": 2.4})
    assert noise([saturated]) == ""
