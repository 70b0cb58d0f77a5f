"""Whose voice a segment is (assistant/core/whose.py): each version embedded once, decisions kept."""

from __future__ import annotations

import numpy as np

from assistant.core.whose import Voices


class CountingEmbedder:
    """A test double of the speaker embedder: a voice's d-vector is its first sample's sign, counted."""

    def __init__(self) -> None:
        self.calls = 0

    def embed(self, pcm: np.ndarray) -> np.ndarray:
        self.calls += 1
        return np.array([1.0, 0.0] if pcm[0] > 0 else [0.0, 1.0], np.float32)


def test_a_version_is_embedded_once_for_both_cues():
    emb = CountingEmbedder()
    voices = Voices(emb)  # type: ignore[arg-type]
    me, them = np.full(8000, 0.1, np.float32), np.full(8000, -0.1, np.float32)
    w = voices.whose(me, 2, (1, them), {"driver": np.array([1.0, 0.0], np.float32)})
    assert w.other and w.other_near and w.speaker == "driver"
    assert emb.calls == 2, "the speech before and this version, each once (the gate reuses this one's vector)"


def test_a_reply_voice_decided_on_a_second_of_speech_is_kept():
    emb = CountingEmbedder()
    voices = Voices(emb)  # type: ignore[arg-type]
    them = np.full(8000, -0.1, np.float32)
    assert voices.whose(np.full(16000, 0.1, np.float32), 2, (1, them), {}).other
    calls = emb.calls
    assert voices.whose(np.full(20000, -0.1, np.float32), 2, (1, them), {}).other, "decided: kept"
    assert emb.calls == calls, "nothing embedded again"


def test_no_embedder_or_nothing_to_compare_gives_no_cue():
    assert Voices(None).whose(np.ones(100, np.float32), 1, None, {}) == Voices(None).whose(np.ones(1), None, None, {})
    emb = CountingEmbedder()
    assert not Voices(emb).whose(np.ones(100, np.float32), 1, None, {}).other and emb.calls == 0  # type: ignore[arg-type]
