"""The import-layering contract (README, *Architecture*), checked over every module's imports.

    core <- accounts <- markets <- booths <- (visitors, store, workshops) <- report <- app.py

A package may import its own modules and those of the layers below it, never those above, and
the three features that sit side by side (visitors, store, workshops) never import each other:
they meet through registries in a lower layer (core/menu.py, core/cli.py, core/checkpoints.py).
Imports sit at the top of a module, never inside a function, so a module's first lines say
everything it depends on.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAYERS = {
    "core": 0,
    "accounts": 1,
    "markets": 2,
    "booths": 3,
    "visitors": 4,
    "store": 4,
    "workshops": 4,
    "report": 5,
}
MODULES = sorted(
    path.relative_to(ROOT) for package in LAYERS for path in (ROOT / package).rglob("*.py")
)


def imported_names(node):
    if isinstance(node, ast.ImportFrom):
        if node.level:  # relative imports stay inside the package
            return []
        return [node.module]
    return [alias.name for alias in node.names]


def top_package(name):
    return name.split(".")[0]


def test_every_package_of_the_layering_has_modules():
    assert {path.parts[0] for path in MODULES} == set(LAYERS)


def layering_errors(package, source):
    """The imports of a module of `package` that go up the layers or sideways."""
    wrong = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, (ast.Import, ast.ImportFrom)):
            continue
        for name in imported_names(node):
            target = top_package(name)
            if target in LAYERS and target != package and LAYERS[target] >= LAYERS[package]:
                wrong.append(f"line {node.lineno}: {package} imports {name}")
    return wrong


def nested_imports(source):
    """The imports written inside a function or a class body."""
    return [
        f"line {inner.lineno}: {ast.unparse(inner)}"
        for node in ast.walk(ast.parse(source))
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
        for inner in ast.walk(node)
        if isinstance(inner, (ast.Import, ast.ImportFrom))
    ]


@pytest.mark.parametrize("path", MODULES, ids=str)
def test_imports_follow_the_layers(path):
    assert layering_errors(path.parts[0], (ROOT / path).read_text()) == []


@pytest.mark.parametrize("path", [*MODULES, Path("app.py")], ids=str)
def test_imports_sit_at_the_top_of_the_module(path):
    assert nested_imports((ROOT / path).read_text()) == []


def test_the_contract_catches_wrong_imports():
    source = (
        "import json\n"
        "from booths.models import Cooperative\n"
        "import markets.services\n"
        "from core.extensions import db\n"
        "from .sibling import thing\n"
        "def f():\n"
        "    from workshops.services import record_door_scan\n"
    )
    assert layering_errors("core", source) == [
        "line 2: core imports booths.models",
        "line 3: core imports markets.services",
        "line 7: core imports workshops.services",
    ]
    assert layering_errors("visitors", source) == ["line 7: visitors imports workshops.services"]
    assert layering_errors("report", source) == []
    assert nested_imports(source) == ["line 7: from workshops.services import record_door_scan"]
