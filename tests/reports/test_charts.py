"""Plume and CHEMET maps: non-empty PNGs, no figures left open, limits on the map."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from standby.scenarios.load import load_scenario
from standby.simulator.geo import LocalFrame
from standby.simulator.hazard import (
    Plume,
    ReceptorExposure,
    ThreatZones,
    chemet_area,
    classify_receptor,
    concentration_grid,
    plume_from_hazard,
    threat_zones,
)

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@dataclass(frozen=True)
class Case:
    plume: Plume
    zones: ThreatZones
    receptors: list[ReceptorExposure]


@pytest.fixture(scope="module")
def chlorine() -> Case:
    scenario = load_scenario("chlorine-riverside")
    plume = plume_from_hazard(scenario.hazard)
    zones = threat_zones(plume)
    frame = LocalFrame(scenario.site.location.lat, scenario.site.location.lon)
    receptors = [
        classify_receptor(
            plume,
            zones,
            *frame.to_local(r.location.lat, r.location.lon),
            receptor_id=r.id,
            name=r.name,
        )
        for r in scenario.receptors
    ]
    return Case(plume, zones, receptors)


def assert_png(path: Path) -> None:
    data = path.read_bytes()
    assert data.startswith(PNG_SIGNATURE)
    assert len(data) > 10_000


def open_figures() -> list[int]:
    import matplotlib.pyplot as plt

    return list(plt.get_fignums())


def test_plume_map_is_a_png_and_closes_its_figure(chlorine: Case, tmp_path: Path) -> None:
    from standby.reports.charts import plume_map

    plume, zones, receptors = chlorine.plume, chlorine.zones, chlorine.receptors
    before = open_figures()
    grid = concentration_grid(plume, extent_m=5000.0, cells=200)
    written = plume_map(grid, zones, tmp_path / "maps" / "plume.png", receptors, "Northwick")
    assert written == tmp_path / "maps" / "plume.png"
    assert_png(written)
    assert open_figures() == before
    assert list(written.parent.iterdir()) == [written]  # no temporary file left behind


def test_plume_map_with_nothing_above_aegl1_still_draws(chlorine: Case, tmp_path: Path) -> None:
    from standby.reports.charts import plume_map

    plume, zones = chlorine.plume, chlorine.zones
    grid = concentration_grid(plume, extent_m=60_000.0, cells=50)
    grid.ppm[:] = 0.0
    assert_png(plume_map(grid, zones, tmp_path / "empty.png"))


def test_plume_map_writes_the_limits_on_the_figure(
    chlorine: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from standby.reports import charts

    plume, zones, receptors = chlorine.plume, chlorine.zones, chlorine.receptors
    texts: list[str] = []
    original = charts._draw_limits

    def spy(fig: Any, lines: Sequence[str]) -> None:
        texts.extend(lines)
        original(fig, lines)

    monkeypatch.setattr(charts, "_draw_limits", spy)
    charts.plume_map(concentration_grid(plume, 3000.0, 100), zones, tmp_path / "p.png", receptors)
    joined = " ".join(texts)
    assert "Screening estimate" in joined and "DRIFT" in joined and "Briggs" in joined


@pytest.mark.parametrize("wind_ms", [0.5, 2.5])
def test_chemet_map_is_a_png_and_closes_its_figure(
    chlorine: Case, tmp_path: Path, wind_ms: float
) -> None:
    from standby.reports.charts import chemet_map

    plume, receptors = chlorine.plume, chlorine.receptors
    turned = plume.with_wind(wind_ms, plume.wind_from_deg, plume.stability, "test")
    before = open_figures()
    area = chemet_area(turned, request_minute=10.0)
    assert_png(chemet_map(area, tmp_path / "chemet.png", receptors, "Northwick"))
    assert open_figures() == before


def test_importing_charts_does_not_load_matplotlib() -> None:
    import subprocess
    import sys

    code = "import standby.reports.charts, sys; print('matplotlib' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


def test_maps_replace_an_existing_file_only_when_forced(tmp_path: Path) -> None:
    from standby.errors import OutputExistsError
    from standby.reports import charts
    from standby.simulator.maps import hazard_maps as map_products

    maps = map_products(load_scenario("chlorine-riverside"))
    (tmp_path / "chemet-map.png").write_bytes(b"keep me")
    with pytest.raises(OutputExistsError, match=r"chemet-map\.png: already exists"):
        charts.hazard_maps(maps, tmp_path)
    assert (tmp_path / "chemet-map.png").read_bytes() == b"keep me"
    charts.hazard_maps(maps, tmp_path, force=True)
    assert (tmp_path / "chemet-map.png").read_bytes().startswith(b"\x89PNG")
