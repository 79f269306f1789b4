"""What the app's worker processes run: a warm-up when a worker starts, and chunks of
replications. Kept apart from the app so a worker imports only the model, never Streamlit.

The app runs replications in small chunks so that its progress bar is real (one step per chunk
done). A chunk's seed comes from the master seed through ``numpy.random.SeedSequence``, as in
``runner.jobs``; the chunk size is part of what a result is (it is in the stamp), because the
fast engine draws a chunk's replications from one stream.
"""
from __future__ import annotations

import numpy as np

from . import runner, scenario

APP_CHUNK = 3          # replications per job in the app: 30 futures are 10 steps of the bar
WARM_SCALE = 0.01      # a tiny real run loads every import and compiled function of a worker


def jobs(master_seed: int, replications: int, chunk: int = APP_CHUNK) -> list[runner.Job]:
    """The jobs of ``replications`` replications from ``master_seed`` in chunks of ``chunk``."""
    if replications < 1:
        raise ValueError(f"replications = {replications}, allowed 1 or more")
    n_jobs = -(-replications // chunk)
    seeds = [int(s.generate_state(1)[0]) for s in np.random.SeedSequence(master_seed).spawn(n_jobs)]
    return [runner.Job(seed, min(chunk, replications - i * chunk), i * chunk) for i, seed in enumerate(seeds)]


def warm() -> None:
    """Run one replication of the plan at a hundredth of the municipality (a worker's initializer)."""
    sc = scenario.load(scenario.SCENARIO_DIR / "plan-2017.toml")
    runner.run_job(sc, runner.Job(seed=1, replications=1, first=0), scale=WARM_SCALE)


def ready() -> bool:
    """A no-op task: submitting one per worker starts the workers (and so their warm-up)."""
    return True


def run_chunk(scenario_toml: str, job: runner.Job) -> runner.RunResult:
    """One chunk of replications of a scenario given as its TOML text."""
    return runner.run_job(scenario.parse(scenario_toml, where="app"), job)
