"""Playout buffer: pulls in order, flushes at once, reports the words that were heard."""

from __future__ import annotations

import numpy as np

from audio.playout import Playout


def test_pull_flush_and_heard_text():
    p = Playout()
    p.push(np.ones(1000, np.float32), tag=1, text="one two three four")
    p.push(np.ones(1000, np.float32), tag=1, text="five six")
    assert p.pull(1500).sum() == 1500
    assert p.heard_text(1) == "one two three four five"  # half of the second chunk played
    p.flush()
    assert not p.busy
    assert p.pull(320).sum() == 0
    assert p.heard_text(1) == "one two three four five"


def test_nothing_played_nothing_heard():
    p = Playout()
    p.push(np.ones(100, np.float32), tag=2, text="hello")
    p.flush()
    assert p.heard_text(2) == ""


def test_duck_gain_scales_output():
    p = Playout(duck_gain=0.25)
    p.push(np.ones(10, np.float32), tag=0, text="x")
    assert np.allclose(p.pull(10), 0.25)
