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


def test_a_cut_chinese_clause_keeps_the_characters_played():
    """Chinese has no spaces: counted in words, the cut first clause of an answer was lost whole, and the
    history kept only "…" (which the 1.5B then answered with: "…")."""
    p = Playout()
    p.push(np.ones(1000, np.float32), tag=3, text="北京的历史很长，")
    p.push(np.ones(1000, np.float32), tag=3, text="可以追溯到三千年前。")
    assert p.pull(500).sum() == 500
    assert p.heard_text(3) == "北京的历"  # half of its 8 characters
    p.pull(1000)
    p.flush()
    assert p.heard_text(3) == "北京的历史很长，可以追溯到"  # and half of the next 10


def test_nothing_played_nothing_heard():
    p = Playout()
    p.push(np.ones(100, np.float32), tag=2, text="hello")
    p.flush()
    assert p.heard_text(2) == ""


def test_duck_ramps_down_within_one_frame_then_holds():
    p = Playout()
    p.push(np.ones(1000, np.float32), tag=0, text="x")
    p.duck_gain = 0.25
    first = p.pull(320)
    assert first[0] == 1.0 and np.isclose(first[-1], 0.25) and np.all(np.diff(first) <= 0)  # no click
    assert np.allclose(p.pull(320), 0.25)
    p.duck_gain = 1.0
    assert np.isclose(p.pull(320)[-1], 1.0)


def test_pause_keeps_the_place_and_resumes_with_a_ramp():
    p = Playout()
    p.push(np.ones(1000, np.float32), tag=1, text="one two three four")
    assert p.pull(200).min() == 1.0
    p.paused = True
    assert not p.pull(300).any() and p.busy and p.pending_s(1000) == 0.8, "silent, nothing consumed"
    p.paused = False
    back = p.pull(200)
    assert back[0] < 0.05 and back[-1] == 1.0, "ramps in from silence (no click)"
    assert p.pending_s(1000) == 0.6


def test_rewind_says_the_cut_word_again_within_its_chunk():
    p = Playout()
    p.push(np.arange(1000, dtype=np.float32), tag=1, text="a b c d")
    p.pull(600)
    p.paused = True
    assert p.pull(320).sum() == 0, "held: silent"
    p.paused = False
    p.rewind(200)
    assert p.pull(1)[0] == 0.0 and p._queue[0].played == 401, "(ramping in from silence) from sample 400"
    p.rewind(5000)
    assert p._queue[0].played == 0, "never before the chunk's start"


def test_only_audio_under_a_deep_duck_is_counted_as_lost():
    p = Playout()
    p.push(np.ones(16000, np.float32), tag=1, text="words")
    p.duck_gain = 0.3  # -10 dB: still heard
    p.pull(320), p.pull(320)
    assert p.take_lost() == 0
    p.duck_gain = 0.01  # -40 dB
    p.pull(320), p.pull(320), p.pull(320)
    assert p.take_lost() == 640, "the ramp frame down is not counted, the two after it are"
    assert p.take_lost() == 0


def _clauses(p: Playout, tag: int = 1) -> None:
    for i, words in enumerate(("one two", "three four", "five six", "seven eight")):
        p.push(np.full(1000, i + 1, np.float32), tag=tag, text=words)


def test_say_again_goes_back_to_the_start_of_the_marked_clause():
    """Played softly under other people's talk: once it ends, the clause it began over and those since are
    said again, and the words heard are counted once."""
    p = Playout()
    _clauses(p)
    p.pull(1500)  # all of "one two", half of "three four"
    p.mark()
    p.pull(1000)  # the rest of "three four", half of "five six": under the talk
    p.mark()  # (a later mark keeps the earliest)
    assert p.say_again(10_000) == 1000 + 500
    assert p.pull(1000).tolist() == [2.0] * 1000, "from the start of the marked clause"
    assert p.pull(1000).tolist() == [3.0] * 1000
    assert p.heard_text(1) == "one two three four five six"
    p.pull(1000)
    assert p.heard_text(1) == "one two three four five six seven eight" and not p.busy
    assert p.say_again(10_000) == 0, "the mark is used once"


def test_say_again_keeps_only_the_latest_clauses_within_its_cap():
    p = Playout()
    _clauses(p)
    p.pull(200)
    p.mark()
    p.pull(3500)  # into the fourth clause
    assert p.say_again(2000) == 1000 + 700, "the third clause and the played part of the fourth"
    assert p.pull(1).tolist() == [3.0]
    assert p.heard_text(1) == "one two three four"


def test_a_mark_with_nothing_playing_takes_the_next_clause_and_a_flush_drops_it():
    p = Playout()
    p.mark()
    _clauses(p)
    p.pull(2500)
    assert p.say_again(10_000) == 2500
    assert p.pull(1).tolist() == [1.0]
    p.mark()
    p.pull(600)
    p.flush()  # (a barge-in: nothing is said again)
    assert p.say_again(10_000) == 0 and not p.busy
