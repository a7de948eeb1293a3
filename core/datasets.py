"""Data for the regression pages: the seed's synthetic sets, real presets and CSV uploads.

Everything returns a `Dataset`; every parameter is validated because pages pass on URL values and
uploaded files.
"""

import collections
import csv
import io
import itertools
import time
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.datasets import load_breast_cancer, load_diabetes, make_classification, make_regression

from core.validation import check_integer, check_real

MAX_SAMPLES = 10_000
# an uploaded value's largest magnitude: n ≤ 10⁷ squares of 1e150 still sum to a finite float64 (≤ 1e307)
MAX_MAGNITUDE = 1e150
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


MAX_COLUMNS = 200
MAX_COLUMN_NAME = 100  # characters
READ_SECONDS = 5.0  # wall clock for parsing one upload; pandas is checked between chunks of rows
_CHUNK_ROWS = 10_000


def _header_names(data: bytes) -> list[str]:
    """The header row's column names, checked before pandas sees the file: pandas copes badly with a
    hostile header (2 million copies of `a` kept it renaming duplicates for over 10 minutes)."""
    longest = MAX_COLUMNS * (MAX_COLUMN_NAME + 3)  # every name at its longest, quoted, with a comma
    end = data.find(b"\n", 0, longest + 2)
    if end < 0 and len(data) > longest:
        raise ValueError(
            f"The header row must be at most {longest:,} bytes ({MAX_COLUMNS} columns of up to "
            f"{MAX_COLUMN_NAME} characters). Got a longer first line instead."
        )
    line = (data if end < 0 else data[:end]).decode("utf-8-sig").rstrip("\r")
    try:
        (names,) = csv.reader([line], strict=True)
    except csv.Error as error:
        raise ValueError(f"The header row could not be read as CSV: {error}") from None
    except ValueError:  # no record at all: the first line is blank
        raise ValueError("The first line is empty. The file must start with a header row.") from None
    if len(names) > MAX_COLUMNS:
        raise ValueError(f"The file must have at most {MAX_COLUMNS} columns. Got {len(names):,} instead.")
    names = [name.strip() for name in names]
    long_names = [name for name in names if len(name) > MAX_COLUMN_NAME]
    if long_names:
        raise ValueError(
            f"Column names must be at most {MAX_COLUMN_NAME} characters. Got one of "
            f"{len(long_names[0]):,} characters ({long_names[0][:20]!r}...) instead."
        )
    # empty names are fine: pandas names them "Unnamed: i" (an index written by to_csv has one)
    repeated = sorted(name for name, count in collections.Counter(names).items() if name and count > 1)
    if repeated:
        shown = ", ".join(repr(name) for name in repeated[:5]) + (", ..." if len(repeated) > 5 else "")
        raise ValueError(f"Column names must be unique. Got {shown} more than once.")
    return names


def _check_row_widths(data: bytes, width: int, max_rows: int) -> None:
    """No row wider than the header, checked before pandas: its parser slows down with a row's width
    whatever the header says (a row of 40,000 fields under a 2-column header took 12 s)."""
    for number, line in enumerate(itertools.islice(data.split(b"\n", max_rows + 1), 1, max_rows + 1), 2):
        commas = line.count(b",")
        # a quoted field may hold commas, so a quoted line is left to pandas unless it is absurdly wide
        if (commas >= width and b'"' not in line) or commas >= MAX_COLUMNS * 4:
            raise ValueError(
                f"The file could not be read as CSV: Expected {width} fields in line {number}, "
                f"saw {commas + 1:,}."
            )


def read_csv_columns(source, *, max_bytes=10_000_000, max_rows=100_000, max_seconds=READ_SECONDS):
    """The numeric columns of an uploaded CSV file (bytes or a binary file object) with a header row.

    Bounded in every direction: at most `max_bytes`, `MAX_COLUMNS` uniquely named columns (checked
    before parsing), `max_rows` data rows, and `max_seconds` of parsing.
    """
    max_bytes = check_integer("max_bytes", max_bytes, low=1, high=10**9)
    max_rows = check_integer("max_rows", max_rows, low=1, high=10**7)
    max_seconds = check_real("max_seconds", max_seconds, low=0, high=60, low_open=True)
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
    data = data.lstrip()  # blank lines before the header, as pandas skips them
    try:
        names = _header_names(data)
    except UnicodeDecodeError:
        raise ValueError("The file is not UTF-8 text, so it cannot be a CSV file.") from None
    _check_row_widths(data, len(names), max_rows)
    deadline, chunks, too_slow = time.monotonic() + max_seconds, [], False
    try:
        with pd.read_csv(io.BytesIO(data), engine="c", chunksize=_CHUNK_ROWS, nrows=max_rows + 1) as reader:
            for chunk in reader:
                chunks.append(chunk)
                if time.monotonic() > deadline:
                    too_slow = True
                    break
    except UnicodeDecodeError:
        raise ValueError("The file is not UTF-8 text, so it cannot be a CSV file.") from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as error:
        raise ValueError(f"The file could not be read as CSV: {error}") from None
    if too_slow:
        rows = sum(len(chunk) for chunk in chunks)
        raise ValueError(
            f"Reading the file took longer than {max_seconds:g} s (stopped after {rows:,} rows). "
            "Upload a smaller file."
        )
    table = pd.concat(chunks) if chunks else pd.DataFrame(columns=names)
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
    for name, column, values in (("x_column", x_column, x), ("y_column", y_column, y)):
        largest = float(np.max(np.abs(values)))
        if largest > MAX_MAGNITUDE:
            raise ValueError(
                f"{name} {column!r} must lie within ±{MAX_MAGNITUDE:g}: the loss and its curvature square "
                f"the values, and a square beyond 1.8e+308 overflows. Got {largest:.3g} instead; rescale the "
                "column (say, to thousands or millions of its unit)."
            )
    spread = float(np.std(x))
    if spread < 1 / MAX_MAGNITUDE:
        raise ValueError(
            f"x_column {x_column!r} must vary by more than {1 / MAX_MAGNITUDE:g} (its standard deviation): "
            f"its square underflows to 0. Got {spread:.3g} instead; rescale the column."
        )
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
