"""The tick loop shared by every edge: one mic frame in, one playout frame out, every 20 ms."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import numpy as np

from assistant.core.clock import Clock
from assistant.core.duplex import DuplexCore
from audio.echo import EchoPath
from audio.frames import FRAME_S, FRAME_SAMPLES, AudioFrame
from audio.sources import FileSource

TAIL_QUIET_S = 1.0  # s of idle assistant after the input ends before a replay stops
TAIL_MAX_S = 40.0  # s, hard stop after the input ends


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


async def run_loop(core: DuplexCore, frames: AsyncIterator[AudioFrame], write: Callable[[np.ndarray], None],
                   input_end_s: float | None = None, echo: EchoPath | None = None) -> None:
    """Feed frames to the core and write one playout frame per mic frame.

    With `input_end_s` (replay), stop once the input has ended and the assistant has been idle
    for TAIL_QUIET_S, or TAIL_MAX_S after the end. With `echo`, the assistant's output comes
    back into the mic through a simulated speaker → room → mic path.
    """
    quiet_since: float | None = None
    async for frame in frames:
        if echo is not None:
            frame = AudioFrame(frame.t, echo.mix(frame.pcm))
        core.on_frame(frame)
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
