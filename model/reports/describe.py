"""The parameter tables of the model description, written from the data files.

``python -m model describe`` prints them (``--out docs/parameters.md`` writes the file); a test
checks ``docs/parameters.md`` is up to date, so the documentation can never drift from the
numbers the model uses.
"""
from __future__ import annotations

from pathlib import Path

from model import paths
from model.inputs import assumptions, effort, levers, municipalities, params, rates
from model.inputs.municipalities import Municipality
from model.sim import indicators
from model.states import LABELS_DA, LABELS_EN, State

DOCS = paths.DOCS / "parameters.md"


def _tag(text: str) -> str:
    return text.replace("|", "/")


def _number(v: float) -> str:
    if float(v).is_integer():
        return f"{v:,.0f}"
    return f"{v:,.2f}" if abs(v) >= 10 else f"{v:.4g}"


RATE_FILES = {
    "benefits": "Benefit rates (satser)", "shares": "Shares: providers, living at home, average / maximum",
    "refusion": "Refusion staircase and clock", "sick_pay": "Sick pay: employer period",
    "flexjob": "Flex-job subsidy (fleksløntilskud)", "wage_subsidy": "Wage subsidy (løntilskud)",
    "offers": "Offers: operating costs and their refusion", "integration": "Integration grants",
    "disability_pension": "Disability pension (førtidspension) co-financing",
    "national": "National spending and recipients (plausibility check only)",
}


def rates_markdown(book: rates.RateBook | None = None) -> list[str]:
    """The rate files as tables: every rate with its unit, a value per year and its sources."""
    book = book or rates.book()
    out = ["## Rates and the cost model (Midler)", "",
           "From `model/data/rates/` (checked by `model/inputs/rates.py`); the cost rules in `model/sim/cost_rules.py` "
           "use them, and the cost model is described in `model.md` (\"Cost model\").", ""]
    for file, title in RATE_FILES.items():
        entries = book.entries[file]
        years = sorted({y for r in entries.values() for y in r.values}) if file == "national" else list(rates.YEARS)
        out += [f"### {title} (`{file}.toml`)", "",
                "| key | Danish | unit | " + " | ".join(map(str, years)) + " | source |",
                "|---|---|---|" + "---|" * len(years) + "---|"]
        for r in entries.values():
            cells = [_number(r.values[y]) if y in r.values else "–" for y in years]
            out.append(f"| `{r.key}` | {r.label_da} | {r.unit} | " + " | ".join(cells)
                       + f" | {_tag(rates.source_text(r))} |")
        out.append("")
        if file == "benefits":
            out += ["Which rate each state gets, by age band (categories weighted by the shares below; "
                    "`average` turns the maximum into the average payment):", "",
                    "| state | benefit | average | under 25 | 25–29 | 30+ |", "|---|---|---|---|---|---|"]
            for s in State:
                spec = book.states[s.name]
                bands = [", ".join(f"{role}: `{key}`" for role, key in spec.bands[b].items()) if b in spec.bands else "–"
                         for b in rates.BANDS]
                out.append(f"| `{s.name}` | {spec.kind} | {spec.average or '–'} | " + " | ".join(bands) + " |")
            out.append("")
        if file == "refusion":
            out += ["Covered by the staircase: " + ", ".join(f"`{s}`" for s in book.covered_states) + ".", ""]
        if file == "offers":
            for group, years in book.operating_refusion_groups.items():
                out += [f"Operating costs refunded within `ceiling_{group}`: " + "; ".join(
                    f"{y}: {', '.join(f'`{s}`' for s in states) or 'none'}" for y, states in years.items()) + ".", ""]
        if file == "national":
            out += ["Benefit groups compared and their tolerance factor f (the ratio must lie between 1/f and f): "
                    + "; ".join(f"`{g}` ({', '.join(states)}): {book.national_tolerances[g]:g}"
                                for g, states in book.national_groups.items()) + ".", ""]
    out += ["### Cost terms and rate keys (glossary)", "", "| key | Danish | English |", "|---|---|---|"]
    out += [f"| `{k}` | {da} | {en} |" for k, da, en in rates.glossary(book)]
    out.append("")
    return out


