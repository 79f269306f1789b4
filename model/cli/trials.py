"""``python -m model trials``: each study behind a lever's effect, run again inside the model."""
from __future__ import annotations

import sys

from model.cli import args as a

HELP = "run each study behind a lever's effect inside the model"


def _min_scale() -> float:
    from model.experiments import trials
    return trials.MIN_SCALE


def add_arguments(p) -> None:
    p.add_argument("--format", choices=("table", "csv"), default="table")
    a.add_seed(p)
    p.add_argument("--replications", type=a.whole(1, 1000), default=15, help="replications, 1–1,000 (default 15)")
    p.add_argument("--scale", type=a.scale(_min_scale), default=0.5,
                   help="population scale (default 0.5); one too small for every arm to hold events is refused")
    p.add_argument("--write", action="store_true", help="also write docs/trials.csv (shown in the app)")
    p.add_argument("--quiet", action="store_true", help="no progress")


def command(args) -> int:
    from model.experiments import progress, trials
    try:
        with progress.bar(len(trials.specs()), "trials", "trial", args.quiet) as bar:
            df = trials.run_all(args.seed, args.replications, args.scale, progress=bar.update)
    except ValueError as exc:
        return a.error(str(exc), a.EXIT_BAD_INPUT)
    if args.write:
        try:
            df.to_csv(trials.RESULTS, index=False, float_format="%.4g")
        except OSError as exc:
            return a.error(f"{trials.RESULTS}: cannot be written ({exc.strerror or exc})", a.EXIT_OUTPUT)
    if args.format == "csv":
        df.to_csv(sys.stdout, index=False, float_format="%.4g")
    else:
        print(df.to_string(index=False, float_format=lambda x: f"{x:.3g}", na_rep="undefined"))
    return 0
