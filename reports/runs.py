"""The simulated-response report: many runs of any scenario and rota as one HTML page, and
the folder ``standby simulate --out DIR`` (and the demo) writes around it.

Reads a :class:`simulator.summary.RunsSummary`, the first run's hazard figures and, when
there is one, a sensitivity study; it never runs the model.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from standby.clock import to_local
from standby.files import write_bytes_atomic, write_text_atomic

if TYPE_CHECKING:
    from standby.scenarios.model import Scenario
    from standby.simulator.experiment import Replications
    from standby.simulator.maps import HazardMaps
    from standby.simulator.results import RunResult
    from standby.simulator.sensitivity import SensitivityStudy
    from standby.simulator.summary import RunsSummary

#: What ``--out DIR`` holds (``runs.csv`` is written while the runs are made).
FOLDER_FILES = (
    "summary.json",
    "runs.csv",
    "report.html",
    "targets.png",
    "end-times.png",
    "plume-map.png",
    "chemet-map.png",
    "sector-map.png",
)
#: Written too with ``--events``, ``--sensitivity``, or a timeline.
EVENTS_FILE = "events.jsonl"
SENSITIVITY_FILES = ("sensitivity.json", "tornado.png")
TIMELINE_FILE = "timeline.txt"
SECTOR_FILE = "sector-map.png"


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
    sensitivity: SensitivityStudy | None = None,
    charts: dict[str, bytes] | None = None,
) -> str:
    """The simulated-response report as one self-contained HTML page.

    ``first_run`` supplies the hazard zones of the scenario's own weather (the deterministic
    plume); ``summary.hazard`` their spread over the runs, ``sector_map`` its map.
    ``charts`` are PNGs already drawn (targets, end_times, tornado); those missing are
    drawn here.
    """
    from standby.reports.charts import end_times_chart, targets_chart, tornado_chart
    from standby.reports.render import render_template

    drawn = dict(charts or {})
    if "targets" not in drawn:
        drawn["targets"] = targets_chart(summary)
    if "end_times" not in drawn:
        drawn["end_times"] = end_times_chart(summary)
    if sensitivity is not None and "tornado" not in drawn:
        drawn["tornado"] = tornado_chart(sensitivity)
    return render_template(
        "simulation_report.html.j2",
        scenario=scenario,
        summary=summary,
        charts={**drawn, "plume_map": plume_map, "sector_map": sector_map},
        notes=list(notes),
        start_local=start_local,
        hazard=first_run.hazard if first_run is not None else None,
        zones_people=_zone_people(first_run),
        sensitivity=sensitivity,
    )


def start_text(scenario: Scenario, start_iso: str) -> str:
    """``Thursday 12 November 2026 02:10 GMT``: a run's start as the report heads it."""
    from datetime import datetime

    instant = datetime.fromisoformat(start_iso.replace("Z", "+00:00"))
    return to_local(instant, scenario.timezone).strftime("%A %d %B %Y %H:%M %Z")


def folder_files(
    *, events: bool = False, sensitivity: bool = False, timeline: bool = False
) -> list[str]:
    """The names ``--out DIR`` will hold."""
    names = list(FOLDER_FILES)
    if events:
        names.append(EVENTS_FILE)
    if sensitivity:
        names += SENSITIVITY_FILES
    if timeline:
        names.append(TIMELINE_FILE)
    return names


class MapsAhead:
    """The hazard maps drawn on a thread while the runs are made (they depend only on the
    scenario), so that the folder is written sooner; :func:`write_folder` waits for them."""

    def __init__(self, scenario: Scenario, folder: Path, *, force: bool = False) -> None:
        from concurrent.futures import ThreadPoolExecutor

        self._pool = ThreadPoolExecutor(1, thread_name_prefix="maps")
        self._maps = self._pool.submit(_draw_maps, scenario, folder, force)

    def result(self) -> tuple[HazardMaps | None, list[Path]]:
        """The scenario's hazard maps and their files, once drawn (an error drawing them is
        raised here); None and no files for a scenario without a toxic release."""
        try:
            return self._maps.result()
        finally:
            self._pool.shutdown()


def _draw_maps(
    scenario: Scenario, folder: Path, force: bool
) -> tuple[HazardMaps | None, list[Path]]:
    from standby.reports.charts import hazard_maps
    from standby.simulator.maps import hazard_maps as hazard_map_data

    products = hazard_map_data(scenario)
    if products is None:  # no toxic release, so no plume or CHEMET map
        return None, []
    return products, hazard_maps(products, folder, force=force)


#: The confidence sector's note on the map.
SECTOR_NOTE = "The orange areas: where the runs' AEGL-2 zones fell, shaded by how many runs."


def write_folder(
    experiment: Replications,
    folder: Path,
    *,
    force: bool = False,
    sensitivity: SensitivityStudy | None = None,
    maps_ahead: MapsAhead | None = None,
) -> list[Path]:
    """Write the summary, the charts, the maps and the report of ``experiment`` into
    ``folder`` (and the sensitivity study and timeline when there are). Returns the paths.

    A scenario with a toxic release gets its plume and CHEMET maps and the confidence
    sector of the runs' own weather (``sector-map.png``). Nothing is replaced without
    ``force``; check the names (:func:`folder_files`) before the runs, so that a long
    experiment does not end in a refusal.
    """
    from standby.files import check_writable

    for name in ("summary.json", "report.html", "targets.png", "end-times.png"):
        check_writable(folder / name, force=force)
    from standby.reports.charts import end_times_chart, sector_map, targets_chart, tornado_chart
    from standby.simulator.maps import confidence_sector
    from standby.simulator.results import timeline_text

    summary = experiment.summary
    charts = {"targets": targets_chart(summary), "end_times": end_times_chart(summary)}
    written = [
        write_text_atomic(folder / "summary.json", _json(summary.to_json_dict()), force=force),
        write_bytes_atomic(folder / "targets.png", charts["targets"], force=force),
        write_bytes_atomic(folder / "end-times.png", charts["end_times"], force=force),
    ]
    if maps_ahead is not None:
        products, maps = maps_ahead.result()
    else:
        products, maps = _draw_maps(experiment.scenario, folder, force)
    written += maps
    sector = None
    if products is not None and experiment.footprints:
        sector = sector_map(
            confidence_sector(experiment.footprints),
            products,
            folder / SECTOR_FILE,
            [SECTOR_NOTE],
            force=force,
        )
        written.append(sector)
    if sensitivity is not None:
        charts["tornado"] = tornado_chart(sensitivity)
        written += [
            write_text_atomic(
                folder / "sensitivity.json", _json(sensitivity.to_json_dict()), force=force
            ),
            write_bytes_atomic(folder / "tornado.png", charts["tornado"], force=force),
        ]
    if experiment.timeline is not None:
        written.append(
            write_text_atomic(
                folder / TIMELINE_FILE, timeline_text(experiment.timeline), force=force
            )
        )
    page = render_report(
        experiment.scenario,
        summary,
        start_local=start_text(experiment.scenario, experiment.first.start),
        notes=experiment.notes,
        plume_map=maps[0].read_bytes() if maps else None,
        sector_map=None if sector is None else sector.read_bytes(),
        first_run=experiment.first,
        sensitivity=sensitivity,
        charts=charts,
    )
    written.append(write_text_atomic(folder / "report.html", page, force=force))
    return written


def _json(data: object) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
