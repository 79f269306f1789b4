"""The order of a month, declared once; both engines run it with one loop (``Loop``).

A month is a sequence of phases, each of a scope. A *citizen* phase is a compiled rule applied to
each citizen on its own (the fast engine over the rows of a chunk of replications, a Mesa
``Citizen`` over its own row); a *jobcenter* phase acts on all citizens of a replication at once
(allocating scarce places, following up the sick-listed), on those the citizen phases noted in the
month's work lists; the *arrivals* are the newcomers' arrival, which each engine does its own way
(appending rows, or creating agents) and then counts with the ``counts`` phase; a *municipality*
phase acts on the municipality's citizens at once (the count of those the rules do not visit
every month). How an engine runs each scope is the engine's; the order is this module's.

The order (docs/model.md, "Process overview"): demography and arrivals -> legal clocks and
deadlines -> the jobcenter's offers within capacity -> competing-risk transitions -> indicators
(each citizen on a benefit counted as its month ends, the follow-up's moves as they happen,
newcomers as they arrive, everyone else last).

A jobcenter phase may concern only some citizens: the allocation only those who asked for a
place. Every other citizen's month then goes on at once with the citizen phases after it (one
pass over the citizen, not two), and those who asked go on after the allocation (``Step.then``,
``Step.only``). Each citizen still meets the phases in the declared order.
"""
from __future__ import annotations

import hashlib
import importlib.util
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from model.sim import compiled, jobcenter, memory, rules
from model.sim.context import W_REQUESTS

CITIZEN, JOBCENTER, ARRIVALS, MUNICIPALITY = "citizen", "jobcenter", "arrivals", "municipality"
SCOPES = (CITIZEN, JOBCENTER, ARRIVALS, MUNICIPALITY)


@dataclass(frozen=True)
class Phase:
    name: str
    scope: str                  # one of SCOPES
    fn: Callable | None         # the compiled function (None: the engine's own way, see above)
    doc: str
    # A jobcenter phase that concerns only some citizens: ``waits(i, pop)`` tells (compiled)
    # whether citizen ``i`` waits for it, and the work list ``waiting`` holds those who do.
    waits: Callable | None = None
    waiting: int | None = None


MONTH: tuple[Phase, ...] = (
    Phase("demography", CITIZEN, rules.demography, "leaving the population; pension age; efterløn"),
    Phase("deadlines", CITIZEN, rules.deadlines, "dagpenge exhaustion, 22-week reassessment, age 30, "
                                                   "end of the integration programme, IGU, resource courses"),
    Phase("offer_ends", CITIZEN, rules.offer_ends, "offers whose months are used up end"),
    Phase("requests", CITIZEN, jobcenter.request, "who asks the jobcenter for a company offer"),
    Phase("allocation", JOBCENTER, jobcenter.allocate, "scarce places to the requests, by priority then at random",
          waits=jobcenter.asked, waiting=W_REQUESTS),
    Phase("transitions", CITIZEN, rules.transition, "granted offers start; forced moves; competing risks"),
    Phase("clocks", CITIZEN, rules.clocks, "benefit histories record next month's state"),
    Phase("caseload", CITIZEN, jobcenter.caseload, "the jobcenter counts its sick-listed, notes whom it may move"),
    Phase("counts", CITIZEN, rules.counts, "next month's indicator counts of those on a benefit; "
                                           "listed for next month"),
    Phase("follow_up", JOBCENTER, jobcenter.follow_up, "partial return to work; flex-job progression"),
    Phase("arrivals", ARRIVALS, None, "16-year-olds, immigrants and refugees of next month arrive "
                                          "(counted and listed by the counts phase)"),
    Phase("indicators", MUNICIPALITY, rules.count_others, "next month's counts of those not on a benefit"),
)
COUNTS = next(p for p in MONTH if p.name == "counts")


@dataclass(frozen=True)
class Step:
    """Consecutive phases of one scope: citizen phases run together, citizen by citizen."""

    scope: str
    phases: tuple[Phase, ...]
    # The citizen phases after the next jobcenter phase, applied at once to every citizen who
    # does not wait for it (``waits``); and, for the step after it, the work list of those who
    # waited, the only citizens that step is for (None: all the month's citizens).
    then: tuple[Phase, ...] = ()
    waits: Callable | None = None
    only: int | None = None

    @property
    def fns(self) -> tuple:
        return tuple(p.fn for p in self.phases)

    @property
    def name(self) -> str:
        return "+".join(p.name for p in self.phases + self.then)

    def compiled(self) -> tuple[Callable, Callable]:
        """The citizen phases compiled as one function: ``(one, rows)`` — ``one(i, ...)`` applies
        them, in order, to citizen ``i`` (a Mesa agent's own row), ``rows(rows, ...)`` to each
        citizen of ``rows`` (the fast engine). Arguments after the citizen: t, pop, par, tab,
        bands, acc, rng, ct, work (see ``rules``)."""
        module = _compiled_module(self.fns, tuple(p.fn for p in self.then), self.waits)
        return module.one, module.rows


