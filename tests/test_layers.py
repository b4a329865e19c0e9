"""What may import what in the efficiency package, read from the source (nothing is imported).

Every module has a layer in ``LAYERS`` below. A module imports only from its own layer or lower
ones, and no chain of imports leads back to where it started, whether the import is at the top
of the file or inside a function. Lowest first:

- pure rules: no ORM, no request (the arithmetic, quarter codes, roles, sentences about
  results). They are below the models because the models use their values (``scoring.Grade``).
- models.
- rules that read models (what a decision will do).
- reads: who sees what, and every number a page, export or PDF shows.
- services: the only writers (and the reasons they require).
- presentation: pages, forms, admin, commands, Excel in and out, PDFs, charts, the demo. These
  may import one another, never in a cycle.

``settings``, ``apps`` and ``wsgi`` are Django's entry points, outside the graph.
"""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "efficiency"

PURE, MODELS, RULES, READS, SERVICES, PRESENTATION = range(6)
LAYER_NAMES = ["pure rules", "models", "rules", "reads", "services", "presentation"]
OUTSIDE = None

# Module -> layer. "efficiency.views.*" covers the package and every module under it.
LAYERS = {
    "efficiency": OUTSIDE,
    "efficiency.settings": OUTSIDE,
    "efficiency.apps": OUTSIDE,
    "efficiency.wsgi": OUTSIDE,
    "efficiency.scoring": PURE,
    "efficiency.pools": PURE,
    "efficiency.quarters": PURE,
    "efficiency.spans": PURE,
    "efficiency.roles": PURE,
    "efficiency.wording": PURE,
    "efficiency.workdays": PURE,
    "efficiency.deadlines": PURE,
    "efficiency.influence": PURE,
    "efficiency.chain": PURE,
    "efficiency.plain_data": PURE,
    "efficiency.models.*": MODELS,
    "efficiency.consequences": RULES,
    "efficiency.selectors": READS,
    "efficiency.results": READS,
    "efficiency.analysis": READS,
    "efficiency.caching": READS,
    "efficiency.pool_schemes": READS,
    "efficiency.progress": READS,
    "efficiency.timeline": READS,
    "efficiency.standings": READS,
    "efficiency.vetoes": READS,
    "efficiency.services.*": SERVICES,
    "efficiency.reasons": SERVICES,
    "efficiency.views.*": PRESENTATION,
    "efficiency.admin.*": PRESENTATION,
    "efficiency.management.*": PRESENTATION,
    "efficiency.excel.*": PRESENTATION,
    "efficiency.reports.*": PRESENTATION,
    "efficiency.urls": PRESENTATION,
    "efficiency.urls_excel": PRESENTATION,
    "efficiency.urls_reports": PRESENTATION,
    "efficiency.forms": PRESENTATION,
    "efficiency.middleware": PRESENTATION,
    "efficiency.context_processors": PRESENTATION,
    "efficiency.security": PRESENTATION,
    "efficiency.charts": PRESENTATION,
    "efficiency.demo.*": PRESENTATION,
    "efficiency.tasks": PRESENTATION,
    "efficiency.backup.*": PRESENTATION,
}


def module_files(package: Path = PACKAGE) -> dict[str, tuple[Path, bool]]:
    """Module name -> (file, is a package's __init__), migrations left out (Django's own)."""
    modules = {}
    for path in sorted(package.rglob("*.py")):
        relative = path.relative_to(package.parent).with_suffix("")
        if "migrations" in relative.parts:
            continue
        parts = list(relative.parts)
        is_package = parts[-1] == "__init__"
        if is_package:
            parts.pop()
        modules[".".join(parts)] = (path, is_package)
    return modules


