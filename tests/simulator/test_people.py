"""People at risk: warning demand, rest centres opening, overflow, turn-aways, registration."""

from __future__ import annotations

import json
import statistics
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from simkit import START, fixed, make_roster, make_scenario, plan_task, receptor

from standby import StandbyError
from standby.rota.io import read_rota
from standby.scenarios import load_scenario
from standby.simulator.compiled import Assumptions, compile_scenario
from standby.simulator.distributions import fixed as fixed_spec
from standby.simulator.model import prepare, run_once

EXACT = Assumptions(answer_delay=fixed_spec(0.0), reachable_probability=1.0)
ROTA = Path(__file__).resolve().parents[2] / "rota" / "data" / "council-2026.yaml"

# The simkit release (chlorine 100 g/s, wind from 225 deg at 3 m/s, class D) blows to the
# north-east of the site at 53.335, -2.725.
DOWNWIND = {"lat": 53.3375, "lon": -2.7208}  # about 400 m north-east
UPWIND = {"lat": 53.3300, "lon": -2.7330}  # about 750 m south-west


def _manager(travel: float, rota_role: str | None = None) -> dict[str, Any]:
    role: dict[str, Any] = {
        "id": "manager",
        "agency": "council",
        "name": "Rest centre manager",
        "reports_to": "remote",
        "travel_minutes": fixed(travel),
        "answer_probability": 1.0,
    }
    if rota_role:
        role["rota_role"] = rota_role
    return role


def _centre(cid: str, capacity: int, staff: int = 2) -> dict[str, Any]:
    return {
        "id": cid,
        "name": cid.replace("_", " ").title(),
        "location": {"lat": 53.35, "lon": -2.74},
        "capacity": capacity,
        "staffing_role": "manager",
        "registration_staff": staff,
    }


def _demand(minute: float, people: int) -> dict[str, Any]:
    return {
        "id": f"d{int(minute)}",
        "minute": minute,
        "from": "Exercise control",
        "to": "Council",
        "text": f"{people} people need shelter",
        "expected_action": "Open the rest centre",
        "effect": {"kind": "extra_demand", "people": people},
    }


def _rest_centre_scenario(
    capacities: list[int], people: int, *, travel: float = 40.0, rota_role: str | None = None
) -> Any:
    # one manager for each centre: each centre needs its own
    return make_scenario(
        roles=[{**_manager(travel, rota_role), "count": len(capacities)}],
        plan={"tasks": [plan_task("open_rc", "rest_centre", 10, roles=["manager"])]},
        rest_centres=[_centre(f"centre_{i}", c) for i, c in enumerate(capacities)],
        injects=[_demand(5, people)],
    )


# --- warning demand ------------------------------------------------------------------------


def _warning_result() -> Any:
    scenario = make_scenario(
        plan={"tasks": [plan_task("warn_vulnerable", "warning", 30)]},
        receptors=[
            receptor("care_home_downwind", DOWNWIND, 60, True),
            receptor("care_home_upwind", UPWIND, 40, True),
            receptor("houses_downwind", DOWNWIND, 500, False),
        ],
    )
    return run_once(compile_scenario(scenario), None, START, 1, EXACT)


def test_a_vulnerable_premises_inside_aegl2_is_warned_and_counted() -> None:
    result = _warning_result()
    zones = {z.level: z for z in result.kpis.people_in_zones}
    assert "care_home_downwind" in zones["AEGL-2"].receptors + zones["AEGL-3"].receptors
    inside = zones["AEGL-2"].people + zones["AEGL-3"].people
    assert inside == 560
    assert result.kpis.vulnerable_premises_in_aegl2 == 1
    task = next(m for m in result.milestones if m.task == "warn_vulnerable")
    premises = next(w for w in result.kpis.warnings if w.receptor == "care_home_downwind")
    assert premises.in_person_by == "warn_vulnerable"
    # one premises to warn: it is warned as the task ends, and the key figure is that end
    assert premises.in_person_minute == task.end_minute
    assert result.kpis.all_vulnerable_warned_minute == task.end_minute
    assert result.kpis.all_vulnerable_warned_by == "warn_vulnerable"
    warned = [e.detail for e in result.events if e.kind == "warned"]
    assert len(warned) == 1 and warned[0].startswith("Care Home Downwind")


