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


# ---------------------------------------------------------------------------------------------------
# URL values: a link can carry anything, so each value bound to a widget is read here before the widget
# sees it. Each reader returns what the widget may take, or raises ValueError saying why ("it is not a
# finite number"), for a notice that names the ignored parameter.

MAX_URL_NUMBER_CHARS = 40  # a float's repr needs at most 24; a 5,000-digit "seed" is not a seed


def url_number(text, *, integer, low=None, high=None):
    """One number from a URL (a slider's or a number input's value), checked against the widget's bounds."""
    if len(text) > MAX_URL_NUMBER_CHARS:
        raise ValueError(f"it is {len(text):,} characters long, more than any number here needs")
    try:
        value = float(text)
    except ValueError:
        raise ValueError("it is not a number") from None
    if not math.isfinite(value):
        raise ValueError("it is not a finite number")
    if integer and not value.is_integer():
        raise ValueError("it must be a whole number")
    if (low is not None and value < low) or (high is not None and value > high):
        raise ValueError(f"it must lie in [{show(low)}, {show(high)}]")
    return int(value) if integer else value


def url_range(texts, *, integer, low=None, high=None):
    """A (low, high) pair from a URL (a range slider's two values), put in order; an empty one is refused."""
    if len(texts) != 2:
        raise ValueError(f"a range needs exactly two values, not {len(texts)}")
    first, second = (url_number(text, integer=integer, low=low, high=high) for text in texts)
    if first == second:
        raise ValueError("the range is empty (both ends are equal)")
    return (min(first, second), max(first, second))


def url_options(texts, allowed, *, multiple):
    """Option labels from a URL (a select box, radio, select slider...), each one of `allowed`."""
    if not multiple and len(texts) != 1:
        raise ValueError(f"this control takes one value, not {len(texts)}")
    unknown = [text for text in texts if text not in allowed]
    if unknown:
        choices = ", ".join(allowed[:8]) + (", ..." if len(allowed) > 8 else "")
        raise ValueError(f"it is not one of the choices ({choices})")
    return list(texts)


def url_text(texts, *, max_chars):
    """A text input's value from a URL, within the input's own length cap."""
    if len(texts) != 1:
        raise ValueError(f"this control takes one value, not {len(texts)}")
    if max_chars is not None and len(texts[0]) > max_chars:
        raise ValueError(f"it is {len(texts[0]):,} characters long; at most {max_chars} are allowed")
    return list(texts)
