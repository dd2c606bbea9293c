"""Tests for the core.literature package: its public names and bundled files."""

from __future__ import annotations

import importlib
import pkgutil

from literature_support import ROOT, SCHEMA_PATH, TABLE_PATH

from core import literature

SUBMODULES = [
    importlib.import_module(f"core.literature.{info.name}")
    for info in pkgutil.iter_modules(literature.__path__)
]


def test_every_public_name_of_every_module_is_importable_from_the_package():
    assert {module.__name__.rpartition(".")[2] for module in SUBMODULES} == {
        "citation",
        "counts",
        "crossref",
        "lab_rows",
        "normalise",
        "paths",
        "precision",
        "ranking",
        "schema",
        "si_cells",
        "si_export",
        "si_select",
        "si_table",
        "table",
        "user_rows",
    }
    for module in SUBMODULES:
        for name in module.__all__:
            assert name in literature.__all__, (module.__name__, name)
            assert getattr(literature, name) is getattr(module, name), name
    for name in literature.__all__:
        assert hasattr(literature, name), name


def test_default_paths_are_the_repository_literature_folder():
    assert literature.DEFAULT_TABLE_PATH == TABLE_PATH
    assert literature.DEFAULT_SCHEMA_PATH == SCHEMA_PATH
    assert TABLE_PATH.is_file() and SCHEMA_PATH.is_file()


def test_core_literature_does_not_import_streamlit():
    sources = sorted((ROOT / "core" / "literature").glob("*.py"))
    assert len(sources) == len(SUBMODULES) + 1  # the modules and __init__.py
    for path in sources:
        assert "streamlit" not in path.read_text(encoding="utf-8"), path.name
