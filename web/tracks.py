"""WebRTC media adapters: the browser's mic into 20 ms 16 kHz frames; the answer out as a 48 kHz track."""

from __future__ import annotations

import asyncio
import fractions
import time
from collections import deque
from collections.abc import AsyncIterator

import av
import numpy as np
import soxr
from aiortc import MediaStreamTrack
from aiortc.mediastreams import MediaStreamError

from audio.frames import FRAME_S, FRAME_SAMPLES, SAMPLE_RATE, AudioFrame
from audio.sources import MIC_QUEUE_S, Backlog

WEBRTC_RATE = 48_000  # Hz, Opus
OUT_SAMPLES = WEBRTC_RATE * 20 // 1000  # 960 samples per 20 ms frame at 48 kHz
BACKLOG_FRAMES = 3  # 20 ms frames of silence kept queued for the peer's pace; more silence is dropped
SILENT = 1e-4  # peak below which a queued frame is silence


async def mic_frames(track: MediaStreamTrack, stats: dict[str, int]) -> AsyncIterator[AudioFrame]:
    """Decoded Opus frames (any rate/layout) → resampled once → 20 ms 16 kHz mono frames."""
    resampler = av.AudioResampler(format="s16", layout="mono", rate=SAMPLE_RATE)
    buf = np.zeros(0, np.float32)
    k = 0
    while True:
        try:
            frame = await track.recv()
        except MediaStreamError:
            return
        stats["audio_frames"] = stats.get("audio_frames", 0) + 1
        for out in resampler.resample(frame):  # type: ignore[arg-type]
            buf = np.concatenate([buf, out.to_ndarray().reshape(-1).astype(np.float32) / 32768.0])
        while buf.size >= FRAME_SAMPLES:
            yield AudioFrame(k * FRAME_S, buf[:FRAME_SAMPLES].copy())
            buf = buf[FRAME_SAMPLES:]
            k += 1


async def latest_frames(frames: AsyncIterator[AudioFrame], max_s: float = MIC_QUEUE_S) -> AsyncIterator[AudioFrame]:
    """The frames as a consumer that may fall behind should get them: read on at once into a backlog of at
    most `max_s` (the oldest dropped beyond it: speech said while a session was still warming up, or a
    machine too slow for its sessions, costs words, never a delay that grows for the rest of the session),
    stamped again on the consumer's timeline."""
    backlog, ended = Backlog(round(max_s / FRAME_S)), asyncio.Event()

    async def read() -> None:
        try:
            async for f in frames:
                backlog.offer(f.pcm)
        finally:
            ended.set()
            backlog.offer(np.zeros(0, np.float32))  # (wakes the consumer: the end)

    reader = asyncio.get_running_loop().create_task(read())
    k = 0
    try:
        while True:
            pcm = await backlog.get()
            if pcm.size == 0 and ended.is_set():
                return
            yield AudioFrame(k * FRAME_S, pcm)
            k += 1
    finally:
        reader.cancel()


async def camera_frames(track: MediaStreamTrack, stats: dict[str, int]) -> AsyncIterator[np.ndarray]:
    """The browser's camera as H×W×3 uint8 RGB frames (the page sends ~5 fps at 320×240)."""
    while True:
        try:
            frame = await track.recv()
        except MediaStreamError:
            return
        stats["video_frames"] = stats.get("video_frames", 0) + 1
        if isinstance(frame, av.VideoFrame):
            yield frame.to_ndarray(format="rgb24")


class ReplyTrack(MediaStreamTrack):
    """The assistant's voice: one 16 kHz frame pushed per mic tick, sent as 48 kHz 20 ms frames.

    Mic ticks and the peer's pulls run at the same rate but not in step (the mic may start first,
    or arrive in bursts): a backlog of silence would delay every answer by its length (up to 1 s
    was seen), so silence beyond BACKLOG_FRAMES is dropped; the assistant's audio never is."""

    kind = "audio"

    def __init__(self) -> None:
        super().__init__()
        self._queue: deque[np.ndarray] = deque(maxlen=50)  # 1 s; older frames are dropped if the peer stalls
        self._up = soxr.ResampleStream(SAMPLE_RATE, WEBRTC_RATE, 1, dtype="float32")
        self._pending = np.zeros(0, np.float32)
        self._start: float | None = None
        self._pts = 0
        self.sent_audible = 0  # frames sent with audible assistant audio

    def push(self, pcm16k: np.ndarray) -> None:
        self._queue.append(pcm16k)

    async def recv(self) -> av.AudioFrame:
        if self.readyState != "live":
            raise MediaStreamError
        if self._start is None:
            self._start = time.time()
        wait = self._start + self._pts / WEBRTC_RATE - time.time()
        if wait > 0:
            await asyncio.sleep(wait)
        while len(self._queue) > BACKLOG_FRAMES and float(np.abs(self._queue[0]).max(initial=0.0)) < SILENT:
            self._queue.popleft()
        while self._pending.size < OUT_SAMPLES:
            src = self._queue.popleft() if self._queue else np.zeros(FRAME_SAMPLES, np.float32)
            self._pending = np.concatenate([self._pending, self._up.resample_chunk(src)])
        out, self._pending = self._pending[:OUT_SAMPLES], self._pending[OUT_SAMPLES:]
        if float(np.abs(out).max(initial=0.0)) > 0.01:
            self.sent_audible += 1
        frame = av.AudioFrame.from_ndarray((np.clip(out, -1, 1) * 32767).astype(np.int16).reshape(1, -1),
                                           format="s16", layout="mono")
        frame.sample_rate = WEBRTC_RATE
        frame.pts = self._pts
        frame.time_base = fractions.Fraction(1, WEBRTC_RATE)
        self._pts += OUT_SAMPLES
        return frame
