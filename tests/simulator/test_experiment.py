"""Many runs: the same bytes whatever the executor, the --json document streamed run by run,
the Wilson interval against published values and the figures an exercise pack quotes."""

from __future__ import annotations

import dataclasses
import io
import json
import pickle
import tracemalloc
import typing
from pathlib import Path

import pytest

from standby.clock import parse_instant
from standby.rota.io import read_rota
from standby.scenarios import load_scenario
from standby.simulator.executors import Executor, chunk_sizes
from standby.simulator.experiment import Outputs, Replications, replicate
from standby.simulator.model import prepare, run_once, simulate
from standby.simulator.records import KPI_FIELDS
from standby.simulator.results import Kpis, RunHazard, dumps
from standby.simulator.run_files import RunsJson
from standby.simulator.summary import (
    HazardSpread,
    HazardTally,
    ReceptorReach,
    spread,
    wilson_interval,
)

ROOT = Path(__file__).resolve().parents[2]
ROTA = ROOT / "rota" / "data" / "council-2026.yaml"
GOLDEN = ROOT / "tests" / "golden" / "chlorine-seed1.json"


def run_files(executor: Executor, runs: int = 60) -> tuple[bytes, bytes, Replications]:
    """summary.json and runs.csv bytes of ``runs`` runs of chlorine with the council rota."""
    scenario = load_scenario("chlorine-riverside")
    rota = read_rota(ROTA, timezone=scenario.timezone)
    runs_csv = io.BytesIO()
    experiment = replicate(
        scenario,
        rota,
        rota_name=ROTA.name,
        seed=11,
        runs=runs,
        executor=executor,
        outputs=Outputs(runs_csv=runs_csv),
    )
    summary = json.dumps(experiment.summary.to_json_dict(), indent=2).encode()
    return summary, runs_csv.getvalue(), experiment


@pytest.fixture(scope="module")
def serial() -> tuple[bytes, bytes, Replications]:
    return run_files(Executor("serial"))


@pytest.mark.slow
def test_two_processes_give_the_bytes_of_one_serial_run(
    serial: tuple[bytes, bytes, Replications],
) -> None:
    # two workers cut the runs into smaller chunks (8 runs, against 15 serially) that finish
    # out of order; the results are still taken in replication order
    assert list(chunk_sizes(60, 2)) != list(chunk_sizes(60, 1))
    summary, runs_csv, _ = run_files(Executor("processes", workers=2))
    assert summary == serial[0]
    assert runs_csv == serial[1]


def test_runs_csv_has_a_row_per_run_with_each_target(
    serial: tuple[bytes, bytes, Replications],
) -> None:
    import csv

    rows = list(csv.DictReader(io.StringIO(serial[1].decode())))
    assert [row["replication"] for row in rows] == [str(i) for i in range(60)]
    summary = serial[2].summary
    tcg = next(t for t in summary.tasks if t.task == "convene_tcg")
    assert sum(row["convene_tcg_met"] == "yes" for row in rows) == tcg.met
    assert sum(row["all_targets_met"] == "yes" for row in rows) == summary.all_targets_met
    short = sum("duty_senior_manager" in row["unfilled_roles"].split("; ") for row in rows)
    by_role = {r.role: r.unfilled for r in summary.roles}
    assert short == by_role.get("duty_senior_manager", 0)


def test_the_streamed_json_is_the_whole_document_dumped_at_once() -> None:
    scenario = load_scenario("chlorine-riverside")
    sink = io.BytesIO()
    replicate(scenario, seed=3, runs=3, executor=Executor("serial"), outputs=Outputs(json=sink))
    runs = simulate(prepare(scenario), None, seed=3, runs=3)
    whole = {
        "scenario": "chlorine-riverside",
        "start": runs[0].start,
        "seed": 3,
        "runs": [dataclasses.replace(r, events=None).to_json_dict() for r in runs],
    }
    assert sink.getvalue() == dumps(whole).encode()
    assert "events" not in json.loads(sink.getvalue())["runs"][0]


def test_one_run_streams_the_run_itself_and_keeps_its_events_when_asked() -> None:
    scenario = load_scenario("chlorine-riverside")
    sink = io.BytesIO()
    replicate(scenario, seed=1, runs=1, outputs=Outputs(json=sink), events=True)
    (run,) = simulate(prepare(scenario), None, seed=1)
    assert sink.getvalue() == run.to_json().encode()


def test_events_go_to_json_lines_one_event_a_line_with_its_run() -> None:
    scenario = load_scenario("chlorine-riverside")
    sink = io.BytesIO()
    replicate(scenario, seed=5, runs=2, executor=Executor("serial"), outputs=Outputs(events=sink))
    runs = simulate(prepare(scenario), None, seed=5, runs=2)
    lines = [json.loads(line) for line in sink.getvalue().decode().splitlines()]
    assert len(lines) == sum(len(r.events or ()) for r in runs)
    assert lines[0] == {"replication": 0, **(runs[0].events or ())[0].to_json_dict()}
    assert lines[-1]["replication"] == 1


