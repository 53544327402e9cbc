"""collectors → core ← disclosure, supervision, enterprises: the outer apps never import each other, the core none of them."""

import ast
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
