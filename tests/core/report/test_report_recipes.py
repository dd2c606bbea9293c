"""
core.report.recipes: a figure recipe asked for data its device lacks says so.
"""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from core.demo import demo_devices
from core.errors import InputError
from core.report import ReportSettings, analyse_device, build_figure


def test_the_spectra_figure_of_a_device_without_spectra_is_an_input_error():
    # A figure sidecar can name a device whose files no longer hold spectra
    # (rebuild_figure): that is bad input, not an AttributeError.
    device = replace(demo_devices()[0], spectra_time=None, spectra_bias=None)
    analysis = analyse_device(device)
    assert analysis.stability is None and analysis.efficiency is not None
    with pytest.raises(
        InputError, match=re.escape(f"'{device.name}' has no EL spectra")
    ):
        build_figure(
            "stability_spectra",
            [analysis],
            ReportSettings(),
            {"device": device.name},
        )