def test_the_timeline_run_keeps_its_event_log_and_the_others_do_not() -> None:
    experiment = replicate(load_scenario("chlorine-riverside"), seed=2, runs=4, timeline=3)
    assert experiment.timeline is not None and experiment.timeline.replication == 3
    assert experiment.timeline.events
    assert experiment.first.events is None


@pytest.mark.parametrize(
    ("successes", "trials", "low", "high"),
    [
        # Newcombe (1998), Statistics in Medicine 17:857-872, table I, Wilson score method
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0, 0.1611),
        (1, 29, 0.0061, 0.1718),
        # the same method, further examples of Newcombe's: 0 of 10 and 5 of 10
        (0, 10, 0.0, 0.2775),
        (5, 10, 0.2366, 0.7634),
    ],
)
def test_wilson_interval_matches_newcombes_published_values(
    successes: int, trials: int, low: float, high: float
) -> None:
    found = wilson_interval(successes, trials)
    assert found == pytest.approx((low, high), abs=5e-5)


def test_target_figures_give_what_an_exercise_pack_quotes(
    serial: tuple[bytes, bytes, Replications],
) -> None:
    summary = serial[2].summary
    figures = {f.task: f for f in summary.target_figures()}
    tcg = figures["convene_tcg"]
    task = next(t for t in summary.tasks if t.task == "convene_tcg")
    assert (tcg.target_minute, tcg.runs, tcg.met) == (60.0, 60, task.met)
    assert tcg.target_text == "TCG convened within 60 minutes"
    assert tcg.met_pct == pytest.approx(100.0 * task.met / 60)
    low, high = wilson_interval(task.met, 60)
    assert (tcg.ci_low_pct, tcg.ci_high_pct) == pytest.approx((100 * low, 100 * high))
    assert tcg.median_minute == task.median_end and tcg.p90_minute == task.p90_end
    assert tcg.driver == task.drivers[0][0] and tcg.driver_runs == task.drivers[0][1]
    assert sum(runs for _text, runs in task.drivers) <= 60 - task.met
    # every target of the plan, and only targets
    assert set(figures) == {
        t.id for t in load_scenario("chlorine-riverside").plan.tasks if t.target is not None
    }


def test_every_numeric_kpi_is_in_the_one_table_of_kpi_fields() -> None:
    hints = typing.get_type_hints(Kpis)
    numeric = {
        name
        for name, hint in hints.items()
        if set(typing.get_args(hint) or (hint,)) - {type(None)} <= {int, float}
    }
    assert numeric == {item.name for item in KPI_FIELDS}


def test_one_streamed_run_with_its_events_is_the_golden_file_byte_for_byte() -> None:
    scenario = load_scenario("chlorine-riverside")
    rota = read_rota(ROTA, timezone=scenario.timezone)
    sink = io.BytesIO()
    replicate(
        scenario,
        rota,
        rota_name=ROTA.name,
        start=parse_instant("2026-11-12 02:10", scenario.timezone),
        seed=1,
        runs=1,
        outputs=Outputs(json=sink),
        events=True,
    )
    assert sink.getvalue() == GOLDEN.read_bytes()


def test_several_streamed_runs_with_events_are_the_envelope_json_dumps_writes() -> None:
    sink = io.BytesIO()
    experiment = replicate(
        load_scenario("smoke-distribution"),
        seed=5,
        runs=3,
        outputs=Outputs(json=sink),
        events=True,
        keep_runs=True,
    )
    document = {
        "scenario": experiment.first.scenario,
        "start": experiment.first.start,
        "seed": 5,
        "runs": [run.to_json_dict() for run in experiment.runs],
    }
    expected = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    assert sink.getvalue().decode("utf-8") == expected
    assert [run["replication"] for run in json.loads(expected)["runs"]] == [0, 1, 2]


def test_runs_are_kept_only_when_asked() -> None:
    scenario = load_scenario("smoke-distribution")
    streamed = replicate(scenario, seed=5, runs=4)
    assert (streamed.count, streamed.runs, streamed.summary.runs) == (4, (), 4)
    assert streamed.first.replication == 0
    kept = replicate(scenario, seed=5, runs=4, keep_runs=True)
    assert [run.replication for run in kept.runs] == [0, 1, 2, 3]
    assert all(run.events is None for run in kept.runs)


def test_the_writer_refuses_more_or_fewer_runs_than_announced() -> None:
    experiment = replicate(load_scenario("smoke-distribution"), seed=5, runs=2, keep_runs=True)
    writer = RunsJson(io.BytesIO(), runs=2, seed=5)
    first, second = (run.to_json() for run in experiment.runs)
    writer.add(experiment.first, first)
    with pytest.raises(ValueError, match="1 of the 2 runs"):
        writer.close()
    writer.add(experiment.first, second)
    with pytest.raises(ValueError, match="more than the 2 runs"):
        writer.add(experiment.first, second)


