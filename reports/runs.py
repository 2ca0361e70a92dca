"""The simulated-response report: many runs of one scenario as one self-contained HTML page.

Reads a :class:`simulator.summary.RunsSummary` and the first run's hazard figures; it never
runs the model.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from standby.scenarios.model import Scenario
    from standby.simulator.results import RunResult
    from standby.simulator.summary import RunsSummary


def _zone_people(run: RunResult | None) -> list[dict[str, object]]:
    """People and places in each zone of the deterministic plume (the scenario's weather)."""
    if run is None or run.hazard is None:
        return []
    rows: list[dict[str, object]] = []
    for level in ("AEGL-3", "AEGL-2", "AEGL-1"):
        inside = [r for r in run.hazard.receptors if r.zone == level]
        rows.append(
            {
                "level": level,
                "people": sum(r.population for r in inside),
                "receptors": [r.receptor for r in inside],
            }
        )
    return rows


def render_report(
    scenario: Scenario,
    summary: RunsSummary,
    *,
    start_local: str,
    notes: Sequence[str] = (),
    plume_map: bytes | None = None,
    sector_map: bytes | None = None,
    first_run: RunResult | None = None,
) -> str:
    """The simulated-response report as one self-contained HTML page.

    ``first_run`` supplies the hazard zones of the scenario's own weather (the deterministic
    plume); ``summary.hazard`` their spread over the runs, ``sector_map`` its map.
    """
    from standby.reports.charts import end_times_chart, targets_chart
    from standby.reports.render import render_template

    charts = {
        "targets": targets_chart(summary),
        "end_times": end_times_chart(summary),
        "plume_map": plume_map,
        "sector_map": sector_map,
    }
    return render_template(
        "simulation_report.html.j2",
        scenario=scenario,
        summary=summary,
        charts=charts,
        notes=list(notes),
        start_local=start_local,
        hazard=first_run.hazard if first_run is not None else None,
        zones_people=_zone_people(first_run),
    )
