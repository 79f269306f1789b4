"""The planner's app: move the plan's levers, see whether the 2017–2020 targets are reached and
how likely, compare scenarios, follow the flows, and export charts for the council.

Run with ``make run``. Only the public API of ``model`` is used here.
"""
from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor, as_completed

import numpy as np
import pandas as pd
import streamlit as st

from pathlib import Path

from model import __version__, calendar, charts, indicators, levers, report, runner, scenario, sensitivity, trials

st.set_page_config(page_title="Beskæftigelsesplan 2017 · simulator", page_icon="📈", layout="wide")

UI = {
    "da": {
        "title": "Beskæftigelsesplan 2017 – når vi målene?",
        "intro": "Flyt planens håndtag i venstre side og tryk **Kør simulation**. Hver simulering følger alle "
                 "borgere i den arbejdsdygtige alder i Viborg Kommune måned for måned fra juli 2016 til december 2020.",
        "lang": "Sprog", "scenario": "Scenarie", "reps": "Antal simulerede fremtider", "seed": "Frø (tilfældighed)",
        "run": "Kør simulation", "levers": "Planens håndtag", "per_year": "Forskellig værdi pr. år",
        "practice": "Praksis 2016", "plan": "Planen", "none": "intet tal i planen", "unit": "Enhed",
        "tab_plan": "Plan mod simulation", "tab_compare": "Sammenlign", "tab_flows": "Strømme",
        "tab_export": "Eksport", "tab_about": "Om modellen",
        "summary": "Alle indikatorer og år: gennemsnit (andel fremtider der når målet)",
        "running": "Simulerer {n} fremtider …", "done": "Færdig: {n} fremtider på {s:.1f} s",
        "cached": "Vist fra tidligere kørsel (samme håndtag og frø)",
        "upload": "Indlæs scenarie (TOML)", "download_toml": "Gem håndtagene som scenariefil",
        "upload_errors": "Scenariefilen kan ikke bruges – intet er ændret:", "upload_ok": "Scenariet «{n}» er indlæst.",
        "compare_a": "Scenarie A", "compare_b": "Scenarie B", "current": "Nuværende håndtag",
        "diff": "Forskel B − A (gennemsnit)", "year": "År", "flows_year": "År for strømmene",
        "export_data": "Data (CSV)", "pack": "Rådspakke (zip med alle figurer, tabeller og stempel)",
        "share_link": "Link til denne visning: kopiér adressen i browseren – håndtagene står i den.",
        "reading": "Målene for de to andels-rækker (20/25 %) er læst år for år fra planens tabel.",
        "stale": "Håndtagene er ændret siden sidste kørsel – tryk **Kør simulation**.",
        "about": "Om modellen",
    },
    "en": {
        "title": "Employment plan 2017 – will we reach the targets?",
        "intro": "Move the plan's levers on the left and press **Run simulation**. Each simulation follows every "
                 "working-age citizen of Viborg Kommune month by month from July 2016 to December 2020.",
        "lang": "Language", "scenario": "Scenario", "reps": "Simulated futures", "seed": "Seed (randomness)",
        "run": "Run simulation", "levers": "The plan's levers", "per_year": "A value per year",
        "practice": "2016 practice", "plan": "The plan", "none": "no number in the plan", "unit": "Unit",
        "tab_plan": "Plan vs. simulation", "tab_compare": "Compare", "tab_flows": "Flows",
        "tab_export": "Export", "tab_about": "About the model",
        "summary": "All indicators and years: mean (share of futures meeting the target)",
        "running": "Simulating {n} futures …", "done": "Done: {n} futures in {s:.1f} s",
        "cached": "Shown from an earlier run (same levers and seed)",
        "upload": "Load a scenario (TOML)", "download_toml": "Save the levers as a scenario file",
        "upload_errors": "The scenario file cannot be used – nothing was changed:", "upload_ok": "Scenario «{n}» loaded.",
        "compare_a": "Scenario A", "compare_b": "Scenario B", "current": "Current levers",
        "diff": "Difference B − A (mean)", "year": "Year", "flows_year": "Year of the flows",
        "export_data": "Data (CSV)", "pack": "Council pack (zip with every chart, the tables and the stamp)",
        "share_link": "Link to this view: copy the browser's address – the levers are in it.",
        "reading": "The targets of the two share rows (20/25 %) are read year by year from the plan's table.",
        "stale": "The levers changed since the last run – press **Run simulation**.",
        "about": "About the model",
    },
}
FILES = {p.stem: p for p in scenario.available()}
MODEL_MD = Path(__file__).resolve().parent / "docs" / "model.md"
TRIALS = trials.saved()
SENSITIVITY = sensitivity.saved()
DEFAULT_SCENARIO = "plan-2017"
PER_YEAR = [k for k, lv in levers.LEVERS.items() if lv.plan and len(set(lv.plan.values())) > 1] + \
    ["internship_places", "wage_subsidy_places"]


