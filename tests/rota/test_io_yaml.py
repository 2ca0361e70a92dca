"""YAML rotas: people, shifts, patterns on the local wall clock, overrides and leave."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from standby.rota.io import RotaFileError, read_json, read_rota, rota_to_json
from standby.rota.model import Shift

# Every UK clock change 2025-2027 (01:00 UTC on the last Sunday of March / October).
SPRING = ["2025-03-30", "2026-03-29", "2027-03-28"]
AUTUMN = ["2025-10-26", "2026-10-25", "2027-10-31"]


def write(tmp_path: Path, text: str, name: str = "rota.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def pattern_rota(tmp_path: Path, handover: str, length: str, extra: str = "") -> list[Shift]:
    text = f"""\
patterns:
  - role: Duty Emergency Planning Officer
    people: [A, B, C]
    handover: {handover}
    length: {length}
    start: 2025-01-01
    end: 2028-01-01
{extra}"""
    return read_rota(write(tmp_path, text)).shifts


def local(shift_time: datetime) -> datetime:
    from zoneinfo import ZoneInfo

    return shift_time.astimezone(ZoneInfo("Europe/London"))


def test_weekly_monday_handover_stays_at_0900_local_for_three_years(tmp_path: Path) -> None:
    shifts = pattern_rota(tmp_path, "mon 09:00", "1w")
    assert len(shifts) == 156
    for shift in shifts:
        for instant in (shift.start, shift.end):
            assert (local(instant).weekday(), local(instant).hour) == (0, 9)
    for previous, following in itertools.pairwise(shifts):
        assert previous.end == following.start
    assert [s.person for s in shifts[:4]] == ["A", "B", "C", "A"]


@pytest.mark.parametrize("day", SPRING)
def test_weekly_shift_spanning_spring_change_is_167_hours(tmp_path: Path, day: str) -> None:
    change = datetime.fromisoformat(day).replace(hour=1, tzinfo=UTC)
    shifts = pattern_rota(tmp_path, "mon 09:00", "1w")
    (spanning,) = [s for s in shifts if s.start < change < s.end]
    assert spanning.hours == 167


@pytest.mark.parametrize("day", AUTUMN)
def test_weekly_shift_spanning_autumn_change_is_169_hours(tmp_path: Path, day: str) -> None:
    change = datetime.fromisoformat(day).replace(hour=1, tzinfo=UTC)
    shifts = pattern_rota(tmp_path, "mon 09:00", "1w")
    (spanning,) = [s for s in shifts if s.start < change < s.end]
    assert spanning.hours == 169


@pytest.mark.parametrize(("day", "hours"), [(d, 23) for d in SPRING] + [(d, 25) for d in AUTUMN])
def test_daily_0900_shift_on_change_day(tmp_path: Path, day: str, hours: int) -> None:
    change = datetime.fromisoformat(day).replace(hour=1, tzinfo=UTC)
    shifts = pattern_rota(tmp_path, "09:00", "1d")
    (spanning,) = [s for s in shifts if s.start < change < s.end]
    assert spanning.hours == hours
    assert all(s.hours in (23, 24, 25) for s in shifts)


def test_generated_nonexistent_time_moves_to_next_valid_instant(tmp_path: Path) -> None:
    shifts = pattern_rota(tmp_path, "01:30", "1d")
    on_change_day = [s for s in shifts if s.start.date().isoformat() == "2026-03-29"]
    assert on_change_day[0].start == datetime(2026, 3, 29, 1, 0, tzinfo=UTC)  # 02:00 BST
    before = [s for s in shifts if s.end == on_change_day[0].start]
    assert len(before) == 1  # no gap, no overlap


def test_days_and_every_make_weekday_nights(tmp_path: Path) -> None:
    text = """\
patterns:
  - role: Social Care Emergency Duty Team
    people: [A, B]
    handover: "17:00"
    length: 15h45m
    every: 1d
    days: [mon, tue, wed, thu]
    start: 2026-01-05
    end: 2026-01-12
