// f and ∇f at one point, for the recipes of the 2-D pages (gradient_field.js, directional.js). The arithmetic
// follows core.fields (gradient_at_point, arrow_paths) and the readouts and notes core.live_fields, so the
// browser shows what the server computes.

function gradientAtPoint(fns, x, y, hasKink) {
  const value = fns.f(x, y);
  const gradient = [fns.fx(x, y), fns.fy(x, y)];
  const where = `(${formatNumber(x)}, ${formatNumber(y)})`;
  let message = "";
  if (Number.isNaN(value)) message = `f is undefined at ${where}, so it has no gradient there.`;
  else if (gradient.some(Number.isNaN)) {
    message = `∇f is undefined at ${where}: f is not differentiable there (a corner, cusp or edge).`;
  } else if (hasKink) message = cornerMessage(fns.f, x, y, value, where);
  const defined = !message;
  return { x, y, value, gradient: defined ? gradient : [NaN, NaN], defined, message, norm: defined ? Math.hypot(...gradient) : NaN };
}

// On a crease of |x|, relu or max the symbolic gradient still gives a number (sign(0) = 0): compare the
// one-sided slopes, as core.fields._corner_message does.
function cornerMessage(f, x, y, value, where) {
  for (const [name, dx, dy] of [["x", 1, 0], ["y", 0, 1]]) {
    const h = 1e-6 * Math.max(1, Math.abs(x), Math.abs(y));
    const right = (f(x + h * dx, y + h * dy) - value) / h;
    const left = (value - f(x - h * dx, y - h * dy)) / h;
    if (Math.abs(right - left) > 1e-3 * (1 + Math.abs(left) + Math.abs(right))) {
      return `∇f is undefined at ${where}: f has a corner there (∂f/∂${name} is ${formatNumber(left, 4)} from one side and ${formatNumber(right, 4)} from the other).`;
    }
  }
  return "";
}

// One arrow from (x, y) to (x + dx, y + dy) as core.fields.arrow_paths draws it: shaft, barb, tip, barb, gap.
function arrowPath(x, y, dx, dy, { head_fraction: fraction, head_half_angle: spread }) {
  const tipX = x + dx;
  const tipY = y + dy;
  const angle = Math.atan2(dy, dx);
  const head = fraction * Math.hypot(dx, dy);
  return {
    x: [x, tipX, tipX - head * Math.cos(angle - spread), tipX, tipX - head * Math.cos(angle + spread), NaN],
    y: [y, tipY, tipY - head * Math.sin(angle - spread), tipY, tipY - head * Math.sin(angle + spread), NaN],
  };
}

// The arrow of length `length` along ∇f, or gaps where ∇f is zero or undefined.
function gradientArrow(point, length, params) {
  if (!(point.defined && point.norm > 0)) return arrowPath(NaN, NaN, NaN, NaN, params);
  const along = length / point.norm;
  return arrowPath(point.x, point.y, along * point.gradient[0], along * point.gradient[1], params);
}

function pointReadouts(point, at, reveal, extra = []) {
  const vector = point.defined ? `(${formatNumber(point.gradient[0], 4)}, ${formatNumber(point.gradient[1], 4)})` : "undefined";
  const answers = [
    [`∇f${at}`, vector, "(∂f/∂x, ∂f/∂y) at the point."],
    [`|∇f${at}|`, point.defined ? formatNumber(point.norm) : "undefined", "The steepest slope at the point."],
    ...extra,
  ];
  return [
    { label: `f${at}`, value: formatNumber(point.value), help: "The value of f at the point." },
    ...answers.map(([label, value, help]) => ({ label, value: reveal ? value : "?", help })),
  ];
}

function pointNotes(point, params, { skipUndefined = false } = {}) {
  const [xMin, xMax, yMin, yMax] = params.window;
  const notes = [];
  if (!(point.x >= xMin && point.x <= xMax && point.y >= yMin && point.y <= yMax)) {
    notes.push(`The point (${formatNumber(point.x)}, ${formatNumber(point.y)}) is outside this window: a larger window shows it.`);
  }
  if (params.reveal && !point.defined && !skipUndefined) notes.push(point.message);
  else if (params.reveal && point.norm === 0) notes.push(params.zero_gradient_note);
  return notes;
}
