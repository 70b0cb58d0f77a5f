"""The side-talk bench's listener: talk stretches silenced, words counted with their repeats."""

from __future__ import annotations

import numpy as np

from assistant.bench.listener import MASK_MARGIN_S, masked, recall, runs
from audio.frames import SAMPLE_RATE


def test_the_talk_and_its_margins_are_silenced_and_the_rest_kept():
    pcm = np.ones(3 * SAMPLE_RATE, np.float32)
    out = masked(pcm, [(1.0, 2.0)])
    quiet = np.flatnonzero(out == 0)
    assert quiet[0] == int((1.0 - MASK_MARGIN_S) * SAMPLE_RATE) and quiet[-1] == int((2.0 + MASK_MARGIN_S) * SAMPLE_RATE) - 1
    assert out[:SAMPLE_RATE // 2].all() and out[-SAMPLE_RATE // 2:].all() and pcm.all(), "the rest, and the input, kept"


def test_a_word_said_twice_must_be_heard_twice():
    assert recall("The sun is a star, the sun.", "the sun is a star") == (5, 7)
    assert recall("Bees make honey.", "bees make honey bees make honey") == (3, 3)
    assert recall("", "anything") == (0, 0)


def test_the_talks_runs_split_at_its_pauses_only():
    sr, rng = SAMPLE_RATE, np.random.default_rng(0)
    talk = np.concatenate([np.zeros(sr // 2), rng.standard_normal(sr), np.zeros(sr // 10), rng.standard_normal(sr // 2),
                           np.zeros(sr), 0.5 * rng.standard_normal(sr)]).astype(np.float32)
    (a0, b0), (a1, b1) = runs(talk)
    assert abs(a0 - 0.5) <= 0.02 and abs(b0 - 2.1) <= 0.02, "a 0.1 s pause does not unmask"
    assert abs(a1 - 3.1) <= 0.02 and abs(b1 - 4.1) <= 0.02
