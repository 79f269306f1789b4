"""``python -m model scorecard SCENARIO --actuals DIR``: the scenario's simulated futures held
against the actual figures imported into DIR (``python -m model actuals import``).

``--format csv`` prints exactly ``measure,period,actual,mean,p05,p95,inside_band``: one row per month
or year with an actual figure the model counts the same way, ``inside_band`` true where the figure
lies within the simulated 5–95 % band. The default is a summary a person reads: per measure how many
figures fell inside the band (a well-calibrated model catches about 90 %), the mean error and the
direction of the misses, and the figures not compared with the reason.
"""
from __future__ import annotations

import sys

from model import __version__
from model.cli import _problems
from model.inputs import actuals, scenario
from model.sim import runner


def add_parser(sub, epilog: str, seed_type, whole, scale_type) -> None:
    s = sub.add_parser("scorecard", epilog=epilog,
                       help="hold a scenario's simulated futures against imported actual figures")
    s.add_argument("scenario", help="scenario file (TOML), e.g. scenarios/plan-2017.toml")
    s.add_argument("--actuals", required=True, metavar="DIR",
                   help="folder of an imported table (python -m model actuals import ... --out DIR)")
    s.add_argument("--replications", type=whole(1, 1000), default=30, help="replications, 1–1,000 (default 30)")
    s.add_argument("--seed", type=seed_type, default=1, help="master seed (default 1)")
    s.add_argument("--scale", type=scale_type(runner.MIN_SCALE), default=1.0,
                   help="population scale (default 1, the whole municipality; counts are for the whole municipality)")
    s.add_argument("--engine", choices=runner.ENGINES, default="fast", help="fast (default) or agents (Mesa)")
    s.add_argument("--format", choices=("table", "csv"), default="table", help="readable summary (default) or CSV")
    s.add_argument("--lang", choices=("da", "en"), default="en", help="language of the summary")
    s.add_argument("--quiet", action="store_true", help="no progress bar")


def command(args) -> int:
    from model.experiments import progress, scorecard
    from model.reports import reality
    sc = scenario.load(args.scenario)
    try:
        figures = actuals.load(args.actuals, sc.municipality.profile)
    except actuals.ActualsError as exc:
        return _problems(exc.problems)
    with progress.bar(args.replications, "scorecard", "run", args.quiet) as bar:
        table, left = scorecard.run(sc, figures, args.replications, args.seed, args.scale, args.engine,
                                    progress=bar.update, lang=args.lang)
    if args.format == "csv":
        out = table[scorecard.COLUMNS].copy()
        out["inside_band"] = out["inside_band"].map({True: "true", False: "false"})
        out.to_csv(sys.stdout, index=False, float_format="%.6g")
        return 0
    head = reality.TEXT[args.lang]["head"].format(name=sc.name, n=args.replications, seed=args.seed)
    print(f"{head} · model {__version__} · {sc.hash}; {runner.count_rule(args.scale)}")
    print(reality.summary_text(table, left, args.lang))
    return 0
