"""core.cie_data: colour-science's own tables, bit for bit, through the cache."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import fields
from pathlib import Path

import colour
import numpy as np
import pytest
from scipy.spatial import ConvexHull

from core import cie_data
from core.cie_data import COLOURSPACES, CIETables, cie_tables

ROOT = Path(__file__).resolve().parents[2]
OBSERVER = "CIE 1931 2 Degree Standard Observer"


def assert_same(a: CIETables, b: CIETables) -> None:
    for field in fields(CIETables):
        assert np.array_equal(getattr(a, field.name), getattr(b, field.name)), field


def test_tables_are_colour_sciences_arrays():
    tables = cie_tables()
    cmfs = colour.MSDS_CMFS[OBSERVER]
    assert np.array_equal(tables.cmf_wavelength_nm, cmfs.wavelengths)
    assert np.array_equal(tables.cmf_values, cmfs.values)
    lef = colour.SDS_LEFS["CIE 1924 Photopic Standard Observer"]
    assert np.array_equal(tables.photopic_wavelength_nm, lef.wavelengths)
    assert np.array_equal(tables.photopic_values, lef.values)
    assert np.array_equal(tables.d65_xy, colour.CCS_ILLUMINANTS[OBSERVER]["D65"])
    for k, name in enumerate(COLOURSPACES):
        primaries = colour.RGB_COLOURSPACES[name].primaries
        assert np.array_equal(tables.primaries_xy[k], primaries)
    # The hull is scipy's ConvexHull of the locus's xy.
    xy = colour.XYZ_to_xy(cmfs.values)
    hull = ConvexHull(xy[np.all(np.isfinite(xy), axis=1)])
    np.testing.assert_allclose(tables.hull_normals, hull.equations[:, :2], atol=1e-15)
    np.testing.assert_allclose(tables.hull_offsets, hull.equations[:, 2], atol=1e-15)
    assert not tables.cmf_values.flags.writeable


def test_cache_file_round_trips_and_is_named_after_the_versions(tmp_path, monkeypatch):
    monkeypatch.setenv("PELED_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("PELED_CIE_CACHE", raising=False)
    path = cie_data.cache_path()
    assert path is not None and path.parent == tmp_path
    assert colour.__version__ in path.name
    fresh = cie_data.tables_from_colour_science()
    cie_data._write(path, fresh)
    assert path.exists() and not list(tmp_path.glob("*.tmp"))
    read = cie_data._read(path)
    assert read is not None
    assert_same(read, fresh)


def test_a_broken_cache_file_is_rebuilt_from_colour_science(tmp_path, monkeypatch):
    monkeypatch.setenv("PELED_CACHE_DIR", str(tmp_path))
    path = cie_data.cache_path()
    path.write_bytes(b"not an npz file")
    assert cie_data._read(path) is None
    cie_data.cie_tables.cache_clear()
    try:
        rebuilt = cie_data.cie_tables()
    finally:
        cie_data.cie_tables.cache_clear()
    assert_same(rebuilt, cie_data.tables_from_colour_science())
    assert cie_data._read(path) is not None  # written again


def test_cache_can_be_turned_off(monkeypatch):
    monkeypatch.setenv("PELED_CIE_CACHE", "0")
    assert cie_data.cache_path() is None


def test_an_unwritable_cache_folder_is_not_an_error(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("a file where the folder should be")
    monkeypatch.setenv("PELED_CACHE_DIR", str(blocker / "sub"))
    path = cie_data.cache_path()
    cie_data._write(path, cie_tables())  # no exception
    assert not path.exists()


def test_spectra_command_path_imports_neither_colour_nor_scipy_signal(tmp_path):
    # With the cache filled, the CLI's analysis path needs neither
    # colour-science (~0.4-0.9 s of import) nor scipy.signal / scipy.stats
    # / scipy.spatial (~1 s each on a loaded machine).
    code = (
        "import sys\n"
        "import core.cie_data as c; c.cie_tables()\n"
        "import core.cli.spectra, core.io, core.stability, core.serialize\n"
        "heavy = ['colour', 'scipy.signal', 'scipy.stats', 'scipy.spatial',\n"
        "         'scipy.interpolate', 'scipy.optimize', 'openpyxl',\n"
        "         'scipy.constants']\n"
        "print(','.join(m for m in heavy if m in sys.modules))\n"
    )
    env = {"PELED_CACHE_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    subprocess.run([sys.executable, "-c", "import core.cie_data as c; c.cie_tables()"],
                   cwd=ROOT, env=env, check=True)  # fmt: skip
    assert list(tmp_path.glob("cie-tables-*.npz"))
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env,
                            capture_output=True, text=True, check=True)  # fmt: skip
    assert result.stdout.strip() == ""


@pytest.mark.parametrize("white", ["E", "D65"])
def test_results_do_not_depend_on_where_the_tables_came_from(white, tmp_path):
    # The same spectrum analysed with the tables from the cache file and
    # straight from colour-science gives the same bits.
    code = (
        "import numpy as np\n"
        "from core.spectra import spectral_metrics\n"
        "wl = np.linspace(380, 780, 700)\n"
        "line = 1e3 * np.exp(-0.5 * ((wl - 638) / 13.6) ** 2) + 7\n"
        f"row = spectral_metrics(wl, line, white_point={white!r}).iloc[0]\n"
        "print(*(float(row[k]) for k in ('cie_x', 'u_prime', 'dominant_nm')))\n"
    )
    outputs = []
    for setting in ("1", "1", "0"):  # fills the cache, reads it, no cache
        env = {
            "PELED_CACHE_DIR": str(tmp_path),
            "PELED_CIE_CACHE": setting,
            "PATH": "/usr/bin:/bin",
        }
        run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env,
                             capture_output=True, text=True, check=True)  # fmt: skip
        outputs.append(run.stdout)
    assert outputs[0] == outputs[1] == outputs[2]
