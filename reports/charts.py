"""Figures for reports, one function per chart, drawn with matplotlib's Agg backend.

Charts read result objects (grids, zones, receptor exposures); they never run a model.
matplotlib is imported inside each function so that importing this module stays cheap.
Figures are built with ``matplotlib.figure.Figure`` (no pyplot state), written to a temporary
file next to the target and moved into place, so a reader never sees half a PNG.

Maps are drawn in kilometres east and north of the site, with no background tiles (nothing is
fetched from the internet); every plume map carries the model's limits and warnings.
"""

from __future__ import annotations

import io
import math
import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from standby.simulator.hazard import (
        ChemetArea,
        ConcentrationGrid,
        ConfidenceSector,
        ReceptorExposure,
        ThreatZones,
    )
    from standby.simulator.maps import HazardMaps
    from standby.simulator.sensitivity import Measure, SensitivityStudy
    from standby.simulator.summary import RunsSummary

# ALOHA's threat-zone colours: red, orange, yellow
ZONE_COLOURS = {"AEGL-3": "#d7191c", "AEGL-2": "#fd8d3c", "AEGL-1": "#fed976"}
NO_ZONE_COLOUR = "#4d4d4d"


def plume_map(
    grid: ConcentrationGrid,
    zones: ThreatZones,
    path: str | Path,
    receptors: Sequence[ReceptorExposure] = (),
    site_label: str = "Site",
    *,
    force: bool = False,
) -> Path:
    """AEGL-1/2/3 areas over the map, the site, receptors coloured by zone, wind, scale, limits.

    An existing ``path`` is replaced only when ``force`` is true.
    """
    return _save(_plume_figure(grid, zones, receptors, site_label), path, force=force)


def plume_map_png(maps: HazardMaps) -> bytes:
    """The plume map of :func:`plume_map` as PNG bytes (for pages that inline it)."""
    return png_bytes(_plume_figure(maps.grid, maps.zones, maps.receptors, maps.site))


def _plume_figure(
    grid: ConcentrationGrid,
    zones: ThreatZones,
    receptors: Sequence[ReceptorExposure],
    site_label: str,
) -> Figure:
    import numpy as np

    fig = new_figure()
    ax = fig.add_axes((0.09, 0.25, 0.86, 0.68))
    east_km, north_km = grid.east_m / 1000.0, grid.north_m / 1000.0
    thresholds = [
        (z.level, z.threshold_ppm) for z in reversed(zones.zones) if z.threshold_ppm is not None
    ]
    peak = float(np.nanmax(grid.ppm))
    for level, ppm in thresholds:  # AEGL-1 first, so the more severe zones are drawn on top
        if peak >= ppm:
            ax.contourf(
                east_km,
                north_km,
                grid.ppm,
                levels=[ppm, max(peak, ppm) * 1.01 + 1e-12],
                colors=[ZONE_COLOURS[level]],
                alpha=0.75,
            )
    _draw_near_field(ax)
    _draw_site_and_receptors(ax, receptors, site_label, by_zone=True)
    handles = _zone_legend_handles(zones)
    ax.legend(handles=handles, loc="upper left", fontsize=8, framealpha=0.9)
    _draw_wind_arrow(ax, zones.wind_from_deg, zones.wind_speed_ms, zones.stability)
    _draw_scale_bar(ax, float(east_km[-1] - east_km[0]))
    _finish_map(ax, east_km, north_km)
    ax.set_title(
        f"{zones.substance_name}: AEGL threat zones ({zones.aegl_duration_min} min values)",
        fontsize=11,
    )
    _draw_limits(fig, [*zones.limits, *zones.warnings])
    return fig


def chemet_map(
    area: ChemetArea,
    path: str | Path,
    receptors: Sequence[ReceptorExposure] = (),
    site_label: str = "Site",
    *,
    force: bool = False,
) -> Path:
    """A CHEMET-style exercise map: the area the plume may cover, no concentrations.

    An existing ``path`` is replaced only when ``force`` is true.
    """
    from matplotlib.patches import Circle, Wedge

    fig = new_figure()
    ax = fig.add_axes((0.09, 0.25, 0.86, 0.68))
    radius_km = area.radius_m / 1000.0
    style: dict[str, Any] = {"facecolor": "#9ecae1", "edgecolor": "#08519c", "alpha": 0.6}
    if area.half_angle_deg >= 180.0:
        ax.add_patch(Circle((0.0, 0.0), radius_km, **style))
    else:
        downwind = (area.wind_from_deg + 180.0) % 360.0
        theta1 = 90.0 - (downwind + area.half_angle_deg)
        theta2 = 90.0 - (downwind - area.half_angle_deg)
        ax.add_patch(Wedge((0.0, 0.0), radius_km, theta1, theta2, **style))
        ax.add_patch(Circle((0.0, 0.0), min(0.5, radius_km), **style))
    _draw_site_and_receptors(ax, receptors, site_label, by_zone=False, area=area)
    _draw_wind_arrow(ax, area.wind_from_deg, None, None)
    span = 2.2 * radius_km
    _draw_scale_bar(ax, span)
    axis = [-1.1 * radius_km, 1.1 * radius_km]
    _finish_map(ax, axis, axis)
    issued = "" if area.issued_minute is None else f", issued at minute {area.issued_minute:g}"
    ax.set_title(f"CHEMET-style area at risk (exercise){issued}", fontsize=11)
    _draw_limits(fig, area.notes)
    return _save(fig, path, force=force)


