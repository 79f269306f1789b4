"""``python -m model describe``: the parameter tables (docs/parameters.md) from the data files."""
from __future__ import annotations

import sys

from model.cli import args as a

HELP = "the parameter tables (docs/parameters.md) from the data files, to standard output or --out"


def add_arguments(p) -> None:
    p.add_argument("--out", type=a.out, help="write to this file, e.g. docs/parameters.md")


def command(args) -> int:
    from model.reports import describe
    if not args.out:
        sys.stdout.write(describe.parameters_markdown())
        return 0
    try:
        describe.write(args.out)
    except OSError as exc:
        return a.error(f"{args.out}: cannot be written ({exc.strerror or exc})", a.EXIT_OUTPUT)
    print(f"written to {args.out}", file=sys.stderr)
    return 0
