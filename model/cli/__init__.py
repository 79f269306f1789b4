"""Command line: ``python -m model run SCENARIO ...``.

Bad input (an unknown field, a value out of range, broken TOML, a missing or unreadable file,
an argument out of its range) prints one line per problem and exits with code 2, having run and
written nothing. Exit codes (also in ``--help`` and docs/batches.md):

    0    done
    1    some runs failed (named; rerun the same command to retry them)
    2    bad input: scenario or sweep file, argument, a resume of another batch or model version,
         an unreachable Dask scheduler, an unreadable summary; nothing run
    3    the output (--out) cannot be written: not writable, read-only, a file, a parent a file
    4    disk full while writing; the failed jobs are listed; free space and rerun to resume
    130  interrupted by SIGINT (Ctrl-C), 143 by SIGTERM; rerun the same command to resume

May import: every package of ``model`` (it is the last in their order).
"""
from __future__ import annotations

import argparse
import math
import os
import re
import sys

import numpy as np
import pandas as pd

from model import __version__
from model.experiments import outputs, progress
from model.inputs import rates, scenario
from model.sim import indicators, runner

EXIT_FAILED = 1
EXIT_BAD_INPUT = 2
EXIT_OUTPUT = 3
EXIT_DISK_FULL = 4
MAX_SEED = 2 ** 32 - 1
EXIT_CODES = ("exit codes: 0 done; 1 some runs failed (named); 2 bad input (nothing run); 3 output not writable; "
              "4 disk full (failed jobs listed); 130/143 interrupted by SIGINT/SIGTERM (rerun to resume)")


class Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line and exit code 2."""

    def error(self, message: str):
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: error: {scenario.clip(message, 300)} (see --help)\n")


def _whole(lo: int, hi: int):
    """A whole number lo–hi."""
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{scenario.clip(repr(text), 40)} is not a whole number, "
                                             f"allowed {lo}–{hi:,}") from None
        if not lo <= value <= hi:
            shown = str(value) if abs(value) < 10 ** 30 else scenario.show(value)
            raise argparse.ArgumentTypeError(f"{shown}, allowed {lo} or more (at most {hi:,})")
        return value
    return parse


def _scale(minimum: float):
    """A population scale minimum–runner.MAX_SCALE."""
    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{scenario.clip(repr(text), 40)} is not a number") from None
        if not (math.isfinite(value) and minimum <= value <= runner.MAX_SCALE):
            raise argparse.ArgumentTypeError(f"{value:g}, allowed {minimum:g}–{runner.MAX_SCALE:g} "
                                             "(1 = the whole municipality)")
        return value
    return parse


def _address(text: str) -> str:
    """A Dask scheduler address: [scheme://]host:port."""
    if not re.fullmatch(r"(?:(?:tcp|tls|ws|wss|ucx)://)?[A-Za-z0-9._\-\[\]:]+:[0-9]{1,5}", text):
        raise argparse.ArgumentTypeError(f"{scenario.clip(repr(text), 80)} is not a scheduler address like "
                                         "tcp://host:8786")
    return text


def _out(text: str) -> str:
    if not text or "\0" in text:
        raise argparse.ArgumentTypeError("an output path is needed")
    return text


SEED = _whole(0, MAX_SEED)
WORKERS = _whole(1, 256)


def build_parser() -> argparse.ArgumentParser:
    p = Parser(prog="python -m model", epilog=EXIT_CODES,
               description="Policy simulator for Viborg Kommune's employment plan 2017–2020.")
    p.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = p.add_subparsers(dest="command", required=True)
    scale_help = (f"population scale, 1 = the whole municipality, {runner.MIN_SCALE:g}–{runner.MAX_SCALE:g}; "
                  "counts are reported for the whole municipality")
    run = sub.add_parser("run", epilog=EXIT_CODES,
                         help="run a scenario's replications and summarise the plan's indicators")
    run.add_argument("scenario", help="scenario file (TOML), e.g. scenarios/plan-2017.toml")
    run.add_argument("--replications", type=_whole(1, 1000), default=30, help="replications, 1–1,000 (default 30)")
    run.add_argument("--seed", type=SEED, default=1, help=f"master seed, 0–{MAX_SEED} (default 1)")
    run.add_argument("--engine", choices=runner.ENGINES, default="fast", help="fast (default) or agents (Mesa)")
    run.add_argument("--format", choices=("table", "csv"), default="table", help="readable table (default) or CSV")
    run.add_argument("--states", action="store_true", help="stock per state and month instead of the indicators")
    run.add_argument("--scale", type=_scale(runner.MIN_SCALE), default=1.0, help=scale_help)
    run.add_argument("--lang", choices=("da", "en"), default="en", help="labels in the table")
    run.add_argument("--chunk", type=_whole(1, runner.CHUNK), default=None,
                     help=f"replications per job, 1–{runner.CHUNK} (default {runner.CHUNK}; the app uses 3: "
                          "its stamp says so, and --chunk 3 gives its numbers)")
    run.add_argument("--quiet", action="store_true", help="no progress bar (none either when not a terminal)")
    de = sub.add_parser("describe", help="the parameter tables (docs/parameters.md) from the data files, "
                                         "to standard output or --out")
    de.add_argument("--out", type=_out, help="write to this file, e.g. docs/parameters.md")
    b = sub.add_parser("batch", epilog=EXIT_CODES,
                       help="run scenarios and sweeps × replications in parallel, resumable, to a folder")
    b.add_argument("paths", nargs="+", metavar="SCENARIO_OR_SWEEP", help="scenario or sweep files (TOML)")
    b.add_argument("--replications", type=_whole(1, 100_000), default=30,
                   help="replications per scenario, 1–100,000 (default 30)")
    b.add_argument("--seed", type=SEED, default=1, help=f"master seed, 0–{MAX_SEED} (default 1)")
    b.add_argument("--workers", type=WORKERS, default=None, help="local worker processes, 1–256 (default: the cores)")
    b.add_argument("--out", type=_out, required=True, help="output folder (rerun the same command to resume)")
    b.add_argument("--scale", type=_scale(runner.MIN_SCALE), default=1.0, help=scale_help)
    where = b.add_mutually_exclusive_group()
    where.add_argument("--scheduler", type=_address, metavar="ADDR", help="Dask scheduler address, e.g. tcp://host:8786")
    where.add_argument("--dask-local", type=_whole(1, 64), metavar="N", help="start a local Dask cluster of N workers")
    b.add_argument("--no-progress", "--quiet", action="store_true", help="no progress bar")
    b.add_argument("--engine", choices=runner.ENGINES, default="fast", help="fast (default) or agents (Mesa)")
    b.add_argument("--panel", type=_whole(0, 100_000), default=0, metavar="N",
                   help="also write the citizen panel (one row per citizen and month) of the first N futures "
                        "of each scenario to OUT/panel (fast engine; default 0: none)")
    from model.experiments import trials
    tr = sub.add_parser("trials", help="run each study behind a lever's effect inside the model")
    tr.add_argument("--format", choices=("table", "csv"), default="table")
    tr.add_argument("--seed", type=SEED, default=1)
    tr.add_argument("--replications", type=_whole(1, 1000), default=15)
    tr.add_argument("--scale", type=_scale(trials.MIN_SCALE), default=0.5,
                    help=f"population scale, {trials.MIN_SCALE:g}–{runner.MAX_SCALE:g} (default 0.5)")
    tr.add_argument("--write", action="store_true", help="also write docs/trials.csv (shown in the app)")
    tr.add_argument("--quiet", action="store_true", help="no progress bar")
    se = sub.add_parser("sensitivity", help="Morris screening or Sobol indices of the assumptions and levers "
                                            "(plan indicators, 2020)")
    se.add_argument("--method", choices=("morris", "sobol"), default="morris",
                    help="morris (screening, default) or sobol (first-order and total indices with intervals)")
    se.add_argument("--samples", type=_whole(2, 4096), default=8,
                    help="sobol: base samples N, a power of two (N × (factors + 2) points; default 8)")
    se.add_argument("--factors", default=None, metavar="KEY,KEY",
                    help="sobol: only these assumptions or levers (default: all)")
    se.add_argument("--quiet", action="store_true", help="no progress bar")
    se.add_argument("--trajectories", type=_whole(1, 1000), default=10)
    se.add_argument("--seed", type=SEED, default=1)
    se.add_argument("--scale", type=_scale(runner.MIN_SCALE), default=0.5)
    se.add_argument("--replications", type=_whole(1, 100), default=5, help="replications per point (averaged)")
    se.add_argument("--workers", type=WORKERS, default=None)
    se.add_argument("--out", type=_out, default="results/sensitivity", help="output folder (runs, morris.csv, morris.png)")
    se.add_argument("--write", action="store_true", help="also keep the ranking in docs/ (shown in the app)")
    ca = sub.add_parser("calibrate", help="fit assumption-marked base hazards to the 2016 targets")
    ca.add_argument("--seed", type=SEED, default=1)
    ca.add_argument("--replications", type=_whole(1, 100), default=None,
                    help="replications per evaluation (default 8; 16 with --check)")
    ca.add_argument("--scale", type=_scale(runner.MIN_SCALE), default=0.3,
                    help="population scale (default 0.3); one too small for a stable fit is refused")
    ca.add_argument("--write", action="store_true", help="write the fitted values into model/data/")
    ca.add_argument("--check", action="store_true",
                    help="no fit: the targets at the current values (a record of values set by hand; 16 replications "
                         "unless given)")
    co = sub.add_parser("cost", epilog=EXIT_CODES, help="gross, refusion and net cost (the municipality's, the state's, "
                                                        "the public total) per year 2017–2020 by benefit and effort "
                                                        "(model/cli/cost.py)")
    bc = sub.add_parser("business-case", epilog=EXIT_CODES, help="per lever the scenario moves from 2016 practice: "
                                                                 "the effort's cost, the savings, the net, the payback "
                                                                 "month, people on benefits, indicators")
    for c in (co, bc):
        c.add_argument("scenario", help="scenario file (TOML), e.g. scenarios/plan-2017.toml")
        c.add_argument("--replications", type=_whole(1, 1000), default=30, help="replications, 1–1,000 (default 30)")
        c.add_argument("--seed", type=SEED, default=1, help=f"master seed, 0–{MAX_SEED} (default 1)")
        c.add_argument("--scale", type=_scale(runner.MIN_SCALE), default=1.0, help=scale_help)
        c.add_argument("--format", choices=("table", "csv"), default="table", help="readable table (default) or CSV")
        c.add_argument("--lang", choices=("da", "en"), default="en", help="labels in the table")
    co.add_argument("--versus", metavar="OTHER.toml", help="also run OTHER with the same seeds and print scenario − other")
    bc.add_argument("--sensitivity", choices=("unit-costs", "all"), default=None,
                    help="instead: which assumptions decide whether all levers together pay — every unit cost at "
                         "its low and high end (re-priced, no new simulation), with 'all' also every effect size "
                         "(simulated again)")
    bc.add_argument("--chart", metavar="FILE", default=None,
                    help="also write the chart (.png, .svg or .pdf): the payback chart, or with --sensitivity the "
                         "sensitivity chart")
    from model.experiments import seek
    sk = sub.add_parser("seek", epilog=EXIT_CODES, help="goal-seek: the cheapest lever settings that meet the targets")
    sk.add_argument("scenario", help="scenario file (TOML) to start from; levers not searched keep its values")
    sk.add_argument("--targets", default="all", help="all (default) or a comma list of indicators with a target")
    sk.add_argument("--year", type=seek.year_arg, default=2020, help="the targets' year, 2017–2020 (default 2020)")
    sk.add_argument("--probability", type=seek.probability_arg, default=0.8,
                    help="share of futures that must meet a target, above 0 and at most 1 (default 0.8)")
    sk.add_argument("--levers", default="all", help="levers that may move: all (default) or a comma list")
    sk.add_argument("--range", type=seek.range_arg, action="append", metavar="LEVER=LOW:HIGH",
                    help="narrow a lever's allowed range, e.g. internship_places=200:1500 (repeatable)")
    sk.add_argument("--evaluations", type=_whole(1, 10_000), default=400, help="settings simulated, 1–10,000 (default 400)")
    sk.add_argument("--replications", type=_whole(1, 1000), default=30, help="futures per setting, 1–1,000 (default 30)")
    sk.add_argument("--seed", type=SEED, default=1, help=f"master seed of the search, 0–{MAX_SEED} (default 1)")
    sk.add_argument("--scale", type=_scale(runner.MIN_SCALE), default=1.0, help=scale_help)
    sk.add_argument("--workers", type=WORKERS, default=min(2, os.cpu_count() or 1), help="worker processes (default 2)")
    sk.add_argument("--out", type=_out, required=True, help="output folder (front.csv, best.toml, check.csv, manifest.json)")
    sk.add_argument("--lang", choices=("da", "en"), default="da", help="language of the answer (default da)")
    sk.add_argument("--no-progress", action="store_true", help="no progress bar")
    sk.add_argument("--purse", choices=("municipal", "public"), default="municipal",
                    help="the cost to minimise: the municipality's net cost with the effort (default) or the public "
                         "total (municipality and state)")
    dr = sub.add_parser("drivers", epilog=EXIT_CODES, help="what drives each target: each lever one step, paired futures")
    dr.add_argument("scenario", help="scenario file (TOML) whose settings the steps start from")
    dr.add_argument("--targets", default="all", help="all (default) or a comma list of indicators with a target")
    dr.add_argument("--year", type=seek.year_arg, default=2020, help="the targets' year, 2017–2020 (default 2020)")
    dr.add_argument("--replications", type=_whole(1, 1000), default=30, help="paired futures, 1–1,000 (default 30)")
    dr.add_argument("--seed", type=SEED, default=1, help=f"master seed, 0–{MAX_SEED} (default 1)")
    dr.add_argument("--scale", type=_scale(runner.MIN_SCALE), default=1.0, help=scale_help)
    dr.add_argument("--workers", type=WORKERS, default=min(2, os.cpu_count() or 1), help="worker processes (default 2)")
    dr.add_argument("--format", choices=("table", "csv"), default="table", help="sentences per target (default) or CSV")
    dr.add_argument("--lang", choices=("da", "en"), default="da", help="language of the sentences (default da)")
    ca.add_argument("--quiet", action="store_true", help="no progress bar")
    from model.cli import discover
    di = sub.add_parser("discover", epilog=EXIT_CODES,
                        help="scenario discovery (PRIM): the lever and assumption ranges in which a target is met")
    discover.add_arguments(di, SEED)
    from model.cli import actuals, scorecard
    actuals.add_parser(sub, EXIT_CODES)
    scorecard.add_parser(sub, EXIT_CODES, SEED, _whole, _scale)
    sm = sub.add_parser("summary", help="print the summary table of a batch folder")
    sm.add_argument("out", help="batch output folder")
    sm.add_argument("--format", choices=("table", "csv"), default="table")
    return p


def _fmt(kind: str, x: float) -> str:
    return f"{x:6.0f}" if kind == "count" else f"{100 * x:5.1f}%"


def readable(df: pd.DataFrame, lang: str) -> str:
    """The indicator summary as a table a person reads: mean [5–95 %] per year, and the share
    of simulated futures that meet each year's target; "undefined" where nobody was in an
    indicator's denominator in some future."""
    lines = []
    for key, ind in indicators.INDICATORS.items():
        rows = df[df.indicator == key]
        lines.append(ind.label_da if lang == "da" else ind.label_en)
        for _, r in rows.iterrows():
            if np.isnan(r["mean"]):
                lines.append(f"  {int(r.year)}  undefined (nobody in the denominator in some futures)" if lang == "en"
                             else f"  {int(r.year)}  udefineret (ingen i nævneren i nogle fremtider)")
                continue
            text = f"  {int(r.year)}  {_fmt(ind.kind, r['mean'])}  [{_fmt(ind.kind, r.p05)} – {_fmt(ind.kind, r.p95)}]"
            if not np.isnan(r.target):
                met = "met in" if lang == "en" else "nået i"
                text += f"   target {_fmt(ind.kind, r.target)}, {met} {100 * r.share_meeting_target:.0f}% of futures"
            lines.append(text)
    return "\n".join(lines)


def _problems(lines: list[str]) -> int:
    for line in lines:
        print(line, file=sys.stderr)
    return EXIT_BAD_INPUT


def _error(message: str, code: int) -> int:
    print(f"error: {scenario.clip(message, 1000)}", file=sys.stderr)
    return code


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return _command(args)
    except scenario.ScenarioError as exc:
        return _problems(exc.problems)
    except rates.RateError as exc:                             # a broken rate file in model/data/rates/
        return _problems([f"rate files: {p}" for p in exc.problems])
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:                                    # e.g. `... | head`: stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_FAILED


def _command(args) -> int:
    if args.command == "describe":
        return describe_command(args)
    if args.command == "batch":
        return batch_command(args)
    if args.command == "summary":
        return summary_command(args)
    if args.command == "calibrate":
        return calibrate_command(args)
    if args.command in ("cost", "business-case"):
        from model.cli import cost
        return cost.cost(args) if args.command == "cost" else cost.business(args)
    if args.command in ("seek", "drivers"):
        from model.experiments import drivers, seek
        return {"seek": seek.command, "drivers": drivers.command}[args.command](args)
    if args.command == "discover":
        from model.cli import discover
        return discover.command(args)
    if args.command in ("actuals", "scorecard"):
        from model.cli import actuals, scorecard
        return {"actuals": actuals.command, "scorecard": scorecard.command}[args.command](args)
    if args.command == "sensitivity" and args.method == "sobol":
        from model.cli import sobol
        return sobol.command(args)
    if args.command == "sensitivity":
        from model.experiments import sensitivity
        try:
            r = sensitivity.run(args.trajectories, args.seed, args.scale, args.out, args.workers,
                                replications=args.replications, progress=not args.quiet)
            if args.write:
                sensitivity.write_docs(r)
        except OSError as exc:
            return _error(f"cannot write the results: {exc.strerror or exc} ({exc.filename or args.out})", EXIT_OUTPUT)
        except sensitivity.SensitivityIncomplete as exc:
            return _error(f"sensitivity: {exc}", EXIT_FAILED)
        top = r["table"][r["table"]["rank"] <= 5]
        print(top.to_string(index=False, float_format=lambda x: f"{x:.4g}"))
        print(f"{r['runs']} runs ({r['trajectories']} trajectories × {r['factors'] + 1} points × "
              f"{r['replications_per_point']} replications), scale {r['scale']}, "
              f"seed {r['seed']}; ranking stability between halves (Spearman): "
              + ", ".join(f"{k} {v:.2f}" for k, v in r["stability_spearman_between_halves"].items()))
        print(f"table and chart in {args.out}")
        return 0
    if args.command == "trials":
        from model.experiments import trials
        try:
            with progress.bar(len(trials.specs()), "trials", "trial", args.quiet) as bar:
                df = trials.run_all(args.seed, args.replications, args.scale, progress=bar.update)
        except ValueError as exc:
            return _error(str(exc), EXIT_BAD_INPUT)
        if args.write:
            try:
                df.to_csv(trials.RESULTS, index=False, float_format="%.4g")
            except OSError as exc:
                return _error(f"{trials.RESULTS}: cannot be written ({exc.strerror or exc})", EXIT_OUTPUT)
        if args.format == "csv":
            df.to_csv(sys.stdout, index=False, float_format="%.4g")
        else:
            print(df.to_string(index=False, float_format=lambda x: f"{x:.3g}"))
        return 0
    return run_command(args)


def run_command(args) -> int:
    sc = scenario.load(args.scenario)
    with progress.bar(args.replications, "run", "run", args.quiet) as bar:
        results = runner.run_replications(sc, args.replications, args.seed, args.engine, args.scale, chunk=args.chunk,
                                          progress=bar.update, keep_populations=False)      # one scenario: no rerun
    df = runner.state_summary(results) if args.states else runner.summary(results)
    rule = runner.count_rule(args.scale)
    if args.format == "csv":
        if args.scale != 1:
            print(f"note: {rule}", file=sys.stderr)
        df.to_csv(sys.stdout, index=False, float_format="%.6g")
        return 0
    print(f"{sc.name} — {args.replications} replications, seed {args.seed}, engine {args.engine}, "
          f"scenario {sc.hash}, model {__version__}; {rule}")
    if args.states:
        print(df.to_string(index=False, float_format=lambda x: f"{x:.1f}"))
    else:
        print(readable(df, args.lang))
    return 0


def describe_command(args) -> int:
    from model.reports import describe
    if not args.out:
        sys.stdout.write(describe.parameters_markdown())
        return 0
    try:
        describe.write(args.out)
    except OSError as exc:
        return _error(f"{args.out}: cannot be written ({exc.strerror or exc})", EXIT_OUTPUT)
    print(f"written to {args.out}", file=sys.stderr)
    return 0


CHECKED = ("values set by hand (docs/model.md §3.5): 2016 practice made a steady state of the status month under "
           "flat inputs (the warm start's burn-in), the fitted hazards kept where the targets allow; the targets "
           "checked here at these values, no fit (calibrate --check)")


def calibrate_command(args) -> int:
    from model.experiments import calibration
    try:
        with progress.bar(None, "calibrate", "evaluation", args.quiet) as bar:
            if args.check:
                r = calibration.check(args.seed, args.replications or 16, args.scale, progress=bar.update)
                r["method"] = CHECKED
            else:
                r = calibration.calibrate(args.seed, args.replications or 8, args.scale, progress=bar.update)
    except ValueError as exc:
        return _error(str(exc), EXIT_BAD_INPUT)
    print(f"{r['evaluations']} simulated evaluations (seed {r['seed']}, {r['replications']} replications, "
          f"scale {r['scale']}); cost {r['cost']:.4g}")
    for k, v in r["parameters"].items():
        print(f"  {k:28s} {r['start'][k]:.5g} -> {v:.5g}")
    for k, t in r["targets"].items():
        print(f"  {k:28s} target {t['target']:.4g}  fitted {t['fitted']:.4g}  error {t['error']:+.3g}")
    if args.write:
        try:
            calibration.write_back(r)
        except OSError as exc:
            return _error(f"model/data cannot be written ({exc.strerror or exc})", EXIT_OUTPUT)
        print("written to model/data/fitted.toml (values and the record of the fit)")
    return 0


def batch_command(args) -> int:
    """``python -m model batch``: exit codes as the module docstring says."""
    import signal

    from model.experiments import batch

    def stop(signum, frame):
        raise KeyboardInterrupt
    previous = signal.signal(signal.SIGTERM, stop)            # before the batch takes the signals over
    close = None
    try:
        executor = None
        if args.scheduler or args.dask_local:
            try:
                executor, close = batch.dask_executor(args.scheduler, args.dask_local)
            except ImportError:
                return _error("--scheduler and --dask-local need Dask: pip install -e '.[dask]'", EXIT_BAD_INPUT)
            except OSError as exc:
                return _error(str(exc), EXIT_BAD_INPUT)
        outcome = batch.run_batch(args.paths, args.replications, args.seed, args.out, executor=executor,
                                  workers=args.workers, scale=args.scale, progress=not args.no_progress,
                                  engine=args.engine, panel=args.panel)
    except scenario.ScenarioError as exc:
        return _problems(exc.problems)
    except batch.OutputError as exc:
        return _error(str(exc), EXIT_OUTPUT)
    except batch.DiskFull as exc:
        _error(str(exc), EXIT_DISK_FULL)
        for f in (exc.outcome.failed if exc.outcome else []):
            _failed(f)
        return EXIT_DISK_FULL
    except batch.BatchInterrupted as exc:
        o = exc.outcome
        done = o.skipped + o.done
        print(f"interrupted by {signal.Signals(exc.signum).name}: {done} job{'s' if done != 1 else ''} done, "
              f"{o.not_started} not run; rerun the same command to resume ({args.out})", file=sys.stderr)
        return 128 + exc.signum
    except KeyboardInterrupt:
        print(f"interrupted: rerun the same command to resume ({args.out})", file=sys.stderr)
        return 130
    finally:
        signal.signal(signal.SIGTERM, previous)
        if close:
            close()
    if outcome.failed:
        for f in outcome.failed:
            _failed(f)
        return EXIT_FAILED
    print(f"{outcome.done} jobs run, {outcome.skipped} already done; results in {outcome.out} "
          f"({runner.count_rule(args.scale)} in the summary)", file=sys.stderr)
    return 0


def _failed(f: dict) -> None:
    print(f"failed: scenario {f['scenario_id']} seed {f['seed']} replications from {f['first_replication']}: "
          f"{scenario.clip(f['error'], 300)}", file=sys.stderr)


def summary_command(args) -> int:
    import json

    from model.experiments import batch
    try:
        df = batch.load(args.out, "summary")
        manifest = json.loads((batch.Path(args.out) / "manifest.json").read_text(encoding="utf-8"))
        scale = float(manifest["identity"]["scale"])
    except FileNotFoundError:
        return _error(f"{args.out}: no summary (is it a finished batch folder?)", EXIT_BAD_INPUT)
    except Exception as exc:                                  # a corrupt or foreign file: one line, not a traceback
        return _error(f"{args.out}: summary or manifest not readable ({type(exc).__name__}: "
                      f"{scenario.clip(exc, 200)}); rerun the batch command to rewrite it", EXIT_BAD_INPUT)
    if args.format == "csv":
        df.to_csv(sys.stdout, index=False, float_format="%.6g")
    else:
        print(runner.count_rule(scale))
        with pd.option_context("display.width", 200, "display.max_rows", 1000):
            shown = [c for c in df.columns if c in outputs.COLUMNS and c != "scenario_id"]   # values in the file
            print(df[shown].to_string(index=False, float_format=lambda x: f"{x:.4g}"))
    return 0
