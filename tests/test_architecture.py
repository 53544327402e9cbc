"""The code's layout as rules: collectors → core ← disclosure, supervision, enterprises (the outer apps never import
each other, the core none of them); no import cycles between modules; services and selectors never
import tasks (they ask warning_system.jobs for a job by name; tasks call services); selectors never
import services and never write."""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
OUTER = {"collectors", "disclosure", "supervision", "enterprises"}
PACKAGES = {"collectors": OUTER - {"collectors"}, "disclosure": OUTER - {"disclosure"},
            "supervision": OUTER - {"supervision"}, "enterprises": OUTER - {"enterprises"},
            "warning_system": OUTER}  # fmt: skip


def imported_packages(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("package", sorted(PACKAGES))
def test_a_package_imports_none_of_the_apps_it_must_not_depend_on(package):
    offenders = {
        str(path.relative_to(ROOT)): sorted(imported_packages(path) & PACKAGES[package])
        for path in (ROOT / package).rglob("*.py")
        if imported_packages(path) & PACKAGES[package]
    }
    assert offenders == {}


# --------------------------------------------------------------------------- the module import graph

OWN = ("warning_system", "collectors", "disclosure", "supervision")


def own_modules() -> dict[str, Path]:
    """Every module of the project's own packages by dotted name, migrations and tests left out."""
    modules = {}
    for package in OWN:
        for path in (ROOT / package).rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if "migrations" in parts or "tests" in parts:
                continue
            modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return modules


MODULES = own_modules()


def imports_of(name: str, path: Path) -> set[str]:
    """The own modules `name` imports anywhere in its body (inside functions too): `from a import b`
    is module a.b when that is a module, else a; relative imports resolved against the package."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            for alias in node.names:
                found.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base)
    return {module for module in found if module in MODULES and module != name}


GRAPH = {name: imports_of(name, path) for name, path in MODULES.items()}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of the graph as the modules along it (first = last), or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for target in sorted(graph[node]):
            if state.get(target) == 1:
                return [*path[path.index(target) :], target]
            if target not in state and (cycle := visit(target)):
                return cycle
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_the_graph_finds_a_cycle_it_is_shown():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_no_module_imports_itself_back_through_others():
    cycle = find_cycle(GRAPH)
    assert cycle is None, "import cycle: " + " → ".join(cycle)


# --------------------------------------------------------------------------- services, selectors, tasks


def layer_of(name: str) -> str | None:
    """services, selectors or tasks, for a module named so or inside a package named so."""
    return next((part for part in name.split(".") if part in ("services", "selectors", "tasks")), None)


def test_services_and_selectors_never_import_tasks():
    offenders = {
        name: sorted(target for target in targets if layer_of(target) == "tasks")
        for name, targets in GRAPH.items()
        if layer_of(name) in ("services", "selectors") and any(layer_of(t) == "tasks" for t in targets)
    }
    assert offenders == {}


def test_selectors_never_import_services():
    """A read a service also needs lives in the selectors, and the service imports it from there."""
    offenders = {
        name: sorted(target for target in targets if layer_of(target) == "services")
        for name, targets in GRAPH.items()
        if layer_of(name) == "selectors" and any(layer_of(t) == "services" for t in targets)
    }
    assert offenders == {}


WRITES = {
    "save",
    "create",
    "update",
    "delete",
    "bulk_create",
    "bulk_update",
    "get_or_create",
    "update_or_create",
}
WRITE_SQL = re.compile(r"\b(INSERT\s+INTO|UPDATE\s+\S+\s+SET|DELETE\s+FROM|TRUNCATE)\b", re.IGNORECASE)


def is_write(call: ast.Call) -> bool:
    """A model or queryset write. `.save(`/`.update(` with a positional argument are another object's
    (a workbook saved to a buffer, a dict updated from another) unless called on a manager."""
    if not isinstance(call.func, ast.Attribute) or call.func.attr not in WRITES:
        return False
    if call.func.attr in ("save", "update") and call.args:
        return "objects" in ast.unparse(call.func.value)
    return True


def writes_in(path: Path) -> list[str]:
    """The write calls (`.save(`, `.create(`, …) and the writing SQL in a module, by line."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and is_write(node):
            found.append(f"{node.lineno}: .{node.func.attr}(")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and WRITE_SQL.search(node.value):
            found.append(f"{node.lineno}: SQL {WRITE_SQL.search(node.value).group(0)}")
    return found


def test_the_write_check_sees_a_write():
    assert writes_in(Path(__file__).parent / "architecture_writes_sample.py") == [
        "5: .update(", "5: .save(", "10: SQL INSERT INTO",
    ]  # fmt: skip


def test_selectors_never_write():
    offenders = {
        name: writes_in(path)
        for name, path in MODULES.items()
        if layer_of(name) == "selectors" and writes_in(path)
    }
    assert offenders == {}
