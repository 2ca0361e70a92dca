"""standby.yamllists finds the long lists it can read, and yamlfile reads a file with them
exactly as the parser reads it, or leaves the file to the parser.

The oracle is ``yamlfile.load(..., fast=False)``: libyaml's events, for every list.
"""

from __future__ import annotations

from typing import Any

import pytest
from yamlkit import typed

from standby import limits, yamlfile, yamllists
from standby.yamlfile import YamlError, load, safe_resolvers

ROTA = safe_resolvers(timestamps=False, sexagesimal=False)
ITEM = "{person: A, role: R, start: 2026-01-01 09:00, end: 2026-01-01 21:00}"


def _places(value: Any, loc: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [loc]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _places(item, (*loc, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _places(item, (*loc, index))
    return found


def _outcome(text: str, *, fast: bool) -> Any:
    try:
        document = load(text, ROTA, fast=fast)
    except YamlError as error:
        return ("error", str(error), error.line, error.column)
    lines = [(loc, document.line_of(loc)) for loc in _places(document.data)]
    return ("document", typed(document.data), lines)


def _fast_road(text: str) -> bool:
    lists = yamllists.scan(text)
    return lists is not None and yamlfile._Builder(ROTA).build_with_lists(lists) is not None


# Each is read the same both ways; the flag says whether the fast road may take it.
CASES = [
    (f"shifts:\n  - {ITEM}\n  - {ITEM}\n", True),
    (f"shifts:\n- {ITEM}\n-   {ITEM}\nleave: []\n", True),
    ("shifts:\n  - person: A\n    role: R\n  -  person: B\n     level: 2\n", True),
    ("shifts:\n  - {person: yes, role: ~, start: 017, end: 0x1f, level: 1_0, notes: .5}\n", True),
    ("shifts:\n  - {'person': \"Zoë\", role: '', notes: \"a, b: #c\"}\n", True),
    (f"shifts:\n  - {ITEM}\n\n  # a comment\n\n  - {ITEM}\n\n# end\n", True),
    (f"timezone: UTC\r\nshifts:\r\n  - {ITEM}\r\n", True),  # CR LF is read as LF
    (f"%YAML 1.1\n---\nshifts:\n  - {ITEM}\n...\n", True),
    (f"\ufeffshifts:\n  - {ITEM}\n", False),  # a byte-order mark before the key
    (f"base: &b [1]\nshifts:\n  - {ITEM}\nagain: *b\n", True),
    (f"<<: {{shifts: 1, other: 2}}\nshifts:\n  - {ITEM}\n", True),
    (f"{{\nshifts:\n  - {ITEM}\n}}\n", False),  # a flow mapping at the top: an error
    (f'a: "x\nshifts:\n  - {ITEM}\n"\n', False),  # inside a quoted text
    (f"a: [x,\nshifts:\n  - {ITEM}\n]\n", False),  # inside a flow list
    (f"a: |+\n  text\nshifts:\n  - {ITEM}\n", True),
    (f"? a\n: b\nshifts:\n  - {ITEM}\n", True),
    (f"shifts: &s\n  - {ITEM}\n", False),
    (f"yes:\n  - {ITEM}\n", False),  # the key is true
    (f"- {ITEM}\n- {ITEM}\n", False),  # a list at the top
    (f"shifts:\n  - {ITEM}\n- {ITEM}\n", False),
    (f"shifts:\n  - {ITEM}\n    - {ITEM}\n", False),
    (f"shifts:\n  - {ITEM}\n    more: x\n", False),
    (f"shifts:\n  - {ITEM}\n  -\n", False),
    ("shifts:\n  - {}\n", False),
    ("shifts:\n  - {role: A, role: B}\n", False),  # a key twice
    ("shifts:\n  - {yes: A, on: B}\n", False),  # true twice
    ("shifts:\n  - {role: =}\n", False),
    ("shifts:\n  - {role: <<}\n", False),
    ("shifts:\n  - {role: a\tb}\n", False),
    ("shifts:\n  - {role:\tb}\n", False),
    ("shifts:\n  - {role: a\u2028b}\n", False),
    ("shifts:\n  - {role: a\x01b}\n", False),
    ("shifts:\n  - {role: x}\n  # \x01\n  - {role: y}\n", False),
    ("shifts:\n  - {role: 'it''s'}\n", False),
    ('shifts:\n  - {role: "a\\"b"}\n', False),
    ("shifts:\n  - {role: !!str 1}\n", False),
    ("shifts:\n  - {role: &a x}\n  - {role: *a}\n", False),
    ("shifts:\n  - {role: x} # note\n", False),
    ("shifts:\n  - {role: a: b}\n", False),
    ("shifts:\n  - {role: a:b, at: 09:00}\n", True),
    ("shifts:\n  - {url: http://x.y/z}\n", False),
    ("shifts:\n  - {" + '"' + "k" * 101 + '"' + ": v}\n", False),
    ("shifts:\n  - {" + '"' + "k" * 1100 + '"' + ": v}\n", False),  # a very long key
    ("shifts:\n  - {role: " + "v" * 5000 + "}\n", True),
    (f"shifts:\n  - {ITEM}\n---\nshifts:\n  - {ITEM}\n", False),
    (f"shifts:\n  - {ITEM}\n\ufeff  - {ITEM}\n", False),  # libyaml skips a BOM at a margin
    (f"shifts:\n- {ITEM}\n\ufeff- {ITEM}\n", False),
    (f"shifts:\n  - {ITEM}\n\t- {ITEM}\n", False),
    (f"shifts:\n  - {ITEM}\n...\n  - {ITEM}\n", False),
    (f"shifts:\n  - {ITEM}\n-x: 1\n", True),
    (f"shifts:\n- {ITEM}\n-x: 1\n", True),
    (f"shifts:\n  - {ITEM}\nshifts:\n  - {ITEM}\n", False),  # the key twice
]


@pytest.mark.parametrize(("text", "fast"), CASES)
def test_a_file_reads_as_the_parser_reads_it(text: str, fast: bool) -> None:
    assert _outcome(text, fast=True) == _outcome(text, fast=False)
    assert _fast_road(text) == fast


def test_a_long_list_of_one_shape_is_read_with_one_expression_and_its_lines() -> None:
    text = "timezone: UTC\nshifts:\n" + f"  - {ITEM}\n" * 200 + "\nleave: []\n"
    lists = yamllists.scan(text)
    assert lists is not None
    [block] = lists.blocks
    assert (block.key, block.line, len(block.runs)) == ("shifts", 2, 1)
    assert list(block.runs[0].lines) == list(range(3, 203))
    assert lists.text == "timezone: UTC\nshifts: []\n" + "\n" * 199 + "\n\nleave: []\n"
    assert load(text).line_of(("shifts", 199, "end")) == 202


def test_block_items_keep_the_line_of_each_key() -> None:
    text = "shifts:\n" + "  - person: A\n    role: R\n    start: 1\n" * 100
    document = load(text)
    assert document.line_of(("shifts", 99, "start")) == 301  # item 99 starts at 2 + 3 * 99
    assert document.line_of(("shifts", 0, "role")) == 3
    assert _outcome(text, fast=True) == _outcome(text, fast=False)


def test_a_line_break_yaml_counts_but_python_does_not_leaves_the_file_to_the_parser() -> None:
    for mark in ("\x85", "\u2028", "\u2029", "\r"):
        assert yamllists.scan(f"a: x{mark}y\nshifts:\n  - {ITEM}\n") is None


def test_the_nesting_limit_holds_for_a_list_read_from_the_text(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = f"shifts:\n  - {ITEM}\n" * 1
    monkeypatch.setattr(limits, "MAX_NESTING", 2)
    with pytest.raises(YamlError, match="nested more than 2 levels deep") as caught:
        load(text)
    assert caught.value.line == 2
    monkeypatch.setattr(limits, "MAX_NESTING", 3)
    assert len(load(text).data["shifts"]) == 1


def test_the_alias_limit_holds_with_a_list_read_from_the_text(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = f"a: &a [1, 2, 3]\nshifts:\n  - {ITEM}\nb: [*a, *a]\n"
    monkeypatch.setattr(limits, "MAX_ALIAS_VALUES", 8)  # each alias repeats the list's 4
    assert _fast_road(text)
    assert load(text).data["b"] == [[1, 2, 3], [1, 2, 3]]
    monkeypatch.setattr(limits, "MAX_ALIAS_VALUES", 7)
    with pytest.raises(YamlError, match="repeat more than 7 values") as caught:
        load(text)
    assert caught.value.line == 4


LONG = [
    "shifts:\n" + f"  - {ITEM}\n" * 150 + "  - {person: B, level: 2}\n" + f"  - {ITEM}\n" * 9,
    "shifts:\n" + "  - {person: B, level: 2}\n" + f"  - {ITEM}\n" * 150,
    "shifts:\n" + f"  - {ITEM}\n" * 150 + "  - {person: B, level: [2]}\n",  # not for the road
    "shifts:\n" + "  - person: A\n    role: R\n    start: 1\n    end: 2\n" * 20,  # 80 lines
    "shifts:\n" + "  - person: A\n    role: R\n" * 70 + "  - person: A\n    role: R\n    x: 1\n",
]


@pytest.mark.parametrize("text", LONG)
def test_a_long_list_with_another_shape_far_down_reads_as_the_parser_reads_it(text: str) -> None:
    assert _outcome(text, fast=True) == _outcome(text, fast=False)
    assert _fast_road(text) == ("[2]" not in text)
