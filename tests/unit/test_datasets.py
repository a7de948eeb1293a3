"""core.datasets: the seed's data exactly, real presets, and every way an upload can be wrong."""

import io
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.pandas import column, data_frames, range_indexes
from sklearn.datasets import load_diabetes, make_classification, make_regression

from core.datasets import (
    breast_cancer_radius,
    classification_data,
    diabetes_bmi,
    read_csv_columns,
    regression_data,
    xy_from_table,
)


def error_message(text):
    """pytest.raises(match=...) for an exact message."""
    return pytest.raises(ValueError, match=f"^{re.escape(text)}$")


# --- Synthetic data -------------------------------------------------------------------------------


def test_regression_defaults_are_the_seed_data():
    X, y = make_regression(n_samples=100, n_features=1, noise=10, random_state=42)
    data = regression_data()
    np.testing.assert_array_equal(data.x, X.flatten())
    np.testing.assert_array_equal(data.y, y)
    assert data.x.shape == data.y.shape == (100,)


def test_classification_defaults_are_the_seed_data():
    X, y = make_classification(
        n_samples=100, n_features=1, n_informative=1, n_redundant=0, n_clusters_per_class=1, random_state=42
    )
    data = classification_data()
    np.testing.assert_array_equal(data.x, X.flatten())
    np.testing.assert_array_equal(data.y, y)


def test_no_label_noise_draws_different_samples_not_just_unflipped_labels():
    # Why label_noise defaults to scikit-learn's flip_y=0.01: any other value changes the stream.
    assert not np.array_equal(classification_data(label_noise=0.0).x, classification_data().x)


def test_classification_options_reach_scikit_learn():
    X, y = make_classification(
        n_samples=50,
        n_features=2,
        n_informative=2,
        n_redundant=0,
        n_clusters_per_class=1,
        class_sep=2.5,
        flip_y=0.2,
        random_state=7,
    )
    data = classification_data(n_samples=50, class_sep=2.5, label_noise=0.2, n_features=2, seed=7)
    np.testing.assert_array_equal(data.x, X)
    np.testing.assert_array_equal(data.y, y)
    assert data.x.shape == (50, 2)


@pytest.mark.parametrize(
    ("make", "options", "message"),
    [
        (regression_data, {"n_samples": 1}, "n_samples must be an integer in [2, 10000]. Got 1 instead."),
        (
            regression_data,
            {"n_samples": 10_001},
            "n_samples must be an integer in [2, 10000]. Got 10001 instead.",
        ),
        (
            regression_data,
            {"n_samples": 50.0},
            "n_samples must be an integer in [2, 10000]. Got 50.0 instead.",
        ),
        (regression_data, {"noise": -1}, "noise must be in [0, 1000]. Got -1.0 instead."),
        (regression_data, {"noise": float("nan")}, "noise must be a finite number. Got nan instead."),
        (regression_data, {"seed": -1}, "seed must be an integer in [0, 4294967295]. Got -1 instead."),
        (
            regression_data,
            {"seed": 2**32},
            "seed must be an integer in [0, 4294967295]. Got 4294967296 instead.",
        ),
        (regression_data, {"seed": "42"}, "seed must be an integer in [0, 4294967295]. Got '42' instead."),
        (classification_data, {"class_sep": 0}, "class_sep must be in (0, 100]. Got 0.0 instead."),
        (classification_data, {"label_noise": 0.6}, "label_noise must be in [0, 0.5]. Got 0.6 instead."),
        (classification_data, {"n_features": 3}, "n_features must be an integer in [1, 2]. Got 3 instead."),
    ],
)
def test_bad_parameters_are_rejected_with_a_clear_message(make, options, message):
    with error_message(message):
        make(**options)


# --- Real presets ---------------------------------------------------------------------------------


