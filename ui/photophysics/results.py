"""
Results of the Photophysics page: cached analyses, the tables and cards of
each kind, chart colours and provenance, messages and attaching a sample to a
session device.

Every number comes from :func:`core.photophysics.runs.analyse_input`, the
path the report and the device library use too.
"""

from __future__ import annotations

import json
import math
from dataclasses import replace

import altair as alt
import pandas as pd
import streamlit as st

from core.errors import InputError
from core.figures import device_color_scale
from core.figures.provenance import file_record, sha256_hex
from core.models import PhotophysicsInput
from core.photophysics import analyse_input, compare_components, kind_settings
from core.photophysics.runs import KINDS, PhotophysicsResult, read_input
from ui.export import chart_downloads, show_chart, table_download
from ui.format import MISSING, is_finite, number_text
from ui.photophysics.inputs import page_samples
from ui.session import add_to_device, get_devices
from ui.text import plain

__all__ = [
    "pm_text",
    "analysed",
    "component_hint",
    "result_cards",
    "result_table",
    "numbers_table",
    "results_section",
    "color_scale",
    "show_stacked",
    "urbach_window",
    "provenance",
    "messages",
    "attach_controls",
]

NEW_DEVICE = "new device…"
#: Record-level settings (they come with the files, not from the tab's widgets).
_RECORD_SETTINGS = (
    "time_unit",
    "temperatures_k",
    "value_percent",
    "value_stderr_percent",
)


def pm_text(value, stderr=None, unit: str = "") -> str:
    """
    ``value ± stderr unit`` with the decimals of 2 significant digits of the
    uncertainty; without one, 4 significant digits; "—" when missing.

    Examples
    --------
    >>> pm_text(15.2903, 0.00999, "ns"), pm_text(107.42, 1.2058, "meV")
    ('15.290 ± 0.010 ns', '107.4 ± 1.2 meV')
    >>> pm_text(78.0, float("nan"), "%"), pm_text(None)
    ('78 %', '—')
    """
    if not is_finite(value):
        return MISSING
    if not (is_finite(stderr) and stderr > 0):
        return number_text(value, ".4g", unit)
    exponent = math.floor(math.log10(stderr))
    if round(stderr, 1 - exponent) >= 10.0 ** (exponent + 1):  # 0.00998 -> 0.010
        exponent += 1
    decimals = min(8, max(0, 1 - exponent))
    return f"{value:.{decimals}f} ± {stderr:.{decimals}f} {unit}".strip()


# --- analysis -------------------------------------------------------------------


@st.cache_data(show_spinner=False, max_entries=64)
def _analyse(kind, sample, files, settings_json, synthetic) -> PhotophysicsResult:
    record = PhotophysicsInput(
        kind, sample, files, json.loads(settings_json), synthetic
    )
    return analyse_input(record)


def _key(record: PhotophysicsInput) -> tuple:
    return (
        record.kind,
        record.sample,
        tuple(sha256_hex(d) for _, _, d in record.files),
    )


def _with_settings(record: PhotophysicsInput, settings: dict) -> PhotophysicsInput:
    own = {k: v for k, v in record.settings.items() if k in _RECORD_SETTINGS}
    return replace(record, settings=kind_settings(record.kind, own | settings))


def analysed(kind: str, uploads, settings: dict) -> list[tuple]:
    """
    ``(record, result, devices)`` of every sample of ``kind`` on the page: the
    page's samples (demo), those attached to session devices, the uploads.
    The tab's ``settings`` apply to all; an error is shown and the sample left out.
    """
    samples: dict[tuple, tuple[PhotophysicsInput, list[str]]] = {}
    attached = [(r, d.name) for d in get_devices() for r in d.photophysics]
    page = [(r, "") for r in [*page_samples(), *uploads]]
    for record, device in [*page, *attached]:
        if record.kind != kind:
            continue
        entry = samples.setdefault(_key(record), (record, []))
        if device:
            entry[1].append(device)
    out = []
    for record, devices in samples.values():
        try:
            record = _with_settings(record, settings)
            result = _analyse(
                record.kind,
                record.sample,
                record.files,
                json.dumps(record.settings, sort_keys=True),
                record.synthetic,
            )
        except InputError as error:
            st.error(plain(f"{record.sample}: {error}"))
            continue
        out.append((record, result, devices))
    return out


