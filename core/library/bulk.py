"""
Bulk import: many files mapped to devices by a naming rule.

A rule is a pattern with ``{device}`` and optionally ``{kind}`` and
``{ext}`` (``"{device}_{kind}.{ext}"``; ``{any}`` matches anything and is
ignored), or a regular expression with the named groups ``device`` and
optionally ``kind`` (``(?P<device>A\\d+)-(?P<kind>el|jvl)``). The kind part
of a name says what the file is (:data:`KIND_WORDS`: ``el``, ``spectra``,
``jvl``, ``iv``, ``life``, ``lifetime``...); without one, the readers decide
by content. :func:`plan_import` gives the preview the user checks before
anything is saved; :func:`archive_files` reads a .zip of files with limits.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import PurePosixPath

import pandas as pd

from core.errors import InputError

__all__ = [
    "KIND_WORDS",
    "MAX_FILE_BYTES",
    "MAX_TOTAL_BYTES",
    "compile_rule",
    "plan_import",
    "archive_files",
]

#: Words in a file name -> what the file is read as.
KIND_WORDS = {
    "el": "spectra",
    "spectra": "spectra",
    "spectrum": "spectra",
    "spec": "spectra",
    "jvl": "jvl",
    "ivl": "jvl",
    "iv": "jvl",
    "jv": "jvl",
    "life": "lifetime",
    "lifetime": "lifetime",
    "aging": "lifetime",
    "ageing": "lifetime",
    "lt": "lifetime",
    "note": "attachment",
    "notes": "attachment",
    "photo": "attachment",
}
#: A file in a bulk import may hold up to this many bytes (as an upload).
MAX_FILE_BYTES = 100 * 1024 * 1024
#: All files of one .zip together, uncompressed.
MAX_TOTAL_BYTES = 1024 * 1024 * 1024
_FIELDS = {
    "device": r"(?P<device>.+?)",
    "kind": r"(?P<kind>[^._/]+?)",
    "ext": r"(?P<ext>[^./]+)",
    "any": r".*?",
}


def compile_rule(rule: str) -> re.Pattern:
    """
    The regular expression of a naming rule (see the module docstring).

    Raises
    ------
    InputError
        A rule without ``{device}`` / ``(?P<device>...)``, an unknown field,
        or a regular expression that does not compile.
    """
    rule = (rule or "").strip()
    if "{" in rule:
        unknown = sorted(set(re.findall(r"\{(\w*)\}", rule)) - set(_FIELDS))
        if unknown:
            raise InputError(
                f"Naming rule '{rule}': unknown field(s) {', '.join(unknown)}; "
                "use {device}, {kind}, {ext} and {any}."
            )
        parts = re.split(r"(\{\w+\})", rule)
        text = "".join(
            _FIELDS[p[1:-1]] if p[1:-1] in _FIELDS else re.escape(p) for p in parts if p
        )
    else:
        text = rule
    try:
        pattern = re.compile(text, re.IGNORECASE)
    except re.error as error:
        raise InputError(
            f"Naming rule '{rule}': not a valid pattern ({error})."
        ) from None
    if "device" not in pattern.groupindex:
        raise InputError(
            f"Naming rule '{rule}': it must say where the device name is "
            "({device}, or a group (?P<device>...))."
        )
    return pattern


def plan_import(names: Sequence[str], rule: str) -> pd.DataFrame:
    """
    The preview of a bulk import: for each file, its device and kind.

    Returns
    -------
    pandas.DataFrame
        ``file``, ``device`` ("" when the rule does not match), ``kind``
        (``auto`` when the name does not say) and ``note`` (why a file is
        left out). Files left out have an empty device.
    """
    pattern = compile_rule(rule)
    rows = []
    for name in names:
        base = PurePosixPath(name.replace("\\", "/")).name
        match = pattern.fullmatch(base)
        if match is None:
            rows.append((name, "", "", "the rule does not match this name"))
            continue
        device = match.group("device").strip(" _-.")
        word = (match.groupdict().get("kind") or "").lower()
        kind = KIND_WORDS.get(word, "auto")
        note = (
            f"kind '{word}' unknown: read by content" if word and kind == "auto" else ""
        )
        rows.append((name, device, kind, note))
    frame = pd.DataFrame(rows, columns=["file", "device", "kind", "note"])
    return frame.sort_values(["device", "file"], kind="stable").reset_index(drop=True)


def _skipped(info: zipfile.ZipInfo) -> bool:
    parts = PurePosixPath(info.filename).parts
    return info.is_dir() or any(p.startswith(".") or p == "__MACOSX" for p in parts)


def archive_files(data: bytes, name: str) -> dict[str, bytes]:
    """
    The files of a .zip (folders flattened; hidden files and macOS metadata
    left out), within :data:`MAX_FILE_BYTES` each and
    :data:`MAX_TOTAL_BYTES` together (checked before anything is expanded).

    Raises
    ------
    InputError
        Not a zip, too large, or two files with the same name.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise InputError(f"{name}: not a .zip archive.") from None
    infos = [i for i in archive.infolist() if not _skipped(i)]
    big = next((i for i in infos if i.file_size > MAX_FILE_BYTES), None)
    if big is not None:
        raise InputError(
            f"{name}: {big.filename} is {big.file_size / 1e6:.0f} MB: files up to "
            f"{MAX_FILE_BYTES // 2**20} MB are accepted."
        )
    if sum(i.file_size for i in infos) > MAX_TOTAL_BYTES:
        raise InputError(
            f"{name}: expands to more than {MAX_TOTAL_BYTES // 2**30} GB; import it "
            "in parts."
        )
    return _unique(((i.filename, archive.read(i)) for i in infos), name)


def _unique(files: Iterable[tuple[str, bytes]], name: str) -> dict[str, bytes]:
    out: dict[str, bytes] = {}
    for path, content in files:
        base = PurePosixPath(path).name
        if base in out:
            raise InputError(
                f"{name}: two files are named {base} (in different folders); "
                "rename one."
            )
        out[base] = content
    return out
