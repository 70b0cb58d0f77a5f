"""Speech over a playing answer that ended shorter than `barge_in_min_query_ms` cannot cut it (the bits of
its own echo past the canceller are that short), unless its words ask it to stop. Pure rules, no models."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.core.actions import Ignore, Interrupt, Now, Pause, Swap, Unduck
from assistant.core.options import PolicyOptions
from assistant.core.stop_words import asks_to_stop
from assistant.core.turns import TurnTaker
from audio.segmenter import Segment, SpeechOnset

POLICY = PolicyOptions()
ONSET = 3.0  # s, when the speech over the answer begins


def version(stage: str, speech_s: float) -> Segment:
    end = ONSET + speech_s + 0.2
    return Segment(1, ONSET - 0.2, end, ONSET, np.zeros(16, np.float32), stage,  # type: ignore[arg-type]
                   ONSET + speech_s)


def over_answer(words: str, speech_s: float, p: float = 0.9) -> list:
    """An answer plays; speech of `speech_s` over it, a confident query partial (pausing the answer),
    then its final judged `query` at `p`: the final's actions."""
    tt = TurnTaker(POLICY)
    tt.on_typed("tell me a story", Now(0.0, False))
    tt.on_onset(SpeechOnset(1, ONSET), Now(ONSET, True))
    part = version("partial", max(speech_s, POLICY.barge_in_min_speech_ms / 1000))
    assert tt.admit(part, Now(part.end, True))
    tt.on_segment(part, Now(part.end, True))
    assert Pause(1, 0, p) in tt.on_judged(part, words, "query", p, Now(part.end + 0.1, True)), "paused, not cut"
    final = version("final", speech_s)
    assert tt.admit(final, Now(final.end + 0.2, True))
    tt.on_segment(final, Now(final.end + 0.2, True))
    return tt.on_judged(final, words, "query", p, Now(final.end + 0.3, True))


@pytest.mark.parametrize("words, speech_s", [("Let's go!", 0.34), ("Jump!", 0.26), ("Sorry.", 0.32)])
def test_a_bit_of_speech_judged_a_query_does_not_cut_the_answer(words, speech_s):
    acts = over_answer(words, speech_s)
    assert not any(isinstance(a, (Interrupt, Swap)) for a in acts), "its own echo's length: not a barge-in"
    assert Unduck(1) in acts and Ignore(1, "unsure", 0.9) in acts, "the paused answer goes on"


@pytest.mark.parametrize("words, speech_s", [("Stop.", 0.3), ("Wait!", 0.26), ("停！", 0.3),
                                             ("What time is it?", POLICY.barge_in_min_query_ms / 1000 + 0.1)])
def test_a_short_stop_or_a_longer_query_cuts_the_answer(words, speech_s):
    acts = over_answer(words, speech_s)
    assert Interrupt(1, 0) in acts and Swap() in acts


@pytest.mark.parametrize("text, stops", [
    ("Stop.", True), ("OK, stop.", True), ("Hold on.", True), ("Wait a second.", True), ("Never mind.", True),
    ("Please stop talking.", True), ("等一下。", True), ("别说了！", True), ("停", True),
    ("Let's go!", False), ("Sorry.", False), ("Stop there, what time is it?", False), ("That's good.", False),
    ("Bus stop.", False), ("等一下北京天气怎么样", False),
])
def test_words_that_ask_it_to_stop(text, stops):
    assert asks_to_stop(text) is stops
