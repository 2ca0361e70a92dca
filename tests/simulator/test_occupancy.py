"""Occupancy by period: the start instant picks the figure, across midnight and clock changes."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from simkit import make_scenario

from standby.clock import parse_instant
from standby.scenarios.model import Receptor
from standby.simulator.compiled import compile_scenario
from standby.simulator.model import run_once

SCHOOL = {
    "id": "school",
    "name": "School",
    "kind": "school",
    "location": {"lat": 53.3375, "lon": -2.7208},
    "population": 0,
    "vulnerable": True,
    "occupancy": [
        {
            "people": 320,
            "days": ["mon", "tue", "wed", "thu", "fri"],
            "from": "08:30",
            "to": "15:30",
            "dates": [{"from": "2026-09-02", "to": "2026-10-23"}],
        }
    ],
}
NIGHT_SHIFT = {
    "id": "works",
    "name": "Works",
    "kind": "workplace",
    "location": {"lat": 53.3375, "lon": -2.7208},
    "population": 15,
    "occupancy": [{"people": 90, "days": ["sat"], "from": "22:00", "to": "06:00"}],
}
CARE_HOME = {
    "id": "care",
    "name": "Care home",
    "kind": "care_home",
    "location": {"lat": 53.3375, "lon": -2.7208},
    "population": 60,
    "vulnerable": True,
}


def _people(receptor: dict[str, object], local: str) -> int:
    return Receptor.model_validate(receptor).people_at(datetime.strptime(local, "%Y-%m-%d %H:%M"))


@pytest.mark.parametrize(
    ("local", "people"),
    [
        ("2026-10-01 10:00", 320),  # a Thursday in term
        ("2026-10-01 08:29", 0),  # before the bell
        ("2026-10-01 15:30", 0),  # 'to' is not included
        ("2026-10-03 10:00", 0),  # Saturday
        ("2026-10-28 10:00", 0),  # half term
        ("2026-10-01 02:10", 0),  # at night
    ],
)
def test_a_school_is_full_on_term_weekdays_only(local: str, people: int) -> None:
    assert _people(SCHOOL, local) == people


@pytest.mark.parametrize(
    ("local", "people"),
    [
        ("2026-10-03 23:30", 90),  # Saturday evening
        ("2026-10-04 05:59", 90),  # Sunday morning: the Saturday night shift goes on
        ("2026-10-04 06:00", 15),  # over
        ("2026-10-04 23:30", 15),  # Sunday night is not a Saturday shift
        ("2026-10-03 05:00", 15),  # Saturday morning follows a Friday night
    ],
)
def test_a_period_across_midnight_belongs_to_the_day_it_starts(local: str, people: int) -> None:
    assert _people(NIGHT_SHIFT, local) == people


def test_a_care_home_without_periods_is_always_full() -> None:
    assert _people(CARE_HOME, "2026-12-25 03:00") == 60


def _run_people(start: datetime) -> dict[str, int]:
    compiled = compile_scenario(make_scenario(receptors=[SCHOOL, NIGHT_SHIFT, CARE_HOME]))
    result = run_once(compiled, None, start, 1)
    assert result.exposure is not None
    return {r.receptor: r.people for r in result.exposure.receptors}


def test_the_start_instant_in_local_time_picks_the_figure_across_the_autumn_change() -> None:
    # Sunday 25 October 2026: 01:30 happens twice (BST, then GMT); both are the Saturday
    # night shift; 05:30 GMT is still in it and 06:30 GMT is not
    first = parse_instant("2026-10-25T01:30+01:00", "Europe/London")
    second = parse_instant("2026-10-25T01:30+00:00", "Europe/London")
    assert (second - first).total_seconds() == 3600
    assert _run_people(first)["works"] == 90
    assert _run_people(second)["works"] == 90
    assert _run_people(datetime(2026, 10, 25, 5, 30, tzinfo=UTC))["works"] == 90
    assert _run_people(datetime(2026, 10, 25, 6, 30, tzinfo=UTC))["works"] == 15


def test_the_spring_change_reads_the_wall_clock_not_utc() -> None:
    # Sunday 29 March 2026 05:30 UTC is 06:30 BST: the Saturday night shift is over,
    # although 05:30 would still be in it on the UTC clock
    assert _run_people(datetime(2026, 3, 29, 4, 30, tzinfo=UTC))["works"] == 90  # 05:30 BST
    assert _run_people(datetime(2026, 3, 29, 5, 30, tzinfo=UTC))["works"] == 15  # 06:30 BST


def test_another_start_hour_changes_the_people_at_risk() -> None:
    night = _run_people(parse_instant("2026-10-01 02:10", "Europe/London"))
    day = _run_people(parse_instant("2026-10-01 10:10", "Europe/London"))
    assert (night["school"], day["school"]) == (0, 320)
    assert night["care"] == day["care"] == 60


def test_a_badly_written_time_of_day_is_refused() -> None:
    bad = {**NIGHT_SHIFT, "occupancy": [{"people": 5, "from": "25:00"}]}
    with pytest.raises(ValueError, match=r"'25:00' is not a time of day"):
        Receptor.model_validate(bad)