@st.cache_data(show_spinner=False, max_entries=16)
def _suggestions(sample, files, settings_json) -> list[tuple[str, int, str]]:
    record = PhotophysicsInput("trpl", sample, files, json.loads(settings_json))
    s = record.settings
    window = tuple(s["fit_range_ns"]) if s["fit_range_ns"] else None
    out = []
    for label, curve, irf in read_input(record):
        comparison = compare_components(
            curve, irf=irf, fit_range_ns=window, tail_start_ns=s["tail_start_ns"]
        )
        out.append((label, comparison.suggested_components, comparison.reason))
    return out


def component_hint(items, key: str) -> None:
    """On request: fits with 1, 2 and 3 exponentials and the AIC's suggestion."""
    if not st.checkbox(
        "Suggest the number of exponentials (fits 1, 2 and 3; a few seconds per decay)",
        key=key,
    ):
        return
    for record, _, _ in items:
        settings = json.dumps(record.settings, sort_keys=True)
        with st.spinner(f"Fitting 1, 2 and 3 exponentials to {record.sample}…"):
            hints = _suggestions(record.sample, record.files, settings)
        for label, n, reason in hints:
            st.info(
                plain(
                    f"{label}: {n} exponential{'s' if n > 1 else ''} suggested "
                    "(lowest AIC; "
                    f"fewer win within ΔAIC ≤ 2). {reason}"
                )
            )


# --- results --------------------------------------------------------------------


def _pairs(items):
    """(label, result, data, devices) of every result of the items."""
    for _, res, devices in items:
        for label, result, data in zip(res.labels, res.results, res.data, strict=True):
            yield label, result, data, devices


def _range_text(values, unit: str, digits: str = ".4g") -> str:
    if values is None or not all(is_finite(v) for v in values):
        return MISSING
    return f"{values[0]:{digits}}–{values[1]:{digits}} {unit}"


def _trpl_row(fit) -> dict:
    row = {"method": fit.method}
    for i in range(fit.n_components):
        row[f"τ{i + 1}"] = pm_text(fit.tau_ns[i], fit.tau_stderr_ns[i], "ns")
        if fit.n_components > 1:
            fraction = number_text(fit.fraction_intensity[i], ".3f")
            row[f"f{i + 1} (intensity)"] = fraction
    row["τ_amp"] = pm_text(
        fit.tau_amplitude_weighted_ns, fit.tau_amplitude_weighted_stderr_ns, "ns"
    )
    row["τ_int"] = pm_text(
        fit.tau_intensity_weighted_ns, fit.tau_intensity_weighted_stderr_ns, "ns"
    )
    row["χ²ᵣ"] = number_text(fit.chi2_reduced, ".3f")
    row["AIC"] = number_text(fit.aic, ".1f")
    start = "auto" if fit.fit_start_auto else "given"
    row["fit window"] = f"{_range_text((fit.fit_start_ns, fit.fit_stop_ns), 'ns')}" + (
        f" (start {start})" if fit.method == "tail" else ""
    )
    row["IRF shift"] = pm_text(fit.irf_shift_ns, fit.irf_shift_stderr_ns, "ns")
    return row


def _tdpl_row(result) -> dict:
    fit = result.arrhenius
    row = {
        "model": {"one": "one channel", "two": "two channels"}.get(
            fit.model, fit.model
        ),
        "E_B": pm_text(fit.binding_energy_mev, fit.binding_energy_stderr_mev, "meV"),
    }
    if fit.model == "two":
        row["E₁"] = pm_text(fit.second_energy_mev, fit.second_energy_stderr_mev, "meV")
    row["T fitted"] = _range_text((fit.temperature_min_k, fit.temperature_max_k), "K")
    row["integrated over"] = _range_text(result.wavelength_range_nm, "nm")
    row["points"] = str(fit.n_points)
    row["χ²ᵣ"] = number_text(fit.chi2_reduced, ".3f")
    row["relative scatter"] = number_text(100 * fit.relative_scatter, ".2f", "%")
    if result.phonon is not None:
        p = result.phonon
        row["Γ₀"] = pm_text(p.gamma0_mev, p.gamma0_stderr_mev, "meV")
        row["Γ_LO"] = pm_text(p.gamma_lo_mev, p.gamma_lo_stderr_mev, "meV")
        row["E_LO"] = pm_text(p.e_lo_mev, p.e_lo_stderr_mev, "meV")
    return row


