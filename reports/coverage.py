"""A rota check for people: text tables (rich), JSON, a CSV of gaps and a self-contained HTML page.

Each function reads a :class:`~rota.coverage.CoverageReport` and never runs the check. Times
are shown in the rota's local time; JSON and the CSV's ``*_utc`` columns keep UTC. The HTML
page (``templates/rota_check.html.j2``) carries its CSS inline and draws one calendar heatmap
per role as inline SVG (local days down, hours across, shaded by the uncovered share of each
hour), so it opens from a file with no network. ``rich`` and ``jinja2`` are imported inside
the functions.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from standby.clock import iso_local, iso_z
from standby.files import csv_text
from standby.reports.render import local_text, minutes_text, render_template
from standby.rota.clock import to_local, window_intervals
from standby.rota.coverage import CoverageReport, Gap, RoleCoverage
from standby.rota.model import FINDING_KINDS, WEEKDAYS

#: ``rota check --format`` choices that are text (``text`` is rich tables, see
#: :func:`text_renderables`).
FORMATS = ("json", "csv", "html")

TEXT_LIMIT = 20


def render(report: CoverageReport, output_format: str) -> str:
    """The report as JSON, a CSV of gaps or an HTML page (one of :data:`FORMATS`)."""
    if output_format == "json":
        return json.dumps(report.to_json_dict(), indent=2) + "\n"
    if output_format == "csv":
        return gaps_csv(report)
    if output_format == "html":
        return render_html(report)
    raise ValueError(f"no text rendering for format {output_format!r}; use one of {FORMATS}")


def role_label(role: RoleCoverage) -> str:
    """The role with its qualification and window, as shown in tables.

    ``Social Care Emergency Duty Team (mon-thu 17:00-08:45)``: a role with several windowed
    requirements must be told apart in every table.
    """
    parts = [role.qualification] if role.qualification else []
    if role.when is not None:
        parts.append(f"{_days_text(role.when.days)} {role.when.start:%H:%M}-{role.when.end:%H:%M}")
    return f"{role.role} ({', '.join(parts)})" if parts else role.role


def _days_text(days: tuple[str, ...]) -> str:
    """``mon-thu`` for a run of consecutive weekdays, else a comma list."""
    order = [day for day in WEEKDAYS if day in days]
    extra = [day for day in days if day not in WEEKDAYS]
    indices = [WEEKDAYS.index(day) for day in order]
    if len(indices) > 2 and indices == list(range(indices[0], indices[-1] + 1)):
        text = f"{order[0]}-{order[-1]}"
    else:
        text = ",".join(order)
    return ",".join(part for part in (text, *extra) if part)


def text_renderables(report: CoverageReport, now: datetime | None = None) -> list[Any]:
    """rich renderables: the coverage table, gaps per role, findings and fairness."""
    from rich.table import Table

    now = now or datetime.now(UTC)
    tz = report.timezone
    title = (
        f"Coverage {local_text(report.start, tz)} to {local_text(report.end, tz)} "
        f"({'all requirements met' if report.all_met else 'GAPS FOUND'})"
    )
    summary = Table(title=title)
    summary.add_column("role", min_width=16, ratio=1)
    for column in ("min", "cover %", "gaps", "gap min", "longest", "next gap (local)"):
        summary.add_column(column, no_wrap=column == "cover %")
    for role in report.roles:
        longest = role.longest_gap
        upcoming = role.next_gap(max(now, report.start))
        summary.add_row(
            role_label(role),
            str(role.required),
            f"{role.coverage_pct:.2f}",
            str(len(role.gaps)),
            minutes_text(role.gap_minutes),
            minutes_text(longest.minutes) if longest else "-",
            local_text(upcoming.start, tz) if upcoming else "-",
        )
    out: list[Any] = [summary]
    for role in report.roles:
        if role.gaps:
            out.append(_gap_table(role, tz))
    if report.findings:
        counts = Counter(finding.kind for finding in report.findings)
        listed = ", ".join(f"{counts[kind]} {kind}" for kind in FINDING_KINDS if counts[kind])
        out.append(f"\nFindings: {listed}. Times local; most urgent kinds first:")
        ordered = sorted(report.findings, key=lambda f: (FINDING_KINDS.index(f.kind), f.start))
        for finding in ordered[:TEXT_LIMIT]:
            out.append(
                f"  {finding.kind}  {finding.person}  {local_text(finding.start, tz)} to "
                f"{local_text(finding.end, tz)}\n      {finding.detail}"
            )
        if len(report.findings) > TEXT_LIMIT:
            out.append(f"  ... and {len(report.findings) - TEXT_LIMIT} more (--format json)")
    else:
        out.append("No findings.")
    return out


def _gap_table(role: RoleCoverage, timezone: str) -> Any:
    from rich.table import Table

    table = Table(title=f"Gaps: {role_label(role)} ({len(role.gaps)})")
    for column in ("from", "to", "minutes", "on call", "shortfall"):
        table.add_column(column, no_wrap=True)
    for gap in role.gaps[:TEXT_LIMIT]:
        table.add_row(
            local_text(gap.start, timezone),
            local_text(gap.end, timezone),
            minutes_text(gap.minutes),
            str(gap.on_call),
            str(gap.shortfall),
        )
    if len(role.gaps) > TEXT_LIMIT:
        table.caption = f"first {TEXT_LIMIT} of {len(role.gaps)}; --format csv lists them all"
    return table


def gaps_csv(report: CoverageReport) -> str:
    """Every gap as a CSV row, times in UTC and local, cells safe for spreadsheets."""
    header = (
        "role",
        "qualification",
        "required",
        "on_call",
        "shortfall",
        "start_utc",
        "end_utc",
        "start_local",
        "end_local",
        "minutes",
    )
    rows = [
        (
            role.role,
            role.qualification or "",
            role.required,
            gap.on_call,
            gap.shortfall,
            iso_z(gap.start),
            iso_z(gap.end),
            iso_local(gap.start, report.timezone),
            iso_local(gap.end, report.timezone),
            repr(gap.minutes),
        )
        for role in report.roles
        for gap in role.gaps
    ]
    return csv_text(header, rows)


# ------------------------------------------------------------------------------ HTML


@dataclass(frozen=True, slots=True)
class _Cell:
    row: int
    hour: int
    share: float
    label: str


@dataclass(frozen=True, slots=True)
class _Heatmap:
    days: list[date]
    cells: list[_Cell]
    required: list[tuple[int, int]] | None  # (row, hour) where the requirement applies
    width: int
    height: int


CELL_W, CELL_H, LABEL_W, HEAD_H = 16, 10, 78, 14


def heatmap(role: RoleCoverage, report: CoverageReport) -> _Heatmap:
    """Uncovered seconds per local (day, hour) of the window, for one role."""
    tz = report.timezone
    first = to_local(report.start, tz).date()
    last = to_local(report.end - timedelta(microseconds=1), tz).date()
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    uncovered: dict[tuple[int, int], float] = defaultdict(float)
    for gap in role.gaps:
        _spread(gap.start, gap.end, tz, first, uncovered)
    required = None
    if role.when is not None:
        applies: dict[tuple[int, int], float] = defaultdict(float)
        intervals = window_intervals(role.when, report.start, report.end, tz, region=report.region)
        for start, end in intervals:
            _spread(start, end, tz, first, applies)
        required = sorted(applies)
    cells = [
        _Cell(
            row,
            hour,
            min(seconds / 3600.0, 1.0),
            f"{days[row]:%a %d %b} {hour:02d}:00: {minutes_text(seconds / 60)} min uncovered",
        )
        for (row, hour), seconds in sorted(uncovered.items())
    ]
    return _Heatmap(
        days,
        cells,
        required,
        LABEL_W + 24 * CELL_W + 2,
        HEAD_H + len(days) * CELL_H + 2,
    )


def _spread(
    start: datetime,
    end: datetime,
    timezone: str,
    first: date,
    seconds: dict[tuple[int, int], float],
) -> None:
    """Add the seconds of ``[start, end)`` to the local (day row, hour) cells they fall in."""
    cursor = start
    while cursor < end:
        # UK (and most) offsets are whole hours, so UTC hour boundaries are local ones.
        boundary = cursor.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
        piece_end = min(boundary, end)
        local = to_local(cursor, timezone)
        seconds[((local.date() - first).days, local.hour)] += (piece_end - cursor).total_seconds()
        cursor = piece_end


def render_html(report: CoverageReport) -> str:
    """The whole report as one self-contained HTML page (autoescaped)."""
    tz = report.timezone
    roles = []
    for role in report.roles:
        longest = role.longest_gap
        roles.append(
            {
                "label": role_label(role),
                "required": role.required,
                "met": role.met,
                "pct": f"{role.coverage_pct:.2f}",
                "gaps": len(role.gaps),
                "minutes": minutes_text(role.gap_minutes),
                "longest": f"{minutes_text(longest.minutes)} min" if longest else "-",
                "map": heatmap(role, report),
                "gap_rows": [_gap_row(gap, tz) for gap in role.gaps],
            }
        )
    findings = [
        {
            "kind": f.kind,
            "person": f.person,
            "start": local_text(f.start, tz),
            "end": local_text(f.end, tz),
            "detail": f.detail,
        }
        for f in report.findings
    ]
    return render_template(
        "rota_check.html.j2",
        start=local_text(report.start, tz),
        end=local_text(report.end, tz),
        timezone=tz,
        region=report.region,
        all_met=report.all_met,
        roles=roles,
        findings=findings,
        fairness=report.fairness,
        label_w=LABEL_W,
        head_h=HEAD_H,
        cell_w=CELL_W,
        cell_h=CELL_H,
    )


def _gap_row(gap: Gap, timezone: str) -> dict[str, object]:
    return {
        "start": local_text(gap.start, timezone),
        "end": local_text(gap.end, timezone),
        "minutes": minutes_text(gap.minutes),
        "on_call": gap.on_call,
        "shortfall": gap.shortfall,
    }
