"""Figures of the exercise pack: the area map of the briefing and the Gantt chart of the
simulated response (median and spread), drawn with matplotlib's Agg backend as PNG bytes.

Like :mod:`standby.reports.charts`, whose figure helpers they share, they read data (the
scenario's places, the pack's per-task percentiles) and never run the model.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from standby.clock import to_local
from standby.reports.charts import _draw_scale_bar, _row_chart, new_figure, png_bytes

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from standby.reports.exercise import GanttRow
    from standby.scenarios.model import Scenario

MEDIAN_COLOUR = "#1f3b63"
SPREAD_COLOUR = "#a6bddb"
TARGET_COLOUR = "#d7191c"
MARKERS = {
    "site": ("*", "black", 16),
    "receptor": ("o", "#fd8d3c", 8),
    "vulnerable": ("o", "#d7191c", 8),
    "place": ("s", "#1f78b4", 8),
    "rest_centre": ("^", "#33a02c", 10),
}
LEGEND = {
    "site": "site",
    "vulnerable": "vulnerable people",
    "receptor": "other people at risk",
    "place": "RVP, control points, TCG and SCG",
    "rest_centre": "rest centre",
}


@dataclass(frozen=True, slots=True)
class MapPoint:
    """Something on the area map, in kilometres east and north of the site."""

    kind: str
    name: str
    east_km: float
    north_km: float


def area_points(scenario: Scenario) -> list[MapPoint]:
    """The site, the places at risk, the responders' places and the rest centres."""
    from standby.simulator.geo import LocalFrame

    frame = LocalFrame(scenario.site.location.lat, scenario.site.location.lon)

    def point(kind: str, name: str, lat: float, lon: float) -> MapPoint:
        east, north = frame.to_local(lat, lon)
        return MapPoint(kind, name, east / 1000.0, north / 1000.0)

    points = [
        point("site", scenario.site.name, scenario.site.location.lat, scenario.site.location.lon)
    ]
    points += [
        point("vulnerable" if r.vulnerable else "receptor", r.name, r.location.lat, r.location.lon)
        for r in scenario.receptors
    ]
    points += [point("place", p.name, p.location.lat, p.location.lon) for p in scenario.places]
    points += [
        point("rest_centre", c.name, c.location.lat, c.location.lon) for c in scenario.rest_centres
    ]
    return points


def area_map(points: Sequence[MapPoint], title: str) -> bytes:
    """A plain map of where things are (no hazard zones): what players see at the start.

    The map spans the site, the people at risk and the rest centres; a responders' place
    further out is drawn on the map's edge in its direction, labelled with its distance.
    """
    import math

    fig = new_figure(size=(8.0, 7.0))
    ax = fig.add_axes((0.1, 0.1, 0.85, 0.82))
    near = [p for p in points if p.kind != "place"] or list(points)
    reach = max([max(abs(p.east_km), abs(p.north_km)) for p in near] + [0.5])
    limit = 1.25 * reach
    shown: set[str] = set()
    placed: list[Box] = []
    for item in points:
        marker, colour, size = MARKERS[item.kind]
        label = LEGEND[item.kind] if item.kind not in shown else None
        shown.add(item.kind)
        east, north, name = item.east_km, item.north_km, item.name
        furthest = max(abs(east), abs(north))
        if furthest > limit:
            scale = 0.97 * limit / furthest
            name = f"{name} ({math.hypot(east, north):.1f} km this way)"
            east, north = east * scale, north * scale
        ax.plot(
            [east],
            [north],
            marker=marker,
            color=colour,
            markersize=size,
            markeredgecolor="black",
            linestyle="none",
            label=label,
        )
        placed.append(_place_label(ax, name, (east, north), limit, placed))
    ax.set_xlim(-limit, limit)
    ax.set_ylim(-limit, limit)
    ax.set_aspect("equal")
    ax.grid(True, linewidth=0.3, alpha=0.5)
    ax.set_xlabel("km east of site")
    ax.set_ylabel("km north of site")
    ax.legend(loc="lower left", fontsize=7, framealpha=0.9)
    ax.annotate(
        "N",
        xy=(0.96, 0.96),
        xytext=(0.96, 0.86),
        xycoords="axes fraction",
        ha="center",
        fontsize=9,
        arrowprops={"arrowstyle": "-|>", "color": "black"},
    )
    _draw_scale_bar(ax, 2 * limit)
    ax.set_title(title, fontsize=11)
    return png_bytes(fig)


