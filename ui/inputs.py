"""Sidebar controls shared by pages, every one mirrored in the URL so a pasted link reopens the view."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

import streamlit as st

from core.expressions import ExpressionError

T = TypeVar("T")


def formula_or_preset(
    presets: Sequence[str], *, custom_key: str, default_custom: str, variables: str, help_text: str
) -> tuple[str, str]:
    """A preset picker with a custom-formula entry. Returns (chosen name, formula text or "" for a preset).

    Preset names are short because the URL holds them (?fn=Sigmoid).
    """
    choice = st.sidebar.selectbox("Function", options=[*presets, custom_key], key="fn", bind="query-params")
    if choice != custom_key:
        return choice, ""
    text = st.sidebar.text_input(
        f"f({variables}) =",
        value=default_custom,
        max_chars=200,
        key="formula",
        bind="query-params",
        help=help_text,
    )
    return choice, text


def build_or_stop(build: Callable[[str], T], text: str) -> T:
    """Run a cached parser/preparer on untrusted text; a bad formula shows the parser's message and stops."""
    try:
        return build(text)
    except ExpressionError as error:
        st.error(f"**That formula can't be used.** {error}")
        st.stop()


def show_value_error_and_stop(error: ValueError) -> None:
    st.error(str(error))
    st.stop()
