"""``python -m model business-case SCENARIO``: for every lever the scenario moves from 2016
practice (and all of them together), the change in net cost 2017–2020, in people on temporary
benefits in December 2020 and in every plan indicator in 2020. CSV for researchers, a readable
table (mio. kr.) by default."""
from __future__ import annotations

from model.cli import args as a
from model.cli import cost

HELP = "per lever the scenario moves from 2016 practice: change in net cost, people on benefits, indicators"


def add_arguments(p) -> None:
    cost.add_arguments(p, versus=False)


def lever_label(key: str, lang: str) -> str:
    from model.costs import business_case
    from model.inputs import levers
    if key == business_case.ALL:
        return "Alle håndtag samlet" if lang == "da" else "All levers together"
    return levers.LEVERS[key].label(lang)


def command(args) -> int:
    """``python -m model business-case SCENARIO``."""
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
    df = business_case.run(sc, args.replications, args.seed, args.scale)
    if args.format == "csv":
        cost.csv(df, args.scale)
        return 0
    print(cost.head(sc, args, args.lang))
    print(readable_business_case(df, args.lang))
    return 0


def readable_business_case(df, lang: str) -> str:
    """Per lever: the change in net cost 2017–2020, people off temporary benefits in December 2020
    and the net cost per person off; then every indicator's change in 2020 (means)."""
    import pandas as pd

    from model.costs import business_case
    from model.reports import numbers
    from model.sim import indicators
    da = lang == "da"
    heads = ((business_case.NET, f"Nettoudgift 2017–2020, {numbers.MIO[lang]}" if da
              else f"Net cost 2017–2020, {numbers.MIO[lang]}"),
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
            if measure == business_case.NET:
                line[head] = cost.cell(r, lang, signed=True)
            else:
                line[head] = (f"{_signed_count(r['mean'], lang)} ({_signed_count(r.p05, lang)} – "
                              f"{_signed_count(r.p95, lang)})")
        table[lever_label(lever, lang)] = line
    first = pd.DataFrame.from_dict(table, orient="index").to_string()
    keys = list(indicators.INDICATORS)
    changes = {lever_label(lever, lang): {
        str(i + 1): _short_change(df[(df.lever == lever) & (df.measure == business_case.indicator_measure(k))]["mean"].iloc[0],
                                  indicators.INDICATORS[k].kind, lang)
        for i, k in enumerate(keys)} for lever in dict.fromkeys(df.lever)}
    second = pd.DataFrame.from_dict(changes, orient="index").to_string()
    units = {"share": "procentpoint" if da else "percentage points", "count": "personer" if da else "persons"}
    legend = "\n".join(f"  {i + 1}: {ind.label_da if da else ind.label_en}, {units[ind.kind]}"
                        for i, ind in enumerate(indicators.INDICATORS.values()))
    note = ("Ændring fra praksis 2016 til scenariets værdi, ét håndtag ad gangen og alle samlet; gennemsnit "
            "(5 % – 95 % af fremtiderne). Nettoudgift: + betyder, at kommunen betaler mere. Kr. pr. person kun hvor "
            f"hver fremtid har mindst {business_case.MIN_OFF} færre på ydelse." if da else
            "Change from 2016 practice to the scenario's value, one lever at a time and all together; mean (5 % – 95 % "
            "of futures). Net cost: + means the municipality pays more. DKK per person only where every future has at "
            f"least {business_case.MIN_OFF} fewer on benefits.")
    head2 = "Ændring i planens indikatorer 2020 (gennemsnit)" if da else "Change in the plan's indicators 2020 (mean)"
    return f"{note}\n{first}\n\n{head2}\n{second}\n{legend}\n\n{why(df, lang)}"


def why(df, lang: str) -> str:
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
            text = (f"efterspørgslen er under {n} pladser; flere pladser ændrer intet" if lang == "da" else
                    f"demand stays below {n} places; more places change nothing")
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
