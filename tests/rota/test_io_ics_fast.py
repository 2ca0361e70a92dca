"""The fast road through a calendar (rota.io_ics_plain.read_plain) reads exactly what the
line scanner's road reads: the same shifts, warnings and zone, or the same message."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from standby.rota import io_ics, io_ics_plain
from standby.rota.io import RotaFileError, read_rota, rota_to_ics
from standby.rota.io_ics_text import escape_text, fold
from standby.rota.model import Rota

# Values that read, and the odd ones (a calendar is hostile one time in four, and only then
# are the odd ones drawn, so that most calendars read and go down the fast road).
PEOPLE = ["A. Jones", "B. Smith, Jr", "C;D", "E\\F", "Ölaf Ström", "G: H", 'J "Jay" K', " pad "]
ROLES = ["Duty EPO", "Rest Centre Manager (backup)", "Loggist (level 3)", "Comms"]
ODD_ROLES = ["X:Y", ""]
ZONES = ["Europe/London", "UTC", "America/New_York", "Custom/Zone"]
ODD_ZONES = [
    "GMT Standard Time",  # a Windows name: icalendar's road
    "Europe",  # a region, not a zone: an error
    '"Europe/London"',  # quoted: the line scanner's road
    "Nowhere/Zone",  # neither known nor defined: an error
    "",  # empty: icalendar's road
]
STARTS = ["20260105T090000", "20261025T013000"]  # the second happens twice in London
ENDS = ["20260106T090000", "20261026T090000"]
ODD_TIMES = [
    "20260329T013000",  # does not exist in London
    "18000101T090000",  # before the years Standby works in
    "20261301T090000",  # no such month
]
START_DATES, END_DATES = ["20260105"], ["20260106", "20260112"]
ODD_DATES = ["2026010"]
UIDS = ["u1", "u2", "u3", "u\\4", " u5 ", "u6", "u7", "u8"]
QUOTED = '"en"'
CUSTOM_ZONE = [
    "BEGIN:VTIMEZONE",
    "TZID:Custom/Zone",
    "BEGIN:STANDARD",
    "DTSTART:19700101T000000",
    "TZOFFSETFROM:+0100",
    "TZOFFSETTO:+0100",
    "END:STANDARD",
    "END:VTIMEZONE",
]


def pick(draw: st.DrawFn, hostile: bool, values: list[str], odd: list[str]) -> str:
    """One of ``values``; in a hostile calendar, one time in six one of ``odd``, so that
    most hostile calendars have only an oddity or two, each of which has to be read
    alike by both roads."""
    if hostile and draw(st.integers(0, 5)) == 0:
        return draw(st.sampled_from(odd))
    return draw(st.sampled_from(values))


@st.composite
def times(draw: st.DrawFn, name: str, hostile: bool) -> str:
    forms = ["utc", "floating", "zone", "zone", "date"] + (["bad-date"] if hostile else [])
    form = draw(st.sampled_from(forms))
    when = pick(draw, hostile, STARTS if name == "DTSTART" else ENDS, ODD_TIMES + ENDS + STARTS)
    dates = START_DATES if name == "DTSTART" else END_DATES
    if form == "utc":
        return f"{name}:{when}Z"
    if form == "floating":
        return f"{name}:{when if hostile else when.replace('T01', 'T11')}"
    if form == "zone":
        return f"{name};TZID={pick(draw, hostile, ZONES, ODD_ZONES)}:{when}"
    if form == "date":
        return f"{name};VALUE=DATE:{pick(draw, hostile, dates, ODD_DATES)}"
    return f"{name};VALUE=DATE:{when}"


@st.composite
def properties(draw: st.DrawFn, layout: tuple[str, ...], hostile: bool) -> list[str]:
    """One event's lines, in the order ``layout`` gives."""
    role, person = pick(draw, hostile, ROLES, ODD_ROLES), draw(st.sampled_from(PEOPLE))
    lines = []
    for name in layout:
        if name == "UID":
            lines.append("UID:" + draw(st.sampled_from(UIDS)))
        elif name in ("DTSTART", "DTEND"):
            lines.append(draw(times(name, hostile)))
        elif name == "DURATION":
            lines.append("DURATION:" + pick(draw, hostile, ["PT12H", "P1D"], ["PT0S", "PT"]))
        elif name == "SUMMARY":
            summary = f"{role}: {person}"
            if hostile or "CATEGORIES" in layout:
                summary = draw(st.sampled_from([summary, person, role]))
            lines.append(f"SUMMARY:{escape_text(summary)}")
        elif name == "CATEGORIES":
            lines.append(f"CATEGORIES:{escape_text(role)}")
        elif name == "X-STANDBY-ROLE":
            lines.append(f"X-STANDBY-ROLE:{escape_text(role)}")
        elif name == "X-STANDBY-PERSON":
            lines.append(f"X-STANDBY-PERSON:{escape_text(person)}")
        elif name == "X-STANDBY-LEVEL":
            lines.append("X-STANDBY-LEVEL:" + pick(draw, hostile, ["1", "2", ""], ["x", "0"]))
        elif name == "X-STANDBY-PHONE":
            lines.append("X-STANDBY-PHONE:" + draw(st.sampled_from(["01632 960000", ""])))
        elif name == "DESCRIPTION":
            text = draw(st.sampled_from(["Call 01632 960001", "a\nb; c, d", "", "x" * 90]))
            lines.append(f"DESCRIPTION:{escape_text(text)}")
        elif name == "RRULE":
            lines.append("RRULE:FREQ=DAILY;COUNT=2")
        elif name == "RECURRENCE-ID":
            lines.append("RECURRENCE-ID:20260106T090000Z")
        elif name == "VALARM":
            lines += ["BEGIN:VALARM", "ACTION:DISPLAY", "TRIGGER:-PT15M", "END:VALARM"]
        elif name == "summary":
            lines.append(f"summary:{escape_text(role)}: {escape_text(person)}")
        elif name == "EXDATE":  # no RRULE: ignored, but its zone counts as the times' do
            zone = pick(draw, hostile, ZONES, ODD_ZONES)
            lines.append(f"EXDATE;TZID={zone}:20260107T090000")
        elif name == "LOCATION;LANGUAGE":
            lines.append(f"LOCATION;LANGUAGE={draw(st.sampled_from(['en', QUOTED]))}:Hall")
        else:
            lines.append(f"{name}:20260101T000000Z")
    return lines


