"""What one run adds to a summary of many, as a small record that travels from a worker.

A :class:`~standby.simulator.results.RunResult` holds a run's whole story; a summary of
thousands of runs needs only a few numbers and words from each: every task's end minute,
whether it met its target, why it was not done and what drove a miss, the roles left short,
and the KPI figures. :func:`record_of` reads those off a result, so that workers send back
a few hundred bytes a run and the summary (:mod:`~standby.simulator.summary`) and
``runs.csv`` are built from the same record whatever the executor.

:data:`KPI_FIELDS` is the one table of the KPI figures summarised over runs: a new numeric
field of :class:`~standby.simulator.results.Kpis` joins the summary, ``runs.csv`` and the
reports with one line here (a test checks that none is left out).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from standby.simulator.results import Kpis, RunHazard, RunResult

#: ``minute``: minutes after the incident began (None: it never happened); ``minutes``: a
#: length of time; ``count``: people or places.
KpiUnit = Literal["minute", "minutes", "count"]


@dataclass(frozen=True, slots=True)
class KpiField:
    """A numeric field of :class:`~standby.simulator.results.Kpis` and how it is shown."""

    name: str
    label: str
    unit: KpiUnit


KPI_FIELDS: tuple[KpiField, ...] = (
    KpiField("public_warned_minute", "Public warned by broadcast", "minute"),
    KpiField("all_vulnerable_warned_minute", "Last premises warned in person", "minute"),
    KpiField("protective_action_minute", "Shelter or evacuation decided", "minute"),
    KpiField("first_rest_centre_open_minute", "First rest centre open", "minute"),
    KpiField("vulnerable_premises_in_aegl2", "Premises to warn in person", "count"),
    KpiField("people_warned_before_plume", "People warned before the plume reached them", "count"),
    KpiField("people_warned_after_plume", "People warned after exposure began", "count"),
    KpiField("people_not_warned", "People the plume reaches never warned", "count"),
    KpiField("protective_action_people", "People in the protective action's area", "count"),
    KpiField("people_evacuated", "People in evacuation areas", "count"),
    KpiField("people_needing_rest_centre", "People needing a rest centre", "count"),
    KpiField("waited_for_opening", "People who waited for a rest centre to open", "count"),
    KpiField("turned_away", "People turned away from full rest centres", "count"),
    KpiField("waiting_at_end", "People still waiting for a rest centre at the end", "count"),
    KpiField("still_queueing_at_end", "People still queueing to register at the end", "count"),
    KpiField("registration_wait_mean_minutes", "Mean registration wait", "minutes"),
    KpiField("registration_wait_max_minutes", "Longest registration wait", "minutes"),
)


@dataclass(frozen=True, slots=True)
class RunRecord:
    """One run's figures for the summary of many runs, in the first run's task order.

    ``reasons`` and ``drivers`` are empty strings for tasks that met their target (or have
    none) and were done; ``unfilled`` is ``(role id, reason, kind)`` for each role left short
    (``kind`` as :class:`~standby.simulator.results.UnfilledRole` has it); ``kpis`` follows
    :data:`KPI_FIELDS`; ``exposure`` is the run's own hazard (weather, release, receptors,
    people above each level and footprints: a few kilobytes), None without a hazard.
    """

    replication: int | None
    ends: tuple[float | None, ...]
    met: tuple[bool | None, ...]
    done: tuple[bool, ...]
    reasons: tuple[str, ...]
    drivers: tuple[str, ...]
    unfilled: tuple[tuple[str, str, str], ...]
    kpis: tuple[float | None, ...]
    exposure: RunHazard | None = None

    @property
    def targets_met(self) -> int:
        """How many targets this run met."""
        return sum(1 for met in self.met if met)

    @property
    def all_met(self) -> bool:
        """True when no target was missed."""
        return all(met is not False for met in self.met)


def kpi_values(kpis: Kpis | None) -> tuple[float | None, ...]:
    """The :data:`KPI_FIELDS` figures of one run (all None for a run without KPIs)."""
    if kpis is None:
        return tuple(None for _ in KPI_FIELDS)
    values: list[float | None] = []
    for item in KPI_FIELDS:
        value = getattr(kpis, item.name)
        values.append(None if value is None else float(value))
    return tuple(values)


def record_of(result: RunResult) -> RunRecord:
    """The figures of ``result`` that a summary of many runs needs."""
    milestones = result.milestones
    return RunRecord(
        replication=result.replication,
        ends=tuple(m.end_minute for m in milestones),
        met=tuple(m.met for m in milestones),
        done=tuple(m.status == "done" for m in milestones),
        reasons=tuple(m.reason for m in milestones),
        drivers=tuple(m.driver for m in milestones),
        unfilled=tuple(
            (role.role, role.reason, role.kind)
            for role in {u.role: u for u in result.unfilled_roles}.values()
        ),
        kpis=kpi_values(result.kpis),
        exposure=result.exposure,
    )
