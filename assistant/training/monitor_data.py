"""Synthesised, labelled segments for the monitor head: what the segmenter hands the monitor.

- query: a near talker addressing the device (-32 to -18 dBFS), whole or cut after 0.4–1.2 s of
  speech (a barge-in partial), over a room floor or a noise bed at 5–30 dB SNR, sometimes in a
  small room, sometimes while the assistant's own voice leaks back quietly.
- side: people talking to each other: the same voices, further away (-38 to -24 dBFS, often
  band-limited and reverberant), same beds and cuts.
- noise: pink / road / hum / music / white beds, cafeteria babble, a TV or radio talking (words,
  but through a loudspeaker in a room, with music), and the assistant's own voice (Piper) coming
  back through a speaker → room → mic path while it speaks.
Every example is fixed by its seed; `val=True` draws held-apart phrases and voices.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np
from scipy import signal

from assistant.training.monitor_phrases import ASSISTANT_LINES, phrases, voice
from audio import synth
from audio.frames import SAMPLE_RATE, dbfs

ROOM_DBFS = -62.0  # quiet-room floor
PREROLL_S = 0.2  # s of sound before speech (the segmenter's pre-roll)
TAIL_S = 0.4  # s after speech (the hangover)
BEDS: dict[str, Callable[[float, np.random.Generator], np.ndarray]] = {
    "pink": synth.pink, "road": synth.brown, "hum": synth.hum, "music": synth.music, "white": synth.white,
}


@dataclass(frozen=True)
class Example:
    pcm: np.ndarray  # 16 kHz mono float32: one segment
    label: str  # query / noise / side
    kind: str  # finer kind for the report (e.g. "noise:tv", "query:partial")
    text: str  # what was said ("" for beds)
    saying: str  # what the assistant was saying meanwhile ("" = silent)
    family: int = -1  # phrase family (assistant/training/monitor_phrases.py); -1 for noise


def _fit(x: np.ndarray, n: int) -> np.ndarray:
    """Exactly n samples (durations in seconds round differently in each generator)."""
    return np.pad(x[:n], (0, max(0, n - x.size))).astype(np.float32)


def _speech(text: str, rng: np.random.Generator, val: bool) -> np.ndarray:
    clip = synth.espeak(text, **voice(rng, val))  # type: ignore[arg-type]
    loud = np.flatnonzero(np.abs(clip) > 0.02 * (np.abs(clip).max() + 1e-9))
    return clip[loud[0] : loud[-1] + 1] if loud.size else clip


def _room(x: np.ndarray, rng: np.random.Generator, rt_s: float) -> np.ndarray:
    """A small room: exponentially decaying noise tail (direct path kept)."""
    n = int(rt_s * SAMPLE_RATE)
    tail = rng.standard_normal(n) * np.exp(-np.arange(n) / (n / 6.9))
    tail[0] = 1 / 0.3
    return signal.fftconvolve(x, tail * 0.3 / np.sqrt(np.sum(tail**2)))[: x.size].astype(np.float32)


def _far(x: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A talker across the room: more reverberant and a little duller."""
    b, a = signal.butter(2, rng.uniform(3000, 6000) / (SAMPLE_RATE / 2))
    return _room(signal.lfilter(b, a, x).astype(np.float32), rng, rng.uniform(0.3, 0.6))


def _bed(kind: str, seconds: float, rng: np.random.Generator, val: bool,
         speak: Callable[[str, np.random.Generator, bool], np.ndarray] = _speech,
         texts: list[str] | None = None, tv: tuple[str, ...] = ()) -> np.ndarray:
    """A bed of noise; babble and TV are `speak`ing `texts` (a TV its own `tv` lines, if given)."""
    if kind in BEDS:
        return BEDS[kind](seconds, rng)
    texts = texts if texts is not None else [p for k in ("side", "query") for p, _ in phrases(k, val)]
    said = list(tv) if kind == "tv" and tv else texts
    talkers = [speak(str(rng.choice(said)), rng, val) for _ in range(4 if kind == "babble" else 2)]
    mix = synth.babble(talkers, seconds, rng)
    if kind == "tv":  # one programme through a loudspeaker in the room, music under it
        speech = synth.babble(talkers[:1], seconds, rng)
        mix = synth.distant(speech + synth.at_level(synth.music(seconds, rng), dbfs(speech) - 12), rng)
    return mix