# Label boxes in axes fractions: a 7 pt character is about 1 % of the map's width.
CHAR_WIDTH, LINE_HEIGHT = 0.0098, 0.024
LABEL_OFFSETS = ((0.012, 0.006), (0.012, -0.03), (-0.012, 0.006), (-0.012, -0.03))
Box = tuple[float, float, float, float]


def _overlap(first: Box, second: Box) -> float:
    wide = min(first[2], second[2]) - max(first[0], second[0])
    high = min(first[3], second[3]) - max(first[1], second[1])
    return max(0.0, wide) * max(0.0, high)


def _place_label(
    ax: Axes, name: str, at: tuple[float, float], limit: float, placed: Sequence[Box]
) -> Box:
    """Put a point's label on the side (right, below right, left, below left) where it
    overlaps the labels already placed least and stays on the map; return its box."""
    x, y = ((value + limit) / (2 * limit) for value in at)
    width = CHAR_WIDTH * len(name)

    def box(offset: tuple[float, float]) -> Box:
        left = x + offset[0] if offset[0] > 0 else x + offset[0] - width
        return left, y + offset[1], left + width, y + offset[1] + LINE_HEIGHT

    def cost(offset: tuple[float, float]) -> float:
        candidate = box(offset)
        outside = max(0.0, candidate[2] - 1.0) + max(0.0, -candidate[0])
        outside += max(0.0, candidate[3] - 1.0) + max(0.0, -candidate[1])
        return sum(_overlap(candidate, other) for other in placed) + outside

    offset = min(LABEL_OFFSETS, key=cost)
    ax.text(
        x + offset[0],
        y + offset[1],
        name,
        transform=ax.transAxes,
        fontsize=7,
        ha="left" if offset[0] > 0 else "right",
        va="bottom",
    )
    return box(offset)


def gantt_chart(rows: Sequence[GanttRow], start: datetime, timezone: str) -> bytes:
    """Per plan task: a dark bar from median start to median end, a light bar from the 10th
    percentile start to the 90th percentile end, the target as a red tick; clock times on top."""
    shown = [row for row in rows if row.start is not None]
    fig, ax = _row_chart(len(shown))
    height = fig.get_size_inches()[1]
    fig.set_size_inches(fig.get_size_inches()[0], height + 0.35)  # room for the clock times
    box = ax.get_position()
    scale = height / (height + 0.35)
    ax.set_position((box.x0, box.y0 * scale, box.width, box.height * scale))
    for y, row in enumerate(shown):
        assert row.start is not None
        if row.end is not None:
            ax.barh(
                y, row.end[2] - row.start[0], left=row.start[0], height=0.7, color=SPREAD_COLOUR
            )
            ax.barh(
                y,
                max(row.end[1] - row.start[1], 0.5),
                left=row.start[1],
                height=0.35,
                color=MEDIAN_COLOUR,
            )
        else:
            ax.plot([row.start[1]], [y], marker=">", color=MEDIAN_COLOUR)
        if row.target_minute is not None:
            ax.plot([row.target_minute] * 2, [y - 0.42, y + 0.42], color=TARGET_COLOUR, lw=2)
    ax.set_yticks(range(len(shown)), [row.name[:45] for row in shown], fontsize=7)
    ax.invert_yaxis()
    ax.set_xlim(left=0)
    ax.set_xlabel(
        "minutes after the incident began (dark: median; light: 10th to 90th "
        "percentile; red: target)",
        fontsize=7,
    )
    ax.grid(True, axis="x", linewidth=0.3, alpha=0.5)
    top = ax.twiny()
    top.set_xlim(ax.get_xlim())
    ticks = [tick for tick in ax.get_xticks() if ax.get_xlim()[0] <= tick <= ax.get_xlim()[1]]
    top.set_xticks(ticks, [_clock(start, minute, timezone) for minute in ticks], fontsize=7)
    return png_bytes(fig)


def _clock(start: datetime, minute: float, timezone: str) -> str:
    return to_local(start + timedelta(minutes=float(minute)), timezone).strftime("%H:%M")
