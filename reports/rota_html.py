"""The rota check as HTML: a gaps report a manager reads on screen and on paper.

The page leads with the verdict and the gaps (when, how long, who was on call), then cover
by requirement, planned events and the findings summarised (working time by person and
regulation). Then a calendar per role: for a window of more than a month, months down and
days across, each day drawn to scale through its 24 hours, with the gaps marked in red where
nobody was on call and hatched amber where some were but too few, numbered and listed with
their dates; for a shorter window, local days down and hours across. The full detail
follows: every gap, every finding, the fairness table. Print styles fit A4 (a year of the
bundled rota prints on three pages). Everything is inline (CSS, SVG), with no scripts.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from standby.clock import zone
from standby.reports.render import (
    duration_text,
    local_range,
    local_text,
    minutes_text,
    render_template,
)
from standby.reports.rota_labels import (
    event_when,
    finding_who,
    on_call_text,
    role_label,
    worst_text,
)
from standby.rota.clock import resolve_local, to_local, window_intervals
from standby.rota.coverage import CoverageReport, Gap, RoleCoverage
from standby.rota.model import FINDING_KINDS
from standby.rota.oncall import Interval, merge
from standby.rota.summary import GapSummary

#: Findings listed in full in the page's detail (the JSON and CSV hold every one).
HTML_FINDINGS = 300
#: Gaps and findings (other than working time) listed on the first page.
FIRST_PAGE_GAPS = 40
FIRST_PAGE_FINDINGS = 20
#: Gaps labelled on one role's calendar; the rest are in the gap tables.
LABELLED = 12
#: A window up to this long gets the hourly heatmap instead of the year calendar.
HEATMAP_DAYS = 35

CELL_W, CELL_H, LABEL_W, HEAD_H = 16, 10, 78, 14
DAY_W, DAY_H, MONTH_W, DAYS_H = 14, 11, 54, 11


# ------------------------------------------------------------------------------ heatmap


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


def heatmap(role: RoleCoverage, report: CoverageReport) -> _Heatmap:
    """Uncovered seconds per local (day, hour) of the window, for one requirement."""
    tz = report.timezone
    first = to_local(report.start, tz).date()
    last = to_local(report.end - timedelta(microseconds=1), tz).date()
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    uncovered: dict[tuple[int, int], float] = defaultdict(float)
    for gap in role.gaps:
        _spread(gap.start, gap.end, tz, first, uncovered)
    required = None
    if role.when is not None or role.dates is not None:
        applies: dict[tuple[int, int], float] = defaultdict(float)
        for start, end in applies_intervals(role, report):
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
        days, cells, required, LABEL_W + 24 * CELL_W + 2, HEAD_H + len(days) * CELL_H + 2
    )


def applies_intervals(role: RoleCoverage, report: CoverageReport) -> list[Interval]:
    """Where a requirement applies inside the report's window (UTC)."""
    pieces = [(report.start, report.end)]
    if role.when is not None:
        pieces = window_intervals(
            role.when, report.start, report.end, report.timezone, report.region
        )
    if role.dates is not None:
        dated = merge([(max(a, report.start), min(b, report.end)) for a, b in role.dates])
        pieces = [
            (max(a, c), min(b, d)) for a, b in pieces for c, d in dated if max(a, c) < min(b, d)
        ]
    return pieces


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


# ------------------------------------------------------------------------------ calendar


@dataclass
class _Calendar:
    """One role's months-by-days calendar: rectangles to draw and the gaps it numbers."""

    role: str
    months: list[str]
    width: int
    height: int
    days: list[tuple[float, float, str]] = field(default_factory=list)  # x, y, class
    marks: list[tuple[float, float, float, str, str]] = field(default_factory=list)
    labels: list[tuple[float, float, int]] = field(default_factory=list)
    listed: list[dict[str, object]] = field(default_factory=list)
    more: int = 0


def calendars(report: CoverageReport) -> list[_Calendar]:
    """A calendar per role (its requirements together), months down and days across."""
    tz = report.timezone
    first = to_local(report.start, tz).date()
    last = to_local(report.end - timedelta(microseconds=1), tz).date()
    months = _months(first, last)
    by_role: dict[str, list[RoleCoverage]] = defaultdict(list)
    for role in report.roles:
        by_role[role.role].append(role)
    return [_calendar(name, needs, report, months, first, last) for name, needs in by_role.items()]


