"""Every input limit is documented in docs/safety.md with the value it has."""

from __future__ import annotations

from pathlib import Path

from standby import limits

DOC = Path(__file__).resolve().parents[2] / "docs" / "safety.md"


def _rows() -> dict[str, str]:
    rows = {}
    for line in DOC.read_text(encoding="utf-8").splitlines():
        if line.startswith("| `MAX_"):
            rows[line.split("`")[1]] = line
    return rows


def test_every_limit_has_a_row_giving_its_value() -> None:
    constants = {name: value for name, value in vars(limits).items() if name.startswith("MAX_")}
    rows = _rows()
    assert set(rows) == set(constants)
    for name, value in constants.items():
        shown = f"{value // 2**20} MB" if name.endswith("_BYTES") else f"{value:,}"
        assert f"| {shown}" in rows[name], (name, rows[name])
