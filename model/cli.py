"""Command line: ``python -m model run SCENARIO ...``.

Bad input (an unknown field, a value out of range, broken TOML, a missing file) prints one
line per problem and exits with code 2, having run nothing.
"""
from __future__ import annotations

import argparse
import sys

import numpy as np
import pandas as pd

from . import __version__, indicators, runner, scenario

EXIT_BAD_INPUT = 2


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value}, allowed 1 or more")
    return value


def _scale(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 0.001 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"{value}, allowed 0.001–1")
    return value


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m model",
                                description="Policy simulator for Viborg Kommune's employment plan 2017–2020.")
    p.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = p.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="run a scenario's replications and summarise the plan's indicators")
    run.add_argument("scenario", help="scenario file (TOML), e.g. scenarios/plan-2017.toml")
    run.add_argument("--replications", type=_positive_int, default=30, help="replications (default 30)")
    run.add_argument("--seed", type=int, default=1, help="master seed (default 1)")
    run.add_argument("--engine", choices=runner.ENGINES, default="fast", help="fast (default) or agents (Mesa)")
    run.add_argument("--format", choices=("table", "csv"), default="table", help="readable table (default) or CSV")
    run.add_argument("--states", action="store_true", help="stock per state and month instead of the indicators")
    run.add_argument("--scale", type=_scale, default=1.0, help="population scale, 1 = the whole municipality")
    run.add_argument("--lang", choices=("da", "en"), default="en", help="labels in the table")
    sub.add_parser("describe", help="write docs/parameters.md from the data files")
    return p


def readable(df: pd.DataFrame, lang: str) -> str:
    """The indicator summary as a table a person reads: mean [5–95 %] per year, and the share
    of simulated futures that meet each year's target."""
    lines = []
    for key, ind in indicators.INDICATORS.items():
        rows = df[df.indicator == key]
        label = ind.label_da if lang == "da" else ind.label_en
        lines.append(label)
        for _, r in rows.iterrows():
            fmt = (lambda x: f"{x:6.0f}") if ind.kind == "count" else (lambda x: f"{100 * x:5.1f}%")
            text = f"  {int(r.year)}  {fmt(r['mean'])}  [{fmt(r.p05)} – {fmt(r.p95)}]"
            if not np.isnan(r.target):
                met = "met in" if lang == "en" else "nået i"
                text += f"   target {fmt(r.target)}, {met} {100 * r.share_meeting_target:.0f}% of futures"
            lines.append(text)
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "describe":
        from . import describe
        print(describe.write())
        return 0
    try:
        sc = scenario.load(args.scenario)
    except scenario.ScenarioError as exc:
        for line in exc.problems:
            print(line, file=sys.stderr)
        return EXIT_BAD_INPUT
    results = runner.run_replications(sc, args.replications, args.seed, args.engine, args.scale)
    df = runner.state_summary(results) if args.states else runner.summary(results, sc.municipality)
    if args.format == "csv":
        df.to_csv(sys.stdout, index=False, float_format="%.6g")
    elif args.states:
        print(df.to_string(index=False, float_format=lambda x: f"{x:.1f}"))
    else:
        print(f"{sc.name} — {args.replications} replications, seed {args.seed}, engine {args.engine}, "
              f"scenario {sc.hash}, model {__version__}")
        print(readable(df, args.lang))
    return 0
