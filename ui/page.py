"""The shell every page opens with: page config, lecture mode, and the shared way to show charts and prose."""

from __future__ import annotations

from dataclasses import dataclass

import plotly.graph_objects as go
import streamlit as st

from core.figures import FigureStyle
from ui.registry import HOME, PAGES, PageInfo

LECTURE_KEY = "lecture"
_TRUTHY = {"1", "true", "yes", "on"}

_LECTURE_CSS = """
<style>
/* Lecture mode: everything at least 1.3x larger for the back row of a lecture hall. */
[data-testid="stAppViewContainer"] .stMarkdown p,
[data-testid="stAppViewContainer"] .stMarkdown li,
[data-testid="stSidebar"] label p,
[data-testid="stSidebar"] .stMarkdown p { font-size: 1.35rem !important; line-height: 1.5; }
[data-testid="stMetricValue"] { font-size: 2.9rem !important; }
[data-testid="stMetricLabel"] p { font-size: 1.3rem !important; }
.katex { font-size: 1.35em !important; }
.katex-display { overflow-x: auto; overflow-y: hidden; }  /* long formulas scroll rather than clip */
h1 { font-size: 3.4rem !important; }
h2, h3 { font-size: 2.2rem !important; }
</style>
"""


@dataclass(frozen=True)
class PageSettings:
    lecture: bool
    style: FigureStyle


def _truthy(value: str | None) -> bool:
    return value is not None and value.lower() in _TRUTHY


def _sync_lecture_to_url() -> None:
    if st.session_state.get(LECTURE_KEY):
        st.query_params[LECTURE_KEY] = "1"
    else:
        st.query_params.pop(LECTURE_KEY, None)


def _navigation() -> None:
    with st.sidebar:
        for page in (HOME, *PAGES):
            st.page_link(page.path, label=page.title, icon=page.icon)
        st.divider()


def setup_page(page: PageInfo, *, heading: str = "") -> PageSettings:
    """Call first on every page: wide layout, title, navigation and lecture mode.

    Lecture mode follows ``?lecture=1`` in the URL, survives page switches (session state), and is written
    back to the URL on every run so a copied link keeps it.
    """
    st.set_page_config(page_title=f"{page.title} · Gradient Lab", page_icon=page.icon, layout="wide")
    if LECTURE_KEY not in st.session_state:
        st.session_state[LECTURE_KEY] = _truthy(st.query_params.get(LECTURE_KEY))
    _navigation()
    lecture = st.sidebar.toggle(
        "Lecture mode",
        key=LECTURE_KEY,
        persist_state="session",
        help="Bigger text and thicker lines for a projector; hides the longer explanations.",
    )
    _sync_lecture_to_url()
    if lecture:
        st.html(_LECTURE_CSS)
    st.title(f"{page.icon} {heading or page.title}")
    return PageSettings(lecture=lecture, style=FigureStyle.lecture() if lecture else FigureStyle())


def explain(settings: PageSettings, markdown: str) -> None:
    """Teaching prose: shown normally, hidden in lecture mode where the lecturer does the talking."""
    if not settings.lecture:
        st.markdown(markdown)


def show_chart(fig: go.Figure, *, name: str) -> None:
    """A Plotly chart at full width whose camera button saves a crisp 2x PNG named after the chart."""
    st.plotly_chart(
        fig,
        width="stretch",
        theme=None,  # keep the figure's own fonts: Streamlit's theme would undo lecture-mode sizes
        key=f"chart-{name}",
        config={
            "displaylogo": False,
            "toImageButtonOptions": {"format": "png", "scale": 2, "filename": f"gradient-lab-{name}"},
        },
    )
