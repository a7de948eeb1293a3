// Gradient field page: the point p (dragged on the contour map or moved by its scrubbers) moves its marker,
// its own gradient arrow and the readouts f(p), ∇f(p), |∇f(p)|. In quiz mode (params.reveal false) the
// arrow, ∇f(p) itself, waits for Reveal. Helpers: gradient_point.js.
RECIPES.gradient_field = ({ values, params, fns }) => {
  const point = gradientAtPoint(fns, values.x0, values.y0, params.has_kink);
  const traces = [["point", { x: [point.x], y: [point.y] }]];
  if (params.reveal) traces.push(["highlight", gradientArrow(point, params.arrow_length, params)]);
  return {
    traces,
    readouts: pointReadouts(point, "(x₀, y₀)", params.reveal),
    message: pointNotes(point, params).join(" "),
  };
};
