"""The app's pages in order: the home page's cards and the sidebar navigation both read this list."""

from dataclasses import dataclass
from pathlib import Path

from streamlit.source_util import page_icon_and_name


def url_path(path: str) -> str:
    """The URL path Streamlit serves a page file at, by Streamlit's own rule (so the two cannot drift):
    pages/2_Gradient_Field.py -> Gradient_Field; '' for the entry file."""
    return page_icon_and_name(Path(path))[1] if path.startswith("pages/") else ""


@dataclass(frozen=True)
class PageInfo:
    path: str
    title: str
    icon: str
    summary: str

    @property
    def url_path(self) -> str:
        return url_path(self.path)


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
        "pages/2_Gradient_Field.py",
        "Gradient field",
        ":material/explore:",
        "∇f as arrows on the level curves of f(x, y) and on its 3-D surface: perpendicular to the level "
        "curves, longest where they crowd, with the tangent plane at a point you move.",
    ),
    PageInfo(
        "pages/3_Directional_Derivative.py",
        "Directional derivative",
        ":material/north_east:",
        "D_u f = ∇f·u at a point: the slice of f along u with its tangent, and D_u f for every direction, "
        "largest along ∇f and zero along the level curve.",
    ),
    PageInfo(
        "pages/4_Critical_Points.py",
        "Critical points",
        ":material/filter_center_focus:",
        "Solve ∇f = 0 symbolically within a time limit (numerically when that fails), classify every point "
        "by the Hessian's eigenvalues, and see why the seed's example has none.",
    ),
    PageInfo(
        "pages/5_Linear_Regression_GD.py",
        "Linear regression GD",
        ":material/trending_down:",
        "Gradient descent on the MSE landscape over (w, b): the animated path and the optimum on one plot, "
        "the loss curve, the fitted line at any iteration beside your own line, and why steps above 2/λ_max "
        "diverge.",
    ),
    PageInfo(
        "pages/6_Logistic_Regression_GD.py",
        "Logistic regression GD",
        ":material/scatter_plot:",
        "Gradient descent on the cross-entropy over (w, b): the animated path and the optimum, the "
        "probability curve and the decision boundary at any iteration (a line in the plane for two "
        "features), and why separable classes have no finite optimum.",
    ),
    PageInfo(
        "pages/7_Optimizer_Race.py",
        "Optimizer race",
        ":material/sports_score:",
        "GD, momentum, Nesterov, RMSProp, Adam and Newton race from one start on a classic test function or "
        "your own formula, each with a tuned learning rate, animated in the browser.",
    ),
    PageInfo(
        "pages/8_Neural_Network_Landscape.py",
        "Neural-net landscape",
        ":material/hub:",
        "A small network trained on 2-D data, and its loss on a plane through the trained weights along "
        "random filter-normalised directions (Li et al. 2018) or the training path's own, with the path and "
        "the straight line from the initial weights.",
    ),
    PageInfo(
        "pages/9_Chain_Rule.py",
        "Chain rule",
        ":material/account_tree:",
        "A formula as a computational graph: values forward, then the chain rule backward, step by step, "
        "each node's adjoint ∂f/∂node from its local derivatives — backpropagation, checked against SymPy.",
    ),
    PageInfo(
        "pages/10_Lesson.py",
        "Lesson",
        ":material/co_present:",
        "The seed section as a guided walk-through: each step opens a page with its settings, a sentence to "
        "say and a question to ask; step with a presenter's clicker, or load a lesson file of your own.",
    ),
)


def page_info(path: str) -> PageInfo:
    """The registry entry of the page at this path (pages look themselves up, so order can change)."""
    return next(page for page in PAGES if page.path == path)
