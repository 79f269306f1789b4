"""Viborg employment-plan simulator: an agent-based model of benefit states, levers and the plan's indicators."""
import os
import sys
from pathlib import Path

from model import fingerprint

__version__ = "0.2.0"


def code_fingerprint() -> str:
    """A hash of the model's source code (every ``model/**/*.py``; data files are read at run
    time and need no recompilation)."""
    return fingerprint.combined(fingerprint.files(patterns=("**/*.py",)))


def cache_dir() -> Path:
    """Where compiled rules are cached, outside the source tree, one folder per version of the
    code (a compiled function is not recompiled when a function it calls changes, so a change of
    any source file starts a fresh cache): ``$VIBORG_CACHE_DIR``; else, in a virtual environment
    (as `make` sets up), a folder of the environment, shared by every process that runs in it
    (`make test` compiles for `make run`, the app's workers and the benchmarks, whatever their
    HOME); else the user's cache folder."""
    base = os.environ.get("VIBORG_CACHE_DIR")
    if not base and sys.prefix != sys.base_prefix and os.access(sys.prefix, os.W_OK):
        base = os.path.join(sys.prefix, "var", "cache", "viborg-beskaeftigelse")
    if not base:
        base = os.path.join(os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"),
                            "viborg-beskaeftigelse")
    return Path(base) / f"numba-{code_fingerprint()}"


os.environ["NUMBA_CACHE_DIR"] = str(cache_dir())
if "numba" in sys.modules:                       # imported before us: tell it now
    from numba.core import config as _config
    _config.CACHE_DIR = os.environ["NUMBA_CACHE_DIR"]
