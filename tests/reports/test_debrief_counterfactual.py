"""The counterfactual: consequences read from a run by hand-worked cases; pairs compared;
players slower than the model (same seeds) never show less harm."""

from __future__ import annotations

import functools
from dataclasses import replace
from datetime import date

import pytest
import yaml

from standby.reports.debrief import build_debrief
from standby.reports.debrief_counterfactual import (
    MEASURES,
    Consequences,
    compare,
    consequences,
    paired_runs,
)
from standby.reports.exercise_log import ExerciseLog, LogRecord
from standby.scenarios.load import library_dir
from standby.scenarios.model import Scenario
from standby.simulator.model import prepare, run_once, run_seeds, simulate
from standby.simulator.results import ReceptorWarning, RunResult

RUNS = 30


@functools.cache
def _chlorine_run() -> RunResult:
    from standby.scenarios import load_scenario

    return run_once(prepare(load_scenario("chlorine-riverside")).compiled, None, None, 1)


def _warning(
    name: str, zone: str | None, people: int, arrival: float | None, **minutes: float | None
) -> ReceptorWarning:
    in_person, broadcast = minutes.get("in_person"), minutes.get("broadcast")
    known = [m for m in (in_person, broadcast) if m is not None]
    warned = min(known) if known else None
    before = warned is not None and (arrival is None or warned <= arrival)
    return ReceptorWarning(
        name, zone, people, arrival, in_person, None, broadcast, None, warned, before, None
    )


def _with(*warnings: ReceptorWarning) -> RunResult:
    run = _chlorine_run()
    assert run.kpis is not None
    return replace(run, kpis=replace(run.kpis, warnings=warnings))


def test_consequences_by_hand() -> None:
    # a: AEGL-2, 100 people, plume at +10, door-knocked at +5 -> indoors, 0 min unwarned
    # b: AEGL-3, 300 people, plume at +20, broadcast at +50 -> outdoors, 30 min unwarned
    # c: AEGL-1, 1000 people -> not above AEGL-2
    run = _with(
        _warning("a", "AEGL-2", 100, 10.0, in_person=5.0, broadcast=50.0),
        _warning("b", "AEGL-3", 300, 20.0, broadcast=50.0),
        _warning("c", "AEGL-1", 1000, 5.0, broadcast=50.0),
    )
    result = consequences(run, vulnerable={"a"})
    assert result.above_aegl2_outdoors == 300
    assert result.above_aegl2_indoors == 100
    assert result.plume_to_warning_minutes == pytest.approx((100 * 0 + 300 * 30) / 400)
    assert result.vulnerable_premises == 1
    assert result.vulnerable_warned_before_plume == 1


def test_people_never_warned_count_to_the_end_of_the_scenario() -> None:
    result = consequences(_with(_warning("a", "AEGL-2", 10, 30.0)))
    assert result.above_aegl2_outdoors == 10
    assert result.plume_to_warning_minutes == pytest.approx(480.0 - 30.0)


def test_the_broadcast_warns_a_vulnerable_premises_not_yet_knocked() -> None:
    home = _warning("home", "AEGL-2", 60, 40.0, in_person=70.0, broadcast=35.0)
    result = consequences(_with(home), vulnerable={"home"})
    assert (result.above_aegl2_indoors, result.above_aegl2_outdoors) == (60, 0)
    assert result.vulnerable_warned_before_plume == 0  # the in-person knock came after it


def _consequences(**values: object) -> Consequences:
    base: dict[str, object] = {
        "above_aegl2_outdoors": 0,
        "above_aegl2_indoors": 0,
        "plume_to_warning_minutes": 0.0,
        "vulnerable_premises": 2,
        "vulnerable_warned_before_plume": 0,
        "last_vulnerable_warned_minute": None,
        "public_warned_minute": None,
        "first_rest_centre_open_minute": None,
        "rest_centre_queue": 0,
        "registration_wait_max_minutes": None,
    }
    return Consequences(**{**base, **values})  # type: ignore[arg-type]


def test_pairs_are_counted_worse_same_or_better_a_minute_never_came_being_latest() -> None:
    model = [
        _consequences(public_warned_minute=50.0, vulnerable_warned_before_plume=2),
        _consequences(public_warned_minute=60.0, vulnerable_warned_before_plume=1),
        _consequences(public_warned_minute=70.0, vulnerable_warned_before_plume=1),
    ]
    players = [
        _consequences(public_warned_minute=80.0, vulnerable_warned_before_plume=1),
        _consequences(public_warned_minute=None, vulnerable_warned_before_plume=1),
        _consequences(public_warned_minute=65.0, vulnerable_warned_before_plume=2),
    ]
    by_field = {c.field: c for c in compare(model, players, 480.0)}
    warned = by_field["public_warned_minute"]
    assert (warned.worse, warned.same, warned.better) == (2, 0, 1)
    assert (warned.model_median, warned.players_median) == (60.0, 72.5)
    assert (warned.model_happened, warned.players_happened) == (3, 2)
    before = by_field["vulnerable_warned_before_plume"]  # fewer is worse
    assert (before.worse, before.same, before.better) == (1, 1, 1)
    indoors = by_field["above_aegl2_indoors"]  # not a harm measure: neither worse nor better
    assert (indoors.worse, indoors.same, indoors.better) == (0, 3, 0)