def sector_map(
    sector: ConfidenceSector,
    maps: HazardMaps,
    path: str | Path,
    notes: Sequence[str] = (),
    *,
    force: bool = False,
) -> Path:
    """The confidence sector: the share of runs whose AEGL-2 footprint reaches each cell,
    with the single deterministic AEGL-2 zone outlined for comparison."""
    import numpy as np
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    fig = new_figure()
    ax = fig.add_axes((0.09, 0.25, 0.78, 0.68))
    east_km, north_km = sector.east_m / 1000.0, sector.north_m / 1000.0
    levels = [0.005, 0.1, 0.25, 0.5, 0.75, 0.9, 1.0001]
    shares = np.where(sector.share > 0.0, sector.share, np.nan)
    filled = ax.contourf(east_km, north_km, shares, levels=levels, cmap="Oranges", alpha=0.85)
    colour_bar = fig.colorbar(filled, ax=ax, fraction=0.04, pad=0.02)
    colour_bar.set_label("share of runs with AEGL-2 or worse", fontsize=8)
    aegl2 = maps.zones.zone("AEGL-2").threshold_ppm
    handles: list[Any] = [Patch(facecolor="#fd8d3c", label="AEGL-2 in some runs (share)")]
    grid = maps.grid
    if aegl2 is not None and float(np.nanmax(grid.ppm)) >= aegl2:
        ax.contour(
            grid.east_m / 1000.0,
            grid.north_m / 1000.0,
            np.nan_to_num(grid.ppm),
            levels=[aegl2],
            colors=["black"],
            linewidths=1.2,
        )
        handles.append(Line2D([0], [0], color="black", label="AEGL-2, scenario's own weather"))
    _draw_near_field(ax)
    _draw_site_and_receptors(ax, maps.receptors, maps.site, by_zone=False)
    ax.legend(handles=handles, loc="upper left", fontsize=8, framealpha=0.9)
    _draw_scale_bar(ax, float(east_km[-1] - east_km[0]))
    _finish_map(ax, east_km, north_km)
    ax.set_title(
        f"{maps.zones.substance_name}: confidence sector over {sector.runs} runs "
        f"({maps.zones.aegl_duration_min} min AEGL-2 at the planned duration)",
        fontsize=10,
    )
    _draw_limits(fig, [*notes, *maps.zones.limits])
    return _save(fig, path, force=force)


def hazard_maps(maps: HazardMaps, directory: Path, *, force: bool = False) -> list[Path]:
    """Write ``plume-map.png`` and ``chemet-map.png`` into ``directory``.

    Existing maps are replaced only when ``force`` is true.
    """
    return [
        plume_map(
            maps.grid,
            maps.zones,
            directory / "plume-map.png",
            maps.receptors,
            maps.site,
            force=force,
        ),
        chemet_map(
            maps.chemet, directory / "chemet-map.png", maps.receptors, maps.site, force=force
        ),
    ]


def targets_chart(summary: RunsSummary) -> bytes:
    """Bar per plan target: the share of runs that met it, with its 95 % interval (PNG)."""
    rows = [t for t in summary.tasks if t.met_pct is not None]
    fig, ax = _row_chart(len(rows))
    labels = [f"{t.name[:45]} (<= {t.target_minute:g} min)" for t in rows]
    values = [t.met_pct or 0.0 for t in rows]
    intervals = [t.met_interval_pct or (0.0, 0.0) for t in rows]
    errors = [
        [max(0.0, v - low) for v, (low, _high) in zip(values, intervals, strict=True)],
        [max(0.0, high - v) for v, (_low, high) in zip(values, intervals, strict=True)],
    ]
    colours = ["#1a9641" if v >= 90 else "#fdae61" if v >= 50 else "#d7191c" for v in values]
    ax.barh(range(len(rows)), values, color=colours, xerr=errors, ecolor="#333333", capsize=2)
    ax.set_yticks(range(len(rows)), labels, fontsize=7)
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel(f"runs in which the target was met (%), of {summary.runs}; lines: 95 % interval")
    for y, value in enumerate(values):
        ax.text(min(value + 1, 88), y, f"{value:.0f} %", va="center", fontsize=7)
    return png_bytes(fig)


