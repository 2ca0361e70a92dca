"""The readiness sweep as a planner reads it: the worst slots with their reasons in words,
the single points of failure, ``sweep.csv``, ``sweep.json``, the heatmaps and one HTML page,
and the lines ``standby sweep`` prints.

Reads a :class:`~standby.simulator.sweep.Sweep`; it never runs the model. Times are local
(the scenario's zone) except where a column says UTC.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from standby.clock import iso_z, to_local
from standby.files import check_writable, csv_text, write_bytes_atomic, write_text_atomic

if TYPE_CHECKING:
    from standby.simulator.sweep import CoverGap, Sweep, WorstSlot

#: What ``standby sweep --out DIR`` holds.
FOLDER_FILES = ("sweep.csv", "sweep.json", "calendar.png", "week.png", "sweep.html")
#: The journal of finished slots while a sweep runs (removed when it is done).
JOURNAL = "sweep-progress.jsonl"


def when(instant: datetime | None, timezone: str, *, edge: str = "") -> str:
    """``25 Dec 18:00`` in local time; ``edge`` for an open end (None)."""
    if instant is None:
        return edge
    local = to_local(instant, timezone)
    return f"{local.day} {local:%b %H:%M}"


def gap_text(gap: CoverGap, timezone: str) -> str:
    """``no Duty Emergency Planning Officer on call 25 Dec 18:00 to 26 Dec 08:00``."""
    start = when(gap.start, timezone, edge="before the rota begins")
    end = when(gap.end, timezone, edge="the end of the rota")
    span = f"{start} to {end}" if gap.start is not None else f"until {end}"
    if gap.backups:
        return f"no primary {gap.rota_role} on call {span} (only {', '.join(gap.backups)})"
    return f"no {gap.rota_role} on call {span}"


def reason_text(worst: WorstSlot, timezone: str) -> str:
    """Why a slot is among the worst, in words: the rota's gaps, else the roles short, else
    the step that drove its misses."""
    runs = worst.result.runs
    parts = [gap_text(gap, timezone) for gap in worst.gaps]
    if not parts:
        parts = [
            f"{role} short in {n} of {runs} runs ({reason})" for role, reason, n in worst.shortfalls
        ][:2]
    if not parts and worst.driver is not None:
        text, n = worst.driver
        parts = [f"{text} drove {n} of the misses"]
    return "; ".join(parts) or "targets missed with the rota fully staffed"


def sweep_csv(sweep: Sweep) -> str:
    """``sweep.csv``: one row per slot, start in UTC and local time."""
    header = ["slot", "start_utc", "start_local", "runs", "all_targets_met_pct", "targets_met_pct"]
    for target in sweep.targets:
        header += [f"{target.task}_met_pct", f"{target.task}_median_minute"]
    header += ["unfilled_roles", "drove_most_misses"]
    count = len(sweep.targets)
    rows = []
    for result in sweep.slots:
        start = sweep.slot_start(result)
        row: list[object] = [
            result.slot,
            iso_z(start),
            to_local(start, sweep.timezone).strftime("%Y-%m-%d %H:%M %Z"),
            result.runs,
            _pct(result.all_met, result.runs),
            f"{100.0 * result.readiness(count):.1f}",
        ]
        for met, median in zip(result.met, result.medians, strict=True):
            row += [_pct(met, result.runs), "" if median is None else f"{median:g}"]
        row.append("; ".join(f"{role} ({n})" for role, _why, n in result.unfilled))
        row.append(f"{result.drivers[0][0]} ({result.drivers[0][1]})" if result.drivers else "")
        rows.append(row)
    return csv_text(header, rows)


def _pct(part: int, whole: int) -> str:
    return f"{100.0 * part / whole:.1f}"


def sweep_json(sweep: Sweep) -> dict[str, Any]:
    """``sweep.json``: the settings, the headline figures, the worst slots with their reasons
    and the single points of failure (the per-slot figures are in ``sweep.csv``)."""
    tz = sweep.timezone
    return {
        "scenario": sweep.scenario,
        "rota": sweep.rota,
        "from": iso_z(sweep.start),
        "to": iso_z(sweep.end),
        "every_minutes": sweep.every.total_seconds() / 60.0,
        "slots": len(sweep.slots),
        "runs_per_slot": sweep.runs_per_slot,
        "seed": sweep.seed,
        "readiness_pct": round(sweep.readiness_pct, 2),
        "all_targets_met_pct": round(sweep.all_met_pct, 2),
        "worst": [
            {
                "start": iso_z(w.start),
                "start_local": to_local(w.start, tz).strftime("%Y-%m-%d %H:%M %Z"),
                "readiness_pct": round(100.0 * w.readiness, 2),
                "all_targets_met": w.result.all_met,
                "runs": w.result.runs,
                "reason": reason_text(w, tz),
                "gaps": [
                    {
                        "rota_role": g.rota_role,
                        "start": None if g.start is None else iso_z(g.start),
                        "end": None if g.end is None else iso_z(g.end),
                        "backups": list(g.backups),
                    }
                    for g in w.gaps
                ],
            }
            for w in sweep.worst
        ],
        "single_points_of_failure": [
            {
                "person": p.person,
                "name": p.name,
                "slots_on_call": p.slots_on_call,
                "slots_sampled": p.sampled,
                "readiness_change_points": round(p.change_points, 2),
            }
            for p in sweep.single_points
        ],
    }


def render_page(sweep: Sweep, calendar: bytes, week: bytes) -> str:
    """The sweep as one self-contained HTML page."""
    from standby.reports.render import render_template

    tz = sweep.timezone
    worst = [
        {
            "start": to_local(w.start, tz).strftime("%a %d %b %Y %H:%M %Z"),
            "readiness": 100.0 * w.readiness,
            "all_met": w.result.all_met,
            "runs": w.result.runs,
            "reason": reason_text(w, tz),
        }
        for w in sweep.worst
    ]
    return render_template(
        "sweep_report.html.j2",
        sweep=sweep,
        window=tuple(
            f"{local.day} {local:%b %Y %H:%M}"
            for local in (to_local(sweep.start, tz), to_local(sweep.end, tz))
        ),
        worst=worst,
        charts={"calendar": calendar, "week": week},
    )


def write_folder(sweep: Sweep, folder: Path, *, force: bool = False) -> list[Path]:
    """``sweep.csv``, ``sweep.json``, both heatmaps and ``sweep.html`` into ``folder``."""
    from standby.reports.heatmaps import calendar_heatmap, week_heatmap

    for name in FOLDER_FILES:
        check_writable(folder / name, force=force)
    calendar, week = calendar_heatmap(sweep), week_heatmap(sweep)
    data = json.dumps(sweep_json(sweep), indent=2, ensure_ascii=False) + "\n"
    return [
        write_text_atomic(folder / "sweep.csv", sweep_csv(sweep), force=force),
        write_text_atomic(folder / "sweep.json", data, force=force),
        write_bytes_atomic(folder / "calendar.png", calendar, force=force),
        write_bytes_atomic(folder / "week.png", week, force=force),
        write_text_atomic(folder / "sweep.html", render_page(sweep, calendar, week), force=force),
    ]


def _runs(count: int) -> str:
    return f"{count} run{'s' if count > 1 else ''}"


def sweep_renderables(sweep: Sweep, *, worst: int = 10, people: int = 5) -> list[Any]:
    """What ``standby sweep`` prints: the headline, the worst slots, the single points."""
    from rich.table import Table

    from standby.reports.plain import cell, markup

    tz = sweep.timezone
    out: list[Any] = [
        f"[bold]{markup(sweep.title)}[/bold]\nReadiness sweep {when(sweep.start, tz)} to "
        f"{when(sweep.end, tz)} ({len(sweep.slots)} slots every "
        f"{sweep.every.total_seconds() / 3600:g} h, {_runs(sweep.runs_per_slot)} each, "
        f"seed {sweep.seed}), rota {markup(sweep.rota or '-')}",
        f"Targets met: {sweep.readiness_pct:.1f} % over the window; every target met in "
        f"{sweep.all_met_pct:.1f} % of runs",
    ]
    table = Table(title=f"The {min(worst, len(sweep.worst))} worst slots (local time)")
    for column in ("start", "targets met", "why"):
        table.add_column(column, no_wrap=column == "start")
    for item in sweep.worst[:worst]:
        table.add_row(
            to_local(item.start, tz).strftime("%a %d %b %H:%M"),
            f"{100.0 * item.readiness:.0f} %",
            cell(reason_text(item, tz)),
        )
    out.append(table)
    if sweep.single_points:
        spof = Table(title="Single points of failure: readiness if they were unavailable")
        for column in ("person", "on call in", "change (points)"):
            spof.add_column(column, justify="left" if column == "person" else "right")
        for effect in sweep.single_points[:people]:
            spof.add_row(
                cell(effect.name),
                f"{effect.slots_on_call} slots",
                f"{effect.change_points:+.1f}",
            )
        out.append(spof)
    return out
