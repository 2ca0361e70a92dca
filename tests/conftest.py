"""Shared test set-up: the Agg backend for matplotlib, Hypothesis profiles and a CLI runner.

Hypothesis draws new examples on every local run (its default profile). CI selects the
``ci`` profile (``HYPOTHESIS_PROFILE=ci`` in ``.ci/run``): the same examples on every run, no
example database and no per-example deadline, so a CI result can be reproduced exactly.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import settings

os.environ.setdefault("MPLBACKEND", "Agg")

settings.register_profile("ci", derandomize=True, database=None, deadline=None, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture
def runner() -> object:
    """A click CliRunner that keeps stderr apart from stdout."""
    from click.testing import CliRunner

    return CliRunner()
