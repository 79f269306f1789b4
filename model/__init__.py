"""Viborg employment-plan simulator: an agent-based model of benefit states, levers and the plan's indicators."""
import os
import sys
from pathlib import Path

from . import fingerprint

__version__ = "0.2.0"


def code_fingerprint() -> str:
    """A hash of the model's source code (every ``model/**/*.py``; data files are read at run
    time and need no recompilation)."""
    return fingerprint.combined(fingerprint.files(patterns=("**/*.py",)))


PROJECT_CACHE = Path(__file__).resolve().parents[1] / ".cache"


def cache_dir() -> Path:
    """Where compiled rules are cached, one folder per version of the code (a compiled function is
    not recompiled when a function it calls changes, so a change of any source file starts a fresh
    cache): ``$VIBORG_CACHE_DIR``, else the checkout's ``.cache/`` (git-ignored; shared by every
    process and user of the checkout, so `make test` compiles once for `make run` and the
    benchmarks), else the user's cache folder when the checkout is read-only."""
    base = os.environ.get("VIBORG_CACHE_DIR")
    if not base:
        writable = os.access(PROJECT_CACHE if PROJECT_CACHE.exists() else PROJECT_CACHE.parent, os.W_OK)
        base = str(PROJECT_CACHE) if writable else os.path.join(
            os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "viborg-beskaeftigelse")
    return Path(base) / f"numba-{code_fingerprint()}"


os.environ["NUMBA_CACHE_DIR"] = str(cache_dir())
if "numba" in sys.modules:                       # imported before us: tell it now
    from numba.core import config as _config
    _config.CACHE_DIR = os.environ["NUMBA_CACHE_DIR"]
