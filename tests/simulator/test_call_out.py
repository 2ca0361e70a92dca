"""Who answers: non-answer that persists, group pages, on-duty roles and rota roles checked
before a run, each against a closed form or a timeline worked out by hand."""

from __future__ import annotations

import math
from datetime import time, timedelta
from typing import Any

import numpy as np
import pytest
from simkit import START, fixed, make_roster, make_scenario, team_role, work_task

from standby.rota.model import Requirement, TimeWindow
from standby.scenarios.model import Inject
from standby.simulator.compiled import Assumptions, compile_scenario
from standby.simulator.distributions import fixed as fixed_spec
from standby.simulator.model import Prepared, prepare, rota_warnings, run_once
from standby.simulator.roster import Roster
from standby.simulator.summary import summarise

DAY = timedelta(days=1)
NO_DELAY = Assumptions(answer_delay=fixed_spec(0.0))


def _team(count: int = 1, **role: Any) -> Any:
    """One council role ``team`` (rota role Team) needed by one task with a 60-min target."""
    return make_scenario(roles=[team_role(count, **role)], plan={"tasks": [work_task()]})


def _unfilled_rate(
    scenario: Any, answer: float, runs: int, seed: int, settings: Assumptions, people: int = 1
) -> float:
    roster = make_roster([(f"p{i}", "Team", 1, START, START + DAY, answer) for i in range(people)])
    compiled = compile_scenario(scenario)
    children = np.random.SeedSequence(seed).spawn(runs)
    short = sum(
        bool(run_once(compiled, roster, START, child, settings).unfilled_roles)
        for child in children
    )
    return short / runs


def _assert_rate(observed: float, expected: float, runs: int) -> None:
    """Within 4 standard errors of a binomial proportion (a false alarm 1 in 16,000)."""
    assert abs(observed - expected) < 4 * math.sqrt(expected * (1 - expected) / runs)


# --- non-answer persists --------------------------------------------------------------------


def test_a_reachable_person_rung_three_times_at_075_is_missed_1_6_percent() -> None:
    # Reachable for sure, each of 3 rings answered with p = 0.75: all three missed 0.25^3.
    expected = 0.25**3
    assert expected == pytest.approx(0.0156, abs=1e-4)
    settings = Assumptions(answer_delay=fixed_spec(0.0), reachable_probability=1.0)
    _assert_rate(_unfilled_rate(_team(), 0.75, 4000, 11, settings), expected, 4000)


def test_a_phone_left_downstairs_stays_unanswered_however_often_it_rings() -> None:
    # Reachable with 0.75 (drawn once for the incident), then every ring answered: unfilled
    # exactly when unreachable, 25 %, although the list is rung three times.
    scenario = _team(reachable_probability=0.75)
    _assert_rate(_unfilled_rate(scenario, 1.0, 4000, 12, NO_DELAY), 0.25, 4000)


def test_reachability_and_answering_combine_as_the_closed_form_says() -> None:
    # P(unfilled) = 1 - r (1 - (1 - a)^k): r = 0.8, a = 0.5, k = 3 gives 1 - 0.8 x 0.875 = 0.3.
    expected = 1 - 0.8 * (1 - 0.5**3)
    assert expected == pytest.approx(0.3)
    scenario = _team(reachable_probability=0.8)
    _assert_rate(_unfilled_rate(scenario, 0.5, 3000, 13, NO_DELAY), expected, 3000)


def test_someone_unreachable_is_rung_every_cycle_and_never_answers() -> None:
    roster = make_roster([("ann", "Team", 1, START, START + DAY, 1.0)])
    compiled = compile_scenario(_team(reachable_probability=0.0))
    result = run_once(compiled, roster, START, 1, NO_DELAY)
    assert [e.minute for e in result.events if e.kind == "called"] == [1.0, 11.0, 21.0]
    (short,) = result.unfilled_roles
    assert (short.kind, short.minute) == ("no_answer", 26.0)


# --- group page ---------------------------------------------------------------------------


def _three(answers: tuple[float, float, float]) -> Roster:
    return make_roster(
        [(f"p{i}", "Team", i + 1, START, START + DAY, p) for i, p in enumerate(answers)]
    )


EXACT_ONE = Assumptions(answer_delay=fixed_spec(1.0), reachable_probability=1.0)


