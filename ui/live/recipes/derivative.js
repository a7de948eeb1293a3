// Derivative page: x0 and h move the tangent, the secant, its two points, the readouts and the error of
// finite differences against h. The arithmetic follows core.univariate.derivative_view and
// core.calculus.differentiability_at, so the browser shows what the server computes.
const ERROR_H = Array.from({ length: 121 }, (_, i) => 10 ** (-16 + (16 * i) / 120));
const EPS = 2.220446049250313e-16;

function differentiability(f, df, x0, hasKink) {
  const fx0 = f(x0);
  const show = formatNumber;
  if (Number.isNaN(fx0)) return { ok: false, reason: `f is undefined at x = ${show(x0)}, so it has no derivative there.` };
  const h = 1e-6 * Math.max(1, Math.abs(x0));
  const left = (fx0 - f(x0 - h)) / h;
  const right = (f(x0 + h) - fx0) / h;
  const finite = Number.isFinite(left) && Number.isFinite(right);
  if (hasKink && finite && Math.abs(left - right) > 1e-3 * (1 + Math.abs(left) + Math.abs(right))) {
    return {
      ok: false,
      reason: `f has a corner at x = ${show(x0)}: its slope is ${show(left, 4)} from the left and ${show(right, 4)} from the right, so f′ is undefined there.`,
    };
  }
  if (Number.isNaN(df(x0))) {
    if (!finite) return { ok: false, reason: `f is defined only on one side of x = ${show(x0)} here.` };
    return { ok: false, reason: `f′ is undefined at x = ${show(x0)} (the tangent is vertical).` };
  }
  return { ok: true, reason: "" };
}

function errorCurves(f, x0, slope, fx0) {
  const forward = ERROR_H.map((h) => Math.abs((f(x0 + h) - fx0) / h - slope));
  const central = ERROR_H.map((h) => Math.abs((f(x0 + h) - f(x0 - h)) / (2 * h) - slope));
  for (const errors of [forward, central]) errors.forEach((e, i) => { if (!(e > 0)) errors[i] = NaN; });
  const anchor = 105; // h = 1e-2, as core.univariate._error_guides
  const guide = (errors, order, from) =>
    ERROR_H.map((h) => (Number.isFinite(errors[anchor]) && h >= from ? errors[anchor] * (h / ERROR_H[anchor]) ** order : NaN));
  const rounding = ERROR_H.map((h) => (Number.isFinite(fx0) && fx0 !== 0 && h <= 1e-3 ? (EPS * Math.abs(fx0)) / h : NaN));
  return { forward, central, first: guide(forward, 1, 1e-7), second: guide(central, 2, 1e-4), rounding };
}

RECIPES.derivative = ({ values, params, fns }) => {
  const { x0, h } = values;
  const { f, df } = fns;
  const fx0 = f(x0);
  const fxh = f(x0 + h);
  const forward = (fxh - fx0) / h;
  const centralQuotient = (fxh - f(x0 - h)) / (2 * h);
  const status = differentiability(f, df, x0, params.has_kink);
  const slope = status.ok ? df(x0) : NaN;
  const ends = [params.x_low, params.x_high];
  const line = (s) => ends.map((x) => fx0 + s * (x - x0));
  const traces = [
    ["secant", { x: ends, y: line(forward) }],
    ["points", { x: [x0, x0 + h], y: [fx0, fxh] }],
    ["tangent", { x: ends, y: line(slope) }],
  ];
  const curves = errorCurves(f, x0, slope, fx0);
  const shown = [curves.forward, curves.central, curves.first, curves.second, curves.rounding];
  traces.push(
    ["forward_error", { y: curves.forward }],
    ["central_error", { y: curves.central }],
    ["guide_first", { y: curves.first }],
    ["guide_second", { y: curves.second }],
    ["guide_rounding", { y: curves.rounding }],
  );
  const positive = shown.flat().filter((v) => Number.isFinite(v) && v > 0);
  if (positive.length) {
    traces.push(["h_marker", { x: [h, h], y: [Math.min(...positive), Math.max(...positive)] }]);
  }
  const reveal = params.reveal;
  // in quiz mode even whether f′(x₀) exists is the answer: the four numbers read "?" and no reason is given
  const readouts = status.ok || !reveal
    ? [
        { label: "f′(x₀)", value: reveal ? formatNumber(slope) : "?", help: "The exact derivative at x₀." },
        { label: "Secant slope", value: reveal ? formatNumber(forward) : "?", help: "(f(x₀+h) − f(x₀)) / h" },
        { label: "Gap", value: reveal ? formatNumber(forward - slope, 3) : "?", help: "Secant slope − f′(x₀): the forward difference's error." },
        { label: "Central difference", value: reveal ? formatNumber(centralQuotient) : "?", help: "(f(x₀+h) − f(x₀−h)) / 2h" },
      ]
    : [];
  const message = status.ok || !reveal ? "" : `Not differentiable at x₀ = ${formatNumber(x0)}. ${status.reason}`;
  return { traces, readouts, message };
};
