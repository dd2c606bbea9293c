"""
Provenance sidecars: what a figure was made from, so it can be made again.

Every exported figure can carry a JSON sidecar with the input files' names and
SHA-256 checksums, the analysis settings, the preset and resolution, the app
version (:data:`core.__version__`), the versions of the export engine, a
checksum of the exact Vega-Lite spec and of every file written. With the same
inputs, settings and versions, the same builder gives the same SVG bytes; the
sidecar says which builder (``builder``) and, for figures of the report and
the CLI, which recipe (``recipe``) to call (see
:func:`core.report.rebuild_figure`).

Session devices may no longer have their original files: their data are then
identified by a checksum of the parsed arrays (``kind: "parsed data"``), which
still tells two datasets apart but cannot be compared with a file on disk.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime

import numpy as np

import core
from core.errors import InputError
from core.figures.export import engine_versions
from core.figures.theme import PRESETS
from core.serialize import json_ready

__all__ = [
    "SCHEMA",
    "sha256_hex",
    "spec_sha256",
    "file_record",
    "array_record",
    "device_records",
    "figure_provenance",
    "provenance_json",
    "check_inputs",
    "chart_data_frame",
    "figure_files",
    "zip_bytes",
]

#: Identifies the sidecar layout; bump when keys change meaning.
SCHEMA = "peled-bench/figure-provenance/1"


def sha256_hex(data: bytes) -> str:
    """
    SHA-256 of some bytes, as 64 hex digits.

    Examples
    --------
    >>> sha256_hex(b"")[:16]
    'e3b0c44298fc1c14'
    """
    return hashlib.sha256(data).hexdigest()


def spec_sha256(spec: Mapping) -> str:
    """Checksum of a Vega-Lite spec in canonical JSON (sorted keys, no spaces)."""
    text = json.dumps(spec, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return sha256_hex(text.encode("ascii"))


def file_record(data: bytes, name: str, role: str = "") -> dict:
    """
    Name, size and SHA-256 of one input file.

    Parameters
    ----------
    data : bytes
        The file's bytes as read.
    name : str
        File name (as uploaded or given on the command line).
    role : str
        What it was read as (``"spectra"``, ``"jvl"``, ``"lifetime"``...).

    Returns
    -------
    dict
        ``{"name", "role", "kind": "file", "size_bytes", "sha256"}``.
    """
    return {
        "name": str(name),
        "role": role,
        "kind": "file",
        "size_bytes": len(data),
        "sha256": sha256_hex(data),
    }


def array_record(arrays: Iterable, name: str, role: str = "") -> dict:
    """
    Checksum of parsed data (float64 arrays) when the file itself is gone.

    Parameters
    ----------
    arrays : iterable of array_like or None
        The arrays in a fixed order; None entries are skipped.
    name : str
        Where the data came from (a container's ``source``).
    role : str
        What the data are.

    Returns
    -------
    dict
        ``{"name", "role", "kind": "parsed data", "size_bytes", "sha256"}``.
    """
    digest = hashlib.sha256()
    size = 0
    for array in arrays:
        if array is None:
            continue
        block = np.ascontiguousarray(np.asarray(array, dtype="<f8"))
        digest.update(str(block.shape).encode("ascii"))
        digest.update(block.tobytes())
        size += block.nbytes
    return {
        "name": str(name),
        "role": role,
        "kind": "parsed data",
        "size_bytes": size,
        "sha256": digest.hexdigest(),
    }


def device_records(device) -> list[dict]:
    """
    Input records of a session device.

    ``device.metadata["files"]`` (a list of :func:`file_record` dicts, which
    pages store when they read uploads) is used as is; otherwise each
    measurement is identified by :func:`array_record` of its arrays.

    Parameters
    ----------
    device : core.models.Device

    Returns
    -------
    list of dict
    """
    files = (device.metadata or {}).get("files")
    if files:
        return [dict(record, device=device.name) for record in files]
    records = []
    for role, series in (
        ("spectra_time", device.spectra_time),
        ("spectra_bias", device.spectra_bias),
    ):
        if series is not None:
            records.append(
                array_record(
                    (series.wavelength_nm, series.intensity, series.axis),
                    series.source or series.label or device.name,
                    role,
                )
            )
    for sweep in device.jvl:
        records.append(
            array_record(
                (
                    sweep.voltage_v,
                    sweep.current_density_ma_cm2,
                    sweep.luminance_cd_m2,
                    sweep.eqe_percent,
                ),
                sweep.source or sweep.label or device.name,
                "jvl",
            )
        )
    for log in device.lifetime:
        records.append(
            array_record(
                (log.time_h, log.luminance_cd_m2, log.voltage_v),
                log.source or log.label or device.name,
                "lifetime",
            )
        )
    return [dict(record, device=device.name) for record in records]


def figure_provenance(
    figure: str,
    *,
    builder: str = "",
    inputs: Iterable[Mapping] = (),
    settings: Mapping | None = None,
    preset: str | None = None,
    ppi: int | None = None,
    spec: Mapping | None = None,
    outputs: Mapping[str, bytes] | None = None,
    recipe: Mapping | None = None,
    created_utc: str | None = None,
) -> dict:
    """
    The provenance record of one figure (write it with :func:`provenance_json`).

    Parameters
    ----------
    figure : str
        The figure's file base name (``"peak_shift"``).
    builder : str
        Dotted name of the function that built the chart
        (``"core.figures.spectra.metric_chart"``).
    inputs : iterable of dict
        :func:`file_record` / :func:`array_record` entries.
    settings : mapping, optional
        Every analysis and display choice that shaped the figure.
    preset : str, optional
        Key of :data:`core.figures.theme.PRESETS`.
    ppi : int, optional
        PNG resolution. [dpi]
    spec : mapping, optional
        The exact Vega-Lite spec rendered (its checksum is recorded).
    outputs : mapping of str to bytes, optional
        Files written, by format (``{"svg": b"...", "csv": b"..."}``).
    recipe : mapping, optional
        How :func:`core.report.rebuild_figure` rebuilds it.
    created_utc : str, optional
        ISO time stamp (default: now).

    Returns
    -------
    dict
    """
    record: dict = {
        "schema": SCHEMA,
        "figure": figure,
        "app": {"name": "PeLED Bench", "version": core.__version__},
        "engine": engine_versions(),
        "builder": builder,
        "inputs": [dict(item) for item in inputs],
        "settings": json_ready(dict(settings or {})),
    }
    if preset is not None:
        p = PRESETS[preset]
        record["preset"] = {
            "name": preset,
            "label": p.label,
            "width_cm": p.width_cm,
            "height_cm": p.height_cm,
            "font_pt": p.font_pt,
        }
    if ppi is not None:
        record["png_ppi"] = int(ppi)
    if spec is not None:
        record["spec_sha256"] = spec_sha256(spec)
    if outputs:
        record["outputs"] = {
            fmt: {"size_bytes": len(data), "sha256": sha256_hex(data)}
            for fmt, data in outputs.items()
        }
    if recipe is not None:
        record["recipe"] = json_ready(dict(recipe))
    record["created_utc"] = created_utc or datetime.now(UTC).isoformat(
        timespec="seconds"
    )
    return record


def provenance_json(record: Mapping) -> bytes:
    """A provenance record as indented UTF-8 JSON bytes."""
    text = json.dumps(json_ready(dict(record)), indent=2, ensure_ascii=False)
    return (text + "\n").encode("utf-8")


def check_inputs(record: Mapping, files: Mapping[str, bytes]) -> None:
    """
    Check that the files offered for a rebuild are the ones the figure used.

    Parameters
    ----------
    record : mapping
        A provenance record.
    files : mapping of str to bytes
        File name -> bytes.

    Raises
    ------
    InputError
        Naming the first file that is missing or whose checksum differs.
    """
    for item in record.get("inputs", []):
        if item.get("kind") != "file":
            continue
        name = item["name"]
        if name not in files:
            raise InputError(
                f"{name}: the figure was made from this file, but it was not "
                "given for the rebuild."
            )
        digest = sha256_hex(files[name])
        if digest != item["sha256"]:
            raise InputError(
                f"{name}: SHA-256 {digest[:12]}… differs from the "
                f"{item['sha256'][:12]}… the figure was made from: the file "
                "changed."
            )


def chart_data_frame(chart):
    """
    The data frame a chart was drawn from (first layer's when layered).

    Returns None when the chart holds no pandas data (e.g. inline values).
    """
    import pandas as pd

    data = getattr(chart, "data", None)
    if isinstance(data, pd.DataFrame):
        return data
    for part in getattr(chart, "layer", None) or ():
        found = chart_data_frame(part)
        if found is not None:
            return found
    return None


def figure_files(
    chart,
    basename: str,
    *,
    preset: str,
    ppi: int = 300,
    data=None,
    formats: Iterable[str] = ("svg", "pdf", "png"),
    builder: str = "",
    inputs: Iterable[Mapping] = (),
    settings: Mapping | None = None,
    recipe: Mapping | None = None,
    created_utc: str | None = None,
) -> dict[str, bytes]:
    """
    Every file of one figure: images, its data as CSV and the provenance sidecar.

    Parameters
    ----------
    chart : altair chart
        The un-themed chart; it is themed with ``preset`` here.
    basename : str
        File name without extension.
    preset : str
        Key of :data:`core.figures.theme.PRESETS`.
    ppi : int
        PNG resolution. [dpi]
    data : pandas.DataFrame, optional
        The numbers behind the chart (default: the chart's own data frame).
    formats : iterable of str
        Image formats to write.
    builder, inputs, settings, recipe, created_utc
        As in :func:`figure_provenance`.

    Returns
    -------
    dict of str to bytes
        ``{"<basename>.svg": ..., "<basename>.csv": ...,
        "<basename>.provenance.json": ...}``.
    """
    from core.figures.export import chart_data_csv, chart_spec, spec_to_bytes
    from core.figures.theme import themed

    spec = chart_spec(themed(chart, preset))
    outputs = {fmt: spec_to_bytes(spec, fmt, ppi=ppi) for fmt in formats}
    frame = data if data is not None else chart_data_frame(chart)
    if frame is not None:
        outputs["csv"] = chart_data_csv(frame)
    files = {f"{basename}.{fmt}": content for fmt, content in outputs.items()}
    record = figure_provenance(
        basename,
        builder=builder,
        inputs=inputs,
        settings=settings,
        preset=preset,
        ppi=ppi,
        spec=spec,
        outputs=outputs,
        recipe=recipe,
        created_utc=created_utc,
    )
    files[f"{basename}.provenance.json"] = provenance_json(record)
    return files


def zip_bytes(files: Mapping[str, bytes]) -> bytes:
    """
    A ZIP archive of named files, byte-for-byte reproducible.

    Entries keep the given order and carry a fixed time stamp (1980-01-01),
    so the same files always give the same archive.
    """
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, content)
    return buffer.getvalue()
