"""The shell every page opens with: page config, lecture mode, and the shared way to show charts and prose."""

from __future__ import annotations

import functools
import gc
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
import threadpoolctl
from streamlit.runtime import Runtime
from streamlit.runtime.scriptrunner import get_script_run_ctx

from core import timelimit
from core.figures import FigureStyle
from core.figures.alt_text import text_alternative
from ui.registry import HOME, PAGES, PageInfo

# a local file: a Material or emoji page icon makes the browser fetch the favicon from Google's or a CDN's
# servers, which a lecture-hall network or an air-gapped server may not reach
FAVICON = Path(__file__).resolve().parents[1] / "assets" / "favicon.png"
# One BLAS thread per server process. Sessions are threads of one process, so OpenBLAS's second thread per
# call only competes with the other sessions for the same cores, and under load it spins: an SVD of the size
# the network page's PCA plane takes cost 2.35 s of CPU with two threads and 0.07 s with one (2-core machine,
# load average 6). Set here, in the shell every page imports first.
threadpoolctl.threadpool_limits(1, user_api="blas")


def _session_gone() -> bool:
    """Whether this thread runs the script of a session whose browser tab has gone (closed, or navigated
    away): Streamlit drops a disconnected session from its active ones. False outside ``streamlit run``."""
    context = get_script_run_ctx()
    if context is None or not Runtime.exists():
        return False
    return not Runtime.instance().is_active_session(context.session_id)


# a formula's symbolic work for a closed tab stops within 0.1 s, not at its time limit (issue #21)
timelimit.stop_when(_session_gone)
# Python's cycle collector stops every session while it walks the objects it tracks, and a server that has
# imported SymPy, SciPy, scikit-learn, Plotly and Streamlit tracks some 200,000 of them that live as long as
# the process: under 50 students a full collection took 200-290 ms, every 10-15 s (issue #17). Each page's
# first run moves what its imports built into the collector's permanent generation, which it never walks
# (then 13-52 ms); the sessions' own objects are collected as before. Objects of runs in flight at that
# moment stay too: a few kilobytes, once per page.
_FROZEN_PAGES: set[str] = set()
_FREEZE_LOCK = threading.Lock()


def _freeze_imports(page: PageInfo) -> None:
    with _FREEZE_LOCK:
        if page.path in _FROZEN_PAGES:
            return
        _FROZEN_PAGES.add(page.path)
    gc.freeze()


LECTURE_KEY = "lecture"
QUIZ_KEY = "quiz"
_TRUTHY = {"1", "true", "yes", "on"}

# On a projector the chart must open on screen: Streamlit's default top padding (6rem) and the title's
# margins cost ~150 px of a 720 px screen before anything the class came to see. The title then sits under
# Streamlit's header bar (its menu, at the right), which must not paint over it.
_COMPACT_CSS = """
<style>
[data-testid="stHeader"] { background: transparent !important; }
[data-testid="stMainBlockContainer"] { padding-top: 1.5rem !important; padding-bottom: 2rem !important; }
[data-testid="stMain"] h1 { padding: 0 0 0.25rem 0 !important; font-size: 2rem; }
</style>
"""

# WCAG 2.1 AA (tests/e2e/test_accessibility.py runs axe-core on every page). Streamlit draws captions in the
# text colour at opacity 0.6, #828180 on white: 3.9:1 where small text needs 4.5:1. At 0.75 they read 6.1:1
# on white and 5.8:1 on the sidebar.
_READABLE_CSS = """
<style>
[data-testid="stCaptionContainer"] { opacity: 0.75 !important; }
</style>
"""

# On a touch screen plotly.js shows its toolbar all the time, at the chart's top right, and a phone's chart is
# too narrow for it and the title side by side (it covered "Critical points on the contour"). Below
# Streamlit's 640 px breakpoint, where columns stack, the toolbar gets a strip of its own above the chart on
# a touch screen (hover: none); with a mouse (a lesson step's page, embedded 570 px wide) it only shows on
# hover, and the strip would cost the chart 30 px.
# There a row of st.metric columns stacks one number per line too (the network page's five pushed its first
# chart to 816 px of an 844 px screen): columns holding metrics and no chart, table or code sit two abreast.
# The compact top padding put the title's icon under the header's sidebar button (to 44 px): 3rem clears it
# (written to outrank the lesson page's own padding too).
_PHONE_CSS = """
<style>
@media (max-width: 640px) and (hover: none) {
  .js-plotly-plot { padding-top: 30px; }
  .js-plotly-plot .modebar-container { top: -30px !important; }
}
@media (max-width: 640px) {
  [data-testid="stAppViewContainer"] [data-testid="stMainBlockContainer"] { padding-top: 3rem !important; }
  [data-testid="stColumn"]:has([data-testid="stMetric"]):not(:has(.js-plotly-plot, .gl-live,
      [data-testid="stDataFrame"], [data-testid="stTable"], [data-testid="stCode"])) {
    min-width: calc(50% - 1rem) !important;
  }
}
</style>
"""

