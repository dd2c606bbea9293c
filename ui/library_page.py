"""
Widgets of the Library page: filters, the sortable table with its selection,
actions on the selected devices (compare in the session, trash, share,
archive), exports, trends, bulk import, archive import and the trash.

Everything goes through :func:`ui.library.library` as the acting user
(:func:`ui.library.current_user`): the access rules are the library's.
"""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from core.errors import InputError
from core.figures import MIME_TYPES
from core.figures.library import TREND_AXES, trend_chart, trend_frame
from core.library import DeviceRecord, FileInput
from core.library.bulk import archive_files, plan_import
from core.library.table import RANGE_FILTERS, TREND_METRICS, filter_table
from ui import library as lib
from ui.export import show_chart
from ui.text import plain

__all__ = [
    "SELECTED_KEY",
    "filters",
    "device_table",
    "selection_actions",
    "table_exports",
    "trends",
    "bulk_import",
    "archive_import",
    "trash",
]

#: The ids of the devices selected in the table (also a multiselect).
SELECTED_KEY = "library_selected"
_HIDDEN = ["T50 at reference, low [h]", "T50 at reference, high [h]", "CIE x", "CIE y"]


def _options(table: pd.DataFrame, column: str) -> list[str]:
    values = table[column].astype(str)
    return sorted(v for v in values.unique() if v)


def _tag_options(table: pd.DataFrame) -> list[str]:
    tags = {t.strip() for value in table["tags"] for t in value.split(",")}
    return sorted(t for t in tags if t)


def _range(label: str, column: str, table: pd.DataFrame, cols, key: str):
    """Two number inputs (≥, ≤) whose placeholders are the table's range."""
    values = table[column].dropna()
    low, high = (values.min(), values.max()) if len(values) else (None, None)
    bounds = []
    for col, sign, hint, end in ((cols[0], "≥", low, "lo"), (cols[1], "≤", high, "hi")):
        bounds.append(
            col.number_input(
                f"{label} {sign}",
                value=None,
                placeholder="" if hint is None else f"{hint:.4g}",
                key=f"{key}_{end}",
                format="%.4g",
            )
        )
    return tuple(bounds)


def filters(table: pd.DataFrame) -> pd.DataFrame:
    """Search and filters above the table; returns the rows that pass."""
    with st.expander("Search and filter", expanded=True):
        c1, c2, c3, c4 = st.columns(4)
        text = c1.text_input(
            "Name contains",
            key="library_text",
            placeholder="name, batch, emitter or tag",
        )
        batches = c2.multiselect("Batch", _options(table, "batch"), key="library_batch")
        tags = c3.multiselect("Tags", _tag_options(table), key="library_tags")
        emitters = c4.multiselect(
            "Emitter", _options(table, "emitter"), key="library_emitter"
        )
        d1, d2, _ = st.columns([1, 1, 2])
        first = d1.date_input("Made from", value=None, key="library_made_from")
        last = d2.date_input("Made until", value=None, key="library_made_to")
        cols = st.columns(2 * len(RANGE_FILTERS))
        ranges = {}
        for i, (label, column) in enumerate(RANGE_FILTERS.items()):
            pair = cols[2 * i : 2 * i + 2]
            ranges[column] = _range(label, column, table, pair, f"library_{i}")
    return filter_table(
        table,
        text=text,
        batches=batches,
        tags=tags,
        emitters=emitters,
        made=(first, last),
        ranges=ranges,
    )


def _select_rows() -> None:
    """Table selection -> the multiselect of selected ids."""
    event = st.session_state.get("library_table")
    shown = st.session_state.get("library_shown_ids", [])
    rows = getattr(getattr(event, "selection", None), "rows", None)
    if rows is None and isinstance(event, dict):
        rows = event.get("selection", {}).get("rows", [])
    st.session_state[SELECTED_KEY] = [shown[i] for i in rows or [] if i < len(shown)]


