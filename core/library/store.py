"""
The device library: save, re-open, list, change and delete device records.

:class:`Library` is the one entry point for pages and the CLI::

    library = Library()                      # PELED_DATABASE_URL or data/
    device_id = library.save_device(
        DeviceRecord(name="A1", batch="2026-01", tags=("control",)),
        [FileInput("a1_el.csv", el_bytes), FileInput("a1_jvl.txt", jvl_bytes)],
    )
    device = library.open_device(device_id)  # re-runs the analysis
    device.current.summary["eqe_max_percent"], device.reproduced

Every write is one transaction: a device with its files, tags and results is
saved whole or not at all; files are read and analysed before the
transaction starts, so an upload a reader refuses writes nothing. Access
rules (:mod:`core.library.access`) are applied here, not only in pages.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Mapping, Sequence
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from core.errors import InputError
from core.library import queries, rows
from core.library.access import LOCAL_USER, User, visible_to
from core.library.analysis import (
    analyse_files,
    changed_keys,
    read_files,
    settings_payload,
)
from core.library.config import WRITE_OPTION, database_url, make_engine, normalise_url
from core.library.headline import headline
from core.library.migrate import upgrade
from core.library.records import (
    RECORD_FIELDS,
    DeviceRecord,
    DeviceSummary,
    FileInput,
    StoredAnalysis,
    StoredDevice,
)
from core.library.rows import as_files as _as_files
from core.library.rows import insert_analysis as _insert_analysis
from core.library.rows import software_version as _software_version
from core.library.schema import (
    TABLES,
    BlobRow,
    DeviceFileRow,
    DeviceRow,
    TagRow,
)

__all__ = ["Library"]


def _as_record(record) -> DeviceRecord:
    if isinstance(record, DeviceRecord):
        return record
    if isinstance(record, Mapping):
        unknown = sorted(set(record) - set(RECORD_FIELDS))
        if unknown:
            raise InputError(
                f"Unknown device field(s) {', '.join(unknown)}: expected "
                f"{', '.join(RECORD_FIELDS)}."
            )
        return DeviceRecord(**record)
    raise InputError(f"Device record: expected a DeviceRecord, found {record!r}.")


class Library:
    """
    A device library in a SQLite file or a PostgreSQL database.

    Parameters
    ----------
    url : str, optional
        SQLAlchemy URL. Default :func:`core.library.config.database_url`
        (``PELED_DATABASE_URL``, else ``sqlite:///data/peled.sqlite3``).
    migrate : bool
        Bring the schema to the newest revision now (default True).

    Every method takes the acting ``user`` (default :data:`LOCAL_USER`, the
    single user when no login is configured).
    """

    def __init__(self, url: str | None = None, *, migrate: bool = True) -> None:
        self.url = normalise_url(url) if url else database_url()
        self.engine = make_engine(self.url)
        self._writer = self.engine.execution_options(**{WRITE_OPTION: True})
        if migrate:
            try:
                upgrade(self.engine)
            except sa.exc.OperationalError as error:
                self.engine.dispose()
                reason = str(getattr(error, "orig", error)).strip().splitlines()
                raise InputError(
                    f"Cannot open the device library at {self.display_url}: "
                    f"{reason[0] if reason else error}. Check PELED_DATABASE_URL "
                    "(or --database) and that the database server is running."
                ) from None

    # -- plumbing -----------------------------------------------------------

    @property
    def backend(self) -> str:
        """``"sqlite"`` or ``"postgresql"``."""
        return self.engine.dialect.name

    @property
    def display_url(self) -> str:
        """The URL without its password."""
        return make_url(self.url).render_as_string(hide_password=True)

    def session(self, *, write: bool = False) -> Session:
        """A session; ``write`` takes SQLite's write lock at BEGIN."""
        return Session(self._writer if write else self.engine, expire_on_commit=False)

    def close(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def table_counts(self) -> dict[str, int]:
        """Rows per table (for checks that nothing was half-written)."""
        with self.session() as session:
            return {
                table.name: session.scalar(
                    sa.select(sa.func.count()).select_from(table)
                )
                or 0
                for table in TABLES
            }

    # -- saving -------------------------------------------------------------

    def save_device(
        self,
        record: DeviceRecord | Mapping,
        files: Sequence[FileInput] | Mapping[str, bytes],
        settings=None,
        results: Mapping | None = None,
        user: User = LOCAL_USER,
        *,
        reader_options: Mapping | None = None,
    ) -> int:
        """
        Save a device with its files, settings and results, whole or not at all.

        Parameters
        ----------
        record : DeviceRecord or mapping
        files : sequence of FileInput, or mapping name -> bytes (kind ``auto``)
        settings : ReportSettings or mapping, optional
            Analysis settings (default: the defaults).
        results : mapping, optional
            Results already computed with these files and settings (in the
            format of :func:`core.library.analysis.analyse_files`). Default:
            computed now.
        user : User
            The owner.
        reader_options : mapping, optional
            Reader options (wavelength grid, axis, area...), stored with the
            settings.

        Returns
        -------
        int
            The new device's id.

        Raises
        ------
        InputError
            An invalid record, an unknown setting, or a file its reader
            refuses: nothing is written.
        """
        record = _as_record(record)
        inputs = _as_files(files)
        payload = settings_payload(settings, reader_options)
        triples = [(f.name, f.role, f.data) for f in inputs]
        if results is None:
            roles, computed = analyse_files(record.name, triples, payload)
        else:  # the files are still read: a file a reader refuses is not saved
            roles = read_files(record.name, triples, payload)[2]
            computed = dict(results)
            _check_results_match(computed, inputs)
        when = rows.now()
        with self.session(write=True) as session, session.begin():
            rows.ensure_user(session, user, when)
            device = DeviceRow(
                uid=uuid.uuid4().hex,
                owner_id=user.id,
                created_at=when,
                updated_at=when,
                **rows.record_columns(record),
            )
            session.add(device)
            session.flush()
            session.add_all(TagRow(device_id=device.id, tag=t) for t in record.tags)
            rows.store_blobs(session, [(f.sha256, f.data) for f in inputs], when)
            session.add_all(
                DeviceFileRow(
                    device_id=device.id,
                    position=position,
                    name=f.name,
                    role=role,
                    sha256=f.sha256,
                )
                for position, (f, role) in enumerate(zip(inputs, roles, strict=True))
            )
            session.flush()
            _insert_analysis(session, device.id, payload, computed, user, when)
        return device.id

    # -- reading ------------------------------------------------------------

    def open_device(
        self,
        device_id: int,
        user: User = LOCAL_USER,
        *,
        reanalyse: bool = True,
        with_data: bool = True,
    ) -> StoredDevice:
        """
        Re-open a device: its record, files (byte-exact) and analyses.

        With ``reanalyse`` (default) the files are read again and analysed
        with the stored settings. ``reproduced`` says whether that gave the
        stored results exactly. When the numbers or the software version
        differ, the new analysis is added as the current one and the old ones
        are kept, each labelled with its version (:attr:`StoredAnalysis.label`);
        for a device shared by another user the new analysis is returned but
        not saved.

        Raises
        ------
        InputError
            No such device; PermissionDenied for another user's private one.
        """
        with self.session() as session, session.begin():
            device = rows.get_device(session, device_id, user)
            stored = queries.load_device(session, device, with_data or reanalyse)
        if not reanalyse:
            return stored if with_data else queries.without_data(stored)
        stored = self._rerun(stored, user)
        return stored if with_data else queries.without_data(stored)

    def _rerun(self, stored: StoredDevice, user: User) -> StoredDevice:
        """Re-analyse a device from its stored files and current settings."""
        old = stored.current
        # Settings stored by another version: unknown ones dropped, new ones
        # at their defaults (the new analysis records what it used).
        payload = settings_payload(old.settings if old else None, strict=False)
        files = [(f.name, f.role, f.data or b"") for f in stored.files]
        _, fresh = analyse_files(stored.record.name, files, payload)
        reproduced = old is not None and fresh == old.results
        version = _software_version()
        if reproduced and old is not None and old.software_version == version:
            return dataclasses.replace(stored, reproduced=True)
        new = self._add_analysis(stored.id, payload, fresh, user, stored.owner)
        olds = tuple(dataclasses.replace(a, current=False) for a in stored.analyses)
        return dataclasses.replace(
            stored,
            analyses=(new, *olds),
            reproduced=reproduced,
            changed=changed_keys(old.results if old else {}, fresh),
        )

    def _add_analysis(
        self, device_id: int, payload: dict, results: dict, user: User, owner: str
    ) -> StoredAnalysis:
        when = rows.now()
        new = StoredAnalysis(
            id=None,
            settings=payload,
            results=results,
            summary=results.get("summary") or {},
            software_version=_software_version(),
            headline=headline(results),
            created_at=when,
            created_by=user.id,
            current=True,
            saved=False,
        )
        if owner != user.id:
            return new
        with self.session(write=True) as session, session.begin():
            rows.get_device(session, device_id, user, change=True)
            rows.ensure_user(session, user, when)
            analysis_id = _insert_analysis(
                session, device_id, payload, results, user, when
            )
        return dataclasses.replace(new, id=analysis_id, saved=True)

    def reanalyse(
        self,
        device_id: int,
        user: User = LOCAL_USER,
        settings=None,
        *,
        reader_options: Mapping | None = None,
    ) -> StoredAnalysis:
        """
        Analyse a device's stored files with other settings; the result is
        saved as its current analysis (the older ones are kept). Owner only.
        """
        with self.session() as session, session.begin():
            device = rows.get_device(session, device_id, user, change=True)
            stored = queries.load_device(session, device, True)
        old = stored.current
        if settings is None and old is not None:
            settings = old.settings["report"]
        if reader_options is None and old is not None:
            reader_options = old.settings["reader"]
        # How the photophysics files form measurements stays as stored.
        spec = old.settings.get("photophysics") if old is not None else None
        payload = settings_payload(settings, reader_options, photophysics=spec)
        files = [(f.name, f.role, f.data or b"") for f in stored.files]
        _, fresh = analyse_files(stored.record.name, files, payload)
        return self._add_analysis(stored.id, payload, fresh, user, stored.owner)

    def list_devices(
        self,
        user: User = LOCAL_USER,
        *,
        name: str | None = None,
        batch: str | None = None,
        tag: str | None = None,
        trash: bool = False,
    ) -> list[DeviceSummary]:
        """
        The devices ``user`` may read, newest first, with their current
        summary (``trash``: the user's own devices in the trash instead).

        ``name`` matches part of the name (any case); ``batch`` and ``tag``
        match exactly.
        """
        if trash:
            where = [DeviceRow.owner_id == user.id, DeviceRow.deleted_at.is_not(None)]
        else:
            where = [visible_to(user), DeviceRow.deleted_at.is_(None)]
        if name:
            pattern = name.replace("\\", "\\\\").replace("%", r"\%").replace("_", r"\_")
            where.append(DeviceRow.name.ilike(f"%{pattern}%", escape="\\"))
        if batch is not None:
            where.append(DeviceRow.batch == batch)
        if tag is not None:
            where.append(
                sa.exists().where(TagRow.device_id == DeviceRow.id, TagRow.tag == tag)
            )
        with self.session() as session, session.begin():
            return queries.summaries(session, where)

    # -- changing -----------------------------------------------------------

    def update(
        self, device_id: int, changes: Mapping | DeviceRecord, user: User = LOCAL_USER
    ) -> DeviceRecord:
        """
        Change a device's record (owner only); returns the new record.

        ``changes`` maps record fields to new values, or is a whole new
        :class:`DeviceRecord`. Files and results are not touched.
        """
        with self.session(write=True) as session, session.begin():
            row = rows.get_device(session, device_id, user, change=True)
            old = rows.record_of(row, rows.tags_of(session, [row.id]).get(row.id, ()))
            if isinstance(changes, DeviceRecord):
                new = changes
            else:
                new = _as_record(old.to_dict() | dict(changes))
            for key, value in rows.record_columns(new).items():
                setattr(row, key, value)
            if new.tags != old.tags:
                rows.set_tags(session, row.id, new.tags)
            row.updated_at = rows.now()
        return new

    def soft_delete(self, device_id: int, user: User = LOCAL_USER) -> None:
        """Move a device to its owner's trash (owner only; can be restored)."""
        with self.session(write=True) as session, session.begin():
            row = rows.get_device(session, device_id, user, change=True)
            if row.deleted_at is None:
                row.deleted_at = rows.now()
                row.deleted_by = user.id

    def restore(self, device_id: int, user: User = LOCAL_USER) -> None:
        """Take a device out of the trash (owner only)."""
        with self.session(write=True) as session, session.begin():
            row = rows.get_device(session, device_id, user, change=True)
            if row.deleted_at is None:
                raise InputError(f"Device {row.id} is not in the trash.")
            row.deleted_at = None
            row.deleted_by = None
            row.updated_at = rows.now()

    def hard_delete(
        self, device_id: int, user: User = LOCAL_USER, *, confirm: bool = False
    ) -> None:
        """
        Delete a device in the trash for good, with its files and analyses
        (file contents no other device holds are removed too).

        Raises
        ------
        InputError
            Without ``confirm=True``, or when the device is not in the trash.
        """
        if confirm is not True:
            raise InputError(
                f"Deleting device {device_id} for good cannot be undone: confirm "
                "it (confirm=True, or --yes on the command line)."
            )
        with self.session(write=True) as session, session.begin():
            row = rows.get_device(session, device_id, user, change=True)
            if row.deleted_at is None:
                raise InputError(
                    f"Device {row.id} is not in the trash: move it to the trash "
                    "first, then delete it for good."
                )
            session.execute(sa.delete(DeviceRow).where(DeviceRow.id == row.id))
        self.collect_garbage()

    def collect_garbage(self) -> int:
        """Remove file contents no device holds; returns how many."""
        orphan = ~sa.exists().where(DeviceFileRow.sha256 == BlobRow.sha256)
        try:
            with self.session(write=True) as session, session.begin():
                result = session.execute(sa.delete(BlobRow).where(orphan))
                return int(getattr(result, "rowcount", 0) or 0)
        except sa.exc.IntegrityError:
            # A writer took one of them meanwhile: leave them for next time.
            return 0

    def replace_files(
        self,
        device_id: int,
        files: Sequence[FileInput],
        user: User = LOCAL_USER,
        settings=None,
        *,
        reader_options: Mapping | None = None,
    ) -> int:
        """Give a saved device new files and their analysis (owner only); see
        :func:`core.library.devices.replace_files`."""
        from core.library.devices import replace_files

        return replace_files(self, device_id, files, user, settings, reader_options)

    # -- working sets -------------------------------------------------------

    def save_working_set(
        self,
        key: str,
        device_ids: Sequence[int],
        current_id: int | None = None,
        user: User = LOCAL_USER,
    ) -> None:
        """Keep a browser session's open devices under ``key``; see
        :func:`core.library.working.save_working_set`."""
        from core.library.working import save_working_set

        save_working_set(self, key, user, device_ids, current_id)

    def working_set(
        self, key: str, user: User = LOCAL_USER
    ) -> tuple[list[int], int | None]:
        """The device ids and current id kept under ``key`` for ``user``."""
        from core.library.working import working_set

        return working_set(self, key, user)

    # -- the lab's literature rows (core.library.literature_rows) -----------

    def add_literature_rows(
        self, values, user: User = LOCAL_USER, *, visibility: str = "private", **kw
    ) -> list[int]:
        """Validate lab rows of the literature table and store them, all or
        none; see :func:`core.library.literature_rows.add_rows`."""
        from core.library.literature_rows import add_rows

        return add_rows(self, values, user, visibility=visibility, **kw)

    def add_literature_row(
        self, values: Mapping, user: User = LOCAL_USER, *, visibility: str = "private"
    ) -> int:
        """One lab row (a form's values); returns its library id."""
        return self.add_literature_rows([values], user, visibility=visibility)[0]

    def list_literature_rows(self, user: User = LOCAL_USER) -> list:
        """The lab rows ``user`` may read (StoredLiteratureRow, oldest first)."""
        from core.library.literature_rows import list_rows

        return list_rows(self, user)

    def literature_rows_table(self, user: User = LOCAL_USER):
        """Those rows as a typed literature table with ``origin = "lab"``."""
        from core.library.literature_rows import lab_table

        return lab_table(self, user)

    def delete_literature_row(self, row_id: int, user: User = LOCAL_USER) -> None:
        """Delete a lab row for good (owner only)."""
        from core.library.literature_rows import delete_row

        delete_row(self, row_id, user)

    def export_literature_rows(
        self, user: User = LOCAL_USER, ids: Sequence[int] | None = None
    ) -> str:
        """Lab rows as a CSV in the curated table's columns."""
        from core.library.literature_rows import export_csv

        return export_csv(self, user, ids)

    # -- archives and backups ----------------------------------------------

    def export_archive(
        self,
        path: str | Path,
        user: User = LOCAL_USER,
        ids: Sequence[int] | None = None,
    ) -> dict:
        """Write devices (default: all ``user`` may read) to a zip archive;
        see :func:`core.library.archive.export_archive`."""
        from core.library.archive import export_archive

        return export_archive(self, path, user, ids)

    def import_archive(
        self, path: str | Path, user: User = LOCAL_USER, *, keep_owners: bool = False
    ) -> dict:
        """Restore an archive's devices; see
        :func:`core.library.archive.import_archive`."""
        from core.library.archive import import_archive

        return import_archive(self, path, user, keep_owners=keep_owners)

    def backup_sqlite(self, out: str | Path) -> dict:
        """Copy the SQLite file consistently while in use; see
        :func:`core.library.backup.backup_sqlite`."""
        from core.library.backup import backup_sqlite

        return backup_sqlite(self, out)

    def restore_sqlite(self, backup: str | Path) -> dict:
        """Replace the SQLite database by a backup; see
        :func:`core.library.backup.restore_sqlite`."""
        from core.library.backup import restore_sqlite

        return restore_sqlite(self, backup)


def _check_results_match(results: Mapping, inputs: Sequence[FileInput]) -> None:
    """Results given with a save must come from these very files."""
    given = [item.get("sha256") for item in results.get("inputs", [])]
    read = [f.sha256 for f in inputs if f.role != "attachment"]
    if given != read:
        raise InputError(
            "The results given were computed from other files than the ones "
            "being saved (their SHA-256 differ): save without results to "
            "compute them from these files."
        )
