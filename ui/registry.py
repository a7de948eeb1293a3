"""The app's pages in order: the home page's cards and the sidebar navigation both read this list."""

from dataclasses import dataclass


@dataclass(frozen=True)
class PageInfo:
    path: str
    title: str
    icon: str
    summary: str


HOME = PageInfo(
    "streamlit_app.py", "Home", ":material/home:", "What Gradient Lab is and what each page shows."
)
PAGES = (
    PageInfo(
        "pages/1_Derivative.py",
        "Derivative",
        ":material/show_chart:",
        "f and f′ symbolically and numerically, the rules step by step, tangent versus secant, and how the "
        "error of a finite difference depends on the step h.",
    ),
    PageInfo(
        "pages/4_Critical_Points.py",
        "Critical points",
        ":material/filter_center_focus:",
        "Solve ∇f = 0 symbolically within a time limit (numerically when that fails), classify every point "
        "by the Hessian's eigenvalues, and see why the seed's example has none.",
    ),
)


def page_info(path: str) -> PageInfo:
    """The registry entry of the page at this path (pages look themselves up, so order can change)."""
    return next(page for page in PAGES if page.path == path)
