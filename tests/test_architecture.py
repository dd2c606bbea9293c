"""Project invariants a reviewer checks first."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

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


def test_app_lists_every_page_with_st_navigation():
    # Decision: app.py calls st.navigation, so the sidebar says "Home" (not
    # "app"). That turns the pages/ convention off for every session: each file
    # in pages/ must be listed, without a url_path of its own (the URLs stay
    # the ones inferred from the file names, /Spectral_stability, ...).
    tree = ast.parse((ROOT / "app.py").read_text(encoding="utf-8"))
    calls = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == "st"
    ]
    assert [c.func.attr for c in calls].count("navigation") == 1
    pages = [c for c in calls if c.func.attr == "Page"]
    listed = [
        c.args[0].value
        for c in pages
        if isinstance(c.args[0], ast.Constant) and isinstance(c.args[0].value, str)
    ]
    on_disk = [f"pages/{p.name}" for p in sorted((ROOT / "pages").glob("*.py"))]
    assert listed == on_disk
    assert len(pages) == len(on_disk) + 1  # and Home, a function in app.py
    assert not [c for c in pages if any(k.arg == "url_path" for k in c.keywords)]
    for path in sorted((ROOT / "pages").glob("*.py")):
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
        pytest.skip(f"real instrument files not available at {shared}")
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


def runtime_nodes(tree: ast.AST):
    """Every node of a module except those under ``if TYPE_CHECKING:``
    (imports for type hints only, never executed)."""
    pending = [tree]
    while pending:
        node = pending.pop()
        yield node
        for child in ast.iter_child_nodes(node):
            test = getattr(child, "test", None)
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(test):
                pending.extend(child.orelse)
                continue
            pending.append(child)


def core_import_graph() -> dict[str, set[str]]:
    """Module -> the core modules it imports (at the top or inside functions)."""
    modules = {}
    for path in (ROOT / "core").rglob("*.py"):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        modules[".".join(parts)] = path
    graph = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        edges = set()
        for node in runtime_nodes(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                edges.update(a.name for a in node.names if a.name in modules)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parent = package.split(".")[
                        : len(package.split(".")) - node.level + 1
                    ]
                    base = ".".join([*parent, base] if base else parent)
                for alias in node.names:
                    # "from core import literature" imports the module core.literature
                    target = f"{base}.{alias.name}"
                    edges.add(target if target in modules else base)
        graph[name] = {edge for edge in edges if edge in modules and edge != name}
    return graph


def import_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every cycle's modules (strongly connected components of 2 or more)."""
    index, low, stack, cycles = {}, {}, [], []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return cycles


def test_the_cycle_finder_finds_a_cycle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert import_cycles(graph) == [["a", "b", "c"]]
    assert import_cycles({"a": {"b"}, "b": set()}) == []


def test_the_import_graph_sees_function_level_and_package_imports():
    graph = core_import_graph()
    assert "core.stability" in graph["core.cli.spectra"]  # imported inside run()
    assert "core.literature" in graph["core.figures.literature"]  # from core import


def test_no_import_cycles_in_core():
    assert import_cycles(core_import_graph()) == []