# A region that scrolls must be reachable by keyboard (WCAG 2.1.1), and Streamlit leaves two without a tab
# stop: a display formula wider than its column (Streamlit's .katex-display scrolls sideways; a long formula
# in lecture mode, on a phone; KaTeX's struts alone overhang by a pixel or two) and a code block's <pre> (the
# tab stop Streamlit gives the block is on a wrapper that does not scroll). Each gets one while its content
# overflows. A ResizeObserver per region sees it appear (an expander opening), change or the window resize;
# one MutationObserver, installed once per browser tab, finds the regions Streamlit adds on every rerun. Our
# own script with no user input in it: hence unsafe_allow_javascript.
_SCROLLABLE_REGIONS_JS = """
<script>
(() => {
  if (window.glScrollableRegions) return;
  const SCROLLERS = ".katex-display, [data-testid='stCode'] pre";
  const fit = new ResizeObserver((entries) => {
    for (const { target } of entries) {
      const overflows = target.scrollWidth > target.clientWidth || target.scrollHeight > target.clientHeight;
      if (overflows) target.setAttribute("tabindex", "0");
      else target.removeAttribute("tabindex");
    }
  });
  const watch = (node) => {
    if (!(node instanceof Element)) return;
    if (node.matches(SCROLLERS)) fit.observe(node);
    for (const region of node.querySelectorAll(SCROLLERS)) fit.observe(region);
  };
  window.glScrollableRegions = new MutationObserver((mutations) => {
    for (const mutation of mutations) mutation.addedNodes.forEach(watch);
  });
  window.glScrollableRegions.observe(document.body, { childList: true, subtree: true });
  watch(document.body);
})();
</script>
"""

_LECTURE_CSS = """
<style>
/* Lecture mode: everything at least 1.3x larger for the back row of a lecture hall. */
[data-testid="stAppViewContainer"] .stMarkdown p,
[data-testid="stAppViewContainer"] .stMarkdown li,
[data-testid="stSidebar"] label p,
[data-testid="stSidebar"] .stMarkdown p { font-size: 1.35rem !important; line-height: 1.5; }
[data-testid="stExpander"] summary p,
[data-testid="stPageLink"] p,
[data-testid="stSidebar"] [data-baseweb="select"] div,
[data-testid="stSidebar"] input { font-size: 1.25rem !important; }
[data-testid="stSliderThumbValue"] { font-size: 1.1rem !important; }
[data-testid="stMetricValue"] { font-size: 2.9rem !important; }
[data-testid="stMetricLabel"] p { font-size: 1.3rem !important; }
.katex { font-size: 1.35em !important; }
.katex-display { overflow-x: auto; overflow-y: hidden; }  /* long formulas scroll rather than clip */
h1 { font-size: 2.2rem !important; }  /* the title need not outshout the chart */
h2, h3 { font-size: 2.2rem !important; }
/* Quiz mode's Reveal buttons (keys reveal-button-*, see revealed): the moment the class waits for, easy to
   find and to hit on a projector. */
[class*="st-key-reveal-button-"] button { padding: 0.9rem 2.4rem !important; min-height: 4.2rem; }
[class*="st-key-reveal-button-"] button p,
[class*="st-key-reveal-button-"] button span { font-size: 1.6rem !important; }
</style>
"""


@dataclass(frozen=True)
class PageSettings:
    lecture: bool
    quiz: bool
    style: FigureStyle
    embedded: bool = False  # a lesson step's view (?embed=true): the lesson shows the title and the words


def _truthy(value: str | None) -> bool:
    return value is not None and value.lower() in _TRUTHY


def _mode_toggle(key: str, label: str, help_text: str) -> bool:
    """A sidebar toggle that follows ?key=1 in the URL, survives page switches (session state) and is
    written back to the URL on every run, so a copied link keeps it. Toggles only understand true/false in
    the URL, and ?lecture=1 is what people type, hence this instead of bind="query-params"."""
    if key not in st.session_state:
        st.session_state[key] = _truthy(st.query_params.get(key))
    on = st.sidebar.toggle(label, key=key, persist_state="session", help=help_text)
    if on:
        st.query_params[key] = "1"
    else:
        st.query_params.pop(key, None)
    return on


