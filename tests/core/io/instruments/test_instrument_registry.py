"""
core/io/instruments/__init__.py: the one table of readers and the choice
between them (highest ``detect`` score; ties to the first listed).
"""

from __future__ import annotations

import importlib
import types

import numpy as np

from core.io import instruments, read_spectral_series
from core.io.instruments import READERS, detect_format, parse_instrument
from core.io.parsed import ParsedSpectra
from tests.core.io.instruments import test_ocean
from tests.core.io.spectra_support import (
    AVANTES,
    BSUBPC,
    GREEN,
    HZB_12,
    IRR,
    OCEANVIEW,
    real,
)


def samples(reader) -> list[str]:
    """``SAMPLES`` of the reader's own test module, test_<NAME>.py."""
    module = importlib.import_module(f"tests.core.io.instruments.test_{reader.NAME}")
    return module.SAMPLES


def test_every_reader_names_itself_and_has_detect_and_parse():
    names = [reader.NAME for reader in READERS]
    assert len(set(names)) == len(names)
    for reader in READERS:
        assert reader.__name__ == f"core.io.instruments.{reader.NAME}"
        assert callable(reader.detect) and callable(reader.parse)
        assert samples(reader), f"test_{reader.NAME}.py has no SAMPLES"


def test_each_sample_goes_to_its_own_reader_and_no_other_scores_as_high():
    for reader in READERS:
        family = reader.NAME
        for text in samples(reader):
            scores = {other.NAME: other.detect(text) for other in READERS}
            assert 0 < scores[family] <= 1, family
            others = [s for name, s in scores.items() if name != family]
            assert max(others) < scores[family], (family, scores)
            assert detect_format(text) == family


def test_detect_format_on_real_files():
    expected = {
        GREEN: "ocean",
        IRR: "spectrawiz",
        OCEANVIEW: "ocean",
        AVANTES: "avantes",
        HZB_12: "transposed",
        BSUBPC: None,
    }
    for name, key in expected.items():
        text = real(name).decode("latin-1")
        assert detect_format(text) == key, name


def test_a_plain_table_goes_to_no_reader():
    text = "Wavelength (nm),I\n500,1\n501,2\n"
    assert detect_format(text) is None
    assert parse_instrument(text, "t.csv") is None
    assert detect_format("") is None


def test_a_new_format_is_one_entry_in_the_table(monkeypatch):
    wavelength = np.arange(500.0, 510.0)

    def parse(text, name):
        return ParsedSpectra(
            wavelength_nm=wavelength,
            intensity=np.ones((1, wavelength.size)),
            line_numbers=np.arange(2, 12),
            fmt="a FAKE export",
            notes=("read as a FAKE export.",),
        )

    fake = types.SimpleNamespace(
        NAME="fake",
        detect=lambda text: 1.0 if text.startswith("FAKE") else 0.0,
        parse=parse,
    )
    monkeypatch.setattr(instruments, "READERS", (*READERS, fake))
    series = read_spectral_series(b"FAKE v1\n1 2\n", "x.fake")
    assert series.notes[0] == "read as a FAKE export."
    assert detect_format(test_ocean.spectrasuite()) == "ocean"


def test_ties_go_to_the_first_reader_listed(monkeypatch):
    first = types.SimpleNamespace(NAME="first", detect=lambda t: 0.5, parse=None)
    second = types.SimpleNamespace(NAME="second", detect=lambda t: 0.5, parse=None)
    monkeypatch.setattr(instruments, "READERS", (first, second))
    assert detect_format("anything") == "first"
