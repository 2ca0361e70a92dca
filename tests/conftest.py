"""Shared test fixtures: the Agg backend for matplotlib and a CLI runner."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("MPLBACKEND", "Agg")


@pytest.fixture
def runner() -> object:
    """A click CliRunner that keeps stderr apart from stdout."""
    from click.testing import CliRunner

    return CliRunner()
