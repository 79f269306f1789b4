"""Plan, model og virkelighed: the plan's targets, the simulated band and what actually happened,
per indicator and year, in a table and in words; and the scorecard of every actual figure as a
summary a person reads (``python -m model scorecard``; the app's view of the same name).

A figure is held against the model only where the model counts the same way (``measures``); the
words say so where it does not. Shares are shown as percentages, counts as persons.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from model import calendar
from model.inputs import measures
from model.inputs.municipalities import Municipality
from model.reports.numbers import fmt, fmt_change
from model.sim import indicators

if TYPE_CHECKING:                    # the charts (Altair, vl-convert) are imported only to draw one
    from model.reports import charts

COLUMNS = ["measure", "period", "actual", "mean", "p05", "p95", "inside_band"]    # the scorecard's CSV
TEXT = {
    "da": {
        "inside": "I {y} lå den faktiske værdi ({a}) inden for modellens bånd ({lo} – {hi})",
        "above": "I {y} lå den faktiske værdi ({a}) over modellens bånd ({lo} – {hi})",
        "below": "I {y} lå den faktiske værdi ({a}) under modellens bånd ({lo} – {hi})",
        "no_band": "I {y} er den faktiske værdi {a}; modellens tal er udefineret",
        "met": "målet ({t}) blev nået", "not_met": "målet ({t}) blev ikke nået", "no_target": "planen sætter intet mål",
        "no_actual": "For {y} er der ingen faktisk værdi indlæst",
        "caught": "{k} af {n} faktiske tal inden for modellens 5–95 %-bånd (en velkalibreret model fanger omkring 90 %)",
        "error": "gennemsnitlig fejl (faktisk − simuleret gennemsnit): {e}",
        "misses": "uden for båndet: {above} over, {below} under",
        "runs_high": "modellen ligger over det faktiske", "runs_low": "modellen ligger under det faktiske",
        "both": "ingen fast retning",
        "status": "statusmåneden {p}: modellen starter fra planens tal ({a} mod {m}), så punktet er ingen test",
        "left_head": "Ikke sammenlignet:", "figures": "tal", "retrieved": "hentet",
        "none": "Ingen af de faktiske tal kan holdes op mod modellens tal.",
        "head": "Modellen holdt op mod det faktiske: {name}, {n} fremtider, frø {seed}",
        "columns": {"indicator": "Indikator", "year": "År", "target": "Mål", "band": "Modellen (5–95 %)",
                    "actual": "Faktisk", "source": "Kilde", "words": "I ord"},
        "actual_line": "Faktisk: {s}", "read": "hentet {d}",
        "title": "Plan, model og virkelighed",
    },
    "en": {
        "inside": "In {y} the actual value ({a}) lay inside the model's band ({lo} – {hi})",
        "above": "In {y} the actual value ({a}) lay above the model's band ({lo} – {hi})",
        "below": "In {y} the actual value ({a}) lay below the model's band ({lo} – {hi})",
        "no_band": "In {y} the actual value is {a}; the model's number is undefined",
        "met": "the target ({t}) was met", "not_met": "the target ({t}) was not met", "no_target": "the plan sets no target",
        "no_actual": "For {y} no actual value is loaded",
        "caught": "{k} of {n} actual figures inside the model's 5–95 % band (a well-calibrated model catches about 90 %)",
        "error": "mean error (actual − simulated mean): {e}",
        "misses": "outside the band: {above} above, {below} below",
        "runs_high": "the model runs high", "runs_low": "the model runs low", "both": "no steady direction",
        "status": "status month {p}: the model starts from the plan's figure ({a} against {m}), so the point is no test",
        "left_head": "Not compared:", "figures": "figures", "retrieved": "retrieved",
        "none": "None of the actual figures can be held against a number of the model.",
        "head": "The model held against what happened: {name}, {n} futures, seed {seed}",
        "columns": {"indicator": "Indicator", "year": "Year", "target": "Target", "band": "Model (5–95 %)",
                    "actual": "Actual", "source": "Source", "words": "In words"},
        "actual_line": "Actual: {s}", "read": "retrieved {d}",
        "title": "Plan, model and reality",
    },
}


def label(key: str, lang: str = "da") -> str:
    """A measure's name: 'Sygedagpenge, personer i måneden' (an indicator's subject by its own label)."""
    m = measures.measures()[key]
    ind = indicators.INDICATORS.get(m.subject)
    return m.label(lang, (ind.label_da if lang == "da" else ind.label_en) if ind else "")


def indicator_measure(key: str) -> measures.Measure | None:
    """The measure of an indicator's actual figures (its only count), if the mapping has one."""
    found = measures.of_subject(key)
    return found[0] if found else None


