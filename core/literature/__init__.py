"""
The curated literature table of pure-red PeLEDs: load, validate, normalise, rank.

The table lives in ``literature/pure_red_peleds.csv`` and its codebook in
``literature/schema.csv`` (``column,type,unit,required,allowed,description``).
Every function here is pure: a frame in, a new frame out; inputs are never
mutated.

Modules
-------
paths
    :data:`DEFAULT_TABLE_PATH` and :data:`DEFAULT_SCHEMA_PATH`, the bundled files.
schema
    The codebook (:func:`load_schema`) and :func:`validate_table`, rule by rule.
table
    Reading (:func:`read_csv_rows`, :func:`load_table`), filters and the tables
    of the Literature page.
precision
    The decimals each ranked number is written with (ties in ranking).
normalise
    T50 at a reference luminance: the one normalisation path and its tolerance
    rule (:data:`MEASURED_TOLERANCE`); measured/extrapolated and ">" bounds
    carried along.
ranking
    :data:`RANK_METRICS`, :func:`rank_device` and :func:`rank_devices`.
citation
    BibTeX entries and one-line citations.
user_rows
    :func:`merge_user_rows`: a user's own devices appended to the table.
lab_rows
    Rows the lab enters (stored in the device library, ``origin = "lab"``):
    :func:`validate_lab_rows`, :func:`read_lab_csv`, :func:`lab_rows_csv`,
    :func:`with_lab_rows`.
counts
    :func:`row_counts` and :func:`metric_counts`: what a comparison rests on.
crossref
    "Fill from DOI": :func:`fetch_citation` (Crossref through habanero, with a
    timeout; offline -> InputError) and :func:`suggest_record_id`.
si_table
    The comparison table of a paper's Supporting Information: row selection,
    :func:`si_table` and its writers (LaTeX + BibTeX, Word, Markdown, CSV).

Every public name is importable from ``core.literature``.

References
----------
.. [1] ITU-R BT.2020-2, "Parameter values for ultra-high definition television
   systems", 2015: red primary (x, y) = (0.708, 0.292), taken here from
   colour-science's ``RGB_COLOURSPACE_BT2020``.
.. [2] docs/methods.md §4 (project design notes): L0^n · T50 = const for lifetime
   normalisation, implemented in :mod:`core.lifetime`.
"""

from __future__ import annotations

from core.colorimetry import BT2020_RED_XY
from core.literature.citation import bibtex, bibtex_file, citation
from core.literature.counts import COUNTED_METRICS, metric_counts, row_counts
from core.literature.crossref import (
    CROSSREF_TIMEOUT_S,
    citation_from_message,
    fetch_citation,
    normalise_doi,
    suggest_record_id,
)
from core.literature.lab_rows import (
    CITATION_COLUMNS,
    LAB_ORIGIN,
    lab_row_cells,
    lab_rows_csv,
    read_lab_csv,
    read_lab_frame,
    validate_lab_rows,
    with_lab_rows,
)
from core.literature.normalise import (
    MEASURED_TOLERANCE,
    T50_REF_KINDS,
    ReferenceT50,
    at_reference_luminance,
    device_t50_ref,
    device_t50_ref_h,
    normalised_t50_h,
)
from core.literature.paths import (
    DEFAULT_SCHEMA_PATH,
    DEFAULT_TABLE_PATH,
    LITERATURE_README_PATH,
)
from core.literature.precision import (
    DECIMALS_SUFFIX,
    PRECISION_COLUMNS,
    decimals_of,
    half_unit,
    stated_decimals,
    without_precision,
)
from core.literature.ranking import (
    MIN_RANK_N,
    RANK_METRICS,
    RankMetric,
    cie_distance_to_bt2020_red,
    rank_device,
    rank_devices,
)
from core.literature.schema import load_schema, validate_table
from core.literature.si_export import (
    latex_table,
    to_csv,
    to_docx,
    to_latex,
    to_markdown,
)
from core.literature.si_table import (
    BLANK,
    SI_COLUMNS,
    SIColumn,
    SIReference,
    SITable,
    closest_by_peak,
    rows_by_ids,
    select_rows,
    si_table,
    top_by_eqe,
)
from core.literature.table import (
    filter_table,
    filter_years,
    load_table,
    read_csv_rows,
    table_with_t50_and_links,
)
from core.literature.user_rows import fill_defaults, merge_user_rows, relaxed_schema

__all__ = [
    "BT2020_RED_XY",
    "CITATION_COLUMNS",
    "COUNTED_METRICS",
    "metric_counts",
    "row_counts",
    "CROSSREF_TIMEOUT_S",
    "LAB_ORIGIN",
    "citation_from_message",
    "fetch_citation",
    "lab_row_cells",
    "lab_rows_csv",
    "normalise_doi",
    "read_lab_csv",
    "read_lab_frame",
    "suggest_record_id",
    "validate_lab_rows",
    "with_lab_rows",
    "BLANK",
    "LITERATURE_README_PATH",
    "fill_defaults",
    "relaxed_schema",
    "SI_COLUMNS",
    "SIColumn",
    "SIReference",
    "SITable",
    "closest_by_peak",
    "latex_table",
    "rows_by_ids",
    "select_rows",
    "si_table",
    "to_csv",
    "to_docx",
    "to_latex",
    "to_markdown",
    "top_by_eqe",
    "DEFAULT_SCHEMA_PATH",
    "DEFAULT_TABLE_PATH",
    "DECIMALS_SUFFIX",
    "MEASURED_TOLERANCE",
    "MIN_RANK_N",
    "PRECISION_COLUMNS",
    "T50_REF_KINDS",
    "ReferenceT50",
    "RANK_METRICS",
    "RankMetric",
    "at_reference_luminance",
    "bibtex",
    "bibtex_file",
    "cie_distance_to_bt2020_red",
    "citation",
    "decimals_of",
    "device_t50_ref",
    "device_t50_ref_h",
    "filter_table",
    "filter_years",
    "half_unit",
    "load_schema",
    "load_table",
    "merge_user_rows",
    "normalised_t50_h",
    "rank_device",
    "rank_devices",
    "read_csv_rows",
    "stated_decimals",
    "table_with_t50_and_links",
    "validate_table",
    "without_precision",
]
