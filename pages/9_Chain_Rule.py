"""Chain rule: a formula's computational graph, evaluated forward and differentiated backward (reverse-mode
automatic differentiation, which is backpropagation), step by step."""

import streamlit as st

from core import chain_rule, code_listing
from core.autodiff import NotDifferentiableError
from core.figures.graph import computation_graph_chart
from ui.code_panel import show_code
from ui.inputs import build_or_keep, function_picker, initial_value, url_bound
from ui.page import explain, introduce, revealed, setup_page, share_link, show_chart
from ui.registry import page_info

settings = setup_page(page_info("pages/9_Chain_Rule.py"))
prepared = st.cache_resource(max_entries=128, show_spinner=False)(chain_rule.prepare)

choice, text = function_picker(
    list(chain_rule.PRESETS),
    default=chain_rule.DEFAULT,
    variables="x, y",
    default_formula="sin(x y) + e^(-x^2)",
    examples="x^2 y + y^3, sigmoid(2x - y), ln(1 + e^(x y)), relu(x - y) x",
)
preset = chain_rule.PRESETS.get(choice)
note_slot = st.sidebar.empty()  # a preset's note gives ∇f away (f′(1) = 2): filled after Reveal
# a new preset brings its own point (a link's point is kept: the first run has no previous choice)
if preset is not None and st.session_state.get("chain-last-fn", choice) != choice:
    st.session_state.update(zip(("x0", "y0"), preset.point, strict=False))
st.session_state["chain-last-fn"] = choice
formula, variables = (preset.formula, preset.variables) if preset else (text, None)
function, formula = build_or_keep(  # a refused formula keeps the last one, greyed
    lambda formula_text: prepared(formula_text, variables), formula, key="chain-rule"
)
limit, start = chain_rule.POINT_LIMIT, preset.point if preset else (1.0, 1.0)
point = tuple(
    url_bound(st.sidebar.slider, f"Point {name}₀", -limit, limit, step=0.05, key=f"{name}0",
              **initial_value(f"{name}0", value))
    for name, value in zip(function.variables, start, strict=False)
)  # fmt: skip

introduce(
    settings,
    "A formula is a chain of small operations. Left to right, each node computes one from the nodes before "
    "it (forward); right to left, each node's adjoint v̄ = ∂f/∂v collects its users' adjoints times the local "
    "derivatives on the edges (backward). The variables' adjoints are the gradient. Drag the step slider.",
    [
        r"f(x) = g(h(x)) \;\Rightarrow\; f'(x) = g'(h(x))\, h'(x)",
        r"\bar v = \frac{\partial f}{\partial v} = "
        r"\sum_{w \text{ uses } v} \bar w\, \frac{\partial w}{\partial v} \qquad \bar f = 1",
        r"\nabla f = (\bar x, \bar y): \text{ one backward pass gives every partial derivative at once}",
    ],
)
answer = revealed(settings, "the backward pass", (choice, text, point))  # quiz mode: guess ∇f first
if preset is not None and answer:
    note_slot.caption(preset.note)
try:
    view = chain_rule.chain_rule_view(function, point, backward_pass=answer)
except NotDifferentiableError as error:
    st.warning(f"**No gradient at this point.** {error} Move the point off the kink.")
    st.stop()
except ValueError as error:
    st.error(f"**This point does not work.** {error}")
    st.stop()

show_chart(computation_graph_chart(view, settings.style), name="computational-graph")
st.latex(rf"f({', '.join(function.variables)}) = {function.latex}")  # under the graph: it opens on screen
graph = view.graph
where = ", ".join(f"{value:g}" for value in point)
metrics = [(f"f({where})", f"{graph.output:.6g}", "The value at the output node: the forward pass.")]
metrics += [
    (f"∂f/∂{name}", f"{value:.6g}" if answer else "?", f"The adjoint {chain_rule.bar(name)} of {name}.")
    for name, value in zip(graph.variables, graph.gradient, strict=True)
]
for column, (label, value, help_text) in zip(st.columns(len(metrics)), metrics, strict=True):
    column.metric(label, value, help=help_text)
if answer:
    symbolic = ", ".join(f"{value:.6g}" for value in view.symbolic_gradient)
    if len(view.symbolic_gradient) > 1:
        symbolic = f"({symbolic})"
    st.latex(rf"\text{{SymPy: }} {function.gradient_latex} = {symbolic} \text{{ at }} ({where})")
    if view.agrees:
        st.success("The backward pass and SymPy's symbolic gradient agree (to 9 significant digits).")
    else:
        st.error("The backward pass and SymPy's symbolic gradient disagree here: please report this formula.")
    with st.expander("The evaluation trace, node by node", icon=":material/table_rows:"):
        st.dataframe(view.trace_table(), hide_index=True)
explain(
    settings,
    "This is how networks learn. The Neural-net landscape page trains its network with exactly this sweep "
    "(scikit-learn's MLP back-propagates): a forward pass through the layers gives the loss, one backward "
    "pass gives the loss's gradient with respect to every weight — as cheap as a few forward passes, however "
    "many weights there are.",
)
st.page_link("pages/8_Neural_Network_Landscape.py", label="Neural-net landscape", icon=":material/hub:")
show_code(code_listing.chain_rule(function.expr, variables=function.variables, point=point), reveal=answer)
share_link()
