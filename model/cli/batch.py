"""``python -m model batch``: scenarios and sweeps × replications, in parallel (local processes or
Dask), resumable, into a folder (docs/batches.md); exit codes as ``args`` says."""
from __future__ import annotations

import sys

from model.cli import args as a
from model.sim import limits

HELP = "run scenarios and sweeps × replications in parallel, resumable, to a folder"


def add_arguments(p) -> None:
    p.add_argument("paths", nargs="+", metavar="SCENARIO_OR_SWEEP", help="scenario or sweep files (TOML)")
    p.add_argument("--replications", type=a.whole(1, 100_000), default=30,
                   help="replications per scenario, 1–100,000 (default 30)")
    a.add_seed(p)
    p.add_argument("--workers", type=a.WORKERS, default=None, help="local worker processes, 1–256 (default: the cores)")
    p.add_argument("--out", type=a.out, required=True, help="output folder (rerun the same command to resume)")
    p.add_argument("--scale", type=a.scale(), default=1.0, help=a.SCALE_HELP)
    where = p.add_mutually_exclusive_group()
    where.add_argument("--scheduler", type=a.address, metavar="ADDR", help="Dask scheduler address, e.g. tcp://host:8786")
    where.add_argument("--dask-local", type=a.whole(1, 64), metavar="N", help="start a local Dask cluster of N workers")
    p.add_argument("--no-progress", "--quiet", action="store_true",
                   help="no progress (a bar on a terminal, a line every few seconds in a log)")
    p.add_argument("--engine", choices=limits.ENGINES, default="fast", help="fast (default) or agents (Mesa)")
    p.add_argument("--panel", type=a.whole(0, 100_000), default=0, metavar="N",
                   help="also write the citizen panel (one row per citizen and month) of the first N futures "
                        "of each scenario to OUT/panel (fast engine; default 0: none)")


def command(args) -> int:
    import signal

    from model.experiments import batch, executors
    from model.inputs import scenario
    from model.sim import runner

    def stop(signum, frame):
        raise KeyboardInterrupt
    previous = signal.signal(signal.SIGTERM, stop)            # before the batch takes the signals over
    close = None
    try:
        executor = None
        if args.scheduler or args.dask_local:
            try:
                executor, close = executors.dask(args.scheduler, args.dask_local)
            except ImportError:
                return a.error("--scheduler and --dask-local need Dask: pip install -e '.[dask]'", a.EXIT_BAD_INPUT)
            except OSError as exc:
                return a.error(str(exc), a.EXIT_BAD_INPUT)
        outcome = batch.run_batch(args.paths, args.replications, args.seed, args.out, executor=executor,
                                  workers=args.workers, scale=args.scale, progress=not args.no_progress,
                                  engine=args.engine, panel=args.panel)
    except scenario.ScenarioError as exc:
        return a.problems(exc.problems)
    except batch.OutputError as exc:
        return a.error(str(exc), a.EXIT_OUTPUT)
    except batch.DiskFull as exc:
        a.error(str(exc), a.EXIT_DISK_FULL)
        for f in (exc.outcome.failed if exc.outcome else []):
            failed(f)
        return a.EXIT_DISK_FULL
    except batch.BatchInterrupted as exc:
        o = exc.outcome
        done = o.skipped + o.done
        print(f"interrupted by {signal.Signals(exc.signum).name}: {done} job{'s' if done != 1 else ''} done, "
              f"{o.not_started} not run; rerun the same command to resume ({args.out})", file=sys.stderr)
        return 128 + exc.signum
    except KeyboardInterrupt:
        print(f"interrupted: rerun the same command to resume ({args.out})", file=sys.stderr)
        return a.EXIT_SIGINT
    finally:
        signal.signal(signal.SIGTERM, previous)
        if close:
            _quietly(close)
    if outcome.status != "done":
        for f in outcome.failed:
            failed(f)
        print(f"{len(outcome.failed)} job{'s' if len(outcome.failed) != 1 else ''} failed, {outcome.not_started} not "
              f"run, {outcome.done + outcome.skipped} done; rerun the same command to retry them ({args.out})",
              file=sys.stderr)
        return a.EXIT_FAILED
    print(f"{outcome.done} jobs run, {outcome.skipped} already done; results in {outcome.out} "
          f"({runner.count_rule(args.scale)} in the summary)", file=sys.stderr)
    return 0


def _quietly(close) -> None:
    """Close a Dask cluster without its shutdown chatter (a second Ctrl-C or a worker already gone)."""
    import contextlib
    import io
    import logging
    logging.getLogger("distributed").setLevel(logging.CRITICAL)
    with contextlib.redirect_stderr(io.StringIO()):
        try:
            close()
        except (Exception, KeyboardInterrupt):
            pass


def failed(f: dict) -> None:
    """One failed job, as a line."""
    from model.lines import clip
    print(f"failed: scenario {f['scenario_id']} seed {f['seed']} replications from {f['first_replication']}: "
          f"{clip(f['error'], 300)}", file=sys.stderr)
