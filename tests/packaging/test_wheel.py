"""The wheel carries the package data, so an installed Standby finds its bundled files."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # Build from a clean copy: setuptools leaves build/ behind, and a stale build/ in the
    # checkout could put deleted modules into a wheel.
    source = tmp_path_factory.mktemp("source") / "standby"
    shutil.copytree(
        ROOT,
        source,
        ignore=shutil.ignore_patterns(
            ".git", ".venv", "build", "out", "*.egg-info", "__pycache__", ".*_cache"
        ),
    )
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--wheel-dir",
            str(out),
            str(source),
        ],
        check=True,
        capture_output=True,
        cwd=out,
    )
    (found,) = out.glob("standby-*.whl")
    return found


def test_wheel_contains_packages_and_their_data(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "cli.py" in names
    for package in ("standby", "scenarios", "rota", "simulator", "reports"):
        assert f"{package}/__init__.py" in names
    bundled = {p.name for p in (ROOT / "scenarios" / "library").glob("*.yaml")}
    assert bundled
    assert {n.split("/")[-1] for n in names if n.startswith("scenarios/library/")} == bundled
    for data in (ROOT / "rota" / "data").glob("*"):
        if data.suffix in (".csv", ".yaml"):
            assert f"rota/data/{data.name}" in names
    for template in (ROOT / "reports" / "templates").glob("*.j2"):
        assert f"reports/templates/{template.name}" in names
    assert not any(n.startswith("tests/") for n in names)


def test_installed_wheel_lists_bundled_scenarios_from_any_folder(
    wheel: Path, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(site), "COLUMNS": "200"}
    code = (
        "import scenarios, cli; "
        f"assert scenarios.__file__.startswith({str(site)!r}), scenarios.__file__; "
        "cli.main()"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, "scenario", "list"],
        capture_output=True,
        text=True,
        cwd=elsewhere,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    assert "chlorine-riverside" in result.stdout
