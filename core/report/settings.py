"""
What a report is made of: its settings and the records of its parts.

:class:`ReportSettings` holds every choice that shapes the numbers and the
figures; :class:`DeviceAnalysis` the analyses of one device;
:class:`Report` the sections with their figures (:class:`ReportFigure`) and
tables (:class:`ReportTable`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from core.constants import DEFAULT_ACCELERATION_N, DEFAULT_REFERENCE_LUMINANCE_CD_M2
from core.errors import InputError
from core.figures.colors import is_color
from core.figures.theme import PRESETS
from core.models import Device, LifetimeLog, SpectralSeries

if TYPE_CHECKING:
    from core.efficiency import EfficiencyResult
    from core.lifetime import LifetimeResult
    from core.stability import StabilityResult

__all__ = [
    "SECTIONS",
    "FILE_ROLES",
    "MAX_LITERATURE_CHARTS",
    "ReportSettings",
    "DEFAULT_SETTINGS",
    "DeviceAnalysis",
    "ReportFigure",
    "ReportTable",
    "ReportSection",
    "Report",
]

SECTIONS = {
    "devices": "Devices side by side",
    "stability": "Spectral stability",
    "efficiency": "Efficiency",
    "lifetime": "Operational lifetime",
    "literature": "Literature position",
}
#: What an input file can be read as.
FILE_ROLES = ("spectra", "jvl", "lifetime", "auto")
#: At most this many devices get a literature chart each.
MAX_LITERATURE_CHARTS = 4


@dataclass(frozen=True)
class ReportSettings:
    """
    Every choice that shapes the report's numbers and figures.

    Attributes
    ----------
    preset : str
        Figure size, a key of :data:`core.figures.theme.PRESETS`.
    ppi : int
        PNG resolution. [dpi]
    reference_device : str
        Device the differences are taken from ("" = the first device).
    series : {"time", "bias"}
        Which spectral series the stability section uses first.
    threshold_nm, window_k, baseline, white_point
        As in :func:`core.stability.series_stability`. [nm], [-]
    turn_on_luminance_cd_m2 : float
        Turn-on threshold for :func:`core.efficiency.efficiency_metrics`.
        [cd/m²]
    reference_luminance_cd_m2, acceleration_n, decay_model
        As in :func:`core.lifetime.lifetime_metrics`. [cd/m²], [-]
    colors : tuple of (str, str)
        Device -> ``#RRGGBB``: the app's session colours, so that a device
        has the same colour in the report as on the pages (a mapping is
        accepted). Devices not listed get the first free colour
        (:func:`core.figures.colors.assign_colors`); empty: by device order.
    """

    preset: str = "acs-single"
    ppi: int = 300
    reference_device: str = ""
    series: str = "time"
    threshold_nm: float = 1.0
    window_k: float = 2.0
    baseline: str = "edges"
    white_point: str = "E"
    turn_on_luminance_cd_m2: float = 1.0
    reference_luminance_cd_m2: float = DEFAULT_REFERENCE_LUMINANCE_CD_M2
    acceleration_n: float = DEFAULT_ACCELERATION_N
    decay_model: str = "stretched-exponential"
    colors: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        pairs = self.colors.items() if isinstance(self.colors, Mapping) else self.colors
        colors = tuple((str(name), str(color).upper()) for name, color in pairs)
        for name, color in colors:
            if not is_color(color):
                raise InputError(
                    f"Report colours: the colour of '{name}' must be #RRGGBB, "
                    f"found {color!r}."
                )
        object.__setattr__(self, "colors", colors)
        if self.preset not in PRESETS:
            raise InputError(
                f"Unknown figure preset '{self.preset}': expected one of "
                f"{', '.join(PRESETS)}."
            )
        if self.series not in ("time", "bias"):
            raise InputError(
                f"Spectral series must be 'time' or 'bias', found '{self.series}'."
            )
        if not (isinstance(self.ppi, (int, np.integer)) and 50 <= self.ppi <= 2400):
            raise InputError(
                f"PNG resolution must be a whole number of dpi between 50 and "
                f"2400, found {self.ppi!r}."
            )

    def to_dict(self) -> dict:
        """Plain dict; ``colors`` as an object, left out when empty."""
        out = asdict(self)
        out["colors"] = dict(self.colors)
        if not out["colors"]:
            del out["colors"]
        return out


#: The settings a report uses when none are given.
DEFAULT_SETTINGS = ReportSettings()


@dataclass(frozen=True)
class DeviceAnalysis:
    """
    The analyses of one device, each computed once with the report's settings.

    Attributes
    ----------
    device : Device
    series : SpectralSeries or None
        The spectral series ``stability`` describes.
    stability, efficiency : StabilityResult, EfficiencyResult or None
        None when the device has no such data or the analysis failed.
    lifetime : tuple of (LifetimeLog, LifetimeResult)
        Every lifetime test that could be analysed.
    lifetime_main : LifetimeResult or None
        The test whose L0 is closest to the reference luminance.
    rank : pandas.DataFrame or None
        :func:`core.literature.rank_device` of ``summary``.
    summary : dict or None
        :func:`core.summary.device_summary` of these results.
    errors : dict
        Section key -> why it could not be computed.
    """

    device: Device
    series: SpectralSeries | None = None
    stability: StabilityResult | None = None
    efficiency: EfficiencyResult | None = None
    lifetime: tuple[tuple[LifetimeLog, LifetimeResult], ...] = ()
    lifetime_main: LifetimeResult | None = None
    rank: pd.DataFrame | None = None
    summary: dict | None = None
    errors: dict = field(default_factory=dict)


@dataclass(frozen=True)
class ReportFigure:
    """
    One figure of the report.

    ``chart`` is themed with the report's preset, ``source_chart`` is the
    builder's un-themed chart (for other presets), ``svg`` the rendered
    figure once :func:`render_report` (or ``build_report(render=True)``) ran.
    """

    key: str
    title: str
    caption: str
    chart: object
    data: pd.DataFrame | None
    builder: str
    recipe: dict
    svg: str = ""
    source_chart: object = None


@dataclass(frozen=True)
class ReportTable:
    """One table with its file name and caption."""

    key: str
    title: str
    frame: pd.DataFrame
    caption: str = ""


@dataclass(frozen=True)
class ReportSection:
    """
    One section; ``status`` is ``"ok"``, ``"missing"`` (no data) or
    ``"error"`` (the analysis failed), with ``message`` saying why.
    """

    key: str
    title: str
    status: str
    message: str = ""
    figures: tuple[ReportFigure, ...] = ()
    tables: tuple[ReportTable, ...] = ()
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Report:
    """Everything a report file shows, rendered once."""

    title: str
    created_utc: str
    version: str
    settings: ReportSettings
    device_names: tuple[str, ...]
    synthetic: tuple[str, ...]
    sections: tuple[ReportSection, ...]
    inputs: tuple[dict, ...]
    groups: tuple[dict, ...] = ()
    reader_options: dict = field(default_factory=dict)
    warnings: tuple[str, ...] = ()

    def section(self, key: str) -> ReportSection:
        for section in self.sections:
            if section.key == key:
                return section
        raise KeyError(key)

    @property
    def figures(self) -> list[ReportFigure]:
        return [figure for section in self.sections for figure in section.figures]

    @property
    def tables(self) -> list[ReportTable]:
        return [table for section in self.sections for table in section.tables]

    def figure_provenance(self, figure: ReportFigure) -> dict:
        """What a page records beside a figure: builder, inputs and settings."""
        return {
            "builder": figure.builder,
            "inputs": list(self.inputs),
            "settings": self.settings.to_dict() | dict(figure.recipe),
        }


# --------------------------------------------------------------------------
# Reading files into devices (the CLI and rebuilds)
# --------------------------------------------------------------------------
