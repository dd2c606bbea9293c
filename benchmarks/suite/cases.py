"""
The measurements of the suite, one function per section.

Each returns :class:`Row` objects: a figure and, where one exists, the bare
baseline measured in the same run (the same file through ``pandas.read_csv``,
``numpy.loadtxt``, ``import pandas``, a matrix product over the same array,
a one-line page), so a loaded machine shows in both columns.
"""

from __future__ import annotations

import sys
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from benchmarks.suite import page_probe
from benchmarks.suite.data import Sizes, spectra, wavelength_grid
from benchmarks.suite.measure import (
    READERS,
    best_of,
    process_seconds,
    rss_probe,
    traced_peak,
)

__all__ = [
    "Row",
    "Context",
    "cli",
    "readers",
    "memory",
    "analysis",
    "figures",
    "page",
]

#: Lines above the numbers in each generated file (for the bare baselines).
HEADER_LINES = {"wide": 1, "long": 1, "jvl": 2, "lifetime": 1}


@dataclass(frozen=True)
class Row:
    """One printed line: a figure beside its bare baseline."""

    section: str
    what: str
    value: float
    unit: str = "s"
    baseline: str = ""
    baseline_value: float | None = None

    @property
    def ratio(self) -> float | None:
        if not self.baseline_value:
            return None
        return self.value / self.baseline_value


@dataclass(frozen=True)
class Context:
    """What every section needs: the files, sizes and how hard to try."""

    files: dict[str, Path]
    sizes: Sizes
    repeat: int
    in_process: bool  # probes in this process (quick mode: no fresh processes)
    scratch: Path


def _mb(path: Path) -> str:
    return f"{path.stat().st_size / 2**20:.1f} MB"


def _pandas_read(path: Path, kind: str):
    import pandas as pd

    return pd.read_csv(path, skiprows=HEADER_LINES[kind] - 1)


# --- CLI end-to-end --------------------------------------------------------------


def _breakdown(path: Path, repeat: int) -> list[tuple[str, float]]:
    """In-process parts of ``python -m core spectra``: read, analyse, JSON."""
    from core.cli import dump_json
    from core.cli.spectra import spectra_payload
    from core.io import read_spectral_series
    from core.stability import series_stability

    data = path.read_bytes()
    read, series = best_of(lambda: read_spectral_series(data, path.name), repeat)
    analyse, result = best_of(lambda: series_stability(series), repeat)
    output, _ = best_of(lambda: dump_json(spectra_payload(series, result)), repeat)
    return [("read", read), ("analyse (series_stability)", analyse), ("JSON", output)]


def cli(ctx: Context) -> list[Row]:
    """``python -m core spectra`` on the wide file against bare pandas."""
    path = ctx.files["wide"]
    python = sys.executable

    def seconds(*argv: str) -> float:
        return process_seconds([python, *argv], ctx.repeat, ctx.in_process)

    bare = seconds("-c", f"import pandas; pandas.read_csv({str(path)!r})")
    ours = seconds("-m", "core", "spectra", str(path))
    startup = seconds("-c", "pass")
    pandas_import = seconds("-c", "import pandas")
    modules = "core.cli, core.cli.spectra, core.io, core.stability, core.serialize"
    imports = seconds("-c", f"import {modules}")
    name = f"wide CSV {ctx.sizes.spectra}×{ctx.sizes.pixels} ({_mb(path)})"
    rows = [
        Row(
            "CLI",
            f"`python -m core spectra` {name}",
            ours,
            baseline='`python -c "import pandas; pandas.read_csv(FILE)"`',
            baseline_value=bare,
        ),
        Row("CLI", "  interpreter start (`python -c pass`)", startup),
        Row(
            "CLI",
            "  start + imports of the spectra command",
            imports,
            baseline="start + `import pandas`",
            baseline_value=pandas_import,
        ),
    ]
    rows += [Row("CLI", f"  {part}", t) for part, t in _breakdown(path, ctx.repeat)]
    return rows


# --- readers ------------------------------------------------------------------------


def _reader_rows(kind: str, path: Path, repeat: int) -> list[Row]:
    data = path.read_bytes()
    ours, _ = best_of(lambda: READERS[kind](data, path.name), repeat)
    bare, _ = best_of(lambda: _pandas_read(path, kind), repeat)
    skip = HEADER_LINES[kind]
    loadtxt, _ = best_of(lambda: np.loadtxt(path, delimiter=",", skiprows=skip), 1)
    what = f"reader: {kind} ({_mb(path)})"
    return [
        Row("readers", what, ours, "s", "pandas.read_csv", bare),
        Row("readers", f"  {what}", ours, "s", "numpy.loadtxt", loadtxt),
    ]


