"""Render a self-contained HTML page in headless Chromium: a screenshot and the console lines.

Used by the browser tests. Chromium comes from Debian's package (installed by `.ci/run`);
without it the tests skip, unless STANDBY_REQUIRE_BROWSER=1 turns the skip into a failure.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--enable-logging=stderr",
    "--v=0",
)


def chromium() -> str:
    """The Chromium executable, or skip (fail when STANDBY_REQUIRE_BROWSER=1)."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    if os.environ.get("STANDBY_REQUIRE_BROWSER") == "1":
        pytest.fail("STANDBY_REQUIRE_BROWSER=1 but no chromium is installed")
    pytest.skip("chromium is not installed (CI installs it; see .ci/run)")


def screenshot(page: Path, work: Path, size: str = "1200,1600") -> tuple[Path, list[str]]:
    """Screenshot ``page`` into ``work``; return the PNG and the page's console lines."""
    png = work / "page.png"
    profile = work / "profile"
    result = subprocess.run(
        [
            chromium(),
            *FLAGS,
            f"--user-data-dir={profile}",
            f"--window-size={size}",
            f"--screenshot={png}",
            page.resolve().as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    console = [line for line in result.stderr.splitlines() if ":CONSOLE" in line]
    assert png.is_file(), result.stderr[-2000:]
    return png, console


def distinct_colours(png: Path) -> int:
    """How many distinct colours the screenshot holds (a blank page has one)."""
    from PIL import Image

    with Image.open(png) as image:
        colours = image.convert("RGB").getcolors(maxcolors=1 << 20)
    return len(colours) if colours else 1 << 20