def parameters_markdown() -> str:
    out = ["# Parameters", "",
           "Written by `python -m model describe --out docs/parameters.md` from `model/data/`; do not edit by hand. Tags: "
           "`src:KEY` = stated in the source KEY (see *Sources*), `derived` = our arithmetic on sourced "
           "numbers, `assumption` = a modelling choice, to be calibrated.", ""]
    out += ["## States (glossary)", "", "| key | Danish | English |", "|---|---|---|"]
    out += [f"| `{s.name}` | {LABELS_DA[s]} | {LABELS_EN[s]} |" for s in State]
    out += ["", "## Base monthly hazards (2016 practice)", "",
            "Months in state from `from`; values are monthly probabilities (under 30 / 30+ where they differ).", "",
            "| state | from month | destination | probability | source |", "|---|---|---|---|---|"]
    raw = params.raw_hazards()
    fitted = {(s, start, dest) for s, start, dest, _ in params.fitted_overrides()}
    for state in State:
        for row in raw[state.name]:
            for dest, v in row.items():
                if dest in ("from", "tag"):
                    continue
                val = f"{v['young']:g} / {v['older']:g}" if isinstance(v, dict) else f"{v:g}"
                tag = _tag(row.get("tag", ""))
                if (state.name, row["from"], dest) in fitted:
                    tag += " · fitted (`data/fitted.toml`)"
                out.append(f"| `{state.name}` | {row['from']} | `{dest}` | {val} | {tag} |")
    out += ["", f"Education starts by calendar month (seasonality, mean 1): {raw['seasonality']['education_start']}.",
            f"Leaving the municipality (death, moving away) per month: under 31 {raw['exit']['young']:g}, "
            f"older {raw['exit']['older']:g} (src:TRAP-BEF; levels assumption).", ""]
    out += ["## Benefit rules", "", "| rule | parameter | value |", "|---|---|---|"]
    for section, values in params.rules().items():
        for k, v in values.items():
            out.append(f"| {section} | `{k}` | {v} |")
    out += ["", "Sources and explanations are in the comments of `model/data/rules.toml`.", ""]
    out += rates_markdown()
    out += ["## Levers", "", "| lever | label | unit | range | 2016 practice | plan | evidence | mechanism |",
            "|---|---|---|---|---|---|---|---|"]
    for k, lv in levers.LEVERS.items():
        plan = "" if not lv.plan else "; ".join(f"{y}: {v:g}" for y, v in lv.plan.items())
        out.append(f"| `{k}` | {lv.label_da} | {lv.unit_en} | {lv.allowed()} | {lv.practice_2016:g} | {plan or '–'} | "
                   f"{', '.join(lv.evidence)} | {_tag(lv.mechanism)} |")
    out += ["", "## Assumptions (effect sizes and other uncertain inputs)", "",
            "| assumption | label | value | range | unit | source |", "|---|---|---|---|---|---|"]
    for k, a in assumptions.EFFECTS.items():
        out.append(f"| `{k}` | {a.label_en} | {a.value:g} | {a.allowed()} | {a.unit} | {_tag(a.source)} |")
    out += effort_markdown()
    for name in municipalities.shipped():
        out += municipality_markdown(municipalities.load(name))
    out += ["", "## Sources", "", "| key | source |", "|---|---|"]
    out += [f"| {k} | {_tag(v)} |" for k, v in params.sources().items()]
    return "\n".join(out) + "\n"


def effort_markdown() -> list[str]:
    """The effort's unit costs (assumptions a scenario may vary) and what each run quantity costs."""
    out = ["", "## Unit costs of the effort (`data/effort.toml`)", "",
           "DKK amounts are in the prices of the year given and follow wages by `wage_index` a year (unless "
           "marked not indexed). Status: sourced (read in the source), derived (a formula of sourced figures) or "
           "assumed (no source found; the range is what the assumption spans).", "",
           "| unit cost | label | value | range | unit | year | status | source |", "|---|---|---|---|---|---|---|---|"]
    for k, a in assumptions.UNIT_COSTS.items():
        year = f"{a.price_year}" + ("" if effort.indexed(k) or not a.unit.startswith("DKK") else ", not indexed")
        out.append(f"| `{k}` | {a.label_en} | {a.value:g} | {a.allowed()} | {a.unit} | {year} | {a.status} | "
                   f"{_tag(a.source)} |")
    out += ["", "What a run's quantities cost (quantity × times / divide):", "",
            "| row | label | measure | quantity | times | divide | component | refund |", "|---|---|---|---|---|---|---|---|"]
    for p in effort.pricing():
        fmt = lambda xs: ", ".join(f"`{x}`" for x in xs) or "–"       # noqa: E731
        out.append(f"| `{p.key}` | {p.label_en} | {p.measure} | {fmt(p.quantity)} | {fmt(p.times)} | {fmt(p.divide)} | "
                   f"{p.component} | {p.refund}{' (rationed)' if p.rationed else ''} |")
    return out


def municipality_markdown(m: Municipality) -> list[str]:
    """A municipality profile's tables: population, demography, status, inputs, stocks, targets."""
    out = ["", f"## {m.name} (municipality profile `{m.profile}`)", "", "| item | value |", "|---|---|"]
    for section in ("population", "demography", "status_2016", "inputs"):
        for k, v in getattr(m, section).items():
            out.append(f"| {section}.`{k}` | {v} |")
    out += ["", "Initial stocks (July 2016; young = share under 30):", "", "| state | persons | young |", "|---|---|---|"]
    out += [f"| `{k}` | {v['count']} | {v['young']:g} |" for k, v in m.stocks.items()]
    out += ["", f"### The plan's indicators and targets ({m.name})", "",
            "| indicator | definition | status | 2017 | 2018 | 2019 | 2020 |", "|---|---|---|---|---|---|---|"]
    tg = m.targets
    for k, ind in indicators.INDICATORS.items():
        t = tg.get(k, {})
        years = t.get("years", {})
        cells = [f"{years[y]:g}" if y in years else "–" for y in (2017, 2018, 2019, 2020)]
        base = t.get("baseline")
        out.append(f"| `{k}` | {ind.definition_en} | {base if base is not None else '–'} | " + " | ".join(cells) + " |")
    return out


def write(path: str | Path) -> Path:
    """Write the tables to ``path`` (e.g. ``DOCS``, the copy kept in docs/)."""
    path = Path(path)
    path.write_text(parameters_markdown(), encoding="utf-8")
    return path
