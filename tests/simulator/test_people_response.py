"""KPIs that say what happened: warnings against the plume, the area a protective action
covers, key figures that agree with the task results, and rest centres as they are run."""

from __future__ import annotations

import math
from typing import Any

import pytest
from simkit import START, fixed, make_scenario, plan_task, receptor

from standby.simulator.compiled import Assumptions, compile_scenario
from standby.simulator.distributions import fixed as fixed_spec
from standby.simulator.model import run_once
from standby.simulator.results import RunResult, kpi_lines

SURE = Assumptions(answer_delay=fixed_spec(0.0), reachable_probability=1.0)
R_EARTH_M = 6_371_008.8
SITE = (53.335, -2.725)  # simkit's site; chlorine 100 g/s, wind from 225 deg at 3 m/s, class D


def _receptor(rid: str, lat: float, lon: float, people: int, vulnerable: bool = False) -> Any:
    return receptor(rid, {"lat": lat, "lon": lon}, people, vulnerable)


def _plume_arrival(lat: float, lon: float) -> float:
    """By hand: metres downwind (towards 45 deg) on a flat frame, over 3 m/s, in minutes."""
    north = math.radians(lat - SITE[0]) * R_EARTH_M
    east = math.radians(lon - SITE[1]) * R_EARTH_M * math.cos(math.radians((lat + SITE[0]) / 2))
    return (east + north) / math.sqrt(2) / 3.0 / 60.0


NEAR = (53.3375, -2.7208)  # about 390 m downwind: AEGL-2, the plume arrives at 2.2 min
MID = (53.345, -2.708)  # about 1.6 km downwind: AEGL-1, the plume arrives at 8.8 min


def _task(tid: str, kind: str, duration: float, **extra: Any) -> Any:
    """A task the site runs: alerted at minute 0, so it starts at once."""
    return plan_task(tid, kind, duration, agency="site", **extra)


def _run(tasks: list[dict[str, Any]], **sections: Any) -> RunResult:
    receptors = sections.pop(
        "receptors", [_receptor("near", *NEAR, 100), _receptor("mid", *MID, 250)]
    )
    scenario = make_scenario(plan={"tasks": tasks}, receptors=receptors, **sections)
    return run_once(compile_scenario(scenario), None, START, 1, SURE)


# --- warnings judged against the plume --------------------------------------------------


def test_the_hand_worked_plume_arrivals_match_the_hazard_model() -> None:
    result = _run([_task("broadcast", "warning", 5)])
    arrivals = {r.receptor: r.arrival_minute for r in result.hazard.receptors}
    assert arrivals["near"] == pytest.approx(_plume_arrival(*NEAR), rel=1e-3)
    assert arrivals["mid"] == pytest.approx(_plume_arrival(*MID), rel=1e-3)
    assert _plume_arrival(*NEAR) < 5.0 < _plume_arrival(*MID)


def test_a_broadcast_at_minute_5_reaches_the_far_street_before_the_plume_not_the_near_one() -> None:
    result = _run([_task("broadcast", "warning", 5, warns="broadcast")])
    warnings = {w.receptor: w for w in result.kpis.warnings}
    assert (warnings["near"].warned_minute, warnings["near"].before_plume) == (5.0, False)
    assert (warnings["mid"].warned_minute, warnings["mid"].before_plume) == (5.0, True)
    assert warnings["mid"].broadcast_by == "broadcast"
    kpis = result.kpis
    assert (kpis.people_warned_before_plume, kpis.people_warned_after_plume) == (250, 100)
    assert kpis.people_not_warned == 0


def test_people_never_warned_are_counted_as_such() -> None:
    result = _run([_task("broadcast", "warning", 600, warns="broadcast")])
    assert result.kpis.people_not_warned == 350
    assert {w.before_plume for w in result.kpis.warnings} == {False}


# --- the area a protective action covers ---------------------------------------------------


