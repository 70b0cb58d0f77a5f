"""The session, assembled once for every edge (run, replay, serve, tests), and its tick loop:
one mic frame in, one playout frame out, every 20 ms."""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

import numpy as np

from assistant.core.clock import Clock
from assistant.core.duplex import DuplexCore
from assistant.core.events import Bus, ClockDrift
from assistant.core.options import Profile
from assistant.core.runtime import Models
from assistant.core.workers import Workers
from audio.echo import EchoPath
from audio.frames import FRAME_S, FRAME_SAMPLES, AudioFrame
from audio.sources import FileSource
from audio.vad import Vad

log = logging.getLogger(__name__)

TAIL_QUIET_S = 1.0  # s of idle assistant after the input ends before a replay stops
TAIL_MAX_S = 40.0  # s, hard stop after the input ends
DRIFT_REPORT_S = 0.1  # s the mic timeline may lag the wall clock before it is reported
DRIFT_REARM_S = 0.05  # s; below this lag a later drift is reported again


@asynccontextmanager
async def open_core(models: Models, profile: Profile, bus: Bus, slots: tuple[int, int] = (0, 1),
                    camera: bool = False, workers: Workers | None = None,
                    vad: Vad | None = None) -> AsyncIterator[DuplexCore]:
    """A warmed, started core for one session; stopped on the way out."""
    core = DuplexCore(models, profile, bus, slots, camera, workers, vad)
    try:
        await core.warm()
        core.start()
        yield core
    finally:
        await core.stop()


async def paced_file_frames(src: FileSource, clock: Clock) -> AsyncIterator[AudioFrame]:
    """The file's frames, each delivered when it has fully 'arrived' on the clock; then silence."""
    k = 0
    while True:
        f = src.frame(k)
        if f is None:
            f = AudioFrame(k * FRAME_S, np.zeros(FRAME_SAMPLES, np.float32))
        await clock.sleep_until((k + 1) * FRAME_S)
        yield f
        k += 1


class DriftWatch:
    """Compares the mic timeline with the wall clock: a loop that stalls cannot hide behind the
    frame clock. One `ClockDrift` event each time the lag crosses DRIFT_REPORT_S."""

    def __init__(self, bus: Bus) -> None:
        self.bus = bus
        self._wall0: float | None = None  # wall time of mic time 0
        self._reported = False
        self.worst_s = 0.0

    def frame(self, end_t: float) -> None:
        now = time.perf_counter()
        if self._wall0 is None:
            self._wall0 = now - end_t
        behind = now - self._wall0 - end_t
        self.worst_s = max(self.worst_s, behind)
        if behind > DRIFT_REPORT_S and not self._reported:
            self._reported = True
            log.warning("the loop is %.2f s behind the mic timeline at %.2f s", behind, end_t)
            self.bus.publish(ClockDrift(end_t, round(behind, 3)))
        elif behind < DRIFT_REARM_S:
            self._reported = False


async def run_loop(core: DuplexCore, frames: AsyncIterator[AudioFrame], write: Callable[[np.ndarray], None],
                   input_end_s: float | None = None, echo: EchoPath | None = None) -> None:
    """Feed frames to the core and write one playout frame per mic frame.

    With `input_end_s` (replay), stop once the input has ended and the assistant has been idle
    for TAIL_QUIET_S, or TAIL_MAX_S after the end. With `echo`, the assistant's output comes
    back into the mic through a simulated speaker → room → mic path.
    """
    drift = DriftWatch(core.bus)
    quiet_since: float | None = None
    async for frame in frames:
        if echo is not None:
            frame = AudioFrame(frame.t, echo.mix(frame.pcm))
        core.on_frame(frame)
        drift.frame(core.now)
        out = core.next_output()
        if echo is not None:
            echo.feed(out)
        write(out)
        if input_end_s is None or frame.t < input_end_s:
            continue
        if core.idle:
            quiet_since = frame.t if quiet_since is None else quiet_since
            if frame.t - quiet_since >= TAIL_QUIET_S:
                return
        else:
            quiet_since = None
        if frame.t - input_end_s > TAIL_MAX_S:
            return
