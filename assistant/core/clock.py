"""The wall clock. The core's own time is the mic timeline (the frames' time); the wall clock only
paces a replay in real time (so its latencies are honest) and tells when the loop falls behind."""

from __future__ import annotations

import asyncio
import time


class Clock:
    """`now()` is wall seconds since `start()`; `sleep_until(t)` waits until then."""

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
