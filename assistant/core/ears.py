"""Words already heard: a segment version that only adds silence (no voiced frame, by the VAD) to
audio already transcribed — the tentative end after the pause partial, see audio/segmenter.py —
reuses that transcript instead of decoding again, so the answer can be drafted as soon as the pause
partial was heard. (The monitor's head still encodes each version it judges: it reads the sound's
trailing silence too, and called 1 in 4 quiet questions noise on the pause partial's encoding.)

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
        self._heard: deque[tuple[np.ndarray, str, Transcript]] = deque(maxlen=KEPT)
        self._lock = threading.Lock()
        self.reused = 0  # versions that were not transcribed again

    def known(self, pcm: np.ndarray, context: str = "", voiced: int | None = None) -> Transcript | None:
        """The transcript of audio heard before of which `pcm` only adds silence, if any. `voiced`:
        samples of `pcm` up to the end of its last voiced frame (None: all of it)."""
        voiced = pcm.size if voiced is None else voiced
        with self._lock:
            for heard, ctx, tr in self._heard:
                n = heard.size
                if ctx == context and 0 < n <= pcm.size and voiced <= n and np.array_equal(pcm[:n], heard):
                    self.reused += 1
                    return tr
        return None

    def transcribe(self, pcm: np.ndarray, enc: Encoded, context: str = "") -> Transcript:
        """Transcribe `enc` (the encoding of `pcm`) and remember it (blocking)."""
        tr = self.encoder.transcribe(enc, context)
        with self._lock:
            self._heard.append((pcm, context, tr))
        return tr

    def words(self, pcm: np.ndarray, context: str = "", voiced: int | None = None) -> Transcript:
        """The transcript of `pcm`: known, or encoded and transcribed now (blocking)."""
        return self.known(pcm, context, voiced) or self.transcribe(pcm, self.encoder.encode(pcm), context)
