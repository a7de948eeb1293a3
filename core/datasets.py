"""Data for the regression pages: the seed's synthetic sets, real presets and CSV uploads.

Everything returns a `Dataset`; every parameter is validated because pages pass on URL values and
uploaded files.
"""

import io
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.datasets import load_breast_cancer, load_diabetes, make_classification, make_regression

from core.validation import check_integer, check_real

MAX_SAMPLES = 10_000
MAX_SEED = 2**32 - 1


@dataclass(frozen=True, eq=False)
class Dataset:
    """Samples x (shape (n,) or (n, 2)) and targets y (shape (n,)), with axis names and a note.

    `n_dropped` counts rows removed for missing values; `labels` are the original target values
    mapped to 0 and 1 when a binary target was recoded (None otherwise).
    """

    x: np.ndarray
    y: np.ndarray
    x_name: str
    y_name: str
    note: str
    n_dropped: int = 0
    labels: tuple[float, float] | None = None


def _check_common(n_samples, seed):
    return (
        check_integer("n_samples", n_samples, low=2, high=MAX_SAMPLES),
        check_integer("seed", seed, low=0, high=MAX_SEED),
    )


def regression_data(*, n_samples=100, noise=10.0, seed=42):
    """One-feature regression data; the defaults reproduce the seed's make_regression call exactly."""
    n_samples, seed = _check_common(n_samples, seed)
    noise = check_real("noise", noise, low=0, high=1000)
    x, y = make_regression(n_samples=n_samples, n_features=1, noise=noise, random_state=seed)
    return Dataset(
        x.ravel(),
        y,
        "x",
        "y",
        f"make_regression(n_samples={n_samples}, noise={noise:g}, random_state={seed})",
    )


def classification_data(*, n_samples=100, class_sep=1.0, label_noise=0.01, n_features=1, seed=42):
    """Two-class data with 1 or 2 informative features; the defaults reproduce the seed's data exactly.

    `label_noise` is scikit-learn's flip_y: the fraction of samples whose class is drawn at random.
    Its default 0.01 is scikit-learn's, which the seed uses implicitly; 0 gives different samples,
    not just unflipped labels, because it changes the random stream.
    """
    n_samples, seed = _check_common(n_samples, seed)
    class_sep = check_real("class_sep", class_sep, low=0, high=100, low_open=True)
    label_noise = check_real("label_noise", label_noise, low=0, high=0.5)
    n_features = check_integer("n_features", n_features, low=1, high=2)
    x, y = make_classification(
        n_samples=n_samples,
        n_features=n_features,
        n_informative=n_features,
        n_redundant=0,
        n_clusters_per_class=1,
        class_sep=class_sep,
        flip_y=label_noise,
        random_state=seed,
    )
    return Dataset(
        x.ravel() if n_features == 1 else x,
        y.astype(float),
        "x" if n_features == 1 else "x₁, x₂",
        "class",
        f"make_classification(n_samples={n_samples}, n_features={n_features}, class_sep={class_sep:g}, "
        f"flip_y={label_noise:g}, random_state={seed})",
    )


def _standardised(values):
    return (values - values.mean()) / values.std()


def diabetes_bmi(*, standardize=True):
    """Body-mass index against disease progression one year later (442 patients, scikit-learn)."""
    data = load_diabetes(scaled=False)
    bmi = data.data[:, data.feature_names.index("bmi")]
    return Dataset(
        _standardised(bmi) if standardize else bmi,
        data.target.astype(float),
        "BMI (standardised)" if standardize else "BMI (kg/m²)",
        "disease progression after one year",
        "scikit-learn's diabetes data (Efron et al. 2004)."
        + (
            " BMI is standardised (mean 0, sd 1) so both parameters learn at a similar pace."
            if standardize
            else ""
        ),
    )


def breast_cancer_radius(*, standardize=True):
    """Mean tumour radius against malignant (1) or benign (0) for 569 tumours (scikit-learn)."""
    data = load_breast_cancer()
    radius = data.data[:, list(data.feature_names).index("mean radius")]
    # scikit-learn codes malignant as 0; the page asks "is it malignant?", so malignant becomes 1.
    malignant = (data.target == list(data.target_names).index("malignant")).astype(float)
    return Dataset(
        _standardised(radius) if standardize else radius,
        malignant,
        "mean radius (standardised)" if standardize else "mean radius (mm)",
        "malignant",
        "scikit-learn's Wisconsin breast cancer data."
        + (" The radius is standardised (mean 0, sd 1)." if standardize else ""),
    )


