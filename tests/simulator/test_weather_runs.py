"""Weather that varies from run to run, the release tied to isolation, the confidence sector."""

from __future__ import annotations

import math
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from simkit import START, fixed, make_scenario

from standby.scenarios import ScenarioError, load_scenario
from standby.simulator.compiled import compile_scenario
from standby.simulator.exposure import outcome
from standby.simulator.geo import LocalFrame
from standby.simulator.hazard import (
    classify_over_time,
    confidence_sector,
    wind_changes_from_injects,
    zones_over_time,
)
from standby.simulator.model import run_once
from standby.simulator.summary import summarise

# receptors north-east of the site at 53.335, -2.725 (downwind of a wind from 225 degrees)
RECEPTORS = [
    {
        "id": "near",
        "name": "Near",
        "kind": "care_home",
        "location": {"lat": 53.3375, "lon": -2.7208},
        "population": 60,
        "vulnerable": True,
    },
    {
        "id": "far",
        "name": "Far",
        "kind": "residential",
        "location": {"lat": 53.3450, "lon": -2.7100},
        "population": 900,
    },
    {
        "id": "side",
        "name": "Side",
        "kind": "school",
        "location": {"lat": 53.3400, "lon": -2.7300},
        "population": 200,
        "vulnerable": True,
    },
]
WARNING_PLAN = {
    "tasks": [
        {"id": "isolate", "name": "Isolate", "agency": "site", "duration": fixed(30)},
        {
            "id": "warn",
            "name": "Warn",
            "agency": "council",
            "kind": "warning",
            "warns": "in_person",
            "duration": fixed(20),
        },
        {
            "id": "shelter",
            "name": "Shelter",
            "agency": "council",
            "kind": "shelter",
            "after": ["warn"],
            "duration": fixed(5),
        },
    ]
}


def _scenario(spread: dict[str, Any] | None = None, **release: Any) -> Any:
    hazard: dict[str, Any] = {
        "substance": "chlorine",
        "release": {"rate_gs": 500, "duration_minutes": 20, **release},
        "weather": {"wind_speed_ms": 3, "wind_from_deg": 225, "stability": "D"},
    }
    if spread is not None:
        hazard["weather_spread"] = spread
    return make_scenario(hazard=hazard, receptors=RECEPTORS, plan=WARNING_PLAN)


def test_a_spread_of_zero_gives_the_deterministic_results() -> None:
    plain = compile_scenario(_scenario())
    zero = compile_scenario(_scenario({"wind_from_sd_deg": 0}))
    for seed in (1, 2, 3):
        assert (
            run_once(zero, None, START, seed).to_json()
            == run_once(plain, None, START, seed).to_json()
        )
    # and the run's receptors are what the deterministic classification says
    scenario = _scenario({"wind_from_sd_deg": 0})
    periods = zones_over_time(scenario.hazard, wind_changes_from_injects(scenario.injects))
    exposure = run_once(zero, None, START, 1).exposure
    assert exposure is not None
    frame = LocalFrame(53.335, -2.725)
    for receptor, seen in zip(scenario.receptors, exposure.receptors, strict=True):
        east, north = frame.to_local(receptor.location.lat, receptor.location.lon)
        expected = classify_over_time(periods, east, north)
        assert seen.zone == expected.zone
        # arrival at AEGL-1: none for a receptor the plume never brings into a zone
        assert seen.arrival_minute == (expected.arrival_minute if expected.zone else None)
        assert seen.outdoor_ppm == pytest.approx(expected.concentration_ppm, rel=1e-12)


def test_each_run_draws_its_own_weather_and_the_same_seed_draws_the_same() -> None:
    compiled = compile_scenario(
        _scenario({"wind_from_sd_deg": 30, "wind_speed_ms": {"low": 2, "high": 6}})
    )
    first = [run_once(compiled, None, START, seed).exposure for seed in range(30)]
    again = [run_once(compiled, None, START, seed).exposure for seed in range(30)]
    assert first == again
    speeds = [e.weather.wind_speed_ms for e in first if e is not None]
    assert len(set(speeds)) == 30 and min(speeds) >= 2.0 and max(speeds) <= 6.0


def test_the_weather_stream_leaves_the_response_streams_alone() -> None:
    plain = compile_scenario(_scenario())
    spread = compile_scenario(_scenario({"wind_from_sd_deg": 25}))
    a, b = run_once(plain, None, START, 7), run_once(spread, None, START, 7)
    assert [m.end_minute for m in a.milestones] == [m.end_minute for m in b.milestones]
    assert [x.minute for x in a.alerts] == [x.minute for x in b.alerts]


def test_stability_classes_are_drawn_by_their_weights() -> None:
    model = compile_scenario(_scenario({"stability": {"D": 1, "F": 3}})).hazard.weather
    rng = np.random.default_rng(11)
    counts = Counter(model.draw(rng).stability for _ in range(4000))
    share = counts["F"] / 4000
    assert set(counts) == {"D", "F"}
    assert abs(share - 0.75) < 4 * math.sqrt(0.75 * 0.25 / 4000)


