"""
PeLED Bench: the app's pages, Home first, and the Home page itself.

``st.navigation`` lists the pages (so the sidebar says "Home", not "app"); it
replaces the pages/ folder convention, so every file in pages/ is listed here
(tests/test_architecture.py checks it). Page URLs are inferred from the file
names as before: ``/Spectral_stability``, ``/Efficiency``, ...
"""

import streamlit as st

from ui.device import device_bar
from ui.format import device_contents
from ui.session import get_devices, load_demo, remove_device


def home() -> None:
    """What the app does, the demo data, the session's devices."""
    device_bar()  # the current device, Save to / Open from library
    st.title("PeLED Bench")
    st.markdown(
        "Analyse what your LED rig measures — first of all pure-red perovskite "
        "LEDs — and see where your devices stand.\n\n"
        "- **Spectral stability**: peak drift, FWHM, CIE 1931 trajectories of EL "
        "spectra recorded over time or bias.\n"
        "- **Efficiency**: EQE from J-V-L and the EL spectrum, roll-off, turn-on, "
        "batch statistics.\n"
        "- **Lifetime**: T95…T50 with labelled extrapolation and acceleration to a "
        "reference luminance.\n"
        "- **Literature**: your device against a curated, sourced table of "
        "published pure-red PeLEDs.\n"
        "- **Report**: everything side by side, figures sized for journals.\n"
        "- **Library**: every saved device with its files and results — search, "
        "compare, follow trends over batches, export.\n\n"
        "The **current device** box in the sidebar is on every page: uploads go "
        "to it, **Save to library** keeps its files byte-exact with the settings "
        "and results, **Open from library** brings a saved device back."
    )
    left, right = st.columns([1, 2])
    with left:
        st.subheader("Try it")
        # A callback: the device bar above already shows the demo devices.
        if st.button(
            "Load demo data", type="primary", key="home_load_demo", on_click=load_demo
        ):
            st.success("Loaded two synthetic demo devices. Open a page in the sidebar.")
        st.caption(
            "The demo is **synthetic demo data** shaped on values reported for "
            "pure-red CsPbI₃ quantum-dot LEDs (Ren et al., ACS Materials Lett. "
            "2024, doi:10.1021/acsmaterialslett.4c00912): a control device whose "
            "colour drifts and a treated, spectrally stable one."
        )
    with right:
        st.subheader("Devices in this session")
        devices = get_devices()
        if not devices:
            st.info(
                "No devices yet. Load the demo, or upload your files on any page and "
                "add them to the session."
            )
        for device in devices:
            tag = " · *synthetic demo data*" if device.synthetic else ""
            cols = st.columns([5, 1])
            cols[0].markdown(f"**{device.name}** — {device_contents(device)}{tag}")
            if cols[1].button("Remove", key=f"home_remove_{device.name}"):
                remove_device(device.name)
                st.rerun()
    st.divider()
    st.caption(
        "Uploads stay in your browser session on this server until you save the "
        "device to the library (a database on this server); unsaved uploads are "
        "gone when the session ends. A reload of the page reopens the devices "
        "saved or opened in it. Nothing is sent elsewhere."
    )


st.set_page_config(page_title="PeLED Bench", page_icon="🔴", layout="wide")
st.navigation(
    [
        st.Page(home, title="Home", icon="🔴", default=True),
        st.Page("pages/1_Spectral_stability.py"),
        st.Page("pages/2_Efficiency.py"),
        st.Page("pages/3_Lifetime.py"),
        st.Page("pages/4_Literature.py"),
        st.Page("pages/5_Report.py"),
        st.Page("pages/6_Photophysics.py"),
        st.Page("pages/7_Library.py"),
    ]
).run()
