"""The commands ``python -m model cost`` and ``python -m model business-case`` (parsed in cli.py).

``cost`` prints the yearly gross spending, state refusion and net cost 2017–2020 — the
municipality's, the state's and the public total — per component (each benefit, the wage subsidy,
the integration grants and the effort's parts), and says where the scenario asks for more staff
than it caps; ``--versus OTHER.toml`` the difference scenario − other with the same seeds.
``business-case`` prints, for every lever the scenario moves from 2016 practice (and all of them
together), the effort's cost, the savings, the net and the payback month, the change in people on
temporary benefits in December 2020 and in every plan indicator in 2020; ``--sensitivity`` which
assumptions decide whether all levers together pay. CSV for researchers, a readable table (mio.
kr.) by default; ``--chart FILE`` also writes the payback (or sensitivity) chart.
"""
from __future__ import annotations

import math
import sys
from pathlib import Path

import pandas as pd

from model import __version__, calendar
from model.costs import accounts, business_case, effort
from model.inputs import assumptions, levers, rates, scenario
from model.reports import mechanisms, numbers
from model.sim import cost_rules, indicators, runner

EXIT_BAD_INPUT = 2


def _bad(lines: list[str]) -> int:
    for line in lines:
        print(f"error: {scenario.clip(line, 1000)}", file=sys.stderr)
    return EXIT_BAD_INPUT


def _rates_ok() -> list[str]:
    """Problems with the rate files (one line each), checked before anything runs."""
    try:
        cost_rules.tables()
    except rates.RateError as exc:
        return [f"rate files: {p}" for p in exc.problems]
    return []


def _csv(df: pd.DataFrame, scale: float) -> None:
    if scale != 1:
        print(f"note: {runner.count_rule(scale)}", file=sys.stderr)
    df.to_csv(sys.stdout, index=False, float_format="%.6g")


def _head(sc: scenario.Scenario, args, lang: str) -> str:
    if lang == "da":
        return (f"{sc.name} — {args.replications} fremtider, frø {args.seed}, scenarie {sc.hash}, model {__version__}; "
                f"{runner.count_rule(args.scale)}")
    return (f"{sc.name} — {args.replications} replications, seed {args.seed}, scenario {sc.hash}, "
            f"model {__version__}; {runner.count_rule(args.scale)}")


# ---------------------------------------------------------------- cost

def cost(args) -> int:
    """``python -m model cost SCENARIO [--versus OTHER]``."""
    sc = scenario.load(args.scenario)
    other = scenario.load(args.versus) if args.versus else None
    problems = _rates_ok()
    if problems:
        return _bad(problems)
    results = runner.run_replications(sc, args.replications, args.seed, scale=args.scale)
    if other is None:
        df = accounts.summary(results)
    else:
        df = accounts.difference(results, runner.run_replications(other, args.replications, args.seed, scale=args.scale))
    notes = capacity_notes(effort.priced(results), sc, args.lang)
    for line in notes:
        print(f"note: {line}", file=sys.stderr)
    if args.format == "csv":
        _csv(df, args.scale)
        return 0
    print(_head(sc, args, args.lang))
    if other is not None:
        print(("Forskel «{a}» − «{b}», fremtid for fremtid (samme frø)" if args.lang == "da" else
               "Difference «{a}» − «{b}», future by future (same seeds)").format(a=sc.name, b=other.name))
    print(readable_costs(df, args.lang))
    print("\n".join(staff_lines(effort.priced(results), sc, args.lang)))
    return 0


def staff_lines(p: effort.Priced, sc: scenario.Scenario, lang: str) -> list[str]:
    """The staff the work needs per year (mean over futures) beside 2016's staff and any cap."""
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


def capacity_notes(p: effort.Priced, sc: scenario.Scenario, lang: str) -> list[str]:
    """One line per plan year in which the scenario asks for more staff than its cap."""
    return _capacity_lines(effort.over_capacity(p, sc), lang)


def _capacity_lines(notes, lang: str) -> list[str]:
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


def _cell(r, lang: str, signed: bool = False) -> str:
    return (f"{numbers.fmt_mio(r['mean'], lang, signed=signed)} "
            f"({numbers.fmt_mio(r.p05, lang, signed=signed)} – {numbers.fmt_mio(r.p95, lang, signed=signed)})")


def readable_costs(df: pd.DataFrame, lang: str) -> str:
    """One block per measure: components × years, mean (5 % – 95 % of futures) in mio. kr."""
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
            table[accounts.label(comp, lang)] = {str(y): _cell(cells.loc[y], lang, diff) for y in accounts.YEARS}
        frame = pd.DataFrame.from_dict(table, orient="index")
        blocks.append(f"{title}, {numbers.MIO[lang]}, {band}\n{frame.to_string()}")
    return "\n\n".join(blocks)


# ---------------------------------------------------------------- business case

def lever_label(key: str, lang: str) -> str:
    if key == business_case.ALL:
        return "Alle håndtag samlet" if lang == "da" else "All levers together"
    return levers.LEVERS[key].label(lang)


def business(args) -> int:
    """``python -m model business-case SCENARIO [--sensitivity unit-costs|all] [--chart FILE]``."""
    sc = scenario.load(args.scenario)
    problems = _rates_ok()
    if problems:
        return _bad(problems)
    if not business_case.moved_levers(sc):
        return _bad([f"{args.scenario}: the scenario moves no lever from 2016 practice, so there is no business case; "
                     "allowed: a scenario that sets at least one lever in [levers] to a value other than its 2016 "
                     "practice (e.g. scenarios/plan-2017.toml)"])
    chart = getattr(args, "chart", None)
    if chart and Path(chart).suffix.lower() not in (".png", ".svg", ".pdf"):
        return _bad([f"--chart {chart}: allowed a file name ending in .png, .svg or .pdf"])
    from model.reports import charts, cost_charts
    stamp = charts.Stamp(sc.name, sc.hash, args.seed, args.replications)
    if getattr(args, "sensitivity", None):
        df = business_case.sensitivity(sc, args.replications, args.seed, args.scale,
                                       effects=["all"] if args.sensitivity == "all" else None)
        if chart:
            _write_chart(chart, cost_charts.sensitivity_chart(df, stamp, args.lang), args.lang)
        if args.format == "csv":
            _csv(df, args.scale)
            return 0
        print(_head(sc, args, args.lang))
        print(readable_sensitivity(df, args.lang))
        return 0
    outcomes, practice = business_case.run_outcomes(sc, args.replications, args.seed, args.scale)
    df = business_case.table(outcomes, practice)
    for line in _capacity_lines(outcomes[business_case.ALL].capacity_notes, args.lang):
        print(f"note: {line}", file=sys.stderr)
    if chart:
        every = df[(df.lever == business_case.ALL) & (df.measure == business_case.PAYBACK)]["mean"].iloc[0]
        _write_chart(chart, cost_charts.payback_chart(business_case.cumulative(outcomes[business_case.ALL], practice),
                                                      every, stamp, args.lang), args.lang)
    if args.format == "csv":
        _csv(df, args.scale)
        return 0
    print(_head(sc, args, args.lang))
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
                line[head] = _cell(r, lang, signed=True)
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
    if kind == "count":
        return _signed_count(x, lang)
    pp = round(100 * x, 1)
    return ("+" if pp > 0 else "−" if pp < 0 else "±") + numbers.fmt(abs(x), "share", lang).removesuffix(" %")


def _signed_count(x: float, lang: str) -> str:
    text = numbers.fmt(abs(x), "count", lang)
    return ("+" if round(x) > 0 else "−" if round(x) < 0 else "±") + text
