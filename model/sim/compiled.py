"""Where the compiled code is cached: outside the source tree, one folder per version of the code.

Numba caches a compiled function beside nothing it calls: a function is not recompiled when a
function it calls (in another file) changes. So the folder is named by a hash of every source
file of the model (data files are read at run time and need no recompilation), and a change of
any source file starts a fresh cache. ``configure`` points numba at it; ``model.sim`` calls it
before any compiled function is defined, so importing ``model`` alone hashes nothing.
"""
from __future__ import annotations

import os
import sys
from functools import cache
from pathlib import Path

from model import fingerprint


def code_fingerprint() -> str:
    """A hash of the model's source code (every ``model/**/*.py``)."""
    return fingerprint.combined(fingerprint.files(patterns=("**/*.py",)))


@cache
def cache_dir() -> Path:
    """The folder of this version's compiled code: ``$VIBORG_CACHE_DIR``; else, in a virtual
    environment (as `make` sets up), a folder of the environment, shared by every process that
    runs in it (`make test` compiles for `make run`, the app's workers and the benchmarks, whatever
    their HOME); else the user's cache folder. Then ``numba-<code fingerprint>``."""
    base = os.environ.get("VIBORG_CACHE_DIR")
    if not base and sys.prefix != sys.base_prefix and os.access(sys.prefix, os.W_OK):
        base = os.path.join(sys.prefix, "var", "cache", "viborg-beskaeftigelse")
    if not base:
        base = os.path.join(os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"),
                            "viborg-beskaeftigelse")
    return Path(base) / f"numba-{code_fingerprint()}"


def configure() -> Path:
    """Point numba's cache at ``cache_dir()`` (also for processes this one starts); returns it."""
    folder = cache_dir()
    os.environ["NUMBA_CACHE_DIR"] = str(folder)
    if "numba" in sys.modules:                       # numba imported already: tell it now
        from numba.core import config
        config.CACHE_DIR = str(folder)
    return folder
