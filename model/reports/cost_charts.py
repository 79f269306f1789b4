"""The cost chart: the municipality's net cost per year by benefit group, a scenario beside 2016
practice, with the 90 % band of the total over simulated futures. A Vega-Lite dict in the style of
``charts`` (title, source, stamp, the language's numbers), so the app shows it and exports it as
PNG, SVG and PDF like every other chart.
"""
from __future__ import annotations

import json

import numpy as np
import pandas as pd

from model.costs import accounts
from model.reports.charts import CONFIG, HEIGHT, SCHEMA, WIDTH, Spec, Stamp, _title_dict, source

TEXT = {
    "da": {"title": "Kommunal nettoudgift pr. år efter ydelse",
           "legend": "Venstre søjle: «{a}» · højre, lysere: «{b}» · sort streg: 90 % af fremtiderne (i alt)",
           "legend_one": "«{a}» · sort streg: 90 % af fremtiderne (i alt)",
           "axis": "Mio. kr.", "year": "År", "group": "Ydelse", "scenario": "Scenarie", "mean": "Gennemsnit, mio. kr.",
           "total": "I alt, mio. kr.", "band": "90 % af fremtiderne, mio. kr."},
    "en": {"title": "Municipal net cost per year by benefit",
           "legend": "Left bar: «{a}» · right, lighter: «{b}» · black line: 90 % of futures (total)",
           "legend_one": "«{a}» · black line: 90 % of futures (total)",
           "axis": "DKK million", "year": "Year", "group": "Benefit", "scenario": "Scenario", "mean": "Mean, DKK million",
           "total": "Total, DKK million", "band": "90 % of futures, DKK million"},
}


def _mio(x: float, lang: str) -> str:
    text = f"{x / 1e6:,.1f}"
    return text.replace(",", "§").replace(".", ",").replace("§", ".") if lang == "da" else text


def cost_chart(yearly: dict[str, np.ndarray], stamp: Stamp, lang: str = "da") -> Spec:
    """``yearly``: one or two scenarios by name, each ``accounts.yearly`` of its futures (futures,
    years, components, measures), the scenario first and what it is compared with second."""
    t = TEXT[lang]
    names = list(yearly)
    groups = [accounts.group_label(k, lang) for k, *_ in accounts.GROUPS]
    bars, totals = [], []
    for name, y in yearly.items():
        net = accounts.by_group(y)[..., accounts.NET]                       # (futures, years, groups)
        total = net.sum(axis=2)
        for j, year in enumerate(accounts.YEARS):
            for g, label in enumerate(groups):
                m = float(net[:, j, g].mean())
                if m != 0:
                    bars.append({"year": year, "scenario": name, "group": label, "order": g, "mio": m / 1e6,
                                 "text": _mio(m, lang)})
            p05, p95 = np.quantile(total[:, j], [0.05, 0.95])
            totals.append({"year": year, "scenario": name, "mio": float(total[:, j].mean()) / 1e6,
                           "p05": float(p05) / 1e6, "p95": float(p95) / 1e6, "text": _mio(total[:, j].mean(), lang),
                           "band": f"{_mio(p05, lang)} – {_mio(p95, lang)}"})
    x = {"field": "year", "type": "ordinal", "title": None, "axis": {"labelAngle": 0}}
    offset = {"field": "scenario", "type": "nominal", "sort": names, "scale": {"paddingInner": 0.12}}
    label_expr = "replace(format(datum.value, ',.0f'), ',', '.')" if lang == "da" else "format(datum.value, ',.0f')"
    layers = [
        {"data": {"name": "bars"}, "mark": {"type": "bar"},
         "encoding": {"x": x, "xOffset": offset,
                      "y": {"field": "mio", "type": "quantitative", "stack": "zero", "title": t["axis"],
                            "axis": {"labelExpr": label_expr}},
                      "color": {"field": "group", "type": "nominal", "title": None, "sort": groups,
                                "scale": {"domain": groups, "scheme": "tableau10"},
                                "legend": {"orient": "right", "labelLimit": 280}},
                      "opacity": {"field": "scenario", "type": "nominal", "sort": names,
                                  "scale": {"domain": names, "range": [1.0, 0.45]}, "legend": None},
                      "order": {"field": "order", "type": "quantitative"},
                      "tooltip": [{"field": "scenario", "type": "nominal", "title": t["scenario"]},
                                  {"field": "year", "type": "ordinal", "title": t["year"]},
                                  {"field": "group", "type": "nominal", "title": t["group"]},
                                  {"field": "text", "type": "nominal", "title": t["mean"]}]}},
        {"data": {"name": "totals"}, "mark": {"type": "rule", "color": "black", "strokeWidth": 2},
         "encoding": {"x": x, "xOffset": offset, "y": {"field": "p05", "type": "quantitative"},
                      "y2": {"field": "p95"},
                      "tooltip": [{"field": "scenario", "type": "nominal", "title": t["scenario"]},
                                  {"field": "year", "type": "ordinal", "title": t["year"]},
                                  {"field": "text", "type": "nominal", "title": t["total"]},
                                  {"field": "band", "type": "nominal", "title": t["band"]}]}},
        {"data": {"name": "totals"}, "mark": {"type": "tick", "color": "black", "thickness": 2, "size": 14},
         "encoding": {"x": x, "xOffset": offset, "y": {"field": "mio", "type": "quantitative"}}},
    ]
    legend = t["legend"].format(a=names[0], b=names[1]) if len(names) > 1 else t["legend_one"].format(a=names[0])
    subtitle = [legend, source(stamp, lang), *stamp.lines(lang)]
    return Spec({"$schema": SCHEMA, "config": CONFIG, "width": WIDTH, "height": HEIGHT + 90,
                 "title": _title_dict(t["title"], subtitle),
                 "datasets": {"bars": json.loads(pd.DataFrame(bars).to_json(orient="records")),
                              "totals": json.loads(pd.DataFrame(totals).to_json(orient="records"))},
                 "layer": layers})
