"""Mandarin segments for the Mandarin monitor head: `Maker`'s recipe (assistant/training/monitor_data.py)
with Mandarin phrases (assistant/training/zh_phrases.py) said by reshaped Baker voices, a Mandarin TV,
and the assistant's own Mandarin voice leaking back."""

from __future__ import annotations

import numpy as np

from assistant.bench.zh_items import ZhVoice
from assistant.training import zh_phrases
from assistant.training.monitor_data import Maker


class ZhMaker(Maker):
    lines = zh_phrases.ZH_ASSISTANT_LINES
    tv = zh_phrases.ZH_TV_LINES

    def phrases(self, kind: str) -> list[tuple[str, int]]:
        return zh_phrases.phrases(kind, self.val)

    def speak(self, text: str, rng: np.random.Generator, val: bool) -> np.ndarray:
        clip = ZhVoice(*zh_phrases.zh_voice(rng, val)).say(text)
        loud = np.flatnonzero(np.abs(clip) > 0.02 * (np.abs(clip).max() + 1e-9))
        return clip[loud[0] : loud[-1] + 1] if loud.size else clip