def device_table(table: pd.DataFrame) -> list[int]:
    """The sortable table (click a header to sort; tick rows to select);
    returns the selected device ids."""
    first = ["id", "name", "batch", "date made"]
    last = ["T50 is", "emitter", "tags", "saved", "files", "software"]
    if lib.login_configured():
        last += ["owner", "shared"]
    numbers = [c for c in table.columns if c not in {*first, *last, *_HIDDEN}]
    numbers = [c for c in numbers if c not in ("owner", "shared")]
    shown = table.loc[:, [*first, *numbers, *last]]
    st.session_state["library_shown_ids"] = [int(i) for i in shown["id"]]
    number = st.column_config.NumberColumn(format="%.4g")
    st.dataframe(
        shown,
        hide_index=True,
        width="stretch",
        key="library_table",
        on_select=_select_rows,
        selection_mode="multi-row",
        column_config={
            "id": st.column_config.NumberColumn("id", format="#%d", width="small"),
            "shared": st.column_config.CheckboxColumn("lab"),
            "saved": st.column_config.DatetimeColumn(
                "saved", format="YYYY-MM-DD HH:mm"
            ),
            **{c: number for c in shown.columns if "[" in c or c.startswith("Δ")},
        },
    )
    st.caption(
        "σ: standard deviation of the peak shift against the spectra's noise; "
        "± T50: its uncertainty (L0 and curve); T50 at reference: at the "
        "reference luminance (band in the export). Click a header to sort."
    )
    ids = [int(i) for i in table["id"]]
    labels = dict(
        zip(ids, table["name"] + " (#" + table["id"].astype(str) + ")", strict=True)
    )
    kept = [i for i in st.session_state.get(SELECTED_KEY, []) if i in labels]
    st.session_state[SELECTED_KEY] = kept
    return st.multiselect(
        "Selected devices",
        ids,
        format_func=labels.get,
        key=SELECTED_KEY,
        placeholder="Tick rows in the table, or pick devices here",
    )


def _compare(ids: list[int]) -> None:
    opened = []
    for device_id in ids:
        kind, text = lib.open_into_session(device_id, make_current=False)
        if kind == "error":
            lib.flash("error", text)
        else:
            opened.append(device_id)
    if opened:
        lib.flash(
            "success",
            f"{len(opened)} device(s) are in this session: compare them on the "
            "Spectral stability, Efficiency, Lifetime and Report pages.",
        )


def _act(ids: list[int], action: str) -> None:
    library, user = lib.library(), lib.current_user()
    done = 0
    for device_id in ids:
        try:
            if action == "trash":
                library.soft_delete(device_id, user)
            else:
                library.update(device_id, {"visibility": action}, user)
            done += 1
        except InputError as error:
            lib.flash("error", plain(str(error)))
    what = {
        "trash": "moved to the trash",
        "lab": "shared with the lab",
        "private": "made private",
    }[action]
    if done:
        lib.flash("success", f"{done} device(s) {what}.")
    st.session_state[SELECTED_KEY] = []


def _archive(ids: list[int]) -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "devices.zip"
        lib.library().export_archive(path, lib.current_user(), ids or None)
        return path.read_bytes()


def selection_actions(ids: list[int]) -> None:
    """Buttons acting on the selected devices."""
    none = not ids
    c1, c2, c3, c4 = st.columns(4)
    c1.button(
        "Compare in session",
        key="library_compare",
        type="primary",
        disabled=none,
        on_click=_compare,
        args=(ids,),
        width="stretch",
    )
    c2.button(
        "Move to trash",
        key="library_trash",
        disabled=none,
        on_click=_act,
        args=(ids, "trash"),
        width="stretch",
    )
    if lib.login_configured():
        c3.button(
            "Share with the lab",
            key="library_share",
            disabled=none,
            on_click=_act,
            args=(ids, "lab"),
            width="stretch",
        )
    c4.download_button(
        "Archive (.zip)" if ids else "Archive of all (.zip)",
        data=lambda: _archive(ids),
        file_name="peled-devices.zip",
        mime=MIME_TYPES.get("zip", "application/zip"),
        key="library_archive",
        on_click="ignore",
        width="stretch",
    )


