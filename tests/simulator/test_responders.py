"""Call-out, escalation, rota gaps and travel, checked against independent answers."""

from __future__ import annotations

import math
from datetime import timedelta

import numpy as np
import pytest
from simkit import START, fixed, make_roster, make_scenario, team_role, work_task

from standby.rota.model import Person, Rota, Shift
from standby.simulator.compiled import Assumptions, CompiledScenario, compile_scenario
from standby.simulator.distributions import fixed as fixed_spec
from standby.simulator.model import run_once
from standby.simulator.roster import Roster

EXACT = Assumptions(answer_delay=fixed_spec(0.0), reachable_probability=1.0)
ONE_CYCLE = Assumptions(answer_delay=fixed_spec(0.0), call_cycles=1, reachable_probability=1.0)


def _binomial_tail(n: int, p: float, k: int) -> float:
    """P(at least k of n independent people answer, each with probability p)."""
    return sum(math.comb(n, i) * p**i * (1 - p) ** (n - i) for i in range(k, n + 1))


def _team_scenario(count: int, **extra: object) -> object:
    after = {
        "id": "after_work",
        "name": "After",
        "agency": "council",
        "after": ["work"],
        "duration": fixed(1),
    }
    return make_scenario(roles=[team_role(count, **extra)], plan={"tasks": [work_task(), after]})


