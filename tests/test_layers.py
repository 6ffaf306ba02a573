"""The layer rule of DESIGN.md: every import inside zarrnb points to the same or a lower layer.

Also keeps ipywidgets and IPython out of everything below ``zarrnb.notebook``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE_ROOT = Path(__file__).resolve().parents[1] / "zarrnb"

# (module prefix, layer); the longest matching prefix wins.
LAYERS: list[tuple[str, float]] = [
    ("zarrnb.errors", 0),
    ("zarrnb.config", 0),
    ("zarrnb.core.buffer", 1),
    ("zarrnb.abc", 1),
    ("zarrnb.storage", 2),
    ("zarrnb.testing", 2),
    ("zarrnb.experimental", 2),
    ("zarrnb.dtype", 3.0),
    ("zarrnb.codecs", 3.1),
    ("zarrnb.metadata", 3.2),
    ("zarrnb.metadata.migrate_v3", 6),  # a tool on the sync API, at zarr-python's import path
    ("zarrnb.core", 4),
    ("zarrnb.display", 5),
    ("zarrnb.api", 6),
    ("zarrnb.demo", 6),
    ("zarrnb", 6),
    ("zarrnb.notebook", 7),
]
NOTEBOOK_ONLY = ("ipywidgets", "IPython", "tqdm")


def layer_of(module: str) -> float:
    best = max((p for p, _ in LAYERS if module == p or module.startswith(p + ".")), key=len)
    return dict(LAYERS)[best]


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE_ROOT.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def is_package_module(module: str) -> bool:
    relative = Path(*module.split("."))
    base = PACKAGE_ROOT.parent
    return (base / relative).with_suffix(".py").exists() or (base / relative / "__init__.py").exists()


def imported_modules(path: Path) -> list[tuple[str, int, bool]]:
    """(module, line, at_module_level) for every import statement in ``path``."""
    tree = ast.parse(path.read_text(), filename=str(path))
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    top_level = {id(node) for node in tree.body}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno, id(node) in top_level) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            # `from zarrnb import config` imports the module zarrnb.config, not the package
            for alias in node.names:
                submodule = f"{target}.{alias.name}"
                is_module = is_package_module(submodule)
                found.append((submodule if is_module else target, node.lineno, id(node) in top_level))
    return found


SOURCES = sorted(PACKAGE_ROOT.rglob("*.py"))


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: module_name(p))
def test_imports_point_downward(path: Path) -> None:
    own = module_name(path)
    own_layer = layer_of(own)
    for target, line, at_module_level in imported_modules(path):
        if not target.startswith("zarrnb"):
            continue
        # the package root reaches the notebook layer lazily, inside functions only
        if own == "zarrnb" and not at_module_level:
            continue
        assert layer_of(target) <= own_layer, (
            f"{own} (layer {own_layer}) imports {target} (layer {layer_of(target)}) at line {line}"
        )


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: module_name(p))
def test_widget_libraries_stay_in_notebook_layer(path: Path) -> None:
    own = module_name(path)
    if layer_of(own) >= 7:
        return
    for target, line, _ in imported_modules(path):
        assert target.split(".")[0] not in NOTEBOOK_ONLY, f"{own} imports {target} at line {line}"


def test_layer_table_classifies_known_modules() -> None:
    assert layer_of("zarrnb.core.buffer") < layer_of("zarrnb.storage.local") < layer_of("zarrnb.core.array")
    assert layer_of("zarrnb.codecs.zstd") < layer_of("zarrnb.metadata.v3") < layer_of("zarrnb.display.html")
    assert layer_of("zarrnb.api.sync") < layer_of("zarrnb.notebook.browser")


def test_from_package_import_submodule_resolves_to_the_submodule() -> None:
    assert is_package_module("zarrnb.config")
    assert not is_package_module("zarrnb.__version__")