def imports_of(name: str, path: Path, is_package: bool, known: set[str]) -> set[str]:
    """The package's modules this one imports, anywhere in the file."""
    here = name if is_package else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = here.split(".")[: len(here.split(".")) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            # `from efficiency import selectors` imports a module; `from x import name`, x.
            targets = [
                f"{module}.{alias.name}" if f"{module}.{alias.name}" in known else module
                for alias in node.names
            ]
        else:
            continue
        for target in targets:
            if target.startswith("efficiency.migrations"):
                continue  # Django's schema history, outside the graph like settings
            # `import efficiency.excel.reader` binds efficiency but runs the module named.
            while target and target not in known and "." in target:
                target = target.rpartition(".")[0]
            if target in known and target != name:
                found.add(target)
    return found


def import_graph(package: Path = PACKAGE) -> dict[str, set[str]]:
    modules = module_files(package)
    known = set(modules)
    return {name: imports_of(name, path, is_pkg, known) for name, (path, is_pkg) in modules.items()}


def layer_of(module: str) -> int | None:
    if module in LAYERS:
        return LAYERS[module]
    parts = module.split(".")
    for length in range(len(parts), 0, -1):
        key = ".".join(parts[:length]) + ".*"
        if key in LAYERS:
            return LAYERS[key]
    raise KeyError(module)


def unlisted(graph: dict[str, set[str]]) -> list[str]:
    missing = []
    for module in sorted(graph):
        try:
            layer_of(module)
        except KeyError:
            missing.append(module)
    return missing


def upward_imports(graph: dict[str, set[str]]) -> list[str]:
    problems = []
    for module in sorted(graph):
        mine = layer_of(module)
        if mine is OUTSIDE:
            continue
        for target in sorted(graph[module]):
            theirs = layer_of(target)
            if theirs is OUTSIDE:
                problems.append(f"{module} imports {target}, which is outside the layers")
            elif theirs > mine:
                problems.append(
                    f"{module} ({LAYER_NAMES[mine]}) imports {target} "
                    f"({LAYER_NAMES[theirs]}): a higher layer"
                )
    return problems


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle through each group of modules that import each other (Tarjan's SCC)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[set[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.add(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(group)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return [_a_cycle_in(group, graph) for group in groups]


def _a_cycle_in(group: set[str], graph: dict[str, set[str]]) -> list[str]:
    """A shortest path from the group's first module back to itself, within the group."""
    start = min(group)
    paths = {start: [start]}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for target in sorted(graph[node] & group):
            if target == start:
                return paths[node] + [start]
            if target not in paths:
                paths[target] = paths[node] + [target]
                queue.append(target)
    raise AssertionError(f"no cycle in {sorted(group)}")


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    return import_graph()


def test_every_module_has_a_layer(graph):
    missing = unlisted(graph)
    assert not missing, "Give these modules a layer in tests/test_layers.py's LAYERS: " + ", ".join(
        missing
    )


def test_no_module_imports_from_a_higher_layer(graph):
    problems = upward_imports(graph)
    assert not problems, "\n".join(problems)


def test_no_import_cycles(graph):
    found = cycles(graph)
    assert not found, "Import cycles:\n" + "\n".join(" -> ".join(cycle) for cycle in found)


# --- the checker itself, on a made-up package -------------------------------------------------


def write_package(root: Path, files: dict[str, str]) -> Path:
    package = root / "efficiency"
    for name, text in files.items():
        path = package / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return package


def test_it_reads_relative_and_deferred_imports(tmp_path):
    package = write_package(
        tmp_path,
        {
            "__init__.py": "",
            "selectors.py": "def f():\n    from .views import helper\n",
            "views/__init__.py": "from efficiency import selectors\nhelper = 1\n",
            "excel/__init__.py": "",
            "excel/engine.py": "def run():\n    from .registry import IMPORTERS\n",
            "excel/registry.py": "from . import engine\nimport efficiency.excel.engine\n",
            "migrations/0001_initial.py": "from efficiency import views\n",
        },
    )
    graph = import_graph(package)
    assert graph["efficiency.selectors"] == {"efficiency.views"}
    assert graph["efficiency.excel.engine"] == {"efficiency.excel.registry"}
    assert graph["efficiency.excel.registry"] == {"efficiency.excel.engine"}
    assert "efficiency.migrations.0001_initial" not in graph
    assert upward_imports(graph) == [
        "efficiency.selectors (reads) imports efficiency.views (presentation): a higher layer"
    ]
    assert sorted(cycles(graph)) == [
        ["efficiency.excel.engine", "efficiency.excel.registry", "efficiency.excel.engine"],
        ["efficiency.selectors", "efficiency.views", "efficiency.selectors"],
    ]


def test_it_names_a_module_without_a_layer(tmp_path):
    package = write_package(tmp_path, {"__init__.py": "", "newcomer.py": ""})
    assert unlisted(import_graph(package)) == ["efficiency.newcomer"]
