"""Strømme: the year's moves between benefits (a Sankey with numbers) and the number of people on
each benefit month by month."""
from __future__ import annotations

import streamlit as st

from model import calendar, charts

from .view import View, show_chart

LABEL = {"da": "Strømme", "en": "Flows"}


def render(v: View) -> None:
    t, lang, res = v.t, v.lang, v.results
    st.caption(t["flows_intro"])
    year = st.selectbox(t["flows_year"], list(calendar.PLAN_YEARS), index=0, key="flows_year")
    stamp = v.stamp.text(lang)
    show_chart(("flows", year, *res.key, lang, stamp), lambda: charts.flow_chart(res.flows, year, v.stamp, lang), "flows")
    show_chart(("stocks", *res.key, lang, stamp), lambda: charts.stock_chart(res.states, v.stamp, lang), "stocks")
