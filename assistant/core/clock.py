"""One clock for the mic timeline: real time, started when the first frame is read."""

from __future__ import annotations

import asyncio
import time


class Clock:
    """`now()` is seconds on the mic timeline; `sleep_until(t)` paces a replay in real time."""

    def __init__(self, speed: float = 1.0) -> None:
        self.speed = speed  # 1.0 = real time (honest latencies); larger only for smoke runs
        self._t0 = time.perf_counter()

    def start(self) -> None:
        self._t0 = time.perf_counter()

    def now(self) -> float:
        return (time.perf_counter() - self._t0) * self.speed

    async def sleep_until(self, t: float) -> None:
        dt = (t - self.now()) / self.speed
        if dt > 0:
            await asyncio.sleep(dt)
