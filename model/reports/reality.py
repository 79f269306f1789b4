"""Plan, model og virkelighed: the plan's targets, the simulated band and what actually happened,
per indicator and year, in a table and in words; and the scorecard of every actual figure as a
summary a person reads (``python -m model scorecard``; the app's view of the same name).

A figure is held against the model only where the model counts the same way (``measures``); the
words say so where it does not. Shares are shown as percentages, counts as persons.
"""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from model import calendar
from model.inputs import measures
from model.reports.numbers import fmt, fmt_change
from model.sim import indicators

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
    """The app's help for an indicator or state: the official measure of each of its counts and
    what the model holds against it, or why nothing."""
    lines = []
    for m in measures.of_subject(subject):
        parts = [f"**{m.count.label[lang]}**: {m.official(lang)}"]
        if m.note[lang]:
            parts.append(m.note[lang])
        parts.append(m.comparison(lang))
        lines.append("- " + "; ".join(parts) + ".")
    return "\n".join(lines)


def _reading_point(m: measures.Measure, year: int) -> tuple[dt.date, int]:
    """Where a year's indicator is read: December (stocks, shares) or the calendar year (flows)."""
    if m.count.key == "year_share":
        return dt.date(year, 1, 1), 12
    return dt.date(year, 12, 1), 1


def year_table(summary: pd.DataFrame, actual: pd.DataFrame | None, municipality: str,
               lang: str = "da") -> pd.DataFrame:
    """Per indicator and plan year: the target, the simulated mean and band (the summary's), the
    actual figure at the year's reading point (December, or the year for a flow) with its source,
    whether it lay inside the band, whether it met the target, and a sentence saying both."""
    targets = indicators.targets(municipality)
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


def measure_summary(table: pd.DataFrame, key: str, lang: str = "da") -> list[str]:
    """The scorecard of one measure in words: how many figures fell inside the band (the status
    month left out: the model starts there), the mean error and the direction of the misses."""
    t = TEXT[lang]
    m = measures.measures()[key]
    rows = table[table.measure == key]
    lines = [f"{label(key, lang)} [{key}]"]
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
