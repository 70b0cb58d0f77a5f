"""People talking to each other over a playing answer: speech that begins right after talk over the answer
(judged not for the assistant, long enough to have a voice) is judged with that talk at hand, so another
voice answering it leans to side talk instead of cutting the answer. Pure rules, no models."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.core.actions import Interrupt, Judge, Now
from assistant.core.options import PolicyOptions
from assistant.core.turns import TurnTaker
from audio.segmenter import Segment, SpeechOnset

POLICY = PolicyOptions()
TALKING = True


def version(sid: int, stage: str, start: float, speech_s: float) -> Segment:
    """A version of segment `sid` whose speech runs `speech_s` from `start` (0.2 s of silence after it)."""
    end = start + speech_s + 0.2
    return Segment(sid, start - 0.2, end, start, np.zeros(16, np.float32), stage,  # type: ignore[arg-type]
                   start + speech_s)


def answering() -> TurnTaker:
    """Rules with an answer playing, asked by a typed turn (no spoken question it could take up)."""
    tt = TurnTaker(POLICY)
    tt.on_typed("tell me a story", Now(0.0, False))
    return tt


def over_answer(tt: TurnTaker, sid: int, start: float, speech_s: float, token: str, p: float = 0.9) -> list:
    """Speech over the answer, its final judged `token`: the judge requests' (after_voice, conversation)."""
    tt.on_onset(SpeechOnset(sid, start), Now(start, TALKING))
    final = version(sid, "final", start, speech_s)
    assert tt.admit(final, Now(final.end, TALKING))
    judges = [a for a in tt.on_segment(final, Now(final.end, TALKING)) if isinstance(a, Judge)]
    tt.on_judged(final, "words", token, p, Now(final.end + 0.1, TALKING))
    return [(j.after_voice, j.conversation) for j in judges]


def test_a_reply_to_talk_over_the_answer_is_judged_with_that_talk_at_hand():
    tt = answering()
    assert over_answer(tt, 1, 3.0, 1.5, "side") == [(None, False)], "the first line answers nothing heard"
    assert over_answer(tt, 2, 5.0, 1.2, "side") == [(1, False)], "0.5 s after the first line: it may answer it"
    assert over_answer(tt, 3, 6.8, 1.0, "side") == [(2, True)], "the third turn of that talk: a conversation"


@pytest.mark.parametrize("token, speech_s, gap_s, why", [
    ("noise", 1.5, 0.5, "noise over the answer is not talk anyone answers"),
    ("side", 0.6, 0.5, "too short to have a voice (its own echo's bits, often)"),
    ("side", 1.5, POLICY.exchange_window_s + 0.5, "begun long after the talk ended: a new start"),
])
def test_speech_after_noise_short_bits_or_long_gaps_is_judged_alone(token, speech_s, gap_s, why):
    tt = answering()
    over_answer(tt, 1, 3.0, speech_s, token)
    assert over_answer(tt, 2, 3.0 + speech_s + gap_s, 1.2, "side") == [(None, False)], why


def test_an_unsure_query_over_the_answer_is_talk_a_reply_may_answer():
    tt = answering()
    over_answer(tt, 1, 3.0, 1.5, "query", p=POLICY.barge_in_min_p_query - 0.1)  # ignored as unsure
    assert over_answer(tt, 2, 5.0, 1.2, "side") == [(1, False)]


def test_speech_right_after_a_barge_in_that_cut_the_answer_is_not_judged_as_its_reply():
    """A confident partial, judged as talk at its tentative end, then a query on the final: the user's turn
    — not talk that the next speech over the new answer may answer."""
    tt = answering()
    tent = version(1, "tentative", 3.0, 1.5)
    tt.on_onset(SpeechOnset(1, 3.0), Now(3.0, TALKING))
    tt.admit(tent, Now(tent.end, TALKING))
    tt.on_segment(tent, Now(tent.end, TALKING))
    tt.on_judged(tent, "so what", "side", 0.6, Now(tent.end + 0.1, TALKING))
    final = version(1, "final", 3.0, 1.5)
    tt.admit(final, Now(final.end, TALKING))
    tt.on_segment(final, Now(final.end, TALKING))
    acts = tt.on_judged(final, "so what is the time", "query", 0.95, Now(final.end + 0.1, TALKING))
    assert any(isinstance(a, Interrupt) for a in acts), "a confident query final cuts the answer"
    tt.on_typed("the answer to it plays", Now(5.0, False))
    assert over_answer(tt, 2, 5.2, 1.2, "side") == [(None, False)]
