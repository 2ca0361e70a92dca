"""Every case of the bad-input catalogue ends in a clear message and exit code 2, no traceback,
and no file made or changed (the cases are the ``*.yaml`` files beside this one)."""

from __future__ import annotations

import pytest
from badkit import Case, all_cases, problems, run

CASES = all_cases()


def _param(case: Case) -> object:
    marks = [pytest.mark.slow] if case.slow else []
    return pytest.param(case, id=f"{case.loader}/{case.id}", marks=marks)


@pytest.mark.parametrize("case", [_param(case) for case in CASES])
def test_bad_input_ends_in_a_message_that_says_where_and_how_to_fix(case: Case) -> None:
    outcome = run(case)
    assert problems(case, outcome) == [], outcome.stderr


def test_the_catalogue_has_at_least_sixty_cases_with_unique_ids() -> None:
    ids = [case.id for case in CASES]
    assert len(ids) >= 60
    assert len(set(ids)) == len(ids)
