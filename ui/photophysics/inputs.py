"""
Inputs of the Photophysics page: the synthetic demo samples and the upload
widgets and settings of each kind of measurement, each giving
:class:`core.models.PhotophysicsInput` records (files + settings).
"""

from __future__ import annotations

from pathlib import PurePath

import streamlit as st

from core.demo import photophysics as demo
from core.errors import InputError
from core.models import PhotophysicsInput
from core.photophysics import (
    absorbance_file_bytes,
    decay_file_bytes,
    series_file_bytes,
    spectrum_file_bytes,
)
from ui.text import plain
from ui.widgets import file_contents, parse_number_list

__all__ = [
    "SAMPLES_KEY",
    "page_samples",
    "demo_records",
    "load_demo_samples",
    "trpl_inputs",
    "tdpl_inputs",
    "absorption_inputs",
    "plqy_inputs",
]

#: dict[(kind, sample), PhotophysicsInput] of samples loaded on the page (demo).
SAMPLES_KEY = "peled_photophysics_samples"
_TIME_UNITS = ["from the file", "fs", "ps", "ns", "us", "ms", "s"]
_EXAMPLES = {"ns": "20:80", "nm": "600:700", "K": "80:220", "eV": "1.80:1.92"}


def _stem(name: str) -> str:
    return PurePath(name).stem or name


# --- demo samples ---------------------------------------------------------------


def _demo_files(sample: str) -> dict[str, tuple]:
    stem = sample.replace(" (synthetic)", "_synthetic").replace(" ", "_")
    decay, irf = demo.demo_decay(sample)
    sphere = demo.demo_sphere(sample)
    grid = sphere.wavelength_nm
    return {
        "trpl": ((f"{stem}_decay.csv", "trpl", decay_file_bytes([decay, irf])),),
        "tdpl": (
            (f"{stem}_PL_vs_T.csv", "tdpl", series_file_bytes(demo.demo_tdpl(sample))),
        ),
        "absorption": (
            (
                f"{stem}_absorbance.csv",
                "absorbance",
                absorbance_file_bytes(demo.demo_absorbance(sample)),
            ),
        ),
        "plqy": tuple(
            (f"{stem}_sphere_{role[5:]}.csv", role, spectrum_file_bytes(grid, values))
            for role, values in (
                ("plqy_empty", sphere.empty),
                ("plqy_out", sphere.out_of_beam),
                ("plqy_in", sphere.in_beam),
            )
        ),
    }


@st.cache_data(show_spinner=False, max_entries=1)
def demo_records() -> list[PhotophysicsInput]:
    """The synthetic demo samples (SQDs, SQDs-T) of every kind, as files."""
    return [
        PhotophysicsInput(kind, sample, files, {}, synthetic=True)
        for sample in demo.SAMPLES
        for kind, files in _demo_files(sample).items()
    ]


def _store() -> dict:
    return st.session_state.setdefault(SAMPLES_KEY, {})


def page_samples() -> list[PhotophysicsInput]:
    """The samples loaded on the page (the demo samples)."""
    return list(_store().values())


def load_demo_samples() -> None:
    """Put the demo samples on the page (replacing earlier demo samples)."""
    for record in demo_records():
        _store()[(record.kind, record.sample)] = record


# --- inputs of each kind ----------------------------------------------------------


def _range_input(label: str, key: str, unit: str) -> list[float] | None:
    """A LOW:HIGH text input; None when empty (automatic) or invalid (shown)."""
    text = st.text_input(f"{label} [{unit}] LOW:HIGH (empty: automatic)", key=key)
    if not text.strip():
        return None
    try:
        values = parse_number_list(text.replace(":", ","), label)
        if len(values) != 2 or not values[1] > values[0]:
            example = _EXAMPLES.get(unit, "1:2")
            raise InputError(
                f"{label}: expected LOW:HIGH in {unit} with LOW < HIGH (e.g. "
                f"{example}), found '{text}'."
            )
    except InputError as error:
        st.error(plain(error))
        return None
    return list(values)


def trpl_inputs(prefix: str) -> tuple[list[PhotophysicsInput], dict]:
    """Decay uploads (each file a sample, an optional IRF) and the fit settings."""
    with st.expander("Upload decays", expanded=not _store()):
        uploads = st.file_uploader(
            "TCSPC decays (PicoQuant .dat, Edinburgh/Fluoracle .csv, Becker & "
            "Hickl .asc, or a table of time and counts); each file is a sample",
            accept_multiple_files=True,
            key=f"{prefix}_files",
        )
        irf = file_contents(st.file_uploader("IRF (optional)", key=f"{prefix}_irf"))
        unit = st.selectbox(
            "Time unit",
            _TIME_UNITS,
            key=f"{prefix}_unit",
            help="Needed when the file does not say.",
        )
    c1, c2, c3 = st.columns(3)
    components = c1.radio(
        "Exponentials", [1, 2, 3], horizontal=True, key=f"{prefix}_components"
    )
    tail = c2.number_input(
        "Tail-fit start [ns] (empty: automatic; used without an IRF)",
        value=None,
        min_value=0.0,
        key=f"{prefix}_tail",
    )
    with c3:
        window = _range_input("Fit window", f"{prefix}_window", "ns")
    extra = [(n, "trpl_irf", d) for n, d in irf]
    time_unit = None if unit == _TIME_UNITS[0] else unit
    records = [
        PhotophysicsInput(
            "trpl", _stem(n), ((n, "trpl", d), *extra), {"time_unit": time_unit}
        )
        for n, d in file_contents(uploads)
    ]
    settings = {"components": components, "tail_start_ns": tail, "fit_range_ns": window}
    return records, settings


