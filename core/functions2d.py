"""Named functions of (x, y) shared by the 2-D pages: the seed's examples and classic optimisation tests.

Each is written as formula text and goes through ``parse_expression`` exactly like a custom formula, so
the presets exercise the same door as user input. Windows are where the interesting part is; minima are
the known ones (to about 1e-6 where they have no closed form).
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from core.expressions import parse_expression

VARIABLES = ("x", "y")


@dataclass(frozen=True)
class Function2D:
    name: str
    formula: str
    window: tuple[float, float, float, float]  # x_min, x_max, y_min, y_max
    minima: tuple[tuple[float, float], ...] = ()
    note: str = ""
    start: tuple[float, float] | None = None  # where an optimizer race begins; None: a corner-ish default

    def starting_point(self) -> tuple[float, float]:
        if self.start is not None:
            return self.start
        x_min, x_max, y_min, y_max = self.window
        return x_min + 0.2 * (x_max - x_min), y_max - 0.2 * (y_max - y_min)

    def expression(self) -> sp.Expr:
        return parse_expression(self.formula, VARIABLES)


_ALL = (
    Function2D("Bowl x²+2y² (seed)", "x^2 + 2y^2", (-2, 2, -2, 2), ((0, 0),),
               "The seed's gradient example: ∇f = (2x, 4y).", (-1.5, 1.5)),
    Function2D("Seed loss x²+y²−2xy+2x−4y+3", "x^2 + y^2 - 2x y + 2x - 4y + 3", (-3, 3, -3, 3), (),
               "The seed's critical-point example: ∂f/∂x + ∂f/∂y = −2, so ∇f is never zero."),
    Function2D("Paraboloid x²+y²", "x^2 + y^2", (-2, 2, -2, 2), ((0, 0),)),
    Function2D("Saddle x²−y²", "x^2 - y^2", (-2, 2, -2, 2), (), "A saddle at the origin.", (-1.5, 0.01)),
    Function2D("Quartic x⁴+y⁴", "x^4 + y^4", (-1.5, 1.5, -1.5, 1.5), ((0, 0),),
               "A minimum the second-derivative test cannot see: the Hessian is zero there."),
    Function2D("Monkey saddle x³−3xy²", "x^3 - 3x y^2", (-1.5, 1.5, -1.5, 1.5), (),
               "Three valleys and three ridges meet at the origin; the Hessian is zero there."),
    Function2D("Rosenbrock", "(1 - x)^2 + 100(y - x^2)^2", (-2, 2, -1, 3), ((1, 1),),
               "A curved, narrow valley: easy to find, slow to follow.", (-1.5, 2.0)),
    Function2D("Himmelblau", "(x^2 + y - 11)^2 + (x + y^2 - 7)^2", (-5, 5, -5, 5),
               ((3, 2), (-2.805118, 3.131313), (-3.779310, -3.283186), (3.584428, -1.848127)),
               "Four equal minima, one maximum and four saddles.", (0.0, 0.0)),
    Function2D("Beale", "(1.5 - x + x y)^2 + (2.25 - x + x y^2)^2 + (2.625 - x + x y^3)^2",
               (-4.5, 4.5, -4.5, 4.5), ((3, 0.5),), "Flat plateaus and steep walls."),
    Function2D("Ill-conditioned bowl x²+25y²", "x^2 + 25y^2", (-3, 3, -3, 3), ((0, 0),),
               "Curvature 25 times larger across the valley than along it: GD zig-zags.", (-2.5, 1.0)),
    Function2D("Booth", "(x + 2y - 7)^2 + (2x + y - 5)^2", (-10, 10, -10, 10), ((1, 3),)),
    Function2D("Matyas", "0.26(x^2 + y^2) - 0.48x y", (-10, 10, -10, 10), ((0, 0),),
               "A shallow, tilted valley."),
    Function2D("Six-hump camel", "(4 - 2.1x^2 + x^4/3)x^2 + x y + (4y^2 - 4)y^2", (-2, 2, -1, 1),
               ((0.089842, -0.712656), (-0.089842, 0.712656)), "Six minima; these two are the lowest."),
    Function2D("Two Gaussians", "-exp(-((x - 1)^2 + y^2)) - 0.7exp(-2((x + 1)^2 + (y + 0.5)^2))",
               (-3, 3, -3, 3), ((0.999428, -0.000143), (-0.977847, -0.494462)),
               "Two basins of different depth: where you start decides where you end."),
    Function2D("sin(x)cos(y) + xy", "sin(x)cos(y) + x y", (-3, 3, -3, 3), (),
               "Innocent-looking, yet symbolic solving of ∇f = 0 runs for a long time."),
)  # fmt: skip

FUNCTIONS: dict[str, Function2D] = {function.name: function for function in _ALL}
DEFAULT = "Bowl x²+2y² (seed)"


def get(name: str) -> Function2D:
    """The named function; an unknown name lists the known ones."""
    if name not in FUNCTIONS:
        raise ValueError(f"function must be one of {', '.join(map(repr, FUNCTIONS))}. Got {name!r} instead.")
    return FUNCTIONS[name]
