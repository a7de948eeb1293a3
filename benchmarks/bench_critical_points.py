"""Critical points: time to answer and how (symbolic or numeric), per preset, at the default 2 s limit.

Run from the repository root: python -m benchmarks.bench_critical_points
"""

from core import functions2d
from core.critical_points import find_critical_points

TIME_LIMIT = 2.0


def main() -> None:
    print("| preset | answered in | method | points found |")
    print("|---|---:|---|---|")
    for function in functions2d.FUNCTIONS.values():
        x_min, x_max, y_min, y_max = function.window
        report = find_critical_points(
            function.expression(), functions2d.VARIABLES, bounds=[(x_min, x_max), (y_min, y_max)],
            time_limit=TIME_LIMIT,
        )  # fmt: skip
        counts = {}
        for point in report.points:
            counts[point.kind] = counts.get(point.kind, 0) + 1
        found = ", ".join(f"{n} {kind}" for kind, n in counts.items()) or (
            "a curve of points" if report.families else "none"
        )
        print(f"| {function.name} | {report.seconds:.2f} s | {report.method} | {found} |")


if __name__ == "__main__":
    main()