# ---------------------------------------------------------------- running the model

@st.cache_resource
def worker_pool() -> ProcessPoolExecutor:
    """Two worker processes kept for the app's lifetime (replications run in chunks)."""
    return ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn"))


def _simulate(toml_text: str, seed: int, reps: int, progress=None) -> dict:
    sc = scenario.parse(toml_text, where="app")
    jobs = runner.jobs(seed, reps)
    results = [None] * len(jobs)
    if len(jobs) == 1:
        results[0] = runner.run_job(sc, jobs[0])
    else:
        futures = {worker_pool().submit(runner.run_job, sc, j): i for i, j in enumerate(jobs)}
        for done, f in enumerate(as_completed(futures), start=1):
            results[futures[f]] = f.result()
            if progress:
                progress(done / len(jobs))
    return {"summary": runner.summary(results), "states": runner.state_summary(results),
            "flows": runner.flow_summary(results), "hash": sc.hash}


@st.cache_data(show_spinner=False, max_entries=24)
def simulate(toml_text: str, seed: int, reps: int) -> dict:
    """Results for a scenario (its full TOML text), master seed and number of replications:
    cached, so a view already seen is instant."""
    return _simulate(toml_text, seed, reps)


def run_with_progress(toml_text: str, seed: int, reps: int, t: dict) -> dict:
    key = (toml_text, seed, reps)
    if key in st.session_state.setdefault("seen", set()):
        return simulate(toml_text, seed, reps)
    bar = st.progress(0.0, text=t["running"].format(n=reps))
    import time
    t0 = time.perf_counter()
    out = simulate(toml_text, seed, reps)
    bar.progress(1.0, text=t["done"].format(n=reps, s=time.perf_counter() - t0))
    st.session_state["seen"].add(key)
    return out


# ---------------------------------------------------------------- levers and scenarios

def lever_values_from_state() -> dict:
    """The sidebar's lever values: one number, or one per plan year."""
    out = {}
    for key in levers.LEVERS:
        if st.session_state.get(f"{key}__per_year"):
            out[key] = {y: st.session_state[f"{key}__{y}"] for y in calendar.PLAN_YEARS}
        else:
            out[key] = st.session_state[key]
    return out


def set_levers(sc: scenario.Scenario) -> None:
    """Put a scenario's lever values into the sidebar's widgets."""
    for key, lv in levers.LEVERS.items():
        row = {y: sc.lever(key, y) for y in calendar.PLAN_YEARS}
        varies = len(set(row.values())) > 1
        st.session_state[f"{key}__per_year"] = varies
        st.session_state[key] = lv.cast(row[calendar.PLAN_YEARS[0]])
        for y, v in row.items():
            st.session_state[f"{key}__{y}"] = lv.cast(v)


def current_scenario(name: str) -> scenario.Scenario:
    base = scenario.load(FILES[name]) if name in FILES else None
    inputs = base.spec.inputs.model_dump(exclude_none=True) if base else {}
    return scenario.from_levers(base.name if base else name, lever_values_from_state(), inputs=inputs,
                                description=base.description if base else "")


