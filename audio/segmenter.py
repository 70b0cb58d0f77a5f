"""Speech segmenter: VAD probabilities with hysteresis → onset, partial segments, final segment.

Partial segments let the monitor decide while the user is still talking (barge-in); one more is
cut after `pause_partial_ms` of silence (every word so far: transcribed while the tentative end is
awaited); a tentative end after `early_end_ms` of silence lets the core prepare an answer during
the hangover; the final one closes the segment after `hangover_ms` of silence.

A segment also ends after `foreground_hangover_ms` of sound `foreground_drop_db` below the voice
that holds it, even if the VAD still hears speech: a request over a café's babble ends when the
requester stops, not when the babble does. The voice's level is a high percentile of the segment's
speech frames, a frame's the mean power of the last 100 ms. (Longer than the hangover: in a quiet
room the VAD's silence ends a turn first, and a quiet stretch inside a sentence never does.)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from audio.frames import FRAME_MS, SAMPLE_RATE, AudioFrame, speech_level_db

# the segment's voice: this percentile of its speech frames' levels (dB). At 80 a sentence's soft last words
# ("… population | of Spain?", 8–12 dB under its stressed first syllables) ended the segment as background:
# 2 of the QA bench's 62 tune-half questions lost their last words; at 70 none did, and no request over
# babble ended later (the rooms bench's tune requests); at 60 babble 10 dB under a request held it open
FOREGROUND_PERCENTILE = 70.0
LEVEL_MEAN_FRAMES = 5  # a frame's level: the mean power of the last this many frames (100 ms)
FLOOR_DB = -120.0
BACKGROUND_KEPT_MS = 300  # ms of the background kept at the end of a segment its voice ended


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
    # dB below the segment's voice (FOREGROUND_PERCENTILE of its speech frames' levels) at which a
    # frame is background even if the VAD hears speech (babble, a TV behind the user); 0: off
    foreground_drop_db: float = 8.0
    foreground_hangover_ms: int = 600  # ms of background only that end the segment

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
        if self.foreground_drop_db < 0:
            raise ValueError("foreground_drop_db must be at least 0 (0: off)")
        if self.foreground_hangover_ms < self.hangover_ms:
            raise ValueError("foreground_hangover_ms must be at least hangover_ms")


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
    # sound with no pause at all for max_segment_ms: a final closed by that cap, or one that began
    # where such a final was cut, before any pause (babble, a TV going on)
    capped: bool = False

    @property
    def voiced(self) -> int:
        """Samples of `pcm` up to the end of its last voiced frame (the rest is silence)."""
        return min(self.pcm.size, max(0, round((self.speech_end - self.start) * SAMPLE_RATE)))

    @property
    def level_db(self) -> float:
        """The level of its speech (dBFS; pauses and the silence after it left out)."""
        return speech_level_db(self.pcm[: self.voiced])

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
        self._quiet = 0  # consecutive frames of speech far below the segment's voice (background)
        self._endless = False  # the last segment was cut at max_segment_ms and no pause has come since
        self._continues = False  # the current segment began so: it goes on with that sound
        self._lull = 0  # consecutive silent frames between segments
        self._next_id = 0
        self._seg_start = 0.0
        self._speech_start = 0.0
        self._speech_end = 0.0
        self._next_partial = 0
        self._hangover = _frames(self.options.hangover_ms)  # silent frames that end the current segment
        self._power: list[float] = []  # the last frames' mean square (the running level)
        self._voice: list[float] = []  # levels (dB) of the current segment's speech frames

    @property
    def in_speech(self) -> bool:
        return self._in_speech

    def extend(self, seg_id: int, hangover_ms: int) -> None:
        """Let the current segment `seg_id` end only after `hangover_ms` of silence (a sentence that
        sounds unfinished: the speaker is looking for a word). No effect once it has ended."""
        if self._in_speech and seg_id == self._next_id:
            self._hangover = max(self._hangover, _frames(hangover_ms))

    def _level(self, pcm: np.ndarray) -> float:
        """The running level (dB) with this frame: the mean power of the last LEVEL_MEAN_FRAMES."""
        self._power = [*self._power[-(LEVEL_MEAN_FRAMES - 1):], float(np.mean(pcm.astype(np.float64) ** 2))]
        return 10 * np.log10(sum(self._power) / len(self._power) + 1e-12)

    def _under_voice(self, p_speech: float, level: float) -> bool:
        """Is this (speech) frame far below the segment's voice? A frame that is not, and is surely
        speech, joins the voice's levels."""
        o = self.options
        if not o.foreground_drop_db:
            return False
        below = bool(self._voice) and level < float(np.percentile(self._voice, FOREGROUND_PERCENTILE)) - o.foreground_drop_db
        if p_speech >= o.onset_threshold and not below:  # (the background under it is not the voice)
            self._voice.append(level)
        return below

    def push(self, frame: AudioFrame, p_speech: float) -> list[SpeechOnset | Segment]:
        out: list[SpeechOnset | Segment] = []
        o = self.options
        level = self._level(frame.pcm) if o.foreground_drop_db else FLOOR_DB
        if not self._in_speech:
            self._lull = self._lull + 1 if p_speech < o.offset_threshold else 0
            if self._lull >= _frames(o.hangover_ms):
                self._endless = False  # a pause: what comes next is not the same sound going on
            self._pre.append(frame.pcm)
            keep = _frames(o.preroll_ms) + _frames(o.min_speech_ms)
            del self._pre[:-keep]
            self._run = self._run + 1 if p_speech >= o.onset_threshold else 0
            if self._run >= _frames(o.min_speech_ms):
                self._in_speech = True
                self._silence = self._quiet = 0
                self._voice = []
                self._continues = self._endless
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
        # speech heard all along, none of it the segment's voice: babble, a TV behind the user
        self._quiet = self._quiet + 1 if p_speech >= o.offset_threshold and self._under_voice(p_speech, level) else 0
        if self._silence == 0:
            self._speech_end = frame.t + FRAME_MS / 1000
        speech_frames = round((frame.t + FRAME_MS / 1000 - self._speech_start) * 1000) // FRAME_MS
        too_long = len(self._buf) >= _frames(o.max_segment_ms)
        # (an unfinished sentence waits as long)
        voice_gone = o.foreground_drop_db > 0 and self._quiet >= max(_frames(o.foreground_hangover_ms), self._hangover)
        if self._silence >= self._hangover or too_long or voice_gone:
            # trim the trailing silence but keep 100 ms of it (of background: 300 ms, the voice's last
            # syllable may be as quiet as what goes on under it)
            after = 0 if too_long else self._silence - _frames(100) if self._silence >= self._hangover else \
                self._quiet - _frames(BACKGROUND_KEPT_MS)
            trim = max(0, after)
            frames = self._buf[: len(self._buf) - trim] if trim else self._buf
            if voice_gone and self._silence < self._hangover:
                self._speech_end = self._seg_start + sum(f.size for f in frames) / SAMPLE_RATE
            cut = too_long and not voice_gone and self._silence < self._hangover
            out.append(self._segment(frames, "final", capped=cut or self._continues))
            self._endless, self._lull = cut, 0
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

    def _segment(self, frames: list[np.ndarray], stage: Stage, capped: bool = False) -> Segment:
        pcm = np.concatenate(frames) if frames else np.zeros(0, np.float32)
        return Segment(
            seg_id=self._next_id,
            start=self._seg_start,
            end=self._seg_start + pcm.size / SAMPLE_RATE,
            speech_start=self._speech_start,
            pcm=pcm,
            stage=stage,
            speech_end=self._speech_end,
            capped=capped,
        )
