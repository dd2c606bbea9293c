"""Input widgets that several pages share: uploads, grids, device pickers."""

from __future__ import annotations

import streamlit as st

from core.efficiency import CLEAN_SPECTRUM_MIN_SNR, device_el_spectrum
from core.errors import InputError
from core.models import AXIS_DEFAULT_UNITS, AXIS_NAMES, NOISY_SPECTRUM_CHOICES, Device
from ui.session import current_device_name, get_devices
from ui.text import plain
from ui.uploads import preview_upload, upload_files, uploaded_files

__all__ = [
    "wavelength_grid_inputs",
    "file_contents",
    "parse_number_list",
    "QUANTITY_LABELS",
    "spectral_quantity_input",
    "spectra_upload_inputs",
    "el_spectrum_inputs",
    "noisy_spectrum_input",
    "error_once",
    "analysis_messages",
    "series_notes",
    "device_picker",
    "lifetime_upload_inputs",
    "jvl_upload_input",
]


def wavelength_grid_inputs(
    prefix: str, label: str
) -> tuple[float, float, float] | None:
    """
    A checkbox and three number inputs for the grid of a headerless matrix.

    Returns (first, last, step) in nm when the box is ticked, else None; the
    page turns it into wavelengths with ``core.io.wavelength_grid`` (inside its
    cached reader, so the tuple is the cache key).
    """
    use_grid = st.checkbox(label, key=f"{prefix}_grid_on")
    g1, g2, g3 = st.columns(3)
    grid = (
        g1.number_input(
            "First wavelength [nm]", value=380.0, key=f"{prefix}_grid_start"
        ),
        g2.number_input("Last wavelength [nm]", value=780.0, key=f"{prefix}_grid_stop"),
        g3.number_input(
            "Step [nm]", value=0.5, min_value=0.001, key=f"{prefix}_grid_step"
        ),
    )
    return grid if use_grid else None


def file_contents(uploads) -> tuple[tuple[str, bytes], ...]:
    """
    ``(name, bytes)`` of each uploaded file (one upload or a list, or None).

    Hashable, so a cached reader can take it as its key.
    """
    if uploads is None:
        return ()
    if not isinstance(uploads, (list, tuple)):
        uploads = [uploads]
    return tuple((upload.name, upload.getvalue()) for upload in uploads)


def parse_number_list(text: str, what: str) -> tuple[float, ...]:
    """
    Numbers separated by commas, semicolons, tabs or new lines.

    Raises
    ------
    InputError
        Naming the item that is not a number.

    Examples
    --------
    >>> parse_number_list("2.5, 2.75;3\\n3.25", "Axis values")
    (2.5, 2.75, 3.0, 3.25)
    """
    for separator in (";", "\n", "\t"):
        text = text.replace(separator, ",")
    values = []
    for position, token in enumerate(t for t in text.split(",") if t.strip()):
        try:
            values.append(float(token))
        except ValueError:
            raise InputError(
                f"{what}, item {position + 1}: expected a number, found "
                f"'{token.strip()}'. Separate values with commas or new lines."
            ) from None
    return tuple(values)


def device_picker(devices: list[Device], key: str, label="Devices") -> list[Device]:
    """A multiselect of ``devices`` (all chosen at first); the chosen ones, in order."""
    names = st.multiselect(
        label, [d.name for d in devices], default=[d.name for d in devices], key=key
    )
    return [device for device in devices if device.name in names]


#: Choices of what a spectrum file holds, as the selectboxes show them.
QUANTITY_LABELS = {
    "auto": "as the file says (where it does not say: used as is)",
    "energy": "power / energy (W/nm, µW/cm²/nm, …)",
    "photon": "photons (photons/s/nm, µmol/m²/s/nm, …) → converted to power",
    "counts": "detector counts",
}


def spectral_quantity_input(key: str, label="Spectral quantity") -> str:
    """What the intensities are: ``auto`` or a quantity (core QUANTITY_CHOICES)."""
    return st.selectbox(
        label,
        list(QUANTITY_LABELS),
        key=key,
        format_func=QUANTITY_LABELS.get,
        help="Photon spectra are converted to power per nm (× hc/λ) for colour and "
        "EQE; the notes under the data say so. 'As the file says' reads the unit "
        "from the header where there is one.",
    )