def encode_query(sc_name: str, values: dict, lang: str, seed: int, reps: int) -> dict:
    q = {"lang": lang, "scenario": sc_name, "seed": str(seed), "reps": str(reps)}
    for key, v in values.items():
        q[key] = ",".join(f"{x:g}" for x in v.values()) if isinstance(v, dict) else f"{v:g}"
    return q


def apply_query() -> None:
    """Lever values from the URL (a shared link reproduces the view); invalid ones are ignored."""
    q = st.query_params
    if q.get("lang") in UI:
        st.session_state["lang"] = q["lang"]
    if q.get("scenario") in FILES:
        st.session_state["scenario"] = q["scenario"]
    for key, cast, lo, hi in (("seed", int, 0, 2**31 - 1), ("reps", int, 2, 200)):
        try:
            v = cast(q[key])
            if lo <= v <= hi:
                st.session_state[key] = v
        except (KeyError, ValueError):
            pass
    for key, lv in levers.LEVERS.items():
        if key not in q:
            continue
        try:
            parts = [lv.cast(float(x)) for x in q[key].split(",")]
        except ValueError:
            continue
        if not all(lv.min <= x <= lv.max for x in parts):
            continue
        if len(parts) == len(calendar.PLAN_YEARS):
            st.session_state[f"{key}__per_year"] = True
            for y, x in zip(calendar.PLAN_YEARS, parts):
                st.session_state[f"{key}__{y}"] = x
            st.session_state[key] = parts[0]
        elif len(parts) == 1:
            st.session_state[f"{key}__per_year"] = False
            st.session_state[key] = parts[0]


def init_state() -> None:
    if st.session_state.get("initialized"):
        return
    st.session_state.update({"lang": "da", "scenario": DEFAULT_SCENARIO, "seed": 1, "reps": 30})
    set_levers(scenario.load(FILES[DEFAULT_SCENARIO]))
    apply_query()
    st.session_state["applied"] = None
    st.session_state["initialized"] = True


def on_scenario_change() -> None:
    set_levers(scenario.load(FILES[st.session_state["scenario"]]))


def lever_widgets(lang: str, t: dict) -> None:
    for group, (g_da, g_en) in levers.GROUPS.items():
        with st.sidebar.expander(g_da if lang == "da" else g_en, expanded=group in ("young", "job_ready")):
            for key, lv in levers.LEVERS.items():
                if lv.group != group:
                    continue
                plan = ", ".join(f"{y}: {charts.fmt(v, 'share', lang, 0) if lv.unit_en == 'share' else f'{v:g}'}"
                                 for y, v in lv.plan.items()) if lv.plan else t["none"]
                help_text = (f"{lv.help_da if lang == 'da' else lv.help_en}\n\n"
                             f"{t['practice']}: {lv.practice_2016:g} · {t['plan']}: {plan} · "
                             f"{t['unit']}: {lv.unit(lang)}" + trial_text(key, lang))
                step = 1 if lv.kind == "int" else (0.01 if lv.max <= 1 else 0.05)
                kw = dict(min_value=lv.cast(lv.min), max_value=lv.cast(lv.max), step=lv.cast(step), help=help_text)
                if key in PER_YEAR:
                    st.checkbox(f"{t['per_year']}", key=f"{key}__per_year")
                if st.session_state.get(f"{key}__per_year"):
                    st.markdown(f"**{lv.label(lang)}**")
                    for y in calendar.PLAN_YEARS:
                        st.slider(f"{y}", key=f"{key}__{y}", **kw)
                else:
                    st.slider(lv.label(lang), key=key, **kw)
                st.caption(f"{t['practice']}: {lv.practice_2016:g} · {t['plan']}: {plan}")


