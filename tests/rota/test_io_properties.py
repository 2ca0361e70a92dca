"""Property tests: our writers and readers agree, and junk only ever gives RotaFileError."""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from standby.rota.io import RotaFileError, read_rota, rota_to_csv, rota_to_ics, rota_to_json
from standby.rota.model import Rota, Shift

# Names as people type them: no control characters, no surrounding spaces, and not starting
# with an apostrophe (the CSV writer's mark for a neutralised formula cell).
TEXT = (
    st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1, max_size=20)
    .map(str.strip)
    .filter(lambda text: bool(text) and not text.startswith("'"))
)

INSTANTS = st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2028, 12, 31)).map(
    lambda moment: moment.replace(second=0, microsecond=0, tzinfo=UTC)
)


@st.composite
def shifts(draw: st.DrawFn) -> Shift:
    start = draw(INSTANTS)
    minutes = draw(st.integers(min_value=1, max_value=60 * 24 * 15))
    return Shift(
        person=draw(TEXT),
        role=draw(TEXT),
        start=start,
        end=start + timedelta(minutes=minutes),
        level=draw(st.integers(min_value=1, max_value=4)),
        phone=draw(st.none() | TEXT),
        notes=draw(st.none() | TEXT),
    )


ROTAS = st.builds(
    Rota,
    timezone=st.sampled_from(["Europe/London", "UTC", "America/New_York"]),
    shifts=st.lists(shifts(), max_size=8),
)


def essentials(rota: Rota) -> list[tuple[object, ...]]:
    return sorted(
        (s.start, s.end, s.role, s.level, s.person, s.phone or "", s.notes or "")
        for s in rota.shifts
    )


def round_trip(rota: Rota, suffix: str, write: Callable[[Rota], str | bytes]) -> Rota:
    data = write(rota)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"rota{suffix}"
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        return read_rota(path, timezone=rota.timezone)


PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(ROTAS)
def test_csv_round_trip_gives_the_same_shifts(rota: Rota) -> None:
    assert essentials(round_trip(rota, ".csv", rota_to_csv)) == essentials(rota)


@PROPERTY
@given(ROTAS)
def test_ics_round_trip_gives_the_same_shifts(rota: Rota) -> None:
    assert essentials(round_trip(rota, ".ics", rota_to_ics)) == essentials(rota)


@PROPERTY
@given(ROTAS)
def test_json_round_trip_gives_the_same_shifts(rota: Rota) -> None:
    again = round_trip(rota, ".json", rota_to_json)
    assert essentials(again) == essentials(rota)
    assert again.timezone == rota.timezone


def only_rota_file_errors(data: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"junk{suffix}"
        path.write_bytes(data)
        with contextlib.suppress(RotaFileError):
            read_rota(path)


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=300), st.sampled_from([".csv", ".yaml", ".ics", ".json", ".xlsx"]))
def test_random_bytes_give_only_rota_file_errors(data: bytes, suffix: str) -> None:
    only_rota_file_errors(data, suffix)


CSV_CELLS = st.sampled_from(
    [
        "person",
        "role",
        "start",
        "end",
        "level",
        "2026-03-29 01:30",
        "2026-10-25 01:30",
        "2026-01-05 09:00",
        "2026-01-05T09:00+01:00",
        "0",
        "-1",
        "x",
        "",
        '"',
        "A, B",
    ]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(CSV_CELLS, max_size=6), max_size=5))
def test_random_csv_gives_only_rota_file_errors(rows: list[list[str]]) -> None:
    text = "\n".join(",".join(row) for row in rows)
    only_rota_file_errors(text.encode(), ".csv")


YAML_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(max_size=12)
    | st.sampled_from(["mon 09:00", "1w", "2026-01-05", "2026-03-29 01:30", "replace"]),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(
            st.sampled_from(
                [
                    "person",
                    "role",
                    "start",
                    "end",
                    "people",
                    "name",
                    "id",
                    "handover",
                    "length",
                    "mode",
                    "level",
                    "min",
                    "when",
                    "days",
                    "from",
                    "to",
                    "every",
                    "x",
                ]
            ),
            children,
            max_size=5,
        )
    ),
    max_leaves=15,
)


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(
            ["timezone", "people", "shifts", "patterns", "overrides", "leave", "requirements"]
        ),
        YAML_VALUES,
        max_size=4,
    )
)
def test_random_yaml_gives_only_rota_file_errors(document: dict[str, object]) -> None:
    only_rota_file_errors(yaml.safe_dump(document).encode(), ".yaml")


XLSX_CELLS = (
    st.none()
    | st.sampled_from(
        [
            "Date",
            "person",
            "role",
            "start",
            "end",
            "level",
            "handover: 09:00",
            "handover: 25:00",
            "shift length: 0d",
            "A. Jones",
            "2026-01-05",
            "05/01/2026",
            "2026-03-29 01:30",
            "x",
        ]
    )
    | st.integers(-5, 5)
    | st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2027, 1, 1))
)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.lists(XLSX_CELLS, max_size=5), max_size=6),
    st.booleans(),
    st.lists(st.sampled_from(["name", "A. Jones", "B. Khan"]), max_size=3),
)
def test_random_workbooks_give_only_rota_file_errors(
    rows: list[list[object]], merge: bool, people: list[str]
) -> None:
    import io

    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    if merge and len(rows) > 2:
        sheet.merge_cells(start_row=2, start_column=2, end_row=len(rows), end_column=2)
    if people:
        people_sheet = workbook.create_sheet("People")
        for person in people:
            people_sheet.append([person])
    buffer = io.BytesIO()
    workbook.save(buffer)
    only_rota_file_errors(buffer.getvalue(), ".xlsx")


ICS_LINES = st.sampled_from(
    [
        "DTSTART;TZID=Europe/London:20260329T013000",
        "DTSTART:20261025T013000",
        "DTSTART;VALUE=DATE:20260105",
        "DTSTART:20260105T090000Z",
        "DTSTART:nonsense",
        "DTEND;TZID=Europe/London:20260112T090000",
        "DTEND:20260101T090000Z",
        "DTEND;TZID=Mars/Olympus:20260112T090000",
        "DURATION:P1W",
        "DURATION:-P1D",
        "RRULE:FREQ=WEEKLY",
        "RRULE:FREQ=DAILY;COUNT=3",
        "RRULE:FREQ=WEEKLY;UNTIL=20260301T000000Z",
        "RRULE:FREQ=NEVER",
        "EXDATE;TZID=Europe/London:20260112T090000",
        "RDATE:20260201T090000Z",
        "RECURRENCE-ID:20260112T090000Z",
        "SUMMARY:Duty Emergency Planning Officer: A. Jones",
        "SUMMARY:A. Jones",
        "SUMMARY:",
        "CATEGORIES:Rest Centre Manager",
        "X-STANDBY-LEVEL:0",
        "UID:same",
        "UID:other",
    ]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(ICS_LINES, max_size=7), max_size=3))
def test_random_calendars_give_only_rota_file_errors(events: list[list[str]]) -> None:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//fuzz//EN"]
    for event in events:
        lines += ["BEGIN:VEVENT", *event, "END:VEVENT"]
    lines.append("END:VCALENDAR")
    only_rota_file_errors("\r\n".join(lines).encode(), ".ics")
