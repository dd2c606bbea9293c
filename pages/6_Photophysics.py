"""Photophysics: the emitter's PL lifetimes, E_B, Urbach energy and PLQY."""

from __future__ import annotations

import streamlit as st

from core.figures import photophysics as figures
from core.photophysics import TAUC_CAVEAT
from ui import photophysics as pp
from ui.device import device_bar
from ui.export import preset_selector, show_chart, zip_download
from ui.text import plain

device_bar("Photophysics · PeLED Bench")  # page config + the current device
st.title("Photophysics")
st.caption(
    "The emitter's own measurements beside the device: PL lifetimes from TCSPC "
    "decays (Poisson maximum likelihood, reconvolution with the IRF or a tail "
    "fit), the exciton binding energy from PL against temperature, the Urbach "
    "energy of the absorption edge and the PLQY (de Mello). Every value is "
    "given ± 1σ; the methods and their measured coverage are in docs/methods.md "
    "§7. The same numbers come from `python -m core photophysics`."
)
preset_selector("photophysics_preset")

left, right = st.columns([1, 3])
if left.button("Load demo samples", key="photophysics_demo"):
    pp.load_demo_samples()
right.caption(
    "Demo: two **synthetic** samples, *SQDs (synthetic)* and *SQDs-T "
    "(synthetic)*, shaped on CsPbI₃ quantum dots before and after ligand exchange "
    "(Ren et al., ACS Materials Lett. 2024, doi:10.1021/acsmaterialslett.4c00912). "
    "Not measurements."
)
if pp.page_samples():
    st.caption("Samples marked *(synthetic)* hold synthetic demo data.")

trpl_tab, tdpl_tab, edge_tab, plqy_tab = st.tabs(
    ["PL decay (TRPL)", "PL against temperature", "Absorption edge", "PLQY"]
)

# --- TRPL -----------------------------------------------------------------------
with trpl_tab:
    uploads, settings = pp.trpl_inputs("photophysics_trpl")
    items = pp.analysed("trpl", uploads, settings)
    if not items:
        st.info("Upload decays above, or load the demo samples.")
    else:
        pp.results_section("trpl", items, "trpl_fits", "photophysics_trpl_csv")
        pp.component_hint(items, "photophysics_trpl_hint")
        frame = figures.decay_frame(
            [
                (label, curve, fit)
                for _, r, _ in items
                for label, fit, curve in zip(r.labels, r.results, r.data, strict=True)
            ]
        )
        chart = figures.decay_chart(frame, color_scale=pp.color_scale(items))
        pp.show_stacked(
            chart,
            "trpl_decay",
            "photophysics_trpl_dl",
            frame,
            pp.provenance(items, "decay_chart"),
        )
        pp.messages(items)
        pp.attach_controls(items, "photophysics_trpl_attach")

# --- Temperature-dependent PL ---------------------------------------------------
with tdpl_tab:
    uploads, settings = pp.tdpl_inputs("photophysics_tdpl")
    items = pp.analysed("tdpl", uploads, settings)
    if not items:
        st.info("Upload PL spectra at several temperatures above, or load the demo.")
    else:
        pp.results_section("tdpl", items, "tdpl_fits", "photophysics_tdpl_csv")
        pairs = [(r.labels[0], r.results[0]) for _, r, _ in items]
        scale = pp.color_scale(items)
        arrhenius = figures.arrhenius_frame(pairs)
        show_chart(
            figures.arrhenius_chart(arrhenius, color_scale=scale),
            "tdpl_arrhenius",
            "photophysics_tdpl_dl",
            arrhenius,
            pp.provenance(items, "arrhenius_chart"),
        )
        widths = figures.linewidth_frame(pairs)
        c1, c2 = st.columns(2)
        with c1:
            show_chart(
                figures.peak_energy_chart(widths, color_scale=scale),
                "tdpl_peak",
                "photophysics_tdpl_peak_dl",
                widths,
                pp.provenance(items, "peak_energy_chart"),
            )
        with c2:
            show_chart(
                figures.linewidth_chart(widths, color_scale=scale),
                "tdpl_linewidth",
                "photophysics_tdpl_fwhm_dl",
                widths,
                pp.provenance(items, "linewidth_chart"),
            )
        pp.messages(items)
        pp.attach_controls(items, "photophysics_tdpl_attach")

# --- Absorption edge --------------------------------------------------------------
with edge_tab:
    uploads, settings = pp.absorption_inputs("photophysics_edge")
    items = pp.analysed("absorption", uploads, settings)
    if not items:
        st.info("Upload absorbance spectra above, or load the demo samples.")
    else:
        pp.results_section("absorption", items, "urbach_fits", "photophysics_edge_csv")
        pairs = [(r.labels[0], r.results[0]) for _, r, _ in items]
        scale = pp.color_scale(items)
        urbach = pp.urbach_window(figures.urbach_frame(pairs), items)
        show_chart(
            figures.urbach_chart(urbach, color_scale=scale),
            "urbach",
            "photophysics_edge_dl",
            urbach,
            pp.provenance(items, "urbach_chart"),
        )
        if settings["tauc"]:
            st.warning(TAUC_CAVEAT)
            show_chart(
                figures.tauc_chart(pairs, color_scale=scale),
                "tauc",
                "photophysics_tauc_dl",
                None,
                pp.provenance(items, "tauc_chart"),
            )
        pp.messages(items)
        pp.attach_controls(items, "photophysics_edge_attach")

# --- PLQY -------------------------------------------------------------------------
with plqy_tab:
    uploads, settings = pp.plqy_inputs("photophysics_plqy")
    items = pp.analysed("plqy", uploads, settings)
    if not items:
        st.info("Upload the sphere spectra or enter a PLQY above, or load the demo.")
    else:
        pp.results_section("plqy", items, "plqy", "photophysics_plqy_csv")
        for index, (record, result, _) in enumerate(items):
            measurement = result.data[0]
            if measurement is None:
                continue
            st.markdown(f"**{plain(record.sample)}**: sphere spectra and ranges")
            frame = figures.sphere_frame(measurement, result.results[0])
            show_chart(
                figures.plqy_chart(frame),
                f"plqy_spheres_{index + 1}",
                f"photophysics_plqy_dl_{index}",
                frame,
                pp.provenance([(record, result, [])], "plqy_chart"),
            )
        pp.messages(items)
        pp.attach_controls(items, "photophysics_plqy_attach")

st.divider()
zip_download("photophysics_zip", "photophysics_figures")
