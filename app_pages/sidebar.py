"""The sidebar: the run button (always in view), the scenario's name and its changes, language,
start scenario, the plan's levers, seed and futures, loading and saving scenarios.

It is one fragment: moving a lever reruns the sidebar only (the scenario's name, the stale
notice and the link follow at once), never the results. The run button and a change of
language rerun the whole page.
"""
from __future__ import annotations

import streamlit as st

from model import calendar, levers, numbers, scenario, trials

from . import errors, state
from .texts import UI

ss = st.session_state
TRIALS = trials.saved()


def _load_file() -> None:
    state.set_origin(state.file_origin(ss["scenario"]))


def _upload() -> None:
    """A scenario file dropped on the uploader: its levers, inputs and assumptions, or its
    problems (and nothing changes)."""
    up = ss.get("upload")
    if up is None:
        return
    lang = ss["lang"]
    try:
        sc = scenario.parse(up.getvalue().decode("utf-8", errors="replace"), where=up.name)
    except scenario.ScenarioError as exc:
        ss["upload_message"] = ("error", [errors.translate(p, lang) for p in exc.problems])
        return
    state.set_origin(state.scenario_origin(sc, "upload"))
    ss["upload_message"] = ("ok", [UI[lang]["upload_ok"].format(n=sc.name)])


def trial_text(key: str, lang: str) -> str:
    """The published effect behind a lever beside the effect its simulated trial measures."""
    if TRIALS is None:
        return ""
    t = UI[lang]
    rows = TRIALS[TRIALS.lever == key]
    parts = [t["trial_line"].format(study=r.study, published=numbers.fmt_value(r.published, "", lang),
                                    simulated=numbers.fmt_value(round(r.simulated, 2), "", lang),
                                    lower=numbers.fmt_value(round(r.lower, 2), "", lang),
                                    upper=numbers.fmt_value(round(r.upper, 2), "", lang), metric=r.metric)
             for r in rows.itertuples()]
    return ("\n\n" + "\n\n".join(parts)) if parts else ""


def _lever(lv: levers.Lever, lang: str, t: dict) -> None:
    """One lever: its slider (or number box), 2016 practice and the plan's value, and below it,
    its own per-year box."""
    value = lambda v: numbers.fmt_value(v, lv.unit_en, lang)  # noqa: E731
    plan = ", ".join(f"{y}: {value(v)}" for y, v in lv.plan.items()) if lv.plan else t["none"]
    help_text = (f"{lv.help_da if lang == 'da' else lv.help_en}\n\n{t['practice']}: {value(lv.practice_2016)} · "
                 f"{t['plan']}: {plan} · {t['unit']}: {lv.unit(lang)}" + trial_text(lv.key, lang))
    share = lv.unit_en.startswith("share")
    if lv.kind == "int":
        kw = dict(min_value=int(lv.min), max_value=int(lv.max), step=50 if lv.key in state.NUMBER_BOX else 1)
    else:
        kw = dict(min_value=float(lv.min), max_value=float(lv.max), step=0.001 if lv.max <= 0.05 else
                  (0.01 if lv.max <= 1 else 0.05), format="percent" if share else "%.2f")
    widget = st.number_input if lv.key in state.NUMBER_BOX else st.slider
    unit = "" if share else f" ({lv.unit(lang)})"
    if ss.get(f"{lv.key}__per_year"):
        st.markdown(f"**{lv.label(lang)}**{unit}")
        for y in calendar.PLAN_YEARS:
            widget(f"{y}", key=f"{lv.key}__{y}", help=help_text, **kw)
    else:
        widget(f"{lv.label(lang)}{unit}", key=lv.key, help=help_text, **kw)
    st.caption(f"{t['practice']}: {value(lv.practice_2016)} · {t['plan']}: {plan}")
    if lv.key in state.PER_YEAR:
        st.checkbox(t["per_year"], key=f"{lv.key}__per_year")


@st.fragment
def panel() -> None:
    lang = ss["lang"]
    t = UI[lang]
    clicked = st.button(t["run"], key="run", type="primary", width="stretch", on_click=state.apply_run)
    if clicked:
        st.rerun(scope="app")
    sc, moved = state.current(lang)
    if state.is_stale():
        st.warning(t["stale"])
    st.markdown(f"**{t['name']}:** {sc.name}")
    if moved:
        st.caption(t["changes"].format(origin=state.origin().name(lang)) + ":\n" +
                   "\n".join(f"- {c}" for c in moved))
    copy_link(t)

    st.radio(t["lang"], options=["da", "en"], key="lang", horizontal=True,
             format_func=lambda x: {"da": "Dansk", "en": "English"}[x])
    if ss["lang"] != ss.get("lang_shown"):
        st.rerun(scope="app")                 # every text on the page follows the language
    st.selectbox(t["scenario"], options=list(state.FILES), key="scenario", on_change=_load_file,
                 format_func=lambda s: state.file_name(s, lang))

    st.subheader(t["levers"])
    for group, (g_da, g_en) in levers.GROUPS.items():
        with st.expander(g_da if lang == "da" else g_en, expanded=group in ("young", "job_ready")):
            for lv in levers.LEVERS.values():
                if lv.group == group:
                    _lever(lv, lang, t)
    with st.expander(t["seed_reps"]):
        st.number_input(t["reps"], min_value=state.REPS[0], max_value=state.REPS[1], step=1, key="reps")
        st.number_input(t["seed"], min_value=state.SEED[0], max_value=state.SEED[1], step=1, key="seed")

    st.file_uploader(t["upload"], type=["toml"], key="upload", on_change=_upload)
    msg = ss.get("upload_message")
    if msg and msg[0] == "error":              # kept until the next file: the problems to fix
        st.error(t["upload_errors"] + "\n\n" + "\n".join(f"- {x}" for x in msg[1]))
    elif msg:
        st.success(ss.pop("upload_message")[1][0])
    st.download_button(t["download_toml"], data=sc.to_toml(), file_name=_file_name(sc, moved),
                       mime="application/toml", key="download_toml", on_click="ignore", width="stretch")
    st.text_input(t["save_name"], key="save_name")
    st.button(t["save"], key="save", on_click=state.save_named, width="stretch")
    msg = ss.pop("save_message", None)
    if msg:
        (st.success if msg[0] == "ok" else st.error)(msg[1])
    st.query_params.from_dict(state.encode_query())


def copy_link(t: dict) -> None:
    """A button that copies the page's address (it holds every lever) to the clipboard."""
    st.html(f"""<button type="button" class="copy-link" title="{t['share_link']}">{t['copy_link']}</button>
<script>
for (const b of document.querySelectorAll("button.copy-link")) {{
  if (b.dataset.ready) continue;
  b.dataset.ready = "1";
  b.addEventListener("click", () => navigator.clipboard.writeText(window.location.href).then(() => {{
    b.textContent = "{t['copied']}";
    setTimeout(() => {{ b.textContent = "{t['copy_link']}"; }}, 2500);
  }}));
}}
</script>""", unsafe_allow_javascript=True)


def _file_name(sc: scenario.Scenario, moved: tuple) -> str:
    org = state.origin()
    base = org.key if org.kind == "file" else "scenarie"
    return f"{base}{'-aendret' if moved else ''}.toml"
