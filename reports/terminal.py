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
    from standby.simulator.experiment import Replications
    from standby.simulator.results import RunResult
    from standby.simulator.sensitivity import SensitivityStudy
    from standby.simulator.summary import HazardSpread


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


class Ticker:
    """A progress bar's callback: call it with the number done; :meth:`set_total` when the
    total is known only once the work is planned."""

    def __init__(self, bar: Any, task: Any) -> None:
        import time

        self._bar = bar
        self._task = task
        self._began = time.monotonic()
        self.shown = False

    def set_total(self, total: int) -> None:
        """The number of items the bar runs to."""
        self._bar.update(self._task, total=total)

    def __call__(self, done: int) -> None:
        import time

        self._bar.update(self._task, completed=done)
        if not self.shown and time.monotonic() - self._began >= 1.0:
            self.shown = True
            self._bar.start()


@contextmanager
def progress_bar(
    total: int, label: str = "Simulating", *, unit: str = "runs", quiet: bool = False
) -> Iterator[Ticker | None]:
    """A transient rich progress bar on stderr with rate and time left, for ``total`` items.

    It appears only once the work has taken a second, and never with ``quiet``, for one
    item, or when stderr is not a terminal (piped, redirected, in a test): then no callback
    (None) is given.
    """
    from rich.console import Console

    console = Console(stderr=True)
    if quiet or total <= 1 or not console.is_terminal:
        yield None
        return
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        ProgressColumn,
        TextColumn,
        TimeRemainingColumn,
    )
    from rich.text import Text

    class Rate(ProgressColumn):
        def render(self, task: Any) -> Text:
            speed = task.finished_speed or task.speed
            return Text("" if speed is None else f"{speed:,.0f} {unit}/s")

    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        Rate(),
        TimeRemainingColumn(),
        console=console,
        transient=True,
    )
    ticker = Ticker(bar, bar.add_task(label, total=total))
    try:
        yield ticker
    finally:
        if ticker.shown:
            bar.stop()


def _bound(percent: float) -> str:
    """An interval's end to a whole percent, or to a tenth near 0 and 100 (99.6, not 100)."""
    if 1.0 <= percent <= 99.0 or percent in (0.0, 100.0):
        return f"{percent:.0f}"
    return f"{percent:.1f}"


def _minutes(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f}"


def _spread(low: float | None, high: float | None) -> str:
    return "-" if low is None or high is None else f"{low:.0f}-{high:.0f}"


def _counted(counted: Sequence[tuple[str, int]], limit: int = 2) -> str:
    return "; ".join(f"{text} ({runs})" for text, runs in counted[:limit])


def summary_renderables(experiment: Replications, rota_path: Path | None) -> list[Any]:
    """What many runs say, first: every target's chance with its interval, when it ends and
    what drove its misses; the roles short and why; the KPIs' spread."""
    from rich.table import Table

    summary = experiment.summary
    first = experiment.first
    local_start = iso_local_text(first.start, first.timezone)
    low, high = summary.all_met_interval_pct
    out: list[Any] = [
        f"[bold]{markup(experiment.scenario.title)}[/bold]\nStart {local_start} ({first.start}), "
        f"seed {experiment.seed}" + (f", {summary.runs} runs" if summary.runs > 1 else ""),
        f"Rota: {markup(str(rota_path))}"
        if rota_path
        else f"[yellow]Note: {markup(first.notes[0])}[/yellow]",
    ]
    if summary.runs == 1:
        return out  # one run is told by its timeline
    out += [
        f"Every target met in {summary.all_targets_met} of {summary.runs} runs "
        f"({summary.all_met_pct:.1f} %, 95 % CI {low:.1f}-{high:.1f} %)"
        + (
            f"; {summary.targets_met_pct:.1f} % of all targets met"
            if summary.targets_met_pct is not None
            else ""
        ),
    ]
    targets = Table(title=f"Plan targets over {summary.runs} runs (minutes after the alarm)")
    for column in ("task", "target", "met (95 % CI)", "median", "10th-90th", "drove most misses"):
        targets.add_column(column, justify="right" if column in ("median", "10th-90th") else "left")
    for task in summary.tasks:
        interval = task.met_interval_pct
        if task.target_minute is None or interval is None or task.met_pct is None:
            continue
        targets.add_row(
            cell(task.task),
            f"{task.target_minute:g} min",
            f"{task.met_pct:.0f} % ({_bound(interval[0])}-{_bound(interval[1])})",
            _minutes(task.median_end),
            _spread(task.p10_end, task.p90_end),
            cell(_counted(task.drivers, limit=1)),
        )
    out.append(targets)
    if summary.roles:
        roles = Table(title="Roles short")
        for column in ("role", "rota role", "short", "why (runs)"):
            roles.add_column(column)
        for role in summary.roles:
            roles.add_row(
                cell(role.role),
                cell(role.rota_role or "-"),
                f"{role.unfilled_pct:.0f} %",
                cell(_counted(role.reasons, limit=1)),
            )
        out.append(roles)
    else:
        out.append("Every role was filled in every run.")
    kpis = Table(title="Key figures")
    for column in ("figure", "happened", "median", "10th-90th"):
        kpis.add_column(column, justify="left" if column == "figure" else "right")
    for kpi in summary.kpis:
        unit = " min" if kpi.unit != "count" else ""
        kpis.add_row(
            kpi.label,
            f"{kpi.happened}/{kpi.runs}" if kpi.unit == "minute" else "",
            "-" if kpi.median is None else f"{kpi.median:.0f}{unit}",
            _spread(kpi.p10, kpi.p90),
        )
    out.append(kpis)
    if summary.hazard is not None:
        out.append(_hazard_table(summary.hazard))
    return out