def trial_text(key: str, lang: str) -> str:
    """The published effect behind a lever beside the effect its simulated trial measures."""
    if TRIALS is None:
        return ""
    rows = TRIALS[TRIALS.lever == key]
    parts = []
    for r in rows.itertuples():
        if lang == "da":
            parts.append(f"{r.study}: publiceret {r.published:g}, simuleret forsøg {r.simulated:.2f} "
                         f"({r.lower:.2f}–{r.upper:.2f}) – {r.metric}")
        else:
            parts.append(f"{r.study}: published {r.published:g}, simulated trial {r.simulated:.2f} "
                         f"({r.lower:.2f}–{r.upper:.2f}) – {r.metric}")
    return ("\n\n" + "\n\n".join(parts)) if parts else ""


def upload_widget(t: dict) -> None:
    up = st.sidebar.file_uploader(t["upload"], type=["toml"], key="upload")
    if up is None or st.session_state.get("upload_done") == up.file_id:
        return
    st.session_state["upload_done"] = up.file_id
    try:
        sc = scenario.parse(up.getvalue().decode("utf-8", errors="replace"), where=up.name)
    except scenario.ScenarioError as exc:
        st.session_state["upload_message"] = ("error", exc.problems)
        return
    set_levers(sc)
    st.session_state["upload_message"] = ("ok", [t["upload_ok"].format(n=sc.name)])


# ---------------------------------------------------------------- page

def summary_table(summary: pd.DataFrame, lang: str) -> pd.io.formats.style.Styler:
    rows = summary.dropna(subset=["target"])
    cells, shares = {}, {}
    for key in indicators.INDICATORS:
        r = rows[rows.indicator == key]
        if r.empty:
            continue
        ind = indicators.INDICATORS[key]
        label = ind.label_da if lang == "da" else ind.label_en
        cells[label] = {int(y): f"{charts.fmt(m, ind.kind, lang)} ({charts.fmt(s, 'share', lang, 0)})"
                        for y, m, s in zip(r.year, r["mean"], r.share_meeting_target)}
        shares[label] = dict(zip(r.year.astype(int), r.share_meeting_target))
    table, share = pd.DataFrame(cells).T, pd.DataFrame(shares).T

    def colour(col):
        out = []
        for v in share[col.name]:
            red, green = int(230 - 120 * v), int(120 + 110 * v)
            out.append(f"background-color: rgb({red},{green},120); color: black")
        return out
    return table.style.apply(colour, axis=0)


def export_buttons(chart, name: str, lang: str, key: str) -> None:
    cols = st.columns(3)
    for col, (ext, (export, mime)) in zip(cols, charts.EXPORTS.items()):
        col.download_button(ext.upper(), data=lambda export=export: export(chart, lang), file_name=f"{name}.{ext}",
                            mime=mime, key=f"dl_{key}_{ext}", width="stretch")


