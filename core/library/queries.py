"""
Reading devices back: one device with its files and analyses, and the
entries of the library's list (record, file count, current summary).
"""

from __future__ import annotations

import dataclasses

import sqlalchemy as sa
from sqlalchemy.orm import Session, undefer

from core.library import rows
from core.library.records import DeviceSummary, StoredDevice
from core.library.schema import AnalysisRow, BlobRow, DeviceFileRow, DeviceRow

__all__ = ["load_device", "without_data", "summaries"]


def load_device(session: Session, device: DeviceRow, with_data: bool) -> StoredDevice:
    """A device row with its tags, files and analyses (newest first)."""
    data_column = BlobRow.data if with_data else sa.null()
    files = session.execute(
        sa.select(
            DeviceFileRow.name,
            DeviceFileRow.role,
            DeviceFileRow.sha256,
            BlobRow.size,
            data_column,
        )
        .join(BlobRow, BlobRow.sha256 == DeviceFileRow.sha256)
        .where(DeviceFileRow.device_id == device.id)
        .order_by(DeviceFileRow.position)
    ).all()
    analyses = session.scalars(
        sa.select(AnalysisRow)
        .options(undefer(AnalysisRow.results))
        .where(AnalysisRow.device_id == device.id)
        .order_by(AnalysisRow.current.desc(), AnalysisRow.id.desc())
    ).all()
    stored = [rows.analysis_of(a) for a in analyses]
    # One current analysis, however the flags were left: the newest flagged.
    first = next((i for i, a in enumerate(stored) if a.current), None)
    stored = [dataclasses.replace(a, current=i == first) for i, a in enumerate(stored)]
    return StoredDevice(
        id=device.id,
        uid=device.uid,
        record=rows.record_of(
            device, rows.tags_of(session, [device.id]).get(device.id, ())
        ),
        owner=device.owner_id,
        created_at=rows.utc(device.created_at) or rows.now(),
        updated_at=rows.utc(device.updated_at) or rows.now(),
        deleted_at=rows.utc(device.deleted_at),
        files=tuple(rows.file_of(*f) for f in files),
        analyses=tuple(stored),
    )


def without_data(stored: StoredDevice) -> StoredDevice:
    files = tuple(dataclasses.replace(f, data=None) for f in stored.files)
    return dataclasses.replace(stored, files=files)


def summaries(session: Session, where: list) -> list[DeviceSummary]:
    """List entries of the devices matching ``where`` (newest first)."""
    ids = sa.select(DeviceRow.id).where(*where)
    devices = session.scalars(
        sa.select(DeviceRow)
        .where(*where)
        .order_by(DeviceRow.created_at.desc(), DeviceRow.id.desc())
    ).all()
    tags = rows.tags_of(session, ids)
    n_files = dict(
        session.execute(
            sa.select(DeviceFileRow.device_id, sa.func.count())
            .where(DeviceFileRow.device_id.in_(ids))
            .group_by(DeviceFileRow.device_id)
        ).all()
    )
    current: dict[int, tuple[str | None, dict, dict]] = {}
    for device_id, version, summary, headline in session.execute(
        sa.select(
            AnalysisRow.device_id,
            AnalysisRow.software_version,
            AnalysisRow.summary,
            AnalysisRow.headline,
        )
        .where(AnalysisRow.device_id.in_(ids), AnalysisRow.current.is_(True))
        .order_by(AnalysisRow.id)
    ):
        current[device_id] = (version, summary, headline or {})
    return [
        DeviceSummary(
            id=d.id,
            uid=d.uid,
            record=rows.record_of(d, tags.get(d.id, ())),
            owner=d.owner_id,
            created_at=rows.utc(d.created_at) or rows.now(),
            updated_at=rows.utc(d.updated_at) or rows.now(),
            deleted_at=rows.utc(d.deleted_at),
            n_files=int(n_files.get(d.id, 0)),
            software_version=current.get(d.id, (None, {}, {}))[0],
            summary=current.get(d.id, (None, {}, {}))[1],
            headline=current.get(d.id, (None, {}, {}))[2],
        )
        for d in devices
    ]
