"""The host's controls as turn rules (core/turns/): push-to-talk makes speech a query, a voice being
enrolled is no turn — pure, on virtual time, like test_turns.py."""

from __future__ import annotations

import numpy as np

from assistant.core.actions import Ignore, Now, Release
from assistant.core.options import PolicyOptions
from assistant.core.turns import TurnTaker
from assistant.core.turns.state import PTT_LEAD_S
from audio.segmenter import Segment

QUIET = False


def final(sid: int, start: float, end: float) -> Segment:
    return Segment(sid, start - 0.2, end, start, np.zeros(16, np.float32), "final", end - 0.1)  # type: ignore[arg-type]


def verdict(tt: TurnTaker, s: Segment, token: str, p: float) -> list:
    now = Now(s.end + 0.1, QUIET)
    assert tt.admit(s, now)
    tt.on_segment(s, now)
    return tt.on_judged(s, "words", token, p, now)


def test_speech_begun_while_push_to_talk_is_held_is_a_query_whatever_the_monitor_says():
    tt = TurnTaker(PolicyOptions())
    tt.on_push_to_talk(True, Now(1.0 + PTT_LEAD_S / 2, QUIET))  # (the thumb a little after the voice)
    acts = verdict(tt, final(1, 1.0, 2.5), "side", 0.95)
    assert any(isinstance(a, Release) for a in acts), acts
    tt.on_push_to_talk(False, Now(3.0, QUIET))
    acts = verdict(tt, final(2, 4.0, 5.0), "side", 0.95)
    assert acts == [Ignore(2, "not addressed", 0.95)], "released: the monitor decides again"


def test_a_press_long_after_the_speech_began_does_not_claim_it():
    tt = TurnTaker(PolicyOptions())
    tt.on_push_to_talk(True, Now(1.0 + PTT_LEAD_S * 2, QUIET))
    assert verdict(tt, final(1, 1.0, 2.5), "side", 0.9) == [Ignore(1, "not addressed", 0.9)]


def test_speech_while_a_voice_is_enrolled_is_no_turn():
    tt = TurnTaker(PolicyOptions())
    tt.on_enrolling(1.0)
    acts = verdict(tt, final(1, 1.5, 3.0), "query", 0.99)
    assert acts == [Ignore(1, "not addressed", 1.0)], acts
    tt.on_enrolling(1.0, 3.0)  # (enough speech: the enrolment ended with that segment)
    acts = verdict(tt, final(2, 4.0, 5.0), "query", 0.99)
    assert any(isinstance(a, Release) for a in acts), "after it, the next question is answered"
