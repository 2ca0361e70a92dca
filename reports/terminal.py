"""What a person reads in the terminal after `standby simulate`: rich tables and lines."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from standby.simulator.results import RunResult


def simulation_renderables(
    title: str, results: Sequence[RunResult], seed: int, rota_path: Path | None
) -> list[Any]:
    """The timeline and targets of the first run, and a summary over several runs."""
    from rich.table import Table
    from rich.text import Text

    from standby.reports.runs import summarise
    from standby.simulator.results import kpi_lines, local_clock, timeline_rows

    out: list[Any] = []
    first = results[0]
    runs = len(results)
    local_start = local_text(first.start, first.timezone)
    out.append(
        f"[bold]{title}[/bold]\nStart {local_start} ({first.start}), "
        f"seed {seed}" + (f", {runs} runs" if runs > 1 else "")
    )
    out.append(f"Rota: {rota_path}" if rota_path else f"[yellow]Note: {first.notes[0]}[/yellow]")
    timeline = Table(title="Timeline" + (" (run 0)" if runs > 1 else ""))
    for column in ("local", "minute", "who", "what", "detail"):
        timeline.add_column(column)
    for row in timeline_rows(first):
        timeline.add_row(*row)
    out.append(timeline)
    targets = Table(title="Plan targets" + (" (run 0)" if runs > 1 else ""))
    for column in ("task", "target", "done", "result", "reason"):
        targets.add_column(column)
    for m in first.milestones:
        done = (
            "-"
            if m.end_minute is None
            else f"{local_clock(first, m.end_minute)} (+{m.end_minute:.0f})"
        )
        verdict = {True: "[green]met[/green]", False: "[red]missed[/red]", None: ""}[m.met]
        target = "" if m.target_minute is None else f"{m.target_minute:g} min"
        targets.add_row(m.task, target, done, verdict, m.reason)
    out.append(targets)
    for path in first.critical_paths:
        chain = " -> ".join(f"+{step.minute:.0f} {step.what}" for step in path.steps)
        out.append(f"[bold]Why {path.task} missed {path.target_minute:g} min[/bold]: {chain}")
    for role in first.unfilled_roles:
        out.append(
            f"[red]Role unfilled[/red]: {role.role} ({role.rota_role or 'no rota role'}) "
            f"at +{role.minute:.0f} min: {role.reason}"
        )
    lines = kpi_lines(first)
    if lines:
        out.append("[bold]Key figures" + (" (run 0)" if runs > 1 else "") + "[/bold]")
        out += [Text(line) for line in lines]
    if runs > 1:
        summary = Table(title=f"Targets met over {runs} runs")
        summary.add_column("task")
        summary.add_column("met", justify="right")
        for task in summarise(results, seed).tasks:
            if task.met_pct is not None:
                summary.add_row(task.task, f"{task.met}/{runs} ({task.met_pct:.0f} %)")
        out.append(summary)
    return out


def local_text(iso: str, timezone: str) -> str:
    """``2026-11-12 02:10 GMT`` from an ISO UTC text."""
    from datetime import datetime

    from standby.clock import to_local

    local = to_local(datetime.fromisoformat(iso.replace("Z", "+00:00")), timezone)
    return local.strftime("%Y-%m-%d %H:%M %Z")
