"""Økonomi: what the scenario run costs year by year (gross, state refusion, the municipality's, the
state's and the public net, by benefit and the effort) beside 2016 practice with the same refugees and
assumptions, the chart of it with its exports; the effort, the savings and the month the levers pay
back, as a chart a council member reads in ten seconds; the staff the work needs; what is and is not
counted (the budget guarantee); the business case of the current levers and which assumptions decide
whether it pays."""
from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
import pandas as pd
import streamlit as st

from model import (
    accounts,
    business_case,
    calendar,
    charts,
    cost_charts,
    cost_rules,
    indicators,
    levers,
    mechanisms,
    numbers,
    rates,
)

from . import runs
from .texts import ECONOMY
from .view import View, show_chart

LABEL = {"da": "Økonomi", "en": "Economy"}
YEARS = accounts.YEARS


def _band(x: np.ndarray, lang: str, signed: bool = False) -> str:
    """'1.127,7 (1.121,1 – 1.132,1)': mean and 5–95 % of futures, in mio. kr."""
    m, lo, hi = _three(x, lang, signed)
    return f"{m} ({lo} – {hi})"


def _three(x: np.ndarray, lang: str, signed: bool = False) -> list[str]:
    """Mean, 5 % and 95 % of futures, in mio. kr."""
    return [numbers.fmt_mio(float(z), lang, signed=signed) for z in (np.mean(x), *np.quantile(x, [0.05, 0.95]))]


def _per_year(y: np.ndarray, lang: str, signed: bool = False) -> dict[str, str]:
    """Cells per year and for 2017–2020 from a (futures, years) array."""
    cells = {str(year): _band(y[:, j], lang, signed) for j, year in enumerate(YEARS)}
    cells[f"{YEARS[0]}–{YEARS[-1]}"] = _band(y.sum(axis=1), lang, signed)
    return cells


def net_table(a: np.ndarray, b: np.ndarray, names: tuple[str, str], lang: str) -> pd.DataFrame:
    """Net cost per year of the scenario, of 2016 practice and their difference future by future."""
    e = ECONOMY[lang]
    na, nb = a[..., accounts.NET].sum(axis=2), b[..., accounts.NET].sum(axis=2)
    rows = [{e["row"]: names[0], **_per_year(na, lang)}, {e["row"]: names[1], **_per_year(nb, lang)},
            {e["row"]: e["difference"], **_per_year(na - nb, lang, signed=True)}]
    return pd.DataFrame(rows)


def effort_table(bc_all: pd.DataFrame, lang: str) -> pd.DataFrame:
    """All levers together, per year: the effort's cost, the savings and the net change (mio. kr.)."""
    e = ECONOMY[lang]
    m = bc_all.set_index("measure")
    rows = []
    for label, measure in ((e["effort_row"], "effort_cost_dkk"), (e["savings_row"], "savings_dkk"),
                           (e["net_row"], "municipal_net_dkk")):
        row = {e["row"]: label}
        for year in YEARS:
            r = m.loc[business_case.per_year(measure, year)]
            row[str(year)] = (f"{numbers.fmt_mio(r['mean'], lang, signed=True)} "
                              f"({numbers.fmt_mio(r.p05, lang, signed=True)} – {numbers.fmt_mio(r.p95, lang, signed=True)})")
        total = m.loc[{"effort_cost_dkk": business_case.EFFORT, "savings_dkk": business_case.SAVINGS,
                       "municipal_net_dkk": business_case.NET}[measure]]
        row[f"{YEARS[0]}–{YEARS[-1]}"] = (f"{numbers.fmt_mio(total['mean'], lang, signed=True)} "
                                          f"({numbers.fmt_mio(total.p05, lang, signed=True)} – "
                                          f"{numbers.fmt_mio(total.p95, lang, signed=True)})")
        rows.append(row)
    return pd.DataFrame(rows)


def staff_table(a: business_case.Outcome, b: business_case.Outcome, staff_2016: dict[str, float],
                lang: str) -> pd.DataFrame:
    """Full-time staff the work needs per year (mean of futures) with the levers and with 2016 practice."""
    e = ECONOMY[lang]
    rows = []
    for resource in ("caseworker", "consultant"):
        for label, o in ((e[f"staff_{resource}"], a), (e[f"staff_{resource}_practice"], b)):
            row = {e["row"]: label}
            for j, year in enumerate(calendar.REPORT_YEARS[1:], start=1):
                row[str(year)] = numbers.fmt(float(o.staff[resource][:, j].mean()), "count", lang)
            rows.append(row)
        rows[-2][e["staff_2016"]] = rows[-1][e["staff_2016"]] = numbers.fmt(staff_2016[resource], "count", lang)
    return pd.DataFrame(rows)