def _xlsx(table: pd.DataFrame) -> bytes:
    out = table.copy()
    out["saved"] = out["saved"].map(lambda t: t.strftime("%Y-%m-%d %H:%M:%S UTC"))
    buffer = io.BytesIO()
    out.to_excel(buffer, index=False, sheet_name="devices", engine="openpyxl")
    return buffer.getvalue()


def table_exports(table: pd.DataFrame) -> None:
    """The filtered table as CSV and Excel (every column, bands included)."""
    c1, c2, _ = st.columns([1, 1, 2])
    c1.download_button(
        "Table (CSV)",
        data=lambda: table.to_csv(index=False).encode(),
        file_name="peled-library.csv",
        mime="text/csv",
        key="library_csv",
        on_click="ignore",
    )
    c2.download_button(
        "Table (Excel)",
        data=lambda: _xlsx(table),
        file_name="peled-library.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="library_xlsx",
        on_click="ignore",
    )


def trends(table: pd.DataFrame) -> None:
    """A headline number against date made or batch (Altair, project theme)."""
    c1, c2 = st.columns(2)
    metric = c1.selectbox("Number", list(TREND_METRICS), key="library_trend_metric")
    by = c2.radio("Against", list(TREND_AXES), horizontal=True, key="library_trend_by")
    column, error = TREND_METRICS[metric]
    frame = trend_frame(table, column, TREND_AXES[by], error)
    if frame.empty:
        st.info(
            f"No device in the list has both {metric} and a {by}: give devices a "
            "date made or a batch (Details in the device bar)."
        )
        return
    chart = trend_chart(table, column, by=TREND_AXES[by], error=error, title=metric)
    show_chart(chart, "library_trend", "library_trend_dl", frame)
    st.caption(
        f"{len(frame)} device(s). Error bars: ± σ of the peak shift, or the band "
        "of T50 at the reference luminance; by batch, a black tick marks the median."
    )


# --- bulk import ---------------------------------------------------------------


def _bulk_contents(uploads) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    for upload in uploads or []:
        if upload.name.lower().endswith(".zip"):
            files |= archive_files(upload.getvalue(), upload.name)
        else:
            files[Path(upload.name).name] = upload.getvalue()
    return files


def bulk_import() -> None:
    """Files (or a .zip, or a folder) -> devices by a naming rule, previewed."""
    st.markdown("**Bulk import**: many files at once, grouped into devices by name.")
    uploads = st.file_uploader(
        "Files, .zip archives or a folder",
        accept_multiple_files=True,
        key="library_bulk_files",
    )
    c1, c2 = st.columns([2, 1])
    rule = c1.text_input(
        "Naming rule",
        "{device}_{kind}.{ext}",
        key="library_bulk_rule",
        help="{device}, {kind}, {ext}, {any}, or a regular expression with "
        "(?P<device>...) and (?P<kind>...). Kinds: el/spectra, jvl/iv, "
        "life/lifetime, notes/photo (kept, not read); others are read by content.",
    )
    batch = c2.text_input("Batch for all", key="library_bulk_batch")
    if not uploads:
        return
    try:
        contents = _bulk_contents(uploads)
        plan = plan_import(list(contents), rule)
    except InputError as error:
        st.error(plain(str(error)))
        return
    st.dataframe(plan, hide_index=True, width="stretch")
    devices = sorted(d for d in plan["device"].unique() if d)
    left_out = int((plan["device"] == "").sum())
    st.caption(
        f"{len(contents)} file(s) → {len(devices)} device(s)"
        + (f"; {left_out} left out" if left_out else "")
        + ". Nothing is saved until you click Save all."
    )
    if st.button(
        "Save all", key="library_bulk_save", type="primary", disabled=not devices
    ):
        _save_plan(plan, contents, batch)


