"""Fail if a view reads a child's record without its scoped entry point.

Views must start from `Model.objects.visible_to(user)` or a `get_<noun>_for(user, pk, *, purpose)`
helper, so that a record the user may not see answers 404 and every read is audited. Which models
hold a child's record is derived from the models themselves: the contact, the person, and every
model with a foreign key (directly or through another protected model) to one of them; a named
consultation too. A model
that is not a child's record although it points at one is exempted below, with the reason.
Run from the repository root.
"""

from __future__ import annotations

import ast
import os
import sys
from pathlib import Path

# A contact, a person, and a named consultation (it holds the child's name and date of birth).
ROOTS = ("contacts.Contact", "people.Person", "consultations.Consultation")
# Derived rows that views never show as a record, each with why.
EXEMPT: dict[str, str] = {}
VIEW_HELPERS = {"get_object_or_404", "get_list_or_404"}


def protected_models() -> set[str]:
    """Class names of the models that hold or point at a child's record."""
    sys.path.insert(0, str(Path.cwd()))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safehub.settings")
    os.environ.setdefault("SAFEHUB_TESTING", "true")
    import django
    from django.apps import apps

    django.setup()
    ours = [model for model in apps.get_models() if model.__module__.startswith("safehub.")]
    protected = {apps.get_model(label) for label in ROOTS}
    grew = True
    while grew:
        grew = False
        for model in ours:
            if model in protected:
                continue
            targets = {
                field.related_model for field in model._meta.get_fields() if field.many_to_one or field.one_to_one
            }
            if targets & protected and f"{model._meta.app_label}.{model.__name__}" not in EXEMPT:
                protected.add(model)
                grew = True
    return {model.__name__ for model in protected}


def problems_in(path: Path, protected: set[str]) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    parents: dict[ast.AST, ast.AST] = {}
    for node in ast.walk(tree):
        for child in ast.iter_child_nodes(node):
            parents[child] = node
    found = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and node.attr in {"objects", "_default_manager"}
            and isinstance(node.value, ast.Name)
            and node.value.id in protected
        ):
            parent = parents.get(node)
            if isinstance(parent, ast.Attribute) and parent.attr == "visible_to":
                continue
            found.append(f"{path}:{node.lineno}: {node.value.id}.{node.attr} used without .visible_to(user)")
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in VIEW_HELPERS
            and node.args
            and isinstance(node.args[0], ast.Name)
            and node.args[0].id in protected
        ):
            found.append(f"{path}:{node.lineno}: {node.func.id}({node.args[0].id}) bypasses get_<noun>_for")
    return found


def main() -> int:
    protected = protected_models()
    # views.py, a module of views beside it (contacts/amendment_views.py), or a views package.
    files = [
        p
        for p in Path("safehub").rglob("*.py")
        if p.name == "views.py"
        or (p.name.endswith("_views.py") and "tests" not in p.parts)
        or "views" in p.parent.parts
    ]
    problems = [problem for path in sorted(files) for problem in problems_in(path, protected)]
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} unscoped read(s) in views: use visible_to(user) or a get_<noun>_for helper.")
        return 1
    print(
        f"scoped queries: {len(files)} view modules checked against {len(protected)} models that hold a child's"
        f" record ({', '.join(sorted(protected))}); all reads scoped"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