def test_a_vulnerable_premises_outside_the_zones_is_not_warned_or_counted() -> None:
    result = _warning_result()
    everyone = [r for z in result.kpis.people_in_zones for r in z.receptors]
    assert "care_home_upwind" not in everyone
    upwind = next(r for r in result.hazard.receptors if r.receptor == "care_home_upwind")
    assert upwind.zone is None and upwind.arrival_minute is None
    assert all("Upwind" not in e.detail for e in result.events if e.kind == "warned")


def test_the_broadcast_warns_the_public_when_the_first_warning_task_ends() -> None:
    result = _warning_result()
    task = next(m for m in result.milestones if m.task == "warn_vulnerable")
    assert result.kpis.public_warned_minute == task.end_minute


def test_when_no_warning_task_runs_the_kpi_says_why() -> None:
    scenario = make_scenario(
        roles=[_manager(0, rota_role="Social Care")],
        plan={"tasks": [plan_task("warn_vulnerable", "warning", 30, roles=["manager"])]},
        receptors=[receptor("care_home", DOWNWIND, 60, True)],
    )
    result = run_once(compile_scenario(scenario), make_roster([]), START, 1, EXACT)
    assert result.kpis.all_vulnerable_warned_minute is None
    assert result.kpis.vulnerable_warned_reason.startswith("no warning task started")
    assert "manager unfilled" in result.kpis.vulnerable_warned_reason


# --- rest centres -----------------------------------------------------------------------------


def test_a_rest_centre_does_not_open_before_its_manager_arrives() -> None:
    result = run_once(compile_scenario(_rest_centre_scenario([50], 10)), None, START, 1, EXACT)
    # alerted at 1 (phone), the agency's on-call answers at once, 40 min travel, 10 min task
    arrived = next(e.minute for e in result.events if e.kind == "arrived" and e.role == "manager")
    assert arrived == 41.0
    assert result.kpis.first_rest_centre_open_minute == 51.0
    # everyone came at minutes 5-35, before the centre opened, and waited outside
    assert result.kpis.waited_for_opening == 10
    assert result.kpis.rest_centres[0].peak_occupancy == 10


def test_a_rest_centre_never_opens_when_the_rota_leaves_its_manager_unfilled() -> None:
    scenario = _rest_centre_scenario([50], 10, rota_role="Rest Centre Manager")
    day = timedelta(days=1)
    shifts = [
        ("pat", "Rest Centre Manager", 1, START - 2 * day, START - day, 1.0),
        ("pat", "Rest Centre Manager", 1, START + day, START + 2 * day, 1.0),
    ]
    result = run_once(compile_scenario(scenario), make_roster(shifts), START, 1, EXACT)
    kpis = result.kpis
    assert kpis.first_rest_centre_open_minute is None
    # alerted at minute 1 by phone: 02:11 on Thursday 12 November (GMT)
    assert kpis.first_rest_centre_reason == (
        "open_rc: manager unfilled: nobody on call for 'Rest Centre Manager' "
        "at Thu 12 Nov 2026 02:11 (rota gap; next on call from Fri 13 Nov 2026 02:10)"
    )
    assert kpis.waiting_at_end == 10
    # nobody was registered, but the wait still counts the ten still outside at minute 480:
    # they arrived between minutes 5 and 35, so each waited between 445 and 475 minutes
    assert 445.0 <= kpis.registration_wait_mean_minutes <= kpis.registration_wait_max_minutes
    assert kpis.registration_wait_max_minutes <= 475.0
    assert not [e for e in result.events if e.kind == "rest_centre_opened"]


