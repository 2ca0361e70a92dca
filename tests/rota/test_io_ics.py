"""iCalendar rotas: events, RRULE with EXDATE and TZID, unbounded rules, and our writer."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from standby.rota.io import RotaFileError, read_rota, rota_to_ics
from standby.rota.model import Rota, Shift

WEEKLY = """\
BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Test//EN
BEGIN:VEVENT
UID:depo-weekly
DTSTAMP:20260101T000000Z
DTSTART;TZID=Europe/London:20260302T090000
DTEND;TZID=Europe/London:20260309T090000
SUMMARY:Duty Emergency Planning Officer: A. Jones
RRULE:FREQ=WEEKLY;UNTIL=20260420T080000Z
EXDATE;TZID=Europe/London:20260330T090000
END:VEVENT
BEGIN:VEVENT
UID:cover-1
DTSTAMP:20260101T000000Z
DTSTART;TZID=Europe/London:20260330T090000
DTEND;TZID=Europe/London:20260406T090000
CATEGORIES:Duty Emergency Planning Officer
SUMMARY:B. Khan
END:VEVENT
END:VCALENDAR
"""


def write(tmp_path: Path, text: str | bytes, name: str = "rota.ics") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return path


def test_rrule_exdate_and_tzid_are_expanded_on_local_time(tmp_path: Path) -> None:
    rota = read_rota(write(tmp_path, WEEKLY))
    people = [(s.person, s.start.astimezone(UTC).strftime("%m-%d %H:%M")) for s in rota.shifts]
    assert people == [
        ("A. Jones", "03-02 09:00"),
        ("A. Jones", "03-09 09:00"),
        ("A. Jones", "03-16 09:00"),
        ("A. Jones", "03-23 09:00"),  # spans the spring change: 167 h
        ("B. Khan", "03-30 08:00"),  # the EXDATE week, covered by another event
        ("A. Jones", "04-06 08:00"),
        ("A. Jones", "04-13 08:00"),
        ("A. Jones", "04-20 08:00"),
    ]
    assert rota.shifts[3].hours == 167
    assert {s.role for s in rota.shifts} == {"Duty Emergency Planning Officer"}
    assert rota.shifts[0].source == "rota.ics:depo-weekly"
    assert rota.warnings == []


def test_rule_with_no_end_is_bounded_and_warned(tmp_path: Path) -> None:
    text = WEEKLY.replace(";UNTIL=20260420T080000Z", "").replace(
        "BEGIN:VEVENT\nUID:cover-1", "BEGIN:VEVENT\nUID:cover-1", 1
    )
    rota = read_rota(write(tmp_path, text))
    (warning,) = rota.warnings
    assert "rota.ics" in warning and "no end" in warning and "UNTIL or COUNT" in warning
    # Bounded by the other event's end (2026-04-06 09:00 BST).
    assert max(s.start for s in rota.shifts) < datetime(2026, 4, 6, 8, tzinfo=UTC)


def test_lone_rule_with_no_end_expands_one_year(tmp_path: Path) -> None:
    text = WEEKLY.replace(";UNTIL=20260420T080000Z", "")
    text = text[: text.index("BEGIN:VEVENT\nUID:cover-1")] + "END:VCALENDAR\n"
    rota = read_rota(write(tmp_path, text))
    assert 51 <= len(rota.shifts) <= 53
    assert "2027-03-02" in rota.warnings[0]


def test_count_rule_stops_by_itself(tmp_path: Path) -> None:
    text = WEEKLY.replace("UNTIL=20260420T080000Z", "COUNT=3").replace(
        "EXDATE;TZID=Europe/London:20260330T090000\n", ""
    )
    rota = read_rota(write(tmp_path, text))
    assert len([s for s in rota.shifts if s.person == "A. Jones"]) == 3


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", ["rota.ics", "empty", ".ics"]),
        (
            WEEKLY.replace("FREQ=WEEKLY", "FREQ=FORTNIGHTLY"),
            ["rota.ics", "depo-weekly", "RRULE", "FORTNIGHTLY", "RRULE:FREQ=WEEKLY;UNTIL="],
        ),
        ("hello world\n", ["rota.ics", "not a readable iCalendar", "export it again"]),
        (
            WEEKLY.replace("SUMMARY:B. Khan", "SUMMARY:").replace("CATEGORIES:", "X-C:"),
            ["rota.ics", "cover-1", "role: person", "CATEGORIES"],
        ),
        (
            WEEKLY.replace("Duty Emergency Planning Officer: A. Jones", "A. Jones"),
            ["rota.ics", "'A. Jones'", "depo-weekly", "role: person"],
        ),
        (
            WEEKLY.replace(
                "DTEND;TZID=Europe/London:20260309T090000",
                "DTEND;TZID=Europe/London:20260301T090000",
            ),
            ["rota.ics", "depo-weekly", "not after start"],
        ),
    ],
)
def test_error_messages(tmp_path: Path, text: str, expected: list[str]) -> None:
    with pytest.raises(RotaFileError) as caught:
        read_rota(write(tmp_path, text))
    for fragment in expected:
        assert fragment in str(caught.value)


def test_floating_time_that_does_not_exist_names_the_event(tmp_path: Path) -> None:
    text = WEEKLY.replace("DTSTART;TZID=Europe/London:20260330T090000", "DTSTART:20260329T013000")
    with pytest.raises(RotaFileError) as caught:
        read_rota(write(tmp_path, text))
    assert "rota.ics" in str(caught.value) and "cover-1" in str(caught.value)
    assert "does not exist" in str(caught.value)


def shifts_across_changes() -> list[Shift]:
    starts = [
        datetime(2026, 3, 23, 9, tzinfo=UTC),
        datetime(2026, 10, 25, 0, 30, tzinfo=UTC),  # 01:30 BST, first occurrence
        datetime(2026, 10, 25, 1, 30, tzinfo=UTC),  # 01:30 GMT, second occurrence
    ]
    return [
        Shift(
            person=f"P{index}",
            role="Rest Centre Manager",
            start=start,
            end=start + timedelta(hours=169),
            level=index + 1,
            phone="07700 900123",
            notes="cover, with comma",
        )
        for index, start in enumerate(starts)
    ]


def test_writer_round_trips_across_clock_changes(tmp_path: Path) -> None:
    rota = Rota(shifts=shifts_across_changes())
    data = rota_to_ics(rota)
    assert b"BEGIN:VTIMEZONE" in data and b"TZID=Europe/London" in data
    assert b"SUMMARY:Rest Centre Manager: P0" in data
    again = read_rota(write(tmp_path, data))
    strip = [(s.person, s.role, s.start, s.end, s.level, s.phone, s.notes) for s in rota.shifts]
    assert [
        (s.person, s.role, s.start, s.end, s.level, s.phone, s.notes) for s in again.shifts
    ] == strip


def test_writer_uids_are_stable_and_unique() -> None:
    rota = Rota(shifts=shifts_across_changes() + shifts_across_changes()[:1])
    first, second = rota_to_ics(rota), rota_to_ics(rota)
    assert first == second
    uids = [line for line in first.decode().splitlines() if line.startswith("UID:")]
    assert len(uids) == len(set(uids)) == 4


def test_floating_times_follow_x_wr_timezone(tmp_path: Path) -> None:
    text = WEEKLY.replace(
        "PRODID:-//Test//EN", "PRODID:-//Test//EN\nX-WR-TIMEZONE:America/New_York"
    )
    text = text.replace("DTSTART;TZID=Europe/London:20260330T090000", "DTSTART:20260330T090000")
    rota = read_rota(write(tmp_path, text))
    assert rota.timezone == "America/New_York"
    (cover,) = [s for s in rota.shifts if s.person == "B. Khan"]
    assert cover.start == datetime(2026, 3, 30, 13, tzinfo=UTC)