def test_four_of_ten_at_p07_fill_the_role_as_the_binomial_says() -> None:
    # P(at least 4 of 10 answer | p = 0.7) = 0.9894 (DOMAIN.md; binomial tail).
    expected = sum(math.comb(10, k) * 0.7**k * 0.3 ** (10 - k) for k in range(4, 11))
    assert expected == pytest.approx(0.9894, abs=5e-5)
    levels = [1 + i // 2 for i in range(10)]
    _assert_fill_rate(levels, 0.7, expected, runs=4000, seed=2026, settings=ONE_CYCLE)


def test_three_call_cycles_fill_the_role_as_the_binomial_of_three_rings_says() -> None:
    # Ringing the list up to 3 times: a person answers at some ring with 1 - (1 - p)^3, and
    # the role fills when at least 4 of 10 do. p = 0.3 gives 1 - 0.7^3 = 0.657 per person.
    per_person = 1 - (1 - 0.3) ** 3
    expected = _binomial_tail(10, per_person, 4)
    assert expected == pytest.approx(0.9768, abs=5e-4)
    _assert_fill_rate([1] * 10, 0.3, expected, runs=3000, seed=7, settings=EXACT)


def _assert_fill_rate(
    levels: list[int], p: float, expected: float, *, runs: int, seed: int, settings: Assumptions
) -> None:
    """A role needing 4, rung from people at ``levels`` answering with ``p``, over ``runs``.

    The fill rate must be within 4 standard errors of ``expected`` (a false alarm about 1 in
    16,000 runs of the test).
    """
    end = START + timedelta(days=1)
    shifts = [(f"p{i}", "Team", level, START, end, p) for i, level in enumerate(levels)]
    roster = make_roster(shifts)
    compiled = compile_scenario(_team_scenario(4))
    seeds = np.random.SeedSequence(seed).spawn(runs)
    filled = sum(
        not run_once(compiled, roster, START, child, settings).unfilled_roles for child in seeds
    )
    standard_error = math.sqrt(expected * (1 - expected) / runs)
    assert abs(filled / runs - expected) < 4 * standard_error


def _rota_with_gap() -> Rota:
    """Team covered from one hour after START for a day, by one person at level 1."""
    people = {"ann": Person("ann", "Ann Jones", answer_probability=1.0)}
    shift = Shift("ann", "Team", START + timedelta(hours=1), START + timedelta(hours=25))
    return Rota(people=people, shifts=[shift])


def test_start_before_the_rota_begins_leaves_role_unfilled_and_dependants_not_done() -> None:
    compiled = compile_scenario(_team_scenario(1))
    result = run_once(compiled, Roster.from_rota(_rota_with_gap()), START, 1, EXACT)
    assert [u.role for u in result.unfilled_roles] == ["team"]
    # the rota's only shift starts an hour after START: the start is outside its dates
    assert result.unfilled_roles[0].kind == "outside_rota_dates"
    assert "outside the rota's dates (Thu 12 Nov 2026 03:10" in result.unfilled_roles[0].reason
    work, after = result.milestones
    assert (work.status, work.met) == ("not_started", False)
    assert "team unfilled" in work.reason
    assert after.reason == "waits for work, which was not done"
    assert result.critical_paths[0].task == "work"


def test_same_start_one_hour_later_is_covered_and_meets_target() -> None:
    compiled = compile_scenario(_team_scenario(1))
    later = START + timedelta(hours=1)
    result = run_once(compiled, Roster.from_rota(_rota_with_gap()), later, 1, EXACT)
    assert result.unfilled_roles == ()
    work = result.milestones[0]
    assert (work.status, work.met) == ("done", True)
    assert work.end_minute == 11.0  # alerted at 1 (phone), answered at once, 10 min work
    answered = next(e for e in result.events if e.kind == "answered")
    assert answered.person == "Ann Jones"


def test_nobody_answering_escalates_through_every_level_then_reports_unfilled() -> None:
    end = START + timedelta(days=1)
    roster = make_roster([(f"p{i}", "Team", i + 1, START, end, 0.0) for i in range(3)])
    result = run_once(compile_scenario(_team_scenario(1)), roster, START, 1, ONE_CYCLE)
    calls = [(e.person, e.kind) for e in result.events if e.kind in ("called", "no_answer")]
    assert calls == [(f"p{i}", kind) for i in range(3) for kind in ("called", "no_answer")]
    assert result.unfilled_roles[0].minute == 1.0 + 3 * 5.0  # three ring timeouts
    assert "nobody answered (3 on call, list rung once)" in result.unfilled_roles[0].reason


def test_the_list_is_rung_again_each_cycle_after_a_pause() -> None:
    end = START + timedelta(days=1)
    roster = make_roster([(f"p{i}", "Team", i + 1, START, end, 0.0) for i in range(2)])
    result = run_once(compile_scenario(_team_scenario(1)), roster, START, 1, EXACT)
    calls = [e.person for e in result.events if e.kind == "called"]
    assert calls == ["p0", "p1"] * 3
    cycles = [e.minute for e in result.events if e.kind == "call_cycle"]
    assert cycles == [1.0 + 2 * 5.0 + 5.0, 1.0 + 4 * 5.0 + 2 * 5.0]
    assert result.unfilled_roles[0].minute == 1.0 + 6 * 5.0 + 2 * 5.0
    assert "nobody answered (2 on call, list rung 3 times)" in result.unfilled_roles[0].reason


def test_someone_who_answered_is_not_rung_again_in_a_later_cycle() -> None:
    end = START + timedelta(days=1)
    roster = make_roster([("ann", "Team", 1, START, end, 1.0), ("bob", "Team", 2, START, end, 0.0)])
    result = run_once(compile_scenario(_team_scenario(2)), roster, START, 1, EXACT)
    calls = [e.person for e in result.events if e.kind == "called"]
    assert calls == ["ann", "bob", "bob", "bob"]
    assert result.unfilled_roles[0].shortfall == 1


def test_person_unavailable_inject_calls_the_backup() -> None:
    end = START + timedelta(days=1)
    roster = make_roster([("ann", "Team", 1, START, end, 1.0), ("bob", "Team", 2, START, end, 1.0)])
    result = run_once(_person_unavailable_at(1, "ann"), roster, START, 1, EXACT)
    started = next(e for e in result.events if e.kind == "task_started")
    assert "bob" in started.detail
    assert started.minute == 6.0


def _person_unavailable_at(minute: float, person: str) -> CompiledScenario:
    """The team scenario (5 min travel) with an inject making ``person`` unavailable."""
    from standby.scenarios.model import Inject

    inject = {
        "id": "i1",
        "minute": minute,
        "from": "Exercise control",
        "to": "Council",
        "text": f"{person} is ill",
        "expected_action": "call the backup",
        "effect": {"kind": "person_unavailable", "person": person},
    }
    scenario = _team_scenario(1, travel_minutes=fixed(5))
    scenario = scenario.model_copy(update={"injects": [Inject.model_validate(inject)]})
    return compile_scenario(scenario)


def test_without_rota_roles_are_filled_by_the_agency_on_call() -> None:
    result = run_once(compile_scenario(_team_scenario(2)), None, START, 3, EXACT)
    assert result.unfilled_roles == ()
    assert result.milestones[0].status == "done"


def test_travel_from_home_uses_straight_line_road_factor_and_turnout() -> None:
    home = (53.40, -2.70)
    people = {"ann": Person("ann", "Ann", answer_probability=1.0, home_location=home)}
    rota = Rota(people=people, shifts=[Shift("ann", "Team", START, START + timedelta(days=1))])
    role = {
        "id": "team",
        "agency": "council",
        "name": "Team",
        "rota_role": "Team",
        "reports_to": "tcg",
    }
    place = {
        "id": "tcg",
        "name": "TCG",
        "kind": "tcg_room",
        "location": {"lat": 53.36, "lon": -2.73},
    }
    task = {"id": "w", "name": "W", "agency": "council", "roles": ["team"], "duration": fixed(1)}
    scenario = make_scenario(roles=[role], places=[place], plan={"tasks": [task]})
    result = run_once(compile_scenario(scenario), Roster.from_rota(rota), START, 1, EXACT)
    # Alerted at 1 (phone), answered at once, the night turnout (02:11 local: 15 min,
    # assumed), then the drive. By hand, on a flat frame at the mean latitude 53.38 deg
    # (R = 6371.0088 km): 0.04 deg north is 4.4478 km, 0.03 deg west is
    # 0.03 x 111.1951 x cos 53.38 = 1.9899 km, so 4.8726 km in a straight line; x 1.3 road
    # factor at 48 km/h is 4.8726 x 1.625 = 7.918 min.
    assert result.milestones[0].start_minute == pytest.approx(1.0 + 15.0 + 7.918, abs=1e-3)
    # by day (11:10 local) the turnout is 10 min (assumed)
    day = START + timedelta(hours=9)
    rota = Rota(people=people, shifts=[Shift("ann", "Team", day, day + timedelta(days=1))])
    result = run_once(compile_scenario(scenario), Roster.from_rota(rota), day, 1, EXACT)
    assert result.milestones[0].start_minute == pytest.approx(1.0 + 10.0 + 7.918, abs=1e-3)


SAME_NAME = {"a1": "Alex Morgan", "a2": "Alex Morgan"}


def test_two_people_who_share_a_name_both_answer_for_a_role_needing_two() -> None:
    end = START + timedelta(days=1)
    roster = make_roster(
        [("a1", "Team", 1, START, end, 1.0), ("a2", "Team", 2, START, end, 1.0)], SAME_NAME
    )
    result = run_once(compile_scenario(_team_scenario(2)), roster, START, 1, EXACT)
    assert result.unfilled_roles == ()
    kinds = [(e.kind, e.person) for e in result.events if e.kind in ("called", "answered")]
    assert kinds == [("called", "Alex Morgan"), ("answered", "Alex Morgan")] * 2
    started = next(e for e in result.events if e.kind == "task_started")
    assert (started.minute, started.detail) == (1.0, "team: Alex Morgan, Alex Morgan")


def test_an_inject_drops_the_person_by_rota_id_not_by_name() -> None:
    # a1 answers at minute 1; the inject makes a2 (same name, not responding) unavailable at
    # minute 3, which must leave a1 at work: nobody is dropped, nobody else is rung.
    end = START + timedelta(days=1)
    roster = make_roster(
        [("a1", "Team", 1, START, end, 1.0), ("a2", "Team", 2, START, end, 1.0)], SAME_NAME
    )
    result = run_once(_person_unavailable_at(3, "a2"), roster, START, 1, EXACT)
    assert [e for e in result.events if e.kind == "person_unavailable"] == []
    assert [e.minute for e in result.events if e.kind == "called"] == [1.0]
    work = result.milestones[0]
    assert (work.start_minute, work.end_minute) == (6.0, 16.0)
