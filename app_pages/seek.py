"""Hvad skal der til?: what drives each target (each lever one step, paired futures, a sorted chart
and a sentence per lever), and a goal-seek for the cheapest lever settings that meet the chosen
targets in a chosen share of futures, with its progress, the front of cost against targets met,
the answer in the planner's words (both probabilities: in the search and on fresh seeds), and the
best settings put into the sidebar or downloaded as a scenario file."""
from __future__ import annotations

import time

import altair as alt
import pandas as pd
import streamlit as st

from model import calendar, drivers, indicators, levers, numbers
from model import seek as goal

from . import runs, state
from .view import View, show_chart

LABEL = {"da": "Hvad skal der til?", "en": "What would it take?"}
ss = st.session_state

T = {
    "da": {
        "drivers_head": "Hvad driver målene?",
        "drivers_intro": "Hvert håndtag flyttes ét skridt fra det kørte scenaries indstilling – mod planens værdi, "
                         "eller mod grænsen i den retning, håndtaget ventes at hjælpe – og ændringen i {y} måles "
                         "fremtid for fremtid på de samme frø ({n} parrede fremtider). Søjlen er gennemsnittet, "
                         "stregen 90 %-båndet.",
        "drivers_run": "Beregn drivere", "drivers_target": "Mål",
        "drivers_progress": "Simulerer håndtag {done} af {total} …",
        "change": "Ændring i {y}", "lever": "Håndtag", "better": "Bedre for målet", "worse": "Dårligere for målet",
        "unclear": "Usikkert (båndet rummer 0)",
        "seek_head": "Find billigste indstillinger, der når målene",
        "seek_intro": "Søgningen afprøver indstillinger af de valgte håndtag inden for grænserne (samme værdi "
                      "2017–2020) og finder den billigste for kommunen (netto 2017–2020 med indsatsen: sagsbehandlere, "
                      "virksomhedskonsulenter, drift af tilbud, mentorer, kurser), der når flest mål i mindst den valgte "
                      "andel af fremtiderne. Alle indstillinger prøves først på 3 fremtider; de bedste bekræftes på alle "
                      "fremtiderne (de samme frø) og kontrolleres bagefter på nye frø.",
        "targets": "Mål", "year": "År for målene", "probability": "Nået i mindst denne andel af fremtiderne",
        "levers": "Håndtag, der må flyttes", "bounds": "Grænser for håndtagene",
        "evals": "Antal indstillinger at afprøve", "reps": "Fremtider pr. indstilling", "find": "Find",
        "starting": "Starter søgningen …",
        "progress": "Simuleret {done} af højst {total} fremtider · bedst indtil nu: {met} af {n} mål, {cost} kr.",
        "answer": "Svaret", "front": "Pris mod antal mål nået",
        "met_axis": "Mål nået (i mindst {p} af fremtiderne)", "cost_axis": "Nettoudgift 2017–2020 (mio. kr.)",
        "tried": "Afprøvet", "on_front": "Bedste for antallet af mål",
        "apply": "Brug de bedste indstillinger i håndtagene", "download": "Hent de bedste indstillinger (TOML)",
        "applied": "Indstillingerne er sat i håndtagene – tryk **Kør simulation**.",
        "front_table": "Indstillingerne på fronten", "met_col": "mål nået", "cost_col": "nettoudgift (kr.)",
        "stale_seek": "Søgningen herunder blev lavet ud fra «{name}».",
        "no_targets": "Vælg mindst ét mål.", "no_levers": "Vælg mindst ét håndtag.",
    },
    "en": {
        "drivers_head": "What drives the targets?",
        "drivers_intro": "Each lever moves one step from the scenario run – towards the plan's value, or towards "
                         "the bound in the direction it is expected to help – and the change in {y} is measured "
                         "future by future on the same seeds ({n} paired futures). The bar is the mean, the line "
                         "the 90 % band.",
        "drivers_run": "Compute drivers", "drivers_target": "Target",
        "drivers_progress": "Simulating lever {done} of {total} …",
        "change": "Change in {y}", "lever": "Lever", "better": "Better for the target", "worse": "Worse for the target",
        "unclear": "Unclear (the band includes 0)",
        "seek_head": "Find the cheapest settings that meet the targets",
        "seek_intro": "The search tries settings of the chosen levers within the bounds (one value for 2017–2020) and "
                      "finds the cheapest for the municipality (net 2017–2020 with the effort: caseworkers, company "
                      "consultants, running offers, mentors, courses) that meets the most targets in at least the "
                      "chosen share of futures. Every setting is first tried on 3 futures; the best are confirmed on "
                      "all the futures (the same seeds) and then checked on fresh seeds.",
        "targets": "Targets", "year": "Year of the targets", "probability": "Met in at least this share of futures",
        "levers": "Levers that may move", "bounds": "Bounds of the levers",
        "evals": "Settings to try", "reps": "Futures per setting", "find": "Find",
        "starting": "Starting the search …",
        "progress": "Simulated {done} of at most {total} futures · best so far: {met} of {n} targets, DKK {cost}",
        "answer": "The answer", "front": "Cost against targets met",
        "met_axis": "Targets met (in at least {p} of futures)", "cost_axis": "Net cost 2017–2020 (DKK million)",
        "tried": "Tried", "on_front": "Best for the number of targets",
        "apply": "Put the best settings into the levers", "download": "Download the best settings (TOML)",
        "applied": "The settings are in the levers – press **Run simulation**.",
        "front_table": "The settings on the front", "met_col": "targets met", "cost_col": "net cost (DKK)",
        "stale_seek": "The search below started from «{name}».",
        "no_targets": "Choose at least one target.", "no_levers": "Choose at least one lever.",
    },
}


