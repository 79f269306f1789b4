"""What changed between two lever settings, in words, and the honest name of a changed scenario.

A scenario keeps its name only while its levers are the ones it was loaded with: moved levers
make it "Eget scenarie (ændret fra Beskæftigelsesplan 2017)", and its description lists the
changes. The app's stamp, captions, exports and saved files all take the name from here.
"""
from __future__ import annotations

from dataclasses import dataclass

from model.calendar import PLAN_YEARS
from model.inputs import levers
from model.reports.numbers import fmt_value

Row = dict[int, float]


@dataclass(frozen=True)
class Change:
    """One lever whose plan-year values differ: before and after, per plan year."""

    key: str
    before: Row
    after: Row

    def text(self, lang: str = "da") -> str:
        """'Frist for virksomhedspraktik (…): 3 → 1 måneder' (per year where the years differ)."""
        lv = levers.LEVERS[self.key]

        def value(v: float) -> str:
            return fmt_value(v, lv.unit_en, lang)

        unit = _unit_suffix(lv, lang)
        before, after = [self.before[y] for y in PLAN_YEARS], [self.after[y] for y in PLAN_YEARS]
        if len(set(before)) == 1 and len(set(after)) == 1:
            body = f"{value(before[0])} → {value(after[0])}{unit}"
        else:
            body = "; ".join(f"{y}: {value(self.before[y])} → {value(self.after[y])}"
                             for y in PLAN_YEARS if self.before[y] != self.after[y]) + unit
        return f"{lv.label(lang)}: {body}"


def _unit_suffix(lv: levers.Lever, lang: str) -> str:
    """The unit after a value; shares are shown as percentages, so only what follows 'share'."""
    unit = lv.unit(lang)
    if lv.unit_en.startswith("share"):
        rest = unit.split(" ", 1)[1] if " " in unit else ""
        return f" {rest}" if rest else ""
    return f" {unit}"


def lever_changes(before: dict[str, Row], after: dict[str, Row]) -> list[Change]:
    """The levers whose value differs in any plan year, in the order of the levers' data file."""
    out = []
    for key in levers.LEVERS:
        b = {y: before[key][y] for y in PLAN_YEARS}
        a = {y: after[key][y] for y in PLAN_YEARS}
        if any(abs(float(a[y]) - float(b[y])) > 1e-12 for y in PLAN_YEARS):
            out.append(Change(key, b, a))
    return out


def changed_name(origin: str, lang: str = "da") -> str:
    return f"Eget scenarie (ændret fra {origin})" if lang == "da" else f"Own scenario (changed from {origin})"


def changed_description(origin: str, changes: list[Change], lang: str = "da") -> str:
    lead = f"Ændret fra «{origin}»: " if lang == "da" else f"Changed from «{origin}»: "
    return lead + "; ".join(c.text(lang) for c in changes) + "."


def name_and_description(origin: str, origin_description: str, changes: list[Change],
                         lang: str = "da") -> tuple[str, str]:
    """The scenario's name and description: the origin's while nothing changed."""
    if not changes:
        return origin, origin_description
    return changed_name(origin, lang), changed_description(origin, changes, lang)
