"""Write docs/errors.md from the bad-input catalogue: ``make errors-doc``.

Every case is run through the command line and its message is put in the table as the user
sees it, so the page cannot drift from what Standby says (``test_docs.py`` checks that the
committed page is what this writes). The faults and fuzzing sections are written by hand,
in ``faults.md`` and ``fuzzing.md`` beside this file.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:  # run as a script: python tests/bad_inputs/make_docs.py
    sys.path.insert(0, str(HERE))

from badkit import ROOT, Case, loaders, message, run  # noqa: E402

TARGET = ROOT / "docs" / "errors.md"

INTRO = """\
# Errors, bad input and faults

<!-- Written by `make errors-doc` from tests/bad_inputs/; edit the cases there, not this page. -->

Standby reads whatever a spreadsheet, a calendar or a colleague's editor produced, and runs
on laptops with full discs. Whatever it is given, it ends in one of three ways: it works;
it finds problems in a rota or a run (exit code 1); or it stops with **exit code 2** and a
message on stderr that says what is wrong, where (the file, the row or cell or line, the
column or key) and how to put it right. It never prints a traceback for bad input, and it
never leaves a file half-written or replaces one it was not told to (see
[safety.md](safety.md)).

The tables below are the catalogue of bad inputs the tests run, {count} cases in all: each
is run through the real command line in an empty folder, and must exit with code 2, print a
message holding the fragments the case names (the place and the fix), print no traceback,
and leave the folder exactly as it was. The message shown is what Standby prints. The
cases live in `tests/bad_inputs/*.yaml` as data (the files, the command, the fragments);
add one there and run `make errors-doc` to refresh this page.

| what is read | cases |
|---|---|
{summary}
"""


def _cell(text: str) -> str:
    """Text for a Markdown table cell: code spans, one per line, pipes escaped."""
    lines = [line.replace("`", "'").replace("|", "\\|") for line in text.splitlines()]
    return "<br>".join(f"`{line}`" for line in lines if line.strip())


def _row(case: Case) -> str:
    shown = message(run(case)).removeprefix("Error: ")
    what = case.what.replace("|", "\\|")
    return f"| {what} | {_cell('standby ' + case.command)} | {_cell(shown)} |"


def render() -> str:
    """The whole page."""
    groups = loaders()
    count = sum(len(group.cases) for group in groups)
    summary = "\n".join(f"| [{g.title}](#{_anchor(g.title)}) | {len(g.cases)} |" for g in groups)
    parts = [INTRO.format(count=count, summary=summary)]
    for group in groups:
        parts.append(f"## {group.title}\n")
        if group.about:
            parts.append(f"{group.about}\n")
        parts.append("| input | command | message |\n|---|---|---|")
        parts.append("\n".join(_row(case) for case in group.cases) + "\n")
    for name in ("faults.md", "fuzzing.md"):
        parts.append((HERE / name).read_text(encoding="utf-8").rstrip() + "\n")
    return "\n".join(parts)


def _anchor(title: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces as dashes."""
    kept = "".join(c for c in title.lower() if c.isalnum() or c in " -_")
    return kept.replace(" ", "-")


def main() -> None:
    TARGET.write_text(render(), encoding="utf-8")
    print(f"wrote {TARGET.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
