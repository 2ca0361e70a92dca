"""Standby command line: parse arguments, call a library function, print, map errors to exit codes.

Exit codes: 0 all good; 1 the check found problems; 2 bad input or usage. Heavy libraries
(matplotlib, openpyxl, networkx, simpy) are imported inside the commands that need them so
that ``standby --help`` stays fast.
"""

from __future__ import annotations

import sys
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


# --- rota -----------------------------------------------------------------------------------


# --- simulate -------------------------------------------------------------------------------


# --- demo -----------------------------------------------------------------------------------


def main() -> None:
    """Console-script entry point (``standby``)."""
    cli(prog_name="standby")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
