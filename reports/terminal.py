"""What a person reads in the terminal: the rich tables and lines the commands print.

Each function reads a result (a scenario list, an on-call answer, simulated runs) and
returns rich renderables; ``cli.py`` prints them. Text from a file (names, phones, titles,
reasons) goes through ``reports.plain``, so it is printed literally and never read as rich
markup or a terminal control sequence. ``rich`` is imported inside the functions so that
importing this module stays cheap.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from standby.clock import iso_z
from standby.reports.plain import cell, cell_text, markup, printable
from standby.reports.render import local_text, short_local_text

if TYPE_CHECKING:
    from rich.table import Table

    from standby.rota.api import ContactSheet, OnCallAt
    from standby.scenarios.model import Scenario
    from standby.simulator.experiment import Progress, Replications


def scenario_table(scenarios: Sequence[tuple[str, Scenario]]) -> Table:
    """The bundled scenarios by name: title, site and default start."""
    from rich.table import Table

    table = Table(title="Bundled scenarios")
    table.add_column("name", no_wrap=True)
    table.add_column("title")
    table.add_column("site")
    table.add_column("start (local)")
    for name, item in scenarios:
        table.add_row(cell(name), cell(item.title), cell(item.site.name), cell(item.start))
    return table


def valid_scenario(name: str, scenario: Scenario) -> str:
    """``NAME: valid (6 agencies, 9 roles, 15 tasks, 4 injects)`` for `scenario validate`."""
    counts = (
        f"{len(scenario.agencies)} agencies, {len(scenario.roles)} roles, "
        f"{len(scenario.plan.tasks)} tasks, {len(scenario.injects)} injects"
    )
    return f"{name}: valid ({counts})"


def nobody_on_call(found: OnCallAt) -> str:
    """The line printed when nobody covers the role at the instant asked about."""
    local = local_text(found.at, found.rota.timezone)
    return f"Nobody is on call for {printable(found.role)} at {local} ({iso_z(found.at)})."


def on_call_table(found: OnCallAt) -> Table:
    """Who is on call, in escalation order, with their phone and the end of their shift."""
    from rich.table import Table
    from rich.text import Text

    timezone = found.rota.timezone
    title = f"{cell_text(found.role)} on call at {local_text(found.at, timezone)}"
    table = Table(title=Text(title), min_width=len(title))
    for column in ("level", "name", "phone", "until"):
        # names and phones come from the file: they wrap (folding long words), the rest not
        from_file = column in ("name", "phone")
        table.add_column(
            column, no_wrap=not from_file, overflow="fold" if from_file else "ellipsis"
        )
    for entry in found.entries:
        until = short_local_text(entry.shift_end, timezone)
        table.add_row(str(entry.level), cell(entry.name), cell(entry.phone or "-"), until)
    return table


def contact_sheet_table(sheet: ContactSheet) -> Table:
    """Every role at one instant: who is on call in escalation order, or nobody (in red)."""
    from rich.table import Table
    from rich.text import Text

    timezone = sheet.rota.timezone
    table = Table(title=f"On call at {local_text(sheet.at, timezone)}")
    for column in ("role", "level", "name", "phone", "until"):
        table.add_column(column, no_wrap=column in ("level", "phone", "until"))
    for found in sheet.roles:
        if not found.entries:
            nobody = Text("nobody on call", style="bold red")
            table.add_row(cell(found.role), "-", nobody, "-", "-")
        for number, entry in enumerate(found.entries):
            until = short_local_text(entry.shift_end, timezone)
            role = cell(found.role if number == 0 else "")
            table.add_row(role, str(entry.level), cell(entry.name), cell(entry.phone or "-"), until)
    return table


@contextmanager
def progress_bar(total: int, label: str = "Simulating") -> Iterator[Progress | None]:
    """A transient rich progress bar for ``total`` runs; no bar (None) for a single run, or
    when the output is not a terminal (a file, a pipe, a test), which would get a blank line."""
    from rich.console import Console

    console = Console()
    if total <= 1 or not console.is_terminal:
        yield None
        return
    from rich.progress import Progress as Bar

    with Bar(transient=True, console=console) as bar:
        task = bar.add_task(label, total=total)
        yield lambda done: bar.update(task, completed=done)


def simulation_renderables(experiment: Replications, rota_path: Path | None) -> list[Any]:
    """The timeline and targets of the first run, and a summary over several runs."""
    from rich.table import Table
    from rich.text import Text

    from standby.simulator.results import kpi_lines, local_clock, timeline_rows, whole_minute

    out: list[Any] = []
    first = experiment.first
    runs = experiment.count
    local_start = iso_local_text(first.start, first.timezone)
    out.append(
        f"[bold]{markup(experiment.scenario.title)}[/bold]\nStart {local_start} ({first.start}), "
        f"seed {experiment.seed}" + (f", {runs} runs" if runs > 1 else "")
    )
    out.append(
        f"Rota: {markup(rota_path)}"
        if rota_path
        else f"[yellow]Note: {markup(first.notes[0])}[/yellow]"
    )
    timeline = Table(title="Timeline" + (" (run 0)" if runs > 1 else ""))
    for column in ("local", "minute", "who", "what", "detail"):
        timeline.add_column(column)
    for row in timeline_rows(first):
        timeline.add_row(*(cell(value) for value in row))
    out.append(timeline)
    targets = Table(title="Plan targets" + (" (run 0)" if runs > 1 else ""))
    for column in ("task", "target", "done", "result", "reason"):
        targets.add_column(column)
    for m in first.milestones:
        done = (
            "-"
            if m.end_minute is None
            else f"{local_clock(first, m.end_minute)} (+{whole_minute(m.end_minute)})"
        )
        verdict = {True: "[green]met[/green]", False: "[red]missed[/red]", None: ""}[m.met]
        target = "" if m.target_minute is None else f"{m.target_minute:g} min"
        targets.add_row(cell(m.task), target, done, verdict, cell(m.reason))
    out.append(targets)
    for path in first.critical_paths:
        chain = " -> ".join(
            f"+{whole_minute(step.minute)} {markup(step.what)}" for step in path.steps
        )
        missed = markup(path.task)
        out.append(f"[bold]Why {missed} missed {path.target_minute:g} min[/bold]: {chain}")
    for role in first.unfilled_roles:
        out.append(
            f"[red]Role unfilled[/red]: {markup(role.role)} "
            f"({markup(role.rota_role or 'no rota role')}) "
            f"at +{whole_minute(role.minute)} min: {markup(role.reason)}"
        )
    lines = kpi_lines(first)
    if lines:
        out.append("[bold]Key figures" + (" (run 0)" if runs > 1 else "") + "[/bold]")
        out += [Text(printable(line)) for line in lines]
    if runs > 1:
        summary = Table(title=f"Targets met over {runs} runs")
        summary.add_column("task")
        summary.add_column("met", justify="right")
        for task in experiment.summary().tasks:
            if task.met_pct is not None:
                summary.add_row(cell(task.task), f"{task.met}/{runs} ({task.met_pct:.0f} %)")
        out.append(summary)
    return out


def iso_local_text(iso: str, timezone: str) -> str:
    """``2026-11-12 02:10 GMT`` from an ISO UTC text such as a result's ``start``."""
    return local_text(datetime.fromisoformat(iso.replace("Z", "+00:00")), timezone)
