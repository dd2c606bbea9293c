"""core.lifetime.acceleration: L0^n · T = const and the rule for fitting n."""

from __future__ import annotations

import json

import numpy as np
import pytest
from lifetime_logs import noisy_log

from core.cli import main
from core.errors import InputError
from core.io.lifetime_log import read_lifetime_log
from core.lifetime import (
    acceleration_fits,
    at_reference_stress,
    convert_lifetime,
    exponential,
    fit_acceleration_exponent,
    lifetime_at_luminance_h,
    lifetime_at_reference_h,
    lifetime_metrics,
)
from core.models import LifetimeLog


def test_conversion_to_a_reference_luminance_is_exact():
    # T50(L0') = T50(L0) (L0/L0')^n, exactly (docs/methods.md §4).
    for t50, l0, ref, n in [(2.0, 1000.0, 100.0, 1.8), (8.2, 102.0, 1000.0, 1.5)]:
        converted = convert_lifetime(t50, l0, ref, n=n)
        assert converted.value_h == pytest.approx(t50 * (l0 / ref) ** n, rel=1e-14)
        assert converted.band_h == pytest.approx(
            (t50 * (l0 / ref) ** 1.5, t50 * (l0 / ref) ** 2.0), rel=1e-14
        )
    # docs/methods.md §4: 1000 -> 100 cd/m² is x31.6 with n = 1.5 and x100 with n = 2.
    band = convert_lifetime(1.0, 1000.0, 100.0).band_h
    assert band == pytest.approx((31.6228, 100.0), rel=1e-5)
    assert float(lifetime_at_luminance_h(1.0, 1000.0, 100.0, 2.0)) == 100.0


def test_within_5_percent_of_the_reference_a_lifetime_is_not_converted():
    # The one tolerance rule (core.literature uses the same function): the
    # seed device's 490 min at 102 cd/m² is "at 100 cd/m²" (Ren et al. 2024,
    # doi:10.1021/acsmaterialslett.4c00912), so its T50 at 100 cd/m² is 490 min
    # on every path, not 490 min x 1.02^1.8 = 3.6 % more.
    converted = convert_lifetime(490 / 60, 102.0, 100.0, n=1.8)
    assert converted.value_h == 490 / 60 and not converted.converted
    assert converted.band_h == (490 / 60, 490 / 60)
    assert convert_lifetime(1.0, 106.0, 100.0, n=2.0).value_h == pytest.approx(1.06**2)
    values = lifetime_at_reference_h(
        [1.0, 1.0, 1.0, 1.0], [95.0, 105.0, 94.9, 105.1], 100.0, 2.0
    )
    np.testing.assert_allclose(values, [1.0, 1.0, 0.949**2, 1.051**2])
    assert at_reference_stress([np.nan], 100.0).tolist() == [False]


def test_conversion_refuses_a_missing_stress_with_a_sentence():
    with pytest.raises(InputError, match=r"The initial luminance is 0; expected a "):
        convert_lifetime(1.0, 0.0, 100.0)
    with pytest.raises(InputError, match=r"Unknown stress 'voltage': expected one of"):
        convert_lifetime(1.0, 10.0, 100.0, stress="voltage")


@pytest.mark.parametrize("n_true", [1.5, 1.8, 2.1])
def test_acceleration_exponent_recovered_from_synthetic_multi_l0_tests(n_true):
    # Four tests at 100...3000 cd/m², T50 ∝ L0^−n, 1 % noise, 1200 readings.
    rng = np.random.default_rng(int(n_true * 10))
    l0s = np.array([100.0, 300.0, 1000.0, 3000.0])
    t50s = []
    for l0 in l0s:
        tau = 200.0 * (100.0 / l0) ** n_true
        t = np.linspace(0.0, 3 * tau, 1200)
        t50s.append(lifetime_metrics(noisy_log(tau, 0.7, t, 0.01, rng, l0=l0)).t50_h)
    fit = fit_acceleration_exponent(l0s, t50s)
    assert fit.n == pytest.approx(n_true, abs=0.05)
    assert fit.n_stderr < 0.05
    assert fit.lifetime_h(100.0) == pytest.approx(t50s[0], rel=0.05)


def test_acceleration_exponent_against_current_density_and_radiance():
    stress = [2.0, 5.0, 12.0, 25.0]  # mA/cm²
    life = [50.0 * (2.0 / s) ** 1.83 for s in stress]
    for name in ("current_density", "radiance"):
        fit = fit_acceleration_exponent(stress, life, stress_name=name)
        assert fit.n == pytest.approx(1.83, abs=1e-12) and fit.stress == name


def test_acceleration_exponent_needs_three_initial_luminances():
    with pytest.raises(InputError, match=r"needs tests at 3 or more initial luminance"):
        fit_acceleration_exponent([100.0, 100.0, 1000.0], [10.0, 11.0, 0.2])
    with pytest.raises(InputError, match=r"2 stresses were given for 3 lifetimes"):
        fit_acceleration_exponent([100.0, 1000.0], [10.0, 11.0, 0.2])


# --- the rule for fitting n: acceleration_fits, shared by the page and the CLI ---


def decay_log(l0, tau_h, *, relative=False, t_end_factor=3.0, j=None, n=900):
    """A clean exponential decay at L0 (T50 = τ ln 2) with an optional J."""
    t = np.linspace(0.0, t_end_factor * tau_h, n)
    luminance = (1.0 if relative else l0) * exponential(t, tau_h)
    current = None if j is None else np.full(t.size, float(j))
    return LifetimeLog(t, luminance, relative=relative, current_density_ma_cm2=current)


