"""The cost charts, Vega-Lite dicts in the style of ``charts`` (title, source, stamp, the language's
numbers), so the app shows them and exports them as PNG, SVG and PDF like every other chart:

- ``cost_chart``: the municipality's net cost per year by benefit group and the effort, a scenario
  beside 2016 practice, with the 90 % band of the total over simulated futures;
- ``payback_chart``: the one a council member reads in ten seconds — month by month from January
  2017 what the levers have saved minus what their effort has cost the municipality, cumulated, with
  its 90 % band: below zero the effort is not yet paid back, where the line crosses zero it is;
- ``sensitivity_chart``: which assumptions decide whether it pays (each at the ends of its range).
"""
from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd

from model import calendar
from model.costs import accounts
from model.inputs import assumptions
from model.reports.charts import BLUE, CONFIG, GREY, HEIGHT, RED, SCHEMA, WIDTH, Spec, Stamp, _title_dict, source

TEXT = {
    "da": {"title": "Kommunal nettoudgift pr. år efter ydelse og indsats",
           "legend": "Venstre søjle: «{a}» · højre, lysere: «{b}» · sort streg: 90 % af fremtiderne (i alt)",
           "legend_one": "«{a}» · sort streg: 90 % af fremtiderne (i alt)",
           "axis": "Mio. kr.", "year": "År", "group": "Ydelse", "scenario": "Scenarie", "mean": "Gennemsnit, mio. kr.",
           "total": "I alt, mio. kr.", "band": "90 % af fremtiderne, mio. kr."},
    "en": {"title": "Municipal net cost per year by benefit and effort",
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
                                "scale": {"domain": groups, "scheme": "tableau20"},
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


# ---------------------------------------------------------------- payback

PAYBACK_TEXT = {
    "da": {"title": "Hvornår tjener indsatsen sig hjem?",
           "title_paid": "Indsatsen er tjent hjem i {when}", "title_not_paid": "Indsatsen er ikke tjent hjem inden 2021",
           "paid": "Tjent hjem i {when} (gennemsnit af fremtiderne)", "not_paid": "Ikke tjent hjem inden udgangen af 2020",
           "what": "Kommunens besparelse minus indsatsens udgift, lagt sammen måned for måned fra januar 2017, "
                   "mio. kr. Under 0: endnu ikke tjent hjem. Over 0: kommunen har sparet mere, end indsatsen har kostet.",
           "legend": "Blå: besparelse minus indsats (gennemsnit og 90 % af fremtiderne) · grøn: besparelse på "
                     "ydelser, refusion og tilskud · rød: indsatsens udgift (sagsbehandlere, konsulenter, tilbud, kurser)",
           "counted": "Talt med: forsørgelse efter refusion, medfinansiering af dagpenge og førtidspension, løntilskud, "
                      "integrationstilskud og indsatsens udgift. Ikke talt med: budgetgaranti og beskæftigelsestilskud, "
                      "skat af løn, borgernes egen økonomi.",
           "axis": "Mio. kr. siden januar 2017", "month": "Måned", "gain": "Besparelse minus indsats",
           "savings": "Besparelse", "effort": "Indsats", "band": "90 % af fremtiderne"},
    "en": {"title": "When does the effort pay back?",
           "title_paid": "The effort has paid back by {when}", "title_not_paid": "The effort has not paid back by 2021",
           "paid": "Paid back in {when} (mean of the futures)", "not_paid": "Not paid back by the end of 2020",
           "what": "What the municipality saves minus what the effort costs it, added up month by month from January "
                   "2017, DKK million. Below 0: not yet paid back. Above 0: the municipality has saved more than the "
                   "effort cost.",
           "legend": "Blue: saving minus effort (mean and 90 % of futures) · green: saving on benefits, refusion and "
                     "grants · red: the effort's cost (caseworkers, consultants, offers, courses)",
           "counted": "Counted: benefits after refusion, co-financing of dagpenge and disability pension, wage subsidy, "
                      "integration grants and the effort's cost. Not counted: the budget guarantee and the employment "
                      "grant, tax on wages, the citizens' own finances.",
           "axis": "DKK million since January 2017", "month": "Month", "gain": "Saving minus effort",
           "savings": "Saving", "effort": "Effort", "band": "90 % of futures"},
}
MONTHS_DA = ("januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober",
             "november", "december")
MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December")
GREEN = "#1e8449"


def month_words(payback_month: float, lang: str) -> str:
    """A payback month (months after December 2016) in words: 'marts 2018' / 'March 2018'."""
    k = int(payback_month) - 1
    year, month = calendar.PLAN_YEARS[0] + k // 12, k % 12
    return f"{(MONTHS_DA if lang == 'da' else MONTHS_EN)[month]} {year}"


def payback_words(payback_month: float, lang: str) -> str:
    t = PAYBACK_TEXT[lang]
    if payback_month is None or not math.isfinite(payback_month):
        return t["not_paid"]
    return t["paid"].format(when=month_words(payback_month, lang))


def _year_axis(lang: str) -> dict:
    first = calendar.PLAN_YEARS[0]
    prefix = "jan. " if lang == "da" else "Jan "
    return {"values": [1 + 12 * k for k in range(len(calendar.PLAN_YEARS))], "labelExpr":
            f"'{prefix}' + ({first} + floor((datum.value - 1) / 12))", "title": None, "grid": False}


def payback_chart(cum: pd.DataFrame, payback_month: float, stamp: Stamp, lang: str = "da",
                  title: str | None = None) -> Spec:
    """The cumulative saving minus effort from January 2017 (``business_case.cumulative``: month,
    savings, effort, net and their bands), a zero line and, where it pays back, a rule at the month;
    the title says when it pays back (or that it does not by 2020) unless ``title`` is given."""
    t = PAYBACK_TEXT[lang]
    rows = []
    for r in cum.itertuples():
        rows.append({"month": r.month, "label": r.label, "gain": -r.net / 1e6, "lo": -r.net_p95 / 1e6,
                     "hi": -r.net_p05 / 1e6, "savings": r.savings / 1e6, "effort": -r.effort / 1e6,
                     "gain_text": _mio(-r.net, lang), "savings_text": _mio(r.savings, lang),
                     "effort_text": _mio(r.effort, lang)})
    x = {"field": "month", "type": "quantitative", "scale": {"domain": [1, len(rows)], "nice": False},
         "axis": _year_axis(lang)}
    label_expr = "replace(format(datum.value, ',.0f'), ',', '.')" if lang == "da" else "format(datum.value, ',.0f')"
    y = {"type": "quantitative", "title": t["axis"], "axis": {"labelExpr": label_expr}}
    tooltip = [{"field": "label", "type": "nominal", "title": t["month"]},
               {"field": "gain_text", "type": "nominal", "title": t["gain"]},
               {"field": "savings_text", "type": "nominal", "title": t["savings"]},
               {"field": "effort_text", "type": "nominal", "title": t["effort"]}]
    layers = [
        {"data": {"name": "cum"}, "mark": {"type": "area", "color": BLUE, "opacity": 0.18},
         "encoding": {"x": x, "y": {**y, "field": "lo"}, "y2": {"field": "hi"}}},
        {"data": {"name": "cum"}, "mark": {"type": "line", "color": GREEN, "strokeWidth": 1.5, "strokeDash": [4, 3]},
         "encoding": {"x": x, "y": {**y, "field": "savings"}}},
        {"data": {"name": "cum"}, "mark": {"type": "line", "color": RED, "strokeWidth": 1.5, "strokeDash": [4, 3]},
         "encoding": {"x": x, "y": {**y, "field": "effort"}}},
        {"data": {"values": [{"zero": 0}]}, "mark": {"type": "rule", "color": GREY, "strokeWidth": 1.5},
         "encoding": {"y": {"field": "zero", "type": "quantitative"}}},
        {"data": {"name": "cum"}, "mark": {"type": "line", "color": BLUE, "strokeWidth": 3},
         "encoding": {"x": x, "y": {**y, "field": "gain"}, "tooltip": tooltip}},
    ]
    headline = payback_words(payback_month, lang)
    paid = payback_month is not None and math.isfinite(payback_month)
    title = title or (t["title_paid"].format(when=month_words(payback_month, lang)) if paid else t["title_not_paid"])
    if paid:
        layers.append({"data": {"values": [{"month": payback_month, "text": headline}]},
                       "mark": {"type": "rule", "color": BLUE, "strokeDash": [2, 2]},
                       "encoding": {"x": {"field": "month", "type": "quantitative"}}})
    subtitle = [t["what"], t["legend"], t["counted"], source(stamp, lang), *stamp.lines(lang)]
    return Spec({"$schema": SCHEMA, "config": CONFIG, "width": WIDTH, "height": HEIGHT + 40,
                 "title": _title_dict(title, subtitle),
                 "datasets": {"cum": rows}, "layer": layers})


# ---------------------------------------------------------------- sensitivity

SENSITIVITY_TEXT = {
    "da": {"title": "Hvilke antagelser afgør, om det betaler sig?",
           "what": "Kommunens nettoudgift 2017–2020 for alle håndtag samlet mod praksis 2016, mio. kr. (− = sparer), "
                   "med hver antagelse i den lave og den høje ende af sit spænd, én ad gangen. Lodret streg: "
                   "scenariets egne antagelser.",
           "low": "Lav ende", "high": "Høj ende", "axis": "Nettoudgift 2017–2020, mio. kr.", "factor": "Antagelse",
           "net": "Nettoudgift", "payback": "Tjent hjem", "never": "ikke inden 2020", "value": "Værdi"},
    "en": {"title": "Which assumptions decide whether it pays?",
           "what": "The municipality's net cost 2017–2020 of all levers together against 2016 practice, DKK million "
                   "(− = saves), with each assumption at the low and the high end of its range, one at a time. "
                   "Vertical line: the scenario's own assumptions.",
           "low": "Low end", "high": "High end", "axis": "Net cost 2017–2020, DKK million", "factor": "Assumption",
           "net": "Net cost", "payback": "Paid back", "never": "not by 2020", "value": "Value"},
}


def sensitivity_chart(df: pd.DataFrame, stamp: Stamp, lang: str = "da", top: int = 12) -> Spec:
    """The business case's sensitivity (``business_case.sensitivity``): for the ``top`` assumptions
    that move the net change most, a bar from its low to its high end and a dot at each end."""
    t = SENSITIVITY_TEXT[lang]
    base = df.attrs.get("base", {})
    rows, ends = [], []
    for r in df.head(top).itertuples():
        label = assumptions.ASSUMPTIONS[r.factor].label(lang)
        rows.append({"factor": label, "lo": min(r.net_low, r.net_high) / 1e6, "hi": max(r.net_low, r.net_high) / 1e6})
        for end, value, net, pb in ((t["low"], r.low, r.net_low, r.payback_low), (t["high"], r.high, r.net_high, r.payback_high)):
            ends.append({"factor": label, "end": end, "net": net / 1e6, "value": f"{value:g}",
                         "net_text": _mio(net, lang),
                         "payback": month_words(pb, lang) if math.isfinite(pb) else t["never"]})
    order = [r["factor"] for r in rows]
    y = {"field": "factor", "type": "nominal", "sort": order, "title": None, "axis": {"labelLimit": 330}}
    label_expr = "replace(format(datum.value, ',.0f'), ',', '.')" if lang == "da" else "format(datum.value, ',.0f')"
    x = {"type": "quantitative", "title": t["axis"], "axis": {"labelExpr": label_expr}}
    layers = [
        {"data": {"name": "bars"}, "mark": {"type": "bar", "color": "#aab7c4", "height": 12},
         "encoding": {"y": y, "x": {**x, "field": "lo"}, "x2": {"field": "hi"}}},
        {"data": {"name": "ends"}, "mark": {"type": "point", "filled": True, "size": 70},
         "encoding": {"y": y, "x": {**x, "field": "net"},
                      "color": {"field": "end", "type": "nominal", "title": None,
                                "scale": {"domain": [t["low"], t["high"]], "range": [BLUE, RED]},
                                "legend": {"orient": "bottom"}},
                      "tooltip": [{"field": "factor", "type": "nominal", "title": t["factor"]},
                                  {"field": "end", "type": "nominal", "title": " "},
                                  {"field": "value", "type": "nominal", "title": t["value"]},
                                  {"field": "net_text", "type": "nominal", "title": t["net"]},
                                  {"field": "payback", "type": "nominal", "title": t["payback"]}]}},
        {"data": {"values": [{"zero": 0}]}, "mark": {"type": "rule", "color": GREY},
         "encoding": {"x": {"field": "zero", "type": "quantitative"}}},
    ]
    if "net" in base:
        layers.append({"data": {"values": [{"base": base["net"] / 1e6}]}, "mark": {"type": "rule", "color": "black",
                                                                                    "strokeDash": [4, 3]},
                       "encoding": {"x": {"field": "base", "type": "quantitative"}}})
    subtitle = [t["what"], source(stamp, lang), *stamp.lines(lang)]
    return Spec({"$schema": SCHEMA, "config": CONFIG, "width": WIDTH, "height": max(160, 24 * len(rows)),
                 "title": _title_dict(t["title"], subtitle), "datasets": {"bars": rows, "ends": ends}, "layer": layers})
