"""A bench's result in two halves: tune (what anything may be tuned on) and held (what nothing sees)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

Rows = list[dict[str, Any]]


def report(title: str, rows: Rows, summary: Callable[[Rows], dict[str, Any]], path: Path,
           **extra: Any) -> None:
    """Summarise each half and both, write them with every row to `path` (JSON), print a table."""
    tune, held = (summary([r for r in rows if r["half"] == h]) for h in ("tune", "held"))
    both = summary(rows)
    path.write_text(json.dumps({**extra, "halves": {"tune": tune, "held": held}, "both": both, "scenes": rows},
                               indent=1))
    width = max(28, *(len(k) for k in both))
    print(f"\n{title:{width}s} {'tune half':>10s} {'held half':>10s} {'both':>10s}")
    for k in both:
        print(f"{k:{width}s} {_f(tune[k]):>10s} {_f(held[k]):>10s} {_f(both[k]):>10s}")


def _f(x: Any) -> str:
    return "—" if x is None else f"{x:.2f}" if isinstance(x, float) else str(x)
