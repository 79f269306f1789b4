"""Where the project's files are, named once: the model's data, the documentation, the shipped
scenarios and example actual figures (every module that reads or writes one of them takes its path
from here)."""
from __future__ import annotations

from pathlib import Path

MODEL = Path(__file__).resolve().parent          # the package: model/
ROOT = MODEL.parent                              # the project's checkout
DATA = MODEL / "data"                            # rates, hazards, effects, levers, municipality profiles
DOCS = ROOT / "docs"                             # the model description and the files written into it
SCENARIOS = ROOT / "scenarios"                   # the shipped scenario files
ACTUALS = ROOT / "actuals"                       # the shipped example of actual figures (one folder per municipality)
