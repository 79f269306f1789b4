"""``python -m model cost SCENARIO``: the yearly gross spending, state refusion and net cost
2017–2020 — the municipality's, the state's and the public total — per component (each benefit,
the wage subsidy, the integration grants and the effort's parts), the staff the work needs, and
where the scenario asks for more staff than it caps; ``--versus OTHER.toml`` (a scenario of the same
municipality) the difference scenario − other with the same seeds. CSV for researchers, a readable
table (mio. kr.) by default."""
from __future__ import annotations

import sys

from model.cli import args as a

HELP = ("gross, refusion and net cost (the municipality's, the state's, the public total) per year 2017–2020 by "
        "benefit and effort")


def add_arguments(p, versus: bool = True) -> None:
    p.add_argument("scenario", help="scenario file (TOML), e.g. scenarios/plan-2017.toml")
    p.add_argument("--replications", type=a.whole(1, 1000), default=30, help="replications, 1–1,000 (default 30)")
    a.add_seed(p)
    p.add_argument("--scale", type=a.scale(), default=1.0, help=a.SCALE_HELP)
    p.add_argument("--format", choices=("table", "csv"), default="table", help="readable table (default) or CSV")
    a.add_lang(p, "labels in the table")
    if versus:
        p.add_argument("--versus", metavar="OTHER.toml",
                       help="also run OTHER (of the same municipality) with the same seeds and print scenario − other")


def rates_problems() -> list[str]:
    """Problems with the rate files (one line each), checked before anything runs."""
    from model.inputs import rates
    from model.sim import cost_rules
    try:
        cost_rules.tables()
    except rates.RateError as exc:
        return [f"rate files: {p}" for p in exc.problems]
    return []


def csv(df, scale: float) -> None:
    """A table as CSV on standard output (the count rule on standard error)."""
    from model.sim import runner
    if scale != 1:
        a.note(runner.count_rule(scale))
    df.to_csv(sys.stdout, index=False, float_format="%.6g")


def head(sc, args, lang: str) -> str:
    """The first line of a readable table: the scenario, futures, seed, versions, count rule."""
    from model import __version__
    from model.sim import runner
    if lang == "da":
        return (f"{sc.name} — {args.replications} fremtider, frø {args.seed}, scenarie {sc.hash}, model {__version__}; "
                f"{runner.count_rule(args.scale)}")
    return (f"{sc.name} — {args.replications} replications, seed {args.seed}, scenario {sc.hash}, "
            f"model {__version__}; {runner.count_rule(args.scale)}")


def command(args) -> int:
    """``python -m model cost SCENARIO [--versus OTHER]``."""
    from model.costs import accounts, effort
    from model.inputs import scenario
    from model.sim import runner
    sc = scenario.load(args.scenario)
    other = scenario.load(args.versus) if args.versus else None
    if other is not None and other.municipality != sc.municipality:
        return a.error(f"--versus {args.versus}: a scenario of {other.municipality.profile}, while {args.scenario} is "
                       f"of {sc.municipality.profile}: the difference of two municipalities' costs is no policy's effect; "
                       f"allowed: a scenario with municipality = \"{sc.municipality.profile}\"", a.EXIT_BAD_INPUT)
    problems = rates_problems()
    if problems:
        return a.problems([f"error: {p}" for p in problems])
    results = runner.run_replications(sc, args.replications, args.seed, scale=args.scale)
    if other is None:
        df = accounts.summary(results)
    else:
        df = accounts.difference(results, runner.run_replications(other, args.replications, args.seed, scale=args.scale))
    priced = effort.priced(results)
    for line in capacity_notes(priced, sc, args.lang):
        a.note(line)
    if args.format == "csv":
        csv(df, args.scale)
        return 0
    print(head(sc, args, args.lang))
    if other is not None:
        print(("Forskel «{a}» − «{b}», fremtid for fremtid (samme frø)" if args.lang == "da" else
               "Difference «{a}» − «{b}», future by future (same seeds)").format(a=sc.name, b=other.name))
    print(readable_costs(df, args.lang))
    print("\n".join(staff_lines(priced, sc, args.lang)))
    return 0


def cell(r, lang: str, signed: bool = False) -> str:
    """'12,3 (10,1 – 14,6)': a mean and its band in mio. kr."""
    from model.reports import numbers
    return (f"{numbers.fmt_mio(r['mean'], lang, signed=signed)} "
            f"({numbers.fmt_mio(r.p05, lang, signed=signed)} – {numbers.fmt_mio(r.p95, lang, signed=signed)})")


