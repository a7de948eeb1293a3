"""core.figures.wire_floats: the one float32 conversion every grid takes to the browser."""

import numpy as np

from core.figures import wire_floats
from core.figures.race import contour_layer

FLOAT32_MAX = float(np.finfo(np.float32).max)


def test_values_in_range_are_rounded_to_float32_as_numpy_rounds_them():
    values = np.array([0.0, -1.5, 1 / 3, 1e-30, -1e38, FLOAT32_MAX])
    wired = wire_floats(values)
    assert wired.dtype == np.float32
    np.testing.assert_array_equal(wired, np.array([np.float32(v) for v in values]))


def test_values_beyond_float32_and_infinities_become_gaps_not_infinities():
    values = np.array([1e39, -1e300, np.inf, -np.inf, np.nan, 2.0])
    assert np.isinf(values.astype(np.float32)[:4]).all()  # what a plain cast would send
    wired = wire_floats(values)
    assert np.isnan(wired[:5]).all() and wired[5] == 2.0


def test_the_race_contours_leave_gaps_where_f_overflows_float32():
    x = y = np.linspace(0.0, 1.0, 5)
    z = np.exp(100.0 * x)[np.newaxis, :] * np.ones((5, 1))  # e^100 ≈ 2.7e43 at x = 1
    layer = contour_layer(x, y, z, None)
    assert layer["z"].dtype == np.float32
    assert np.isnan(layer["z"][:, -1]).all() and np.isfinite(layer["z"][:, :-1]).all()