def spectra_upload_inputs(prefix: str) -> dict:
    """
    The uploader of an EL series and its reader options.

    Returns
    -------
    dict
        ``files``, ``dark`` (as :func:`file_contents`), ``axis_name``,
        ``axis_unit``, ``grid``, ``order``, ``spectral_quantity``, ``sheet``,
        ``cells``: arguments of :func:`ui.cached.read_spectra`; and
        ``axis_text``, the typed axis values (for :func:`parse_number_list`).
    """
    uploads, notes = uploaded_files(
        "EL spectra: one series file (wide, long, transposed, .xlsx) or several "
        "single-spectrum files (SpectraSuite, OceanView, Jaz, SpectraWiz, AvaSoft, "
        "SpectraWin, ENLIGHTEN, SpectraPen, Macam .DTA, CSV), a .zip or a folder",
        f"{prefix}_files",
    )
    c1, c2, c3 = st.columns(3)
    axis_name = c1.selectbox("Series axis", AXIS_NAMES, key=f"{prefix}_axis_name")
    axis_unit = c2.text_input(
        "Axis unit", AXIS_DEFAULT_UNITS[axis_name], key=f"{prefix}_unit_{axis_name}"
    )
    order = c3.selectbox(
        "Order of several files",
        ["name", "timestamp", "given"],
        key=f"{prefix}_order",
        format_func={
            "name": "by the number in the file name",
            "timestamp": "by the time stamp in the file",
            "given": "as uploaded",
        }.get,
    )
    with st.expander("Headerless matrix, axis values and dark spectrum"):
        grid = wavelength_grid_inputs(
            prefix, "The file has no wavelength column: give the grid"
        )
        axis_text = st.text_area(
            "Axis value of each spectrum (comma-separated; e.g. the voltages of "
            "the matching J-V-L file)",
            key=f"{prefix}_axis_values",
        )
        dark_file = st.file_uploader(
            "Dark spectrum to subtract (same grid)", key=f"{prefix}_dark"
        )
    quantity = spectral_quantity_input(f"{prefix}_spectral_quantity")
    with st.expander("Workbook: sheet and cells"):
        w1, w2 = st.columns(2)
        sheet = w1.text_input(
            "Sheet (name or number from 0; empty: found)", key=f"{prefix}_sheet"
        )
        cells = w2.text_input(
            "Cells, wavelength column first (e.g. H125:I1581 or H:I; empty: found)",
            key=f"{prefix}_cells",
        )
    options = {"axis_name": axis_name, "axis_unit": axis_unit, "wavelength_grid": grid}
    return {
        "files": preview_upload(uploads, notes, "spectra", options),
        "dark": next(iter(file_contents(dark_file)), None),
        "axis_name": axis_name,
        "axis_unit": axis_unit,
        "grid": grid,
        "order": order,
        "axis_text": axis_text,
        "spectral_quantity": quantity,
        "sheet": sheet.strip() or None,
        "cells": cells.strip() or None,
    }


def el_spectrum_inputs(prefix: str) -> dict:
    """
    An EL spectrum for the EQE: an upload (with its options) or a session device's.

    Returns
    -------
    dict
        ``upload`` (the uploaded file or None), ``grid`` (for headerless
        matrices), ``per_voltage`` (one spectrum per row of each sweep),
        ``spectral_quantity`` (what the file's intensities are, for
        :func:`ui.cached.read_spectrum`), ``noisy`` (what serves a point whose
        own spectrum is noise: "brightest" or "nearest") and ``device`` (name
        of the session device whose spectrum to borrow, or "none").
    """
    upload = st.file_uploader(
        "EL spectrum (optional; used for every sweep above)",
        key=f"{prefix}_spectrum",
    )
    with st.expander(
        "Spectrum options: headerless matrix, spectra over bias, spectral quantity"
    ):
        grid = wavelength_grid_inputs(
            prefix, "The spectrum file has no wavelength column: give the grid"
        )
        per_voltage = st.checkbox(
            "The file holds one spectrum per row of each sweep (EL over bias): "
            "use the sweep's voltages, so each point gets its own spectrum",
            key=f"{prefix}_spectrum_per_voltage",
        )
        quantity = spectral_quantity_input(
            f"{prefix}_spectrum_quantity", "Spectral quantity of the spectrum file"
        )
        noisy = noisy_spectrum_input(f"{prefix}_noisy_spectrum")
    choices = [d.name for d in get_devices() if device_el_spectrum(d) is not None]
    device = st.selectbox(
        "…or the EL spectrum of a session device",
        ["none", *choices],
        key=f"{prefix}_spectrum_device",
        disabled=upload is not None,
    )
    return {
        "upload": upload,
        "grid": grid,
        "per_voltage": per_voltage,
        "spectral_quantity": quantity,
        "noisy": noisy,
        "device": device,
    }


def noisy_spectrum_input(key: str, value: str = "brightest") -> str:
    """
    What serves a sweep point whose own spectrum (EL over bias) is noise.

    Returns one of :data:`core.models.NOISY_SPECTRUM_CHOICES`.
    """
    return st.radio(
        "Where a point's own spectrum is noise (peak SNR < "
        f"{CLEAN_SPECTRUM_MIN_SNR:g}), use",
        NOISY_SPECTRUM_CHOICES,
        index=NOISY_SPECTRUM_CHOICES.index(value),
        horizontal=True,
        key=key,
        format_func={
            "brightest": "the brightest spectrum (least noise)",
            "nearest": "the nearest clean spectrum in bias",
        }.get,
    )


