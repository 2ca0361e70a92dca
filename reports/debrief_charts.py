"""The debrief's timeline chart: the players' time drawn over the model's runs per milestone.

One row per plan task the players reached or that has a target: a box of the model's end
minutes over its runs (whiskers 5th to 95th percentile), the target as a red bar and the
players' logged time as a blue diamond. Drawn with matplotlib's Agg backend like every chart
(:mod:`standby.reports.charts`).
"""

from __future__ import annotations

from collections.abc import Sequence

from standby.reports.charts import _row_chart, png_bytes
from standby.reports.debrief_model import MilestoneTiming

PLAYERS_COLOUR = "#1f5fbf"
TARGET_COLOUR = "#d7191c"


def chart_rows(timeline: Sequence[MilestoneTiming]) -> list[MilestoneTiming]:
    """The milestones the chart shows: reached by the players, or with a target."""
    return [t for t in timeline if t.players_minute is not None or t.target_minute is not None]


def timeline_chart(timeline: Sequence[MilestoneTiming]) -> bytes:
    """The players' times over the model's distribution, one row per milestone (PNG)."""
    from matplotlib.lines import Line2D

    rows = chart_rows(timeline)
    fig, ax = _row_chart(len(rows) + 2)
    ends = [list(t.model_ends) or [float("nan")] for t in rows]
    ax.boxplot(
        ends,
        orientation="horizontal",
        widths=0.55,
        whis=(5, 95),
        showfliers=False,
        patch_artist=True,
        boxprops={"facecolor": "#e6ebf2", "edgecolor": "#555"},
        medianprops={"color": "#333"},
    )
    for y, row in enumerate(rows, start=1):
        if row.target_minute is not None:
            ax.plot([row.target_minute] * 2, [y - 0.38, y + 0.38], color=TARGET_COLOUR, lw=2.2)
        if row.players_minute is not None:
            ax.plot(row.players_minute, y, "D", color=PLAYERS_COLOUR, markersize=7, zorder=5)
    ax.set_yticks(range(1, len(rows) + 1), [_label(t.name) for t in rows], fontsize=7)
    ax.set_ylim(len(rows) + 2.3, 0.4)  # top to bottom, with room for the legend below
    ax.set_xlim(left=0)
    ax.grid(axis="x", color="#ddd", lw=0.6)
    ax.set_axisbelow(True)
    ax.set_xlabel("minutes after the incident began", fontsize=8)
    ax.tick_params(axis="x", labelsize=7)
    legend = [
        Line2D([], [], color="#555", lw=6, alpha=0.4, label="model's runs (box 25-75 %, 5-95 %)"),
        Line2D([], [], color=TARGET_COLOUR, lw=2.2, label="target"),
        Line2D([], [], color=PLAYERS_COLOUR, marker="D", lw=0, label="players (logged)"),
    ]
    ax.legend(handles=legend, loc="lower right", fontsize=7, framealpha=0.95)
    return png_bytes(fig)


def _label(name: str) -> str:
    """A task's name on at most two lines."""
    import textwrap

    lines = textwrap.wrap(name, 42)
    if len(lines) > 2:
        lines = [lines[0], textwrap.shorten(" ".join(lines[1:]), 42, placeholder="…")]
    return "\n".join(lines)