def end_times_chart(summary: RunsSummary) -> bytes:
    """Spread of each task's finishing minute over the runs, with its target (PNG bytes).

    Boxes are the middle half of the runs (25th to 75th percentile) with the median; the
    whiskers reach the 10th and 90th percentiles.
    """
    rows = [t for t in summary.tasks if t.median_end is not None]
    fig, ax = _row_chart(len(rows))
    stats: list[dict[str, Any]] = [
        {
            "med": t.median_end,
            "q1": t.p25_end,
            "q3": t.p75_end,
            "whislo": t.p10_end,
            "whishi": t.p90_end,
            "fliers": [],
        }
        for t in rows
    ]
    if stats:
        ax.bxp(stats, orientation="horizontal", widths=0.6, showfliers=False)
    for y, task in enumerate(rows, start=1):
        if task.target_minute is not None:
            ax.plot([task.target_minute] * 2, [y - 0.4, y + 0.4], color="#d7191c", lw=2)
    ax.set_yticks(range(1, len(rows) + 1), [t.name[:45] for t in rows], fontsize=7)
    ax.invert_yaxis()
    ax.set_xlabel(
        "minutes after the incident began: box 25th-75th percentile, whiskers "
        "10th-90th (red: target)"
    )
    return png_bytes(fig)


def tornado_chart(study: SensitivityStudy) -> bytes:
    """Each assumption's effect on the chance that every target is met, and on the share of
    targets met: a bar to each side for the assumption scaled down and up (PNG bytes)."""
    rows = study.ranked()
    height = 0.32 * max(len(rows), 1) + 1.3
    fig = new_figure(size=(9.0, height))
    bottom, top = 0.75 / height, 1 - 0.45 / height
    panels: list[tuple[Axes, Measure, str]] = [
        (fig.add_axes((0.34, bottom, 0.3, top - bottom)), "all_met", "P(all targets met)"),
        (fig.add_axes((0.68, bottom, 0.3, top - bottom)), "targets_met", "targets met"),
    ]
    names = [a.label for a in rows]
    for number, (ax, measure, title) in enumerate(panels):
        low = [a.change(measure, "down") for a in rows]
        high = [a.change(measure, "up") for a in rows]
        ys = range(len(rows))
        ax.barh(ys, low, color="#2b83ba", label=f"x{1 / study.factor:.2g}")
        ax.barh(ys, high, color="#d7191c", alpha=0.8, label=f"x{study.factor:g}")
        ax.axvline(0.0, color="black", lw=0.8)
        ax.set_yticks(list(ys), names if number == 0 else [""] * len(rows), fontsize=7)
        ax.invert_yaxis()
        ax.set_title(f"change in {title} (points)", fontsize=8)
        ax.tick_params(axis="x", labelsize=7)
        span = max([abs(v) for v in low + high] + [0.5])
        ax.set_xlim(-1.15 * span, 1.15 * span)
        if number == 1:
            ax.legend(fontsize=7, loc="lower right")
    fig.text(
        0.02,
        0.02,
        f"Base: every target met in {study.base.all_met_pct:.1f} % of {study.runs} runs; "
        f"{study.base.targets_met_pct:.1f} % of targets met. Each assumption scaled by "
        f"{study.factor:g} and 1/{study.factor:g}, one at a time, same random numbers.",
        fontsize=7,
    )
    return png_bytes(fig)


# --- pieces ------------------------------------------------------------------------------


def new_figure(size: tuple[float, float] = (8.0, 9.0)) -> Figure:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    return Figure(figsize=size, dpi=110)


def _row_chart(rows: int) -> tuple[Figure, Axes]:
    """A wide figure with one labelled row per item: 0.3 inch a row, fixed margins."""
    height = 0.3 * max(rows, 1) + 0.9
    fig = new_figure(size=(8.0, height))
    bottom, top = 0.6 / height, 1 - 0.15 / height
    return fig, fig.add_axes((0.42, bottom, 0.54, top - bottom))


def _zone_legend_handles(zones: ThreatZones) -> list[Any]:
    from matplotlib.patches import Patch

    handles = []
    for zone in zones.zones:
        if zone.threshold_ppm is None:
            label = f"{zone.level}: not set"
        else:
            label = f"{zone.level} >= {zone.threshold_ppm:g} ppm ({zone.downwind_m / 1000:.1f} km)"
        handles.append(Patch(facecolor=ZONE_COLOURS[zone.level], label=label))
    return handles


