"""
Helpers shared by the spectrum-reader tests in tests/core/io (and its
instruments/ folder): file names of the real files, the synthetic fixtures,
and small measurements taken on a series without core.spectra.

Import as ``from tests.core.io.spectra_support import ...``.
"""

from __future__ import annotations

import numpy as np
import pytest
from support import REALDATA, ROOT

from core.errors import InputError
from core.io import read_spectral_series

DATA = ROOT / "tests" / "data"

GREEN = "photobiologyLEDs_Norlux_Green_GREEN_short_SpectraSuite.txt"


DARK = "photobiologyLEDs_Norlux_Green_dark_short_SpectraSuite.txt"


IRR = "simone-peled_spectrum1_SpectraWiz.IRR"


OCEANVIEW = "photobiologyInOut_oo-spectrum.OVIrrad"


AVANTES = "photobiologyInOut_avantes-avaspec-e-irrad.csv"


HZB_12 = "hzb-pl_T02f3_500ms_gs_cont__newSpotf3_2.txt"


HZB_1H = "hzb-pl_T02f3_500ms_gs_cont_1hr__newSpotf3_1_raw.txt"


BSUBPC = "bsubpc-oled_OLED-004_A1-1_counts_EL-vs-V.txt"


BSUBPC_JVL = "bsubpc-oled_OLED-004_A1-1_JVL.txt"


BSUBPC_GRID = np.arange(380, 780.5, 0.5)

#: Peaks of the Gaussians in the synthetic fixtures (on grid points). [nm]
SYNTHETIC_PEAKS_NM = [620.0, 618.0, 616.0]


def real(name: str) -> bytes:
    path = REALDATA / name
    if not path.is_file():
        pytest.skip(f"real instrument file not available: {path}")
    return path.read_bytes()


def fixture(name: str) -> bytes:
    return (DATA / name).read_bytes()


def peak_nm(series, index=0) -> float:
    return float(series.wavelength_nm[np.argmax(series.intensity[index])])


def fwhm_at_half_raw_max(series, index=0) -> float:
    y = series.intensity[index]
    above = np.flatnonzero(y >= y.max() / 2)
    return float(series.wavelength_nm[above[-1]] - series.wavelength_nm[above[0]])


def has_note(series, text: str) -> bool:
    return any(text in note for note in series.notes)


def wide_text(delimiter=",", decimal_comma=False, header=True, rows=None):
    """The synthetic wide table as text in another layout."""
    source = fixture("synthetic_wide_time.csv").decode().splitlines()
    lines = source if header else source[1:]
    out = []
    for line in lines[: rows + 1 if rows else None]:
        fields = line.split(",")
        if decimal_comma:
            fields = [f.replace(".", ",") for f in fields]
        out.append(delimiter.join(fields))
    return "\n".join(out) + "\n"


def reference_series():
    return read_spectral_series(fixture("synthetic_wide_time.csv"), "wide.csv")


def raises(data: bytes, name: str = "bad.csv", **kwargs) -> str:
    with pytest.raises(InputError) as error:
        read_spectral_series(data, name, **kwargs)
    return str(error.value)