"""
    shifts = read_rota(write(tmp_path, text)).shifts
    assert len(shifts) == 4
    assert shifts[0].start == datetime(2026, 1, 5, 17, tzinfo=UTC)
    assert shifts[0].end == datetime(2026, 1, 6, 8, 45, tzinfo=UTC)
    assert [s.person for s in shifts] == ["A", "B", "A", "B"]


OVERRIDE_BASE = """\
people:
  - {id: ajones, name: Alex Jones, phone: "07700 900001"}
  - {id: bkhan, name: Bina Khan}
  - {id: cwu, name: Chen Wu}
patterns:
  - role: DEPO
    people: [ajones, bkhan]
    handover: mon 09:00
    length: 1w
    start: 2026-01-05
    end: 2026-01-19
"""


def test_override_replace_trims_pattern_shift_and_inserts_person(tmp_path: Path) -> None:
    text = OVERRIDE_BASE + (
        "overrides:\n"
        "  - {role: DEPO, start: 2026-01-07 09:00, end: 2026-01-08 09:00, person: Chen Wu}\n"
    )
    shifts = read_rota(write(tmp_path, text)).shifts
    assert [(s.person, s.start.day, s.end.day) for s in shifts] == [
        ("ajones", 5, 7),
        ("cwu", 7, 8),
        ("ajones", 8, 12),
        ("bkhan", 12, 19),
    ]
    assert shifts[1].source == "rota.yaml:overrides.0"
    assert shifts[1].notes == "override (replace)"


def test_override_replace_without_person_leaves_a_gap(tmp_path: Path) -> None:
    text = (
        OVERRIDE_BASE
        + "overrides:\n  - {role: DEPO, start: 2026-01-07 09:00, end: 2026-01-08 09:00}\n"
    )
    shifts = read_rota(write(tmp_path, text)).shifts
    assert [(s.person, s.start.day, s.end.day) for s in shifts] == [
        ("ajones", 5, 7),
        ("ajones", 8, 12),
        ("bkhan", 12, 19),
    ]


def test_override_add_keeps_pattern_cover(tmp_path: Path) -> None:
    text = OVERRIDE_BASE + (
        "overrides:\n"
        "  - {role: DEPO, start: 2026-01-07 09:00, end: 2026-01-08 09:00, person: cwu,"
        " mode: add}\n"
    )
    shifts = read_rota(write(tmp_path, text)).shifts
    assert len(shifts) == 3
    assert {s.person for s in shifts} == {"ajones", "bkhan", "cwu"}


def test_override_other_level_is_untouched(tmp_path: Path) -> None:
    text = OVERRIDE_BASE + (
        "overrides:\n"
        "  - {role: DEPO, level: 2, start: 2026-01-07 09:00, end: 2026-01-08 09:00, person: cwu}\n"
    )
    shifts = read_rota(write(tmp_path, text)).shifts
    assert len(shifts) == 3 and shifts[1].level == 2


def test_overrides_survive_json_export_and_reimport(tmp_path: Path) -> None:
    text = OVERRIDE_BASE + (
        "overrides:\n"
        "  - {role: DEPO, start: 2026-01-07 09:00, end: 2026-01-08 09:00, person: cwu}\n"
    )
    rota = read_rota(write(tmp_path, text))
    exported = write(tmp_path, rota_to_json(rota), name="rota.json")
    again = read_json(exported)
    assert again.shifts == rota.shifts
    assert again.people == rota.people
    assert any(s.source == "rota.yaml:overrides.0" for s in again.shifts)


def test_people_leave_and_requirements(tmp_path: Path) -> None:
    text = (
        OVERRIDE_BASE
        + """\
leave:
  - {person: bkhan, start: 2026-01-13, end: 2026-01-14}
requirements:
  - {role: DEPO, min: 1}
