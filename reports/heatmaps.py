"""The readiness sweep's heatmaps: the whole window on one A4 page, and the week's pattern.

Both read a :class:`~standby.simulator.sweep.Sweep` and colour each local hour by its
readiness (the share of targets met); they never run the model. Hours are local wall-clock
hours: on the autumn clock-change day two slots fall in the repeated hour and are averaged,
on the spring day one hour has none and stays blank.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from standby.clock import to_local
from standby.reports.charts import new_figure, png_bytes

if TYPE_CHECKING:
    from standby.simulator.sweep import Sweep

DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
A4_PORTRAIT = (8.27, 11.69)


def local_hours(sweep: Sweep) -> dict[tuple[date, int], float]:
    """Mean readiness (percent) of the slots in each local (date, hour)."""
    cells: dict[tuple[date, int], list[float]] = defaultdict(list)
    count = len(sweep.targets)
    for result in sweep.slots:
        local = to_local(sweep.slot_start(result), sweep.timezone)
        cells[(local.date(), local.hour)].append(100.0 * result.readiness(count))
    return {key: sum(values) / len(values) for key, values in cells.items()}


def _colour_range(values: list[float]) -> tuple[float, float]:
    """Whole tens around the values, so that small differences still show."""
    low = min(values, default=0.0)
    high = max(values, default=100.0)
    low = 10.0 * (low // 10.0)
    high = min(100.0, 10.0 * -(-high // 10.0))
    return (low, high) if high > low else (max(0.0, low - 10.0), min(100.0, high + 10.0))


def calendar_heatmap(sweep: Sweep) -> bytes:
    """Weeks across, days and hours down, on one A4 page (PNG bytes)."""
    import numpy as np

    hours = local_hours(sweep)
    first = min(day for day, _hour in hours)
    last = max(day for day, _hour in hours)
    monday = first - timedelta(days=first.weekday())
    weeks = (last - monday).days // 7 + 1
    grid = np.full((7 * 24, weeks), np.nan)
    for (day, hour), value in hours.items():
        grid[day.weekday() * 24 + hour, (day - monday).days // 7] = value
    low, high = _colour_range(list(hours.values()))
    fig = new_figure(size=A4_PORTRAIT)
    ax = fig.add_axes((0.1, 0.1, 0.78, 0.83))
    image = ax.imshow(
        grid, aspect="auto", cmap="RdYlGn", vmin=low, vmax=high, interpolation="nearest"
    )
    for boundary in range(1, 7):
        ax.axhline(boundary * 24 - 0.5, color="white", lw=1.2)
    ax.set_yticks(
        [d * 24 + h for d in range(7) for h in (0, 6, 12, 18)],
        [f"{DAYS[d]} {h:02d}" if h == 0 else f"{h:02d}" for d in range(7) for h in (0, 6, 12, 18)],
        fontsize=6,
    )
    step = max(1, weeks // 13)
    ticks = list(range(0, weeks, step))
    labels = [f"{(monday + timedelta(weeks=w)):%d %b}" for w in ticks]
    ax.set_xticks(ticks, labels, fontsize=6, rotation=90)
    ax.set_xlabel("week beginning (Monday, local time)", fontsize=8)
    colourbar = fig.colorbar(image, ax=ax, fraction=0.04, pad=0.02)
    colourbar.set_label("targets met (%)", fontsize=8)
    colourbar.ax.tick_params(labelsize=7)
    ax.set_title(
        f"{sweep.title}\nreadiness from {first:%d %b %Y} to {last:%d %b %Y}: share of targets "
        f"met, {sweep.runs_per_slot} run{'s' if sweep.runs_per_slot > 1 else ''} a slot, "
        "by local hour",
        fontsize=9,
    )
    fig.text(
        0.1,
        0.03,
        "Each cell is one local hour; red cells are the hours in which an incident would find "
        "the response least ready. Blank: no slot (outside the window, or the hour skipped "
        "by the spring clock change).",
        fontsize=7,
        wrap=True,
    )
    return png_bytes(fig)


def week_heatmap(sweep: Sweep) -> bytes:
    """Day of the week down, hour across: the mean readiness over the window (PNG bytes)."""
    import numpy as np

    sums = np.zeros((7, 24))
    counts = np.zeros((7, 24))
    for (day, hour), value in local_hours(sweep).items():
        sums[day.weekday(), hour] += value
        counts[day.weekday(), hour] += 1
    with np.errstate(invalid="ignore"):
        grid = np.where(counts > 0, sums / np.maximum(counts, 1), np.nan)
    values: list[Any] = [float(v) for v in grid[~np.isnan(grid)]]
    low, high = _colour_range(values)
    fig = new_figure(size=(8.27, 3.6))
    ax = fig.add_axes((0.07, 0.18, 0.84, 0.68))
    image = ax.imshow(grid, aspect="auto", cmap="RdYlGn", vmin=low, vmax=high)
    for d in range(7):
        for h in range(24):
            if counts[d, h]:
                ax.text(h, d, f"{grid[d, h]:.0f}", ha="center", va="center", fontsize=5)
    ax.set_yticks(range(7), DAYS, fontsize=7)
    ax.set_xticks(range(24), [f"{h:02d}" for h in range(24)], fontsize=6)
    ax.set_xlabel("local hour the incident starts", fontsize=8)
    colourbar = fig.colorbar(image, ax=ax, fraction=0.03, pad=0.02)
    colourbar.set_label("targets met (%)", fontsize=7)
    colourbar.ax.tick_params(labelsize=6)
    ax.set_title("Readiness by day of the week and hour (mean over the window)", fontsize=9)
    return png_bytes(fig)
