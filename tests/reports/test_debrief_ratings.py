"""Suggested HSEEP ratings against hand-worked cases: a 60-minute target met at 52 is P, 75
(a quarter late) S, 76 M; a task never reached makes the objective M, none reached U."""

from __future__ import annotations

import pytest

from standby.reports.debrief_ratings import TaskTime, suggest


def _task(players: float | None, target: float | None = 60.0, name: str = "TCG") -> TaskTime:
    return TaskTime(name.lower(), name, target, players)


@pytest.mark.parametrize(
    ("players", "rating"),
    [
        (52.0, "P"),  # 8 minutes inside
        (60.0, "P"),  # on the target
        (61.0, "S"),  # 1/60 late
        (75.0, "S"),  # 15/60 = exactly a quarter late
        (75.5, "M"),  # just over a quarter
        (120.0, "M"),
    ],
)
def test_one_task_against_a_60_minute_target(players: float, rating: str) -> None:
    assert suggest([_task(players)]).rating == rating


def test_the_reason_gives_the_times_in_words() -> None:
    late = suggest([_task(77.0)])
    assert late.reason == (
        "TCG at +77 min, 17 min after its +60 target (more than a quarter of the target late)"
    )
    assert suggest([_task(52.0)]).reason == "TCG at +52 min, 8 min inside its +60 target"


def test_the_worst_task_relative_to_its_target_decides() -> None:
    # 10 minutes late on a 30-minute target (a third) is worse than 20 late on 180 (a ninth)
    tasks = [_task(40.0, 30.0, "Declare"), _task(200.0, 180.0, "SCG")]
    result = suggest(tasks)
    assert result.rating == "M"
    assert result.reason.startswith("Declare at +40 min, 10 min after its +30 target")
    # 20 late on 180 alone is 'some challenges'
    assert suggest([_task(200.0, 180.0, "SCG")]).rating == "S"


def test_a_task_never_reached_beside_one_reached_is_major_challenges() -> None:
    result = suggest([_task(55.0, 60.0, "TCG"), _task(None, 180.0, "SCG")])
    assert result.rating == "M"
    assert result.reason.endswith("but no milestone was logged for SCG")


def test_no_task_reached_is_unable_to_be_performed() -> None:
    result = suggest([_task(None, 60.0, "TCG"), _task(None, 180.0, "SCG")])
    assert result.rating == "U"
    assert result.reason == "no milestone was logged for TCG, SCG"


def test_tasks_without_targets_get_no_suggestion() -> None:
    assert suggest([_task(40.0, None)]).rating is None
    assert suggest([]).rating is None


def test_a_task_without_a_target_does_not_count_against_one_with() -> None:
    assert suggest([_task(50.0, 60.0), _task(None, None, "All clear")]).rating == "P"