def _absorption_row(result) -> dict:
    u, peak = result.urbach, result.peak
    row = {
        "E_U": pm_text(u.urbach_energy_mev, u.urbach_energy_stderr_mev, "meV"),
        "Urbach range": _range_text(u.energy_range_ev, "eV", ".3f")
        + (" (auto)" if u.range_auto else " (given)"),
        "points": str(u.n_points),
        "χ²ᵣ": number_text(u.chi2_reduced, ".3f"),
        "excitonic peak": MISSING
        if peak is None
        else f"{peak.energy_ev:.3f} eV ({peak.wavelength_nm:.1f} nm, {peak.method})",
    }
    if result.tauc is not None:
        row["Tauc intercept"] = pm_text(
            result.tauc.gap_ev, result.tauc.gap_stderr_ev, "eV"
        )
    return row


def _plqy_row(result) -> dict:
    return {
        "method": result.method,
        "PLQY": pm_text(result.plqy_percent, 100 * result.plqy_stderr, "%"),
        "absorptance": pm_text(result.absorptance, result.absorptance_stderr),
        "laser range": _range_text(result.laser_range_nm, "nm"),
        "emission range": _range_text(result.emission_range_nm, "nm")
        + (" (auto)" if result.ranges_auto else ""),
        "range sensitivity": number_text(100 * result.range_sensitivity, ".2f", "%"),
    }


_ROWS = {
    "trpl": _trpl_row,
    "tdpl": _tdpl_row,
    "absorption": _absorption_row,
    "plqy": _plqy_row,
}


def result_table(kind: str, items) -> pd.DataFrame:
    """One row per result, every number as text with its unit and ± 1σ."""
    rows = [
        {"sample": label, "device": ", ".join(devices) or MISSING} | _ROWS[kind](result)
        for label, result, _, devices in _pairs(items)
    ]
    return pd.DataFrame(rows).fillna(MISSING)


def numbers_table(items) -> pd.DataFrame:
    """The CLI's JSON objects as one row each (numbers unrounded, for the CSV)."""
    rows = [
        dict(result.summary(), sample=label) for label, result, _, _ in _pairs(items)
    ]
    drop = ["notes", "warnings", "temperatures", "integrals"]
    return pd.json_normalize(rows).drop(columns=drop, errors="ignore")


_CARDS = {
    "trpl": (
        "τ_int",
        lambda r: pm_text(
            r.tau_intensity_weighted_ns, r.tau_intensity_weighted_stderr_ns, "ns"
        ),
    ),
    "tdpl": (
        "E_B",
        lambda r: pm_text(
            r.arrhenius.binding_energy_mev, r.arrhenius.binding_energy_stderr_mev, "meV"
        ),
    ),
    "absorption": (
        "E_U",
        lambda r: pm_text(
            r.urbach.urbach_energy_mev, r.urbach.urbach_energy_stderr_mev, "meV"
        ),
    ),
    "plqy": ("PLQY", lambda r: pm_text(r.plqy_percent, 100 * r.plqy_stderr, "%")),
}


def result_cards(kind: str, items, per_row: int = 2) -> None:
    """The headline number of each sample (± 1σ) in metric cards."""
    name, text = _CARDS[kind]
    pairs = list(_pairs(items))
    for start in range(0, len(pairs), per_row):
        cols = st.columns(per_row)
        for col, (label, result, _, _) in zip(
            cols, pairs[start : start + per_row], strict=False
        ):
            col.metric(f"{name} · {label}", text(result))


def show_stacked(chart, basename: str, key: str, data=None, provenance=None) -> None:
    """
    A vertically concatenated chart (decay over residuals) drawn part by part,
    each the page's width (Streamlit cannot stretch a concatenation of layers:
    it would overflow the page), with the download buttons of the whole figure.
    """
    if not isinstance(chart, alt.VConcatChart):
        show_chart(chart, basename, key, data, provenance)
        return
    for part in chart.vconcat:
        st.altair_chart(part, width="stretch")
    chart_downloads(chart, basename, key, data, provenance=provenance)


def urbach_window(frame: pd.DataFrame, items, margin_ev: float = 0.1) -> pd.DataFrame:
    """
    The Urbach plot's rows from ``margin_ev`` below the lowest fitted range to
    ``margin_ev`` above the highest excitonic peak (or range end): the edge,
    not the noise floor far below it or the continuum far above. [eV]
    """
    highs = []
    for _, result, _, _ in _pairs(items):
        peak = result.peak
        highs.append(
            peak.energy_ev if peak is not None else result.urbach.energy_range_ev[1]
        )
    low = float(frame["range_low_ev"].min()) - margin_ev
    high = max(highs) + margin_ev
    return frame.loc[frame["energy_ev"].between(low, high)].reset_index(drop=True)


def color_scale(items):
    """Colours of the samples (in the order shown)."""
    return device_color_scale([label for label, *_ in _pairs(items)])