def help_text(subject: str, lang: str = "da") -> str:
    """The app's help for an indicator or state: the official measure of each of its counts (or why
    none matches) and what the model holds against it, or why nothing."""
    none = {"da": "intet officielt tal", "en": "no official figure"}[lang]
    lines = []
    for m in measures.of_subject(subject):
        official = m.official(lang)
        parts = [f"**{m.count.label[lang]}**: " + (official if official != measures.NONE[lang] else none)]
        if official == measures.NONE[lang] or (not m.jobindsats and not m.statistikbanken and m.none[lang]):
            parts.append(m.none[lang])
        elif m.note[lang]:
            parts.append(m.note[lang])
        parts.append(m.comparison(lang))
        lines.append("- " + "; ".join(p for p in parts if p) + ".")
    return "\n".join(lines)


def _reading_point(m: measures.Measure, year: int) -> tuple[dt.date, int]:
    """Where a year's indicator is read: December (stocks, shares) or the calendar year (flows); the
    status year at the status month."""
    if m.count.key == "year_share":
        return dt.date(year, 1, 1), 12
    if year == calendar.START_YEAR:
        return dt.date(calendar.START_YEAR, calendar.START_MONTH, 1), 1
    return dt.date(year, 12, 1), 1


def source_line(rows: pd.DataFrame, lang: str = "da") -> str:
    """'Faktisk: Jobindsats Y07A02, Antal personer (hentet 2026-12-07)': each source with its vintage."""
    t = TEXT[lang]
    parts = dict.fromkeys(f"{s} ({t['read'].format(d=r)})" for s, r in zip(rows.source, rows.retrieved))
    return t["actual_line"].format(s="; ".join(parts))


def observed_indicator(actual: pd.DataFrame | None, key: str, lang: str = "da") -> charts.Observed | None:
    """An indicator's actual figures at its years' reading points, for its chart (None if none)."""
    from model.reports import charts
    m = indicator_measure(key)
    if m is None or actual is None or not len(actual):
        return None
    hits = []
    for year in calendar.REPORT_YEARS:
        first, months = _reading_point(m, year)
        hit = actual[(actual.measure == m.key) & (actual.period == first) & (actual.months == months)
                     & actual.value.notna()]
        if len(hit):
            hits.append(hit.iloc[0].to_dict() | {"x": year})
    if not hits:
        return None
    rows = pd.DataFrame(hits)
    return charts.Observed(rows[["x", "value"]], source_line(rows, lang))


def observed_measure(actual: pd.DataFrame, key: str, lang: str = "da") -> charts.Observed | None:
    """A measure's monthly actual figures, for its chart (None if none)."""
    from model.reports import charts
    rows = actual[(actual.measure == key) & (actual.months == 1) & actual.value.notna()]
    if not len(rows):
        return None
    points = pd.DataFrame({"x": [str(d) for d in rows.period], "value": rows.value.to_numpy(float)})
    return charts.Observed(points, source_line(rows, lang))


def measure_charts(actual: pd.DataFrame, bands: pd.DataFrame, stamp: charts.Stamp,
                   lang: str = "da") -> dict[str, charts.Spec]:
    """A chart of every compared measure with monthly actual figures: the model's band of the same
    definition beside them, by measure key."""
    from model.reports import charts
    out = {}
    for key in dict.fromkeys(actual.measure):
        m = measures.measures()[key]
        seen = observed_measure(actual, key, lang)
        band = bands[(bands.measure == key) & (bands.months == 1)]
        if m.compared and seen is not None and band["mean"].notna().any():
            out[key] = charts.measure_chart(band, seen, label(key, lang), m.kind, stamp, lang)
    return out


