"""``python -m model business-case SCENARIO``: for every lever the scenario moves from 2016
practice (and all of them together), the effort's cost, the savings, the net and the payback month,
the change in people on temporary benefits in December 2020 and in every plan indicator in 2020,
and why (the lever's mechanism); ``--sensitivity`` which assumptions decide whether all levers
together pay. CSV for researchers, a readable table (mio. kr.) by default; ``--chart FILE`` also
writes the payback (or sensitivity) chart."""
from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING

from model.cli import args as a
from model.cli import cost

if TYPE_CHECKING:
    import pandas as pd

HELP = ("per lever the scenario moves from 2016 practice: the effort's cost, the savings, the net, the payback month, "
        "people on benefits, indicators")


def add_arguments(p) -> None:
    cost.add_arguments(p, versus=False)
    p.add_argument("--sensitivity", choices=("unit-costs", "all"), default=None,
                   help="instead: which assumptions decide whether all levers together pay — every unit cost at "
                        "its low and high end (re-priced, no new simulation), with 'all' also every effect size "
                        "(simulated again)")
    p.add_argument("--chart", metavar="FILE", default=None,
                   help="also write the chart (.png, .svg or .pdf): the payback chart, or with --sensitivity the "
                        "sensitivity chart")


def lever_label(key: str, lang: str) -> str:
    from model.costs import business_case
    from model.inputs import levers
    if key == business_case.ALL:
        return "Alle håndtag samlet" if lang == "da" else "All levers together"
    return levers.LEVERS[key].label(lang)


def command(args) -> int:
    """``python -m model business-case SCENARIO [--sensitivity unit-costs|all] [--chart FILE]``."""
    from model.costs import business_case
    from model.inputs import scenario
    sc = scenario.load(args.scenario)
    problems = cost.rates_problems()
    if problems:
        return a.problems([f"error: {p}" for p in problems])
    if not business_case.moved_levers(sc):
        return a.error(f"{args.scenario}: the scenario moves no lever from 2016 practice, so there is no business case; "
                       "allowed: a scenario that sets at least one lever in [levers] to a value other than its 2016 "
                       "practice (e.g. scenarios/plan-2017.toml)", a.EXIT_BAD_INPUT)
    chart = getattr(args, "chart", None)
    if chart and Path(chart).suffix.lower() not in (".png", ".svg", ".pdf"):
        return a.error(f"--chart {chart}: allowed a file name ending in .png, .svg or .pdf", a.EXIT_BAD_INPUT)
    from model.reports import charts, cost_charts
    stamp = charts.Stamp(sc.name, sc.hash, args.seed, args.replications)
    if getattr(args, "sensitivity", None):
        df = business_case.sensitivity(sc, args.replications, args.seed, args.scale,
                                       effects=["all"] if args.sensitivity == "all" else None)
        if chart:
            _write_chart(chart, cost_charts.sensitivity_chart(df, stamp, args.lang), args.lang)
        if args.format == "csv":
            cost.csv(df, args.scale)
            return 0
        print(cost.head(sc, args, args.lang))
        print(readable_sensitivity(df, args.lang))
        return 0
    outcomes, practice = business_case.run_outcomes(sc, args.replications, args.seed, args.scale)
    df = business_case.table(outcomes, practice)
    for line in cost.capacity_lines(outcomes[business_case.ALL].capacity_notes, args.lang):
        a.note(line)
    if chart:
        every = df[(df.lever == business_case.ALL) & (df.measure == business_case.PAYBACK)]["mean"].iloc[0]
        _write_chart(chart, cost_charts.payback_chart(business_case.cumulative(outcomes[business_case.ALL], practice),
                                                      every, stamp, args.lang), args.lang)
    if args.format == "csv":
        cost.csv(df, args.scale)
        return 0
    print(cost.head(sc, args, args.lang))
    print(readable_business_case(df, args.lang))
    return 0


def _write_chart(path: str, chart, lang: str) -> None:
    from model.reports import charts
    export, _ = charts.EXPORTS[Path(path).suffix.lower().lstrip(".")]
    Path(path).write_bytes(export(chart, lang))


def payback_text(x: float, lang: str) -> str:
    """A payback month in words ('marts 2018'), or 'not by 2020'."""
    from model.reports import cost_charts
    if x is None or not math.isfinite(x):
        return "ikke inden 2020" if lang == "da" else "not by 2020"
    return cost_charts.month_words(x, lang)


