"""Sidebar controls shared by pages, every one mirrored in the URL so a pasted link reopens the view."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

import streamlit as st

from core import functions2d
from core.expressions import ExpressionError

T = TypeVar("T")
CUSTOM = "Custom formula"


def function_picker(
    presets: Sequence[str], *, default: str, variables: str, default_formula: str, examples: str
) -> tuple[str, str | None]:
    """A preset picker with a custom-formula entry: (the name chosen, the custom text or None).

    Preset names are short because the URL holds them (?fn=Sigmoid).
    """
    options = [*presets, CUSTOM]
    choice = st.sidebar.selectbox(
        "Function", options=options, index=options.index(default), key="fn", bind="query-params"
    )
    if choice != CUSTOM:
        return choice, None
    text = st.sidebar.text_input(
        f"f({variables}) =",
        value=default_formula,
        max_chars=200,
        key="formula",
        bind="query-params",
        help=f"For example {examples}.",
    )
    return choice, text


def function2d_input(
    names: Sequence[str] = tuple(functions2d.FUNCTIONS), *, default: str = functions2d.DEFAULT
):
    """Sidebar picker for f(x, y): a function from ``core.functions2d`` or a custom formula.

    Returns (the name chosen, or CUSTOM; the formula text to parse).
    """
    choice, text = function_picker(
        names,
        default=default,
        variables="x, y",
        default_formula="x^2 + 2y^2",
        examples="x^2 - y^2, sin(x)cos(y), (1-x)^2 + 100(y-x^2)^2, ln(x y), sqrt(x - y)",
    )
    return choice, functions2d.get(choice).formula if text is None else text


def build_or_stop(build: Callable[[str], T], text: str) -> T:
    """Run a cached parser/preparer on untrusted text; a bad formula shows the parser's message and stops."""
    try:
        return build(text)
    except ExpressionError as error:
        st.error(f"**That formula can't be used.** {error}")
        st.stop()


def initial_value(key: str, value: object) -> dict:
    """``value=`` for a widget whose state a callback may set: passing both makes Streamlit warn, and once
    the key is in the session state the widget takes its value from there anyway."""
    return {} if key in st.session_state else {"value": value}
