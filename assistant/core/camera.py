"""A session's camera: frames in, reports of the shared vision encoder out.

Frames arrive at any rate (a browser track, a local camera, a still image in replay); only the
latest is kept. It is sampled at `[vision] fps` (skipped while an answer is being prepared, so
vision never delays the voice) and at every speech onset (on demand, so the
answer to "what do you see?" reads a frame from when the question began), and each sampled frame
is encoded once by the shared `VisionEncoder` on a thread of its own: the audio loop never waits.
OCR, the slowest encoder, runs only for an answer whose words ask what is written (`read_now`, in
that answer's worker) unless `[vision] text_on_demand` is off. What was seen goes on the bus
(`Seen`), when it changes or every `seen_every_s`.
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from assistant.core.events import Bus, Error, Seen
from assistant.core.options import VisionOptions
from assistant.core.scene_words import describe
from models.vision import SceneReport, VisionEncoder, check_frame

log = logging.getLogger(__name__)
VISION_NICE = 10  # the vision thread yields the CPU to ASR, the LLM and TTS (Linux: per-thread nice)


def _lower_priority() -> None:
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), VISION_NICE)
    except (AttributeError, OSError):  # not Linux, or not allowed: run at normal priority
        pass


class Camera:
    def __init__(self, encoder: VisionEncoder | None, options: VisionOptions, bus: Bus, now: Callable[[], float],
                 answering: Callable[[], bool] = lambda: False) -> None:
        if encoder is None:
            raise RuntimeError("a camera needs the vision encoders: load_models(..., vision=True)")
        self.encoder = encoder
        self.options = options
        self.bus = bus
        self.now = now  # s, the session's mic timeline
        self.answering = answering  # an answer is being prepared: the voice path has the CPU
        self._frame: tuple[float, np.ndarray] | None = None
        self._report: SceneReport | None = None
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="vision", initializer=_lower_priority)
        self._busy: asyncio.Future[SceneReport] | None = None
        self._said: tuple[str, float] = ("", -1e9)  # last Seen text and when
        self._onset_line: str | None = None  # what was seen when the user last began to speak
        self._onset_frame: tuple[float, np.ndarray] | None = None

    def push(self, t: float, rgb: np.ndarray) -> None:
        """A new frame (H×W×3 uint8 RGB) taken at `t` on the session clock."""
        check_frame(rgb)
        self._frame = (t, rgb)

    def latest(self) -> SceneReport | None:
        """The newest report, if it is recent enough to describe the scene now."""
        r = self._report
        return r if r is not None and self.now() - r.t <= self.options.max_age_s else None

    async def sample(self) -> SceneReport | None:
        """Encode the latest frame (once: a frame already encoded, or being encoded, is not redone)."""
        if self._busy is not None:
            return await asyncio.shield(self._busy)
        if self._frame is None or (self._report is not None and self._report.t == self._frame[0]):
            return self._report
        t, rgb = self._frame
        loop = asyncio.get_running_loop()
        self._busy = loop.run_in_executor(self._pool, self.encoder.encode, t, rgb, not self.options.text_on_demand)
        try:
            self._report = await self._busy
        except Exception as e:  # a bad frame must not end the session
            log.warning("camera frame at %.2f s: %s", t, e)
            self.bus.publish(Error(self.now(), f"camera frame at {t:.2f} s: {e}"))
            return self._report
        finally:
            self._busy = None
        self._announce(self._report)
        return self._report

    async def at_onset(self) -> str:
        """Encode the frame from a speech onset; its camera line is what the answer will see."""
        self._onset_frame = self._frame
        await self.sample()
        self._onset_line = describe(self.latest())
        return self._onset_line

    def line(self) -> str:
        """The camera line for an answer: what was seen when the user began to speak."""
        return self._onset_line or describe(self.latest())

    def read_now(self) -> str:
        """The camera line with the text on the onset's frame read (blocking: call it from the worker
        of the answer that asked what is written, never from the event loop)."""
        frame, r = self._onset_frame or self._frame, self._report
        if frame is None or not self.encoder.reads or not self.options.text_on_demand:
            return self.line()
        t, rgb = frame
        if r is None or r.t != t:
            r = self.encoder.encode(t, rgb, read=False)
        r = self.encoder.read(r, rgb)
        if self._report is None or self._report.t <= r.t:
            self._report = r
        self._onset_line = describe(r)
        return self._onset_line

    def _announce(self, r: SceneReport) -> None:
        text, when = describe(r), self.now()
        if text != self._said[0] or when - self._said[1] >= self.options.seen_every_s:
            self._said = (text, when)
            self.bus.publish(Seen(when, r.t, text, r.people, r.looking, round(sum(r.ms.values()), 1)))

    async def run(self) -> None:
        """Sample at the profile's rate until cancelled; not while an answer is being prepared (the
        onset's frame, sampled on demand, is what that answer sees)."""
        period = 1.0 / self.options.fps
        while True:
            if not self.answering():
                await self.sample()
            await asyncio.sleep(period)

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
