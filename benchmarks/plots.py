"""Draw the curves of the benchmarks' results (benchmarks/results/*.json) into PNG files in
docs/benchmarks/, one file per curve, named after it.

    .venv/bin/python benchmarks/plots.py                 # every results file
    .venv/bin/python benchmarks/plots.py results/load.json

Each curve's caption names the conditions of its run (cities, date, commit, machine load at
start and end), as every figure in the docs must.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import benchsupport as bench

DOCS = Path(__file__).resolve().parent.parent / "docs" / "benchmarks"


def caption(document: dict[str, Any]) -> str:
    conditions = document.get("conditions", {})
    shown = ", ".join(
        f"{key} {value}"
        for key, value in conditions.items()
        if isinstance(value, int | float | str) and key in CAPTION_KEYS
    )
    return (
        f"{document.get('date', '')[:10]}, ratusz {document.get('commit', '?')}, "
        f"{document.get('cpus', '?')} cores; {shown}; load "
        f"{bench.load_text(document.get('load_start', []))} → "
        f"{bench.load_text(document.get('load_end', []))}"
    )


CAPTION_KEYS = ("cities", "ideas", "comments", "reactions", "duration_s", "samples", "workers")


def png_name(document: dict[str, Any], curve: dict[str, Any], source: Path) -> str:
    """The curve's name; a results file saved under another name than its script's (a
    baseline such as load-before.json) gets its own PNGs (load-before-latency-home)."""
    name: str = curve["name"]
    script = str(document.get("script", source.stem))
    if source.stem == script or name.startswith(source.stem):
        return name
    if name.startswith(f"{script}-"):
        return source.stem + name[len(script) :]
    return f"{source.stem}-{name}"


def draw(document: dict[str, Any], curve: dict[str, Any], directory: Path, source: Path) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import ScalarFormatter

    figure, axes = plt.subplots(figsize=(8, 4.8), dpi=100)
    for label, points in curve["series"].items():
        if not points:
            continue
        xs, ys = zip(*sorted(points), strict=True)
        axes.plot(xs, ys, marker="o", label=label)
    for label, value in curve.get("targets", {}).items():
        axes.axhline(value, linestyle="--", color="grey", linewidth=1)
        axes.annotate(label, xy=(0.01, value), xycoords=("axes fraction", "data"), fontsize=8)
    # Plain numbers on logarithmic axes (1, 10, 100 cities rather than 10^0, 10^1, 10^2).
    if curve.get("log_x"):
        axes.set_xscale("log")
        axes.xaxis.set_major_formatter(ScalarFormatter())
    if curve.get("log_y"):
        axes.set_yscale("log")
        axes.yaxis.set_major_formatter(ScalarFormatter())
    axes.set_title(curve["title"])
    axes.set_xlabel(curve["x_label"])
    axes.set_ylabel(curve["y_label"])
    axes.grid(True, alpha=0.3)
    axes.legend(fontsize=8)
    figure.text(0.01, 0.01, caption(document), fontsize=7, color="dimgrey")
    figure.tight_layout(rect=(0, 0.04, 1, 1))
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{png_name(document, curve, source)}.png"
    figure.savefig(path)
    plt.close(figure)
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="*", type=Path, help="results files (default: all)")
    parser.add_argument("--out", type=Path, default=DOCS, help="folder of the PNG files")
    args = parser.parse_args()
    files = args.files or sorted(bench.RESULTS_DIR.glob("*.json"))
    drawn = 0
    for path in files:
        document = bench.read_results(path)
        for curve in document.get("curves", []):
            print(f"{path.name}: {draw(document, curve, args.out, path)}")
            drawn += 1
    if not drawn:
        print("no curves in the results files", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
