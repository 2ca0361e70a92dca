"""Safe output files: atomic writes that never replace what they must not, formula-safe CSV.

Every file Standby writes goes through here (docs/safety.md):

- it is written under a temporary name in the same folder and appears under its own name
  only when complete, so a reader never sees half a file, and an interrupted write (Ctrl-C,
  SIGTERM, a full disc) leaves nothing behind;
- without ``force`` the final name is created without replacing anything, atomically
  (``renameat2`` with ``RENAME_NOREPLACE`` on Linux, else a hard link, else an exclusive
  create), so of two writers racing for one name exactly one wins and the other gets
  :class:`~standby.errors.OutputExistsError`;
- with ``force`` only a regular file is replaced: a symbolic link, FIFO, device, socket or
  folder at the output's name is refused, never replaced or written through;
- the temporary name is no longer than the final one (16 characters for shorter names), so
  a name at the file system's length limit works;
- :func:`output_path` reads ``reports/`` (a trailing slash) or an existing folder as "this
  folder, under the default name".
"""

from __future__ import annotations

import contextlib
import csv
import errno
import functools
import io
import os
import secrets
import stat
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, BinaryIO

from standby.errors import OutputExistsError, StandbyError

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
"""Cell starts a spreadsheet would run as a formula (OWASP CSV injection)."""

#: The shortest temporary name: enough random characters that two writers never collide.
SHORTEST_TEMPORARY = 16


class OutputError(StandbyError):
    """An output that cannot be written where asked (a device, a link, a file as a folder)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, parameters=("output",))


# --------------------------------------------------------------------------- checks


def _kind(mode: int) -> str | None:
    """What a non-regular file is, in words; None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def check_writable(path: Path, *, force: bool) -> None:
    """Raise unless ``path`` may be written: new, or a regular file and ``force`` given.

    A symbolic link, FIFO, device, socket or folder is refused even with ``force``
    (:class:`OutputError`); an existing file without ``force`` is
    :class:`~standby.errors.OutputExistsError`. A parent that is a file is refused too.
    """
    path = Path(path)
    try:
        mode = os.lstat(path).st_mode
    except (FileNotFoundError, NotADirectoryError):
        check_folder(path.parent)  # raises when a parent is a file
        return
    kind = _kind(mode)
    if kind is not None:
        raise OutputError(
            f"{path}: is {kind}, not a regular file, and was left untouched; Standby writes "
            "only regular files (to print to the terminal, give no output file)"
        )
    if not force:
        raise OutputExistsError(
            f"{path}: already exists and was left untouched; "
            "choose another output, or allow it to be replaced",
            parameters=("output", "force"),
        )


def check_folder(folder: Path) -> None:
    """Raise :class:`OutputError` unless files can be written in ``folder``.

    The folder need not exist yet: then its nearest existing ancestor must be a folder that
    can be written in (the missing folders are made when the first file is written).
    """
    folder = Path(folder)
    current = folder
    while True:
        try:
            mode = current.stat().st_mode
        except FileNotFoundError:
            if current.parent == current:
                break
            current = current.parent
            continue
        except NotADirectoryError:
            current = current.parent
            continue
        if not stat.S_ISDIR(mode):
            raise OutputError(
                f"{folder}: {current} is a file, not a folder, so nothing can be written "
                "under it; choose another folder"
            )
        if not os.access(current, os.W_OK | os.X_OK):
            raise OutputError(
                f"{folder}: the folder {current} cannot be written in (permission denied); "
                "choose a folder you can write to"
            )
        return


def output_path(given: str | Path, default_name: str) -> Path:
    """The file an output option names: ``reports/`` or an existing folder means
    ``reports/<default_name>``, anything else is the file itself."""
    text = os.fspath(given)
    seps = (os.sep, os.altsep) if os.altsep else (os.sep,)
    if text.endswith(seps) or Path(text).is_dir():
        return Path(text) / default_name
    return Path(text)


# --------------------------------------------------------------------------- writing


def _temporary_name(final: str) -> str:
    """A hidden random name in the same folder, no longer than ``final`` (or 16 characters)."""
    longest = max(len(final), SHORTEST_TEMPORARY)
    return f".{secrets.token_hex(6)}~{final}"[:longest]


def _create_temporary(folder: Path, final: str) -> tuple[int, Path]:
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    flags |= getattr(os, "O_NOFOLLOW", 0)
    while True:
        candidate = folder / _temporary_name(final)
        try:
            # 0o666 less the umask, as a plain open() would give the file
            return os.open(candidate, flags, 0o666), candidate
        except FileExistsError:
            continue


