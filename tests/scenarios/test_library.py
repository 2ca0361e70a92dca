"""The bundled scenario library: every file validates and is rich enough to exercise a plan."""

from __future__ import annotations

from collections import deque
from graphlib import TopologicalSorter

import holidays
import pytest

from standby.clock import to_local
from standby.scenarios import Scenario, bundled_names, load_scenario
from standby.scenarios.model import LinkDown

COUNCIL_ROTA_ROLES = {
    "Duty Emergency Planning Officer",
    "Duty Senior Manager",
    "Rest Centre Manager",
    "Communications On Call",
    "Social Care Emergency Duty Team",
}
EXPECTED = {"chlorine-riverside", "smoke-distribution", "pipeline-bank-holiday"}


@pytest.fixture(params=bundled_names())
def scenario(request: pytest.FixtureRequest) -> Scenario:
    return load_scenario(request.param)


def test_the_library_holds_the_three_reference_scenarios() -> None:
    assert set(bundled_names()) >= EXPECTED


def test_scenario_name_matches_its_file_name() -> None:
    for name in bundled_names():
        assert load_scenario(name).name == name


def test_has_at_least_eight_agencies(scenario: Scenario) -> None:
    assert len(scenario.agencies) >= 8


def test_has_at_least_ten_roles(scenario: Scenario) -> None:
    assert len(scenario.roles) >= 10


def test_has_twelve_tasks_and_targets_on_at_least_five(scenario: Scenario) -> None:
    tasks = scenario.plan.tasks
    assert len(tasks) >= 12
    assert sum(task.target is not None for task in tasks) >= 5


def test_has_ten_injects_in_msel_order(scenario: Scenario) -> None:
    minutes = [inject.minute for inject in scenario.injects]
    assert len(minutes) >= 10
    assert minutes == sorted(minutes)


def test_has_four_objectives_each_measured_and_linked_to_tasks(scenario: Scenario) -> None:
    assert len(scenario.objectives) >= 4
    for objective in scenario.objectives:
        assert objective.measured_by.strip()
        assert objective.tasks, objective.id


def test_every_inject_tests_an_existing_objective(scenario: Scenario) -> None:
    objectives = {o.id for o in scenario.objectives}
    for inject in scenario.injects:
        assert inject.objective in objectives, inject.id


def test_every_objective_is_tested_by_an_inject(scenario: Scenario) -> None:
    tested = {inject.objective for inject in scenario.injects}
    assert {o.id for o in scenario.objectives} <= tested


def test_plan_is_a_dag_with_a_single_order(scenario: Scenario) -> None:
    graph = {task.id: set(task.after) for task in scenario.plan.tasks}
    order = list(TopologicalSorter(graph).static_order())
    assert sorted(order) == sorted(graph)


def test_council_roles_come_from_the_bundled_rota(scenario: Scenario) -> None:
    rota_roles = {role.rota_role for role in scenario.roles if role.rota_role}
    # the out-of-hours Emergency Duty Team is off in the daytime scenario (its duty desk is
    # at work, on duty); every other council rota role is used by every scenario
    assert COUNCIL_ROTA_ROLES - {"Social Care Emergency Duty Team"} <= rota_roles
    assert rota_roles <= COUNCIL_ROTA_ROLES


def test_the_roles_on_shift_are_on_duty_not_rung(scenario: Scenario) -> None:
    duty = {role.id: role.duty for role in scenario.roles}
    on_shift = {"fire_incident_commander", "met_forecaster", "hospital_site_manager"}
    on_shift = (on_shift | {"site_incident_controller"}) & set(duty)
    assert "fire_incident_commander" in on_shift
    assert {duty[role] for role in on_shift} == {"on_duty"}
    assert all(role.duty == "on_call" for role in scenario.roles if role.rota_role)


def test_the_control_rooms_share_the_alarm_and_one_task_declares(scenario: Scenario) -> None:
    services = {agency.id for agency in scenario.agencies if agency.emergency_service}
    assert services == {"fire", "police", "ambulance"}
    assert scenario.alert.declaration_task == "declare_major_incident"
    assert scenario.alert.declare_after is None


@pytest.mark.parametrize("name", ["chlorine-riverside", "smoke-distribution"])
def test_the_operator_warns_the_council_under_its_on_site_plan(name: str) -> None:
    scenario = load_scenario(name)
    assert ("site", "council") in {(link.from_, link.to) for link in scenario.links}


def test_the_pipeline_control_centre_sees_the_pressure_drop_itself() -> None:
    scenario = load_scenario("pipeline-bank-holiday")
    (detection,) = scenario.alert.detected_by
    assert detection.agency == "pipeline"
    assert "pressure" in detection.how


