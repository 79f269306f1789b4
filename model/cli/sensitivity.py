"""``python -m model sensitivity``: Morris screening (default) or, with ``--method sobol``, Sobol
indices of the assumptions and levers for the plan indicators in 2020.

Each method takes only its own options: ``--trajectories`` is Morris's, ``--samples`` and
``--factors`` are Sobol's (Morris screens every factor); a flag of the other method is refused
rather than ignored."""
from __future__ import annotations

import sys

from model.cli import args as a

HELP = "Morris screening or Sobol indices of the assumptions and levers (plan indicators, 2020)"
TRAJECTORIES = 10            # Morris's default
SAMPLES = 8                  # Sobol's default base samples
MORRIS_OUT, SOBOL_OUT = "results/sensitivity", "results/sobol"


def add_arguments(p) -> None:
    p.add_argument("--method", choices=("morris", "sobol"), default="morris",
                   help="morris (screening, default) or sobol (first-order and total indices with intervals)")
    p.add_argument("--trajectories", type=a.whole(1, 1000), default=None,
                   help=f"morris: trajectories, 1–1,000 (default {TRAJECTORIES})")
    p.add_argument("--samples", type=a.whole(2, 4096), default=None,
                   help=f"sobol: base samples N, a power of two (N × (factors + 2) points; default {SAMPLES})")
    p.add_argument("--factors", default=None, metavar="KEY,KEY",
                   help="sobol: only these assumptions or levers, a comma list (default: all)")
    p.add_argument("--quiet", action="store_true", help="no progress")
    a.add_seed(p)
    p.add_argument("--scale", type=a.scale(), default=0.5, help="population scale (default 0.5)")
    p.add_argument("--replications", type=a.whole(1, 100), default=5, help="replications per point, averaged, 1–100 "
                                                                          "(default 5)")
    p.add_argument("--workers", type=a.WORKERS, default=None, help="local worker processes (default: the cores)")
    p.add_argument("--out", type=a.out, default=None,
                   help=f"output folder (default {MORRIS_OUT} for morris: morris.csv, morris.png; {SOBOL_OUT} for "
                        "sobol: sobol.csv, sobol_convergence.csv, sobol.png)")
    p.add_argument("--write", action="store_true", help="morris: also keep the ranking in docs/ (shown in the app)")
    a.add_lang(p, "sentences on the screening or the sample's adequacy")


def mixed_flags(args) -> str | None:
    """A flag of the other method, in words; None when every flag given is the method's own."""
    if args.method == "morris":
        given = [f for f, v in (("--samples", args.samples), ("--factors", args.factors)) if v is not None]
        if given:
            return (f"{' and '.join(given)}: {'are' if len(given) > 1 else 'is'} for --method sobol; Morris screens "
                    "every assumption and lever; allowed with morris: --trajectories")
    elif args.trajectories is not None:
        return "--trajectories: is for --method morris; allowed with sobol: --samples and --factors"
    elif args.write:
        return "--write: keeps the Morris ranking in docs/; allowed with --method morris only"
    return None


def command(args) -> int:
    problem = mixed_flags(args)
    if problem:
        return a.error(problem, a.EXIT_BAD_INPUT)
    if args.method == "sobol":
        return sobol_command(args)
    from model.experiments import sensitivity
    out = args.out or MORRIS_OUT
    trajectories = args.trajectories or TRAJECTORIES
    code = guarded(lambda: sensitivity.run(trajectories, args.seed, args.scale, out, args.workers,
                                           replications=args.replications, progress=not args.quiet), out)
    if isinstance(code, int):
        return code
    r = code
    if args.write:
        try:
            sensitivity.write_docs(r)
        except OSError as exc:
            return a.error(f"docs/ cannot be written ({exc.strerror or exc})", a.EXIT_OUTPUT)
    top = r["table"][r["table"]["rank"] <= 5]
    print(shown(top, 4))
    for line in morris_words(r, args.lang):
        print(line)
    print(f"table and chart in {out}", file=sys.stderr)
    return 0


def factor_keys(text: str | None) -> list[str] | None:
    """``--factors``: None for all; ValueError for an empty list or a factor named twice."""
    if text is None:
        return None
    keys = [f.strip() for f in text.split(",")]
    if not any(keys):
        raise ValueError("--factors: empty; allowed a comma list of assumptions or levers (or leave --factors out "
                         "for all of them)")
    if "" in keys:
        raise ValueError(f"--factors {text!r}: an empty name between commas; allowed a comma list of assumptions or "
                         "levers")
    twice = [k for k in dict.fromkeys(keys) if keys.count(k) > 1]
    if twice:
        raise ValueError(f"--factors: {', '.join(twice)} given twice; allowed each factor once")
    return keys