def _label(key: str, lang: str) -> str:
    ind = indicators.INDICATORS[key]
    return ind.label_da if lang == "da" else ind.label_en


def _short(key: str, lang: str) -> str:
    return levers.LEVERS[key].label(lang).split(" (")[0]


# ---------------------------------------------------------------- drivers

def drivers_chart(d: drivers.Drivers, target: str, lang: str) -> alt.Chart:
    """The levers' changes of one target, largest first: a bar (mean) and a rule (90 % band),
    coloured by what the change does to the target."""
    w = T[lang]
    rows = d.table[d.table.target == target].copy()
    share = rows.kind.iloc[0] == "share" if len(rows) else False
    factor = 100 if share else 1
    rows["lever_label"] = [f"{_short(k, lang)} {numbers.fmt_value(a, levers.LEVERS[k].unit_en, lang)} → "
                           f"{numbers.fmt_value(b, levers.LEVERS[k].unit_en, lang)}"
                           for k, a, b in zip(rows.lever, rows.step_from, rows.step_to)]
    below = rows.direction.iloc[0] == "below" if len(rows) else True
    rows["effect"] = [w["unclear"] if u else (w["better"] if (m < 0) == below else w["worse"])
                      for u, m in zip(rows.uncertain, rows.mean_change)]
    for c in ("mean_change", "p05", "p95"):
        rows[c] = rows[c] * factor
    order = list(rows.lever_label)
    unit = (" (procentpoint)" if lang == "da" else " (percentage points)") if share else \
        (" (personer)" if lang == "da" else " (persons)")
    x = alt.X("mean_change:Q", title=w["change"].format(y=d.targets[0].year) + unit)
    y = alt.Y("lever_label:N", sort=order, title=None, axis=alt.Axis(labelLimit=360))
    colour = alt.Color("effect:N", title=None, scale=alt.Scale(domain=[w["better"], w["worse"], w["unclear"]],
                                                              range=["#1a9850", "#d73027", "#bdbdbd"]),
                       legend=alt.Legend(orient="bottom"))
    bars = alt.Chart(rows).mark_bar().encode(x=x, y=y, color=colour)
    band = alt.Chart(rows).mark_rule(strokeWidth=2).encode(x="p05:Q", x2="p95:Q", y=y)
    return (bars + band).properties(title=_label(target, lang), height=max(160, 26 * len(rows)))


