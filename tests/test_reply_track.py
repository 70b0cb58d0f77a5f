"""The WebRTC reply track: a backlog of silence never delays the answer; the answer is never dropped."""

from __future__ import annotations

import asyncio

import numpy as np

from audio.frames import FRAME_SAMPLES
from web.tracks import BACKLOG_FRAMES, ReplyTrack


def test_a_backlog_of_silence_is_dropped_and_the_answer_comes_next_whole():
    async def scenario() -> list[float]:
        track = ReplyTrack()
        for _ in range(40):  # the mic ran 0.8 s before the peer pulled anything
            track.push(np.zeros(FRAME_SAMPLES, np.float32))
        tone = 0.3 * np.sin(np.arange(FRAME_SAMPLES * 10) * 2 * np.pi * 440 / 16000).astype(np.float32)
        for k in range(10):
            track.push(tone[k * FRAME_SAMPLES:(k + 1) * FRAME_SAMPLES])
        peaks = []
        async with asyncio.timeout(10):  # 16 frames of 20 ms, paced
            for _ in range(16):
                frame = await track.recv()
                peaks.append(float(np.abs(frame.to_ndarray()).max()) / 32767)
        track.stop()
        return peaks

    peaks = asyncio.run(scenario())
    first = next(i for i, p in enumerate(peaks) if p > 0.1)
    assert first <= BACKLOG_FRAMES + 1, f"the answer came after {first} frames of old silence"
    assert sum(p > 0.1 for p in peaks) >= 9, "the answer's frames all came through"
