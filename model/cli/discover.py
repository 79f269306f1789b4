"""``python -m model discover BATCH``: where in a sweep is a target met (PRIM), as a command: the
box, its coverage and density in words, and whether the batch is large enough to trust it."""
from __future__ import annotations

import sys

from model.cli import args as a

HELP = "scenario discovery (PRIM): the lever and assumption ranges in which a target is met"


def add_arguments(p) -> None:
    """The ``discover`` command's arguments (PRIM's defaults: numpy is loaded for this command only)."""
    from model.experiments import prim
    p.add_argument("out", metavar="BATCH", help="a finished batch folder (a sweep: levers or assumptions that vary)")
    p.add_argument("--indicator", type=a.indicator, default="long_term_unemployed",
                   help="the plan indicator whose target is to be met (default long_term_unemployed)")
    p.add_argument("--year", type=a.plan_year, default=2020, help="the target's year, 2017–2020 (default 2020)")
    p.add_argument("--threshold", type=a.share, default=prim.THRESHOLD,
                   help=f"density the box must reach, 0–1 (default {prim.THRESHOLD:g})")
    p.add_argument("--alpha", type=a.share, default=prim.ALPHA,
                   help=f"share peeled per step, 0–1 (default {prim.ALPHA:g})")
    p.add_argument("--min-mass", type=a.share, default=prim.MIN_MASS,
                   help=f"smallest share of futures a box may hold, 0–1 (default {prim.MIN_MASS:g})")
    p.add_argument("--to", type=a.out, default=None, help="folder for discover_*.csv and discover.png (default: BATCH)")
    p.add_argument("--write", action="store_true", help="also keep the box in docs/ (shown in the app's Om modellen)")
    a.add_lang(p, "sentences on the box")


def command(args) -> int:
    """``python -m model discover BATCH``: the box, its coverage and density."""
    from model.cli import sensitivity
    from model.experiments import discover
    try:
        discover.manifest_of(args.out)
        r = discover.run(args.out, args.indicator, args.year, args.threshold, args.alpha, args.min_mass, args.to)
        if args.write:
            discover.write_docs(r, args.out)
    except (ValueError, FileNotFoundError, KeyError) as exc:
        return a.error(str(exc).strip("'\""), a.EXIT_BAD_INPUT)
    except OSError as exc:
        return a.error(f"cannot write the results: {exc.strerror or exc} ({exc.filename or args.to})", a.EXIT_OUTPUT)
    print(f"{r['indicator']} {r['year']}, target {r['target']:g}: met in {r['met']} of {r['cases']} futures; "
          f"box: coverage {r['coverage']:.2f}, density {r['density']:.2f}, mass {r['mass']:.2f}")
    if r["density"] < args.threshold:
        print(f"  no box reaches density {args.threshold:g}: the densest is shown")
    shown = r["box"][r["box"].restricted]
    print(sensitivity.shown(shown, 4) if len(shown) else
          "  (no input restricted: the target is met about as often everywhere in the batch)")
    for line in discover.words(r, args.lang):
        print(line)
    print(f"table and chart in {args.to or args.out}", file=sys.stderr)
    return 0
