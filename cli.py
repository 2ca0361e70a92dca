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

    from scenarios import bundled_names, load_scenario

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
    from scenarios import load_scenario
    from scenarios.load import resolve

    load_scenario(name)
    click.echo(resolve(name).read_text(encoding="utf-8"), nl=False)


@scenario.command("validate")
@click.argument("files", nargs=-1, required=True)
def scenario_validate(files: tuple[str, ...]) -> None:
    """Check scenario FILES; print every problem with file, line and location.

    Exit code 0 when every file is valid, 2 when any is not.
    """
    from scenarios import ScenarioError, load_scenario

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

    from scenarios.model import Scenario

    click.echo(json.dumps(Scenario.model_json_schema(by_alias=True), indent=2))


# --- rota -----------------------------------------------------------------------------------


# --- simulate -------------------------------------------------------------------------------


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
def demo(out_dir: Path, force: bool) -> None:
    """Run Standby on its bundled data and write the results under --out."""
    from rich.table import Table

    from reports.demo import run_demo

    steps = run_demo(out_dir, force=force)
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
