"""The packages of model/ stack one way: the shared vocabulary at the top level < inputs (what a
run is given) < sim (one run) < costs (money from runs) < reports (for people) < experiments (many
runs) < cli (the command line). A module imports only its own package and those before it — also
inside a function, where an import is easy to overlook — so nothing imports in a circle, and one
run (sim) never reaches for reporting, experiments or the command line. The app and the benchmarks
use only what ``model`` exports (``model.__all__``).

An import against the order makes this test fail: move the code to the package of its concept
(or the shared piece below both) instead of importing upwards."""
from __future__ import annotations

import ast
from pathlib import Path

import model

ROOT = Path(model.__file__).resolve().parent
LAYERS = ("", "inputs", "sim", "costs", "reports", "experiments", "cli")       # "": the top level
ENTRY = {"model.__main__": "cli"}             # `python -m model` is the command line


def modules(root: Path = ROOT) -> dict[str, str]:
    """Every module of the package at ``root``: dotted name -> source."""
    out = {}
    for p in sorted(root.rglob("*.py")):
        parts = ("model", *p.relative_to(root).with_suffix("").parts)
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = p.read_text(encoding="utf-8")
    return out


def imports(name: str, source: str, known: set[str], package: bool = False) -> set[str]:
    """The modules of ``known`` that module ``name`` imports anywhere in its source (a name
    ``model`` exports lazily counts as the module it comes from; other names of a package as
    the package). A module's own packages are left out: Python imports them before it."""
    found = set()
    here = name.split(".") if package else name.split(".")[:-1]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(here[:len(here) - node.level + 1] + ([base] if base else []))
            targets = []
            for a in node.names:
                full = f"{base}.{a.name}"
                if base == "model" and a.name in model._PUBLIC:
                    full = model._PUBLIC[a.name][0]
                targets.append(full if full in known else base)
        else:
            continue
        for t in targets:
            while t and t not in known:             # an attribute of a module: the module
                t = t.rpartition(".")[0]
            if t and t != name and not name.startswith(t + "."):      # (its own package: imported first anyway)
                found.add(t)
    return found


def graph(mods: dict[str, str]) -> dict[str, set[str]]:
    """Who imports whom, among ``mods`` (a package is a module with modules under it)."""
    known = set(mods)
    return {m: imports(m, src, known, package=any(k.startswith(m + ".") for k in known)) for m, src in mods.items()}


def layer(name: str) -> int:
    """A module's place in the order (the top level is 0)."""
    parts = name.split(".")
    package = ENTRY.get(name) or (parts[1] if len(parts) > 2 or (len(parts) == 2 and parts[1] in LAYERS) else "")
    return LAYERS.index(package)


def upward(g: dict[str, set[str]]) -> list[str]:
    """Imports of a package later in the order: "importer -> imported"."""
    return sorted(f"{m} -> {t}" for m, ts in g.items() for t in ts if layer(t) > layer(m))


def circles(g: dict[str, set[str]]) -> list[list[str]]:
    """The import circles (strongly connected components of more than one module, or a module
    importing itself), by Tarjan's algorithm without recursion."""
    index, low, stack, on, out, counter = {}, {}, [], set(), [], [0]
    for root in g:
        if root in index:
            continue
        work = [(root, iter(sorted(g[root])))]
        index[root] = low[root] = counter[0]
        counter[0] += 1
        stack.append(root)
        on.add(root)
        while work:
            v, it = work[-1]
            w = next(it, None)
            if w is not None:
                if w not in g:
                    continue
                if w not in index:
                    index[w] = low[w] = counter[0]
                    counter[0] += 1
                    stack.append(w)
                    on.add(w)
                    work.append((w, iter(sorted(g[w]))))
                elif w in on:
                    low[v] = min(low[v], index[w])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[v])
            if low[v] == index[v]:
                part = []
                while True:
                    w = stack.pop()
                    on.discard(w)
                    part.append(w)
                    if w == v:
                        break
                if len(part) > 1:
                    out.append(sorted(part))
    return out


def packages(g: dict[str, set[str]]) -> dict[str, set[str]]:
    """The graph between packages (each module in its layer's package)."""
    out: dict[str, set[str]] = {p: set() for p in LAYERS}
    for m, ts in g.items():
        for t in ts:
            if LAYERS[layer(m)] != LAYERS[layer(t)]:
                out[LAYERS[layer(m)]].add(LAYERS[layer(t)])
    return out


# ------------------------------------------------------------------------------- the checks

G = graph(modules())


def test_every_package_is_a_layer_and_says_what_it_may_import():
    found = {p.parent.name for p in ROOT.glob("*/__init__.py")}
    assert found == set(LAYERS[1:]), f"packages not in the order: {sorted(found ^ set(LAYERS[1:]))}"
    for name in LAYERS[1:]:
        doc = ast.get_docstring(ast.parse((ROOT / name / "__init__.py").read_text(encoding="utf-8"))) or ""
        assert "May import" in doc, f"model/{name}/__init__.py does not say what it may import"


def test_no_package_imports_one_after_it():
    assert upward(G) == []


def test_one_run_never_imports_costs_reports_experiments_or_the_command_line():
    later = {"costs", "reports", "experiments", "cli"}
    assert not [f"{m} -> {t}" for m, ts in G.items() if m.startswith("model.sim") for t in ts
                if LAYERS[layer(t)] in later]


def test_no_import_circles_between_modules_or_packages():
    assert circles(G) == []
    assert circles(packages(G)) == []


def test_the_app_and_the_benchmarks_use_only_what_model_exports():
    project = ROOT.parent
    for p in [project / "app.py", *sorted((project / "app_pages").glob("*.py")), *sorted((project / "bench").glob("*.py"))]:
        for node in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                assert not [a.name for a in node.names if a.name.startswith("model")], p.name
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("model"):
                assert node.module == "model", f"{p.name}: from {node.module} import ... (a private module)"
                private = [a.name for a in node.names if a.name not in model.__all__]
                assert not private, f"{p.name}: {private} not in model.__all__"


def test_every_exported_name_is_there():
    for name in model.__all__:
        assert getattr(model, name) is not None, name


# ------------------------------------------------------------------------------- the check can fail

SYNTHETIC = {
    "model": "", "model.paths": "",
    "model.inputs": "", "model.inputs.params": "from model import paths\n",
    "model.sim": "", "model.sim.engine": "from model.inputs import params\n",
    "model.reports": "", "model.reports.charts": "from model.sim import engine\n",
    "model.sim.runner": "def summary():\n    from model.reports import charts\n",     # upward, inside a function
    "model.experiments": "", "model.experiments.batch": "from . import seek\n",
    "model.experiments.seek": "from model.experiments.batch import run\n",             # a circle
}


def test_the_check_finds_an_upward_import_and_a_circle():
    g = graph(SYNTHETIC)
    assert upward(g) == ["model.sim.runner -> model.reports.charts"]
    assert circles(g) == [["model.experiments.batch", "model.experiments.seek"]]
    assert circles(packages(g)) == [["reports", "sim"]]
    assert upward(graph({k: v for k, v in SYNTHETIC.items() if k != "model.sim.runner"})) == []
