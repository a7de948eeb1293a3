"""Numbers as the pages print them: the one place that keeps a negative zero from reading "−0".

A value that is zero, or rounds to zero at the printed precision, carries its sign through Python's
formatting: f'(0) of cos is -sin(0) = -0.0 and prints "-0", and -1e-9 at 4 significant digits in fixed
point prints "-0.0000". A class reads that as a different number from 0, so every formatter of a number
shown on a page goes through ``format_number``. The browser's twin is ``formatNumber`` in
ui/live/live_chart.js.
"""

from __future__ import annotations

_NONZERO_DIGITS = frozenset("123456789")


def format_number(value: float, spec: str = ".6g") -> str:
    """``format(value, spec)``, without the minus sign where the printed digits are all zero."""
    text = format(value, spec)
    mantissa = text.lower().split("e")[0]
    if text.startswith("-") and not _NONZERO_DIGITS.intersection(mantissa) and "n" not in mantissa:
        return text[1:]  # "n": -nan and -inf keep their sign and spelling
    return text