def test_every_measure_names_a_field_of_the_consequences() -> None:
    names = set(Consequences.__dataclass_fields__)
    assert {m.field for m in MEASURES} <= names
    assert len({m.field for m in MEASURES}) == len(MEASURES)


# --- players slower than the model ----------------------------------------------------------


@functools.cache
def _slow_wind_scenario() -> Scenario:
    """The chlorine scenario at 1.5 m/s with homes 3 and 5 km downwind inside AEGL-2, whom
    the plume reaches after about 33 and 55 minutes: a warning can beat it there."""
    data = yaml.safe_load((library_dir() / "chlorine-riverside.yaml").read_text("utf-8"))
    data["hazard"]["weather"]["wind_speed_ms"] = 1.5
    del data["hazard"]["weather_spread"]  # the same slow wind in every run
    for km in (3, 5):  # north-east, downwind of a south-westerly
        data["receptors"].append(
            {
                "id": f"downwind_{km}km",
                "name": f"Homes {km} km downwind",
                "kind": "residential",
                "location": {
                    "lat": 53.335 + km * 1000 * 0.7071 / 111_320,
                    "lon": -2.725 + km * 1000 * 0.7071 / 66_480,
                },
                "population": 1000,
                "vulnerable": False,
            }
        )
    return Scenario.model_validate(data)


def _milestone_log(task: str, minute: float) -> ExerciseLog:
    record = LogRecord(id=1, kind="milestone", scenario_minute=minute, text="done", task=task)
    return ExerciseLog(scenario="chlorine-riverside", records=(record,))


def test_players_30_minutes_slower_on_the_warning_show_at_least_as_many_exposed() -> None:
    scenario = _slow_wind_scenario()
    model_runs = simulate(prepare(scenario), None, 1, RUNS)
    ends = [m.end_minute for r in model_runs for m in r.milestones if m.task == "public_warning"]
    assert all(end is not None for end in ends)
    slower = max(e for e in ends if e is not None) + 30.0  # later than every model run, by 30
    log = _milestone_log("public_warning", slower)
    debrief = build_debrief(scenario, log, runs=RUNS, seed=1, exercise_date=date(2026, 3, 18))
    result = debrief.counterfactual
    vulnerable = {r.id for r in scenario.receptors if r.vulnerable}
    assert result.model == tuple(consequences(r, vulnerable) for r in model_runs)  # same seeds
    for model, players in zip(result.model, result.players, strict=True):
        assert players.above_aegl2_outdoors >= model.above_aegl2_outdoors
        assert players.plume_to_warning_minutes >= model.plume_to_warning_minutes
        assert players.public_warned_minute == pytest.approx(slower)
    exposed = result.comparison("above_aegl2_outdoors")
    assert exposed.better == 0
    assert exposed.worse > 0  # the homes 5 km away: warned in time by the model, not the players
    assert result.comparison("plume_to_warning_minutes").worse == RUNS


def test_each_run_30_minutes_slower_than_itself_never_shows_less_harm() -> None:
    scenario = _slow_wind_scenario()
    compiled = prepare(scenario).compiled
    harm = [m for m in MEASURES if m.worse != "neither"]
    vulnerable = {r.id for r in scenario.receptors if r.vulnerable}
    for seed in run_seeds(2, RUNS):
        model = run_once(compiled, None, None, seed)
        ends = {m.task: m.end_minute for m in model.milestones}
        pins = {
            task: ends[task] + 30.0  # type: ignore[operator]
            for task in ("public_warning", "warn_vulnerable", "convene_tcg")
        }
        players = run_once(compiled, None, None, seed, pinned=pins)
        base, played = consequences(model, vulnerable), consequences(players, vulnerable)
        for m in harm:
            before, after = getattr(base, m.field), getattr(played, m.field)
            if m.unit == "minute":  # a minute that never came is the latest of all
                before = 1e9 if before is None else before
                after = 1e9 if after is None else after
            elif before is None or after is None:
                continue
            assert after >= before - 1e-9 if m.worse == "higher" else after <= before + 1e-9, (
                m.field
            )


def test_paired_runs_without_pins_are_the_same_runs_twice() -> None:
    scenario = _slow_wind_scenario()
    paired = paired_runs(scenario, {}, seed=4, runs=3)
    assert [r.to_json() for r in paired.model] == [r.to_json() for r in paired.players]
