"""docs/errors.md is what the catalogue makes: it cannot drift from the cases or the messages."""

from __future__ import annotations

from make_docs import TARGET, render


def test_errors_page_is_the_catalogue_as_it_runs_today() -> None:
    committed = TARGET.read_text(encoding="utf-8")
    assert committed == render(), "docs/errors.md is stale: run `make errors-doc`"
