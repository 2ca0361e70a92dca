"""The wheel installs one import package, ``standby``, carrying its data.

The repository keeps the design's top-level folders (``simulator/``, ``rota/``, ...); the
wheel must install them as subpackages of ``standby`` and nothing else at the top level, so
that Standby cannot collide with another package called ``reports`` or ``cli``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SUBPACKAGES = ("simulator", "scenarios", "rota", "reports")


def public_modules() -> list[str]:
    """Every module of the checkout, by the import name it must have once installed."""
    names = ["standby", "standby.cli"]
    kernel = (ROOT / "standby").glob("*.py")
    # __main__ runs the command line when imported, so it is left out.
    names += [f"standby.{p.stem}" for p in kernel if not p.is_symlink() and p.stem != "__main__"]
    for package in SUBPACKAGES:
        names.append(f"standby.{package}")
        for path in (ROOT / package).rglob("*.py"):
            dotted = ".".join(path.relative_to(ROOT / package).with_suffix("").parts)
            names.append(f"standby.{package}.{dotted}")
    return sorted({n.removesuffix(".__init__") for n in names})


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # Build from a clean copy: setuptools leaves build/ behind, and a stale build/ in the
    # checkout could put deleted modules into a wheel. The copy keeps the symlinks as they
    # are in git, so the build follows them as it does from a clone.
    source = tmp_path_factory.mktemp("source") / "standby"
    shutil.copytree(
        ROOT,
        source,
        symlinks=True,
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


def test_wheel_installs_one_top_level_package(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    tops = {n.split("/")[0] for n in names if not n.split("/")[0].endswith(".dist-info")}
    assert tops == {"standby"}
    top_level = next(n for n in names if n.endswith(".dist-info/top_level.txt"))
    assert zipfile.ZipFile(wheel).read(top_level).decode().split() == ["standby"]
    assert "standby/cli.py" in names
    for package in SUBPACKAGES:
        assert f"standby/{package}/__init__.py" in names


def test_wheel_carries_the_bundled_data(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    bundled = {p.name for p in (ROOT / "scenarios" / "library").glob("*.yaml")}
    assert bundled
    library = {n.split("/")[-1] for n in names if n.startswith("standby/scenarios/library/")}
    assert library == bundled
    for data in (ROOT / "rota" / "data").glob("*"):
        if data.suffix in (".csv", ".yaml"):
            assert f"standby/rota/data/{data.name}" in names
    templates = list((ROOT / "reports" / "templates").glob("*.j2"))
    assert templates
    for template in templates:
        assert f"standby/reports/templates/{template.name}" in names
    console = ROOT / "reports" / "console"
    for data in [*console.glob("templates/*.j2"), *console.glob("static/*")]:
        assert f"standby/reports/console/{data.relative_to(console)}" in names
    assert not any(n.startswith(("tests/", "standby/tests/")) for n in names)


@pytest.mark.slow
def test_wheel_in_a_fresh_venv_imports_every_module_by_its_new_name(
    wheel: Path, tmp_path: Path
) -> None:
    env_dir = tmp_path / "venv"
    # system_site_packages lends the venv the dependencies without a network install; the
    # project itself is only in the wheel.
    venv.EnvBuilder(system_site_packages=True, with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    modules = public_modules()
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    module = importlib.import_module(name)\n"
        f"    assert module.__file__.startswith({str(site)!r}), (name, module.__file__)\n"
        "from standby.cli import main\n"
        "sys.argv = ['standby', 'scenario', 'list']\n"
        "main()\n"
    )
    deps = [p for p in sys.path if p.endswith("site-packages")]
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(site), *deps]),
        "COLUMNS": "200",
    }
    result = subprocess.run(
        [str(python), "-c", code], capture_output=True, text=True, cwd=elsewhere, env=env
    )
    assert result.returncode == 0, result.stderr
    assert "chlorine-riverside" in result.stdout
    # The old generic names must not be importable from the installed wheel.
    for old in ("cli", *SUBPACKAGES):
        probe = subprocess.run(
            [str(python), "-c", f"import {old}"], capture_output=True, cwd=elsewhere, env=env
        )
        assert probe.returncode != 0, f"'{old}' is importable at the top level"