def readable_business_case(df: pd.DataFrame, lang: str) -> str:
    """Per lever: the effort's cost, the savings and the net 2017–2020, the payback month, people
    off temporary benefits in December 2020 and the net cost per person off; then the effort and the
    net per year, and every indicator's change in 2020 (means)."""
    import pandas as pd

    from model.costs import accounts, business_case
    from model.reports import numbers
    from model.sim import indicators
    da = lang == "da"
    mio = numbers.MIO[lang]
    heads = ((business_case.EFFORT, f"Indsats 2017–2020, {mio}" if da else f"Effort 2017–2020, {mio}"),
             (business_case.SAVINGS, f"Besparelse 2017–2020, {mio}" if da else f"Savings 2017–2020, {mio}"),
             (business_case.NET, f"Netto 2017–2020, {mio}" if da else f"Net 2017–2020, {mio}"),
             (business_case.PAYBACK, "Tjent hjem" if da else "Pays back"),
             (business_case.OFF, "Færre på midlertidig ydelse, dec. 2020" if da else "Fewer on temporary benefits, Dec 2020"),
             (business_case.PER_PERSON, "Kr. pr. person færre på ydelse" if da else "DKK per person fewer on benefits"))
    table = {}
    for lever in dict.fromkeys(df.lever):
        rows = df[df.lever == lever].set_index("measure")
        line = {}
        for measure, head in heads:
            if measure not in rows.index:
                line[head] = "–"
                continue
            r = rows.loc[measure]
            if measure in (business_case.NET, business_case.EFFORT, business_case.SAVINGS):
                line[head] = cost.cell(r, lang, signed=True)
            elif measure == business_case.PAYBACK:
                band = (f" ({payback_text(r.p05, lang)} – {payback_text(r.p95, lang)})"
                        if math.isfinite(r["mean"]) or math.isfinite(r.p05) else "")
                line[head] = payback_text(r["mean"], lang) + band
            else:
                line[head] = (f"{_signed_count(r['mean'], lang)} ({_signed_count(r.p05, lang)} – "
                              f"{_signed_count(r.p95, lang)})")
        table[lever_label(lever, lang)] = line
    first = pd.DataFrame.from_dict(table, orient="index").to_string()
    years = accounts.YEARS
    per_year = {lever_label(lever, lang): {
        **{f"{'indsats' if da else 'effort'} {y}": numbers.fmt_mio(_mean(df, lever, business_case.per_year("effort_cost_dkk", y)),
                                                                    lang, signed=True) for y in years},
        **{f"netto {y}" if da else f"net {y}": numbers.fmt_mio(_mean(df, lever, business_case.per_year("municipal_net_dkk", y)),
                                                               lang, signed=True) for y in years}}
        for lever in dict.fromkeys(df.lever)}
    second = pd.DataFrame.from_dict(per_year, orient="index").to_string()
    keys = list(indicators.INDICATORS)
    changes = {lever_label(lever, lang): {
        str(i + 1): _short_change(_mean(df, lever, business_case.indicator_measure(k)), indicators.INDICATORS[k].kind, lang)
        for i, k in enumerate(keys)} for lever in dict.fromkeys(df.lever)}
    third = pd.DataFrame.from_dict(changes, orient="index").to_string()
    units = {"share": "procentpoint" if da else "percentage points", "count": "personer" if da else "persons"}
    legend = "\n".join(f"  {i + 1}: {ind.label_da if da else ind.label_en}, {units[ind.kind]}"
                        for i, ind in enumerate(indicators.INDICATORS.values()))
    note = ("Ændring fra praksis 2016 til scenariets værdi, ét håndtag ad gangen og alle samlet; gennemsnit "
            "(5 % – 95 % af fremtiderne), kommunens udgifter efter refusion, før budgetgaranti og "
            "beskæftigelsestilskud. Indsats: sagsbehandlere, virksomhedskonsulenter, drift af tilbud, mentorer, "
            "kurser og IGU. Besparelse: mindre udgift til ydelser, løntilskud og flere integrationstilskud. Netto: + "
            "betyder, at kommunen betaler mere. Tjent hjem: den første måned fra januar 2017, hvor den samlede "
            "besparelse dækker den samlede indsats. Kr. pr. person kun hvor hver fremtid har mindst "
            f"{business_case.MIN_OFF} færre på ydelse." if da else
            "Change from 2016 practice to the scenario's value, one lever at a time and all together; mean (5 % – 95 % "
            "of futures), the municipality's costs after refusion, before the budget guarantee and the employment "
            "grant. Effort: caseworkers, company consultants, running offers, mentors, courses and IGU. Savings: less "
            "spent on benefits and wage subsidy and more integration grants. Net: + means the municipality pays more. "
            "Pays back: the first month from January 2017 in which the cumulative saving covers the cumulative effort. "
            f"DKK per person only where every future has at least {business_case.MIN_OFF} fewer on benefits.")
    head2 = (f"Indsats og netto pr. år, {mio} (gennemsnit)" if da else f"Effort and net per year, {mio} (mean)")
    head3 = "Ændring i planens indikatorer 2020 (gennemsnit)" if da else "Change in the plan's indicators 2020 (mean)"
    return f"{note}\n{first}\n\n{head2}\n{second}\n\n{head3}\n{third}\n{legend}\n\n{why(df, lang)}"


