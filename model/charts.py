"""One chart style (Altair) for the screen and for the exports (PNG, SVG, PDF via vl-convert).

Every chart carries its title, the plan's targets, the data source and a stamp (model version,
scenario hash, seeds), and reads well on a slide. Numbers are formatted the Danish way in
Danish (1.300; 22,1 %) through the charts' own label expressions, so screen and export agree.
"""
from __future__ import annotations

from dataclasses import dataclass

import altair as alt
import numpy as np
import pandas as pd
import vl_convert as vlc

from . import __version__, indicators
from .states import LABELS_DA, LABELS_EN, State

WIDTH, HEIGHT = 520, 260
BLUE, RED, GREY = "#1f5b99", "#c0392b", "#7f8c8d"



@dataclass(frozen=True)
class Stamp:
    """Where every number comes from: model version, scenario, its hash and the seeds."""

    scenario: str
    scenario_hash: str
    seed: int
    replications: int
    engine: str = "fast"

    def text(self, lang: str = "da") -> str:
        if lang == "da":
            return (f"Model {__version__} · scenarie «{self.scenario}» ({self.scenario_hash}) · "
                    f"frø {self.seed}, {self.replications} fremtider")
        return (f"Model {__version__} · scenario «{self.scenario}» ({self.scenario_hash}) · "
                f"seed {self.seed}, {self.replications} futures")


SOURCE = {"da": "Kilde: simulering af Viborg Kommunes beskæftigelsesplan 2017; mål fra planen",
          "en": "Source: simulation of Viborg Kommune's employment plan 2017; targets from the plan"}

TEXT = {
    "da": {"mean": "Simuleret gennemsnit", "band": "90 % af fremtiderne", "target": "Mål", "status": "Status 2016",
           "year": "År", "met": "mål nået i {k} af {n} fremtider i {y}", "no_target": "planen sætter intet tal",
           "month": "Måned", "persons": "Personer", "from": "Fra", "to": "Til", "scenario": "Scenarie",
           "share": "Andel fremtider der når målet", "indicator": "Indikator", "flows": "Overgange mellem ydelser {y}",
           "stocks": "Personer pr. ydelse, måned for måned", "diff": "Forskel"},
    "en": {"mean": "Simulated mean", "band": "90 % of futures", "target": "Target", "status": "Status 2016",
           "year": "Year", "met": "target met in {k} of {n} futures in {y}", "no_target": "the plan sets no number",
           "month": "Month", "persons": "Persons", "from": "From", "to": "To", "scenario": "Scenario",
           "share": "Share of futures meeting the target", "indicator": "Indicator", "flows": "Moves between benefits {y}",
           "stocks": "Persons per benefit, month by month", "diff": "Difference"},
}


def number_expr(kind: str, lang: str, field: str = "datum.value") -> str:
    """A Vega expression formatting a count or a share the language's way."""
    if kind == "share":
        text = f"format({field}, '.0%')" if lang == "en" else f"replace(format({field}, '.0%'), '.', ',')"
        return text
    text = f"format({field}, ',.0f')"
    return text if lang == "en" else f"replace({text}, ',', '.')"


