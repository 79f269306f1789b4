"""Plan, model og virkelighed: actual figures (the shipped example, or files the planner loads) held
against the plan's targets and the model's simulated band, per indicator and year in a table and in
words, each figure against its band, and the charts with the actual series drawn in. The figures
loaded here are drawn in the plan's charts too and go into the council pack."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from model import Municipality, actuals, charts, indicators, measures, numbers, reality, scorecard

from .texts import REALITY
from .view import View, show_chart

LABEL = {"da": "Plan, model og virkelighed", "en": "Plan, model and reality"}
CHOICES = ("example", "files", "none")
ss = st.session_state


def loaded(municipality: Municipality) -> pd.DataFrame | None:
    """The actual figures loaded in this session, if they are of ``municipality`` (else None)."""
    got = ss.get("actuals")
    if got is None or set(got["table"].municipality) - {municipality.profile}:
        return None
    return got["table"]


def pack(v: View) -> reality.Pack | None:
    """What the council pack gets when actual figures are loaded (None otherwise)."""
    table = loaded(v.scenario.municipality)
    if table is None or v.results.bands is None:
        return None
    scored, left = scorecard.score(table, v.results.bands, v.lang)
    return reality.Pack(table, v.results.bands, scored, left, v.scenario.municipality, _origin(v.lang))


def observed(key: str, municipality: Municipality, lang: str) -> charts.Observed | None:
    """An indicator's actual figures for its chart on any page (None if none are loaded)."""
    return reality.observed_indicator(loaded(municipality), key, lang)


def help_markdown(key: str, lang: str) -> str:
    """An indicator's help: its official figure and what the model holds against it."""
    return reality.help_text(key, lang)


def fingerprint(municipality: Municipality) -> str:
    """A short key of the figures loaded (charts are cached by it)."""
    got = ss.get("actuals")
    return got["key"] if got is not None and loaded(municipality) is not None else ""


def _origin(lang: str) -> str:
    got = ss.get("actuals") or {}
    r = REALITY[lang]
    if got.get("choice") == "example":
        return r["origin_example"].format(name=got["name"])
    return r["origin_files"].format(files=", ".join(got.get("files", [])))


def _set(table: pd.DataFrame, choice: str, name: str, files: list[str], notes: list[str], key: str) -> None:
    ss["actuals"] = {"table": table, "choice": choice, "name": name, "files": files, "notes": notes, "key": key}


def _load_example(v: View) -> None:
    r = REALITY[v.lang]
    name = v.scenario.municipality.name
    folder = actuals.example(v.scenario.municipality.profile)
    if folder is None:
        ss.pop("actuals", None)
        st.info(r["no_example"].format(name=name))
        return
    if (ss.get("actuals") or {}).get("key") != f"example:{folder}":
        _set(actuals.load(folder, v.scenario.municipality.profile), "example", name, [], [], f"example:{folder}")


def _upload(v: View) -> None:
    """Files dropped on the uploader: read as one table for the scenario's municipality; if any does
    not fit, the problems are shown and the figures loaded before stay."""
    r = REALITY[v.lang]
    files = ss.get("actuals_upload") or []
    if not files:
        return
    key = "files:" + "|".join(f"{f.name}:{f.size}:{f.file_id}" for f in files) + f":{ss.get('actuals_retrieved')}"
    if (ss.get("actuals") or {}).get("key") == key or ss.get("actuals_refused_key") == key:
        return
    try:
        got = actuals.read_uploads([(f.name, f.getvalue()) for f in files], v.scenario.municipality.profile,
                                   ss.get("actuals_retrieved"))
    except actuals.ActualsError as exc:
        ss["actuals_refused"] = exc.problems
        ss["actuals_refused_key"] = key
        return
    ss.pop("actuals_refused", None)
    _set(got.table, "files", "", [f.name for f in files], list(got.notes), key)
    st.success(r["loaded"].format(n=len(got.table), origin=_origin(v.lang)))


def _choose(v: View) -> None:
    r = REALITY[v.lang]
    name = v.scenario.municipality.name
    choice = st.radio(r["choice"], CHOICES, key="actuals_choice", horizontal=True,
                      format_func=lambda c: r["choices"][c].format(name=name))
    if choice == "example":
        _load_example(v)
    elif choice == "none":
        ss.pop("actuals", None)
    else:
        if (ss.get("actuals") or {}).get("choice") != "files":
            ss.pop("actuals", None)
        hint = r["upload_hint"].replace('"', "'")
        st.html(f'<style>.st-key-actuals_upload [data-testid="stFileUploaderDropzoneInstructions"] > div::before '
                f'{{content: "{hint}";}}</style>')
        st.file_uploader(r["upload"], type=["json", "csv", "parquet"], accept_multiple_files=True,
                         key="actuals_upload")
        st.date_input(r["retrieved"], value=dt.date.today(), max_value=dt.date.today(), key="actuals_retrieved")
        _upload(v)
        if ss.get("actuals_refused"):
            st.error(r["refused"] + "\n\n" + "\n".join(f"- {p}" for p in ss["actuals_refused"]))
    got = ss.get("actuals")
    if got and got.get("notes"):
        st.caption(r["notes"] + " " + " · ".join(got["notes"]))


