"""The listener: one mic frame → VAD → own-voice gate → segmenter → onsets and segment versions.

It knows nothing of what the segments are used for; `played` tells it what the speaker just
played, so the assistant's own voice coming back into the mic never counts as speech.
"""

from __future__ import annotations

import numpy as np

from audio.frames import AudioFrame
from audio.owngate import OwnVoiceGate, OwnVoiceOptions
from audio.segmenter import Segment, Segmenter, SegmenterOptions, SpeechOnset
from audio.vad import Vad


class Listener:
    def __init__(self, vad: Vad, segmenter: SegmenterOptions | None = None,
                 own_voice: OwnVoiceOptions | None = None) -> None:
        self.vad = vad
        self.segmenter = Segmenter(segmenter)
        self.own_voice = OwnVoiceGate(own_voice)

    @property
    def in_speech(self) -> bool:
        return self.segmenter.in_speech

    def push(self, frame: AudioFrame) -> list[SpeechOnset | Segment]:
        p = self.vad(frame.pcm)
        if self.own_voice.is_own_voice(frame.pcm):
            p = 0.0
        return self.segmenter.push(frame, p)

    def extend(self, seg_id: int, hangover_ms: int) -> None:
        """The current segment ends only after `hangover_ms` of silence (see Segmenter.extend)."""
        self.segmenter.extend(seg_id, hangover_ms)

    def played(self, pcm: np.ndarray) -> None:
        """What the speaker played for this frame (after the mic frame was pushed)."""
        self.own_voice.played(pcm)