"""
    )
    rota = read_rota(write(tmp_path, text))
    assert rota.people["ajones"].phone == "07700 900001"
    (leave,) = rota.leave
    assert leave.start == datetime(2026, 1, 13, tzinfo=UTC)
    assert leave.end - leave.start == timedelta(days=2)  # a date-only end is inclusive
    assert rota.requirements[0].role == "DEPO"


def test_explicit_shifts_and_timezone_key(tmp_path: Path) -> None:
    text = """\
timezone: Europe/Dublin
shifts:
  - {person: A, role: R, start: 2026-07-01 09:00, end: 2026-07-01 17:00, level: 2}
"""
    rota = read_rota(write(tmp_path, text))
    (shift,) = rota.shifts
    assert shift.start == datetime(2026, 7, 1, 8, tzinfo=UTC) and shift.level == 2
    assert shift.source == "rota.yaml:shifts.0"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", ["rota.yaml", "empty"]),
        ("[1, 2]\n", ["rota.yaml", "mapping"]),
        (
            "shifts:\n  - person: A\n    role: R\n    start: 2026-01-05 09:00\n"
            "    end: 2026-01-05 17:00\n    levle: 2\n",
            ["rota.yaml", "shifts.0.levle", "line 6", "spelling"],
        ),
        (
            "patterns:\n  - {role: R, people: [A], handover: monday 9am, length: 1w,"
            " start: 2026-01-05, end: 2026-02-01}\n",
            ["rota.yaml", "patterns.0.handover", "line 2", "mon 09:00"],
        ),
        (
            "patterns:\n  - {role: R, people: [A], handover: mon 09:00, length: 1 fortnight,"
            " start: 2026-01-05, end: 2026-02-01}\n",
            ["rota.yaml", "patterns.0.length", "1w, 1d, 12h"],
        ),
        (
            OVERRIDE_BASE.replace("people: [ajones, bkhan]", "people: [ajones, dpatel]"),
            ["rota.yaml", "patterns.0.people.1", "line 7", "'dpatel'", "add them to 'people'"],
        ),
        (
            "shifts:\n  - {person: A, role: R, start: 2026-03-29 01:30, end: 2026-03-29 09:00}\n",
            ["rota.yaml", "shifts.0.start", "line 2", "does not exist"],
        ),
        (
            "shifts:\n  - {person: A, role: R, start: 2026-01-05 09:00, end: 2026-01-04 09:00}\n",
            ["rota.yaml", "shifts.0", "not after start"],
        ),
        (
            "people:\n  - {name: A, answer_probability: 1.5}\n",
            ["rota.yaml", "people.0.answer_probability", "line 2"],
        ),
        (
            "overrides:\n  - {role: R, start: 2026-01-05, end: 2026-01-06, mode: add}\n",
            ["needs a 'person'"],
        ),
        ("shifts: [\n", ["rota.yaml", "line 2", "not valid YAML"]),
    ],
)
def test_error_messages_name_file_key_line_and_fix(
    tmp_path: Path, text: str, expected: list[str]
) -> None:
    with pytest.raises(RotaFileError) as caught:
        read_rota(write(tmp_path, text))
    for fragment in expected:
        assert fragment in str(caught.value)


def test_ambiguous_time_in_yaml_warns_with_key(tmp_path: Path) -> None:
    text = "shifts:\n  - {person: A, role: R, start: 2026-10-25 01:30, end: 2026-10-25 09:00}\n"
    rota = read_rota(write(tmp_path, text))
    (warning,) = rota.warnings
    assert "rota.yaml: shifts.0.start (line 2)" in warning and "first occurrence" in warning


def test_pattern_that_makes_no_shifts_is_warned(tmp_path: Path) -> None:
    text = """\
patterns:
  - {role: R, people: [A], handover: mon 09:00, length: 1w, days: [tue],
     start: 2026-01-05, end: 2026-02-01}
"""
    rota = read_rota(write(tmp_path, text))
    assert rota.shifts == []
    (warning,) = rota.warnings
    assert "rota.yaml: patterns.0 (line 2): makes no shifts" in warning
