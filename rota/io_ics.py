"""Reading ICS rotas (in progress)."""

from __future__ import annotations

from pathlib import Path

from rota.io import RotaFileError
from rota.model import Rota


def read_ics(path: Path, timezone: str = "Europe/London") -> Rota:
    """Not yet supported."""
    raise RotaFileError(f"{path}: ICS rotas are not read yet; use CSV")


def write_ics(rota: Rota) -> bytes:
    """Not yet supported."""
    raise RotaFileError("ICS export is not available yet; use CSV")