def test_the_rota_manager_opens_the_centre_when_on_call() -> None:
    scenario = _rest_centre_scenario([50], 10, rota_role="Rest Centre Manager")
    shift = ("pat", "Rest Centre Manager", 1, START, START + timedelta(days=1), 1.0)
    result = run_once(compile_scenario(scenario), make_roster([shift]), START, 1, EXACT)
    assert result.kpis.first_rest_centre_open_minute is not None
    assert [e.person for e in result.events if e.kind == "arrived"] == ["pat"]


def test_a_full_centre_overflows_to_the_second() -> None:
    result = run_once(compile_scenario(_rest_centre_scenario([5, 100], 20)), None, START, 1)
    peaks = [c.peak_occupancy for c in result.kpis.rest_centres]
    assert peaks == [5, 15]
    assert result.kpis.turned_away == 0
    assert [e.kind for e in result.events].count("rest_centre_full") == 1


def test_people_are_turned_away_when_every_centre_is_full() -> None:
    result = run_once(compile_scenario(_rest_centre_scenario([5, 3], 20)), None, START, 1)
    kpis = result.kpis
    assert [c.peak_occupancy for c in kpis.rest_centres] == [5, 3]
    assert kpis.turned_away == 12
    assert kpis.people_needing_rest_centre == 20
    assert "turned_away" in {e.kind for e in result.events}


def test_registration_waits_are_reported_per_centre_and_overall() -> None:
    result = run_once(compile_scenario(_rest_centre_scenario([50], 30)), None, START, 1)
    kpis = result.kpis
    centre = kpis.rest_centres[0]
    assert centre.registered == 30
    assert 0.0 < kpis.registration_wait_mean_minutes <= kpis.registration_wait_max_minutes
    assert centre.max_wait_minutes == kpis.registration_wait_max_minutes


def test_an_evacuation_sends_the_assumed_share_to_rest_centres() -> None:
    scenario = make_scenario(
        plan={
            "tasks": [
                plan_task("evacuate", "evacuation", 5),
                plan_task("open_rc", "rest_centre", 1),
            ]
        },
        roles=[_manager(0)],
        receptors=[receptor("houses", DOWNWIND, 2000, False)],
        rest_centres=[_centre("hall", 1000)],
    )
    # the rest_centre task holds no role, so nobody opens the hall, and the KPI says why
    settings = Assumptions(rest_centre_fraction=0.1, evacuation_arrival_minutes=60.0)
    result = run_once(compile_scenario(scenario), None, START, 3, settings)
    kpis = result.kpis
    assert kpis.protective_action == "evacuation"
    # Poisson count with mean 200: within 4 standard deviations (sqrt 200 = 14)
    assert abs(kpis.people_needing_rest_centre - 200) < 4 * 200**0.5
    assert kpis.first_rest_centre_open_minute is None
    assert "no kind: rest_centre task holds its staffing role manager" in (
        kpis.first_rest_centre_reason
    )


# --- determinism and the chlorine scenario ------------------------------------------------


@pytest.fixture(scope="module")
def chlorine_with_rota() -> Any:
    scenario = load_scenario("chlorine-riverside")
    return prepare(scenario, read_rota(ROTA, timezone=scenario.timezone))


def test_same_seed_gives_the_same_bytes_with_people(chlorine_with_rota: Any) -> None:
    prepared = chlorine_with_rota
    first = run_once(prepared.compiled, prepared.roster, None, 11).to_json()
    assert first == run_once(prepared.compiled, prepared.roster, None, 11).to_json()
    data = json.loads(first)
    assert {"hazard", "kpis"} <= set(data)
    assert data["hazard"]["limits"] and data["hazard"]["periods"][0]["zones"][0]["level"]


def test_people_draws_leave_the_plan_random_numbers_alone() -> None:
    with_demand = compile_scenario(_rest_centre_scenario([50], 30))
    scenario = _rest_centre_scenario([50], 30).model_copy(update={"injects": []})
    without = compile_scenario(scenario)
    for seed in (1, 2, 3):
        a = run_once(with_demand, None, START, seed).milestones
        b = run_once(without, None, START, seed).milestones
        assert a == b


