// Gradient Lab's live chart: Plotly figures redrawn in the browser from in-chart controls, without a
// server round trip while a control moves. Python sends the figures, the controls, a recipe name and its
// parameters (numbers and formula code generated from the whitelisted SymPy tree, never user text);
// the recipe turns control values into new trace data, applied with Plotly.restyle. The settled values
// go back to Python once the user lets go (pointer up, or a pause after the last key press).

const PLOTLY_URL = "app/static/plotly.min.js"; // relative: works under a server.baseUrlPath too
const SYNC_DELAY_MS = 350; // arrow keys fire "change" on every press; send one value after they stop
const RECIPES = {};
const DRAGS = {}; // pointer -> control values, for a Drag with a handler (ui/live_chart.py)
const INSTANCES = new WeakMap(); // parentElement -> LiveChart: the DOM survives re-renders with new data

// The helpers formula code may call, with core.evaluation's conventions (stable sigmoid, H(0) = 1/2,
// DiracDelta counted as 0), so the browser draws what the server would.
const H = {
  // exp(−logaddexp(0, −z)), as NumPy's logaddexp computes it: σ(1 − σ) then agrees to 1e-12 far out
  sigmoid: (z) => Math.exp(-(z > 0 ? Math.log1p(Math.exp(-z)) : -z + Math.log1p(Math.exp(z)))),
  heaviside: (x) => (x > 0 ? 1 : x < 0 ? 0 : Number.isNaN(x) ? NaN : 0.5),
  dirac: (x) => (Number.isNaN(x) ? NaN : 0),
};

function loadPlotly() {
  if (window.Plotly) return Promise.resolve(window.Plotly);
  if (!window.__glPlotlyLoading) {
    window.__glPlotlyLoading = new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = PLOTLY_URL;
      script.onload = () => resolve(window.Plotly);
      script.onerror = () => reject(new Error(`could not load ${PLOTLY_URL}`));
      document.head.appendChild(script);
    });
  }
  return window.__glPlotlyLoading;
}

// Formula code -> function returning a finite number or NaN (never Infinity: plotly.js draws gaps at NaN).
function compile(code, variables) {
  if (!code) return null;
  const body = new Function("H", ...variables, `"use strict"; return (${code});`);
  return (...args) => {
    const value = body(H, ...args);
    return typeof value === "number" && Number.isFinite(value) ? value : NaN;
  };
}

function formatNumber(value, digits = 6) {
  if (typeof value !== "number" || Number.isNaN(value)) return "undefined";
  if (value === 0 || Object.is(value, -0)) return "0";
  const abs = Math.abs(value);
  const text = abs >= 1e-4 && abs < 1e7 ? String(Number(value.toPrecision(digits))) : value.toExponential(digits - 1).replace(/\.?0+e/, "e");
  return text.replace("-", "−");
}

function formatControl(control, value) {
  if (control.format === "step") return value >= 1e-3 ? String(value) : value.toExponential(0).replace("e-0", "e-");
  if (control.format === "int") return String(Math.round(value));
  if (control.format === "degrees") return `${Math.round(value)}°`;
  return formatNumber(value, 4);
}

// Streamlit scrolls its main area inside its own container, not the document.
function scrollerOf(element) {
  for (let node = element.parentElement; node; node = node.parentElement) {
    const overflow = getComputedStyle(node).overflowY;
    if ((overflow === "auto" || overflow === "scroll") && node.scrollHeight > node.clientHeight) return node;
  }
  return document.scrollingElement || document.documentElement;
}

class LiveChart {
  constructor(parentElement) {
    this.root = document.createElement("div");
    this.root.className = "gl-live";
    this.root.glChart = this; // for the browser tests and benchmarks
    this.readouts = document.createElement("div");
    this.readouts.className = "gl-readouts";
    this.readouts.setAttribute("aria-live", "polite");
    this.message = document.createElement("div");
    this.message.className = "gl-message";
    this.plots = document.createElement("div");
    this.plots.className = "gl-plots";
    this.controls = document.createElement("div");
    this.controls.className = "gl-controls";
    // controls above the charts: with two charts one below the other on a projector, they stay on screen
    this.root.append(this.readouts, this.message, this.controls, this.plots);
    parentElement.appendChild(this.root);
    this.figureJson = [];
    this.designedLayouts = [];
    this.plotDivs = [];
    this.keepers = []; // per chart: the observer that keeps its contours through animate (keepLayers)
    this.inputs = {};
    this.values = {};
    this.synced = {};
    this.timer = null;
    this.playing = null;
  }