def tdpl_inputs(prefix: str) -> tuple[list[PhotophysicsInput], dict]:
    """A PL series over temperature (one file or one per T) and the fit settings."""
    with st.expander(
        "Upload PL spectra at several temperatures", expanded=not _store()
    ):
        files = file_contents(
            st.file_uploader(
                "One series file (headers like '80 K') or one file per temperature "
                "('PL_80K.txt'): every spectrometer export the EL pages read",
                accept_multiple_files=True,
                key=f"{prefix}_files",
            )
        )
        c1, c2 = st.columns(2)
        name = c1.text_input("Sample name", key=f"{prefix}_sample")
        text = c2.text_input(
            "Temperatures [K] (comma-separated; empty: from the files)",
            key=f"{prefix}_temperatures",
        )
    c1, c2, c3 = st.columns(3)
    model = c1.radio(
        "Arrhenius model",
        ["one", "two"],
        horizontal=True,
        key=f"{prefix}_model",
        format_func={"one": "one channel", "two": "two channels"}.get,
    )
    with c2:
        window = _range_input("Integration range", f"{prefix}_range", "nm")
    with c3:
        t_range = _range_input("Temperatures fitted", f"{prefix}_t_range", "K")
    phonon = st.checkbox(
        "Fit the phonon broadening Γ(T) of the FWHM", key=f"{prefix}_phonon"
    )
    records = []
    if files:
        try:
            temperatures = list(parse_number_list(text, "Temperatures")) or None
        except InputError as error:
            st.error(plain(error))
            temperatures = None
        sample = name.strip() or _stem(files[0][0])
        records.append(
            PhotophysicsInput(
                "tdpl",
                sample,
                tuple((n, "tdpl", d) for n, d in files),
                {"temperatures_k": temperatures},
            )
        )
    settings = {
        "model": model,
        "wavelength_range_nm": window,
        "temperature_range_k": t_range,
        "phonon": phonon,
    }
    return records, settings


def absorption_inputs(prefix: str) -> tuple[list[PhotophysicsInput], dict]:
    """Absorbance uploads (each file a sample) and the Urbach/Tauc settings."""
    with st.expander("Upload absorbance spectra", expanded=not _store()):
        files = file_contents(
            st.file_uploader(
                "Absorbance (or %T) against wavelength [nm] or energy [eV]; each "
                "file is a sample",
                accept_multiple_files=True,
                key=f"{prefix}_files",
            )
        )
    c1, c2 = st.columns(2)
    with c1:
        window = _range_input("Urbach fit range", f"{prefix}_range", "eV")
    tauc = c2.checkbox(
        "Also a Tauc plot (not a band gap for quantum dots)", key=f"{prefix}_tauc"
    )
    tauc_range = None
    if tauc:
        with c2:
            tauc_range = _range_input("Tauc range", f"{prefix}_tauc_range", "eV")
    records = [
        PhotophysicsInput("absorption", _stem(n), ((n, "absorbance", d),))
        for n, d in files
    ]
    settings = {"energy_range_ev": window, "tauc": tauc, "tauc_range_ev": tauc_range}
    return records, settings


def plqy_inputs(prefix: str) -> tuple[list[PhotophysicsInput], dict]:
    """Sphere spectra (A, B optional, C) or a value entered by hand; the ranges."""
    with st.expander("Upload sphere spectra or enter a PLQY", expanded=not _store()):
        how = st.radio(
            "PLQY from",
            ["sphere spectra", "a value entered by hand"],
            horizontal=True,
            key=f"{prefix}_how",
        )
        name = st.text_input("Sample name", key=f"{prefix}_sample")
        records = []
        if how == "sphere spectra":
            cols = st.columns(3)
            roles = {}
            for col, (role, label) in zip(
                cols,
                (
                    ("plqy_empty", "A: empty sphere"),
                    ("plqy_out", "B: sample out of the beam (optional)"),
                    ("plqy_in", "C: sample in the beam"),
                ),
                strict=True,
            ):
                roles[role] = file_contents(
                    col.file_uploader(label, key=f"{prefix}_{role}")
                )
            files = tuple((n, r, d) for r, f in roles.items() for n, d in f)
            if roles["plqy_empty"] and roles["plqy_in"]:
                sample = name.strip() or _stem(roles["plqy_in"][0][0])
                records.append(PhotophysicsInput("plqy", sample, files))
            st.caption(
                "Spectra must be photon counts per nm, corrected for the "
                "spectral response of the sphere and detector."
            )
        else:
            c1, c2 = st.columns(2)
            value = c1.number_input(
                "PLQY [%]",
                value=None,
                min_value=0.0,
                max_value=100.0,
                key=f"{prefix}_value",
            )
            stderr = c2.number_input(
                "± [%] (optional)",
                value=None,
                min_value=0.0,
                key=f"{prefix}_value_stderr",
            )
            if value is not None:
                records.append(
                    PhotophysicsInput(
                        "plqy",
                        name.strip() or "PLQY entered by hand",
                        (),
                        {"value_percent": value, "value_stderr_percent": stderr},
                    )
                )
    c1, c2 = st.columns(2)
    with c1:
        laser = _range_input("Laser range", f"{prefix}_laser", "nm")
    with c2:
        emission = _range_input("Emission range", f"{prefix}_emission", "nm")
    return records, {"laser_range_nm": laser, "emission_range_nm": emission}
