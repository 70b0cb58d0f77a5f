"""One line per long step on stderr, so model loading is never silent."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def step(what: str, quiet: bool = False) -> Iterator[dict[str, float]]:
    info: dict[str, float] = {}
    if not quiet:
        print(f"… {what}", file=sys.stderr, flush=True)
    t0 = time.perf_counter()
    yield info
    info["seconds"] = time.perf_counter() - t0
    if not quiet:
        print(f"✓ {what} ({info['seconds']:.1f} s)", file=sys.stderr, flush=True)
