"""Scenario-file problems in the reader's language, each with the lever's own label.

``model.scenario`` writes one English line per problem (file, line, field, value, allowed
range). The app keeps every fact of that line and says it in Danish when the page is Danish.
"""
from __future__ import annotations

import re

from model import levers

DA = [   # English phrase -> Danish, longest first where one contains another
    (r", line (\d+):", r", linje \1:"),
    (r"unknown field '([^']+)'; allowed:", r"ukendt felt «\1»; tilladte felter:"),
    (r"year (\S+) not allowed, allowed years", r"året \1 er ikke tilladt, tilladte år"),
    (r"out of range, allowed", "uden for det tilladte, tilladt"),
    (r"must be a whole number, allowed", "skal være et helt tal, tilladt"),
    (r"must be a number, allowed", "skal være et tal, tilladt"),
    (r"not valid TOML:", "ikke gyldig TOML:"),
    (r"not a UTF-8 text file", "ikke en UTF-8-tekstfil"),
    (r"Field required", "mangler"),
    (r"Input should be a valid string", "skal være tekst"),
    (r"String should have at least 1 character", "må ikke være tom"),
    (r"(\d+(?:\.\d+)?) ?characters", r"\1 tegn"),
    (r"\bat (line|column)\b", r"i \1"),
]


def _label(problem: str, lang: str) -> str:
    """The label of the lever the problem is about, if any ('' otherwise)."""
    m = re.search(r"levers\.([a-z_]+)", problem)
    if m and m.group(1) in levers.LEVERS:
        return levers.LEVERS[m.group(1)].label(lang)
    return ""


def translate(problem: str, lang: str) -> str:
    """One problem line in ``lang``, with the lever's label added after the facts."""
    text = problem
    if lang == "da":
        for pattern, repl in DA:
            text = re.sub(pattern, repl, text)
        text = text.replace("line ", "linje ").replace("column ", "kolonne ")
    label = _label(problem, lang)
    return f"{text} – {label}" if label else text
