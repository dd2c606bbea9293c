"""
What the library stores and hands back: plain frozen dataclasses.

:class:`DeviceRecord` is what a user types about a device; it is validated
when it is built (an invalid record raises :class:`~core.errors.InputError`
before anything is written). :class:`FileInput` is an uploaded file;
:class:`StoredDevice`, :class:`StoredFile`, :class:`StoredAnalysis` and
:class:`DeviceSummary` are what the library returns.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import unicodedata
from dataclasses import dataclass, field, fields

from core.errors import InputError

__all__ = [
    "ROLES",
    "ANALYSED_ROLES",
    "PHOTOPHYSICS_ROLES",
    "VISIBILITIES",
    "RECORD_FIELDS",
    "DeviceRecord",
    "FileInput",
    "StoredFile",
    "StoredAnalysis",
    "StoredDevice",
    "DeviceSummary",
    "sha256_hex",
]

#: Roles of the emitter's photophysics files (``core.photophysics.runs.ROLES``):
#: PL decays and their IRF, PL spectra against temperature, absorbance, and
#: the integrating-sphere spectra (empty, sample out of and in the beam).
PHOTOPHYSICS_ROLES = (
    "trpl",
    "trpl_irf",
    "tdpl",
    "absorbance",
    "plqy_empty",
    "plqy_out",
    "plqy_in",
)
#: What a stored file is read as; ``auto`` is resolved when it is saved and
#: ``attachment`` is kept byte-exact but not analysed (a photo, a lab note,
#: a format no reader accepts yet). Photophysics files must be named.
ROLES = ("auto", "spectra", "jvl", "lifetime", "attachment", *PHOTOPHYSICS_ROLES)
#: Roles whose files go through the readers.
ANALYSED_ROLES = ("spectra", "jvl", "lifetime", *PHOTOPHYSICS_ROLES)
#: ``private``: only the owner sees it; ``lab``: everyone signed in can read it.
VISIBILITIES = ("private", "lab")

_MAX_TEXT = {"name": 200, "batch": 200, "emitter": 200}
_MAX_LONG_TEXT = 20_000
_MAX_TAG = 64
_MAX_FILE_NAME = 255


def sha256_hex(data: bytes) -> str:
    """SHA-256 of ``data`` as 64 lowercase hex digits."""
    return hashlib.sha256(data).hexdigest()


def _text(name: str, value, limit: int, *, multiline: bool = False) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InputError(f"Device {name}: expected text, found {value!r}.")
    value = value.strip()
    if len(value) > limit:
        raise InputError(
            f"Device {name}: at most {limit} characters, found {len(value)}."
        )
    allowed = "\n\t" if multiline else ""
    bad = [c for c in value if unicodedata.category(c) == "Cc" and c not in allowed]
    if bad:
        raise InputError(
            f"Device {name}: control character {bad[0]!r} is not allowed"
            + (" (only line breaks and tabs are)." if multiline else ".")
        )
    return value


def _date(value) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise InputError(
        f"Device date made: expected a date as YYYY-MM-DD, found {value!r}."
    )


def _area(value) -> float | None:
    if value is None or value == "":
        return None
    try:
        area = float(value)
    except (TypeError, ValueError):
        area = math.nan
    if not (math.isfinite(area) and area > 0):
        raise InputError(
            f"Device active area: expected a positive number of cm², found {value!r}."
        )
    return area


def _tags(value) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = value.split(",")
    tags: list[str] = []
    for raw in value:
        tag = _text("tag", raw, _MAX_TAG)
        if tag and tag not in tags:
            tags.append(tag)
    return tuple(sorted(tags))


@dataclass(frozen=True)
class DeviceRecord:
    """
    What a device record holds besides its files and results.

    Attributes
    ----------
    name : str
        Required, up to 200 characters.
    batch, emitter : str
        Up to 200 characters each.
    date_made : datetime.date or None
        Also accepted as ``"YYYY-MM-DD"``.
    structure : str
        Layer stack / composition, e.g. ``"ITO/PEDOT:PSS/CsPbI3/TPBi/LiF/Al"``.
    area_cm2 : float or None
        Active area. [cm²]
    notes : str
        Free text (line breaks allowed).
    tags : tuple of str
        Also accepted as a comma-separated string; blanks and repeats dropped,
        kept sorted.
    visibility : {"private", "lab"}
        Who may read it besides its owner (see :mod:`core.library.access`).

    Raises
    ------
    InputError
        When a field is invalid (the message names it).
    """

    name: str
    batch: str = ""
    date_made: dt.date | None = None
    structure: str = ""
    emitter: str = ""
    area_cm2: float | None = None
    notes: str = ""
    tags: tuple[str, ...] = ()
    visibility: str = "private"

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        for key, limit in _MAX_TEXT.items():
            set_(self, key, _text(key, getattr(self, key), limit))
        if not self.name:
            raise InputError("Device name: required, found an empty name.")
        set_(self, "structure", _text("structure", self.structure, _MAX_LONG_TEXT))
        set_(self, "notes", _text("notes", self.notes, _MAX_LONG_TEXT, multiline=True))
        set_(self, "date_made", _date(self.date_made))
        set_(self, "area_cm2", _area(self.area_cm2))
        set_(self, "tags", _tags(self.tags))
        if self.visibility not in VISIBILITIES:
            raise InputError(
                f"Device visibility: expected one of {', '.join(VISIBILITIES)}, "
                f"found {self.visibility!r}."
            )

    def to_dict(self) -> dict:
        """JSON-ready fields (the date as ``YYYY-MM-DD``)."""
        out = {f.name: getattr(self, f.name) for f in fields(self)}
        out["date_made"] = self.date_made.isoformat() if self.date_made else None
        out["tags"] = list(self.tags)
        return out


#: The fields of a device record, in order.
RECORD_FIELDS = tuple(f.name for f in fields(DeviceRecord))


@dataclass(frozen=True)
class FileInput:
    """
    One uploaded file: its original name, its bytes and what it is.

    ``role`` is one of :data:`ROLES`; ``auto`` lets the readers decide by
    content (lifetime log, J-V-L sweep, spectra, in that order).
    """

    name: str
    data: bytes = field(repr=False)
    role: str = "auto"

    def __post_init__(self) -> None:
        name = self.name.replace("\\", "/").rsplit("/", 1)[-1].strip()
        if not name or len(name) > _MAX_FILE_NAME:
            raise InputError(
                f"File name '{self.name}': expected 1 to {_MAX_FILE_NAME} characters."
            )
        object.__setattr__(self, "name", name)
        if not isinstance(self.data, (bytes, bytearray, memoryview)):
            raise InputError(f"{name}: expected the file's bytes.")
        object.__setattr__(self, "data", bytes(self.data))
        if not self.data:
            raise InputError(f"{name}: the file is empty.")
        if self.role not in ROLES:
            raise InputError(
                f"{name}: unknown file kind '{self.role}'; expected one of "
                f"{', '.join(ROLES)}."
            )

    @property
    def sha256(self) -> str:
        return sha256_hex(self.data)


@dataclass(frozen=True)
class StoredFile:
    """A device's file as stored: name, kind, size [bytes], SHA-256, bytes."""

    name: str
    role: str
    size: int
    sha256: str
    data: bytes | None = field(default=None, repr=False)


