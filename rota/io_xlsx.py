"""Reading XLSX rotas (in progress)."""

from __future__ import annotations

from pathlib import Path

from rota.io import RotaFileError
from rota.model import Rota


def read_xlsx(path: Path, timezone: str = "Europe/London") -> Rota:
    """Not yet supported."""
    raise RotaFileError(f"{path}: XLSX rotas are not read yet; use CSV")