def provenance(items, builder: str) -> dict:
    """Sidecar content: builder, input files (name, role, SHA-256), settings."""
    inputs = [
        file_record(data, name, role) | {"sample": record.sample}
        for record, _, _ in items
        for name, role, data in record.files
    ]
    settings = {record.sample: record.settings for record, _, _ in items}
    return {
        "builder": f"core.figures.photophysics.{builder}",
        "inputs": inputs,
        "settings": settings,
    }


def messages(items) -> None:
    """Warnings shown; what the readers did in an expander."""
    notes = []
    for label, result, _, _ in _pairs(items):
        summary = result.summary()
        for warning in summary.get("warnings", []):
            st.warning(plain(f"{label}: {warning}"))
        notes += [f"{label}: {note}" for note in summary.get("notes", [])]
    if notes:
        with st.expander(f"What the readers did ({len(notes)})"):
            for note in notes:
                st.caption(plain(note))


def _attach(samples: dict, key: str) -> None:
    """
    Button callback (runs before the page, so its tables show the device);
    the sample and device are read from the widgets' state of this click.
    """
    state = st.session_state
    record = samples[state[f"{key}_sample"]]
    device = state[f"{key}_device"]
    if device == NEW_DEVICE:
        device = str(state.get(f"{key}_new", "")).strip()
    if not device:
        return
    existing = next((d for d in get_devices() if d.name == device), None)
    kept = tuple(
        r
        for r in (existing.photophysics if existing else ())
        if (r.kind, r.sample) != (record.kind, record.sample)
    )
    add_to_device(device, photophysics=(*kept, record))
    state[f"{key}_done"] = (
        f"{record.sample} ({KINDS[record.kind]}) is attached to {device} with "
        "these settings; the Report shows it."
    )


def attach_controls(items, key: str) -> None:
    """Attach a sample (files + the settings shown) to a session device."""
    st.markdown("**Attach to a device**")
    c1, c2, c3 = st.columns([2, 2, 1])
    samples = {record.sample: record for record, _, _ in items}
    c1.selectbox("Sample", list(samples), key=f"{key}_sample")
    names = [d.name for d in get_devices()]
    device = c2.selectbox("Device", [*names, NEW_DEVICE], key=f"{key}_device")
    if device == NEW_DEVICE:
        device = c2.text_input("New device name", key=f"{key}_new").strip()
    c3.button(
        "Attach to device",
        key=f"{key}_attach",
        disabled=not device,
        on_click=_attach,
        args=(samples, key),
    )
    done = st.session_state.pop(f"{key}_done", None)
    if done:
        st.success(plain(done))


#: The method under each tab's table, in a sentence or two.
CAPTIONS = {
    "trpl": (
        "τ_amp = Σaτ/Σa, τ_int = Σaτ²/Σaτ; ± 1σ from the Fisher information. "
        "χ²ᵣ ≈ 1 for a good fit of raw counts. A tail fit (no IRF) starts 3 "
        "rise times after the peak unless a start is given; the window is "
        "marked by dashed lines."
    ),
    "tdpl": (
        "I(T) = I₀/(1 + A·exp(−E_B/k_BT)) (two channels: a second term) fitted "
        "to the integrated PL, weighted by its noise and a relative scatter "
        "estimated from the residuals. Open points are outside the fitted range."
    ),
    "absorption": (
        "ln A = ln A₀ + (E − E₀)/E_U over the widest window below the excitonic "
        "peak where ln A is straight within the noise (shaded); for an "
        "automatic range σ includes the range sensitivity."
    ),
    "plqy": (
        "η = (P_C − (1 − A)·P_B)/(L_A·A), A = 1 − L_C/L_B (de Mello et al. "
        "1997); two measurements: η = P_C/(L_A − L_C). σ propagates the noise of "
        "each spectrum; the range sensitivity (a systematic) is given apart."
    ),
}


def results_section(kind: str, items, basename: str, key: str) -> None:
    """
    A tab's numbers: the cards, the table of results with ± 1σ, the method
    caption and the fits' numbers as a download (full precision).

    Parameters
    ----------
    kind : {"trpl", "tdpl", "absorption", "plqy"}
    items : list
        The tab's analysed measurements (:func:`analysed`).
    basename, key : str
        File name of the download (no extension) and its button's key.
    """
    result_cards(kind, items)
    st.dataframe(result_table(kind, items), hide_index=True, width="stretch")
    st.caption(CAPTIONS[kind])
    table_download(numbers_table(items), basename, key=key)
