"""The load test's protocol helpers (benchmarks/protocol.py, benchmarks/load.py), on hand-built messages.

The load run itself is `make load`, not part of the test suite.
"""

import argparse
import math
import random
from collections import Counter

import pytest
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.Slider_pb2 import Slider

from benchmarks.load import (
    MAX_SESSIONS,
    SessionError,
    StageResult,
    Student,
    Summary,
    broke,
    parse_sessions,
    percentile,
    summarize,
)
from benchmarks.protocol import (
    PageVisit,
    Session,
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


def stage(errors=(), p95=0.5, reruns=20) -> StageResult:
    return StageResult(
        sessions=10,
        rerun=Summary(count=reruns, p50=0.1, p95=p95, max=p95),
        first_run=summarize([1.0]),
        errors=Counter(errors),
        late=0,
        moves=reruns,
        cpu={"server_seconds": 1.0, "server": 0.5, "generator": 0.1, "machine": 1.0},
        memory=(100.0, 120.0, 110.0),
        browser=None,
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


def test_a_student_follows_the_page_hash_the_url_and_the_end_of_its_run():
    student = Student(None, PageVisit("pages/1_Derivative.py"), "token", random.Random(0), 30)
    seen = {}
    navigation = ForwardMsg()
    navigation.navigation.page_script_hash = "page-hash"
    query = ForwardMsg()
    query.page_info_changed.query_string = "lecture=1"
    assert not student._handle(navigation, seen)
    assert not student._handle(query, seen)
    assert not student._handle(slider_msg(), seen)
    assert not student._handle(ForwardMsg(script_finished=ForwardMsg.FINISHED_EARLY_FOR_RERUN), seen)
    assert student._handle(ForwardMsg(script_finished=ForwardMsg.FINISHED_SUCCESSFULLY), seen)
    assert student.page_hash == "page-hash" and student.query_string == "lecture=1"
    assert list(seen) == ["$$ID-abc-x0"]
    with pytest.raises(SessionError, match="compile error"):
        student._handle(ForwardMsg(script_finished=ForwardMsg.FINISHED_WITH_COMPILE_ERROR), seen)


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


def test_a_stage_breaks_on_any_error_or_a_slow_tail():
    assert broke(stage(), p95_limit=5.0) == ""
    assert "p95 6.00 s > 5 s" in broke(stage(p95=6.0), p95_limit=5.0)
    assert "1 errors (timeout: 1)" in broke(stage(errors={"timeout": 1}), p95_limit=5.0)
    assert broke(stage(p95=math.nan, reruns=0), p95_limit=5.0) == "no rerun finished"


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
