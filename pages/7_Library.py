"""Library: every saved device — search, compare, trends, export, import, trash."""

from __future__ import annotations

import streamlit as st

from core.errors import InputError
from core.library.table import summary_table
from ui import library as lib
from ui import library_page as lp
from ui.device import device_bar
from ui.text import plain

device_bar("Library · PeLED Bench")  # page config + the current device
st.title("Library")
st.caption(
    "Every device saved to the library that you may see: its record, its files "
    "byte-exact, the settings and results of its analysis. Search and filter, "
    "sort the table by any column, tick devices to compare them in this session "
    "(the other pages and the Report), follow a number over dates or batches, "
    "export the table, import many files at once."
)

if not lib.signed_in():
    st.info("Sign in (sidebar) to see the device library.")
    st.stop()

try:
    library, user = lib.library(), lib.current_user()
    entries = library.list_devices(user)
except InputError as error:
    st.error(plain(str(error)))
    st.stop()

if lib.login_configured():
    st.caption(
        f"Signed in as {plain(user.email or user.id)}: your devices and those "
        "shared with the lab. Others' private devices are not listed and cannot "
        "be opened."
    )
else:
    st.caption(lib.SINGLE_USER_TEXT)

table = summary_table(entries)
devices_tab, trends_tab, import_tab, trash_tab = st.tabs(
    ["Devices", "Trends", "Import", "Trash"]
)

with devices_tab:
    if table.empty:
        st.info(
            "No saved devices yet. Upload files on a page (they go to the current "
            "device in the sidebar) and click **Save to library**, or import many "
            "files at once in the Import tab."
        )
        shown = table
    else:
        shown = lp.filters(table)
        st.markdown(f"**{len(shown)}** of {len(table)} device(s)")
        selected = lp.device_table(shown)
        lp.selection_actions(selected)
        lp.table_exports(shown)

with trends_tab:
    if table.empty:
        st.info("Trends appear once devices are saved.")
    else:
        lp.trends(shown)

with import_tab:
    lp.bulk_import()
    st.divider()
    lp.archive_import()

with trash_tab:
    lp.trash()