def test_rest_centres_are_staffed_by_the_rest_centre_manager(scenario: Scenario) -> None:
    roles = {role.id: role for role in scenario.roles}
    assert scenario.rest_centres
    for centre in scenario.rest_centres:
        assert roles[centre.staffing_role].rota_role == "Rest Centre Manager"


def test_alert_is_raised_by_the_operator_or_a_caller_and_declared_by_blue_lights(
    scenario: Scenario,
) -> None:
    categories = {agency.id: agency.category for agency in scenario.agencies}
    # with no toxic release there is no operator: a warning agency (the Environment Agency's
    # severe flood warning) raises the alarm
    raisers = ("operator", "other") if scenario.hazard is not None else ("cat1", "other")
    assert categories[scenario.alert.raised_by] in raisers
    assert scenario.alert.declared_by in ("fire", "police")


def test_has_the_command_places(scenario: Scenario) -> None:
    assert {"rvp", "tcg_room", "scg_room"} <= {place.kind for place in scenario.places}


def test_has_vulnerable_receptors(scenario: Scenario) -> None:
    assert any(r.vulnerable and r.population > 0 for r in scenario.receptors)


def test_site_is_in_the_fictional_mersey_and_cheshire_area(scenario: Scenario) -> None:
    assert 53.2 <= scenario.site.location.lat <= 53.5
    assert -3.0 <= scenario.site.location.lon <= -2.4


def test_has_legal_basis_and_a_test_within_three_years_of_the_start(scenario: Scenario) -> None:
    assert scenario.legal_basis.strip()
    assert scenario.next_test_due is not None
    assert scenario.last_test is not None
    assert scenario.last_test < scenario.start_utc.date()


def _reachable(links: set[tuple[str, str]], source: str, target: str) -> bool:
    seen, queue = {source}, deque([source])
    while queue:
        here = queue.popleft()
        for start, end in links:
            if start == here and end not in seen:
                seen.add(end)
                queue.append(end)
    return target in seen


def _links_down(scenario: Scenario) -> tuple[set[tuple[str, str]], list[LinkDown]]:
    pairs = {(link.from_, link.to) for link in scenario.links}
    downs = [i.effect for i in scenario.injects if isinstance(i.effect, LinkDown)]
    return pairs, downs


def test_a_link_down_inject_leaves_the_agency_reachable_from_the_alert(
    scenario: Scenario,
) -> None:
    pairs, downs = _links_down(scenario)
    assert downs, "each bundled scenario exercises a failed link"
    for down in downs:
        assert _reachable(pairs - {(down.from_, down.to)}, scenario.alert.raised_by, down.to)


@pytest.mark.parametrize("name", ["smoke-distribution", "pipeline-bank-holiday"])
def test_a_link_down_inject_can_be_rerouted_by_its_sender(name: str) -> None:
    pairs, downs = _links_down(load_scenario(name))
    assert downs
    for down in downs:
        assert _reachable(pairs - {(down.from_, down.to)}, down.from_, down.to)


def test_the_library_uses_every_kind_of_inject_effect() -> None:
    kinds = {
        inject.effect.kind
        for name in bundled_names()
        for inject in load_scenario(name).injects
        if inject.effect is not None
    }
    assert kinds == {
        "link_down",
        "role_unavailable",
        "wind_change",
        "person_unavailable",
        "extra_demand",
    }


def test_pipeline_scenario_starts_on_an_england_and_wales_bank_holiday() -> None:
    scenario = load_scenario("pipeline-bank-holiday")
    local = to_local(scenario.start_utc, scenario.timezone)
    bank_holidays = holidays.country_holidays("GB", subdiv="ENG", years=local.year)
    assert local.date() in bank_holidays
    assert scenario.site.comah_tier == "pipeline"
    assert scenario.hazard.terrain == "rural"
    assert "Pipelines Safety Regulations 1996" in scenario.legal_basis


def test_chlorine_scenario_starts_at_night_local_time() -> None:
    scenario = load_scenario("chlorine-riverside")
    local = to_local(scenario.start_utc, scenario.timezone)
    assert local.hour >= 22 or local.hour < 6
    assert scenario.hazard.substance == "chlorine"


def test_smoke_scenario_is_a_daytime_fire_with_toxic_smoke_and_a_rest_centre() -> None:
    scenario = load_scenario("smoke-distribution")
    local = to_local(scenario.start_utc, scenario.timezone)
    assert 8 <= local.hour < 18
    assert scenario.hazard.substance in {
        "hydrogen_cyanide",
        "nitrogen_dioxide",
        "hydrogen_chloride",
    }
    assert scenario.site.comah_tier in {"lower", "upper"}
    kinds = {task.kind for task in scenario.plan.tasks}
    assert {"evacuation", "rest_centre"} <= kinds
