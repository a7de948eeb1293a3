// Optimizer race: the step scrubber (and Play) moves every racer's marker along its path; dragging the start
// moves the start marker and hides the old race, which the server runs anew from there on release.
RECIPES.race = ({ values, params }) => {
  const frame = Math.round(values.frame);
  const moved = values.sx !== params.start[0] || values.sy !== params.start[1];
  const traces = [["start", { x: [values.sx], y: [values.sy] }]];
  for (const [name, positions] of Object.entries(params.positions)) {
    const [x, y] = positions[Math.min(frame, positions.length - 1)];
    traces.push([`marker:${name}`, moved ? { x: [], y: [] } : { x: [x], y: [y] }]);
    if (moved) traces.push([`path:${name}`, { x: [], y: [] }]);
  }
  const step = params.steps[Math.min(frame, params.steps.length - 1)];
  return {
    traces,
    readouts: [{ label: "Step", value: String(step), help: "Every optimizer has taken this many steps." }],
    message: moved ? `Let go to race from (${formatNumber(values.sx, 3)}, ${formatNumber(values.sy, 3)}).` : "",
  };
};
