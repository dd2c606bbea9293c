"""
Column names as a reader reads them: words, and the unit in brackets.

``eqe_max_percent`` -> "EQE max [%]": the unit comes from the name's suffix
(STYLE.md: units in names); an uncertainty (``_stderr``, ``_sd``,
``_uncertainty``, a trailing ``±``) is labelled ``± <quantity> [unit]`` and
knows the column of its value (:func:`uncertainty_partner`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import pandas as pd

__all__ = ["column_label", "unit_of", "uncertainty_partner"]

#: Unit suffixes of column names (STYLE.md: units in names), longest first.
_UNIT_SUFFIXES = (
    ("_percent_per_cd_a", "%/(cd/A)"),
    ("_nm_per_unit", "nm per axis unit"),
    ("_ma_cm2", "mA/cm²"),
    ("_cd_m2", "cd/m²"),
    ("_lm_w", "lm/W"),
    ("_cd_a", "cd/A"),
    ("_percent", "%"),
    ("_counts", "counts"),
    ("_mev", "meV"),
    ("_ev", "eV"),
    ("_ns", "ns"),
    ("_nm", "nm"),
    ("_h", "h"),
    ("_v", "V"),
    ("_k", "K"),
)
#: Parts of a name written as a reader writes them (applied in this order).
_INNER = (
    ("delta_u_prime_v_prime", "Δu′v′"),
    ("u_prime_v_prime", "u′v′"),
    ("u_prime", "u′"),
    ("v_prime", "v′"),
    ("cd_m2", "cd/m²"),
    ("ma_cm2", "mA/cm²"),
    ("delta_", "Δ"),
    ("r_squared", "R²"),
    ("chi2", "χ²"),
    ("turn_on", "turn-on"),
    ("_over_", "_/_"),
)
_WORDS = {
    "eqe": "EQE",
    "cie": "CIE",
    "fwhm": "FWHM",
    "doi": "DOI",
    "jvl": "J-V-L",
    "el": "EL",
    "pl": "PL",
    "plqy": "PLQY",
    "trpl": "TRPL",
    "irf": "IRF",
    "aic": "AIC",
    "id": "ID",
    "sha256": "SHA-256",
    "weibull": "Weibull",
}
#: Names whose label the rules above would not find.
_LABELS = {
    "T50_shown": "T50 ± 1σ",
    "std": "± s.d.",
    "chi2_reduced": "reduced χ²",
    "eqe_percent_per_cd_a": "EQE / CE [%/(cd/A)]",
}
#: Lifetime columns of a T50 converted to a reference luminance with an n.
_PATTERNS = (
    (
        re.compile(r"T(\d+)_at_(\d+(?:\.\d+)?)_n(\d+(?:\.\d+)?)_h"),
        r"T\1 at \2 cd/m², n = \3 [h]",
    ),
    (
        re.compile(r"T(\d+)_at_(\d+(?:\.\d+)?)_h \(n=(\d+(?:\.\d+)?)\)"),
        r"T\1 at \2 cd/m², n = \3 [h]",
    ),
)
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_.]*_[A-Za-z0-9_.]*")
_T_VALUE = re.compile(r"t(\d+)")  # t50 -> T50 (a T-value)
#: Words that mark a column as the uncertainty of another (one s.d.).
_UNCERTAINTY_WORDS = ("stderr", "sd", "std", "uncertainty", "sigma")
#: Uncertainty columns named apart from their value: uncertainty -> value.
_PAIRS = {"std": "mean"}


def _split_uncertainty(name: str) -> tuple[str, bool]:
    """The name without its uncertainty marker, and whether it had one."""
    if name.endswith(" ±"):
        return name[:-2], True
    words = name.split("_")
    kept = [w for w in words[1:] if w not in _UNCERTAINTY_WORDS]
    if len(kept) < len(words) - 1:
        return "_".join([words[0], *kept]), True
    return name, False


def _words(name: str) -> str:
    """A snake_case name without its unit as words."""
    for inner, text in _INNER:
        name = name.replace(inner, text)
    words = (_WORDS.get(word, word) for word in name.split("_") if word)
    return " ".join(_T_VALUE.sub(r"T\1", word) for word in words)


def column_label(name) -> str:
    """
    A column name as a reader reads it: words and the unit in brackets.

    Names that are not snake_case (device names, labels with spaces) are
    returned unchanged.

    Examples
    --------
    >>> column_label("eqe_max_percent")
    'EQE max [%]'
    >>> column_label("eqe_at_1000_cd_m2_percent")
    'EQE at 1000 cd/m² [%]'
    >>> column_label("tau_stderr_ns"), column_label("tau_h ±")
    ('± tau [ns]', '± tau [h]')
    >>> column_label("max_delta_u_prime_v_prime")
    'max Δu′v′'
    >>> column_label("Δ Treated − Control")
    'Δ Treated − Control'
    """
    name = str(name)
    if name in _LABELS:
        return _LABELS[name]
    for pattern, replacement in _PATTERNS:
        if pattern.fullmatch(name):
            return pattern.sub(replacement, name)
    if name in _WORDS:
        return _WORDS[name]
    base, uncertain = _split_uncertainty(name)
    if not _NAME.fullmatch(base) and not (uncertain and base.isidentifier()):
        return name
    unit = ""
    for suffix, text in _UNIT_SUFFIXES:
        if base.endswith(suffix) and len(base) > len(suffix):
            base, unit = base[: -len(suffix)], f" [{text}]"
            break
    return ("± " if uncertain else "") + _words(base) + unit


def unit_of(name) -> str:
    """
    The unit a column name ends with ("" when none).

    Examples
    --------
    >>> unit_of("luminance_max_cd_m2"), unit_of("T50_uncertainty_h"), unit_of("cie_x")
    ('cd/m²', 'h', '')
    """
    base, _ = _split_uncertainty(str(name))
    for suffix, text in _UNIT_SUFFIXES:
        if base.endswith(suffix) and len(base) > len(suffix):
            return text
    return ""


def uncertainty_partner(name, columns: Sequence) -> str | None:
    """
    The column whose uncertainty ``name`` is, among ``columns`` (or None).

    Examples
    --------
    >>> uncertainty_partner("tau_stderr_ns", ["tau_ns", "tau_stderr_ns"])
    'tau_ns'
    >>> uncertainty_partner("drift_rate_stderr", ["drift_rate_nm_per_unit"])
    'drift_rate_nm_per_unit'
    >>> uncertainty_partner("tau_ns", ["tau_ns", "tau_stderr_ns"]) is None
    True
    """
    name = str(name)
    names = [str(c) for c in columns]
    if name in _PAIRS:
        return _PAIRS[name] if _PAIRS[name] in names else None
    base, uncertain = _split_uncertainty(name)
    if not uncertain:
        return None
    if base in names and base != name:
        return base
    for column in names:  # drift_rate_stderr -> drift_rate_nm_per_unit
        if (
            column.startswith(base + "_")
            and unit_of(column)
            and not _split_uncertainty(column)[1]
        ):
            return column
    return None


def _labelled_values(frame: pd.DataFrame) -> pd.DataFrame:
    """A ``metric`` column of machine names as labels (tables by quantity)."""
    if "metric" in frame.columns and "label" not in frame.columns:
        frame = frame.copy()
        frame["metric"] = [column_label(v) for v in frame["metric"]]
    return frame


def _labels(columns) -> list[str]:
    """Unique labels of a table's columns; an uncertainty without a unit of
    its own gets its value's (``drift_rate_stderr`` -> "± drift rate [nm per
    axis unit]")."""
    labels = []
    for column in columns:
        label = column_label(column)
        partner = uncertainty_partner(column, columns)
        if partner is not None and not unit_of(column) and unit_of(partner):
            label += f" [{unit_of(partner)}]"
        labels.append(label)
    return _unique(labels)


def _unique(labels: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for label in labels:
        seen[label] = seen.get(label, 0) + 1
        out.append(label if seen[label] == 1 else f"{label} ({seen[label]})")
    return out
