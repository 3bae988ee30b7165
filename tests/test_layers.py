"""The package's layers: every import points down, from pipeline to publish to report to analysis to
model to core (docs/architecture.md), with no cycle between modules and no import hidden in a
function to dodge one."""
from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx
import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "gihi"
#: bottom to top; a module may import its own layer and the layers below it
LAYERS = ("core", "model", "analysis", "report", "publish", "pipeline")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imports(path: Path, name: str) -> list[tuple[str, int, bool]]:
    """``(imported gihi module, line, at module level)`` of one file; relative imports resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    top = set(id(n) for n in tree.body)
    guarded = set()   # `if TYPE_CHECKING:` blocks at module level count as module level
    for n in tree.body:
        if isinstance(n, ast.If):
            guarded |= {id(m) for m in ast.walk(n)}
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                pkg = package.split(".")
                pkg = pkg[: len(pkg) - node.level + 1]
                base = ".".join(pkg + ([base] if base else []))
            targets = [base] + [f"{base}.{a.name}" for a in node.names]
        else:
            continue
        for t in targets:
            if t == "gihi" or t.startswith("gihi."):
                out.append((t, node.lineno, id(node) in top or id(node) in guarded))
    return out


def layer(name: str) -> str | None:
    parts = name.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in LAYERS else None


def known(target: str, mods: dict[str, Path]) -> str | None:
    """The module an import refers to (``gihi.x.y`` may name the module ``gihi.x`` and its attribute ``y``)."""
    while target and target not in mods:
        target = target.rpartition(".")[0]
    return target or None


@pytest.fixture(scope="module")
def graph():
    mods = modules()
    g = nx.DiGraph()
    g.add_nodes_from(mods)
    lazy = []
    for name, path in mods.items():
        for target, line, module_level in imports(path, name):
            t = known(target, mods)
            if t is None or t == name:
                continue
            if not module_level:
                lazy.append((name, t, line))
            g.add_edge(name, t, line=line, path=path)
    return g, lazy


def test_every_module_is_in_a_layer():
    stray = [m for m in modules() if m != "gihi" and layer(m) is None]
    assert stray == [], f"modules outside the layers {LAYERS}: {stray}"


def test_imports_point_down(graph):
    g, _ = graph
    up = []
    for a, b, d in g.edges(data=True):
        la, lb = layer(a), layer(b)
        if la is None:        # gihi/__init__ re-exports the way in (gihi.open_edition)
            continue
        if lb is not None and LAYERS.index(lb) > LAYERS.index(la):
            up.append(f"{d['path'].relative_to(ROOT)}:{d['line']}: {a} ({la}) imports {b} ({lb})")
    assert up == [], "imports that point up a layer:\n" + "\n".join(up)


def test_no_import_cycles(graph):
    g, _ = graph
    inner = g.subgraph(n for n in g if n != "gihi")
    cycles = list(nx.simple_cycles(inner))
    # a package __init__ importing its own submodules is no cycle in practice, but none is needed
    assert cycles == [], f"import cycles: {cycles[:5]}"


def test_no_function_level_imports_of_the_same_or_higher_layers_to_dodge_cycles(graph):
    """A function-level import is allowed only to defer a heavy import of a lower layer (say,
    WeasyPrint or matplotlib behind it); it must not be a way round the layer rule."""
    g, lazy = graph
    bad = [f"{a} imports {b} in a function (line {line})" for a, b, line in lazy
           if layer(a) and layer(b) and LAYERS.index(layer(b)) > LAYERS.index(layer(a))]
    assert bad == []


def test_the_layer_graph_itself(graph):
    """The layers as a graph: each layer depends only on layers below it."""
    g, _ = graph
    deps = {(layer(a), layer(b)) for a, b in g.edges if layer(a) and layer(b) and layer(a) != layer(b)}
    assert all(LAYERS.index(lb) < LAYERS.index(la) for la, lb in deps), sorted(deps)
