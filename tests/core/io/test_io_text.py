"""
Tests for core/io/text.py: decoding, delimiters, numbers, the numeric block.

The fast paths of ``read_numeric_table`` (pandas' C engine,
:mod:`core.io.block`, then the numpy path) are checked against the exact
field-by-field path (an independent implementation in the same module, forced
by disabling both fast paths) on real files and on generated tables: results
must be identical (``assert_array_equal``, NaN equal to NaN), not just close.
tests/core/io/test_io_block.py checks the C-engine path on its own.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support import REALDATA

from core.errors import InputError
from core.io import text
from core.io.text import (
    decode_text,
    detect_delimiter,
    parse_number,
    parse_preamble_line,
    read_numeric_table,
    split_fields,
    split_lines,
)


def message_of(call, *args, **kwargs) -> str:
    with pytest.raises(InputError) as error:
        call(*args, **kwargs)
    return str(error.value)


# --- decode_text --------------------------------------------------------------


def test_decode_rejects_empty_and_blank():
    expected = "x.csv is empty: expected a text table with at least one data row."
    assert message_of(decode_text, b"", "x.csv") == expected
    assert message_of(decode_text, b" \r\n\t\n", "x.csv") == expected


def test_decode_rejects_zip_pdf_and_binary():
    assert message_of(decode_text, b"PK\x03\x04rest", "x.csv").startswith(
        "x.csv is a zip archive (or an Excel .xlsx): expected a text table."
    )
    assert message_of(decode_text, b"%PDF-1.7\n", "x.csv").startswith(
        "x.csv is a PDF document"
    )
    assert message_of(decode_text, b"500\t1\x00\x00", "x.csv").startswith(
        "x.csv is a binary file: expected a text table"
    )


def test_decode_rejects_files_over_the_limit(monkeypatch):
    monkeypatch.setattr(text, "MAX_UPLOAD_BYTES", 1024 * 1024)
    message = message_of(decode_text, b"1,2\n" * 400_000, "big.csv")
    assert message.startswith("big.csv is 2 MB: files up to 1 MB are accepted")


def test_decode_bom_and_latin1():
    assert decode_text(b"\xef\xbb\xbfWavelength", "x") == "Wavelength"
    assert decode_text(b"J (mA/cm\xb2)", "x") == "J (mA/cm²)"
    assert decode_text("J (mA/cm²)".encode(), "x") == "J (mA/cm²)"


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_decode_unicode_with_byte_order_mark(codec):
    content = "Wavelength (nm)\tJ (mA/cm²)\r\n500\t1\r\n"
    data = content.encode(codec)
    if codec.endswith(("-le", "-be")):  # these codecs write no mark: add it
        data = "\ufeff".encode(codec) + data
    assert decode_text(data, "u.txt") == content


def test_decode_broken_utf16():
    message = message_of(decode_text, b"\xff\xfe5\x000\x00\x00\xd8", "u.txt")
    assert message.startswith(
        "u.txt starts with a UTF-16 byte-order mark but is not valid UTF-16 text"
    )


def test_split_lines_mixed_endings():
    assert split_lines("a\r\nb\nc\rd") == ["a", "b", "c", "d"]


# --- delimiters and numbers ---------------------------------------------------


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["500\t1.0\t2.0", "502\t1.1\t2.1"], "\t"),
        (["500;1,0;2,0", "502;1,1;2,1"], ";"),
        (["500,1.0,2.0", "502,1.1,2.1"], ","),
        (["188,05\t2292,80", "188,53\t2215,20"], "\t"),
        (["188,05 2292,80", "188,53 2215,20"], None),  # decimal comma, spaces
        (["  400.00  3.5427E-005", "  401.00  2.2036E-004"], None),
    ],
)
def test_detect_delimiter(lines, expected):
    assert detect_delimiter(lines) == expected


def test_split_fields_drops_trailing_delimiters():
    assert split_fields("1\t2\t\t\r\n", "\t") == ["1", "2"]
    assert split_fields("  1  2 ", None) == ["1", "2"]


@pytest.mark.parametrize(
    ("token", "decimal_comma", "expected"),
    [
        ("1.5", False, 1.5),
        ("1,000000E-1", True, 0.1),
        ("1,5", False, None),
        ("Inf", False, np.inf),
        ("-inf", False, -np.inf),
        ("", False, np.nan),
        ('"2.5"', False, 2.5),
        ("abc", False, None),
        ("1.2.3", False, None),
    ],
)
def test_parse_number(token, decimal_comma, expected):
    value = parse_number(token, decimal_comma)
    if expected is None:
        assert value is None
    elif np.isnan(expected):
        assert np.isnan(value)
    else:
        assert value == expected


def test_parse_preamble_line():
    assert parse_preamble_line("Area (mm2) : 10.00") == ("Area (mm2)", "10.00")
    assert parse_preamble_line("Int.time[ms]-->,100") == ("Int.time[ms]", "100")
    assert parse_preamble_line("just a title") is None


# --- decimal-comma detection: one regex search == the per-field rule ----------


def reference_uses_decimal_comma(lines, delimiter) -> bool:
    """The per-field rule text.py implemented before the single-search rewrite."""
    if delimiter == ",":
        return False
    sample = [ln for ln in lines if ln.strip()][:4000]
    return any(
        re.fullmatch(r"[+-]?\d*,\d+([eE][+-]?\d+)?", field.strip())
        for ln in sample
        for field in split_fields(ln, delimiter)
    )


@settings(max_examples=400, deadline=None)
@given(
    st.lists(st.text(st.sampled_from(list("0123456789,.;\t -+eEa")), max_size=24)),
    st.sampled_from([None, "\t", ";", ","]),
)
def test_decimal_comma_detection_matches_per_field_rule(lines, delimiter):
    assert text._uses_decimal_comma(lines, delimiter) == reference_uses_decimal_comma(
        lines, delimiter
    )


# --- read_numeric_table -------------------------------------------------------


def exact_table(data, name, monkeypatch, **kwargs):
    with monkeypatch.context() as patch:
        patch.setattr(text, "c_engine_block", lambda *args, **kw: None)
        patch.setattr(text, "_fast_block", lambda *args, **kw: None)
        return read_numeric_table(data, name, **kwargs)


def assert_same_table(a, b):
    np.testing.assert_array_equal(a.values, b.values)
    np.testing.assert_array_equal(a.line_numbers, b.line_numbers)
    assert a.header == b.header and a.preamble == b.preamble
    assert (a.delimiter, a.decimal_comma, a.header_line) == (
        b.delimiter,
        b.decimal_comma,
        b.header_line,
    )


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("hzb-pl_T02f3_500ms_gs_cont__newSpotf3_2.txt", {"start_after": "Wavelength"}),
        ("photobiologyInOut_avantes-avaspec-e-irrad.csv", {}),
        ("photobiologyInOut_oo-spectrum.OVIrrad", {"start_after": ">>>>>Begin"}),
        (
            "photobiologyLEDs_Norlux_Green_GREEN_short_SpectraSuite.txt",
            {"start_after": ">>>>>Begin", "stop_markers": (">>>>>End",)},
        ),
        ("simone-peled_spectrum1_SpectraWiz.IRR", {"stop_markers": (":",)}),
        ("bsubpc-oled_OLED-004_A1-1_counts_EL-vs-V.txt", {}),
        ("simone-peled_DC_data.dat", {}),
    ],
)
def test_fast_path_equals_exact_path_on_real_files(name, kwargs, monkeypatch):
    path = REALDATA / name
    if not path.is_file():
        pytest.skip(f"real instrument file not available: {path}")
    data = path.read_bytes()
    assert_same_table(
        read_numeric_table(data, name, **kwargs),
        exact_table(data, name, monkeypatch, **kwargs),
    )


number_text = st.one_of(
    st.floats(allow_nan=False, allow_infinity=False, width=32).map(repr),
    st.floats(-1e6, 1e6).map(lambda v: f"{v:.4E}"),
    st.integers(-(10**6), 10**6).map(str),
    st.sampled_from(["NaN", "Inf", "-inf", "nan"]),
)


@settings(max_examples=60, deadline=None)
@given(
    rows=st.integers(50, 80),
    width=st.integers(2, 5),
    cells=st.lists(number_text, min_size=1, max_size=40),
    delimiter=st.sampled_from(["\t", ";", ",", " "]),
    decimal_comma=st.booleans(),
    line_end=st.sampled_from(["\n", "\r\n"]),
)
def test_fast_path_equals_exact_path_on_generated_tables(
    rows, width, cells, delimiter, decimal_comma, line_end
):
    if delimiter == ",":
        decimal_comma = False
    lines = ["Wavelength (nm)" + delimiter + delimiter.join(["I"] * (width - 1))]
    for r in range(rows):
        row = [cells[(r * width + c) % len(cells)] for c in range(width)]
        if decimal_comma:
            row = [c.replace(".", ",") for c in row]
        lines.append(delimiter.join(row))
    data = line_end.join(lines).encode()

    def outcome():
        try:
            return read_numeric_table(data, "gen.csv")
        except InputError as error:
            return str(error)

    fast = outcome()
    originals = text.c_engine_block, text._fast_block
    # hypothesis forbids monkeypatch
    text.c_engine_block = text._fast_block = lambda *args, **kw: None
    try:
        exact = outcome()
    finally:
        text.c_engine_block, text._fast_block = originals
    if isinstance(exact, str):
        assert fast == exact
    else:
        assert_same_table(fast, exact)
        assert fast.values.shape == (rows, width)


def big_table(rows=80) -> list[str]:
    return ["Wavelength (nm)\tI"] + [f"{500 + r}\t{r}.5" for r in range(rows)]


def test_fast_path_falls_back_for_text_and_gives_exact_message():
    lines = big_table()
    lines[60] = "559\t1_0"  # float() accepts '1_0'; the exact parser must not
    message = message_of(read_numeric_table, "\n".join(lines).encode(), "t.txt")
    assert message == (
        "t.txt, line 61, column 2 'I': expected a number, found '1_0'. Blank the "
        "cell or remove the row."
    )


def test_fast_path_falls_back_for_ragged_and_blank_cells():
    lines = big_table()
    lines[30] = "529\t"  # blank cell -> NaN on the exact path
    table = read_numeric_table("\n".join(lines).encode(), "t.txt")
    assert table.values.shape == (80, 2) and np.isnan(table.values[29, 1])
    lines[40] = "539\t1\t2"
    message = message_of(read_numeric_table, "\n".join(lines).encode(), "t.txt")
    assert message.startswith(
        "t.txt, line 41: expected 2 values like the rows above, found 3."
    )


def test_table_stops_at_text_line():
    lines = big_table(10) + ["end of data"]
    message = message_of(read_numeric_table, "\n".join(lines).encode(), "t.txt")
    assert message.startswith(
        "t.txt, line 12: the table of numbers stops at a line of text ('end of data')"
    )


def test_start_after_marker_missing():
    message = message_of(
        read_numeric_table, b"a\n1\t2\n", "t.txt", start_after=">>>>>Begin"
    )
    assert message == (
        "t.txt: expected a line starting with '>>>>>Begin' before the data, but none "
        "was found; the export looks truncated."
    )


def test_no_numbers_at_all():
    message = message_of(read_numeric_table, b"only\ntext here\n", "t.txt")
    assert message == (
        "t.txt: no rows of numbers were found; expected a table whose rows start "
        "with a number (e.g. a wavelength or a voltage)."
    )


def test_unknown_delimiter_message():
    message = message_of(read_numeric_table, b"x|y\n1|2\n3|4\n", "t.txt")
    assert message.startswith(
        "t.txt, line 2: expected numbers separated by tabs, commas, semicolons or "
        "spaces; found '1|2', which does not split into numbers."
    )


def test_preamble_header_and_line_numbers():
    data = (
        b"Area (mm2) : 10.00\r\n#3 Dark\r\n\r\n"
        b"V (V)\tJ (mA/cm2)\t\r\n0\t1\t\n0.5\t2\t\n"
    )
    table = read_numeric_table(data, "dc.dat")
    assert table.preamble["Area (mm2)"] == "10.00"
    assert table.header == ["V (V)", "J (mA/cm2)"]
    assert table.header_line == 4
    assert table.line_numbers.tolist() == [5, 6]


def test_fast_path_is_taken_for_a_plain_large_table():
    lines = big_table()
    fast = text._fast_block(lines, 1, "\t", False, ())
    assert fast is not None
    np.testing.assert_array_equal(fast[0][:, 1], np.arange(80) + 0.5)
    assert text._fast_block(lines[:40], 1, "\t", False, ()) is None  # small: exact


def test_a_missing_value_row_right_above_the_numbers_is_not_taken_for_a_header():
    # Found by the property test: "n/a,0" above the numbers used to become the
    # header, and the row vanished without a word.
    rows = "\n".join(f"{w},{w / 1000:.3f}" for w in range(500, 520, 2))
    with pytest.raises(InputError) as caught:
        read_numeric_table(f"wavelength,intensity\nn/a,0\n{rows}", "t.csv")
    assert str(caught.value) == (
        "t.csv, line 2, column 1 'wavelength': expected a number, found 'n/a'. "
        "Blank the cell or remove the row."
    )
