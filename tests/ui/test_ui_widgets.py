"""ui.widgets and ui.session helpers, run in Streamlit's AppTest."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from core.errors import InputError
from ui.widgets import parse_number_list


def test_number_list_accepts_the_usual_separators():
    assert parse_number_list(" 2.5;2.75\n3\t3.25,, ", "Axis values") == (
        2.5,
        2.75,
        3.0,
        3.25,
    )
    assert parse_number_list("", "Axis values") == ()


def test_number_list_names_the_bad_item():
    with pytest.raises(InputError, match=r"Axis values, item 3: .* found '2.5 V'"):
        parse_number_list("1\n2\n2.5 V", "Axis values")


def _session_script():
    import numpy as np
    import streamlit as st

    from core.models import Device, SpectralSeries
    from ui.session import add_to_device, get_devices, upsert_device
    from ui.widgets import error_once

    grid = np.linspace(500.0, 700.0, 11)
    series = SpectralSeries(grid, np.ones((2, 11)), [0.0, 1.0], axis_name="time")
    bias = SpectralSeries(grid, np.ones((2, 11)), [2.0, 3.0], axis_name="voltage")
    upsert_device(Device(name="first"))
    add_to_device("mine", spectra_time=series)
    add_to_device("first", spectra_bias=bias)
    add_to_device("mine", spectra_bias=bias)
    st.session_state["order"] = [d.name for d in get_devices()]
    st.session_state["mine"] = (
        get_devices()[1].spectra_time is series,
        get_devices()[1].spectra_bias is bias,
    )
    show = error_once()
    for message in ("a.csv: bad", "a.csv: bad", "b.csv: bad"):
        show(message)


def test_add_to_device_keeps_other_data_and_the_order():
    at = AppTest.from_function(_session_script).run()
    assert not at.exception
    assert at.session_state["order"] == ["first", "mine"]
    assert at.session_state["mine"] == (True, True)
    assert [e.value for e in at.error] == ["a.csv: bad", "b.csv: bad"]


def _upload_script():
    import streamlit as st

    from ui.cached import read_spectra
    from ui.widgets import spectra_upload_inputs

    upload = spectra_upload_inputs("t")
    upload.pop("axis_text")
    st.session_state["options"] = {
        k: upload[k] for k in ("spectral_quantity", "sheet", "cells")
    }
    if upload["files"]:
        series = read_spectra(**upload)
        st.session_state["read"] = (series.intensity_quantity, series.notes)


def _photon_table() -> bytes:
    rows = "".join(f"{w},{1e15 if w == 620 else 1e13}\n" for w in range(560, 681, 2))
    return ("Wavelength (nm),Intensity\n" + rows).encode()


def test_spectral_quantity_and_workbook_inputs_reach_the_reader():
    at = AppTest.from_function(_upload_script).run()
    assert not at.exception
    assert at.session_state["options"] == {
        "spectral_quantity": "auto",
        "sheet": None,
        "cells": None,
    }
    at.selectbox(key="t_spectral_quantity").set_value("photon")
    at.text_input(key="t_sheet").set_value(" front ")
    at.text_input(key="t_cells").set_value("H125:I1581").run()
    assert at.session_state["options"] == {
        "spectral_quantity": "photon",
        "sheet": "front",
        "cells": "H125:I1581",
    }
    at.text_input(key="t_sheet").set_value("")
    at.text_input(key="t_cells").set_value("").run()
    at.file_uploader(key="t_files").set_value(
        ("flux.csv", _photon_table(), "text/csv")
    ).run()
    assert not at.exception
    quantity, notes = at.session_state["read"]
    assert quantity == "energy"
    assert any(
        n.startswith("photon spectrum converted to a relative energy spectrum")
        for n in notes
    )


def test_quantity_labels_cover_the_readers_choices():
    from core.io.quantity import QUANTITY_CHOICES
    from ui.widgets import QUANTITY_LABELS

    assert tuple(QUANTITY_LABELS) == QUANTITY_CHOICES
