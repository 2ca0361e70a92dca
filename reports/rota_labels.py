"""The words a rota report uses for requirements, gaps and findings, shared by every output.

``role_label`` names a requirement as tables show it, ``on_call_text`` says who was on call in
a gap, ``worst_text`` states a working-time rule's worst case; the text, CSV and HTML
renderings (``reports.coverage``, ``reports.rota_html``) all use these.
"""

from __future__ import annotations

from standby.reports.render import local_range
from standby.rota.coverage import CoverageReport, Gap, RoleCoverage
from standby.rota.model import BANK_HOLIDAY, WEEKDAYS, Finding


def role_label(role: RoleCoverage) -> str:
    """The requirement as shown in tables: role, qualification, window or event.

    ``Social Care Emergency Duty Team (mon-thu 17:00-08:45)``; a planned event is
    ``Bonfire night display: 2 Rest Centre Manager``.
    """
    if role.name:
        return f"{role.name}: {role.required} {role.role}"
    parts = [role.qualification] if role.qualification else []
    if role.when is not None:
        when = role.when
        if when.start == when.end:
            hours = (
                "all day"
                if when.start.hour == when.start.minute == 0
                else f"24 h from {when.start:%H:%M}"
            )
        else:
            hours = f"{when.start:%H:%M}-{when.end:%H:%M}"
        parts.append(f"{_days_text(when.days)} {hours}")
    return f"{role.role} ({', '.join(parts)})" if parts else role.role


def _days_text(days: tuple[str, ...]) -> str:
    """``mon-thu`` for a run of consecutive weekdays, else a comma list."""
    order = [day for day in WEEKDAYS if day in days]
    extra = ["bank holidays" if day == BANK_HOLIDAY else day for day in days if day not in WEEKDAYS]
    indices = [WEEKDAYS.index(day) for day in order]
    if len(indices) == 7:
        text = "every day"
    elif len(indices) > 1 and indices == list(range(indices[0], indices[-1] + 1)):
        text = f"{order[0]}-{order[-1]}"
    else:
        text = ",".join(order)
    return ", ".join(part for part in (text, *extra) if part)


def on_call_text(gap: Gap) -> str:
    """``nobody`` or ``1 of 2``: who was on call in a gap."""
    return "nobody" if gap.on_call == 0 else f"{gap.on_call} of {gap.required}"


def event_when(role: RoleCoverage, timezone: str) -> str:
    """A planned event's dated periods in local time."""
    return "; ".join(local_range(a, b, timezone) for a, b in role.dates or ())


def finding_who(report: CoverageReport, finding: Finding) -> str:
    """The person's name, or a dash for a finding about a role or an empty slot."""
    return report.name(finding.person) if finding.person else "-"


def worst_text(finding: Finding, timezone: str) -> str:
    """The worst finding of a group: its detail without the rule's name (and when, for the
    local limit, whose detail does not say)."""
    detail = finding.detail
    if finding.rule and detail.startswith(f"{finding.rule} "):
        detail = detail[len(finding.rule) + 1 :]
    if finding.rule == "local limit":
        return f"{detail}, {local_range(finding.start, finding.end, timezone)}"
    return detail