@contextlib.contextmanager
def atomic_output(path: Path, *, force: bool = False) -> Iterator[BinaryIO]:
    """A binary file to write ``path`` through, in pieces; it appears when the block ends.

    If the block raises (an error, Ctrl-C, SIGTERM turned into an exception), the
    temporary file is removed and ``path`` is left as it was. Without ``force`` an existing
    ``path`` is never replaced, even one created by another writer meanwhile.
    """
    path = Path(path)
    check_writable(path, force=force)
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = _create_temporary(path.parent, path.name)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        with _signals_held():
            _commit(temporary, path, force=force)
            _remove(temporary)
    finally:
        with _signals_held():
            _remove(temporary)


def _remove(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        path.unlink()


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM for a moment (the rename and the clean-up) and deliver them
    after, so an interrupt never falls between the two and leaves a temporary file."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread() or not hasattr(
        signal, "pthread_sigmask"
    ):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def write_bytes_atomic(path: Path, data: bytes, *, force: bool = False) -> Path:
    """Write ``data`` to ``path`` atomically; see :func:`atomic_output`. Folders are made."""
    path = Path(path)
    with atomic_output(path, force=force) as handle:
        handle.write(data)
    return path


def write_text_atomic(path: Path, text: str, *, force: bool = False) -> Path:
    """Write UTF-8 ``text`` atomically; see :func:`atomic_output`."""
    return write_bytes_atomic(path, text.encode("utf-8"), force=force)


def _commit(temporary: Path, path: Path, *, force: bool) -> None:
    """Give the finished temporary file its final name."""
    if force:
        check_writable(path, force=True)  # still a regular file, or nothing
        temporary.replace(path)
        return
    try:
        _rename_no_replace(temporary, path)
    except FileExistsError:
        raise OutputExistsError(
            f"{path}: was created by someone else while this output was being written, and "
            "was left untouched; choose another output, or allow it to be replaced",
            parameters=("output", "force"),
        ) from None


#: errno values meaning "this system or file system cannot do that", not "it exists".
_UNSUPPORTED = {errno.EINVAL, errno.ENOSYS, errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP}


def _rename_no_replace(temporary: Path, path: Path) -> None:
    """Rename without replacing: ``renameat2(RENAME_NOREPLACE)``, a hard link, or O_EXCL."""
    for method in (_renameat2, _link):
        try:
            if method(temporary, path):
                return
        except OSError as error:
            if error.errno == errno.EEXIST:
                raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(path)) from None
            if error.errno not in _UNSUPPORTED:
                raise
    # Last resort: claim the name exclusively, then move the full file over the claim.
    claim = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    os.close(claim)
    temporary.replace(path)


_RENAME_NOREPLACE = 1
_AT_FDCWD = -100


def _renameat2(temporary: Path, path: Path) -> bool:
    """Linux's atomic rename that fails if ``path`` exists; False where it is missing."""
    libc = _libc()
    if libc is None:
        return False
    result = libc.renameat2(
        _AT_FDCWD, os.fsencode(temporary), _AT_FDCWD, os.fsencode(path), _RENAME_NOREPLACE
    )
    if result != 0:
        import ctypes

        code = ctypes.get_errno()
        raise OSError(code, os.strerror(code), str(path))
    return True


def _link(temporary: Path, path: Path) -> bool:
    """A hard link under the final name (fails if it exists); the temporary goes after."""
    os.link(temporary, path, follow_symlinks=False)
    return True


@functools.cache
def _libc() -> Any:
    """glibc with ``renameat2`` (2.28 and later), loaded once; None elsewhere."""
    if not hasattr(os, "uname") or os.uname().sysname != "Linux":
        return None
    import ctypes
    import ctypes.util

    try:
        library = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    except OSError:
        return None
    return library if hasattr(library, "renameat2") else None


# --------------------------------------------------------------------------- CSV


def safe_csv_cell(value: object) -> str:
    """Return ``value`` as text a spreadsheet will not run as a formula.

    Cells that start with ``= + - @`` (or a tab or carriage return) get a leading apostrophe,
    the OWASP advice against CSV injection. Plain negative numbers are left alone.
    """
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_PREFIXES):
        try:
            float(text)
        except ValueError:
            return "'" + text
    return text


def unneutralise(cell: str) -> str:
    """Undo :func:`safe_csv_cell`'s apostrophe before a formula-like cell (``'=SUM``)."""
    if len(cell) > 1 and cell[0] == "'" and cell[1:].startswith(FORMULA_PREFIXES):
        return cell[1:]
    return cell


def csv_text(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """Render rows as CSV text with every cell neutralised by :func:`safe_csv_cell`."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([safe_csv_cell(cell) for cell in header])
    for row in rows:
        writer.writerow([safe_csv_cell(cell) for cell in row])
    return buffer.getvalue()
