"""Invalid scenario files: each problem names its file, line, location and how to fix it.

Every test starts from one small valid scenario, changes one thing, writes it as YAML and
loads it, so a failure can only come from that change.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from standby.cli import cli
from standby.scenarios import ScenarioError, load_scenario

Data = dict[str, Any]


def _valid() -> Data:
    """A small valid scenario: three agencies, two roles, three tasks, one inject."""
    return {
        "name": "mini",
        "title": "Mini scenario",
        "description": "A small valid scenario for tests.",
        "site": {
            "name": "Test works",
            "operator": "Test Ltd",
            "comah_tier": "upper",
            "location": {"lat": 53.3, "lon": -2.7},
        },
        "start": "2026-11-12 02:10",
        "duration_minutes": 240,
        "legal_basis": "COMAH 2015 reg 13",
        "hazard": {
            "substance": "chlorine",
            "release": {"rate_gs": 100, "duration_minutes": 10},
            "weather": {"wind_speed_ms": 3, "wind_from_deg": 225, "stability": "D"},
        },
        "agencies": [
            {"id": "site", "name": "Site", "category": "operator"},
            {"id": "fire", "name": "Fire", "category": "cat1"},
            {"id": "council", "name": "Council", "category": "cat1"},
        ],
        "places": [
            {
                "id": "tcg",
                "name": "TCG room",
                "kind": "tcg_room",
                "location": {"lat": 53.3, "lon": -2.7},
            }
        ],
        "roles": [
            {"id": "epo", "agency": "council", "name": "Duty EPO", "reports_to": "tcg"},
            {"id": "ic", "agency": "fire", "name": "Incident commander"},
        ],
        "links": [
            {
                "from": "site",
                "to": "fire",
                "channel": "999",
                "delay": {"dist": "fixed", "value": 2},
            },
            {
                "from": "fire",
                "to": "council",
                "channel": "phone",
                "delay": {"dist": "lognormal", "median": 8, "p90": 20},
                "failure_probability": 0.1,
            },
        ],
        "alert": {"raised_by": "site", "declared_by": "fire"},
        "plan": {
            "tasks": [
                {
                    "id": "declare",
                    "name": "Declare major incident",
                    "agency": "fire",
                    "roles": ["ic"],
                    "duration": {"dist": "uniform", "low": 1, "high": 5},
                },
                {
                    "id": "convene_tcg",
                    "name": "Convene TCG",
                    "agency": "council",
                    "roles": ["epo"],
                    "after": ["declare"],
                    "duration": {"dist": "triangular", "low": 5, "mode": 10, "high": 20},
                    "target": {"within_minutes": 60, "text": "TCG within 60 minutes"},
                },
                {
                    "id": "warn",
                    "name": "Warn public",
                    "agency": "fire",
                    "after": ["convene_tcg"],
                    "duration": {"dist": "exponential", "mean": 10},
                },
            ]
        },
        "injects": [
            {
                "id": "i1",
                "minute": 10,
                "from": "Exercise control",
                "to": "Fire control",
                "text": "Hotline fails.",
                "expected_action": "Use another route.",
                "objective": "obj_command",
                "effect": {"kind": "link_down", "from": "fire", "to": "council"},
            }
        ],
        "objectives": [
            {
                "id": "obj_command",
                "text": "Convene the TCG within 60 minutes.",
                "measured_by": "TCG convened time",
                "tasks": ["convene_tcg"],
            }
        ],
    }


def _write(tmp_path: Path, data: Any) -> Path:
    path = tmp_path / "scenario.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def _problems(path: Path) -> list[tuple[str, str]]:
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    return caught.value.problems


def _mutated(tmp_path: Path, change: Callable[[Data], object]) -> list[tuple[str, str]]:
    data = _valid()
    change(data)
    return _problems(_write(tmp_path, data))


def _line_of(path: Path, needle: str) -> int:
    """1-based number of the first line of ``path`` that contains ``needle``."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if needle in line)


def _only(problems: list[tuple[str, str]]) -> tuple[str, str]:
    assert len(problems) == 1, problems
    return problems[0]


def test_the_base_scenario_is_valid(tmp_path: Path) -> None:
    assert load_scenario(_write(tmp_path, _valid())).name == "mini"


# --- references --------------------------------------------------------------------------


def test_unknown_agency_in_a_role_names_the_role_and_suggests(tmp_path: Path) -> None:
    _, message = _only(_mutated(tmp_path, lambda d: d["roles"][0].update(agency="councl")))
    assert message == "roles[0].agency: unknown agency 'councl'; did you mean 'council'?"