def test_one_by_one_reaches_the_third_person_after_two_ring_timeouts() -> None:
    result = run_once(compile_scenario(_team()), _three((0, 0, 1)), START, 1, EXACT_ONE)
    (answered,) = [e for e in result.events if e.kind == "answered"]
    assert (answered.person, answered.minute) == ("p2", 1.0 + 5.0 + 5.0 + 1.0)


def test_a_group_page_rings_everyone_at_once_and_takes_who_answers() -> None:
    compiled = compile_scenario(_team(call_out="group_page"))
    result = run_once(compiled, _three((0, 0, 1)), START, 1, EXACT_ONE)
    assert [(e.person, e.minute) for e in result.events if e.kind == "paged"] == [
        ("p0", 1.0),
        ("p1", 1.0),
        ("p2", 1.0),
    ]
    (answered,) = [e for e in result.events if e.kind == "answered"]
    assert (answered.person, answered.minute) == ("p2", 2.0)
    assert result.milestones[0].start_minute == 2.0


def test_a_role_needing_two_stops_paging_when_two_have_answered() -> None:
    compiled = compile_scenario(_team(2, call_out="group_page"))
    result = run_once(compiled, _three((1, 1, 1)), START, 1, EXACT_ONE)
    answered = [e.person for e in result.events if e.kind == "answered"]
    assert answered == ["p0", "p1"]
    assert result.unfilled_roles == ()


def test_a_reply_after_the_response_window_misses_it() -> None:
    late = Assumptions(answer_delay=fixed_spec(4.0), reachable_probability=1.0)
    roster = _three((1, 1, 1))
    short_window = compile_scenario(_team(call_out="group_page", response_window_minutes=3))
    result = run_once(short_window, roster, START, 1, late)
    # three pages of a 3-min window, 5 min apart: 1 + 3 + 5 + 3 + 5 + 3
    (short,) = result.unfilled_roles
    assert short.minute == 20.0
    assert "paged 3 times" in short.reason
    wide_window = compile_scenario(_team(call_out="group_page", response_window_minutes=5))
    result = run_once(wide_window, roster, START, 1, late)
    assert [e.minute for e in result.events if e.kind == "answered"] == [5.0]


def test_a_group_page_fills_two_of_five_as_the_binomial_says() -> None:
    # one page, five people each answering 0.6: P(at least 2) = 1 - 0.4^5 - 5 x 0.6 x 0.4^4
    expected = 1 - 0.4**5 - 5 * 0.6 * 0.4**4
    assert expected == pytest.approx(0.91296)
    settings = Assumptions(answer_delay=fixed_spec(0.0), reachable_probability=1.0, call_cycles=1)
    rate = _unfilled_rate(_team(2, call_out="group_page"), 0.6, 3000, 14, settings, people=5)
    _assert_rate(1 - rate, expected, 3000)


# --- on duty ------------------------------------------------------------------------------


def _on_duty(**role: Any) -> Any:
    return _team(duty="on_duty", dispatch_delay=fixed(2), **role)


def test_an_on_duty_role_always_answers_after_its_dispatch_delay() -> None:
    compiled = compile_scenario(_on_duty())
    starts = set()
    for seed in range(50):
        result = run_once(compiled, None, START, seed)
        assert result.unfilled_roles == ()
        assert not [e for e in result.events if e.kind in ("called", "no_answer")]
        starts.add(result.milestones[0].start_minute)
    assert starts == {1.0 + 2.0}  # alerted at 1 by phone, dispatched 2 min later


def test_an_on_duty_person_on_the_rota_is_sent_even_if_they_would_not_answer_a_phone() -> None:
    roster = make_roster([("ann", "Team", 1, START, START + DAY, 0.0)])
    result = run_once(compile_scenario(_on_duty()), roster, START, 1)
    (answered,) = [e for e in result.events if e.kind == "answered"]
    assert (answered.person, answered.minute) == ("ann", 3.0)
    assert answered.detail == "on duty; dispatched in 2 min"


# --- rota roles checked before a run -------------------------------------------------------


def _prepared(scenario: Any, roster: Roster) -> Prepared:
    compiled = compile_scenario(scenario)
    return Prepared(compiled, roster)


def _gap_roster() -> Roster:
    """Team on call a week before START and from two days after it (the start is a gap)."""
    return Roster.from_rota(roster_rota())


