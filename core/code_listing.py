""" "The code": short, runnable Python that reproduces a page's numbers for its current controls.

Each generator takes finished values (validated numbers, option names) and the parsed SymPy expression,
never a user's text: a formula enters a listing only as the whitelisted tree printed by ``sympy_source``,
so whatever was typed, the listing can contain nothing but numbers, x and y, arithmetic and ``sp.<function>``
calls from the parser's whitelist. Numbers are printed with ``repr`` (exact round trip), and every
listing prints its results as ``name = value`` lines, which the tests run and compare with the page.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence

import sympy as sp
from sympy.printing.precedence import PRECEDENCE
from sympy.printing.str import StrPrinter

from core.expressions import sigmoid

# the listing's own σ, a SymPy expression, so diff and lambdify work on it as on the page's σ
_SIGMOID_DEFINITION = "def sigmoid(z):  # σ(z) = 1 / (1 + e^(−z))\n    return 1 / (1 + sp.exp(-z))\n\n"


class _ListingPrinter(StrPrinter):
    """SymPy's str printer, qualified with ``sp.`` and exact: every function and constant is spelled as
    ``sp.<name>``, and a fraction as ``sp.Rational(p, q)`` where plain Python would divide floats."""

    def _print_Function(self, expr) -> str:
        if isinstance(expr, sigmoid):
            return f"sigmoid({self._print(expr.args[0])})"
        return "sp." + super()._print_Function(expr)

    def _print_MinMax(self, expr) -> str:
        return f"sp.{type(expr).__name__}({', '.join(self._print(arg) for arg in expr.args)})"

    _print_Max = _print_Min = _print_MinMax

    def _print_Pi(self, expr) -> str:
        return "sp.pi"

    def _print_Exp1(self, expr) -> str:
        return "sp.E"

    def _print_Rational(self, expr) -> str:
        return str(expr.p) if expr.q == 1 else f"sp.Rational({expr.p}, {expr.q})"

    def _print_Float(self, expr) -> str:
        return repr(float(expr))

    def _print_Pow(self, expr, rational=False) -> str:
        base, exponent = expr.base, expr.exp
        if exponent == sp.S.Half:
            return f"sp.sqrt({self._print(base)})"
        if exponent == -sp.S.Half:
            return f"1/sp.sqrt({self._print(base)})"
        if exponent.is_Rational and not exponent.is_Integer:
            power = f"sp.Rational({exponent.p}, {exponent.q})"
            return f"{self.parenthesize(base, PRECEDENCE['Pow'], strict=False)}**{power}"
        return super()._print_Pow(expr, rational)


@functools.lru_cache(maxsize=256)  # a code panel reprints its function at every rerun: print each once
def sympy_source(expr: sp.Expr) -> str:
    """The parsed expression as Python source over ``sp`` (SymPy) and the symbols x, y."""
    return _ListingPrinter().doprint(expr)


def number(value: float) -> str:
    """A float as Python source that reads back exactly."""
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"a listing's numbers must be finite. Got {value} instead.")
    return repr(value)


def _header(imports: Sequence[str], expr: sp.Expr | None, variables: Sequence[str]) -> str:
    lines = [*imports, "", ""]
    text = "\n".join(lines)
    if expr is None:
        return text
    if expr.has(sigmoid):
        text += _SIGMOID_DEFINITION
    text += f'{", ".join(variables)} = sp.symbols("{" ".join(variables)}", real=True)\n'
    return text + f"f = {sympy_source(expr)}\n"


_SYMPY = "import sympy as sp"
_NUMPY = "import numpy as np"


def derivative(expr: sp.Expr, *, x0: float, h: float) -> str:
    """The Derivative page: f(x₀), f′(x₀) symbolically, the forward and central differences with step h,
    and SciPy's adaptive estimate (the successor of the seed's ``scipy.misc.derivative``)."""
    return (
        _header((_NUMPY, _SYMPY, "from scipy.differentiate import derivative"), expr, ("x",))
        + f"""df = sp.diff(f, x)
print("f'(x) =", df)

f_num = sp.lambdify(x, f, "numpy")
df_num = sp.lambdify(x, df, "numpy")
x0, h = {number(x0)}, {number(h)}
print(f"f(x0) = {{f_num(x0):.12g}}")
print(f"f'(x0) = {{df_num(x0):.12g}}")  # exact, from the symbolic derivative
print(f"forward difference = {{(f_num(x0 + h) - f_num(x0)) / h:.12g}}")  # the secant's slope
print(f"central difference = {{(f_num(x0 + h) - f_num(x0 - h)) / (2 * h):.12g}}")
print(f"scipy derivative = {{derivative(f_num, x0).df:.12g}}")  # adaptive steps, error ~1e-10
"""
    )


def gradient(expr: sp.Expr, *, point: tuple[float, float]) -> str:
    """The gradient-field page: f, ∇f and |∇f| at the point."""
    return (
        _header((_NUMPY, _SYMPY), expr, ("x", "y"))
        + f"""grad = [sp.diff(f, v) for v in (x, y)]
