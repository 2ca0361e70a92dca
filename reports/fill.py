"""A gap-fill proposal for people: who covers what and why, what is left and why, fairness.

Reads a :class:`~rota.fill.FillProposal` and never runs the model. The text leads with the
verdict and the solver's status, then the proposed cover (when, role, who, level, why
them), what is left open with its reason in words, the fairness of each role's year so far
before and after, and the check of the proposed rota. ``--explain`` adds every piece of
every gap as the model saw it: who took it, who else could, and the first rule that ruled
each other holder out. Times are local; the JSON keeps UTC. ``rich`` is imported inside
the functions.
"""

from __future__ import annotations

from typing import Any

from standby.reports.coverage import json_text
from standby.reports.render import duration_text, local_range, local_text
from standby.rota.fill import FillProposal, PieceChoice
from standby.rota.fill_candidates import person_name

MEASURE_LABELS = {
    "hours": "hours",
    "nights": "nights",
    "weekend_hours": "weekend hours",
    "bank_holiday_hours": "bank-holiday hours",
}


def fill_json(proposal: FillProposal) -> str:
    """The proposal as JSON (times UTC with ``Z``), one record a line."""
    return json_text(proposal.to_json_dict())


def status_text(proposal: FillProposal) -> str:
    """The solver's status in words: optimal, or the best found in the time limit."""
    result = proposal.solve
    seconds = f"{result.wall_seconds:.1f} s"
    if proposal.status == "no gaps":
        return "no gaps to fill"
    if proposal.status == "optimal":
        return f"solver status: optimal (proved best, {seconds})"
    if proposal.status == "feasible":
        clock = (
            "; stopped by the wall clock, so a faster machine may find a better one"
            if result.stopped_by_clock
            else ""
        )
        return (
            f"solver status: feasible (the best found within the {proposal.time_limit:g} s "
            f"time limit, not proved best{clock})"
        )
    return "solver status: no proposal (nobody could take any piece of the gaps)"


def verdict(proposal: FillProposal) -> str:
    """``3 gap(s); 3 filled, 0 left open``."""
    before, after = len(proposal.before.gaps), len(proposal.after.gaps)
    shifts = len(proposal.proposed)
    return (
        f"{before} gap(s) before, {after} after; {shifts} proposed shift(s), "
        f"{len(proposal.unfilled)} stretch(es) left open"
    )


def text_renderables(proposal: FillProposal, *, explain: bool = False) -> list[Any]:
    """rich renderables for the terminal or a text file."""
    before = proposal.before
    tz = before.timezone
    out: list[Any] = [
        f"[bold]Gap fill {local_text(before.start, tz)} to {local_text(before.end, tz)}[/bold] "
        f"({verdict(proposal)})",
        status_text(proposal),
    ]
    if proposal.proposed:
        out.append(_proposed_table(proposal))
    if proposal.unfilled:
        out.append("[bold]Left open[/bold]")
        out += [f"  {item.reason}" for item in proposal.unfilled]
    if proposal.spreads:
        out.append(_fairness_table(proposal))
    if proposal.loads:
        out.append(_people_table(proposal))
    if explain and proposal.pieces:
        out.append("[bold]Why, piece by piece[/bold] (the binding constraints)")
        out += [_piece_text(proposal, choice) for choice in proposal.pieces]
    out.append(check_text(proposal))
    return out


def check_text(proposal: FillProposal) -> str:
    """What the check of the proposed rota says, against the rota's own."""
    new = proposal.new_findings
    findings = (
        "no new findings"
        if not new
        else f"{len(new)} NEW finding(s): " + "; ".join(f.detail for f in new[:3])
    )
    return (
        f"Check of the proposed rota: {len(proposal.after.gaps)} gap(s) left "
        f"(was {len(proposal.before.gaps)}), {findings}."
    )


def _table(title: str, *columns: str) -> Any:
    from rich import box
    from rich.table import Table

    table = Table(
        title=title, title_justify="left", title_style="bold", box=box.SIMPLE_HEAD, pad_edge=False
    )
    for column in columns:
        table.add_column(column)
    return table


def _proposed_table(proposal: FillProposal) -> Any:
    tz = proposal.before.timezone
    table = _table("Proposed cover", "when (local)", "role", "who", "level", "why them")
    for shift in proposal.proposed:
        level = str(shift.level)
        if shift.replaces:
            names = ", ".join(person_name(proposal.rota, p) for p in shift.replaces)
            level += f" (for {names}, on leave)"
        when = f"{local_range(shift.start, shift.end, tz)} ({duration_text(shift.hours * 60)})"
        table.add_row(when, shift.role, shift.name, level, shift.why)
    return table


def _fairness_table(proposal: FillProposal) -> Any:
    year = local_text(proposal.year_start, proposal.before.timezone)[:10]
    table = _table(
        f"Fairness in each role since {year}: spread (standard deviation) and most, "
        "before -> after",
        "role",
        "measure",
        "people",
        "spread",
        "most",
    )
    for spread in proposal.spreads:
        table.add_row(
            spread.role,
            MEASURE_LABELS[spread.measure],
            str(spread.people),
            f"{spread.before_stdev:.1f} -> {spread.after_stdev:.1f}",
            f"{spread.before_max:.0f} -> {spread.after_max:.0f}",
        )
    return table


def _people_table(proposal: FillProposal) -> Any:
    table = _table(
        "People given cover: their year in the role, before -> after",
        "role",
        "who",
        "hours",
        "nights",
        "weekend h",
        "bank-holiday h",
    )
    for load in proposal.loads:
        table.add_row(
            load.role,
            load.name,
            f"{load.before.hours:.0f} -> {load.after.hours:.0f}",
            f"{load.before.nights} -> {load.after.nights}",
            f"{load.before.weekend_hours:.0f} -> {load.after.weekend_hours:.0f}",
            f"{load.before.bank_holiday_hours:.0f} -> {load.after.bank_holiday_hours:.0f}",
        )
    return table


def _piece_text(proposal: FillProposal, choice: PieceChoice) -> str:
    piece = choice.piece
    rota = proposal.rota
    when = local_range(piece.start, piece.end, proposal.before.timezone)
    split = " (a part of a gap nobody could take whole)" if piece.parent is not None else ""
    lines = [f"  {piece.role}, {when}{split}: needs {piece.most}"]
    taken = ", ".join(person_name(rota, p) for p in choice.taken) or "nobody"
    lines.append(f"    taken by: {taken}")
    could = [person_name(rota, p) for p in piece.candidates if p not in choice.taken]
    if could:
        lines.append(f"    could also: {', '.join(could)}")
    for exclusion in piece.excluded:
        lines.append(f"    ruled out: {person_name(rota, exclusion.person)}: {exclusion.detail}")
    return "\n".join(lines)
