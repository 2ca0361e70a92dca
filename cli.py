"""Standby command line: parse arguments, call a library function, print, map errors to exit codes.

Exit codes: 0 all good; 1 the check found problems; 2 bad input or usage. Heavy libraries
(matplotlib, openpyxl, networkx, simpy) are imported inside the commands that need them so
that ``standby --help`` stays fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from standby import StandbyError, __version__
from standby.clock import DEFAULT_REGION, DEFAULT_TIMEZONE, REGIONS

#: The options that set each value a library error can name (``StandbyError.parameters``);
#: the library's messages never name options, so they are added here.
OPTIONS = {
    "window_start": "--from",
    "window_end": "--to",
    "requirements": "--requirements",
    "at": "--at",
    "start": "--start",
    "output": "--out",
    "force": "--force",
    "every": "--every",
    "resume": "--resume",
}


def error_text(error: StandbyError) -> str:
    """The error's message, with the options to change when it names parameters."""
    options = [OPTIONS[name] for name in error.parameters]
    return f"{error.message} ({', '.join(options)})" if options else error.message


class StandbyGroup(click.Group):
    """A click group that turns :class:`StandbyError` into a message and exit code 2."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except StandbyError as error:
            click.secho(f"Error: {error_text(error)}", fg="red", err=True)
            ctx.exit(error.exit_code)


@click.group(cls=StandbyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="standby")
def cli() -> None:
    """Standby: on-call rota checks, COMAH incident simulation and exercise reports."""


def _console(**settings: Any) -> Any:
    from rich.console import Console

    return Console(highlight=False, **settings)


# --- scenarios ------------------------------------------------------------------------------


@cli.group()
def scenario() -> None:
    """List, show, validate and describe scenario files."""


@scenario.command("list")
def scenario_list() -> None:
    """List the bundled scenarios."""
    from standby.reports.terminal import scenario_table
    from standby.scenarios import bundled_scenarios

    _console().print(scenario_table(bundled_scenarios()))


@scenario.command("show")
@click.argument("name")
def scenario_show(name: str) -> None:
    """Print a scenario file (bundled NAME or a path), to copy and adapt."""
    from standby.scenarios import scenario_source

    click.echo(scenario_source(name), nl=False)


@scenario.command("validate")
@click.argument("files", nargs=-1, required=True)
def scenario_validate(files: tuple[str, ...]) -> None:
    """Check scenario FILES; print every problem with file, line and location.

    Exit code 0 when every file is valid, 2 when any is not.
    """
    from standby.reports.terminal import valid_scenario
    from standby.scenarios import ScenarioError, load_scenario

    failed = 0
    for name in files:
        try:
            item = load_scenario(name)
        except ScenarioError as error:
            failed += 1
            click.secho(f"Error: {error.message}", fg="red", err=True)
            continue
        click.echo(valid_scenario(name, item))
    if failed:
        raise SystemExit(2)


@scenario.command("schema")
def scenario_schema() -> None:
    """Print the JSON Schema of the scenario format (for editors and other tools)."""
    import json

    from standby.scenarios.model import Scenario

    click.echo(json.dumps(Scenario.model_json_schema(by_alias=True), indent=2))


# --- rota -----------------------------------------------------------------------------------

_WHEN_HELP = "a date (local midnight), '2026-03-27 09:00' (local) or ISO 8601 with an offset"


def _reading_options(command: Any) -> Any:
    """--timezone, and --handover / --shift-length for a spreadsheet grid rota."""
    options = [
        click.option(
            "--timezone", default=DEFAULT_TIMEZONE, show_default=True, help="Zone of local times."
        ),
        click.option(
            "--handover",
            metavar="HH:MM",
            help="For a spreadsheet grid (dates down, roles across): the local handover time. "
            "Default: a 'handover:' cell in the sheet, else 09:00.",
        ),
        click.option(
            "--shift-length",
            metavar="LENGTH",
            help="For a spreadsheet grid: how long each shift lasts, such as 1d, 12h or 1w. "
            "Default: a 'shift length:' cell in the sheet, else 1d.",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


@cli.group("rota")
def rota_group() -> None:
    """Check on-call rotas for coverage gaps, see who is on call, export rotas."""


@rota_group.command("check")
@click.argument(
    "rota_file", metavar="ROTA", type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option(
    "--requirements",
    "requirements_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Requirements YAML. Default: the rota's own, or every role at minimum 1.",
)
@click.option("--from", "start_text", metavar="WHEN", help=f"Window start: {_WHEN_HELP}.")
@click.option("--to", "end_text", metavar="WHEN", help=f"Window end: {_WHEN_HELP}.")
@_reading_options
@click.option(
    "--region",
    type=click.Choice(list(REGIONS)),
    default=DEFAULT_REGION,
    show_default=True,
    help="Bank holidays used for the fairness figures.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "csv", "html"]),
    default="text",
    show_default=True,
    help="text tables, JSON (UTC times), CSV of gaps, or a self-contained HTML page.",
)
@click.option(
    "--not-work",
    "not_work",
    multiple=True,
    metavar="ROLE",
    help="On-call time in ROLE is not working time (repeatable; 'all' for every role). "
    "Overrides the files' 'working_time:' settings; without either, on-call time counts "
    "for the Working Time Regulations checks.",
)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Write to FILE.")
@click.option("--force", is_flag=True, help="Replace --out if it exists.")
def rota_check(
    rota_file: Path,
    requirements_file: Path | None,
    start_text: str | None,
    end_text: str | None,
    timezone: str,
    handover: str | None,
    shift_length: str | None,
    region: str,
    output_format: str,
    not_work: tuple[str, ...],
    out: Path | None,
    force: bool,
) -> None:
    """Check ROTA for coverage gaps, shortfalls, clashes, working time and fairness.

    The window defaults to the span of the rota. Exit code 0 when every requirement is
    met, 1 when there are gaps, 2 for bad input.
    """
    from standby.files import check_writable, write_text_atomic
    from standby.reports.coverage import render, text_renderables
    from standby.rota.api import check_files

    if out is not None:
        check_writable(out, force=force)
    checked = check_files(
        rota_file,
        requirements_file,
        start_text,
        end_text,
        timezone=timezone,
        region=region,
        not_work=not_work,
        handover=handover,
        shift_length=shift_length,
    )
    for warning in checked.warnings:
        click.secho(f"Warning: {warning}", fg="yellow", err=True)
    report = checked.report
    if output_format == "text":
        console = _console(record=out is not None, width=120 if out else None)
        for item in text_renderables(report):
            console.print(item)
        if out is not None:
            write_text_atomic(out, console.export_text(), force=force)
    elif out is None:
        click.echo(render(report, output_format), nl=False)
    else:
        write_text_atomic(out, render(report, output_format), force=force)
    if out is not None:
        gaps = sum(len(role.gaps) for role in report.roles)
        click.echo(f"wrote {out}: {len(report.roles)} requirements, {gaps} gaps")
    if not checked.all_met:
        raise SystemExit(1)


@rota_group.command("who")
@click.argument(
    "rota_file", metavar="ROTA", type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option("--role", required=True, help="The role, as named in the rota.")
@click.option("--at", "at_text", required=True, metavar="WHEN", help=f"The instant: {_WHEN_HELP}.")
@_reading_options
def rota_who(
    rota_file: Path,
    role: str,
    at_text: str,
    timezone: str,
    handover: str | None,
    shift_length: str | None,
) -> None:
    """Print who is on call for --role at --at, in escalation order (exit 1 if nobody)."""
    from standby.reports.terminal import nobody_on_call, on_call_table
    from standby.rota.api import who_is_on_call

    found = who_is_on_call(
        rota_file, role, at_text, timezone=timezone, handover=handover, shift_length=shift_length
    )
    if not found.entries:
        click.echo(nobody_on_call(found))
        raise SystemExit(1)
    _console().print(on_call_table(found))


@rota_group.command("export")
@click.argument(
    "rota_file", metavar="ROTA", type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["ics", "csv", "json"]),
    required=True,
    help="ics for calendars, csv for payroll and spreadsheets, json for other tools.",
)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Write to FILE.")
@click.option("--force", is_flag=True, help="Replace --out if it exists.")
@_reading_options
def rota_export(
    rota_file: Path,
    output_format: str,
    out: Path | None,
    force: bool,
    timezone: str,
    handover: str | None,
    shift_length: str | None,
) -> None:
    """Write ROTA as ICS, CSV or JSON (to stdout, or atomically to --out)."""
    from standby.files import check_writable, write_bytes_atomic
    from standby.rota.api import export_file

    if out is not None:
        check_writable(out, force=force)
    exported = export_file(
        rota_file, output_format, timezone=timezone, handover=handover, shift_length=shift_length
    )
    if out is None:
        click.echo(exported.data, nl=False)
    else:
        write_bytes_atomic(out, exported.data, force=force)
        click.echo(f"wrote {out}: {len(exported.rota.shifts)} shifts")


# --- simulate -------------------------------------------------------------------------------


def _executor_options(command: Any) -> Any:
    """--workers, --scheduler and --quiet, shared by simulate and sweep."""
    options = [
        click.option(
            "--workers",
            type=click.IntRange(min=1),
            help="Worker processes (default: one per CPU; 1 runs everything in this process).",
        ),
        click.option(
            "--scheduler",
            metavar="ADDR|local",
            help="Run on a Dask cluster: its scheduler (tcp://host:8786), or 'local' to start "
            "one on this machine. Needs the dask extra: pip install 'standby[dask]'.",
        ),
        click.option("--quiet", is_flag=True, help="No progress bar."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


@cli.command()
@click.argument("scenario_name", metavar="SCENARIO")
@click.option(
    "--rota",
    "rota_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Rota file (CSV, XLSX, YAML, ICS, JSON). Without it every role is assumed "
    "filled by its agency's own on-call arrangement.",
)
@click.option(
    "--requirements",
    "requirements_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Requirements YAML: when each rota role must be covered, so that a role the rota "
    "leaves empty out of its hours is told apart from a gap. Default: the rota's own.",
)
@click.option(
    "--start",
    "start_text",
    help="Start instant: local '2026-11-12 02:10' or ISO "
    "with offset. Default: the scenario's start.",
)
@click.option("--seed", default=1, show_default=True, type=int, help="Random seed.")
@click.option(
    "--runs",
    default=1,
    show_default=True,
    type=click.IntRange(min=1),
    help="Replications; run i uses child i spawned from --seed.",
)
@_executor_options
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for summary.json, runs.csv (one row per run), the charts, the maps and "
    "report.html.",
)
@click.option(
    "--events",
    is_flag=True,
    help="Keep every event of every run: events.jsonl in --out, and in --json.",
)
@click.option(
    "--timeline",
    "timeline_run",
    type=click.IntRange(min=0),
    metavar="N",
    help="Print the timeline of run N (shown anyway for a single run).",
)
@click.option(
    "--sensitivity",
    is_flag=True,
    help="Vary each assumption by --factor and 1/--factor, one at a time, with the same "
    "random numbers; tornado chart in --out.",
)
@click.option(
    "--factor",
    default=1.25,
    show_default=True,
    type=click.FloatRange(min=1.0, min_open=True),
    help="How much --sensitivity scales each assumption.",
)
@click.option(
    "--json",
    "json_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write each run's milestones, alerts, unfilled roles and KPIs as JSON to this file "
    "(the event log too with --events).",
)
@click.option("--fail-on-miss", is_flag=True, help="Exit with code 1 when a target is missed.")
@click.option("--force", is_flag=True, help="Replace output files that already exist.")
def simulate(
    scenario_name: str,
    rota_path: Path | None,
    requirements_file: Path | None,
    start_text: str | None,
    seed: int,
    runs: int,
    workers: int | None,
    scheduler: str | None,
    quiet: bool,
    out_dir: Path | None,
    events: bool,
    timeline_run: int | None,
    sensitivity: bool,
    factor: float,
    json_path: Path | None,
    fail_on_miss: bool,
    force: bool,
) -> None:
    """Simulate the response to SCENARIO: who is called, who arrives, which targets are met.

    Many runs (--runs) print the summary: per target the chance it is met with a 95 %
    interval, when it ends, and what drove the misses; the roles short; the key figures.
    """
    import contextlib

    from standby.simulator.executors import executor_for, warm_up

    executor = executor_for(workers, scheduler, runs=runs)
    warm_up(executor)  # the fork server imports the simulator while this process starts

    from standby.files import atomic_output, check_writable
    from standby.reports.runs import EVENTS_FILE, MapsAhead, folder_files, write_folder
    from standby.reports.terminal import progress_bar, summary_renderables, timeline_renderables
    from standby.simulator.experiment import Outputs, replicate_files

    if timeline_run is not None and timeline_run >= runs:
        raise click.BadParameter(
            f"run {timeline_run} is not one of the {runs} runs (0 to {runs - 1})",
            param_hint="--timeline",
        )
    timeline = 0 if runs == 1 and timeline_run is None else timeline_run
    outputs: list[Path] = [json_path] if json_path else []
    if out_dir:
        names = folder_files(events=events, sensitivity=sensitivity, timeline=timeline is not None)
        outputs += [out_dir / name for name in names]
    for target in outputs:
        check_writable(target, force=force)
    with contextlib.ExitStack() as files:
        streams = Outputs(
            json=files.enter_context(atomic_output(json_path, force=force)) if json_path else None,
            runs_csv=(
                files.enter_context(atomic_output(out_dir / "runs.csv", force=force))
                if out_dir
                else None
            ),
            events=(
                files.enter_context(atomic_output(out_dir / EVENTS_FILE, force=force))
                if out_dir and events
                else None
            ),
        )
        maps: list[MapsAhead] = []

        def draw_maps(scenario: Any) -> None:
            if out_dir is not None:
                maps.append(MapsAhead(scenario, out_dir))

        with progress_bar(runs, quiet=quiet) as progress:
            experiment = replicate_files(
                scenario_name,
                rota_path,
                requirements_file=requirements_file,
                start_text=start_text,
                seed=seed,
                runs=runs,
                executor=executor,
                outputs=streams,
                events=events,
                timeline=timeline,
                progress=progress,
                warn=_warn,
                notify=_warn,
                loaded=draw_maps,
            )
    study = None
    if sensitivity:
        study = _sensitivity(
            experiment,
            rota_path,
            requirements_file,
            start_text,
            seed,
            runs,
            factor,
            workers,
            scheduler,
            quiet,
        )
    if out_dir is not None:
        ahead = maps[0] if maps else None
        write_folder(experiment, out_dir, force=force, sensitivity=study, maps_ahead=ahead)
    console = _console()
    for item in summary_renderables(experiment, rota_path):
        console.print(item)
    if study is not None:
        from standby.reports.terminal import sensitivity_table

        console.print(sensitivity_table(study))
    if experiment.timeline is not None:
        for item in timeline_renderables(experiment.timeline):
            console.print(item)
    if json_path is not None:
        console.print(f"Wrote {json_path}")
    if out_dir is not None:
        console.print(f"Wrote {out_dir}/: summary.json, runs.csv, report.html and the charts")
    if fail_on_miss and experiment.targets_missed:
        raise SystemExit(1)


def _warn(message: str) -> None:
    """A warning before the run, on stderr so that piped output stays clean."""
    click.echo(f"Warning: {message}", err=True)


def _sensitivity(
    experiment: Any,
    rota_path: Path | None,
    requirements_file: Path | None,
    start_text: str | None,
    seed: int,
    runs: int,
    factor: float,
    workers: int | None,
    scheduler: str | None,
    quiet: bool,
) -> Any:
    """The sensitivity study of ``simulate --sensitivity``, with its own progress bar."""
    from standby.reports.terminal import progress_bar
    from standby.simulator.executors import executor_for
    from standby.simulator.experiment import Inputs, parse_start
    from standby.simulator.sensitivity import ASSUMPTIONS, study

    inputs = Inputs.around(experiment.scenario, rota_path, requirements_file)
    scenario, rota, requirements = inputs.scenario, inputs.rota, inputs.requirements
    total = runs * (1 + 2 * len(ASSUMPTIONS))
    with progress_bar(total, "Sensitivity", quiet=quiet) as progress:
        return study(
            scenario,
            rota,
            rota_name=rota_path.name if rota_path else None,
            requirements=requirements,
            start=parse_start(start_text, scenario.timezone),
            seed=seed,
            runs=runs,
            factor=factor,
            executor=executor_for(workers, scheduler, runs=total),
            progress=progress,
            notify=_warn,
        )


# --- sweep ----------------------------------------------------------------------------------


@cli.command()
@click.argument("scenario_name", metavar="SCENARIO")
@click.option(
    "--rota",
    "rota_path",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Rota file (CSV, XLSX, YAML, ICS, JSON).",
)
@click.option(
    "--requirements",
    "requirements_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Requirements YAML: when each rota role must be covered (as for simulate). "
    "Default: the rota's own.",
)
@click.option(
    "--from",
    "start_text",
    metavar="WHEN",
    help=f"First slot: {_WHEN_HELP}. Default: the rota's start.",
)
@click.option(
    "--to",
    "end_text",
    metavar="WHEN",
    help=f"End of the window: {_WHEN_HELP}. Default: the rota's end.",
)
@click.option(
    "--every",
    default="1h",
    show_default=True,
    metavar="LENGTH",
    help="Time between slots (elapsed, stepped in UTC): 1h, 30m, 1d.",
)
@click.option(
    "--runs-per-slot",
    default=1,
    show_default=True,
    type=click.IntRange(min=1),
    help="Runs at each slot; run j of every slot uses the same seed.",
)
@click.option("--seed", default=1, show_default=True, type=int, help="Random seed.")
@click.option(
    "--spof-samples",
    default=50,
    show_default=True,
    type=click.IntRange(min=0),
    help="Single points of failure: slots run again without each person (0: skip).",
)
@_executor_options
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for sweep.csv, sweep.json, calendar.png, week.png and sweep.html; finished "
    "slots are kept there while the sweep runs.",
)
@click.option(
    "--resume", is_flag=True, help="Carry on an interrupted sweep from the slots kept in --out."
)
@click.option(
    "--force", is_flag=True, help="Replace outputs (and start an unfinished sweep again)."
)
def sweep(
    scenario_name: str,
    rota_path: Path,
    requirements_file: Path | None,
    start_text: str | None,
    end_text: str | None,
    every: str,
    runs_per_slot: int,
    seed: int,
    spof_samples: int,
    workers: int | None,
    scheduler: str | None,
    quiet: bool,
    out_dir: Path | None,
    resume: bool,
    force: bool,
) -> None:
    """Start SCENARIO at every step of a window against ROTA: when is the response least ready?

    Prints the worst slots with the reason in words and the single points of failure; --out
    writes them with a calendar heatmap, a week heatmap and an HTML page. Ctrl-C keeps the
    finished slots; --resume carries on and gives the result of an uninterrupted sweep.
    """
    from standby.simulator.executors import executor_for, warm_up

    executor = executor_for(workers, scheduler)
    warm_up(executor)  # the fork server imports the simulator while this process starts

    from standby.files import check_writable
    from standby.reports.sweep import FOLDER_FILES, JOURNAL, sweep_renderables, write_folder
    from standby.reports.terminal import progress_bar
    from standby.simulator.sweep import sweep_files

    journal = None
    if out_dir is not None:
        for name in FOLDER_FILES:
            check_writable(out_dir / name, force=force)
        journal = out_dir / JOURNAL
        if force and not resume:
            journal.unlink(missing_ok=True)
    elif resume:
        raise click.BadParameter("--resume carries on from the slots kept in --out; give --out")
    try:
        with progress_bar(1_000_000, "Sweeping", quiet=quiet) as progress:
            result = sweep_files(
                scenario_name,
                rota_path,
                requirements_file=requirements_file,
                start_text=start_text,
                end_text=end_text,
                every_text=every,
                runs_per_slot=runs_per_slot,
                seed=seed,
                spof_samples=spof_samples,
                executor=executor,
                journal=journal,
                resume=resume,
                progress=progress,
                total=progress.set_total if progress else None,
                notify=_warn,
            )
    except KeyboardInterrupt:
        kept = (
            f"; the finished slots are kept in {journal}: run the same command with "
            "--resume to carry on"
            if journal
            else ""
        )
        click.secho(f"Stopped (Ctrl-C){kept}.", fg="yellow", err=True)
        raise SystemExit(130) from None
    if out_dir is not None:
        write_folder(result, out_dir, force=force)
        if journal is not None:
            journal.unlink(missing_ok=True)
    console = _console()
    for item in sweep_renderables(result):
        console.print(item)
    if out_dir is not None:
        console.print(f"Wrote {out_dir}/: {', '.join(FOLDER_FILES)}")


# --- demo -----------------------------------------------------------------------------------


@cli.command()
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("out"),
    show_default=True,
    help="Folder for the demo's files.",
)
@click.option("--force", is_flag=True, help="Replace files left by an earlier demo.")
@click.option(
    "--runs",
    default=500,
    show_default=True,
    type=click.IntRange(1, 100_000),
    help="Simulated runs.",
)
def demo(out_dir: Path, force: bool, runs: int) -> None:
    """Run Standby on its bundled data and write the results under --out."""
    from standby.reports.demo import DemoSettings, run_demo, summary_table

    steps = run_demo(DemoSettings(out_dir, force=force, runs=runs))
    _console().print(summary_table(steps, out_dir))


# --- exercise -------------------------------------------------------------------------------


@cli.group()
def exercise() -> None:
    """Run a tabletop exercise: the live console and its log."""


@exercise.command("serve")
@click.argument("scenario_name", metavar="SCENARIO")
@click.option(
    "--rota",
    "rota_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Rota file for the model's expectation (as for simulate).",
)
@click.option(
    "--db",
    metavar="FILE|URL",
    help="Where the log is kept: a SQLite file (default: SCENARIO-log.db here) or "
    "postgresql://user:password@host/database.",
)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on. Anything but this computer (e.g. 0.0.0.0) needs the "
    "access code printed at start.",
)
@click.option("--port", default=8765, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--runs",
    default=200,
    show_default=True,
    type=click.IntRange(1, 10_000),
    help="Simulated runs for the model's expectation beside each objective.",
)
def exercise_serve(
    scenario_name: str,
    rota_path: Path | None,
    db: str | None,
    host: str,
    port: int,
    runs: int,
) -> None:
    """Serve the exercise console: control, room and log views in the browser.

    Every entry is saved in the log as it is made; stop with Ctrl+C (or lose the laptop's
    power) and start again with the same --db to carry on where the exercise was.
    """
    from standby.reports.console.serve import ConsoleSettings, run_console

    settings = ConsoleSettings(scenario_name, rota_path, db, host, port, runs)
    run_console(settings, say=click.echo)


@exercise.group("log")
def exercise_log() -> None:
    """Export the exercise log for the debrief, or import one typed up from paper."""


@exercise_log.command("export")
@click.argument("db", metavar="DB")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["csv", "json", "xlsx"]),
    required=True,
    help="json for the debrief and other tools, csv or xlsx for spreadsheets.",
)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.option("--force", is_flag=True, help="Replace --out if it exists.")
def exercise_log_export(db: str, output_format: str, out: Path, force: bool) -> None:
    """Write the log in DB (SQLite file or postgresql:// URL) as CSV, JSON or XLSX."""
    from standby.reports.exercise_log_io import export_log

    log = export_log(db, output_format, out, force=force)
    click.echo(f"wrote {out}: {len(log)} entries")


@exercise_log.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--db", required=True, metavar="FILE|URL", help="The log to add to (made if new).")
@click.option(
    "--scenario",
    "scenario_name",
    metavar="SCENARIO",
    help="Check the rows against this scenario (default: the one the log belongs to).",
)
def exercise_log_import(file: Path, db: str, scenario_name: str | None) -> None:
    """Add a log typed up from paper (CSV or XLSX) to DB, every row checked first.

    Rows already imported are skipped, so importing the same file twice adds nothing.
    """
    from standby.reports.exercise_log_io import import_log

    summary = import_log(file, db, scenario_name)
    for warning in summary.warnings:
        click.secho(f"Warning: {warning}", fg="yellow", err=True)
    skipped = f"; {summary.skipped} already there" if summary.skipped else ""
    click.echo(f"{summary.database}: added {summary.added} entries{skipped}")


@exercise_log.command("schema")
def exercise_log_schema() -> None:
    """Print the JSON Schema of an exported log (docs/exercise-log.schema.json)."""
    import json

    from standby.reports.exercise_log import log_schema

    click.echo(json.dumps(log_schema(), indent=2))


def main() -> None:
    """Console-script entry point (``standby``)."""
    cli(prog_name="standby")


if __name__ == "__main__":  # pragma: no cover
    main()
