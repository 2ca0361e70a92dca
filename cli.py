"""Standby command line: parse arguments, call a library function, print, map errors to exit codes.

Exit codes: 0 all good; 1 the check found problems; 2 bad input or usage; 130 stopped by
Ctrl-C and 143 by SIGTERM (one line on stderr; no file is left half-written). Files are
written first and the terminal is written to last, so a reader that goes away early
(``standby rota check ... | head -1``) loses only terminal output, and the exit code is the
command's own. Heavy libraries (matplotlib, openpyxl, networkx, simpy) are imported inside
the commands that need them so that ``standby --help`` stays fast.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any, TypeVar

import click

from standby import StandbyError, __version__, limits
from standby.clock import DEFAULT_REGION, DEFAULT_TIMEZONE, REGIONS

#: The options that set each value a library error can name (``StandbyError.parameters``);
#: the library's messages never name options, so they are added here.
OPTIONS = {
    "window_start": "--from",
    "window_end": "--to",
    "requirements": "--requirements",
    "rota": "--rota",
    "at": "--at",
    "role": "--role",
    "not_work": "--not-work",
    "start": "--start",
    "output": "--out",
    "json_output": "--json",
    "force": "--force",
    "every": "--every",
    "resume": "--resume",
    "exercise_date": "--date",
    "time_limit": "--time-limit",
    "overrides_output": "--overrides",
    "handover": "--handover",
    "shift_length": "--shift-length",
    "timezone": "--timezone",
    "seed": "--seed",
    "max_shifts": "--max-shifts",
}

Command = TypeVar("Command", bound=Callable[..., Any])

#: Exit codes of a command stopped from outside: 128 + the signal's number, as shells do.
EXIT_INTERRUPTED = 130
EXIT_TERMINATED = 143


class Terminated(BaseException):
    """SIGTERM, raised where the program is, so that ``finally`` blocks tidy up."""


def error_text(error: StandbyError) -> str:
    """The error's message, with the options to change when it names parameters."""
    options = [OPTIONS[name] for name in error.parameters]
    return f"{error.message} ({', '.join(options)})" if options else error.message


def check_outputs(*, force: bool, **targets: Path | None) -> None:
    """Each output may be written (``standby.files.check_writable``); a problem names the
    option that gave the file (``json_output=path`` for ``--json``), not always ``--out``."""
    from standby.files import check_writable

    for parameter, path in targets.items():
        if path is None:
            continue
        try:
            check_writable(path, force=force)
        except StandbyError as error:
            error.parameters = tuple(
                parameter if name == "output" else name for name in error.parameters
            )
            raise


@contextlib.contextmanager
def terminal(stream: IO[str] | None = None) -> Iterator[None]:
    """Print inside this block; a reader that has gone away (a closed pipe) ends it quietly.

    Later output to the stream is thrown away, so the command still finishes, and exits
    with its own code, after ``| head -1``.
    """
    stream = stream or sys.stdout
    try:
        yield
        stream.flush()
    except BrokenPipeError:
        _discard(stream)
    except OSError as error:  # a full disc or device (> /dev/full), an I/O error
        _discard(stream)
        if stream is not sys.stderr:  # with stderr gone too there is nowhere to say it
            raise StandbyError(_output_problem(error)) from None


#: errno values of a write that failed for want of room, or for the device.
_FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO}


def _output_problem(error: OSError) -> str:
    reason = (error.strerror or type(error).__name__).lower()
    return (
        f"the output could not be written to where it was sent ({reason}); free some space "
        "or send it somewhere else (a file on another drive)"
    )


def _discard(stream: IO[str]) -> None:
    """Point the stream's file descriptor at the null device (what Python's docs advise)."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, stream.fileno())
        os.close(null)


def _say(message: str, *, colour: str) -> None:
    """One line on stderr: an error, a warning or why the command stopped."""
    from standby.reports.plain import printable

    with terminal(sys.stderr):
        click.secho(printable(message), fg=colour, err=True)


class StandbyGroup(click.Group):
    """A click group that turns :class:`StandbyError` into a message and exit code 2, and
    Ctrl-C or SIGTERM into one line and exit code 130 or 143."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except StandbyError as error:
            _say(f"Error: {error_text(error)}", colour="red")
            ctx.exit(error.exit_code)
        except OSError as error:
            # printing to a full device, outside terminal() (a long line written at once);
            # any other OSError is a bug and keeps its traceback
            if error.filename is not None or error.errno not in _FULL:
                raise
            _discard(sys.stdout)
            _say(f"Error: {_output_problem(error)}", colour="red")
            ctx.exit(2)
        except KeyboardInterrupt:
            _say("Stopped (Ctrl-C); no output file was left half-written.", colour="yellow")
            ctx.exit(EXIT_INTERRUPTED)
        except Terminated:
            _say("Stopped (SIGTERM); no output file was left half-written.", colour="yellow")
            ctx.exit(EXIT_TERMINATED)


