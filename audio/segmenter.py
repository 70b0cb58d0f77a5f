"""Speech segmenter: VAD probabilities with hysteresis → onset, partial segments, final segment.

Partial segments let the monitor decide while the user is still talking (barge-in); one more is
cut after `pause_partial_ms` of silence (every word so far: transcribed while the tentative end is
awaited); a tentative end after `early_end_ms` of silence lets the core prepare an answer during
the hangover; the final one closes the segment after `hangover_ms` of silence.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from audio.frames import FRAME_MS, SAMPLE_RATE, AudioFrame


@dataclass(frozen=True)
class SegmenterOptions:
    onset_threshold: float = 0.5  # speech probability that counts as speech
    offset_threshold: float = 0.35  # below this (after onset) counts as silence: hysteresis
    min_speech_ms: int = 100  # ms of speech before an onset is declared
    hangover_ms: int = 400  # ms of silence that ends a segment
    early_end_ms: int = 160  # ms of silence that makes a tentative end (answer prepared, held back)
    pause_partial_ms: int = 40  # ms of silence that cut a partial holding every word so far (0: none)
    preroll_ms: int = 200  # ms of audio kept before the onset
    first_partial_ms: int = 300  # ms after onset of the first partial segment
    partial_every_ms: int = 300  # ms between later partial segments
    max_segment_ms: int = 15_000  # ms, a longer segment is closed as final

    def __post_init__(self) -> None:
        if not 0 < self.offset_threshold <= self.onset_threshold < 1:
            raise ValueError("need 0 < offset_threshold <= onset_threshold < 1")
        for name in ("min_speech_ms", "hangover_ms", "early_end_ms", "first_partial_ms", "partial_every_ms"):
            if getattr(self, name) <= 0:
                raise ValueError(f"{name} must be positive")
        if self.early_end_ms >= self.hangover_ms:
            raise ValueError("early_end_ms must be shorter than hangover_ms")
        if not 0 <= self.pause_partial_ms < self.early_end_ms:
            raise ValueError("pause_partial_ms must be at least 0 and shorter than early_end_ms")


@dataclass(frozen=True)
class SpeechOnset:
    seg_id: int
    t: float  # s, mic time where speech began


Stage = Literal["partial", "tentative", "final"]  # speech goes on / paused early_end_ms / over
STAGE_ORDER: dict[Stage, int] = {"partial": 0, "tentative": 1, "final": 2}


@dataclass(frozen=True)
class Segment:
    seg_id: int
    start: float  # s, mic time of the first sample (including pre-roll)
    end: float  # s, mic time after the last sample
    speech_start: float  # s, the onset time (without pre-roll)
    pcm: np.ndarray  # 16 kHz float32
    stage: Stage
    speech_end: float = 0.0  # s, end of the last voiced frame: equal on a tentative and its final

    @property
    def voiced(self) -> int:
        """Samples of `pcm` up to the end of its last voiced frame (the rest is silence)."""
        return min(self.pcm.size, max(0, round((self.speech_end - self.start) * SAMPLE_RATE)))

    @property
    def final(self) -> bool:
        return self.stage == "final"

    @property
    def tentative(self) -> bool:
        """Speech paused for early_end_ms; the final may follow with no new speech."""
        return self.stage == "tentative"


def _frames(ms: int) -> int:
    return max(1, ms // FRAME_MS)


class Segmenter:
    def __init__(self, options: SegmenterOptions | None = None) -> None:
        self.options = options or SegmenterOptions()
        self._pre: list[np.ndarray] = []  # pre-roll ring
        self._buf: list[np.ndarray] = []
        self._in_speech = False
        self._run = 0  # consecutive speech frames (before onset)
        self._silence = 0  # consecutive silent frames (after onset)
        self._next_id = 0
        self._seg_start = 0.0
        self._speech_start = 0.0
        self._speech_end = 0.0
        self._next_partial = 0
        self._hangover = _frames(self.options.hangover_ms)  # silent frames that end the current segment

    @property
    def in_speech(self) -> bool:
        return self._in_speech

    def extend(self, seg_id: int, hangover_ms: int) -> None:
        """Let the current segment `seg_id` end only after `hangover_ms` of silence (a sentence that
        sounds unfinished: the speaker is looking for a word). No effect once it has ended."""
        if self._in_speech and seg_id == self._next_id:
            self._hangover = max(self._hangover, _frames(hangover_ms))

    def push(self, frame: AudioFrame, p_speech: float) -> list[SpeechOnset | Segment]:
        out: list[SpeechOnset | Segment] = []
        o = self.options
        if not self._in_speech:
            self._pre.append(frame.pcm)
            keep = _frames(o.preroll_ms) + _frames(o.min_speech_ms)
            del self._pre[:-keep]
            self._run = self._run + 1 if p_speech >= o.onset_threshold else 0
            if self._run >= _frames(o.min_speech_ms):
                self._in_speech = True
                self._silence = 0
                self._buf = list(self._pre)
                self._pre = []
                n = sum(b.size for b in self._buf)
                self._seg_start = frame.t + FRAME_MS / 1000 - n / SAMPLE_RATE
                self._speech_start = frame.t + FRAME_MS / 1000 - self._run * FRAME_MS / 1000
                self._speech_end = frame.t + FRAME_MS / 1000
                self._next_partial = _frames(o.first_partial_ms)
                out.append(SpeechOnset(self._next_id, self._speech_start))
            return out

        self._buf.append(frame.pcm)
        self._silence = self._silence + 1 if p_speech < o.offset_threshold else 0
        if self._silence == 0:
            self._speech_end = frame.t + FRAME_MS / 1000
        speech_frames = round((frame.t + FRAME_MS / 1000 - self._speech_start) * 1000) // FRAME_MS
        too_long = len(self._buf) >= _frames(o.max_segment_ms)
        if self._silence >= self._hangover or too_long:
            # trim the trailing silence but keep 100 ms of it
            trim = max(0, self._silence - _frames(100)) if not too_long else 0
            frames = self._buf[: len(self._buf) - trim] if trim else self._buf
            out.append(self._segment(frames, "final"))
            self._in_speech = False
            self._run = 0
            self._buf = []
            self._next_id += 1
            self._hangover = _frames(o.hangover_ms)
        elif self._silence == _frames(o.early_end_ms):
            out.append(self._segment(self._buf, "tentative"))
        elif o.pause_partial_ms and self._silence == _frames(o.pause_partial_ms):
            out.append(self._segment(self._buf, "partial"))
        elif speech_frames >= self._next_partial and self._silence < _frames(o.early_end_ms):
            # (in the silence after a tentative end a partial would add no word to judge)
            out.append(self._segment(self._buf, "partial"))
            self._next_partial = speech_frames + _frames(o.partial_every_ms)
        return out

    def _segment(self, frames: list[np.ndarray], stage: Stage) -> Segment:
        pcm = np.concatenate(frames) if frames else np.zeros(0, np.float32)
        return Segment(
            seg_id=self._next_id,
            start=self._seg_start,
            end=self._seg_start + pcm.size / SAMPLE_RATE,
            speech_start=self._speech_start,
            pcm=pcm,
            stage=stage,
            speech_end=self._speech_end,
        )
