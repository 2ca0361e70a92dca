"""Load a scenario file (or a bundled scenario by name) into a validated :class:`Scenario`.

Every problem is reported at once, each as ``file:line: location: problem`` so a planner can
open the file at the right line. Nothing here ever shows a traceback for bad input.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from standby import yamlfile
from standby.errors import StandbyError, with_input
from standby.hints import did_you_mean
from standby.scenarios.model import Observation, Scenario, ScenarioReferenceError, format_loc
from standby.textfile import CsvError, NotUtf8Error, csv_rows, read_utf8

Loc = tuple[str | int, ...]


class ScenarioError(StandbyError):
    """A scenario file that cannot be used; ``problems`` lists (location, message) pairs."""

    def __init__(self, source: str, problems: list[tuple[str, str]]) -> None:
        self.source = source
        self.problems = problems
        lines = [f"{source}: {len(problems)} problem(s):"] if len(problems) > 1 else []
        lines += [f"{location}: {message}" for location, message in problems]
        super().__init__("\n".join(lines) if len(problems) > 1 else lines[0])


def library_dir() -> Path:
    """The folder of bundled scenarios (inside the installed package)."""
    return Path(str(resources.files("standby.scenarios") / "library"))


def bundled_names() -> list[str]:
    """Names of the bundled scenarios (file stems), sorted."""
    return sorted(p.stem for p in library_dir().glob("*.yaml"))


def bundled_scenarios() -> list[tuple[str, Scenario]]:
    """Every bundled scenario, loaded and checked, by name (what `scenario list` shows)."""
    return [(name, load_scenario(name)) for name in bundled_names()]


def scenario_source(path_or_name: str | Path) -> str:
    """The text of a valid scenario file (what `scenario show` prints, to copy and adapt)."""
    load_scenario(path_or_name)
    return resolve(path_or_name).read_text(encoding="utf-8")


def resolve(path_or_name: str | Path) -> Path:
    """A path to an existing file, or the bundled scenario of that name."""
    path = Path(path_or_name)
    if path.is_file():
        return path
    bundled = library_dir() / f"{path_or_name}.yaml"
    if bundled.is_file():
        return bundled
    if path.exists():
        raise ScenarioError(str(path), [(str(path), "is a folder, not a scenario file")])
    names = bundled_names()
    raise ScenarioError(
        str(path),
        [
            (
                str(path),
                "no such file, and no bundled scenario of that name; "
                f"{did_you_mean(str(path_or_name), names)} "
                "(run 'standby scenario list' to see them)",
            )
        ],
    )


def load_scenario(path_or_name: str | Path) -> Scenario:
    """Read and validate a scenario; raise :class:`ScenarioError` listing every problem."""
    path = resolve(path_or_name)
    try:
        text = read_utf8(path)
    except NotUtf8Error as error:
        problem = f"{error}; save it as UTF-8 text"
        raise ScenarioError(str(path), [(str(path), problem)]) from None
    except OSError as error:
        raise ScenarioError(str(path), [(str(path), f"cannot be read: {error.strerror}")]) from None
    return parse_scenario(text, str(path), base_dir=path.parent)


def parse_scenario(
    text: str, source: str = "<scenario>", *, base_dir: Path | None = None
) -> Scenario:
    """Validate scenario YAML ``text``; ``source`` names it in messages.

    ``base_dir`` is where files the scenario names (``weather_observations_csv``) are read
    from; without it they are read from the current folder.
    """
    if not text.strip():
        raise ScenarioError(
            source,
            [(source, "the file is empty; start from 'standby scenario show chlorine-riverside'")],
        )
    try:
        root = yamlfile.load(text)
    except yamlfile.YamlError as error:
        where = source if error.line is None else f"{source}:{error.line}"
        if error.line is not None and error.column is not None:
            where += f":{error.column}"
        problem = error.problem
        if problem.startswith("not valid YAML ("):
            problem = f"YAML syntax error: {problem[16:-1]}; check indentation and quotes"
        raise ScenarioError(source, [(where, problem)]) from None
    data = root.data
    if not isinstance(data, dict):
        raise ScenarioError(
            source,
            [(source, "the top level must be a mapping of keys such as 'name:', 'site:', 'plan:'")],
        )
    _read_observation_file(data, base_dir or Path())
    try:
        return Scenario.model_validate(data)
    except ValidationError as error:
        problems = [_pydantic_problem(source, data, root, e) for e in error.errors()]
    except ScenarioReferenceError as error:
        problems = [_located(source, data, root, loc, message) for loc, message in error.problems]
    raise ScenarioError(source, problems)


def _pydantic_problem(source: str, data: Any, root: yamlfile.Document, err: Any) -> tuple[str, str]:
    loc: Loc = tuple(err["loc"])
    message = str(err["msg"])
    if message.startswith(("Value error, ", "Assertion failed, ")):
        message = message.split(", ", 1)[1]
    if message.startswith("unknown key '"):
        loc = (*loc, message.split("'")[1])
    if err["type"] == "missing":
        message = "required, but missing"
    elif err["type"] == "union_tag_invalid":
        message += "; check the spelling of 'dist' or 'kind'"
    elif err["type"] == "union_tag_not_found":
        tag = str(err.get("ctx", {}).get("discriminator", "")).strip("'")
        valid = _DISTS if tag == "dist" else _EFFECTS
        message = f"'{tag}' is missing; add '{tag}: ' with one of: {', '.join(valid)}"
    elif err["type"] != "model_type" and not message.startswith("unknown key"):
        message = with_input(message, err)
    return _located(source, data, root, loc, message)


def _located(
    source: str, data: Any, root: yamlfile.Document, loc: Loc, message: str
) -> tuple[str, str]:
    """Drop loc parts that are union tags, then find the YAML line of what remains."""
    kept: list[str | int] = []
    found: list[str | int] = []  # the part of the path that is in the file
    value = data
    for part in loc:
        key = "from" if part == "from_" else part
        if _has(value, key):
            value = value[key]
            found.append(key)
            kept.append(key)
        elif isinstance(key, str) and key not in _UNION_TAGS:
            # a missing field: name it; a union tag (the 'dist' or 'kind' value) is skipped
            kept.append(key)
    line = root.line_of(found)
    where = f"{source}:{line}" if line else source
    return where, f"{format_loc(tuple(kept))}: {message}"


def _has(value: Any, key: str | int) -> bool:
    if isinstance(value, dict):
        return key in value
    return isinstance(value, list) and isinstance(key, int) and 0 <= key < len(value)


_DISTS = ("fixed", "uniform", "triangular", "exponential", "lognormal")
_EFFECTS = ("link_down", "person_unavailable", "role_unavailable", "wind_change", "extra_demand")
_UNION_TAGS = {*_DISTS, *_EFFECTS}


OBSERVATION_COLUMNS = ("time", "wind_from_deg", "wind_speed_ms", "cloud_oktas")


def _read_observation_file(data: dict[str, Any], base_dir: Path) -> None:
    """Put the rows of ``hazard.weather_observations_csv`` into ``weather_observations``."""
    hazard = data.get("hazard")
    name = hazard.get("weather_observations_csv") if isinstance(hazard, dict) else None
    if not isinstance(name, str) or not isinstance(hazard, dict):
        return
    hazard["weather_observations"] = read_observations(base_dir / name)


def read_observations(path: Path) -> list[dict[str, Any]]:
    """The observed hours of a CSV file (header ``time,wind_from_deg,wind_speed_ms,cloud_oktas``).

    Every problem is reported at once as ``file:row: column: problem``; extra columns are
    ignored.
    """
    source = str(path)
    try:
        text = read_utf8(path)
    except OSError as error:
        reason = "no such file" if not path.exists() else error.strerror
        raise ScenarioError(
            source, [(source, f"the observations file cannot be read: {reason}")]
        ) from None
    except NotUtf8Error as error:
        problem = f"{error}; save it as 'CSV UTF-8'"
        raise ScenarioError(source, [(source, problem)]) from None
    try:
        table = csv_rows(text)
    except CsvError as error:
        raise ScenarioError(source, [(source, str(error))]) from None
    header = [name.strip() for name in table[0]] if table else []
    missing = [c for c in OBSERVATION_COLUMNS if c not in header]
    if missing:
        hints = "; ".join(f"'{c}': {did_you_mean(c, header)}" for c in missing)
        raise ScenarioError(
            source,
            [
                (
                    f"{source}:1",
                    f"missing column(s) {', '.join(missing)} ({hints}); the header "
                    f"must be {','.join(OBSERVATION_COLUMNS)}",
                )
            ],
        )
    rows: list[dict[str, Any]] = []
    problems: list[tuple[str, str]] = []
    for number, cells in enumerate(table[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        row = dict(zip(header, cells, strict=False))
        values = {c: (row.get(c) or "").strip() for c in OBSERVATION_COLUMNS}
        try:
            Observation.model_validate(values)
        except ValidationError as error:
            for e in error.errors():
                column = ".".join(str(p) for p in e["loc"])
                message = with_input(str(e["msg"]).removeprefix("Value error, "), e)
                problems.append((f"{source}:{number}", f"{column}: {message}"))
            continue
        rows.append(values)
    if problems:
        raise ScenarioError(source, problems)
    if not rows:
        raise ScenarioError(source, [(source, "the observations file has no rows")])
    return rows
