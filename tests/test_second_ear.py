"""The second ear on the real models: words tiny.en mishears at a pause are heard again by Whisper base.

The voices and questions are the QA bench's tune half (assistant/bench/qa_items.py), where tiny.en
wrote "CalArges, Germany." (confidence −0.76).
"""

from __future__ import annotations

import numpy as np

from assistant.bench.voices import Voice
from audio import synth
from audio.frames import SAMPLE_RATE

PAUSE_S = 0.2  # s of silence after the words (a pause partial holds ≥ 40 ms)


def _at_a_pause(voice: Voice, text: str, level_dbfs: float) -> tuple[np.ndarray, int]:
    speech = synth.at_level(voice.say(text), level_dbfs)
    pcm = np.concatenate([np.zeros(SAMPLE_RATE // 5, np.float32), speech, np.zeros(int(PAUSE_S * SAMPLE_RATE), np.float32)])
    return pcm, pcm.size - int(PAUSE_S * SAMPLE_RATE)


def test_misheard_words_are_heard_again_and_clear_ones_are_not(models):
    ears = models.judge.ears
    assert ears.second_ear is not None, "the embedded profile loads the second ear"
    before = ears.second
    pcm, voiced = _at_a_pause(Voice("flite", "slt", 1.0), "How large is Germany?", -20.0)
    tr = ears.words(pcm, voiced=voiced)
    assert tr.ear == "base" and "large" in tr.text.lower() and "germany" in tr.text.lower(), tr
    pcm, voiced = _at_a_pause(Voice("flite", "slt", 1.0), "What is the population of Spain?", -20.0)
    heard = ears.second
    tr = ears.words(pcm, voiced=voiced)
    assert tr.ear == "tiny.en" and ears.second == heard, f"sure words are not heard twice: {tr}"
    assert ears.second - before == 1
