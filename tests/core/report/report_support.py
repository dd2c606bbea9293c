"""
Shared inputs of the report tests: the demo devices, their report (built
once per test session) and the demo data written as the files a rig writes.

Imported by the tests of ``core.report`` and by ``tests/test_page_report.py``
(as ``tests.core.report.report_support``).
"""

from __future__ import annotations

import functools

import numpy as np

from core.demo import demo_devices
from core.models import Device
from core.report import Report, ReportSettings, build_report

STAMP = "2025-01-01T00:00:00+00:00"
CONTROL, TREATED = "Control (synthetic)", "Treated (synthetic)"
SPECTRA_OPTIONS = {"axis_name": "time", "axis_unit": "h"}


@functools.cache
def demo_report() -> Report:
    """The demo devices' report with default settings, figures rendered."""
    return build_report(demo_devices(), ReportSettings(), created_utc=STAMP)


def demo_files(device: Device, tag: str) -> tuple[dict[str, bytes], dict]:
    """A device's demo data as the text files a rig would write."""
    series = device.spectra_time
    pick = np.arange(0, series.n_spectra, 6)
    lines = ["Wavelength (nm)," + ",".join(f"{a:g}" for a in series.axis[pick])]
    lines += [
        f"{w:.3f}," + ",".join(f"{v:.6g}" for v in series.intensity[pick, i])
        for i, w in enumerate(series.wavelength_nm)
    ]
    sweep = device.jvl[0]
    jvl = ["Voltage (V)\tJ (mA/cm2)\tL (cd/m2)"] + [
        f"{v:.4f}\t{j:.6g}\t{lum:.6g}"
        for v, j, lum in zip(
            sweep.voltage_v,
            sweep.current_density_ma_cm2,
            sweep.luminance_cd_m2,
            strict=True,
        )
    ]
    log = device.lifetime[0]
    life = ["Time (h),Luminance (cd/m2)"] + [
        f"{t:.5f},{lum:.6g}"
        for t, lum in zip(log.time_h[::3], log.luminance_cd_m2[::3], strict=True)
    ]
    files = {
        f"{tag}_el.csv": "\n".join(lines).encode(),
        f"{tag}_jvl.txt": "\n".join(jvl).encode(),
        f"{tag}_life.csv": "\n".join(life).encode(),
    }
    group = {
        "name": tag,
        "files": [
            {"name": f"{tag}_el.csv", "role": "spectra"},
            {"name": f"{tag}_jvl.txt", "role": "auto"},
            {"name": f"{tag}_life.csv", "role": "auto"},
        ],
    }
    return files, group
