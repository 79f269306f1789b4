"""``python -m model drivers SCENARIO``: what drives each target, each lever moved one step on
paired futures (``experiments/drivers.py``): the CSV (exact columns) or sentences per target
(``--lang``, English by default)."""
from __future__ import annotations

import os
import sys

from model.cli import args as a

HELP = "what drives each target: each lever one step, paired futures"


def add_arguments(p) -> None:
    p.add_argument("scenario", help="scenario file (TOML) whose settings the steps start from")
    p.add_argument("--targets", default="all", help="all (default) or a comma list of indicators with a target")
    p.add_argument("--year", type=a.plan_year, default=2020, help="the targets' year, 2017–2020 (default 2020)")
    p.add_argument("--replications", type=a.whole(1, 1000), default=30, help="paired futures, 1–1,000 (default 30)")
    a.add_seed(p)
    p.add_argument("--scale", type=a.scale(), default=1.0, help=a.SCALE_HELP)
    p.add_argument("--workers", type=a.WORKERS, default=min(2, os.cpu_count() or 1), help="worker processes (default 2)")
    p.add_argument("--format", choices=("table", "csv"), default="table", help="sentences per target (default) or CSV")
    a.add_lang(p, "sentences")
    p.add_argument("--quiet", "--no-progress", action="store_true",
                   help="no progress (a bar on a terminal, a line every few seconds in a log)")


def command(args) -> int:
    from model.experiments import drivers, executors, progress
    from model.experiments.seek import SeekError
    from model.inputs import scenario
    from model.sim import runner
    sc = scenario.load(args.scenario)
    executor = executors.for_workers(args.workers)
    try:
        with progress.bar(None, "drivers", "scenario run", args.quiet) as bar:
            d = drivers.measure(sc, args.year, args.replications, args.seed, args.scale, executor, args.targets,
                                progress=lambda done, total: bar.set(done, total=total))
    except SeekError as exc:
        return a.error(exc, a.EXIT_BAD_INPUT)
    finally:
        if executor is not None:
            executors.terminate(executor)
    if args.format == "csv":
        drivers.csv_table(d).to_csv(sys.stdout, index=False, float_format="%.6g")
        return 0
    print(f"{sc.name} — {args.replications} {'parrede fremtider, frø' if args.lang == 'da' else 'paired futures, seed'} "
          f"{args.seed}; {runner.count_rule(args.scale)}")
    for t in d.targets:
        print()
        print(f"{t.label(args.lang)} ({args.year})")
        for line in drivers.sentences(d, args.lang)[t.key]:
            print(f"  {line}")
    return 0

