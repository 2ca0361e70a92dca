"""CI runs every test, slow ones included, with Hypothesis derandomised."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import settings

ROOT = Path(__file__).resolve().parents[1]


def test_ci_selects_the_derandomised_hypothesis_profile() -> None:
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(r"^export HYPOTHESIS_PROFILE=ci$", script, re.MULTILINE)
    profile = settings.get_profile("ci")
    assert profile.derandomize is True
    assert profile.database is None


def test_make_test_deselects_nothing() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    (command,) = [
        line for line in makefile.splitlines() if "/pytest " in line and "golden" not in line
    ]
    assert " -m " not in command and " -k " not in command
