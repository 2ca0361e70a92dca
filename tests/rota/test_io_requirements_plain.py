"""A plain requirements file is read without pydantic, to the same result as the models give.

``rota.io_requirements.plain_requirements`` either returns what ``rota.io_yaml`` (through the
pydantic models) makes of a document, or None to leave it to the models. Generated documents,
plainly valid ones and ones with every kind of odd value, hold it to that.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from standby import yamlfile
from standby.rota.io import read_requirements_file
from standby.rota.io_common import RotaFileError
from standby.rota.io_requirements import plain_requirements
from standby.rota.io_yaml import read_requirements_set
from standby.yamlfile import safe_resolvers

ROOT = Path(__file__).resolve().parents[2]
BUNDLED = ROOT / "rota" / "data" / "council-2026-requirements.yaml"
PATH = Path("requirements.yaml")
ROLES = ["Duty Officer", "Rest Centre Manager", "CCTV"]


def _models(document: Any) -> object:
    """What the models make of ``document``: the set read, or the error's message."""
    loaded = (document, yamlfile.load(yaml.safe_dump(document), safe_resolvers(timestamps=False)))
    try:
        return read_requirements_set(PATH, "Europe/London", loaded=loaded)
    except RotaFileError as error:
        return error


def _maybe(
    draw: st.DrawFn, entry: dict[str, Any], key: str, values: st.SearchStrategy[Any]
) -> None:
    if draw(st.booleans()):
        entry[key] = draw(values)


@st.composite
def plain_documents(draw: st.DrawFn) -> dict[str, Any]:
    """Requirements files with known keys and values of exactly the models' types."""
    clock = st.sampled_from(["00:00", "08:00", "8:45", "17:00", "23:59"])
    days = st.lists(
        st.sampled_from(["mon", "Tue", "wednesday", "sat", "sun", "bank holiday", "bank_holidays"]),
        min_size=1,
        max_size=4,
    )
    dated = st.sampled_from(
        [
            {"start": "2026-11-05 18:00", "end": "2026-11-05 23:30"},
            {"start": "2026-03-29 03:00", "end": "2026-03-29T09:00+01:00"},
            {"start": "05/11/2026 17:00", "end": "2026-11-06"},
        ]
    )
    requirements = []
    for _ in range(draw(st.integers(1, 4))):
        entry: dict[str, Any] = {"role": draw(st.sampled_from(ROLES))}
        _maybe(draw, entry, "min", st.integers(0, 3))
        _maybe(draw, entry, "qualification", st.sampled_from([None, "loggist"]))
        _maybe(
            draw,
            entry,
            "when",
            st.fixed_dictionaries({}, optional={"days": days, "from": clock, "to": clock}),
        )
        if draw(st.booleans()):
            entry["name"] = "Bonfire night"
            entry["dates"] = draw(st.lists(dated, min_size=1, max_size=2))
        requirements.append(entry)
    document: dict[str, Any] = {"requirements": requirements}
    _maybe(draw, document, "timezone", st.sampled_from([None, "Europe/London"]))
    required = sorted({entry["role"] for entry in requirements})
    settings_ = []
    for role in draw(st.lists(st.sampled_from(required), unique=True, max_size=len(required))):
        entry = {"role": role}
        mode = draw(st.sampled_from(["work", "rest", "by_response_time", None]))
        if mode is not None:
            entry["standby"] = mode
        if mode == "by_response_time" or draw(st.booleans()):
            entry["response_minutes"] = draw(st.sampled_from([0, 5, 12.5, 30]))
        _maybe(draw, entry, "callouts_per_week", st.sampled_from([None, 0, 3, 7.5]))
        _maybe(draw, entry, "reference_weeks", st.integers(1, 52))
        _maybe(draw, entry, "weekly_rest", st.sampled_from(["weekly", "fortnightly"]))
        _maybe(draw, entry, "weekly_rest_may_include_daily_rest", st.booleans())
        _maybe(draw, entry, "hazardous_night_work", st.booleans())
        _maybe(draw, entry, "max_consecutive_days", st.sampled_from([None, 1, 7]))
        if mode is None and draw(st.booleans()):
            entry["on_call_is_work"] = draw(st.booleans())
        settings_.append(entry)
    if settings_ or draw(st.booleans()):
        document["working_time"] = settings_ or None
    return document


ODD_VALUES = st.sampled_from(
    [None, True, False, 0, -1, 2.0, 2.5, "2", "", "x", "08:00", 800, [], ["mon"], {}, 10**400]
)


@st.composite
def odd_documents(draw: st.DrawFn) -> Any:
    """Plain documents with one value, key or section changed to something odd."""
    document = draw(plain_documents())
    places: list[tuple[Any, Any]] = [(document, key) for key in ("timezone", "requirements")]
    for section in ("requirements", "working_time"):
        for entry in document.get(section) or []:
            places += [(entry, key) for key in entry]
            places.append((entry, draw(st.sampled_from(["mins", "from_", "role", "dates"]))))
            when = entry.get("when")
            if isinstance(when, dict):
                places += [(when, key) for key in ("days", "from", "to", "from_")]
            for period in entry.get("dates") or []:
                places += [(period, key) for key in ("start", "end")]
    container, key = draw(st.sampled_from(places))
    container[key] = draw(
        ODD_VALUES
        | st.sampled_from(
            ["2026-10-25 01:30", "2026-03-29 01:30", "Mars/Olympus", "Role Z", "rest", "daily"]
        )
    )
    return document


@settings(max_examples=200, deadline=None)
@given(plain_documents())
def test_a_plain_file_is_read_without_the_models_to_their_result(document: Any) -> None:
    plain = plain_requirements(document, PATH, "Europe/London")
    assert plain is not None
    assert repr(plain) == repr(_models(document))


@settings(max_examples=400, deadline=None)
@given(odd_documents())
def test_whatever_the_plain_reader_accepts_the_models_read_the_same(document: Any) -> None:
    plain = plain_requirements(document, PATH, "Europe/London")
    if plain is not None:
        assert repr(plain) == repr(_models(document))


def test_odd_values_go_to_the_models_for_their_message() -> None:
    base = {"requirements": [{"role": "Duty Officer", "min": 1}]}
    for odd in (
        {"requirements": [{"role": "Duty Officer", "min": "2"}]},  # the models make it 2
        {"requirements": [{"role": "Duty Officer", "min": True}]},
        {"requirements": [{"role": "Duty Officer", "mins": 1}]},
        {"requirements": [{"role": "Duty Officer", "when": {"from": 800}}]},
        {"requirements": [{"role": "Duty Officer"}], "working_time": [{"role": "CCTV"}]},
        {**base, "working_time": [{"role": "Duty Officer"}, {"role": "Duty Officer"}]},
        {**base, "timezone": "Mars/Olympus"},
        {"requirements": []},
        [base],
    ):
        assert plain_requirements(odd, PATH, "Europe/London") is None, odd


def test_the_bundled_requirements_are_plain_and_read_as_the_models_read_them() -> None:
    document = yaml.safe_load(BUNDLED.read_text(encoding="utf-8"))
    plain = plain_requirements(document, BUNDLED, "Europe/London")
    assert plain is not None
    models = read_requirements_set(BUNDLED, "Europe/London")
    assert repr(plain) == repr(models)
    assert repr(read_requirements_file(BUNDLED)) == repr(models)


def test_reading_a_plain_requirements_file_does_not_load_pydantic() -> None:
    code = (
        "import sys; from pathlib import Path; from standby.rota.io import read_requirements_file; "
        f"read_requirements_file(Path({str(BUNDLED)!r})); print('pydantic' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert result.stdout.strip() == "False"
