"""The measures an actual figure can be of, and what the model holds against each: the mapping of
``model/data/measures.toml``, read once for the importer, the scorecard, the docs and the app.

A measure's key is ``<subject>.<count>`` (``sickness_benefit.persons``): the subject is a state, a
group of states, one of the plan's counts or indicators, or a figure the model has no number for;
the count says how the figure counts people (persons in the month, full-time persons, persons at
the month's end, a share). A figure is compared with the model only where the model has a number
of the same definition (``Measure.compared``); everywhere else the mapping says why not.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from model import paths
from model.inputs import params
from model.states import LABELS_DA, LABELS_EN, State

# The Jobindsats columns of a benefit table's counts (src:JI-API).
JOBINDSATS_COLUMNS = {"persons": "Antal personer", "full_time": "Antal fuldtidspersoner"}
UNITS = {"persons": "persons", "full_time": "full-time persons", "month_end": "persons", "share": "share",
         "year_share": "share"}
MODEL_KINDS = ("stock", "measure", "indicator")
NONE = {"da": "intet", "en": "none"}                 # no official measure
PERIOD_WORDS = {"en": {1: "months", 3: "quarters", 12: "calendar years"},
                "da": {1: "måneder", 3: "kvartaler", 12: "kalenderår"}}


@dataclass(frozen=True)
class Count:
    """How a figure counts people, and how the model's number of the same definition is made."""

    key: str
    label: dict[str, str]              # by language
    definition: dict[str, str]
    model: dict[str, str]              # how the model's number is made ("none": it has none)
    why: dict[str, str]                # why not compared ("" where compared)
    periods: tuple[int, ...]           # period lengths (months) a figure of this count may cover
    compare_periods: tuple[int, ...]   # those compared with the model


@dataclass(frozen=True)
class Measure:
    key: str
    subject: str
    count: Count
    subject_label: dict[str, str]        # by language; "" for an indicator (its label lives with the indicators)
    model: str                           # "stock:a+b", "measure:name", "indicator:key" or "none"
    jobindsats: tuple[str, ...]          # the benefit tables whose column is this measure (first: the main id)
    category: tuple[str, str] | None     # (column, value): the rows of the table that are the subject
    statistikbanken: dict | None         # {"tables": [...], "column": ..., "values": [...]}
    note: dict[str, str]                 # what the figure holds beyond its name
    none: dict[str, str]                 # why no official measure matches the model's number
    plan: str                            # the plan's own words of its status figure

    @property
    def unit(self) -> str:
        return UNITS[self.count.key]

    @property
    def kind(self) -> str:
        """count or share (as the indicators are)."""
        return "share" if self.unit == "share" else "count"

    @property
    def column(self) -> str | None:
        """The Jobindsats column of this measure (None if it is in no Jobindsats table)."""
        return JOBINDSATS_COLUMNS.get(self.count.key) if self.jobindsats else None

    @property
    def compared(self) -> bool:
        """True if the model has a number of the same definition."""
        return self.model != "none" and bool(self.count.compare_periods)

    def label(self, lang: str = "da", subject: str = "") -> str:
        """'Sygedagpenge, personer i måneden'; ``subject`` names an indicator (whose label lives with
        the indicators, above this module)."""
        return f"{subject or self.subject_label[lang] or self.subject}, {self.count.label[lang]}"

    def official(self, lang: str = "en") -> str:
        """Where the field publishes this measure, in words."""
        da = lang == "da"
        parts = []
        if self.jobindsats:
            where = f"Jobindsats {(' eller ' if da else ' or ').join(self.jobindsats)}, " \
                    f"{'kolonnen' if da else 'column'} «{self.column}»"
            if self.category:
                where += f", {'rækkerne' if da else 'rows'} {self.category[0]} = «{self.category[1]}»"
            parts.append(where)
        if self.statistikbanken:
            s = self.statistikbanken
            parts.append(f"Statistikbanken {(' eller ' if da else ' or ').join(s['tables'])}, "
                         f"{s['column']} = «{s['values'][0]}»")
        if self.plan:
            parts.append(f"{'planen' if da else 'the plan'}: «{self.plan}»")
        return "; ".join(parts) if parts else NONE[lang]

    def comparison(self, lang: str = "en") -> str:
        """What the figure is held against in the model, or why it is not."""
        da = lang == "da"
        if self.model == "none":
            return ("sammenlignes ikke: " if da else "not compared: ") + self.none[lang]
        if not self.count.compare_periods:
            return ("sammenlignes ikke: " if da else "not compared: ") + self.count.why[lang]
        periods = (" og " if da else " and ").join(PERIOD_WORDS[lang][p] for p in self.count.compare_periods)
        return (f"sammenlignes ({periods}) med {self.count.model[lang]}" if da else
                f"compared ({periods}) with {self.count.model[lang]}")