@dataclass(frozen=True)
class Pack:
    """What actually happened, for the council pack: the figures, where they come from, and the
    scorecard computed against a run (``experiments.scorecard.score``)."""

    actual: pd.DataFrame
    bands: pd.DataFrame
    scored: pd.DataFrame
    left: list
    municipality: Municipality
    origin: str                   # where the figures come from, in words (the example, the files loaded)


def pack_files(pack: Pack, summary: pd.DataFrame, stamp: charts.Stamp, lang: str = "da") -> dict[str, bytes]:
    """The council pack's part on what actually happened: the table per indicator and year with
    its sentences (CSV, text and a one-page PDF), the scorecard of every figure, and each compared
    measure's chart beside the model's band (PNG, SVG, PDF)."""
    from model.reports import charts
    t = TEXT[lang]
    folder = "virkelighed" if lang == "da" else "reality"
    years = year_table(summary, pack.actual, pack.municipality, lang)
    cols = t["columns"]
    shown = pd.DataFrame({cols["indicator"]: years.label, cols["year"]: years.year,
                          cols["target"]: [fmt(v, k, lang, 0) for v, k in zip(years.target, years.kind)],
                          cols["band"]: [f"{fmt(a, k, lang)} – {fmt(b, k, lang)}"
                                         for a, b, k in zip(years.p05, years.p95, years.kind)],
                          cols["actual"]: [fmt(v, k, lang) for v, k in zip(years.actual, years.kind)],
                          cols["source"]: years.source, cols["words"]: years.sentence})
    sentences = [f"{r.label}: {r.sentence}" for r in years.itertuples()]
    summary_words = summary_text(pack.scored, pack.left, lang, head=pack.origin)
    files = {f"{folder}/{'aar' if lang == 'da' else 'years'}.csv": shown.to_csv(index=False).encode("utf-8"),
             f"{folder}/scorecard.csv": pack.scored[COLUMNS].to_csv(index=False).encode("utf-8"),
             f"{folder}/{'resume' if lang == 'da' else 'summary'}.txt":
                 ("\n".join([t["title"], pack.origin, "", *sentences, "", summary_words, "", stamp.text(lang)]) + "\n")
                 .encode("utf-8")}
    page = charts.text_block(t["title"], [pack.origin, *sentences, " ", *stamp.lines(lang)])
    files[f"{folder}/{'plan-model-virkelighed' if lang == 'da' else 'plan-model-reality'}.pdf"] = \
        charts.page_pdf([[charts._base(page)]])
    for key, chart in measure_charts(pack.actual, pack.bands, stamp, lang).items():
        for ext, (export, _) in charts.EXPORTS.items():
            files[f"{folder}/{key}.{ext}"] = export(chart, lang)
    return files


def year_table(summary: pd.DataFrame, actual: pd.DataFrame | None, municipality: Municipality,
               lang: str = "da") -> pd.DataFrame:
    """Per indicator and plan year: the target, the simulated mean and band (the summary's), the
    actual figure at the year's reading point (December, or the year for a flow) with its source,
    whether it lay inside the band, whether it met the target, and a sentence saying both."""
    targets = municipality.targets
    rows = []
    for key, ind in indicators.INDICATORS.items():
        m = indicator_measure(key)
        for year in calendar.PLAN_YEARS:
            s = summary[(summary.indicator == key) & (summary.year == year)].iloc[0]
            a = None
            if m is not None and actual is not None and len(actual):
                first, months = _reading_point(m, year)
                hit = actual[(actual.measure == m.key) & (actual.period == first) & (actual.months == months)
                             & actual.value.notna()]
                a = hit.iloc[0] if len(hit) else None
            value = float(a.value) if a is not None else np.nan
            inside = bool(s.p05 <= value <= s.p95) if a is not None and np.isfinite(s.p05) else None
            target = s.target
            met = bool(indicators.meets(np.array([value]), target, targets[key]["direction"])[0]) \
                if a is not None and np.isfinite(target) else None
            rows.append({"indicator": key, "label": ind.label_da if lang == "da" else ind.label_en, "year": year,
                         "kind": ind.kind, "target": target, "mean": s["mean"], "p05": s.p05, "p95": s.p95,
                         "actual": value, "source": a.source if a is not None else "",
                         "retrieved": a.retrieved if a is not None else None, "inside": inside, "met": met,
                         "sentence": sentence(year, ind.kind, value, s.p05, s.p95, target, met, lang)})
    return pd.DataFrame(rows)