def _years(v: View, table: pd.DataFrame) -> None:
    r, lang = REALITY[v.lang], v.lang
    years = reality.year_table(v.results.summary, table, v.scenario.municipality, lang)
    cols = reality.TEXT[lang]["columns"]
    shown = pd.DataFrame({
        cols["indicator"]: years.label, cols["year"]: years.year.astype(str),
        cols["target"]: [numbers.fmt(x, k, lang, 0) for x, k in zip(years.target, years.kind)],
        cols["band"]: [f"{numbers.fmt(a, k, lang)} – {numbers.fmt(b, k, lang)}"
                       for a, b, k in zip(years.p05, years.p95, years.kind)],
        cols["actual"]: [numbers.fmt(x, k, lang) for x, k in zip(years.actual, years.kind)],
        cols["words"]: years.sentence})
    st.subheader(r["years_head"])
    st.caption(r["years_note"])
    st.dataframe(shown, hide_index=True, width="stretch")


def _scores(v: View, scored: pd.DataFrame, left: list) -> None:
    r, lang = REALITY[v.lang], v.lang
    st.subheader(r["score_head"])
    if len(scored):
        kinds = [measures.measures()[m].kind for m in scored.measure]

        def fmt(values) -> list[str]:
            return [numbers.fmt(x, k, lang) for x, k in zip(values, kinds)]
        st.dataframe(pd.DataFrame({
            r["measure"]: [reality.label(m, lang) for m in scored.measure],
            r["period"]: [p + (f" {r['status']}" if s else "") for p, s in zip(scored.period, scored.status)],
            r["actual"]: fmt(scored.actual), r["mean"]: fmt(scored["mean"]),
            r["band"]: [f"{a} – {b}" for a, b in zip(fmt(scored.p05), fmt(scored.p95))],
            r["inside"]: [r["yes"] if x else r["no"] for x in scored.inside_band]}), hide_index=True, width="stretch")
        for key in dict.fromkeys(scored.measure):
            st.markdown("\n".join(f"{'**' + line + '**' if i == 0 else line.strip()}  "
                                  for i, line in enumerate(reality.measure_summary(scored, key, lang, show_key=False))))
    if left:
        st.subheader(r["left_head"])
        st.markdown("\n".join(f"- **{reality.label(x.measure, lang)}** ({x.figures}): {x.reason}" for x in left))


def _charts(v: View, table: pd.DataFrame) -> None:
    r, lang, res = REALITY[v.lang], v.lang, v.results
    stamp = v.stamp.text(lang)
    key = fingerprint(v.scenario.municipality)
    made = {f"indicator_{k}": (lambda k=k, o=o: charts.indicator_chart(res.summary, k, v.stamp, lang, o))
            for k in indicators.INDICATORS if (o := reality.observed_indicator(table, k, lang)) is not None}
    built = reality.measure_charts(table, res.bands, v.stamp, lang)
    made.update({f"measure_{k}": (lambda c=c: c) for k, c in built.items()})
    if not made:
        return
    st.subheader(r["charts_head"])
    grid = st.container(horizontal=True, gap="medium", key="reality_grid")
    for name, make in made.items():
        with grid.container(border=True, width="stretch"):
            show_chart(("reality", name, *res.key, lang, stamp, key), make, f"reality_{name}")


def _help(lang: str) -> None:
    r = REALITY[lang]
    with st.expander(r["help_head"]):
        for key, ind in indicators.INDICATORS.items():
            st.markdown(f"**{ind.label_da if lang == 'da' else ind.label_en}**\n\n{reality.help_text(key, lang)}")


def render(v: View) -> None:
    r = REALITY[v.lang]
    st.caption(v.stamp.text(v.lang))
    st.markdown(r["intro"])
    _choose(v)
    got = ss.get("actuals")
    table = loaded(v.scenario.municipality)
    if got is not None and table is None:
        other = ", ".join(sorted(set(got["table"].municipality)))
        st.warning(r["other_municipality"].format(other=other, name=v.scenario.municipality.name))
    if table is None or v.results.bands is None:
        st.info(r["none"])
        _help(v.lang)
        return
    scored, left = scorecard.score(table, v.results.bands, v.lang)
    _years(v, table)
    _scores(v, scored, left)
    _charts(v, table)
    _help(v.lang)