@dataclass(frozen=True)
class StoredAnalysis:
    """
    One analysis of a device: the settings it ran with, its results and the
    software version that computed them. ``current`` marks the one the device
    shows; ``saved`` is False for an analysis computed on opening that was
    not written (the reader is not the device's owner). ``headline`` holds
    the uncertainties of the summary's numbers
    (:func:`core.library.headline.headline`).
    """

    id: int | None
    settings: dict
    results: dict
    summary: dict
    software_version: str
    created_at: dt.datetime
    created_by: str
    current: bool
    saved: bool = True
    headline: dict = field(default_factory=dict)

    @property
    def label(self) -> str:
        """E.g. ``"computed with 0.1.0 on 2026-01-27 (current)"``."""
        text = (
            f"computed with {self.software_version} on "
            f"{self.created_at.date().isoformat()}"
        )
        if not self.saved:
            text += " (now, not saved)"
        return text + (" (current)" if self.current else "")


@dataclass(frozen=True)
class DeviceSummary:
    """
    One line of the library's list (no files, no full results): the current
    analysis's summary and ``headline`` (its numbers' uncertainties, not part
    of :meth:`to_dict`).
    """

    id: int
    uid: str
    record: DeviceRecord
    owner: str
    created_at: dt.datetime
    updated_at: dt.datetime
    deleted_at: dt.datetime | None
    n_files: int
    software_version: str | None
    summary: dict
    headline: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "uid": self.uid,
            **self.record.to_dict(),
            "owner": self.owner,
            "created_at": self.created_at.isoformat(),
            "updated_at": self.updated_at.isoformat(),
            "deleted_at": self.deleted_at.isoformat() if self.deleted_at else None,
            "n_files": self.n_files,
            "software_version": self.software_version,
            "summary": self.summary,
        }


@dataclass(frozen=True)
class StoredDevice:
    """
    A device as re-opened: its record, files and analyses (newest first).

    ``reproduced`` says whether re-running the analysis from the stored files
    and settings gave the stored results exactly (None: not re-run);
    ``changed`` lists the top-level result keys that differed.
    """

    id: int
    uid: str
    record: DeviceRecord
    owner: str
    created_at: dt.datetime
    updated_at: dt.datetime
    deleted_at: dt.datetime | None
    files: tuple[StoredFile, ...]
    analyses: tuple[StoredAnalysis, ...]
    reproduced: bool | None = None
    changed: tuple[str, ...] = ()

    @property
    def current(self) -> StoredAnalysis | None:
        """The analysis the device shows (None for a device of attachments)."""
        return next((a for a in self.analyses if a.current), None)

    def file_bytes(self) -> dict[str, bytes]:
        """File name -> bytes (files read with their data)."""
        return {f.name: f.data for f in self.files if f.data is not None}