def _months(first: date, last: date) -> list[date]:
    months = []
    month = first.replace(day=1)
    while month <= last:
        months.append(month)
        month = (month + timedelta(days=32)).replace(day=1)
    return months


def _calendar(
    name: str,
    needs: list[RoleCoverage],
    report: CoverageReport,
    months: list[date],
    first: date,
    last: date,
) -> _Calendar:
    tz = zone(report.timezone)
    row_of = {(month.year, month.month): row for row, month in enumerate(months)}
    calendar = _Calendar(
        name,
        [f"{month:%b %Y}" for month in months],
        MONTH_W + 31 * DAY_W + 2,
        DAYS_H + len(months) * DAY_H + 2,
    )

    def place(day: date) -> tuple[float, float]:
        return MONTH_W + (day.day - 1) * DAY_W, DAYS_H + row_of[(day.year, day.month)] * DAY_H

    day = first
    while day <= last:
        x, y = place(day)
        calendar.days.append((x, y, "weekend" if day.weekday() >= 5 else "day"))
        day += timedelta(days=1)
    standing = [need for need in needs if need.when is None and need.dates is None]
    if not standing:
        applies = merge([piece for need in needs for piece in applies_intervals(need, report)])
        for low, high in applies:
            for x, y, offset, width in _day_pieces(low, high, tz, place):
                calendar.marks.append((x + offset, y, width, "req", "day"))
    else:
        for x, y, kind in calendar.days:
            calendar.marks.append((x, y, float(DAY_W - 1), "req", kind))
    gaps = sorted(
        ((need, gap) for need in needs for gap in need.gaps), key=lambda item: item[1].start
    )
    for number, (need, gap) in enumerate(gaps, start=1):
        style = "nobody" if gap.on_call == 0 else "short"
        title = f"{local_range(gap.start, gap.end, report.timezone)}: {on_call_text(gap)} on call"
        pieces = _day_pieces(gap.start, gap.end, tz, place)
        for x, y, offset, width in pieces:
            calendar.marks.append((x + offset, y, max(width, 1.2), style, title))
        if number <= LABELLED and pieces:
            x, y, offset, _width = pieces[0]
            crowded = any(abs(x + offset - lx) < 9 and ly == y for lx, ly, _n in calendar.labels)
            calendar.labels.append((x + offset + (6 if crowded else 0), y, number))
            calendar.listed.append(
                {
                    "number": number,
                    "when": local_range(gap.start, gap.end, report.timezone),
                    "length": duration_text(gap.minutes),
                    "on_call": on_call_text(gap),
                    "nobody": gap.on_call == 0,
                    "label": role_label(need) if len(needs) > 1 or need.name else "",
                }
            )
    calendar.more = max(len(gaps) - LABELLED, 0)
    return calendar


def _day_pieces(
    start: datetime, end: datetime, tz: Any, place: Any
) -> list[tuple[float, float, float, float]]:
    """``[start, end)`` cut at local midnights: (cell x, cell y, x offset, width) per day.

    Each day is drawn to scale through its own length (23 or 25 hours on the change days).
    """
    pieces = []
    day = start.astimezone(tz).date()
    while True:
        day_start = resolve_local(datetime.combine(day, time(0, 0)), tz)
        if day_start >= end:
            break
        day_end = resolve_local(datetime.combine(day + timedelta(days=1), time(0, 0)), tz)
        low, high = max(start, day_start), min(end, day_end)
        if low < high:
            length = (day_end - day_start).total_seconds()
            scale = (DAY_W - 1) / length
            x, y = place(day)
            offset = (low - day_start).total_seconds() * scale
            pieces.append((x, y, offset, (high - low).total_seconds() * scale))
        day += timedelta(days=1)
    return pieces


# ------------------------------------------------------------------------------ page


def _gap_row(role: RoleCoverage, gap: Gap, timezone: str) -> dict[str, object]:
    return {
        "label": role_label(role),
        "when": local_range(gap.start, gap.end, timezone),
        "length": duration_text(gap.minutes),
        "on_call": on_call_text(gap),
        "nobody": gap.on_call == 0,
        "shortfall": gap.shortfall,
    }


