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
    b = sub.add_parser("batch", help="run scenarios and sweeps × replications in parallel, resumable, to a folder")
    b.add_argument("paths", nargs="+", metavar="SCENARIO_OR_SWEEP", help="scenario or sweep files (TOML)")
    b.add_argument("--replications", type=_positive_int, default=30, help="replications per scenario (default 30)")
    b.add_argument("--seed", type=int, default=1, help="master seed (default 1)")
    b.add_argument("--workers", type=_positive_int, default=None, help="local worker processes (default: the cores)")
    b.add_argument("--out", required=True, help="output folder (rerun the same command to resume)")
    b.add_argument("--scale", type=_scale, default=1.0, help="population scale, 1 = the whole municipality")
    where = b.add_mutually_exclusive_group()
    where.add_argument("--scheduler", metavar="ADDR", help="Dask scheduler address, e.g. tcp://host:8786")
    where.add_argument("--dask-local", type=_positive_int, metavar="N", help="start a local Dask cluster of N workers")
    b.add_argument("--no-progress", action="store_true", help="no progress bar")
    tr = sub.add_parser("trials", help="run each study behind a lever's effect inside the model")
    tr.add_argument("--format", choices=("table", "csv"), default="table")
    tr.add_argument("--seed", type=int, default=1)
    tr.add_argument("--replications", type=_positive_int, default=15)
    tr.add_argument("--scale", type=_scale, default=0.5)
    tr.add_argument("--write", action="store_true", help="also write docs/trials.csv (shown in the app)")
    se = sub.add_parser("sensitivity", help="Morris screening of every assumption and lever (plan indicators, 2020)")
    se.add_argument("--trajectories", type=_positive_int, default=10)
    se.add_argument("--seed", type=int, default=1)
    se.add_argument("--scale", type=_scale, default=0.5)
    se.add_argument("--replications", type=_positive_int, default=5, help="replications per point (averaged)")
    se.add_argument("--workers", type=_positive_int, default=None)
    se.add_argument("--out", default="results/sensitivity", help="output folder (runs, morris.csv, morris.png)")
    se.add_argument("--write", action="store_true", help="also keep the ranking in docs/ (shown in the app)")
    ca = sub.add_parser("calibrate", help="fit assumption-marked base hazards to the 2016 targets")
    ca.add_argument("--seed", type=int, default=1)
    ca.add_argument("--replications", type=_positive_int, default=8)
    ca.add_argument("--scale", type=_scale, default=0.3)
    ca.add_argument("--write", action="store_true", help="write the fitted values into model/data/")
    sm = sub.add_parser("summary", help="print the summary table of a batch folder")
    sm.add_argument("out", help="batch output folder")
    sm.add_argument("--format", choices=("table", "csv"), default="table")
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
    if args.command == "batch":
        return batch_command(args)
    if args.command == "summary":
        return summary_command(args)
    if args.command == "calibrate":
        from . import calibration
        r = calibration.calibrate(args.seed, args.replications, args.scale)
        print(f"{r['evaluations']} simulated evaluations (seed {r['seed']}, {r['replications']} replications, "
              f"scale {r['scale']}); cost {r['cost']:.4g}")
        for k, v in r["parameters"].items():
            print(f"  {k:28s} {r['start'][k]:.5g} -> {v:.5g}")
        for k, t in r["targets"].items():
            print(f"  {k:28s} target {t['target']:.4g}  fitted {t['fitted']:.4g}  error {t['error']:+.3g}")
        if args.write:
            calibration.write_back(r)
            print("written to model/data/hazards.toml and model/data/calibration.toml")
        return 0
    if args.command == "sensitivity":
        from . import sensitivity
        r = sensitivity.run(args.trajectories, args.seed, args.scale, args.out, args.workers,
                            replications=args.replications)
        top = r["table"][r["table"]["rank"] <= 5]
        print(top.to_string(index=False, float_format=lambda x: f"{x:.4g}"))
        print(f"{r['runs']} runs ({r['trajectories']} trajectories × {r['factors'] + 1} points × "
              f"{r['replications_per_point']} replications), scale {r['scale']}, "
              f"seed {r['seed']}; ranking stability between halves (Spearman): "
              + ", ".join(f"{k} {v:.2f}" for k, v in r["stability_spearman_between_halves"].items()))
        if args.write:
            sensitivity.write_docs(r)
        print(f"table and chart in {args.out}")
        return 0
    if args.command == "trials":
        from . import trials
        df = trials.run_all(args.seed, args.replications, args.scale)
        if args.write:
            df.to_csv(trials.RESULTS, index=False, float_format="%.4g")
        if args.format == "csv":
            df.to_csv(sys.stdout, index=False, float_format="%.4g")
        else:
            print(df.to_string(index=False, float_format=lambda x: f"{x:.3g}"))
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


def batch_command(args) -> int:
    """``python -m model batch``: 0 when every run is done, 1 when some failed (named), 2 on bad
    input, 130 when interrupted (rerun the same command to resume)."""
    import signal

    from . import batch

    def stop(signum, frame):
        raise KeyboardInterrupt
    signal.signal(signal.SIGTERM, stop)
    executor, close = None, None
    try:
        if args.scheduler or args.dask_local:
            executor, close = batch.dask_executor(args.scheduler, args.dask_local)
        outcome = batch.run_batch(args.paths, args.replications, args.seed, args.out, executor=executor,
                                  workers=args.workers, scale=args.scale, progress=not args.no_progress)
    except scenario.ScenarioError as exc:
        for line in exc.problems:
            print(line, file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print(f"interrupted: rerun the same command to resume ({args.out})", file=sys.stderr)
        return 130
    finally:
        if close:
            close()
    if outcome.failed:
        for f in outcome.failed:
            print(f"failed: scenario {f['scenario_id']} seed {f['seed']} replications from {f['first_replication']}: "
                  f"{f['error']}", file=sys.stderr)
        return 1
    print(f"{outcome.done} jobs run, {outcome.skipped} already done; results in {outcome.out}", file=sys.stderr)
    return 0


def summary_command(args) -> int:
    from . import batch
    try:
        df = batch.load(args.out, "summary")
    except FileNotFoundError:
        print(f"{args.out}: no summary (is it a finished batch folder?)", file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.format == "csv":
        df.to_csv(sys.stdout, index=False, float_format="%.6g")
    else:
        with pd.option_context("display.width", 200, "display.max_rows", 1000):
            print(df.drop(columns=["scenario_id"]).to_string(index=False, float_format=lambda x: f"{x:.4g}"))
    return 0