def test_unknown_role_in_a_task_names_the_list_item(tmp_path: Path) -> None:
    _, message = _only(_mutated(tmp_path, lambda d: d["plan"]["tasks"][1].update(roles=["ep"])))
    assert message == "plan.tasks[1].roles[0]: unknown role 'ep'; did you mean 'epo'?"


def test_unknown_task_in_after_names_the_line_of_the_reference(tmp_path: Path) -> None:
    data = _valid()
    data["plan"]["tasks"][2]["after"] = ["convene_tgc"]
    path = _write(tmp_path, data)
    where, message = _only(_problems(path))
    assert message == (
        "plan.tasks[2].after[0]: unknown task 'convene_tgc'; did you mean 'convene_tcg'?"
    )
    assert where == f"{path}:{_line_of(path, '- convene_tgc')}"


def test_unknown_substance_suggests_the_table_entry(tmp_path: Path) -> None:
    _, message = _only(_mutated(tmp_path, lambda d: d["hazard"].update(substance="chlorene")))
    assert message == "hazard.substance: unknown substance 'chlorene'; did you mean 'chlorine'?"


def test_unknown_objective_in_an_inject_lists_the_valid_ones(tmp_path: Path) -> None:
    _, message = _only(_mutated(tmp_path, lambda d: d["injects"][0].update(objective="obj_x")))
    assert message == "injects[0].objective: unknown objective 'obj_x'; valid: obj_command"


def test_unknown_task_in_an_objective(tmp_path: Path) -> None:
    _, message = _only(_mutated(tmp_path, lambda d: d["objectives"][0].update(tasks=["warnn"])))
    assert message == "objectives[0].tasks[0]: unknown task 'warnn'; did you mean 'warn'?"


def test_role_reporting_to_an_unknown_place_lists_the_places(tmp_path: Path) -> None:
    _, message = _only(_mutated(tmp_path, lambda d: d["roles"][0].update(reports_to="rvp")))
    assert message == "roles[0].reports_to: unknown place 'rvp'; valid: remote, tcg"


def test_link_down_on_a_link_that_does_not_exist(tmp_path: Path) -> None:
    def change(data: Data) -> None:
        data["injects"][0]["effect"] = {"kind": "link_down", "from": "council", "to": "site"}

    _, message = _only(_mutated(tmp_path, change))
    assert message == "injects[0].effect: no link council -> site in 'links' to take down"


# --- duplicates and the plan graph -------------------------------------------------------


def test_duplicate_agency_id_points_at_the_second_entry(tmp_path: Path) -> None:
    data = _valid()
    data["agencies"].append({"id": "fire", "name": "Second fire", "category": "cat1"})
    path = _write(tmp_path, data)
    where, message = _only(_problems(path))
    assert message == "agencies[3].id: duplicate id 'fire'; give each entry its own id"
    assert where == f"{path}:{_line_of(path, 'name: Second fire') - 1}"


def test_duplicate_task_id(tmp_path: Path) -> None:
    def change(data: Data) -> None:
        data["plan"]["tasks"].append({**data["plan"]["tasks"][2], "after": []})

    _, message = _only(_mutated(tmp_path, change))
    assert message == "plan.tasks[3].id: duplicate id 'warn'; give each task its own id"


def test_cycle_in_the_plan_names_every_task_in_it(tmp_path: Path) -> None:
    _, message = _only(_mutated(tmp_path, lambda d: d["plan"]["tasks"][0].update(after=["warn"])))
    assert message.startswith("plan.tasks[0].after: the plan has a cycle: ")
    cycle = message.split("cycle: ")[1].split(";")[0].split(" -> ")
    assert set(cycle) == {"declare", "convene_tcg", "warn"}
    assert "Remove one of these 'after' entries" in message


def test_task_waiting_for_itself(tmp_path: Path) -> None:
    _, message = _only(
        _mutated(tmp_path, lambda d: d["plan"]["tasks"][1].update(after=["convene_tcg"]))
    )
    assert message == "plan.tasks[1].after[0]: task 'convene_tcg' waits for itself"


# --- numbers and distributions -----------------------------------------------------------


def test_probability_above_one(tmp_path: Path) -> None:
    _, message = _only(_mutated(tmp_path, lambda d: d["links"][1].update(failure_probability=1.5)))
    assert message == (
        "links[1].failure_probability: Input should be less than or equal to 1 (got 1.5)"
    )


