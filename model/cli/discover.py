"""``python -m model discover BATCH``: where in a sweep is a target met (PRIM), as a command."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from model.cli import EXIT_BAD_INPUT, EXIT_OUTPUT, _error
from model.experiments import discover
from model.sim import indicators


def add_arguments(p, seed_type=None) -> None:
    """The ``discover`` command's arguments."""
    p.add_argument("out", metavar="BATCH", help="a finished batch folder (a sweep: levers or assumptions that vary)")
    p.add_argument("--indicator", choices=list(indicators.INDICATORS), default="long_term_unemployed",
                   help="the plan indicator whose target is to be met (default long_term_unemployed)")
    p.add_argument("--year", type=int, default=2020, help="the target's year (default 2020)")
    p.add_argument("--threshold", type=_share, default=discover.THRESHOLD,
                   help=f"density the box must reach, 0–1 (default {discover.THRESHOLD:g})")
    p.add_argument("--alpha", type=_share, default=discover.ALPHA,
                   help=f"share peeled per step, 0–1 (default {discover.ALPHA:g})")
    p.add_argument("--min-mass", type=_share, default=discover.MIN_MASS,
                   help=f"smallest share of futures a box may hold, 0–1 (default {discover.MIN_MASS:g})")
    p.add_argument("--to", default=None, help="folder for discover_*.csv and discover.png (default: BATCH)")
    p.add_argument("--write", action="store_true", help="also keep the box in docs/ (shown in the app's Om modellen)")


def _share(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text[:40]!r} is not a number, allowed 0–1") from None
    if not 0 < value < 1:
        raise argparse.ArgumentTypeError(f"{value:g}, allowed between 0 and 1")
    return value


def command(args) -> int:
    """``python -m model discover BATCH``: the box, its coverage and density."""
    if not (Path(args.out) / "manifest.json").exists():
        return _error(f"{args.out}: not a batch folder (no manifest.json)", EXIT_BAD_INPUT)
    try:
        r = discover.run(args.out, args.indicator, args.year, args.threshold, args.alpha, args.min_mass, args.to)
        if args.write:
            discover.write_docs(r, args.out)
    except (ValueError, FileNotFoundError) as exc:
        return _error(str(exc), EXIT_BAD_INPUT)
    except OSError as exc:
        return _error(f"cannot write the results: {exc.strerror or exc} ({exc.filename or args.to})", EXIT_OUTPUT)
    print(f"{r['indicator']} {r['year']}, target {r['target']:g}: met in {r['met']} of {r['cases']} futures; "
          f"box: coverage {r['coverage']:.2f}, density {r['density']:.2f}, mass {r['mass']:.2f}")
    if r["density"] < args.threshold:
        print(f"  no box reaches density {args.threshold:g}: the densest is shown")
    shown = r["box"][r["box"].restricted]
    print(shown.to_string(index=False, float_format=lambda x: f"{x:.4g}") if len(shown) else
          "  (no input restricted: the target is met about as often everywhere in the batch)")
    print(f"table and chart in {args.to or args.out}", file=sys.stderr)
    return 0