  // One call per render from Streamlit (the first mount, and every rerun whose data changed).
  async render(data, setStateValue) {
    this.data = data;
    this.setStateValue = setStateValue;
    this.root.classList.toggle("gl-lecture", Boolean(data.lecture));
    this.fns = {};
    for (const [name, code] of Object.entries(data.formulas || {})) this.fns[name] = compile(code, data.variables || []);
    this.buildControls(data.controls);
    this.showReadouts(data.readouts || [], data.message); // the server's numbers until the recipe runs
    const Plotly = await loadPlotly();
    this.Plotly = Plotly;
    await this.drawFigures(data.figures);
    this.attachDrag();
    this.apply();
    this.root.dataset.ready = "1"; // for tests and benchmarks: the chart is drawn and live
  }

  buildControls(controls) {
    const names = controls.map((c) => c.name).join(",");
    if (this.controlNames !== names) {
      this.controlNames = names;
      this.controls.replaceChildren();
      this.inputs = {};
      for (const control of controls) this.controls.appendChild(this.buildControl(control));
    }
    for (const control of controls) {
      const input = this.inputs[control.name];
      Object.assign(input, { min: 0, max: control.options ? control.options.length - 1 : control.max, step: control.options ? 1 : control.step });
      if (!control.options) input.min = control.min;
      input.disabled = Boolean(control.disabled);
      // Python's value wins only when it changed there (a new preset, a pasted link): not while the user is
      // ahead of the server, whose rerun still carries the value from before the last move
      if (this.synced[control.name] !== control.value || !(control.name in this.values)) {
        this.values[control.name] = control.value;
        this.synced[control.name] = control.value;
      }
      this.showValue(control, this.values[control.name]);
    }
  }

