"""Om modellen: what the model is, the simulated trials, what drives the results, the
assumptions and the model description."""
from __future__ import annotations

from pathlib import Path

import streamlit as st

from model import __version__, council, discover, sensitivity, trials

from .texts import ABOUT, DISCOVERY, DISCOVERY_COLUMNS, DRIVER_COLUMNS, TRIAL_COLUMNS
from .view import View

LABEL = {"da": "Om modellen", "en": "About the model"}
MODEL_MD = Path(__file__).resolve().parents[1] / "docs" / "model.md"
TRIALS = trials.saved()
SENSITIVITY = sensitivity.saved()
DISCOVERED = discover.saved()


def render(v: View) -> None:
    t, lang = v.t, v.lang
    st.subheader(t["about"])
    st.markdown(ABOUT[lang])
    if TRIALS is not None:
        st.subheader(t["trials"])
        st.dataframe(TRIALS.rename(columns=TRIAL_COLUMNS[lang]), width="stretch", hide_index=True)
    if SENSITIVITY is not None:
        st.subheader(t["drivers"])
        top = SENSITIVITY[SENSITIVITY["rank"] <= 3].sort_values(["indicator", "rank"])
        st.dataframe(top[["indicator", "rank", "factor", "mu_star", "sigma"]].rename(columns=DRIVER_COLUMNS[lang]),
                     width="stretch", hide_index=True)
    if DISCOVERED is not None:
        box, meta = DISCOVERED
        st.subheader(t["discovery"])
        st.markdown(DISCOVERY[lang].format(**meta, coverage_pct=100 * meta["coverage"],
                                           density_pct=100 * meta["density"]))
        st.dataframe(box[["input", "low", "high", "batch_low", "batch_high"]].rename(columns=DISCOVERY_COLUMNS[lang]),
                     width="stretch", hide_index=True)
    st.subheader(t["assumptions"])
    st.dataframe(council.assumption_table(v.scenario, lang), width="stretch", hide_index=True)
    if MODEL_MD.exists():
        with st.expander(t["model_md"]):
            st.markdown(MODEL_MD.read_text(encoding="utf-8"))
    st.caption(f"Model {__version__}")
