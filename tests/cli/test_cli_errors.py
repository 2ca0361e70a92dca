"""Library errors never name options; the command line adds the options a user can change."""

from __future__ import annotations

import click
import pytest

from standby.cli import OPTIONS, cli, error_text
from standby.errors import PARAMETERS, StandbyError


def _options(command: click.Command) -> set[str]:
    names = {opt for param in command.params for opt in getattr(param, "opts", [])}
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            names |= _options(sub)
    return names


def test_every_parameter_an_error_can_name_has_an_option() -> None:
    assert set(OPTIONS) == set(PARAMETERS)
    assert set(OPTIONS.values()) <= _options(cli)


def test_the_options_follow_the_message_in_the_order_the_error_names_them() -> None:
    error = StandbyError(
        "the window's end must be later than its start", parameters=("window_end", "window_start")
    )
    assert error_text(error) == "the window's end must be later than its start (--to, --from)"


def test_an_error_without_parameters_is_printed_as_it_is() -> None:
    assert error_text(StandbyError("rota.csv: row 3 has 5 cells")) == "rota.csv: row 3 has 5 cells"


def test_a_parameter_nobody_documented_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match=r"unknown error parameters \['window'\]"):
        StandbyError("x", parameters=("window",))