def _hazard_table(hazard: HazardSpread) -> Table:
    """Each run's own hazard over the runs: people above AEGL-2, the release, the reach."""
    from rich.table import Table

    weather = "each run's own weather" if hazard.weather_varies else "the same weather every run"
    table = Table(title=f"The hazard over the runs ({weather})")
    for column in ("figure", "runs", "median", "10th-90th"):
        table.add_column(column, justify="left" if column == "figure" else "right")
    rows = (
        *hazard.people_above_aegl2,
        hazard.release_minutes,
        hazard.aegl2_reach_m,
        hazard.slot_distance_m,
        hazard.slod_distance_m,
    )
    for row in rows:
        if row.runs:
            median = "-" if row.median is None else f"{row.median:.0f}"
            table.add_row(row.label, str(row.runs), median, _spread(row.p10, row.p90))
    return table


def timeline_renderables(run: RunResult) -> list[Any]:
    """One run told in full: its timeline, its plan targets, why targets were missed."""
    from rich.table import Table
    from rich.text import Text

    from standby.simulator.results import kpi_lines, local_clock, timeline_rows, whole_minute

    label = "" if run.replication is None else f" (run {run.replication})"
    out: list[Any] = []
    timeline = Table(title="Timeline" + label)
    for column in ("local", "minute", "who", "what", "detail"):
        timeline.add_column(column)
    for row in timeline_rows(run):
        timeline.add_row(*(cell(value) for value in row))
    out.append(timeline)
    targets = Table(title="Plan targets" + label)
    for column in ("task", "target", "done", "result", "reason"):
        targets.add_column(column)
    for m in run.milestones:
        done = (
            "-"
            if m.end_minute is None
            else f"{local_clock(run, m.end_minute)} (+{whole_minute(m.end_minute)})"
        )
        verdict = {True: "[green]met[/green]", False: "[red]missed[/red]", None: ""}[m.met]
        target = "" if m.target_minute is None else f"{m.target_minute:g} min"
        targets.add_row(cell(m.task), target, done, verdict, cell(m.reason))
    out.append(targets)
    for path in run.critical_paths:
        chain = " -> ".join(f"+{whole_minute(step.minute)} {step.what}" for step in path.steps)
        missed = markup(path.task)
        out.append(f"[bold]Why {missed} missed {path.target_minute:g} min[/bold]: {markup(chain)}")
    for role in run.unfilled_roles:
        out.append(
            f"[red]Role unfilled[/red]: {markup(role.role)} "
            f"({markup(role.rota_role or 'no rota role')}) "
            f"at +{whole_minute(role.minute)} min: {markup(role.reason)}"
        )
    lines = kpi_lines(run)
    if lines:
        out.append("[bold]Key figures" + label + "[/bold]")
        out += [Text(line) for line in lines]
    return out


def sensitivity_table(study: SensitivityStudy) -> Table:
    """Each assumption's effect, the one that matters most first (percentage points)."""
    from rich.table import Table

    base = study.base
    table = Table(
        title=f"Which assumption matters: each x{1 / study.factor:.2g} and x{study.factor:g}, "
        f"{study.runs} runs each, same random numbers (base: all targets met in "
        f"{base.all_met_pct:.1f} % of runs, {base.targets_met_pct:.1f} % of targets met)"
    )
    for column in ("assumption", "all met: down", "up", "targets met: down", "up"):
        table.add_column(column, justify="left" if column == "assumption" else "right")
    for item in study.ranked():
        cells = []
        for measure in ("all_met", "targets_met"):
            for direction in ("down", "up"):
                change = item.changes[(measure, direction)]
                cells.append(f"{change.points:+.1f} ±{change.half_width:.1f}")
        table.add_row(item.label, *cells)
    return table


def iso_local_text(iso: str, timezone: str) -> str:
    """``2026-11-12 02:10 GMT`` from an ISO UTC text such as a result's ``start``."""
    return local_text(datetime.fromisoformat(iso.replace("Z", "+00:00")), timezone)