#: Lines an event may have beside DTSTART and SUMMARY (DURATION takes DTEND's place).
EXTRA = [
    "UID",
    "DTSTAMP",
    "DTEND",
    "DURATION",
    "CATEGORIES",
    "X-STANDBY-ROLE",
    "X-STANDBY-PERSON",
    "X-STANDBY-LEVEL",
    "X-STANDBY-PHONE",
    "DESCRIPTION",
    "LAST-MODIFIED",
    "LOCATION;LANGUAGE",
    "EXDATE",
    "VALARM",
    "RRULE",
    "RECURRENCE-ID",
    "summary",
]


@st.composite
def layouts(draw: st.DrawFn, hostile: bool) -> tuple[str, ...]:
    if hostile:
        names = draw(st.lists(st.sampled_from(["DTSTART", "SUMMARY", *EXTRA]), max_size=9))
        return tuple(names)
    extra = draw(st.lists(st.sampled_from(EXTRA[:13]), max_size=5, unique=True))
    if "DURATION" in extra and "DTEND" in extra:
        extra.remove("DURATION")
    elif "DURATION" not in extra and "DTEND" not in extra:
        extra.append("DTEND")
    if draw(st.integers(0, 5)) == 0:
        extra.append(draw(st.sampled_from(EXTRA[13:])))
    return tuple(draw(st.permutations(["DTSTART", "SUMMARY", *extra])))