  buildControl(control) {
    const row = document.createElement("label");
    row.className = "gl-control";
    const title = document.createElement("span");
    title.className = "gl-control-label";
    title.textContent = control.label;
    const input = document.createElement("input");
    input.type = "range";
    input.dataset.control = control.name;
    input.setAttribute("aria-label", control.label);
    const output = document.createElement("output");
    output.className = "gl-control-value";
    input.addEventListener("input", () => {
      this.stopPlay();
      this.setValue(control.name, this.fromInput(control.name, Number(input.value)));
    });
    input.addEventListener("change", () => this.scheduleSync());
    row.append(title, input, output);
    if (control.play) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "gl-play";
      button.textContent = `▶ ${control.play.label}`;
      button.setAttribute("aria-label", `${control.play.label}: animate ${control.label}`);
      button.addEventListener("click", () => (this.playing ? this.stopPlay() : this.play(control.name)));
      row.appendChild(button);
      this.inputs[`${control.name}:play`] = button;
    }
    this.inputs[control.name] = input;
    this.inputs[`${control.name}:output`] = output;
    return row;
  }

  control(name) {
    return this.data.controls.find((c) => c.name === name);
  }

  fromInput(name, position) {
    const control = this.control(name);
    return control.options ? control.options[Math.round(position)] : position;
  }

  toInput(control, value) {
    if (!control.options) return value;
    let best = 0;
    control.options.forEach((option, i) => {
      if (Math.abs(Math.log(option / value)) < Math.abs(Math.log(control.options[best] / value))) best = i;
    });
    return best;
  }

  showValue(control, value) {
    this.inputs[control.name].value = String(this.toInput(control, value));
    this.inputs[`${control.name}:output`].textContent = formatControl(control, value);
  }

  setValue(name, value) {
    this.setValues({ [name]: value });
  }

  // Several controls at once (a drag sets x and y): each clamped and snapped to its step, then one apply.
  setValues(changes) {
    for (let [name, value] of Object.entries(changes)) {
      const control = this.control(name);
      if (!control) continue;
      if (!control.options) {
        const clamped = Math.min(control.max, Math.max(control.min, value));
        value = Number((Math.round((clamped - control.min) / control.step) * control.step + control.min).toFixed(10));
      }
      this.values[name] = value;
      this.showValue(control, value);
    }
    if (this.data.live) this.apply();
    else this.scheduleSync(150); // the server draws this one: ask as soon as the user pauses
  }

  async drawFigures(figures) {
    while (this.plotDivs.length > figures.length) {
      const div = this.plotDivs.pop();
      this.keepers[this.plotDivs.length]?.disconnect();
      this.Plotly.purge(div);
      div.remove();
      this.figureJson.pop();
    }
    // side by side only where each chart keeps room for its legend and axes (a full-HD screen)
    const columns = window.innerWidth >= 1600 ? this.data.columns || 1 : 1;
    this.columnCount = columns;
    this.plots.style.setProperty("--gl-columns", String(columns));
    for (let i = 0; i < figures.length; i++) {
      if (!this.plotDivs[i]) {
        const div = document.createElement("div");
        div.className = "gl-plot";
        div.dataset.plot = String(i);
        this.plots.appendChild(div);
        this.plotDivs[i] = div;
      }
      const json = JSON.stringify(figures[i]);
      if (json === this.figureJson[i]) continue; // a rerun that only synced values: nothing new to draw
      this.figureJson[i] = json;
      const { figure: { data, layout }, config, alt } = figures[i];
      this.plotDivs[i].setAttribute("role", "figure"); // a figure, not an image: its legend stays clickable
      this.plotDivs[i].setAttribute("aria-label", alt || "");
      this.keepers[i]?.disconnect(); // a new figure may drop a layer for good
      this.designedLayouts[i] = layout;
      const fitted = this.fittedLayout(layout, i);
      await this.Plotly.react(this.plotDivs[i], data, { ...layout, ...fitted }, { responsive: true, ...config });
      this.keepLayers(i);
    }
    this.watchFit();
  }

  // What lands above the chart after it is drawn (formulas typeset, a notice, an expander opened) moves its
  // top: the heights follow, so the first chart stays whole on screen. One observer on the page's content;
  // a chart's own new height moves nothing above it, so a refit settles at once.
  watchFit() {
    if (this.fitObserver) return;
    const content = this.root.closest("[data-testid='stMainBlockContainer']") || document.body;
    let queued = false;
    this.fitObserver = new ResizeObserver(() => {
      if (queued) return;
      queued = true;
      requestAnimationFrame(() => {
        queued = false;
        this.refit();
      });
    });
    this.fitObserver.observe(content);
  }

  async refit() {
    if (!this.root.isConnected) return this.fitObserver?.disconnect();
    for (let i = 0; i < this.plotDivs.length; i++) {
      const div = this.plotDivs[i];
      const fitted = this.fittedLayout(this.designedLayouts[i], i);
      if (!div._fullLayout || Math.abs(div._fullLayout.height - fitted.height) < 8) continue;
      this.keepers[i]?.disconnect(); // a relayout redraws every layer: keep the new ones, not the old
      await this.Plotly.relayout(div, fitted);
      this.keepLayers(i);
    }
  }

  // plotly.js's animate fast path re-plots only the animated scatter traces and removes every other trace
  // layer of the chart (a contour or heatmap under a moving point vanishes: plotly.js#4491). Recipes never
  // change those traces, so the removed layers are put back as they were, by a MutationObserver: its
  // callback runs before the browser paints, so no frame is drawn without them. A layer removed because its
  // traces were hidden (a legend click) stays removed. Restyling such a chart instead recalculated and
  // redrew all of it: 75-156 ms from a key press to the gradient-field map changed, against ~20 ms.
  keepLayers(i) {
    const div = this.plotDivs[i];
    const kept = [...div.querySelectorAll("g.mlayer")]
      .filter((layer) => !layer.classList.contains("scatterlayer"))
      .map((layer) => [layer, layer.parentNode, layer.nextSibling]);
    if (!kept.length) return;
    const shown = (layer) => div._fullData.some((trace) => trace.visible === true && layer.classList.contains(`${trace.type}layer`));
    const observer = new MutationObserver(() => {
      for (const [layer, parent, next] of [...kept].reverse()) {
        if (!layer.isConnected && shown(layer)) parent.insertBefore(layer, next && next.parentNode === parent ? next : null);
      }
    });
    for (const parent of new Set(kept.map(([, parent]) => parent))) observer.observe(parent, { childList: true });
    this.keepers[i] = observer;
  }

  // Charts as tall as the screen leaves below their top, so the first opens whole on a projector
  // (1280x720) and grows for the back row on a large one; between 320 px and 1.6x the designed height.
  // The top is measured in the page, not the window: a chart redrawn while the page is scrolled keeps the
  // height it opened with.
  fittedHeight(designed) {
    const top = this.plots.getBoundingClientRect().top + scrollerOf(this.root).scrollTop;
    const available = window.innerHeight - top - 16;
    return Math.round(Math.max(320, Math.min(available, 1.6 * designed)));
  }

  // The fitted height; only the first row of charts shrinks to the screen: the ones below are scrolled to,
  // and a shorter chart leaves its legend and axis titles less room.
  fittedLayout(layout, i) {
    const designed = layout.height || 450;
    const fitted = this.fittedHeight(designed);
    return { height: i < (this.columnCount || 1) ? fitted : Math.max(designed, fitted) };
  }

  // Recipe output -> one restyle per chart, readouts and a message.
  apply() {
    if (!this.Plotly || !this.data) return;
    const started = performance.now();
    const out = this.data.live
      ? RECIPES[this.data.recipe]({ values: this.values, params: this.data.params, fns: this.fns, data: this.data })
      : { readouts: this.data.readouts, message: this.data.message };
    const sequence = Number(this.root.dataset.applied || 0) + 1;
    const byPlot = new Map();
    for (const [role, update] of out.traces || []) {
      const [plot, index] = this.data.traces[role] || [];
      if (plot === undefined) continue;
      if (!byPlot.has(plot)) byPlot.set(plot, []);
      byPlot.get(plot).push([index, update]);
    }
    const frames = [];
    for (const [plot, updates] of byPlot) {
      const indices = updates.map(([index]) => index);
      // animate without redraw: plotly.js's fast path moves just these scatter traces (a restyle recalculates
      // and redraws the whole chart, ~30 ms each in software-rendered Chromium); axis ranges stay as drawn.
      // "immediate" drops a frame still queued when the next arrives and rejects its promise with nothing:
      // expected while keys repeat faster than frames draw (uncaught, the console showed "undefined").
      frames.push(
        this.Plotly.animate(
          this.plotDivs[plot],
          { data: updates.map(([, update]) => update), traces: indices },
          { transition: { duration: 0 }, frame: { duration: 0, redraw: false }, mode: "immediate" },
        ),
      );
    }
    // data-drawn: the latest application whose frames are all on screen (the readouts change at once, the
    // plots a frame later); a dropped frame leaves it to the next application
    Promise.all(frames)
      .then(() => {
        if (sequence > Number(this.root.dataset.drawn || 0)) this.root.dataset.drawn = String(sequence);
      })
      .catch(() => {});
    this.showReadouts(out.readouts || [], out.message);
    this.root.dataset.applyMs = (performance.now() - started).toFixed(2);
    this.root.dataset.applied = String(sequence);
  }

  showReadouts(readouts, message) {
    this.readouts.replaceChildren(
      ...readouts.map(({ label, value, help }) => {
        const cell = document.createElement("div");
        cell.className = "gl-readout";
        if (help) cell.title = help;
        const name = document.createElement("div");
        name.className = "gl-readout-label";
        name.textContent = label;
        const number = document.createElement("div");
        number.className = "gl-readout-value";
        number.textContent = value;
        cell.append(name, number);
        return cell;
      }),
    );
    this.message.textContent = message || "";
    this.message.hidden = !message;
  }

  scheduleSync(delay = SYNC_DELAY_MS) {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.sync(), delay);
  }

  sync() {
    clearTimeout(this.timer);
    const changed = Object.keys(this.values).some((name) => this.values[name] !== this.synced[name]);
    if (!changed) return;
    Object.assign(this.synced, this.values);
    this.setStateValue("view", { ...this.values });
  }

  play(name) {
    const control = this.control(name);
    const { to, interval } = control.play;
    const steps = control.options ? control.options.map((_, i) => i) : null;
    const button = this.inputs[`${name}:play`];
    let position = this.toInput(control, this.values[name]);
    const last = control.options ? this.toInput(control, to) : to;
    if (position === last) position = control.options ? this.toInput(control, control.play.from) : control.play.from;
    const direction = last >= position ? 1 : -1;
    const stride = control.options ? 1 : control.step * (control.play.stride || 1);
    button.textContent = "⏸ Pause";
    this.playing = setInterval(() => {
      position = direction > 0 ? Math.min(last, position + stride) : Math.max(last, position - stride);
      this.values[name] = steps ? control.options[position] : position;
      this.showValue(control, this.values[name]);
      this.apply();
      if (position === last) this.stopPlay();
    }, interval);
    this.setValue(name, steps ? control.options[position] : position);
  }

  stopPlay() {
    if (!this.playing) return;
    clearInterval(this.playing);
    this.playing = null;
    for (const control of this.data.controls) {
      const button = this.inputs[`${control.name}:play`];
      if (button) button.textContent = `▶ ${control.play.label}`;
    }
    this.sync();
  }

  // Click or drag on a 2-D chart sets the controls named in data.drag, in the chart's data coordinates.
  attachDrag() {
    const drag = this.data.drag;
    if (!drag || this.dragAttached === drag.plot) return;
    this.dragAttached = drag.plot;
    const div = this.plotDivs[drag.plot];
    const toData = (event) => {
      // from the axes' own offsets: an equal-aspect chart (constrain: "domain") draws them inside its margins
      const { xaxis, yaxis } = div._fullLayout;
      const box = div.getBoundingClientRect();
      const px = event.clientX - box.left - xaxis._offset;
      const py = event.clientY - box.top - yaxis._offset;
      if (px < 0 || py < 0 || px > xaxis._length || py > yaxis._length) return null;
      return [xaxis.p2d(px), yaxis.p2d(py)];
    };
    const move = (event, pressed = false) => {
      const point = toData(event);
      if (!point) return;
      const current = this.data.drag;
      this.stopPlay();
      if (current.handler) {
        const grab = pressed ? null : this.grab;
        const out = DRAGS[current.handler]({ point, values: this.values, params: this.data.params, grab });
        this.grab = out.grab;
        this.setValues(out.set || {});
        return;
      }
      const changes = {};
      if (current.x) changes[current.x] = point[0];
      if (current.y) changes[current.y] = point[1];
      this.setValues(changes);
    };
    div.addEventListener("pointerdown", (event) => {
      if (!toData(event) || event.button !== 0) return;
      event.preventDefault();
      div.setPointerCapture(event.pointerId);
      this.dragging = true;
      move(event, true);
    });
    div.addEventListener("pointermove", (event) => this.dragging && move(event));
    const end = () => {
      if (!this.dragging) return;
      this.dragging = false;
      this.sync();
    };
    div.addEventListener("pointerup", end);
    div.addEventListener("pointercancel", end);
  }
}

/* RECIPES */

export default function (component) {
  const { parentElement, setStateValue } = component;
  const data = JSON.parse(component.data.json); // one string from Python (DATA_FIELD: ui/live_chart.py says why)
  let chart = INSTANCES.get(parentElement);
  if (!chart || !parentElement.contains(chart.root)) {
    chart = new LiveChart(parentElement);
    INSTANCES.set(parentElement, chart);
  }
  chart.render(data, setStateValue).catch((error) => {
    chart.message.hidden = false;
    chart.message.textContent = `The live chart could not be drawn: ${error.message}`;
  });
  return () => chart.stopPlay();
}
