"""The debrief's suggested HSEEP rating of an objective, from the players' times and targets.

The rule, which an evaluator can check by hand (and override in the observations file):

- **P** (performed without challenges): every plan task of the objective that has a target
  was reached (a ``milestone`` in the log) within its target;
- **S** (with some challenges): all reached, the latest no more than a quarter of its
  target late (a 60-minute target reached by minute 75);
- **M** (with major challenges): all reached, one more than a quarter of its target late; or
  some reached and some never;
- **U** (unable to be performed): none of them reached.

An objective whose tasks have no targets gets no suggestion: the evaluators rate it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

SOME_CHALLENGES_LATENESS = 0.25
"""Lateness, as a share of the target, up to which a reached task is 'some challenges'."""


@dataclass(frozen=True, slots=True)
class TaskTime:
    """A plan task of an objective: its target and when the players reached it (or None)."""

    task: str
    name: str
    target_minute: float | None
    players_minute: float | None


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A suggested rating (None: none can be suggested) and the reason in words."""

    rating: str | None
    reason: str


def _late(task: TaskTime) -> float:
    assert task.players_minute is not None and task.target_minute is not None
    return task.players_minute - task.target_minute


def _timing(task: TaskTime) -> str:
    assert task.players_minute is not None and task.target_minute is not None
    late = _late(task)
    if late <= 0:
        when = f"{-late:g} min inside" if late < 0 else "on"
        return (
            f"{task.name} at +{task.players_minute:g} min, {when} its "
            f"+{task.target_minute:g} target"
        )
    return (
        f"{task.name} at +{task.players_minute:g} min, {late:g} min after its "
        f"+{task.target_minute:g} target"
    )


def suggest(tasks: Sequence[TaskTime]) -> Suggestion:
    """The suggested rating of an objective whose plan tasks are ``tasks``."""
    targeted = [t for t in tasks if t.target_minute is not None]
    if not targeted:
        return Suggestion(
            None, "its plan tasks have no targets to measure against; the evaluators rate it"
        )
    reached = [t for t in targeted if t.players_minute is not None]
    missing = [t for t in targeted if t.players_minute is None]
    missing_text = ", ".join(t.name for t in missing)
    if not reached:
        return Suggestion("U", f"no milestone was logged for {missing_text}")
    if missing:
        done = "; ".join(_timing(t) for t in reached)
        return Suggestion("M", f"{done}; but no milestone was logged for {missing_text}")
    worst = max(reached, key=lambda t: _late(t) / float(t.target_minute or 1.0))
    share = _late(worst) / float(worst.target_minute or 1.0)
    if share <= 0:
        return Suggestion("P", "; ".join(_timing(t) for t in reached))
    rating = "S" if share <= SOME_CHALLENGES_LATENESS else "M"
    size = "within" if rating == "S" else "more than"
    return Suggestion(rating, f"{_timing(worst)} ({size} a quarter of the target late)")
