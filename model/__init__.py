"""Viborg employment-plan simulator: an agent-based model of benefit states, levers and the plan's indicators.

The public API is ``__all__``: what the app (``app.py``, ``app_pages/``), the benchmarks and a
researcher's script use; every other module is the model's own and may change. Its names load
when first used (``from model import runner``), so importing ``model`` does no work: the
compiled-code cache is set up by ``model.sim`` when the compiled code is first imported.

The packages stack one way, each importing only those before it (tests/test_layers.py):
the shared vocabulary at the top level (states, calendar, paths, fingerprint) < ``inputs`` (what
a run is given) < ``sim`` (one run) < ``costs`` (money from runs) < ``reports`` (for people) <
``experiments`` (many runs) < ``cli`` (the command line).
"""
from __future__ import annotations

import importlib

# The one version number: pyproject.toml reads it (dynamic version); it is part of every
# scenario's hash, every batch's identity and every chart's stamp.
__version__ = "0.2.0"

# name -> (module, attribute or None for the module itself), by package.
_PUBLIC: dict[str, tuple[str, str | None]] = {
    # the shared vocabulary
    "calendar": ("model.calendar", None),            # the months and years of the run
    "states": ("model.states", None),                # benefit states, their groups and labels
    # what a run is given
    "levers": ("model.inputs.levers", None),         # the levers the municipality decides
    "rates": ("model.inputs.rates", None),           # benefit rates and refusion (the rate book)
    "municipalities": ("model.inputs.municipalities", None),
    "scenario": ("model.inputs.scenario", None),     # scenario files: load, parse, ScenarioError
    "actuals": ("model.inputs.actuals", None),         # actual figures imported (Jobindsats, Statistikbanken)
    "measures": ("model.inputs.measures", None),       # each model number's official measure
    "Municipality": ("model.inputs.municipalities", "Municipality"),
    "Scenario": ("model.inputs.scenario", "Scenario"),
    "ScenarioError": ("model.inputs.scenario", "ScenarioError"),
    # one run
    "runner": ("model.sim.runner", None),            # replications of a scenario and their summaries
    "indicators": ("model.sim.indicators", None),    # the plan's indicators
    "worker": ("model.sim.worker", None),            # what the app's worker processes run
    "citizens": ("model.sim.citizens", None),        # the citizen records (for the benchmarks)
    "cost_rules": ("model.sim.cost_rules", None),    # what a citizen costs in a month
    "RunResult": ("model.sim.context", "RunResult"),
    "FastEngine": ("model.sim.engine", "FastEngine"),
    "BenefitModel": ("model.sim.agents", "BenefitModel"),   # the Mesa engine
    # money from runs
    "accounts": ("model.costs.accounts", None),
    "business_case": ("model.costs.business_case", None),
    "effort": ("model.costs.effort", None),          # the effort (staff, offers) priced after a run
    # reporting for people
    "numbers": ("model.reports.numbers", None),
    "words": ("model.reports.words", None),
    "changes": ("model.reports.changes", None),
    "charts": ("model.reports.charts", None),
    "cost_charts": ("model.reports.cost_charts", None),
    "compare": ("model.reports.compare", None),
    "reality": ("model.reports.reality", None),        # plan, model and what actually happened
    "council": ("model.reports.council", None),
    "dry_run": ("model.reports.dry_run", None),      # what a scenario changes, before anything runs
    "mechanisms": ("model.reports.mechanisms", None),   # how each lever acts, in words
    # experiments over many runs
    "batch": ("model.experiments.batch", None),
    "seek": ("model.experiments.seek", None),
    "scorecard": ("model.experiments.scorecard", None),  # the futures held against actual figures
    "drivers": ("model.experiments.drivers", None),
    "trials": ("model.experiments.trials", None),
    "sensitivity": ("model.experiments.sensitivity", None),
    "discover": ("model.experiments.discover", None),
    "executors": ("model.experiments.executors", None),  # the local process pool and Dask
}

__all__ = ["__version__", *_PUBLIC]


def __getattr__(name: str):
    """A public name, imported when first asked for (PEP 562)."""
    if name not in _PUBLIC:
        raise AttributeError(f"module 'model' has no attribute {name!r}")
    module, attribute = _PUBLIC[name]
    value = importlib.import_module(module)
    if attribute is not None:
        value = getattr(value, attribute)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))

