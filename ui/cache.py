"""Cached, bounded wrappers around core preparers that are slow (SymPy) and whose results are immutable.

``cache_resource`` hands every session the same object (no pickling, so compiled NumPy functions can be
cached); ``max_entries`` keeps a public server's memory bounded whatever formulas strangers type.
"""

import streamlit as st

from core import bivariate, univariate


@st.cache_resource(max_entries=128, show_spinner=False)
def prepared_univariate(text: str) -> univariate.Univariate:
    return univariate.prepare(text)


@st.cache_resource(max_entries=128, show_spinner=False)
def prepared_bivariate(text: str) -> bivariate.Bivariate:
    return bivariate.prepare(text)
