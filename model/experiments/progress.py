"""Progress bars on standard error (tqdm): shown on a terminal, quiet otherwise or when asked."""
from __future__ import annotations

import sys

from tqdm import tqdm


def bar(total: int | None, desc: str, unit: str, quiet: bool = False) -> tqdm:
    """A bar of ``total`` steps (None: a counter); silent with ``quiet`` or when standard error is
    not a terminal."""
    return tqdm(total=total, desc=desc, unit=unit, file=sys.stderr, dynamic_ncols=True,
                disable=True if quiet else None, leave=False)