def tau_for(stress, n_true, stress_ref=100.0, tau_ref=50.0):
    """τ of a test at ``stress`` so that T50 ∝ stress^−n (closed form)."""
    return tau_ref * (stress_ref / stress) ** n_true


def test_acceleration_fits_per_device_with_three_distinct_stresses():
    tests = [("A", decay_log(l0, tau_for(l0, 1.8))) for l0 in (100.0, 300.0, 1000.0)]
    # B: a repeated L0 is one stress, so B has 2.
    tests += [("B", decay_log(l0, tau_for(l0, 1.5))) for l0 in (100.0, 300.0, 300.0)]
    # C: the relative log without L0 has no stress.
    tests += [("C", decay_log(l0, tau_for(l0, 2.0))) for l0 in (100.0, 1000.0)]
    tests.append(("C", decay_log(3000.0, tau_for(3000.0, 2.0), relative=True)))
    results = [(device, lifetime_metrics(log)) for device, log in tests]
    fits = acceleration_fits(results)
    assert list(fits) == ["A", "B", "C"]
    # Measured T50 of a clean exponential is τ ln 2 within 0.2 %: n within 0.01.
    assert fits["A"].fit.n == pytest.approx(1.8, abs=0.01)
    assert (fits["A"].n_tests, fits["A"].n_stresses, fits["A"].reason) == (3, 3, "")
    # Grouped by device: A's n comes from A's tests only.
    own = [r for device, r in results if device == "A"]
    alone = fit_acceleration_exponent(
        [r.initial_luminance_cd_m2 for r in own], [r.t50_h for r in own]
    )
    assert fits["A"].fit == alone
    for device in ("B", "C"):
        assert fits[device].fit is None and fits[device].n_stresses == 2
        assert fits[device].n_tests == 3
        assert "needs tests at 3 or more initial luminance values" in (
            fits[device].reason
        )
        assert fits[device].reason.endswith("found 2.")


def test_acceleration_fits_against_current_density():
    # One L0 (200 cd/m²) at three current densities: no luminance fit, J fit.
    tests = [
        ("dev", lifetime_metrics(decay_log(200.0, tau_for(j, 1.6, 2.0), j=j)))
        for j in (2.0, 5.0, 12.0)
    ]
    assert acceleration_fits(tests)["dev"].fit is None
    outcome = acceleration_fits(tests, stress="current_density")["dev"]
    assert outcome.fit.n == pytest.approx(1.6, abs=0.01)
    assert outcome.fit.stress == "current_density"
    with pytest.raises(InputError, match=r"Unknown stress 'radiance' for the"):
        acceleration_fits(tests, stress="radiance")


def test_acceleration_fits_counts_the_extrapolated_t50_it_uses():
    tests = [("A", decay_log(l0, tau_for(l0, 1.8))) for l0 in (100.0, 300.0)]
    # Stopped at 0.3 τ (ℓ = 0.74): T50 from the model.
    tests.append(("A", decay_log(1000.0, tau_for(1000.0, 1.8), t_end_factor=0.3)))
    # No L0: its extrapolated T50 is not used.
    tests.append(
        ("A", decay_log(30.0, tau_for(30.0, 1.8), relative=True, t_end_factor=0.3))
    )
    results = [(d, lifetime_metrics(log)) for d, log in tests]
    assert [r.t50_kind for _, r in results].count("extrapolated") == 2
    outcome = acceleration_fits(results)["A"]
    assert outcome.extrapolated_t50_used == 1 and outcome.fit.n_points == 3
    assert outcome.fit.n == pytest.approx(1.8, abs=0.01)  # clean: model T50 exact


def write_csv(path, log):
    lines = ["Time (s),Luminance (cd/m2)"]
    lines += [
        f"{t * 3600:.6f},{v:.9g}"
        for t, v in zip(log.time_h, log.luminance_cd_m2, strict=True)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("l0s", "fitted"),
    [((100.0, 300.0, 1000.0, 3000.0), True), ((100.0, 300.0, 300.0), False)],
)
def test_the_page_rule_and_the_cli_give_the_same_n_on_the_same_logs(
    tmp_path, capsys, l0s, fitted
):
    paths = [
        write_csv(tmp_path / f"L{k}.csv", decay_log(l0, tau_for(l0, 1.7)))
        for k, l0 in enumerate(l0s)
    ]
    assert main(["lifetime", *map(str, paths)]) == 0
    payload = json.loads(capsys.readouterr().out)
    # What the page does: read each file, analyse, group the tests by device.
    results = [
        ("device", lifetime_metrics(read_lifetime_log(p.read_bytes(), str(p))))
        for p in paths
    ]
    outcome = acceleration_fits(results)["device"]
    if fitted:
        cli = payload[0]["acceleration_fit"]
        assert cli["n"] == outcome.fit.n and cli["n_stderr"] == outcome.fit.n_stderr
        assert cli["n_points"] == outcome.fit.n_points == len(l0s)
        assert cli["extrapolated_t50_used"] == outcome.extrapolated_t50_used
        assert outcome.fit.n == pytest.approx(1.7, abs=0.01)
    else:
        assert outcome.fit is None
        assert all("acceleration_fit" not in entry for entry in payload)
        assert outcome.reason in payload[0]["warnings"][-1]