def sobol_command(args) -> int:
    """``python -m model sensitivity --method sobol``: the indices, with words on whether the sample
    is large enough."""
    from model.experiments import sobol
    out = args.out or SOBOL_OUT
    samples = args.samples or SAMPLES
    try:
        factors = factor_keys(args.factors)
        sobol.problem(factors)
        if samples & (samples - 1):
            raise ValueError(f"--samples = {samples}, allowed a power of two (2, 4, 8, ...)")
    except ValueError as exc:
        return a.error(str(exc), a.EXIT_BAD_INPUT)
    r = guarded(lambda: sobol.run(samples, args.seed, args.scale, out, args.workers,
                                                  progress=not args.quiet, replications=args.replications,
                                                  factors=factors), out)
    if isinstance(r, int):
        return r
    top = r["table"].groupby("indicator").head(5)
    print(shown(top, 3))
    print(f"{r['runs']} runs ({r['samples']} base samples × ({r['factors']} factors + 2) points × "
          f"{r['replications_per_point']} replications), scale {r['scale']}, seed {r['seed']}; "
          f"S1 and ST with 95 % intervals; convergence in sobol_convergence.csv")
    for line in sobol.adequacy_words(r, args.lang):
        print(line)
    print(f"table and chart in {out}", file=sys.stderr)
    return 0


def morris_words(r: dict, lang: str) -> list[str]:
    """The screening's size, the ranking's stability between halves and the indicators undefined
    at some points, in words (an undefined stability is said, never printed as NaN)."""
    da = lang == "da"
    tie = "udefineret (halvdelenes rangordner er lige)" if da else "undefined (the halves' rankings are ties)"
    stability = ", ".join(f"{k} {v:.2f}" if v == v else f"{k} {tie}"
                          for k, v in r["stability_spearman_between_halves"].items())
    size = (f"{r['runs']} kørsler ({r['trajectories']} baner × {r['factors'] + 1} punkter × "
            f"{r['replications_per_point']} gentagelser), skala {r['scale']}, frø {r['seed']}" if da else
            f"{r['runs']} runs ({r['trajectories']} trajectories × {r['factors'] + 1} points × "
            f"{r['replications_per_point']} replications), scale {r['scale']}, seed {r['seed']}")
    if stability:
        size += (f"; rangordenens stabilitet mellem halvdelene (Spearman): {stability}" if da else
                 f"; ranking stability between halves (Spearman): {stability}")
    else:
        size += ("; stabiliteten måles ikke (færre end 4 baner)" if da else
                 "; ranking stability between halves: not measured (fewer than 4 trajectories)")
    lines = [size]
    points = r["points"]
    for key, missing in r.get("undefined_points", {}).items():
        if missing == points:
            lines.append(f"{key}: udefineret i alle punkter (ingen i nævneren): ingen rangorden" if da else
                         f"{key}: undefined at every point (nobody in its denominator): no ranking")
        else:
            lines.append(f"{key}: udefineret i {missing} af {points} punkter (ingen i nævneren); de tæller med "
                         "de andres gennemsnit" if da else
                         f"{key}: undefined at {missing} of {points} points (nobody in its denominator); those "
                         "points count with the mean of the others")
    return lines


def shown(df, digits: int) -> str:
    """A table with its numbers to ``digits`` significant digits and an undefined value said, never 'nan'."""
    def fmt(x) -> str:
        return "undefined" if x != x else f"{x:.{digits}g}"
    out = df.copy()
    for c in out.columns:
        if out[c].dtype.kind == "f":
            out[c] = out[c].map(fmt)
    return out.to_string(index=False)


def guarded(run, out: str):
    """``run()``'s result, or the exit code of a problem said in one line (an output folder that
    cannot be written or is in use, a full disk, a resume of another analysis, points that failed,
    an interrupt)."""
    import signal

    from model.experiments import batch, sensitivity
    from model.inputs import scenario
    try:
        return run()
    except scenario.ScenarioError as exc:          # the folder holds another analysis's runs
        return a.problems(exc.problems)
    except batch.OutputError as exc:
        return a.error(str(exc), a.EXIT_OUTPUT)
    except batch.DiskFull as exc:
        return a.error(str(exc), a.EXIT_DISK_FULL)
    except batch.BatchInterrupted as exc:
        print(f"interrupted by {signal.Signals(exc.signum).name}; rerun the same command to resume ({out})",
              file=sys.stderr)
        return 128 + exc.signum
    except sensitivity.SensitivityIncomplete as exc:
        return a.error(f"sensitivity: {exc}", a.EXIT_FAILED)
    except OSError as exc:
        return a.error(f"{exc.filename or out}: cannot be written ({exc.strerror or exc})", a.EXIT_OUTPUT)
