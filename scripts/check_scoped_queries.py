"""Fail if a view reads a child-related model without its scoped entry point.

Views must start from `Model.objects.visible_to(user)` or a `get_<noun>_for(user, pk)` helper,
so that a record the user may not see answers 404. Run from the repository root.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

PROTECTED = {
    "Contact",
    "ContactSubject",
    "StateChange",
    "Person",
    "Relationship",
    "Involvement",
    "Screening",
    "Recommendation",
    "Decision",
    "Referral",
    "OutcomeAction",
    "Consultation",
    "AuditEvent",
}


def problems_in(path: Path) -> list[str]:
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
            and node.value.id in PROTECTED
        ):
            parent = parents.get(node)
            if isinstance(parent, ast.Attribute) and parent.attr == "visible_to":
                continue
            found.append(f"{path}:{node.lineno}: {node.value.id}.{node.attr} used without .visible_to(user)")
    return found


def main() -> int:
    files = [p for p in Path("safehub").rglob("*.py") if p.name == "views.py" or "views" in p.parent.parts]
    problems = [problem for path in sorted(files) for problem in problems_in(path)]
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} unscoped read(s) in views: use visible_to(user) or a get_<noun>_for helper.")
        return 1
    print(f"scoped queries: {len(files)} view modules checked, all reads scoped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
