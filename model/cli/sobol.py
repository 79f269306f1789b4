"""``python -m model sensitivity --method sobol``: Sobol indices of the plan indicators, with words
on whether the sample is large enough (the ``sensitivity`` command's Sobol half)."""
from __future__ import annotations

import sys

from model.cli import args as a
from model.cli import sensitivity as cli_sensitivity


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


def command(args) -> int:
    """``python -m model sensitivity --method sobol``."""
    from model.experiments import sobol
    out = args.out or cli_sensitivity.SOBOL_OUT
    samples = args.samples or cli_sensitivity.SAMPLES
    try:
        factors = factor_keys(args.factors)
        sobol.problem(factors)
        if samples & (samples - 1):
            raise ValueError(f"--samples = {samples}, allowed a power of two (2, 4, 8, ...)")
    except ValueError as exc:
        return a.error(str(exc), a.EXIT_BAD_INPUT)
    r = cli_sensitivity.guarded(lambda: sobol.run(samples, args.seed, args.scale, out, args.workers,
                                                  progress=not args.quiet, replications=args.replications,
                                                  factors=factors), out)
    if isinstance(r, int):
        return r
    top = r["table"].groupby("indicator").head(5)
    print(cli_sensitivity.shown(top, 3))
    print(f"{r['runs']} runs ({r['samples']} base samples × ({r['factors']} factors + 2) points × "
          f"{r['replications_per_point']} replications), scale {r['scale']}, seed {r['seed']}; "
          f"S1 and ST with 95 % intervals; convergence in sobol_convergence.csv")
    for line in sobol.adequacy_words(r, args.lang):
        print(line)
    print(f"table and chart in {out}", file=sys.stderr)
    return 0
