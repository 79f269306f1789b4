"""Sammenlign: any two of the scenario run, the shipped scenario files and the scenarios saved
under a name in this session, with the same seed and number of futures; the differences with
units and better/worse colours, and each indicator's two curves."""
from __future__ import annotations

import streamlit as st

from model import charts, compare, indicators

from . import runs, state
from .view import View, show_chart

LABEL = {"da": "Sammenlign", "en": "Compare"}
RUN = "__run__"
ss = st.session_state


def _options() -> list[str]:
    return [RUN, *state.FILES, *(f"saved:{name}" for name in ss.get("saved", {}))]


def _name(choice: str, v: View) -> str:
    if choice == RUN:
        return v.t["current"].format(name=v.scenario.name)
    if choice.startswith("saved:"):
        return choice.split(":", 1)[1]
    return state.file_name(choice, v.lang)


def _request(choice: str, v: View) -> runs.Request:
    if choice == RUN:
        return v.request
    if choice.startswith("saved:"):
        toml = ss["saved"][choice.split(":", 1)[1]]
    else:
        toml = state.file_origin(choice).toml
    sc = state.parse(toml)
    return runs.Request(_name(choice, v), toml, sc.hash, v.seed, v.reps)


def render(v: View) -> None:
    t, lang = v.t, v.lang
    options = _options()
    for key, default in (("compare_a", state.PRACTICE_SCENARIO), ("compare_b", RUN)):
        if ss.get(key) not in options:
            ss[key] = default
    c1, c2 = st.columns(2)
    a = c1.selectbox(t["compare_a"], options, format_func=lambda c: _name(c, v), key="compare_a")
    b = c2.selectbox(t["compare_b"], options, format_func=lambda c: _name(c, v), key="compare_b")
    st.caption(t["running_compare"])
    ra, rb = _request(a, v), _request(b, v)
    got = runs.ensure([ra, rb], st.empty(), t, lang)
    res_a, res_b = got[ra.key], got[rb.key]
    st.subheader(t["diff"])
    st.caption(t["diff_note"])
    st.table(compare.styled(res_a.summary, res_b.summary, lang))
    names = {f"A: {_name(a, v)}": res_a.summary, f"B: {_name(b, v)}": res_b.summary}
    grid = st.container(horizontal=True, gap="medium", key="compare_grid")
    for key in indicators.INDICATORS:
        with grid.container(border=True, width="stretch"):
            show_chart(("compare", key, *res_a.key, *res_b.key, *names, lang, v.stamp.text(lang)),
                       lambda key=key: charts.compare_chart(names, key, v.stamp, lang), f"cmp_{key}")
