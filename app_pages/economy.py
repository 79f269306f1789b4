"""Økonomi: what the scenario run costs the municipality year by year (gross, state refusion, net,
by benefit) beside 2016 practice with the same refugees and assumptions, the chart of it with its
exports, what the budget guarantee gives back, and the business case of the current levers."""
from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd
import streamlit as st

from model import accounts, business_case, charts, cost_charts, cost_rules, indicators, levers, mechanisms, numbers, rates

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
        row = {e["bc_lever"]: _lever_label(lever, lang), e["bc_net"]: f"{f(net['mean'])} ({f(net.p05)} – {f(net.p95)})",
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
    variants = _variants(v.request.toml)
    *levers_moved, (_, p_toml, p_hash) = variants
    practice_req = runs.Request(e["practice"], p_toml, p_hash, v.seed, v.reps)
    practice = runs.ensure([practice_req], st.empty(), t, lang)[practice_req.key]
    names = (v.scenario.name, e["practice"])
    a, b = res.costs, practice.costs

    na, nb = res.outcome.net, practice.outcome.net
    (a_m, a_lo, a_hi), (d_m, d_lo, d_hi) = _three(na, lang), _three(na - nb, lang, signed=True)
    st.markdown(e["headline"].format(a=a_m, a_lo=a_lo, a_hi=a_hi, b=numbers.fmt_mio(float(np.mean(nb)), lang),
                                     d=d_m, d_lo=d_lo, d_hi=d_hi))
    all_rows = pd.DataFrame(business_case.rows(business_case.ALL, res.outcome, practice.outcome))
    st.markdown(_per_person_words(all_rows, lang))

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
