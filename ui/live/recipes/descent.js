// Gradient-descent pages (linear and logistic regression): the iteration scrubber and Play move the iterate
// on the landscape, the fitted line or probability curve, the residuals, the loss-curve marker and the
// readouts together. On the linear page with plain GD the learning rate and the start (w₀, b₀) re-run
// descent here, from the MSE's centred moments (core.descent_live); otherwise the path is the server's and
// a new rate or start runs there once the control is let go. Parameters: core.descent_live. In quiz mode
// (params.reveal false) the server sends neither path nor optimum, and only the start moves.

// The seed's loop on the MSE's centred moments; like core.regression.descend_with it stops at the first
// iterate whose loss or parameters are not finite, or whose parameters reach the server's runaway size
// (core.optimizers.RUNAWAY_SIZE), and keeps the iterates before it. NumPy's mean sums the n squared
// residuals first, so the server's loss overflows as soon as n · L does.
function descendLinear(m, learningRate, w0, b0, nIterations, runaway) {
  const w = [], b = [], loss = [];
  let wk = w0, bk = b0;
  for (let k = 0; k <= nIterations; k++) {
    const offset = m.mean_y - wk * m.mean_x - bk;
    const slopeGap = wk - m.slope;
    const value = m.var_x * slopeGap * slopeGap + m.residual + offset * offset;
    if (!Number.isFinite(value * m.n)) break;
    w.push(wk); b.push(bk); loss.push(value);
    if (k === nIterations) break;
    const nextW = wk - learningRate * (2 * m.var_x * slopeGap - 2 * m.mean_x * offset);
    const nextB = bk - learningRate * (-2 * offset);
    if (!(Math.abs(nextW) < runaway && Math.abs(nextB) < runaway)) break; // NaN and ±Infinity fail it too
    wk = nextW; bk = nextB;
  }
  return { w, b, loss };
}

// The server's path with null (a non-finite number in JSON) read as NaN.
function serverPath(path) {
  const numbers = (values) => (values || []).map((v) => (v === null ? NaN : v));
  return { w: numbers(path.w), b: numbers(path.b), loss: numbers(path.loss), bias: numbers(path.bias) };
}

// The iterates drawn on the landscape up to iteration k: the chosen subsample, cut after the first iterate
// outside the window (core.descent_view.path_on_plot), ending at k itself.
function drawnPath(path, k, params) {
  const [wMin, wMax, bMin, bMax] = params.window;
  const inside = (i) => path.w[i] >= wMin && path.w[i] <= wMax && path.b[i] >= bMin && path.b[i] <= bMax;
  let end = path.w.length;
  for (let i = 0; i < path.w.length; i++) if (!inside(i)) { end = i + 1; break; }
  const last = Math.min(k, end - 1);
  const shown = params.path_indices.filter((i) => i <= last);
  if (shown[shown.length - 1] !== last) shown.push(last);
  return { shown, visible: inside(k), left: end < path.w.length || !inside(end - 1) };
}

function convergedAt(loss, optimal) {
  if (optimal === null || optimal === undefined || !loss.length) return null;
  const scale = Math.max(optimal, 1e-6 * loss[0]); // core.descent_view.convergence_iteration
  const k = loss.findIndex((value) => value - optimal <= 0.01 * scale);
  return k < 0 ? null : k;
}

// core.descent_view.boundary_segment: the line w₁u + w₂v + b = 0 inside the box, as its two ends.
function boundarySegment(w1, w2, b, [uMin, uMax, vMin, vMax]) {
  const ends = [];
  if (w2 !== 0) for (const u of [uMin, uMax]) ends.push([u, -(w1 * u + b) / w2]);
  if (w1 !== 0) for (const v of [vMin, vMax]) ends.push([-(w2 * v + b) / w1, v]);
  const tolerance = 1e-12 * Math.max(uMax - uMin, vMax - vMin);
  const inside = ends.filter(([u, v]) => u >= uMin - tolerance && u <= uMax + tolerance && v >= vMin - tolerance && v <= vMax + tolerance);
  if (inside.length < 2) return [[NaN, NaN], [NaN, NaN]];
  const along = inside.map(([u, v]) => -w2 * u + w1 * v);
  return [inside[along.indexOf(Math.min(...along))], inside[along.indexOf(Math.max(...along))]];
}

function dataPlotTraces(params, w, b, bias) {
  if (params.model === "linear") {
    const residualX = [], residualY = [];
    params.data_x.forEach((x, i) => {
      residualX.push(x, x, NaN);
      residualY.push(params.data_y[i], w * x + b, NaN);
    });
    return [
      ["data_line", { x: params.line_x, y: params.line_x.map((x) => w * x + b) }],
      ["residuals", { x: residualX, y: residualY }],
    ];
  }
  if (params.two_features) {
    // the probability behind the points is a heatmap, which the live chart keeps as the server drew it
    const [[u0, v0], [u1, v1]] = boundarySegment(w, b, bias, params.box);
    return [["data_line", { x: [u0, u1], y: [v0, v1] }]];
  }
  const boundary = w === 0 ? NaN : -b / w;
  return [
    ["data_line", { x: params.curve_x, y: params.curve_x.map((x) => H.sigmoid(w * x + b)) }],
    ["boundary", { x: [boundary, boundary], y: [0, 1] }],
  ];
}

