"""standby.yamlfile reads what PyYAML's safe loader reads, and refuses what it must not.

The oracle for ordinary files is PyYAML's own ``safe_load`` (a different code path: its
composer and constructor); the lines are counted by hand.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from standby import limits, yamlfile
from standby.yamlfile import YamlError, load, safe_resolvers

_TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")))
_SCALARS = st.none() | st.booleans() | st.integers() | _TEXT | st.floats(allow_nan=False)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_TEXT, inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=200)
@given(_VALUES, st.booleans())
def test_any_document_reads_as_pyyaml_reads_it(value: Any, flow: bool) -> None:
    text = yaml.safe_dump(value, default_flow_style=flow, allow_unicode=True)
    assert load(text).data == yaml.safe_load(text)


@pytest.mark.parametrize(
    "text",
    [
        "a: 1:20\nb: 0x1f\nc: 017\nd: .inf\ne: ~\nf: yes\ng: 2026-01-05\nh: 2026-01-05 09:00:00\n",
        "base: &b {x: 1, y: 2}\nuse:\n  <<: *b\n  y: 3\n",
        "list: &l [1, 2]\nagain: *l\n'quoted: key': \"x\"\n? plain\n: value\n",
        "a: !!str 17:00\nb: ! 12\nc: !!int '7'\nd: !!float 1\n",
    ],
)
def test_yaml_types_anchors_merges_and_tags_read_as_pyyaml_reads_them(text: str) -> None:
    assert load(text).data == yaml.safe_load(text)


def test_a_rota_keeps_times_and_dates_as_the_text_written() -> None:
    rota = safe_resolvers(timestamps=False, sexagesimal=False)
    data = load("handover: 17:00\nstart: 2026-01-05 09:00:00\nlevel: 2\n", rota).data
    assert data == {"handover": "17:00", "start": "2026-01-05 09:00:00", "level": 2}
    assert load("a: 2026-01-05").data == {"a": dt.date(2026, 1, 5)}


TEXT = """\
timezone: Europe/London
shifts:
  - {person: A, role: R, start: 1, end: 2}
  - person: B
    role: R

    start: 3
patterns:
- role: R
  people: [A,
           B]
"""


@pytest.mark.parametrize(
    ("loc", "line"),
    [
        (("timezone",), 1),
        (("shifts",), 2),
        (("shifts", 0), 3),
        (("shifts", 0, "end"), 3),
        (("shifts", 1), 4),
        (("shifts", 1, "role"), 5),
        (("shifts", 1, "start"), 7),
        (("patterns", 0, "people", 1), 11),
        (("patterns", 0, "missing"), 9),
        (("shifts", 9), 2),
    ],
)
def test_the_line_of_a_key_or_item_is_where_it_is_written(
    loc: tuple[str | int, ...], line: int
) -> None:
    assert load(TEXT).line_of(loc) == line


def test_a_key_written_twice_is_an_error_naming_both_lines() -> None:
    text = "shifts:\n  - {person: A}\npeople: []\nshifts:\n  - {person: B}\n"
    with pytest.raises(YamlError) as caught:
        load(text)
    assert caught.value.line == 4
    assert "the key 'shifts' is written twice in one mapping, at line 1 and line 4" in str(
        caught.value
    )


def test_a_key_written_twice_in_a_nested_mapping_is_found_too() -> None:
    with pytest.raises(YamlError, match=r"the key 'role' is written twice.*line 2 and line 2"):
        load("shifts:\n  - {role: A, role: B}\n")


def test_nesting_past_the_limit_is_an_error_at_its_line() -> None:
    assert load("[" * limits.MAX_NESTING + "]" * limits.MAX_NESTING).data is not None
    with pytest.raises(YamlError, match="nested more than 64 levels deep") as caught:
        load("a:\n  " + "[" * 65 + "]" * 65)
    assert caught.value.line == 2


def test_nesting_a_hundred_thousand_deep_is_an_error_not_a_crash() -> None:
    # libyaml stops at its own depth (1,000) before the events reach the limit
    with pytest.raises(YamlError, match="nest") as caught:
        load("a:\n  " + "[" * 100_000 + "]" * 100_000)
    assert caught.value.line == 2


def test_aliases_that_would_repeat_a_billion_values_are_refused() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for level in range(1, 9):
        lines.append(f"a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * 10) + "]")
    with pytest.raises(YamlError, match="repeat more than 1,000,000 values"):
        load("\n".join(lines))


def test_the_limits_are_read_when_a_file_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "MAX_NESTING", 3)
    with pytest.raises(YamlError, match="nested more than 3 levels"):
        load("[[[[1]]]]")


@pytest.mark.parametrize(
    "text",
    [
        "a: !!python/object/apply:os.system [echo hi]",
        "a: !custom x",
        "a: !!binary aGk=",
        "a: !!set {x}",
        "a: =",
    ],
)
def test_only_plain_yaml_types_are_built(text: str) -> None:
    with pytest.raises(YamlError, match="Standby does not read"):
        load(text)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("a: [1, 2\n", "not valid YAML"),
        ("a: 1\n---\nb: 2\n", "more than one YAML document"),
        ("a: *nowhere\n", "names no anchor"),
        ("? [1, 2]\n: x\n", "a key must be plain text"),
        ("a: !!int ten\n", "'ten' is not a valid int"),
    ],
)
def test_broken_files_are_errors_with_a_line(text: str, problem: str) -> None:
    with pytest.raises(YamlError, match=problem) as caught:
        load(text)
    assert caught.value.line is not None


def test_an_empty_file_is_none() -> None:
    assert load("").data is None
    assert load("# only a comment\n").data is None


def test_the_fast_parser_is_used_when_pyyaml_has_it() -> None:
    assert yamlfile._loader() is getattr(yaml, "CSafeLoader", yaml.SafeLoader)