@click.group(cls=StandbyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="standby")
def cli() -> None:
    """Standby: on-call rota checks, COMAH incident simulation and exercise reports."""


def _console(**settings: Any) -> Any:
    """A rich console that, like :func:`terminal`, goes quiet when its reader has gone."""
    return _quiet_console_class()(highlight=False, **settings)


@functools.cache
def _quiet_console_class() -> Any:
    from rich.console import Console

    class QuietConsole(Console):
        def on_broken_pipe(self) -> None:
            # rich would exit with code 1 here; the command's own exit code must win
            self.quiet = True
            _discard(self.file)

    return QuietConsole


def _warn(message: str) -> None:
    """A warning (reading a file, or before a run), on stderr so that piped output stays clean."""
    _say(f"Warning: {message}", colour="yellow")


def _out_option(default_name: str) -> Callable[[Command], Command]:
    """``--out FILE`` for one output file; ``--out FOLDER/`` (or an existing folder) writes
    ``default_name`` inside it."""
    return click.option(
        "--out",
        metavar="FILE",
        type=click.Path(path_type=str),
        help=f"Write to FILE (atomically). A folder (ending in /) gets {default_name}.",
    )


#: The width of text written to a file or a pipe, unless COLUMNS says otherwise.
PIPE_WIDTH = 100


def _plain_text(renderables: Any, width: int | None = None) -> str:
    """Rich renderables as plain text without trailing spaces, for a file or a pipe.

    In a terminal the tables are printed in colour at its width; written to a file or piped
    they are laid out for ``width`` columns (COLUMNS, else :data:`PIPE_WIDTH`), so that no
    border is cut and the lines carry no padding.
    """
    import io
    import shutil

    width = width or shutil.get_terminal_size((PIPE_WIDTH, 24)).columns
    console = _console(file=io.StringIO(), width=width, color_system=None)
    for item in renderables:
        console.print(item)
    text = console.file.getvalue()
    return "\n".join(line.rstrip() for line in text.splitlines()) + "\n"


# --- scenarios ------------------------------------------------------------------------------


@cli.group()
def scenario() -> None:
    """List, show and validate scenario files, and print their JSON Schema."""


@scenario.command("list")
def scenario_list() -> None:
    """List the bundled scenarios."""
    from standby.reports.terminal import scenario_table
    from standby.scenarios import bundled_scenarios

    table = scenario_table(bundled_scenarios())
    with terminal():
        _console().print(table)


@scenario.command("show")
@click.argument("name")
def scenario_show(name: str) -> None:
    """Print a scenario file (bundled NAME or a path), to copy and adapt."""
    from standby.reports.plain import printable
    from standby.scenarios import scenario_source

    source = scenario_source(name)
    with terminal():
        click.echo(printable(source, limit=None), nl=False)


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
            _say(f"Error: {error.message}", colour="red")
            continue
        with terminal():
            click.echo(valid_scenario(name, item))
    if failed:
        raise SystemExit(2)


@scenario.command("schema")
def scenario_schema() -> None:
    """Print the JSON Schema of the scenario format (for editors and other tools)."""
    import json

    from standby.scenarios.model import Scenario

    schema = json.dumps(Scenario.model_json_schema(by_alias=True), indent=2)
    with terminal():
        click.echo(schema)


# --- rota -----------------------------------------------------------------------------------

_WHEN_HELP = "a date (local midnight), '2026-03-27 09:00' (local) or ISO 8601 with an offset"


def _max_shifts_option() -> Callable[[Command], Command]:
    return click.option(
        "--max-shifts",
        type=click.IntRange(min=1),
        metavar="N",
        help="The most shifts the rota may hold, after patterns and repeats are expanded "
        f"(default {limits.MAX_SHIFTS:,}); a file that would make more is refused.",
    )


