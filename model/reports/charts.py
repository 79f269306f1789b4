"""One chart style (Altair) for the screen and for the exports (PNG, SVG, PDF via vl-convert).

Every chart carries its title, the plan's targets, the data source and a stamp (model version,
scenario, its hash, seeds), and reads well on a slide and at 800–1400 px. Numbers are formatted
the language's way (Danish 1.300; 22,1 %) through the charts' own label expressions, so screen
and export agree.

Charts hold their data inline (not as data frames): Altair turns data frames into data through
a process-wide "data transformer" that Streamlit switches while it draws a chart, so an export
built on another thread at that moment lost its data (charts with only axes, a band without its
line). Inline data never passes through that switch; ``spec`` also checks that every dataset a
chart names is in it before anything is exported.
"""
from __future__ import annotations

import json
import math
import re
import textwrap
import threading
from dataclasses import dataclass

import altair as alt
import numpy as np
import pandas as pd
import vl_convert as vlc

from model import __version__
from model.reports.numbers import LIKELIHOODS, fmt, likelihood
from model.sim import indicators
from model.states import BENEFIT, LABELS_DA, LABELS_EN, State

WIDTH, HEIGHT = 520, 250
BLUE, RED, GREY, ORANGE = "#1f5b99", "#c0392b", "#7f8c8d", "#d35400"
FONT = "Liberation Sans, Arial, Helvetica, sans-serif"
TITLE_CHARS, SUBTITLE_CHARS = 46, 72       # wrap lines so nothing is cut down to 420 px
CONFIG = {"font": FONT, "view": {"stroke": None},
          "title": {"anchor": "start", "fontSize": 15, "subtitleFontSize": 11, "subtitleColor": "#444",
                    "subtitleFont": FONT, "font": FONT},
          "axis": {"labelFont": FONT, "titleFont": FONT, "labelFontSize": 11, "titleFontSize": 11},
          "legend": {"labelFont": FONT, "titleFont": FONT}}
SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"

__all__ = ["Stamp", "Observed", "fmt", "indicator_chart", "measure_chart", "target_table_chart", "compare_chart",
           "stock_chart", "flow_chart", "spec", "to_png", "to_svg", "to_pdf", "EXPORTS"]
ACTUAL = "#222222"                          # what actually happened: a dashed line with points


@dataclass(frozen=True)
class Stamp:
    """Where every number comes from: model version, scenario, its hash and the seeds."""

    scenario: str
    scenario_hash: str
    seed: int
    replications: int
    engine: str = "fast"
    replications_per_job: int | None = None     # the app's chunks (a chunk's futures share one stream)
    municipality: str = ""                      # the profile's name (e.g. "Viborg Kommune"); "" = not named

    def text(self, lang: str = "da") -> str:
        return " · ".join(self.lines(lang))

    def lines(self, lang: str = "da") -> list[str]:
        """The stamp on two short lines (a chart's subtitle must not be cut)."""
        if lang == "da":
            return [f"Scenarie «{self.scenario}»",
                    f"Model {__version__} · {self.scenario_hash} · frø {self.seed}, {self.replications} fremtider"]
        return [f"Scenario «{self.scenario}»",
                f"Model {__version__} · {self.scenario_hash} · seed {self.seed}, {self.replications} futures"]


@dataclass(frozen=True)
class Observed:
    """What actually happened, drawn as its own mark beside the simulation: the points and one line
    saying where they come from and when they were read (the source and vintage in the caption)."""

    points: pd.DataFrame          # columns x (a year, or a month's first day as YYYY-MM-DD) and value
    source: str                   # "Faktisk: Jobindsats Y07A02, Antal personer (hentet 2026-12-07)"


def source(stamp: Stamp, lang: str) -> str:
    """The chart's source line, naming the municipality of the run (never another's)."""
    if lang == "da":
        return f"Kilde: simulering af {stamp.municipality}s beskæftigelsesplan" if stamp.municipality else \
            "Kilde: simulering af kommunens beskæftigelsesplan"
    return f"Source: simulation of {stamp.municipality}'s employment plan" if stamp.municipality else \
        "Source: simulation of the municipality's employment plan"

