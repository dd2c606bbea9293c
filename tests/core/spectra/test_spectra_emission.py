"""core.spectra.emission: the emission mask holds every band and no noise."""

from __future__ import annotations

import numpy as np
from support import gaussian

from core.spectra import analyse_spectra, spectral_metrics

GRID = np.linspace(380.0, 780.0, 1024)


def test_mask_holds_both_bands_and_their_tails():
    rng = np.random.default_rng(1)
    spectrum = gaussian(GRID, 630.0, 30.0) + gaussian(GRID, 450.0, 20.0, 0.2)
    analysis = analyse_spectra(GRID, spectrum + rng.normal(0, 0.005, GRID.size))
    mask = analysis.emission.mask[0]
    # Both bands and one FWHM (of the main line) beyond where they sink into
    # the noise; the far red and the gap between them are left out.
    for nm in (420.0, 450.0, 480.0, 600.0, 630.0, 680.0):
        assert mask[np.argmin(np.abs(GRID - nm))], nm
    assert not mask[GRID > 720].any()
    # 99.9 % of the noiseless emission lies inside the mask.
    share = spectrum[mask].sum() / spectrum.sum()
    assert share > 0.999


def test_a_noise_blob_does_not_enter_the_mask():
    # 400 spectra of pure noise next to a line: no spectrum gets a mask region
    # that does not touch the line (a run above 3 σ must reach 5 σ somewhere).
    rng = np.random.default_rng(2)
    noisy = gaussian(GRID, 700.0, 20.0)[None, :] + rng.normal(0, 0.05, (400, 1024))
    analysis = analyse_spectra(GRID, noisy)
    assert not analysis.emission.core[:, GRID < 600].any(axis=1).mean() > 0.01


def test_an_over_subtracted_range_is_not_integrated():
    # A range that stands clearly below zero (a dark that was too bright there)
    # is left out of the mask even within one FWHM of the line.
    rng = np.random.default_rng(3)
    spectrum = gaussian(GRID, 600.0, 120.0) - 0.05 * (GRID < 440)
    analysis = analyse_spectra(GRID, spectrum + rng.normal(0, 0.005, 1024),
                               baseline="none")  # fmt: skip
    assert not analysis.emission.mask[0, GRID < 435].any()
    assert analysis.frame.colour_status.iloc[0] == ""


def test_range_warnings_name_the_baseline_problem():
    wide = gaussian(GRID, 580.0, 150.0)  # emission up to both ends
    edges = spectral_metrics(GRID, wide)
    assert any("'edges' baseline" in w for w in edges.attrs["warnings"])
    offset = spectral_metrics(GRID, gaussian(GRID, 600.0, 30.0) + 0.05,
                              baseline="none")  # fmt: skip
    assert any("baseline offset" in w for w in offset.attrs["warnings"])