class Loop:
    """The month's steps, each bound to the engine's way of running its scope (``run``: scope ->
    a function of the step), in the declared order: built once a run, run once a month. (As
    Starsim's ``Loop``: the plan declared once, run by one loop, printable.)"""

    def __init__(self, run: dict[str, Callable[[Step], None]], month: tuple[Phase, ...] | None = None):
        plan = steps(month)
        missing = sorted({s.scope for s in plan} - set(run))
        if missing:
            raise ValueError(f"the engine does not run the scope(s) {', '.join(missing)} of the month")
        self.plan: tuple[tuple[Step, Callable[[Step], None]], ...] = tuple((s, run[s.scope]) for s in plan)

    def run(self) -> None:
        """One month: every step in order."""
        for step, run in self.plan:
            run(step)

    def __str__(self) -> str:
        lines = []
        for k, (s, _) in enumerate(self.plan, 1):
            line = f"{k}. {s.scope:<12} {'+'.join(p.name for p in s.phases)}"
            if s.then:
                line += f", then {'+'.join(p.name for p in s.then)} for whoever does not wait"
            if s.only is not None:
                line += " (for those who waited)"
            lines.append(line)
        return "\n".join(lines)


def counting() -> tuple[Callable, Callable]:
    """The counts phase on its own, compiled (``Step.compiled``): for the newcomers as they arrive
    and for everyone in the status month."""
    return Step(CITIZEN, (COUNTS,)).compiled()


def steps(month: tuple[Phase, ...] | None = None) -> list[Step]:
    """The month as steps: runs of citizen phases joined, every other phase on its own."""
    out: list[Step] = []
    for phase in MONTH if month is None else month:
        if out and phase.scope == CITIZEN and out[-1].scope == CITIZEN:
            out[-1] = Step(CITIZEN, out[-1].phases + (phase,))
        else:
            out.append(Step(phase.scope, (phase,)))
    for k in range(1, len(out) - 1):
        waited = out[k].phases[0]
        if out[k].scope == JOBCENTER and waited.waits is not None and out[k - 1].scope == out[k + 1].scope == CITIZEN:
            out[k - 1] = Step(CITIZEN, out[k - 1].phases, then=out[k + 1].phases, waits=waited.waits)
            out[k + 1] = Step(CITIZEN, out[k + 1].phases, only=waited.waiting)
    return out


_GENERATED = """# The month's citizen phases {names}, generated by model/sim/month.py from its declaration
# (the phases are called directly, so the compiler joins them into one function; without the
# runtime's reference counting, which a phase does not need: it allocates nothing). The loop asks
# for the records of the rows a few citizens ahead (model/sim/memory.py).
from numba import njit

from model.sim.memory import AHEAD, prefetch
{imports}


@njit(cache=True, _nrt=False)
def one(i, t, pop, par, tab, bands, acc, rng, ct, work):
{calls}


@njit(cache=True, _nrt=False)
def rows(rows, t, pop, par, tab, bands, acc, rng, ct, work):
    n = rows.size
    for k in range(n):
        if k + AHEAD < n:
            prefetch(pop, rows[k + AHEAD])
        i = rows[k]
{loop_calls}
"""
_CALL = "phase{k}(i, t, pop, par, tab, bands, acc, rng, ct, work)"
_LOADED: dict[str, object] = {}           # by the hash of the phases' names and sources
_BY_PHASES: dict[tuple, object] = {}       # by the phase functions themselves (this process)


def _compiled_module(fns: tuple[Callable, ...], then: tuple[Callable, ...] = (), waits: Callable | None = None):
    """Load (writing it first if it is not there) the generated module that applies ``fns``,
    then ``then`` to a citizen unless ``waits`` (see ``Step``).

    It is written beside the compiled-code cache (outside the source tree), named by a hash of
    the phases and of their modules' source, so a changed phase never reuses old code."""
    whole = (fns, then, waits)
    if whole in _BY_PHASES:                     # (hashing the sources each month cost ~10 ms a run)
        return _BY_PHASES[whole]
    names = [(f.py_func.__module__, f.py_func.__qualname__) for f in fns + then + ((waits,) if then else ())]
    h = hashlib.sha256(_GENERATED.encode())
    h.update(Path(memory.__file__).read_bytes())
    for mod, qual in names:
        h.update(f"{mod}.{qual};".encode())
        h.update(Path(sys.modules[mod].__file__).read_bytes())
    key = h.hexdigest()[:16]
    if key in _LOADED:
        _BY_PHASES[whole] = _LOADED[key]
        return _LOADED[key]
    folder = compiled.cache_dir() / "steps"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"step_{key}.py"
    if not path.exists():
        first = [_CALL.format(k=k) for k in range(len(fns))]
        later = [_CALL.format(k=len(fns) + k) for k in range(len(then))]
        if later:       # the citizen goes on at once unless it waits for the jobcenter phase between
            first += [f"if not phase{len(names) - 1}(i, pop):", *("    " + c for c in later)]
        text = _GENERATED.format(
            names=", ".join(q for _, q in names),
            imports="\n".join(f"from {mod} import {qual} as phase{k}" for k, (mod, qual) in enumerate(names)),
            calls="\n".join("    " + c for c in first),
            loop_calls="\n".join("        " + c for c in first))
        tmp = path.with_suffix(f".tmp{os.getpid()}")
        tmp.write_text(text, encoding="utf-8")
        if not path.exists():
            os.replace(tmp, path)
        else:
            tmp.unlink()
    spec = importlib.util.spec_from_file_location(f"viborg_step_{key}", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    _LOADED[key] = module
    _BY_PHASES[whole] = module
    return module
