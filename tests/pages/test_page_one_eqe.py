"""One device, one EQE: every page, the report file and the CLI agree (issue 12).

The device has a sweep whose file carries an EQE column *and* an EL series:
the two give EQEs 2.1 times apart. Whichever the user chose (the default, the
file's column; or the EL series, picked on the Efficiency page and stored with
the device), the Efficiency, Literature and Report pages, the report file and
the CLI show the same number, with the same words saying where it comes from.
"""

from __future__ import annotations

import csv
import html
import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest
from support import shown

from core.cli import main
from core.efficiency import device_efficiency
from core.report import build_report, load_devices, report_html
from core.tables import SIGNIFICANT_DIGITS, round_half_up, significant_decimals
from ui.session import DEVICES_KEY

PAGES = Path(__file__).resolve().parents[2] / "pages"
NAME = "dev"


def _write_files(folder: Path) -> tuple[Path, Path]:
    """A J-V-L-EQE sweep (turn-on 3 V, its file's EQE ≈ 2.9 %, CE 8 cd/A) and
    one 628/30 nm EL spectrum (computed EQE ≈ 6.2 %)."""
    voltage = np.arange(0.0, 5.01, 0.25)
    current = 1e-3 * (np.exp(voltage / 0.3) - 1) / np.exp(2.0 / 0.3)
    luminance = np.where(voltage >= 2.25, 80.0 * current, 0.01 * np.cos(7 * voltage))
    eqe = np.where(
        voltage >= 2.25, 3.0 - 0.1 * (voltage - 2.25), 50 * np.sin(3 * voltage)
    )
    sweep = folder / "sweep.txt"
    rows = ["V (V)\tJ (mA/cm2)\tL (cd/m2)\tEQE (%)"] + [
        "\t".join(f"{x:.6g}" for x in row)
        for row in zip(voltage, current, luminance, eqe, strict=True)
    ]
    sweep.write_text("\n".join(rows) + "\n")
    wavelength = np.arange(400.0, 801.0, 1.0)
    line = np.exp(-0.5 * ((wavelength - 628.0) / (30.0 / 2.3548)) ** 2)
    spectrum = folder / "el.csv"
    spectrum.write_text(
        "Wavelength (nm),Intensity (a.u.)\n"
        + "".join(f"{w:g},{s:.6g}\n" for w, s in zip(wavelength, line, strict=True))
    )
    return sweep, spectrum


def _device(sweep: Path, spectrum: Path):
    """The device as the CLI report reads it (sweep + EL series)."""
    files = {p.name: p.read_bytes() for p in (sweep, spectrum)}
    group = {"name": NAME, "files": [{"name": n, "role": "auto"} for n in files]}
    devices, _ = load_devices([group], files)
    return devices[0]


def _page(name: str, devices: dict) -> AppTest:
    app = AppTest.from_file(str(PAGES / name), default_timeout=120)
    app.session_state[DEVICES_KEY] = devices
    return app


def _cli_json(capsys, *args) -> dict:
    assert main(list(args)) == 0
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("choice", [None, "el_series"])
def test_one_device_shows_one_eqe_on_every_page_in_the_report_and_the_cli(
    tmp_path, capsys, choice
):
    sweep, spectrum = _write_files(tmp_path)
    device = _device(sweep, spectrum)
    assert device.jvl and device.spectra_time is not None
    expected = device_efficiency(replace(device, eqe_spectrum=choice))
    other = device_efficiency(
        replace(device, eqe_spectrum="el_series" if not choice else "file")
    )
    eqe, basis = expected.eqe_max_percent, expected.eqe_basis
    assert abs(eqe / other.eqe_max_percent - 1) > 0.5  # two very different EQEs
    assert basis.startswith(
        "EQE from the file's EQE column" if choice is None else "EQE computed with"
    )

    # Efficiency page: the session device; the user picks the EL series there.
    efficiency = _page("2_Efficiency.py", {NAME: device}).run()
    if choice is not None:
        efficiency.selectbox(key=f"efficiency_eqe_from_{NAME}").set_value(choice).run()
    assert not efficiency.exception and not efficiency.error
    cards = {m.label: m.value for m in efficiency.metric}
    assert cards["EQE max"] == f"{eqe:.2f} %"
    assert f"**{NAME}**" in [shown(m.value) for m in efficiency.markdown]
    assert any(c.value.startswith(f"{NAME}: {basis};") for c in efficiency.caption)
    stored = efficiency.session_state[DEVICES_KEY][NAME]
    assert stored.eqe_spectrum == choice  # the choice is kept with the device
    session = {NAME: stored}

    # Literature page: the session device's caption and its ranking numbers.
    literature = _page("4_Literature.py", session).run()
    literature.radio(key="literature_device_choice").set_value(NAME).run()
    assert not literature.exception and not literature.error
    caption = next(c.value for c in literature.caption if c.value.startswith(NAME))
    assert f"EQE {eqe:.2f} % ({basis})" in caption

    # Report page: the side-by-side table and where its EQE comes from.
    report_page = _page("5_Report.py", session).run()
    assert not report_page.exception
    table = report_page.dataframe[0].value.set_index("metric")
    # At the 3 significant digits of a percentage (core.tables), as text in
    # a column that also holds text.
    places = significant_decimals(eqe, SIGNIFICANT_DIGITS["%"])
    assert table.loc["maximum EQE", NAME] == repr(round_half_up(eqe, places))
    assert any(c.value == f"EQE: {NAME}: {basis}" for c in report_page.caption)

    # The report file, built from the session device.
    report = build_report([stored], render=False)
    frame = report.section("efficiency").tables[0].frame
    assert frame.loc[0, "eqe_max_percent"] == eqe
    assert html.escape(basis) in report_html(report)

    # The CLI: the sweep file, with the EL series given as its spectrum when
    # that is the choice (the same number; the file's column otherwise).
    args = ["efficiency", str(sweep), "--no-points"]
    if choice is not None:
        args += ["--spectrum", str(spectrum)]
    record = _cli_json(capsys, *args)
    assert record["eqe_max_percent"] == pytest.approx(eqe, rel=1e-12)
    assert record["eqe_spectrum"] == ("file" if choice is None else "uploaded")
    if choice is None:  # the CLI report reads the device with the default choice
        out = tmp_path / "report"
        _cli_json(
            capsys, "report", "--device", NAME, str(sweep), str(spectrum),
            "--out", str(out), "--no-pdf", "--formats", "svg",
        )  # fmt: skip
        with open(out / "tables" / "efficiency_summary.csv", newline="") as handle:
            row = next(csv.DictReader(handle))
        assert float(row["eqe_max_percent"]) == pytest.approx(eqe, rel=1e-9)
        assert row["eqe_basis"] == basis
