"""An audio input that never brings the daemon down: a source that raises, ends or stalls is
reopened with backoff, with an event each time; meanwhile the session hears silence on an unbroken
timeline (answers go on playing, the clock of the turn rules goes on)."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass

import numpy as np

from assistant.core.clock import Clock
from assistant.core.events import AudioDevice, Bus
from audio.frames import FRAME_S, FRAME_SAMPLES, AudioFrame

log = logging.getLogger(__name__)

OpenSource = Callable[[], AsyncIterator[AudioFrame]]  # opens the device (again) and streams its frames


@dataclass(frozen=True)
class WatchdogOptions:
    stall_s: float = 2.0  # s without a frame from an open device: it is gone
    backoff_s: tuple[float, ...] = (0.5, 1.0, 2.0, 4.0, 8.0)  # s before each reopening in a row (the last repeats)


class AudioWatch:
    def __init__(self, open_source: OpenSource, device: str, bus: Bus, now: Callable[[], float],
                 options: WatchdogOptions = WatchdogOptions()) -> None:
        self.open_source, self.device, self.bus, self.now, self.options = open_source, device, bus, now, options
        self.state = "opening"  # "open" / "reopening"
        self.failures = 0
        self.reopened = 0
        self.last_frame = time.monotonic()  # wall s of the last frame from the device

    def health(self) -> dict[str, object]:
        return {"device": self.device, "state": self.state, "failures": self.failures, "reopened": self.reopened,
                "last_mic_frame_s": round(time.monotonic() - self.last_frame, 2)}

    async def frames(self) -> AsyncIterator[AudioFrame]:
        """The device's frames re-stamped on one timeline, silence while it is being reopened."""
        k, in_a_row = 0, 0
        clock = Clock()
        while True:
            source = self.open_source()
            try:
                while True:
                    # (asyncio.timeout, not wait_for: on 3.11 wait_for swallows a cancel that comes as the
                    # frame arrives, and the session's loop then never stops — the set_profile hang)
                    async with asyncio.timeout(self.options.stall_s):
                        frame = await anext(source)
                    if self.state != "open":
                        if self.state == "reopening":
                            self.reopened += 1
                            self.bus.publish(AudioDevice(self.now(), "reopened", self.device, "", self.failures))
                            log.info("audio input %s reopened", self.device)
                        self.state, in_a_row = "open", 0
                    self.last_frame = time.monotonic()
                    yield AudioFrame(k * FRAME_S, frame.pcm)
                    k += 1
            except Exception as e:  # raised, ended, stalled: all the same to a kiosk
                why = "stalled" if isinstance(e, TimeoutError) else "ended" if isinstance(e, StopAsyncIteration) else str(e)
                self.failures += 1
                self.state = "reopening"
                log.warning("audio input %s failed (%s); reopening", self.device, why or type(e).__name__)
                self.bus.publish(AudioDevice(self.now(), "failed", self.device, why or type(e).__name__, self.failures))
            finally:
                try:
                    await source.aclose()  # type: ignore[attr-defined]
                except Exception as e:
                    log.debug("closing the failed source: %s", e)
            wait = self.options.backoff_s[min(in_a_row, len(self.options.backoff_s) - 1)]
            in_a_row += 1
            clock.start()
            for i in range(max(1, round(wait / FRAME_S))):  # silence, paced, while we wait
                await clock.sleep_until((i + 1) * FRAME_S)
                yield AudioFrame(k * FRAME_S, np.zeros(FRAME_SAMPLES, np.float32))
                k += 1