def test_probability_below_zero(tmp_path: Path) -> None:
    _, message = _only(_mutated(tmp_path, lambda d: d["links"][1].update(failure_probability=-0.1)))
    assert message == (
        "links[1].failure_probability: Input should be greater than or equal to 0 (got -0.1)"
    )


def test_negative_duration(tmp_path: Path) -> None:
    def change(data: Data) -> None:
        data["plan"]["tasks"][0]["duration"] = {"dist": "fixed", "value": -5}

    _, message = _only(_mutated(tmp_path, change))
    # the union tag ('fixed') is not part of the location a planner sees
    assert message == (
        "plan.tasks[0].duration.value: Input should be greater than or equal to 0 (got -5)"
    )


def test_lognormal_p90_not_above_median(tmp_path: Path) -> None:
    data = _valid()
    data["links"][1]["delay"] = {"dist": "lognormal", "median": 20, "p90": 8}
    path = _write(tmp_path, data)
    where, message = _only(_problems(path))
    assert message == "links[1].delay: p90 (8.0) must be greater than median (20.0)"
    assert where == f"{path}:{_line_of(path, 'dist: lognormal') - 1}"


def test_triangular_out_of_order(tmp_path: Path) -> None:
    def change(data: Data) -> None:
        data["plan"]["tasks"][1]["duration"] = {
            "dist": "triangular",
            "low": 5,
            "mode": 30,
            "high": 20,
        }

    _, message = _only(_mutated(tmp_path, change))
    assert message == "plan.tasks[1].duration: need low <= mode <= high, got 5.0, 30.0, 20.0"


def test_wrong_dist_tag_lists_the_valid_ones(tmp_path: Path) -> None:
    def change(data: Data) -> None:
        data["links"][0]["delay"] = {"dist": "normal", "value": 2}

    _, message = _only(_mutated(tmp_path, change))
    assert message.startswith("links[0].delay: Input tag 'normal' found using 'dist'")
    assert "'fixed', 'uniform', 'triangular', 'exponential', 'lognormal'" in message


def test_distribution_without_dist_says_which_are_valid(tmp_path: Path) -> None:
    _, message = _only(_mutated(tmp_path, lambda d: d["links"][0].update(delay={"value": 2})))
    assert message == (
        "links[0].delay: 'dist' is missing; add 'dist: ' with one of: "
        "fixed, uniform, triangular, exponential, lognormal"
    )


def test_effect_without_kind_says_which_are_valid(tmp_path: Path) -> None:
    _, message = _only(_mutated(tmp_path, lambda d: d["injects"][0].update(effect={"role": "epo"})))
    assert message.startswith("injects[0].effect: 'kind' is missing; add 'kind: ' with one of: ")
    assert "role_unavailable" in message


def test_latitude_out_of_range(tmp_path: Path) -> None:
    _, message = _only(_mutated(tmp_path, lambda d: d["site"]["location"].update(lat=95)))
    assert message == "site.location.lat: Input should be less than or equal to 61 (got 95)"


def test_inject_after_the_scenario_ends(tmp_path: Path) -> None:
    _, message = _only(_mutated(tmp_path, lambda d: d["injects"][0].update(minute=300)))
    assert message == (
        "injects[0].minute: minute 300 is after the scenario ends (duration_minutes: 240); "
        "move the inject earlier or lengthen the scenario"
    )


# --- time --------------------------------------------------------------------------------


def test_nonexistent_local_start_on_the_spring_change(tmp_path: Path) -> None:
    data = _valid()
    data["start"] = "2026-03-29 01:30"
    path = _write(tmp_path, data)
    where, message = _only(_problems(path))
    assert where == f"{path}:{_line_of(path, 'start:')}"
    assert message.startswith("start: 2026-03-29 01:30 does not exist in Europe/London")
    assert "give an offset" in message


def test_ambiguous_local_start_shows_both_offsets(tmp_path: Path) -> None:
    _, message = _only(_mutated(tmp_path, lambda d: d.update(start="2026-10-25 01:30")))
    assert message.startswith("start: 2026-10-25 01:30 happens twice in Europe/London")
    assert "2026-10-25T01:30+01:00 (first)" in message
    assert "2026-10-25T01:30+00:00 (second)" in message


def test_unknown_timezone(tmp_path: Path) -> None:
    _, message = _only(_mutated(tmp_path, lambda d: d.update(timezone="Europe/Londn")))
    assert message.startswith("timezone: unknown timezone 'Europe/Londn'")
    assert "IANA name such as Europe/London" in message


