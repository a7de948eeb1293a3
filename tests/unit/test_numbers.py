"""Numbers never read "−0": core.numbers.format_number on the server, formatNumber and formatControl in the
browser (ui/live/live_chart.js), and the Derivative page's f′(0) of cos on both."""

import math

import pytest

from core import univariate
from core.live_fields import readout_number
from core.numbers import format_number
from tests.unit.live_recipes import run

SPECS = [".6g", ".4g", ".3g", ".2g", ".4f", ".2f", ".1%", ".3e", "g"]
VALUES = [-0.0, 0.0, -1e-9, 1e-9, -4e-5, -0.004, -1.5, 2.0, -123456.0, -1e300, -math.inf, math.nan]


@pytest.mark.parametrize("spec", SPECS)
@pytest.mark.parametrize("value", VALUES)
def test_format_number_is_python_formatting_except_that_a_printed_zero_has_no_sign(spec, value):
    plain = format(value, spec)
    # the reference: Python's own text, parsed back; a zero (of either sign) is printed as +0.0 would be
    shows_zero = math.isfinite(value) and float(plain.rstrip("%")) == 0
    assert format_number(value, spec) == (format(0.0, spec) if shows_zero else plain)


def test_a_small_negative_number_keeps_its_sign_where_its_digits_show():
    assert format_number(-1e-9) == "-1e-09"  # positive control: only a printed zero loses the sign
    assert format_number(-1e-9, ".4f") == "0.0000"
    assert format_number(-0.0) == "0" and f"{-0.0:.6g}" == "-0"  # what Python prints on its own
    assert format_number(-math.inf) == "-inf"


def test_the_live_readouts_print_zero_for_negative_zero_as_the_browser_does():
    values = [-0.0, -1e-300, -0.5, 1e-4, -2.5e-5]
    browser = run([{"kind": "format", "values": values, "digits": 6}])[0]
    assert browser[0] == "0" and readout_number(-0.0) == "0"
    assert browser == [readout_number(v) for v in values]
    assert browser[1] == "−1e-300"  # a real number, however small, keeps its sign


def test_the_chart_controls_never_print_negative_zero():
    controls = [
        ({"format": "int"}, [-0.0, -0.4], ["0", "0"]),
        ({"format": "degrees"}, [-0.0, -0.3], ["0°", "0°"]),
        ({}, [-0.0, -0.25], ["0", "−0.25"]),
    ]
    cases = [{"kind": "control", "control": control, "values": values} for control, values, _ in controls]
    assert run(cases) == [expected for _, _, expected in controls]


def test_the_derivative_of_cos_at_zero_reads_zero_on_the_server_and_in_the_browser():
    u = univariate.prepare("cos(x)")
    view = univariate.derivative_view(u, x_range=(-2.0, 3.0), x0=0.0, h=0.1)
    assert math.copysign(1, view.slope) == -1  # −sin(0): the negative zero this is about
    server = dict((label, value) for label, value, _ in view.readouts(reveal=True))
    assert server["f′(x₀)"] == "0"
    case = {
        "kind": "recipe",
        "name": "derivative",
        "values": {"x0": 0.0, "h": 0.1},
        "params": {"x_low": -2.0, "x_high": 3.0, "has_kink": False, "reveal": True},
        "formulas": univariate.browser_formulas(u),
        "variables": list(univariate.VARIABLES),
    }
    browser = {r["label"]: r["value"] for r in run([case])[0]["readouts"]}
    assert browser["f′(x₀)"] == "0"
    assert browser["Central difference"] == server["Central difference"].replace("-", "−")