@pytest.mark.parametrize("executor", [Executor("serial"), Executor("processes", workers=2)])
def test_pinned_tasks_end_at_their_minute_in_every_run_on_any_executor(executor: Executor) -> None:
    experiment = replicate(
        load_scenario("chlorine-riverside"),
        seed=4,
        runs=3,
        pinned={"declare_major_incident": 7.5},
        executor=executor,
        keep_runs=True,
    )
    ends = [
        next(m.end_minute for m in run.milestones if m.task == "declare_major_incident")
        for run in experiment.runs
    ]
    assert ends == [7.5, 7.5, 7.5]
    declared = next(t for t in experiment.summary.tasks if t.task == "declare_major_incident")
    assert (declared.p10_end, declared.p90_end) == (7.5, 7.5)


def test_each_runs_hazard_is_in_the_summary_and_kept_for_the_sector_map() -> None:
    experiment = replicate(
        load_scenario("chlorine-riverside"), seed=8, runs=30, keep_runs=True, footprints=True
    )
    exposures = [run.exposure for run in experiment.runs if run.exposure is not None]
    assert len(exposures) == 30
    assert experiment.footprints == tuple(e.aegl2_footprints for e in exposures)
    spread = experiment.summary.hazard
    assert spread is not None and spread.weather_varies
    outdoors = sorted(e.above("AEGL-2").outdoors for e in exposures)
    # the median of 30 values is the mean of the 15th and 16th (numpy's linear quantile)
    assert spread.people_above_aegl2[0].median == pytest.approx(
        (outdoors[14] + outdoors[15]) / 2, abs=0.01
    )
    # what the summary keeps of each run gives what the runs' whole hazards give
    assert spread == _spread_of_whole_hazards(exposures)
    assert replicate(load_scenario("chlorine-riverside"), seed=8, runs=30).footprints == ()


def _spread_of_whole_hazards(exposures: list[RunHazard]) -> HazardSpread:
    """The hazard spread as it was worked out from every run's whole hazard, kept."""
    above = [e.above("AEGL-2") for e in exposures]
    evacuated = [float(a.evacuated) for a in above if a.evacuated is not None]
    reach = [next(z.downwind_m for z in e.zone_reach_m if z.level == "AEGL-2") for e in exposures]
    receptors = []
    for index, first in enumerate(exposures[0].receptors):
        rows = [e.receptors[index] for e in exposures]
        arrivals = [r.arrival_minute for r in rows if r.arrival_minute is not None]
        receptors.append(
            ReceptorReach(
                receptor=first.receptor,
                runs=len(rows),
                in_any_zone=sum(1 for r in rows if r.zone is not None),
                aegl2_or_worse=sum(1 for r in rows if r.zone in ("AEGL-2", "AEGL-3")),
                median_arrival=spread("", arrivals).median,
            )
        )
    winds = {(e.weather.wind_from_deg, e.weather.wind_speed_ms) for e in exposures}
    slot = [e.slot_distance_m for e in exposures if e.slot_distance_m is not None]
    slod = [e.slod_distance_m for e in exposures if e.slod_distance_m is not None]
    return HazardSpread(
        weather_varies=len(winds) > 1,
        runs_floored=sum(1 for e in exposures if e.weather.floored),
        people_above_aegl2=(
            spread("people above AEGL-2 outdoors (nobody protected)", [a.outdoors for a in above]),
            spread("people above AEGL-2 sheltering indoors", [a.sheltered for a in above]),
            spread("people above AEGL-2 evacuating when the action was decided", evacuated),
        ),
        release_minutes=spread("release duration (min)", [e.release_minutes for e in exposures]),
        aegl2_reach_m=spread("AEGL-2 reach downwind (m)", reach),
        slot_distance_m=spread("SLOT distance (m)", slot),
        slod_distance_m=spread("SLOD distance (m)", slod),
        receptors=tuple(receptors),
    )


def test_memory_per_run_stays_small_without_the_sector_map() -> None:
    """Without footprints, a run's hazard adds a float a figure and a receptor: no object."""
    experiment = replicate(load_scenario("chlorine-riverside"), seed=3, runs=1, keep_runs=True)
    exposure = experiment.runs[0].exposure
    assert exposure is not None
    data = pickle.dumps(exposure)
    tally = HazardTally()
    for _ in range(100):  # arrays grow by doubling; start past their first steps
        tally.add(pickle.loads(data))
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    for _ in range(3000):
        tally.add(pickle.loads(data))  # a run's own hazard, as a worker sends it
    grown = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    assert grown / 3000 < 400, f"{grown / 3000:.0f} bytes a run"
    with_map = HazardTally(footprints=True)
    with_map.add(exposure)
    assert with_map.footprints == [exposure.aegl2_footprints]


def test_leaving_out_what_people_breathed_leaves_the_response_as_it_was() -> None:
    # a sweep and a sensitivity study read only the response (exposure=False)
    compiled = prepare(load_scenario("chlorine-riverside")).compiled
    for seed in (1, 2, 3):
        whole = run_once(compiled, None, None, seed, events=False)
        lean = run_once(compiled, None, None, seed, events=False, exposure=False)
        assert whole.exposure is not None and lean.exposure is None
        assert lean.milestones == whole.milestones and lean.kpis == whole.kpis
