"""The listener: one mic frame → echo canceller → VAD → own-voice gate → segmenter → onsets and
segment versions.

It knows nothing of what the segments are used for; `played` tells it what the speaker just
played, so the assistant's own voice coming back into the mic is taken out (the canceller, when
the profile has one) and never counts as speech (the gate, on what the canceller left; while the
canceller is still learning the room, also a frame no louder than the echo can be: audio/echolevel.py).
"""

from __future__ import annotations

import numpy as np

from audio.aec import EchoCanceller, NoCanceller
from audio.echolevel import EchoLevel
from audio.frames import AudioFrame, dbfs
from audio.owngate import OwnVoiceGate, OwnVoiceOptions
from audio.segmenter import Segment, Segmenter, SegmenterOptions, SpeechOnset
from audio.vad import Vad


class Listener:
    def __init__(self, vad: Vad, segmenter: SegmenterOptions | None = None,
                 own_voice: OwnVoiceOptions | None = None, canceller: EchoCanceller | None = None) -> None:
        self.vad = vad
        self.segmenter = Segmenter(segmenter)
        self.own_voice = OwnVoiceGate(own_voice)
        self.canceller = canceller or NoCanceller()
        self.echo_level = EchoLevel()
        self.cleaned = np.zeros(0, np.float32)  # the last frame with the echo taken out

    @property
    def in_speech(self) -> bool:
        return self.segmenter.in_speech

    def push(self, frame: AudioFrame) -> list[SpeechOnset | Segment]:
        return self.segmenter.push(*self.hear(frame))

    def hear(self, frame: AudioFrame) -> tuple[AudioFrame, float]:
        """The frame with the echo taken out, and its speech probability (0 where it is the assistant's
        own voice). Call once per frame, before `played`."""
        level = dbfs(frame.pcm)
        frame = AudioFrame(frame.t, self.canceller.cancel(frame.pcm))
        self.cleaned = frame.pcm
        p = self.vad(frame.pcm)
        gated = self.own_voice.is_own_voice(frame.pcm)
        self.echo_level.heard(level, gated, self.own_voice.last_delay_frames)
        own = (gated or self.canceller.residue or (self.canceller.learning and self.echo_level.explains(level))
               or (self.canceller.name != "none" and self.echo_level.residue(dbfs(frame.pcm))))
        return frame, 0.0 if own else p

    def extend(self, seg_id: int, hangover_ms: int) -> None:
        """The current segment ends only after `hangover_ms` of silence (see Segmenter.extend)."""
        self.segmenter.extend(seg_id, hangover_ms)

    def played(self, pcm: np.ndarray) -> None:
        """What the speaker played for this frame (after the mic frame was pushed)."""
        self.canceller.played(pcm)
        self.own_voice.played(pcm)
        self.echo_level.played(dbfs(pcm))

