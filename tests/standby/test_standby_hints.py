"""One "did you mean" for every message that rejects a name."""

from __future__ import annotations

from standby.hints import closest, did_you_mean


def test_a_one_letter_typo_is_matched() -> None:
    assert closest("convene_tgc", ["warn_public", "convene_tcg"]) == "convene_tcg"
    assert did_you_mean("councl", ["police", "council"]) == "did you mean 'council'?"


def test_nothing_alike_lists_the_valid_options_sorted() -> None:
    assert closest("Gold", ["Duty Emergency Planning Officer"]) is None
    assert did_you_mean("xyz", ["tcg", "remote"]) == "valid: remote, tcg"


def test_a_long_list_is_cut_after_twelve() -> None:
    options = [f"role{n:02d}" for n in range(20)]
    hint = did_you_mean("zzzz", options)
    assert hint == "valid: " + ", ".join(options[:12]) + ", ..."


def test_no_options_at_all_says_so() -> None:
    assert did_you_mean("anything", []) == "none is defined"
