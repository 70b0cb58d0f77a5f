"""The one audio format inside duplex: 16 kHz mono float32 in 20 ms frames."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import soxr

SAMPLE_RATE = 16_000  # Hz, every internal signal
FRAME_MS = 20  # ms per frame
FRAME_SAMPLES = SAMPLE_RATE * FRAME_MS // 1000  # 320 samples in a 20 ms frame
FRAME_S = FRAME_MS / 1000  # s
LEVEL_PERCENTILE = 95.0  # the speech level: this percentile of its frames' levels (pauses and room left out)
# dB: voices within this of each other's speech level take part in one talk (people answering each other: ±2 dB
# in the real-room bench); speech further below is the room's background (babble under a request: 10 dB down)
SAME_TALK_DB = 6.0


@dataclass(frozen=True)
class AudioFrame:
    t: float  # s, mic-timeline time of the first sample
    pcm: np.ndarray  # float32, shape (FRAME_SAMPLES,), range [-1, 1]


def to_mono_16k(x: np.ndarray, rate: int) -> np.ndarray:
    """Downmix (samples, channels) or (samples,) audio at `rate` Hz to 16 kHz mono float32."""
    if rate <= 0:
        raise ValueError(f"sample rate must be positive, got {rate}")
    a = np.asarray(x, dtype=np.float32)
    if a.ndim == 2:
        a = a.mean(axis=1)
    elif a.ndim != 1:
        raise ValueError(f"audio must be 1-D or 2-D (samples, channels), got shape {a.shape}")
    if rate != SAMPLE_RATE and a.size:
        a = soxr.resample(a, rate, SAMPLE_RATE).astype(np.float32)
    return np.ascontiguousarray(a, dtype=np.float32)


def dbfs(x: np.ndarray) -> float:
    """RMS level in dBFS (full scale = 1.0); -inf dB is clipped to -120."""
    if x.size == 0:
        return -120.0
    rms = float(np.sqrt(np.mean(np.square(x, dtype=np.float64))))
    return max(-120.0, 20.0 * np.log10(rms + 1e-12))


def speech_level_db(pcm: np.ndarray) -> float:
    """The level of speech (dBFS): a high percentile of its 20 ms frames' levels, so pauses do not count."""
    n = pcm.size // FRAME_SAMPLES
    if n == 0:
        return -120.0
    frames = pcm[: n * FRAME_SAMPLES].astype(np.float64).reshape(n, FRAME_SAMPLES)
    return float(np.percentile(10 * np.log10(np.mean(frames**2, axis=1) + 1e-12), LEVEL_PERCENTILE))
