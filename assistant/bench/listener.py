"""What the person the assistant answers hears of it: its output, transcribed by another ear.

The output (as played, on the mic timeline) is transcribed by Whisper base — not the assistant's own
tiny.en — with the stretches where other people talk silenced: a word played under their talk is taken
as missed (that is what softening leaves to chance), a word said again after it or in its pauses as heard. Scored as the
share of the answer's words (each clause once, as generated) found in that transcript, counted with
their repeats; the same on the whole output gives this ear's own ceiling.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from typing import Any

import numpy as np

from audio.frames import SAMPLE_RATE

MASK_MARGIN_S = 0.15  # s silenced either side of other people's talk (their onset masks the word it lands on)


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9']+", text.lower())


RUN_FRAME_S = 0.02  # s frames of a talk clip's loudness
RUN_FLOOR_DB = -30.0  # dB under the clip's loudest frame: quieter frames are a pause in the talk
RUN_GAP_S = 0.3  # s: shorter pauses do not unmask the answer (a listener does not catch a word in them)


def runs(clip: np.ndarray) -> list[tuple[float, float]]:
    """Where other people's talk sounds (start, end s in the clip): the stretches it masks the answer."""
    n = int(RUN_FRAME_S * SAMPLE_RATE)
    frames = clip[: clip.size // n * n].reshape(-1, n)
    rms = np.sqrt((frames.astype(np.float64) ** 2).mean(axis=1) + 1e-12)
    on = np.flatnonzero(rms > rms.max() * 10 ** (RUN_FLOOR_DB / 20))
    out: list[tuple[float, float]] = []
    for i in on:
        a, b = i * RUN_FRAME_S, (i + 1) * RUN_FRAME_S
        if out and a - out[-1][1] < RUN_GAP_S:
            out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return [(round(a, 3), round(b, 3)) for a, b in out]


def masked(pcm: np.ndarray, talk: Sequence[tuple[float, float]]) -> np.ndarray:
    """The output with the stretches `talk` (start, end s) silenced."""
    out = pcm.astype(np.float32).copy()
    for a, b in talk:
        i, j = max(0, int((a - MASK_MARGIN_S) * SAMPLE_RATE)), int((b + MASK_MARGIN_S) * SAMPLE_RATE)
        out[i:j] = 0.0
    return out


def recall(said: str, heard: str) -> tuple[int, int]:
    """(words of `said` found in `heard`, counted with repeats; words said)."""
    want, got = Counter(words(said)), Counter(words(heard))
    return sum(min(n, got[w]) for w, n in want.items()), sum(want.values())


class Ear:
    """Whisper base, English, loaded on first use (~3 s per 30 s of output on 2 cores)."""

    def __init__(self) -> None:
        self._model: Any = None

    def hear(self, pcm: np.ndarray) -> str:
        if self._model is None:
            from faster_whisper import WhisperModel

            from models.weights import whisper_base_dir
            self._model = WhisperModel(str(whisper_base_dir(progress=True)), device="cpu", compute_type="int8",
                                       cpu_threads=2)
        segs, _ = self._model.transcribe(pcm.astype(np.float32), language="en", beam_size=5,
                                         condition_on_previous_text=False, vad_filter=True)
        return " ".join(s.text.strip() for s in segs)
