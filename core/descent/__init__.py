"""What the gradient-descent pages show, computed from their controls, one concern per module:

- `run`: one run of descent with any optimizer, on full batches or mini-batches, and the optimum it
  heads for (`run_descent`, `DescentSettings`, `model_optimum`);
- `window`: the rectangle of the (w, b) plane the landscape is drawn over (`ParameterWindow`,
  `plot_window`);
- `plot_data`: the loss on that window, the path on it, the marked points, the loss curve, the
  mini-batch gradient cloud and the iterates as a table;
- `notes`: the metrics above the charts and what the chosen method changes, in words;
- `linear`: the linear page's curvature, data-and-lines view and `linear_descent_view`;
- `logistic`: the logistic page's probability curve, decision boundary, separable classes and
  `logistic_descent_view`.

Each imports only those above it in this list (and the rest of core).
"""
