"""A fingerprint of the model's code and data: besides a batch's scenarios, seeds, replications
and scale, the only things its numbers depend on. Results with the same fingerprint come from
the same model; a batch refuses to mix results of two fingerprints."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

from model import paths

PATTERNS = ("**/*.py", "data/**/*.toml")


def files(root: Path = paths.MODEL, patterns: tuple[str, ...] = PATTERNS) -> dict[str, str]:
    """A short sha256 of each code and data file, keyed ``model/<path>``, sorted (caches and
    hidden folders left out)."""
    out = {}
    for pattern in patterns:
        for p in root.glob(pattern):
            rel = p.relative_to(root)
            if p.is_file() and not any(part == "__pycache__" or part.startswith(".") for part in rel.parts):
                out[f"model/{rel.as_posix()}"] = hashlib.sha256(p.read_bytes()).hexdigest()[:16]
    return dict(sorted(out.items()))


def combined(hashes: dict[str, str]) -> str:
    """One hash for a set of file hashes."""
    return hashlib.sha256(json.dumps(hashes, sort_keys=True).encode()).hexdigest()[:16]


def current() -> dict:
    """This process's model: {"model": combined hash, "files": {path: hash}}."""
    hashes = files()
    return {"model": combined(hashes), "files": hashes}


def changes(old: dict[str, str], new: dict[str, str]) -> str:
    """What differs between two sets of file hashes, in words: code or data, which files."""
    changed = sorted(k for k in old.keys() | new.keys() if old.get(k) != new.get(k))
    data = [k for k in changed if k.startswith("model/data/")]
    code = [k for k in changed if k not in data]
    parts = []
    for label, names in (("data changed", data), ("code changed", code)):
        if names:
            shown = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
            parts.append(f"{label}: {shown}")
    return "; ".join(parts) or "no file differs"