TEXT = {
    "da": {"mean": "Simuleret gennemsnit", "band": "90 % af fremtiderne", "target": "Mål", "status": "Status 2016",
           "legend": "Blå: simuleret gennemsnit og 90 % af fremtiderne · rød: planens mål · status 2016: planens tal",
           "year": "År", "met": "Mål {y} nået i {k} af {n} fremtider", "no_target": "Planen sætter intet tal",
           "month": "Måned", "persons": "Personer", "share_axis": "Andel", "from": "Fra", "to": "Til",
           "scenario": "Scenarie", "share": "Andel fremtider der når målet", "indicator": "Indikator",
           "flows": "Overgange mellem ydelser {y}", "flows_note": "Personer pr. overgang (gennemsnit); "
           "de {n} største overgange; tallet ved hver strøm er antal personer",
           "stocks": "Personer pr. ydelse, måned for måned", "diff": "Forskel", "target_short": "mål",
           "of": "af", "benefit": "Ydelse", "compare_legend": "Linje og bånd pr. scenarie · rødt: planens mål",
           "actual": "Faktisk", "actual_legend": "sort stiplet: faktisk",
           "measure_legend": "Blå: simuleret gennemsnit og 90 % af fremtiderne · sort stiplet: faktisk"},
    "en": {"mean": "Simulated mean", "band": "90 % of futures", "target": "Target", "status": "Status 2016",
           "legend": "Blue: simulated mean and 90 % of futures · red: the plan's targets · status 2016: the plan's figure",
           "year": "Year", "met": "{y} target met in {k} of {n} futures", "no_target": "The plan sets no number",
           "month": "Month", "persons": "Persons", "share_axis": "Share", "from": "From", "to": "To",
           "scenario": "Scenario", "share": "Share of futures meeting the target", "indicator": "Indicator",
           "flows": "Moves between benefits {y}", "flows_note": "Persons per move (mean); the {n} largest "
           "moves; the number at each flow is persons",
           "stocks": "Persons per benefit, month by month", "diff": "Difference", "target_short": "target",
           "of": "of", "benefit": "Benefit", "compare_legend": "Line and band per scenario · red: the plan's targets",
           "actual": "Actual", "actual_legend": "black dashed: actual",
           "measure_legend": "Blue: simulated mean and 90 % of futures · black dashed: actual"},
}


# ---------------------------------------------------------------- helpers

def number_expr(kind: str, lang: str, field: str = "datum.value", decimals: int = 0) -> str:
    """A Vega expression formatting a count (1.300) or a share (25 %) the language's way,
    independent of the renderer's locale (screen and export agree)."""
    if kind == "share":
        text = f"format({field} * 100, '.{decimals}f')"
        if lang == "da":
            text = f"replace({text}, '.', ',')"
        return f"{text} + ' %'"
    text = f"format({field}, ',.0f')"
    return f"replace({text}, ',', '.')" if lang == "da" else text


def _lines(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width=width, break_long_words=False) or [text]


def _data(df: pd.DataFrame) -> alt.InlineData:
    """A data frame as inline values (see the module's note on Altair's data transformer);
    missing values become null."""
    return alt.InlineData(values=json.loads(df.reset_index(drop=True).to_json(orient="records", date_format="iso")))


def text_block(title: str, lines: list[str], width: int = 1080, chars: int = 150) -> alt.Chart:
    """Paragraphs as a chart (for one-page PDFs): each line wrapped to ``chars`` characters."""
    wrapped = [(w, i == 0) for p in lines for i, w in enumerate(_lines(p, chars))]
    rows = pd.DataFrame([{"y": k, "text": w, "first": first} for k, (w, first) in enumerate(wrapped)])
    return alt.Chart(_data(rows)).mark_text(align="left", baseline="top", fontSize=12, color="#222").encode(
        x=alt.value(0), y=alt.Y("y:O", axis=None), text="text:N").properties(
        width=width, height=17 * len(rows), title=alt.TitleParams(title, anchor="start", fontSize=20))


def _label(key: str, lang: str) -> str:
    ind = indicators.INDICATORS[key]
    return ind.label_da if lang == "da" else ind.label_en