def fmt(value: float, kind: str, lang: str, decimals: int = 1) -> str:
    """A number as text, the language's way (Danish: 1.300 and 22,1 %)."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "–"
    if kind == "share":
        text = f"{100 * value:.{decimals}f} %"
    else:
        text = f"{value:,.0f}"
    if lang == "da":
        text = text.replace(",", "§").replace(".", ",").replace("§", ".")
    return text


def _label(key: str, lang: str) -> str:
    ind = indicators.INDICATORS[key]
    return ind.label_da if lang == "da" else ind.label_en


def _base(chart: alt.Chart) -> alt.Chart:
    return chart.configure_title(anchor="start", fontSize=15, subtitleFontSize=11,
                                                      subtitleColor="#444").configure_view(stroke=None)


def indicator_chart(summary: pd.DataFrame, key: str, stamp: Stamp, lang: str = "da") -> alt.Chart:
    """One plan indicator: simulated mean, 90 % band over replications, the 2016 status and the
    target per year, with how many simulated futures meet the last year's target."""
    t = TEXT[lang]
    ind = indicators.INDICATORS[key]
    rows = summary[summary.indicator == key].copy()
    rows["year"] = rows["year"].astype(int)
    rows["mean_label"] = [fmt(v, ind.kind, lang) for v in rows["mean"]]
    rows["target_label"] = [f"{t['target']} {fmt(v, ind.kind, lang, 0)}" if not np.isnan(v) else "" for v in rows["target"]]
    n = stamp.replications
    last = rows[rows.year == rows.year.max()].iloc[0]
    met = (t["met"].format(k=int(round(last.share_meeting_target * n)), n=n, y=int(last.year))
           if not np.isnan(last.target) else t["no_target"])
    axis = alt.Axis(labelExpr=number_expr(ind.kind, lang), title=None, grid=True)
    x = alt.X("year:O", title=None, axis=alt.Axis(labelAngle=0))
    band = alt.Chart(rows).mark_area(opacity=0.25, color=BLUE).encode(
        x=x, y=alt.Y("p05:Q", axis=axis, scale=alt.Scale(zero=False)), y2="p95:Q")
    line = alt.Chart(rows).mark_line(point=alt.OverlayMarkDef(size=50, filled=True), color=BLUE, strokeWidth=2.5).encode(
        x=x, y="mean:Q", tooltip=[alt.Tooltip("year:O", title=t["year"]), alt.Tooltip("mean_label:N", title=t["mean"])])
    targets = rows.dropna(subset=["target"])
    target = alt.Chart(targets).mark_point(shape="diamond", size=110, filled=True, color=RED).encode(
        x=x, y="target:Q", tooltip=[alt.Tooltip("target_label:N", title=t["target"])])
    target_text = alt.Chart(targets).mark_text(dy=-12, color=RED, fontSize=11).encode(
        x=x, y="target:Q", text="target_label:N")
    status = rows[rows.year == rows.year.min()]
    status_text = alt.Chart(status).mark_text(dy=-14, color=GREY, fontSize=11).encode(
        x=x, y="mean:Q", text=alt.value(t["status"]))
    subtitle = [f"{t['mean']} (—) og {t['band']} (bånd); {t['target'].lower()} (◆). {met[0].upper() + met[1:]}.",
                SOURCE[lang], stamp.text(lang)]
    chart = alt.layer(band, line, target, target_text, status_text).properties(
        width=WIDTH, height=HEIGHT, title=alt.TitleParams(_label(key, lang), subtitle=subtitle))
    return _base(chart)


def target_table_chart(summary: pd.DataFrame, stamp: Stamp, lang: str = "da") -> alt.Chart:
    """All indicators × plan years, coloured by the share of simulated futures meeting the target."""
    t = TEXT[lang]
    rows = summary.dropna(subset=["target"]).copy()
    rows["label"] = [_label(k, lang) for k in rows.indicator]
    rows["text"] = [f"{fmt(m, indicators.INDICATORS[k].kind, lang)} ({fmt(s, 'share', lang, 0)})"
                    for k, m, s in zip(rows.indicator, rows["mean"], rows.share_meeting_target)]
    base = alt.Chart(rows).encode(x=alt.X("year:O", title=None, axis=alt.Axis(labelAngle=0, orient="top")),
                                  y=alt.Y("label:N", title=None, sort=None, axis=alt.Axis(labelLimit=380)))
    rect = base.mark_rect(stroke="white").encode(color=alt.Color(
        "share_meeting_target:Q", title=t["share"], scale=alt.Scale(domain=[0, 1], scheme="redyellowgreen"),
        legend=alt.Legend(orient="bottom", format=".0%", gradientLength=220)))
    text = base.mark_text(fontSize=11).encode(text="text:N")
    chart = (rect + text).properties(width=420, height=34 * rows.label.nunique(), title=alt.TitleParams(
        t["share"], subtitle=[SOURCE[lang], stamp.text(lang)]))
    return _base(chart)


