"""The next gaps and who to ask to fill them: the one-page summary a manager emails round.

For each of the next few gaps, the people who could be asked: they hold the role (their
``roles`` in the people list, or, without one, they have had shifts in it), hold the
requirement's qualification, are not on leave or on another shift at the time, and taking
the gap would break none of the working-time rules the check applies. Fewest hours on call
in the window first, so the ask goes to those who have done least. Nobody is put on the
rota: the summary only says whom to phone.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from standby.rota.coverage import CoverageReport, Gap, RoleCoverage
from standby.rota.model import RoleRules, Rota, Shift
from standby.rota.oncall import leave_by_person
from standby.rota.rules import WorkingTime

#: How many gaps the summary lists, and how many people for each.
NEXT_GAPS = 5
ASK = 3


@dataclass(frozen=True, slots=True)
class Candidate:
    """Someone who could cover a gap: free, qualified and within the working-time rules."""

    person: str
    name: str
    phone: str | None
    hours: float

    def to_json_dict(self) -> dict[str, object]:
        """As JSON-ready data."""
        return {"person": self.person, "name": self.name, "phone": self.phone, "hours": self.hours}


@dataclass(frozen=True, slots=True)
class NextGap:
    """One upcoming gap and the people to ask, with how many others the rules ruled out."""

    role: RoleCoverage
    gap: Gap
    candidates: tuple[Candidate, ...]
    ruled_out: int

    def to_json_dict(self) -> dict[str, object]:
        """As JSON-ready data."""
        return {
            "role": self.role.role,
            "name": self.role.name,
            **self.gap.to_json_dict(),
            "ask": [candidate.to_json_dict() for candidate in self.candidates],
            "ruled_out_by_working_time": self.ruled_out,
        }


@dataclass(frozen=True)
class GapSummary:
    """The summary: the report it reads, the instant "next" is from, the next gaps."""

    report: CoverageReport
    after: datetime
    upcoming: tuple[NextGap, ...]
    total_gaps: int


def gap_summary(
    rota: Rota,
    report: CoverageReport,
    role_rules: Mapping[str, RoleRules] | None = None,
    *,
    now: datetime | None = None,
    count: int = NEXT_GAPS,
    ask: int = ASK,
) -> GapSummary:
    """The next ``count`` gaps after ``now`` (or the window's first, for a window in the past)."""
    after = max(now or datetime.now(UTC), report.start)
    if after >= report.end:
        after = report.start
    gaps = [(role, gap) for role, gap in report.gaps if gap.end > after][:count]
    rules = WorkingTime(rota, role_rules, region=report.region, window=(report.start, report.end))
    hours = {row.person: row.hours for row in report.fairness}
    upcoming = tuple(_next_gap(rota, rules, hours, role, gap, ask) for role, gap in gaps)
    return GapSummary(report, after, upcoming, len(report.gaps))


def _next_gap(
    rota: Rota,
    rules: WorkingTime,
    hours: dict[str, float],
    role: RoleCoverage,
    gap: Gap,
    ask: int,
) -> NextGap:
    leave = leave_by_person(rota.leave)
    busy = {s.person for s in rota.shifts if s.start < gap.end and gap.start < s.end}
    pool = [p.id for p in rota.people.values() if role.role in p.roles]
    if not pool:
        pool = sorted({s.person for s in rota.shifts if s.role == role.role})
    free = []
    for person in pool:
        known = rota.people.get(person)
        if person in busy or any(a < gap.end and gap.start < b for a, b in leave.get(person, [])):
            continue
        if role.qualification and (known is None or role.qualification not in known.qualifications):
            continue
        free.append(person)
    free.sort(key=lambda person: (hours.get(person, 0.0), person))
    chosen: list[Candidate] = []
    ruled_out = 0
    for person in free:
        if len(chosen) == ask:
            break
        if rules.candidate_findings(Shift(person, role.role, gap.start, gap.end)):
            ruled_out += 1
            continue
        known = rota.people.get(person)
        chosen.append(
            Candidate(
                person,
                known.name if known else person,
                known.phone if known else None,
                hours.get(person, 0.0),
            )
        )
    return NextGap(role, gap, tuple(chosen), ruled_out)
