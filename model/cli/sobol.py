"""``python -m model sensitivity --method sobol``: Sobol indices of the plan indicators, as a command."""
from __future__ import annotations

from model.cli import EXIT_BAD_INPUT, EXIT_OUTPUT, _error
from model.experiments import sobol


def command(args) -> int:
    """``python -m model sensitivity --method sobol``."""
    out = args.out if args.out != "results/sensitivity" else "results/sobol"
    factors = [f.strip() for f in args.factors.split(",") if f.strip()] if args.factors else None
    try:
        sobol.problem(factors)
        if args.samples & (args.samples - 1):
            raise ValueError(f"--samples = {args.samples}, allowed a power of two (2, 4, 8, ...)")
    except ValueError as exc:
        return _error(str(exc), EXIT_BAD_INPUT)
    try:
        r = sobol.run(args.samples, args.seed, args.scale, out, args.workers, progress=not args.quiet,
                replications=args.replications, factors=factors)
    except OSError as exc:
        return _error(f"cannot write the results: {exc.strerror or exc} ({exc.filename or out})", EXIT_OUTPUT)
    top = r["table"].groupby("indicator").head(5)
    print(top.to_string(index=False, float_format=lambda x: f"{x:.3f}"))
    print(f"{r['runs']} runs ({r['samples']} base samples × ({r['factors']} factors + 2) points × "
          f"{r['replications_per_point']} replications), scale {r['scale']}, seed {r['seed']}; "
          f"S1 and ST with 95 % intervals; convergence in sobol_convergence.csv; table and chart in {out}")
    return 0