def test_a_misspelt_rota_role_is_named_before_the_run_with_a_hint() -> None:
    scenario = _team(rota_role="Teem")
    (warning,) = rota_warnings(_prepared(scenario, _gap_roster()), START)
    assert warning == (
        "role team: the rota has no role 'Teem' (did you mean 'Team'?); check the role's "
        "rota_role [not_in_rota]"
    )
    result = run_once(compile_scenario(scenario), _gap_roster(), START, 1)
    assert result.unfilled_roles[0].kind == "not_in_rota"
    assert warning in result.notes


def test_a_start_outside_the_rota_s_dates_is_its_own_warning() -> None:
    late = START + 30 * DAY
    (warning,) = rota_warnings(_prepared(_team(), _gap_roster()), late)
    assert warning.endswith("[outside_rota_dates]")
    assert "outside the rota's dates (Thu 05 Nov 2026 02:10 to Sat 21 Nov 2026 02:10)" in warning


def test_a_gap_says_when_someone_is_next_on_call() -> None:
    (warning,) = rota_warnings(_prepared(_team(), _gap_roster()), START)
    assert warning == (
        "role team: nobody on call for 'Team' at Thu 12 Nov 2026 02:10 (rota gap; next on "
        "call from Sat 14 Nov 2026 02:10) [rota_gap]"
    )


def test_a_role_the_requirements_do_not_ask_for_at_the_start_is_not_a_gap() -> None:
    # Team is required only on weekday evenings 17:00-23:00; the start is 02:10
    evenings = TimeWindow(days=("mon", "tue", "wed", "thu", "fri"), start=time(17), end=time(23))
    with_requirements = Roster.from_rota(roster_rota(), [Requirement("Team", 1, evenings)])
    (warning,) = rota_warnings(_prepared(_team(), with_requirements), START)
    assert warning.endswith("[not_required]")
    assert "ask for 'Team' only mon, tue, wed, thu, fri 17:00-23:00" in warning
    result = run_once(compile_scenario(_team()), with_requirements, START, 1)
    assert result.unfilled_roles[0].kind == "not_required"


def roster_rota() -> Any:
    """The rota behind :func:`_gap_roster`, to rebuild it with requirements."""
    from standby.rota.model import Person, Rota, Shift

    return Rota(
        people={"ann": Person("ann", "ann", answer_probability=1.0)},
        shifts=[
            Shift("ann", "Team", START - 7 * DAY, START - DAY),
            Shift("ann", "Team", START + 2 * DAY, START + 9 * DAY),
        ],
    )


def test_the_summary_counts_each_kind_of_unfilled_role_apart() -> None:
    typo = compile_scenario(_team(rota_role="Teem"))
    gap = compile_scenario(_team())
    roster = _gap_roster()
    runs = [
        run_once(typo, roster, START, 1),
        run_once(gap, roster, START, 1),
        run_once(gap, roster, START, 2),
    ]
    (role,) = summarise(runs, seed=1).roles
    assert role.kinds == (("not_in_rota", 1), ("rota_gap", 2))


def _unavailable(person: str) -> Any:
    inject = {
        "id": "i7",
        "minute": 5,
        "from": "Exercise control",
        "to": "Council",
        "text": "The duty officer's car will not start.",
        "expected_action": "Call the backup.",
        "effect": {"kind": "person_unavailable", "person": person},
    }
    return _team().model_copy(update={"injects": [Inject.model_validate(inject)]})


def test_an_inject_naming_someone_not_in_the_rota_is_a_clear_warning() -> None:
    roster = make_roster([("dfairclough", "Team", 1, START, START + DAY, 1.0)])
    scenario = _unavailable("rest-centre-manager-primary")
    (warning,) = rota_warnings(_prepared(scenario, roster), START)
    assert warning == (
        "inject i7 makes person 'rest-centre-manager-primary' unavailable, but the rota has "
        "nobody with that id (valid: dfairclough): it will change nothing"
    )
    result = run_once(compile_scenario(scenario), roster, START, 1)
    (event,) = [e for e in result.events if e.kind == "person_unavailable"]
    assert "not found (the rota has nobody with that id); nobody drops out" in event.detail
    (without,) = rota_warnings(prepare(scenario), START)
    assert "no rota was given" in without
