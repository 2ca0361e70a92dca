"""Golden check: a generated year's rota, checked in full, gives the same JSON byte for byte.

The rota is built from a seeded generator with every feature the check reads: a people list
with qualifications, day jobs and phones; day and night shifts at three levels across both
clock changes, some handed over late (at odd minutes and seconds), some missing, extra
cover that double-books people; unknown people, a misspelt role and a required role with no
shifts; leave, call-outs, planned events and requirements with day, night and bank-holiday
windows; and working-time settings per role (stand-by as rest, by response time, 26-week
reference periods, the fortnightly rest option, hazardous night work, a consecutive-days
limit). It is checked three ways: over the calendar year, over a window that cuts shifts in
half in another region, and end to end from a CSV and a requirements file as the command
line reads them.

The digests in ``tests/golden/rota-check-large.json`` pin what the check reported when they
were made; a speed-up must leave them as they are. Refresh on purpose only (``make golden``),
after reading what changed. The counts beside each digest say, on a mismatch, which part of
the report moved.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import json
import os
from collections import Counter
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import numpy as np

from standby.reports.coverage import render
from standby.rota.api import check_files
from standby.rota.clock import resolve_local, to_local, zone
from standby.rota.coverage import check
from standby.rota.model import (
    WEEKDAYS,
    Callout,
    Leave,
    Person,
    Requirement,
    RoleRules,
    Rota,
    Shift,
    TimeWindow,
)
from standby.rota.patterns import parse_day_job

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "golden" / "rota-check-large.json"
YEAR = 2026
PEOPLE = 48
ROLES = [f"Role {letter}" for letter in "ABCDEFGH"]
MISSPELT = "Role  A"  # in the shifts, a near miss for Role A
UNSTAFFED = "Role Z"  # required, never rostered
RULES = {
    "Role A": RoleRules(standby="rest"),
    "Role B": RoleRules(standby="by_response_time", response_minutes=5),
    "Role C": RoleRules(standby="by_response_time", response_minutes=30, callouts_per_week=2),
    "Role D": RoleRules(reference_weeks=26, weekly_rest="fortnightly"),
    "Role E": RoleRules(hazardous_night_work=True),
    "Role F": RoleRules(max_consecutive_days=5),
    "Role G": RoleRules(weekly_rest_may_include_daily_rest=True),
}


def _local(day: date, at: time) -> datetime:
    return resolve_local(datetime.combine(day, at), zone("Europe/London"))


def build_rota(seed: int = 16) -> Rota:
    """A seeded year of shifts for 48 people in 8 roles (about 12,000 shifts)."""
    rng = np.random.default_rng(seed)
    jobs = ("mon-fri 09:00-12:30, 13:00-17:00", "mon-thu 08:00-16:00", "mon-fri 07:00-15:30")
    people = {
        f"p{n:02d}": Person(
            id=f"p{n:02d}",
            name=f"Person {n:02d}",
            roles=(ROLES[n % len(ROLES)],),
            qualifications=("loggist",) if n % 3 else (),
            phone=f"07700 900{n:03d}",
            day_job=parse_day_job(jobs[n % 3]) if n % 4 == 0 else (),
        )
        for n in range(PEOPLE)
    }
    pool = {role: [p for p in people if people[p].roles[0] == role] for role in ROLES}
    shifts: list[Shift] = []
    day = date(YEAR, 1, 1)
    while day.year == YEAR:
        for role in ROLES:
            for hour, length in ((8, 12), (20, 12)):
                start = _local(day, time(hour))
                end = resolve_local(
                    datetime.combine(day, time(hour)) + timedelta(hours=length),
                    zone("Europe/London"),
                )
                for level in (1, 2):
                    if rng.random() < 0.03:
                        continue  # nobody rostered
                    late = timedelta(0)
                    if rng.random() < 0.03:
                        late = timedelta(minutes=int(rng.integers(1, 90)))
                        late += timedelta(seconds=int(rng.integers(0, 60)))
                    person = pool[role][int(rng.integers(len(pool[role])))]
                    if rng.random() < 0.002:
                        person = "x01"  # not in the people list
                    row = len(shifts) + 2
                    shifts.append(Shift(person, role, start + late, end, level, f"generated:{row}"))
        day += timedelta(days=1)
    for _ in range(len(shifts) // 4):  # extra cover, some of it double-booking people
        base = shifts[int(rng.integers(len(shifts)))]
        person = pool[base.role][int(rng.integers(len(pool[base.role])))]
        shifts.append(Shift(person, base.role, base.start, base.end, 3, f"extra:{len(shifts)}"))
    for offset in range(9):  # 9 days running in a role limited to 5
        day = date(YEAR, 4, 20) + timedelta(days=offset)
        start, end = _local(day, time(7)), _local(day, time(20))
        shifts.append(Shift(pool["Role F"][0], "Role F", start, end, 3, f"run:{offset}"))
    for week in range(0, 52, 6):  # a misspelt role, weekly Monday 09:00 handovers
        monday = date(YEAR, 1, 5) + timedelta(weeks=week)
        start, end = _local(monday, time(9)), _local(monday + timedelta(days=7), time(9))
        shifts.append(Shift(pool["Role A"][week % 6], MISSPELT, start, end, 1, f"weekly:{week}"))
    year_start = datetime(YEAR, 1, 1, tzinfo=UTC)
    leave = []
    for person in people:
        for _ in range(2):
            start = year_start + timedelta(minutes=int(rng.integers(0, 360 * 24 * 60)))
            leave.append(Leave(person, start, start + timedelta(days=int(rng.integers(1, 8)))))
    callouts = []
    for _ in range(80):
        base = shifts[int(rng.integers(len(shifts)))]
        start = base.start + timedelta(minutes=int(rng.integers(0, 600)))
        length = timedelta(minutes=int(rng.integers(20, 300)))
        callouts.append(Callout(base.person, start, start + length, base.role, "generated"))
    bonfire = (_local(date(YEAR, 11, 5), time(17)), _local(date(YEAR, 11, 6), time(1)))
    requirements = [
        Requirement("Role A", 1),
        Requirement("Role B", 2),
        Requirement("Role C", 1, when=TimeWindow(WEEKDAYS[:5], time(8), time(20))),
        Requirement("Role D", 2, when=TimeWindow(WEEKDAYS, time(18), time(8))),
        Requirement("Role E", 1, when=TimeWindow(("sat", "sun", "bank_holiday"))),
        Requirement("Role F", 2, qualification="loggist"),
        Requirement("Role G", 1),
        Requirement("Role H", 2, when=TimeWindow(WEEKDAYS[:5], time(7, 30), time(19, 15))),
        Requirement("Role H", 3, name="Bonfire night", dates=(bonfire,)),
        Requirement(UNSTAFFED, 1),
    ]
    return Rota(
        people=people,
        shifts=shifts,
        leave=leave,
        callouts=callouts,
        requirements=requirements,
        role_rules=dict(RULES),
    )


@functools.cache
def _rota() -> Rota:
    return build_rota()


def _year_json() -> str:
    rota = _rota()
    window = (datetime(YEAR, 1, 1, tzinfo=UTC), datetime(YEAR + 1, 1, 1, tzinfo=UTC))
    return render(check(rota, window=window, role_rules=rota.role_rules), "json")


def _cut_window_json() -> str:
    rota = _rota()
    window = (
        datetime(YEAR, 3, 10, 13, 17, 9, tzinfo=UTC),
        datetime(YEAR, 11, 2, 5, 43, tzinfo=UTC),
    )
    report = check(rota, window=window, region="scotland", role_rules=rota.role_rules)
    return render(report, "json")


def _files_json(folder: Path) -> str:
    """``standby rota check year.csv --requirements requirements.yaml --format json``."""
    rota = _rota()
    rota_file = folder / "year.csv"
    with rota_file.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(("person", "role", "start", "end", "level"))
        for shift in rota.shifts:
            start, end = (to_local(t, rota.timezone) for t in (shift.start, shift.end))
            # An ambiguous autumn hour is read as its first occurrence: write the offset then.
            form = "%Y-%m-%dT%H:%M:%S%z" if start.fold or end.fold else "%Y-%m-%d %H:%M:%S"
            writer.writerow(
                (shift.person, shift.role, start.strftime(form), end.strftime(form), shift.level)
            )
    lines = ["timezone: Europe/London", "requirements:"]
    for need in rota.requirements:
        if need.dates is not None:
            continue
        entry = f"  - {{role: {need.role}, min: {need.minimum}"
        if need.qualification:
            entry += f", qualification: {need.qualification}"
        if need.when is not None:
            days = ", ".join(need.when.days)
            entry += f", when: {{days: [{days}], from: '{need.when.start:%H:%M}', "
            entry += f"to: '{need.when.end:%H:%M}'}}"
        lines.append(entry + "}")
    lines.append("working_time:")
    lines.append("  - {role: Role B, standby: by_response_time, response_minutes: 5}")
    lines.append("  - {role: Role D, reference_weeks: 26, weekly_rest: fortnightly}")
    lines.append("  - {role: Role F, max_consecutive_days: 5}")
    lines.append("  - {role: Role E, hazardous_night_work: true}")
    requirements_file = folder / "requirements.yaml"
    requirements_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = check_files(rota_file, requirements_file, not_work=["Role A"])
    return render(result.report, "json")


def _digest(text: str) -> dict[str, object]:
    document = json.loads(text)
    kinds = Counter(f"{f['kind']} {f['rule'] or ''}".strip() for f in document["findings"])
    return {
        "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
        "gaps": sum(len(role["gaps"]) for role in document["roles"]),
        "findings": dict(sorted(kinds.items())),
        "fairness_rows": len(document["fairness"]),
    }


def _check_against_golden(name: str, text: str) -> None:
    found = _digest(text)
    golden = json.loads(GOLDEN.read_text(encoding="utf-8")) if GOLDEN.exists() else {}
    if os.environ.get("STANDBY_UPDATE_GOLDEN") == "1":
        golden[name] = found
        GOLDEN.write_text(json.dumps(golden, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    expected = golden[name]
    assert {k: v for k, v in found.items() if k != "sha256"} == {
        k: v for k, v in expected.items() if k != "sha256"
    }, f"{name}: the check's counts changed; if on purpose, run `make golden`"
    assert found["sha256"] == expected["sha256"], (
        f"{name}: the check's JSON changed though its counts did not (a time, an hour figure "
        "or a message); if on purpose, run `make golden` and review the change"
    )


def test_generated_rota_has_every_kind_of_finding_the_check_makes() -> None:
    text = _year_json()
    kinds = {(f["kind"], f["rule"]) for f in json.loads(text)["findings"]}
    assert {kind for kind, _rule in kinds} == {
        "unmatched_role",
        "no_primary",
        "double_booking",
        "leave_clash",
        "unknown_person",
        "unqualified",
        "working_time",
    }
    rules = {rule for kind, rule in kinds if kind == "working_time"}
    assert rules == {"reg 4", "reg 6", "reg 6(7)", "reg 10", "reg 11", "reg 12", "local limit"}


def test_the_year_check_matches_the_golden_digest() -> None:
    _check_against_golden("year", _year_json())


def test_a_window_cutting_shifts_in_scotland_matches_the_golden_digest() -> None:
    _check_against_golden("cut_window_scotland", _cut_window_json())


def test_the_check_from_csv_and_yaml_files_matches_the_golden_digest(tmp_path: Path) -> None:
    _check_against_golden("files", _files_json(tmp_path))
