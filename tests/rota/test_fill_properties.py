"""Any proposal, checked: it fills every stretch it claims and adds no working-time finding.

Hypothesis draws small rotas round the autumn clock change: two roles, a handful of people
holding one or both, day and night shifts with some left out, leave, stand-by as work or
rest and consecutive-day limits. The oracle is the rota check itself, run on the rota and
on the proposed rota.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from standby.rota.clock import resolve_local, zone
from standby.rota.coverage import check
from standby.rota.fill import fill
from standby.rota.model import Leave, Person, Requirement, RoleRules, Rota, Shift

ROLES = ("Duty Officer", "Rest Centre")
PEOPLE = ("ann", "bo", "cy", "di", "ed")
TZ = zone("Europe/London")
FIRST = datetime(2026, 10, 23, 8, 0)  # Friday 08:00 BST; the clocks go back on Sunday
SLOTS = 8  # four days of 12-hour slots


def _slot(index: int) -> tuple[datetime, datetime]:
    start = FIRST + timedelta(hours=12 * index)
    return resolve_local(start, TZ), resolve_local(start + timedelta(hours=12), TZ)


@st.composite
def rotas(draw: st.DrawFn) -> tuple[Rota, list[Requirement], dict[str, RoleRules]]:
    holds = {person: draw(st.sets(st.sampled_from(ROLES), min_size=1)) for person in PEOPLE}
    people = {p: Person(p, p.title(), tuple(sorted(holds[p]))) for p in PEOPLE}
    shifts = []
    for role in ROLES:
        holders = [p for p in PEOPLE if role in holds[p]] or [PEOPLE[0]]
        for index in range(SLOTS):
            person = draw(st.sampled_from([None, *holders]))
            if person is not None:
                start, end = _slot(index)
                shifts.append(Shift(person, role, start, end))
    leave = []
    for person in draw(st.lists(st.sampled_from(PEOPLE), max_size=2, unique=True)):
        first = draw(st.integers(0, SLOTS - 1))
        length = draw(st.integers(1, 3))
        leave.append(Leave(person, _slot(first)[0], _slot(min(first + length, SLOTS) - 1)[1]))
    rules = {
        role: RoleRules(
            standby=draw(st.sampled_from(["work", "rest"])),
            max_consecutive_days=draw(st.sampled_from([None, 1, 2])),
        )
        for role in ROLES
    }
    requirements = [
        Requirement(ROLES[0], draw(st.integers(1, 2))),
        Requirement(ROLES[1], 1),
    ]
    return Rota(people=people, shifts=shifts, leave=leave), requirements, rules


WINDOW = (_slot(0)[0], _slot(SLOTS - 1)[1])


def _working_time(report: object) -> set[tuple[object, ...]]:
    from standby.rota.coverage import CoverageReport

    assert isinstance(report, CoverageReport)
    return {
        (f.person, f.rule, f.role, f.start, f.end)
        for f in report.findings
        if f.kind == "working_time"
    }


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rotas())
def test_a_proposal_fills_what_it_claims_and_adds_no_working_time_finding(
    drawn: tuple[Rota, list[Requirement], dict[str, RoleRules]],
) -> None:
    rota, requirements, rules = drawn
    proposal = fill(rota, requirements, WINDOW, role_rules=rules, time_limit=5)
    before = check(rota, requirements, WINDOW, role_rules=rules)
    after = check(proposal.rota, requirements, WINDOW, role_rules=rules)
    for requirement, start, end in proposal.filled:
        still = [g for g in after.roles[requirement].gaps if g.start < end and start < g.end]
        assert not still, (requirement, start, end, still)
    assert _working_time(after) <= _working_time(before)
    # Nobody proposed is on leave or on another shift then.
    for shift in proposal.proposed:
        assert not any(
            item.person == shift.person and item.start < shift.end and shift.start < item.end
            for item in rota.leave
        )
        assert not any(
            other.person == shift.person and other.start < shift.end and shift.start < other.end
            for other in rota.shifts
        )
    assert proposal.new_findings == ()
