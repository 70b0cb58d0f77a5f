"""User voices for the spoken-QA bench: three TTS families, ten voices, two disjoint halves.

The `held` voices (and the `held` requests of assistant/bench/qa_items.py) are never used to
tune a prompt, a threshold or a training run: they are how the bench checks it still measures.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Literal

import numpy as np

from audio import synth
from audio.frames import to_mono_16k

Half = Literal["tune", "held"]


@dataclass(frozen=True)
class Voice:
    family: str  # "espeak" | "flite" | "piper"
    name: str
    speed: float = 1.0  # > 1 speaks faster
    pitch: int = 50  # espeak only

    @property
    def label(self) -> str:
        return f"{self.family}:{self.name}@{self.speed:g}"

    def say(self, text: str) -> np.ndarray:
        """16 kHz mono float32."""
        if self.family == "espeak":
            return synth.espeak(text, self.name, wpm=int(165 * self.speed), pitch=self.pitch)
        if self.family == "flite":
            return synth.flite(text, self.name, stretch=1 / self.speed)
        if self.family == "piper":
            return _piper(text, self.speed)
        raise ValueError(f"unknown TTS family {self.family!r}")


@cache
def _piper_voice():  # type: ignore[no-untyped-def]
    from piper import PiperVoice

    from models.tts import voice_path

    return PiperVoice.load(voice_path())


def _piper(text: str, speed: float) -> np.ndarray:
    from piper import SynthesisConfig

    v = _piper_voice()
    chunks = [c.audio_float_array for c in v.synthesize(text, syn_config=SynthesisConfig(length_scale=1 / speed))]
    return to_mono_16k(np.concatenate(chunks), int(v.config.sample_rate))


VOICES: dict[Half, tuple[Voice, ...]] = {
    "tune": (Voice("espeak", "en-us", 0.95), Voice("espeak", "en-gb+f2", 1.05, pitch=60),
             Voice("flite", "slt"), Voice("flite", "kal", 0.9), Voice("piper", "joe", 1.1)),
    "held": (Voice("espeak", "en-gb-scotland", 1.0, pitch=40), Voice("espeak", "en-029", 0.9),
             Voice("flite", "awb"), Voice("flite", "rms", 1.1), Voice("piper", "joe", 0.85)),
}
LEVELS_DBFS = (-20.0, -24.0, -28.0)  # a near talker, louder and softer