def _drivers(v: View) -> None:
    t, lang = T[v.lang], v.lang
    year = calendar.END_YEAR
    st.subheader(t["drivers_head"])
    st.caption(t["drivers_intro"].format(y=year, n=v.reps))
    key = (v.scenario.hash, v.seed, v.reps, year)
    if st.button(t["drivers_run"], key="drivers_run"):
        bar = st.progress(0.0, text=t["drivers_progress"].format(done=0, total=len(levers.LEVERS) + 1))

        def progress(done: int, total: int) -> None:
            bar.progress(done / total, text=t["drivers_progress"].format(done=done, total=total))
        ss["drivers"] = (key, drivers.measure(v.scenario, year, v.reps, v.seed, executor=runs.pool(),
                                              progress=progress))
        bar.empty()
    got = ss.get("drivers")
    if not got or got[0] != key:
        return
    d = got[1]
    options = [x.key for x in d.targets]
    target = st.selectbox(t["drivers_target"], options, format_func=lambda k: _label(k, lang), key="drivers_target")
    show_chart(("drivers", *key, target, lang), lambda: drivers_chart(d, target, lang), "drivers_chart")
    st.markdown("\n".join(f"- {s}" for s in drivers.sentences(d, lang)[target]))


# ---------------------------------------------------------------- goal-seek

def _bounds(lang: str) -> dict[str, tuple[float, float]]:
    out = {}
    with st.expander(T[lang]["bounds"]):
        for k, lv in levers.LEVERS.items():
            lo, hi = lv.cast(lv.min), lv.cast(lv.max)
            step = lv.cast(lv.step) if lv.kind == "int" else float(lv.step)
            fmt = "percent" if lv.unit_en.startswith("share") else None
            value = st.slider(_short(k, lang), min_value=lo, max_value=hi, value=(lo, hi), step=step,
                              key=f"seek_range_{k}", format=fmt)
            out[k] = (float(value[0]), float(value[1]))
    return out


def _apply_best() -> None:
    got = ss.get("seek")
    if got:
        state.set_levers(state.parse(got["best_toml"]))
        ss["seek_applied"] = True


def _run_seek(v: View, keys: list[str], free: list[str], bounds: dict, year: int, p: float, evals: int,
              reps: int) -> None:
    t, lang = T[v.lang], v.lang
    targets = [x for x in goal.plan_targets(v.scenario.municipality, year) if x.key in keys]
    ranges = {k: bounds[k] for k in free if bounds[k] != (levers.LEVERS[k].min, levers.LEVERS[k].max)}
    space = goal.search_space(free, ranges)
    bar = st.progress(0.0, text=t["starting"])
    so_far = st.empty()

    def progress(done: int, total: int, best: goal.Evaluation) -> None:
        bar.progress(min(done / total, 1.0), text=t["progress"].format(done=done, total=total, met=best.met,
                                                                       n=len(targets),
                                                                       cost=numbers.fmt(best.cost, "count", lang)))
        so_far.caption(goal.WORDS[lang]["levers"].format(levers=goal.setting_words(best.values, lang)))
    outcome, _ = goal.run(v.scenario, targets, p, space, evals, reps, v.seed, executor=runs.pool(),
                          batch=runs.WORKERS, progress=progress)
    bar.empty()
    so_far.empty()
    best = goal.best_scenario(outcome, v.scenario, f"app: {len(outcome.evaluations)} settings × {reps} futures")
    ss["seek"] = {"outcome": outcome, "best_toml": best.to_toml(), "base": v.scenario.name, "reps": reps,
                  "token": time.time_ns()}
    ss["seek_applied"] = False


