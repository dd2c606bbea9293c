"""
ui/uploads.py: several files, a .zip or a folder per upload, the preview of
what each file is read as, and replacing or adding session data said in words.
"""

from __future__ import annotations

import io
import zipfile

import numpy as np
from streamlit.testing.v1 import AppTest

from core.io.jvl import read_jvl
from core.models import Device
from ui.uploads import merged_data, preview_rows

JVL = b"V (V)\tJ (mA/cm2)\tL (cd/m2)\n2\t0.01\t0.5\n3\t1\t300\n4\t5\t2000\n"
LOG = ("Time (h),Luminance (cd/m2)\n" + "\n".join(
    f"{t:.2f},{200 * np.exp(-t / 10):.4f}" for t in np.linspace(0, 20, 50)
) + "\n").encode()  # fmt: skip
SPECTRUM = ("Wavelength (nm),Intensity\n" + "\n".join(
    f"{w},{np.exp(-0.5 * ((w - 640) / 12) ** 2):.5f}" for w in range(560, 721)
) + "\n").encode()  # fmt: skip


def zipped(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as handle:
        for name, content in members.items():
            handle.writestr(name, content)
    return buffer.getvalue()


def test_the_preview_says_what_each_file_is_read_as():
    files = [
        ("pixel1.txt", JVL),
        ("run/life.csv", LOG),
        ("el.csv", SPECTRUM),
        ("notes.txt", b"nothing to read here\n"),
    ]
    rows, kept = preview_rows(files, "jvl")
    read_as = [row["read as"] for row in rows]
    assert read_as[0] == "a J-V-L sweep (3 points)"
    assert read_as[1] == (
        "skipped: a lifetime log (1 log(s)); open it on the Lifetime page"
    )
    assert read_as[2].startswith("skipped: EL spectra (1 spectra over ")
    assert read_as[2].endswith("open it on the Spectral stability page")
    assert read_as[3].startswith("not read: ")
    # The J-V-L file, and the unreadable one for the page's reader to explain.
    assert kept == [0, 3]
    assert [row["file"] for row in rows] == [name for name, _ in files]


def test_the_page_options_reach_the_reader():
    no_area = b"V (V)\tI (A)\tL (cd/m2)\n2\t1e-7\t0.5\n3\t1e-4\t900\n"
    rows, kept = preview_rows([("noarea.txt", no_area)], "jvl")
    assert rows[0]["read as"].startswith("not read: ") and kept == [0]
    rows, _ = preview_rows([("noarea.txt", no_area)], "jvl", {"area_cm2": 0.04})
    assert rows[0]["read as"] == "a J-V-L sweep (2 points)"


def _upload_script():
    import streamlit as st

    from ui.uploads import upload_files

    files = upload_files("Sweeps", "up", kind="jvl")
    st.session_state["names"] = [name for name, _ in files]


def test_a_zip_upload_is_unpacked_previewed_and_filtered():
    at = AppTest.from_function(_upload_script).run()
    archive = zipped(
        {
            "day1/pixel_10.txt": JVL,
            "day1/pixel_2.txt": JVL,
            "day1/life.csv": LOG,
            "__MACOSX/day1/._pixel_2.txt": b"x",
        }
    )
    at.file_uploader(key="up").set_value(("run.zip", archive, "application/zip"))
    at.run()
    assert not at.exception and not at.error
    assert at.session_state["names"] == ["day1/pixel_2.txt", "day1/pixel_10.txt"]
    preview = at.dataframe[0].value
    assert list(preview["file"]) == [
        "day1/life.csv",
        "day1/pixel_2.txt",
        "day1/pixel_10.txt",
    ]
    assert preview["read as"].iloc[0].startswith("skipped: a lifetime log")
    expander = at.expander[0]
    assert (
        expander.label
        == "What the upload holds — 3 file(s): 2 for this page, 1 skipped"
    )
    notes = [c.value.replace("\\", "") for c in at.caption]  # Markdown escapes
    assert any(note.startswith("run.zip: __MACOSX/") for note in notes)
    assert "run.zip: 3 file(s) unpacked." in notes


def test_a_refused_archive_is_a_sentence_and_nothing_is_read():
    at = AppTest.from_function(_upload_script).run()
    evil = zipped({"../evil.txt": JVL})
    at.file_uploader(key="up").set_value(("evil.zip", evil, "application/zip"))
    at.run()
    assert not at.exception
    assert "points outside the archive" in at.error[0].value
    assert at.session_state["names"] == []


def test_a_folder_upload_has_its_own_uploader():
    at = AppTest.from_function(_upload_script).run()
    at.radio(key="up_mode").set_value("A folder").run()
    uploader = at.file_uploader(key="up_folder")
    assert uploader.proto.accept_directory  # the browser offers a folder picker
    uploader.set_value([("a/pixel.txt", JVL, "text/plain"), ("a/.DS_Store", b"x", "")])
    at.run()
    assert not at.exception
    assert at.session_state["names"] == ["a/pixel.txt"]


def _session_script():
    import streamlit as st

    from core.io.jvl import read_jvl
    from core.models import Device
    from ui.session import get_device, upsert_device
    from ui.uploads import add_to_session

    sweep = b"V (V)\tJ (mA/cm2)\tL (cd/m2)\n2\t0.01\t0.5\n3\t1\t300\n"
    first = read_jvl(sweep, "old.txt")
    if "seeded" not in st.session_state:
        upsert_device(Device("Control", jvl=(first,), eqe_spectrum="file"))
        st.session_state["seeded"] = True
    new = read_jvl(sweep, "new.txt")
    add_to_session(
        "jvl",
        {"Control": {"jvl": (new,), "eqe_spectrum": None}, "Fresh": {"jvl": (new,)}},
        key="add",
    )
    device = get_device("Control")
    st.session_state["control"] = [s.source for s in device.jvl]
    st.session_state["source"] = device.eqe_spectrum


def test_replace_or_add_is_asked_and_said_next_to_the_button():
    at = AppTest.from_function(_session_script).run()
    radio = at.radio(key="add_merge")
    assert radio.options == [
        "Replace Control's J-V-L sweep",
        "Add as another J-V-L sweep",
    ]
    assert radio.value == "Replace Control's J-V-L sweep"  # the default
    caption = at.caption[0].value
    assert caption == "New device(s): Fresh. It replaces Control's J-V-L sweep."
    at.button(key="add").click().run()
    assert at.session_state["control"] == ["new.txt"]
    assert at.session_state["source"] is None  # replaced with the sweep
    assert at.success[0].value == "2 J-V-L sweeps now in the session."
    # Both devices hold a sweep now: the page runs again and the choice
    # speaks of both.
    radio = at.radio(key="add_merge")
    assert radio.options == ["Replace their J-V-L sweeps", "Add as more J-V-L sweeps"]
    radio.set_value("Add as more J-V-L sweeps").run()
    assert at.caption[0].value == "It adds to the J-V-L sweeps of Control and Fresh."
    at.button(key="add").click().run()
    assert at.session_state["control"] == ["new.txt", "new.txt"]


def test_merged_data_adds_only_the_kinds_tuple():
    old, new = read_jvl(JVL, "old.txt"), read_jvl(JVL, "new.txt")
    device = Device("Control", jvl=(old,), eqe_spectrum="file")
    fields = {"jvl": (new,), "eqe_spectrum": None}
    assert merged_data(device, "jvl", fields, add=True) == {"jvl": (old, new)}
    assert merged_data(device, "jvl", fields, add=False) == fields
    assert merged_data(None, "jvl", fields, add=True) == fields