def sentence(year: int, kind: str, actual: float, p05: float, p95: float, target: float, met: bool | None,
             lang: str = "da") -> str:
    """'I 2018 lå den faktiske værdi (1.250) inden for modellens bånd (1.180 – 1.320); målet (1.150) blev ikke nået.'"""
    t = TEXT[lang]
    if not np.isfinite(actual):
        return t["no_actual"].format(y=year) + "."
    a = fmt(actual, kind, lang)
    if not (np.isfinite(p05) and np.isfinite(p95)):
        first = t["no_band"].format(y=year, a=a)
    else:
        where = "inside" if p05 <= actual <= p95 else ("above" if actual > p95 else "below")
        first = t[where].format(y=year, a=a, lo=fmt(p05, kind, lang), hi=fmt(p95, kind, lang))
    if met is None:
        second = t["no_target"]
    else:
        second = t["met" if met else "not_met"].format(t=fmt(target, kind, lang, 0))
    return f"{first}; {second}."


def measure_summary(table: pd.DataFrame, key: str, lang: str = "da", show_key: bool = True) -> list[str]:
    """The scorecard of one measure in words: how many figures fell inside the band (the status
    month left out: the model starts there), the mean error and the direction of the misses."""
    t = TEXT[lang]
    m = measures.measures()[key]
    rows = table[table.measure == key]
    lines = [f"{label(key, lang)} [{key}]" if show_key else label(key, lang)]
    sources = sorted({f"{s} · {t['retrieved']} {r}" for s, r in zip(rows.source, rows.retrieved)})
    lines += [f"  {s}" for s in sources]
    for _, r in rows[rows.status].iterrows():
        lines.append("  " + t["status"].format(p=r.period, a=fmt(r.actual, m.kind, lang), m=fmt(r["mean"], m.kind, lang)))
    test = rows[~rows.status]
    if len(test):
        above = int((test.actual > test.p95).sum())
        below = int((test.actual < test.p05).sum())
        lines.append("  " + t["caught"].format(k=int(test.inside_band.sum()), n=len(test)))
        lines.append("  " + t["error"].format(e=fmt_change(float((test.actual - test["mean"]).mean()), m.kind, lang)))
        misses = t["misses"].format(above=above, below=below)
        if above or below:
            misses += " (" + (t["runs_low"] if above and not below else t["runs_high"] if below and not above
                              else t["both"]) + ")"
        lines.append("  " + misses)
    return lines


def summary_text(table: pd.DataFrame, left: list, lang: str = "da", head: str = "") -> str:
    """The readable scorecard: per measure its catch, error and misses; then what was not compared."""
    t = TEXT[lang]
    lines = [head] if head else []
    if not len(table):
        lines.append(t["none"])
    for key in dict.fromkeys(table.measure):
        lines += measure_summary(table, key, lang)
    if left:
        lines.append(t["left_head"])
        lines += [f"  {label(x.measure, lang)} [{x.measure}], {x.figures} {t['figures']}: {x.reason}" for x in left]
    return "\n".join(lines)


# ---------------------------------------------------------------------------------- the documentation

