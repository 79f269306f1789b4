"""The planner's app: move the plan's levers, see whether the 2017–2020 targets are reached and
how likely (in words and in charts), compare any two lever settings, follow the flows, and take
the council pack to the council.

Run with ``make run``. Only the public API of ``model`` is used here; the pages are in
``app_pages/``. The page keeps one layout on every rerun (title, notices, progress, answer,
tabs), so the tabs are never rebuilt and never jump back; only the open tab is built.
"""
from __future__ import annotations

import streamlit as st

from app_pages import runs

if __name__ == "__main__" or st.runtime.exists():
    runs.pool()         # the two workers start (and warm up) while the rest of the app is imported

from app_pages import about, compare, economy, export, flows, plan, reality, seek, sidebar, state  # noqa: E402
from app_pages.texts import UI  # noqa: E402
from app_pages.view import View  # noqa: E402
from model import changes, charts, words, worker  # noqa: E402

st.set_page_config(page_title="Beskæftigelsesplan 2017 · simulator", page_icon="📈", layout="wide")

TABS = [plan, compare, seek, flows, economy, reality, export, about]      # a new tab: a module with LABEL and render(view)
ss = st.session_state

CSS = """
<style>
.st-key-run {position: sticky; top: 0; z-index: 1000; background: var(--st-secondary-background-color, #f0f2f6);
             padding: 0.4rem 0 0.4rem 0; box-shadow: 0 6px 6px -6px rgba(0,0,0,.25);}
.st-key-chart_grid > div, .st-key-compare_grid > div {flex: 1 1 420px !important; min-width: min(420px, 100%) !important;
                                                      max-width: 760px;}
button.copy-link {width: 100%; padding: 0.35rem 0.75rem; border-radius: 0.5rem; cursor: pointer; font: inherit;
                  border: 1px solid rgba(49, 51, 63, 0.2); background: white; color: inherit;}
button.copy-link:hover {border-color: #c0392b; color: #c0392b;}
[data-testid="stFileUploaderDropzoneInstructions"] > div > span,
[data-testid="stFileUploaderDropzoneInstructions"] > div > small {display: none;}
[data-testid="stFileUploaderDropzoneInstructions"] > div::before {content: "HINT"; font-size: 0.85rem;}
[data-testid="stFileUploaderDropzone"] button > * {display: none !important;}
[data-testid="stFileUploaderDropzone"] button::after {content: "BUTTON"; font-size: 0.875rem;}
</style>
"""


def _keep_tab(labels: list[str]) -> None:
    """The open tab survives a change of language (its label changes, its place does not)."""
    if ss.get("tab") not in labels and ss.get("tab_index") is not None:
        ss["tab"] = labels[ss["tab_index"]]


def _previous_words(res: runs.Results, snap: dict, lang: str) -> tuple:
    """The previous run's summary and the levers moved since, if it had as many futures."""
    prev = ss.get("previous")
    if not prev or prev["reps"] != snap["reps"]:
        return None, None
    prev_sc, _ = state.build(prev["values"], state.Origin(**prev["origin"]), lang)
    got = runs.store().get((prev_sc.hash, prev["seed"], prev["reps"], res.key[3]))
    if got is None:
        return None, None
    now_sc, _ = state.build(snap["values"], state.Origin(**snap["origin"]), lang)
    moved = [c.text(lang) for c in changes.lever_changes(prev_sc.lever_values, now_sc.lever_values)]
    return got.summary, moved


def main() -> None:
    runs.pool()                                   # (started at import; again after a broken pool was cleared)
    state.init()
    lang = ss["lang"]
    t = UI[lang]
    ss["lang_shown"] = lang
    st.html(CSS.replace("HINT", t["upload_hint"]).replace("BUTTON", t["upload_button"]))
    with st.sidebar:
        sidebar.panel()

    sc, moved, snap = state.applied(lang)
    request = runs.Request(sc.name, sc.to_toml(), sc.hash, snap["seed"], snap["reps"])
    practice = state.parse(state.file_origin(state.PRACTICE_SCENARIO).toml)
    practice_request = runs.Request(state.file_name(state.PRACTICE_SCENARIO, lang), practice.to_toml(),
                                    practice.hash, snap["seed"], snap["reps"])

    st.title(t["title"])
    st.markdown(t["intro"].format(municipality=sc.municipality.name))
    notices = st.container()
    status = st.empty()
    answer = st.container()
    labels = [m.LABEL[lang] for m in TABS]
    _keep_tab(labels)
    tabs = st.tabs(labels, key="tab", on_change="rerun")
    ss["tab_index"] = labels.index(ss["tab"]) if ss.get("tab") in labels else 0

    with notices:
        if ss.get("url_refused"):
            st.warning(t["url_refused"] + "\n\n" + "\n".join(
                f"- {t['url_line'].format(**r)}" for r in ss["url_refused"]))
        if state.is_stale():
            st.info(t["stale"])
    got = runs.ensure([request, practice_request], status, t, lang)
    res = got[request.key]
    status.progress(1.0, text=runs.status_text(res, snap["reps"], t, lang))
    previous, since = _previous_words(res, snap, lang)
    summary_words = words.summarise(res.summary, snap["reps"], lang, previous=previous,
                                    practice=got[practice_request.key].summary, changes=since)
    with answer:
        st.subheader(t["answer"])
        st.markdown(summary_words.markdown())
    stamp = charts.Stamp(sc.name, sc.hash, snap["seed"], snap["reps"], replications_per_job=worker.APP_CHUNK,
                         municipality=sc.municipality.name)
    view = View(lang, t, sc, moved, request, res, stamp,
                summary_words, got[practice_request.key])
    for module, tab in zip(TABS, tabs):
        if tab.open:
            with tab:
                module.render(view)


if __name__ == "__main__" or st.runtime.exists():
    main()
