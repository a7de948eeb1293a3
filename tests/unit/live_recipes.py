"""Run the live chart's recipes (ui/live/recipes/*.js) in Node.js, as the browser runs them: the component's
module with every recipe in place, fed the data a page sends, so tests can hold the browser's numbers
against references computed in Python."""

from __future__ import annotations

import json
import math
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LIVE = ROOT / "ui" / "live"
NODE = shutil.which("node")

_DRIVER = """
import * as live from "./live_chart.mjs";
// JSON has no NaN: null stands for it both ways (a drag's press sends grab null, and gets it back)
const cases = JSON.parse(live.readStdin(), (_, v) => (v === null ? NaN : v));
const compiled = (c) =>
  Object.fromEntries(Object.entries(c.formulas || {}).map(([k, js]) => [k, live.compile(js, c.variables)]));
const out = cases.map((c) => {
  if (c.kind === "format") return c.values.map((v) => live.formatNumber(v, c.digits));
  if (c.kind === "control") return c.values.map((v) => live.formatControl(c.control, v));
  const grab = Number.isNaN(c.grab) ? null : c.grab;
  const { point, values, params } = c;
  if (c.kind === "drag") return live.DRAGS[c.name]({ point, values, params, grab });
  const result = live.RECIPES[c.name]({ values: c.values, params: c.params, fns: compiled(c), data: {} });
  return { ...result, traces: Object.fromEntries(result.traces) };
});
const finite = (_, v) => (typeof v === "number" && !Number.isFinite(v) ? null : v);
process.stdout.write(JSON.stringify(out, finite));
"""


def _module_source() -> str:
    base = (LIVE / "live_chart.js").read_text()
    recipes = "\n".join(path.read_text() for path in sorted((LIVE / "recipes").glob("*.js")))
    stdin = (
        'import { readFileSync } from "node:fs";\nexport const readStdin = () => readFileSync(0, "utf8");\n'
    )
    return (
        stdin
        + base.replace("/* RECIPES */", recipes)
        + "\nexport { RECIPES, DRAGS, compile, formatNumber, formatControl };\n"
    )


def run(cases: list[dict]) -> list:
    """Each case: {"kind": "recipe" | "drag" | "format" | "control", "name": ..., ...}; NaN comes back as
    None."""
    if NODE is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but node is not installed")
        pytest.skip("node is not installed")
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "live_chart.mjs").write_text(_module_source())
        (Path(folder) / "driver.mjs").write_text(_DRIVER)
        payload = json.dumps(cases, default=float).replace("NaN", "null")
        result = subprocess.run(
            [NODE, "driver.mjs"], cwd=folder, input=payload, capture_output=True, text=True, timeout=60
        )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def numbers(values) -> list[float]:
    """A trace's x or y from Node, None (NaN) back to NaN."""
    return [math.nan if v is None else v for v in values]
