"""Words already heard: a version that only adds silence reuses the transcript; anything else is heard anew."""

from __future__ import annotations

import numpy as np

from assistant.core.ears import Ears
from models.whisper import Encoded, Transcript


class CountingEncoder:
    """A test double of the Whisper encoder: counts encodes, 'transcribes' the number of samples."""

    def __init__(self) -> None:
        self.encodes = 0

    def encode(self, pcm: np.ndarray) -> Encoded:
        self.encodes += 1
        return Encoded(np.zeros((1, 384), np.float32), pcm.size / 16000, -30.0, None)

    def transcribe(self, enc: Encoded, context: str = "") -> Transcript:
        return Transcript(f"{enc.seconds:.2f} s after {context!r}", 0.01, -0.1)


def test_a_version_that_only_adds_silence_reuses_what_was_heard():
    rng = np.random.default_rng(0)
    words = (0.1 * rng.standard_normal(16000)).astype(np.float32)
    longer = np.concatenate([words, 0.003 * rng.standard_normal(2000).astype(np.float32)])
    enc = CountingEncoder()
    ears = Ears(enc)  # type: ignore[arg-type]
    first = ears.words(words, "hello")
    assert ears.known(longer, "hello", voiced=16000) == first, "the VAD heard nothing after the words"
    assert ears.words(longer, "hello", voiced=16000) == first and enc.encodes == 1
    assert ears.known(longer, "hello", voiced=16640) is None, "a voiced frame after the words: heard anew"
    assert ears.known(longer, "hello") is None, "all of it voiced: heard anew"
    assert ears.known(longer, "other words before", voiced=16000) is None, "another previous text"
    other = longer.copy()
    other[5] += 0.01
    assert ears.known(other, "hello", voiced=16000) is None, "other audio"
    assert ears.words(longer, "hello").text == "1.12 s after 'hello'" and enc.encodes == 2
    assert ears.reused == 2


class ScriptedMultilingual:
    """A test double of Whisper base multilingual: the language it reads is scripted, one per reading
    among several languages (a reading told the language, `allowed` of one, is that language)."""

    def __init__(self, *reads: tuple[str, float]) -> None:
        self.reads = list(reads)
        self.readings = 0

    def encode(self, pcm: np.ndarray, allowed: tuple[str, ...] = ("zh", "en")):  # noqa: ANN201
        from models.whisper_multi import Heard

        if len(allowed) == 1:
            return Heard(allowed[0], 1.0, pcm.size / 16000, None)
        self.readings += 1
        lang, p = self.reads.pop(0)
        return Heard(lang, p, pcm.size / 16000, None)

    def transcribe(self, heard, context: str = "") -> Transcript:  # noqa: ANN001
        return Transcript("等等，一斤是多少克？", 0.01, -0.1, "zh")


def test_an_unsure_first_reading_of_the_language_is_read_again_on_the_next_version():
    multi = ScriptedMultilingual(("en", 0.75), ("zh", 0.98))
    ears = Ears(CountingEncoder(), multi)  # type: ignore[arg-type]
    pcm = np.random.default_rng(0).normal(0, 0.1, 32000).astype(np.float32)
    both = ("zh", "en")
    assert ears.words(pcm[:9600], languages=both).language == "en", "0.6 s, unsure: English for now"
    assert ears.words(pcm[:16000], languages=both).language == "zh", "read again: Mandarin, sure"
    assert ears.words(pcm, languages=both).language == "zh"
    assert (multi.readings, ears.detected, ears.inherited) == (2, 2, 1), "decided on the sure reading, kept after"
