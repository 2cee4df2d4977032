"""The layers of ARCHITECTURE.md, checked on the code: each module imports only from its
own layer or the layers below it, and no module grows past 500 lines."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "omglib"
MAX_LINES = 500

#: Layers from the bottom up, as in ARCHITECTURE.md; a module may import its own layer
#: and every layer below, except the pairs in SEPARATE.
LAYERS: tuple[frozenset[str], ...] = (
    frozenset({"errors", "names", "formats", "output", "memo"}),
    frozenset({"registry"}),
    frozenset(
        {"outcomes", "stats", "dataset", "figures", "comparisons", "recommendation", "forecast"}
    ),
    frozenset({"io"}),
    frozenset({"demodata", "inputs"}),
    frozenset({"present"}),
    frozenset({"learning", "geo"}),
    frozenset({"reports"}),
    frozenset({"cli", "cli_options"}),
)
#: Pairs in one layer where the first must not import the second: the learning loop and
#: the map stand side by side, and the demo generator knows nothing of who uses it.
SEPARATE = {("learning", "geo"), ("geo", "learning"), ("demodata", "inputs")}


def _unit(module: str) -> str:
    """The layer unit of a dotted module name: omglib.io.readers -> "io"."""
    return module.split(".")[1]


def _layer(unit: str) -> int:
    return next(i for i, names in enumerate(LAYERS) if unit in names)


def _modules() -> list[tuple[str, Path]]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        if name != "omglib":  # the package facade re-exports the public API
            found.append((name, path))
    return found


def _imports(path: Path) -> set[str]:
    """The omglib modules a file imports (`from omglib import x` counts as omglib.x)."""
    imported: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "omglib":
                imported |= {f"omglib.{alias.name}" for alias in node.names}
            elif node.module.startswith("omglib."):
                imported.add(node.module)
        elif isinstance(node, ast.Import):
            imported |= {a.name for a in node.names if a.name.startswith("omglib.")}
    return {name for name in imported if name != "omglib.__version__"}


@pytest.mark.parametrize(("module", "path"), _modules(), ids=lambda v: str(v))
def test_module_imports_only_its_own_layer_and_below(module: str, path: Path) -> None:
    unit = _unit(module)
    upward = []
    for imported in sorted(_imports(path)):
        other = _unit(imported)
        if _layer(other) > _layer(unit) or (unit, other) in SEPARATE:
            upward.append(imported)
    assert not upward, f"{module} imports from a higher or separate layer: {upward}"


def test_every_module_belongs_to_a_layer() -> None:
    units = {_unit(module) for module, _ in _modules()}
    layered = set().union(*LAYERS)
    assert units <= layered, f"modules outside ARCHITECTURE.md's layers: {units - layered}"


def test_the_layers_read_bottom_up() -> None:
    assert _layer("errors") < _layer("registry") < _layer("stats") < _layer("io")
    assert _layer("io") < _layer("present") < _layer("geo") < _layer("reports") < _layer("cli")


def test_no_module_is_longer_than_500_lines() -> None:
    long = {
        str(path.relative_to(PACKAGE.parent)): lines
        for _, path in _modules()
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert not long, f"modules over {MAX_LINES} lines: {long}"
