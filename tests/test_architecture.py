"""The import contract: each top-level package imports only packages in its own layer or below,
and no two packages import each other, directly or round a circle.

The rules are the list LAYERS, lowest first; docs/architecture.md explains it. Tests and
migrations are left out (a test may reach anything); management commands are not.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Lowest first. A package may import packages in an earlier layer or its own, never a later one.
LAYERS = [
    ["common"],  # infrastructure: clock, file store, upload checks, forms…; no domain
    ["personal"],  # personal data sealed with SM4 and shown masked
    ["audit"],  # the audit log: model, writing service, labels, database privileges
    ["evidence"],  # files attached to reviewed objects
    ["orgs"],  # units, users, roles; orgs/access.py decides access
    ["plans"],
    ["jobs"],  # long work off the request: the job row, its runner and pages
    ["reporting"],
    ["records"],
    ["supervision"],  # the federation's own steps, 督办, 补报: reads records' rows
    ["evaluations"],  # rubric scoring of units (评分自评, 部门评分): reads reporting's figures
    ["campaigns"],  # 评选命名: nominations, scoring, 公示, naming into official figures
    ["drafting"],  # a draft plan read from a notice; above records, whose forms it will draft
    ["dashboards"],
    ["assessment"],  # 年终考核: composite scores over the dashboards' figures, rubrics, 督办
    ["backups", "demo", "bench", "config"],
]


def layer_of(layers):
    return {package: rank for rank, names in enumerate(layers) for package in names}


def is_checked(path: Path) -> bool:
    parts = path.relative_to(ROOT).parts
    return not (
        "tests" in parts
        or "migrations" in parts
        or path.name.startswith("test_")
        or path.name == "conftest.py"
    )


def imported_packages(source: str, module: str, packages) -> list[tuple[str, int, str]]:
    """(package, line, imported name) for each import of one of `packages` in `source`.

    Imports inside functions count: a lazy import is still a dependency.
    """
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: within the module's own package
                continue
            names = [node.module]
        else:
            continue
        for name in names:
            package = name.split(".")[0]
            if package in packages:
                found.append((package, node.lineno, name))
    return found


def layer_violations(sources, layers) -> list[str]:
    """Each import of a higher layer, as 'module:line imports name (package → higher)'.

    `sources` maps a dotted module name to its source text.
    """
    rank = layer_of(layers)
    violations = []
    for module, source in sorted(sources.items()):
        own = module.split(".")[0]
        for package, line, name in imported_packages(source, module, rank):
            if rank[package] > rank[own]:
                violations.append(f"{module}:{line} imports {name} ({own} → {package})")
    return violations


def package_cycles(sources, layers) -> list[str]:
    """Each circle of imports between packages, as 'a → b → a' with one import per edge."""
    rank = layer_of(layers)
    edges: dict[str, dict[str, str]] = {}
    for module, source in sorted(sources.items()):
        own = module.split(".")[0]
        for package, line, name in imported_packages(source, module, rank):
            if package != own:
                edges.setdefault(own, {}).setdefault(package, f"{module}:{line} imports {name}")
    cycles, seen = [], set()

    def visit(path):
        for target in edges.get(path[-1], {}):
            if target == path[0]:
                circle = path + [target]
                key = frozenset(circle)
                if key not in seen:
                    seen.add(key)
                    steps = [edges[a][b] for a, b in zip(circle, circle[1:], strict=False)]
                    cycles.append(" → ".join(circle) + " (" + "; ".join(steps) + ")")
            elif target not in path and target > path[0]:
                visit(path + [target])

    for start in sorted(edges):
        visit([start])
    return cycles


def project_sources(layers):
    sources = {}
    for package in (p for names in layers for p in names):
        for path in sorted((ROOT / package).rglob("*.py")):
            if is_checked(path):
                module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
                sources[module] = path.read_text(encoding="utf-8")
    return sources


@pytest.fixture(scope="module")
def sources():
    return project_sources(LAYERS)


def test_every_top_level_package_is_placed_in_a_layer():
    placed = {p for names in LAYERS for p in names}
    packages = {p.parent.name for p in ROOT.glob("*/__init__.py")} - {"tests"}
    assert packages <= placed, f"not in LAYERS: {sorted(packages - placed)}"


def test_no_package_imports_a_higher_layer(sources):
    violations = layer_violations(sources, LAYERS)
    assert not violations, "imports against the layering:\n" + "\n".join(violations)


def test_no_two_packages_import_each_other_round_a_circle(sources):
    cycles = package_cycles(sources, LAYERS)
    assert not cycles, "circles between packages:\n" + "\n".join(cycles)


def test_the_contract_reports_an_orgs_module_that_imports_a_plan():
    sources = {
        "orgs.services": "from django.db import transaction\nfrom common import clock\n",
        "orgs.seeding": "def seed():\n    from plans.models import Plan\n    return Plan\n",
    }
    assert layer_violations(sources, LAYERS) == [
        "orgs.seeding:2 imports plans.models (orgs → plans)"
    ]


def test_the_contract_reports_two_packages_of_one_layer_importing_each_other():
    sources = {
        "demo.seed": "import bench.run\n",
        "bench.run": "from demo.seed import seed\n",
    }
    assert layer_violations(sources, LAYERS) == []
    assert package_cycles(sources, LAYERS) == [
        "bench → demo → bench (bench.run:1 imports demo.seed; demo.seed:1 imports bench.run)"
    ]


def test_the_contract_leaves_relative_and_third_party_imports_alone():
    source = "from . import models\nfrom .views import page\nimport django\nfrom records import x\n"
    assert layer_violations({"common.forms": source}, LAYERS) == [
        "common.forms:4 imports records (common → records)"
    ]