def front_chart(outcome: goal.Outcome, lang: str) -> alt.Chart:
    """Every setting tried (grey) and the front (cost against targets met)."""
    t = T[lang]
    front = {e.number for e in outcome.front()}
    df = pd.DataFrame([{"met": e.met, "cost": e.cost / 1e6, "kind": t["on_front"] if e.number in front else t["tried"]}
                       for e in outcome.evaluations])
    x = alt.X("met:Q", title=t["met_axis"].format(p=numbers.fmt(outcome.probability, "share", lang, 0)),
              scale=alt.Scale(domain=[0, len(outcome.targets)]), axis=alt.Axis(tickMinStep=1))
    y = alt.Y("cost:Q", title=t["cost_axis"], scale=alt.Scale(zero=False))
    colour = alt.Color("kind:N", title=None, scale=alt.Scale(domain=[t["on_front"], t["tried"]],
                                                             range=["#c0392b", "#bdbdbd"]),
                       legend=alt.Legend(orient="bottom"))
    points = alt.Chart(df).mark_circle(size=60, opacity=0.8).encode(x=x, y=y, color=colour)
    line = alt.Chart(df[df.kind == t["on_front"]]).mark_line(color="#c0392b").encode(x=x, y=y)
    return (line + points).properties(title=t["front"], height=300)


def front_words(outcome: goal.Outcome, lang: str) -> pd.DataFrame:
    """The front as a table in the planner's words."""
    t = T[lang]
    rows = []
    for e in outcome.front():
        row = {t["met_col"]: f"{e.met} / {len(outcome.targets)}", t["cost_col"]: numbers.fmt(e.cost, "count", lang)}
        for k, x in e.values.items():
            row[_short(k, lang)] = numbers.fmt_value(x, levers.LEVERS[k].unit_en, lang)
        rows.append(row)
    return pd.DataFrame(rows)


def _seek(v: View) -> None:
    t, lang = T[v.lang], v.lang
    st.subheader(t["seek_head"])
    st.caption(t["seek_intro"])
    year = st.selectbox(t["year"], calendar.PLAN_YEARS, index=len(calendar.PLAN_YEARS) - 1, key="seek_year")
    available = [x.key for x in goal.plan_targets(v.scenario.municipality, year)]
    keys = st.multiselect(t["targets"], available, default=available, key="seek_targets",
                          format_func=lambda k: _label(k, lang))
    p = st.slider(t["probability"], min_value=0.5, max_value=1.0, value=0.8, step=0.05, key="seek_probability",
                  format="percent")
    free = st.multiselect(t["levers"], list(levers.LEVERS), default=list(levers.LEVERS), key="seek_levers",
                          format_func=lambda k: _short(k, lang))
    bounds = _bounds(lang)
    c1, c2 = st.columns(2)
    evals = c1.number_input(t["evals"], min_value=2, max_value=400, value=40, step=10, key="seek_evals")
    reps = c2.number_input(t["reps"], min_value=2, max_value=60, value=15, step=1, key="seek_reps")
    if st.button(t["find"], key="seek_find", type="primary"):
        if not keys:
            st.error(t["no_targets"])
        elif not free:
            st.error(t["no_levers"])
        else:
            _run_seek(v, keys, free, bounds, int(year), float(p), int(evals), int(reps))
    got = ss.get("seek")
    if not got:
        return
    outcome = got["outcome"]
    if got["base"] != v.scenario.name:
        st.info(t["stale_seek"].format(name=got["base"]))
    st.markdown(f"**{t['answer']}**\n\n" + "\n".join(f"- {x}" for x in goal.report(outcome, lang)))
    show_chart(("seek_front", got["token"], lang), lambda: front_chart(outcome, lang),
               "seek_front")
    st.markdown(f"**{t['front_table']}**")
    st.dataframe(front_words(outcome, lang), hide_index=True, width="stretch")
    c1, c2 = st.columns(2)
    c1.button(t["apply"], key="seek_apply", on_click=_apply_best, width="stretch")
    c2.download_button(t["download"], data=got["best_toml"], file_name="goal-seek-bedst.toml",
                       mime="application/toml", key="seek_download", on_click="ignore", width="stretch")
    if ss.get("seek_applied"):
        st.success(t["applied"])


def render(v: View) -> None:
    _drivers(v)
    st.divider()
    _seek(v)