def _draw_site_and_receptors(
    ax: Axes,
    receptors: Sequence[ReceptorExposure],
    site_label: str,
    *,
    by_zone: bool,
    area: ChemetArea | None = None,
) -> None:
    ax.plot([0.0], [0.0], marker="*", markersize=16, color="black", linestyle="none")
    ax.annotate(site_label, (0.0, 0.0), xytext=(6, -12), textcoords="offset points", fontsize=8)
    for receptor in receptors:
        x, y = receptor.east_m / 1000.0, receptor.north_m / 1000.0
        if by_zone:
            colour = ZONE_COLOURS.get(receptor.zone or "", NO_ZONE_COLOUR)
        else:
            inside = area is not None and area.contains(receptor.east_m, receptor.north_m)
            colour = "#08519c" if inside else NO_ZONE_COLOUR
        ax.plot([x], [y], marker="o", markersize=8, color=colour, markeredgecolor="black")
        zone = f" ({receptor.zone})" if by_zone and receptor.zone else ""
        ax.annotate(
            f"{receptor.name or receptor.receptor_id}{zone}",
            (x, y),
            xytext=(6, 4),
            textcoords="offset points",
            fontsize=7,
        )


def _draw_near_field(ax: Axes) -> None:
    """The blank disc where the model reports nothing (within 100 m of the source)."""
    from matplotlib.patches import Circle

    ax.add_patch(
        Circle((0.0, 0.0), 0.1, facecolor="white", edgecolor="#4d4d4d", linestyle=":", zorder=3)
    )
    ax.annotate(
        "no results within 100 m",
        (0.0, 0.1),
        xytext=(0, 4),
        textcoords="offset points",
        fontsize=6,
        ha="center",
        color="#4d4d4d",
    )


def _draw_wind_arrow(
    ax: Axes, wind_from_deg: float, speed_ms: float | None, stability: str | None
) -> None:
    towards = math.radians(wind_from_deg + 180.0)
    dx, dy = 0.08 * math.sin(towards), 0.08 * math.cos(towards)
    centre = (0.9, 0.88)
    ax.annotate(
        "",
        xy=(centre[0] + dx / 2, centre[1] + dy / 2),
        xytext=(centre[0] - dx / 2, centre[1] - dy / 2),
        xycoords="axes fraction",
        arrowprops={"arrowstyle": "-|>", "lw": 2, "color": "black"},
    )
    label = f"wind from {wind_from_deg:g}°"
    if speed_ms is not None:
        label += f"\n{speed_ms:g} m/s"
    if stability is not None:
        label += f", class {stability}"
    ax.text(centre[0], centre[1] - 0.08, label, transform=ax.transAxes, ha="center", fontsize=7)


def _draw_scale_bar(ax: Axes, span_km: float) -> None:
    from mpl_toolkits.axes_grid1.anchored_artists import AnchoredSizeBar

    length = _nice_length(span_km / 5.0)
    label = f"{length:g} km" if length >= 1 else f"{length * 1000:g} m"
    bar = AnchoredSizeBar(
        ax.transData,
        length,
        label,
        "lower right",
        pad=0.5,
        frameon=True,
        size_vertical=0,
        fontproperties={"size": 8},
    )
    ax.add_artist(bar)


def _nice_length(target: float) -> float:
    exponent = math.floor(math.log10(target))
    for step in (5.0, 2.0, 1.0):
        if step * 10**exponent <= target:
            return float(step * 10**exponent)
    return float(10**exponent)


def _finish_map(ax: Axes, east_km: Any, north_km: Any) -> None:
    ax.set_xlim(float(east_km[0]), float(east_km[-1]))
    ax.set_ylim(float(north_km[0]), float(north_km[-1]))
    ax.set_aspect("equal")
    ax.set_xlabel("km east of site")
    ax.set_ylabel("km north of site")
    ax.grid(True, linewidth=0.3, alpha=0.5)


def _draw_limits(fig: Figure, lines: Sequence[str]) -> None:
    text = "\n".join(textwrap.fill(line, 110) for line in lines)
    fig.text(0.04, 0.02, text, fontsize=7, va="bottom", ha="left", wrap=True)


def _save(fig: Figure, path: str | Path, *, force: bool) -> Path:
    """Write the PNG atomically through ``standby.files`` (replacing only when forced)."""
    from standby.files import write_bytes_atomic

    return write_bytes_atomic(Path(path), png_bytes(fig), force=force)


def png_bytes(fig: Figure) -> bytes:
    """The figure as PNG bytes (light compression: these are flat-coloured charts, and
    the default level takes longer for files barely smaller)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", pil_kwargs={"compress_level": 1})
    return buffer.getvalue()