function lossTraces(params, path, k) {
  const indices = params.curve_indices.filter((i) => i < path.loss.length);
  const loss = indices.map((i) => path.loss[i]);
  const positive = loss.concat(params.optimum ? [params.optimum.loss] : []).filter((v) => v > 0);
  const span = positive.length ? [Math.min(...positive), Math.max(...positive)] : [NaN, NaN];
  const converged = convergedAt(path.loss, params.optimum && params.optimum.loss);
  return [
    ["loss", { x: indices, y: loss }],
    ["loss_marker", { x: [k, k], y: span }],
    ["converged", { x: converged === null ? [NaN, NaN] : [converged, converged], y: span }],
  ];
}

function descentMessage(params, values, path, browser) {
  const { lr, w0, b0 } = { ...params.settled, ...values };
  const settled = params.settled;
  if (!browser) {
    if (lr === settled.lr && w0 === settled.w0 && b0 === settled.b0) return "";
    return `${params.method} runs on the server: let go to run it from (w₀, b₀) = (${formatNumber(w0, 4)}, ${formatNumber(b0, 4)}) at η = ${formatNumber(lr, 4)}. Until then the path is the last run's.`;
  }
  const notes = [];
  const factor = Math.abs(1 - lr * params.lambda_max);
  if (lr >= params.stable_rate) {
    notes.push(`η = ${formatNumber(lr, 4)} is above 2/λ_max = ${formatNumber(params.stable_rate, 4)}: along the steepest direction every step multiplies the distance to the optimum by |1 − η λ_max| = ${formatNumber(factor, 3)} > 1, so descent diverges.`);
  }
  if (params.reveal && path.loss.length < params.n_iterations + 1) notes.push(`The loss overflowed at iteration ${path.loss.length}: the path stops there.`);
  return notes.join(" ");
}

function descentReadouts(params, path, k, values, browser) {
  const hidden = (value) => (params.reveal ? value : "?");
  const w = path.w[k], b = path.b[k];
  const readouts = [];
  if (params.two_features) {
    readouts.push(
      { label: "w₁", value: hidden(formatNumber(w)), help: `The first weight at iteration ${k}.` },
      { label: "w₂", value: hidden(formatNumber(b)), help: `The second weight at iteration ${k}.` },
      { label: "b", value: hidden(formatNumber(path.bias[k])), help: `The bias at iteration ${k}.` },
    );
  } else {
    readouts.push(
      { label: "w", value: hidden(formatNumber(w)), help: `The weight at iteration ${k}.` },
      { label: "b", value: hidden(formatNumber(b)), help: `The bias at iteration ${k}.` },
    );
  }
  readouts.push({ label: params.loss_name, value: hidden(formatNumber(path.loss[k])), help: `The ${params.loss_name} at iteration ${k}.` });
  if (params.model === "logistic") {
    readouts.push({ label: "Accuracy", value: hidden(`${(100 * params.accuracy[k]).toFixed(1)}%`), help: "Share of samples on the right side of the boundary." });
    if (!params.two_features) {
      readouts.push({ label: "Boundary x", value: hidden(w === 0 ? "none" : formatNumber(-b / w, 4)), help: "x = −b/w, where σ(w x + b) = 0.5." });
    }
  } else if (browser) {
    const lr = values.lr === undefined ? params.settled.lr : values.lr;
    readouts.push({
      label: "|1 − η λ_max|",
      value: formatNumber(Math.abs(1 - lr * params.lambda_max), 4),
      help: `What every step multiplies the distance to the optimum by along the steepest direction: below 1 descent converges, above it (η above 2/λ_max = ${formatNumber(params.stable_rate, 4)}) it diverges.`,
    });
  }
  return readouts;
}

// Quiz mode: the start (where the class is asked to guess from) moves; every number the run reached reads "?".
function quizFrame(params, values, browser) {
  const k = Math.round(values.show);
  const none = { w: [], b: [], loss: [], bias: [] };
  const start = [values.w0, params.two_features ? values.w0 : values.b0];
  return {
    traces: [["start", { x: [start[0]], y: [start[1]] }]],
    readouts: descentReadouts(params, none, k, values, browser),
    message: descentMessage(params, values, none, browser),
  };
}

RECIPES.descent = ({ values, params }) => {
  const browser = params.browser_descent;
  const lr = values.lr === undefined ? params.settled.lr : values.lr;
  if (!params.reveal) return quizFrame(params, values, browser);
  const path = browser
    ? descendLinear(params.moments, lr, values.w0, values.b0, params.n_iterations, params.runaway)
    : serverPath(params.path);
  const k = Math.min(Math.round(values.show), path.w.length - 1);
  const drawn = drawnPath(path, k, params);
  const start = browser ? [path.w[0], path.b[0]] : [values.w0, params.two_features ? values.w0 : values.b0];
  const traces = [
    ["path", { x: drawn.shown.map((i) => path.w[i]), y: drawn.shown.map((i) => path.b[i]), customdata: drawn.shown }],
    ["start", { x: [start[0]], y: [start[1]] }],
    ["iterate", { x: [drawn.visible ? path.w[k] : NaN], y: [drawn.visible ? path.b[k] : NaN], text: [`iteration ${k}`] }],
    ...dataPlotTraces(params, path.w[k], path.b[k], path.bias ? path.bias[k] : 0),
    ...lossTraces(params, path, k),
  ];
  return {
    traces,
    readouts: descentReadouts(params, path, k, values, browser),
    message: descentMessage(params, values, path, browser),
  };
};
