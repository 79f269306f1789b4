"""What goes to the council: the lever table, the assumptions, a one-page summary (PDF) and the
council pack (a zip with every chart, the data, the tables, the summary and a stamp saying where
the numbers come from). One language at a time: headers, labels and words follow ``lang``.
"""
from __future__ import annotations

import io
import json
import zipfile
from datetime import UTC, datetime

import numpy as np
import pandas as pd

from model import __version__
from model.calendar import REPORT_YEARS
from model.costs import accounts
from model.inputs import assumptions, levers
from model.inputs.scenario import Scenario
from model.reports import charts, cost_charts, reality, words
from model.reports.numbers import fmt_value
from model.sim import indicators

KEY_CHARTS = ("long_term_unemployed", "youth_on_benefits", "youth_to_education", "partial_return_share")
HEAD = {"da": {"lever": "nøgle", "label": "håndtag", "unit": "enhed", "practice_2016": "praksis 2016",
               "plan": "planen", "evidence": "evidens", "assumption": "nøgle", "value": "værdi", "low": "lav",
               "high": "høj", "source": "kilde", "assumption_label": "antagelse", "status": "status",
               "summary_title": "Beskæftigelsesplan 2017 – resumé til byrådet"},
        "en": {"lever": "key", "label": "lever", "unit": "unit", "practice_2016": "2016 practice", "plan": "the plan",
               "evidence": "evidence", "assumption": "key", "value": "value", "low": "low", "high": "high",
               "source": "source", "assumption_label": "assumption", "status": "status",
               "summary_title": "Employment plan 2017 – summary for the council"}}


def lever_table(sc: Scenario, lang: str = "da") -> pd.DataFrame:
    """Each lever's value per year in the scenario, beside 2016 practice and the plan's value,
    formatted the language's way (shares as percentages)."""
    h = HEAD[lang]
    rows = []
    for key, lv in levers.LEVERS.items():
        row = {h["lever"]: key, h["label"]: lv.label(lang), h["unit"]: lv.unit(lang),
               h["practice_2016"]: fmt_value(lv.practice_2016, lv.unit_en, lang)}
        for y in REPORT_YEARS[1:]:
            row[str(y)] = fmt_value(sc.lever(key, y), lv.unit_en, lang)
        row[h["plan"]] = "" if not lv.plan else "; ".join(f"{y}: {fmt_value(v, lv.unit_en, lang)}"
                                                          for y, v in lv.plan.items())
        row[h["evidence"]] = ", ".join(lv.evidence)
        rows.append(row)
    return pd.DataFrame(rows)


def assumption_table(sc: Scenario, lang: str = "da") -> pd.DataFrame:
    """Each assumption (effect size, matching elasticity, ..., and the effort's unit costs with their
    status: sourced, derived or assumed) with its value, range and source."""
    h = HEAD[lang]
    return pd.DataFrame([{h["assumption"]: k, h["assumption_label"]: a.label_da if lang == "da" else a.label_en,
                          h["value"]: sc.assumption_values[k], h["low"]: a.low, h["high"]: a.high, h["unit"]: a.unit,
                          h["status"]: a.status if a.family == assumptions.UNIT_COST else "",
                          h["source"]: a.source} for k, a in assumptions.ASSUMPTIONS.items()])


def stamp_text(sc: Scenario, stamp: charts.Stamp, changes: list[str] | None = None) -> str:
    """The stamp of an export as JSON: what the numbers came from, and the command that gives them
    again from the scenario file saved beside them (``scenario.toml``)."""
    chunk = f" --chunk {stamp.replications_per_job}" if stamp.replications_per_job else ""
    command = (f"python -m model run scenario.toml --seed {stamp.seed} --replications {stamp.replications}"
               f" --engine {stamp.engine}{chunk}")
    return json.dumps({"model_version": __version__, "scenario": sc.name, "description": sc.description,
                       "changes": changes or [], "scenario_file": sc.path, "scenario_hash": sc.hash,
                       "master_seed": stamp.seed, "replications": stamp.replications, "engine": stamp.engine,
                       "replications_per_job": stamp.replications_per_job, "command": command,
                       "created": datetime.now(UTC).isoformat(timespec="seconds")},
                      indent=2, ensure_ascii=False)


