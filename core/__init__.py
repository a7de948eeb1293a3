"""Gradient Lab's computations: pure Python, no Streamlit.

Why this package (and ``core.figures``) imports pandas first: Plotly's validators and JSON encoder and
scikit-learn's input checks never import pandas or PyArrow themselves; they look them up in ``sys.modules``
and use ``pd.Series`` or ``pa.Table`` if found. A module enters ``sys.modules`` before its body has run, so
while one session's thread was still importing pandas, another session's thread building a figure read a
half-built module (``AttributeError: partially initialized module 'pandas' has no attribute 'Series'``),
and threads waiting on the module whose import that broke then got ``cannot import name ...`` from it: a
cold server failed first runs when a class opened the link together (issue #17).

``import pandas`` in a thread returns only once pandas is complete, whichever thread is importing it, so
every thread that comes through here has a whole pandas (and PyArrow, which pandas imports) before it can
build a figure or fit a model. ``from core import ...`` waits for this file; a submodule imported directly
(``import core.figures.fields``) does not wait for its parent package, hence the same line at the top of
``core.figures``, where Plotly is first used. Every page needs pandas anyway: this costs no time.
"""

import numpy  # noqa: F401
import pandas  # noqa: F401  (imports pyarrow)
