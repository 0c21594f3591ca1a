"""The layering rules of the codebase, checked on the source: which layer may import what, and plain-text rendering."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED_UTILITIES = {"services/__init__.py"}


def _python(folder: str) -> list[Path]:
    return sorted((ROOT / folder).rglob("*.py"))


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def _imports_package(path: Path, package: str) -> bool:
    return any(name == package or name.startswith(package + ".") for name in _imports(path))


@pytest.mark.parametrize("folder", ["views", "components"])
def test_pages_and_components_do_not_touch_the_database(folder):
    offenders = [p.relative_to(ROOT).as_posix() for p in _python(folder) if _imports_package(p, "db")]
    assert offenders == []


def test_storage_depends_on_no_service():
    offenders = [p.relative_to(ROOT).as_posix() for p in _python("db") if _imports_package(p, "services")]
    assert offenders == []


def test_services_never_import_streamlit():
    offenders = [p.relative_to(ROOT).as_posix() for p in _python("services") if _imports_package(p, "streamlit")]
    assert offenders == []


def test_every_service_module_is_in_a_feature_package():
    loose = [p.relative_to(ROOT).as_posix() for p in (ROOT / "services").glob("*.py")]
    assert sorted(loose) == sorted(SHARED_UTILITIES)


def test_no_page_opens_a_transaction():
    offenders = [p.relative_to(ROOT).as_posix() for p in _python("views")
                 if "read_session" in p.read_text(encoding="utf-8") or "write_session" in p.read_text(encoding="utf-8")]
    assert offenders == []


def _calls(path: Path, attribute: str) -> list[int]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [node.lineno for node in ast.walk(tree) if isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute) and node.func.attr == attribute
            and isinstance(node.func.value, ast.Name) and node.func.value.id == "st"]


def test_no_table_renders_markdown_in_its_cells():
    # st.table parses Markdown in every cell: imported or typed text would become links, images, colours.
    offenders = {p.relative_to(ROOT).as_posix(): lines for p in _python("views") + _python("components")
                 if (lines := _calls(p, "table")) and p.name != "plain.py"}  # plain.table escapes every cell
    assert offenders == {}


def test_magic_is_off():
    config = (ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8")
    assert "magicEnabled = false" in config
