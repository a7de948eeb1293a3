"""core.datasets: the seed's data exactly, real presets, and every way an upload can be wrong."""

import io
import re

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