def _reading_options(command: Any) -> Any:
    """--timezone, --max-shifts, and --handover / --shift-length for a spreadsheet grid."""
    options = [
        _max_shifts_option(),
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


def _rules_options(command: Any) -> Any:
    """--region, --not-work and --callouts: what the check's rules and figures read."""
    options = [
        click.option(
            "--region",
            type=click.Choice(list(REGIONS)),
            default=DEFAULT_REGION,
            show_default=True,
            help="Bank-holiday region: the days a requirement's bank_holiday window opens on, and "
            "the bank-holiday hours in the fairness figures.",
        ),
        click.option(
            "--not-work",
            "not_work",
            multiple=True,
            metavar="ROLE",
            help="On-call time in ROLE is not working time (repeatable; 'all' for every role). "
            "Overrides the files' 'working_time:' settings; without either, on-call time counts "
            "for the Working Time Regulations checks.",
        ),
        click.option(
            "--callouts",
            "callouts_file",
            type=click.Path(exists=True, dir_okay=False, path_type=Path),
            help="Call-out log CSV (person, start, end, role, notes): time actually worked on "
            "call-outs, always working time.",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


@cli.group("rota")
def rota_group() -> None:
    """Check on-call rotas for coverage gaps, fill them, see who is on call, export rotas."""


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
@_rules_options
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "csv", "html"]),
    default="text",
    show_default=True,
    help="text tables, JSON (UTC times), CSV (every gap and finding), or a self-contained "
    "HTML page that prints on A4.",
)
@click.option(
    "--summary",
    is_flag=True,
    help="Only the one-page summary for an email: cover by requirement, the next gaps and "
    "who to ask (free, qualified, within the working-time rules).",
)
@click.option(
    "--events",
    "events_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Planned events CSV (name, start, end, role, min): extra cover for a few hours, "
    "checked with the requirements and shown on rows of their own.",
)
@_out_option("rota-check.txt (or .json, .csv, .html)")
@click.option("--force", is_flag=True, help="Replace --out if it exists.")
def rota_check(
    rota_file: Path,
    requirements_file: Path | None,
    start_text: str | None,
    end_text: str | None,
    timezone: str,
    handover: str | None,
    shift_length: str | None,
    max_shifts: int | None,
    region: str,
    output_format: str,
    summary: bool,
    not_work: tuple[str, ...],
    events_file: Path | None,
    callouts_file: Path | None,
    out: str | None,
    force: bool,
) -> None:
    """Check ROTA for coverage gaps, shortfalls, clashes, working time and fairness.

    The window defaults to the span of the rota. Exit code 0 when every requirement is
    met, 1 when there are gaps, 2 for bad input.
    """
    from standby.files import check_writable, output_path, write_text_atomic
    from standby.reports.coverage import render, summary_text, text_renderables
    from standby.rota.api import check_files
    from standby.rota.summary import gap_summary

    suffix = "txt" if output_format == "text" else output_format
    target = None if out is None else output_path(out, f"rota-check.{suffix}")
    if target is not None:
        check_writable(target, force=force)
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
        max_shifts=max_shifts,
        callouts_file=callouts_file,
        events_file=events_file,
    )
    report = checked.report
    brief = gap_summary(checked.rota, report, checked.role_rules) if summary else None
    in_colour = output_format == "text" and brief is None and target is None
    in_colour = in_colour and sys.stdout.isatty()
    if output_format == "text" and brief is not None:
        text = summary_text(brief)
    elif in_colour:
        text = ""  # printed as tables below, after any file
    elif output_format == "text":
        text = _plain_text(text_renderables(report), 120 if target is not None else None)
    else:
        text = render(report, output_format, brief)
    if target is not None:
        write_text_atomic(target, text, force=force)
    for warning in checked.warnings:
        _warn(warning)
    with terminal():
        if in_colour:
            console = _console()
            for item in text_renderables(report):
                console.print(item)
        elif target is None:
            click.echo(text, nl=False)
        else:
            gaps = len(report.gaps)
            click.echo(f"wrote {target}: {len(report.roles)} requirements, {gaps} gaps")
    if not checked.all_met:
        raise SystemExit(1)


