"""What the app's worker processes run: a warm-up when a worker starts, and chunks of
replications. Kept apart from the app so a worker imports only the model, never Streamlit.

The app runs replications in small chunks so that its progress bar is real (one step per chunk
done). A chunk's seed comes from the master seed as in every run (``runner.jobs``); the chunk
size is part of what a result is (it is in the stamp), because the fast engine draws a chunk's
replications from one stream.
"""
from __future__ import annotations

from model import paths
from model.inputs import scenario
from model.sim import runner

APP_CHUNK = 3          # replications per job in the app: 30 futures are 10 steps of the bar
WARM_SCALE = 0.01      # a tiny real run loads every import and compiled function of a worker


def jobs(master_seed: int, replications: int) -> list[runner.Job]:
    """The app's jobs: ``runner.jobs`` in chunks of APP_CHUNK (``run --chunk 3`` gives the same)."""
    return runner.jobs(master_seed, replications, chunk=APP_CHUNK)


def warm() -> None:
    """Run one replication of the plan at a hundredth of the municipality (a worker's initializer)."""
    sc = scenario.load(paths.SCENARIOS / "plan-2017.toml")
    runner.run_job(sc, runner.Job(seed=1, replications=1, first=0), scale=WARM_SCALE)


def ready() -> bool:
    """A no-op task: submitting one per worker starts the workers (and so their warm-up)."""
    return True


def run_chunk(scenario_toml: str, job: runner.Job) -> runner.RunResult:
    """One chunk of replications of a scenario given as its TOML text."""
    return runner.run_job(scenario.parse(scenario_toml, where="app"), job)
