"""
Zip archives of measurement files: the files inside, read in memory, within
limits.

A lab user uploads a run as a folder or a .zip; the readers take one file at
a time. :func:`zip_members` opens an archive without writing anything to disk
and refuses the archives that could hurt the server or mislead the user:

- more than :data:`MAX_MEMBERS` files;
- more than :data:`~core.io.text.MAX_UPLOAD_BYTES` once uncompressed, in
  total (a zip bomb: 42 kB can hold petabytes), counted from what is actually
  read, not from what the archive's directory claims;
- a member with an absolute path or a ``..`` part (path traversal: nothing
  is extracted, but such a name is a sign of a hostile archive);
- encrypted members, and bytes that are not a zip archive at all.

Files in sub-folders keep their path in their name (``run1/spec_01.csv``);
hidden and system files (``.DS_Store``, ``__MACOSX/…``, ``Thumbs.db``) are
left out with a note. :func:`expand_files` does this for a list of uploads,
leaving the other files as they are.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from pathlib import PurePosixPath

from core.errors import InputError
from core.io.text import MAX_UPLOAD_BYTES

__all__ = [
    "MAX_MEMBERS",
    "SYSTEM_FILES",
    "natural_key",
    "is_hidden",
    "is_zip_name",
    "zip_members",
    "expand_files",
]

#: Most files one archive may hold.
MAX_MEMBERS = 1000
#: File names that operating systems write beside a user's files.
SYSTEM_FILES = frozenset({"thumbs.db", "desktop.ini", ".ds_store"})
_DRIVE = re.compile(r"^[A-Za-z]:")
_ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06")  # a file, an empty archive


def natural_key(text: str) -> tuple:
    """
    Sort key that puts ``spec_2`` before ``spec_10`` (numbers as numbers).

    Examples
    --------
    >>> sorted(["s10.txt", "s2.txt", "S1.txt"], key=natural_key)
    ['S1.txt', 's2.txt', 's10.txt']
    """
    return tuple(
        (0, int(part), "") if part.isdigit() else (1, 0, part.lower())
        for part in re.split(r"(\d+)", str(text))
        if part
    )


def is_hidden(path: str) -> bool:
    """
    A hidden or system file (or one inside a hidden folder).

    Examples
    --------
    >>> is_hidden("run/.DS_Store"), is_hidden("__MACOSX/run/a.csv")
    (True, True)
    >>> is_hidden("a.csv"), is_hidden("../data/a.csv")
    (False, False)
    """
    parts = [p for p in re.split(r"[\\/]", str(path)) if p not in ("", ".", "..")]
    return any(
        part.startswith(".") or part == "__MACOSX" or part.lower() in SYSTEM_FILES
        for part in parts
    )


def is_zip_name(name: str) -> bool:
    """A file name that says "zip archive" (an .xlsx is a zip too, but not one)."""
    return str(name).lower().endswith(".zip")


def _checked_member(archive: str, member: str) -> None:
    """Refuse a member name that points outside the archive."""
    text = member.replace("\\", "/")
    if text.startswith("/") or _DRIVE.match(text):
        raise InputError(
            f"{archive}: the archive holds '{member}', an absolute path; expected "
            "paths inside the archive (e.g. run1/spectrum_01.csv). The archive "
            "was not opened.",
            source=archive,
        )
    if ".." in PurePosixPath(text).parts:
        raise InputError(
            f"{archive}: the archive holds '{member}', which points outside the "
            "archive ('..'); expected paths inside it. The archive was not opened.",
            source=archive,
        )


def _open_archive(data: bytes, name: str) -> zipfile.ZipFile:
    if not data.startswith(_ZIP_SIGNATURES):
        raise InputError(
            f"{name} is not a zip archive (its first bytes are not a zip "
            "signature): expected a .zip of measurement files. Upload the files "
            "themselves, or re-create the archive.",
            source=name,
        )
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise InputError(
            f"{name} cannot be read as a zip archive ({error}): expected a .zip "
            "of measurement files; the file may be cut short.",
            source=name,
        ) from None


def _too_big(name: str, max_bytes: int) -> InputError:
    return InputError(
        f"{name} holds more than {max_bytes / 2**20:.0f} MB once unpacked: "
        "archives up to that size in total are accepted (a small archive that "
        "unpacks to more is refused). Split it into smaller archives.",
        source=name,
    )


def zip_members(
    data: bytes,
    name: str,
    *,
    max_bytes: int = MAX_UPLOAD_BYTES,
    max_members: int = MAX_MEMBERS,
) -> tuple[list[tuple[str, bytes]], list[str]]:
    """
    The files inside a zip archive, read in memory.

    Parameters
    ----------
    data : bytes
        The archive.
    name : str
        Its file name (for messages).
    max_bytes : int
        Largest total of the unpacked files [bytes].
    max_members : int
        Most files (folders not counted).

    Returns
    -------
    files : list of (str, bytes)
        Path inside the archive (``/``-separated) and content, in natural
        order of the paths; hidden and system files left out.
    notes : list of str
        What was left out and why.

    Raises
    ------
    InputError
        Not a zip archive, too many files, too large unpacked, an absolute or
        ``..`` path, an encrypted or corrupt member.
    """
    notes: list[str] = []
    with _open_archive(data, name) as archive:
        infos = [info for info in archive.infolist() if not info.is_dir()]
        if len(infos) > max_members:
            raise InputError(
                f"{name} holds {len(infos)} files: archives of up to {max_members} "
                "files are accepted. Split it into smaller archives.",
                source=name,
            )
        for info in infos:
            _checked_member(name, info.filename)
        if sum(info.file_size for info in infos) > max_bytes:
            raise _too_big(name, max_bytes)
        files, total = [], 0
        for info in sorted(infos, key=lambda i: natural_key(i.filename)):
            if is_hidden(info.filename):
                notes.append(
                    f"{name}: {info.filename} left out (a hidden or system file)."
                )
                continue
            if is_zip_name(info.filename):
                notes.append(
                    f"{name}: {info.filename} left out (an archive inside the "
                    "archive is not opened; unpack it first)."
                )
                continue
            if info.flag_bits & 0x1:
                raise InputError(
                    f"{name}: {info.filename} is encrypted; expected an archive "
                    "without a password.",
                    source=name,
                )
            content = _read_member(archive, info, name, max_bytes - total + 1)
            total += len(content)
            if total > max_bytes:
                raise _too_big(name, max_bytes)
            files.append((info.filename.replace("\\", "/"), content))
    if not files:
        raise InputError(
            f"{name} holds no files (only folders, hidden or system files): "
            "expected measurement files inside the archive.",
            source=name,
        )
    return files, notes


def _read_member(archive: zipfile.ZipFile, info, name: str, limit: int) -> bytes:
    """At most ``limit`` bytes of one member (its directory may lie)."""
    try:
        with archive.open(info) as handle:
            return handle.read(max(limit, 0))
    except (zipfile.BadZipFile, NotImplementedError, OSError, EOFError) as error:
        raise InputError(
            f"{name}: {info.filename} cannot be unpacked ({error}); expected a "
            "stored or deflated member of an intact archive.",
            source=name,
        ) from None


def expand_files(
    files: Sequence[tuple[str, bytes]],
    *,
    max_bytes: int = MAX_UPLOAD_BYTES,
    max_members: int = MAX_MEMBERS,
) -> tuple[list[tuple[str, bytes]], list[str]]:
    """
    Uploads with every .zip replaced by the files inside it.

    Parameters
    ----------
    files : sequence of (str, bytes)
        Name and content of each upload (a folder upload: one per file).
    max_bytes, max_members
        Limits of each archive (:func:`zip_members`).

    Returns
    -------
    files : list of (str, bytes)
        The files in the order given, an archive's in place of the archive
        (named ``<archive>/<path inside>`` when several uploads are given, by
        the path inside alone for one archive); hidden and system files left
        out.
    notes : list of str
        What was left out, and which files came from which archive.

    Raises
    ------
    InputError
        From :func:`zip_members`.
    """
    out: list[tuple[str, bytes]] = []
    notes: list[str] = []
    for name, data in files:
        if is_hidden(name):
            notes.append(f"{name} left out (a hidden or system file).")
            continue
        if not is_zip_name(name):
            out.append((name, data))
            continue
        members, skipped = zip_members(
            data, name, max_bytes=max_bytes, max_members=max_members
        )
        prefix = "" if len(files) == 1 else f"{PurePosixPath(name).stem}/"
        out += [(prefix + member, content) for member, content in members]
        notes += skipped
        notes.append(f"{name}: {len(members)} file(s) unpacked.")
    return out, notes
