"""``python -m model seek SCENARIO``: goal-seek, the cheapest lever settings that meet the plan's
targets (``experiments/seek.py``): search, re-check on fresh seeds, write the folder, say the
answer (``--lang``, English by default)."""
from __future__ import annotations

import os
import sys

from model.cli import args as a

HELP = "goal-seek: the cheapest lever settings that meet the targets"


def add_arguments(p) -> None:
    p.add_argument("scenario", help="scenario file (TOML) to start from; levers not searched keep its values")
    p.add_argument("--targets", default="all", help="all (default) or a comma list of indicators with a target")
    p.add_argument("--year", type=a.plan_year, default=2020, help="the targets' year, 2017–2020 (default 2020)")
    p.add_argument("--probability", type=a.probability, default=0.8,
                   help="share of futures that must meet a target, above 0 and at most 1 (default 0.8)")
    p.add_argument("--levers", default="all", help="levers that may move: all (default) or a comma list")
    p.add_argument("--range", type=a.lever_range, action="append", metavar="LEVER=LOW:HIGH",
                   help="narrow a lever's allowed range, e.g. internship_places=200:1500 (repeatable)")
    p.add_argument("--evaluations", type=a.whole(1, 10_000), default=400, help="settings simulated, 1–10,000 "
                                                                              "(default 400)")
    p.add_argument("--replications", type=a.whole(1, 1000), default=30, help="futures per setting, 1–1,000 (default 30)")
    a.add_seed(p, "master seed of the search")
    p.add_argument("--scale", type=a.scale(), default=1.0, help=a.SCALE_HELP)
    p.add_argument("--workers", type=a.WORKERS, default=min(2, os.cpu_count() or 1), help="worker processes (default 2)")
    p.add_argument("--out", type=a.out, required=True,
                   help="output folder (front.csv, best.toml, check.csv, summary.md, manifest.json)")
    a.add_lang(p, "answer")
    p.add_argument("--no-progress", "--quiet", action="store_true",
                   help="no progress (a bar on a terminal, a line every few seconds in a log)")
    p.add_argument("--purse", choices=("municipal", "public"), default="municipal",
                   help="the cost to minimise: the municipality's net cost with the effort (default) or the public "
                        "total (municipality and state)")


def command(args) -> int:
    """Search, re-check on fresh seeds, write the folder, say the answer."""
    import time
    from pathlib import Path

    from model.experiments import executors, progress, provenance, seek
    from model.inputs import scenario
    from model.sim import runner
    try:
        base = scenario.load(args.scenario)
        targets = seek.plan_targets(base.municipality, args.year, args.targets)
        ranges = {}
        for key, lo, hi in args.range or []:
            if key in ranges:
                raise seek.SeekError(f"--range {key}: given twice; allowed once per lever")
            ranges[key] = (lo, hi)
        space = seek.search_space(seek.parse_levers(args.levers), ranges)
    except seek.SeekError as exc:
        return a.error(exc, a.EXIT_BAD_INPUT)
    out = Path(args.out)
    try:
        out.mkdir(parents=True, exist_ok=True)
        probe = out / ".model-seek-probe"
        probe.write_text("")
        probe.unlink()
    except OSError as exc:
        return a.error(f"{args.out}: cannot be written ({exc.strerror or exc})", a.EXIT_OUTPUT)
    bar = progress.Progress(args.evaluations * min(seek.RACE_FUTURES, args.replications), "seek", "future",
                            quiet=args.no_progress)

    def show(done: int, total: int, best: seek.Evaluation) -> None:
        bar.set(done, f"best so far: {best.met}/{len(targets)} targets, {best.cost / 1e6:,.0f} mio. DKK", total=total)

    executor = executors.for_workers(args.workers)
    t0 = time.perf_counter()
    try:
        outcome, sim = seek.run(base, targets, args.probability, space, args.evaluations, args.replications, args.seed,
                                args.scale, executor, batch=max(1, args.workers), progress=show, purse=args.purse)
    finally:
        bar.close()
        if executor is not None:
            executors.terminate(executor)
    settings = {"command": provenance.command_line(), "probability": args.probability, "year": args.year,
                "evaluations": args.evaluations, "replications": args.replications, "scale": args.scale,
                "seeds": {"search_master": args.seed, "search_jobs": [j.seed for j in sim.jobs_of(None, None)],
                          "check_master": seek.fresh_seed(args.seed),
                          "check_jobs": [j.seed for j in sim.jobs_of(seek.fresh_seed(args.seed), None)],
                          "chunk": sim.race, "sampler": args.seed},
                "workers": args.workers, "seconds": round(time.perf_counter() - t0, 2),
                "count_rule": runner.count_rule(args.scale)}
    try:
        paths = seek.write(out, outcome, base, settings)
    except OSError as exc:
        return a.error(f"{args.out}: cannot be written ({exc.strerror or exc})", a.EXIT_OUTPUT)
    for line in seek.report(outcome, args.lang):
        print(line)
    print(f"{len(outcome.evaluations)} settings simulated, {sim.simulated} futures in all, in "
          f"{settings['seconds']:.1f} s; written: {', '.join(str(p) for p in paths.values())}", file=sys.stderr)
    return 0
