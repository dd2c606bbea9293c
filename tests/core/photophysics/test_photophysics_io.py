"""
core.photophysics.io and decay_formats: every TCSPC layout, absorbance, sphere
and temperature-series readers, with line-precise errors.

The decay fixtures are written here from the layout descriptions in the
module docstring of core/photophysics/decay_formats.py (no third-party file
is copied); the one real export (Becker & Hickl, WrightTools, MIT) is in
tests/core/photophysics/data with its source and licence.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from support import gaussian

from core.errors import InputError
from core.photophysics import (
    read_absorbance,
    read_decay,
    read_decays,
    read_sphere,
    read_temperature_series,
    split_irf,
)
from core.photophysics.decay_formats import detect_format

DATA = Path(__file__).parent / "data"
REAL_BH = DATA / "wrighttools_spcm_test_data.asc"

COUNTS = [0, 1, 3, 120, 980, 640, 410, 262, 168, 107, 69, 44, 28, 18, 12, 8, 5, 3, 2]
COUNTS += [1] * 11  # 30 channels


def picoquant(counts_columns, ns_per_channel=("0.0160",)) -> str:
    lines = [
        "#PicoHarp 300  Histogram Data           2023-05-04 10:00:00 AM",
        "#channels per curve",
        str(len(counts_columns[0])),
        "#display curve no.",
        "\t".join(str(i) for i in range(len(counts_columns))),
        "#memory block no.",
        "\t".join("0" for _ in counts_columns),
        "#ns/channel",
        "\t".join(ns_per_channel),
        "#counts",
    ]
    lines += [
        "\t".join(str(c[k]) for c in counts_columns)
        for k in range(len(counts_columns[0]))
    ]
    return "\n".join(lines) + "\n"


def edinburgh(columns: dict, step=0.5, delimiter=",", kind="Time Scan", unit="ns"):
    labels = list(columns)
    n = len(next(iter(columns.values())))
    d = delimiter
    head = [
        f"Labels{d}{d.join(labels)}{d}",
        f"Type{d}{d.join(kind for _ in labels)}{d}",
        f"Comment{d}{d.join('' for _ in labels)}{d}",
        f"Start{d}0.00{d}",
        f"Stop{d}{(n - 1) * step:.4f}{d}",
        f"Step{d}{step:.6f}{d}",
        f"Fixed/Offset{d} {d}",
        f"XAxis{d}Time({unit}){d}",
        f"YAxis{d}Counts{d}",
        "",
    ]
    rows = [
        f"{k * step:.6f}{d}" + d.join(f"{columns[lab][k]:.8E}" for lab in labels) + d
        for k in range(n)
    ]
    return "\n".join(head + rows) + "\n"


def becker_hickl(blocks, step=0.0125):
    lines = [
        "  Title : film_A_635nm",
        "  Version : 1 975 M",
        "  Revision : 12 bits ADC",
        "  Date : 2024-01-01",
        "  Time : 10:00:00",
        "  ",
        "  SYS_PARA_BEGIN:",
        "  #SP [SP_TAC_R,F,5.0e-08]",
        "  #SP [SP_ADC_RE,I,4096]",
        "  SYS_PARA_END:",
        "*END",
    ]
    for number, counts in enumerate(blocks, start=1):
        lines.append(f"*BLOCK {number}  ( Time[ns]  No_of_photons )")
        lines += [f"{k * step:.6f} ,{c:5d}" for k, c in enumerate(counts)]
        lines.append("*END")
    return "\n".join(lines) + "\n"


# --- layouts -------------------------------------------------------------


def test_picoquant_histogram_gives_time_from_the_channel_width():
    text = picoquant([COUNTS])
    assert detect_format(text.splitlines()) == "picoquant"
    curve = read_decay(text.encode(), "sample.dat")
    assert curve.label == "sample"
    assert curve.time_ns.size == len(COUNTS)
    assert curve.step_ns == pytest.approx(0.016)
    assert curve.time_ns[-1] == pytest.approx(0.016 * (len(COUNTS) - 1))
    assert curve.counts.tolist() == COUNTS
    assert any("0.016 ns per channel" in n for n in curve.notes)


def test_picoquant_several_curves_are_read_as_columns():
    irf = [0] * 3 + [50, 900, 60] + [0] * 24
    curves = read_decays(picoquant([COUNTS, irf], ("0.0160", "0.0160")), "two.dat")
    assert [c.label for c in curves] == ["curve 0", "curve 1"]
    assert curves[1].counts.tolist() == irf


def test_picoquant_curves_with_different_channel_widths_are_refused():
    text = picoquant([COUNTS, COUNTS], ("0.0160", "0.0320"))
    with pytest.raises(InputError, match=r"line 9: the curves have different channel"):
        read_decays(text.encode(), "mixed.dat")


def test_edinburgh_export_with_trailing_commas_and_an_irf_column():
    irf = [0.0] * 3 + [40.0, 800.0, 55.0] + [0.0] * 24
    text = edinburgh({"film 1": [float(c) for c in COUNTS], "IRF": irf})
    assert detect_format(text.splitlines()) == "edinburgh"
    curves = read_decays(text.encode(), "fls.csv")
    decays, found = split_irf(curves)
    assert [c.label for c in decays] == ["film 1"] and found.label == "IRF"
    assert decays[0].counts.tolist() == COUNTS
    assert decays[0].step_ns == pytest.approx(0.5)
    # read_decay picks the first curve that is not an IRF.
    assert read_decay(text.encode(), "fls.csv").label == "film 1"


def test_edinburgh_time_in_microseconds_is_converted_to_ns():
    text = edinburgh({"slow": [float(c) for c in COUNTS]}, step=0.01, unit="μs")
    curve = read_decay(text.encode(), "mcs.txt")
    assert curve.step_ns == pytest.approx(10.0)
    assert any("converted from us to ns" in n for n in curve.notes)


def test_edinburgh_emission_scan_is_not_a_decay():
    text = edinburgh({"PL": [float(c) for c in COUNTS]}, kind="Emission Scan")
    with pytest.raises(InputError, match="'Emission Scan', not a decay"):
        read_decay(text.encode(), "scan.csv")


def test_becker_hickl_blocks_and_title():
    text = becker_hickl([COUNTS])
    assert detect_format(text.splitlines()) == "becker-hickl"
    curve = read_decay(text.encode(), "bh.asc")
    assert curve.label == "film_A_635nm"
    assert curve.counts.tolist() == COUNTS
    assert curve.step_ns == pytest.approx(0.0125)
    two = read_decays(becker_hickl([COUNTS, COUNTS[::-1]]).encode(), "bh2.asc")
    assert [c.label for c in two] == ["block 1", "block 2"]


def test_plain_table_in_ps_with_header_units():
    lines = ["Time (ps),Counts"] + [f"{k * 25},{c}" for k, c in enumerate(COUNTS)]
    curve = read_decay("\n".join(lines).encode(), "plain.csv")
    assert curve.step_ns == pytest.approx(0.025)
    assert curve.label == "plain"  # a lone "Counts" column: the file stem


def test_headerless_table_assumes_ns_and_says_so():
    lines = [f"{k * 0.1:.2f}\t{c}" for k, c in enumerate(COUNTS)]
    curve = read_decay("\n".join(lines).encode(), "bare.txt")
    assert curve.step_ns == pytest.approx(0.1)
    assert any("nanoseconds assumed" in n for n in curve.notes)
    faster = read_decay("\n".join(lines).encode(), "bare.txt", time_unit="ps")
    assert faster.step_ns == pytest.approx(1e-4)


def test_real_becker_hickl_export(tmp_path):
    # WrightTools/datasets/spcm/test_data.asc (MIT): 1024 channels, header
    # "Revision : 10 bits ADC", peak 65529 counts at 0.482094 ns (read in the
    # file), every count a multiple of 9.
    curve = read_decay(REAL_BH.read_bytes(), REAL_BH.name)
    assert curve.label == "nd 0.9_001"
    assert curve.time_ns.size == 1024 == 2**10
    assert curve.step_ns == pytest.approx(0.003257, abs=1e-6)
    assert curve.peak_counts == 65529
    assert curve.time_ns[np.argmax(curve.counts)] == pytest.approx(0.482094)
    assert any("multiple of 9" in n for n in curve.notes)


# --- errors --------------------------------------------------------------


def test_text_in_the_counts_names_the_line_and_column():
    lines = ["Time (ns),Counts"] + [f"{k * 0.1:.1f},{c}" for k, c in enumerate(COUNTS)]
    lines[8] = "0.7,12a"
    with pytest.raises(InputError, match=r"line 9, column 2 'Counts'") as info:
        read_decay("\n".join(lines).encode(), "bad.csv")
    assert info.value.line == 9


def test_text_in_a_becker_hickl_block_names_the_file_line():
    lines = becker_hickl([COUNTS]).splitlines()
    lines[15] = "0.050000 ,  x12"
    with pytest.raises(InputError, match=r"bh\.asc, line 16"):
        read_decay("\n".join(lines).encode(), "bh.asc")


def test_negative_counts_are_refused():
    lines = [f"{k:.1f}\t{c}" for k, c in enumerate(COUNTS)]
    lines[5] = "5.0\t-3"
    with pytest.raises(InputError, match=r"-3 counts at channel 6"):
        read_decay("\n".join(lines).encode(), "neg.txt")


def test_an_uneven_time_grid_is_refused():
    times = np.arange(len(COUNTS)) * 0.1
    times[10:] += 0.05
    lines = [f"{t:.3f}\t{c}" for t, c in zip(times, COUNTS, strict=True)]
    with pytest.raises(
        InputError, match=r"the step between channels 10 and 11 is 0.15"
    ):
        read_decay("\n".join(lines).encode(), "uneven.txt")


def test_too_few_channels_and_unknown_units():
    with pytest.raises(InputError, match="expected a decay histogram with at least 20"):
        read_decay(b"0\t1\n1\t5\n2\t3\n3\t1\n4\t0\n", "short.txt")
    lines = ["Time (furlong),Counts"] + [f"{k},{c}" for k, c in enumerate(COUNTS)]
    with pytest.raises(InputError, match="time unit 'furlong'"):
        read_decay("\n".join(lines).encode(), "unit.csv")


def test_asking_for_a_missing_curve_lists_the_curves():
    text = edinburgh({"a": [float(c) for c in COUNTS], "b": [float(c) for c in COUNTS]})
    with pytest.raises(InputError, match="no curve 'c'; the file holds 'a', 'b'"):
        read_decay(text.encode(), "two.csv", curve="c")
    assert read_decay(text.encode(), "two.csv", curve=1).label == "b"


# --- absorbance, sphere, temperature series ------------------------------


def test_absorbance_in_percent_transmittance_and_energy_column():
    energy = np.linspace(1.6, 2.4, 81)
    transmittance = 100 * 10 ** (-0.3 * np.exp((energy - 2.0) / 0.2))
    lines = ["Energy (eV)\t%T"] + [
        f"{e:.4f}\t{t:.6f}" for e, t in zip(energy, transmittance, strict=True)
    ]
    spectrum = read_absorbance("\n".join(lines).encode(), "film.txt")
    # eV -> nm (h c / e = 1239.842 eV nm) and A = −log10(T), ascending.
    assert spectrum.wavelength_nm[0] == pytest.approx(1239.841984 / 2.4)
    assert spectrum.absorbance[-1] == pytest.approx(0.3 * np.exp(-0.4 / 0.2), rel=1e-4)
    assert any("sorted" in n for n in spectrum.notes)
    assert any("−log10(T)" in n for n in spectrum.notes)


def test_absorbance_errors_name_the_problem():
    with pytest.raises(InputError, match="expected 150–2600 nm"):
        read_absorbance(b"".join(b"%d\t0.1\n" % k for k in range(12)), "a.txt")
    lines = "\n".join(f"{500 + k}\t{0.1}" for k in range(12))
    with pytest.raises(InputError, match="column 3 asked for"):
        read_absorbance(lines.encode(), "a.txt", column=2)


def _spectrum_file(wavelength, values) -> bytes:
    rows = ["Wavelength (nm)\tCounts"]
    rows += [f"{w:.2f}\t{v:.4f}" for w, v in zip(wavelength, values, strict=True)]
    return "\n".join(rows).encode()


def test_sphere_files_are_put_on_the_empty_sphere_grid():
    wl = np.arange(380.0, 800.0, 0.5)
    laser = gaussian(wl, 405, 2, 1e5)
    other = np.arange(390.0, 790.0, 0.4)
    sphere = read_sphere(
        ("A.txt", _spectrum_file(wl, laser)),
        ("C.txt", _spectrum_file(other, gaussian(other, 405, 2, 6e4))),
        ("B.txt", _spectrum_file(wl, 0.9 * laser)),
        label="film",
    )
    assert sphere.wavelength_nm[0] == pytest.approx(390.0)
    assert sphere.wavelength_nm[-1] <= 789.6
    assert sphere.out_of_beam is not None and sphere.label == "film"
    assert any("common range" in n for n in sphere.notes)


def test_temperature_series_from_headers_in_celsius_are_kelvin():
    wl = np.arange(550.0, 750.0, 1.0)
    header = "Wavelength (nm)\t" + "\t".join(f"{t} °C" for t in (-190, -100, 25))
    rows = [header] + [
        f"{w}\t" + "\t".join(f"{v:.5f}" for v in gaussian(w, 640, 30, 1.0) * np.ones(3))
        for w in wl
    ]
    series = read_temperature_series([("T.txt", "\n".join(rows).encode("utf-8"))])
    assert series.axis_unit == "K"
    assert series.axis.tolist() == pytest.approx([83.15, 173.15, 298.15])


def test_temperature_series_from_file_names_and_given_temperatures():
    wl = np.arange(550.0, 750.0, 1.0)
    files = [
        (f"PL_{t}K.txt", _spectrum_file(wl, gaussian(wl, 640, 30, 1.0)))
        for t in (80, 120, 100)
    ]
    series = read_temperature_series(files)
    assert series.axis.tolist() == [80.0, 100.0, 120.0]
    given = read_temperature_series(files, [10.0, 20.0, 30.0])
    assert given.axis.tolist() == [10.0, 20.0, 30.0]


def test_spectra_without_temperatures_ask_for_them():
    wl = np.arange(550.0, 750.0, 1.0)
    files = [("a.txt", _spectrum_file(wl, gaussian(wl, 640, 30, 1.0)))]
    with pytest.raises(InputError, match="carry no temperatures"):
        read_temperature_series(files)
