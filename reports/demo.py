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
from standby.reports.runs import FOLDER_FILES
from standby.reports.sweep import FOLDER_FILES as SWEEP_FILES

if TYPE_CHECKING:
    from rich.table import Table

DEMO_SCENARIO = "chlorine-riverside"
DEMO_RUNS = 500
DEMO_SEED = 1
SIMULATION_DIR = "simulation"
SWEEP_DIR = "sweep-christmas-2026"
SWEEP_WINDOW = ("2026-12-21 00:00", "2026-12-28 00:00")
SWEEP_RUNS = 2
OUTPUTS = (
    "scenarios.json",
    "rota-check.html",
    "rota-check.json",
    *(f"{SIMULATION_DIR}/{name}" for name in FOLDER_FILES),
    *(f"{SWEEP_DIR}/{name}" for name in SWEEP_FILES),
    "exercise-pack.html",
    "exercise-pack.docx",
    "exercise-pack.md",
    "exercise-pack-area-map.png",
    "exercise-pack-plume-map.png",
    "exercise-pack-gantt.png",
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
    """Simulate the chlorine scenario many times against the bundled rota at night, and write
    the runs' folder (summary, runs.csv, charts, maps, report) as ``simulate --out`` does."""
    from standby.files import atomic_output
    from standby.reports.runs import write_folder
    from standby.reports.terminal import progress_bar
    from standby.simulator.experiment import Outputs, replicate_files

    folder = settings.out / SIMULATION_DIR
    with (
        atomic_output(folder / "runs.csv", force=settings.force) as runs_csv,
        progress_bar(settings.runs, f"Simulating {DEMO_SCENARIO}") as progress,
    ):
        experiment = replicate_files(
            DEMO_SCENARIO,
            ROTA_DIR / "council-2026.yaml",
            requirements_file=ROTA_DIR / "council-2026-requirements.yaml",
            seed=settings.seed,
            runs=settings.runs,
            outputs=Outputs(runs_csv=runs_csv),
            progress=progress,
            footprints=True,
        )
    files = [folder / "runs.csv", *write_folder(experiment, folder, force=settings.force)]
    summary = experiment.summary
    start_local = to_local(experiment.scenario.start_utc, experiment.scenario.timezone)
    targets = [t for t in summary.tasks if t.met_pct is not None]
    tcg = next((t for t in summary.target_figures() if t.task == "convene_tcg"), None)
    tcg_text = (
        f"; TCG within target in {tcg.met_pct:.0f} % (95 % CI {tcg.ci_low_pct:.0f}-"
        f"{tcg.ci_high_pct:.0f} %)"
        if tcg is not None
        else ""
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
        f"{summary.runs} runs from {start_local:%A %d %B %Y %H:%M %Z}: all {len(targets)} "
        f"targets met in {summary.all_targets_met} runs{tcg_text}; "
        f"{len(summary.roles)} roles short in some runs{hazard_text}"
    )
    return DemoStep("Simulation", text, files=files)


def step_sweep(settings: DemoSettings) -> DemoStep:
    """Sweep the chlorine scenario hourly over Christmas week 2026, where the bundled rota
    has its gaps, and write the sweep's folder as ``standby sweep --out`` does."""
    from standby.reports.sweep import reason_text, write_folder
    from standby.reports.terminal import progress_bar
    from standby.simulator.sweep import sweep_files

    with progress_bar(SWEEP_RUNS * 168, "Sweeping Christmas week") as progress:
        result = sweep_files(
            DEMO_SCENARIO,
            ROTA_DIR / "council-2026.yaml",
            start_text=SWEEP_WINDOW[0],
            end_text=SWEEP_WINDOW[1],
            runs_per_slot=SWEEP_RUNS,
            seed=settings.seed,
            progress=progress,
            total=progress.set_total if progress else None,
        )
    files = write_folder(result, settings.out / SWEEP_DIR, force=settings.force)
    worst = result.worst[0]
    start = to_local(worst.start, result.timezone)
    person = result.single_points[0] if result.single_points else None
    text = (
        f"{len(result.slots)} hourly starts, {SWEEP_RUNS} runs each: {result.readiness_pct:.1f} % "
        f"of targets met; worst {start:%a %d %b %H:%M} ({100 * worst.readiness:.0f} %): "
        f"{reason_text(worst, result.timezone)}"
        + (
            f"; without {person.name} readiness falls {-person.change_points:.1f} points"
            if person is not None and person.change_points < 0
            else ""
        )
    )
    return DemoStep("Readiness sweep", text, files=files)


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
    step_sweep,
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
        names = [
            str(p.relative_to(out_dir)) if p.is_relative_to(out_dir) else p.name for p in step.files
        ]
        files = "\n".join(cell_text(name) for name in names)
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