def test_diabetes_preset_is_bmi_against_progression():
    raw = load_diabetes(scaled=False)
    data = diabetes_bmi(standardize=False)
    np.testing.assert_array_equal(data.x, raw.data[:, 2])
    np.testing.assert_array_equal(data.y, raw.target)
    standardised = diabetes_bmi()
    assert standardised.x.mean() == pytest.approx(0, abs=1e-12) and standardised.x.std() == pytest.approx(1)
    assert "standardised" in standardised.x_name and "kg/m²" in data.x_name


def test_breast_cancer_preset_codes_malignant_as_one():
    data = breast_cancer_radius(standardize=False)
    assert data.x.shape == data.y.shape == (569,)
    assert set(np.unique(data.y)) == {0.0, 1.0}
    assert data.y.sum() == 212  # the data set's 212 malignant tumours
    # Malignant tumours are the larger ones.
    assert data.x[data.y == 1].mean() > data.x[data.y == 0].mean()


# --- CSV uploads ----------------------------------------------------------------------------------


def test_csv_keeps_only_numeric_columns():
    table = read_csv_columns(b"name,height,weight,smoker\nann,1.6,55,True\nbob,1.8,80,False\n")
    assert list(table.columns) == ["height", "weight", "smoker"]
    np.testing.assert_array_equal(table["smoker"], [1.0, 0.0])


def test_csv_can_be_read_again_from_the_same_upload_buffer():
    upload = io.BytesIO(b"x,y\n1,2\n3,4\n")
    first, second = read_csv_columns(upload), read_csv_columns(upload)
    pd.testing.assert_frame_equal(first, second)


@given(
    data_frames(
        [
            column("a", elements=st.floats(-1e6, 1e6, allow_nan=False)),
            column("b", elements=st.integers(-1000, 1000)),
        ],
        index=range_indexes(min_size=1, max_size=50),
    )
)
def test_csv_round_trips_numeric_tables(frame):
    table = read_csv_columns(frame.to_csv(index=False).encode())
    np.testing.assert_array_equal(table["a"], frame["a"])
    np.testing.assert_array_equal(table["b"], frame["b"].astype(float))


def test_an_empty_column_is_dropped():
    table = read_csv_columns(b"x,empty,y\n1,,2\n3,,4\n")
    assert list(table.columns) == ["x", "y"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The file is empty. Upload a CSV file with a header row and numeric columns."),
        (b" \n\n", "The file is empty. Upload a CSV file with a header row and numeric columns."),
        (b"x,y\n", "The file has a header but no data rows."),
        (b"\xff\xfe\x00\x81binary", "The file is not UTF-8 text, so it cannot be a CSV file."),
        (
            b"a;b\n1;2\n",
            "The file has no numeric columns. Check that it is comma-separated, has a header row, "
            "and writes numbers without thousands separators or units.",
        ),
    ],
)
def test_bad_csv_files_are_rejected_with_a_clear_message(content, message):
    with error_message(message):
        read_csv_columns(content)


def test_a_ragged_csv_reports_the_parser_error():
    with pytest.raises(
        ValueError, match=r"^The file could not be read as CSV: .*Expected 2 fields in line 3"
    ):
        read_csv_columns(b"x,y\n1,2\n3,4,5\n")


def test_oversize_files_are_rejected_before_parsing():
    with error_message("The file must be at most 10 bytes. Got a larger file instead."):
        read_csv_columns(io.BytesIO(b"x,y\n1,2\n3,4\n"), max_bytes=10)
    with error_message("The file must have at most 2 data rows. Got more instead."):
        read_csv_columns(b"x,y\n1,2\n3,4\n5,6\n", max_rows=2)


# --- Choosing x and y -----------------------------------------------------------------------------


def table_of(**columns):
    return pd.DataFrame({name: np.asarray(values, dtype=float) for name, values in columns.items()})


