"""The house rules of the tree, checked: what may import what, and how big a module may grow.

Read from the source with `ast`, so type-only imports (under TYPE_CHECKING)
count as much as run-time ones: a cycle through a type hint is still a cycle
a reader has to untangle.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("bot", "checks")
# Data, not logic: the catalogues may grow with the words they hold.
DATA_MODULES = {"checks/messages"}
MAX_LINES = 350
# What the checking library must never reach for.
NOT_IN_CHECKS = ("bot", "slack_sdk", "slack_bolt", "sqlalchemy", "alembic", "waitress")


def _modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    """Every module of ours that `name` imports, relative imports resolved."""
    is_package = path.name == "__init__.py"
    package = name if is_package else name.rpartition(".")[0]
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                stem = ".".join(base + ([node.module] if node.module else []))
            else:
                stem = node.module or ""
            # `from . import x` names the module x; `from .m import x` names m.
            submodules = [f"{stem}.{alias.name}" for alias in node.names if f"{stem}.{alias.name}" in known]
            targets = submodules if len(submodules) == len(node.names) else [stem, *submodules]
        else:
            continue
        for target in targets:
            # The deepest module of ours the name refers to.
            while target and target not in known:
                target = target.rpartition(".")[0]
            # A module's own packages are already being imported when it runs: not an edge.
            if target and target != name and not name.startswith(target + "."):
                out.add(target)
    return out


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    known = set(modules)
    graph = {name: _imports(name, path, known) for name, path in modules.items()}
    # Importing a package runs its __init__: an edge to a submodule is also one to its parents,
    # except for a package's own submodules (bot.db imports bot.db.models, not a cycle).
    for name, targets in graph.items():
        for target in list(targets):
            parent = target.rpartition(".")[0]
            while parent:
                if not name.startswith(parent + ".") and parent != name:
                    targets.add(parent)
                parent = parent.rpartition(".")[0]
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt) :] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_no_import_cycles_type_only_ones_included():
    assert _cycle(_graph()) is None


def test_a_cycle_is_found_when_there_is_one():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def test_checks_knows_nothing_of_slack_or_storage():
    offenders = []
    for path in sorted((ROOT / "checks").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and not node.level:
                names = [node.module or ""]
            offenders += [f"{path.relative_to(ROOT)}: {n}" for n in names if n.split(".")[0] in NOT_IN_CHECKS]
    assert offenders == []


def test_no_module_over_the_size_a_reader_holds_in_mind():
    long = []
    for path in _modules().values():
        relative = path.relative_to(ROOT).as_posix()
        if any(relative.startswith(data) for data in DATA_MODULES):
            continue
        lines = len(path.read_text().splitlines())
        if lines > MAX_LINES:
            long.append(f"{relative}: {lines}")
    assert long == []