@rota_group.command("who")
@click.argument(
    "rota_file", metavar="ROTA", type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option(
    "--role",
    help="The role: its name in any case, the start of it, or its initials (DEPO).",
)
@click.option("--all", "all_roles", is_flag=True, help="Every role: the contact sheet.")
@click.option(
    "--at", "at_text", required=True, metavar="WHEN", help=f"The instant: 'now', {_WHEN_HELP}."
)
@_reading_options
def rota_who(
    rota_file: Path,
    role: str | None,
    all_roles: bool,
    at_text: str,
    timezone: str,
    handover: str | None,
    shift_length: str | None,
    max_shifts: int | None,
) -> None:
    """Print who is on call for --role (or --all roles) at --at, in escalation order.

    Exit code 1 when nobody is on call (for any role, with --all).
    """
    from standby.reports.terminal import contact_sheet_table, nobody_on_call, on_call_table
    from standby.rota.api import contact_sheet, who_is_on_call

    if (role is None) == (not all_roles):
        raise click.UsageError("give --role ROLE or --all (one of them)")
    if role is None:
        sheet = contact_sheet(
            rota_file,
            at_text,
            timezone=timezone,
            handover=handover,
            shift_length=shift_length,
            max_shifts=max_shifts,
        )
        table = contact_sheet_table(sheet)
        with terminal():
            _console().print(table)
        if sheet.uncovered:
            raise SystemExit(1)
        return
    found = who_is_on_call(
        rota_file,
        role,
        at_text,
        timezone=timezone,
        handover=handover,
        shift_length=shift_length,
        max_shifts=max_shifts,
    )
    with terminal():
        if found.entries:
            _console().print(on_call_table(found))
        else:
            click.echo(nobody_on_call(found))
    if not found.entries:
        raise SystemExit(1)


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
@_out_option("the rota's name with the format's suffix")
@click.option("--force", is_flag=True, help="Replace --out if it exists.")
@_reading_options
def rota_export(
    rota_file: Path,
    output_format: str,
    out: str | None,
    force: bool,
    timezone: str,
    handover: str | None,
    shift_length: str | None,
    max_shifts: int | None,
) -> None:
    """Write ROTA as ICS, CSV or JSON (to stdout, or atomically to --out)."""
    from standby.files import check_writable, output_path, write_bytes_atomic
    from standby.rota.api import export_file

    target = None if out is None else output_path(out, f"{rota_file.stem}.{output_format}")
    if target is not None:
        check_writable(target, force=force)
    exported = export_file(
        rota_file,
        output_format,
        timezone=timezone,
        handover=handover,
        shift_length=shift_length,
        max_shifts=max_shifts,
    )
    if target is not None:
        write_bytes_atomic(target, exported.data, force=force)
    for warning in exported.rota.warnings:
        _warn(warning)
    with terminal():
        if target is None:
            click.echo(exported.data, nl=False)
        else:
            click.echo(f"wrote {target}: {len(exported.rota.shifts)} shifts")


@rota_group.command("fill")
@click.argument(
    "rota_file", metavar="ROTA", type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option(
    "--requirements",
    "requirements_file",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Requirements YAML; its 'fill: weights:' section weighs fairness (see docs/rota.md).",
)
@click.option("--from", "start_text", metavar="WHEN", help=f"Window start: {_WHEN_HELP}.")
@click.option("--to", "end_text", metavar="WHEN", help=f"Window end: {_WHEN_HELP}.")
@_reading_options
@_rules_options
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the proposed rota to FILE, in the format its suffix names (.csv, .xlsx, "
    ".yaml, .ics, .json); a YAML rota is written back with the proposal in its overrides.",
)
@click.option(
    "--overrides",
    "overrides_out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the proposal as an 'overrides:' YAML section, to paste into a YAML rota.",
)
@click.option("--force", is_flag=True, help="Replace --out or --overrides if it exists.")
@click.option(
    "--explain", is_flag=True, help="Also show every piece of every gap: the binding constraints."
)
@click.option(
    "--time-limit",
    "time_limit",
    type=float,
    default=30.0,
    show_default=True,
    metavar="S",
    help="Seconds the solver may take; the best proposal found by then is given, with its "
    "status (optimal or feasible).",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="The report: text tables, or JSON (UTC times).",
)
def rota_fill(
    rota_file: Path,
    requirements_file: Path,
    start_text: str | None,
    end_text: str | None,
    timezone: str,
    handover: str | None,
    shift_length: str | None,
    max_shifts: int | None,
    region: str,
    not_work: tuple[str, ...],
    callouts_file: Path | None,
    out: Path | None,
    overrides_out: Path | None,
    force: bool,
    explain: bool,
    time_limit: float,
    output_format: str,
) -> None:
    """Propose cover for the gaps in ROTA, within the rules the check applies.

    Candidates hold the role and its qualifications, are not on leave or on call then, and
    would break no working-time rule. The solver fills every required minute it can, then
    spreads hours, nights, weekends and bank holidays most evenly within each role over
    the year so far, then makes the fewest changes and calls. What it cannot fill is
    listed with the reason. Exit code 0 when every gap is filled, 1 when some are left, 2
    for bad input.
    """
    from standby.files import write_bytes_atomic, write_text_atomic
    from standby.reports.fill import fill_json, text_renderables
    from standby.rota.api import fill_files

    check_outputs(force=force, output=out, overrides_output=overrides_out)
    if overrides_out is not None and overrides_out.suffix.lower() not in (".yaml", ".yml"):
        raise click.UsageError(f"--overrides {overrides_out}: give a .yaml or .yml file")
    filled = fill_files(
        rota_file,
        requirements_file,
        start_text,
        end_text,
        timezone=timezone,
        region=region,
        not_work=not_work,
        handover=handover,
        shift_length=shift_length,
        max_shifts=max_shifts,
        callouts_file=callouts_file,
        time_limit=time_limit,
        explain=explain,
    )
    # Files first, the terminal last: a closed pipe cannot lose what was written.
    count = len(filled.proposal.proposed)
    written: list[str] = []
    if out is not None:
        write_bytes_atomic(out, filled.proposal_file(out), force=force)
        written.append(f"wrote {out}: the rota with {count} proposed shift(s)")
    if overrides_out is not None:
        write_text_atomic(overrides_out, filled.overrides_file(), force=force)
        written.append(f"wrote {overrides_out}: {count} override(s)")
    for warning in filled.warnings:
        _warn(warning)
    # With JSON on standard output, what was written is said on standard error.
    aside = output_format == "json"
    with terminal():
        if output_format == "json":
            click.echo(fill_json(filled.proposal), nl=False)
        elif sys.stdout.isatty():
            console = _console()
            for item in text_renderables(filled.proposal, explain=explain):
                console.print(item)
        else:
            click.echo(_plain_text(text_renderables(filled.proposal, explain=explain)), nl=False)
        for line in written:
            click.echo(line, err=aside)
    if not filled.all_filled:
        raise SystemExit(1)


# --- simulate -------------------------------------------------------------------------------


#: --seed for every command that runs the model: numpy seeds are whole numbers, 0 or more.
_seed_option = click.option(
    "--seed", default=1, show_default=True, type=click.IntRange(min=0), help="Random seed."
)


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
@_seed_option
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
    metavar="FILE",
    type=click.Path(path_type=str),
    help="Write each run's milestones, alerts, unfilled roles and KPIs as JSON to FILE (a "
    "folder ending in / gets runs.json); the event log too with --events.",
)
@click.option("--fail-on-miss", is_flag=True, help="Exit with code 1 when a target is missed.")
@click.option("--force", is_flag=True, help="Replace output files that already exist.")
@_max_shifts_option()
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
    json_path: str | None,
    fail_on_miss: bool,
    force: bool,
    max_shifts: int | None,
) -> None:
    """Simulate the response to SCENARIO: who is called, who arrives, which targets are met.

    Many runs (--runs) print the summary: per target the chance it is met with a 95 %
    interval, when it ends, and what drove the misses; the roles short; the key figures.
    """
    import contextlib

    from standby.simulator.executors import executor_for, warm_up

    executor = executor_for(workers, scheduler, runs=runs)
    warm_up(executor)  # the fork server imports the simulator while this process starts

    from standby.files import atomic_output, check_folder, output_path
    from standby.reports.runs import EVENTS_FILE, MapsAhead, folder_files, write_folder
    from standby.reports.terminal import progress_bar, summary_renderables, timeline_renderables
    from standby.simulator.experiment import Outputs, replicate_files

    if timeline_run is not None and timeline_run >= runs:
        raise click.BadParameter(
            f"run {timeline_run} is not one of the {runs} runs (0 to {runs - 1})",
            param_hint="--timeline",
        )
    timeline = 0 if runs == 1 and timeline_run is None else timeline_run
    json_file = None if json_path is None else output_path(json_path, "runs.json")
    check_outputs(force=force, json_output=json_file)
    if out_dir:
        check_folder(out_dir)
        names = folder_files(events=events, sensitivity=sensitivity, timeline=timeline is not None)
        for name in names:
            check_outputs(force=force, output=out_dir / name)
    with contextlib.ExitStack() as files:
        streams = Outputs(
            json=files.enter_context(atomic_output(json_file, force=force)) if json_file else None,
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
                maps.append(MapsAhead(scenario, out_dir, force=force))

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
                max_shifts=max_shifts,
                footprints=out_dir is not None,
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
            max_shifts,
        )
    written = [] if json_file is None else [f"Wrote {json_file}"]
    if out_dir is not None:
        ahead = maps[0] if maps else None
        files_written = write_folder(
            experiment, out_dir, force=force, sensitivity=study, maps_ahead=ahead
        )
        names = sorted({path.name for path in files_written} | {"runs.csv"})
        written.append(f"Wrote {out_dir}/: {', '.join(names)}")
    with terminal():
        console = _console()
        for item in summary_renderables(experiment, rota_path):
            console.print(item)
        if study is not None:
            from standby.reports.terminal import sensitivity_table

            console.print(sensitivity_table(study))
        if experiment.timeline is not None:
            for item in timeline_renderables(experiment.timeline):
                console.print(item)
        for line in written:
            console.print(line, markup=False)
    if fail_on_miss and experiment.targets_missed:
        raise SystemExit(1)


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
    max_shifts: int | None,
) -> Any:
    """The sensitivity study of ``simulate --sensitivity``, with its own progress bar."""
    from standby.reports.terminal import progress_bar
    from standby.simulator.executors import executor_for
    from standby.simulator.experiment import Inputs, parse_start
    from standby.simulator.sensitivity import ASSUMPTIONS, study

    inputs = Inputs.around(experiment.scenario, rota_path, requirements_file, max_shifts)
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
@_seed_option
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
@_max_shifts_option()
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
    max_shifts: int | None,
) -> None:
    """Start SCENARIO at every step of a window against ROTA: when is the response least ready?

    Prints the worst slots with the reason in words and the single points of failure; --out
    writes them with a calendar heatmap, a week heatmap and an HTML page. Ctrl-C keeps the
    finished slots; --resume carries on and gives the result of an uninterrupted sweep.
    """
    from standby.simulator.executors import executor_for, warm_up

    executor = executor_for(workers, scheduler)
    warm_up(executor)  # the fork server imports the simulator while this process starts

    from standby.files import check_folder, check_writable
    from standby.reports.sweep import FOLDER_FILES, JOURNAL, sweep_renderables, write_folder
    from standby.reports.terminal import progress_bar
    from standby.simulator.sweep import sweep_files

    journal = None
    if out_dir is not None:
        check_folder(out_dir)
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
                max_shifts=max_shifts,
            )
    except (KeyboardInterrupt, Terminated) as stop:
        kept = (
            f"; the finished slots are kept in {journal}: run the same command with "
            "--resume to carry on"
            if journal
            else ""
        )
        ctrl_c = isinstance(stop, KeyboardInterrupt)
        _say(f"Stopped ({'Ctrl-C' if ctrl_c else 'SIGTERM'}){kept}.", colour="yellow")
        raise SystemExit(EXIT_INTERRUPTED if ctrl_c else EXIT_TERMINATED) from None
    if out_dir is not None:
        write_folder(result, out_dir, force=force)
        if journal is not None:
            journal.unlink(missing_ok=True)
    with terminal():
        console = _console()
        for item in sweep_renderables(result):
            console.print(item)
        if out_dir is not None:
            console.print(f"Wrote {out_dir}/: {', '.join(FOLDER_FILES)}", markup=False)


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
    with terminal():
        _console().print(summary_table(steps, out_dir))