def compare_chart(summaries: dict[str, pd.DataFrame], key: str, stamp: Stamp, lang: str = "da") -> alt.Chart:
    """One indicator for two or more scenarios: mean and 90 % band each, and the targets."""
    t = TEXT[lang]
    ind = indicators.INDICATORS[key]
    rows = pd.concat([df[df.indicator == key].assign(scenario=name) for name, df in summaries.items()])
    axis = alt.Axis(labelExpr=number_expr(ind.kind, lang), title=None)
    x = alt.X("year:O", title=None, axis=alt.Axis(labelAngle=0))
    color = alt.Color("scenario:N", title=t["scenario"], legend=alt.Legend(orient="bottom", labelLimit=300))
    band = alt.Chart(rows).mark_area(opacity=0.18).encode(x=x, y=alt.Y("p05:Q", axis=axis, scale=alt.Scale(zero=False)),
                                                         y2="p95:Q", color=color)
    line = alt.Chart(rows).mark_line(point=True, strokeWidth=2.5).encode(x=x, y="mean:Q", color=color)
    targets = rows.dropna(subset=["target"]).drop_duplicates("year")
    target = alt.Chart(targets).mark_point(shape="diamond", size=110, filled=True, color=RED).encode(x=x, y="target:Q")
    chart = alt.layer(band, line, target).properties(width=WIDTH, height=HEIGHT, title=alt.TitleParams(
        _label(key, lang), subtitle=[f"{t['target']} (◆)", SOURCE[lang], stamp.text(lang)]))
    return _base(chart)


def stock_chart(states: pd.DataFrame, stamp: Stamp, lang: str = "da") -> alt.Chart:
    """Persons per benefit state over time (mean over replications); work, education, pension
    and those outside the labour force are left out so the benefits can be seen."""
    t = TEXT[lang]
    names = LABELS_DA if lang == "da" else LABELS_EN
    keep = [s.name for s in State if _on_benefit(s)]
    rows = states[states.state.isin(keep)].copy()
    rows["label"] = [names[State[s]] for s in rows.state]
    rows["date"] = pd.to_datetime(rows.month + "-01")
    chart = alt.Chart(rows).mark_area().encode(
        x=alt.X("date:T", title=None, axis=alt.Axis(format="%Y", tickCount="year")),
        y=alt.Y("mean:Q", title=t["persons"], stack="zero", axis=alt.Axis(labelExpr=number_expr("count", lang))),
        color=alt.Color("label:N", title=None, sort=keep, scale=alt.Scale(scheme="tableau20"),
                        legend=alt.Legend(orient="right", labelLimit=260)),
        tooltip=[alt.Tooltip("label:N"), alt.Tooltip("month:N"), alt.Tooltip("mean:Q", format=",.0f")],
    ).properties(width=WIDTH, height=HEIGHT + 60, title=alt.TitleParams(t["stocks"], subtitle=[SOURCE[lang], stamp.text(lang)]))
    return _base(chart)


def _on_benefit(s: State) -> bool:
    """Benefit states (not work, education, pensions or outside the labour force)."""
    return s not in (State.employed, State.education, State.outside_labour_force, State.retired, State.disability_pension)