def _words(raw: dict, key: str) -> dict[str, str]:
    """A text field in both languages (``key`` in English, ``key_da`` in Danish), on one line."""
    en = " ".join(raw.get(key, "").split())
    return {"en": en, "da": " ".join(raw.get(f"{key}_da", en).split())}


def _counts(raw: dict) -> dict[str, Count]:
    return {key: Count(key, {"da": c["label_da"], "en": c["label_en"]}, _words(c, "definition"), _words(c, "model"),
                       _words(c, "why"), tuple(c["periods"]), tuple(c["compare_periods"]))
            for key, c in raw.items()}


def _check_model(key: str, spec: str) -> None:
    """A subject's model number is "none" or "<kind>:<name>[+<name>]"; a stock's names are states (the
    simulation's counts and indicators are checked against the simulation by a test)."""
    if spec == "none":
        return
    kind, _, names = spec.partition(":")
    if kind not in MODEL_KINDS or not names or (kind == "stock" and not all(n in State.__members__
                                                                          for n in names.split("+"))):
        raise ValueError(f"measures.toml: subject {key}: model = {spec!r} is not none or "
                         f"{'/'.join(MODEL_KINDS)}:NAME[+NAME]")


@cache
def counts() -> dict[str, Count]:
    """The ways a figure counts people, in the data file's order."""
    return _counts(params.read_toml(paths.DATA / "measures.toml")["counts"])


@cache
def measures() -> dict[str, Measure]:
    """Every measure an actual figure can be of, by key (``subject.count``)."""
    raw = params.read_toml(paths.DATA / "measures.toml")
    counts = _counts(raw["counts"])
    out = {}
    for subject, s in raw["subjects"].items():
        _check_model(subject, s["model"])
        if subject in State.__members__:
            label = {"da": LABELS_DA[State[subject]], "en": LABELS_EN[State[subject]]}
        else:
            label = {"da": s.get("label_da", ""), "en": s.get("label_en", "")}
        tables = (s["jobindsats"], *s.get("also", ())) if "jobindsats" in s else ()
        cat = s.get("category")
        stat = s.get("statistikbanken")
        for c in s["counts"]:
            out[f"{subject}.{c}"] = Measure(
                f"{subject}.{c}", subject, counts[c], label, s["model"],
                tables if c in JOBINDSATS_COLUMNS else (), (cat["column"], cat["value"]) if cat else None,
                dict(stat) if stat and c == "full_time" else None, _words(s, "note"), _words(s, "none"),
                s.get("plan", ""))
    return out


def jobindsats_tables() -> set[str]:
    """The Jobindsats tables the importer reads (the others hold no measure the model maps)."""
    return {t for m in measures().values() for t in m.jobindsats}


def statistikbanken_tables() -> set[str]:
    """The Statistikbanken tables the importer reads."""
    return {t for m in measures().values() if m.statistikbanken for t in m.statistikbanken["tables"]}


def of_subject(subject: str) -> list[Measure]:
    """The measures of a state, group or indicator (e.g. every count of ``sickness_benefit``)."""
    return [m for m in measures().values() if m.subject == subject]