def _mean(df: pd.DataFrame, lever: str, measure: str) -> float:
    return float(df[(df.lever == lever) & (df.measure == measure)]["mean"].iloc[0])


def readable_sensitivity(df: pd.DataFrame, lang: str) -> str:
    """The assumptions that move the net change of all levers together most, with both ends."""
    import pandas as pd

    from model.inputs import assumptions
    from model.reports import numbers
    da = lang == "da"
    base = df.attrs.get("base", {})
    head = (f"Alle håndtag samlet: nettoudgift 2017–2020 {numbers.fmt_mio(base.get('net', float('nan')), lang, signed=True)} "
            f"{numbers.MIO[lang]}, tjent hjem {payback_text(base.get('payback', float('nan')), lang)}. Hver antagelse i den "
            "lave og den høje ende af sit spænd (én ad gangen):" if da else
            f"All levers together: net cost 2017–2020 {numbers.fmt_mio(base.get('net', float('nan')), lang, signed=True)} "
            f"{numbers.MIO[lang]}, pays back {payback_text(base.get('payback', float('nan')), lang)}. Each assumption at "
            "the low and the high end of its range (one at a time):")
    table = {}

    def end(value: float, net: float, months: float) -> str:
        return f"{value:g}: {numbers.fmt_mio(net, lang, signed=True)} · {payback_text(months, lang)}"
    for r in df.itertuples():
        table[assumptions.ASSUMPTIONS[r.factor].label(lang)] = {
            ("lav" if da else "low"): end(r.low, r.net_low, r.payback_low),
            ("høj" if da else "high"): end(r.high, r.net_high, r.payback_high)}
    return head + "\n" + pd.DataFrame.from_dict(table, orient="index").to_string()


def why(df: pd.DataFrame, lang: str) -> str:
    """Per lever, how it acts in the model (docs/model.md §3.5.1); a capacity never filled says so."""
    from model.costs import business_case
    from model.reports import mechanisms, numbers
    unused = business_case.unused_capacity(df)
    lines = ["Hvorfor (mekanismen i modellen)" if lang == "da" else "Why (the mechanism in the model)"]
    for lever in dict.fromkeys(df.lever):
        if lever == business_case.ALL:
            continue
        if lever in unused:
            n = numbers.fmt(unused[lever], "count", lang)
            text = (f"efterspørgslen er under {n} pladser; flere pladser ændrer intet ud over konsulenternes tid"
                    if lang == "da" else f"demand stays below {n} places; more places change nothing but the consultants' time")
        else:
            text = mechanisms.how(lever, lang)
        lines.append(f"  {lever_label(lever, lang)}: {text}.")
    return "\n".join(lines)


def _short_change(x: float, kind: str, lang: str) -> str:
    """A change without its unit: '+0,8' percentage points for a share, '−93' persons for a count."""
    from model.reports import numbers
    if kind == "count":
        return _signed_count(x, lang)
    pp = round(100 * x, 1)
    return ("+" if pp > 0 else "−" if pp < 0 else "±") + numbers.fmt(abs(x), "share", lang).removesuffix(" %")


def _signed_count(x: float, lang: str) -> str:
    from model.reports import numbers
    text = numbers.fmt(abs(x), "count", lang)
    return ("+" if round(x) > 0 else "−" if round(x) < 0 else "±") + text
