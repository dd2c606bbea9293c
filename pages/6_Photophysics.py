"""Photophysics: the emitter's PL lifetimes, E_B, Urbach energy and PLQY."""

from __future__ import annotations

import streamlit as st

from core.figures import photophysics as figures
from core.photophysics import TAUC_CAVEAT
from ui import photophysics as pp
from ui.device import device_bar
from ui.export import preset_selector, show_chart, table_download, zip_download
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
        pp.result_cards("trpl", items)
        st.dataframe(pp.result_table("trpl", items), hide_index=True, width="stretch")
        st.caption(
            "τ_amp = Σaτ/Σa, τ_int = Σaτ²/Σaτ; ± 1σ from the Fisher information. "
            "χ²ᵣ ≈ 1 for a good fit of raw counts. A tail fit (no IRF) starts 3 "
            "rise times after the peak unless a start is given; the window is "
            "marked by dashed lines."
        )
        table_download(
            pp.numbers_table(items), "trpl_fits", key="photophysics_trpl_csv"
        )
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
        pp.result_cards("tdpl", items)
        st.dataframe(pp.result_table("tdpl", items), hide_index=True, width="stretch")
        st.caption(
            "I(T) = I₀/(1 + A·exp(−E_B/k_BT)) (two channels: a second term) fitted "
            "to the integrated PL, weighted by its noise and a relative scatter "
            "estimated from the residuals. Open points are outside the fitted range."
        )
        table_download(
            pp.numbers_table(items), "tdpl_fits", key="photophysics_tdpl_csv"
        )
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
        pp.result_cards("absorption", items)
        table = pp.result_table("absorption", items)
        st.dataframe(table, hide_index=True, width="stretch")
        st.caption(
            "ln A = ln A₀ + (E − E₀)/E_U over the widest window below the excitonic "
            "peak where ln A is straight within the noise (shaded); for an "
            "automatic range σ includes the range sensitivity."
        )
        table_download(
            pp.numbers_table(items), "urbach_fits", key="photophysics_edge_csv"
        )
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
        pp.result_cards("plqy", items)
        st.dataframe(pp.result_table("plqy", items), hide_index=True, width="stretch")
        st.caption(
            "η = (P_C − (1 − A)·P_B)/(L_A·A), A = 1 − L_C/L_B (de Mello et al. "
            "1997); two measurements: η = P_C/(L_A − L_C). σ propagates the noise of "
            "each spectrum; the range sensitivity (a systematic) is given apart."
        )
        table_download(pp.numbers_table(items), "plqy", key="photophysics_plqy_csv")
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