def _save_plan(plan: pd.DataFrame, contents: dict[str, bytes], batch: str) -> None:
    library, user = lib.library(), lib.current_user()
    results = []
    with st.spinner("Reading, analysing and saving every device…"):
        for device, group in plan.loc[plan["device"] != ""].groupby("device"):
            files = [
                FileInput(Path(f).name, contents[Path(f).name], kind)
                for f, kind in zip(group["file"], group["kind"], strict=True)
            ]
            try:
                record = DeviceRecord(name=str(device), batch=batch)
                device_id = library.save_device(record, files, user=user)
                results.append((device, f"saved as #{device_id}"))
            except InputError as error:
                results.append((device, f"not saved: {error}"))
    saved = sum(r.startswith("saved") for _, r in results)
    (st.success if saved == len(results) else st.warning)(
        f"{saved} of {len(results)} device(s) saved."
    )
    st.dataframe(pd.DataFrame(results, columns=["device", "result"]), hide_index=True)


def archive_import() -> None:
    """A PeLED Bench archive (.zip from Archive or the CLI) into the library."""
    st.markdown("**Archive import**: devices exported from a PeLED Bench library.")
    upload = st.file_uploader("Archive (.zip)", type=["zip"], key="library_archive_in")
    if upload is None or not st.button("Import archive", key="library_archive_go"):
        return
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "archive.zip"
        path.write_bytes(upload.getvalue())
        try:
            report = lib.library().import_archive(path, lib.current_user())
        except InputError as error:
            st.error(plain(str(error)))
            return
    names = ", ".join(plain(d["name"]) for d in report["imported"]) or "none"
    st.success(
        f"Imported {len(report['imported'])} device(s): {names}. "
        f"{len(report['skipped'])} already present were skipped."
    )


# --- trash -------------------------------------------------------------------


def _trash_action(ids: list[int], action: str) -> None:
    library, user = lib.library(), lib.current_user()
    for device_id in ids:
        try:
            if action == "restore":
                library.restore(device_id, user)
            else:
                library.hard_delete(device_id, user, confirm=True)
        except InputError as error:
            lib.flash("error", plain(str(error)))
    st.session_state["library_trash_ids"] = []
    st.session_state["library_trash_confirm"] = False
    what = "restored" if action == "restore" else "deleted for good"
    lib.flash("success", f"{len(ids)} device(s) {what}.")


def trash() -> None:
    """Your devices in the trash: restore, or delete for good (confirmed)."""
    entries = lib.library().list_devices(lib.current_user(), trash=True)
    if not entries:
        st.caption("The trash is empty.")
        return
    frame = pd.DataFrame(
        [
            (e.id, e.record.name, e.record.batch, e.deleted_at.replace(microsecond=0))
            for e in entries
            if e.deleted_at is not None
        ],
        columns=["id", "name", "batch", "moved to the trash"],
    )
    st.dataframe(frame, hide_index=True, width="stretch")
    labels = {
        int(i): f"{n} (#{i})" for i, n in zip(frame["id"], frame["name"], strict=True)
    }
    ids = st.multiselect(
        "Devices", list(labels), format_func=labels.get, key="library_trash_ids"
    )
    c1, c2, c3 = st.columns([1, 2, 1])
    c1.button(
        "Restore",
        key="library_restore",
        disabled=not ids,
        on_click=_trash_action,
        args=(ids, "restore"),
    )
    sure = c2.checkbox(
        "I understand: deleting for good removes the files and results; it "
        "cannot be undone.",
        key="library_trash_confirm",
    )
    c3.button(
        "Delete for good",
        key="library_hard_delete",
        disabled=not (ids and sure),
        on_click=_trash_action,
        args=(ids, "delete"),
    )
