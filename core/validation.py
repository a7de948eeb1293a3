"""Input checks shared by core modules, with scikit-learn's one message form:
"<name> must be <rule>. Got <value> instead." Pages pass on untrusted values (URLs, uploads), so every
core entry point validates what it is given.
"""

import math
import numbers


def show(value):
    """A value as it should appear after "Got" in a message."""
    if isinstance(value, bool | str):
        return repr(value)
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, numbers.Real):
        return repr(float(value))
    return f"a value of type {type(value).__name__}"


def _interval(low, high, low_open, high_open):
    if high is None:
        return f"{'>' if low_open else '>='} {show(low)}"
    if low is None:
        return f"{'<' if high_open else '<='} {show(high)}"
    return f"in {'(' if low_open else '['}{show(low)}, {show(high)}{')' if high_open else ']'}"


def check_real(name, value, *, low=None, high=None, low_open=False, high_open=False):
    """Return `value` as a float after checking it is a finite real number in the given range."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number. Got {show(value)} instead.")
    value = float(value)
    too_low = low is not None and (value <= low if low_open else value < low)
    too_high = high is not None and (value >= high if high_open else value > high)
    if too_low or too_high:
        raise ValueError(
            f"{name} must be {_interval(low, high, low_open, high_open)}. Got {show(value)} instead."
        )
    return value


def check_integer(name, value, *, low, high):
    """Return `value` as an int after checking it is an integer in [low, high]."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or not low <= value <= high:
        raise ValueError(f"{name} must be an integer in [{low}, {high}]. Got {show(value)} instead.")
    return int(value)


def check_option(name, value, allowed):
    """Return `value` after checking it is one of `allowed`."""
    if not isinstance(value, str) or value not in allowed:
        choices = ", ".join(repr(option) for option in allowed)
        raise ValueError(f"{name} must be one of {choices}. Got {show(value)} instead.")
    return value
