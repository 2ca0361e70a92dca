"""Outputs are written atomically, never replace what they must not, and CSV is formula-safe."""

from __future__ import annotations

import errno
import os
import stat
import threading
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from standby import files
from standby.errors import OutputExistsError
from standby.files import (
    OutputError,
    atomic_output,
    check_writable,
    csv_text,
    output_path,
    safe_csv_cell,
    write_text_atomic,
)


def test_existing_output_is_kept_without_force(tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    target.write_text("keep me", encoding="utf-8")
    with pytest.raises(OutputExistsError, match="allow it to be replaced") as caught:
        write_text_atomic(target, "new")
    assert target.read_text(encoding="utf-8") == "keep me"
    # the library names what to change in its own words; the CLI adds --out and --force
    assert "--" not in caught.value.message
    assert caught.value.parameters == ("output", "force")


def test_force_replaces_and_leaves_no_temporary_files(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "report.html"
    write_text_atomic(target, "one")
    write_text_atomic(target, "two", force=True)
    assert target.read_text(encoding="utf-8") == "two"
    assert [p.name for p in target.parent.iterdir()] == ["report.html"]


def test_written_files_get_the_usual_permissions_not_owner_only(tmp_path: Path) -> None:
    import os

    target = write_text_atomic(tmp_path / "page.html", "x")
    expected = 0o666 & ~_current_umask()
    assert target.stat().st_mode & 0o777 == expected
    assert os.access(target, os.R_OK)


def _current_umask() -> int:
    import os

    mask = os.umask(0)
    os.umask(mask)
    return mask


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ('=HYPERLINK("x")', '\'=HYPERLINK("x")'),
        ("+44 7700 900123", "'+44 7700 900123"),
        ("-cmd", "'-cmd"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("-12.5", "-12.5"),
        ("A. Jones", "A. Jones"),
        (None, ""),
        (3, "3"),
    ],
)
def test_formula_cells_are_neutralised(cell: object, expected: str) -> None:
    assert safe_csv_cell(cell) == expected


@given(st.text())
def test_no_csv_cell_can_start_a_formula(text: str) -> None:
    cell = safe_csv_cell(text)
    # only plain numbers may start with a sign
    assert cell[:1] not in ("=", "+", "-", "@", "\t", "\r") or _is_number(cell)


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def test_csv_text_neutralises_header_and_rows() -> None:
    assert csv_text(["person", "=x"], [["=1+1", 2]]) == "person,'=x\n'=1+1,2\n"


# ------------------------------------------------------------------ what may be replaced


def test_force_never_replaces_a_symbolic_link_nor_writes_through_it(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere.txt"
    target.write_text("precious", encoding="utf-8")
    link = tmp_path / "report.txt"
    link.symlink_to(target)
    with pytest.raises(OutputError, match="is a symbolic link, not a regular file"):
        write_text_atomic(link, "new", force=True)
    assert link.is_symlink()
    assert target.read_text(encoding="utf-8") == "precious"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["elsewhere.txt", "report.txt"]


def test_a_dangling_symbolic_link_is_refused_too(tmp_path: Path) -> None:
    link = tmp_path / "report.txt"
    link.symlink_to(tmp_path / "missing.txt")
    with pytest.raises(OutputError, match="symbolic link"):
        write_text_atomic(link, "new")
    assert link.is_symlink()
    assert not (tmp_path / "missing.txt").exists()


def test_force_never_replaces_a_named_pipe(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(OutputError, match=r"named pipe \(FIFO\)"):
        write_text_atomic(fifo, "new", force=True)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_a_device_is_refused_before_anything_is_written() -> None:
    # /dev/null is only looked at: the check refuses it before any file is made
    with pytest.raises(OutputError, match="is a device"):
        check_writable(Path("/dev/null"), force=True)
    assert stat.S_ISCHR(Path("/dev/null").stat().st_mode)


def test_a_folder_where_a_file_should_go_is_refused(tmp_path: Path) -> None:
    (tmp_path / "report.html").mkdir()
    with pytest.raises(OutputError, match="is a folder"):
        write_text_atomic(tmp_path / "report.html", "x", force=True)


def test_a_file_in_the_way_of_the_folder_is_named(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    with pytest.raises(OutputError, match=r"notes.txt is a file, not a folder"):
        write_text_atomic(tmp_path / "notes.txt" / "out" / "report.html", "x")


# ------------------------------------------------------------------ racing writers


def _competitor_writes_meanwhile(monkeypatch: pytest.MonkeyPatch, target: Path) -> None:
    """Another writer creates ``target`` after our check and before our rename."""
    real_fsync = os.fsync

    def fsync_then_compete(fd: int) -> None:
        real_fsync(fd)
        if not target.exists():
            target.write_text("the other writer's", encoding="utf-8")

    monkeypatch.setattr(files.os, "fsync", fsync_then_compete)


@pytest.mark.parametrize("method", ["renameat2", "link", "exclusive create"])
def test_a_file_created_meanwhile_is_never_replaced_without_force(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, method: str
) -> None:
    def unsupported(*_: object) -> bool:
        raise OSError(errno.ENOSYS, "not here")

    if method != "renameat2":
        monkeypatch.setattr(files, "_renameat2", unsupported)
    if method == "exclusive create":
        monkeypatch.setattr(files, "_link", unsupported)
    target = tmp_path / "rota.json"
    _competitor_writes_meanwhile(monkeypatch, target)
    with pytest.raises(OutputExistsError, match="created by someone else"):
        write_text_atomic(target, "mine")
    assert target.read_text(encoding="utf-8") == "the other writer's"
    assert [p.name for p in tmp_path.iterdir()] == ["rota.json"]


@pytest.mark.parametrize("method", ["renameat2", "link", "exclusive create"])
def test_each_way_of_committing_writes_the_whole_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, method: str
) -> None:
    def unsupported(*_: object) -> bool:
        raise OSError(errno.EOPNOTSUPP, "not here")

    if method != "renameat2":
        monkeypatch.setattr(files, "_renameat2", unsupported)
    if method == "exclusive create":
        monkeypatch.setattr(files, "_link", unsupported)
    target = write_text_atomic(tmp_path / "rota.json", "x" * 70_000)
    assert target.read_text(encoding="utf-8") == "x" * 70_000
    assert [p.name for p in tmp_path.iterdir()] == ["rota.json"]


def test_of_two_writers_racing_for_one_name_exactly_one_wins(tmp_path: Path) -> None:
    trials = 30
    for trial in range(trials):
        target = tmp_path / f"export-{trial}.json"
        barrier = threading.Barrier(2)
        outcomes: list[str] = []

        def write(
            text: str,
            target: Path = target,
            barrier: threading.Barrier = barrier,
            outcomes: list[str] = outcomes,
        ) -> None:
            barrier.wait()
            try:
                write_text_atomic(target, text * 50_000)
                outcomes.append(text)
            except OutputExistsError:
                outcomes.append("refused")

        threads = [threading.Thread(target=write, args=(text,)) for text in "ab"]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        assert sorted(outcomes).count("refused") == 1, outcomes
        winner = next(text for text in outcomes if text != "refused")
        assert target.read_text(encoding="utf-8") == winner * 50_000
    assert len(list(tmp_path.iterdir())) == trials


# ------------------------------------------------------------------ names and interruptions


def test_a_name_at_the_file_systems_length_limit_can_be_written(tmp_path: Path) -> None:
    longest = os.pathconf(tmp_path, "PC_NAME_MAX")
    name = "r" * (longest - 5) + ".json"
    target = write_text_atomic(tmp_path / name, "{}")
    assert target.read_text(encoding="utf-8") == "{}"
    assert [p.name for p in tmp_path.iterdir()] == [name]


@given(st.text(alphabet="abcxyz._-", min_size=1, max_size=255))
def test_a_temporary_name_is_never_longer_than_the_final_one_or_16(name: str) -> None:
    temporary = files._temporary_name(name)
    assert len(temporary) <= max(len(name), 16)
    assert temporary.startswith(".")
    assert "/" not in temporary


@pytest.mark.parametrize("interrupt", [KeyboardInterrupt, OSError, ValueError])
def test_an_interrupted_write_leaves_nothing_behind(
    tmp_path: Path, interrupt: type[BaseException]
) -> None:
    target = tmp_path / "runs.json"
    with pytest.raises(interrupt), atomic_output(target) as handle:
        handle.write(b'{"runs": [')
        raise interrupt()
    assert list(tmp_path.iterdir()) == []


def test_a_written_file_appears_only_when_finished(tmp_path: Path) -> None:
    target = tmp_path / "runs.json"
    with atomic_output(target) as handle:
        handle.write(b"[1,")
        assert not target.exists()
        handle.write(b"2]")
    assert target.read_bytes() == b"[1,2]"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("reports/", "reports/rota-check.html"),
        ("reports", "reports"),
        ("existing", "existing/rota-check.html"),
        ("existing/check.html", "existing/check.html"),
    ],
)
def test_a_trailing_slash_or_an_existing_folder_means_a_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, given: str, expected: str
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "existing").mkdir()
    assert output_path(given, "rota-check.html") == Path(expected)
