"""What the console does, called directly: entries, the clock, injects, what browsers get."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from standby.reports.console.maps import PlumeMaps
from standby.reports.console.service import ConflictError, ConsoleError, ExerciseConsole
from standby.reports.exercise_db import open_log
from standby.scenarios import load_scenario

T0 = datetime(2026, 3, 5, 9, 0, tzinfo=UTC)


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


@pytest.fixture
def console(tmp_path: Path) -> Iterator[ExerciseConsole]:
    scenario = load_scenario("chlorine-riverside")
    with open_log(tmp_path / "exercise.db") as database:
        yield ExerciseConsole(scenario, database, None, PlumeMaps(scenario))


def test_an_entry_takes_the_exercise_clock_unless_a_time_is_given(console: ExerciseConsole) -> None:
    console.clock({"action": "start"}, now=at(0))
    now = console.record({"kind": "action", "who": "EPO", "text": "Phoned the EA"}, now=at(12))
    given = console.record(
        {"kind": "decision", "who": "TCG", "text": "Shelter", "time": "02:55"}, now=at(13)
    )
    assert (now.scenario_minute, given.scenario_minute) == (12.0, 45.0)


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"kind": "decision", "text": "  "}, "text: say what was decided, done or seen"),
        (
            {"kind": "observation", "text": "x", "objective": "obj_nope"},
            "objective: 'obj_nope' is not an objective of scenario chlorine-riverside",
        ),
        (
            {"kind": "rating", "text": "x", "objective": "obj_alert", "rating": "A"},
            "rating: 'A' is not one of: P, S, M, U",
        ),
        (
            {"kind": "decision", "text": "x", "jdm_stage": "panic"},
            "JDM stage: 'panic' is not one of",
        ),
        ({"kind": "milestone", "task": "make_tea"}, "milestone: 'make_tea' is not a plan task"),
        (
            {"kind": "decision", "text": "x", "time": "01:00"},
            "time: 01:00 is before the scenario's start",
        ),
        ({"kind": "gossip", "text": "x"}, "kind: Input should be 'decision', 'action'"),
        ({"kind": "action", "text": "x", "colour": "red"}, "colour: not a field the console knows"),
        (
            {"kind": "action", "text": "x" * 4001},
            "text: String should have at most 4000 characters",
        ),
    ],
)
def test_bad_entries_are_refused_with_what_to_fix(
    console: ExerciseConsole, payload: dict[str, str], message: str
) -> None:
    with pytest.raises(ConsoleError) as caught:
        console.record(payload)
    assert message in caught.value.message
    assert console.database.count() == 0


def test_a_milestone_without_a_note_names_its_task(console: ExerciseConsole) -> None:
    record = console.record({"kind": "milestone", "task": "convene_tcg"})
    assert record.text == "Convene the Tactical Co-ordinating Group: reached"
    assert record.task == "convene_tcg"


def test_injects_move_from_pending_to_held_to_released_and_stay_there(
    console: ExerciseConsole,
) -> None:
    console.inject("i03", "hold", {})
    released = console.inject("i03", "release", {})
    assert (released.kind, released.who, released.objective) == (
        "inject_released",
        "Council out-of-hours",
        "obj_vulnerable",
    )
    assert released.text.startswith("Night staff smell a strong bleach odour")
    with pytest.raises(
        ConflictError, match="inject i03 was released at minute 0; it cannot be held now"
    ):
        console.inject("i03", "hold", {})
    console.inject("i04", "skip", {})
    with pytest.raises(ConflictError, match="inject i04 was skipped"):
        console.inject("i04", "hold", {})
    console.inject("i04", "release", {})  # a skipped inject can still be played
    statuses = console.updates()["injects"]
    assert {key: value["status"] for key, value in statuses.items()} == {
        "i03": "released",
        "i04": "released",
    }


def test_unknown_injects_and_actions_are_not_found(console: ExerciseConsole) -> None:
    with pytest.raises(ConsoleError, match="inject 'i99' is not in scenario chlorine-riverside"):
        console.inject("i99", "release", {})
    with pytest.raises(ConsoleError, match="'bin' is not an inject action"):
        console.inject("i01", "bin", {})


def test_adhoc_injects_are_numbered_and_shown_with_the_released_ones(
    console: ExerciseConsole,
) -> None:
    first = console.adhoc_inject(
        {"to": "TCG", "text": "A journalist is at the cordon", "objective": "obj_public"}
    )
    second = console.adhoc_inject({"to": "Council", "text": "The rest centre's boiler fails"})
    assert (first.inject, second.inject) == ("adhoc-1", "adhoc-2")
    update = console.updates()
    assert [a["id"] for a in update["adhoc"]] == ["adhoc-1", "adhoc-2"]
    assert update["adhoc"][1]["to"] == "Council"
    with pytest.raises(ConsoleError, match="text: write the inject's message"):
        console.adhoc_inject({"to": "TCG"})


def test_updates_carry_new_records_only_and_the_clock(console: ExerciseConsole) -> None:
    console.clock({"action": "start"}, now=at(0))
    console.record({"kind": "action", "text": "first"}, now=at(1))
    console.record({"kind": "action", "text": "second"}, now=at(2))
    update = console.updates(since=2, now=at(5))
    assert [r["text"] for r in update["records"]] == ["second"]
    assert update["clock"] == {"minute": 5.0, "running": True, "started": True, "speed": 1.0}
    assert update["more"] is False


def test_the_map_follows_the_last_wind_change_released(console: ExerciseConsole) -> None:
    assert console.updates()["map"] == {
        "key": "start",
        "caption": "Wind from 225° (SW) at 2.5 m/s, at the start",
    }
    console.inject("i09", "release", {})
    assert console.updates()["map"] == {
        "key": "i09",
        "caption": "Wind from 270° (W) at 4 m/s, after inject i09",
    }


def test_the_json_text_of_updates_is_the_updates(console: ExerciseConsole) -> None:
    import json

    console.record({"kind": "decision", "text": "Shelter <script>alert(1)</script> \u00e9"})
    assert json.loads(console.updates_json(now=at(0))) == console.updates(now=at(0))


def test_a_map_is_a_png_for_each_weather(console: ExerciseConsole) -> None:
    assert console.maps is not None
    start = console.maps.png("start")
    after = console.maps.png("i09")
    assert start is not None and after is not None
    assert start.startswith(b"\x89PNG") and after.startswith(b"\x89PNG")
    assert start != after
    assert console.maps.png("i01") is None  # not a wind change