def test_an_evacuation_covers_the_area_its_task_names_even_inside_aegl1() -> None:
    settings_share = {"rest_centre_share": 0.2}
    named = _run(
        [_task("evacuate_mid", "evacuation", 5, covers={"receptors": ["mid"]})],
        arrivals=settings_share,
    )
    assert named.kpis.protective_action_people == 250
    assert named.kpis.people_evacuated == 250
    assert {w.receptor: w.protective_action for w in named.kpis.warnings}["mid"] == "evacuation"
    default = _run([_task("evacuate", "evacuation", 5)], arrivals=settings_share)
    # without 'covers', the assumed protective zones AEGL-3 and AEGL-2: only the near street
    assert default.kpis.protective_action_people == 100


def test_a_shelter_decision_covers_the_zones_it_names() -> None:
    result = _run([_task("shelter", "shelter", 5, covers={"zones": ["AEGL-2", "AEGL-1"]})])
    assert result.kpis.protective_action_people == 350
    assert result.kpis.protective_action == "shelter"


# --- key figures and task results agree ----------------------------------------------------


def test_the_last_premises_is_warned_as_the_warning_task_ends_and_the_line_says_so() -> None:
    homes = [
        _receptor("home_a", *NEAR, 30, vulnerable=True),
        _receptor("home_b", 53.3380, -2.7200, 40, vulnerable=True),
        _receptor("home_c", 53.3370, -2.7215, 50, vulnerable=True),
    ]
    target = {"within_minutes": 25, "text": "every premises warned within 25 minutes"}
    task = _task("warn", "warning", 30, warns="in_person", target=target)
    result = _run([task], receptors=homes)
    times = sorted(w.in_person_minute for w in result.kpis.warnings)
    # alerted at 0 (the site runs it): three premises, one every 10 minutes, the last at 30
    assert times == [10.0, 20.0, 30.0]
    milestone = result.milestones[0]
    assert (milestone.end_minute, milestone.met) == (30.0, False)
    assert result.kpis.all_vulnerable_warned_minute == milestone.end_minute
    line = next(line for line in kpi_lines(result) if line.startswith("Premises warned"))
    assert line == (
        "Premises warned in person (3), the last: +30 min (02:40) (warn: target 25 min missed)"
    )


# --- rest centres --------------------------------------------------------------------------


