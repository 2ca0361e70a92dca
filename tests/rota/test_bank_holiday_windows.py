"""Requirement windows that name bank holidays: ``when: {days: [bank_holiday], ...}``."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest

from standby.rota.clock import TimeError, local_day_start, window_intervals
from standby.rota.coverage import check
from standby.rota.io import RotaFileError, read_requirements, read_rota, rota_to_json
from standby.rota.model import Requirement, Rota, Shift, TimeWindow

DATA = Path(__file__).resolve().parents[2] / "rota" / "data"
YEAR_2026 = (datetime(2026, 1, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC))
ALL_DAY_ON_BANK_HOLIDAYS = TimeWindow(("bank_holiday",), time(0, 0), time(0, 0))

# GOV.UK's list for 2026, weekday substitutes only: Boxing Day is a Saturday, so Monday
# 28 December is the bank holiday and 26 December is not.
ENGLAND_AND_WALES_2026 = [
    date(2026, 1, 1),
    date(2026, 4, 3),
    date(2026, 4, 6),
    date(2026, 5, 4),
    date(2026, 5, 25),
    date(2026, 8, 31),
    date(2026, 12, 25),
    date(2026, 12, 28),
]


def local_days(day: date) -> tuple[datetime, datetime]:
    """A whole local (Europe/London) day as UTC."""
    return local_day_start(day), local_day_start(day + timedelta(days=1))


def test_all_day_on_bank_holidays_is_each_england_and_wales_2026_bank_holiday() -> None:
    pieces = window_intervals(ALL_DAY_ON_BANK_HOLIDAYS, *YEAR_2026, "Europe/London")
    assert pieces == [local_days(day) for day in ENGLAND_AND_WALES_2026]


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        # Christmas Day (Friday) and the Boxing Day substitute (Monday) are covered.
        (
            date(2026, 12, 25),
            (datetime(2026, 12, 25, tzinfo=UTC), datetime(2026, 12, 26, tzinfo=UTC)),
        ),
        (
            date(2026, 12, 28),
            (datetime(2026, 12, 28, tzinfo=UTC), datetime(2026, 12, 29, tzinfo=UTC)),
        ),
        # Good Friday is in British Summer Time: local midnight is 23:00 UTC the day before.
        (
            date(2026, 4, 3),
            (datetime(2026, 4, 2, 23, tzinfo=UTC), datetime(2026, 4, 3, 23, tzinfo=UTC)),
        ),
    ],
)
def test_a_bank_holiday_is_one_whole_local_day(
    day: date, expected: tuple[datetime, datetime]
) -> None:
    assert window_intervals(ALL_DAY_ON_BANK_HOLIDAYS, *local_days(day)) == [expected]


@pytest.mark.parametrize("day", [date(2026, 12, 26), date(2026, 12, 27), date(2026, 1, 2)])
def test_a_weekend_boxing_day_and_other_days_are_not_bank_holidays_in_england(
    day: date,
) -> None:
    assert window_intervals(ALL_DAY_ON_BANK_HOLIDAYS, *local_days(day)) == []


@pytest.mark.parametrize(
    ("day", "england_and_wales", "scotland", "northern_ireland"),
    [
        (date(2026, 1, 1), True, True, True),
        (date(2026, 1, 2), False, True, False),  # 2 January, Scotland only
        (date(2026, 3, 17), False, False, True),  # St Patrick's Day
        (date(2026, 4, 6), True, False, True),  # Easter Monday, not in Scotland
        (date(2026, 7, 13), False, False, True),  # Battle of the Boyne (substitute)
        (date(2026, 8, 3), False, True, False),  # Scotland's summer bank holiday
        (date(2026, 8, 31), True, False, True),
        (date(2026, 11, 30), False, True, False),  # St Andrew's Day
        (date(2026, 12, 26), False, False, False),  # Boxing Day on a Saturday
        (date(2026, 12, 28), True, True, True),  # its substitute
    ],
)
def test_the_region_decides_which_days_are_bank_holidays(
    day: date, england_and_wales: bool, scotland: bool, northern_ireland: bool
) -> None:
    for region, expected in [
        ("england-and-wales", england_and_wales),
        ("scotland", scotland),
        ("northern-ireland", northern_ireland),
    ]:
        pieces = window_intervals(ALL_DAY_ON_BANK_HOLIDAYS, *local_days(day), region=region)
        assert pieces == ([local_days(day)] if expected else []), region


def test_bank_holidays_alongside_weekends_join_into_one_long_weekend() -> None:
    when = TimeWindow(("sat", "sun", "bank_holiday"), time(0, 0), time(0, 0))
    window = (datetime(2026, 12, 21, tzinfo=UTC), datetime(2027, 1, 4, tzinfo=UTC))
    assert window_intervals(when, *window) == [
        (datetime(2026, 12, 25, tzinfo=UTC), datetime(2026, 12, 29, tzinfo=UTC)),
        (datetime(2027, 1, 1, tzinfo=UTC), datetime(2027, 1, 4, tzinfo=UTC)),
    ]


def test_a_bank_holiday_window_past_midnight_opens_on_the_bank_holiday() -> None:
    when = TimeWindow(("bank_holiday",), time(17, 0), time(8, 45))
    window = (datetime(2026, 12, 21, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC))
    assert window_intervals(when, *window) == [
        (datetime(2026, 12, 25, 17, tzinfo=UTC), datetime(2026, 12, 26, 8, 45, tzinfo=UTC)),
        (datetime(2026, 12, 28, 17, tzinfo=UTC), datetime(2026, 12, 29, 8, 45, tzinfo=UTC)),
    ]


def test_an_unknown_region_is_an_error() -> None:
    with pytest.raises(TimeError, match="unknown bank-holiday region 'wales'"):
        window_intervals(ALL_DAY_ON_BANK_HOLIDAYS, *YEAR_2026, region="wales")


# ------------------------------------------------------------------------------ files


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("written", ["bank_holiday", "Bank Holiday", "bank-holidays"])
def test_the_requirements_reader_takes_bank_holiday_as_a_day(tmp_path: Path, written: str) -> None:
    path = write(
        tmp_path,
        "requirements.yaml",
        "timezone: Europe/London\nrequirements:\n"
        f"  - {{role: EDT, min: 1,\n"
        f"     when: {{days: [sat, {written}], from: '00:00', to: '00:00'}}}}\n",
    )
    (requirement,) = read_requirements(path)
    assert requirement.when == TimeWindow(("sat", "bank_holiday"), time(0, 0), time(0, 0))


def test_a_misspelt_day_names_bank_holiday_as_valid(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "requirements.yaml",
        "requirements:\n  - {role: EDT, when: {days: [bank_hols]}}\n",
    )
    with pytest.raises(
        RotaFileError, match=r"requirements\.0\.when\.days.*'bank_hols' is not a day.*bank_holiday"
    ):
        read_requirements(path)


def test_a_bank_holiday_requirement_survives_the_json_export(tmp_path: Path) -> None:
    rota_file = write(
        tmp_path,
        "rota.yaml",
        "shifts:\n  - {person: A, role: EDT, start: 2026-12-25 00:00, end: 2026-12-26 00:00}\n"
        "requirements:\n"
        "  - {role: EDT, when: {days: [bank_holiday], from: '00:00', to: '00:00'}}\n",
    )
    rota = read_rota(rota_file)
    again = read_rota(write(tmp_path, "rota.json", rota_to_json(rota)))
    assert again.requirements == rota.requirements
    assert again.requirements[0].when == ALL_DAY_ON_BANK_HOLIDAYS


# ------------------------------------------------------------------------------ coverage


def christmas_rota() -> Rota:
    """Cover on Christmas Day only."""
    return Rota(
        shifts=[
            Shift(
                "A", "EDT", datetime(2026, 12, 25, tzinfo=UTC), datetime(2026, 12, 26, tzinfo=UTC)
            )
        ]
    )


def test_coverage_finds_the_uncovered_substitute_day_and_new_years_day() -> None:
    need = Requirement("EDT", when=ALL_DAY_ON_BANK_HOLIDAYS)
    window = (datetime(2026, 12, 21, tzinfo=UTC), datetime(2027, 1, 4, tzinfo=UTC))
    (role,) = check(christmas_rota(), [need], window).roles
    assert [(gap.start, gap.end) for gap in role.gaps] == [
        (datetime(2026, 12, 28, tzinfo=UTC), datetime(2026, 12, 29, tzinfo=UTC)),
        (datetime(2027, 1, 1, tzinfo=UTC), datetime(2027, 1, 2, tzinfo=UTC)),
    ]
    assert role.checked_minutes == 3 * 24 * 60


def test_coverage_uses_the_region_it_is_given() -> None:
    need = Requirement("EDT", when=ALL_DAY_ON_BANK_HOLIDAYS)
    window = (datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 1, 5, tzinfo=UTC))
    england = check(christmas_rota(), [need], window).roles[0]
    scotland = check(christmas_rota(), [need], window, region="scotland").roles[0]
    assert [gap.start for gap in england.gaps] == [datetime(2026, 1, 1, tzinfo=UTC)]
    # In Scotland 1 and 2 January are both bank holidays: one gap of two days.
    assert [(gap.start, gap.end) for gap in scotland.gaps] == [
        (datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 1, 3, tzinfo=UTC))
    ]


def test_the_sample_emergency_duty_team_is_on_call_all_day_every_2026_bank_holiday() -> None:
    rota = read_rota(DATA / "council-2026.yaml")
    requirements = read_requirements(DATA / "council-2026-requirements.yaml")
    bank_holiday_needs = [
        need for need in requirements if need.when is not None and "bank_holiday" in need.when.days
    ]
    assert [need.role for need in bank_holiday_needs] == ["Social Care Emergency Duty Team"]
    (role,) = check(rota, bank_holiday_needs, YEAR_2026).roles
    assert role.met
    assert role.checked_minutes == len(ENGLAND_AND_WALES_2026) * 24 * 60
