"""
core.demo.photophysics: the synthetic demo samples are labelled so, cite the
seed paper, are deterministic, and give back the values they are shaped on
(Ren et al., ACS Mater. Lett. 2024, doi:10.1021/acsmaterialslett.4c00912).
"""

from __future__ import annotations

import numpy as np
import pytest

from core.demo import photophysics as demo
from core.photophysics import (
    absorption_analysis,
    fit_decay,
    plqy_de_mello,
    tdpl_analysis,
)


def test_every_name_and_source_says_synthetic_and_cites_the_paper():
    assert all("synthetic" in sample for sample in demo.SAMPLES)
    assert "synthetic" in demo.SOURCE and demo.DOI in demo.SOURCE
    for sample in demo.SAMPLES:
        decay, irf = demo.demo_decay(sample)
        items = [decay, irf, demo.demo_tdpl(sample), demo.demo_absorbance(sample)]
        items.append(demo.demo_sphere(sample))
        for item in items:
            assert "synthetic" in item.label and demo.DOI in item.source
    assert set(demo.WHERE_READ) == set(demo.SEED_VALUES[demo.SAMPLES[0]])


def test_the_demo_is_deterministic():
    first, _ = demo.demo_decay(demo.SAMPLES[0])
    again, _ = demo.demo_decay(demo.SAMPLES[0])
    assert np.array_equal(first.counts, again.counts)
    with pytest.raises(KeyError, match="unknown demo sample"):
        demo.demo_tdpl("SQDs")


@pytest.mark.parametrize("sample", demo.SAMPLES)
def test_the_demo_gives_back_the_reported_values(sample):
    seed = demo.SEED_VALUES[sample]
    decay, irf = demo.demo_decay(sample)
    assert fit_decay(decay, irf=irf).tau_ns[0] == pytest.approx(
        seed["tau_ns"], rel=0.01
    )
    result = tdpl_analysis(demo.demo_tdpl(sample))
    assert abs(result.arrhenius.binding_energy_mev - seed["binding_energy_mev"]) < 5
    hot = result.table.iloc[-1]  # 300 K: the room-temperature PL
    assert hot["peak_nm"] == pytest.approx(seed["peak_nm"], abs=0.3)
    assert hot["fwhm_nm"] == pytest.approx(seed["fwhm_nm"], abs=0.5)
    absorption = absorption_analysis(demo.demo_absorbance(sample))
    assert absorption.peak.wavelength_nm == pytest.approx(seed["exciton_nm"], abs=0.6)
    assert abs(absorption.urbach.urbach_energy_mev - seed["urbach_energy_mev"]) < 1
    plqy = plqy_de_mello(demo.demo_sphere(sample))
    assert abs(plqy.plqy - seed["plqy"]) < 0.01