def readers(ctx: Context) -> list[Row]:
    """Each reader on its file, beside pandas.read_csv and numpy.loadtxt."""
    import pandas  # noqa: F401 - imported before timing, as in the app

    rows = []
    for kind, path in ctx.files.items():
        rows += _reader_rows(kind, path, ctx.repeat)
    return rows


def _traced_per_byte(kind: str, path: Path) -> float:
    data = path.read_bytes()
    return traced_peak(lambda: READERS[kind](data, path.name)) / len(data)


def memory(ctx: Context) -> list[Row]:
    """Bytes of memory per byte of file while each reader runs, and after."""
    rows = []
    for kind, path in ctx.files.items():
        peak = _traced_per_byte(kind, path)
        probe = rss_probe(kind, path, in_process=ctx.in_process)
        rows += [
            Row("memory", f"{kind}: Python peak (tracemalloc)", peak, "B/B"),
            Row("memory", f"{kind}: RSS peak", probe["peak_per_byte"], "B/B"),
            Row(
                "memory", f"{kind}: RSS after the read", probe["after_per_byte"], "B/B"
            ),
            Row(
                "memory",
                f"{kind}: RSS after the read and malloc_trim",
                probe["after_trim_per_byte"],
                "B/B",
            ),
        ]
    return rows


# --- analysis -----------------------------------------------------------------------


def _series(count: int, pixels: int):
    from core.models import SpectralSeries

    return SpectralSeries(
        wavelength_nm=wavelength_grid(pixels),
        intensity=spectra(count, pixels),
        axis=np.arange(count) * 10 / 3600,
        axis_name="time",
        source="synthetic benchmark series",
    )


def _analysis_rows(count: int, pixels: int, repeat: int) -> list[Row]:
    from core.spectra import spectral_metrics
    from core.stability import series_stability

    series = _series(count, pixels)
    wavelength, intensity = series.wavelength_nm, series.intensity
    weights = np.ones((pixels, 3))
    # A tenth of a second on a shared virtual machine: its run-to-run
    # scatter (±20 %) calls for more than 3 runs (timeit's rule: the best of
    # several is the figure the code can reach; the others measured the host).
    if count * pixels <= 4_000_000:
        repeat = max(repeat, 7)
    bare, _ = best_of(lambda: intensity @ weights, repeat)
    metrics, _ = best_of(lambda: spectral_metrics(wavelength, intensity), repeat)
    stability, _ = best_of(lambda: series_stability(series), repeat)
    label = f"{count}×{pixels}"
    floor = "one pass over the array (S @ W, 3 columns)"
    return [
        Row("analysis", f"spectral_metrics {label}", metrics, "s", floor, bare),
        Row("analysis", f"series_stability {label}", stability, "s", floor, bare),
    ]


def analysis(ctx: Context) -> list[Row]:
    """spectral_metrics and series_stability on the 10 h and 100 h series."""
    from core.spectra import spectral_metrics

    pixels = ctx.sizes.pixels
    spectral_metrics(wavelength_grid(pixels), spectra(4, pixels))  # caches
    rows = []
    for count in (ctx.sizes.spectra, ctx.sizes.big_spectra):
        rows += _analysis_rows(count, pixels, ctx.repeat)
    return rows


# --- figures ------------------------------------------------------------------------


def _chart_seconds(build, repeat: int) -> tuple[float, int]:
    """Best time of building a chart and serialising it (what a page sends)."""
    from core.figures.theme import chart_spec

    seconds, spec = best_of(lambda: chart_spec(build()), repeat)
    values = sum(len(d.get("values", [])) for d in _datasets(spec))
    return seconds, values


def _datasets(spec) -> list[dict]:
    found = [{"values": v} for v in spec.get("datasets", {}).values()]
    return found or [spec.get("data", {})]


