"""Rota clock rules: handovers stay on the local wall clock; bank holidays by region."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from standby.rota.clock import (
    HOLIDAY_TABLE,
    HOLIDAY_TABLE_YEARS,
    REGIONS,
    TimeError,
    bank_holidays,
    first_handover,
    holiday_table_text,
    is_bank_holiday,
    local_day_start,
    next_handover,
    resolve_local,
    to_local,
    window_intervals,
    zone,
)
from standby.rota.coverage import check
from standby.rota.model import Rota, Shift, TimeWindow

LONDON = zone("Europe/London")

# (change day, direction): every UK clock change 2025-2027, last Sunday of March / October.
CHANGES = [
    (date(2025, 3, 30), "spring"),
    (date(2025, 10, 26), "autumn"),
    (date(2026, 3, 29), "spring"),
    (date(2026, 10, 25), "autumn"),
    (date(2027, 3, 28), "spring"),
    (date(2027, 10, 31), "autumn"),
]


def local(day: date, hour: int, minute: int = 0) -> datetime:
    return resolve_local(datetime.combine(day, time(hour, minute)), LONDON)


def hours(start: datetime, end: datetime) -> float:
    return (end - start).total_seconds() / 3600


@pytest.mark.parametrize(("change", "direction"), CHANGES)
def test_daily_0900_handover_over_a_change_is_23_or_25_hours(change: date, direction: str) -> None:
    start = local(change - timedelta(days=1), 9)
    end = next_handover(start, days=1)
    assert to_local(end).strftime("%Y-%m-%d %H:%M") == f"{change:%Y-%m-%d} 09:00"
    assert hours(start, end) == (23 if direction == "spring" else 25)


@pytest.mark.parametrize(("change", "direction"), CHANGES)
def test_weekly_monday_0900_handover_ends_monday_0900_local(change: date, direction: str) -> None:
    monday_before = change - timedelta(days=6)
    assert monday_before.weekday() == 0
    start = local(monday_before, 9)
    end = next_handover(start, days=7)
    assert to_local(end).strftime("%a %Y-%m-%d %H:%M") == f"Mon {change + timedelta(1)} 09:00"
    assert hours(start, end) == (167 if direction == "spring" else 169)


@pytest.mark.parametrize(("change", "direction"), CHANGES)
def test_shifts_ending_0100_and_starting_after_the_change_leave_the_elapsed_gap(
    change: date, direction: str
) -> None:
    # Autumn: 01:00 (first, BST) to 02:00 GMT is 2 elapsed hours.
    # Spring: 01:00 GMT to 03:00 BST is 1 elapsed hour (02:00 does not exist).
    next_start_hour = 2 if direction == "autumn" else 3
    start = local(change - timedelta(days=1), 9)
    rota = Rota(
        shifts=[
            Shift("amy", "EPO", start, local(change, 1)),
            Shift("bob", "EPO", local(change, next_start_hour), local(change, 9)),
        ]
    )
    (role,) = check(rota).roles
    assert [g.minutes for g in role.gaps] == [120.0 if direction == "autumn" else 60.0]
    assert role.gaps[0].start == local(change, 1)


@pytest.mark.parametrize(("change", "_direction"), CHANGES)
def test_hours_from_a_shift_are_elapsed_not_wall_clock(change: date, _direction: str) -> None:
    shift = Shift("amy", "EPO", local(change - timedelta(days=1), 9), local(change, 9))
    assert shift.hours == hours(shift.start, shift.end)
    assert shift.hours in (23.0, 25.0)


def test_nonexistent_generated_time_moves_to_the_change_instant() -> None:
    assert resolve_local(datetime(2026, 3, 29, 1, 30), LONDON) == datetime(
        2026, 3, 29, 1, 0, tzinfo=UTC
    )
    assert resolve_local(datetime(2026, 3, 29, 1, 0), LONDON) == datetime(
        2026, 3, 29, 1, 0, tzinfo=UTC
    )


def test_ambiguous_generated_time_takes_the_first_occurrence() -> None:
    assert resolve_local(datetime(2026, 10, 25, 1, 30), LONDON) == datetime(
        2026, 10, 25, 0, 30, tzinfo=UTC
    )


def test_weekly_handover_generated_into_the_spring_gap_moves_forward() -> None:
    start = resolve_local(datetime(2026, 3, 22, 1, 30), LONDON)
    assert next_handover(start, days=7) == datetime(2026, 3, 29, 1, 0, tzinfo=UTC)


def test_first_handover_finds_the_next_monday_0900_local() -> None:
    after = datetime(2026, 10, 21, 12, 0, tzinfo=UTC)  # a Wednesday
    found = first_handover(after, time(9, 0), "mon")
    assert found == datetime(2026, 10, 26, 9, 0, tzinfo=UTC)  # GMT by then
    assert first_handover(found, time(9, 0), "mon") == found


def test_local_day_start_is_local_midnight_in_utc() -> None:
    assert local_day_start(date(2026, 7, 1)) == datetime(2026, 6, 30, 23, 0, tzinfo=UTC)


def test_night_window_on_the_autumn_change_is_15_elapsed_hours() -> None:
    when = TimeWindow(days=("sat",), start=time(18, 0), end=time(8, 0))
    pieces = window_intervals(
        when, datetime(2026, 10, 24, tzinfo=UTC), datetime(2026, 10, 27, tzinfo=UTC)
    )
    assert pieces == [
        (datetime(2026, 10, 24, 17, 0, tzinfo=UTC), datetime(2026, 10, 25, 8, 0, tzinfo=UTC))
    ]


def test_all_day_window_is_a_whole_local_day_and_is_clipped_to_the_check() -> None:
    when = TimeWindow(days=("sun",))
    pieces = window_intervals(
        when, datetime(2026, 3, 29, 12, 0, tzinfo=UTC), datetime(2026, 4, 6, tzinfo=UTC)
    )
    assert pieces == [
        (datetime(2026, 3, 29, 12, 0, tzinfo=UTC), datetime(2026, 3, 29, 23, 0, tzinfo=UTC)),
        (datetime(2026, 4, 4, 23, 0, tzinfo=UTC), datetime(2026, 4, 5, 23, 0, tzinfo=UTC)),
    ]


def test_bank_holidays_2026_england_and_wales_with_the_28_december_substitute() -> None:
    assert sorted(bank_holidays(2026)) == [
        date(2026, 1, 1),
        date(2026, 4, 3),
        date(2026, 4, 6),
        date(2026, 5, 4),
        date(2026, 5, 25),
        date(2026, 8, 31),
        date(2026, 12, 25),
        date(2026, 12, 28),
    ]


def test_saturday_boxing_day_is_not_a_bank_holiday_but_its_substitute_is() -> None:
    assert not is_bank_holiday(date(2026, 12, 26))
    assert is_bank_holiday(date(2026, 12, 28))


def test_scotland_has_2_january_and_st_andrews_substitute_but_not_easter_monday() -> None:
    scotland = bank_holidays(2026, "scotland")
    assert date(2026, 1, 2) in scotland
    assert date(2026, 11, 30) in scotland
    assert date(2026, 4, 6) not in scotland


def test_northern_ireland_has_st_patricks_day_and_the_boyne_substitute() -> None:
    northern_ireland = bank_holidays(2026, "northern-ireland")
    assert date(2026, 3, 17) in northern_ireland
    assert date(2026, 7, 13) in northern_ireland
    assert date(2026, 7, 12) not in northern_ireland  # a Sunday


def test_the_bank_holiday_table_is_what_the_holidays_package_says() -> None:
    import holidays

    written = HOLIDAY_TABLE.read_text(encoding="utf-8")
    assert written == holiday_table_text(), "the table is stale: run `make holidays`"
    first, last = HOLIDAY_TABLE_YEARS
    for region, code in REGIONS.items():
        for year in (first, 2022, 2026, last):
            package = holidays.country_holidays("GB", subdiv=code, years=year)
            weekdays = {day: name for day, name in package.items() if day.weekday() < 5}
            assert bank_holidays(year, region) == weekdays


def test_years_outside_the_table_come_from_the_holidays_package() -> None:
    assert HOLIDAY_TABLE_YEARS[0] > 1999 and HOLIDAY_TABLE_YEARS[1] < 2070
    assert is_bank_holiday(date(1999, 12, 31))  # the Millennium bank holiday
    assert is_bank_holiday(date(2070, 12, 25)) and is_bank_holiday(date(2070, 12, 26))
    assert not is_bank_holiday(date(2070, 12, 27))  # a Saturday


def test_the_2022_state_funeral_is_a_bank_holiday_in_every_region() -> None:
    for region in REGIONS:
        assert is_bank_holiday(date(2022, 9, 19), region)


def test_unknown_region_is_an_error_listing_the_valid_ones() -> None:
    with pytest.raises(TimeError, match=r"unknown bank-holiday region 'wales'.*england-and-wales"):
        bank_holidays(2026, "wales")
