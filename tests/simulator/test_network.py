"""The agency graph, the alert cascade over it, and travel times."""

from __future__ import annotations

import math

import networkx as nx
import pytest
from simkit import fixed, make_scenario

from standby.simulator.compiled import compile_scenario
from standby.simulator.model import run_once
from standby.simulator.network import alert_routes
from standby.simulator.travel import distance_km, road_minutes, travel_time_on_graph

AGENCIES = [
    {"id": "site", "name": "Site", "category": "operator"},
    {"id": "fire", "name": "Fire", "category": "cat1"},
    {"id": "council", "name": "Council", "category": "cat1"},
]
TRIANGLE = [
    {"from": "site", "to": "council", "channel": "direct line", "delay": fixed(2)},
    {"from": "site", "to": "fire", "channel": "999 call", "delay": fixed(3)},
    {"from": "fire", "to": "council", "channel": "hotline", "delay": fixed(4)},
]
COUNCIL_TASK = {"tasks": [{"id": "t", "name": "T", "agency": "council", "duration": fixed(1)}]}


def _council_alerted(**sections: object) -> float | None:
    scenario = make_scenario(agencies=AGENCIES, links=TRIANGLE, plan=COUNCIL_TASK, **sections)
    result = run_once(compile_scenario(scenario), seed=1)
    return next(a.minute for a in result.alerts if a.agency == "council")


def _down(minute: float) -> list[dict[str, object]]:
    return [
        {
            "id": "i1",
            "minute": minute,
            "from": "x",
            "to": "y",
            "text": "direct line fails",
            "expected_action": "go round",
            "effect": {"kind": "link_down", "from": "site", "to": "council"},
        }
    ]


def test_alert_takes_the_direct_link_when_it_works() -> None:
    assert _council_alerted() == 2.0


def test_link_down_inject_reroutes_the_alert_by_the_alternative_path() -> None:
    # site -> fire (3 min) -> council (4 min) instead of site -> council (2 min)
    assert _council_alerted(injects=_down(0)) == 7.0


def test_link_down_after_the_message_got_through_changes_nothing() -> None:
    assert _council_alerted(injects=_down(5)) == 2.0


def test_a_link_that_always_fails_is_retried_then_abandoned() -> None:
    links = [{**TRIANGLE[0], "failure_probability": 1.0}]
    agencies = AGENCIES[::2]
    scenario = make_scenario(agencies=agencies, links=links, plan=COUNCIL_TASK)
    result = run_once(compile_scenario(scenario), seed=1)
    failures = [e for e in result.events if e.kind == "message_failed"]
    assert len(failures) == 6  # alarm and M/ETHANE, three attempts each
    assert "gave up" in failures[-1].detail
    assert next(a for a in result.alerts if a.agency == "council").minute is None
    assert result.milestones[0].reason == "council was never alerted"


def test_agency_graph_keeps_link_attributes() -> None:
    compiled = compile_scenario(make_scenario(agencies=AGENCIES, links=TRIANGLE))
    graph = compiled.graph
    assert isinstance(graph, nx.DiGraph)
    assert graph["fire"]["council"]["links"][0]["channel"] == "hotline"
    assert graph["site"]["council"]["expected_minutes"] == 2.0


def test_alert_routes_go_round_a_link_that_is_down() -> None:
    compiled = compile_scenario(make_scenario(agencies=AGENCIES, links=TRIANGLE))
    assert alert_routes(compiled)["council"] == ["site", "council"]
    assert alert_routes(compiled, down=[("site", "council")])["council"] == [
        "site",
        "fire",
        "council",
    ]


def test_unreachable_agencies_are_named() -> None:
    scenario = make_scenario(agencies=AGENCIES, links=TRIANGLE[1:2], plan=COUNCIL_TASK)
    assert compile_scenario(scenario).unreachable == ("council",)