class Maker:
    """Example synthesis; `echo(line)` returns the assistant's voice for a line (Piper, 16 kHz)."""

    lines: tuple[str, ...] = ASSISTANT_LINES  # what the assistant says when its voice leaks back
    tv: tuple[str, ...] = ()  # a TV's own lines (empty: the phrases)

    def __init__(self, echo: Callable[[str], np.ndarray], val: bool, seed: int) -> None:
        self.echo = echo
        self.val = val
        self.rng = np.random.default_rng(seed)
        self.queries, self.sides = self.phrases("query"), self.phrases("side")

    def phrases(self, kind: str) -> list[tuple[str, int]]:
        return phrases(kind, self.val)

    def speak(self, text: str, rng: np.random.Generator, val: bool) -> np.ndarray:
        return _speech(text, rng, val)

    def bed(self, kind: str, seconds: float) -> np.ndarray:
        texts = [p for p, _ in self.sides + self.queries]
        return _bed(kind, seconds, self.rng, self.val, self.speak, texts, self.tv)

    def _mix(self, speech: np.ndarray, level: float) -> tuple[np.ndarray, str]:
        rng = self.rng
        x = synth.at_level(speech, level)
        pcm = np.zeros(int(PREROLL_S * SAMPLE_RATE) + x.size + int(TAIL_S * SAMPLE_RATE), np.float32)
        synth.place(pcm, x, PREROLL_S)
        pcm += _fit(synth.at_level(synth.pink(pcm.size / SAMPLE_RATE, rng), ROOM_DBFS), pcm.size)
        if rng.random() < 0.6:
            kind = str(rng.choice([*BEDS, "babble"]))
            bed = self.bed(kind, pcm.size / SAMPLE_RATE)
            pcm += _fit(synth.at_level(bed, level - rng.uniform(5, 30)), pcm.size)
        saying = ""
        if rng.random() < 0.4:  # the assistant is talking meanwhile; a little of it leaks back
            saying = str(rng.choice(self.lines))
            own = self.echo(saying)[: pcm.size]
            pcm[: own.size] += synth.at_level(own, level - rng.uniform(12, 30))
        return pcm, saying

    def _cut(self, speech: np.ndarray) -> tuple[np.ndarray, bool]:
        if self.rng.random() < 0.3:  # a partial: the first 0.4–1.2 s of the speech
            n = int(self.rng.uniform(0.4, 1.2) * SAMPLE_RATE)
            return speech[:n], n < speech.size
        return speech, False

    def query(self) -> Example:
        text, family = self.queries[self.rng.integers(len(self.queries))]
        speech, partial = self._cut(self.speak(text, self.rng, self.val))
        if self.rng.random() < 0.3:
            speech = _room(speech, self.rng, self.rng.uniform(0.15, 0.35))
        pcm, saying = self._mix(speech, self.rng.uniform(-32, -18))
        return Example(pcm, "query", "query:partial" if partial else "query", text, saying, family)

    def side(self) -> Example:
        text, family = self.sides[self.rng.integers(len(self.sides))]
        speech, partial = self._cut(self.speak(text, self.rng, self.val))
        if self.rng.random() < 0.6:
            speech = _far(speech, self.rng)
        pcm, saying = self._mix(speech, self.rng.uniform(-38, -24))
        return Example(pcm, "side", "side:partial" if partial else "side", text, saying, family)

    def noise(self) -> Example:
        rng = self.rng
        kind = str(rng.choice([*BEDS, "babble", "tv", "tv", "own", "own"]))
        seconds = rng.uniform(1.0, 4.0)
        level = rng.uniform(-45, -20)
        saying = ""
        if kind == "own":  # its own voice through speaker → room → mic, 30–150 ms late, -6 to -20 dB
            saying = str(rng.choice(self.lines))
            own = self.echo(saying)
            b, a = signal.butter(2, rng.uniform(2500, 7000) / (SAMPLE_RATE / 2))
            own = _room(signal.lfilter(b, a, own).astype(np.float32), rng, rng.uniform(0.1, 0.3))
            start = int(rng.uniform(0, max(0.0, own.size / SAMPLE_RATE - seconds)) * SAMPLE_RATE)
            delay = np.zeros(int(rng.uniform(0.03, 0.15) * SAMPLE_RATE), np.float32)
            pcm = synth.at_level(np.concatenate([delay, own[start : start + int(seconds * SAMPLE_RATE)]]),
                                 -20 - rng.uniform(6, 20))
        else:
            pcm = synth.at_level(self.bed(kind, seconds), level)
        pcm = pcm + _fit(synth.at_level(synth.pink(pcm.size / SAMPLE_RATE, rng), ROOM_DBFS), pcm.size)
        return Example(pcm.astype(np.float32), "noise", f"noise:{kind}", "", saying)

    def examples(self, n_query: int, n_side: int, n_noise: int) -> Iterator[Example]:
        """Interleaved so a progress bar's partial results stay balanced."""
        order = ["query"] * n_query + ["side"] * n_side + ["noise"] * n_noise
        for k in self.rng.permutation(order):
            yield getattr(self, str(k))()
