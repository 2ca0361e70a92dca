"""The rota in the exercise pack: who is on call at the exercise instant, and --stress picking
the instant of thinnest cover planted in the bundled rota (rota/data/README.md)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from packkit import REQUIREMENTS, ROTA

from standby.errors import StandbyError
from standby.reports.exercise_rota import StressWindow, rota_snapshot, thinnest_cover
from standby.rota.io import read_requirements_file, read_rota
from standby.rota.model import Requirement, Rota
from standby.scenarios import Scenario, load_scenario


def _setup() -> tuple[Scenario, Rota, tuple[Requirement, ...]]:
    scenario = load_scenario("chlorine-riverside")
    rota = read_rota(ROTA, timezone=scenario.timezone)
    requirements = read_requirements_file(REQUIREMENTS, timezone=scenario.timezone).requirements
    return scenario, rota, tuple(requirements or ())


def test_snapshot_at_the_scenario_start_matches_the_readme() -> None:
    scenario, rota, _ = _setup()
    snapshot = rota_snapshot(scenario, rota, datetime(2026, 11, 12, 2, 10, tzinfo=UTC))
    officers = [
        (r.level, r.name, r.phone)
        for r in snapshot.rows
        if r.rota_role == "Duty Emergency Planning Officer"
    ]
    # README: "rota who ... --at 2026-11-12 02:10": Dan Fairclough (1), Gwen Penhale (2)
    assert officers == [(1, "Dan Fairclough", "07700 900121"), (2, "Gwen Penhale", "07700 900142")]
    assert snapshot.uncovered == ()


def test_stress_picks_christmas_night_planted_in_the_bundled_rota() -> None:
    scenario, rota, requirements = _setup()
    start = datetime(2026, 11, 12, 2, 10, tzinfo=UTC)
    window = StressWindow(start, start + timedelta(weeks=8), requirements)
    choice = thinnest_cover(scenario, rota, window)
    # rota/data/README.md: Christmas night 25 Dec 18:00 to 26 Dec 08:00 has no primary duty
    # officer, and the duty senior manager of that week is on leave: 1 of 2, and 0 of 1
    assert choice.at == datetime(2026, 12, 25, 18, 0, tzinfo=UTC)
    short = {role.rota_role: (len(role.on_call), role.required) for role in choice.short}
    assert short == {"Duty Emergency Planning Officer": (1, 2), "Duty Senior Manager": (0, 1)}
    assert choice.sentence() == (
        "Friday 25 December 2026 18:00 GMT: one Duty Emergency Planning Officer of the 2 "
        "required and no Duty Senior Manager"
    )
    assert any("no volunteer for Christmas night" in reason for reason in choice.reasons)
    assert any("Nia Okoro" in reason for reason in choice.reasons)


def test_stress_finds_the_clock_change_weekend_gap_in_march() -> None:
    scenario, rota, requirements = _setup()
    window = StressWindow(
        datetime(2026, 3, 16, tzinfo=UTC),
        datetime(2026, 4, 13, tzinfo=UTC),
        requirements,
    )
    choice = thinnest_cover(scenario, rota, window)
    # README: Communications On Call uncovered from Saturday 28 March 08:00 (GMT) to Sunday
    # 29 March 20:00 (BST) over the spring clock change
    assert choice.at == datetime(2026, 3, 28, 8, 0, tzinfo=UTC)
    assert [role.rota_role for role in choice.short] == ["Communications On Call"]


def test_a_window_outside_the_rota_is_an_error_naming_the_rota_span() -> None:
    scenario, rota, _ = _setup()
    window = StressWindow(datetime(2030, 1, 1, tzinfo=UTC), datetime(2030, 2, 1, tzinfo=UTC))
    with pytest.raises(StandbyError, match="outside the rota, which runs from"):
        thinnest_cover(scenario, rota, window)
