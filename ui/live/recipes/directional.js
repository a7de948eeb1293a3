// Directional derivative page: p (dragged, or its scrubbers) and u (its arrow's head dragged, or the θ or
// (u₁, u₂) scrubbers) move the arrows, the slice g(t) = f(p + t·u) with its tangent of slope D_u f(p), the
// sweep of D_u f over every angle with its marks, and the readouts. The arithmetic follows
// core.fields.directional_view; helpers: gradient_point.js. In quiz mode (params.reveal false) only p, u and
// the line along u move: ∇f(p)'s arrow, the slice's tangent and the sweep would each tell D_u f(p).
const HEAD_GRAB = 0.4; // a press this close to u's head (× the arrow's length) turns u instead of moving p
const TURN = 2 * Math.PI;
const QUESTION_ROLES = ["line", "u_arrow", "point"]; // what quiz mode moves before Reveal

function directionOf(values, params) {
  if (params.mode === "angle") {
    const theta = (values.theta * Math.PI) / 180;
    // exact zeros at odd multiples of 90°, as core.fields.Direction.from_angle
    return [Math.cos(theta), Math.sin(theta)].map((v) => (Math.abs(v) > 1e-15 ? v : 0));
  }
  const length = Math.hypot(values.u1, values.u2);
  return length > 0 ? [values.u1 / length, values.u2 / length] : null;
}

function inTurn(angle) {
  const turned = ((angle % TURN) + TURN) % TURN;
  return turned >= TURN ? 0 : turned;
}

RECIPES.directional = ({ values, params, fns }) => {
  const point = gradientAtPoint(fns, values.x0, values.y0, params.has_kink);
  const u = directionOf(values, params);
  const [ux, uy] = u || [NaN, NaN];
  const [gx, gy] = point.gradient;
  const slope = gx * ux + gy * uy;
  const { t, theta: grid, arrow_length: length } = params;
  const ends = [t[0], t[t.length - 1]];
  const steepest = point.defined && point.norm > 0 ? inTurn(Math.atan2(gy, gx)) : NaN;
  const zeros = [inTurn(steepest + Math.PI / 2), inTurn(steepest - Math.PI / 2)].sort((a, b) => a - b);
  // the extremes and zeros sampled exactly, so the curve's own maximum is |∇f|
  const theta = Number.isNaN(steepest) ? grid : [...grid, steepest, inTurn(steepest + Math.PI), ...zeros].sort((a, b) => a - b);
  const traces = [
    ["line", { x: ends.map((s) => point.x + s * ux), y: ends.map((s) => point.y + s * uy) }],
    ["gradient_arrow", gradientArrow(point, length, params)],
    ["u_arrow", arrowPath(point.x, point.y, length * ux, length * uy, params)],
    ["point", { x: [point.x], y: [point.y] }],
    ["slice", { x: t, y: t.map((s) => fns.f(point.x + s * ux, point.y + s * uy)) }],
    ["tangent", { x: ends, y: ends.map((s) => point.value + slope * s) }],
    ["slice_point", { x: [0], y: [point.value] }],
    ["sweep", { x: theta, y: theta.map((a) => gx * Math.cos(a) + gy * Math.sin(a)) }],
    ["steepest", { x: [steepest], y: [point.norm] }],
    ["lowest", { x: [inTurn(steepest + Math.PI)], y: [-point.norm] }],
    ["zeros", { x: zeros, y: zeros.map((z) => (Number.isNaN(z) ? NaN : 0)) }],
    ["your_u", { x: [u ? inTurn(Math.atan2(uy, ux)) : NaN], y: [slope] }],
  ];
  const notes = [];
  if (!u) notes.push(params.zero_direction_note);
  if (!point.defined) notes.push(`${params.no_derivative} ${point.message}`);
  notes.push(...pointNotes(point, params, { skipUndefined: true }));
  const readout = ["D_u f(p)", formatNumber(slope), "∇f(p)·u: the slope of f along u at p."];
  return {
    traces: params.reveal ? traces : traces.filter(([role]) => QUESTION_ROLES.includes(role)),
    readouts: pointReadouts(point, "(p)", params.reveal, [readout]),
    message: notes.join(" "),
  };
};

// A press near u's head turns u (θ, or (u₁, u₂) keeping its length); anywhere else it moves p there.
DRAGS.directional = ({ point: [x, y], values, params, grab }) => {
  if (grab === null) {
    const u = directionOf(values, params);
    const length = params.arrow_length;
    const near = u && Math.hypot(x - values.x0 - length * u[0], y - values.y0 - length * u[1]) <= HEAD_GRAB * length;
    grab = near ? "head" : "point";
  }
  if (grab === "point") return { grab, set: { x0: x, y0: y } };
  const angle = Math.atan2(y - values.y0, x - values.x0);
  if (params.mode === "angle") return { grab, set: { theta: Math.round((inTurn(angle) * 180) / Math.PI) % 360 } };
  const length = Math.hypot(values.u1, values.u2) || 1;
  return { grab, set: { u1: length * Math.cos(angle), u2: length * Math.sin(angle) } };
};
