"""
What the intensity of a spectrum is, and photon spectra converted to energy.

Readers find the spectral quantity where the file states it: a column header
(``Luminescence flux density (photons/(s cm² nm))``), an instrument block
header (``Irradiance [µE/m2/s/nm]``) or a metadata line. :func:`header_quantity`
classifies such a text with :func:`core.units.spectral_kind`;
:func:`apply_quantity` then takes the user's choice into account and converts a
photon spectrum to an energy (power) spectrum, each value times h c / λ, so
that colour (the CIE functions weigh power) and the EQE get the spectrum they
expect. A note says what was done.
"""

from __future__ import annotations

import re

import numpy as np

from core import units
from core.errors import InputError

__all__ = [
    "QUANTITY_CHOICES",
    "header_quantity",
    "columns_quantity",
    "bracketed_unit",
    "check_choice",
    "apply_quantity",
    "quantity_label",
]

#: What a user may say a file holds: ``auto`` (what the file says), or one of
#: the quantities. ``photon`` converts to energy at read time.
QUANTITY_CHOICES: tuple[str, ...] = ("auto", "energy", "photon", "counts")

_KIND = {
    "energy": "energy",
    "photon": "photon",
    "counts": "counts",
    "arbitrary": "relative",
}
_WORDS = (
    ("photon", re.compile(r"photon|quant(a|um)\b|µmol|umol|\bppfd\b|µe\b", re.I)),
    ("counts", re.compile(r"\bcounts?\b|\bcts\b|\bcps\b|\braw\b|\bscope\b", re.I)),
    ("relative", re.compile(r"\ba\.?u\.?\b|arb|relative|normali[sz]ed", re.I)),
)

_LABEL = {
    "energy": "an energy (power) spectrum",
    "photon": "a photon spectrum",
    "counts": "detector counts",
    "relative": "a relative spectrum (a.u.)",
    "unknown": "a spectrum of unstated quantity",
}


def quantity_label(quantity: str) -> str:
    """``"a photon spectrum"`` for messages."""
    return _LABEL.get(quantity, quantity)


def bracketed_unit(text: str) -> str:
    """
    The unit in the last balanced ``(...)`` or ``[...]`` of a header, "" if none.

    Examples
    --------
    >>> bracketed_unit("Luminescence flux density (photons/(s cm² nm))")
    'photons/(s cm² nm)'
    >>> bracketed_unit("Irradiance \\t [µW/cm2/nm],")
    'µW/cm2/nm'
    """
    pairs = {")": "(", "]": "["}
    stack: list[int] = []
    last = ""
    for i, char in enumerate(text or ""):
        if char in "([":
            stack.append(i)
        elif char in pairs and stack and text[stack[-1]] == pairs[char]:
            start = stack.pop()
            if not stack:
                last = text[start + 1 : i].strip()
    return last


def header_quantity(text: str) -> tuple[str | None, str]:
    """
    The spectral quantity a header or unit text states, and its unit.

    The unit in brackets (or the whole text) is classified by
    :func:`core.units.spectral_kind`; without a known unit, words do
    (``photon``, ``quantum``, ``counts``, ``raw``, ``a.u.``, ``relative``).

    Returns
    -------
    quantity : str or None
        ``"energy"``, ``"photon"``, ``"counts"``, ``"relative"``; None when
        the text does not say.
    unit : str
        The unit as written ("" when the text gives none or only words).

    Examples
    --------
    >>> header_quantity("Luminescence flux density (photons/(s cm² nm))")
    ('photon', 'photons/(s cm² nm)')
    >>> header_quantity("calibrated measurement [W/cm²nm]")
    ('energy', 'W/cm²nm')
    >>> header_quantity("Raw spectrum (counts)")
    ('counts', 'counts')
    >>> header_quantity("t = 0 h")
    (None, '')
    """
    text = (text or "").strip()
    if not text:
        return None, ""
    for candidate in (bracketed_unit(text), text):
        kind = units.spectral_kind(candidate) if candidate else None
        if kind in _KIND:
            # "ｲ" is a Latin-1 "²" read as Shift-JIS (LuQY Pro exports).
            return _KIND[kind], candidate.replace("ｲ", "²")
    for quantity, pattern in _WORDS:
        if pattern.search(text):
            return quantity, ""
    return None, ""


_UNIT_KEY = re.compile(r"unit|y[ -]?axis|intensity|quantity|mode", re.I)


