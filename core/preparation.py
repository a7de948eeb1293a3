"""The bounds every page's symbolic preparation runs under (issues #20 and #21): parse, differentiate, check
each derivative's size (after differentiating, before simplifying or printing), print LaTeX, all in a forked
child that is killed at a time limit (core.timelimit). Every failure becomes an ExpressionError whose message
says what was too big and what to try, so the pages' ``build_or_keep`` shows it and no exception box does.
"""

from __future__ import annotations

import functools
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, TypeVar

import sympy as sp

from core.expressions import ExpressionError
from core.formula_bounds import count_nodes
from core.timelimit import run_with_time_limit

SYMBOLIC_TIME_LIMIT = 4.0  # seconds for one formula's whole preparation
# counted after differentiating, before simplifying or printing (core.formula_bounds.count_nodes)
MAX_DERIVATIVE_NODES = 500  # f′ and each partial derivative: compiled and run at every optimizer step
MAX_SECOND_DERIVATIVE_NODES = 2000  # each Hessian entry
SHORTER = "Try a shorter formula: fewer nested functions, lower powers or fewer max/min arguments."

T = TypeVar("T")


def _undefined_derivative_message(expr: sp.Expr, name: str) -> str:
    zero_bases = sorted(str(p).replace("**", "^") for p in expr.atoms(sp.Pow) if p.base.is_zero)
    if zero_bases:
        power = zero_bases[0]
        return (
            f"{name} is undefined everywhere: the rule for a power a^u gives a^u·ln(a)·u′, and for {power} "
            f"that is ln 0, which has no value. {power} is 0 wherever its exponent is positive (and 1 where "
            "it is 0): write that instead."
        )
    return (
        f"{name} comes out undefined (infinite, or 0/0) from SymPy's rules for this formula, so it has no "
        "value to show. Try writing the formula another way."
    )


def check_derivative(expr: sp.Expr, d: sp.Expr, *, name: str, limit: int | None = None) -> None:
    """Refuse a derivative ``d`` of ``expr`` that is too large to print, compile and evaluate quickly (more
    than ``limit`` nodes, default MAX_DERIVATIVE_NODES), or that SymPy gives as undefined (NaN or ∞, as for
    0^x): either would reach the page as a wall of LaTeX, a stalled server or "changes at the rate NaN"."""
    limit = MAX_DERIVATIVE_NODES if limit is None else limit
    if count_nodes(d, limit) > limit:
        raise ExpressionError(
            f"{name} of this formula has more than {limit} operations and terms (before simplifying), too "
            f"many to show and evaluate quickly. {SHORTER}"
        )
    if d.has(sp.nan, sp.zoo, sp.oo, -sp.oo):
        raise ExpressionError(_undefined_derivative_message(expr, name))


_REFUSALS = {
    "RecursionError": "This formula is nested too deeply for SymPy to work with. Use fewer levels.",
    "OverflowError": "A number in this formula or its derivatives grew too large to work with. "
    "Try smaller numbers or powers.",
    "MemoryError": f"Working out this formula needed more memory than a formula may use. {SHORTER}",
}


def _answer_or_refusal(work: Callable[..., T], args: tuple) -> tuple[str, Any]:
    """Runs in the child: the answer, or the refusal in words (a child's exception would lose its type)."""
    try:
        return "ok", work(*args)
    except ExpressionError as error:
        return "refused", error  # pickled with its position (ExpressionError.__reduce__)
    except (RecursionError, OverflowError, MemoryError) as error:
        return "refused", _REFUSALS[type(error).__name__]
    except (ArithmeticError, ValueError, TypeError, AttributeError, NotImplementedError) as error:
        return "refused", (
            f"SymPy could not work with this formula ({type(error).__name__}: {error}). Try writing it "
            "another way."
        )


def run_bounded(work: Callable[..., T], *args: Any, time_limit: float | None = None) -> T:
    """``work(*args)`` in a forked child killed after ``time_limit`` seconds (default SYMBOLIC_TIME_LIMIT;
    core.timelimit): the answer, or an ExpressionError that says why there is none. ``work`` must be a
    module-level function."""
    time_limit = SYMBOLIC_TIME_LIMIT if time_limit is None else time_limit
    try:
        outcome = run_with_time_limit(_answer_or_refusal, work, args, time_limit=time_limit)
    except RecursionError:  # unpickling a deeply nested answer
        raise ExpressionError(_REFUSALS["RecursionError"]) from None
    if outcome.timed_out:
        raise TransientRefusal(
            f"Working this formula out took longer than {time_limit:g} s, so it was stopped. {SHORTER}"
        )
    if outcome.error:
        kind = outcome.error.split(":", 1)[0]
        fallback = f"Working this formula out failed ({outcome.error}). {SHORTER}"
        raise TransientRefusal(_REFUSALS.get(kind, fallback))
    status, payload = outcome.value
    if status == "refused":
        raise payload if isinstance(payload, ExpressionError) else ExpressionError(payload)
    return payload


class TransientRefusal(ExpressionError):
    """Refused for want of time or memory (the child was stopped), not for the formula itself: a quieter
    server might manage it."""


# seconds a transient refusal is remembered: it spares the reruns, then lets a quieter server try again
TRANSIENT_MEMORY = 60.0
REMEMBERED = 256  # answers and refusals kept per preparation, least recently used dropped first


class _Remembered:
    """Answers and refusals of ``run_bounded(work, text)`` per text: a formula that needed the whole time
    limit costs it once, not at every rerun of every session that has it in its URL. A transient refusal
    is forgotten after TRANSIENT_MEMORY seconds (a cold burst or a busy machine can cause one)."""

    def __init__(self, work: Callable[[str], T]):
        self.work = work
        self.entries: OrderedDict[str, tuple[Any, ExpressionError | None, float]] = OrderedDict()
        self.lock = threading.Lock()

    def __call__(self, text: str):
        with self.lock:
            entry = self.entries.get(text)
            fresh = entry is not None and not (
                isinstance(entry[1], TransientRefusal) and time.monotonic() - entry[2] > TRANSIENT_MEMORY
            )
            if fresh:
                self.entries.move_to_end(text)
        if not fresh:  # worked out outside the lock: other texts must not wait for this one
            try:
                entry = (run_bounded(self.work, text), None, time.monotonic())
            except ExpressionError as error:
                entry = (None, error, time.monotonic())
            with self.lock:
                self.entries[text] = entry
                while len(self.entries) > REMEMBERED:
                    self.entries.popitem(last=False)
        answer, refusal, _ = entry
        if refusal is not None:
            raise type(refusal)(str(refusal), refusal.position)
        return answer

    def cache_clear(self) -> None:
        with self.lock:
            self.entries.clear()


def bounded_preparation(work: Callable[[str], T]) -> Callable[[str], T]:
    """Decorator for a module-level ``work(text)``: run it through ``run_bounded`` in a forked child,
    remembering answers and refusals per text (see _Remembered); ``.cache_clear()`` forgets them."""
    return functools.wraps(work)(_Remembered(work))