def council_summary_pdf(summary: pd.DataFrame, stamp: charts.Stamp, lang: str = "da",
                        text: words.Summary | None = None) -> bytes:
    """The one-page council summary: the answer in words, the target table and the key charts."""
    text = text or words.summarise(summary, stamp.replications, lang)
    head = charts._base(charts.text_block(HEAD[lang]["summary_title"], [*text.paragraphs(), " ", *stamp.lines(lang)]))
    key = [charts.indicator_chart(summary, k, stamp, lang) for k in KEY_CHARTS]
    return charts.page_pdf([[head], [charts.target_table_chart(summary, stamp, lang)], key[:2], key[2:]])


def council_pack(sc: Scenario, summary: pd.DataFrame, states: pd.DataFrame, flows: pd.DataFrame,
                 stamp: charts.Stamp, lang: str = "da", text: words.Summary | None = None,
                 changes: list[str] | None = None, cost: np.ndarray | None = None,
                 payback: tuple[pd.DataFrame, float] | None = None, actual: reality.Pack | None = None) -> bytes:
    """A zip with every chart (PNG, SVG, PDF), the one-page summary (PDF and text), the data
    (CSV), the lever and assumption tables, the scenario file and the stamp; with ``cost`` (the
    run's ``accounts.yearly``) also the net cost per year by benefit group and the effort; with
    ``payback`` (``business_case.cumulative`` against 2016 practice and the payback month) the
    chart of when the levers pay back and its data; with ``actual`` (figures loaded) what actually
    happened beside the plan and the model, and the indicator charts with the actual figures drawn in."""
    text = text or words.summarise(summary, stamp.replications, lang)
    seen = {k: reality.observed_indicator(actual.actual, k, lang) if actual else None for k in indicators.INDICATORS}
    figures = {f"indicator_{k}": charts.indicator_chart(summary, k, stamp, lang, seen[k]) for k in indicators.INDICATORS}
    figures["targets"] = charts.target_table_chart(summary, stamp, lang)
    figures["stocks"] = charts.stock_chart(states, stamp, lang)
    figures["flows_2020"] = charts.flow_chart(flows, 2020, stamp, lang)
    if cost is not None:
        figures["costs"] = cost_charts.cost_chart({sc.name: cost}, stamp, lang)
    if payback is not None:
        figures["payback"] = cost_charts.payback_chart(payback[0], payback[1], stamp, lang)
    name = "resume" if lang == "da" else "summary"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(f"{name}.pdf", council_summary_pdf(summary, stamp, lang, text))
        z.writestr(f"{name}.txt", "\n\n".join(text.paragraphs()) + "\n\n" + stamp.text(lang) + "\n")
        for fig, chart in figures.items():
            for ext, (export, _) in charts.EXPORTS.items():
                z.writestr(f"charts/{fig}.{ext}", export(chart, lang))
        z.writestr("data/indicators.csv", summary.to_csv(index=False))
        z.writestr("data/states.csv", states.to_csv(index=False))
        z.writestr("data/flows.csv", flows.to_csv(index=False))
        if cost is not None:
            z.writestr("data/costs.csv", accounts.table(cost).to_csv(index=False))
        if payback is not None:
            z.writestr("data/payback.csv", payback[0].to_csv(index=False))
        z.writestr("levers.csv", lever_table(sc, lang).to_csv(index=False))
        z.writestr("assumptions.csv", assumption_table(sc, lang).to_csv(index=False))
        z.writestr("scenario.toml", sc.to_toml())
        z.writestr("stamp.json", stamp_text(sc, stamp, changes))
        if actual is not None:
            for name, data in reality.pack_files(actual, summary, stamp, lang).items():
                z.writestr(name, data)
    return buf.getvalue()
