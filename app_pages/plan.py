"""Plan mod simulation: every target and year in one table, then one chart per indicator with the
count of futures meeting the 2020 target right under it."""
from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from model import accounts, calendar, charts, indicators, numbers

from . import reality
from .texts import REALITY
from .view import View, legend_markdown, show_chart

LABEL = {"da": "Plan mod simulation", "en": "Plan vs. simulation"}


def summary_table(summary: pd.DataFrame, reps: int, lang: str, net: np.ndarray | None = None):
    """Indicators × plan years: mean, target and futures meeting it, coloured by likelihood; with
    ``net`` (the municipality's net cost per future and year, DKK) a last row of what it costs."""
    t_word, of = ("mål", "af") if lang == "da" else ("target", "of")
    head = "Indikator" if lang == "da" else "Indicator"
    cells, colours = [], []
    for key, ind in indicators.INDICATORS.items():
        rows = summary[(summary.indicator == key) & summary.year.isin(calendar.PLAN_YEARS)].set_index("year")
        label = ind.label_da if lang == "da" else ind.label_en
        cell, colour = {head: label}, {head: ""}
        for y in calendar.PLAN_YEARS:
            r = rows.loc[y]
            mean = numbers.fmt(r["mean"], ind.kind, lang)
            if np.isnan(r.target):
                cell[str(y)] = mean
                colour[str(y)] = ""
            else:
                k = int(round(r.share_meeting_target * reps))
                cell[str(y)] = f"{mean} ({t_word} {numbers.fmt(r.target, ind.kind, lang, 0)}) · {k} {of} {reps}"
                c = numbers.likelihood(r.share_meeting_target)
                colour[str(y)] = f"background-color: {c.colour}; color: {c.text_colour}"
        cells.append(cell)
        colours.append(colour)
    if net is not None:
        label = "Kommunal nettoudgift, mio. kr." if lang == "da" else "Municipal net cost, DKK m"
        cell = {head: label}
        for j, y in enumerate(accounts.YEARS):
            lo, hi = np.quantile(net[:, j], [0.05, 0.95])
            cell[str(y)] = (f"{numbers.fmt_mio(float(net[:, j].mean()), lang)} "
                            f"({numbers.fmt_mio(float(lo), lang)} – {numbers.fmt_mio(float(hi), lang)})")
        cells.append(cell)
        colours.append({k: "" for k in cell})
    table, style = pd.DataFrame(cells), pd.DataFrame(colours)
    return table.style.apply(lambda col: list(style[col.name]), axis=0).hide(axis="index")


def render(v: View) -> None:
    t, lang = v.t, v.lang
    res = v.results
    st.caption(v.stamp.text(lang) + " · " + t["reading"])
    st.subheader(t["summary"])
    st.table(summary_table(res.summary, v.reps, lang, res.costs[..., accounts.NET].sum(axis=2)))
    st.markdown(legend_markdown(lang), unsafe_allow_html=True)
    st.subheader(t["charts_head"])
    grid = st.container(horizontal=True, gap="medium", key="chart_grid")
    town = v.scenario.municipality
    for key in indicators.INDICATORS:
        with grid.container(border=True, width="stretch"):
            seen = reality.observed(key, town, lang)
            show_chart(("indicator", key, *res.key, lang, v.stamp.text(lang), reality.fingerprint(town)),
                       lambda key=key, seen=seen: charts.indicator_chart(res.summary, key, v.stamp, lang, seen),
                       f"chart_{key}")
            last = res.summary[(res.summary.indicator == key) & (res.summary.year == calendar.END_YEAR)].iloc[0]
            if np.isnan(last.target):
                st.markdown(t["no_target"])
            else:
                st.markdown(t["met"].format(y=calendar.END_YEAR, k=int(round(last.share_meeting_target * v.reps)),
                                            n=v.reps))
            with st.expander(REALITY[lang]["indicator_help"]):
                st.markdown(reality.help_markdown(key, lang))