def _page_context(report: CoverageReport) -> dict[str, Any]:
    tz = report.timezone
    roles = []
    for role in report.roles:
        if role.name and role.checked_minutes <= 0:
            continue  # a planned event outside the window
        longest = role.longest_gap
        roles.append(
            {
                "label": role_label(role),
                "required": role.required,
                "met": role.met,
                "pct": f"{role.coverage_pct:.2f}",
                "gaps": len(role.gaps),
                "gap_time": duration_text(role.gap_minutes) if role.gaps else "-",
                "longest": duration_text(longest.minutes) if longest else "-",
                "map": heatmap(role, report) if _short(report) else None,
                "gap_rows": [_gap_row(role, gap, tz) for gap in role.gaps],
            }
        )
    events = [
        {
            "label": f"{role.name}: {role.required} {role.role}",
            "when": event_when(role, tz),
            "least": "-" if role.least_on_call is None else role.least_on_call,
            "met": role.met,
        }
        for role in report.roles
        if role.name and role.checked_minutes > 0
    ]
    others = sorted(
        (f for f in report.findings if f.kind != "working_time"),
        key=lambda f: (FINDING_KINDS.index(f.kind), f.start),
    )
    counts = {kind: sum(1 for f in report.findings if f.kind == kind) for kind in FINDING_KINDS}
    return {
        "start": local_text(report.start, tz),
        "end": local_text(report.end, tz),
        "timezone": tz,
        "region": report.region,
        "all_met": report.all_met,
        "roles": roles,
        "gaps": [_gap_row(role, gap, tz) for role, gap in report.gaps],
        "events": events,
        "counts": [(kind, count) for kind, count in counts.items() if count],
        "others": [_finding_row(report, f) for f in others],
        "working_time": [
            {
                "person": report.name(row.person),
                "rule": row.rule,
                "count": row.count,
                "worst": worst_text(row.worst, tz),
            }
            for row in report.working_time_summary
        ],
        "findings": [_finding_row(report, f) for f in report.findings[:HTML_FINDINGS]],
        "findings_total": len(report.findings),
        # The first page lists up to 40 gaps and 20 findings other than working time; the
        # detail repeats them only when there are more (or working-time instances).
        "detail_gaps": len(report.gaps) > FIRST_PAGE_GAPS,
        "detail_findings": len(others) > FIRST_PAGE_FINDINGS
        or any(f.kind == "working_time" for f in report.findings),
        "fairness": report.fairness,
        "calendars": [] if _short(report) else calendars(report),
        "short_window": _short(report),
        "first_page_gaps": FIRST_PAGE_GAPS,
        "first_page_findings": FIRST_PAGE_FINDINGS,
        "label_w": LABEL_W,
        "head_h": HEAD_H,
        "cell_w": CELL_W,
        "cell_h": CELL_H,
        "day_w": DAY_W,
        "day_h": DAY_H,
        "month_w": MONTH_W,
        "days_h": DAYS_H,
    }


def _short(report: CoverageReport) -> bool:
    return (report.end - report.start) <= timedelta(days=HEATMAP_DAYS)


def _finding_row(report: CoverageReport, finding: Any) -> dict[str, object]:
    return {
        "kind": finding.kind,
        "who": finding_who(report, finding),
        "when": local_range(finding.start, finding.end, report.timezone),
        "detail": finding.detail,
    }


def render_html(report: CoverageReport) -> str:
    """The whole report as one self-contained HTML page (autoescaped)."""
    return render_template("rota_check.html.j2", **_page_context(report))


def render_summary_html(summary: GapSummary) -> str:
    """The one-page summary (``rota check --summary --format html``) for an email."""
    report = summary.report
    tz = report.timezone
    upcoming = [
        {
            "label": role_label(item.role),
            "when": local_range(item.gap.start, item.gap.end, tz),
            "length": duration_text(item.gap.minutes),
            "on_call": on_call_text(item.gap),
            "nobody": item.gap.on_call == 0,
            "ask": item.candidates,
            "ruled_out": item.ruled_out,
        }
        for item in summary.upcoming
    ]
    return render_template(
        "rota_summary.html.j2",
        start=local_text(report.start, tz),
        end=local_text(report.end, tz),
        after=local_text(summary.after, tz),
        all_met=report.all_met,
        total=summary.total_gaps,
        more=summary.total_gaps - len(summary.upcoming),
        roles=[
            {"label": role_label(role), "pct": f"{role.coverage_pct:.2f}", "gaps": len(role.gaps)}
            for role in report.roles
            if not role.name or role.checked_minutes > 0
        ],
        upcoming=upcoming,
    )
