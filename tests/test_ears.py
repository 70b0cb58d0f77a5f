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
