"""Eksport: the council pack, the one-page summary, the data as CSV, every chart as PNG, SVG and
PDF, and the lever table. Every download is built when clicked, on its own thread, and never
reruns the page (the tab stays where it is)."""
from __future__ import annotations

import streamlit as st

from model import business_case, charts, council, indicators

from . import economy, reality
from .view import View

LABEL = {"da": "Eksport", "en": "Export"}


def figures(v: View) -> dict:
    """Every chart the council pack holds, by file name: its title and its builder."""
    res, lang, stamp = v.results, v.lang, v.stamp
    text = charts.TEXT[lang]
    seen = {k: reality.observed(k, v.scenario.municipality, lang) for k in indicators.INDICATORS}
    out = {f"indicator_{k}": (ind.label_da if lang == "da" else ind.label_en,
                              lambda k=k: charts.indicator_chart(res.summary, k, stamp, lang, seen[k]))
           for k, ind in indicators.INDICATORS.items()}
    out["targets"] = (text["share"], lambda: charts.target_table_chart(res.summary, stamp, lang))
    out["stocks"] = (text["stocks"], lambda: charts.stock_chart(res.states, stamp, lang))
    out["flows_2020"] = (text["flows"].format(y=2020), lambda: charts.flow_chart(res.flows, 2020, stamp, lang))
    return out


def payback_data(v: View):
    """The cumulative effort and savings against 2016 practice and the payback month (for the pack),
    or None when the levers are all at 2016 practice."""
    if not business_case.moved_levers(v.scenario):
        return None
    practice = economy.practice_results(v)
    rows = {r["measure"]: r for r in business_case.rows(business_case.ALL, v.results.outcome, practice.outcome)}
    return business_case.cumulative(v.results.outcome, practice.outcome), rows[business_case.PAYBACK]["mean"]


def render(v: View) -> None:
    t, lang, res = v.t, v.lang, v.results
    sc, stamp, words, moved = v.scenario, v.stamp, v.words, list(v.changes)
    st.caption(v.stamp.text(lang))
    payback = payback_data(v)
    c1, c2 = st.columns(2)
    c1.download_button(t["pack"], key="pack", on_click="ignore", mime="application/zip", width="stretch",
                       type="primary", file_name=f"{'raadspakke' if lang == 'da' else 'council-pack'}-{res.hash}.zip",
                       data=lambda: council.council_pack(sc, res.summary, res.states, res.flows, stamp, lang, words, moved,
                                                         res.costs, payback, actual=reality.pack(v)))
    c2.download_button(t["summary_pdf"], key="summary_pdf", on_click="ignore", mime="application/pdf", width="stretch",
                       file_name=f"{'resume' if lang == 'da' else 'summary'}-{res.hash}.pdf",
                       data=lambda: council.council_summary_pdf(res.summary, stamp, lang, words))
    cols = st.columns(3)
    for col, (name, frame) in zip(cols, (("indicators", res.summary), ("states", res.states), ("flows", res.flows))):
        col.download_button(f"{t['export_data']}: {t['csv'][name]}", data=frame.to_csv(index=False),
                            file_name=f"{t['csv'][name]}.csv", mime="text/csv", key=f"csv_{name}",
                            on_click="ignore", width="stretch")
    for name, (title, make) in figures(v).items():
        st.markdown(f"**{title}**")
        cols = st.columns(3)
        for col, (ext, (export, mime)) in zip(cols, charts.EXPORTS.items()):
            col.download_button(ext.upper(), data=lambda export=export, make=make: export(make(), lang),
                                file_name=f"{name}.{ext}", mime=mime, key=f"dl_{name}_{ext}", on_click="ignore",
                                width="stretch")
    st.subheader(t["levers_head"])
    st.dataframe(council.lever_table(sc, lang), width="stretch", hide_index=True)