def test_unquoted_yaml_datetime_start_is_read_as_text(tmp_path: Path) -> None:
    data = _valid()
    data["start"] = datetime.fromisoformat("2026-08-31T14:10:00+01:00")
    scenario = load_scenario(_write(tmp_path, data))
    assert scenario.start_utc == datetime.fromisoformat("2026-08-31T13:10:00+00:00")


# --- keys and structure ------------------------------------------------------------------


def test_unknown_top_level_key_suggests_the_right_one(tmp_path: Path) -> None:
    data = _valid()
    data["agencys"] = data.pop("agencies")
    path = _write(tmp_path, data)
    where, message = _only(_problems(path))
    assert message == "agencys: unknown key 'agencys'; did you mean 'agencies'?"
    assert where == f"{path}:{_line_of(path, 'agencys:')}"


def test_unknown_nested_key_suggests_the_right_one(tmp_path: Path) -> None:
    def change(data: Data) -> None:
        data["plan"]["tasks"][1]["afer"] = data["plan"]["tasks"][1].pop("after")

    _, message = _only(_mutated(tmp_path, change))
    assert message == "plan.tasks[1].afer: unknown key 'afer'; did you mean 'after'?"


def test_missing_required_field(tmp_path: Path) -> None:
    _, message = _only(_mutated(tmp_path, lambda d: d["site"].pop("operator")))
    assert message == "site.operator: required, but missing"


def test_empty_file_says_how_to_start(tmp_path: Path) -> None:
    path = tmp_path / "empty.yaml"
    path.write_text("\n", encoding="utf-8")
    where, message = _only(_problems(path))
    assert where == str(path)
    assert "the file is empty" in message
    assert "standby scenario show chlorine-riverside" in message


def test_yaml_syntax_error_gives_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("name: mini\ntitle: a: b\n", encoding="utf-8")
    where, message = _only(_problems(path))
    assert where == f"{path}:2:9"
    # libyaml says "... in this context", PyYAML's own parser "... here"
    assert message.startswith("YAML syntax error: mapping values are not allowed")
    assert "check indentation and quotes" in message


def test_top_level_list_is_rejected(tmp_path: Path) -> None:
    path = _write(tmp_path, [_valid()])
    _, message = _only(_problems(path))
    assert message.startswith("the top level must be a mapping")


def test_misspelt_bundled_name_suggests_the_closest() -> None:
    with pytest.raises(ScenarioError) as caught:
        load_scenario("chlorine-riversid")
    _, message = _only(caught.value.problems)
    assert "no bundled scenario of that name" in message
    assert "did you mean 'chlorine-riverside'?" in message


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    def change(data: Data) -> None:
        data["roles"][0]["agency"] = "nobody"
        data["injects"][0]["objective"] = "nothing"

    locations = [message.split(":")[0] for _, message in _mutated(tmp_path, change)]
    assert locations == ["roles[0].agency", "injects[0].objective"]


# --- the command line --------------------------------------------------------------------


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d["plan"]["tasks"][0].update(after=["warn"]),
        lambda d: d.update(start="2026-03-29 01:30"),
        lambda d: d.update(agencys=d.pop("agencies")),
    ],
    ids=["cycle", "nonexistent-start", "unknown-key"],
)
def test_cli_validate_exits_2_with_the_message_on_stderr(
    tmp_path: Path, change: Callable[[Data], object]
) -> None:
    data = _valid()
    change(data)
    path = _write(tmp_path, data)
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    result = CliRunner().invoke(cli, ["scenario", "validate", str(path)])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert caught.value.message in result.stderr
    assert "Traceback" not in result.output


def test_cli_validate_of_a_yaml_syntax_error_names_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("name: mini\ntitle: a: b\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["scenario", "validate", str(path)])
    assert result.exit_code == 2
    assert f"{path}:2:9: YAML syntax error" in result.stderr
    assert "Traceback" not in result.output


def test_cli_validate_of_a_valid_file_exits_0(tmp_path: Path) -> None:
    path = _write(tmp_path, _valid())
    result = CliRunner().invoke(cli, ["scenario", "validate", str(path)])
    assert result.exit_code == 0
    assert result.stdout == f"{path}: valid (3 agencies, 2 roles, 3 tasks, 1 injects)\n"


def test_warns_on_a_task_that_is_not_a_warning(tmp_path: Path) -> None:
    def change(data: Data) -> None:
        data["plan"]["tasks"][1]["warns"] = "in_person"

    _, message = _only(_mutated(tmp_path, change))
    assert message == (
        "plan.tasks[1]: 'warns' is only for tasks of kind 'warning' (this one is 'other'); "
        "remove it or set kind: warning"
    )