# --- exercise -------------------------------------------------------------------------------


@cli.group()
def exercise() -> None:
    """Plan and run a tabletop exercise: the pack, its MSEL, the live console and its log."""


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
        _warn(warning)
    skipped = f"; {summary.skipped} already there" if summary.skipped else ""
    click.echo(f"{summary.database}: added {summary.added} entries{skipped}")


@exercise_log.command("schema")
def exercise_log_schema() -> None:
    """Print the JSON Schema of an exported log (docs/exercise-log.schema.json)."""
    import json

    from standby.reports.exercise_log import log_schema

    click.echo(json.dumps(log_schema(), indent=2))


@exercise.command("pack")
@click.argument("scenario_name", metavar="SCENARIO")
@click.option(
    "--rota",
    "rota_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Rota file: the snapshot of who is on call, and the model's call-outs.",
)
@click.option("--start", "start_text", metavar="WHEN", help=f"Exercise start: {_WHEN_HELP}.")
@click.option(
    "--runs",
    default=200,
    show_default=True,
    type=click.IntRange(1, 100_000),
    help="Simulated runs behind the model's expectations and the generated injects.",
)
@_seed_option
@click.option(
    "--stress",
    is_flag=True,
    help="Start at the instant of thinnest cover in the rota for the scenario's roles.",
)
@click.option(
    "--requirements",
    "requirements_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="For --stress: how many people each role needs (default: the rota's own, else "
    "as many as the scenario's roles).",
)
@click.option("--from", "window_start", metavar="WHEN", help="For --stress: search from.")
@click.option("--to", "window_end", metavar="WHEN", help="For --stress: search until.")
@click.option(
    "--weeks",
    default=8,
    show_default=True,
    type=click.IntRange(1, 520),
    help="For --stress without --to: weeks to search from the start.",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("exercise-pack"),
    show_default=True,
    help="Folder for exercise-pack.html, .docx, .md and its figures.",
)
@click.option("--force", is_flag=True, help="Replace files that already exist.")
def exercise_pack(
    scenario_name: str,
    rota_path: Path | None,
    start_text: str | None,
    runs: int,
    seed: int,
    stress: bool,
    requirements_file: Path | None,
    window_start: str | None,
    window_end: str | None,
    weeks: int,
    out_dir: Path,
    force: bool,
) -> None:
    """Write the tabletop exercise pack for SCENARIO as HTML, Word and Markdown.

    MSEL (with injects generated from the model, marked as such), objectives with the
    model's expectations, participant briefing, facilitator guide, evaluator sheets, inject
    cards, rota snapshot, plume map and a Gantt chart of the simulated response.
    """
    from standby.reports.exercise import pack_files
    from standby.reports.exercise_document import write_pack

    pack = pack_files(
        scenario_name,
        rota_path,
        start_text=start_text,
        runs=runs,
        seed=seed,
        stress=stress,
        requirements_file=requirements_file,
        window_start_text=window_start,
        window_end_text=window_end,
        weeks=weeks,
    )
    if pack.stress is not None:
        click.echo(f"Thinnest cover: {pack.stress.sentence()}")
    files = write_pack(pack, out_dir, force=force)
    generated = sum(1 for row in pack.msel if row.generated)
    click.echo(
        f"Wrote {out_dir}/: {', '.join(path.name for path in files.all)} "
        f"({len(pack.msel)} injects, {generated} generated; {pack.runs} runs)"
    )


@exercise.group("msel")
def exercise_msel() -> None:
    """Export the MSEL to edit in Excel, and import it back into a scenario."""


@exercise_msel.command("export")
@click.argument("scenario_name", metavar="SCENARIO")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["xlsx", "csv"]),
    required=True,
    help="xlsx for Excel (keeps the start it was made for), csv for any spreadsheet.",
)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.option(
    "--start",
    "start_text",
    metavar="WHEN",
    help=f"Clock times from this start ({_WHEN_HELP}). Default: the scenario's.",
)
@click.option("--force", is_flag=True, help="Replace --out if it exists.")
def exercise_msel_export(
    scenario_name: str, output_format: str, out: Path, start_text: str | None, force: bool
) -> None:
    """Write the injects of SCENARIO as a spreadsheet, one inject a row, in time order."""
    from standby.reports.msel import export_msel

    scenario = export_msel(scenario_name, output_format, out, start_text=start_text, force=force)
    click.echo(f"wrote {out}: {len(scenario.injects)} injects")


