"""No API view checks a permission by hand (issue 12): the views name their object's
description (permissions/policy.py) and the permission class and filter backend
(permissions/drf.py, wired by api/viewsets.py) decide. An AST walk of every module of
api/: outside the infrastructure listed below, a module imports from `permissions` only
the object descriptions (the upper-case names of permissions.policy)."""

import ast
from pathlib import Path

import api

API = Path(api.__file__).parent

# The infrastructure that applies the slice for every view, and why it reads the policy.
INFRASTRUCTURE = {
    "viewsets.py": "wires the filter backend and permission class into every SliceViewSet",
    "rowslice.py": "chooses each row's serializer and filters on flags as each row shows them",
    "trust.py": "the trusted-agency data feed: its one slice filter",
    "fields.py": "references to other objects, limited to the caller's view slice",
    "checks.py": "the start-up check that every viewset's actions have policy rows",
    "pagination.py": "counts a list from its slice's subquery (permissions.counting), as the web app's lists do",
}

# Deliberate exceptions, each with the reason it stays (and what removes it).
KNOWN_EXCEPTIONS: dict[tuple[str, str], str] = {}


def _permission_imports(path: Path) -> list[str]:
    """`module.name` for each name imported from the permissions package."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "permissions":
            found += [f"{node.module}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            found += [alias.name for alias in node.names if alias.name.split(".")[0] == "permissions"]
    return found


def _is_object_description(imported: str) -> bool:
    module, _, name = imported.rpartition(".")
    return module == "permissions.policy" and name.isupper()


def test_no_api_view_calls_a_permission_helper_by_hand():
    offending = []
    for path in sorted(API.rglob("*.py")):
        relative = path.relative_to(API).as_posix()
        if relative in INFRASTRUCTURE:
            continue
        offending += [(relative, imported) for imported in _permission_imports(path)
                      if not _is_object_description(imported) and (relative, imported) not in KNOWN_EXCEPTIONS]
    assert offending == [], "API views name their policy objects; the permission class decides"


def test_the_walk_sees_the_infrastructure_and_the_exceptions():
    """The walk finds imports at all (the infrastructure's), and every listed exception
    still exists (remove it from the list once it is gone)."""
    assert "permissions.scopes.slice_queryset" in _permission_imports(API / "viewsets.py")
    for relative, imported in KNOWN_EXCEPTIONS:
        assert imported in _permission_imports(API / relative), (relative, imported)
