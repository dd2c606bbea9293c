"""
Results as JSON: numpy and pandas values become JSON types.

The one converter the command line (:mod:`core.cli`) and the figure
provenance sidecars (:mod:`core.figures.provenance`) share: NaN and ±inf
become ``null`` (the JSON contract in docs/architecture.md says why a value is
missing in a sibling ``warnings`` list), numpy scalars and arrays become
Python numbers and lists, anything else its ``str``.
"""

from __future__ import annotations

import math

import numpy as np
import orjson

__all__ = ["dump_json", "json_ready"]


def json_ready(value):
    """
    A copy of ``value`` made of JSON types only.

    Parameters
    ----------
    value : any
        Nested dicts, lists and tuples of numbers, strings, numpy and pandas
        values.

    Returns
    -------
    dict, list, str, int, float, bool or None
        Dict keys become strings; NaN, ±inf and pandas' missing values become
        None; numpy arrays become lists; unknown objects their ``str``.
    """
    kind = type(value)  # the plain types first: a CLI answer holds ~10⁵ values
    if kind is float:
        return value if math.isfinite(value) else None
    if kind is str or kind is bool or kind is int or value is None:
        return value
    if isinstance(value, dict):
        return {str(k): json_ready(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_ready(v) for v in value]
    if isinstance(value, np.ndarray):
        return [json_ready(v) for v in value.tolist()]
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        value = float(value)
        return value if math.isfinite(value) else None
    if value is None or isinstance(value, str):
        return value
    try:  # pandas NA, Timestamp...
        import pandas as pd

        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return str(value)


def dump_json(payload) -> str:
    """
    ``payload`` as indented JSON (2 spaces, non-ASCII kept as is), via
    :func:`json_ready`.

    orjson writes it: the standard library indents with its pure-Python
    encoder (0.5 s for a 3600-spectrum answer, orjson ~0.02 s). The layout is
    ``json.dumps(indent=2, ensure_ascii=False)``'s; floats are spelled the
    shortest way that reads back exactly (``0.00001`` where ``json`` writes
    ``1e-05``: the same number).
    """
    return orjson.dumps(json_ready(payload), option=orjson.OPT_INDENT_2).decode()
