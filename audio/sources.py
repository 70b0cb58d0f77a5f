"""Audio sources: a wav file replayed frame by frame, or the live microphone."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from pathlib import Path

import numpy as np

from audio.devices import pick
from audio.frames import FRAME_S, FRAME_SAMPLES, SAMPLE_RATE, AudioFrame, to_mono_16k
from audio.io import read_audio

log = logging.getLogger(__name__)

MIC_QUEUE_S = 2.0  # s of mic blocks kept waiting for a slow consumer; older ones are dropped beyond it
DROP_LOG_EVERY = 50  # dropped blocks between two warnings (one a second at 20 ms blocks)


class FileSource:
    """Frames of a file; the caller paces them (the replay clock plays them in real time)."""

    def __init__(self, path: str | Path) -> None:
        self.pcm = read_audio(path)
        self.duration = self.pcm.size / SAMPLE_RATE  # s

    def frame(self, k: int) -> AudioFrame | None:
        a = self.pcm[k * FRAME_SAMPLES : (k + 1) * FRAME_SAMPLES]
        if a.size == 0:
            return None
        if a.size < FRAME_SAMPLES:
            a = np.pad(a, (0, FRAME_SAMPLES - a.size))
        return AudioFrame(k * FRAME_S, a)


class MicSource:
    """The live microphone, resampled to 16 kHz mono and cut into 20 ms frames."""

    def __init__(self, device: str | int | None = None) -> None:
        self.device = pick(device, "input")

    async def frames(self) -> AsyncIterator[AudioFrame]:
        import sounddevice as sd

        loop = asyncio.get_running_loop()
        q = Backlog()
        rate = int(self.device.default_rate)

        def callback(indata: np.ndarray, _frames: int, _time: object, _status: object) -> None:
            loop.call_soon_threadsafe(q.offer, indata.copy())

        buf = np.zeros(0, np.float32)
        k = 0
        with sd.InputStream(device=self.device.index, channels=1, samplerate=rate, dtype="float32",
                            blocksize=int(rate * FRAME_S), callback=callback):
            while True:
                buf = np.concatenate([buf, to_mono_16k(await q.get(), rate)])
                while buf.size >= FRAME_SAMPLES:
                    yield AudioFrame(k * FRAME_S, buf[:FRAME_SAMPLES].copy())
                    buf = buf[FRAME_SAMPLES:]
                    k += 1



class Backlog:
    """Mic blocks waiting for the consumer, at most MIC_QUEUE_S of them: when it falls behind, the oldest
    block is dropped (the listener hears a gap, never ever older sound, and memory stays bounded)."""

    def __init__(self, max_blocks: int = round(MIC_QUEUE_S / FRAME_S)) -> None:
        self._q: asyncio.Queue[np.ndarray] = asyncio.Queue(maxsize=max_blocks)
        self.dropped = 0  # blocks dropped so far

    def offer(self, block: np.ndarray) -> None:
        if self._q.full():
            self._q.get_nowait()
            self.dropped += 1
            if self.dropped % DROP_LOG_EVERY == 1:
                log.warning("the mic consumer fell %.1f s behind: %d blocks dropped so far",
                            self._q.maxsize * FRAME_S, self.dropped)
        self._q.put_nowait(block)

    def qsize(self) -> int:
        return self._q.qsize()

    async def get(self) -> np.ndarray:
        return await self._q.get()
