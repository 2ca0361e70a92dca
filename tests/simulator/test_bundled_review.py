"""The bundled scenarios with the bundled rota, over many runs: no target a planner would call
a modelling artefact is met in 0 % of runs, and the figures the issue found misleading now
say what happened."""

from __future__ import annotations

import functools
import statistics
from pathlib import Path

import pytest

from standby.rota.io import read_rota
from standby.scenarios import bundled_names, load_scenario
from standby.simulator.model import prepare, rota_warnings, simulate
from standby.simulator.results import RunResult

ROTA = Path(__file__).resolve().parents[2] / "rota" / "data" / "council-2026.yaml"
RUNS = 100


@functools.cache
def _runs(name: str) -> tuple[RunResult, ...]:
    scenario = load_scenario(name)
    prepared = prepare(scenario, read_rota(ROTA, timezone=scenario.timezone))
    return tuple(simulate(prepared, None, seed=1, runs=RUNS))


@pytest.mark.parametrize("name", bundled_names())
def test_every_target_is_met_in_some_runs(name: str) -> None:
    met: dict[str, int] = {}
    for run in _runs(name):
        for milestone in run.milestones:
            if milestone.target_minute is not None:
                met[milestone.task] = met.get(milestone.task, 0) + bool(milestone.met)
    assert [task for task, count in met.items() if count == 0] == []


@pytest.mark.parametrize("name", bundled_names())
def test_every_miss_names_what_drove_it(name: str) -> None:
    missed = [m for run in _runs(name) for m in run.milestones if m.met is False]
    assert missed
    assert all(m.reason and m.driver for m in missed)
    assert not any("finished after the target" in m.reason for m in missed)


def test_the_site_s_own_ten_minute_target_is_met_by_its_shift_team_in_every_run() -> None:
    plan = [m for run in _runs("chlorine-riverside") for m in run.milestones]
    site = [m for m in plan if m.task == "site_emergency_plan"]
    # on duty: dispatched within 2 min, no travel, 1-4 min task: done by minute 6
    assert all(m.met for m in site)
    assert max(m.end_minute or 99.0 for m in site) <= 6.0


def test_the_ambulance_service_hears_of_the_chlorine_release_from_the_first_control_room() -> None:
    minutes = [
        next(a.minute for a in run.alerts if a.agency == "ambulance")
        for run in _runs("chlorine-riverside")
    ]
    # the alarm relayed by fire (1-3 min 999 call, then a 2-12 min hotline), not M/ETHANE
    assert statistics.median(m for m in minutes if m is not None) < 12.0


def test_the_declaration_target_measures_the_declaration_itself() -> None:
    for run in _runs("chlorine-riverside"):
        declared = [e.minute for e in run.events if e.kind == "major_incident_declared"]
        task = next(m for m in run.milestones if m.task == "declare_major_incident")
        assert declared == [task.end_minute]


def test_every_warning_to_westbank_came_after_the_plume_and_the_kpis_say_so() -> None:
    # each run draws its own wind from the forecast spread: look at the runs whose plume
    # reaches Westbank (the school is empty at night, so only its neighbours count)
    westbank = {"westbank_primary", "riverview_care_home", "westbank_terraces"}
    reached_runs = 0
    for run in _runs("chlorine-riverside"):
        warnings = {w.receptor: w for w in run.kpis.warnings}
        hit = [
            warnings[r]
            for r in westbank
            if r in warnings and warnings[r].plume_arrival_minute is not None
        ]
        if not hit:
            continue
        reached_runs += 1
        assert {w.before_plume for w in hit} == {False}
        warned_late = run.kpis.people_warned_after_plume + run.kpis.people_not_warned
        assert warned_late >= sum(w.people for w in hit)
    assert reached_runs >= 20  # the spread still carries the plume over Westbank often


def test_the_evacuated_school_counts_its_people_although_it_is_in_aegl1() -> None:
    for run in _runs("smoke-distribution")[:10]:
        school = next(w for w in run.kpis.warnings if w.receptor == "fernley_green_primary")
        assert school.zone == "AEGL-1"
        if run.kpis.protective_action is not None:
            assert school.protective_action == "evacuation"
            assert run.kpis.protective_action_people >= 410


@pytest.mark.parametrize("name", bundled_names())
def test_the_bundled_rota_gives_someone_for_every_rota_role_at_the_start(name: str) -> None:
    scenario = load_scenario(name)
    prepared = prepare(scenario, read_rota(ROTA, timezone=scenario.timezone))
    assert rota_warnings(prepared) == []
