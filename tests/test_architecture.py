"""Project invariants a reviewer checks first."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_core_never_imports_streamlit():
    offenders = [
        str(p.relative_to(ROOT))
        for p in (ROOT / "core").rglob("*.py")
        if "streamlit" in imported_modules(p)
    ]
    assert offenders == []


def test_core_never_imports_the_ui_package():
    offenders = [
        str(p.relative_to(ROOT))
        for p in (ROOT / "core").rglob("*.py")
        if "ui" in imported_modules(p)
    ]
    assert offenders == []


def test_pages_never_call_st_navigation():
    # st.navigation disables the pages/ convention for every session.
    for path in [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py"))]:
        assert "st.navigation" not in path.read_text(encoding="utf-8"), path.name


def test_no_unsafe_evaluation_of_uploaded_content():
    forbidden = ("pickle.load", "eval(", "exec(", "unsafe_allow_html=True")
    for folder in ("core", "pages", "ui"):
        for path in (ROOT / folder).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            for needle in forbidden:
                assert needle not in text, f"{path.relative_to(ROOT)}: {needle}"
    assert (ROOT / "app.py").read_text().count("unsafe_allow_html=True") == 0


def test_realdata_is_not_copied_into_the_project():
    shared = ROOT.parent / "shared" / "realdata"
    if not shared.is_dir():
        return
    sizes = {p.stat().st_size: p for p in shared.iterdir() if p.suffix != ".md"}
    for path in ROOT.rglob("*"):
        if ".venv" in path.parts or not path.is_file():
            continue
        twin = sizes.get(path.stat().st_size)
        if twin is not None:
            assert path.read_bytes() != twin.read_bytes(), f"{path} copies {twin.name}"


def test_every_download_button_skips_the_rerun():
    # A download button that reruns the page invalidates the deferred files of
    # the other buttons: a quick second click then downloads nothing.
    for path in [*sorted((ROOT / "pages").glob("*.py")), *(ROOT / "ui").glob("*.py")]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "download_button"
            ):
                keywords = {k.arg: k.value for k in node.keywords}
                on_click = keywords.get("on_click")
                assert isinstance(on_click, ast.Constant), (path.name, node.lineno)
                assert on_click.value == "ignore", (path.name, node.lineno)
