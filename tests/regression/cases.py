"""
The CLI runs whose JSON is stored as the project's reference results.

Each case is a name and the ``python -m core`` arguments, with ``{R}`` for
the shared real-data folder. ``make_snapshots.py`` writes
``snapshots/<name>.json`` (stdout JSON, or the exit code and the error
sentence); ``test_cli_snapshots.py`` re-runs every case and compares. A change
of a stored number is a decision: regenerate, and say why in the commit.
"""

from __future__ import annotations

CASES: dict[str, list[str]] = {
    # Spectra: every real spectral file, as a user would run it.
    "spectra_green_minus_dark": [
        "spectra",
        "{R}/photobiologyLEDs_Norlux_Green_GREEN_short_SpectraSuite.txt",
        "--dark",
        "{R}/photobiologyLEDs_Norlux_Green_dark_short_SpectraSuite.txt",
    ],
    "spectra_red_minus_dark": [
        "spectra",
        "{R}/pbLEDs_Norlux_Red_short_SpectraSuite.txt",
        "--dark",
        "{R}/pbLEDs_Norlux_Red_dark_short_SpectraSuite.txt",
    ],
    "spectra_white_minus_dark": [
        "spectra",
        "{R}/pbLEDs_white_SpectraSuite.txt",
        "--dark",
        "{R}/pbLEDs_whitedark_SpectraSuite.txt",
    ],
    "spectra_oceanview": ["spectra", "{R}/photobiologyInOut_oo-spectrum.OVIrrad"],
    "spectra_avantes": ["spectra", "{R}/photobiologyInOut_avantes-avaspec-e-irrad.csv"],
    "spectra_spectrawiz_nir": ["spectra", "{R}/simone-peled_spectrum1_SpectraWiz.IRR"],
    "spectra_hzb_12": ["spectra", "{R}/hzb-pl_T02f3_500ms_gs_cont__newSpotf3_2.txt"],
    "spectra_hzb_360": [
        "spectra",
        "{R}/hzb-pl_T02f3_500ms_gs_cont_1hr__newSpotf3_1_raw.txt",
    ],
    "spectra_hzb_photon_flux": ["spectra", "{R}/hzb-pl_T02f1_200ms_1.txt"],
    "spectra_enlighten": ["spectra", "{R}/pbInOut_wasatch-enlighten-scope.csv"],
    "spectra_maya_workbook": ["spectra", "{R}/pbLEDs_Maya_workbook_HLMP_CM30.xlsx"],
    "spectra_oled004_bias": [
        "spectra",
        "{R}/bsubpc-oled_OLED-004_A1-1_counts_EL-vs-V.txt",
        "--wavelength-grid",
        "380:780:0.5",
    ],
    "spectra_oled009_bias": [
        "spectra",
        "{R}/bsubpc_OLED-009_D5-1_counts_EL-vs-V.txt",
        "--wavelength-grid",
        "380:780:0.5",
    ],
    # Efficiency: each sweep alone and with its spectra.
    "efficiency_oled004": ["efficiency", "{R}/bsubpc-oled_OLED-004_A1-1_JVL.txt"],
    "efficiency_oled004_per_voltage": [
        "efficiency",
        "{R}/bsubpc-oled_OLED-004_A1-1_JVL.txt",
        "--spectrum",
        "{R}/bsubpc-oled_OLED-004_A1-1_counts_EL-vs-V.txt",
        "--spectrum-wavelength-grid",
        "380:780:0.5",
        "--spectrum-voltages-from-sweep",
    ],
    "efficiency_oled009": ["efficiency", "{R}/bsubpc_OLED-009_D5-1_JVL.txt"],
    "efficiency_oled009_per_voltage": [
        "efficiency",
        "{R}/bsubpc_OLED-009_D5-1_JVL.txt",
        "--spectrum",
        "{R}/bsubpc_OLED-009_D5-1_counts_EL-vs-V.txt",
        "--spectrum-wavelength-grid",
        "380:780:0.5",
        "--spectrum-voltages-from-sweep",
    ],
    "efficiency_simone": ["efficiency", "{R}/simone-peled_DC_data.dat"],
    "efficiency_simone_with_spectrum": [
        "efficiency",
        "{R}/simone-peled_DC_data.dat",
        "--spectrum",
        "{R}/simone-peled_spectrum1_SpectraWiz.IRR",
    ],
    # Lifetime: the real lifetime-program format sample.
    "lifetime_simone_format": [
        "lifetime",
        "{R}/simone-peled_angle_lifetime-program-format.txt",
    ],
    # The demo devices through the whole report (its tables).
    "report_demo": ["report", "--demo"],
    # Literature: the curated table.
    "literature_table": ["literature"],
}
