"""The Lesson page's parts: which lesson (the folder's or an upload), which step (buttons, a presenter's
clicker, ?step=N), and the step itself: its narrative, question and notes above the page it opens,
embedded live.

Why embedded: a clicker only sends keys. Were a step to switch to its page (st.switch_page), the next
PageDown would land on that page, which knows nothing of the lesson. Embedding the step's page (its own URL,
?embed=true) keeps the lesson page in charge of the keys, while the view below is the real page with its
controls, Reveal buttons and live charts; "Open this step full screen" opens the same URL in a tab.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode

import streamlit as st

from core import validation
from core.lesson import Lesson, LessonError, Step, parse_lesson
from ui.inputs import url_bound
from ui.lesson_controls import CONTROLS
from ui.page import PageSettings, page_title
from ui.registry import PageInfo

LESSONS_DIR = Path(__file__).resolve().parents[1] / "lessons"
DEFAULT_LESSON = "seed"
UPLOAD_CAP_MB = 1  # the uploader's cap; core.lesson then refuses anything over MAX_LESSON_BYTES in words
STEP_KEY, SHOWN_KEY = "lesson-step", "lesson-shown"
LESSON_URL_PATH = "Lesson"

_PRESENTER_KEYS = st.components.v2.component(
    "gradient_lab.lesson_keys",
    js=(Path(__file__).resolve().parent / "lesson_js" / "presenter_keys.js").read_text(),
    isolate_styles=False,  # it draws nothing; a shadow root would only add an empty element
)

# the lesson page puts its title, the step buttons and the words beside the step's view, which starts at the
# top of the page and gets the rest of the screen's height: the embedded page's chart fits itself to that
# height, so it opens whole on a 1280×720 projector
_COMPACT_CSS = """
<style>
[data-testid="stMainBlockContainer"] { padding-top: 2.5rem !important; }
.st-key-lesson-view iframe { height: calc(100vh - 3.5rem); min-height: 380px; border: 1px solid #ddd; }
</style>
"""


def step_layout(page: PageInfo):
    """The words' column (title, buttons, progress, narrative) and the view's column beside it, the wider."""
    st.html(_COMPACT_CSS)
    words, view = st.columns([1, 2.4], vertical_alignment="top")
    with words:
        page_title(page)
    return words, view


def folder_lessons() -> dict[str, Path]:
    """The lessons in lessons/, by file name without .toml; the default first."""
    paths = sorted(LESSONS_DIR.glob("*.toml"), key=lambda path: (path.stem != DEFAULT_LESSON, path.stem))
    return {path.stem: path for path in paths}


@st.cache_data(max_entries=64, show_spinner=False)
def _parsed(content: bytes, name: str) -> Lesson:
    return parse_lesson(content, CONTROLS, name=name)


def load_lesson(content: bytes, name: str) -> Lesson:
    """A lesson file's steps, or the page stops with the checker's message (what is wrong, and where)."""
    try:
        return _parsed(content, name)
    except LessonError as error:
        st.error(f"**That lesson file can't be used.** {error}")
        st.stop()


def chosen_lesson() -> tuple[Lesson, str | None]:
    """Sidebar: a lesson from the folder (?lesson=name) or an uploaded file. Returns the lesson and its
    name in the folder (None for an upload, which a link cannot carry)."""
    lessons = folder_lessons()
    bar = st.sidebar
    name = url_bound(bar.selectbox, "Lesson", list(lessons), key="lesson")
    upload = bar.file_uploader(
        "Or upload your own (.toml)",
        type=["toml"],
        key="lesson-upload",
        max_upload_size=UPLOAD_CAP_MB,
        help="A plain TOML file: a title and [[steps]] tables, each with a page, controls, text, and an "
        "optional question and notes. See lessons/seed.toml.",
    )
    if upload is not None:
        return load_lesson(upload.getvalue(), Path(upload.name).stem), None
    return load_lesson(lessons[name].read_bytes(), name), name


def _start_step(identity: object, count: int) -> None:
    """Step 1 for a lesson new to the session, else ?step=N from a link when it fits the lesson."""
    if st.session_state.get(SHOWN_KEY) == identity and 1 <= st.session_state.get(STEP_KEY, 0) <= count:
        return
    st.session_state[SHOWN_KEY], st.session_state[STEP_KEY] = identity, 1
    text = st.query_params.get("step")
    if text is None:
        return
    try:
        st.session_state[STEP_KEY] = validation.url_number(text, integer=True, low=1, high=count)
    except ValueError as reason:
        st.toast(f"Ignored `step={text[:24]}` from the link: {reason}. Starting at step 1.", icon="⚠️")


def _move(delta: int, count: int) -> None:
    st.session_state[STEP_KEY] = min(max(st.session_state[STEP_KEY] + delta, 1), count)


def current_step(lesson: Lesson, identity: object, words) -> int:
    """The step on screen (1-based), after this run's Previous/Next: buttons (drawn in ``words``, with the
    progress bar under them), or the presenter keys."""
    count = len(lesson)
    _start_step(identity, count)
    pressed = _PRESENTER_KEYS(key="lesson-keys", on_nav_change=lambda: None).nav
    if pressed in ("next", "previous"):
        _move(1 if pressed == "next" else -1, count)
    number = st.session_state[STEP_KEY]
    with words:
        back, forward = st.columns(2)
        progress = st.empty()
    back.button("Previous", icon=":material/arrow_back:", key="lesson-previous", disabled=number == 1,
                on_click=_move, args=(-1, count), width="stretch")  # fmt: skip
    forward.button("Next", icon=":material/arrow_forward:", key="lesson-next", disabled=number == count,
                   on_click=_move, args=(1, count), width="stretch", type="primary")  # fmt: skip
    number = st.session_state[STEP_KEY]  # a button's callback has run before this line
    progress.progress(number / count, text=f"Step {number} of {count} · PageDown / PageUp or the arrow keys")
    st.query_params["step"] = str(number)
    return number


def app_root() -> str:
    """The app's address up to the page path (so it also works under server.baseUrlPath), or "/" when
    Streamlit does not know it (AppTest)."""
    url = (st.context.url or "").split("?")[0].rstrip("/")
    if url.endswith(f"/{LESSON_URL_PATH}"):
        return url[: -len(LESSON_URL_PATH)]
    return f"{url}/" if url else "/"


def step_url(step: Step, *, lecture: bool, embed: bool = False) -> str:
    """The step's page with its controls in the query string. Every value was checked against the page's
    registry entry; urlencode keeps a formula's text inside its parameter."""
    pairs = step.query_string_pairs(lecture=lecture) + ([("embed", "true")] if embed else [])
    return f"{app_root()}{step.page}?{urlencode(pairs)}"


def show_step(step: Step, number: int, settings: PageSettings, words, view, *, share: str | None) -> None:
    """The narrative, the question (the page opens in quiz mode: Reveal there) and notes in ``words``; the
    step's page, live, in ``view``."""
    with words:
        st.markdown(step.text)
        if step.question:
            st.info(f"**Ask the class:** {step.question}", icon=":material/quiz:")
        st.link_button(
            "Open full screen",
            step_url(step, lecture=settings.lecture),
            icon=":material/open_in_new:",
            help="This step's page on its own, in a new tab.",
            width="stretch",
        )
        asked = settings.lecture and st.sidebar.toggle("Show presenter notes", key="lesson-notes")
        if step.notes and (asked or not settings.lecture):
            with st.expander("Presenter notes", icon=":material/speaker_notes:"):
                st.markdown(step.notes)
    with view, st.container(key="lesson-view"):
        st.iframe(step_url(step, lecture=settings.lecture, embed=True), height=560)
    if share is not None:
        with st.sidebar.expander("Link to this step", icon=":material/link:"):
            st.code(f"{app_root()}{LESSON_URL_PATH}?{urlencode({'lesson': share, 'step': number})}",
                    language=None, wrap_lines=True)  # fmt: skip
