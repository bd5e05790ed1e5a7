"""Habits the code keeps (docs/architecture.md): a form's validity is never thrown away."""

import ast
from pathlib import Path

import bluehelmet

PACKAGE = Path(bluehelmet.__file__).resolve().parent


def test_no_view_ignores_a_forms_validity():
    """`form.is_valid()` as a bare statement drops the answer: a view that goes on with an
    invalid form writes what it should refuse. The one allowed use fills a form's errors for
    display, and says so in a comment on the line."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        lines = source.splitlines()
        for node in ast.walk(ast.parse(source, str(path))):
            call = node.value if isinstance(node, ast.Expr) else None
            if isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and call.func.attr == "is_valid":
                raises = any(keyword.arg == "raise_exception" for keyword in call.keywords)  # DRF: a 400 if invalid
                if not raises and "#" not in lines[node.lineno - 1]:
                    found.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    assert found == []
