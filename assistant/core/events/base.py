"""The event base class and the bus: everything that happens is a typed event on one bus; CLI, page,
logs and replay observe it. Every event carries `t`, its time on the mic timeline in seconds.
"""

from __future__ import annotations

import dataclasses
import json
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

HISTORY_EVENTS = 2000  # events the bus keeps for late readers (a window: a session may last for days)


def _rounded(v: Any) -> Any:
    """Floats to 4 decimals for the wire and the logs (also inside a dict of them)."""
    if isinstance(v, float):
        return round(v, 4)
    if isinstance(v, dict):
        return {k: _rounded(x) for k, x in v.items()}
    return v


@dataclass(frozen=True)
class Event:
    t: float  # s on the mic timeline
    kind: ClassVar[str] = "event"

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"type": self.kind}
        d.update({k: _rounded(v) for k, v in dataclasses.asdict(self).items()})
        return d


Observer = Callable[[Event], None]


class Bus:
    """Synchronous fan-out: publish calls each observer in subscription order. `history` is a
    window of the latest events; an observer that needs all of them subscribes."""

    def __init__(self, keep: int = HISTORY_EVENTS) -> None:
        self._observers: list[Observer] = []
        self.history: deque[Event] = deque(maxlen=keep)

    def subscribe(self, fn: Observer) -> None:
        self._observers.append(fn)

    def publish(self, ev: Event) -> None:
        self.history.append(ev)
        for fn in self._observers:
            fn(ev)


def to_json(ev: Event) -> str:
    return json.dumps(ev.to_dict())
