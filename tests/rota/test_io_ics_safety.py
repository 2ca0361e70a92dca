"""iCalendar files written safely and read within bounds, by both of the reader's roads.

The independent oracle is ``icalendar`` itself: what our writer writes, it must read back
as the same values, and what our plain-event reader reads must be what the icalendar road
reads from the same file.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import icalendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from standby.rota import io_ics
from standby.rota.io import RotaFileError, read_rota, rota_to_ics
from standby.rota.io_ics_series import Span
from standby.rota.io_ics_shift import make_shift
from standby.rota.model import Rota, Shift

START = datetime(2026, 1, 5, 9, tzinfo=UTC)
HOSTILE = "A. Jones\r\nATTACH:https://example.invalid/x\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY:x"


def _rota(**values: str) -> Rota:
    shift = Shift(
        person=values.get("person", "A. Jones"),
        role=values.get("role", "Duty Emergency Planning Officer"),
        start=START,
        end=START + timedelta(days=7),
        phone=values.get("phone", "07700 900001"),
        notes=values.get("notes"),
    )
    return Rota(shifts=[shift])


@pytest.mark.parametrize("field", ["person", "role", "phone", "notes"])
def test_a_newline_in_any_value_stays_inside_its_own_property(field: str) -> None:
    data = rota_to_ics(_rota(**{field: HOSTILE}))
    lines = data.split(b"\r\n")
    assert lines.count(b"BEGIN:VEVENT") == lines.count(b"END:VEVENT") == 1
    assert not any(line.startswith(b"ATTACH") for line in lines)
    (event,) = icalendar.Calendar.from_ical(data).walk("VEVENT")
    assert "ATTACH" not in event
    if field in ("person", "role"):
        assert HOSTILE.replace("\r\n", "\n") in str(event["SUMMARY"])
    if field == "notes":
        # the notes, then the phone to ring on a line of its own
        assert str(event["DESCRIPTION"]) == HOSTILE.replace("\r\n", "\n") + (
            "\n\nPhone: 07700 900001"
        )


@pytest.mark.parametrize("field", ["person", "role", "phone", "notes"])
def test_escaped_values_read_back_exactly(tmp_path: Path, field: str) -> None:
    value = "Jones; Smith, and \\N co\nnext line"
    path = tmp_path / "rota.ics"
    path.write_bytes(rota_to_ics(_rota(**{field: value})))
    (shift,) = read_rota(path).shifts
    assert getattr(shift, field) == value


def test_long_values_are_folded_at_75_octets_without_splitting_a_character() -> None:
    name = "Siân Ó Murchú-Ŵyn " * 12
    data = rota_to_ics(_rota(person=name))
    assert max(len(line) for line in data.split(b"\r\n")) <= 75
    data.decode("utf-8")  # no character split across a fold (each line decodes)
    for line in data.split(b"\r\n"):
        line.decode("utf-8")
    (event,) = icalendar.Calendar.from_ical(data).walk("VEVENT")
    assert str(event["SUMMARY"]) == f"Duty Emergency Planning Officer: {name}"


def test_control_characters_are_left_out_of_text() -> None:
    data = rota_to_ics(_rota(person="Eve\x1b[2J\x00"))
    assert b"\x1b" not in data and b"\x00" not in data
    assert b"X-STANDBY-PERSON:Eve[2J" in data


# ------------------------------------------------------------------ both roads agree

_NAMES = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc"))
    | st.sampled_from(list(';,:\\\n"')),
    min_size=1,
    max_size=20,
).filter(lambda text: text.strip() and ":" not in text)
_ZONES = st.sampled_from(["Europe/London", "America/New_York", "floating", "utc"])


def _time(moment: datetime, where: str, name: str) -> str:
    if where == "utc":
        return f"{name}:{moment:%Y%m%dT%H%M%S}Z"
    if where == "floating":
        return f"{name}:{moment:%Y%m%dT%H%M%S}"
    return f"{name};TZID={where}:{moment:%Y%m%dT%H%M%S}"


def _escaped(text: str) -> str:
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return text.replace("\n", "\\n")


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            _NAMES,
            _NAMES,
            _ZONES,
            st.integers(0, 400 * 24),
            st.integers(1, 200),
            st.booleans(),
        ),
        min_size=1,
        max_size=6,
    )
)
def test_the_plain_road_reads_what_icalendar_reads(
    tmp_path_factory: pytest.TempPathFactory,
    events: list[tuple[str, str, str, int, int, bool]],
) -> None:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Test//EN"]
    for number, (role, person, where, hours, length, categories) in enumerate(events):
        begin = datetime(2026, 1, 1) + timedelta(hours=hours)
        lines += ["BEGIN:VEVENT", f"UID:event-{number}"]
        lines += [_time(begin, where, "DTSTART"), f"DURATION:PT{length}H"]
        if categories:
            lines += [f"CATEGORIES:{_escaped(role)}", f"SUMMARY:{_escaped(person)}"]
        else:
            lines += [f"SUMMARY:{_escaped(role.replace(':', ''))}: {_escaped(person)}"]
        lines += ["END:VEVENT"]
    path = tmp_path_factory.mktemp("ics") / "rota.ics"
    path.write_text("\r\n".join([*lines, "END:VCALENDAR", ""]), encoding="utf-8")
    try:
        plain = read_rota(path)
    except RotaFileError as error:  # e.g. a floating time in the spring gap: both refuse
        with pytest.raises(RotaFileError):
            _read_by_icalendar(path)
        assert "does not" in str(error) or "role" in str(error)
        return
    assert _read_by_icalendar(path).shifts == plain.shifts


def _read_by_icalendar(path: Path) -> Rota:
    """The same file, every event read down the icalendar road."""
    scan = io_ics.scan_calendar(path.read_text(encoding="utf-8"), path)
    rota = Rota(timezone="Europe/London", sources=[str(path)])
    fields = io_ics.read_series(scan, scan.events, path, rota.timezone, None, Span(), rota, 10**6)
    rota.shifts = [make_shift(item, path, rota.timezone, rota.warnings) for item in fields]
    rota.shifts.sort(key=lambda shift: (shift.start, shift.role, shift.level, shift.person))
    return rota


# ------------------------------------------------------------------ zones and repeats

EVENT = """\
BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Test//EN
BEGIN:VEVENT
UID:depo
DTSTART;TZID={tzid}:20260105T090000
DTEND;TZID={tzid}:20260112T090000
SUMMARY:Duty Emergency Planning Officer: A. Jones
{rule}END:VEVENT
END:VCALENDAR
"""


def _calendar(tmp_path: Path, tzid: str = "Europe/London", rule: str = "") -> Path:
    path = tmp_path / "rota.ics"
    path.write_text(EVENT.format(tzid=tzid, rule=rule and f"RRULE:{rule}\n"), encoding="utf-8")
    return path


@pytest.mark.parametrize("rule", ["", "FREQ=WEEKLY;COUNT=2"])
def test_an_unknown_tzid_is_an_error_never_the_rotas_own_zone(tmp_path: Path, rule: str) -> None:
    with pytest.raises(RotaFileError) as caught:
        read_rota(_calendar(tmp_path, "Mars/Olympus_Mons", rule))
    assert "TZID=Mars/Olympus_Mons" in str(caught.value)
    assert "neither a known zone nor defined in the file" in str(caught.value)
    assert "UID depo" in str(caught.value)


def test_a_windows_zone_name_is_read_as_its_zone(tmp_path: Path) -> None:
    (shift,) = read_rota(_calendar(tmp_path, "GMT Standard Time")).shifts
    assert shift.start == datetime(2026, 1, 5, 9, tzinfo=UTC)


def test_a_zone_the_file_defines_is_read_by_its_definition(tmp_path: Path) -> None:
    zone = (
        "BEGIN:VTIMEZONE\nTZID:Council Time\nBEGIN:STANDARD\nDTSTART:19700101T000000\n"
        "TZOFFSETFROM:+0200\nTZOFFSETTO:+0200\nEND:STANDARD\nEND:VTIMEZONE\n"
    )
    path = _calendar(tmp_path, "Council Time")
    path.write_text(path.read_text().replace("BEGIN:VEVENT", zone + "BEGIN:VEVENT"))
    (shift,) = read_rota(path).shifts
    assert shift.start == datetime(2026, 1, 5, 7, tzinfo=UTC)
    # icalendar remembers the zone it has read; the next file, which does not define it,
    # must not be read in it
    (tmp_path / "next").mkdir()
    with pytest.raises(RotaFileError, match="TZID=Council Time, a time zone that is neither"):
        read_rota(_calendar(tmp_path / "next", "Council Time"))


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ("FREQ=SECONDLY", "FREQ=SECONDLY repeats every second"),
        ("FREQ=MINUTELY;COUNT=10", "FREQ=MINUTELY repeats every minute"),
        ("FREQ=DAILY;COUNT=100000000", "repeats to more than 1,000,000 shifts"),
        ("FREQ=HOURLY;UNTIL=99991231T000000Z", "repeats to more than 1,000,000 shifts"),
        (
            "FREQ=DAILY;BYHOUR=" + ",".join(map(str, range(24))) + ";BYMINUTE=0,30;"
            "UNTIL=21260101T000000Z",
            "repeats to more than 1,000,000 shifts",
        ),
    ],
)
def test_a_rule_that_would_repeat_too_often_is_refused_before_expanding(
    tmp_path: Path,
    bounded: Any,
    rule: str,
    message: str,
) -> None:
    path = _calendar(tmp_path, rule=rule)
    done = bounded(
        "from pathlib import Path\nfrom standby.rota.io import read_rota, RotaFileError\n"
        f"try:\n    read_rota(Path({str(path)!r}))\nexcept RotaFileError as error:\n"
        "    print(error)\n",
        seconds=60,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert message in done.stdout
    assert "UID depo" in done.stdout


def test_expanding_stops_at_the_shift_limit_given(tmp_path: Path) -> None:
    path = _calendar(tmp_path, rule="FREQ=DAILY;COUNT=40")
    assert len(read_rota(path, max_shifts=40).shifts) == 40
    with pytest.raises(RotaFileError, match="more than 39 shifts") as caught:
        read_rota(path, max_shifts=39)
    assert caught.value.parameters == ("max_shifts",)
