"""
A user's own devices, uploaded as a CSV with the table's columns, appended to it.
"""

from __future__ import annotations

import pandas as pd

from core.errors import InputError
from core.literature.schema import _blank, load_schema, validate_table
from core.literature.table import read_csv_rows

__all__ = ["fill_defaults", "merge_user_rows", "relaxed_schema"]

_MAX_USER_BYTES = 5_000_000


def _user_text(user_bytes: bytes, name: str) -> str:
    """The uploaded bytes as text: not too large, not binary, UTF-8."""
    if len(user_bytes) > _MAX_USER_BYTES:
        raise InputError(
            f"{name} is {len(user_bytes) / 1e6:.1f} MB; a literature table is "
            f"expected to be under {_MAX_USER_BYTES / 1e6:.0f} MB.",
            source=name,
        )
    if b"\x00" in user_bytes[:4096]:
        raise InputError(
            f"{name} looks like a binary file; expected a CSV text table.",
            source=name,
        )
    try:
        return user_bytes.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(
            f"{name} is not UTF-8 text (byte {error.start}); save the table as "
            "CSV UTF-8.",
            source=name,
        ) from None


def _user_defaults(name: str) -> dict[str, str]:
    """The required columns a user's row gets when the user leaves them blank."""
    return {
        "device_role": "other",
        "emitter_class": "other",
        "lead_free": "false",
        "rankable": "false",
        "source_location": "user upload",
        "verified_from": f"user file {name}",
    }


def fill_defaults(frame: pd.DataFrame, defaults: dict[str, str]) -> pd.DataFrame:
    """A copy of ``frame`` (cells as text) with blank or absent columns of
    ``defaults`` set to their default."""
    frame = frame.copy()
    for column, default in defaults.items():
        if column not in frame.columns:
            frame[column] = default
        else:
            frame[column] = [default if _blank(v) else v for v in frame[column]]
    return frame


def relaxed_schema(schema: pd.DataFrame, required: set[str]) -> pd.DataFrame:
    """The codebook with only the columns in ``required`` required (a user's
    own, perhaps unpublished, device needs no citation)."""
    return schema.assign(
        required=schema["required"].where(schema["column"].isin(required), "false")
    )


def _check_no_clash(
    user: pd.DataFrame, table: pd.DataFrame, lines: list[int], name: str
) -> None:
    """No user record id is one of the curated table's."""
    clashes = sorted(set(user["record_id"]) & set(table["record_id"]))
    if clashes:
        position = list(user["record_id"]).index(clashes[0])
        raise InputError(
            f"{name}, line {lines[position]}, record {clashes[0]!r}: column "
            "'record_id' must differ from the curated table's ids, but it is "
            "already used there; rename it (e.g. add '-mine').",
            source=name,
            line=lines[position],
            column="record_id",
        )


def merge_user_rows(
    table: pd.DataFrame,
    user_bytes: bytes,
    name: str,
    schema: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """
    Append a user's own devices (a CSV with the table's columns) to the table.

    Columns the user leaves out are blank, except the required ones, which
    get user defaults: ``device_role = other``, ``emitter_class = other``,
    ``lead_free = false``, ``rankable = false``, ``source_location = user
    upload`` and ``verified_from = user file <name>``. The result is
    validated like the curated table, except that a user's own (unpublished)
    device needs no citation: only ``record_id`` and the defaulted columns
    stay required.

    Parameters
    ----------
    table : pandas.DataFrame
        Typed literature table (from :func:`load_table`).
    user_bytes : bytes
        Content of the uploaded CSV (UTF-8).
    name : str
        File name, for messages and ``verified_from``.
    schema : pandas.DataFrame, optional
        Codebook; the bundled one by default.

    Returns
    -------
    pandas.DataFrame
        A new frame: the table's rows (``origin = "curated"``) followed by the
        user's rows (``origin = "user"``).

    Raises
    ------
    InputError
        Not UTF-8 text, too large, not a CSV, a row breaking the codebook
        (naming record, line and column), or a record id already used.
    """
    schema = load_schema() if schema is None else schema
    frame, lines = read_csv_rows(_user_text(user_bytes, name), name)
    defaults = _user_defaults(name)
    frame = fill_defaults(frame, defaults)
    user_schema = relaxed_schema(schema, {"record_id", *defaults})
    user = validate_table(frame, user_schema, source=name, line_numbers=lines)
    _check_no_clash(user, table, lines, name)
    user["origin"] = "user"
    curated = table.copy()
    if "origin" not in curated.columns:
        curated["origin"] = "curated"
    return pd.concat([curated, user], ignore_index=True)
