"""The bundled table of hazardous substances: molar mass, AEGL thresholds and toxic load.

AEGL values (ppm) are the US EPA Acute Exposure Guideline Levels by exposure duration
(10, 30, 60, 240 and 480 minutes); ``None`` where EPA recommends none ("NR").
Toxic load (HSE's dangerous toxic load, DTL) is ``C**n * t`` with C in ppm and t in minutes;
SLOT and SLOD are HSE's Specified Level of Toxicity and Significant Likelihood of Death.
Each entry names its sources so a planner can check them.

Verification (November 2026, against public copies of the sources; each entry's ``sources``
says what was checked): the chlorine AEGLs match EPA's table; hydrogen sulphide's 15 AEGLs match
the NRC values quoted in a peer-reviewed table; hydrogen chloride's AEGL-1 (1.8 ppm at every
duration) matches the NRC volume 4 text. The other AEGL rows (ammonia, sulphur dioxide,
hydrogen cyanide, carbon monoxide, nitrogen dioxide, and hydrogen chloride's AEGL-2/3) are as
typed from EPA's table: no readable EPA or NRC copy was found to check them against, so they
are marked unchecked. HSE's SLOT/SLOD table could not be read: only the sulphur dioxide values
quoted in HSE's own introduction (n = 2, SLOT DTL 4.6e6 ppm^2.min) are filled in; every other
DTL is ``None`` and the toxic-load distances are then not shown. A second search (November
2026: HSE's haztox page by substance name, "SLOT DTL", "SLOD DTL", HSE's chlorine safety
report assessment guide, HSE's offshore human vulnerability guidance SPC/Tech/OSD/30, IOGP
434-14) again found only that introduction, so no value was added: the values quoted for
checking (chlorine SLOT 1.08e5 and SLOD 4.84e5 ppm^2.min, and those of ammonia, sulphur
dioxide's SLOD, hydrogen sulphide and hydrogen chloride) stay unconfirmed and unused.

``dense_gas`` marks every substance that forms a heavier-than-air cloud on release (ammonia
as a pressurised liquefied aerosol); each result and map then warns that a Gaussian plume is
only a screening estimate for it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

AEGL_DURATIONS_MIN = (10, 30, 60, 240, 480)

AEGL_SOURCE = "US EPA, Acute Exposure Guideline Levels (AEGLs), final values table"
HSE_DTL_SOURCE = (
    "HSE, Assessment of the Dangerous Toxic Load (DTL) for Specified Level of Toxicity (SLOT) "
    "and Significant Likelihood of Death (SLOD), https://www.hse.gov.uk/chemicals/haztox.htm"
)
CHLORINE_AEGL_CHECK = "AEGLs checked, all 15 values, against EPA's final AEGL table"
AEGL_UNCHECKED = (
    "AEGL row not yet checked: searched November 2026 for EPA's final AEGL table and the NRC "
    "AEGL volumes; no readable copy of this row was found"
)
H2S_AEGL_CHECK = (
    "AEGLs checked November 2026, all 15 values: Table 3 ('Airborne hydrogen sulfide exposure "
    "limits ...') of a review in Nitric Oxide 71 (2017) 1-13, doi:10.1016/j.niox.2017.09.011 "
    "(https://pmc.ncbi.nlm.nih.gov/articles/PMC5777517/table/T3), quoting NRC AEGL volume 9"
)
HCL_AEGL1_CHECK = (
    "AEGL-1 1.8 ppm at every duration checked against NRC, AEGLs for Selected Airborne "
    "Chemicals vol. 4 (2004), hydrogen chloride summary "
    "(http://www.nap.edu/openbook.php?record_id=10902&page=78); AEGL-2/3 not yet checked"
)
SO2_DTL_CHECK = (
    "n = 2 and SLOT DTL 4.6e6 ppm^2.min checked November 2026 against the worked example in "
    "the introduction of HSE's DTL page; the SLOD DTL was not found (HSE's table not readable)"
)
CHLORINE_N_SOURCE = (
    "Withers and Lees (1985), The assessment of major hazards: the lethal toxicity of "
    "chlorine, part 2, J. Hazard. Mater. 12: toxic load L = sum C^2 T (n = 2)"
)


@dataclass(frozen=True, slots=True)
class Substance:
    """One hazardous substance with the thresholds the hazard model needs."""

    id: str
    name: str
    cas: str
    molar_mass: float  # g/mol
    # duration (minutes) -> (AEGL-1, AEGL-2, AEGL-3) in ppm; None means not recommended
    aegl_ppm: dict[int, tuple[float | None, float | None, float | None]]
    dense_gas: bool = False
    dense_gas_reason: str = ""  # why the cloud is heavier than air, for the warning
    toxic_load_n: float | None = None
    slot_dtl: float | None = None  # ppm^n.min
    slod_dtl: float | None = None  # ppm^n.min
    sources: tuple[str, ...] = field(default=(AEGL_SOURCE,))


SUBSTANCES: dict[str, Substance] = {
    s.id: s
    for s in (
        Substance(
            id="chlorine",
            name="Chlorine",
            cas="7782-50-5",
            molar_mass=70.90,
            aegl_ppm={
                10: (0.5, 2.8, 50.0),
                30: (0.5, 2.8, 28.0),
                60: (0.5, 2.0, 20.0),
                240: (0.5, 1.0, 10.0),
                480: (0.5, 0.71, 7.1),
            },
            dense_gas=True,
            dense_gas_reason="molar mass 70.9 against air's 29",
            toxic_load_n=2.0,
            sources=(AEGL_SOURCE, CHLORINE_AEGL_CHECK, CHLORINE_N_SOURCE),
        ),
        Substance(
            id="ammonia",
            name="Ammonia (anhydrous)",
            cas="7664-41-7",
            molar_mass=17.03,
            aegl_ppm={
                10: (30.0, 220.0, 2700.0),
                30: (30.0, 220.0, 1600.0),
                60: (30.0, 160.0, 1100.0),
                240: (30.0, 110.0, 550.0),
                480: (30.0, 110.0, 390.0),
            },
            dense_gas=True,
            dense_gas_reason=(
                "released as a pressurised liquefied gas it forms a cold aerosol cloud "
                "heavier than air, although the pure gas is lighter"
            ),
            sources=(AEGL_SOURCE, AEGL_UNCHECKED),
        ),
        Substance(
            id="hydrogen_chloride",
            name="Hydrogen chloride",
            cas="7647-01-0",
            molar_mass=36.46,
            aegl_ppm={
                10: (1.8, 100.0, 620.0),
                30: (1.8, 43.0, 210.0),
                60: (1.8, 22.0, 100.0),
                240: (1.8, 11.0, 26.0),
                480: (1.8, 11.0, 26.0),
            },
            dense_gas=True,
            dense_gas_reason=("molar mass 36.5, and with humid air it forms a dense acid mist"),
            sources=(AEGL_SOURCE, HCL_AEGL1_CHECK),
        ),
        Substance(
            id="sulphur_dioxide",
            name="Sulphur dioxide",
            cas="7446-09-5",
            molar_mass=64.07,
            aegl_ppm={
                10: (0.20, 0.75, 42.0),
                30: (0.20, 0.75, 32.0),
                60: (0.20, 0.75, 27.0),
                240: (0.20, 0.75, 19.0),
                480: (0.20, 0.75, 16.0),
            },
            dense_gas=True,
            dense_gas_reason="molar mass 64.1",
            toxic_load_n=2.0,
            slot_dtl=4.6e6,
            sources=(AEGL_SOURCE, AEGL_UNCHECKED, HSE_DTL_SOURCE, SO2_DTL_CHECK),
        ),
        Substance(
            id="hydrogen_cyanide",
            name="Hydrogen cyanide",
            cas="74-90-8",
            molar_mass=27.03,
            aegl_ppm={
                10: (2.5, 17.0, 27.0),
                30: (2.5, 10.0, 21.0),
                60: (2.0, 7.1, 15.0),
                240: (1.3, 3.5, 8.6),
                480: (1.0, 2.5, 6.6),
            },
            sources=(AEGL_SOURCE, AEGL_UNCHECKED),
        ),
        Substance(
            id="hydrogen_sulphide",
            name="Hydrogen sulphide",
            cas="7783-06-4",
            molar_mass=34.08,
            aegl_ppm={
                10: (0.75, 41.0, 76.0),
                30: (0.60, 32.0, 59.0),
                60: (0.51, 27.0, 50.0),
                240: (0.36, 20.0, 37.0),
                480: (0.33, 17.0, 31.0),
            },
            dense_gas=True,
            dense_gas_reason="molar mass 34.1; it collects in low ground",
            sources=(AEGL_SOURCE, H2S_AEGL_CHECK),
        ),
        Substance(
            id="carbon_monoxide",
            name="Carbon monoxide",
            cas="630-08-0",
            molar_mass=28.01,
            aegl_ppm={
                10: (None, 420.0, 1700.0),
                30: (None, 150.0, 600.0),
                60: (None, 83.0, 330.0),
                240: (None, 33.0, 150.0),
                480: (None, 27.0, 130.0),
            },
            sources=(AEGL_SOURCE, AEGL_UNCHECKED),
        ),
        Substance(
            id="nitrogen_dioxide",
            name="Nitrogen dioxide",
            cas="10102-44-0",
            molar_mass=46.01,
            aegl_ppm={
                10: (0.50, 20.0, 34.0),
                30: (0.50, 15.0, 25.0),
                60: (0.50, 12.0, 20.0),
                240: (0.50, 8.2, 14.0),
                480: (0.50, 6.7, 11.0),
            },
            dense_gas=True,
            dense_gas_reason="molar mass 46.0",
            sources=(AEGL_SOURCE, AEGL_UNCHECKED),
        ),
    )
}


def substance_names() -> list[str]:
    """The ids a scenario may name, sorted."""
    return sorted(SUBSTANCES)
