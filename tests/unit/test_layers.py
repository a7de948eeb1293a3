"""The layers of DESIGN.md: pages -> ui -> core.figures -> core. import-linter (make lint) checks core and ui;
these check what it cannot see: that its list of core modules is whole, and the pages, which are scripts."""

import ast
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_import_linter_contract_names_every_core_module_outside_figures():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]
    maths = next(c for c in config if c["name"].startswith("The maths never"))
    modules = {f"core.{path.stem}" for path in (ROOT / "core").glob("*.py") if path.stem != "__init__"}
    packages = {f"core.{path.parent.name}" for path in (ROOT / "core").glob("*/__init__.py")}
    assert set(maths["source_modules"]) == modules | packages - {"core.figures"}


def test_pages_never_import_numerical_or_plotting_libraries():
    forbidden = {"numpy", "plotly", "sympy", "scipy", "sklearn"}  # pandas tables for st.dataframe are fine
    for page in [ROOT / "streamlit_app.py", *sorted((ROOT / "pages").glob("*.py"))]:
        tree = ast.parse(page.read_text())
        imported = {
            alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names
        }
        imported |= {
            node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module
        }
        roots = {name.split(".")[0] for name in imported}
        assert not roots & forbidden, f"{page.name} imports {sorted(roots & forbidden)}"
