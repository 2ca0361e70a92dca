"""A rota check for people: text tables (rich), JSON, CSV and the one-page summary.

Each function reads a :class:`~rota.coverage.CoverageReport` (and, for the summary, the
:class:`~rota.summary.GapSummary` of who to ask) and never runs the check. What a manager
reads comes first: the gaps, in time order across every role, then cover by role, planned
events, findings, and the working-time findings summarised by person and regulation (how
many, the worst case); every instance stays in the JSON and the CSV. Times are shown in the
rota's local time; JSON and the CSV's ``*_utc`` columns keep UTC. The HTML page is
``reports.rota_html``. ``rich`` is imported inside the functions.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime
from typing import Any

from standby.clock import iso_local, iso_z
from standby.files import csv_text
from standby.reports.plain import cell, cell_text, printable
from standby.reports.render import duration_text, local_range, local_text
from standby.reports.rota_labels import (
    event_when,
    on_call_text,
    role_label,
    worst_text,
)
from standby.rota.coverage import CoverageReport, RoleCoverage
from standby.rota.model import FINDING_KINDS, Finding
from standby.rota.summary import GapSummary

#: ``rota check --format`` choices other than ``text`` (rich tables, :func:`text_renderables`).
FORMATS = ("json", "csv", "html")
#: How many rows a text table shows before saying where the rest are.
TEXT_LIMIT = 20


def render(report: CoverageReport, output_format: str, summary: GapSummary | None = None) -> str:
    """The report as JSON, CSV or an HTML page (one of :data:`FORMATS`).

    With ``summary``, the one-page summary in that format instead.
    """
    if output_format == "json":
        document = summary_json(summary) if summary is not None else report.to_json_dict()
        return json_text(document)
    if output_format == "csv":
        return summary_csv(summary) if summary is not None else report_csv(report)
    if output_format == "html":
        from standby.reports.rota_html import render_html, render_summary_html

        return render_summary_html(summary) if summary is not None else render_html(report)
    raise ValueError(f"no text rendering for format {output_format!r}; use one of {FORMATS}")


def json_text(document: dict[str, Any]) -> str:
    """JSON with one line per top-level key and per item of a top-level list.

    Indenting every level is slow for a year's findings (Python's JSON writer then falls
    back to pure Python) and long to scroll; one record a line stays readable and diffable.
    """
    parts = []
    for key, value in document.items():
        name = json.dumps(key)
        if isinstance(value, list) and value:
            items = ",\n".join(f"    {json.dumps(item)}" for item in value)
            parts.append(f"  {name}: [\n{items}\n  ]")
        else:
            parts.append(f"  {name}: {json.dumps(value)}")
    return "{\n" + ",\n".join(parts) + "\n}\n"


# ------------------------------------------------------------------------------ text


def text_renderables(report: CoverageReport, now: datetime | None = None) -> list[Any]:
    """rich renderables: the gaps, cover by role, events, findings, working time."""
    now = now or datetime.now(UTC)
    tz = report.timezone
    gaps = report.gaps
    verdict = (
        "all requirements met"
        if report.all_met
        else f"GAPS FOUND: {len(gaps)} gap(s) in {sum(1 for r in report.roles if r.gaps)} "
        "requirement(s)"
    )
    out: list[Any] = [
        f"[bold]Coverage {local_text(report.start, tz)} to {local_text(report.end, tz)}[/bold] "
        f"({verdict})"
    ]
    if gaps:
        out.append(_gaps_table(report))
    out.append(_cover_table(report, now))
    events = [role for role in report.roles if role.name and role.checked_minutes > 0]
    if events:
        out.append(_events_table(report, events))
    out += _findings_renderables(report)
    return out


def _table(title: str, *columns: str, **settings: Any) -> Any:
    """A table with light rules only, which reads well at 80 columns and when piped."""
    from rich import box
    from rich.table import Table

    table = Table(
        title=title,
        title_justify="left",
        title_style="bold",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        **settings,
    )
    for column in columns:
        table.add_column(column)
    return table


def _gaps_table(report: CoverageReport) -> Any:
    from rich.text import Text

    gaps = report.gaps
    table = _table(f"Gaps ({len(gaps)}), local times", "requirement", "when", "length", "on call")
    for role, gap in gaps[:TEXT_LIMIT]:
        table.add_row(
            cell(role_label(role)),
            local_range(gap.start, gap.end, report.timezone),
            duration_text(gap.minutes),
            Text(on_call_text(gap), style="bold red" if gap.on_call == 0 else "yellow"),
        )
    if len(gaps) > TEXT_LIMIT:
        table.caption = f"first {TEXT_LIMIT} of {len(gaps)}; --format csv lists them all"
    return table


def _cover_table(report: CoverageReport, now: datetime) -> Any:
    table = _table(
        "Cover by requirement", "requirement", "min", "cover %", "gaps", "gap time",
        "next gap (local)",
    )  # fmt: skip
    for role in report.roles:
        if role.name and role.checked_minutes <= 0:
            continue  # a planned event outside the window
        upcoming = role.next_gap(max(now, report.start))
        table.add_row(
            cell(role_label(role)),
            str(role.required),
            f"{role.coverage_pct:.2f}",
            str(len(role.gaps)),
            duration_text(role.gap_minutes) if role.gaps else "-",
            local_text(upcoming.start, report.timezone) if upcoming else "-",
        )
    return table


def _events_table(report: CoverageReport, events: list[RoleCoverage]) -> Any:
    from rich.text import Text

    table = _table("Planned events", "event", "when (local)", "needed", "least on call", "result")
    for role in events:
        least = "-" if role.least_on_call is None else str(role.least_on_call)
        result = Text("met", style="green") if role.met else Text("SHORT", style="bold red")
        table.add_row(
            cell(f"{role.name}: {role.role}"),
            event_when(role, report.timezone),
            str(role.required),
            least,
            result,
        )
    return table


def _findings_renderables(report: CoverageReport) -> list[Any]:

    if not report.findings:
        return ["No findings."]
    counts = Counter(finding.kind for finding in report.findings)
    listed = ", ".join(f"{counts[kind]} {kind}" for kind in FINDING_KINDS if counts[kind])
    out: list[Any] = [f"Findings: {listed}."]
    others = [f for f in report.findings if f.kind != "working_time"]
    others.sort(key=lambda f: (FINDING_KINDS.index(f.kind), f.start))
    for finding in others[:TEXT_LIMIT]:
        out.append(_finding_lines(report, finding))
    if len(others) > TEXT_LIMIT:
        out.append(f"  ... and {len(others) - TEXT_LIMIT} more (--format json or csv)")
    summary = report.working_time_summary
    if summary:
        table = _table(
            "Working time by person and regulation", "person", "rule", "times", "worst case"
        )
        for row in summary[:TEXT_LIMIT]:
            table.add_row(
                cell(report.name(row.person)),
                row.rule,
                str(row.count),
                cell(worst_text(row.worst, report.timezone)),
            )
        total = counts["working_time"]
        table.caption = (
            f"{total} working-time finding(s) in all"
            + (f"; first {TEXT_LIMIT} of {len(summary)} rows" if len(summary) > TEXT_LIMIT else "")
            + "; every instance in --format json or csv"
        )
        out.append(table)
    return out


def _finding_lines(report: CoverageReport, finding: Finding) -> Any:
    """A finding as a heading line and its detail indented under it."""
    from rich.console import Group
    from rich.padding import Padding
    from rich.text import Text

    head = Text(f"{finding.kind}  ", style="bold")
    who = report.name(finding.person) if finding.person else finding.role
    head.append(f"{cell_text(who)}, ")
    head.append(local_range(finding.start, finding.end, report.timezone))
    return Group(
        Padding(head, (0, 0, 0, 2)), Padding(Text(printable(finding.detail)), (0, 0, 0, 6))
    )


# ------------------------------------------------------------------------------ CSV

CSV_HEADER = (
    "record",
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
    "event",
    "kind",
    "rule",
    "person",
    "name",
    "detail",
)


def report_csv(report: CoverageReport) -> str:
    """Every gap and then every finding as CSV rows (``record`` says which), times in UTC and
    local, cells safe for spreadsheets."""
    tz = report.timezone
    rows: list[tuple[object, ...]] = [
        (
            "gap",
            role.role,
            role.qualification or "",
            role.required,
            gap.on_call,
            gap.shortfall,
            iso_z(gap.start),
            iso_z(gap.end),
            iso_local(gap.start, tz),
            iso_local(gap.end, tz),
            repr(gap.minutes),
            role.name or "",
            "",
            "",
            "",
            "",
            "",
        )
        for role, gap in report.gaps
    ]
    rows += [
        (
            "finding",
            finding.role or "",
            "",
            "",
            "",
            "",
            iso_z(finding.start),
            iso_z(finding.end),
            iso_local(finding.start, tz),
            iso_local(finding.end, tz),
            repr((finding.end - finding.start).total_seconds() / 60.0),
            "",
            finding.kind,
            finding.rule or "",
            finding.person,
            report.name(finding.person) if finding.person else "",
            finding.detail,
        )
        for finding in report.findings
    ]
    return csv_text(CSV_HEADER, rows)


# ------------------------------------------------------------------------------ summary


def summary_json(summary: GapSummary) -> dict[str, Any]:
    """The one-page summary as JSON-ready data."""
    report = summary.report
    return {
        "window": {"start": iso_z(report.start), "end": iso_z(report.end)},
        "after": iso_z(summary.after),
        "all_met": report.all_met,
        "total_gaps": summary.total_gaps,
        "roles": [
            {
                "role": role.role,
                "name": role.name,
                "label": role_label(role),
                "coverage_pct": role.coverage_pct,
                "gaps": len(role.gaps),
            }
            for role in report.roles
            if not role.name or role.checked_minutes > 0
        ],
        "next_gaps": [item.to_json_dict() for item in summary.upcoming],
    }


def summary_csv(summary: GapSummary) -> str:
    """The next gaps with the people to ask, one row a gap."""
    tz = summary.report.timezone
    rows = [
        (
            role_label(item.role),
            iso_local(item.gap.start, tz),
            iso_local(item.gap.end, tz),
            on_call_text(item.gap),
            "; ".join(f"{c.name} ({c.phone})" if c.phone else c.name for c in item.candidates),
        )
        for item in summary.upcoming
    ]
    return csv_text(("requirement", "start_local", "end_local", "on_call", "ask"), rows)


def summary_text(summary: GapSummary, width: int = 78) -> str:
    """The one-page summary as plain text for an email: roles, cover, next gaps, who to ask."""
    import textwrap

    report = summary.report
    tz = report.timezone
    lines = [
        f"On-call cover {local_text(report.start, tz)} to {local_text(report.end, tz)}",
        "All requirements are met." if report.all_met else f"{summary.total_gaps} gap(s) found.",
        "",
        "Cover by requirement:",
    ]
    shown = [r for r in report.roles if not r.name or r.checked_minutes > 0]
    label_width = min(max((len(role_label(r)) for r in shown), default=10), width - 24)
    for role in shown:
        label = textwrap.shorten(role_label(role), label_width, placeholder="...")
        lines.append(
            f"  {label:<{label_width}}  {role.coverage_pct:6.2f} %  {len(role.gaps):>3} gap(s)"
        )
    lines.append("")
    if not summary.upcoming:
        lines.append("No gaps ahead in the window.")
    else:
        lines.append(f"Next gaps (from {local_text(summary.after, tz)}), and who to ask:")
    for number, item in enumerate(summary.upcoming, start=1):
        gap = item.gap
        # No line break inside a length or a time: non-breaking spaces until wrapped.
        keep = "\u00a0"
        head = (
            f"{number}. {role_label(item.role)}: {local_range(gap.start, gap.end, tz)} "
            f"({duration_text(gap.minutes).replace(' ', keep)}, {on_call_text(gap)} on call)"
        )
        lines += [
            line.replace(keep, " ") for line in textwrap.wrap(head, width, subsequent_indent="   ")
        ]
        if item.candidates:
            asks = ", ".join(f"{c.name} {c.phone}" if c.phone else c.name for c in item.candidates)
            lines += textwrap.wrap(
                f"Ask: {asks}", width, initial_indent="   ", subsequent_indent="   "
            )
        else:
            lines.append("   Nobody free and qualified within the working-time rules.")
        if item.ruled_out:
            lines.append(f"   ({item.ruled_out} more free but ruled out by working-time rules)")
    more = summary.total_gaps - len(summary.upcoming)
    if more > 0:
        lines += ["", f"... and {more} more gap(s): run the full check for the list."]
    return "\n".join(lines) + "\n"