def test_rows_with_missing_values_are_dropped_and_counted():
    data = xy_from_table(table_of(a=[1, 2, np.nan, 4], b=[1, np.inf, 3, 8], c=[0, 0, 0, 0]), "a", "b")
    np.testing.assert_array_equal(data.x, [1, 4])
    np.testing.assert_array_equal(data.y, [1, 8])
    assert (data.n_dropped, data.x_name, data.y_name) == (2, "a", "b")
    assert data.note == "Dropped 2 rows with missing or infinite values."
    assert data.labels is None


def test_an_unknown_column_lists_the_columns_there_are():
    with error_message("y_column must be one of 'a', 'b'. Got 'z' instead."):
        xy_from_table(table_of(a=[1, 2], b=[3, 4]), "a", "z")


def test_too_few_usable_rows_are_rejected():
    with error_message("Columns 'a' and 'b' must have at least 2 rows with both values. Got 1 instead."):
        xy_from_table(table_of(a=[1, np.nan, 3], b=[1, 2, np.nan]), "a", "b")


def test_a_constant_x_is_rejected():
    with error_message("x_column 'a' must vary. Got the same value 2 in every usable row."):
        xy_from_table(table_of(a=[2, 2, 2], b=[1, 2, 3]), "a", "b")


def test_a_two_valued_target_is_recoded_smaller_to_zero():
    data = xy_from_table(table_of(x=[1, 2, 3, 4], t=[4, 2, 2, 4]), "x", "t", binary_target=True)
    np.testing.assert_array_equal(data.y, [1, 0, 0, 1])
    assert data.labels == (2.0, 4.0)
    assert data.note == "Target recoded: 2 → 0, 4 → 1."


def test_a_zero_one_target_is_kept_without_a_note():
    data = xy_from_table(table_of(x=[1, 2, 3], t=[0, 1, 1]), "x", "t", binary_target=True)
    np.testing.assert_array_equal(data.y, [0, 1, 1])
    assert (data.labels, data.note) == ((0.0, 1.0), "")


@pytest.mark.parametrize(
    ("target", "message"),
    [
        (
            [0, 1, 2, 1],
            "y_column 't' must have exactly two distinct values for logistic regression. "
            "Got 3: 0, 1, 2 instead.",
        ),
        (
            [1, 2, 3, 4, 5, 6, 7],
            "y_column 't' must have exactly two distinct values for logistic regression. "
            "Got 7: 1, 2, 3, 4, 5, ... instead.",
        ),
        ([1, 1, 1, 1], "y_column 't' must contain two classes. Got only the value 1 instead."),
    ],
)
def test_a_target_that_is_not_binary_is_rejected(target, message):
    with error_message(message):
        xy_from_table(table_of(x=np.arange(len(target)), t=target), "x", "t", binary_target=True)


# --- Hostile uploads: each is refused (or read) within seconds, with a message ----------------------

# Each builds its file inside a fresh interpreter, so a parser that hangs cannot take pytest with it.
HOSTILE_FILES = {
    # 8 MB under the 10 MB cap; pandas renamed the duplicates for over 10 minutes
    "2 million duplicate headers": (
        'b",".join([b"a"] * 4_000_000)[:8_000_000] + b"\\n1\\n"',
        "The header row must be",
    ),
    "100k columns": (
        'b",".join(b"c%d" % i for i in range(100_000)) + b"\\n" + b",".join([b"1"] * 100_000) + b"\\n"',
        "The header row must be",
    ),
    "very long header name": (
        'b"x" * 20_000 + b",y\\n1,2\\n"',
        "Column names must be at most 100 characters",
    ),
    "a row of 2 million fields": (
        'b"x,y\\n1,2\\n" + b",".join([b"1"] * 2_000_000) + b"\\n"',
        "Expected 2 fields in line 3, saw 2,000,000",
    ),
    "a quoted row of a million commas": (
        'b"x,y\\n\\"" + b"," * 1_000_000 + b"\\",1\\n"',
        "Expected 2 fields in line 2",
    ),
    "binary junk": ("bytes(random.Random(0).randbytes(9_000_000))", "not UTF-8 text"),
    "9 million rows": ('b"x,y\\n" + b"1,2\\n" * 2_400_000', "at most 100,000 data rows"),
}


