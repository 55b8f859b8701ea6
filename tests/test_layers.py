"""The package's layers, read from its imports: each layer imports only from itself and the layers before it,
no module imports another in a cycle, and textmine's own modules are imported at the top except where a
comment says which start-up cost a later import keeps away (the command line and the gradio layer)."""

import ast
import tomllib
from pathlib import Path

import pytest
from setuptools import find_packages

from .conftest import ROOT

PACKAGE = ROOT / "textmine"
# The data flows from left to right: base modules (textmine/*.py but cli.py), then the folders, then cli.py.
LAYERS = ("base", "survey", "text", "discovery", "project", "review", "waves", "report", "app", "ui", "cli")
LAZY = ("cli", "ui")            # layers whose imports inside functions keep gradio and the core out of start-up


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer_of(module: str) -> str:
    parts = module.split(".")
    if module == "textmine.cli":
        return "cli"
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and (PACKAGE / parts[1]).is_dir()) else "base"


def imports_of(path: Path):
    """(imported textmine module, line, inside a function?, the import's source line) for every import."""
    module = module_name(path)
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    lines = path.read_text(encoding="utf-8").splitlines()
    found = []

    def visit(node, in_function):
        for child in ast.iter_child_nodes(node):
            inside = in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef))
            targets = []
            if isinstance(child, ast.Import):
                targets = [a.name for a in child.names]
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    base = ".".join(package[:len(package) - child.level + 1] + ([base] if base else []))
                targets = [base] + [f"{base}.{a.name}" for a in child.names]
            for target in targets:
                if target in MODULES and target != module:
                    found.append((target, child.lineno, inside, lines[child.lineno - 1]))
            visit(child, inside)

    visit(ast.parse("\n".join(lines)), False)
    return found


MODULES = {module_name(p): p for p in PACKAGE.rglob("*.py")}
EDGES = {m: imports_of(p) for m, p in MODULES.items()}


def test_every_module_belongs_to_a_layer():
    assert {layer_of(m) for m in MODULES} <= set(LAYERS)


def test_no_layer_imports_a_later_one():
    upward = [f"{m}:{line} imports {t} ({layer_of(m)} -> {layer_of(t)})" for m, edges in EDGES.items()
              for t, line, _, _ in edges if LAYERS.index(layer_of(t)) > LAYERS.index(layer_of(m))]
    assert upward == []


def test_no_import_cycle():
    graph = {m: {t for t, *_ in edges} for m, edges in EDGES.items()}
    cycles = [c for c in strongly_connected(graph) if len(c) > 1]
    assert cycles == []


def test_own_modules_are_imported_at_the_top_except_for_start_up_with_a_comment():
    late = [f"{m}:{line}" for m, edges in EDGES.items() for t, line, inside, text in edges
            if inside and (layer_of(m) not in LAZY or "#" not in text)]
    assert late == []


def test_the_wheel_holds_no_benchmark_code():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    include = config["tool"]["setuptools"]["packages"]["find"]["include"]
    packages = find_packages(str(ROOT), include=include)
    assert "benchmarks" not in packages and all(p.startswith("textmine") for p in packages)
    assert not [m for m, edges in EDGES.items() if any(t.startswith("benchmarks") for t, *_ in edges)]


@pytest.mark.parametrize("bad", ["upward", "cycle"])
def test_the_checks_see_a_new_upward_import_and_a_new_cycle(bad):
    graph = {"textmine.survey.a": {"textmine.app.b"}, "textmine.app.b": set()}
    if bad == "cycle":
        graph = {"textmine.text.a": {"textmine.text.b"}, "textmine.text.b": {"textmine.text.a"}}
        assert [c for c in strongly_connected(graph) if len(c) > 1] == [{"textmine.text.a", "textmine.text.b"}]
    else:
        assert LAYERS.index(layer_of("textmine.app.b")) > LAYERS.index(layer_of("textmine.survey.a"))


def strongly_connected(graph: dict[str, set[str]]) -> list[set[str]]:
    """Tarjan's strongly connected components, iteratively."""
    index, low, on_stack, stack, out, counter = {}, {}, set(), [], [], [0]

    def connect(start):
        work = [(start, iter(sorted(graph.get(start, ()))))]
        index[start] = low[start] = counter[0]
        counter[0] += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter[0]
                    counter[0] += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                out.append(component)

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return out
