"""How a lever moves a target, in words (``data/mechanisms.toml``): what the lever changes in the
model, and how that reaches the target in the direction seen — towards the plan (``helps``) or
away from it (``against``). The drivers' sentences and the business case say it beside the numbers."""
from __future__ import annotations

import functools

from model import paths
from model.inputs import levers, params


@functools.cache
def _data() -> dict:
    return params.read_toml(paths.DATA / "mechanisms.toml")


def how(lever: str, lang: str = "da") -> str:
    """What the lever changes in the model."""
    return _data()[lever][f"how_{'da' if lang == 'da' else 'en'}"]


def reach(lever: str, target: str, towards: bool, lang: str = "da") -> str:
    """How the lever's change reaches the target: towards the plan or away from it; where the model
    has no direct link, that the change is indirect."""
    lang = "da" if lang == "da" else "en"
    got = _data()[lever].get("targets", {}).get(target, {})
    key = f"{'helps' if towards else 'against'}_{lang}"
    return got.get(key) or _data()["indirect"][lang]


def sentence(lever: str, target: str, towards: bool, lang: str = "da") -> str:
    """'Mekanisme: <how>; <reach>.'"""
    head = "Mekanisme" if lang == "da" else "Mechanism"
    return f"{head}: {how(lever, lang)}; {reach(lever, target, towards, lang)}."


def complete() -> list[str]:
    """Levers without a text of how they act (a test keeps this empty)."""
    return [k for k in levers.LEVERS if k not in _data() or not {"how_da", "how_en"} <= set(_data()[k])]
