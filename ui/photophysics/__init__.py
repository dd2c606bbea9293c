"""
Page-side helpers of the Photophysics page.

A measurement is a :class:`core.models.PhotophysicsInput` (files + settings);
:mod:`~ui.photophysics.inputs` builds them from uploads and the demo,
:mod:`~ui.photophysics.results` analyses them (cached, with
:func:`core.photophysics.runs.analyse_input`, the path of the report and the
device library) and shows the numbers, cards, provenance and the attach control.
"""

from ui.photophysics.inputs import (
    SAMPLES_KEY,
    absorption_inputs,
    demo_records,
    load_demo_samples,
    page_samples,
    plqy_inputs,
    tdpl_inputs,
    trpl_inputs,
)
from ui.photophysics.results import (
    analysed,
    attach_controls,
    color_scale,
    component_hint,
    messages,
    numbers_table,
    pm_text,
    provenance,
    result_cards,
    result_table,
    results_section,
    show_stacked,
    urbach_window,
)

__all__ = [
    "SAMPLES_KEY",
    "absorption_inputs",
    "analysed",
    "attach_controls",
    "color_scale",
    "component_hint",
    "demo_records",
    "load_demo_samples",
    "messages",
    "numbers_table",
    "page_samples",
    "plqy_inputs",
    "pm_text",
    "provenance",
    "result_cards",
    "result_table",
    "results_section",
    "show_stacked",
    "tdpl_inputs",
    "trpl_inputs",
    "urbach_window",
]
