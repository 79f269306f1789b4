"""Command line: ``python -m model COMMAND ...``, one module per command in this package (its
``HELP``, ``add_arguments`` and ``command``), exit codes and argument types in ``args``.

Bad input (an unknown field, a value out of range, broken TOML, a missing or unreadable file,
an argument out of its range) prints one line per problem and exits with code 2, having run and
written nothing; the exit codes are listed in ``args`` (and in ``--help``, docs/batches.md).
Command modules import the heavy libraries (numpy, pandas, the compiled engine) inside
``command``: ``--help`` and argument errors answer at once.

May import: every package below it; nothing imports the command line.
"""
from __future__ import annotations

import importlib
import os
import sys

from model import __version__
from model.cli.args import (  # noqa: F401  (cli.EXIT_... as before)
    EXIT_BAD_INPUT,
    EXIT_CODES,
    EXIT_DISK_FULL,
    EXIT_FAILED,
    EXIT_OUTPUT,
    EXIT_SIGINT,
    Parser,
    plain_output,
    problems,
)

# The commands, in the order --help lists them; each is the module of its name ('-' as '_').
COMMANDS = ("run", "describe", "batch", "summary", "trials", "calibrate", "cost", "business-case", "sensitivity",
            "discover", "seek", "drivers", "actuals", "scorecard")


def module(command: str):
    """The module of a command."""
    return importlib.import_module(f"model.cli.{command.replace('-', '_')}")


def build_parser(only: str | None = None) -> Parser:
    """The parser of every command, or (``only``) with the arguments of that command alone: the
    others are listed, their modules' imports not paid for."""
    p = Parser(prog="python -m model", epilog=EXIT_CODES,
               description="Policy simulator for Viborg Kommune's employment plan 2017–2020.")
    p.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND", parser_class=Parser)
    for name in COMMANDS:
        m = module(name)
        c = sub.add_parser(name, help=m.HELP, description=m.HELP, epilog=EXIT_CODES)
        if only in (None, name):
            m.add_arguments(c)
    return p


def _named(argv: list[str]) -> str | None:
    """The command ``argv`` names (its first word that is not an option), if it is one."""
    first = next((x for x in argv if not x.startswith("-")), None)
    return first if first in COMMANDS else None


def main(argv: list[str] | None = None) -> int:
    plain_output()
    argv = sys.argv[1:] if argv is None else list(argv)
    args = build_parser(_named(argv) or "").parse_args(argv)          # no command: none's arguments
    from model.inputs import rates, scenario
    try:
        return module(args.command).command(args)
    except scenario.ScenarioError as exc:
        return problems(exc.problems)
    except rates.RateError as exc:                             # a broken rate file in model/data/rates/
        return problems([f"rate files: {p}" for p in exc.problems])
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return EXIT_SIGINT
    except BrokenPipeError:                                    # e.g. `... | head`: stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_FAILED
