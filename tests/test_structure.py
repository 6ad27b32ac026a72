"""House rules checked on the source: views read through selectors (scoped), and scope has one
door (``areas/scope.py``)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ("areas", "households", "projects", "indicators", "reports")


def _modules(pattern: str):
    for app in APPS:
        yield from sorted((ROOT / app).glob(pattern))


def test_views_never_query_models_directly():
    """A view gets its objects from a selector (which applies the user's scope), never from
    ``Model.objects``: one place to look when asking "who may read this"."""
    found = []
    for path in [*_modules("views.py"), *_modules("views/*.py")]:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Attribute) and node.attr == "objects":
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not found, found


def test_scope_has_one_door():
    """Which units a user reaches, today and in the past, is decided in areas/scope.py only."""
    decided = {"user_scope", "user_reach", "reach_q", "reached", "request_scope", "request_reach"}
    elsewhere = []
    for path in _modules("**/*.py"):
        if path == ROOT / "areas" / "scope.py" or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef) and node.name in decided:
                elsewhere.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name}")
    assert not elsewhere, elsewhere
