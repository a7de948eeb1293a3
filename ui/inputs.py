"""Sidebar controls shared by pages, every one mirrored in the URL so a pasted link reopens the view."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from core import functions2d, validation
from core.expressions import ExpressionError
from core.formula_text import pointer

T = TypeVar("T")
CUSTOM = "Custom formula"


def function_picker(
    presets: Sequence[str], *, default: str, variables: str, default_formula: str, examples: str
) -> tuple[str, str | None]:
    """A preset picker with a custom-formula entry: (the name chosen, the custom text or None).

    Preset names are short because the URL holds them (?fn=Sigmoid).
    """
    options = [*presets, CUSTOM]
    choice = url_bound(
        st.sidebar.selectbox, "Function", options=options, index=options.index(default), key="fn"
    )
    if choice != CUSTOM:
        return choice, None
    text = url_bound(
        st.sidebar.text_input,
        f"f({variables}) =",
        value=default_formula,
        max_chars=200,
        key="formula",
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


def build_or_keep(build: Callable[[str], T], text: str, *, key: str | None = None) -> tuple[T, str]:
    """Run a cached parser/preparer on untrusted text: (the prepared formula, the text it came from). A
    refused formula shows the parser's message with a caret under the column at fault, and the last one that
    worked (remembered per page and ``key``, by default the builder's name) is returned, its charts greyed,
    so a student still typing keeps the picture; with none yet the page stops. A page passes the returned
    text, never the refused one, to anything else that reads the formula."""
    context = get_script_run_ctx()
    slot = f"{_LAST_VALID}:{context.page_script_hash if context else ''}:{key or build.__qualname__}"
    try:
        prepared = build(text)
    except ExpressionError as error:
        last_text = st.session_state.get(slot)
        kept = _rebuild_last_valid(build, last_text)
        _show_refusal(text, error, keeping=kept is not None)
        if kept is None:
            st.stop()
        return kept, last_text
    st.session_state[slot] = text
    return prepared, text


_LAST_VALID = "gl-last-valid-formula"
# greys what follows the refusal on the page while it is shown: Streamlit gives a keyed container the class
# st-key-<key> and wraps it in a layout wrapper, whose later siblings are the rest of the page
_GREYED = (
    "<style>[data-testid='stLayoutWrapper']:has(> .st-key-formula-refusal) ~ *, .st-key-formula-refusal ~ * "
    "{opacity: 0.45; filter: grayscale(1);}</style>"
)


def _rebuild_last_valid(build: Callable[[str], T], last_text: str | None) -> T | None:
    if last_text is None:
        return None
    try:
        return build(last_text)  # a cache hit: it was built on an earlier run
    except ExpressionError:  # refused since (a transient refusal forgotten and refused again)
        return None


def _show_refusal(text: str, error: ExpressionError, *, keeping: bool) -> None:
    with st.container(key="formula-refusal"):
        st.error(f"**That formula can't be used.** {error}")
        if error.position is not None:
            st.code(pointer(text, error.position), language=None)
        if keeping:
            st.caption("Below, greyed: the last formula that worked, until this one is fixed.")
            st.html(_GREYED)


def initial_value(key: str, value: object) -> dict:
    """``value=`` for a widget whose state a callback may set: passing both makes Streamlit warn, and once
    the key is in the session state the widget takes its value from there anyway."""
    return {} if key in st.session_state else {"value": value}


# ---------------------------------------------------------------------------------------------------
# Widgets mirrored in the URL. Streamlit seeds a bound widget from the link before the page can look at
# it, and some values break its own parsing (?seed=inf or a 5,000-digit seed raise OverflowError inside
# number_input; ?xr=3&xr=-3 is a reversed range the slider refuses). So every bound widget is created
# through url_bound, which checks the link's value against the widget's own arguments first.

_OPTION_WIDGETS = ("selectbox", "radio", "select_slider", "multiselect", "segmented_control", "pills")
_SHOWN_CHARS = 24


def _url_rule(widget_name: str, arguments: dict[str, Any]) -> Callable[[list[str]], list[str]]:
    """The check for one widget's URL values: it returns the texts as the widget should read them (only a
    reversed range changes: put in order) or raises ValueError saying why they cannot be used."""
    if widget_name in ("slider", "number_input"):
        low, high, value = (arguments.get(name) for name in ("min_value", "max_value", "value"))
        is_range = isinstance(value, tuple | list)
        given = [low, high, arguments.get("step"), *(value if is_range else [value])]
        # Streamlit's own rule: an integer widget when every number it was given is an int
        integer = all(isinstance(v, int) and not isinstance(v, bool) for v in given if v not in (None, "min"))

        def check_numbers(texts: list[str]) -> list[str]:
            if is_range:
                validation.url_range(texts, integer=integer, low=low, high=high)
                return sorted(texts, key=float)
            validation.url_text(texts, max_chars=None)  # exactly one value
            validation.url_number(texts[0], integer=integer, low=low, high=high)
            return texts

        return check_numbers
    if widget_name in _OPTION_WIDGETS:
        format_func = arguments.get("format_func", str)
        allowed = [str(format_func(option)) for option in arguments.get("options", ())]
        multiple = (
            widget_name == "multiselect"
            or arguments.get("selection_mode") == "multi"
            or (widget_name == "select_slider" and isinstance(arguments.get("value"), tuple | list))
        )
        return lambda texts: validation.url_options(texts, allowed, multiple=multiple)
    if widget_name in ("toggle", "checkbox"):

        def check_switch(texts: list[str]) -> list[str]:
            validation.url_options([text.lower() for text in texts], ["true", "false"], multiple=False)
            return texts

        return check_switch
    if widget_name == "text_input":
        return lambda texts: validation.url_text(texts, max_chars=arguments.get("max_chars"))
    raise TypeError(f"url_bound has no URL check for st.{widget_name}; add one to _url_rule.")


def _rewrite_url_param(key: str, values: list[str] | None) -> None:
    """Drop (None) or replace ?key=... both in the browser's URL and in the copy Streamlit seeds widgets
    from: that copy is taken when the run starts, and st.query_params can neither reach it nor touch a key
    already bound to a widget, hence Streamlit's own query-params object."""
    context = get_script_run_ctx()
    if context is None:
        return
    with context.session_state.query_params() as params:
        if values is None:
            params.remove_param(key)
        else:
            params.set_corrected_value(key, values, "string_array_value")
        params.set_initial_query_params_from_current()


