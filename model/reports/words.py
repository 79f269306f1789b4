"""The answer in words, generated from the numbers: how many of the plan's targets are likely
met in 2020, each target with its count of simulated futures, what changed since the previous
run, and how the scenario compares with 2016 practice continued. Danish or English.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from model.calendar import END_YEAR
from model.reports import compare
from model.reports.numbers import LIKELIHOODS, fmt, fmt_change, likelihood
from model.sim import indicators

T = {
    "da": {
        "headline": "I {y} nås {k} af planens {m} mål sandsynligvis (i mindst {p} af {n} fremtider).",
        "rest": "Øvrige: {rest}.",
        "classes": {"possible": ("muligt", "mulige"), "doubtful": ("tvivlsomt", "tvivlsomme"),
                    "unlikely": ("usandsynligt", "usandsynlige")},
        "line": "{label}: {cls} – mål {target} nået i {k} af {n} fremtider (gennemsnit {mean}).",
        "no_target": "{label}: planen sætter intet tal; {y}: {mean} (gennemsnit).",
        "previous": "Siden sidste kørsel",
        "practice": "Mod praksis 2016 fortsat (samme frø, {y})",
        "none": "ingen forskel",
        "futures": "{a} → {b} af {n} fremtider",
    },
    "en": {
        "headline": "In {y}, {k} of the plan's {m} targets are likely met (in at least {p} of {n} futures).",
        "rest": "Others: {rest}.",
        "classes": {"possible": ("possible", "possible"), "doubtful": ("doubtful", "doubtful"),
                    "unlikely": ("unlikely", "unlikely")},
        "line": "{label}: {cls} – target {target} met in {k} of {n} futures (mean {mean}).",
        "no_target": "{label}: the plan sets no number; {y}: {mean} (mean).",
        "previous": "Since the previous run",
        "practice": "Against 2016 practice continued (same seed, {y})",
        "none": "no difference",
        "futures": "{a} → {b} of {n} futures",
    },
}


@dataclass(frozen=True)
class Summary:
    """The summary in words: a headline, one line per indicator, and the comparisons."""

    headline: str
    lines: list[str]
    previous: str | None = None
    practice: str | None = None

    def paragraphs(self) -> list[str]:
        return [self.headline, *self.lines, *(x for x in (self.previous, self.practice) if x)]

    def markdown(self) -> str:
        out = [f"**{self.headline}**", "", *(f"- {x}" for x in self.lines)]
        for extra in (self.previous, self.practice):
            if extra:
                out += ["", extra]
        return "\n".join(out)


def _label(key: str, lang: str) -> str:
    ind = indicators.INDICATORS[key]
    return ind.label_da if lang == "da" else ind.label_en


def _row(summary: pd.DataFrame, key: str, year: int) -> pd.Series:
    return summary[(summary.indicator == key) & (summary.year == year)].iloc[0]


def summarise(summary: pd.DataFrame, replications: int, lang: str = "da", year: int = END_YEAR,
              previous: pd.DataFrame | None = None, practice: pd.DataFrame | None = None,
              changes: list[str] | None = None) -> Summary:
    """Words for ``summary`` (one row per indicator and year, as ``runner.summary`` gives):
    ``previous`` is the previous run's summary (with ``changes``, the levers moved since),
    ``practice`` the summary of 2016 practice continued with the same seed."""
    t = T[lang]
    n = replications
    counts = {c.key: 0 for c in LIKELIHOODS}
    lines = []
    for key in indicators.INDICATORS:
        r = _row(summary, key, year)
        kind = indicators.INDICATORS[key].kind
        if np.isnan(r.target):
            lines.append(t["no_target"].format(label=_label(key, lang), y=year, mean=fmt(r["mean"], kind, lang)))
            continue
        cls = likelihood(r.share_meeting_target)
        counts[cls.key] += 1
        lines.append(t["line"].format(label=_label(key, lang), cls=cls.label(lang), target=fmt(r.target, kind, lang, 0),
                                      k=int(round(r.share_meeting_target * n)), n=n, mean=fmt(r["mean"], kind, lang)))
    m = sum(counts.values())
    p = int(np.ceil(LIKELIHOODS[0].lower * n - 1e-9))
    headline = t["headline"].format(y=year, k=counts["likely"], m=m, p=p, n=n)
    rest = [f"{v} {t['classes'][k][v != 1]}" for k, v in counts.items() if k != "likely" and v]
    if rest:
        headline += " " + t["rest"].format(rest=", ".join(rest))
    return Summary(headline, lines, _previous(summary, previous, changes, n, lang, year),
                   _practice(summary, practice, lang, year))


def _previous(now: pd.DataFrame, before: pd.DataFrame | None, changes: list[str] | None, n: int, lang: str,
              year: int) -> str | None:
    if before is None:
        return None
    t = T[lang]
    parts = []
    for key in indicators.INDICATORS:
        a, b = _row(before, key, year), _row(now, key, year)
        kind = indicators.INDICATORS[key].kind
        diff = fmt_change(b["mean"] - a["mean"], kind, lang)
        if compare.verdict(key, b["mean"] - a["mean"]) == compare.SAME:
            continue
        text = f"{_label(key, lang)} {fmt(a['mean'], kind, lang)} → {fmt(b['mean'], kind, lang)} ({diff}"
        if not np.isnan(b.target):
            text += "; " + t["futures"].format(a=int(round(a.share_meeting_target * n)),
                                               b=int(round(b.share_meeting_target * n)), n=n)
        parts.append(text + ")")
    lead = t["previous"] + (f" ({'; '.join(changes)})" if changes else "")
    return f"{lead}, {year}: " + ("; ".join(parts) if parts else t["none"]) + "."


def _practice(now: pd.DataFrame, practice: pd.DataFrame | None, lang: str, year: int) -> str | None:
    if practice is None:
        return None
    t = T[lang]
    d = compare.differences(practice, now)
    d = d[d.year == year]
    parts = [f"{_label(k, lang)} {fmt_change(x, indicators.INDICATORS[k].kind, lang)} "
             f"({compare.VERDICT[lang][v]})" for k, x, v in zip(d.indicator, d.difference, d.verdict)]
    return t["practice"].format(y=year) + ": " + "; ".join(parts) + "."
