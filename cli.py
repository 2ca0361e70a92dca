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


class StandbyGroup(click.Group):
    """A click group that turns :class:`StandbyError` into a message and exit code 2."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except StandbyError as error:
            click.secho(f"Error: {error.message}", fg="red", err=True)
            ctx.exit(error.exit_code)


@click.group(cls=StandbyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="standby")
def cli() -> None:
    """Standby: on-call rota checks, COMAH incident simulation and exercise reports."""


def _console() -> Any:
    from rich.console import Console

    return Console(highlight=False)


# --- scenarios ------------------------------------------------------------------------------


@cli.group()
def scenario() -> None:
    """List, show, validate and describe scenario files."""


@scenario.command("list")
def scenario_list() -> None:
    """List the bundled scenarios."""
    from rich.table import Table

    from standby.scenarios import bundled_names, load_scenario

    table = Table(title="Bundled scenarios")
    table.add_column("name", no_wrap=True)
    table.add_column("title")
    table.add_column("site")
    table.add_column("start (local)")
    for name in bundled_names():
        item = load_scenario(name)
        table.add_row(name, item.title, item.site.name, item.start)
    _console().print(table)


@scenario.command("show")
@click.argument("name")
def scenario_show(name: str) -> None:
    """Print a scenario file (bundled NAME or a path), to copy and adapt."""
    from standby.scenarios import load_scenario
    from standby.scenarios.load import resolve

    load_scenario(name)
    click.echo(resolve(name).read_text(encoding="utf-8"), nl=False)


@scenario.command("validate")
@click.argument("files", nargs=-1, required=True)
def scenario_validate(files: tuple[str, ...]) -> None:
    """Check scenario FILES; print every problem with file, line and location.

    Exit code 0 when every file is valid, 2 when any is not.
    """
    from standby.scenarios import ScenarioError, load_scenario

    failed = 0
    for name in files:
        try:
            item = load_scenario(name)
        except ScenarioError as error:
            failed += 1
            click.secho(f"Error: {error.message}", fg="red", err=True)
            continue
        counts = (
            f"{len(item.agencies)} agencies, {len(item.roles)} roles, "
            f"{len(item.plan.tasks)} tasks, {len(item.injects)} injects"
        )
        click.echo(f"{name}: valid ({counts})")
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
            "--timezone", default="Europe/London", show_default=True, help="Zone of local times."
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
    type=click.Choice(["england-and-wales", "scotland", "northern-ireland"]),
    default="england-and-wales",
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
    from standby.rota.api import check_files, report_text
    from standby.rota.report_html import text_renderables

    if out is not None:
        check_writable(out, force=force)
    rota, report = check_files(
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
    for warning in rota.warnings:
        click.secho(f"Warning: {warning}", fg="yellow", err=True)
    text = None if output_format == "text" else report_text(report, output_format)
    if text is None:
        from rich.console import Console

        console = Console(highlight=False, record=out is not None, width=120 if out else None)
        for item in text_renderables(report):
            console.print(item)
        if out is not None:
            write_text_atomic(out, console.export_text(), force=force)
    elif out is None:
        click.echo(text, nl=False)
    else:
        write_text_atomic(out, text, force=force)
    if out is not None:
        gaps = sum(len(role.gaps) for role in report.roles)
        click.echo(f"wrote {out}: {len(report.roles)} requirements, {gaps} gaps")
    if not report.all_met:
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
    from rich.table import Table

    from standby.clock import iso_z, to_local
    from standby.rota.api import who_is_on_call

    rota, at, entries = who_is_on_call(
        rota_file, role, at_text, timezone=timezone, handover=handover, shift_length=shift_length
    )
    local = to_local(at, rota.timezone).strftime("%Y-%m-%d %H:%M %Z")
    if not entries:
        click.echo(f"Nobody is on call for {role} at {local} ({iso_z(at)}).")
        raise SystemExit(1)
    table = Table(title=f"{role} on call at {local}")
    for column in ("level", "name", "phone", "until"):
        table.add_column(column, no_wrap=column != "name")
    for entry in entries:
        until = to_local(entry.shift_end, rota.timezone).strftime("%Y-%m-%d %H:%M %Z")
        table.add_row(str(entry.level), entry.name, entry.phone or "-", until)
    _console().print(table)


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
    from standby.rota.io import read_rota, rota_to_csv, rota_to_ics, rota_to_json

    if out is not None:
        check_writable(out, force=force)
    rota = read_rota(rota_file, timezone=timezone, handover=handover, shift_length=shift_length)
    if output_format == "ics":
        data = rota_to_ics(rota)
    elif output_format == "csv":
        data = rota_to_csv(rota).encode("utf-8")
    else:
        data = rota_to_json(rota).encode("utf-8")
    if out is None:
        click.echo(data, nl=False)
    else:
        write_bytes_atomic(out, data, force=force)
        click.echo(f"wrote {out}: {len(rota.shifts)} shifts")


# --- simulate -------------------------------------------------------------------------------


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
@click.option(
    "--json",
    "json_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the result(s) as JSON to this file.",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for simulation.json, timeline.txt, plume-map.png and chemet-map.png.",
)
@click.option("--fail-on-miss", is_flag=True, help="Exit with code 1 when a target is missed.")
@click.option("--force", is_flag=True, help="Replace output files that already exist.")
def simulate(
    scenario_name: str,
    rota_path: Path | None,
    start_text: str | None,
    seed: int,
    runs: int,
    json_path: Path | None,
    out_dir: Path | None,
    fail_on_miss: bool,
    force: bool,
) -> None:
    """Simulate the response to SCENARIO: who is called, who arrives, which targets are met."""
    from rich.progress import Progress

    from standby.clock import parse_instant
    from standby.files import check_writable, write_text_atomic
    from standby.scenarios import load_scenario
    from standby.simulator.model import prepare
    from standby.simulator.model import simulate as run_simulation
    from standby.simulator.results import dumps, timeline_text

    outputs = [json_path] if json_path else []
    maps = ("plume-map.png", "chemet-map.png")
    if out_dir:
        outputs += [out_dir / name for name in ("simulation.json", "timeline.txt", *maps)]
    for target in outputs:
        check_writable(target, force=force)
    scenario = load_scenario(scenario_name)
    rota = None
    if rota_path is not None:
        from standby.rota.io import read_rota

        rota = read_rota(rota_path, timezone=scenario.timezone)
    start = parse_instant(start_text, scenario.timezone) if start_text else None
    prepared = prepare(scenario, rota, rota_name=rota_path.name if rota_path else None)
    if runs > 1:
        with Progress(transient=True) as progress:
            bar = progress.add_task("Simulating", total=runs)
            results = run_simulation(
                prepared, start, seed, runs, progress=lambda n: progress.update(bar, completed=n)
            )
    else:
        results = run_simulation(prepared, start, seed)
    first = results[0]
    console = _console()
    from standby.reports.terminal import simulation_renderables

    for item in simulation_renderables(scenario.title, results, seed, rota_path):
        console.print(item)
    if runs > 1:
        data: object = {
            "scenario": first.scenario,
            "start": first.start,
            "seed": seed,
            "runs": [r.to_json_dict() for r in results],
        }
    else:
        data = first.to_json_dict()
    if json_path is not None:
        write_text_atomic(json_path, dumps(data), force=force)
        console.print(f"Wrote {json_path}")
    if out_dir is not None:
        write_text_atomic(out_dir / "simulation.json", dumps(data), force=force)
        write_text_atomic(out_dir / "timeline.txt", timeline_text(first), force=force)
        from standby.reports.charts import hazard_maps as draw_hazard_maps
        from standby.simulator.maps import hazard_maps

        draw_hazard_maps(hazard_maps(scenario), out_dir)
        console.print(f"Wrote {out_dir}/simulation.json, timeline.txt, {maps[0]} and {maps[1]}")
    if fail_on_miss and any(r.targets_missed for r in results):
        raise SystemExit(1)


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
    from rich.table import Table

    from standby.reports.demo import DemoSettings, run_demo

    steps = run_demo(DemoSettings(out_dir, force=force, runs=runs))
    table = Table(title=f"Standby demo: files in {out_dir}/")
    table.add_column("step", no_wrap=True)
    table.add_column("result")
    table.add_column("files")
    for step in steps:
        table.add_row(step.title, step.summary, "\n".join(p.name for p in step.files))
    _console().print(table)


def main() -> None:
    """Console-script entry point (``standby``)."""
    cli(prog_name="standby")


if __name__ == "__main__":  # pragma: no cover
    main()