def test_chlorine_wind_change_is_logged_with_its_zones(chlorine_with_rota: Any) -> None:
    result = run_once(chlorine_with_rota.compiled, chlorine_with_rota.roster, None, 1)
    (wind,) = [e for e in result.events if e.kind == "wind_change"]
    # the release lasts 25 min; a change at minute 95 leaves the zones as they were
    assert "zones unchanged" in wind.detail
    assert len(result.hazard.periods) == 1


def test_a_wind_change_during_the_release_logs_the_new_zones() -> None:
    change = {
        "id": "w",
        "minute": 5,
        "from": "Met Office",
        "to": "TCG",
        "text": "Wind veers",
        "expected_action": "Re-assess",
        "effect": {"kind": "wind_change", "wind_speed_ms": 5, "wind_from_deg": 270},
    }
    with pytest.raises(StandbyError, match=r"injects w: .*stability"):
        compile_scenario(make_scenario(injects=[change]))
    change["effect"] = {**change["effect"], "stability": "D"}
    result = run_once(compile_scenario(make_scenario(injects=[change])), None, START, 1)
    (wind,) = [e for e in result.events if e.kind == "wind_change"]
    assert "new zones from minute 5" in wind.detail and "AEGL-2" in wind.detail
    assert [p.start_minute for p in result.hazard.periods] == [0.0, 5.0]


# --- registration against queueing theory ---------------------------------------------------


@pytest.mark.slow
def test_registration_mean_wait_matches_erlang_c_through_the_simulator() -> None:
    # M/M/5 at the desk: lambda 0.8/min (8,000 people over 10,000 min), mu 0.2/min (5 min
    # mean registration), load 4, utilisation 0.8: P(wait) 0.5541, mean wait 2.770 min.
    staff, lam, mu, window = 5, 0.8, 0.2, 10_000.0
    # Erlang C for c = 5 at load 4 is 0.5541 (DOMAIN.md); Wq = C / (c mu - lambda).
    expected = 0.5541 / (staff * mu - lam)
    assert expected == pytest.approx(2.770, abs=1e-3)
    scenario = make_scenario(
        duration_minutes=window + 60.0,
        roles=[_manager(0)],
        plan={"tasks": [plan_task("open_rc", "rest_centre", 0.001, roles=["manager"])]},
        rest_centres=[_centre("hall", 100_000, staff)],
        injects=[{**_demand(1, int(lam * window)), "minute": 1}],
    )
    settings = Assumptions(
        extra_demand_arrival_minutes=window,
        registration_minutes=1.0 / mu,
        answer_delay=(0, 0, 0, 0),
    )
    compiled = compile_scenario(scenario)
    means = [
        run_once(compiled, None, START, seed, settings).kpis.registration_wait_mean_minutes
        for seed in range(10)
    ]
    # Ten independent runs of 8,000 people each: the spread of their means gives the standard
    # error; 4 SE (plus the run-start transient, a few minutes out of 10,000) is the tolerance.
    se = statistics.stdev(means) / len(means) ** 0.5
    assert statistics.fmean(means) == pytest.approx(expected, abs=4 * se)
    assert se < 0.1 * expected


def test_warns_field_decides_who_knocks_on_doors_not_the_task_name() -> None:
    scenario = make_scenario(
        plan={
            "tasks": [
                plan_task("door_knock", "warning", 30, warns="in_person"),
                plan_task("warn_vulnerable_by_radio", "warning", 5, warns="broadcast"),
            ]
        },
        receptors=[receptor("care_home_downwind", DOWNWIND, 60, True)],
    )
    result = run_once(compile_scenario(scenario), None, START, 1, EXACT)
    premises = next(w for w in result.kpis.warnings if w.receptor == "care_home_downwind")
    assert premises.in_person_by == "door_knock"
    radio = next(m for m in result.milestones if m.task == "warn_vulnerable_by_radio")
    assert result.kpis.public_warned_minute == radio.end_minute
