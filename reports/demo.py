"""The demo: run what Standby can do on its bundled data and write the results under ``out/``.

Each step returns the files it wrote and one line for the terminal summary, so `make demo`
shows only what really ran.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from standby.clock import to_local
from standby.files import check_writable, write_text_atomic
from standby.reports.debrief_output import OUTPUTS as DEBRIEF_OUTPUTS

if TYPE_CHECKING:
    from rich.table import Table

DEMO_SCENARIO = "chlorine-riverside"
DEMO_RUNS = 500
DEMO_SEED = 1
OUTPUTS = (
    "scenarios.json",
    "rota-check.html",
    "rota-check.json",
    "simulation-report.html",
    "simulation-summary.json",
    "simulation-run-1.json",
    "plume-map.png",
    "chemet-map.png",
    "exercise-pack.html",
    "exercise-pack.docx",
    "exercise-pack.md",
    "exercise-pack-area-map.png",
    "exercise-pack-plume-map.png",
    "exercise-pack-gantt.png",
    "sector-map.png",
    *DEBRIEF_OUTPUTS,
)
#: The exercise pack's expectations take this many runs at most (the demo's own if fewer).
PACK_RUNS = 200
#: The debrief's model runs (each made twice) at most (the demo's own if fewer).
DEBRIEF_RUNS = 200
ROTA_DIR = Path(str(resources.files("standby.rota") / "data"))


@dataclass(frozen=True)
class DemoSettings:
    """Where the demo writes, whether it may replace files, and how many runs it simulates."""

    out: Path
    force: bool = False
    runs: int = DEMO_RUNS
    seed: int = DEMO_SEED


@dataclass
class DemoStep:
    """What one demo step did: a summary line and the files it wrote."""

    title: str
    summary: str
    files: list[Path] = field(default_factory=list)


def step_scenarios(settings: DemoSettings) -> DemoStep:
    """Validate every bundled scenario and write their key figures as JSON."""
    from standby.scenarios import bundled_scenarios

    rows = []
    for name, item in bundled_scenarios():
        rows.append(
            {
                "name": name,
                "title": item.title,
                "site": item.site.name,
                "comah_tier": item.site.comah_tier,
                "start": item.start,
                "agencies": len(item.agencies),
                "tasks": len(item.plan.tasks),
                "injects": len(item.injects),
                "objectives": len(item.objectives),
                "last_test": str(item.last_test) if item.last_test else None,
                "next_test_due": str(item.next_test_due) if item.next_test_due else None,
            }
        )
    path = write_text_atomic(
        settings.out / "scenarios.json", json.dumps(rows, indent=2) + "\n", force=settings.force
    )
    return DemoStep("Scenarios", f"{len(rows)} bundled scenarios validated", files=[path])


def step_rota(settings: DemoSettings) -> DemoStep:
    """Check the bundled 2026 council rota against its requirements for the whole year.

    The requirements file's working-time settings (stand-by from home is not work) win over
    the rota's, as in ``standby rota check``.
    """
    from standby.reports.rota_html import render_html
    from standby.rota.api import check_files

    checked = check_files(
        ROTA_DIR / "council-2026.yaml",
        ROTA_DIR / "council-2026-requirements.yaml",
        "2026-01-01",
        "2027-01-01",
    )
    report = checked.report
    html = write_text_atomic(
        settings.out / "rota-check.html", render_html(report), force=settings.force
    )
    data = write_text_atomic(
        settings.out / "rota-check.json",
        json.dumps(report.to_json_dict(), indent=2) + "\n",
        force=settings.force,
    )
    worst = min(report.roles, key=lambda role: role.coverage_pct)
    gaps = sum(len(role.gaps) for role in report.roles)
    summary = (
        f"{len(checked.rota.people)} people, {len(checked.rota.shifts)} shifts, "
        f"{len(report.roles)} requirements: {gaps} gaps in 2026; lowest cover "
        f"{worst.coverage_pct:.2f} % ({worst.role}); {len(report.findings)} findings"
    )
    return DemoStep("Rota check", summary, files=[html, data])


def step_simulation(settings: DemoSettings) -> DemoStep:
    """Simulate the chlorine scenario many times against the bundled rota at night."""
    from standby.reports.charts import hazard_maps as draw_hazard_maps
    from standby.reports.charts import sector_map
    from standby.reports.runs import render_report
    from standby.reports.terminal import progress_bar
    from standby.simulator.experiment import replicate_files
    from standby.simulator.maps import confidence_sector, hazard_maps

    with progress_bar(settings.runs, f"Simulating {DEMO_SCENARIO}") as progress:
        experiment = replicate_files(
            DEMO_SCENARIO,
            ROTA_DIR / "council-2026.yaml",
            requirements_file=ROTA_DIR / "council-2026-requirements.yaml",
            seed=settings.seed,
            runs=settings.runs,
            progress=progress,
            keep_runs=False,
        )
    scenario, first = experiment.scenario, experiment.first
    summary = experiment.summary()
    start_local = to_local(scenario.start_utc, scenario.timezone).strftime("%A %d %B %Y %H:%M %Z")
    products = hazard_maps(scenario)
    maps = (
        [] if products is None else draw_hazard_maps(products, settings.out, force=settings.force)
    )
    exposures = list(experiment.exposures)
    sector = None
    if products is not None and exposures:
        sector = sector_map(
            confidence_sector(exposures),
            products,
            settings.out / "sector-map.png",
            ["The orange areas: where the runs' AEGL-2 zones fell, shaded by how many runs."],
            force=settings.force,
        )
        maps.append(sector)
    page = render_report(
        scenario,
        summary,
        start_local=start_local,
        notes=list(experiment.notes),
        plume_map=maps[0].read_bytes() if maps else None,
        sector_map=None if sector is None else sector.read_bytes(),
        first_run=first,
    )
    files = [
        *maps,
        write_text_atomic(settings.out / "simulation-report.html", page, force=settings.force),
        write_text_atomic(
            settings.out / "simulation-summary.json",
            json.dumps(summary.to_json_dict(), indent=2) + "\n",
            force=settings.force,
        ),
        write_text_atomic(
            settings.out / "simulation-run-1.json", first.to_json(), force=settings.force
        ),
    ]
    targets = [t for t in summary.tasks if t.met_pct is not None]
    tcg = next((t for t in summary.tasks if t.task == "convene_tcg"), None)
    tcg_text = (
        f"; TCG within target in {tcg.met_pct:.0f} %" if tcg and tcg.met_pct is not None else ""
    )
    centre = next(k for k in summary.kpis if k.kpi == "first_rest_centre_open_minute")
    centre_text = (
        f"; first rest centre open in {centre.happened} runs (median +{centre.median:g} min)"
        if centre.median is not None
        else "; no rest centre opened"
    )
    above = summary.hazard.people_above_aegl2[0] if summary.hazard is not None else None
    hazard_text = (
        f"; people above AEGL-2 median {above.median:g} (10th-90th percentile "
        f"{above.p10:g}-{above.p90:g})"
        if above is not None
        and above.median is not None
        and above.p10 is not None
        and above.p90 is not None
        else ""
    )
    text = (
        f"{summary.runs} runs from {start_local}: all {len(targets)} targets met in "
        f"{summary.all_targets_met} runs{tcg_text}{centre_text}; "
        f"{len(summary.roles)} roles short in some runs{hazard_text}"
    )
    return DemoStep("Simulation", text, files=files)


def step_exercise_pack(settings: DemoSettings) -> DemoStep:
    """The tabletop exercise pack for the chlorine scenario, staffed from the bundled rota."""
    from standby.reports.exercise import pack_files
    from standby.reports.exercise_document import write_pack

    pack = pack_files(
        DEMO_SCENARIO,
        ROTA_DIR / "council-2026.yaml",
        runs=min(settings.runs, PACK_RUNS),
        seed=settings.seed,
    )
    files = write_pack(pack, settings.out, force=settings.force)
    generated = sum(1 for row in pack.msel if row.generated)
    text = (
        f"{len(pack.msel)} injects ({generated} generated by the model), "
        f"{len(pack.objectives)} objectives with the model's expectations, "
        f"{len(pack.msel)} inject cards; HTML, Word and Markdown"
    )
    return DemoStep("Exercise pack", text, files=list(files.all))


def step_debrief(settings: DemoSettings) -> DemoStep:
    """Debrief the bundled example exercise of the chlorine scenario (fictional people)."""
    from standby.reports.debrief import example_files
    from standby.reports.debrief_output import run_debrief
    from standby.reports.observations import day_text
    from standby.reports.terminal import progress_bar

    log, observations = example_files()
    runs = min(settings.runs, DEBRIEF_RUNS)
    with progress_bar(2 * runs, "Debriefing the example exercise") as progress:
        done = run_debrief(
            DEMO_SCENARIO,
            log,
            settings.out,
            observations_file=observations,
            rota_file=ROTA_DIR / "council-2026.yaml",
            runs=runs,
            seed=settings.seed,
            force=settings.force,
            progress=progress,
        )
    report = done.debrief
    ratings = " ".join(f"{o.rating or '-'}" for o in report.objectives)
    warned = report.counterfactual.comparison("public_warned_minute")
    text = (
        f"{report.exercise.name or report.title}: ratings {ratings}; with the players' times "
        f"the public is warned at median +{warned.players_median or 0:.0f} min (model "
        f"+{warned.model_median or 0:.0f}); {len(report.plan)} improvement actions; next test "
        f"due {day_text(report.compliance.next_due)}"
    )
    return DemoStep("Debrief", text, files=done.files.all())


STEPS: list[Callable[[DemoSettings], DemoStep]] = [
    step_scenarios,
    step_rota,
    step_simulation,
    step_exercise_pack,
    step_debrief,
]


def summary_table(steps: Sequence[DemoStep], out_dir: Path) -> Table:
    """One rich table row per step: what it found and the files it wrote."""
    from rich.table import Table
    from rich.text import Text

    from standby.reports.plain import cell_text, markup, printable

    table = Table(title=f"Standby demo: files in {markup(out_dir)}/")
    table.add_column("step", no_wrap=True)
    table.add_column("result")
    table.add_column("files")
    for step in steps:
        files = "\n".join(cell_text(path.name) for path in step.files)
        table.add_row(step.title, Text(printable(step.summary)), Text(files))
    return table


def run_demo(settings: DemoSettings) -> list[DemoStep]:
    """Run every demo step in order, writing under ``settings.out``.

    Nothing is written when an output already exists and ``force`` is not set.
    """
    if not settings.force:
        for name in OUTPUTS:
            check_writable(settings.out / name, force=False)
    return [step(settings) for step in STEPS]
