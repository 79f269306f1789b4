"""Two sets of results side by side, as a planner reads them: each indicator's difference B − A
per plan year with its unit (persons, percentage points), and whether B is better or worse by
the indicator's own direction (fewer long-term unemployed is better, a larger share in
education is better).

2016 is left out: it is the status month, the same in every scenario.
"""
from __future__ import annotations

import pandas as pd

from model.calendar import PLAN_YEARS
from model.reports.numbers import fmt, fmt_change
from model.sim import indicators

BETTER, WORSE, SAME = "better", "worse", "same"
VERDICT = {"da": {BETTER: "bedre", WORSE: "dårligere", SAME: "uændret"},
           "en": {BETTER: "better", WORSE: "worse", SAME: "unchanged"}}
COLOUR = {BETTER: "#d9f0d3", WORSE: "#f8d7cf", SAME: "#ffffff"}


def direction(key: str) -> str:
    """'above' where more is better, 'below' where less is better (the plan's target's side)."""
    return indicators.INDICATORS[key].goal


def verdict(key: str, difference: float) -> str:
    """Better, worse or the same, judged at the precision shown (whole persons, 0,1 pp)."""
    kind = indicators.INDICATORS[key].kind
    shown = round(100 * difference, 1) if kind == "share" else round(difference)
    if shown == 0:
        return SAME
    return BETTER if (shown > 0) == (direction(key) == "above") else WORSE


def differences(a: pd.DataFrame, b: pd.DataFrame) -> pd.DataFrame:
    """Tidy differences of the means: indicator, year, mean_a, mean_b, difference, verdict."""
    cols = ["indicator", "year", "mean"]
    m = a[cols].merge(b[cols], on=["indicator", "year"], suffixes=("_a", "_b"))
    m = m[m.year.isin(PLAN_YEARS)].copy()
    m["difference"] = m["mean_b"] - m["mean_a"]
    m["verdict"] = [verdict(k, d) for k, d in zip(m.indicator, m.difference)]
    return m.reset_index(drop=True)


def table(a: pd.DataFrame, b: pd.DataFrame, lang: str = "da") -> tuple[pd.DataFrame, pd.DataFrame]:
    """The comparison table (text with units, Danish or English labels) and, cell by cell, the
    verdict that colours it. Columns: each plan year's difference, then A and B in the last year."""
    d = differences(a, b)
    last = max(PLAN_YEARS)
    label_col = "Indikator" if lang == "da" else "Indicator"
    text_rows, verdict_rows = [], []
    for key, ind in indicators.INDICATORS.items():
        rows = d[d.indicator == key].set_index("year")
        if rows.empty:
            continue
        label = ind.label_da if lang == "da" else ind.label_en
        text = {label_col: label}
        verdicts = {label_col: SAME}
        for y in PLAN_YEARS:
            text[f"{y}: B − A"] = fmt_change(rows.at[y, "difference"], ind.kind, lang)
            verdicts[f"{y}: B − A"] = rows.at[y, "verdict"]
        text[f"{last}: A"] = fmt(rows.at[last, "mean_a"], ind.kind, lang)
        text[f"{last}: B"] = fmt(rows.at[last, "mean_b"], ind.kind, lang)
        verdicts[f"{last}: A"] = verdicts[f"{last}: B"] = SAME
        text_rows.append(text)
        verdict_rows.append(verdicts)
    return pd.DataFrame(text_rows), pd.DataFrame(verdict_rows)


def styled(a: pd.DataFrame, b: pd.DataFrame, lang: str = "da"):
    """The table as a pandas Styler: green where B is better than A, red where worse."""
    text, verdicts = table(a, b, lang)

    def colour(col: pd.Series) -> list[str]:
        return [f"background-color: {COLOUR[v]}; color: black" for v in verdicts[col.name]]
    return text.style.apply(colour, axis=0).hide(axis="index")
