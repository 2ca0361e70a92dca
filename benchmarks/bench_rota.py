"""Benchmark the rota coverage check on a year's rota, and its speed-up over brute force.

A seeded one-year rota of 300 people, 30 roles and about 50,000 shifts (two levels, day and
night shifts, some handed over late, some missing, leave for everyone) is checked with
``rota.coverage.check``. The goal is under 1 s for the whole check. The brute-force oracle
counts who is on call minute by minute; it is far too slow for a year, so it is timed on a
one-week sub-window and scaled by the number of minutes (it is linear in them), and its gaps
are compared with ``check``'s over that week. Run: ``python benchmarks/bench_rota.py``.
"""

from __future__ import annotations

import time as clock
from datetime import UTC, date, datetime, time, timedelta

import numpy as np
from timing import timed

from standby.rota.clock import resolve_local, zone
from standby.rota.coverage import check
from standby.rota.model import WEEKDAYS, Leave, Person, Requirement, Rota, Shift, TimeWindow

YEAR = 2026
PEOPLE = 300
ROLES = 30
SUB_WINDOW_DAYS = 7


def build_rota(seed: int = 2026) -> Rota:
    """A year of day (08:00-20:00) and night shifts at levels 1 and 2 for every role."""
    rng = np.random.default_rng(seed)
    tz = zone("Europe/London")
    roles = [f"Role {n:02d}" for n in range(ROLES)]
    people = {
        f"p{n:03d}": Person(
            id=f"p{n:03d}",
            name=f"Person {n:03d}",
            roles=(roles[n % ROLES],),
            qualifications=("loggist",) if n % 3 else (),
        )
        for n in range(PEOPLE)
    }
    pool = {role: [p for p in people if people[p].roles[0] == role] for role in roles}
    shifts: list[Shift] = []
    day = date(YEAR, 1, 1)
    while day.year == YEAR:
        for role in roles:
            for hour, length in ((8, 12), (20, 12)):
                start = resolve_local(datetime.combine(day, time(hour)), tz)
                end = resolve_local(datetime.combine(day, time(hour)) + timedelta(hours=length), tz)
                for level in (1, 2):
                    if rng.random() < 0.02:
                        continue  # nobody rostered
                    late = (
                        timedelta(minutes=int(rng.integers(1, 90)))
                        if rng.random() < 0.02
                        else timedelta(0)
                    )
                    person = pool[role][int(rng.integers(len(pool[role])))]
                    shifts.append(Shift(person, role, start + late, end, level=level))
        day += timedelta(days=1)
    for _ in range(len(shifts) // 6):  # extra cover, some overlapping (double bookings)
        base = shifts[int(rng.integers(len(shifts)))]
        person = pool[base.role][int(rng.integers(len(pool[base.role])))]
        shifts.append(Shift(person, base.role, base.start, base.end, level=3))
    leave = []
    for person in people:
        for _ in range(3):
            start = datetime(YEAR, 1, 1, tzinfo=UTC) + timedelta(
                minutes=int(rng.integers(0, 360 * 24 * 60))
            )
            leave.append(Leave(person, start, start + timedelta(days=int(rng.integers(1, 8)))))
    requirements = [
        Requirement(role, 1 + n % 2)
        if n % 5
        else Requirement(
            role, 2, when=TimeWindow(WEEKDAYS[:5], time(8), time(20)), qualification="loggist"
        )
        for n, role in enumerate(roles)
    ]
    return Rota(people=people, shifts=shifts, leave=leave, requirements=requirements)


def brute_force_gap_minutes(
    rota: Rota, window: tuple[datetime, datetime]
) -> dict[tuple[str, int], float]:
    """Gap minutes per requirement, counting who is on call minute by minute."""
    from standby.rota.clock import to_local

    result = {}
    start, end = window
    for number, need in enumerate(rota.requirements):
        shifts = [s for s in rota.shifts if s.role == need.role and s.end > start and s.start < end]
        leave = [lv for lv in rota.leave if lv.end > start and lv.start < end]
        gap = 0
        instant = start
        while instant < end:
            if need.when is None or _inside(need.when, to_local(instant, rota.timezone)):
                on_call = set()
                for shift in shifts:
                    if not shift.start <= instant < shift.end:
                        continue
                    if any(
                        lv.person == shift.person and lv.start <= instant < lv.end for lv in leave
                    ):
                        continue
                    person = rota.people.get(shift.person)
                    if person is None:
                        continue
                    if need.qualification and need.qualification not in person.qualifications:
                        continue
                    on_call.add(shift.person)
                gap += len(on_call) < need.minimum
            instant += timedelta(minutes=1)
        result[(need.role, number)] = float(gap)
    return result


def _inside(when: TimeWindow, local: datetime) -> bool:
    clock_time = local.time().replace(tzinfo=None)
    today, yesterday = WEEKDAYS[local.weekday()], WEEKDAYS[(local.weekday() - 1) % 7]
    if when.start < when.end:
        return today in when.days and when.start <= clock_time < when.end
    return (today in when.days and clock_time >= when.start) or (
        yesterday in when.days and clock_time < when.end
    )


def main() -> None:
    """Print the figures."""
    rota = build_rota()
    year = (datetime(YEAR, 1, 1, tzinfo=UTC), datetime(YEAR + 1, 1, 1, tzinfo=UTC))
    print(
        f"rota: {len(rota.people)} people, {len(rota.requirements)} roles, "
        f"{len(rota.shifts)} shifts, {len(rota.leave)} leave periods, one year"
    )
    reports = []  # keep what the timed calls return instead of checking once more
    full = min(timed(lambda: reports.append(check(rota, window=year)), 3, warm_up=False))
    report = reports[-1]
    gaps = sum(len(role.gaps) for role in report.roles)
    print(
        f"check (coverage + findings + working time + fairness), year: {full:.3f} s "
        f"(goal < 1 s); {gaps} gaps, {len(report.findings)} findings"
    )
    coverage_only = Rota(people=rota.people, shifts=rota.shifts, leave=rota.leave)
    began = clock.perf_counter()
    _coverage_sweep(coverage_only, rota.requirements, year)
    sweep = clock.perf_counter() - began
    print(f"coverage sweep alone, year: {sweep:.3f} s")

    week = (datetime(YEAR, 3, 23, tzinfo=UTC), datetime(YEAR, 3, 23 + SUB_WINDOW_DAYS, tzinfo=UTC))
    began = clock.perf_counter()
    oracle = brute_force_gap_minutes(rota, week)
    oracle_week = clock.perf_counter() - began
    scale = (year[1] - year[0]) / (week[1] - week[0])
    oracle_year = oracle_week * scale
    exact = check(rota, window=week)
    agree = all(
        abs(role.gap_minutes - oracle[(role.role, n)]) < 1e-9 for n, role in enumerate(exact.roles)
    )
    print(
        f"brute force (minute by minute): {oracle_week:.2f} s for {SUB_WINDOW_DAYS} days "
        f"(incl. the spring clock change), scaled x{scale:.1f} to the year: {oracle_year:.0f} s; "
        f"gap minutes agree with check over that week: {agree}"
    )
    print(
        f"speed-up of check over brute force: x{oracle_year / full:.0f} for the whole check, "
        f"x{oracle_year / sweep:.0f} for the coverage sweep alone (goal >= 100)"
    )


def _coverage_sweep(
    rota: Rota, requirements: list[Requirement], window: tuple[datetime, datetime]
) -> None:
    """Only the gap sweep (no findings, rules or fairness), to time it on its own."""
    from standby.rota.clock import DEFAULT_REGION
    from standby.rota.coverage import _role_coverage
    from standby.rota.oncall import leave_by_person

    leave = leave_by_person(rota.leave)
    by_role: dict[str, list[Shift]] = {}
    for shift in rota.shifts:
        by_role.setdefault(shift.role, []).append(shift)
    for need in requirements:
        _role_coverage(rota, need, by_role.get(need.role, []), leave, window, DEFAULT_REGION)


if __name__ == "__main__":
    main()
