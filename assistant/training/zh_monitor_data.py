"""Mandarin segments for the Mandarin monitor head: `Maker`'s recipe (assistant/training/monitor_data.py)
with Mandarin phrases (assistant/training/zh_phrases.py) said by reshaped Baker voices, a Mandarin TV,
and the assistant's own Mandarin voice leaking back."""

from __future__ import annotations

from functools import cache

import numpy as np

from assistant.training import zh_phrases
from assistant.training.monitor_data import Maker
from models.zh_tts import BakerVoice


@cache
def _baker() -> BakerVoice:
    return BakerVoice(quiet=True)


class ZhMaker(Maker):
    lines = zh_phrases.ZH_ASSISTANT_LINES
    tv = zh_phrases.ZH_TV_LINES

    def phrases(self, kind: str) -> list[tuple[str, int]]:
        return zh_phrases.phrases(kind, self.val)

    def speak(self, text: str, rng: np.random.Generator, val: bool) -> np.ndarray:
        clip = _baker().shaped(text, *zh_phrases.zh_voice(rng, val))
        loud = np.flatnonzero(np.abs(clip) > 0.02 * (np.abs(clip).max() + 1e-9))
        return clip[loud[0] : loud[-1] + 1] if loud.size else clip