@st.composite
def calendars(draw: st.DrawFn) -> str:
    hostile = draw(st.integers(0, 3)) == 0
    shapes = draw(st.lists(layouts(hostile), min_size=1, max_size=3))
    events = draw(st.lists(st.sampled_from(shapes), min_size=2, max_size=15))
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Test//EN"]
    zones = [[], ["X-WR-TIMEZONE:Europe/London"], ["X-WR-TIMEZONE:America/New_York"]]
    lines += draw(st.sampled_from(zones + ([["X-WR-TIMEZONE:Mars"]] if hostile else [])))
    if draw(st.booleans()) or not hostile:
        lines += CUSTOM_ZONE
    for layout in events:
        lines += ["BEGIN:VEVENT", *draw(properties(layout, hostile)), "END:VEVENT"]
    lines.append("END:VCALENDAR")
    if draw(st.booleans()):
        lines = [fold(line) for line in lines]
    if hostile and draw(st.booleans()):
        lines.insert(draw(st.integers(1, len(lines) - 1)), "")
    newline = draw(st.sampled_from(["\r\n", "\n"]))
    return newline.join(lines) + draw(st.sampled_from(["", newline]))


def _outcome(path: Path) -> tuple[Any, ...]:
    try:
        rota = read_rota(path)
    except RotaFileError as error:
        return ("error", str(error))
    return ("rota", rota.timezone, rota.shifts, rota.warnings)


def _both(path: Path) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
    """The file read as read_rota reads it, and with the fast road closed."""
    fast = _outcome(path)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(io_ics, "read_plain", lambda *args: None)
        slow = _outcome(path)
    return fast, slow


@settings(max_examples=400, deadline=None)
@given(text=calendars())
def test_both_roads_read_the_same(text: str, tmp_path_factory: pytest.TempPathFactory) -> None:
    path = tmp_path_factory.mktemp("ics") / "rota.ics"
    path.write_bytes(text.encode("utf-8"))
    fast, slow = _both(path)
    assert fast == slow


def _calendar(events: list[list[str]], *, header: list[str] | None = None) -> str:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Test//EN", *(header or [])]
    for event in events:
        lines += ["BEGIN:VEVENT", *event, "END:VEVENT"]
    return "\r\n".join([*lines, "END:VCALENDAR", ""])


def _event(uid: str, start: str, person: str = "A. Jones") -> list[str]:
    return [
        f"UID:{uid}",
        "DTSTAMP:20260101T000000Z",
        f"DTSTART;TZID=Europe/London:{start}",
        f"DTEND;TZID=Europe/London:{start[:8]}T210000",
        f"SUMMARY:Duty EPO: {person}",
    ]


def test_an_export_goes_down_the_fast_road(tmp_path: Path) -> None:
    rota = read_rota(Path(__file__).parents[2] / "rota" / "data" / "council-2026.yaml")
    text = rota_to_ics(rota).decode()
    read = io_ics_plain.read_plain(text, tmp_path / "rota.ics", "Europe/London")
    assert read is not None
    assert len(read.shifts) == len(rota.shifts) - 1  # the first teaches the layout
    assert len(read.calendar.events) == 1


def test_events_of_two_layouts_keep_the_file_order(tmp_path: Path) -> None:
    """Shifts alike in start, role, level and person stay in the order of the file."""
    events = []
    for number in range(6):
        event = _event(f"u{number}", "20260105T090000")
        if number % 2:
            event.reverse()  # another layout
        events.append(event)
    path = tmp_path / "rota.ics"
    path.write_text(_calendar(events), encoding="utf-8")
    read = io_ics_plain.read_plain(path.read_text(), path, "Europe/London")
    assert read is not None and len(read.shifts) == 4 and len(read.calendar.events) == 2
    fast, slow = _both(path)
    assert fast == slow
    assert [shift.source for shift in fast[2]] == [f"rota.ics:u{n}" for n in range(6)]


