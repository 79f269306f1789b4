"""``python -m model summary BATCH``: a batch's summary, filtered (``--indicator``, ``--year``,
``--scenario``) and as a table that fits a terminal (the lever and assumption columns stay in the
files and in ``--format csv``)."""
from __future__ import annotations

import shutil
import sys

from model.cli import args as a

HELP = "print the summary table of a batch folder (filter with --indicator, --year, --scenario)"
TERMINAL_ROWS = 100          # rows shown on a terminal before the rest is only counted
SHOWN = ("scenario", "indicator", "year", "runs", "mean", "p05", "p95", "target", "share_meeting_target")


def add_arguments(p) -> None:
    p.add_argument("out", metavar="BATCH", help="batch output folder")
    p.add_argument("--format", choices=("table", "csv"), default="table",
                   help="a table that fits the terminal (default) or CSV with every column")
    p.add_argument("--indicator", type=a.indicator, action="append", metavar="KEY",
                   help="only this plan indicator (repeatable)")
    p.add_argument("--year", type=a.whole(2016, 2020), action="append", help="only this year, 2016–2020 (repeatable)")
    p.add_argument("--scenario", action="append", metavar="ID_OR_TEXT",
                   help="only scenarios whose id is this or whose label contains it (repeatable)")


def command(args) -> int:
    import json
    from pathlib import Path

    import pandas as pd

    from model.experiments import batch
    from model.sim import runner
    try:
        df = batch.load(args.out, "summary")
        manifest = json.loads((Path(args.out) / "manifest.json").read_text(encoding="utf-8"))
        scale = float(manifest["identity"]["scale"])
    except FileNotFoundError:
        return a.error(f"{args.out}: no summary (is it a finished batch folder?)", a.EXIT_BAD_INPUT)
    except Exception as exc:                                  # a corrupt or foreign file: one line, not a traceback
        return a.error(f"{args.out}: summary or manifest not readable ({type(exc).__name__}: {exc}); rerun the "
                       "batch command to rewrite it", a.EXIT_BAD_INPUT)
    total = len(df)
    if args.indicator:
        df = df[df.indicator.isin(args.indicator)]
    if args.year:
        df = df[df.year.isin(args.year)]
    if args.scenario:
        keep = pd.Series(False, index=df.index)
        for text in args.scenario:
            hit = (df.scenario_id == text) | df.scenario.str.contains(text, case=False, regex=False)
            if not hit.any():
                labels = ", ".join(dict.fromkeys(df.scenario))
                return a.error(f"--scenario {text!r}: no scenario of the batch has that id or a label containing it; "
                               f"allowed: an id or a part of a label: {labels}", a.EXIT_BAD_INPUT)
            keep |= hit
        df = df[keep]
    if args.format == "csv":
        df.to_csv(sys.stdout, index=False, float_format="%.6g")
        return 0
    print(runner.count_rule(scale))
    width = shutil.get_terminal_size((120, 40)).columns
    rows = df.head(TERMINAL_ROWS) if sys.stdout.isatty() else df
    print(table(rows, width))
    left = len(df) - len(rows)
    if left:
        print(f"… {left:,} more rows of {len(df):,}: narrow with --indicator, --year or --scenario, or --format csv for "
              "all (with the lever and assumption values)")
    elif len(df) < total:
        print(f"{len(df):,} of {total:,} rows")
    return 0


def table(df, width: int = 120) -> str:
    """The summary's main columns, numbers short, undefined values said, the scenario's label
    clipped so that a row fits ``width`` characters."""
    import numpy as np

    from model.lines import clip

    def number(x) -> str:
        return "undefined" if not np.isfinite(x) else f"{x:.4g}"

    def met(x) -> str:
        return "" if not np.isfinite(x) else f"{100 * x:.0f}%"
    out = df[list(SHOWN)].copy()
    for c in ("mean", "p05", "p95"):
        out[c] = out[c].map(number)
    out["target"] = out["target"].map(lambda x: number(x) if np.isfinite(x) else "")
    out["share_meeting_target"] = out["share_meeting_target"].map(met)
    out = out.rename(columns={"share_meeting_target": "met"})
    rest = max(len(out.to_string(index=False, columns=[c for c in out.columns if c != "scenario"]).split("\n")[0]), 40)
    room = max(12, width - rest - 2)
    out["scenario"] = out["scenario"].map(lambda s: clip(s, room))
    return out.to_string(index=False, justify="left")