def columns_quantity(
    headers: list[str], columns: list[int], preamble: dict | None = None
) -> tuple[list[int], str | None, str, list[str]]:
    """
    The spectrum columns to read and the quantity their headers state.

    When some headers state a calibrated quantity (energy or photon) and
    others raw counts (``Luminescence flux density (photons/(s cm² nm))``
    beside ``Raw spectrum (counts)``), the counts are the same spectra before
    calibration: those columns are dropped, with a note. Without a quantity in
    the headers, a preamble line naming a unit (``Units: W/m2/nm``) is used.

    Returns
    -------
    columns : list of int
        The columns to read.
    quantity, unit : str or None, str
        What the headers (or the preamble) state, None when they do not all
        state the same.
    notes : list of str
    """
    stated = {
        j: header_quantity(headers[j]) if j < len(headers) else (None, "")
        for j in columns
    }
    calibrated = [j for j in columns if stated[j][0] in ("energy", "photon")]
    raw = [j for j in columns if stated[j][0] == "counts"]
    notes = []
    if calibrated and raw:
        shown = [h.replace("ｲ", "²") for h in headers]
        notes.append(
            "read the calibrated "
            + ", ".join(f"'{shown[j]}'" for j in calibrated)
            + "; the raw counts beside it ("
            + ", ".join(f"'{shown[j]}'" for j in raw)
            + ") are the same spectra before calibration and were not read."
        )
        columns = calibrated
    kinds = {stated[j] for j in columns}
    if len(kinds) == 1:
        quantity, unit = kinds.pop()
        if quantity is not None:
            return columns, quantity, unit, notes
    if not any(stated[j][0] for j in columns):
        for key, value in (preamble or {}).items():
            if _UNIT_KEY.search(key):
                quantity, unit = header_quantity(value)
                if quantity is not None:
                    return columns, quantity, unit, notes
    return columns, None, "", notes


def check_choice(choice: str | None) -> str:
    """The user's spectral quantity (None -> ``"auto"``), or InputError."""
    choice = "auto" if choice is None else str(choice).strip().lower()
    if choice not in QUANTITY_CHOICES:
        raise InputError(
            f"spectral quantity '{choice}' is not known; expected one of "
            f"{', '.join(QUANTITY_CHOICES)}."
        )
    return choice


def _to_energy(wavelength_nm, intensity, unit: str) -> tuple[np.ndarray, str, str]:
    """Photon spectrum -> energy spectrum, its unit and the sentence saying so."""
    if units.spectral_kind(unit) == "photon":
        energy, energy_unit = units.photon_to_energy_spectrum(
            wavelength_nm, intensity, unit
        )
        energy_unit = re.sub(r"(?<=[a-zµ])2(?!\d)", "²", energy_unit)  # W/cm²/nm
        note = (
            f"photon spectrum ({unit}) converted to power per nm ({energy_unit}): "
            "each value × hc/λ, so colour and EQE weigh the emitted power, as "
            "the CIE functions expect."
        )
        return energy, energy_unit, note
    import scipy.constants  # here: its CODATA table costs ~0.1 s of import

    per_photon_ev = 1e9 * scipy.constants.h * scipy.constants.c / scipy.constants.e
    energy = np.asarray(intensity, dtype=float) * (
        per_photon_ev / np.asarray(wavelength_nm, dtype=float)
    )
    shown = f" ({unit})" if unit else ""
    note = (
        f"photon spectrum{shown} converted to a relative energy spectrum: each "
        "value × the photon energy hc/λ in eV (1239.84/λ[nm]); the file gives no "
        "photon unit, so the scale is relative."
    )
    return energy, "", note


def apply_quantity(
    wavelength_nm,
    intensity,
    stated: str | None,
    stated_unit: str,
    choice: str,
) -> tuple[np.ndarray, str, str, list[str]]:
    """
    The intensity as the analysis needs it, its quantity, unit and notes.

    Parameters
    ----------
    wavelength_nm : array_like
        (W,) wavelengths. [nm]
    intensity : array_like
        (N, W) intensities as read.
    stated, stated_unit : str or None, str
        What the file says (:func:`header_quantity`); None when it does not.
    choice : str
        One of :data:`QUANTITY_CHOICES`; ``"auto"`` takes what the file says.

    Returns
    -------
    intensity : numpy.ndarray
        Converted to energy when the quantity is ``photon``.
    quantity : str
        One of :data:`core.models.INTENSITY_QUANTITIES` (never ``photon``:
        photon spectra come back as energy).
    unit : str
        The unit of the returned intensity ("" when not known).
    notes : list of str
        What was chosen against the file and what was converted (nothing when
        the file's own quantity is used unchanged).
    """
    notes = []
    quantity = choice if choice != "auto" else (stated or "unknown")
    unit = stated_unit
    if choice != "auto" and stated is not None and stated != choice:
        notes.append(
            f"the file states {quantity_label(stated)}"
            + (f" ({stated_unit})" if stated_unit else "")
            + f"; read as {quantity_label(choice)}, as asked."
        )
        unit = ""
    intensity = np.asarray(intensity, dtype=float)
    if quantity == "photon":
        intensity, unit, note = _to_energy(wavelength_nm, intensity, unit)
        notes.append(note)
        quantity = "energy"
    return intensity, quantity, unit, notes