def test_grid_road_graph_corner_to_corner_is_18_minutes_at_60_kmh() -> None:
    grid = nx.grid_2d_graph(10, 10)
    nx.set_edge_attributes(grid, 1.0, "length_km")
    assert travel_time_on_graph(grid, (0, 0), (9, 9), 60.0) == pytest.approx(18.0, abs=1e-12)


def test_one_degree_of_latitude_is_about_111_km() -> None:
    assert distance_km((53.0, -2.0), (54.0, -2.0)) == pytest.approx(111.195, abs=0.001)


def test_straight_line_drive_applies_road_factor_and_speed() -> None:
    # 0.1 deg of latitude is 6371.0088 km x 0.1 x pi / 180 = 11.1195 km; x 1.3 road factor
    # at 48 km/h: 11.1195 x 1.3 / 48 x 60 = 18.069 min.
    assert road_minutes((53.0, -2.0), (53.1, -2.0), 1.3, 48.0) == pytest.approx(18.069, abs=1e-3)
    assert math.isclose(road_minutes((53.0, -2.0), (53.0, -2.0), 1.3, 48.0), 0.0)


def test_run_notes_name_an_agency_no_link_reaches() -> None:
    scenario = make_scenario(agencies=AGENCIES, links=TRIANGLE[1:2], plan=COUNCIL_TASK)
    result = run_once(compile_scenario(scenario), seed=1)
    assert any("'council'" in note for note in result.notes)


def test_a_link_of_capacity_one_carries_one_call_at_a_time() -> None:
    # Alarm and M/ETHANE both go site -> fire at minute 0 over a one-line link of 3 min.
    links = [{"from": "site", "to": "fire", "channel": "line", "delay": fixed(3), "capacity": 1}]
    agencies = AGENCIES[:2]
    plan = {"tasks": [{"id": "t", "name": "T", "agency": "fire", "duration": fixed(1)}]}
    scenario = make_scenario(agencies=agencies, links=links, plan=plan)
    result = run_once(compile_scenario(scenario), seed=1)
    fire = [
        e
        for e in result.events
        if e.agency == "fire" and e.kind in ("alerted", "m_ethane_received")
    ]
    assert [(e.kind, e.minute) for e in fire] == [("alerted", 3.0), ("m_ethane_received", 6.0)]


def test_travel_on_a_road_graph_when_one_is_given() -> None:
    from standby.simulator.compiled import Assumptions
    from standby.simulator.distributions import fixed as fixed_spec

    grid = nx.grid_2d_graph(10, 10)
    nx.set_edge_attributes(grid, 1.0, "length_km")
    for (i, j), data in grid.nodes(data=True):
        data["lat"], data["lon"] = 53.0 + 0.009 * i, -2.0 + 0.015 * j
    role = {
        "id": "epo",
        "agency": "council",
        "name": "EPO",
        "reports_to": "tcg",
        "answer_probability": 1.0,
    }
    place = {
        "id": "tcg",
        "name": "TCG",
        "kind": "tcg_room",
        "location": {"lat": 53.081, "lon": -1.865},
    }
    agencies = [AGENCIES[0], {**AGENCIES[2], "base": {"lat": 53.0, "lon": -2.0}}]
    task = {"id": "t", "name": "T", "agency": "council", "roles": ["epo"], "duration": fixed(1)}
    scenario = make_scenario(
        agencies=agencies, links=TRIANGLE[:1], roles=[role], places=[place], plan={"tasks": [task]}
    )
    settings = Assumptions(
        answer_delay=fixed_spec(0.0),
        road_graph=grid,
        speed_kmh=60.0,
        reachable_probability=1.0,
        turnout_minutes_night=5.0,
    )
    result = run_once(compile_scenario(scenario), seed=1, assumptions=settings)
    # alerted at 2, answered at once, night turnout 5 (02:12 local), 18 km at 60 km/h
    assert result.milestones[0].start_minute == pytest.approx(2.0 + 5.0 + 18.0)