def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def markdown() -> list[str]:
    """docs/outputs.md's part on actual figures: the imported table and the mapping of every
    measure to its official table and column and to the model's number (``measures.toml``)."""
    from model.inputs import actuals
    lines = ["## actuals.parquet", "",
             "`python -m model actuals import FILE... --municipality NAME --out DIR` writes `DIR/actuals.parquet`: "
             + actuals.DESCRIPTION + ". `python -m model scorecard SCENARIO --actuals DIR` and the app's "
             "\"Plan, model og virkelighed\" read it; `actuals/viborg/` is the example shipped with the project "
             "(its README gives every figure's source).", "",
             "It reads three kinds of file (one line per problem and exit 2 for a file that does not fit; nothing "
             "is written then):", "",
             "- **Jobindsats API v2**: the JSON of `POST v2/data/{table}/json` — a list whose first element holds "
             "`Variables` (the column labels, `{\"Label\": ...}`) and `Data` (rows in the same order) — or the same "
             "table as the API's CSV (semicolons, decimal comma). The area column is labelled `Område` or `Area`, "
             "the period `Periode` (`2017M01`, `2017Q1`; rolling years `QMAT` are refused); a measure label may "
             "carry a group prefix (`…: Antal personer`). The table's id comes from the file's name (`Y07A02.json`) "
             "or `--table`; the vintage from `--retrieved` or the file's date. Other areas' rows are left out; "
             "every breakdown must be at its total (`Køn i alt`), except `Visitationskategori`, whose categories "
             "are the model's states.",
             "- **Statistikbanken CSV** (api.statbank.dk `…/CSV`): semicolons, an optional byte-order mark, the "
             "variables' codes as header (`OMRÅDE;YDELSESTYPE;KØN;ALDER;TID;INDHOLD`), `TID` as `2017K1`, "
             "`2017Q1`, `2017M01` or `2017`, `..` where suppressed; Danish or English labels.",
             "- **Tidy CSV** of the project: `measure,period,value,source,retrieved` (optionally `note`, "
             "`municipality`), one figure a row: a measure below, a period `2017-01`/`2017M01` (month), "
             "`2017Q1` (quarter) or `2017` (year), a plain number (a share as 0–1; empty if missing), the "
             "source in words and the day it was read (`YYYY-MM-DD`).", "",
             "Periods must lie within 2016–2020; a suppressed or empty cell is kept as missing, never as zero.", "",
             "| column | unit | description |", "|---|---|---|"]
    lines += [f"| `{c}` | {_cell(u)} | {_cell(d)} |" for c, (u, d) in actuals.COLUMNS.items()]
    lines += ["", "## Actual figures: the field's measures and the model's numbers", "",
              "Generated from `model/data/measures.toml`, which the importer, the scorecard and the app read. A "
              "measure is `<subject>.<count>`. How a figure counts people decides what it can be held against: "
              "a simulated month-end stock is neither Jobindsats' persons in the month (everyone who received "
              "the benefit at some time in the month: more than the stock by those who came or went during the "
              "month) nor its full-time persons (benefit paid converted to persons on the full rate: fewer than "
              "the stock where benefits are partial). The model's own tables count at the month's end (`states.parquet`, "
              "`indicators.parquet`; the plan's indicators read in December), except youth into education, a "
              "calendar year's starts. The scorecard compares a figure only with a number of the model counted the "
              "same way, and says why not elsewhere.", "",
              "| count | a figure of this count | the model's number | compared |", "|---|---|---|---|"]
    for c in measures.counts().values():
        compared = ("per " + " and ".join(measures.PERIOD_WORDS["en"][p] for p in c.compare_periods)
                    if c.compare_periods else "no: " + c.why["en"])
        lines.append(f"| `{c.key}` ({c.label['en']}) | {_cell(c.definition['en'])} | {_cell(c.model['en'])} | "
                     f"{_cell(compared)} |")
    lines += ["", "| subject | measures | official measure | note, or why no official measure matches |",
              "|---|---|---|---|"]
    by_subject: dict[str, list] = {}
    for m in measures.measures().values():
        by_subject.setdefault(m.subject, []).append(m)
    for subject, ms in by_subject.items():
        first = ms[0]
        name = label(first.key, "en").rsplit(", ", 1)[0]
        official = "; ".join(dict.fromkeys(m.official("en") for m in ms if m.official("en") != "none")) or "none"
        keys = ", ".join(f"`{m.key}`" for m in ms)
        why = first.none["en"] or first.note["en"]
        lines.append(f"| {_cell(name)} (`{subject}`; model: `{first.model}`) | {keys} | {_cell(official)} | "
                     f"{_cell(why)} |")
    return lines + [""]