def error_once():
    """A function that shows an error with ``st.error`` the first time only."""
    shown: set[str] = set()

    def show(error) -> None:
        if str(error) not in shown:
            shown.add(str(error))
            st.error(plain(error))

    return show


def analysis_messages(
    warnings: dict[str, list[str]], notes: dict[str, list[str]], collapse: bool
) -> None:
    """
    Each item's warnings and what the reader did with its file.

    Parameters
    ----------
    warnings, notes : dict of str to list of str
        Item (device, sweep) name -> its warnings, its reader notes.
    collapse : bool
        Many items: all warnings in one expander and all notes in another,
        instead of the warnings shown and one expander of notes per item.
    """
    if not collapse:
        for name, messages in notes.items():
            for warning in warnings.get(name, []):
                st.warning(plain(f"{name}: {warning}"))
            if messages:
                with st.expander(
                    plain(f"{name}: what the reader did ({len(messages)})")
                ):
                    for note in messages:
                        st.caption(plain(note))
        return
    every = [f"{name}: {w}" for name, items in warnings.items() for w in items]
    if every:
        with st.expander(f"Warnings ({len(every)})", expanded=False):
            for warning in every:
                st.warning(plain(warning))
    with st.expander(f"What the reader did ({len(notes)} sweeps)"):
        for name, messages in notes.items():
            for note in messages:
                st.caption(plain(f"{name}: {note}"))


def series_notes(series_by_device: dict) -> None:
    """An expander: each spectral series' size, range, source and reader notes."""
    with st.expander("What the readers did with the files"):
        for name, series in series_by_device.items():
            wl = series.wavelength_nm
            st.markdown(
                f"**{plain(name)}** — {series.n_spectra} spectra, {wl.size} "
                f"wavelengths ({wl[0]:.1f}–{wl[-1]:.1f} nm), "
                f"source: {plain(series.source or 'upload')}"
            )
            for note in series.notes:
                st.caption(plain(note))


def jvl_upload_input(prefix: str, area_cm2: float | None):
    """
    The uploader of J-V-L(-EQE) sweeps (files, a .zip or a folder) with its
    preview; the ``(name, bytes)`` of the sweeps to read.
    """
    return upload_files(
        "J-V-L(-EQE) sweeps: one file per pixel or device (TXT, CSV, DAT, XLSX), "
        "a .zip or a folder",
        f"{prefix}_files",
        kind="jvl",
        options={"area_cm2": area_cm2},
    )


def lifetime_upload_inputs(prefix: str) -> dict:
    """
    The uploader of lifetime logs and its reader and grouping options.

    Returns
    -------
    dict
        ``files`` (as :func:`file_contents`), ``unit`` (None: from the header),
        ``l0`` [cd/m²] (None: none), ``per_file`` (one device per file) and
        ``device`` (the name of the one device otherwise).
    """
    uploads, notes = uploaded_files(
        "Lifetime logs: time and luminance (or L/L0, or a photodiode signal), "
        "optional voltage and current (TXT, CSV, DAT, XLSX), a .zip or a folder",
        f"{prefix}_files",
    )
    c1, c2, c3 = st.columns(3)
    unit = c1.selectbox(
        "Time unit",
        ["from the header", "s", "min", "h"],
        key=f"{prefix}_time_unit",
        help="Needed when the time column's header has no unit.",
    )
    l0 = c2.number_input(
        "L0 for relative logs [cd/m²] (0: none)",
        min_value=0.0,
        value=0.0,
        step=10.0,
        key=f"{prefix}_l0",
        help="Relative luminance and photodiode signals give T-values on their "
        "own; converting to a reference luminance needs L0.",
    )
    grouping = c3.radio(
        "The files are",
        ["tests of one device", "one device per file"],
        key=f"{prefix}_grouping",
        help="Tests of one device at several L0 give its acceleration exponent.",
    )
    device = st.text_input(
        "Device name",
        value=current_device_name() or "Uploaded device",
        key=f"{prefix}_device_name",
    )
    options = {
        "time_unit": None if unit == "from the header" else unit,
        "initial_luminance_cd_m2": float(l0) if l0 > 0 else None,
    }
    return {
        "files": preview_upload(uploads, notes, "lifetime", options),
        "unit": options["time_unit"],
        "l0": options["initial_luminance_cd_m2"],
        "per_file": grouping == "one device per file",
        "device": device.strip() or "Uploaded device",
    }
