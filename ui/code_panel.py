""" "The code" panel every page ends with: runnable Python (core.code_listing) behind a closed expander,
with Streamlit's copy button, and the map from a regression page's data choice to the listing's recipe."""

from __future__ import annotations

import streamlit as st

from core.code_listing_training import DataRecipe
from ui.descent_controls import BREAST_CANCER, DIABETES, SYNTHETIC, LoadedData

_RECIPES = {DIABETES: "diabetes", BREAST_CANCER: "breast_cancer"}


def show_code(listing: str, *, reveal: bool = True) -> None:
    """The listing in a closed expander; in quiz mode (``reveal`` False) it waits for the answer, since
    running it would print the answer."""
    with st.expander("The code", icon=":material/code:"):
        if not reveal:
            st.caption("Reveal the answer first: this code prints it.")
            return
        st.caption(
            "Plain Python (NumPy, SymPy, SciPy, scikit-learn) that reproduces this page's numbers for the "
            "current controls. Copy it with the button at its top right."
        )
        st.code(listing, language="python")


def data_recipe(loaded: LoadedData) -> DataRecipe:
    """The listing's recipe for the data a regression page loaded (its cache key names it exactly)."""
    source, *values = loaded.key
    if source == SYNTHETIC:
        kind = "make_regression" if len(values) == 3 else "make_classification"
        return DataRecipe(kind, tuple(values))
    if source in _RECIPES:
        return DataRecipe(_RECIPES[source])
    _file_id, x_column, y_column = values  # a CSV upload: the file itself cannot be in the listing
    return DataRecipe("csv", (x_column, y_column))