@exercise_msel.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--into", "into", metavar="SCENARIO", required=True, help="The scenario to update.")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The new scenario file (never the old one unless --force).",
)
@click.option(
    "--start",
    "start_text",
    metavar="WHEN",
    help="The start the sheet's clock times are read against. Default: the workbook's "
    "own, else the scenario's.",
)
@click.option("--force", is_flag=True, help="Replace --out if it exists.")
def exercise_msel_import(
    file: Path, into: str, out: Path, start_text: str | None, force: bool
) -> None:
    """Read an edited MSEL sheet (CSV or XLSX) into a new scenario file, every row checked."""
    from standby.reports.msel_import import import_msel

    result = import_msel(file, into, out, start_text=start_text, force=force)
    for warning in result.warnings:
        _warn(warning)
    changes = [
        f"{len(items)} {what}"
        for items, what in (
            (result.added, "added"),
            (result.changed, "changed"),
            (result.removed, "removed"),
        )
        if items
    ]
    click.echo(
        f"wrote {out}: {len(result.scenario.injects)} injects ({', '.join(changes) or 'no change'})"
    )


# --- debrief --------------------------------------------------------------------------------


@cli.command()
@click.argument("scenario_name", metavar="SCENARIO")
@click.option(
    "--log",
    "log_source",
    required=True,
    metavar="FILE|URL",
    help="The exercise log: exported JSON, CSV or XLSX, the console's SQLite file, or a "
    "postgresql:// URL.",
)
@click.option(
    "--observations",
    "observations_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The evaluators' observations (YAML, CSV or XLSX): strengths, areas for "
    "improvement with their actions, rating overrides.",
)
@click.option(
    "--rota",
    "rota_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Rota file for the model's runs (as for simulate).",
)
@click.option(
    "--runs",
    default=200,
    show_default=True,
    type=click.IntRange(1, 100_000),
    help="Model runs, made twice: as the plan expects and with the players' times.",
)
@_seed_option
@click.option(
    "--date",
    "date_text",
    metavar="DATE",
    help="The day the exercise was held (2026-03-18). Default: from the observations file "
    "or the log's wall-clock times.",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("debrief"),
    show_default=True,
    help="Folder for debrief.html, .docx, .md, .json and lessons.csv.",
)
@click.option("--force", is_flag=True, help="Replace a debrief report already in --out.")
def debrief(
    scenario_name: str,
    log_source: str,
    observations_file: Path | None,
    rota_path: Path | None,
    runs: int,
    seed: int,
    date_text: str | None,
    out_dir: Path,
    force: bool,
) -> None:
    """Write the debrief report of an exercise of SCENARIO from its log and observations.

    The model is re-run with the players' logged milestones (same seeds as its own runs) to
    show what their times would have meant; each objective gets a suggested HSEEP rating.
    """
    from standby.reports.debrief import parse_date
    from standby.reports.debrief_output import run_debrief
    from standby.reports.terminal import progress_bar

    when = None if date_text is None else parse_date(date_text)
    with progress_bar(2 * runs, "Running the model") as progress:
        done = run_debrief(
            scenario_name,
            log_source,
            out_dir,
            observations_file=observations_file,
            rota_file=rota_path,
            runs=runs,
            seed=seed,
            exercise_date=when,
            force=force,
            progress=progress,
        )
    from standby.reports.plain import printable

    report = done.debrief
    ratings = ", ".join(f"{o.objective} {o.rating or '-'}" for o in report.objectives)
    names = ", ".join(path.name for path in done.files.all())
    lines = [
        f"Debrief of {report.exercise.name or report.title}",
        *(f"- {line}" for line in report.summary),
        f"Ratings: {ratings}",
        f"Wrote {out_dir}/: {names}",
    ]
    with terminal():
        for line in lines:
            click.echo(printable(line))


