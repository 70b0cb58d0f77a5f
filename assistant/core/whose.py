"""Whose voice a segment is: an enrolled speaker's (the gate serves only them), and whether it is another
voice than the speech it began soon after, at that speech's level (`SAME_TALK_DB`: someone taking part in that talk).
Each segment version is embedded once (models/voices.py); a reply's voice is decided once it has
VOICE_DECIDE_S of speech, and later versions keep it."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from audio.frames import SAME_TALK_DB, SAMPLE_RATE, speech_level_db
from models.voices import SAME_VOICE_MIN, VoiceEmbedder, same_voice

VOICES_KEPT = 4  # segments whose d-vector is remembered
# s of voiced speech after which a reply's voice is decided for good: later versions of the segment keep
# it (the next turn's first words, merged into it across a short gap, would blend the two voices)
VOICE_DECIDE_S = 1.0


@dataclass(frozen=True)
class Whose:
    other: bool = False  # another voice than the speech it began soon after
    other_near: bool = False  # … and at that speech's level (taking part in that talk)
    speaker: str = ""  # the enrolled voice it is in ("" none, or nobody enrolled)
    speaker_sim: float = 0.0  # its cosine to the closest enrolled voice


class Voices:
    def __init__(self, embedder: VoiceEmbedder | None) -> None:
        self.embedder = embedder
        self._voice_of: OrderedDict[int, np.ndarray] = OrderedDict()  # recent segments' d-vectors
        self._other_of: OrderedDict[tuple[int, int], bool] = OrderedDict()  # (segment, before) → another voice

    def whose(self, pcm: np.ndarray, segment: int | None, before: tuple[int, np.ndarray] | None,
              enrolled: dict[str, np.ndarray]) -> Whose:
        """The voice cues of `pcm` (voiced speech), embedding it at most once (~0.05 s a second of it)."""
        if self.embedder is None or (before is None and not enrolled):
            return Whose()
        embedder, d = self.embedder, None

        def mine() -> np.ndarray:
            nonlocal d
            if d is None:
                d = embedder.embed(pcm)
            return d

        other = self._other_voice(pcm, segment, before, mine)
        near = other and before is not None and \
            abs(speech_level_db(pcm) - speech_level_db(before[1])) <= SAME_TALK_DB
        if not enrolled:
            return Whose(other, near)
        name, sim = max(((n, same_voice(v, mine())) for n, v in enrolled.items()), key=lambda x: x[1])
        return Whose(other, near, name if sim >= SAME_VOICE_MIN else "", sim)

    def vector(self, pcm: np.ndarray) -> np.ndarray:
        if self.embedder is None:
            raise ValueError("no speaker embedder")
        return self.embedder.embed(pcm)

    def _other_voice(self, pcm: np.ndarray, segment: int | None, before: tuple[int, np.ndarray] | None,
                     mine: Callable[[], np.ndarray]) -> bool:
        """Is this another voice than the speech it began soon after? (Only asked then: ~0.1 s; decided
        once on VOICE_DECIDE_S of it, kept by the segment's later versions.)"""
        if before is None or self.embedder is None:
            return False
        seg, heard = before
        key = None if segment is None else (segment, seg)
        if key is not None and key in self._other_of:
            return self._other_of[key]
        if seg not in self._voice_of:
            self._voice_of[seg] = self.embedder.embed(heard)
            while len(self._voice_of) > VOICES_KEPT:
                self._voice_of.popitem(last=False)
        other = same_voice(self._voice_of[seg], mine()) < SAME_VOICE_MIN
        if key is not None and pcm.size >= VOICE_DECIDE_S * SAMPLE_RATE:
            self._other_of[key] = other
            while len(self._other_of) > VOICES_KEPT:
                self._other_of.popitem(last=False)
        return other
