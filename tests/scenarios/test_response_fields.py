"""The response settings of a scenario: duty, call-out, declaration, delegation, coverage,
rest-centre staff and arrivals. Each mistake names its place and how to fix it."""

from __future__ import annotations

from pathlib import Path

from test_invalid_scenarios import Data, _mutated, _only, _valid, _write

from standby.scenarios import load_scenario


def test_every_new_setting_loads_in_a_valid_file(tmp_path: Path) -> None:
    data = _valid()
    data["agencies"][1]["emergency_service"] = True
    data["roles"][1].update(duty="on_duty", dispatch_delay={"dist": "fixed", "value": 1})
    data["roles"][0].update(call_out="group_page", response_window_minutes=4)
    data["roles"].append({"id": "epo2", "agency": "council", "name": "Backup EPO"})
    data["alert"].update(
        declaration_task="declare",
        detected_by=[{"agency": "council", "after": {"dist": "fixed", "value": 3}}],
    )
    data["plan"]["tasks"][1].update(
        present=["ic"], delegate=[{"from": "epo", "to": "epo2", "after_minutes": 10}]
    )
    data["plan"]["tasks"][2].update(kind="evacuation", covers={"zones": ["AEGL-1"]})
    data["arrivals"] = {"household_size": 2.4}
    scenario = load_scenario(_write(tmp_path, data))
    assert scenario.roles[1].duty == "on_duty"
    assert scenario.plan.tasks[1].delegate[0].from_ == "epo"
    assert scenario.arrivals.household_size == 2.4


def test_an_on_duty_role_is_not_rung(tmp_path: Path) -> None:
    def change(data: Data) -> None:
        data["roles"][1].update(duty="on_duty", answer_probability=0.8)

    _, message = _only(_mutated(tmp_path, change))
    assert message == (
        "roles[1]: answer_probability: only for on-call roles; an on_duty role is dispatched, "
        "not rung (remove it or set duty: on_call)"
    )


def test_a_dispatch_delay_is_only_for_an_on_duty_role(tmp_path: Path) -> None:
    def change(data: Data) -> None:
        data["roles"][1]["dispatch_delay"] = {"dist": "fixed", "value": 2}

    _, message = _only(_mutated(tmp_path, change))
    assert "dispatch_delay is only for on_duty roles" in message


def test_a_response_window_needs_a_group_page(tmp_path: Path) -> None:
    _, message = _only(
        _mutated(tmp_path, lambda d: d["roles"][0].update(response_window_minutes=5))
    )
    assert "response_window_minutes is only for call_out: group_page" in message


def test_a_misspelt_duty_lists_the_two_choices(tmp_path: Path) -> None:
    _, message = _only(_mutated(tmp_path, lambda d: d["roles"][0].update(duty="oncall")))
    assert message.startswith("roles[0].duty: ")
    assert "'on_call'" in message and "'on_duty'" in message


def test_one_declaration_not_two(tmp_path: Path) -> None:
    def change(data: Data) -> None:
        data["alert"].update(
            declaration_task="declare", declare_after={"dist": "fixed", "value": 5}
        )

    _, message = _only(_mutated(tmp_path, change))
    assert "give declare_after or declaration_task, not both" in message


def test_the_declaration_task_is_led_by_the_declaring_agency(tmp_path: Path) -> None:
    _, message = _only(
        _mutated(tmp_path, lambda d: d["alert"].update(declaration_task="convene_tcg"))
    )
    assert message == (
        "alert.declaration_task: task 'convene_tcg' is led by 'council', but 'fire' declares "
        "(alert.declared_by); name a task the declaring agency leads"
    )


def test_a_misspelt_declaration_task_suggests_the_closest(tmp_path: Path) -> None:
    _, message = _only(_mutated(tmp_path, lambda d: d["alert"].update(declaration_task="declar")))
    assert message == "alert.declaration_task: unknown task 'declar'; did you mean 'declare'?"


def test_a_detection_names_a_known_agency(tmp_path: Path) -> None:
    def change(data: Data) -> None:
        data["alert"]["detected_by"] = [{"agency": "sight", "after": {"dist": "fixed", "value": 1}}]

    _, message = _only(_mutated(tmp_path, change))
    assert message == "alert.detected_by[0].agency: unknown agency 'sight'; did you mean 'site'?"


def test_a_present_role_is_not_also_held(tmp_path: Path) -> None:
    _, message = _only(_mutated(tmp_path, lambda d: d["plan"]["tasks"][1].update(present=["epo"])))
    assert message == (
        "plan.tasks[1].present[0]: role 'epo' is both held (roles) and present; list it once"
    )


def test_a_delegation_stays_inside_the_role_s_agency(tmp_path: Path) -> None:
    def change(data: Data) -> None:
        data["plan"]["tasks"][1]["delegate"] = [{"from": "epo", "to": "ic", "after_minutes": 5}]

    _, message = _only(_mutated(tmp_path, change))
    assert message == (
        "plan.tasks[1].delegate[0].to: 'ic' belongs to 'fire', not 'council': a task is "
        "delegated within its role's agency"
    )


def test_a_delegation_starts_from_one_of_the_task_s_roles(tmp_path: Path) -> None:
    def change(data: Data) -> None:
        data["plan"]["tasks"][1]["delegate"] = [{"from": "ep", "to": "epo", "after_minutes": 5}]

    problems = _mutated(tmp_path, change)
    messages = [message for _where, message in problems]
    assert (
        "plan.tasks[1].delegate[0].from: 'ep' is not one of the task's roles; did you mean 'epo'?"
    ) in messages


def test_covers_names_known_receptors_on_a_protective_task(tmp_path: Path) -> None:
    def change(data: Data) -> None:
        data["plan"]["tasks"][2].update(kind="evacuation", covers={"receptors": ["school"]})

    _, message = _only(_mutated(tmp_path, change))
    assert (
        message == "plan.tasks[2].covers.receptors[0]: unknown receptor 'school'; none is defined"
    )
    _, message = _only(
        _mutated(tmp_path, lambda d: d["plan"]["tasks"][1].update(covers={"zones": ["AEGL-2"]}))
    )
    assert "'covers' is only for tasks of kind warning, shelter, evacuation" in message


def test_a_rest_centre_has_one_source_of_registration_staff(tmp_path: Path) -> None:
    def change(data: Data) -> None:
        data["rest_centres"] = [
            {
                "id": "hall",
                "name": "Hall",
                "location": {"lat": 53.3, "lon": -2.7},
                "capacity": 50,
                "staffing_role": "epo",
                "registration_role": "epo",
                "registration_staff": 2,
            }
        ]

    _, message = _only(_mutated(tmp_path, change))
    assert "give registration_role" in message and "not both" in message


def test_coaches_need_a_load(tmp_path: Path) -> None:
    def change(data: Data) -> None:
        data["injects"][0]["effect"] = {
            "kind": "extra_demand",
            "people": 100,
            "coach_every_minutes": 10,
        }

    _, message = _only(_mutated(tmp_path, change))
    assert "coach_every_minutes needs coach_load" in message