@pytest.mark.parametrize(
    ("event", "why"),
    [
        (["DTSTART:20261025T013000"], "a floating time that happens twice: a warning"),
        (["DTSTART:20260329T013000"], "a floating time that does not exist"),
        (["DTEND:20260105T080000Z"], "order"),
        (["SUMMARY:nobody"], "no role"),
        (["DTSTART:18000105T090000Z"], "a year Standby does not work in"),
    ],
)
def test_the_fast_road_gives_up_on_what_it_cannot_read_exactly(
    tmp_path: Path, event: list[str], why: str
) -> None:
    base = [
        "UID:u",
        "DTSTART:20260105T090000Z",
        "DTEND:20260105T210000Z",
        "SUMMARY:Duty EPO: A. Jones",
    ]
    path = tmp_path / "rota.ics"
    path.write_text(_calendar([base, base, _replaced(base, event)]), encoding="utf-8")
    assert io_ics_plain.read_plain(path.read_text(), path, "Europe/London") is None, why
    fast, slow = _both(path)
    assert fast == slow


@pytest.mark.parametrize(
    "event",
    [
        ['DTSTART;TZID="Europe/London":20260105T090000'],  # quoted
        ["DTSTART;TZID=GMT Standard Time:20260105T090000"],  # a Windows name
        ["DTSTART;TZID=:20260105T090000"],  # an empty TZID: refused on icalendar's road
        ["summary:Duty EPO: B. Smith"],  # lower case
        ["X-NOTE:first", "X-NOTE:second"],  # a name twice
    ],
)
def test_an_event_the_layout_cannot_take_is_scanned(tmp_path: Path, event: list[str]) -> None:
    base = _event("u", "20260105T090000")
    path = tmp_path / "rota.ics"
    path.write_text(_calendar([base, base, _replaced(base, event)]), encoding="utf-8")
    read = io_ics_plain.read_plain(path.read_text(), path, "Europe/London")
    assert read is not None
    assert (len(read.shifts), read.scanned) == (1, [0, 2])
    fast, slow = _both(path)
    assert fast == slow


def _replaced(event: list[str], lines: list[str]) -> list[str]:
    """``event`` with each of ``lines`` in place of its line of the same name (the same
    layout, unless a name is new or differs in case), or else at the end."""
    out = list(event)
    for line in lines:
        names = [_name(old) for old in out]
        if _name(line) in names:
            out[names.index(_name(line))] = line
        else:
            out.append(line)
    return out


def _name(line: str) -> str:
    return line.split(":")[0].split(";")[0]


def test_a_shift_in_a_series_uid_goes_with_the_series(tmp_path: Path) -> None:
    series = [*_event("s", "20260105T090000"), "RRULE:FREQ=DAILY;COUNT=3"]
    path = tmp_path / "rota.ics"
    path.write_text(
        _calendar([_event("a", "20260105T090000"), _event("s", "20260110T090000"), series]),
        encoding="utf-8",
    )
    assert io_ics_plain.read_plain(path.read_text(), path, "Europe/London") is None
    fast, slow = _both(path)
    assert fast == slow and fast[0] == "rota"


def test_a_series_beside_layout_events_is_expanded_over_their_span(tmp_path: Path) -> None:
    """A rule with no end is expanded up to the last end of the other events."""
    events = [_event(f"u{n}", f"202601{n + 10:02d}T090000") for n in range(5)]
    events.append([*_event("s", "20260105T090000", "B. Smith"), "RRULE:FREQ=DAILY"])
    path = tmp_path / "rota.ics"
    path.write_text(_calendar(events), encoding="utf-8")
    read = io_ics_plain.read_plain(path.read_text(), path, "Europe/London")
    assert read is not None and len(read.shifts) == 4
    fast, slow = _both(path)
    assert fast == slow
    rota = Rota(timezone="Europe/London", shifts=fast[2])
    assert sum(shift.person == "B. Smith" for shift in rota.shifts) == 10  # 5 Jan to 14 Jan
    assert any("repeats with no end" in warning for warning in fast[3])