def _terminate(signum: int, frame: object) -> None:
    raise Terminated()


def main() -> None:
    """Console-script entry point (``standby``): SIGTERM stops the command like Ctrl-C.

    A terminal that cannot show a character (an ASCII-only one: ``LC_ALL=C``,
    ``PYTHONIOENCODING=ascii``) gets its nearest plain character (``>`` for an arrow, ``~``
    for an ellipsis, ``e`` for ``é``), so tables keep their columns. What is still
    buffered for stdout is written before the exit, so a full device (``> /dev/full``) is
    an error (exit code 2), not a traceback at shutdown.
    """
    import signal

    signal.signal(signal.SIGTERM, _terminate)
    _plain_streams()
    try:
        cli(prog_name="standby")
    except SystemExit as done:
        code = done.code
    else:
        code = 0
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        _discard(sys.stdout)
    except OSError as error:
        _discard(sys.stdout)
        _say(f"Error: {_output_problem(error)}", colour="red")
        code = 2
    raise SystemExit(code)


def _plain_streams() -> None:
    """Let stdout and stderr print any text: characters their encoding lacks are written
    in their nearest plain form (``reports.plain.plain_form``), never an error."""
    import codecs

    for stream in (sys.stdout, sys.stderr):
        encoding = codecs.lookup(getattr(stream, "encoding", None) or "utf-8").name
        if encoding != "utf-8" and hasattr(stream, "reconfigure"):
            from standby.reports.plain import plain_form

            codecs.register_error("standby-plain", plain_form)
            stream.reconfigure(errors="standby-plain")


if __name__ == "__main__":  # pragma: no cover
    main()