@pytest.mark.parametrize(("build", "message"), HOSTILE_FILES.values(), ids=HOSTILE_FILES.keys())
def test_a_hostile_upload_ends_within_10_s_with_a_message(build, message):
    script = (
        "import random, sys\n"
        "from core.datasets import read_csv_columns\n"
        f"data = {build}\n"
        "assert len(data) <= 10_000_000, len(data)\n"
        "try:\n"
        "    read_csv_columns(data)\n"
        "except ValueError as error:\n"
        "    print(error)\n"
    )
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=root, capture_output=True, text=True, timeout=10
    )
    assert done.returncode == 0, done.stderr
    assert message in done.stdout


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"a,b,a\n1,2,3\n", "Column names must be unique. Got 'a' more than once."),
        (b"a, b ,b\n1,2,3\n", "Column names must be unique. Got 'b' more than once."),
        (b'"a,b\n1,2\n', "The header row could not be read as CSV: unexpected end of data"),
        (
            ",".join(f"c{i}" for i in range(201)).encode() + b"\n",
            "The file must have at most 200 columns. Got 201 instead.",
        ),
    ],
)
def test_a_header_pandas_would_mangle_is_refused(content, message):
    with error_message(message):
        read_csv_columns(content)


def test_the_widest_header_allowed_is_read():
    names = [f"{i:03d}" + "n" * 97 for i in range(200)]  # 200 names of 100 characters
    content = (",".join(names) + "\n" + ",".join("1" for _ in names) + "\n").encode()
    assert list(read_csv_columns(content).columns) == names


def test_an_index_column_with_an_empty_name_is_not_a_duplicate():
    frame = pd.DataFrame({"x": [1.0, 2.0], "y": [3.0, 4.0]})
    table = read_csv_columns(frame.to_csv().encode())  # pandas writes the index under an empty name
    np.testing.assert_array_equal(table["y"], [3.0, 4.0])


def test_quoted_commas_are_not_counted_as_fields():
    table = read_csv_columns(b'name,x,y\n"Smith, Ann",1,2\n"Doe, Bob",3,4\n')
    np.testing.assert_array_equal(table["x"], [1.0, 3.0])


def test_a_slow_read_stops_at_its_time_limit_with_a_message():
    content = b"x,y\n" + b"1,2\n" * 50_000  # five chunks of rows; the clock is checked after each
    with pytest.raises(
        ValueError, match=r"^Reading the file took longer than 1e-09 s \(stopped after 10,000 rows\)"
    ):
        read_csv_columns(content, max_seconds=1e-9)


def test_values_near_1e300_are_refused_before_their_squares_overflow():
    x = np.arange(1, 50) * 1e298
    with error_message(
        "y_column 'b' must lie within ±1e+150: the loss and its curvature square the values, and a square "
        "beyond 1.8e+308 overflows. Got 9.8e+300 instead; rescale the column (say, to thousands or millions "
        "of its unit)."
    ):
        xy_from_table(table_of(a=np.arange(1, 50), b=2 * x[::-1] * 10), "a", "b")
    with np.errstate(over="ignore"):
        assert not np.isfinite(np.sum(x**2))  # what the landscape would have computed


def test_values_at_the_magnitude_limit_keep_the_descent_finite():
    x = np.linspace(-1e150, 1e150, 1000)
    data = xy_from_table(table_of(a=x, b=x), "a", "b")
    curvature = 2 * np.mean(data.x**2)  # the MSE Hessian's w-w entry: finite, so 2/λ_max is a number
    assert np.isfinite(curvature) and curvature > 0


def test_an_x_whose_spread_underflows_when_squared_is_refused():
    with pytest.raises(ValueError, match=r"^x_column 'a' must vary by more than 1e-150"):
        xy_from_table(table_of(a=[1e-200, 2e-200, 3e-200], b=[1, 2, 3]), "a", "b")
