"""The derivative page's Taylor models T₁ to T₅ at x₀ and their errors, in an expander worked out only while
it is open."""

from __future__ import annotations

import streamlit as st

from core.figures.taylor import taylor_error_chart, taylor_models_chart
from ui.cache import taylor_models
from ui.page import PageSettings, explain, show_chart

EXPANDER_KEY = "taylor"  # the expander's open or closed state


def taylor_panel(settings: PageSettings, text: str, x_range: tuple[float, float], x0: float,
                 y_range: tuple[float, float] | None) -> None:  # fmt: skip
    """The expander, with both charts while it is open. Order 1 is the tangent: a page in quiz mode shows
    it only after Reveal."""
    # worked out only while open: each new x₀ is five SymPy polynomials in a forked child, about a tenth of
    # the page's server time at every move of the point; one label whatever x₀, so a move keeps it open
    box = st.expander("Taylor models at x₀", icon=":material/timeline:", key=EXPANDER_KEY, on_change="rerun")
    with box:
        taylor = taylor_models(text, x_range, x0) if box.open else None
        if isinstance(taylor, str):  # the formula could not be expanded: why, in words
            st.caption(taylor)
        elif taylor is not None:
            st.caption(f"T₁ to T₅ at x₀ = {x0:g}")
            left, right = st.columns(2)
            with left:
                show_chart(taylor_models_chart(taylor, y_range, settings.style), name="taylor-models")
            with right:
                show_chart(taylor_error_chart(taylor, settings.style), name="taylor-errors")
            explain(
                settings,
                "Tₙ matches f's first n derivatives at x₀: T₁ is the tangent, T₂ the parabola "
                "Newton's method minimises. Near x₀ the error shrinks like |x − x₀|ⁿ⁺¹, so each order "
                "hugs f over a wider stretch.",
            )
