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


def _chromium(page: Path, profile: Path, *options: str) -> str:
    """Run headless Chromium on ``page`` with a fresh profile; return what it logged."""
    result = subprocess.run(
        [chromium(), *FLAGS, f"--user-data-dir={profile}", *options, page.resolve().as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    return result.stderr


def screenshot(page: Path, work: Path, size: str = "1200,1600") -> tuple[Path, list[str]]:
    """Screenshot ``page`` into ``work``; return the PNG and the page's console lines."""
    png = work / "page.png"
    log = _chromium(page, work / "profile", f"--window-size={size}", f"--screenshot={png}")
    console = [line for line in log.splitlines() if ":CONSOLE" in line]
    assert png.is_file(), log[-2000:]
    return png, console


def print_to_pdf(page: Path, work: Path) -> Path:
    """Print ``page`` to PDF as Chromium prints it (A4 from the page's @page rule)."""
    pdf = work / "page.pdf"
    log = _chromium(page, work / "pdf-profile", "--no-pdf-header-footer", f"--print-to-pdf={pdf}")
    assert pdf.is_file(), log[-2000:]
    return pdf


def pdf_pages(pdf: Path) -> list[tuple[float, float]]:
    """Each page's size in millimetres."""
    from pypdf import PdfReader

    points = 25.4 / 72
    return [
        (float(page.mediabox.width) * points, float(page.mediabox.height) * points)
        for page in PdfReader(pdf).pages
    ]


def distinct_colours(png: Path) -> int:
    """How many distinct colours the screenshot holds (a blank page has one)."""
    from PIL import Image

    with Image.open(png) as image:
        colours = image.convert("RGB").getcolors(maxcolors=1 << 20)
    return len(colours) if colours else 1 << 20
