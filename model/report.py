"""What goes to the council: the lever table, the assumptions, and the council pack (a zip
with every chart, the data, the tables and a stamp saying where the numbers come from)."""
from __future__ import annotations

import io
import json
import zipfile
from datetime import datetime, timezone

import pandas as pd

from . import __version__, assumptions, charts, indicators, levers
from .calendar import REPORT_YEARS
from .scenario import Scenario


def lever_table(sc: Scenario, lang: str = "da") -> pd.DataFrame:
    """Each lever's value per year in the scenario, beside 2016 practice and the plan's value."""
    rows = []
    for key, lv in levers.LEVERS.items():
        row = {"lever": key, "label": lv.label(lang), "unit": lv.unit(lang), "practice_2016": lv.practice_2016}
        for y in REPORT_YEARS[1:]:
            row[str(y)] = sc.lever(key, y)
        row["plan"] = "" if not lv.plan else "; ".join(f"{y}: {v:g}" for y, v in lv.plan.items())
        row["evidence"] = ", ".join(lv.evidence)
        rows.append(row)
    return pd.DataFrame(rows)


def assumption_table(sc: Scenario, lang: str = "da") -> pd.DataFrame:
    """Each assumption (effect size, matching elasticity, ...) with its value, range and source."""
    return pd.DataFrame([{"assumption": k, "label": a.label_da if lang == "da" else a.label_en,
                          "value": sc.assumption_values[k], "low": a.low, "high": a.high, "unit": a.unit,
                          "source": a.source} for k, a in assumptions.ASSUMPTIONS.items()])


def stamp_text(sc: Scenario, stamp: charts.Stamp) -> str:
    return json.dumps({"model_version": __version__, "scenario": sc.name, "scenario_file": sc.path,
                       "scenario_hash": sc.hash, "master_seed": stamp.seed, "replications": stamp.replications,
                       "engine": stamp.engine, "created": datetime.now(timezone.utc).isoformat(timespec="seconds")},
                      indent=2, ensure_ascii=False)


def council_pack(sc: Scenario, summary: pd.DataFrame, states: pd.DataFrame, flows: pd.DataFrame,
                 stamp: charts.Stamp, lang: str = "da") -> bytes:
    """A zip with every chart (PNG, SVG, PDF), the data (CSV), the lever and assumption tables,
    the scenario file and the stamp."""
    figures = {f"indicator_{k}": charts.indicator_chart(summary, k, stamp, lang) for k in indicators.INDICATORS}
    figures["targets"] = charts.target_table_chart(summary, stamp, lang)
    figures["stocks"] = charts.stock_chart(states, stamp, lang)
    figures["flows_2020"] = charts.flow_chart(flows, 2020, stamp, lang)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, chart in figures.items():
            for ext, (export, _) in charts.EXPORTS.items():
                z.writestr(f"charts/{name}.{ext}", export(chart, lang))
        z.writestr("data/indicators.csv", summary.to_csv(index=False))
        z.writestr("data/states.csv", states.to_csv(index=False))
        z.writestr("data/flows.csv", flows.to_csv(index=False))
        z.writestr("levers.csv", lever_table(sc, lang).to_csv(index=False))
        z.writestr("assumptions.csv", assumption_table(sc, lang).to_csv(index=False))
        z.writestr("scenario.toml", sc.to_toml())
        z.writestr("stamp.json", stamp_text(sc, stamp))
    return buf.getvalue()
