"""Beyond COMAH: a scenario with no toxic release (the bundled river flood) is simulated,
reported and turned into an exercise pack without plume maps or AEGL zones."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest
import yaml

from standby.reports.exercise import build_pack
from standby.reports.exercise_document import pack_document, write_pack
from standby.rota.io import read_rota
from standby.scenarios import ScenarioError, load_scenario, parse_scenario
from standby.simulator.experiment import Replications, replicate
from standby.simulator.maps import hazard_maps

ROOT = Path(__file__).resolve().parents[2]
FLOOD = ROOT / "scenarios" / "library" / "river-flood.yaml"
ROTA = ROOT / "rota" / "data" / "council-2026.yaml"
RAW = yaml.safe_load(FLOOD.read_text(encoding="utf-8"))


@functools.cache
def _runs() -> Replications:
    scenario = load_scenario("river-flood")
    rota = read_rota(ROTA, timezone=scenario.timezone)
    return replicate(scenario, rota, seed=3, runs=30, events=True, keep_runs=True)


def test_the_flood_has_no_hazard_and_uses_the_bundled_rotas_council_roles() -> None:
    assert "hazard" not in RAW
    scenario = load_scenario("river-flood")
    assert scenario.hazard is None and hazard_maps(scenario) is None
    rota_roles = {r["rota_role"] for r in RAW["roles"] if "rota_role" in r}
    assert rota_roles == {
        "Duty Emergency Planning Officer",
        "Duty Senior Manager",
        "Communications On Call",
        "Rest Centre Manager",
        "Social Care Emergency Duty Team",
    }


def test_a_wind_change_without_a_hazard_is_refused_with_the_fix() -> None:
    text = FLOOD.read_text(encoding="utf-8").replace(
        "effect: {kind: link_down, from: ea, to: council}",
        "effect: {kind: wind_change, wind_speed_ms: 4, wind_from_deg: 270}",
    )
    with pytest.raises(ScenarioError, match="has no 'hazard:' section; remove the effect"):
        parse_scenario(text, "flood.yaml")


def test_everyone_listed_is_in_the_area_at_risk_and_the_vulnerable_are_checked_on() -> None:
    population = sum(r["population"] for r in RAW["receptors"])  # 45 + 900 + 120 + 0
    vulnerable = sorted(r["id"] for r in RAW["receptors"] if r["vulnerable"])
    for run in _runs().runs:
        assert run.hazard is None
        assert run.kpis is not None
        assert [(z.level, z.people) for z in run.kpis.people_in_zones] == [
            ("area at risk", population)
        ]
        assert run.kpis.vulnerable_premises_in_aegl2 == len(vulnerable)
        in_person = {w.receptor for w in run.kpis.warnings if w.in_person_minute is not None}
        assert in_person <= set(vulnerable)
    checked = [
        {w.receptor for w in r.kpis.warnings if w.in_person_minute is not None}
        for r in _runs().runs
        if r.kpis is not None
    ]
    assert set(vulnerable) in checked, "the vulnerable residents are checked on in some runs"
    evacuated = [r for r in _runs().runs if r.kpis and r.kpis.protective_action == "evacuation"]
    assert evacuated, "the evacuation decision is taken in some runs"
    assert all(
        f"{population} people (the area at risk)" in e.detail
        for r in evacuated
        for e in r.events
        if e.kind == "protective_action"
    )


def test_the_flood_pack_has_no_plume_map_or_aegl_zone(tmp_path: Path) -> None:
    scenario = load_scenario("river-flood")
    pack = build_pack(scenario, read_rota(ROTA, timezone=scenario.timezone), runs=10, seed=1)
    assert pack.hazard is None
    titles = [section.title for section in pack_document(pack).sections]
    assert "Plume map" not in titles and "Master Scenario Events List (MSEL)" in titles
    files = write_pack(pack, tmp_path)
    assert {p.name for p in files.figures} == {
        "exercise-pack-area-map.png",
        "exercise-pack-gantt.png",
    }
    markdown = files.markdown.read_text(encoding="utf-8")
    assert "no plume map and no AEGL zones" in markdown
    assert "AEGL-" not in markdown and "reg 11(" not in markdown  # not a COMAH site
    assert not any(row.inject.startswith("gen-plume") for row in pack.msel)
    assert any(row.inject.startswith("gen-rest-centre") for row in pack.msel)
