#!/usr/bin/python3
"""Draws each DAFlow Grafana dashboard from real Prometheus answers, one subplot per panel.

Grafana cannot run here; the end-to-end test's DashboardsCheck sends every panel's queries to a
Prometheus that scraped the running services and writes the answers, one JSON file per dashboard
(e2e/target/dashboards/<dashboard>.json). This script draws them with matplotlib, each subplot
titled like its panel and each line named by the panel's legend format, to
docs/dashboards/<dashboard>.png.

Usage (from anywhere; Debian's python3 and python3-matplotlib):
    /usr/bin/python3 observability/plot_dashboards.py [--input DIR] [--output DIR]
"""

import argparse
import json
import math
import re
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (after the backend is chosen)

REPO = Path(__file__).resolve().parent.parent
LEGEND_LABEL = re.compile(r"\{\{\s*(\w+)\s*\}\}")
MAX_LEGEND_ENTRIES = 8

# Grafana unit -> (divisor, axis label): values are divided before drawing.
BYTES = [(1 << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB"), (1, "bytes")]
UNITS = {
    "percentunit": (0.01, "%"),
    "s": (1, "seconds"),
    "reqps": (1, "requests/s"),
    "none": (1, ""),
    "short": (1, ""),
}


def legend_name(legend, labels):
    """The panel's legend format filled with a series' labels, as Grafana names the line."""
    if legend:
        name = LEGEND_LABEL.sub(lambda m: labels.get(m.group(1), ""), legend).strip() or legend
    else:
        shown = {k: v for k, v in labels.items() if k != "__name__"}
        name = "{" + ", ".join(f"{k}={v}" for k, v in sorted(shown.items())) + "}"
    # matplotlib leaves labels starting with '_' out of legends (e.g. the model "_unknown").
    return "\u200b" + name if name.startswith("_") else name


def scale_for(unit, values):
    """(divisor, axis label) for a panel's unit; bytes are scaled to their largest value."""
    if unit == "bytes":
        largest = max((abs(v) for v in values), default=0)
        for divisor, name in BYTES:
            if largest >= divisor:
                return divisor, name
        return 1, "bytes"
    return UNITS.get(unit, (1, unit))


def finite(values):
    return [v for v in values if v is not None and math.isfinite(v)]


def draw_panel(ax, panel, start):
    """One subplot: every series of every query of the panel; 'no data' when there is none."""
    lines = []
    for query in panel["queries"]:
        for series in query.get("series", []):
            times = [(t - start) / 60.0 for t, _ in series["values"]]
            values = [float("nan") if v is None else v for _, v in series["values"]]
            lines.append((legend_name(query.get("legend", ""), series["labels"]), times, values))
    everything = [v for _, _, vs in lines for v in finite(vs)]
    divisor, axis = scale_for(panel.get("unit", ""), everything)
    title = panel["title"]
    if panel.get("type") == "stat" and everything:
        last = [finite(vs)[-1] for _, _, vs in lines if finite(vs)]
        title += "  (last: " + ", ".join(f"{v / divisor:g}" for v in last[:4]) + ")"
    ax.set_title(title, fontsize=10)
    ax.grid(True, alpha=0.3)
    ax.tick_params(labelsize=8)
    if axis:
        ax.set_ylabel(axis, fontsize=8)
    if not everything:
        errors = [q["error"] for q in panel["queries"] if q.get("error")]
        ax.text(0.5, 0.5, "error: " + errors[0][:80] if errors else "no data",
                ha="center", va="center", transform=ax.transAxes, color="firebrick")
        return
    for name, times, values in lines:
        ax.plot(times, [v / divisor for v in values], label=name, linewidth=1.2)
    if min(everything) >= 0:
        # Counts, rates, bytes, accuracies: from zero, so a flat line reads as its value.
        top = max(everything) / divisor
        ax.set_ylim(bottom=0, top=top * 1.08 if top > 0 else 1)
    handles, names = ax.get_legend_handles_labels()
    if len(handles) > MAX_LEGEND_ENTRIES:
        more = len(handles) - MAX_LEGEND_ENTRIES
        handles = handles[:MAX_LEGEND_ENTRIES]
        names = names[:MAX_LEGEND_ENTRIES]
        names[-1] += f" (+{more} more)"
    ax.legend(handles, names, fontsize=7, loc="best")


def plot(dump_file, out_dir):
    """Draws one dashboard's answers; returns the picture's path."""
    dump = json.loads(dump_file.read_text(encoding="utf-8"))
    panels = dump["panels"]
    if not panels:
        raise ValueError(f"{dump_file}: the dashboard has no panel")
    columns = 2 if len(panels) <= 8 else 3
    rows = math.ceil(len(panels) / columns)
    fig, axes = plt.subplots(rows, columns, figsize=(6.5 * columns, 3.2 * rows), squeeze=False)
    start = dump["start"]
    for ax, panel in zip(axes.flat, panels):
        draw_panel(ax, panel, start)
        ax.set_xlabel("minutes since the start of the run", fontsize=8)
    for ax in list(axes.flat)[len(panels):]:
        ax.set_visible(False)
    minutes = (dump["end"] - dump["start"]) / 60.0
    fig.suptitle(f"{dump['title']}: Prometheus answers to the dashboard's queries "
                 f"({minutes:.1f} min, step {dump['stepSeconds']} s)", fontsize=12)
    fig.tight_layout(rect=(0, 0, 1, 0.97))
    out_dir.mkdir(parents=True, exist_ok=True)
    picture = out_dir / (dump["dashboard"] + ".png")
    fig.savefig(picture, dpi=90)
    plt.close(fig)
    return picture


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--input", type=Path, default=REPO / "e2e" / "target" / "dashboards",
                        help="folder of DashboardsCheck's answers (default: %(default)s)")
    parser.add_argument("--output", type=Path, default=REPO / "docs" / "dashboards",
                        help="folder of the pictures (default: %(default)s)")
    args = parser.parse_args(argv)
    dumps = sorted(args.input.glob("*.json"))
    if not dumps:
        print(f"no dashboard answers (*.json) in {args.input}: run the end-to-end test with "
              "DashboardsCheck first", file=sys.stderr)
        return 1
    for dump in dumps:
        print(plot(dump, args.output))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
