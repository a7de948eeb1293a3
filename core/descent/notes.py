"""The words around the descent charts: the metrics above them, what the chosen optimizer and batch size
change against the seed's plain gradient descent, and the note on a path that leaves the plot."""

from __future__ import annotations

from typing import NamedTuple

from core.descent.plot_data import PathOnPlot
from core.descent.run import DescentRun, DescentSettings
from core.numbers import format_number


class Metric(NamedTuple):
    """One number shown above the charts; an `answer` (anything the run reached, where quiz mode asks where
    descent ends) stays hidden in quiz mode until revealed."""

    label: str
    value: str
    help: str | None = None
    answer: bool = False


def short_number(value: float, digits: int = 6) -> str:
    """A metric value that fits its column: `digits` significant figures, two once it needs an exponent
    (a diverged run's 1e+50 reads as -2.1e+50, not -2.10683e+50 cut off at the column's edge)."""
    text = format_number(value, f".{digits}g")
    return format_number(value, ".2g") if "e" in text else text


def convergence_metric(run: DescentRun, loss_name: str) -> Metric:
    return Metric(
        "Within 1% at",
        "not yet" if run.converged_at is None else f"step {run.converged_at}",
        f"The first iteration whose {loss_name} is at most 1% above the optimal {loss_name}.",
        answer=True,
    )


def method_note(settings: DescentSettings, *, lambda_max: float | None = None) -> str:
    """What the chosen optimizer and batch size change compared with the seed's plain gradient descent,
    in Markdown ("" for plain GD). With the largest curvature `lambda_max` of a quadratic loss, the
    optimizer's stability bound as a number."""
    notes = []
    if settings.optimizer == "Momentum":
        notes.append(
            "**Momentum** adds up past gradients (v ← 0.9 v + g, then w ← w − η v): it speeds along a "
            "long valley and overshoots, spiralling into the minimum. On a quadratic bowl it stays stable "
            f"up to η < 2(1 + β)/λ_max = 3.8/λ_max{_bound(3.8, lambda_max)}, almost twice plain GD's bound."
        )
    elif settings.optimizer == "Nesterov":
        notes.append(
            "**Nesterov** steps along the gradient plus the momentum it is about to add "
            "(w ← w − η (g + 0.9 v)): it brakes before overshooting, so it oscillates less than momentum, "
            "but on a quadratic bowl it needs η < 2(1 + β)/((1 + 2β) λ_max) ≈ 1.36/λ_max"
            f"{_bound(3.8 / 2.8, lambda_max)}, below plain GD's 2/λ_max."
        )
    elif settings.optimizer in ("RMSProp", "Adam"):
        notes.append(
            f"**{settings.optimizer}** divides each step by a running average of the gradient's size, so "
            "every parameter moves about η per step whatever the curvature: a small η is slow everywhere, "
            "and near the minimum the path hovers at a distance set by η instead of settling."
        )
    if settings.batch_size is not None:
        notes.append(
            f"**Mini-batches of {settings.batch_size}:** each step uses the gradient of "
            f"{settings.batch_size} samples (a fresh shuffle every epoch), a noisy estimate of the full "
            "gradient. The path jitters, and near the minimum it keeps jittering unless η shrinks; the "
            "loss curve shows the full-data loss at every iterate."
        )
    return " ".join(notes)


def _bound(times: float, lambda_max: float | None) -> str:
    return "" if lambda_max is None else f" (here η < {times / lambda_max:.4g})"


def with_window_note(notes: list[str], drawn: PathOnPlot) -> str | None:
    if drawn.left_window:
        notes.append(
            "The path is drawn up to where it leaves the plot."
            if notes
            else "The loss rose above ten times its starting value: the path is drawn up to where it leaves "
            "the plot."
        )
    return " ".join(notes) or None
