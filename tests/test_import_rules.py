"""The layers' import rules as a test (the developers' brief): imports flow
api -> permissions -> marac and web -> permissions -> marac, never back, and never
api <-> web. An AST walk of every module of each package, as
tests/api/test_no_permission_check_in_views.py walks api/: each `import x` and
`from x import y` (absolute; a relative import stays inside its own package) names the
top-level package it reaches."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# For each package, the project packages it must never import.
FORBIDDEN = {
    "web": {"api"},
    "api": {"web"},
    "permissions": {"api", "web"},
    "marac": {"api", "web", "permissions"},
}

# Deliberate exceptions, (module, package): reason. None today: the root URLconf
# (marac/urls.py) mounts both apps by dotted name in include(), not by an import.
KNOWN_EXCEPTIONS: dict[tuple[str, str], str] = {}


def imported_packages(path: Path) -> set[str]:
    """The top-level packages PATH imports (absolute imports only)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
        elif isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
    return found


def crossings(package: str) -> list[tuple[str, str]]:
    """(module, forbidden package) for every module of PACKAGE that imports one."""
    found = []
    for path in sorted((ROOT / package).rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        found += [(relative, imported) for imported in sorted(imported_packages(path) & FORBIDDEN[package])
                  if (relative, imported) not in KNOWN_EXCEPTIONS]
    return found


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_a_layer_never_imports_the_layers_it_must_not(package):
    assert crossings(package) == [], f"{package}/ imports what it must not: {crossings(package)}"


def test_the_walk_sees_imports_and_the_exceptions_still_exist():
    """The walk finds the imports that are allowed (web and api read permissions), and
    every listed exception is still there (remove it from the list once it is gone)."""
    assert "permissions" in imported_packages(ROOT / "web" / "slice.py")
    assert "permissions" in imported_packages(ROOT / "api" / "viewsets.py")
    for relative, imported in KNOWN_EXCEPTIONS:
        assert imported in imported_packages(ROOT / relative), (relative, imported)


def test_the_walk_would_catch_a_crossing(tmp_path):
    """A module importing api from web, in both spellings, is seen."""
    module = tmp_path / "crossing.py"
    module.write_text("import api.views\nfrom api.orders import serializers\nfrom . import forms\n")
    assert imported_packages(module) == {"api"}


def test_web_reaches_the_slice_only_through_web_slice():
    """web/slice.py is the web app's one door to permissions/ (as api/'s infrastructure
    is the API's): no page module imports the slice's helpers itself, so no web view
    decides a permission outside the mixins and functions that door offers."""
    doors = {"web/slice.py"}
    through_another_door = [path.relative_to(ROOT).as_posix() for path in sorted((ROOT / "web").rglob("*.py"))
                            if "permissions" in imported_packages(path)
                            and path.relative_to(ROOT).as_posix() not in doors]
    assert through_another_door == []