def flow_chart(flows: pd.DataFrame, year: int, stamp: Stamp, lang: str = "da", top: int = 25) -> alt.Chart:
    """A Sankey diagram of the year's moves between states (mean over replications): states on
    the left (from) and right (to) as stacked bars, each move a band as wide as its size."""
    t = TEXT[lang]
    names = LABELS_DA if lang == "da" else LABELS_EN
    f = flows[(flows.year == year) & (flows["from"] != flows["to"])].nlargest(top, "mean").copy()
    order = [s.name for s in State]
    gap = max(f["mean"].sum() * 0.012, 1.0)

    def stack(side: str) -> dict[str, tuple[float, float]]:
        tot = f.groupby(side)["mean"].sum()
        pos, y = {}, 0.0
        for s in order:
            if s in tot:
                pos[s] = (y, y + tot[s])
                y += tot[s] + gap
        return pos

    left, right = stack("from"), stack("to")
    links, lo, ro = [], {k: v[0] for k, v in left.items()}, {k: v[0] for k, v in right.items()}
    f = f.sort_values(["from", "to"], key=lambda c: c.map(order.index))
    for src, dst, size in zip(f["from"], f["to"], f["mean"]):
        y0, y1 = lo[src], ro[dst]
        lo[src] += size
        ro[dst] += size
        for k, x in enumerate(np.linspace(0, 1, 21)):
            s = 3 * x ** 2 - 2 * x ** 3                 # smooth S-curve between the two sides
            links.append({"link": f"{src}->{dst}", "x": x, "lower": y0 + (y1 - y0) * s,
                          "upper": y0 + (y1 - y0) * s + size, "from": names[State[src]],
                          "to": names[State[dst]], "persons": size, "order": k})
    nodes = ([{"x": -0.04, "x2": 0.0, "y": a, "y2": b, "label": names[State[s]], "side": "right", "tx": -0.05}
              for s, (a, b) in left.items()] +
             [{"x": 1.0, "x2": 1.04, "y": a, "y2": b, "label": names[State[s]], "side": "left", "tx": 1.05}
              for s, (a, b) in right.items()])
    height = 420
    ys = alt.Scale(domain=[max([v[1] for v in left.values()] + [v[1] for v in right.values()]), 0])
    xs = alt.Scale(domain=[-0.6, 1.6])
    band = alt.Chart(pd.DataFrame(links)).mark_area(opacity=0.45).encode(
        x=alt.X("x:Q", scale=xs, axis=None), y=alt.Y("lower:Q", scale=ys, axis=None), y2="upper:Q",
        detail="link:N", color=alt.Color("from:N", legend=None, scale=alt.Scale(scheme="tableau20")),
        tooltip=[alt.Tooltip("from:N", title=t["from"]), alt.Tooltip("to:N", title=t["to"]),
                 alt.Tooltip("persons:Q", title=t["persons"], format=",.0f")])
    nd = pd.DataFrame(nodes)
    bars = alt.Chart(nd).mark_rect(color="#34495e").encode(x=alt.X("x:Q", scale=xs), x2="x2:Q",
                                                          y=alt.Y("y:Q", scale=ys), y2="y2:Q")
    nd["ym"] = (nd.y + nd.y2) / 2
    labels_l = alt.Chart(nd[nd["side"] == "right"]).mark_text(align="right", fontSize=10).encode(
        x=alt.X("tx:Q", scale=xs), y=alt.Y("ym:Q", scale=ys), text="label:N")
    labels_r = alt.Chart(nd[nd["side"] == "left"]).mark_text(align="left", fontSize=10).encode(
        x=alt.X("tx:Q", scale=xs), y=alt.Y("ym:Q", scale=ys), text="label:N")
    chart = alt.layer(band, bars, labels_l, labels_r).properties(
        width=WIDTH + 200, height=height,
        title=alt.TitleParams(t["flows"].format(y=year), subtitle=[SOURCE[lang], stamp.text(lang)]))
    return _base(chart)


# ---------------------------------------------------------------- exports

def _locale(lang: str) -> str | None:
    return "da-DK" if lang == "da" else None


def to_png(chart: alt.Chart, lang: str = "da", scale: float = 2.0) -> bytes:
    return vlc.vegalite_to_png(chart.to_json(), scale=scale, format_locale=_locale(lang))


def to_svg(chart: alt.Chart, lang: str = "da") -> bytes:
    return vlc.vegalite_to_svg(chart.to_json(), format_locale=_locale(lang)).encode("utf-8")


def to_pdf(chart: alt.Chart, lang: str = "da") -> bytes:
    return vlc.vegalite_to_pdf(chart.to_json(), format_locale=_locale(lang))


EXPORTS = {"png": (to_png, "image/png"), "svg": (to_svg, "image/svg+xml"), "pdf": (to_pdf, "application/pdf")}
