"""``python -m model calibrate``: fit the assumption-marked base hazards to the 2016 targets."""
from __future__ import annotations

from model.cli import args as a

HELP = "fit assumption-marked base hazards to the 2016 targets"


def add_arguments(p) -> None:
    a.add_seed(p)
    p.add_argument("--replications", type=a.whole(1, 100), default=None,
                   help="replications per evaluation, 1–100 (default 8; 16 with --check)")
    p.add_argument("--scale", type=a.scale(), default=0.3,
                   help="population scale (default 0.3); one too small for a stable fit is refused")
    p.add_argument("--write", action="store_true", help="write the fitted values into model/data/")
    p.add_argument("--check", action="store_true",
                   help="no fit: the targets at the current values (a record of values set by hand; 16 replications "
                        "unless given)")
    p.add_argument("--quiet", action="store_true", help="no progress")


CHECKED = ("values set by hand (docs/model.md §3.5): 2016 practice made a steady state of the status month under "
           "flat inputs (the warm start's burn-in), the fitted hazards kept where the targets allow; the targets "
           "checked here at these values, no fit (calibrate --check)")


def command(args) -> int:
    from model.experiments import calibration, progress
    try:
        with progress.bar(None, "calibrate", "evaluation", args.quiet) as bar:
            if args.check:
                r = calibration.check(args.seed, args.replications or 16, args.scale, progress=bar.update)
                r["method"] = CHECKED
            else:
                r = calibration.calibrate(args.seed, args.replications or 8, args.scale, progress=bar.update)
    except ValueError as exc:
        return a.error(str(exc), a.EXIT_BAD_INPUT)
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
            return a.error(f"model/data cannot be written ({exc.strerror or exc})", a.EXIT_OUTPUT)
        print("written to model/data/fitted.toml (values and the record of the fit)")
    return 0
