"""Hostile formulas: short to type, costly or confusing to work with (issues #20 and #21), and variants of
each. Every page that takes a formula must answer each within seconds, in words, with no exception box.

``refused`` cases must stop at the formula with a message containing ``fragment``; ``answered`` ones must be
shown (their LaTeX echoed), whatever the page then says about them. Cases whose formula has only x run on
the Derivative page too. Extend the list whenever a new one turns up.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Hostile:
    text: str
    refused: bool
    fragment: str = ""  # in the refusal (refused) or in the echoed LaTeX (answered)
    why: str = ""

    @property
    def one_variable(self) -> bool:
        return "y" not in self.text


def _tower(symbols: str, height: int) -> str:
    return "^".join(symbols[i % len(symbols)] for i in range(height + 1))


def _nested(function: str, depth: int, inner: str) -> str:
    return f"{function}(" * depth + inner + ")" * depth


def _max(arguments: int) -> str:
    return "max(" + ", ".join(f"1x+{k}y" for k in range(1, arguments + 1)) + ")"


FORMULAS: tuple[Hostile, ...] = (
    # towers (#20: 32 levels took 16.6 s; #21: 60 x's raised RecursionError in the Hessian)
    Hostile(_tower("x", 31), True, "exponentials", "x^x^…^x, 32 levels"),
    Hostile(_tower("x", 59), True, "exponentials", "60 x's"),
    Hostile(_tower("xy", 15), True, "exponentials", "x^y^x^y^…, 16 levels (15 s, then an exception)"),
    Hostile(_tower("x", 4), False, "", "the highest tower allowed"),
    Hostile(_tower("yx", 4), False, "", "the highest mixed tower allowed"),
    Hostile("e^e^e^e^e^x", True, "exponentials", "exp as tower levels"),
    Hostile("exp(exp(exp(exp(x y))))", False, "", "four exponentials: overflows almost everywhere"),
    Hostile("(x^x)^(x^x)^(x^x)", False, "", "a tower of towers within the height"),
    Hostile("2^2^2^2^2 x", True, "too large", "a tower of constants"),
    Hostile("max(exp(exp(exp(10))), x)", True, "too large", "SymPy's evalf of it never finished"),
    # nesting (#20: sigmoid(sigmoid(…)) 57 s on critical points, 11.5 s on the race)
    Hostile(_nested("sigmoid", 20, "x"), True, "nested more than", "sigmoid 20 deep"),
    Hostile(_nested("sigmoid", 6, "x + y"), False, "", "the deepest nesting allowed"),
    Hostile(_nested("tanh", 7, "x y"), True, "nested more than", ""),
    Hostile("tanh(sigmoid(exp(sin(cos(atan(x y))))))", False, "", "six different functions deep"),
    Hostile(_nested("sqrt", 12, "x^2 + 1"), True, "nested more than", ""),
    Hostile("sigmoid(tanh(exp(sin(cos(x y)))))*x^x^x^x^y", False, "", "nesting and a tower together"),
    # max/min (#20: a few dozen planes, 50 s on the gradient field)
    Hostile(_max(20), True, "at most", "max of 20 planes"),
    Hostile(_max(5), True, "at most", "one argument over the limit"),
    Hostile(_max(4), False, "", "the most arguments allowed"),
    Hostile("max(max(x, y, x+y), max(x-y, 2y, 3x))", True, "count together", "merged by SymPy"),
    Hostile("max(x y, x^2, y^2, x-y) * max(x^2 y, x y^2, x+y, x-y)", False, "", "heavy Hessian"),
    Hostile("max(x, min(y, max(x+y, min(x-y, max(2x, min(3y, x y))))))", False, "", "alternating, 6 deep"),
    Hostile("relu(x-1)+relu(x-2)+relu(x-3)+relu(x-4)+relu(x-5)+relu(x-6)+relu(x-7)+relu(x-8)", False),
    # exact powers (#21: 26 characters, millions of digits)
    Hostile("(999999/1000000)^1000000 x", False, "0.3678792572", "≈ 1/e, 40 million exact bits"),
    Hostile("(1 + 1/1000000)^1000000 x + y", False, "2.71828", "≈ e"),
    Hostile("((999999/1000000)^(1/2))^1000000 x", False, "0.6065305", "a root, then the power"),
    Hostile("(999999/1000000)^(999999/1000) x", False, "", "a rational exponent"),
    Hostile("(sqrt(2) 999999/1000000)^1000000 x", True, "too large", ""),
    Hostile("2^(-10^6) x", True, "too large", "tiny, but a million exact bits"),
    Hostile("10^6^10^6", True, "too large", ""),
    Hostile("2^4000 x", False, "", "exact, but beyond floating point: undefined everywhere"),
    # constants that are not real (#21)
    Hostile("(-8)^(1/3) x", True, "-(8^(1/3))", "the principal cube root is complex"),
    Hostile("(-8)^(2/3) + y", True, "8^(2/3)", ""),
    Hostile("asin(2) x", True, "between -1 and 1", ""),
    Hostile("acos(-3) + y", True, "between -1 and 1", ""),
    Hostile("ln(-1) x", True, "not a real number", ""),
    Hostile("sqrt(1 - 2) x + y", True, "not a real number", ""),
    Hostile("(-2)^pi x", True, "not a real number", ""),
    Hostile("(-1)^(1/2) + x", True, "even root", ""),
    # undefined values (#21: 0^x + y gave "changes at the constant rate NaN")
    Hostile("0^x + y", True, "ln 0", ""),
    Hostile("0^x", True, "ln 0", "the Derivative page said the tangent was vertical at x = 1"),
    Hostile("(x - x)^x + y", True, "ln 0", ""),
    Hostile("0^(x^2) + y", True, "ln 0", ""),
    Hostile("log(0) + x", True, "undefined", ""),
    Hostile("log(x - x)", True, "undefined", ""),
    Hostile("1/(x - x) + y", True, "Division by zero", ""),
    Hostile("0^(-1) x", True, "Division by zero", ""),
    Hostile("sqrt(-x^2 - 1)", False, "", "undefined everywhere"),
    Hostile("ln(-x^2 - y^2 - 1)", False, "", "undefined everywhere"),
    Hostile("exp(1000) x", False, "", "a finite constant beyond floating point"),
    Hostile("sinh(10000) x", True, "too large", ""),
    # long and deep within the limits
    Hostile("x+" * 99 + "x", False, "100", "199 characters"),
    Hostile("x*" * 99 + "x", False, "x^{100}", "degree 100"),
    Hostile("(" * 30 + "x + y" + ")" * 30, False, "", "30 parentheses"),
    Hostile("(x+y)^100 + (x-y)^99", False, "", "high degree, unexpanded"),
    Hostile("x^x^x^x^x + sigmoid(sigmoid(sigmoid(x))) + max(x, 2x, 3x, 4x)", False, "", "several at once"),
)
