"""A YAML rota read the fast way (lists from the text, plain shifts without their models) is
the rota read the long way, to the last field, warning and message.

The oracle is the same reader with ``fast=False``: every list through libyaml's events and
every shift through pydantic, the road ``tests/rota/test_io_yaml.py`` and the bad-input
catalogue were written against. The files are generated in the shapes the fast roads take
(flow mappings one a line, block mappings, long lists read with one expression) and in the
near misses that must leave them: quotes, comments, anchors, tags, keys twice, bad times,
unknown people, values YAML reads as true, null or numbers, unicode, tabs, long lines, CR LF.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from yamlkit import typed

from standby import yamlfile, yamllists
from standby.rota.io import RotaFileError, read_rota
from standby.rota.io_yaml import read_yaml
from standby.rota.io_yaml_load import _RESOLVERS
from standby.rota.io_yaml_models import ShiftModel
from standby.rota.io_yaml_shifts import SHIFT_KEYS

PEOPLE = ["Person 0", "Jo O'Brien", "Zoë Ng"]
NAMES = [*PEOPLE, "p1", "zoë ng", "Nobody", "李雷", "🚑 crew", "a-b c", "Person  0"]
ROLES = ["Rest Centre Manager", "Duty Officer", "R", "Loggist 2"]
TIMES = [
    "2026-01-01 09:00",
    "2026-01-01T21:00",
    "2026-01-02 09:00",
    "2026-01-01 09:00:00",
    "2026-03-29 01:30",  # does not exist in London
    "2026-10-25 01:30",  # happens twice in London
    "2026-01-01",
    "2026-01-01 09:00+01:00",
    "2026-01-01T09:00:00Z",
    "09:00",
    "tomorrow",
    "2026-13-01 09:00",
]
# Read by YAML as true, false, null or a number, or plain text that looks like one.
RESOLVED = ["yes", "No", "on", "OFF", "y", "n", "true", "False", "null", "~", "Null"]
NUMBERS = ["1", "2", "0", "-1", "+2", "1.5", "0x1f", "017", "0b11", "1_000", ".inf", ".nan"]
NUMBERS += ["-.inf", "1e3", "1.0e+3", "190:20:30", "12:30", "08", "0o7"]
# Plain text YAML reads otherwise, or not at all, or that the fast road must leave alone.
NEAR = ["a: b", "a #b", "a#b", "&x", "*x", "!x", "!!str x", "x, y", "[x]", "{x}", "x]", "x}"]
NEAR += ["=", "<<", "-x", "- x", "?x", "x?", "a:b", "http://x.y/z", "%x", "@x", "`x`", "|"]
NEAR += [">", "x:", "a\tb", "a\u2028b", "a\x85b", "a\u00a0b", "\ufeffx", "a\\b", 'a"b', "x "]
NEAR += ["'q'", '"q"', "'it''s'", '"a\\"b"', '"tab\\tthere"', "''", '""', "'x, y'", '"a: b"']
NEAR += ["a\x01b", "a\rb", "x" * 1500, "Person " + "y" * 1100, "a  :b", "a :b", "…"]


def _quoted(value: str) -> list[str]:
    """``value`` as YAML could quote it, where it can without escapes."""
    forms = []
    if "'" not in value and "\n" not in value:
        forms.append(f"'{value}'")
    if '"' not in value and "\\" not in value and "\n" not in value:
        forms.append(f'"{value}"')
    return forms


ANY_VALUE = st.sampled_from(NAMES + ROLES + TIMES + RESOLVED + NUMBERS + NEAR)
QUOTED = ANY_VALUE.flatmap(lambda value: st.sampled_from(_quoted(value) or [value]))
LIKELY = {
    "person": st.sampled_from(NAMES[:5]),
    "role": st.sampled_from(ROLES),
    "start": st.sampled_from(TIMES[:3]),
    "end": st.sampled_from(TIMES[1:4]),
    "level": st.sampled_from(["1", "2", "3", "0", "yes", "'2'", "1.0", "-1"]),
    "phone": st.sampled_from(["07700 900123", "'07700 900123'", "0770090012", "~", "''"]),
    "notes": st.sampled_from(["covering leave", "~", "'a, b'", "yes", "", "2"]),
}
# What a planner's tool writes: a rota that reads (now and then a time that is not one).
CLEAN = {
    "person": st.sampled_from(PEOPLE),
    "role": st.sampled_from(ROLES),
    "level": st.sampled_from(["1", "2"]),
    "phone": st.sampled_from(["07700 900123", "'07700 900123'", '""']),
    "notes": st.sampled_from(["covering leave", "\"Jo's, then Sam's\"", "~"]),
}
SPANS = [
    ("2026-01-01 09:00", "2026-01-01 21:00"),
    ("2026-01-02T09:00", "'2026-01-03 09:00'"),
    ("2026-10-25 01:30", "2026-10-25 09:00"),  # the start happens twice: a warning
    ("2026-01-03 09:00", "2026-01-03 08:00"),  # the end before the start
]
EXTRA_KEYS = ["colour", "yes", "null", "'person'", '"role"', "Person", "on", "a b", "x" * 120]
EXTRA_KEYS += ['"' + "k" * 1100 + '"', "'" + "k" * 100 + "'"]  # libyaml's keys end at 1,024


@st.composite
def values(draw: st.DrawFn, key: str, noisy: bool) -> str:
    """A value for ``key``: mostly one a rota would hold, sometimes anything at all."""
    if not noisy:
        return draw(CLEAN[key])
    kind = draw(st.integers(0, 9))
    if kind < 6 and key in LIKELY:
        return draw(LIKELY[key])
    if kind < 8:
        return draw(ANY_VALUE)
    return draw(QUOTED)


@st.composite
def pairs(draw: st.DrawFn, noisy: bool) -> list[tuple[str, str]]:
    """The keys and values of one shift: the four it needs, sometimes more, fewer, twice."""
    keys = ["person", "role", "start", "end"]
    keys += draw(st.lists(st.sampled_from(["level", "phone", "notes"]), max_size=2, unique=True))
    if noisy and draw(st.integers(0, 4)) == 0:
        keys.append(draw(st.sampled_from([*EXTRA_KEYS, "person"])))  # unknown, or twice
    if noisy and draw(st.integers(0, 4)) == 0:
        keys.remove(draw(st.sampled_from(keys)))
    if draw(st.booleans()):
        keys = draw(st.permutations(keys))
    if not noisy:
        span = dict(zip(("start", "end"), draw(st.sampled_from(SPANS)), strict=True))
        return [(key, span.get(key) or draw(values(key, noisy))) for key in keys]
    return [(key, draw(values(key.strip("'\""), noisy))) for key in keys]


def _sometimes(draw: st.DrawFn, noisy: bool, usual: str, *others: str) -> str:
    return draw(st.sampled_from([usual] * 5 + list(others))) if noisy else usual


@st.composite
def items(draw: st.DrawFn, indent: int, noisy: bool) -> list[str]:
    """One shift as the lines of a list item, in flow or block style, with near misses."""
    found = draw(pairs(noisy))
    space = " " * indent
    dash = "-" + draw(st.sampled_from([" ", " ", "  "]))
    if draw(st.booleans()):
        between = _sometimes(draw, noisy, ": ", ":  ", ":")
        comma = _sometimes(draw, noisy, ", ", ",", " , ", ",  ")
        body = comma.join(f"{key}{between}{value}" for key, value in found)
        inner = _sometimes(draw, noisy, "{}", "{ } ", "{  }")
        line = f"{space}{dash}{inner[0]}{inner[1:-1]}{body}{inner[-1]}"
        end = _sometimes(draw, noisy, "", " ", "  # note", " &a", "\t")
        if noisy and draw(st.integers(0, 9)) == 0 and ", " in line:
            line = line.replace(", ", ",\n" + space + "   ", 1)  # over two lines
        return [line + end]
    column = indent + len(dash)
    lines = []
    for number, (key, value) in enumerate(found):
        shift = draw(st.sampled_from([0] * 8 + [1, -1])) if number and noisy else 0
        lead = f"{space}{dash}" if number == 0 else " " * max(column + shift, 0)
        lines.append(f"{lead}{key}: {value}")
    if noisy and draw(st.integers(0, 9)) == 0:
        lines.insert(draw(st.integers(1, len(lines))), draw(st.sampled_from(["", "  # x"])))
    return lines


@st.composite
def rota_texts(draw: st.DrawFn) -> str:
    """A whole YAML rota file, its shifts list long or short, and its line endings."""
    noisy = draw(st.booleans())
    indent = draw(st.sampled_from([0, 2, 2, 4]))
    base = draw(st.lists(items(indent, noisy), min_size=1, max_size=4))
    times = draw(st.sampled_from([1, 1, 70]))  # a long list takes another road
    shifts = (base[:1] if times > 1 and draw(st.booleans()) else base) * times
    for _ in range(draw(st.integers(0, 2))):
        odd = draw(
            st.sampled_from(["", "  # a comment", "# at the margin", "  ", "  - *a", "  - &a {}"])
            | items(draw(st.sampled_from([indent, indent + 2])), noisy=True)
        )
        shifts.insert(draw(st.integers(0, len(shifts))), odd if isinstance(odd, list) else [odd])
    lines: list[str] = []
    if draw(st.booleans()):
        lines.append(draw(st.sampled_from(["timezone: Europe/London", "timezone: Mars/Olympus"])))
    if draw(st.booleans()):
        lines += ["people:", "  - {id: p0, name: Person 0}", "  - id: p1", "    name: Jo O'Brien"]
        lines += ["  - {id: p2, name: Zoë Ng, roles: [R]}"]
    header = draw(st.sampled_from(["shifts:"] * 8 + ["shifts:  ", "shifts: # all", "'shifts':"]))
    lines.append(header)
    lines += [line for item in shifts for line in item]
    lines += draw(st.sampled_from([[], [""], ["", "# end"]]))
    if draw(st.booleans()):
        lines += draw(
            st.sampled_from(
                [
                    ["leave:", "  - {person: Person 0, start: 2026-01-01, end: 2026-01-02}"],
                    ["requirements:", "- {role: R, min: 1}"],
                    ["shifts:", "  - {person: A, role: R, start: 09:00, end: 10:00}"],
                    ["working_time: []"],
                    ["---", "x: 1"],
                ]
            )
        )
    newline = draw(st.sampled_from(["\n"] * 5 + ["\r\n"]))
    return newline.join(lines) + draw(st.sampled_from([newline, ""]))


def _places(value: Any, loc: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """The path of every key and item in ``value``, one past the end of each list too."""
    found = [loc]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _places(item, (*loc, key))
        found.append((*loc, "no such key"))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _places(item, (*loc, index))
        found.append((*loc, len(value)))
    return found


def _loaded(text: str, resolvers: yamlfile.Resolvers, *, fast: bool) -> Any:
    try:
        document = yamlfile.load(text, resolvers, fast=fast)
    except yamlfile.YamlError as error:
        return ("error", str(error), error.line, error.column)
    lines = [(loc, document.line_of(loc)) for loc in _places(document.data)]
    return ("document", typed(document.data), lines)


def _read(text: str, *, fast: bool) -> Any:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "rota.yaml"
        path.write_bytes(text.encode("utf-8"))
        try:
            rota = read_yaml(path, fast=fast)
        except RotaFileError as error:
            return ("error", str(error).replace(folder, "FOLDER"))
    return ("rota", repr(rota).replace(folder, "FOLDER"))


FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(rota_texts())
def test_a_rota_document_is_the_parsers_to_the_line_and_the_message(text: str) -> None:
    for resolvers in (_RESOLVERS, yamlfile.SAFE):
        assert _loaded(text, resolvers, fast=True) == _loaded(text, resolvers, fast=False)


@FAST
@given(rota_texts())
def test_a_rota_read_fast_is_the_rota_read_the_long_way(text: str) -> None:
    assert _read(text, fast=True) == _read(text, fast=False)


def test_the_generated_rotas_mostly_take_the_fast_roads() -> None:
    """The properties above test something: most generated lists are read from the text,
    and many of those rotas are read without an error."""
    taken, read = 0, 0

    @settings(max_examples=200, deadline=None, database=None)
    @given(rota_texts())
    def count(text: str) -> None:
        nonlocal taken, read
        lists = yamllists.scan(text)
        if lists is not None and yamlfile._Builder(_RESOLVERS).build_with_lists(lists):
            taken += 1
            read += _read(text, fast=True)[0] == "rota"

    count()
    assert taken >= 40 and read >= 10, (taken, read)


def test_the_plain_shift_reader_knows_every_key_of_a_shift() -> None:
    assert frozenset(ShiftModel.model_fields) == SHIFT_KEYS


SHIFT = "{person: A, role: R, start: 2026-01-01 09:00, end: 2026-01-01 21:00}"


def test_a_long_rota_is_read_from_the_text_not_the_parsers_events(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parsed: list[str] = []
    build = yamlfile._Builder.build

    def spy(self: yamlfile._Builder, text: str) -> yamlfile.Document:
        parsed.append(text)
        return build(self, text)

    monkeypatch.setattr(yamlfile._Builder, "build", spy)
    path = tmp_path / "rota.yaml"
    path.write_text("timezone: UTC\nshifts:\n" + f"  - {SHIFT}\n" * 100 + "leave: []\n")
    rota = read_rota(path)
    assert len(rota.shifts) == 100 and rota.shifts[99].source == "rota.yaml:shifts.99"
    assert parsed == ["timezone: UTC\nshifts: []\n" + "\n" * 99 + "\nleave: []\n"]


def test_a_wrong_shift_far_down_a_long_list_is_named_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "rota.yaml"
    rows = [f"  - {SHIFT}"] * 1000
    rows[700] = "  - {person: A, role: R, start: 2026-01-01 09:00, end: 2026-01-01 08:00}"
    path.write_text("shifts:\n" + "\n".join(rows) + "\n")
    with pytest.raises(RotaFileError) as caught:
        read_rota(path)
    assert str(caught.value).startswith(f"{path}: shifts.700 (line 702): end '2026-01-01 08:00'")


def test_a_later_shift_the_models_refuse_is_said_before_an_earlier_unknown_person(
    tmp_path: Path,
) -> None:
    """As before the fast road: the models check every shift before any is read."""
    path = tmp_path / "rota.yaml"
    rows = [f"  - {SHIFT.replace('A,', 'Nobody,', 1)}", *[f"  - {SHIFT}"] * 80, "  - {person: A}"]
    path.write_text("people:\n  - {name: A}\nshifts:\n" + "\n".join(rows) + "\n")
    with pytest.raises(RotaFileError) as caught:
        read_rota(path)
    assert str(caught.value) == (
        f"{path}: shifts.81.role (line 85): this key is required here\n"
        f"{path}: shifts.81.start (line 85): this key is required here\n"
        f"{path}: shifts.81.end (line 85): this key is required here"
    )


def test_max_shifts_holds_for_a_long_list_read_from_the_text(tmp_path: Path) -> None:
    path = tmp_path / "rota.yaml"
    path.write_text("shifts:\n" + f"  - {SHIFT}\n" * 120)
    assert len(read_rota(path, max_shifts=120).shifts) == 120
    with pytest.raises(RotaFileError, match="holds more than 119 shifts"):
        read_rota(path, max_shifts=119)


CELLS = {
    "person": st.sampled_from(["A", "", " ", 1, None, True, ["A"]]),
    "role": st.sampled_from(["R", "", 0, None]),
    "start": st.sampled_from(["2026-01-01 09:00", 1, None, False]),
    "end": st.sampled_from(["2026-01-01 21:00", 2.5, None]),
    "level": st.sampled_from([1, 2, 10**30, 0, -1, True, 1.0, 1.5, "2", None]),
    "phone": st.sampled_from(["07700 900123", "", None, 7700, True]),
    "notes": st.sampled_from(["x", "", None, 1, False]),
    "colour": st.just("red"),
}
ROWS = st.dictionaries(st.sampled_from(sorted(CELLS)), st.none(), max_size=8).flatmap(
    lambda row: st.fixed_dictionaries({key: CELLS[key] for key in row})
)


@settings(max_examples=500, deadline=None)
@given(ROWS)
def test_a_plain_row_is_one_the_shift_model_takes_as_written(row: dict[str, Any]) -> None:
    """Rows the loop takes skip the model, so the model must take them unchanged; the
    loop and the check the error paths use agree on which rows those are."""
    from standby.rota.io_common import TimeReader
    from standby.rota.io_yaml_shifts import first_not_plain, read_plain_shifts

    shifts: list[Any] = []
    read = read_plain_shifts(
        [row],
        shifts=shifts,
        times=TimeReader("UTC", []),
        names=None,
        unknown=lambda name, index: name,
        where=lambda *loc: "here",
        source="rota.yaml:shifts.",
    )
    assert read == (1 if first_not_plain([row]) is None else 0)
    if read:
        model = ShiftModel.model_validate(row)
        fields = ("person", "role", "level", "phone", "notes")
        assert [(type(getattr(model, name)), getattr(model, name)) for name in fields] == [
            (type(getattr(shifts[0], name)), getattr(shifts[0], name)) for name in fields
        ]
