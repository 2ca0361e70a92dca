"""The debrief's executive summary: a few sentences a chief officer reads first.

Each sentence is made from the debrief's own figures (ratings, milestones against the
model, the counterfactual, the improvement plan, the next test date), so the summary never
says more than the report shows.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from standby.reports.debrief_counterfactual import TOXIC, Counterfactual, measure
from standby.reports.debrief_model import (
    Action,
    Compliance,
    MilestoneTiming,
    ObjectiveEvaluation,
)
from standby.reports.observations import RATINGS, ExerciseDetails, day_text

if TYPE_CHECKING:
    from standby.scenarios.model import Scenario

FAR_BEHIND_PCT = 90.0
FAR_BEHIND_MINUTES = 10.0
"""A milestone is 'well behind the model' when the players were later than this share of its
runs and at least this many minutes after its median."""


def executive_summary(
    scenario: Scenario,
    exercise: ExerciseDetails,
    objectives: Sequence[ObjectiveEvaluation],
    timeline: Sequence[MilestoneTiming],
    result: Counterfactual,
    plan: Sequence[Action],
    compliance: Compliance,
) -> tuple[str, ...]:
    """The summary's sentences, in reading order."""
    name = f" ({exercise.name})" if exercise.name else ""
    kind = exercise.type or "an exercise"
    lines = [
        f"On {day_text(compliance.test_date)} the {compliance.plan} for "
        f"{scenario.site.name} was tested in {kind}{name}, playing the scenario "
        f"'{scenario.title}'."
    ]
    lines.append(_ratings(objectives))
    lines += _milestones(timeline)
    lines += _counterfactual(result)
    high = sum(1 for a in plan if a.priority == "High")
    if plan:
        lines.append(
            f"The evaluators found {len(plan)} areas for improvement; each is an action in "
            f"the improvement plan with an owner and a due date ({high} of high priority)."
        )
    else:
        lines.append("No areas for improvement were recorded, so the improvement plan is empty.")
    if compliance.rule:
        lines.append(
            f"This test meets {compliance.rule} for the plan until "
            f"{day_text(compliance.next_due)}, by which date the next test is due."
        )
    else:
        lines.append(
            f"The next test of the plan is due by {day_text(compliance.next_due)}, three years on."
        )
    return tuple(lines)


def _ratings(objectives: Sequence[ObjectiveEvaluation]) -> str:
    counts = [
        f"{sum(1 for o in objectives if o.rating == r)} {r}"
        for r in RATINGS
        if any(o.rating == r for o in objectives)
    ]
    unrated = sum(1 for o in objectives if o.rating is None)
    if unrated:
        counts.append(f"{unrated} not rated")
    return (
        f"Of the {len(objectives)} objectives: {', '.join(counts) or 'none rated'} (HSEEP "
        "ratings: P performed without challenges, S with some, M with major challenges, "
        "U unable to be performed)."
    )


def _milestones(timeline: Sequence[MilestoneTiming]) -> list[str]:
    reached = [t for t in timeline if t.players_minute is not None and t.target_minute is not None]
    if not reached:
        return ["No milestone with a target was logged."]
    met = sum(1 for t in reached if t.players_met)
    lines = [f"The players reached {len(reached)} targeted milestones, {met} of them in time."]
    behind = sorted(
        (
            t
            for t in reached
            if t.earlier_pct is not None
            and t.earlier_pct >= FAR_BEHIND_PCT
            and _behind(t) >= FAR_BEHIND_MINUTES
        ),
        key=lambda t: -_behind(t),
    )
    if behind:
        items = "; ".join(
            f"{t.name} at +{t.players_minute:g} min (model median +{t.model_median or 0:.0f}, "
            f"later than {t.earlier_pct:g} % of its runs)"
            for t in behind[:3]
        )
        lines.append(f"Well behind the model: {items}.")
    return lines


def _behind(timing: MilestoneTiming) -> float:
    """Minutes the players were after the model's median (0 without either)."""
    if timing.players_minute is None or timing.model_median is None:
        return 0.0
    return timing.players_minute - timing.model_median


def _counterfactual(result: Counterfactual) -> list[str]:
    if not result.pins:
        return ["No milestones were logged, so the model was not re-run with the players' times."]
    lines = []
    worse = sorted(
        (c for c in result.comparisons if c.worse > 0 and c.worse_is != "neither"),
        key=lambda c: -c.worse,
    )
    if worse:
        parts = [
            f"{measure(c.field).says(c.players_median, result.wording)} (model: "
            f"{measure(c.field).value_text(c.model_median)}; worse in {c.worse} of "
            f"{c.runs} runs)"
            for c in worse[:3]
        ]
        lines.append(
            f"Re-run {result.runs} times with the players' times (the same seeds as its own "
            f"runs), the model's medians say: {'; '.join(parts)}."
        )
    else:
        lines.append(
            f"Re-run {result.runs} times with the players' times (the same seeds), the model "
            "shows nothing worse for the people at risk than in its own runs."
        )
    runs = (*result.model, *result.players)
    people = max(m.above_aegl2_outdoors + m.above_aegl2_indoors for m in runs)
    toxic = result.wording == TOXIC
    if toxic and people > 0 and all(m.above_aegl2_indoors == 0 for m in runs):
        lines.append(
            f"In every run, the model's and the players' alike, the plume reached the "
            f"{people} people above AEGL-2 before any warning did: what protects them "
            "first is knowing beforehand to go in, stay in and tune in."
        )
    return lines