def _demo_figures(repeat: int) -> list[Row]:
    """Every report recipe the demo devices have data for (they hold no
    photophysics: those recipes are left out)."""
    from core.demo import demo_devices
    from core.errors import InputError
    from core.report.analysis import analyse_device
    from core.report.recipes import RECIPES, build_figure
    from core.report.settings import ReportSettings

    settings = ReportSettings()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        analyses = [analyse_device(d, settings) for d in demo_devices()]
    first = analyses[0].device.name
    rows = []
    for key in RECIPES:
        params = (
            {"device": first}
            if key in ("stability_spectra", "literature_eqe_vs_peak")
            else {}
        )
        try:
            build_figure(key, analyses, settings, params)
        except InputError:  # no such data in the demo
            continue
        seconds, values = _chart_seconds(
            lambda k=key, p=params: build_figure(k, analyses, settings, p).chart, repeat
        )
        rows.append(Row("figures", f"demo: {key} ({values} values)", seconds))
    return rows


def _series_figures(count: int, pixels: int, repeat: int) -> list[Row]:
    import altair as alt
    import pandas as pd

    from core.figures import cie as cie_figures
    from core.figures import spectra as spectra_figures
    from core.figures.theme import chart_spec
    from core.stability import series_stability

    series = _series(count, pixels)
    result = series_stability(series)
    metrics = result.metrics.assign(device="synthetic")
    builders = {
        "overlay": lambda: spectra_figures.overlay_chart(
            spectra_figures.overlay_frame(series), series.axis_label
        ),
        "heatmap": lambda: spectra_figures.heatmap_chart(
            spectra_figures.heatmap_frame(series), series.axis_label
        ),
        "difference": lambda: spectra_figures.difference_chart(series, result),
        "peak shift": lambda: spectra_figures.metric_chart(
            metrics, "delta_peak_nm", "peak shift", series.axis_label, threshold=1.0
        ),
        "cie": lambda: cie_figures.cie_chart(
            metrics[["device", "axis", "cie_x", "cie_y"]], zoom="data"
        ),
    }
    rows = []
    for name, build in builders.items():
        seconds, values = _chart_seconds(build, repeat)
        rows.append(
            Row("figures", f"{count} spectra: {name} ({values} values)", seconds)
        )
    frame = pd.DataFrame({"x": np.arange(count, dtype=float), "y": 0.0, "device": "a"})
    bare, _ = best_of(
        lambda: chart_spec(alt.Chart(frame).mark_line().encode(x="x:Q", y="y:Q")),
        repeat,
    )
    rows.append(Row("figures", f"  bare altair line chart, {count} points", bare))
    return rows


def figures(ctx: Context) -> list[Row]:
    """Every report recipe on the demo; the stability charts on long series."""
    rows = _demo_figures(ctx.repeat)
    for count in (ctx.sizes.spectra, ctx.sizes.big_spectra):
        rows += _series_figures(count, ctx.sizes.pixels, ctx.repeat)
    return rows


# --- the page -------------------------------------------------------------------------


def page(ctx: Context) -> list[Row]:
    """One session of the Spectral stability page with the wide file uploaded."""
    path = ctx.files["wide"]
    probe = page_probe.probe(path, ctx.scratch, in_process=ctx.in_process)
    if probe["errors"]:
        raise RuntimeError(f"the page showed errors: {probe['errors']}")
    size = probe["bytes"]
    trivial = "one-line page (`st.write`) via AppTest"

    def per_byte(key: str) -> float:
        return (probe[key] - probe["rss_before"]) / size

    return [
        Row(
            "page",
            f"upload {_mb(path)}: first run",
            probe["first_run_s"],
            "s",
            trivial,
            probe["trivial_page_s"],
        ),
        Row(
            "page",
            "rerun after a widget change",
            probe["rerun_s"],
            "s",
            trivial,
            probe["trivial_page_s"],
        ),
        *(
            Row("page", f"  {what}: the page's script run (server time)", seconds)
            for what, seconds in (
                ("first run", probe.get("first_run_script_s")),
                ("rerun", probe.get("rerun_script_s")),
            )
            if seconds is not None
        ),
        Row("page", "RSS peak of the session", per_byte("rss_peak"), "B/B"),
        Row("page", "RSS after the session ends", per_byte("rss_after_session"), "B/B"),
        Row(
            "page",
            "  and released by the app (ui.memory, within 60 s)",
            per_byte("rss_after_session_end"),
            "B/B",
        ),
        Row(
            "page",
            "  and the caches cleared",
            per_byte("rss_after_cache_clear"),
            "B/B",
        ),
        Row("page", "  and malloc_trim", per_byte("rss_after_trim"), "B/B"),
    ]
