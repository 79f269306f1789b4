"""Running the model for the app: two worker processes started (and warmed) with the app,
results kept by (scenario hash, seed, futures, chunk) for every session, and a progress bar
that moves one step per chunk of replications done."""
from __future__ import annotations

import multiprocessing
import sys
import threading
import time
import types
from collections import OrderedDict
from collections.abc import Iterator
from concurrent.futures import BrokenExecutor, ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
import pandas as pd
import streamlit as st

from model import accounts, business_case, effort, numbers, runner, worker

WORKERS = 2
KEEP = 32              # results kept in memory (each is a few hundred kB)


@dataclass(frozen=True)
class Request:
    """A scenario (its TOML text and hash) to run with a master seed and a number of futures."""

    name: str
    toml: str
    hash: str
    seed: int
    reps: int

    @property
    def key(self) -> tuple:
        return self.hash, self.seed, self.reps, worker.APP_CHUNK


@dataclass(frozen=True)
class Results:
    """The summaries the pages show, and how long they took to compute."""

    summary: pd.DataFrame
    states: pd.DataFrame
    flows: pd.DataFrame
    hash: str
    seconds: float
    key: tuple
    costs: np.ndarray                     # accounts.yearly: (futures, years, components, measures), DKK
    outcome: business_case.Outcome        # per future: net cost 2017–2020, people on benefits, indicators 2020
    bands: pd.DataFrame | None = None     # the model's band of every measure actual figures are held against


class Store:
    """Results by key, the most recently used kept (shared by every session; thread-safe)."""

    def __init__(self, keep: int = KEEP):
        self._items: OrderedDict[tuple, Results] = OrderedDict()
        self._lock = threading.Lock()
        self.keep = keep

    def get(self, key: tuple) -> Results | None:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
            return None

    def put(self, res: Results) -> None:
        with self._lock:
            self._items[res.key] = res
            while len(self._items) > self.keep:
                self._items.popitem(last=False)


@st.cache_resource(show_spinner=False)
def pool() -> ProcessPoolExecutor:
    """The two worker processes, started now: each warms up (imports, compiled code, a tiny real
    run) in its initializer while the page builds, so the first run does not pay for it."""
    ex = ProcessPoolExecutor(WORKERS, mp_context=multiprocessing.get_context("spawn"), initializer=worker.warm)
    with _bare_main():
        for _ in range(WORKERS):
            ex.submit(worker.ready)         # starts a worker process
    return ex


@contextmanager
def _bare_main() -> Iterator[None]:
    """A spawned process first runs its parent's ``__main__`` module again: here the app script,
    with every page and its imports (about a second). The workers need only ``model``, so they are
    started while ``__main__`` is a bare module without a file."""
    main = sys.modules["__main__"]
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        sys.modules["__main__"] = main


@st.cache_resource(show_spinner=False)
def store() -> Store:
    return Store()


def _compute(todo: list[Request], place, t: dict, lang: str) -> None:
    """Run every chunk of every request on the pool, moving the bar as chunks finish."""
    # not imported at the app's start: the workers start first
    from model import scorecard
    chunks = [(r, job) for r in todo for job in worker.jobs(r.seed, r.reps)]
    total, done = len(chunks), 0
    label = (t["running"].format(n=todo[0].reps, done=0, total=total) if len(todo) == 1 else
             t["running_other"].format(name=todo[0].name, n=todo[0].reps, done=0, total=total))
    bar = place.progress(0.0, text=label)
    t0 = time.perf_counter()
    futures = {pool().submit(worker.run_chunk, r.toml, job): (r, job) for r, job in chunks}
    parts: dict[tuple, list] = {r.key: [None] * len(worker.jobs(r.seed, r.reps)) for r in todo}
    for f in as_completed(futures):
        r, job = futures[f]
        parts[r.key][job.first // worker.APP_CHUNK] = f.result()
        done += 1
        if all(p is not None for p in parts[r.key]):
            results = parts[r.key]
            priced = effort.priced(results)          # the effort, priced once for both
            store().put(Results(runner.summary(results), runner.state_summary(results),
                                runner.flow_summary(results), r.hash, time.perf_counter() - t0, r.key,
                                accounts.yearly(results, priced), business_case.Outcome.of(results, priced),
                                bands=scorecard.bands(results)))
        current = next((x for x in todo if any(p is None for p in parts[x.key])), r)
        text = (t["running"].format(n=current.reps, done=done, total=total) if len(todo) == 1 else
                t["running_other"].format(name=current.name, n=current.reps, done=done, total=total))
        bar.progress(done / total, text=text)


def ensure(requests: list[Request], place, t: dict, lang: str) -> dict[tuple, Results]:
    """Results for every request: from the store, or computed now with a progress bar in ``place``."""
    todo = list({r.key: r for r in requests if store().get(r.key) is None}.values())
    if todo:
        try:
            _compute(todo, place, t, lang)
        except BrokenExecutor:          # a worker died (e.g. out of memory): start fresh once
            pool.clear()
            _compute(todo, place, t, lang)
        st.session_state.setdefault("computed", set()).update(r.key for r in todo)
        st.session_state["last_compute_s"] = max(store().get(r.key).seconds for r in todo)
    return {r.key: store().get(r.key) for r in requests}


def status_text(res: Results, reps: int, t: dict, lang: str) -> str:
    """'Færdig: 30 fremtider på 2,1 s' after this session's run; else where the result came from."""
    seconds = numbers.fmt_seconds(res.seconds, lang)
    if res.key in st.session_state.get("computed", set()):
        return t["done"].format(n=reps, s=seconds)
    return t["cached"].format(n=reps, s=seconds)