def main() -> None:
    init_state()
    lang = st.session_state["lang"]
    t = UI[lang]
    st.sidebar.radio(t["lang"], options=["da", "en"], key="lang", horizontal=True,
                     format_func=lambda x: {"da": "Dansk", "en": "English"}[x])
    st.sidebar.selectbox(t["scenario"], options=list(FILES), key="scenario", on_change=on_scenario_change,
                         format_func=lambda s: scenario.load(FILES[s]).name)
    st.sidebar.number_input(t["reps"], min_value=2, max_value=200, step=1, key="reps")
    st.sidebar.number_input(t["seed"], min_value=0, max_value=2**31 - 1, step=1, key="seed")
    run_clicked = st.sidebar.button(t["run"], key="run", type="primary", width="stretch")
    upload_widget(t)
    st.sidebar.header(t["levers"])
    lever_widgets(lang, t)

    sc_name, seed, reps = st.session_state["scenario"], int(st.session_state["seed"]), int(st.session_state["reps"])
    sc = current_scenario(sc_name)
    st.query_params.from_dict(encode_query(sc_name, lever_values_from_state(), lang, seed, reps))
    st.sidebar.download_button(t["download_toml"], data=sc.to_toml(), file_name=f"{sc_name}-levers.toml",
                               mime="application/toml", key="download_toml")
    if run_clicked or st.session_state["applied"] is None:
        st.session_state["applied"] = (sc.to_toml(), seed, reps, sc_name)
    toml_text, a_seed, a_reps, a_name = st.session_state["applied"]
    applied = scenario.parse(toml_text, where=a_name)

    st.title(t["title"])
    st.markdown(t["intro"])
    msg = st.session_state.pop("upload_message", None)
    if msg and msg[0] == "error":
        st.error(t["upload_errors"] + "\n\n" + "\n".join(f"- {x}" for x in msg[1]))
    elif msg:
        st.success(msg[1][0])
    if toml_text != sc.to_toml() or (a_seed, a_reps) != (seed, reps):
        st.info(t["stale"])

    res = run_with_progress(toml_text, a_seed, a_reps, t)
    stamp = charts.Stamp(applied.name, res["hash"], a_seed, a_reps)
    summary = res["summary"]
    tabs = st.tabs([t["tab_plan"], t["tab_compare"], t["tab_flows"], t["tab_export"], t["tab_about"]])

    with tabs[0]:
        st.caption(stamp.text(lang) + " · " + t["reading"])
        st.subheader(t["summary"])
        st.dataframe(summary_table(summary, lang), width="stretch")
        cols = st.columns(2)
        for i, key in enumerate(indicators.INDICATORS):
            with cols[i % 2]:
                st.altair_chart(charts.indicator_chart(summary, key, stamp, lang), theme=None, key=f"chart_{key}")
                last = summary[(summary.indicator == key) & (summary.year == calendar.END_YEAR)].iloc[0]
                if not np.isnan(last.target):
                    k = int(round(last.share_meeting_target * a_reps))
                    st.markdown(("**Mål 2020 nået i {k} af {n} simulerede fremtider.**" if lang == "da" else
                                 "**2020 target met in {k} of {n} simulated futures.**").format(k=k, n=a_reps))

    with tabs[1]:
        options = [t["current"]] + list(FILES)
        names = {t["current"]: t["current"], **{k: scenario.load(v).name for k, v in FILES.items()}}
        c1, c2 = st.columns(2)
        a = c1.selectbox(t["compare_a"], options, index=options.index("baseline-2016") if "baseline-2016" in options else 0,
                         format_func=names.get, key="compare_a")
        b = c2.selectbox(t["compare_b"], options, index=0, format_func=names.get, key="compare_b")

        def results_for(choice):
            if choice == t["current"]:
                return res
            return simulate(scenario.load(FILES[choice]).to_toml(), a_seed, a_reps)
        ra, rb = results_for(a), results_for(b)
        both = {f"A: {names[a]}": ra["summary"], f"B: {names[b]}": rb["summary"]}
        diff = ra["summary"][["indicator", "year", "mean"]].merge(rb["summary"][["indicator", "year", "mean"]],
                                                                   on=["indicator", "year"], suffixes=("_a", "_b"))
        diff["difference"] = diff["mean_b"] - diff["mean_a"]
        st.subheader(t["diff"])
        st.dataframe(diff.pivot(index="indicator", columns="year", values="difference").round(3), width="stretch")
        cols = st.columns(2)
        for i, key in enumerate(indicators.INDICATORS):
            with cols[i % 2]:
                st.altair_chart(charts.compare_chart(both, key, stamp, lang), theme=None, key=f"cmp_{key}")

    with tabs[2]:
        year = st.selectbox(t["flows_year"], list(calendar.PLAN_YEARS), index=0, key="flows_year")
        st.altair_chart(charts.flow_chart(res["flows"], year, stamp, lang), theme=None, key="flows")
        st.altair_chart(charts.stock_chart(res["states"], stamp, lang), theme=None, key="stocks")

    with tabs[3]:
        st.caption(t["share_link"])
        st.download_button(t["pack"], data=lambda: report.council_pack(applied, summary, res["states"], res["flows"],
                                                                     stamp, lang),
                           file_name=f"raadspakke-{res['hash']}.zip", mime="application/zip", key="pack")
        c1, c2, c3 = st.columns(3)
        c1.download_button(f"{t['export_data']}: indikatorer", data=summary.to_csv(index=False), file_name="indicators.csv",
                           mime="text/csv", key="csv_summary")
        c2.download_button(f"{t['export_data']}: ydelser", data=res["states"].to_csv(index=False), file_name="states.csv",
                           mime="text/csv", key="csv_states")
        c3.download_button(f"{t['export_data']}: strømme", data=res["flows"].to_csv(index=False), file_name="flows.csv",
                           mime="text/csv", key="csv_flows")
        figures = {f"indicator_{k}": charts.indicator_chart(summary, k, stamp, lang) for k in indicators.INDICATORS}
        figures["targets"] = charts.target_table_chart(summary, stamp, lang)
        for name, chart in figures.items():
            st.markdown(f"**{chart.title.text if hasattr(chart.title, 'text') else name}**")
            export_buttons(chart, name, lang, name)
        st.subheader("Håndtag" if lang == "da" else "Levers")
        st.dataframe(report.lever_table(applied, lang), width="stretch", hide_index=True)

    with tabs[4]:
        st.subheader(t["about"])
        st.markdown(ABOUT[lang])
        if TRIALS is not None:
            st.subheader("Simulerede forsøg: publiceret og simuleret effekt" if lang == "da" else
                         "Simulated trials: published and simulated effect")
            st.dataframe(TRIALS, width="stretch", hide_index=True)
        if SENSITIVITY is not None:
            st.subheader("Hvad driver resultaterne? (Morris-screening, 2020)" if lang == "da" else
                         "What drives the results? (Morris screening, 2020)")
            top = SENSITIVITY[SENSITIVITY["rank"] <= 3].sort_values(["indicator", "rank"])
            st.dataframe(top[["indicator", "rank", "factor", "mu_star", "sigma"]], width="stretch", hide_index=True)
        st.subheader("Antagelser" if lang == "da" else "Assumptions")
        st.dataframe(report.assumption_table(applied, lang), width="stretch", hide_index=True)
        if MODEL_MD.exists():
            with st.expander("Modelbeskrivelse (ODD, engelsk)" if lang == "da" else "Model description (ODD)"):
                st.markdown(MODEL_MD.read_text(encoding="utf-8"))
        st.caption(f"Model {__version__}")