def measures_table(a: np.ndarray, lang: str) -> pd.DataFrame:
    e = ECONOMY[lang]
    return pd.DataFrame([{e["row"]: accounts.MEASURE_LABELS[lang][m], **_per_year(a[..., k].sum(axis=2), lang)}
                         for k, m in enumerate(accounts.MEASURES)])


def groups_table(a: np.ndarray, b: np.ndarray, lang: str) -> pd.DataFrame:
    """Net cost per benefit group and year for the scenario, and the difference 2017–2020."""
    e = ECONOMY[lang]
    ga, gb = accounts.by_group(a)[..., accounts.NET], accounts.by_group(b)[..., accounts.NET]       # (futures, years, groups)
    rows = []
    for g, (key, *_rest) in enumerate(accounts.GROUPS):
        if not (np.any(ga[:, :, g]) or np.any(gb[:, :, g])):
            continue
        row = {e["group"]: accounts.group_label(key, lang), **_per_year(ga[:, :, g], lang)}
        row[e["diff_col"]] = _band((ga[:, :, g] - gb[:, :, g]).sum(axis=1), lang, signed=True)
        rows.append(row)
    total = {e["group"]: accounts.label(accounts.TOTAL, lang), **_per_year(ga.sum(axis=2), lang),
             e["diff_col"]: _band((ga.sum(axis=2) - gb.sum(axis=2)).sum(axis=1), lang, signed=True)}
    return pd.DataFrame([*rows, total])


def _lever_label(key: str, lang: str) -> str:
    return ECONOMY[lang]["all"] if key == business_case.ALL else levers.LEVERS[key].label(lang)


