"""What every page of the app gets: the language, its texts, the scenario run, its results and
stamp, and a cached way to draw charts (a rerun re-sends a chart, it never rebuilds it)."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import altair as alt
import streamlit as st

from model import charts, numbers, scenario, words

from .runs import Request, Results


@dataclass(frozen=True)
class View:
    lang: str
    t: dict
    scenario: scenario.Scenario          # the scenario run (named after its levers)
    changes: tuple[str, ...]             # its changes from its origin, in words
    request: Request
    results: Results
    stamp: charts.Stamp
    words: words.Summary                 # the answer in words
    practice: Results | None

    @property
    def reps(self) -> int:
        return self.request.reps

    @property
    def seed(self) -> int:
        return self.request.seed


@st.cache_data(show_spinner=False, max_entries=512)
def chart_spec(key: tuple, _make: Callable[[], alt.TopLevelMixin]) -> dict:
    """The Vega-Lite spec of a chart, built once per ``key`` (results, language, stamp, …); on
    screen it fits the width of its place and keeps its own height (its text is not squeezed)."""
    return {**charts.spec(_make()), "autosize": {"type": "fit-x", "contains": "padding"}}


def show_chart(key: tuple, make: Callable[[], alt.TopLevelMixin], element_key: str) -> None:
    st.vega_lite_chart(chart_spec(key, make), theme=None, key=element_key, width="stretch")


def legend_markdown(lang: str) -> str:
    """The likelihood classes as coloured chips (the colours of the tables and the target chart)."""
    chips = " ".join(f'<span style="background:{c.colour};color:{c.text_colour};padding:2px 8px;'
                     f'border-radius:4px;white-space:nowrap">{c.label(lang)} '
                     f'{_range(i)}</span>' for i, c in enumerate(numbers.LIKELIHOODS))
    lead = "Andel af fremtiderne der når målet:" if lang == "da" else "Share of futures meeting the target:"
    return f"{lead} {chips}"


def _range(i: int) -> str:
    c = numbers.LIKELIHOODS[i]
    hi = 100 if i == 0 else round(100 * numbers.LIKELIHOODS[i - 1].lower) - 1
    return f"({round(100 * c.lower)}–{hi} %)"
