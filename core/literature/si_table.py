"""
The comparison table of a paper's Supporting Information.

Your devices (their :func:`core.summary.device_summary` dicts) and chosen
literature rows, one line each, in the columns you choose (EL peak, FWHM,
CIE, EQE max, L max, turn-on, T50 with its L0, the T50 normalised to one
reference luminance, the EL shift). :func:`si_table` builds the cells as
display strings once; the writers in :mod:`core.literature.si_export` only
lay them out (LaTeX + BibTeX, Word, Markdown, CSV), so every format holds
the same cells.

Rules of the cells:

- a blank is "–" (not reported by the source, or not measured);
- literature numbers are written with the decimals of the table's text
  ("26.0", "8.1667"); derived numbers (a normalised T50) with 3 significant
  figures; this work's devices with fixed decimals per column;
- a ">" T50 is a lower bound, printed "> 15" and footnoted; a normalised T50
  (converted with L0^n · T50 = const by the literature's one path,
  :func:`core.literature.normalised_t50_h`) and an extrapolated one are
  footnoted; so are the EQE basis of each device, synthetic data and lab
  rows (never mixed silently with the curated table);
- footnote markers are letters a, b, c... in order of first use.

Row selection: :func:`closest_by_peak`, :func:`top_by_eqe`,
:func:`rows_by_ids`, or :func:`select_rows` with a spec ``closest:10``,
``top:10``, ``ids:a,b`` or ``all``; filter first with
:func:`core.literature.filter_table`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from core.constants import DEFAULT_ACCELERATION_N, DEFAULT_REFERENCE_LUMINANCE_CD_M2
from core.errors import InputError
from core.literature.citation import bibtex, citation
from core.literature.schema import _blank
from core.literature.si_cells import (
    BLANK,
    SIColumn,
    device_line,
    literature_lines,
    note_texts,
)
from core.literature.si_select import (
    closest_by_peak,
    rows_by_ids,
    select_rows,
    top_by_eqe,
)

__all__ = [
    "BLANK",
    "SI_COLUMNS",
    "SIColumn",
    "SIReference",
    "SITable",
    "closest_by_peak",
    "rows_by_ids",
    "select_rows",
    "si_table",
    "top_by_eqe",
]

_CD_M2 = ("cd m⁻²", r"cd\,m$^{-2}$")

#: The columns one can choose, in table order (``t50`` gives T50 and its L0).
SI_COLUMNS: dict[str, tuple[SIColumn, ...]] = {
    "el_peak": (SIColumn("el_peak", "EL peak", "nm", "EL peak", "nm"),),
    "fwhm": (SIColumn("fwhm", "FWHM", "nm", "FWHM", "nm"),),
    "cie": (SIColumn("cie", "CIE", "x, y", "CIE", "$x$, $y$"),),
    "eqe_max": (SIColumn("eqe_max", "EQE max", "%", r"EQE$_\mathrm{max}$", r"\%"),),
    "l_max": (SIColumn("l_max", "L max", _CD_M2[0], r"$L_\mathrm{max}$", _CD_M2[1]),),
    "turn_on": (SIColumn("turn_on", "Turn-on", "V", r"$V_\mathrm{on}$", "V"),),
    "t50": (
        SIColumn("t50", "T50", "h", r"$T_{50}$", "h"),
        SIColumn("t50_l0", "L0", _CD_M2[0], r"$L_0$", _CD_M2[1]),
    ),
    "t50_ref": (SIColumn("t50_ref", "T50 at {ref}", "h", r"$T_{50}$ at {ref}", "h"),),
    "el_shift": (SIColumn("el_shift", "EL shift", "nm", "EL shift", "nm"),),
}
_LEAD = (
    SIColumn("device", "Device", "", "Device", ""),
    SIColumn("ref", "Ref.", "", "Ref.", ""),
)


@dataclass(frozen=True)
class SIReference:
    """A cited paper: its cite key, number, BibTeX entry and one-line citation."""

    key: str
    number: int
    bibtex: str
    citation: str


@dataclass(frozen=True)
class SITable:
    """
    The SI table as display strings (see :func:`si_table`).

    Attributes
    ----------
    columns : tuple of SIColumn
        Every column, the leading "Device" and "Ref." included.
    cells : pandas.DataFrame
        One row per device or literature row, one column per
        :attr:`SIColumn.header` (units in the header), strings; "–" blank.
    marks : pandas.DataFrame
        Same shape: the footnote markers of each cell ("", "a", "a,c").
    row_kinds : tuple of str
        ``"device"``, ``"curated"``, ``"lab"`` or ``"user"`` per row.
    cite_keys : tuple of str
        The BibTeX key each row cites ('' for none).
    references : tuple of SIReference
        Cited papers in order of first citation (one per DOI).
    footnotes : tuple of (str, str)
        (marker, text) in marker order.
    notes : tuple of str
        Notes without a marker (what "–" means, what T50 is).
    caption : str
    reference_luminance_cd_m2, acceleration_n : float
    """

    columns: tuple[SIColumn, ...]
    cells: pd.DataFrame
    marks: pd.DataFrame
    row_kinds: tuple[str, ...]
    cite_keys: tuple[str, ...]
    references: tuple[SIReference, ...]
    footnotes: tuple[tuple[str, str], ...]
    notes: tuple[str, ...]
    caption: str
    reference_luminance_cd_m2: float
    acceleration_n: float

    def plain(self, mark: str = " [{}]") -> pd.DataFrame:
        """The cells with their markers as text (``mark`` formats them)."""
        out = self.cells.copy()
        for column in out.columns:
            out[column] = [
                value + (mark.format(m) if m else "")
                for value, m in zip(self.cells[column], self.marks[column], strict=True)
            ]
        return out


# --------------------------------------------------------------------------
# Citations, markers, the table
# --------------------------------------------------------------------------


def _citations(rows: pd.DataFrame) -> tuple[list[str], list[SIReference]]:
    """Cite key per row (one per DOI: the first row's record id) and the
    references in order of first citation."""
    keys: list[str] = []
    references: dict[str, SIReference] = {}
    for _, row in rows.iterrows():
        doi = "" if _blank(row.get("doi")) else str(row.get("doi") or "").strip()
        citable = doi or all(
            not _blank(row.get(c)) and not pd.isna(row.get(c))
            for c in ("first_author", "year", "journal")
        )
        if not citable:
            keys.append("")
            continue
        identity = doi or str(row["record_id"])
        if identity not in references:
            key = str(row["record_id"])
            references[identity] = SIReference(
                key, len(references) + 1, bibtex(row), citation(row)
            )
        keys.append(references[identity].key)
    return keys, list(references.values())


def _columns(chosen: Sequence[str] | None, reference: float) -> list[SIColumn]:
    keys = list(SI_COLUMNS) if chosen is None else [str(k).strip() for k in chosen]
    unknown = [k for k in keys if k not in SI_COLUMNS]
    if unknown or not keys:
        raise InputError(
            f"SI table columns: expected some of {', '.join(SI_COLUMNS)}, found "
            f"{', '.join(unknown) if unknown else 'none'}."
        )
    columns = list(_LEAD)
    for key in dict.fromkeys(keys):
        for column in SI_COLUMNS[key]:
            if column.key == "t50_ref":
                ref = f"{reference:g} cd m⁻²"
                column = SIColumn(
                    column.key,
                    column.label.replace("{ref}", ref),
                    column.unit,
                    column.latex_label.replace(
                        "{ref}", f"{reference:g}" + r"\,cd\,m$^{-2}$"
                    ),
                    column.latex_unit,
                )
            columns.append(column)
    return columns


def _assign_markers(lines, columns) -> tuple[list[list[str]], list[tuple[str, str]]]:
    """Letters a, b, c... per footnote text, in order of first use."""
    letters: dict[str, str] = {}
    marks = []
    for line in lines:
        row = []
        for column in columns:
            used = []
            for text in line.notes.get(column.key, []):
                if text not in letters:
                    letters[text] = _letter(len(letters))
                if letters[text] not in used:
                    used.append(letters[text])
            row.append(",".join(used))
        marks.append(row)
    return marks, [(letter, text) for text, letter in letters.items()]


def _letter(index: int) -> str:
    """a..z, then aa, ab..."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    return (
        letters[index] if index < 26 else _letter(index // 26 - 1) + letters[index % 26]
    )


def si_table(
    devices: Sequence[Mapping],
    rows: pd.DataFrame,
    columns: Sequence[str] | None = None,
    reference_luminance: float = DEFAULT_REFERENCE_LUMINANCE_CD_M2,
    n: float = DEFAULT_ACCELERATION_N,
) -> SITable:
    """
    The SI comparison table of your devices and literature rows.

    Parameters
    ----------
    devices : sequence of mapping
        This work's devices, each a :func:`core.summary.device_summary` dict
        (or a mapping with its keys: ``name``, ``el_peak_nm``, ``eqe_basis``,
        ``t50_h``, ``t50_kind``, ``t50_qualifier``, ...), listed first.
    rows : pandas.DataFrame
        Typed literature rows (curated, lab or user; ``origin`` is used).
    columns : sequence of str, optional
        Keys of :data:`SI_COLUMNS` (default: all, in table order).
    reference_luminance : float
        Luminance the normalised T50 is given at. [cd/m²]
    n : float
        Acceleration exponent of L0^n · T50 = const. [-]

    Returns
    -------
    SITable

    Raises
    ------
    InputError
        Unknown column keys, nothing to tabulate, or a device metric that is
        not a number.
    """
    if not devices and (rows is None or rows.empty):
        raise InputError("SI table: choose at least one device or literature row.")
    rows = rows if rows is not None else pd.DataFrame()
    chosen = _columns(columns, reference_luminance)
    texts = note_texts(reference_luminance, n)
    lines = [device_line(d, chosen, reference_luminance, n, texts) for d in devices]
    lines += literature_lines(rows, chosen, reference_luminance, n, texts)
    keys, references = _citations(rows) if not rows.empty else ([], [])
    numbers = {r.key: r.number for r in references}
    for line, key in zip(lines[len(devices) :], keys, strict=True):
        line.values["ref"] = f"[{numbers[key]}]" if key else "unpublished"
    marks, footnotes = _assign_markers(lines, chosen)
    headers = [c.header for c in chosen]
    cells = pd.DataFrame(
        [[line.values[c.key] for c in chosen] for line in lines], columns=headers
    )
    origins = [str(o or "curated") for o in rows.get("origin", ["curated"] * len(rows))]
    return SITable(
        columns=tuple(chosen),
        cells=cells,
        marks=pd.DataFrame(marks, columns=headers),
        row_kinds=tuple(["device"] * len(devices) + origins),
        cite_keys=tuple([""] * len(devices) + keys),
        references=tuple(references),
        footnotes=tuple(footnotes),
        notes=(
            f"{BLANK}: not reported in the source, or not measured.",
            "T50: time for the luminance to fall to 50 % of its initial value L0 "
            "under constant drive.",
        ),
        caption=(
            f"Comparison of {len(devices)} device(s) of this work with "
            f"{len(rows)} reported perovskite LED(s)."
        ),
        reference_luminance_cd_m2=float(reference_luminance),
        acceleration_n=float(n),
    )
