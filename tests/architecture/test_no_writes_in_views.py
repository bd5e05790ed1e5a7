"""Views do not write to the database (docs/architecture.md, "App layout"; issue 14).

A view reads the request, asks the gate, calls a query for what it shows and a service (the
app's `services.py` or a named write module such as `cases.py`, `recognition.py`) for what it
changes, and picks a template. Each write happens in a service function: one action, one
transaction, the acting user passed in. This test reads every view module (`views.py`,
`*_views.py`) under `src/bluehelmet` and fails on a call that writes.

What counts as a write (an AST heuristic: it reads names, not types):

* `.save()`, `.delete()`, `.create()`, `.bulk_create()`, `.bulk_update()`,
  `.get_or_create()`, `.update_or_create()`, `.save_m2m()` on anything;
* `.update()` only when the receiver is a queryset by its looks: the chain mentions `objects`
  or a queryset method (`filter`, `exclude`, `all`, `select_for_update`, ...). So
  `context.update(...)` and `dict.update(...)` pass, but `rows.update(...)` on a queryset kept
  in a variable would pass too: the heuristic misses that one, code review does not;
* `.add()`, `.remove()`, `.set()`, `.clear()` on an attribute (`record.tags.add(...)`, a
  many-to-many manager); on a plain name (`seen.add(x)`, a Python set) they pass;
* `transaction.atomic` (or `atomic` imported alone), used as decorator, context or call:
  a view that needs a transaction holds writes.

The session (`request.session...`) is not the database this rule is about: calls on it pass.

The other half of the rule, no write on a GET, is checked at run time by the canary walk
(`tests/walk/`): every route is requested with GET as every kind of visitor, and any database
write during that request fails the walk.
"""

import ast
from pathlib import Path

import bluehelmet

PACKAGE = Path(bluehelmet.__file__).resolve().parent

ALWAYS_WRITES = {
    "save",
    "delete",
    "create",
    "bulk_create",
    "bulk_update",
    "get_or_create",
    "update_or_create",
    "save_m2m",
}
RELATED_MANAGER_WRITES = {"add", "remove", "set", "clear"}
QUERYSET_WORDS = {
    "objects",
    "filter",
    "exclude",
    "all",
    "select_for_update",
    "select_related",
    "prefetch_related",
    "order_by",
    "annotate",
    "only",
    "defer",
    "using",
}


def view_modules() -> list[Path]:
    return sorted({*PACKAGE.rglob("views.py"), *PACKAGE.rglob("*_views.py")})


def _names_in(node: ast.AST) -> set[str]:
    """Every attribute and variable name in an expression (`Model.objects.filter(...)` gives
    Model, objects, filter)."""
    names = set()
    for part in ast.walk(node):
        if isinstance(part, ast.Attribute):
            names.add(part.attr)
        elif isinstance(part, ast.Name):
            names.add(part.id)
    return names


def _on_the_session(receiver: ast.AST) -> bool:
    """`request.session...`: an attribute named session (a variable named so, such as a
    mediation session, is a record like any other)."""
    return any(isinstance(part, ast.Attribute) and part.attr == "session" for part in ast.walk(receiver))


def _is_atomic(node: ast.AST) -> bool:
    if isinstance(node, ast.Call):
        node = node.func
    if isinstance(node, ast.Attribute):
        return node.attr == "atomic" and isinstance(node.value, ast.Name) and node.value.id == "transaction"
    return isinstance(node, ast.Name) and node.id == "atomic"


def writes_in(source: str, filename: str = "<view>") -> list[str]:
    """Each write in a module's source, as "line: what" (see the module docstring)."""
    found = []
    for node in ast.walk(ast.parse(source, filename)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            method, receiver = node.func.attr, node.func.value
            if _on_the_session(receiver):
                continue
            if (
                method in ALWAYS_WRITES
                or (method == "update" and _names_in(receiver) & QUERYSET_WORDS)
                or (method in RELATED_MANAGER_WRITES and isinstance(receiver, ast.Attribute))
            ):
                found.append(f"{node.lineno}: .{method}()")
        if isinstance(node, ast.With | ast.AsyncWith):
            found += [f"{node.lineno}: transaction.atomic" for item in node.items if _is_atomic(item.context_expr)]
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            found += [f"{node.lineno}: @transaction.atomic" for d in node.decorator_list if _is_atomic(d)]
    return sorted(found, key=lambda line: int(line.split(":")[0]))


def writes_by_module() -> dict[str, list[str]]:
    return {
        str(path.relative_to(PACKAGE)): writes_in(path.read_text(encoding="utf-8"), str(path))
        for path in view_modules()
    }


def test_no_view_module_writes_to_the_database():
    writing = {module: writes for module, writes in writes_by_module().items() if writes}
    assert writing == {}, "views write: move these into the app's services (one function per action)"


def test_the_heuristic_tells_writes_from_dictionaries():
    """The rule itself: what it flags and what it lets pass."""
    source = """
def view(request, record, form, seen, context):
    form.save()
    record.delete()
    Model.objects.create(name="a")
    Model.objects.filter(pk=1).update(active=False)
    record.tags.add(1)
    form.save_m2m()
    with transaction.atomic():
        pass
    context.update({"a": 1})
    {}.update(a=1)
    seen.add(1)
    request.session.save()
    request.session.clear()
    session.save()


@transaction.atomic
def other_view(request):
    pass
"""
    assert [line.split(": ")[1] for line in writes_in(source)] == [
        ".save()",
        ".delete()",
        ".create()",
        ".update()",
        ".add()",
        ".save_m2m()",
        "transaction.atomic",
        ".save()",
        "@transaction.atomic",
    ]