print("grad f =", grad)

x0, y0 = {number(point[0])}, {number(point[1])}
at_p = {{x: x0, y: y0}}
g = np.array([float(d.evalf(subs=at_p)) for d in grad])
print(f"f(p) = {{float(f.evalf(subs=at_p)):.12g}}")
print(f"df/dx = {{g[0]:.12g}}")
print(f"df/dy = {{g[1]:.12g}}")
print(f"|grad f| = {{np.linalg.norm(g):.12g}}")
"""
    )


def directional(expr: sp.Expr, *, point: tuple[float, float], direction: tuple[float, float]) -> str:
    """The directional-derivative page: D_u f(p) = ∇f(p)·u with u = v/|v|, checked against the slope of
    the slice g(t) = f(p + t u) at t = 0 (SciPy)."""
    return (
        _header((_NUMPY, _SYMPY, "from scipy.differentiate import derivative"), expr, ("x", "y"))
        + f"""grad = [sp.diff(f, v) for v in (x, y)]
f_num = sp.lambdify((x, y), f, "numpy")

p = np.array([{number(point[0])}, {number(point[1])}])
v = np.array([{number(direction[0])}, {number(direction[1])}])
u = v / np.linalg.norm(v)  # only the direction matters
g = np.array([float(d.evalf(subs={{x: p[0], y: p[1]}})) for d in grad])
print(f"u1 = {{u[0]:.12g}}")
print(f"u2 = {{u[1]:.12g}}")
print(f"D_u f(p) = {{g @ u:.12g}}")
# the same number as the slope of the slice g(t) = f(p + t u) at t = 0
slice_slope = derivative(lambda t: f_num(p[0] + t * u[0], p[1] + t * u[1]), 0.0).df
print(f"slice slope = {{slice_slope:.12g}}")
"""
    )


def _tuple(items: Sequence[str]) -> str:
    return f"({items[0]},)" if len(items) == 1 else f"({', '.join(items)})"


def chain_rule(expr: sp.Expr, *, variables: Sequence[str], point: Sequence[float]) -> str:
    """The chain-rule page: f at the point and its gradient, the numbers the backward pass ends with."""
    names = _tuple(tuple(variables))
    return (
        _header((_SYMPY,), expr, variables)
        + f"""point = dict(zip({names}, {_tuple([number(v) for v in point])}))
print(f"f = {{float(f.evalf(subs=point)):.12g}}")  # the forward pass's output
for v in {names}:  # the backward pass's adjoints of the inputs: the gradient
    print(f"df/d{{v}} = {{float(sp.diff(f, v).evalf(subs=point)):.12g}}")
"""
    )


def critical_points(expr: sp.Expr, *, window: tuple[float, float, float, float], symbolic: bool) -> str:
    """The critical-points page: solve ∇f = 0 (SymPy when the page solved symbolically, otherwise SciPy's
    root finder from a grid of starts), keep the points in the window and classify them by the Hessian's
    eigenvalues."""
    x_min, x_max, y_min, y_max = (number(v) for v in window)
    if symbolic:
        solve = """solutions = sp.solve(grad, [x, y], dict=True)
points = [(complex(s[x]), complex(s[y])) for s in solutions if x in s and y in s]
points = [(a.real, b.real) for a, b in points if abs(a.imag) < 1e-12 and abs(b.imag) < 1e-12]
"""
    else:
        solve = f"""grad_num = sp.lambdify([(x, y)], grad, "numpy")
points = []
for x0 in np.linspace({x_min}, {x_max}, 15):
    for y0 in np.linspace({y_min}, {y_max}, 15):
        found = root(grad_num, [x0, y0])
        if found.success and not any(np.hypot(*(found.x - q)) < 1e-6 for q in points):
            points.append(found.x)
"""
    imports = (_NUMPY, _SYMPY) if symbolic else (_NUMPY, _SYMPY, "from scipy.optimize import root")
    return (
        _header(imports, expr, ("x", "y"))
        + f"""grad = [sp.diff(f, v) for v in (x, y)]
hessian = sp.hessian(f, (x, y))
{solve}
inside = [(a, b) for a, b in points if {x_min} <= a <= {x_max} and {y_min} <= b <= {y_max}]
print(f"critical points = {{len(inside)}}")
for a, b in sorted(inside, key=tuple):
    H = np.array(hessian.evalf(subs={{x: a, y: b}}), dtype=float)
    low, high = np.linalg.eigvalsh(H)  # the curvatures along H's eigenvectors
    kind = "minimum" if low > 0 else "maximum" if high < 0 else "saddle" if low * high < 0 else "degenerate"
    print(f"point = ({{a:.12g}}, {{b:.12g}}) eigenvalues = ({{low:.12g}}, {{high:.12g}}) {{kind}}")
"""
    )
