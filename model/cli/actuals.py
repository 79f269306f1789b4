"""``python -m model actuals import FILE... --municipality NAME --out DIR``: actual figures (Jobindsats
API responses, Statistikbanken CSV, the project's tidy CSV) into one table, ``DIR/actuals.parquet``.

A file that does not fit prints one line per problem and exits 2, writing nothing; the table is
written to a temporary name in DIR and renamed, so an interrupted import leaves the old table (or
none) behind, never half a table.
"""
from __future__ import annotations

import argparse
import datetime as dt
import sys

from model.cli import EXIT_OUTPUT, _error, _problems
from model.inputs import actuals


def _day(text: str) -> dt.date:
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text[:40]!r} is not a date, allowed YYYY-MM-DD") from None
    if day > dt.date.today():
        raise argparse.ArgumentTypeError(f"{day} lies in the future")
    return day


def add_parser(sub, epilog: str) -> None:
    """The ``actuals`` command and its ``import``."""
    a = sub.add_parser("actuals", epilog=epilog, help="import actual figures (Jobindsats, Statistikbanken, tidy CSV) "
                                                      "for the scorecard and the app")
    what = a.add_subparsers(dest="actuals_command", required=True)
    i = what.add_parser("import", epilog=epilog, help="read files into DIR/actuals.parquet (one tidy table)")
    i.add_argument("files", nargs="+", metavar="FILE",
                   help="Jobindsats API responses (JSON, or the API's CSV), Statistikbanken CSV (…;TID;INDHOLD), "
                        "or tidy CSV (measure,period,value,source,retrieved); docs/outputs.md lists the measures")
    i.add_argument("--municipality", required=True, metavar="NAME",
                   help="the municipality the figures are of: a profile (viborg), its name or its code (791)")
    i.add_argument("--out", required=True, metavar="DIR", help="folder for actuals.parquet (an old table is replaced)")
    i.add_argument("--retrieved", type=_day, metavar="YYYY-MM-DD",
                   help="when the Jobindsats or Statistikbanken files were downloaded (default: each file's date)")
    i.add_argument("--table", metavar="ID", help="the table's id (Y07A02, AUK01) for files not named after it")


def command(args) -> int:
    try:
        key = actuals.municipality(args.municipality)
        imported = actuals.read(args.files, key, args.retrieved, args.table)
    except actuals.ActualsError as exc:
        return _problems(exc.problems)
    try:
        path = actuals.write(imported.table, args.out)
    except OSError as exc:
        return _error(f"{args.out}: cannot be written ({exc.strerror or exc})", EXIT_OUTPUT)
    for note in imported.notes:
        print(f"note: {note}", file=sys.stderr)
    t = imported.table
    print(f"{path}: {len(t)} figures ({int(t['value'].isna().sum())} missing) of {t['measure'].nunique()} "
          f"measures for {key}")
    for m, g in t.groupby("measure", sort=True):
        first, last = g.iloc[0], g.iloc[-1]
        print(f"  {m}: {len(g)} from {actuals.label(first['period'], first['months'])} "
              f"to {actuals.label(last['period'], last['months'])}")
    return 0