def read_csv_columns(source, *, max_bytes=10_000_000, max_rows=100_000):
    """The numeric columns of an uploaded CSV file (bytes or a binary file object) with a header row."""
    max_bytes = check_integer("max_bytes", max_bytes, low=1, high=10**9)
    max_rows = check_integer("max_rows", max_rows, low=1, high=10**7)
    if isinstance(source, bytes | bytearray):
        data = bytes(source[: max_bytes + 1])
    else:
        if hasattr(source, "seek"):
            source.seek(0)  # an upload widget hands over the same buffer on every rerun
        data = source.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ValueError(f"The file must be at most {max_bytes:,} bytes. Got a larger file instead.")
    if not data.strip():
        raise ValueError("The file is empty. Upload a CSV file with a header row and numeric columns.")
    try:
        table = pd.read_csv(io.BytesIO(data), nrows=max_rows + 1)
    except UnicodeDecodeError:
        raise ValueError("The file is not UTF-8 text, so it cannot be a CSV file.") from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as error:
        raise ValueError(f"The file could not be read as CSV: {error}") from None
    if len(table) > max_rows:
        raise ValueError(f"The file must have at most {max_rows:,} data rows. Got more instead.")
    if table.empty:
        raise ValueError("The file has a header but no data rows.")
    table.columns = [str(column) for column in table.columns]
    numeric = table.select_dtypes(include=["number", "bool"]).astype(float)
    # A column with no finite value (e.g. an empty one) can never be plotted or fitted.
    numeric = numeric.loc[:, np.isfinite(numeric.to_numpy()).any(axis=0)]
    if numeric.shape[1] == 0:
        raise ValueError(
            "The file has no numeric columns. Check that it is comma-separated, has a header row, "
            "and writes numbers without thousands separators or units."
        )
    return numeric


def _check_column(name, column, columns):
    if column not in columns:
        shown = ", ".join(repr(c) for c in columns[:10]) + (", ..." if len(columns) > 10 else "")
        raise ValueError(f"{name} must be one of {shown}. Got {column!r} instead.")


def xy_from_table(table, x_column, y_column, *, binary_target=False):
    """x and y from two numeric columns, without rows that miss either value.

    With `binary_target`, y must take exactly two values; they are recoded to 0 (smaller) and 1.
    """
    columns = list(table.columns)
    _check_column("x_column", x_column, columns)
    _check_column("y_column", y_column, columns)
    x = table[x_column].to_numpy(dtype=float, na_value=np.nan)
    y = table[y_column].to_numpy(dtype=float, na_value=np.nan)
    usable = np.isfinite(x) & np.isfinite(y)
    x, y = x[usable], y[usable]
    n_dropped = int(np.count_nonzero(~usable))
    rows = "row" if n_dropped == 1 else "rows"
    notes = [f"Dropped {n_dropped} {rows} with missing or infinite values."] if n_dropped else []
    if len(x) < 2:
        raise ValueError(
            f"Columns {x_column!r} and {y_column!r} must have at least 2 rows with both values. "
            f"Got {len(x)} instead."
        )
    if np.all(x == x[0]):
        raise ValueError(f"x_column {x_column!r} must vary. Got the same value {x[0]:g} in every usable row.")
    labels = None
    if binary_target:
        classes = np.unique(y)
        if len(classes) == 1:
            raise ValueError(
                f"y_column {y_column!r} must contain two classes. Got only the value {classes[0]:g} instead."
            )
        if len(classes) > 2:
            found = ", ".join(f"{value:g}" for value in classes[:5]) + (", ..." if len(classes) > 5 else "")
            raise ValueError(
                f"y_column {y_column!r} must have exactly two distinct values for logistic regression. "
                f"Got {len(classes)}: {found} instead."
            )
        labels = (float(classes[0]), float(classes[1]))
        if labels != (0.0, 1.0):
            notes.append(f"Target recoded: {labels[0]:g} → 0, {labels[1]:g} → 1.")
        y = (y == classes[1]).astype(float)
    return Dataset(x, y, x_column, y_column, " ".join(notes), n_dropped, labels)