def _shown(texts: list[str]) -> str:
    text = "&".join(texts)
    return text if len(text) <= _SHOWN_CHARS else f"{text[:_SHOWN_CHARS]}… ({len(text):,} characters)"


def _url_will_seed(key: str) -> bool:
    """Whether Streamlit is about to take this widget's value from the URL: when the widget is new to the
    session, and on back/forward navigation (afterwards the session's value wins and the URL follows it)."""
    context = get_script_run_ctx()
    return key not in st.session_state or (context is not None and context.is_history_navigation)


def url_bound(widget: Callable[..., T], *args: Any, key: str, **kwargs: Any) -> T:
    """``widget(*args, key=key, bind="query-params", **kwargs)`` after checking ?key=... in the URL against
    the widget's type, bounds or options: a value it cannot take is dropped (the default stands) and a
    reversed range put in order, each with a notice naming the parameter."""
    texts = st.query_params.get_all(key)
    if texts and _url_will_seed(key):
        arguments = inspect.signature(widget).bind(*args, key=key, **kwargs).arguments
        try:
            repaired = _url_rule(widget.__name__, arguments)(texts)
        except ValueError as reason:
            _rewrite_url_param(key, None)
            st.toast(f"Ignored `{key}={_shown(texts)}` from the link: {reason}. Using the default.", icon="⚠️")
        else:
            if repaired != texts:
                _rewrite_url_param(key, repaired)
                st.toast(f"Put the range `{key}={_shown(texts)}` from the link in order.", icon="⚠️")
    return widget(*args, key=key, bind="query-params", **kwargs)
