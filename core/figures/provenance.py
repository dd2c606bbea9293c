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

Figures drawn on the pages also carry the figure controls used
(``controls``) and the builder's chart itself (``source``: its Vega-Lite spec,
data inline, gzip + base64): :func:`rebuild_svg` applies the controls and the
preset to it again and gives the same SVG bytes, after checking any input
files offered against their SHA-256.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

import numpy as np

import core
from core.errors import InputError
from core.figures.export import engine_versions
from core.figures.theme import DEFAULT_PRESET, PRESETS
from core.serialize import json_ready

__all__ = [
    "SCHEMA",
    "sha256_hex",
    "spec_sha256",
    "file_record",
    "array_record",
    "device_records",
    "data_records",
    "figure_provenance",
    "provenance_json",
    "check_inputs",
    "chart_data_frame",
    "figure_files",
    "zip_bytes",
    "encode_source",
    "decode_source",
    "rebuild_chart",
    "rebuild_svg",
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


def data_records(item) -> list[dict]:
    """
    Input records of one thing a page draws: a session device
    (:func:`device_records`), or a ``(name, container)`` pair with a
    spectral series, J-V-L sweep, lifetime log or device, identified by a
    checksum of its arrays (:func:`array_record`).
    """
    from core.models import Device, JVLSweep, LifetimeLog, SpectralSeries

    if isinstance(item, Device):
        return device_records(item)
    name, container = item
    if isinstance(container, Device):
        return device_records(container)
    arrays: tuple
    if isinstance(container, SpectralSeries):
        arrays = (container.wavelength_nm, container.intensity, container.axis)
        role = f"spectra_{container.axis_name}"
    elif isinstance(container, JVLSweep):
        arrays = (
            container.voltage_v,
            container.current_density_ma_cm2,
            container.luminance_cd_m2,
            container.eqe_percent,
        )
        role = "jvl"
    elif isinstance(container, LifetimeLog):
        arrays = (container.time_h, container.luminance_cd_m2, container.voltage_v)
        role = "lifetime"
    else:
        raise TypeError(f"no input record for a {type(container).__name__}")
    source = getattr(container, "source", "") or getattr(container, "label", "")
    return [dict(array_record(arrays, source or name, role), device=str(name))]


def _preset_record(preset: str) -> dict:
    p = PRESETS[preset]
    return {
        "name": preset,
        "label": p.label,
        "width_cm": p.width_cm,
        "height_cm": p.height_cm,
        "font_pt": p.font_pt,
    }


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
    controls: Mapping | None = None,
    source: Mapping | None = None,
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
    controls : mapping, optional
        :meth:`core.figures.controls.FigureControls.to_dict` of the controls
        applied.
    source : mapping, optional
        The builder's chart as a Vega-Lite spec (before controls and theme),
        stored compressed (:func:`encode_source`) for :func:`rebuild_svg`.

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
        record["preset"] = _preset_record(preset)
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
    if controls is not None:
        record["controls"] = json_ready(dict(controls))
    if source is not None:
        record["source"] = encode_source(source)
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
    controls=None,
    embed_source: bool = True,
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
    controls : FigureControls, optional
        Applied to the chart before the theme, and recorded.
    embed_source : bool
        Store the builder's chart in the sidecar (for :func:`rebuild_svg`).

    Returns
    -------
    dict of str to bytes
        ``{"<basename>.svg": ..., "<basename>.csv": ...,
        "<basename>.provenance.json": ...}``.
    """
    from core.figures.controls import FigureControls, apply_controls
    from core.figures.export import chart_data_csv, chart_spec, spec_to_bytes
    from core.figures.finish import no_row_limit
    from core.figures.theme import themed

    controls = controls or FigureControls()
    spec = chart_spec(themed(apply_controls(chart, controls), preset))
    outputs = {fmt: spec_to_bytes(spec, fmt, ppi=ppi) for fmt in formats}
    source = None
    if embed_source:
        with no_row_limit():
            source = chart.to_dict()
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
        controls=controls.to_dict(),
        source=source,
    )
    files[f"{basename}.provenance.json"] = provenance_json(record)
    return files


def encode_source(spec: Mapping) -> dict:
    """
    A chart's Vega-Lite spec for a sidecar: canonical JSON, gzip (no time
    stamp, so the same spec gives the same text), base64.
    """
    text = json.dumps(spec, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    packed = gzip.compress(text.encode("ascii"), compresslevel=9, mtime=0)
    return {
        "encoding": "vega-lite json, gzip, base64",
        "sha256": sha256_hex(text.encode("ascii")),
        "data": base64.b64encode(packed).decode("ascii"),
    }


def decode_source(source: Mapping) -> dict:
    """The spec stored by :func:`encode_source` (its checksum checked)."""
    try:
        text = gzip.decompress(base64.b64decode(source["data"])).decode("ascii")
    except (KeyError, TypeError, ValueError, OSError) as error:
        raise InputError(
            f"The sidecar's source chart cannot be read ({error}); expected "
            "gzip + base64 Vega-Lite JSON."
        ) from None
    if sha256_hex(text.encode("ascii")) != source.get("sha256"):
        raise InputError(
            "The sidecar's source chart does not match its SHA-256: the sidecar "
            "was changed."
        )
    return json.loads(text)


def rebuild_chart(record: Mapping, files: Mapping[str, bytes] | None = None):
    """
    The themed chart of a page figure, again, from its sidecar.

    The builder's chart stored in ``source`` gets the recorded figure
    controls and preset. Input files given are checked against the sidecar's
    SHA-256 first (:func:`check_inputs`).

    Parameters
    ----------
    record : mapping
        A sidecar written by :func:`figure_files`.
    files : mapping of str to bytes, optional
        The input files by name.

    Returns
    -------
    altair chart

    Raises
    ------
    InputError
        When the sidecar has no source chart, a file differs, or the rebuilt
        spec differs from the recorded checksum.
    """
    import altair as alt

    from core.figures.controls import FigureControls, apply_controls
    from core.figures.export import chart_spec
    from core.figures.theme import themed

    if "source" not in record:
        raise InputError(
            f"{record.get('figure', 'figure')}: the sidecar holds no source "
            "chart; report figures are rebuilt from their files with "
            "core.report.rebuild_figure."
        )
    if files is not None:
        check_inputs(record, files)
    spec = decode_source(record["source"])
    kinds = ("layer", "hconcat", "vconcat", "concat", "facet", "repeat")
    kind = next((k for k in kinds if k in spec), "chart")
    classes: dict[str, Any] = {
        "layer": alt.LayerChart,
        "hconcat": alt.HConcatChart,
        "vconcat": alt.VConcatChart,
        "concat": alt.ConcatChart,
        "facet": alt.FacetChart,
        "repeat": alt.RepeatChart,
        "chart": alt.Chart,
    }
    chart = classes[kind].from_dict(spec, validate=False)
    controls = FigureControls.from_dict(record.get("controls"))
    preset = str((record.get("preset") or {}).get("name") or DEFAULT_PRESET)
    themed_chart = themed(apply_controls(chart, controls), preset)
    expected = record.get("spec_sha256")
    if expected and spec_sha256(chart_spec(themed_chart)) != expected:
        raise InputError(
            f"{record.get('figure')}: the rebuilt figure differs from the "
            "original (different app or engine version?)."
        )
    return themed_chart


def rebuild_svg(record: Mapping, files: Mapping[str, bytes] | None = None) -> bytes:
    """The SVG bytes of :func:`rebuild_chart` (the same as the original's)."""
    from core.figures.export import chart_to_bytes

    return chart_to_bytes(rebuild_chart(record, files), "svg")


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
