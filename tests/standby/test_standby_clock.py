"""Reading times: local wall clock to UTC, with nonexistent and ambiguous times made explicit."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from standby.clock import (
    TimeError,
    iso_local,
    iso_z,
    parse_instant,
    parse_instant_with_warning,
    parse_user_instant,
    region_code,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-01-15 09:00", datetime(2026, 1, 15, 9, 0, tzinfo=UTC)),
        ("2026-07-15T09:00", datetime(2026, 7, 15, 8, 0, tzinfo=UTC)),
        ("2026-07-15", datetime(2026, 7, 14, 23, 0, tzinfo=UTC)),
        ("2026-07-15T09:00+01:00", datetime(2026, 7, 15, 8, 0, tzinfo=UTC)),
        ("2026-07-15T08:00Z", datetime(2026, 7, 15, 8, 0, tzinfo=UTC)),
        ("2026-03-29 03:00", datetime(2026, 3, 29, 2, 0, tzinfo=UTC)),
    ],
)
def test_local_and_offset_times_become_utc(text: str, expected: datetime) -> None:
    assert parse_instant(text) == expected


def test_a_date_object_is_local_midnight() -> None:
    assert parse_instant(date(2026, 6, 1)) == datetime(2026, 5, 31, 23, 0, tzinfo=UTC)


def test_nonexistent_spring_time_is_an_error_that_explains_the_fix() -> None:
    with pytest.raises(TimeError, match=r"does not exist.*clocks go forward"):
        parse_instant("2026-03-29 01:30")


def test_ambiguous_autumn_time_is_an_error_listing_both_offsets() -> None:
    with pytest.raises(TimeError) as caught:
        parse_instant("2026-10-25 01:30")
    assert "+01:00 (first)" in caught.value.message
    assert "+00:00 (second)" in caught.value.message


def test_ambiguous_time_can_take_the_first_occurrence_with_a_warning() -> None:
    instant, warning = parse_instant_with_warning("2026-10-25 01:30", ambiguous="first")
    assert instant == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    assert warning is not None and "first occurrence" in warning


@pytest.mark.parametrize("text", ["", "tomorrow", "12/25/2026 at nine"])
def test_unreadable_times_say_how_to_write_them(text: str) -> None:
    with pytest.raises(TimeError, match="2026-03-27"):
        parse_instant(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("14/02/2027 10:00", datetime(2027, 2, 14, 10, 0, tzinfo=UTC)),
        ("14/2/2027 9:00", datetime(2027, 2, 14, 9, 0, tzinfo=UTC)),
        ("25/12/2026", datetime(2026, 12, 25, 0, 0, tzinfo=UTC)),
        ("2026-07-15 9:00", datetime(2026, 7, 15, 8, 0, tzinfo=UTC)),
        ("2026-07-15T09:00:30.5+01:00", datetime(2026, 7, 15, 8, 0, 30, 500000, tzinfo=UTC)),
    ],
)
def test_day_first_dates_and_one_digit_hours_are_read_as_people_write_them(
    text: str, expected: datetime
) -> None:
    assert parse_instant(text) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        # An American date: the month would be 14 when read day first, as UK files are.
        (
            "02/14/2027",
            "'02/14/2027' is not a date: there is no month 14 (dates with slashes "
            "are read day first, 14/02/2027 for 14 February)",
        ),
        (
            "2026-13-01",
            "'2026-13-01' is not a date: there is no month 13 (dates with dashes "
            "are year-month-day",
        ),
        (
            "31/02/2027 09:00",
            "'31/02/2027 09:00' is not a date: 31 February 2027 does not "
            "exist (February 2027 has 28 days)",
        ),
        ("2028-02-30", "30 February 2028 does not exist (February 2028 has 29 days)"),
        ("2026-03-27 24:00", "'2026-03-27 24:00': 24:00 is not a time of day"),
        (
            "29/03/2026 1:30",
            "'29/03/2026 1:30' (29 March 2026 01:30) does not exist in "
            "Europe/London: the clocks go forward",
        ),
    ],
)
def test_errors_quote_what_was_typed_and_say_why(text: str, reason: str) -> None:
    with pytest.raises(TimeError) as caught:
        parse_instant(text)
    assert reason in caught.value.message


def test_now_and_today_are_read_against_the_present() -> None:
    present = datetime(2026, 7, 15, 23, 30, tzinfo=UTC)  # 00:30 BST on the 16th
    assert parse_user_instant("now", now=present) == present
    assert parse_user_instant(" Today ", now=present) == datetime(2026, 7, 15, 23, 0, tzinfo=UTC)
    assert parse_user_instant("16/07/2026", now=present) == datetime(2026, 7, 15, 23, 0, tzinfo=UTC)
    with pytest.raises(TimeError, match="or 'now'"):
        parse_user_instant("later", now=present)


def test_unknown_timezone_is_named() -> None:
    with pytest.raises(TimeError, match="Europe/Lundon"):
        parse_instant("2026-01-01", "Europe/Lundon")


def test_iso_z_is_utc_with_z() -> None:
    assert iso_z(datetime(2026, 7, 15, 9, 0, 30, tzinfo=UTC)) == "2026-07-15T09:00:30Z"


def test_iso_z_keeps_microseconds_when_the_instant_has_them() -> None:
    instant = datetime(2026, 7, 15, 9, 0, 40, 250000, tzinfo=UTC)
    assert iso_z(instant) == "2026-07-15T09:00:40.250000Z"
    assert parse_instant(iso_z(instant)) == instant


def test_iso_local_is_wall_clock_with_offset_and_short_drops_whole_seconds() -> None:
    instant = datetime(2026, 3, 29, 2, 0, tzinfo=UTC)  # 03:00 BST, just after the change
    assert iso_local(instant, "Europe/London") == "2026-03-29T03:00:00+01:00"
    assert iso_local(instant, "Europe/London", short=True) == "2026-03-29T03:00+01:00"
    assert iso_local(instant.replace(second=5), short=True) == "2026-03-29T03:00:05+01:00"


def test_an_unknown_bank_holiday_region_names_the_valid_ones() -> None:
    with pytest.raises(TimeError, match="use one of: england-and-wales, scotland, northern-"):
        region_code("wales")
    assert region_code("scotland") == "SCT"