def _roles(managers: int = 1, registrars: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    roles = [
        {
            "id": "manager",
            "agency": "council",
            "name": "Rest centre manager",
            "count": managers,
            "travel_minutes": fixed(0),
        }
    ]
    if registrars is not None:
        roles.append(
            {
                "id": "registrars",
                "agency": "council",
                "name": "Registration volunteers",
                **registrars,
            }
        )
    return roles


def _centre(cid: str, capacity: int = 500, **staff: Any) -> dict[str, Any]:
    return {
        "id": cid,
        "name": cid.title(),
        "location": {"lat": 53.35, "lon": -2.74},
        "capacity": capacity,
        "staffing_role": "manager",
        **staff,
    }


def _demand(minute: float, people: int, **effect: Any) -> dict[str, Any]:
    return {
        "id": f"d{int(minute)}",
        "minute": minute,
        "from": "Exercise control",
        "to": "Council",
        "text": f"{people} people need shelter",
        "expected_action": "Register them",
        "effect": {"kind": "extra_demand", "people": people, **effect},
    }


def _centres_run(
    centres: list[dict[str, Any]],
    injects: list[dict[str, Any]],
    roles: list[dict[str, Any]],
    **sections: Any,
) -> RunResult:
    opening = {
        "id": "open",
        "name": "Open the rest centres",
        "agency": "council",
        "roles": ["manager"],
        "duration": fixed(1),
        "kind": "rest_centre",
    }
    scenario = make_scenario(
        roles=roles,
        plan={"tasks": [opening]},
        rest_centres=centres,
        injects=injects,
        **sections,
    )
    return run_once(compile_scenario(scenario), None, START, 1, SURE)


def test_each_centre_needs_its_own_manager() -> None:
    result = _centres_run([_centre("first"), _centre("second")], [_demand(5, 10)], _roles(1))
    first, second = result.kpis.rest_centres
    assert first.opened_minute == 2.0  # council alerted at 1, manager at once, 1-min task
    assert second.opened_minute is None
    assert second.reason.startswith("no manager of its own: open held 1 manager")
    both = _centres_run([_centre("first"), _centre("second")], [_demand(5, 10)], _roles(2))
    assert [c.opened_minute for c in both.kpis.rest_centres] == [2.0, 2.0]


def test_registration_desks_open_as_the_registration_role_arrives_and_waits_count_outside() -> None:
    registrars = {"count": 2, "travel_minutes": fixed(50), "reports_to": "hall"}
    result = _centres_run(
        [_centre("hall", registration_role="registrars")],
        [_demand(5, 10)],
        _roles(1, registrars),
    )
    (hall,) = result.kpis.rest_centres
    # open at 2, but nobody registers until the two volunteers are in place at 1 + 50 = 51;
    # the ten people came between 5 and 35, so each waited at least 51 - 35 = 16 min
    assert (hall.opened_minute, hall.registration_staff, hall.registered) == (2.0, 2, 10)
    assert hall.mean_wait_minutes >= 16.0


def test_people_waiting_outside_before_opening_count_that_time_in_their_wait() -> None:
    late_manager = [{**_roles(1)[0], "travel_minutes": fixed(59)}]
    result = _centres_run([_centre("hall", registration_staff=10)], [_demand(5, 10)], late_manager)
    (hall,) = result.kpis.rest_centres
    # open at 1 + 59 + 1 = 61; ten people came between 5 and 35 and waited outside
    assert hall.opened_minute == 61.0
    assert result.kpis.waited_for_opening == 10
    assert 61.0 - 35.0 <= result.kpis.registration_wait_mean_minutes <= 61.0 - 5.0 + 1.0


def test_people_still_queueing_at_the_end_count_with_their_wait_so_far() -> None:
    result = _centres_run([_centre("hall", registration_staff=1)], [_demand(5, 200)], _roles(1))
    kpis = result.kpis
    # 200 registrations of mean 5 min need about 1,000 desk-minutes; one desk has 478
    assert kpis.still_queueing_at_end > 50
    assert kpis.rest_centres[0].still_queueing == kpis.still_queueing_at_end
    assert kpis.registration_wait_max_minutes >= 480.0 - 35.0


def test_arrivals_go_to_the_centre_with_the_shortest_expected_wait() -> None:
    # A coach of 20 people reaches two open centres at minute 65: A has one desk, B five.
    # Expected wait for the next arrival, by hand: A 5 x (people at A), B max(0, at B - 4)
    # min; ties go to A. In turn: A, B x9, A, B x5, A, B x3, so A gets 3 and B 17.
    coach = _demand(60, 20, coach_load=20, coach_every_minutes=5)
    centres = [_centre("a", registration_staff=1), _centre("b", registration_staff=5)]
    result = _centres_run(centres, [coach], _roles(2))
    assert [c.arrivals for c in result.kpis.rest_centres] == [3, 17]


def test_arrivals_come_as_households() -> None:
    result = _centres_run(
        [_centre("hall", capacity=1000, registration_staff=20)],
        [_demand(5, 300)],
        _roles(1),
        arrivals={"household_size": 3},
    )
    (hall,) = result.kpis.rest_centres
    assert (hall.arrivals, hall.registered) == (300, 300)
    # households of 1 + Poisson(2): about 100 of them, well within 70 to 130
    assert 70 <= hall.households <= 130


def test_a_coach_load_arrives_at_once_every_interval() -> None:
    coaches = _demand(10, 400, coach_load=50, coach_every_minutes=15)
    result = _centres_run([_centre("hall", capacity=1000)], [coaches], _roles(1))
    arrived = [e for e in result.events if e.kind == "coach_arrived"]
    assert [e.minute for e in arrived] == [10.0 + 15.0 * n for n in range(1, 9)]
    assert arrived[0].detail == "coach 1 of 8: 50 people for a rest centre"
    assert result.kpis.people_needing_rest_centre == 400
