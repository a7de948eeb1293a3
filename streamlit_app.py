"""Gradient Lab home page: what the app is and a card per page."""

import streamlit as st

from ui.page import explain, setup_page
from ui.registry import HOME, PAGES

settings = setup_page(HOME, heading="Gradient Lab")

st.markdown(
    "**Explore loss landscapes.** Gradient Lab teaches derivatives and gradients for machine learning with "
    "interactive charts: type a function or pick one, move a slider, and watch the derivative, the tangent, "
    "the gradient and gradient descent respond. Every formula is checked by a safe parser, every number is "
    "computed, not drawn, and every view has its own link for slides."
)
explain(settings, "Turn on **lecture mode** in the sidebar (or add `?lecture=1` to a link) for a projector.")

columns = st.columns(3)
for index, page in enumerate(PAGES):
    with columns[index % 3].container(border=True):
        st.page_link(page.path, label=f"**{page.title}**", icon=page.icon)
        st.write(page.summary)
