"""Rota and requirements files that would lose shifts or take the machine are refused.

Each hostile file is read in a fresh process with a time and a memory limit (the
``bounded`` fixture), so a regression fails with the limit named instead of hanging.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from standby.rota.io import read_requirements_file, read_rota
from standby.rota.io_common import RotaFileError

EPO = "Duty Emergency Planning Officer"


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# ------------------------------------------------------------------ duplicate keys


def test_a_second_shifts_section_is_an_error_naming_both_lines(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "rota.yaml",
        "shifts:\n"
        f"  - {{person: A, role: {EPO}, start: 2026-01-05 09:00, end: 2026-01-12 09:00}}\n"
        "people: []\n"
        "shifts:\n"
        f"  - {{person: B, role: {EPO}, start: 2026-01-12 09:00, end: 2026-01-19 09:00}}\n",
    )
    with pytest.raises(RotaFileError) as caught:
        read_rota(path)
    assert str(caught.value) == (
        f"{path}: line 4: the key 'shifts' is written twice in one mapping, at line 1 and "
        "line 4; YAML would keep only the second: keep one (or merge them)"
    )


def test_a_key_twice_in_one_shift_is_an_error(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "rota.yaml",
        "shifts:\n  - person: A\n    role: R\n    start: 2026-01-05 09:00\n"
        "    end: 2026-01-12 09:00\n    person: B\n",
    )
    with pytest.raises(RotaFileError, match=r"'person' is written twice.*line 2 and line 6"):
        read_rota(path)


def test_a_requirements_file_with_a_key_twice_is_an_error(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "req.yaml",
        f"requirements:\n  - {{role: {EPO}, min: 1}}\nrequirements:\n  - {{role: CCTV, min: 2}}\n",
    )
    with pytest.raises(RotaFileError, match=r"'requirements' is written twice.*line 1 and line 3"):
        read_requirements_file(path)


# ------------------------------------------------------------------ nesting and aliases


def test_deeply_nested_yaml_is_an_error_not_a_crash(tmp_path: Path, bounded) -> None:  # type: ignore[no-untyped-def]
    path = write(tmp_path, "rota.yaml", "shifts:\n  - notes: " + "[" * 50_000 + "]" * 50_000)
    done = bounded(
        "from pathlib import Path\nfrom standby.rota.io import read_rota, RotaFileError\n"
        f"try:\n    read_rota(Path({str(path)!r}))\n"
        "except RotaFileError as error:\n    print(error)\n"
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert f"{path}: line 2" in done.stdout
    assert "nest" in done.stdout


def test_deeply_nested_json_is_an_error_not_a_crash(tmp_path: Path, bounded) -> None:  # type: ignore[no-untyped-def]
    path = write(tmp_path, "rota.json", '{"shifts": ' + "[" * 200_000 + "]" * 200_000 + "}")
    done = bounded(
        "from pathlib import Path\nfrom standby.rota.io import read_rota, RotaFileError\n"
        f"try:\n    read_rota(Path({str(path)!r}))\n"
        "except RotaFileError as error:\n    print(error)\n"
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "nested" in done.stdout


def test_a_yaml_alias_bomb_is_refused_quickly(tmp_path: Path, bounded) -> None:  # type: ignore[no-untyped-def]
    lines = [f"a0: &a0 [{EPO}, {EPO}, {EPO}, {EPO}, {EPO}, {EPO}, {EPO}, {EPO}, {EPO}, {EPO}]"]
    lines += [f"a{n}: &a{n} [" + ", ".join([f"*a{n - 1}"] * 10) + "]" for n in range(1, 9)]
    shift = "{person: A, role: R, start: 2026-01-05 09:00, end: 2026-01-12 09:00, notes: *a8}"
    path = write(tmp_path, "rota.yaml", "\n".join(lines) + f"\nshifts:\n  - {shift}\n")
    done = bounded(
        "from pathlib import Path\nfrom standby.rota.io import read_rota, RotaFileError\n"
        f"try:\n    read_rota(Path({str(path)!r}))\n"
        "except RotaFileError as error:\n    print(error)\n",
        seconds=30,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "repeat more than 1,000,000 values" in done.stdout