def _title_dict(text: str, subtitle: list[str]) -> dict:
    """A title and subtitle wrapped into short lines (nothing is cut down to 420 px)."""
    return {"text": _lines(text, TITLE_CHARS), "subtitle": [line for s in subtitle for line in _lines(s, SUBTITLE_CHARS)],
            "limit": 0, "subtitlePadding": 6}


def _title(text: str, subtitle: list[str]) -> alt.TitleParams:
    return alt.TitleParams(**_title_dict(text, subtitle))


def _base(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    return chart.configure(**CONFIG)


def _nice_axis(values: list[float], kind: str) -> tuple[list[float], list[float]]:
    """A domain and tick values that hold every value (band, mean, targets, status) with room,
    so no target sits above the top tick."""
    lo, hi = min(values), max(values)
    span = hi - lo or (abs(hi) * 0.2 or 1.0)
    lo, hi = lo - 0.08 * span, hi + 0.12 * span
    if kind == "share":
        lo = max(lo, 0.0)
    raw = (hi - lo) / 4
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    start, stop = math.floor(lo / step) * step, math.ceil(hi / step) * step
    ticks = [round(start + i * step, 10) for i in range(int(round((stop - start) / step)) + 1)]
    return [ticks[0], ticks[-1]], ticks


def _share_decimals(ticks: list[float]) -> int:
    step = ticks[1] - ticks[0] if len(ticks) > 1 else 1.0
    return 0 if round(step * 100, 6) >= 1 else 1


# ---------------------------------------------------------------- charts

class Spec(dict):
    """A Vega-Lite spec written as a plain dict. The indicator charts are built this way: a run
    draws seven of them, and Altair's object tree costs about 50 ms a chart where a dict costs
    well under one. Exports and the app take it as it is; tests check it against the schema."""

    def to_dict(self, validate: bool = False) -> dict:
        return json.loads(json.dumps(self))

    def to_json(self) -> str:
        return json.dumps(self)




def indicator_chart(summary: pd.DataFrame, key: str, stamp: Stamp, lang: str = "da",
                    observed: Observed | None = None) -> Spec:
    """One plan indicator: simulated mean, 90 % band over replications, the 2016 status and the
    target per year, with how many simulated futures meet the last year's target; with
    ``observed``, what actually happened as a dashed line with points (its source in the caption)."""
    t = TEXT[lang]
    ind = indicators.INDICATORS[key]
    rows = summary[summary.indicator == key].copy()
    rows["year"] = rows["year"].astype(int)
    seen = observed is not None and len(observed.points) > 0
    if seen:
        points = observed.points.set_index("x")["value"]
        rows["actual"] = [float(points.get(int(y), np.nan)) for y in rows.year]
        rows["actual_label"] = [fmt(v, ind.kind, lang) for v in rows["actual"]]
    rows["mean_label"] = [fmt(v, ind.kind, lang) for v in rows["mean"]]
    rows["band_label"] = [f"{fmt(a, ind.kind, lang)} – {fmt(b, ind.kind, lang)}" for a, b in zip(rows.p05, rows.p95)]
    rows["target_label"] = [f"{t['target']} {fmt(v, ind.kind, lang, 0)}" if not np.isnan(v) else ""
                            for v in rows["target"]]
    rows["above"] = rows.target >= rows["mean"]
    n = stamp.replications
    last = rows[rows.year == rows.year.max()].iloc[0]
    met = (t["met"].format(k=int(round(last.share_meeting_target * n)), n=n, y=int(last.year))
           if not np.isnan(last.target) else t["no_target"])
    targets = rows.dropna(subset=["target"])
    shown = [*rows.p05, *rows.p95, *rows["mean"], *targets.target, *(rows["actual"].dropna() if seen else [])]
    domain, ticks = _nice_axis([v for v in shown if np.isfinite(v)], ind.kind)
    decimals = _share_decimals(ticks) if ind.kind == "share" else 0
    y_title = t["persons"] if ind.kind == "count" else f"{t['share_axis']} (%)"
    scale = {"domain": domain, "nice": False, "zero": False}
    x = {"field": "year", "type": "ordinal", "title": None, "axis": {
        "labelAngle": 0, "labelExpr": f"datum.value == {int(rows.year.min())} ? '{t['status']}' : datum.value"}}

    def y(field: str, axis: dict | None = None) -> dict:
        out = {"field": field, "type": "quantitative", "scale": scale}
        return {**out, "axis": axis} if axis else out
    axis = {"labelExpr": number_expr(ind.kind, lang, decimals=decimals), "title": y_title, "grid": True,
            "values": ticks, "titleColor": "#444"}
    layers = [
        {"mark": {"type": "area", "color": BLUE, "opacity": 0.22},
         "encoding": {"x": x, "y": y("p05", axis), "y2": {"field": "p95"}}},
        {"mark": {"type": "line", "color": BLUE, "strokeWidth": 2.5,
                  "point": {"color": BLUE, "filled": True, "size": 50}},
         "encoding": {"x": x, "y": y("mean"), "tooltip": [
             {"field": "year", "type": "ordinal", "title": t["year"]},
             {"field": "mean_label", "type": "nominal", "title": t["mean"]},
             {"field": "band_label", "type": "nominal", "title": t["band"]}]}},
    ]
    if not targets.empty:
        has_target = "isValid(datum.target)"
        layers.append({"mark": {"type": "point", "shape": "diamond", "size": 110, "filled": True, "color": RED,
                                "opacity": 1},
                       "encoding": {"x": x, "y": y("target"), "tooltip": [
                           {"field": "target_label", "type": "nominal", "title": t["target"]}]},
                       "transform": [{"filter": has_target}]})
        for above, dy, baseline in ((True, -10, "bottom"), (False, 10, "top")):
            for halo in (True, False):       # a white halo under the red text keeps it legible over the line
                mark = {"type": "text", "dy": dy, "baseline": baseline, "fontSize": 11, "fontWeight": "bold",
                        "color": RED}
                if halo:
                    mark.update(stroke="white", strokeWidth=4, strokeJoin="round", color="white")
                layers.append({"mark": mark, "encoding": {"x": x, "y": y("target"), "text": {
                    "field": "target_label", "type": "nominal"}},
                    "transform": [{"filter": f"{has_target} && datum.above == {str(above).lower()}"}]})
    legend = [t["legend"]]
    if seen:
        layers.append(_actual_layer(x, y("actual"), "actual_label", t))
        legend = [t["legend"] + " · " + t["actual_legend"], observed.source]
    return Spec({"$schema": SCHEMA, "config": CONFIG, "width": WIDTH, "height": HEIGHT,
                 "title": _title_dict(_label(key, lang), [*legend, met + ".", source(stamp, lang), *stamp.lines(lang)]),
                 "datasets": {"rows": json.loads(rows.to_json(orient="records"))}, "data": {"name": "rows"},
                 "layer": layers})


def _actual_layer(x: dict, y: dict, label_field: str, t: dict) -> dict:
    """What actually happened: a dashed line through its points, each point a filled dot."""
    return {"mark": {"type": "line", "color": ACTUAL, "strokeWidth": 2, "strokeDash": [6, 4],
                     "point": {"color": ACTUAL, "filled": True, "size": 45}},
            "encoding": {"x": x, "y": y, "tooltip": [{"field": label_field, "type": "nominal", "title": t["actual"]}]},
            "transform": [{"filter": f"isValid(datum.{y['field']})"}]}


def measure_chart(band: pd.DataFrame, observed: Observed, title: str, kind: str, stamp: Stamp,
                  lang: str = "da") -> Spec:
    """A measure month by month: the model's mean and 90 % band of the same definition (``band``:
    columns first, mean, p05, p95) and what actually happened (dashed, with points)."""
    t = TEXT[lang]
    rows = band[["first", "mean", "p05", "p95"]].dropna().copy()
    rows["date"] = [str(d) for d in rows["first"]]
    rows["band_label"] = [f"{fmt(a, kind, lang)} – {fmt(b, kind, lang)}" for a, b in zip(rows.p05, rows.p95)]
    rows["mean_label"] = [fmt(v, kind, lang) for v in rows["mean"]]
    seen = observed.points.rename(columns={"x": "date", "value": "actual"}).copy()
    seen["actual_label"] = [fmt(v, kind, lang) for v in seen["actual"]]
    domain, ticks = _nice_axis([*rows.p05, *rows.p95, *seen["actual"]], kind)
    decimals = _share_decimals(ticks) if kind == "share" else 0
    scale = {"domain": domain, "nice": False, "zero": False}
    x = {"field": "date", "type": "temporal", "title": None, "axis": {"format": "%Y", "tickCount": "year"}}
    axis = {"labelExpr": number_expr(kind, lang, decimals=decimals), "values": ticks, "grid": True,
            "title": t["persons"] if kind == "count" else f"{t['share_axis']} (%)", "titleColor": "#444"}
    layers = [
        {"data": {"name": "band"}, "mark": {"type": "area", "color": BLUE, "opacity": 0.22},
         "encoding": {"x": x, "y": {"field": "p05", "type": "quantitative", "scale": scale, "axis": axis},
                      "y2": {"field": "p95"}}},
        {"data": {"name": "band"}, "mark": {"type": "line", "color": BLUE, "strokeWidth": 2},
         "encoding": {"x": x, "y": {"field": "mean", "type": "quantitative", "scale": scale}, "tooltip": [
             {"field": "date", "type": "temporal", "title": t["month"], "format": "%Y-%m"},
             {"field": "mean_label", "type": "nominal", "title": t["mean"]},
             {"field": "band_label", "type": "nominal", "title": t["band"]}]}},
        {"data": {"name": "actual"}, **_actual_layer(x, {"field": "actual", "type": "quantitative", "scale": scale},
                                                     "actual_label", t)},
    ]
    return Spec({"$schema": SCHEMA, "config": CONFIG, "width": WIDTH, "height": HEIGHT,
                 "title": _title_dict(title, [t["measure_legend"], observed.source, source(stamp, lang),
                                              *stamp.lines(lang)]),
                 "datasets": {"band": json.loads(rows[["date", "mean", "p05", "p95", "mean_label", "band_label"]]
                                                 .to_json(orient="records")),
                              "actual": json.loads(seen[["date", "actual", "actual_label"]].to_json(orient="records"))},
                 "layer": layers})


def target_table_chart(summary: pd.DataFrame, stamp: Stamp, lang: str = "da",
                       configure: bool = True) -> alt.LayerChart:
    """All indicators with a target × plan years: the mean beside the target, how many futures
    meet it, coloured by the likelihood class (legend below)."""
    t = TEXT[lang]
    rows = summary.dropna(subset=["target"]).copy()
    rows = rows[rows.year > rows.year.min()] if (rows.year == 2016).any() else rows
    n = stamp.replications
    rows["label"] = [_label(k, lang) for k in rows.indicator]
    rows["text"] = [f"{fmt(m, indicators.INDICATORS[k].kind, lang)} ({t['target_short']} "
                    f"{fmt(g, indicators.INDICATORS[k].kind, lang, 0)})\n{int(round(s * n))} {t['of']} {n}"
                    for k, m, g, s in zip(rows.indicator, rows["mean"], rows.target, rows.share_meeting_target)]
    classes = [likelihood(s) for s in rows.share_meeting_target]
    rows["class"] = [c.label(lang) for c in classes]
    rows["ink"] = [c.text_colour for c in classes]
    base = alt.Chart(_data(rows)).encode(
        x=alt.X("year:O", title=None, axis=alt.Axis(labelAngle=0, orient="top", labelFontSize=12)),
        y=alt.Y("label:N", title=None, sort=None, axis=alt.Axis(labelLimit=330, labelFontSize=11)))
    rect = base.mark_rect(stroke="white", strokeWidth=2).encode(color=alt.Color(
        "class:N", title=t["share"], scale=alt.Scale(domain=[c.label(lang) for c in LIKELIHOODS],
                                                       range=[c.colour for c in LIKELIHOODS]),
        legend=alt.Legend(orient="bottom", direction="horizontal", titleLimit=400, labelExpr=_class_legend(lang))))
    text = base.mark_text(fontSize=11, lineBreak="\n").encode(text="text:N", color=alt.Color("ink:N", scale=None))
    chart = (rect + text).properties(width=440, height=44 * rows.label.nunique(), title=_title(
        t["share"], [source(stamp, lang), *stamp.lines(lang)]))
    return _base(chart) if configure else chart


def _class_legend(lang: str) -> str:
    """Legend labels with the class's range: 'sandsynligt (80–100 %)'."""
    parts = []
    for i, c in enumerate(LIKELIHOODS):
        hi = 100 if i == 0 else round(100 * LIKELIHOODS[i - 1].lower) - 1
        parts.append(f"datum.label == '{c.label(lang)}' ? '{c.label(lang)} ({round(100 * c.lower)}–{hi} %)'")
    return " : ".join(parts) + " : datum.label"


def compare_chart(summaries: dict[str, pd.DataFrame], key: str, stamp: Stamp, lang: str = "da") -> alt.LayerChart:
    """One indicator for two or more scenarios: mean and 90 % band each, and the targets."""
    t = TEXT[lang]
    ind = indicators.INDICATORS[key]
    rows = pd.concat([df[df.indicator == key].assign(scenario=name) for name, df in summaries.items()])
    rows["year"] = rows["year"].astype(int)
    targets = rows.dropna(subset=["target"]).drop_duplicates("year")
    domain, ticks = _nice_axis([*rows.p05, *rows.p95, *targets.target], ind.kind)
    decimals = _share_decimals(ticks) if ind.kind == "share" else 0
    yscale = alt.Scale(domain=domain, nice=False, zero=False)
    axis = alt.Axis(labelExpr=number_expr(ind.kind, lang, decimals=decimals), values=ticks,
                    title=t["persons"] if ind.kind == "count" else f"{t['share_axis']} (%)")
    x = alt.X("year:O", title=None, axis=alt.Axis(labelAngle=0))
    names = list(summaries)
    palette = [ORANGE, BLUE, "#16a085", "#8e44ad"][:len(names)]
    color = alt.Color("scenario:N", title=None, scale=alt.Scale(domain=names, range=palette),
                      legend=alt.Legend(orient="bottom", direction="vertical", labelLimit=460, symbolType="stroke",
                                        symbolStrokeWidth=3, symbolOpacity=1))
    data = _data(rows)
    band = alt.Chart(data).mark_area(opacity=0.15).encode(x=x, y=alt.Y("p05:Q", axis=axis, scale=yscale),
                                                         y2="p95:Q", color=color)
    line = alt.Chart(data).mark_line(point=True, strokeWidth=2.5).encode(x=x, y=alt.Y("mean:Q", scale=yscale),
                                                                        color=color)
    layers = [band, line]
    if not targets.empty:
        layers.append(alt.Chart(_data(targets)).mark_point(shape="diamond", size=110, filled=True, color=RED,
                                                            opacity=1).encode(x=x, y=alt.Y("target:Q", scale=yscale)))
    chart = alt.layer(*layers).properties(width=WIDTH, height=HEIGHT, title=_title(
        _label(key, lang), [t["compare_legend"], source(stamp, lang), *stamp.lines(lang)]))
    return _base(chart)


def stock_chart(states: pd.DataFrame, stamp: Stamp, lang: str = "da") -> alt.Chart:
    """Persons per benefit state over time (mean over replications); work, education, pension
    and those outside the labour force are left out so the benefits can be seen."""
    t = TEXT[lang]
    names = LABELS_DA if lang == "da" else LABELS_EN
    keep = [s.name for s in State if s in BENEFIT]
    rows = states[states.state.isin(keep)].copy()
    rows["label"] = [names[State[s]] for s in rows.state]
    rows["date"] = rows.month + "-01"
    rows["persons"] = [fmt(v, "count", lang) for v in rows["mean"]]
    rows["rank"] = [keep.index(s) for s in rows.state]
    order = [names[State[s]] for s in keep]
    chart = alt.Chart(_data(rows[["label", "date", "month", "mean", "persons", "rank"]])).mark_area().encode(
        x=alt.X("date:T", title=None, axis=alt.Axis(format="%Y", tickCount="year")),
        y=alt.Y("mean:Q", title=t["persons"], stack="zero", axis=alt.Axis(labelExpr=number_expr("count", lang))),
        color=alt.Color("label:N", title=None, sort=order, scale=alt.Scale(domain=order, scheme="tableau20"),
                        legend=alt.Legend(orient="right", labelLimit=260)),
        order=alt.Order("rank:Q", sort="descending"),       # the legend's first benefit on top
        tooltip=[alt.Tooltip("label:N", title=t["benefit"]), alt.Tooltip("month:N", title=t["month"]),
                 alt.Tooltip("persons:N", title=t["persons"])],
    ).properties(width=WIDTH, height=HEIGHT + 60, title=_title(t["stocks"], [source(stamp, lang), *stamp.lines(lang)]))
    return _base(chart)


def flow_chart(flows: pd.DataFrame, year: int, stamp: Stamp, lang: str = "da", top: int = 25) -> alt.LayerChart:
    """A Sankey diagram of the year's moves between states (mean over replications): states on
    the left (from) and right (to) as stacked bars, each move a band as wide as its size, with
    its number at its start. Small states get room enough for their label, so labels never pile
    up, and each state's label carries its total."""
    t = TEXT[lang]
    names = LABELS_DA if lang == "da" else LABELS_EN
    f = flows[(flows.year == year) & (flows["from"] != flows["to"])].nlargest(top, "mean").copy()
    order = [s.name for s in State]
    total = float(f["mean"].sum())
    height = 560
    min_node = total * 15 / height          # at least 15 px per state: one label line
    gap = total * 5 / height

    def stack(side: str) -> dict[str, tuple[float, float, float]]:
        tot = f.groupby(side)["mean"].sum()
        pos, y = {}, 0.0
        for s in order:
            if s in tot:
                room = max(float(tot[s]), min_node)
                pos[s] = (y, y + room, float(tot[s]))
                y += room + gap
        return pos

    left, right = stack("from"), stack("to")
    lo = {k: v[0] + (v[1] - v[0] - v[2]) / 2 for k, v in left.items()}
    ro = {k: v[0] + (v[1] - v[0] - v[2]) / 2 for k, v in right.items()}
    links, starts = [], []
    f = f.sort_values(["from", "to"], key=lambda c: c.map(order.index))
    for src, dst, size in zip(f["from"], f["to"], f["mean"]):
        y0, y1 = lo[src], ro[dst]
        lo[src] += size
        ro[dst] += size
        for k, x in enumerate(np.linspace(0, 1, 21)):
            s = 3 * x ** 2 - 2 * x ** 3                 # smooth S-curve between the two sides
            links.append({"link": f"{src}->{dst}", "x": x, "lower": y0 + (y1 - y0) * s,
                          "upper": y0 + (y1 - y0) * s + size, "from": names[State[src]],
                          "to": names[State[dst]], "persons": fmt(size, "count", lang), "order": k})
        if size >= total * 11 / height:             # room for the number inside the band
            starts.append({"x": 0.015, "y": y0 + size / 2, "text": fmt(size, "count", lang)})
    nodes = ([{"x": -0.03, "x2": 0.0, "y": a, "y2": b, "label": f"{names[State[s]]} · {fmt(v, 'count', lang)}",
               "side": "from", "tx": -0.04, "ym": (a + b) / 2} for s, (a, b, v) in left.items()] +
             [{"x": 1.0, "x2": 1.03, "y": a, "y2": b, "label": f"{names[State[s]]} · {fmt(v, 'count', lang)}",
               "side": "to", "tx": 1.04, "ym": (a + b) / 2} for s, (a, b, v) in right.items()])
    top_y = max([v[1] for v in left.values()] + [v[1] for v in right.values()])
    ys = alt.Scale(domain=[top_y, -total * 28 / height])
    xs = alt.Scale(domain=[-0.75, 1.75])
    band = alt.Chart(_data(pd.DataFrame(links))).mark_area(opacity=0.45).encode(
        x=alt.X("x:Q", scale=xs, axis=None), y=alt.Y("lower:Q", scale=ys, axis=None), y2="upper:Q",
        detail="link:N", color=alt.Color("from:N", legend=None, scale=alt.Scale(scheme="tableau20")),
        tooltip=[alt.Tooltip("from:N", title=t["from"]), alt.Tooltip("to:N", title=t["to"]),
                 alt.Tooltip("persons:N", title=t["persons"])])
    nd = pd.DataFrame(nodes)
    bars = alt.Chart(_data(nd)).mark_rect(color="#34495e").encode(x=alt.X("x:Q", scale=xs), x2="x2:Q",
                                                                  y=alt.Y("y:Q", scale=ys), y2="y2:Q")
    labels_l = alt.Chart(_data(nd[nd["side"] == "from"])).mark_text(align="right", fontSize=11).encode(
        x=alt.X("tx:Q", scale=xs), y=alt.Y("ym:Q", scale=ys), text="label:N")
    labels_r = alt.Chart(_data(nd[nd["side"] == "to"])).mark_text(align="left", fontSize=11).encode(
        x=alt.X("tx:Q", scale=xs), y=alt.Y("ym:Q", scale=ys), text="label:N")
    head_y = -total * 16 / height
    head_l, head_r = (alt.Chart(_data(pd.DataFrame([{"x": x, "y": head_y, "text": text}]))).mark_text(
        align=align, fontSize=13, fontWeight="bold").encode(x=alt.X("x:Q", scale=xs), y=alt.Y("y:Q", scale=ys),
                                                           text="text:N")
        for x, text, align in ((-0.04, t["from"], "right"), (1.04, t["to"], "left")))
    layers = [band, bars, labels_l, labels_r, head_l, head_r]
    if starts:
        layers.append(alt.Chart(_data(pd.DataFrame(starts))).mark_text(align="left", fontSize=10, color="#222").encode(
            x=alt.X("x:Q", scale=xs), y=alt.Y("y:Q", scale=ys), text="text:N"))
    chart = alt.layer(*layers).properties(
        width=WIDTH + 380, height=height,
        title=_title(t["flows"].format(y=year), [t["flows_note"].format(n=len(f)), source(stamp, lang), *stamp.lines(lang)]))
    return _base(chart)


# ---------------------------------------------------------------- exports

_CONVERT = threading.Lock()       # one conversion at a time: downloads run on their own threads


def spec(chart: alt.TopLevelMixin) -> dict:
    """The chart's Vega-Lite spec, checked complete: every dataset a layer names is present."""
    d = chart.to_dict()
    named: set[str] = set()

    def walk(node) -> None:
        if isinstance(node, dict):
            data = node.get("data")
            if isinstance(data, dict) and "name" in data:
                named.add(data["name"])
            for k, v in node.items():
                if k != "datasets":
                    walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)
    walk(d)
    missing = named - set(d.get("datasets", {}))
    if missing:
        raise ValueError(f"chart spec lacks its data ({', '.join(sorted(missing))})")
    return d


