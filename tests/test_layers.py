"""Each app imports only what lies below it: accounts and questionbank never import interviews,
accounts never imports questionbank, and config/urls.py imports no app for its side effects."""

import ast
from pathlib import Path

import pytest
from django.conf import settings

BASE = Path(settings.BASE_DIR)


def imported_modules(package: str) -> set[str]:
    found = set()
    for path in (BASE / package).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                found |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                found.add(node.module)
    return found


@pytest.mark.parametrize(
    "package, forbidden",
    [("accounts", {"interviews", "questionbank"}), ("questionbank", {"interviews", "accounts"})],
)
def test_it_never_imports_upwards(package, forbidden):
    upward = {m for m in imported_modules(package) if m.split(".")[0] in forbidden}
    assert not upward


def test_it_imports_no_app_from_the_root_urlconf():
    tree = ast.parse((BASE / "config" / "urls.py").read_text())
    modules = {
        node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module
    } | {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    assert {m.split(".")[0] for m in modules} <= {"django"}