def staff_lines(p, sc, lang: str) -> list[str]:
    """The staff the work needs per year (mean over futures) beside 2016's staff and any cap."""
    from model import calendar
    from model.costs import effort
    from model.reports import numbers
    da = lang == "da"
    out = ["Årsværk, som arbejdet kræver (gennemsnit af fremtiderne; 2016: juli–december)" if da else
           "Full-time staff the work needs (mean of futures; 2016: July–December)"]
    names = {"caseworker": ("sagsbehandlere", "caseworkers"), "consultant": ("virksomhedskonsulenter", "company consultants")}
    for resource, (_, _, cap_key) in effort.STAFF.items():
        need = effort.staff_by_year(p, resource)["full"].mean(axis=0)
        cells = []
        for j, y in enumerate(calendar.REPORT_YEARS):
            cap = sc.cap(cap_key, y)
            cells.append(f"{y}: {numbers.fmt(need[j], 'count', lang)}" + (f" (loft {numbers.fmt(cap, 'count', lang)})"
                                                                          if cap is not None and da else
                                                                          f" (cap {numbers.fmt(cap, 'count', lang)})"
                                                                          if cap is not None else ""))
        staff = sc.inputs[cap_key][calendar.START_YEAR]
        out.append(f"  {names[resource][0 if da else 1]}: " + "; ".join(cells) +
                   (f" — ansat i 2016: {numbers.fmt(staff, 'count', lang)}" if da else
                    f" — employed in 2016: {numbers.fmt(staff, 'count', lang)}"))
    return out


def capacity_notes(p, sc, lang: str) -> list[str]:
    """One line per plan year in which the scenario asks for more staff than its cap."""
    from model.costs import effort
    return capacity_lines(effort.over_capacity(p, sc), lang)


def capacity_lines(notes, lang: str) -> list[str]:
    """One line per (staff, year) over its cap: what the scenario asks for and what suffers."""
    from model.reports import numbers
    out = []
    for resource, year, need, cap in notes:
        if lang == "da":
            what = ("sagsbehandlere: de ekstra samtaler, håndtagene kræver, gennemføres kun delvist"
                    if resource == "caseworker" else "virksomhedskonsulenter: færre pladser holdes åbne, og tilbud venter")
            out.append(f"{year}: scenariet kræver {numbers.fmt(need, 'count', lang)} årsværk {what.split(':')[0]}, "
                       f"men loftet er {numbers.fmt(cap, 'count', lang)} —{what.split(':')[1]}")
        else:
            what = ("caseworkers: the extra talks the levers ask for are delivered only in part"
                    if resource == "caseworker" else "company consultants: fewer places are kept open and offers wait")
            out.append(f"{year}: the scenario asks for {numbers.fmt(need, 'count', lang)} full-time "
                       f"{what.split(':')[0]}, but the cap is {numbers.fmt(cap, 'count', lang)} —{what.split(':')[1]}")
    return out


def readable_costs(df, lang: str) -> str:
    """One block per measure: components × years, mean (5 % – 95 % of futures) in mio. kr."""
    import pandas as pd

    from model.costs import accounts
    from model.reports import numbers
    band = "gennemsnit (5 % – 95 % af fremtiderne)" if lang == "da" else "mean (5 % – 95 % of futures)"
    order = [*accounts.COMPONENTS, accounts.TOTAL]
    blocks = []
    for measure in dict.fromkeys(df.measure):
        base, diff = measure.removesuffix("_diff"), measure.endswith("_diff")
        rows = df[df.measure == measure]
        title = accounts.MEASURE_LABELS[lang][base] + (" (forskel)" if diff and lang == "da" else " (difference)" if diff else "")
        table = {}
        for comp in sorted(set(rows.component), key=order.index):
            cells = rows[rows.component == comp].set_index("year")
            table[accounts.label(comp, lang)] = {str(y): cell(cells.loc[y], lang, diff) for y in accounts.YEARS}
        frame = pd.DataFrame.from_dict(table, orient="index")
        blocks.append(f"{title}, {numbers.MIO[lang]}, {band}\n{frame.to_string()}")
    return "\n\n".join(blocks)


