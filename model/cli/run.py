"""``python -m model run SCENARIO``: a scenario's replications summarised against the plan's
targets (a table or CSV), its stocks per state (``--states``), or with ``--dry-run`` what the
scenario changes, before anything runs."""
from __future__ import annotations

import sys

from model.cli import args as a
from model.sim import limits

HELP = "run a scenario's replications and summarise the plan's indicators (--dry-run: what it changes)"


def add_arguments(p) -> None:
    p.add_argument("scenario", help="scenario file (TOML), e.g. scenarios/plan-2017.toml")
    p.add_argument("--replications", type=a.whole(1, 1000), default=30, help="replications, 1–1,000 (default 30)")
    a.add_seed(p)
    p.add_argument("--engine", choices=limits.ENGINES, default="fast", help="fast (default) or agents (Mesa)")
    p.add_argument("--format", choices=("table", "csv"), default="table", help="readable table (default) or CSV")
    p.add_argument("--states", action="store_true", help="stock per state and month instead of the indicators")
    p.add_argument("--scale", type=a.scale(), default=1.0, help=a.SCALE_HELP)
    a.add_lang(p, "labels in the table")
    p.add_argument("--chunk", type=a.whole(1, limits.CHUNK), default=None,
                   help=f"replications per job, 1–{limits.CHUNK} (default {limits.CHUNK}; the app uses 3: "
                        "its stamp says so, and --chunk 3 gives its numbers)")
    p.add_argument("--quiet", action="store_true", help="no progress (a bar on a terminal, a line every few "
                                                       "seconds in a log)")
    p.add_argument("--dry-run", action="store_true",
                   help="run nothing: say what the scenario changes from 2016 practice and from the plan, per year, "
                        "and how many citizens of July 2016 each changed lever can touch (--format csv: the table)")


def readable(df, lang: str) -> str:
    """The indicator summary as a table a person reads: mean [5–95 %] per year, and the share
    of simulated futures that meet each year's target; "undefined" where nobody was in an
    indicator's denominator in some future."""
    import numpy as np

    from model.sim import indicators

    def fmt(kind: str, x: float) -> str:
        return f"{x:6.0f}" if kind == "count" else f"{100 * x:5.1f}%"
    lines = []
    for key, ind in indicators.INDICATORS.items():
        rows = df[df.indicator == key]
        lines.append(ind.label_da if lang == "da" else ind.label_en)
        for _, r in rows.iterrows():
            if np.isnan(r["mean"]):
                lines.append(f"  {int(r.year)}  undefined (nobody in the denominator in some futures)" if lang == "en"
                             else f"  {int(r.year)}  udefineret (ingen i nævneren i nogle fremtider)")
                continue
            text = f"  {int(r.year)}  {fmt(ind.kind, r['mean'])}  [{fmt(ind.kind, r.p05)} – {fmt(ind.kind, r.p95)}]"
            if not np.isnan(r.target):
                met = "met in" if lang == "en" else "nået i"
                target = "target" if lang == "en" else "mål"
                futures = "of futures" if lang == "en" else "af fremtiderne"
                text += f"   {target} {fmt(ind.kind, r.target)}, {met} {100 * r.share_meeting_target:.0f}% {futures}"
            lines.append(text)
    return "\n".join(lines)


def command(args) -> int:
    from model import __version__
    from model.experiments import progress
    from model.inputs import scenario
    from model.sim import runner

    sc = scenario.load(args.scenario)
    if args.dry_run:
        return dry_run(sc, args)
    with progress.bar(args.replications, "run", "run", args.quiet) as bar:
        results = runner.run_replications(sc, args.replications, args.seed, args.engine, args.scale, chunk=args.chunk,
                                          progress=bar.update, keep_populations=False)      # one scenario: no rerun
    df = runner.state_summary(results) if args.states else runner.summary(results)
    rule = runner.count_rule(args.scale)
    if args.format == "csv":
        if args.scale != 1:
            a.note(rule)
        df.to_csv(sys.stdout, index=False, float_format="%.6g")
        return 0
    if args.lang == "da":
        print(f"{sc.name} — {args.replications} fremtider, frø {args.seed}, motor {args.engine}, "
              f"scenarie {sc.hash}, model {__version__}; {rule}")
    else:
        print(f"{sc.name} — {args.replications} replications, seed {args.seed}, engine {args.engine}, "
              f"scenario {sc.hash}, model {__version__}; {rule}")
    if args.states:
        print(df.to_string(index=False, float_format=lambda x: f"{x:.1f}"))
    else:
        print(readable(df, args.lang))
    return 0


def dry_run(sc, args) -> int:
    """What the scenario changes, in words and as a table; nothing is simulated."""
    from model.reports import dry_run as dr
    d = dr.explain(sc)
    if args.format == "csv":
        d.table(args.lang).to_csv(sys.stdout, index=False)
        return 0
    print(d.text(args.lang))
    return 0
