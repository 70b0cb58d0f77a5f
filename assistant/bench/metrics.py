"""Metrics on the mic timeline (definitions fixed in the README).

- voice-to-voice: end of the user's query speech → first assistant audio above -45 dBFS.
- stop latency: onset of a barge-in query → last assistant audio above -45 dBFS before it
  falls silent.
"""

from __future__ import annotations

import numpy as np

from audio.frames import FRAME_SAMPLES, SAMPLE_RATE

AUDIBLE_DBFS = -45.0  # assistant audio above this counts as speaking
WINDOW_S = FRAME_SAMPLES / SAMPLE_RATE  # 20 ms analysis windows
SILENT_GAP_S = 0.3  # s below AUDIBLE_DBFS that counts as having stopped


def audible(pcm: np.ndarray) -> np.ndarray:
    """Per 20 ms window: is the assistant audible?"""
    n = pcm.size // FRAME_SAMPLES
    w = pcm[: n * FRAME_SAMPLES].reshape(n, FRAME_SAMPLES).astype(np.float64)
    rms = np.sqrt(np.mean(w * w, axis=1))
    return 20 * np.log10(rms + 1e-12) > AUDIBLE_DBFS


def first_audio_after(pcm: np.ndarray, t: float) -> float | None:
    on = audible(pcm)
    idx = np.flatnonzero(on[int(t / WINDOW_S):])
    return None if idx.size == 0 else (idx[0] + int(t / WINDOW_S)) * WINDOW_S


def audio_seconds(pcm: np.ndarray, start: float = 0.0, end: float | None = None) -> float:
    on = audible(pcm)
    a, b = int(start / WINDOW_S), len(on) if end is None else int(end / WINDOW_S)
    return float(on[a:b].sum()) * WINDOW_S


def stop_time_after(pcm: np.ndarray, t: float) -> float:
    """The time the assistant audio last sounds before a silent gap of SILENT_GAP_S after `t`."""
    on = audible(pcm)
    k = int(t / WINDOW_S)
    gap = int(SILENT_GAP_S / WINDOW_S)
    last = k
    for i in range(k, len(on)):
        if on[i]:
            last = i + 1
        elif i - last + 1 >= gap:
            break
    return last * WINDOW_S


def percentile(xs: list[float], q: float) -> float | None:
    return float(np.percentile(xs, q)) if xs else None