def _navigation() -> None:
    with st.sidebar:
        for page in (HOME, *PAGES):
            st.page_link(page.path, label=page.title, icon=page.icon)
        st.divider()


def page_title(page: PageInfo, heading: str = "") -> None:
    st.title(f"{page.icon} {heading or page.title}")


def setup_page(page: PageInfo, *, heading: str = "", titled: bool = True) -> PageSettings:
    """Call first on every page: wide layout, title (unless ``titled`` is false: the page places it with
    ``page_title``), navigation, lecture mode and quiz mode."""
    _freeze_imports(page)  # the page's module-level imports have run
    st.set_page_config(page_title=f"{page.title} · Gradient Lab", page_icon=str(FAVICON), layout="wide")
    _navigation()
    lecture = _mode_toggle(
        LECTURE_KEY,
        "Lecture mode",
        "Bigger text and thicker lines for a projector; hides the longer explanations.",
    )
    quiz = _mode_toggle(
        QUIZ_KEY, "Quiz mode", "Hide each answer behind a Reveal button, so the class can guess first."
    )
    st.html(_COMPACT_CSS + _READABLE_CSS + _PHONE_CSS + (_LECTURE_CSS if lecture else ""))
    st.sidebar.html(_SCROLLABLE_REGIONS_JS, unsafe_allow_javascript=True)
    embedded = bool(st.context.is_embedded)
    if titled and not embedded:
        page_title(page, heading)
    style = FigureStyle.lecture() if lecture else FigureStyle()
    return PageSettings(lecture=lecture, quiz=quiz, style=style, embedded=embedded)


def revealed(settings: PageSettings, what: str, question: object) -> bool:
    """Whether to show an answer. In quiz mode it stays hidden behind a button until revealed; a new
    ``question`` (say, another formula) hides it again."""
    if not settings.quiz:
        return True
    key = f"revealed-{what}"
    if st.session_state.get(key) == repr(question):
        return True
    # a callback, not the button's return value: the run after the click then no longer draws the button
    st.button(
        f"Reveal {what}",
        key=f"reveal-button-{what}",
        icon=":material/visibility:",
        on_click=st.session_state.__setitem__,
        args=(key, repr(question)),
    )
    return False


def share_link() -> None:
    """The URL of the current view, with every control's value, ready to paste into slides."""
    base = st.context.url
    if not base:
        return
    query = urlencode([(key, value) for key in st.query_params for value in st.query_params.get_all(key)])
    with st.sidebar.expander("Link to this view", icon=":material/link:"):
        st.code(f"{base}?{query}" if query else base, language=None, wrap_lines=True)


def explain(settings: PageSettings, markdown: str) -> None:
    """Teaching prose: shown normally, hidden in lecture mode where the lecturer does the talking."""
    if not settings.lecture:
        st.markdown(markdown)


def show_chart(fig: go.Figure, *, name: str) -> None:
    """A Plotly chart at full width whose camera button saves a crisp 2x PNG named after the chart, with a
    text alternative read off the figure (its title, axes and their spans, its series)."""
    st.plotly_chart(
        fig,
        width="stretch",
        theme=None,  # keep the figure's own fonts: Streamlit's theme would undo lecture-mode sizes
        key=f"chart-{name}",
        alt=text_alternative(fig),
        config={
            "displaylogo": False,
            "toImageButtonOptions": {"format": "png", "scale": 2, "filename": f"gradient-lab-{name}"},
        },
    )


def introduce(settings: PageSettings, prose: str, maths: Sequence[str]) -> None:
    """A page's opening: two or three sentences of what you are seeing (hidden in lecture mode, where the
    lecturer talks) and "The maths" — the formulas, kept in lecture mode one click away (open, they would
    push the chart off a projector's screen). Neither in a lesson's view: the lesson's own words stand
    beside it, and the chart must open on the projector's screen."""
    if settings.embedded:
        return
    explain(settings, prose)
    with st.expander("The maths", icon=":material/function:"):
        for formula in maths:
            st.latex(formula)


def download_csv(label: str, columns: dict[str, Sequence], file_name: str) -> None:
    """A button that saves columns of numbers (iterates, paths) as CSV for a spreadsheet or a slide. The file
    is written when the button is pressed: written at every rerun, the logistic page's iterates took a tenth
    of its server time."""
    st.download_button(
        label,
        functools.partial(_csv, columns),
        file_name=file_name,
        mime="text/csv",
        icon=":material/download:",
    )


def _csv(columns: dict[str, Sequence]) -> bytes:
    table = pd.DataFrame({name: pd.Series(values) for name, values in columns.items()})
    return table.to_csv(index=False).encode()
