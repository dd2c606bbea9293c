"""
What a rerun would otherwise serialise again: screen charts and shown tables.

A widget that does not touch a chart still rebuilds it (pages are scripts),
and turning an Altair chart into the Vega-Lite the browser gets validates it
against the whole schema and copies its data row by row: ~3 s per chart of a
10-hour series (issue 16). Here a chart is keyed on a cheap fingerprint, its
spec with every data frame replaced by a BLAKE2 digest of the frame
(:func:`chart_fingerprint`, no validation, no rows copied), and what is
derived from it (legend entries, axis kinds, the spec sent with its data as
Arrow) is kept in one bounded store (:data:`STORE`): a rerun with the same
chart sends the same bytes without serialising it again. Tables are kept the
same way on a digest of the frame (:func:`frame_digest`).

The store holds at most :data:`MAX_BYTES` (oldest out first) and is emptied
with the series caches when the last session ends (:mod:`ui.memory`).
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

import pandas as pd

__all__ = [
    "MAX_BYTES",
    "STORE",
    "Store",
    "frame_digest",
    "chart_fingerprint",
    "built",
    "LARGE_ROWS",
    "key_of",
    "base_spec",
    "drop_base",
    "by_identity",
    "bytes_digest",
    "clear",
    "upload_bytes",
]

#: Bytes the store may hold (a 10-hour series' page: ~15 MB of chart data).
MAX_BYTES = 64 * 2**20


def _size(value: Any) -> int:
    """Rough bytes of a stored value (Arrow buffers and frames dominate)."""
    if isinstance(value, bytes | bytearray):
        return len(value)
    if isinstance(value, pd.DataFrame):
        return int(value.memory_usage(index=True, deep=False).sum())
    if isinstance(value, dict):
        return 64 + sum(_size(v) for v in value.values())
    if isinstance(value, list | tuple):
        return 64 + sum(_size(v) for v in value)
    return 64


class Store:
    """A thread-safe least-recently-used map bounded by bytes, with counts."""

    def __init__(self, max_bytes: int = MAX_BYTES) -> None:
        self.max_bytes = max_bytes
        self._items: OrderedDict[Hashable, tuple[Any, int]] = OrderedDict()
        self._lock = threading.Lock()
        self.bytes = 0
        self.builds = 0

    def __len__(self) -> int:
        return len(self._items)

    def get(self, key: Hashable, build: Callable[[], Any]) -> Any:
        """The value under ``key``; ``build()`` it (and keep it) if absent."""
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key][0]
        value = build()
        size = _size(value)
        with self._lock:
            self.builds += 1
            if key not in self._items:
                self._items[key] = (value, size)
                self.bytes += size
            while self.bytes > self.max_bytes and len(self._items) > 1:
                _, (_, dropped) = self._items.popitem(last=False)
                self.bytes -= dropped
        return value

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self.bytes = 0


#: The process's store of screen charts and shown tables.
STORE = Store()


def frame_digest(frame: pd.DataFrame) -> str:
    """BLAKE2b of a frame's values, index, column names and dtypes."""
    digest = hashlib.blake2b(digest_size=20)
    digest.update(repr([*frame.columns, *frame.dtypes, frame.index.names]).encode())
    try:
        hashed = pd.util.hash_pandas_object(frame, index=True).to_numpy()
        digest.update(hashed.tobytes())
    except TypeError:  # unhashable cells (lists...): their text
        digest.update(frame.to_json(orient="split", default_handler=str).encode())
    return digest.hexdigest()


#: Objects remembered by identity (the newest last), and their bytes at most.
IDENTITY_ENTRIES = 16
IDENTITY_BYTES = 256 * 2**20
_BY_IDENTITY: OrderedDict[int, tuple[object, dict]] = OrderedDict()
_UPLOADS: OrderedDict[tuple, bytes] = OrderedDict()
_IDENTITY_LOCK = threading.Lock()


def _held(entries) -> int:
    return sum(len(v) if isinstance(v, bytes) else 0 for v in entries)


def _bound(memo: OrderedDict, objects) -> None:
    while len(memo) > IDENTITY_ENTRIES or (
        len(memo) > 1 and _held(objects(memo)) > IDENTITY_BYTES
    ):
        memo.popitem(last=False)


def upload_bytes(upload) -> bytes:
    """
    The bytes of an uploaded file, one object per upload (its ``file_id``)
    on every rerun, so that what is remembered by identity
    (:func:`by_identity`, :func:`bytes_digest`) is found again; a Streamlit
    server hands the same object anyway, AppTest a copy per run.
    """
    data = upload.getvalue()
    file_id = getattr(upload, "file_id", None)
    if not file_id:
        return data
    key = (file_id, upload.name, len(data))
    with _IDENTITY_LOCK:
        data = _UPLOADS.setdefault(key, data)
        _UPLOADS.move_to_end(key)
        _bound(_UPLOADS, lambda memo: memo.values())
    return data


