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


class SecondEar:
    """A test double of Whisper base's English path: scripted words and confidence, counts its hearings."""

    def __init__(self, text: str, confidence: float) -> None:
        self.text, self.confidence, self.heard = text, confidence, 0

    def english(self, pcm: np.ndarray, context: str = "") -> Transcript:
        self.heard += 1
        return Transcript(self.text, 0.01, -0.1, "en", self.confidence)


class UnsureEncoder(CountingEncoder):
    def __init__(self, confidence: float) -> None:
        super().__init__()
        self.confidence = confidence

    def transcribe(self, enc: Encoded, context: str = "") -> Transcript:
        return Transcript("CalArges, Germany.", 0.01, -0.1, confidence=self.confidence)


def _settled() -> tuple[np.ndarray, int]:
    """Speech, then 0.2 s the VAD heard as silence (a pause partial's shape)."""
    pcm = np.random.default_rng(1).normal(0, 0.1, 19200).astype(np.float32)
    return pcm, 16000


def test_unsure_words_at_a_pause_are_heard_again_and_the_surer_words_kept():
    pcm, voiced = _settled()
    second = SecondEar("How large is Germany?", -0.2)
    ears = Ears(UnsureEncoder(-0.76), second_ear=second, second_below=-0.3)  # type: ignore[arg-type]
    tr = ears.words(pcm, voiced=voiced)
    assert (tr.text, tr.ear, round(tr.confidence, 2)) == ("How large is Germany?", "base", -0.2)
    assert tr.no_speech_prob == 0.01 and tr.avg_logprob == -0.1, "the head's cues stay tiny.en's"
    assert ears.known(pcm, voiced=voiced) == tr, "the final version reuses the words heard again"
    assert (second.heard, ears.second, ears.second_kept) == (1, 1, 1)


def test_the_second_ear_is_not_kept_when_it_is_less_sure():
    pcm, voiced = _settled()
    ears = Ears(UnsureEncoder(-0.5), second_ear=SecondEar("Call urges Germany.", -0.9), second_below=-0.3)  # type: ignore[arg-type]
    tr = ears.words(pcm, voiced=voiced)
    assert (tr.text, tr.ear) == ("CalArges, Germany.", "tiny.en") and (ears.second, ears.second_kept) == (1, 0)


def test_the_second_ear_hears_only_unsure_settled_english():
    pcm, voiced = _settled()
    for confidence, v, why in ((-0.1, voiced, "tiny.en was sure"), (-0.76, None, "speech goes on: a partial"),
                               (-0.76, pcm.size, "no silence after the words")):
        second = SecondEar("How large is Germany?", -0.2)
        ears = Ears(UnsureEncoder(confidence), second_ear=second, second_below=-0.3)  # type: ignore[arg-type]
        assert ears.words(pcm, voiced=v).ear == "tiny.en" and second.heard == 0, why
    none = Ears(UnsureEncoder(-0.76))  # type: ignore[arg-type]
    assert none.words(pcm, voiced=voiced).ear == "tiny.en", "no second ear loaded"


def test_words_heard_before_the_pause_are_heard_again_once_the_pause_comes():
    pcm, voiced = _settled()
    second = SecondEar("How large is Germany?", -0.2)
    enc = UnsureEncoder(-0.76)
    ears = Ears(enc, second_ear=second, second_below=-0.3)  # type: ignore[arg-type]
    words = pcm[:voiced]
    assert ears.words(words, voiced=voiced).ear == "tiny.en", "speech goes on: tiny.en's words"
    tr = ears.words(pcm, voiced=voiced)
    assert (tr.text, tr.ear) == ("How large is Germany?", "base") and enc.encodes == 1, "only silence added: heard again"
    assert ears.known(pcm, voiced=voiced) == tr and second.heard == 1, "the final reuses it, heard again once"
    unsure = Ears(UnsureEncoder(-0.5), second_ear=SecondEar("Call urges.", -0.9), second_below=-0.3)  # type: ignore[arg-type]
    unsure.words(words, voiced=voiced)
    for _ in range(2):
        assert unsure.words(pcm, voiced=voiced).ear == "tiny.en"
    assert unsure.second == 1, "base less sure: not asked again for the same words"
