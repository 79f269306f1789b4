"""Where a result came from: the one header every run record (a batch's, a search's, an analysis's
``manifest.json`` or ``*.json``) starts with, and the one way such a record is written.

The header holds the command that made it, runnable as written from the folder it ran in (or
None when started from Python), the model's version, git commit and fingerprint (a hash of its
code and data, with the hash of every file), Python and the versions of the packages that shape
the numbers, and when.
"""
from __future__ import annotations

import json
import os
import platform
import shlex
import subprocess
import sys
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

from model import __version__, fingerprint, paths

PACKAGES = ("numpy", "pandas", "pyarrow", "numba", "mesa", "pydantic", "scipy", "SALib", "optuna", "dask",
            "distributed")


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def command_line() -> str | None:
    """The ``python -m model ...`` command that started this process, runnable as written from
    the folder it ran in; None when started from Python."""
    argv = list(sys.argv)
    if not (argv and Path(argv[0]).name == "__main__.py" and Path(argv[0]).parent.name == "model"):
        return None
    return shlex.join([sys.executable, "-m", "model", *argv[1:]])


def shown(command: str | None) -> str:
    """A command as a person reads it: ``python -m model ...`` (the interpreter's path left out)."""
    if not command:
        return "python -m model"
    return command.replace(shlex.quote(sys.executable), "python", 1)


def git_commit() -> str | None:
    try:
        return subprocess.run(["git", "rev-parse", "HEAD"], cwd=paths.ROOT, capture_output=True, text=True,
                              timeout=5).stdout.strip() or None
    except (OSError, subprocess.SubprocessError):
        return None


def packages() -> dict[str, str]:
    out = {}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            pass
    return out


def header(command: str | None = None, model: dict | None = None) -> dict:
    """The manifest header: command, folder, model version, commit, fingerprint, Python, packages,
    when (``model``: ``fingerprint.current()`` when already computed)."""
    model = model or fingerprint.current()
    return {"command": command or command_line(), "cwd": os.getcwd(), "model_version": __version__,
            "git_commit": git_commit(), "model": {"fingerprint": model["model"], "files": model["files"]},
            "python": platform.python_version(), "packages": packages(), "created": now(),
            "host": platform.node()}


def to_json(record: dict) -> bytes:
    return json.dumps(record, indent=2, ensure_ascii=False, default=_plain).encode("utf-8")


def _plain(value):
    """numpy numbers and other values json does not know, as plain ones."""
    if hasattr(value, "item"):
        return value.item()
    return str(value)


def write(path: str | Path, record: dict) -> Path:
    """Write a run record whole (a temporary file renamed over it), never half."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.model-tmp-{os.getpid()}")
    try:
        tmp.write_bytes(to_json(record))
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path