def business_table(bc: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The business case as the planner reads it: per lever the net cost change 2017–2020, the
    people off temporary benefits in December 2020 and the cost per person where meaningful."""
    e = ECONOMY[lang]
    unused = business_case.unused_capacity(bc)
    rows = []
    for lever in dict.fromkeys(bc.lever):
        m = bc[bc.lever == lever].set_index("measure")
        net, off = m.loc[business_case.NET], m.loc[business_case.OFF]
        f = lambda v: numbers.fmt_mio(v, lang, signed=True)                           # noqa: E731
        g = lambda v: numbers.fmt_change(v, "count", lang).replace(" personer", "").replace(" persons", "")  # noqa: E731
        eff, sav, pb = m.loc[business_case.EFFORT], m.loc[business_case.SAVINGS], m.loc[business_case.PAYBACK]
        row = {e["bc_lever"]: _lever_label(lever, lang),
               e["bc_effort"]: f"{f(eff['mean'])} ({f(eff.p05)} – {f(eff.p95)})",
               e["bc_savings"]: f"{f(sav['mean'])} ({f(sav.p05)} – {f(sav.p95)})",
               e["bc_net"]: f"{f(net['mean'])} ({f(net.p05)} – {f(net.p95)})",
               e["bc_payback"]: payback_text(pb["mean"], lang),
               e["bc_off"]: f"{g(off['mean'])} ({g(off.p05)} – {g(off.p95)})", e["bc_per"]: "–"}
        if business_case.PER_PERSON in m.index:
            p = m.loc[business_case.PER_PERSON]
            row[e["bc_per"]] = (f"{g(p['mean'])} ({g(p.p05)} – {g(p.p95)})")
        row[e["bc_why"]] = ("" if lever == business_case.ALL else
                            e["bc_unused"].format(n=numbers.fmt(unused[lever], "count", lang)) if lever in unused else
                            mechanisms.how(lever, lang))
        rows.append(row)
    return pd.DataFrame(rows)


def indicator_table(bc: pd.DataFrame, lang: str) -> pd.DataFrame:
    e = ECONOMY[lang]
    rows = []
    for lever in dict.fromkeys(bc.lever):
        m = bc[bc.lever == lever].set_index("measure")["mean"]
        rows.append({e["bc_lever"]: _lever_label(lever, lang),
                     **{(ind.label_da if lang == "da" else ind.label_en):
                        numbers.fmt_change(m[business_case.indicator_measure(k)], ind.kind, lang)
                        for k, ind in indicators.INDICATORS.items()}})
    return pd.DataFrame(rows)


@lru_cache(maxsize=64)
def _variants(toml: str) -> tuple[tuple[str, str, str], ...]:
    """(lever, TOML, hash) of each one-lever variant of a scenario and of its 2016 practice."""
    from .state import parse
    sc = parse(toml)
    out = [(k, s.to_toml(), s.hash) for k, s in business_case.variants(sc).items() if k != business_case.ALL]
    p = business_case.practice_of(sc)
    return (*out, (business_case.PRACTICE, p.to_toml(), p.hash))


def payback_text(month: float, lang: str) -> str:
    """A payback month in words, or 'ikke inden 2020'."""
    if month is None or not math.isfinite(month):
        return ECONOMY[lang]["not_by_2020"]
    return cost_charts.month_words(month, lang)


def practice_results(v: View, place=None) -> runs.Results:
    """2016 practice with the run's inputs, assumptions, seed and futures (run now if not kept)."""
    *_, (_, p_toml, p_hash) = _variants(v.request.toml)
    req = runs.Request(ECONOMY[v.lang]["practice"], p_toml, p_hash, v.seed, v.reps)
    return runs.ensure([req], place if place is not None else st.empty(), v.t, v.lang)[req.key]


def payback_figure(v: View, practice: runs.Results):
    """The payback chart of all levers together (cumulative saving minus effort from January 2017)."""
    res = v.results
    rows = pd.DataFrame(business_case.rows(business_case.ALL, res.outcome, practice.outcome)).set_index("measure")
    month = rows.loc[business_case.PAYBACK, "mean"]
    return cost_charts.payback_chart(business_case.cumulative(res.outcome, practice.outcome), month, v.stamp, v.lang)


def render(v: View) -> None:
    t, lang, res = v.t, v.lang, v.results
    e = ECONOMY[lang]
    st.caption(v.stamp.text(lang))
    st.markdown(e["intro"])
    try:
        cost_rules.tables()
    except rates.RateError as exc:
        st.error(e["rates_broken"] + "\n\n" + "\n".join(f"- {p}" for p in exc.problems))
        return
    *levers_moved, _ = _variants(v.request.toml)
    practice = practice_results(v)
    names = (v.scenario.name, e["practice"])
    a, b = res.costs, practice.costs

    na, nb = res.outcome.net, practice.outcome.net
    (a_m, a_lo, a_hi), (d_m, d_lo, d_hi) = _three(na, lang), _three(na - nb, lang, signed=True)
    st.markdown(e["headline"].format(a=a_m, a_lo=a_lo, a_hi=a_hi, b=numbers.fmt_mio(float(np.mean(nb)), lang),
                                     d=d_m, d_lo=d_lo, d_hi=d_hi))
    all_rows = pd.DataFrame(business_case.rows(business_case.ALL, res.outcome, practice.outcome))
    st.markdown(_per_person_words(all_rows, lang))
    for note in res.outcome.capacity_notes or ():
        st.warning(_capacity_words(note, lang))

    st.subheader(e["payback_head"])
    if levers_moved or any(all_rows.measure == business_case.PAYBACK):
        make_pb = lambda: payback_figure(v, practice)                                        # noqa: E731
        show_chart(("payback", *res.key, *practice.key, lang, v.stamp.text(lang)), make_pb, "payback_chart")
        cols = st.columns(3)
        for col, (ext, (export, mime)) in zip(cols, charts.EXPORTS.items()):
            col.download_button(ext.upper(), data=lambda export=export: export(make_pb(), lang),
                                file_name=f"payback.{ext}", mime=mime, key=f"dl_payback_{ext}", on_click="ignore",
                                width="stretch")
        st.table(effort_table(all_rows, lang).set_index(e["row"]))
    st.caption(e["counted"])
    st.subheader(e["staff_head"])
    st.table(staff_table(res.outcome, practice.outcome,
                         {"caseworker": v.scenario.inputs["caseworkers_fte"][YEARS[0] - 1],
                          "consultant": v.scenario.inputs["company_consultants_fte"][YEARS[0] - 1]},
                         lang).set_index(e["row"]))
    st.caption(e["staff_note"])

    st.subheader(e["net_head"])
    st.table(net_table(a, b, names, lang).set_index(e["row"]))
    st.subheader(e["measures_head"])
    st.table(measures_table(a, lang).set_index(e["row"]))
    st.subheader(e["groups_head"])
    st.table(groups_table(a, b, lang).set_index(e["group"]))

    st.subheader(e["chart_head"])
    make = lambda: cost_charts.cost_chart({names[0]: a, names[1]: b}, v.stamp, lang)      # noqa: E731
    show_chart(("cost", *res.key, *practice.key, lang, v.stamp.text(lang)), make, "cost_chart")
    cols = st.columns(4)
    for col, (ext, (export, mime)) in zip(cols, charts.EXPORTS.items()):
        col.download_button(ext.upper(), data=lambda export=export: export(make(), lang), file_name=f"cost.{ext}",
                            mime=mime, key=f"dl_cost_{ext}", on_click="ignore", width="stretch")
    cols[3].download_button(e["csv_costs"], data=lambda: accounts.table(a).to_csv(index=False), key="csv_costs",
                            file_name="costs.csv", mime="text/csv", on_click="ignore", width="stretch")

    st.subheader(e["guarantee_head"])
    st.markdown(e["guarantee"])

    st.subheader(e["bc_head"])
    if not levers_moved:
        st.info(e["bc_none"])
        return
    st.caption(e["bc_intro"])
    requests = {k: runs.Request(e["running_bc"].format(name=_lever_label(k, lang)), toml, h, v.seed, v.reps)
                for k, toml, h in levers_moved}
    have = {k: runs.store().get(r.key) for k, r in requests.items()}
    if any(x is None for x in have.values()):
        st.info(e["bc_pending"])
        if st.button(e["bc_button"].format(k=len(requests), n=v.reps), key="business_case"):
            have = runs.ensure(list(requests.values()), st.empty(), t, lang)
            have = {k: have[r.key] for k, r in requests.items()}
    if any(x is None for x in have.values()):
        bc = all_rows
    else:
        bc = business_case.table({**{k: x.outcome for k, x in have.items()}, business_case.ALL: res.outcome},
                                 practice.outcome)
    st.table(business_table(bc, lang).set_index(e["bc_lever"]))
    st.caption(e["bc_note"].format(m=business_case.MIN_OFF))
    with st.expander(e["bc_indicators"]):
        st.table(indicator_table(bc, lang).set_index(e["bc_lever"]))
    st.download_button(e["csv_bc"], data=bc.to_csv(index=False), file_name="business-case.csv", mime="text/csv",
                       key="csv_bc", on_click="ignore")
    _sensitivity(v, practice)


def _sensitivity(v: View, practice: runs.Results) -> None:
    """Which unit costs decide whether all levers together pay (re-priced on the same futures)."""
    e, lang, res = ECONOMY[v.lang], v.lang, v.results
    st.subheader(e["sens_head"])
    st.caption(e["sens_intro"])
    key = ("sensitivity", *res.key, *practice.key)
    if st.button(e["sens_button"], key="sensitivity") or st.session_state.get("sensitivity_key") == key:
        st.session_state["sensitivity_key"] = key
        df = _sensitivity_table(res, practice, v.scenario.to_toml())
        show_chart((*key, lang, v.stamp.text(lang)), lambda: cost_charts.sensitivity_chart(df, v.stamp, lang),
                   "sensitivity_chart")


@st.cache_data(show_spinner=False, max_entries=16, hash_funcs={runs.Results: lambda r: r.key})
def _sensitivity_table(res: runs.Results, practice: runs.Results, toml: str) -> pd.DataFrame:
    sc = res.outcome.scenario
    return business_case.sensitivity(sc, 0, 0, moved=res.outcome, practice=practice.outcome)


def _capacity_words(note: tuple, lang: str) -> str:
    resource, year, need, cap = note
    return ECONOMY[lang][f"over_{resource}"].format(year=year, need=numbers.fmt(need, "count", lang),
                                                   cap=numbers.fmt(cap, "count", lang))


def _per_person_words(rows: pd.DataFrame, lang: str) -> str:
    """How many fewer on temporary benefits, and what each costs or saves, where it says something."""
    e = ECONOMY[lang]
    m = rows.set_index("measure")
    off = m.loc[business_case.OFF]
    fmt = lambda x: numbers.fmt(x, "count", lang)                         # noqa: E731
    if business_case.PER_PERSON not in m.index:
        return e["per_person_none"].format(n=numbers.fmt_change(off["mean"], "count", lang),
                                           n_lo=fmt(off.p05), n_hi=fmt(off.p95))
    k = m.loc[business_case.PER_PERSON, "mean"]
    words = e["per_person"].format(n=fmt(off["mean"]), n_lo=fmt(off.p05), n_hi=fmt(off.p95))
    return words + " " + e["per_person_saves" if k < 0 else "per_person_costs"].format(k=fmt(abs(k)))
