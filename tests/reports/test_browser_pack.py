"""The HTML exercise pack in headless Chromium: it renders (not blank, no console errors) and
prints to PDF with every inject card on a page of its own."""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

import pytest
from browser import FLAGS, chromium, distinct_colours, screenshot
from packkit import chlorine_document, chlorine_pack

from standby.reports.document import to_html


def _page(tmp_path: Path) -> Path:
    page = tmp_path / "exercise-pack.html"
    page.write_text(to_html(chlorine_document()), encoding="utf-8")
    return page


def _print_to_pdf(page: Path, work: Path) -> Path:
    pdf = work / "pack.pdf"
    result = subprocess.run(
        [
            chromium(),
            *FLAGS,
            f"--user-data-dir={work / 'pdf-profile'}",
            "--no-pdf-header-footer",
            f"--print-to-pdf={pdf}",
            page.resolve().as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert pdf.is_file(), result.stderr[-2000:]
    return pdf


@pytest.mark.browser
@pytest.mark.slow
def test_pack_renders_with_content_and_no_console_errors(tmp_path: Path) -> None:
    png, console = screenshot(_page(tmp_path), tmp_path)
    assert console == []
    assert distinct_colours(png) > 50


@pytest.mark.browser
@pytest.mark.slow
def test_printed_pack_has_one_inject_card_a_page(tmp_path: Path) -> None:
    from pypdf import PdfReader

    pdf = _print_to_pdf(_page(tmp_path), tmp_path)
    pages = [page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf.read_bytes())).pages]
    cards = len(chlorine_pack().msel)
    page_of = {}
    for number, text in enumerate(pages):
        for found in re.findall(r"^Inject (\d+)\s*$", text, flags=re.MULTILINE):
            page_of.setdefault(int(found), set()).add(number)
    assert sorted(page_of) == list(range(1, cards + 1))
    assert all(len(on) == 1 for on in page_of.values()), "a card is split across pages"
    firsts = [min(page_of[n]) for n in range(1, cards + 1)]
    assert firsts == list(range(firsts[0], firsts[0] + cards)), "cards share a page"