def test_the_sector_of_a_symmetric_spread_is_symmetric() -> None:
    # wind from the west: downwind is east, and the spread is symmetric about the east axis,
    # so the share of runs reaching (east, north) and (east, -north) agree within noise
    scenario = make_scenario(
        hazard={
            "substance": "chlorine",
            "release": {"rate_gs": 500, "duration_minutes": 20},
            "weather": {"wind_speed_ms": 3, "wind_from_deg": 270, "stability": "D"},
            "weather_spread": {"wind_from_sd_deg": 15},
        }
    )
    model = compile_scenario(scenario).hazard
    rng = np.random.default_rng(5)
    runs = 1500
    exposures = [
        outcome(model, model.weather.draw(rng), 20.0, "fixed", (), None, 15.0) for _ in range(runs)
    ]
    sector = confidence_sector([e.aegl2_footprints for e in exposures], extent_m=3000.0, cells=61)
    share = sector.share
    mirrored = share[::-1, :]  # north -> -north (the axis is symmetric about 0)
    noise = 4.0 * np.sqrt(2.0 * np.maximum(share * (1 - share), 1.0 / runs) / runs)
    assert (np.abs(share - mirrored) <= noise).all()
    assert ((share > 0.1) & (share < 0.9)).sum() > 20  # the sector really spreads
    # and its axis is east: the centre row is the most often reached
    middle = len(sector.north_m) // 2
    assert share[middle, 40] == share[:, 40].max()


def test_the_release_lasts_until_the_isolation_task_ends() -> None:
    compiled = compile_scenario(_scenario(isolated_by="isolate"))
    result = run_once(compiled, None, START, 1)
    assert result.exposure is not None
    isolate = next(m for m in result.milestones if m.task == "isolate")
    assert result.exposure.release_minutes == pytest.approx(isolate.end_minute)
    assert result.exposure.aegl_duration_min == 30  # a 30-minute release: 30-min AEGLs
    assert "isolated when 'isolate' ended" in result.exposure.release_reason


def test_a_release_over_30_minutes_uses_the_60_minute_aegls() -> None:
    plan = {
        "tasks": [{"id": "isolate", "name": "Isolate", "agency": "site", "duration": fixed(45)}]
    }
    scenario = make_scenario(
        hazard={
            "substance": "chlorine",
            "release": {"rate_gs": 500, "duration_minutes": 20, "isolated_by": "isolate"},
            "weather": {"wind_speed_ms": 3, "wind_from_deg": 225, "stability": "D"},
        },
        receptors=RECEPTORS,
        plan=plan,
    )
    exposure = run_once(compile_scenario(scenario), None, START, 1).exposure
    assert exposure is not None
    assert exposure.release_minutes == pytest.approx(45.0, abs=0.01)
    assert exposure.aegl_duration_min == 60
    assert exposure.above("AEGL-2").threshold_ppm == 2.0  # chlorine's 60-min AEGL-2


def test_an_unknown_isolation_task_is_named_with_a_hint() -> None:
    with pytest.raises(Exception, match=r"unknown task 'isolat'; did you mean 'isolate'"):
        _scenario(isolated_by="isolat")


# --- observed hours ----------------------------------------------------------------------

OBSERVED = "time,wind_from_deg,wind_speed_ms,cloud_oktas\n"


def _with_observations(tmp_path: Path, rows: str) -> Path:
    source = (
        Path(__file__).resolve().parents[2] / "scenarios" / "library" / "chlorine-riverside.yaml"
    )
    yaml_text = source.read_text(encoding="utf-8").replace(
        "  weather_spread: {wind_from_sd_deg: 20, wind_speed_ms: {low: 1.5, high: 3.5}}\n",
        "  weather_observations_csv: hours.csv\n",
    )
    (tmp_path / "hours.csv").write_text(OBSERVED + rows, encoding="utf-8")
    path = tmp_path / "observed.yaml"
    path.write_text(yaml_text, encoding="utf-8")
    return path


def test_runs_draw_observed_hours_and_floor_calm_ones(tmp_path: Path) -> None:
    path = _with_observations(
        tmp_path,
        "2025-11-12 02:00,220,2.6,2\n2025-11-12 03:00,230,0.4,1\n2025-06-21 12:00,250,5.1,2\n",
    )
    compiled = compile_scenario(load_scenario(path))
    results = [run_once(compiled, None, None, seed) for seed in range(40)]
    sources = Counter(r.exposure.weather.source for r in results if r.exposure is not None)
    assert set(sources) == {
        "observed 2025-11-12 02:00 UTC",
        "observed 2025-11-12 03:00 UTC",
        "observed 2025-06-21 12:00 UTC",
    }
    calm = [r.exposure for r in results if r.exposure and r.exposure.weather.floored]
    assert calm and all(e.weather.wind_speed_ms == 1.0 for e in calm)
    assert any("below 1 m/s" in w for w in calm[0].warnings)
    summary = summarise(results, 0)
    assert summary.hazard is not None and summary.hazard.runs_floored == len(calm)
    # the sun decides the class: a clear midsummer noon at 5.1 m/s is C, a clear night F
    by_source = {r.exposure.weather.source: r.exposure.weather for r in results if r.exposure}
    assert by_source["observed 2025-06-21 12:00 UTC"].stability == "C"
    assert by_source["observed 2025-11-12 02:00 UTC"].stability == "F"


def test_a_bad_observation_names_the_csv_row(tmp_path: Path) -> None:
    path = _with_observations(tmp_path, "2025-11-12 02:00,220,fast,2\n")
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    assert "hours.csv:2: wind_speed_ms" in str(caught.value)
    assert "'fast'" in str(caught.value)
