"""
core/io/table_head.py: where a table's numbers start, and what is its header.
A data row whose first cell is not a number is an error naming its line, not
a header; titles, separators and second header lines stay what they were.
"""

from __future__ import annotations

import pytest

from core.errors import InputError
from core.io.text import read_numeric_table


@pytest.mark.parametrize("cell", ["--", "—", "x", "bad"])
def test_a_data_row_with_text_in_its_first_cell_is_not_taken_for_a_header(cell):
    # Found by the property test in CI: "--,0," under "Wavelength (nm),t = 0 h"
    # became the header, the real header became metadata and the row vanished.
    rows = "\n".join(f"{w},{w / 1000:.3f}," for w in range(562, 580, 2))
    with pytest.raises(InputError) as caught:
        read_numeric_table(f"Wavelength (nm),t = 0 h\n{cell},0,\n{rows}", "t.csv")
    assert str(caught.value) == (
        f"t.csv, line 2, column 1 'Wavelength (nm)': expected a number, found "
        f"'{cell}'. Blank the cell or remove the row."
    )


@pytest.mark.parametrize(
    "top",
    [
        "EL spectra,,,",  # a title padded to the table's width (Excel CSV)
        "Sample,A,B,C",  # names above a header whose first cell is a quantity
        "--,--,--,--",  # a separator line (LuQY exports)
        "Wavelength,Intensity,Intensity,Intensity",  # a second header line
    ],
)
def test_headers_with_numbers_under_a_title_or_separator_stay_headers(top):
    rows = "\n".join(f"{w},1,2,3" for w in range(500, 520, 2))
    table = read_numeric_table(f"{top}\nWavelength,0,10,20\n{rows}", "t.csv")
    assert table.header == ["Wavelength", "0", "10", "20"]
    assert table.values.shape == (10, 4)