def to_png(chart: alt.TopLevelMixin, lang: str = "da", scale: float = 2.0) -> bytes:
    text = json.dumps(spec(chart))
    with _CONVERT:
        return vlc.vegalite_to_png(text, scale=scale)


def to_svg(chart: alt.TopLevelMixin, lang: str = "da") -> bytes:
    text = json.dumps(spec(chart))
    with _CONVERT:
        return vlc.vegalite_to_svg(text).encode("utf-8")


def to_pdf(chart: alt.TopLevelMixin, lang: str = "da") -> bytes:
    text = json.dumps(spec(chart))
    with _CONVERT:
        return vlc.vegalite_to_pdf(text)


def page_pdf(rows: list[list[alt.TopLevelMixin]], gap: int = 28, margin: int = 24) -> bytes:
    """Charts laid out on one PDF page, row by row (each chart keeps its own size and style)."""
    placed, y, width = [], margin, 0
    for row in rows:
        x, height = margin, 0
        for chart in row:
            svg = to_svg(chart).decode("utf-8")
            w, h = (float(re.search(rf'{a}="([0-9.]+)"', svg).group(1)) for a in ("width", "height"))
            body = re.sub(r"^<svg ", f'<svg x="{x}" y="{y}" ', svg.split("?>", 1)[-1].lstrip(), count=1)
            placed.append(body)
            x += w + gap
            height = max(height, h)
        width = max(width, x - gap + margin)
        y += height + gap
    page = (f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
            f'width="{width}" height="{y - gap + margin}"><rect width="100%" height="100%" fill="white"/>'
            + "".join(placed) + "</svg>")
    with _CONVERT:
        return vlc.svg_to_pdf(page)


EXPORTS = {"png": (to_png, "image/png"), "svg": (to_svg, "image/svg+xml"), "pdf": (to_pdf, "application/pdf")}
