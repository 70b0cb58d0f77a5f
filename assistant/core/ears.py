"""Words already heard: a segment version that only adds silence (no voiced frame, by the VAD) to
audio already transcribed — the tentative end after the pause partial, see audio/segmenter.py —
reuses that encoding and transcript instead of running Whisper again, so the answer can start as
soon as the pause partial was heard.

Keyed by content (the exact samples and Whisper's previous text), so one `Ears` may serve many
sessions: a hit is the same audio, heard the same way.
"""

from __future__ import annotations

import threading
from collections import deque

import numpy as np

from models.whisper import Encoded, SharedAudioEncoder, Transcript

KEPT = 4  # recent transcripts kept (a few sessions' pause partials)


class Ears:
    def __init__(self, encoder: SharedAudioEncoder) -> None:
        self.encoder = encoder
        self._heard: deque[tuple[np.ndarray, str, Encoded, Transcript]] = deque(maxlen=KEPT)
        self._lock = threading.Lock()
        self.reused = 0  # versions that were not transcribed again

    def listen(self, pcm: np.ndarray, context: str = "", voiced: int | None = None) -> tuple[Encoded, Transcript, bool]:
        """The encoding and transcript of `pcm`, and whether they were reused (blocking). `voiced`:
        samples up to the end of its last voiced frame (None: all of it)."""
        voiced = pcm.size if voiced is None else voiced
        with self._lock:
            known = next((h for h in self._heard if h[1] == context and self._adds_silence(h[0], pcm, voiced)), None)
            if known is not None:
                self.reused += 1
                return known[2], known[3], True
        enc = self.encoder.encode(pcm)
        tr = self.encoder.transcribe(enc, context)
        with self._lock:
            self._heard.append((pcm, context, enc, tr))
        return enc, tr, False

    @staticmethod
    def _adds_silence(heard: np.ndarray, pcm: np.ndarray, voiced: int) -> bool:
        n = heard.size
        return 0 < n <= pcm.size and voiced <= n and np.array_equal(pcm[:n], heard)
