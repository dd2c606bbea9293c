"""
Page-side helpers of the Efficiency page: its devices, their EQE source, the
data errors.

Every sweep the page shows becomes a :class:`core.models.Device` (uploaded
files, session devices, the demo batch) and its numbers come from
:func:`core.efficiency.device_efficiency`, the function the Literature and
Report pages, the report file and the CLI use: one EQE per device. The EQE
source a user picks here is stored with the session device.
"""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from core import efficiency
from core.efficiency import (
    EQE_SPECTRUM_LABELS,
    available_eqe_spectra,
    device_el_spectrum,
    eqe_choice,
)
from core.errors import InputError
from core.models import Device
from ui.cached import read_spectrum, read_sweep
from ui.session import current_device_name, get_device, upsert_device
from ui.text import plain
from ui.uploads import add_to_session
from ui.widgets import error_once, noisy_spectrum_input

__all__ = [
    "upload_devices",
    "add_upload_button",
    "session_entries",
    "results_of",
    "data_error_messages",
    "warnings_without_data_errors",
]


def upload_devices(uploads, el: dict, area_cm2: float | None) -> dict[str, Device]:
    """
    One device per uploaded sweep, with the EL spectrum given for it.

    Parameters
    ----------
    uploads : sequence of (str, bytes)
        Name and content of each sweep file (:func:`ui.widgets.jvl_upload_input`).
    el : dict
        :func:`ui.widgets.el_spectrum_inputs`.
    area_cm2 : float or None
        Device area for the reader.

    Returns
    -------
    dict of str to Device
        By unique sweep label; a sweep with a spectrum has it as its chosen
        ("uploaded") EQE source. Reader errors are shown once each.
    """
    show_once = error_once()
    sweeps, spectra = [], []
    for name, data in uploads:
        try:
            sweep = read_sweep(data, name, area_cm2)
        except InputError as error:
            show_once(error)
            continue
        spectrum = None
        if el["upload"] is not None:
            voltages = tuple(sweep.voltage_v.tolist()) if el["per_voltage"] else None
            try:
                spectrum = read_spectrum(
                    el["upload"].getvalue(),
                    el["upload"].name,
                    el["grid"],
                    voltages,
                    el["spectral_quantity"],
                )
            except InputError as error:
                show_once(error)
        elif el["device"] != "none":
            spectrum = device_el_spectrum(get_device(el["device"]))
        sweeps.append(sweep)
        spectra.append(spectrum)
    labelled = zip(spectra, efficiency.unique_labels(sweeps).items(), strict=True)
    return {
        name: Device(
            name,
            jvl=(sweep,),
            eqe_spectrum=None if spectrum is None else "uploaded",
            eqe_uploaded_spectrum=spectrum,
            eqe_noisy_spectrum=el["noisy"],
        )
        for spectrum, (name, sweep) in labelled
    }


def add_upload_button(devices: dict[str, Device]) -> None:
    """
    A button that puts the uploaded sweeps, and their EQE source, in the
    session; for a device that already has a sweep, replacing it or adding
    to it is asked and said (:func:`ui.uploads.add_to_session`).
    """
    # One sweep goes to the current device (the device bar), several to
    # devices of their own.
    current = current_device_name() if len(devices) == 1 else None
    fields = {
        (current or name): {
            "jvl": device.jvl,
            "eqe_spectrum": device.eqe_spectrum,
            "eqe_uploaded_spectrum": device.eqe_uploaded_spectrum,
            "eqe_noisy_spectrum": device.eqe_noisy_spectrum,
        }
        for name, device in devices.items()
    }
    add_to_session("jvl", fields, key="efficiency_add")


def _eqe_source_input(device: Device) -> Device:
    """The EQE source of one session device; a change is stored with it."""
    sweep = device.jvl[0]
    options = available_eqe_spectra(device, sweep)
    current = eqe_choice(device, sweep)
    if len(options) < 2:
        return device
    c1, c2 = st.columns([2, 3])
    kind = c1.selectbox(
        plain(f"{device.name}: EQE from"),
        options,
        index=options.index(current.kind) if current.kind in options else 0,
        format_func=EQE_SPECTRUM_LABELS.get,
        key=f"efficiency_eqe_from_{device.name}",
    )
    spectrum = current.spectrum if kind == current.kind else None
    noisy = device.eqe_noisy_spectrum
    if kind != "file" and (spectrum is None or spectrum.axis_name == "voltage"):
        with c2:
            noisy = noisy_spectrum_input(
                f"efficiency_noisy_{device.name}", device.eqe_noisy_spectrum
            )
    if kind != current.kind or noisy != device.eqe_noisy_spectrum:
        device = replace(device, eqe_spectrum=kind, eqe_noisy_spectrum=noisy)
        upsert_device(device)
    return device


def session_entries(devices: list[Device]) -> dict[str, tuple[Device, int]]:
    """
    Every sweep of the picked session devices, by its name on the page.

    Draws, in an expander, the EQE source of each device that has more than
    one (the file's EQE column, the spectrum uploaded with the sweep, the
    device's EL series); the choice is stored with the session device, so
    the Literature and Report pages show the same EQE.

    Returns
    -------
    dict of str to (Device, int)
        Name -> the device and the index of the sweep in ``device.jvl``.
    """
    with st.expander("EQE source of each device", expanded=False):
        st.caption(
            "Each device has one EQE, used on every page, in the report and in "
            "the CLI. Default: the file's EQE column if it has one, else the "
            "spectrum given with the sweep, else the device's EL series."
        )
        devices = [_eqe_source_input(device) for device in devices]
    entries = {}
    for device in devices:
        for index in range(len(device.jvl)):
            name = (
                device.name if len(device.jvl) == 1 else f"{device.name} #{index + 1}"
            )
            entries[name] = (device, index)
    return entries


def results_of(entries: dict[str, tuple[Device, int]], threshold: float) -> dict:
    """:func:`core.efficiency.device_efficiency` of every entry, labelled."""
    results = {}
    for name, (device, index) in entries.items():
        result = efficiency.device_efficiency(
            device, sweep_index=index, turn_on_luminance_cd_m2=threshold
        )
        results[name] = replace(result, label=name)
    return results


def data_error_messages(results: dict) -> None:
    """Points that break a physical limit: an error of the data, in red."""
    for name, result in results.items():
        for warning in result.data_warnings:
            st.error(plain(f"{name}: {warning.message}"))


def warnings_without_data_errors(result) -> list[str]:
    """A result's warnings, less the data errors (:func:`data_error_messages`)."""
    errors = {w.message for w in result.data_warnings}
    return [w for w in result.warnings if w not in errors]
