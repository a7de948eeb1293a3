"""Optimizer race: GD, momentum, Nesterov, RMSProp, Adam and Newton from one start on one function."""

import pandas as pd
import streamlit as st

from core import code_listing_training, functions2d, race
from core.figures import ChartLabels, Series, line_chart
from core.figures.race import RACER_STYLE, race_contour
from ui.cache import prepared_bivariate, race_contour_layer, race_results, tuned_rate
from ui.code_panel import show_code
from ui.inputs import CUSTOM, build_or_keep, function2d_input, initial_value, url_bound
from ui.live_chart import Drag, LiveChart, LiveControl, live_controls, show_live_chart, trace_roles
from ui.page import download_csv, explain, introduce, revealed, setup_page, share_link, show_chart
from ui.registry import page_info

settings = setup_page(page_info("pages/7_Optimizer_Race.py"))

choice, text = function2d_input(default="Rosenbrock")
preset = None if choice == CUSTOM else functions2d.get(choice)
window = tuple(float(v) for v in preset.window) if preset else (-3.0, 3.0, -3.0, 3.0)
start_default = preset.starting_point() if preset else (-2.0, 2.0)
x_min, x_max, y_min, y_max = window
# the start spans the function's window, is set by clicking the map (or its sliders), and goes back to the
# function's own start when the function changes
x_step, y_step = (x_max - x_min) / 200, (y_max - y_min) / 200
live = live_controls(
    "race-live",
    [
        LiveControl("sx", "Start x", float(start_default[0]), x_min, x_max, x_step),
        LiveControl("sy", "Start y", float(start_default[1]), y_min, y_max, y_step),
        # the animation frame, 0 to the last of race.MAX_FRAMES (the readout says which step it shows)
        LiveControl("frame", "Frame", race.MAX_FRAMES - 1, 0, race.MAX_FRAMES - 1, 1, format="int",
                    play_label="Play", play_from=0, play_ms=80),
    ],
    reset_on=text,
)  # fmt: skip
start = (live[0].value, live[1].value)
n_steps = url_bound(st.sidebar.slider, "Steps", 10, race.MAX_RACE_STEPS, 200, 10, key="steps")
names = url_bound(st.sidebar.multiselect, "Optimizers", race.NAMES, default=race.NAMES, key="racers")

introduce(
    settings,
    "Six optimizers start from the same point (the sidebar's start) and take the same number of steps. Press "
    "Play to watch them race; the lower chart shows how far each is above the best value. Stars mark the "
    "known minima.",
    [
        r"\text{GD: } x \leftarrow x - \eta g \qquad \text{Momentum: } v \leftarrow \beta v + g,\;"
        r" x \leftarrow x - \eta v \qquad \text{Nesterov: } x \leftarrow x - \eta (g + \beta v)",
        r"\text{RMSProp: } s \leftarrow \rho s + (1 - \rho) g^2,\; x \leftarrow x - \frac{\eta g}"
        r"{\sqrt{s} + \epsilon}",
        r"\text{Adam: } m \leftarrow \beta_1 m + (1 - \beta_1) g,\; v \leftarrow \beta_2 v + (1 - \beta_2)"
        r" g^2,\; x \leftarrow x - \eta \frac{m / (1 - \beta_1^t)}{\sqrt{v / (1 - \beta_2^t)} + \epsilon}",
        r"\text{Newton: } x \leftarrow x - \eta H^{-1} g \quad (\text{a gradient step where } H"
        r" \text{ is not positive definite})",
    ],
)
b, text = build_or_keep(prepared_bivariate, text)  # a refused formula keeps the last one, greyed


def tune_all() -> None:
    for name in names:
        st.session_state[f"lr_{name}"] = tuned_rate(text, start, n_steps, name)


st.sidebar.button(
    "Tune learning rates",
    on_click=tune_all,
    width="stretch",
    help="Try each optimizer on a small log grid of rates; keep the one with the lowest final f.",
)
with st.sidebar.expander("Learning rates", expanded=True):
    rates = {
        name: url_bound(st.select_slider, name, race.RATE_CHOICES, key=f"lr_{name}",
                  **initial_value(f"lr_{name}", race.DEFAULT_RATES[name]))
        for name in names
    }  # fmt: skip
if not names:
    st.info("Pick at least one optimizer in the sidebar.")
    st.stop()

racers = race_results(text, start, n_steps, tuple(rates.items()))
# quiz mode: the class sees f and the start and guesses first; the paths, the markers at the finish and who
# diverged would each tell the winner
answer = revealed(settings, "the winner", (text, start, n_steps, tuple(rates.items())))
for racer in racers if answer else ():
    if racer.diverged:
        st.warning(racer.message)
    if racer.gradient_steps:
        st.caption(f"Newton fell back to a gradient step {racer.gradient_steps} times, where the Hessian was "
                   "not positive definite.")  # fmt: skip

minima = preset.minima if preset else ()
steps = race.frame_indices(max(len(r.path) for r in racers))
tracks = race.tracks(racers, steps, window) if answer else []
race_map = race_contour(race_contour_layer(text, window), window, tracks, start, minima, settings.style)
roles = (
    {"start": "start"}
    | {f"marker:{t.name}": t.name for t in tracks}
    | {f"path:{t.name}": f"{t.name} path" for t in tracks}
)
show_live_chart(
    LiveChart(
        key="race-live",
        recipe="race",
        figures=[("optimizer-race", race_map)],
        controls=live,
        params={"start": list(start), **race.live_markers(tracks, steps)},
        traces=trace_roles(race_map, roles),
        drag=Drag(plot=0, x="sx", y="sy"),
        lecture=settings.lecture,
    )
)
if answer:
    st.metric("Winner (lowest final f)", race.winner(racers) or "nobody: every optimizer diverged")
    curves = race.loss_curves(racers, [float(b.f(*m)) for m in minima])
    show_chart(
        line_chart(
            [Series(r.name, range(len(v)), v, RACER_STYLE[r.name][0])
             for r, v in zip(racers, curves.values, strict=True)],
            ChartLabels(f"{curves.label} against step", "step k", curves.label, log_y=curves.log_scale,
                        y_range=curves.y_range),
            settings.style,
        ),
        name="optimizer-race-loss",
    )  # fmt: skip
    st.dataframe(pd.DataFrame(race.results_table(racers, minima)), hide_index=True, width="stretch")
    download_csv("Download the paths (CSV)", race.paths_table(racers), "optimizer-race-paths.csv")
with st.expander("What each optimizer remembers", expanded=not settings.lecture):
    for name in names:
        st.markdown(f"**{name}** — {race.STATE_NOTES[name]}")
explain(settings, "Learning rates are not comparable across optimizers: press *Tune learning rates* to give "
        "each its best rate on a small grid, so the race is fair.")  # fmt: skip
show_code(code_listing_training.race(b.expr, start=start, n_steps=n_steps, rates=rates), reveal=answer)

share_link()
