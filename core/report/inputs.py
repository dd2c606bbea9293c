"""
Reading files into devices (the CLI and the rebuild of a figure).

A file of unknown kind is classified by its content: the first reader that
accepts it (lifetime log, J-V-L sweep, EL spectra, in that order).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from core.errors import InputError
from core.figures.provenance import file_record
from core.models import Device, JVLSweep, LifetimeLog, SpectralSeries
from core.report.settings import FILE_ROLES

__all__ = ["load_devices", "read_file", "sniff_file"]

#: What :func:`read_file` returns: spectra, a J-V-L sweep or lifetime logs.
_FileContent = SpectralSeries | JVLSweep | tuple[LifetimeLog, ...]


def read_file(role: str, data: bytes, name: str, options: Mapping) -> _FileContent:
    """
    Read one file as the given kind.

    Parameters
    ----------
    role : {"spectra", "jvl", "lifetime"}
    data : bytes
    name : str
        File name (for messages and labels).
    options : mapping
        Reader options, see :func:`load_devices`.

    Returns
    -------
    SpectralSeries, JVLSweep or tuple of LifetimeLog
    """
    if role == "spectra":
        from core.io.spectra import read_spectral_series, wavelength_grid

        grid = options.get("wavelength_grid")
        wavelength_nm = wavelength_grid(*(float(v) for v in grid)) if grid else None
        return read_spectral_series(
            data,
            name,
            axis_name=options.get("axis_name"),
            axis_unit=options.get("axis_unit"),
            wavelength_nm=wavelength_nm,
        )
    if role == "jvl":
        from core.io.jvl import read_jvl

        return read_jvl(data, name, area_cm2=options.get("area_cm2"))
    if role == "lifetime":
        from core.io.lifetime_log import read_lifetime_logs

        return read_lifetime_logs(
            data,
            name,
            initial_luminance_cd_m2=options.get("initial_luminance_cd_m2"),
            time_unit=options.get("time_unit"),
        )
    raise InputError(
        f"{name}: unknown file kind '{role}'; expected one of {', '.join(FILE_ROLES)}."
    )


def sniff_file(data: bytes, name: str, options: Mapping) -> tuple[str, _FileContent]:
    """Classify a file by the first reader that accepts it."""
    reasons = []
    # A lifetime log needs a time column, a J-V-L sweep voltage, current and
    # luminance columns; spectra come last because almost any table of
    # numbers can be read as spectra.
    for role in ("lifetime", "jvl", "spectra"):
        try:
            return role, read_file(role, data, name, options)
        except InputError as error:
            reasons.append(f"as {role}: {error}")
    raise InputError(
        f"{name}: not recognised as a lifetime log, a J-V-L sweep or EL spectra. "
        "Name its kind with --lifetime, --jvl or --spectra. " + " ".join(reasons)
    )


def load_devices(
    groups: Sequence[Mapping],
    files: Mapping[str, bytes],
    options: Mapping | None = None,
) -> tuple[list[Device], list[dict]]:
    """
    Read files into devices.

    Parameters
    ----------
    groups : sequence of mapping
        One per device: ``{"name": str, "files": [{"name": str, "role":
        "spectra" | "jvl" | "lifetime" | "auto"}, ...]}``. ``"auto"`` tries the
        lifetime, J-V-L and spectra readers in that order.
    files : mapping of str to bytes
        File name -> content.
    options : mapping, optional
        Reader options: ``axis_name``, ``axis_unit``, ``wavelength_grid``
        (first, last, step [nm] for headerless matrices) (spectra), ``area_cm2``
        (J-V-L), ``initial_luminance_cd_m2``, ``time_unit`` (lifetime).

    Returns
    -------
    devices : list of Device
    inputs : list of dict
        :func:`core.figures.provenance.file_record` of each file with its
        ``device`` and the ``role`` it was read as.

    Raises
    ------
    InputError
        When a file is missing, cannot be read, or two spectral series of one
        device are on the same axis.
    """
    options = dict(options or {})
    devices: list[Device] = []
    inputs: list[dict] = []
    for number, group in enumerate(groups, start=1):
        name = str(group.get("name") or f"device {number}")
        device, records = _read_group(name, group.get("files", ()), files, options)
        devices.append(device)
        inputs += records
    names = [device.name for device in devices]
    if len(set(names)) != len(names):
        raise InputError(f"Device names must differ, found {names}.")
    return devices, inputs


def _read_group(
    name: str, entries: Sequence[Mapping], files: Mapping[str, bytes], options
) -> tuple[Device, list[dict]]:
    """One device from its files, with the files' provenance records."""
    fields: dict = {"jvl": [], "lifetime": []}
    records = []
    for entry in entries:
        file_name = entry["name"]
        if file_name not in files:
            raise InputError(f"{file_name}: no such file was given.")
        data = files[file_name]
        role = entry.get("role", "auto")
        if role == "auto":
            role, value = sniff_file(data, file_name, options)
        else:
            value = read_file(role, data, file_name, options)
        records.append(dict(file_record(data, file_name, role), device=name))
        if isinstance(value, JVLSweep):
            fields["jvl"].append(value)
        elif isinstance(value, tuple):
            fields["lifetime"].extend(value)
        else:
            slot = (
                "spectra_time"
                if value.axis_name in ("time", "index")
                else ("spectra_bias")
            )
            if slot in fields:
                raise InputError(
                    f"{file_name}: device '{name}' already has a spectral "
                    f"series over {value.axis_name.replace('_', ' ')}; give "
                    "each series its own device."
                )
            fields[slot] = value
    device = Device(
        name=name,
        spectra_time=fields.get("spectra_time"),
        spectra_bias=fields.get("spectra_bias"),
        jvl=tuple(fields["jvl"]),
        lifetime=tuple(fields["lifetime"]),
    )
    return device, records
