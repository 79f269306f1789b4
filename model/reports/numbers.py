"""Numbers as a planner reads them, one language at a time: Danish 1.343, 22,1 %, +6,9
procentpoint and 2,3 s; English 1,343, 22.1 %, +6.9 percentage points and 2.3 s.

Also the four likelihood classes (how many simulated futures meet a target) that the summary
table, the target chart and the summary in words share, so colour and words always agree.
"""
from __future__ import annotations

import math
from dataclasses import dataclass


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _localise(text: str, lang: str) -> str:
    """Swap the English separators for the Danish ones (1,343.5 -> 1.343,5)."""
    if lang != "da":
        return text
    return text.replace(",", "§").replace(".", ",").replace("§", ".")


def fmt(value: float | None, kind: str, lang: str, decimals: int = 1) -> str:
    """A count (1.343) or a share (22,1 %) as text; a missing value is a dash, never 'nan'."""
    if _missing(value):
        return "–"
    if kind == "share":
        return _localise(f"{100 * value:.{decimals}f} %", lang)
    return _localise(f"{value:,.0f}", lang)


def fmt_change(value: float | None, kind: str, lang: str) -> str:
    """A signed difference with its unit: '−115 personer' or '+6,9 procentpoint'."""
    if _missing(value):
        return "–"
    if kind == "share":
        pp = 100 * value
        text = _localise(f"{abs(pp):.1f}", lang)
        unit = "procentpoint" if lang == "da" else "percentage points"
        sign = "+" if round(pp, 1) > 0 else ("−" if round(pp, 1) < 0 else "±")
    else:
        text = _localise(f"{abs(value):,.0f}", lang)
        unit = "personer" if lang == "da" else "persons"
        sign = "+" if round(value) > 0 else ("−" if round(value) < 0 else "±")
    return f"{sign}{text} {unit}"


def fmt_mio(dkk: float | None, lang: str, decimals: int = 1, signed: bool = False) -> str:
    """An amount in DKK as millions, the language's way: '1.130,4' (Danish), '1,130.4'; with
    ``signed``, '+12,3' / '−12,3'. The unit (mio. kr. / DKK million) goes in the header or after."""
    if _missing(dkk):
        return "–"
    mio = dkk / 1e6
    text = _localise(f"{abs(mio):,.{decimals}f}", lang)
    if not signed:
        return ("−" if round(mio, decimals) < 0 else "") + text
    return ("+" if round(mio, decimals) > 0 else "−" if round(mio, decimals) < 0 else "±") + text


MIO = {"da": "mio. kr.", "en": "DKK million"}


def fmt_seconds(seconds: float, lang: str) -> str:
    return _localise(f"{seconds:.1f} s", lang)


def fmt_value(value: float, unit_en: str, lang: str) -> str:
    """A lever value with its own kind of number: shares as percentages, the rest plain."""
    if unit_en.startswith("share"):
        decimals = 0 if abs(100 * value - round(100 * value)) < 1e-9 else 1
        return fmt(value, "share", lang, decimals)
    if float(value).is_integer():
        return _localise(f"{value:,.0f}", lang)
    return _localise(f"{value:,.2f}".rstrip("0").rstrip("."), lang)


@dataclass(frozen=True)
class Likelihood:
    """How likely a target is, from the share of simulated futures that meet it."""

    key: str
    lower: float          # the class holds shares >= lower
    label_da: str
    label_en: str
    colour: str           # background colour in tables and the target chart
    text_colour: str

    def label(self, lang: str) -> str:
        return self.label_da if lang == "da" else self.label_en


LIKELIHOODS = (   # highest first; shares of futures (src: derived, a convention of this app)
    Likelihood("likely", 0.8, "sandsynligt", "likely", "#1a9850", "white"),
    Likelihood("possible", 0.5, "muligt", "possible", "#a6d96a", "black"),
    Likelihood("doubtful", 0.2, "tvivlsomt", "doubtful", "#fdd16a", "black"),
    Likelihood("unlikely", 0.0, "usandsynligt", "unlikely", "#e8704b", "white"),
)


def likelihood(share: float) -> Likelihood:
    """The class of a share of futures meeting a target (0.83 -> likely)."""
    for c in LIKELIHOODS:
        if share >= c.lower - 1e-12:
            return c
    return LIKELIHOODS[-1]


def likelihood_legend(lang: str) -> str:
    """'sandsynligt: mindst 80 % af fremtiderne · muligt: 50–79 % · …'"""
    parts = []
    for i, c in enumerate(LIKELIHOODS):
        hi = 100 if i == 0 else round(100 * LIKELIHOODS[i - 1].lower) - 1
        lo = round(100 * c.lower)
        rng = f"{lo}–{hi} %"
        parts.append(f"{c.label(lang)}: {rng}")
    lead = "Andel af fremtiderne der når målet" if lang == "da" else "Share of futures meeting the target"
    return f"{lead}: " + " · ".join(parts)