ABOUT = {
    "da": "Modellen følger hver borger i den arbejdsdygtige alder i Viborg Kommune (ca. 60.000) måned for måned "
          "mellem 18 ydelsestilstande: beskæftigelse, uddannelse, a-dagpenge, kontanthjælp, uddannelseshjælp, "
          "integrationsydelse, IGU, sygedagpenge, jobafklaring, ressourceforløb, ledighedsydelse, fleksjob, "
          "førtidspension, efterløn og uden for arbejdsstyrken. Lovens frister (dagpengeperioden, revurdering efter "
          "22 uger, uddannelseshjælp til 30 år, integrationsprogrammet) gælder for hver borger. Jobcentrets pladser i "
          "praktik og løntilskud er begrænsede og fordeles efter regler; jobchancen afhænger af ledige stillinger pr. "
          "ledig. Håndtagenes effekter kommer fra publicerede danske og udenlandske studier (se hvert håndtags hjælp). "
          "Tal markeret som antagelser er modellens bud og kan ændres i scenariefilen.",
    "en": "The model follows every working-age citizen of Viborg Kommune (about 60,000) month by month between 18 "
          "benefit states: employment, education, unemployment insurance, cash benefit, education benefit, "
          "integration benefit, IGU, sickness benefit, job clarification, resource course, flex-job unemployment "
          "benefit, flex-job, disability pension, early retirement and outside the labour force. The law's deadlines "
          "(the dagpenge period, the 22-week reassessment, education benefit until 30, the integration programme) "
          "hold for every citizen. The jobcenter's internship and wage-subsidy places are scarce and allocated by "
          "rule; job finding depends on vacancies per job seeker. The levers' effects come from published studies "
          "(see each lever's help). Numbers marked as assumptions are the model's guesses and can be changed in the "
          "scenario file.",
}

if __name__ == "__main__" or st.runtime.exists():
    main()