def by_identity(obj, what: str, build: Callable[[], Any]) -> Any:
    """
    ``build()`` remembered for this very object (an uploaded file's bytes are
    the same object on every rerun): the object is held with the result,
    so its id cannot be reused while remembered; the last
    :data:`IDENTITY_ENTRIES` objects are kept, bytes up to
    :data:`IDENTITY_BYTES` (emptied by :func:`clear`).
    """
    with _IDENTITY_LOCK:
        entry = _BY_IDENTITY.get(id(obj))
        if entry is not None and entry[0] is obj and what in entry[1]:
            _BY_IDENTITY.move_to_end(id(obj))
            return entry[1][what]
    value = build()
    with _IDENTITY_LOCK:
        entry = _BY_IDENTITY.get(id(obj))
        if entry is None or entry[0] is not obj:
            entry = (obj, {})
            _BY_IDENTITY[id(obj)] = entry
        entry[1][what] = value
        _bound(_BY_IDENTITY, lambda memo: (held for held, _ in memo.values()))
    return value


def bytes_digest(data: bytes) -> str:
    """
    BLAKE2b of bytes, once per bytes object: the ``hash_funcs`` of caches
    keyed on uploaded files (Streamlit would hash 30 MB on every rerun).
    """
    return by_identity(
        data, "blake2b", lambda: hashlib.blake2b(data, digest_size=20).hexdigest()
    )


def clear() -> None:
    """Empty :data:`STORE` and the identity memos."""
    STORE.clear()
    with _IDENTITY_LOCK:
        _BY_IDENTITY.clear()
        _UPLOADS.clear()


def _digest_transformer(data):
    if isinstance(data, pd.DataFrame):
        return {"name": "frame-" + frame_digest(data)}
    return {"values": data}


def _altair_lock():
    """Streamlit's lock around Altair's global transformer (ours if absent)."""
    try:
        from streamlit.elements.vega_charts import _altair_globals_lock

        return _altair_globals_lock
    except ImportError:  # pragma: no cover - other Streamlit versions
        return _LOCK


_LOCK = threading.RLock()


def chart_fingerprint(chart) -> str:
    """
    A digest of everything an Altair chart draws: its spec (not validated)
    with each data frame replaced by :func:`frame_digest`. Two charts with
    the same fingerprint give the same Vega-Lite.
    """
    import altair as alt

    alt.data_transformers.register("peled_digest", _digest_transformer)
    with _altair_lock(), alt.data_transformers.enable("peled_digest"):
        spec = chart.to_dict(validate=False)
    text = json.dumps(spec, sort_keys=True, default=repr)
    return hashlib.blake2b(text.encode(), digest_size=20).hexdigest()


def key_of(*parts) -> str:
    """A digest of plain values (names, settings, digests; JSON, keys sorted)."""
    text = json.dumps(parts, sort_keys=True, default=repr)
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def built(key: tuple, build: Callable[[], Any]) -> Any:
    """
    ``build()`` made once per ``key`` and kept in :data:`STORE`: a page's
    frame and chart, keyed on the page's name for it and everything it is
    made from (:func:`key_of` of the series' digests and the settings). A
    widget that does not touch a chart then neither rebuilds it nor
    fingerprints it again (:func:`chart_fingerprint` is remembered for the
    chart object).
    """
    return STORE.get(("built", *key), build)


_LAST = threading.local()


def base_spec(chart, fingerprint: str, take: bool = False) -> dict:
    """
    ``chart.to_dict()`` (data inline), made once for the chart drawn last in
    this thread: its legend entries and then its screen spec both come from
    it. ``take``: hand it over (the caller may change it). Not validated
    against the Vega-Lite schema: the same dict, without the ~0.1 s per
    chart that costs (the builders' tests and every export validate).
    """
    last = getattr(_LAST, "spec", None)
    if last is None or last[0] != fingerprint:
        last = (fingerprint, _spec_keeping_frames(chart))
    _LAST.spec = None if take else last
    return last[1]


#: Frames of at least this many rows stay frames in :func:`base_spec`.
LARGE_ROWS = 2000


def _spec_keeping_frames(chart) -> dict:
    """
    ``chart.to_dict(validate=False)`` with its data inline, except data frames
    of :data:`LARGE_ROWS` rows or more: those stay DataFrames in
    ``datasets`` (named by :func:`frame_digest`), as ``st.altair_chart``
    keeps them, and go to Arrow straight from the frame. A 30 000-row
    heatmap took 150 ms as a list of dicts (and Altair's name for it, an MD5
    of every row as JSON).
    """
    import altair as alt
    from altair.vegalite.data import default_data_transformer

    kept: dict[str, pd.DataFrame] = {}

    def keep_large(data):
        if isinstance(data, pd.DataFrame) and len(data) >= LARGE_ROWS:
            name = "frame-" + frame_digest(data)
            kept[name] = data
            return {"name": name}
        return default_data_transformer(data, max_rows=None)

    with _altair_lock():
        alt.data_transformers.register("peled_keep_frames", keep_large)
        with alt.data_transformers.enable("peled_keep_frames"):
            spec = chart.to_dict(validate=False)
    if kept:
        spec.setdefault("datasets", {}).update(kept)
    return spec


def drop_base() -> None:
    """Forget this thread's :func:`base_spec` (its chart is drawn)."""
    _LAST.spec = None
