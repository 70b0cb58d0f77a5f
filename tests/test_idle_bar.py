"""The idle bar (`[policy] idle_min_p_query`): a verdict leaning to query but unsure is not answered while
the assistant is idle; pure rules, no models (the helpers of test_turns.py)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from test_turns import POLICY, QUIET, judged, kinds, seg

from assistant.core.actions import Draft, Ignore, Now, Release, Swap
from assistant.core.turns import TurnTaker


@pytest.mark.parametrize(("p", "answered"), [(0.45, False), (0.59, False), (0.6, True), (0.9, True)])
def test_an_idle_query_is_answered_only_at_the_bar(p: float, answered: bool):
    tt = TurnTaker(POLICY)
    acts = judged(tt, seg(0, "final", end=2.4), "query", p, 2.5, QUIET)
    if answered:
        assert kinds(acts) == [Swap, Draft, Release]
    else:
        assert acts == [Ignore(0, "unsure", p)]


def test_the_bar_is_a_policy_and_zero_turns_it_off():
    tt = TurnTaker(replace(POLICY, idle_min_p_query=0.0))
    assert kinds(judged(tt, seg(0, "final", end=2.4), "query", 0.4, 2.5, QUIET)) == [Swap, Draft, Release]


def test_an_unsure_tentative_end_drafts_nothing_and_its_final_is_ignored():
    tt = TurnTaker(POLICY)
    assert judged(tt, seg(0, "tentative", end=2.16, speech_end=2.0), "query", 0.5, 2.2, QUIET) == []
    final = seg(0, "final", end=2.4, speech_end=2.0)
    assert tt.admit(final, Now(2.5, QUIET))
    acts = tt.on_segment(final, Now(2.5, QUIET))
    assert not any(isinstance(a, (Draft, Release)) for a in acts)


def _side(tt: TurnTaker, sid: int, t: float) -> None:
    assert judged(tt, seg(sid, "final", end=t, start=t - 1.0), "side", 0.8, t + 0.1, QUIET)[0].reason == "not addressed"


def test_after_people_talked_nearby_an_idle_query_needs_more():
    tt = TurnTaker(POLICY)
    for k in range(POLICY.talk_segments):  # a conversation near the idle assistant
        _side(tt, k, 2.0 + 2 * k)
    n = POLICY.talk_segments
    t = 2.0 + 2 * n
    p = (POLICY.idle_min_p_query + POLICY.talk_min_p_query) / 2
    assert judged(tt, seg(n, "final", end=t + 1, start=t), "query", p, t + 1.1, QUIET) == [Ignore(n, "unsure", p)]
    late = t + POLICY.talk_window_s + 5  # long after the talk: the usual bar
    assert kinds(judged(tt, seg(n + 1, "final", end=late + 1, start=late), "query", p, late + 1.1, QUIET)) == \
        [Swap, Draft, Release]


def test_fewer_side_remarks_do_not_raise_the_bar():
    tt = TurnTaker(POLICY)
    for k in range(POLICY.talk_segments - 1):
        _side(tt, k, 2.0 + 2 * k)
    n = POLICY.talk_segments - 1
    assert kinds(judged(tt, seg(n, "final", end=9.0, start=8.0), "query", 0.7, 9.1, QUIET)) == [Swap, Draft, Release]


def test_right_after_side_talk_an_idle_query_needs_more():
    """Speech that begins within `exchange_window_s` of a remark ignored as side talk may be its reply
    ("Mia, what did the doctor say?" "Nothing serious, just rest for a week."): it needs the talk bar."""
    tt = TurnTaker(POLICY)
    _side(tt, 0, 3.0)
    p = (POLICY.idle_min_p_query + POLICY.talk_min_p_query) / 2
    soon = 2.9 + POLICY.exchange_window_s - 0.5
    assert judged(tt, seg(1, "final", end=soon + 2, start=soon), "query", p, soon + 2.1, QUIET) == [Ignore(1, "unsure", p)]
    later = soon + 2 + POLICY.exchange_window_s + 1.0  # a pause longer than people leave between turns
    assert kinds(judged(tt, seg(2, "final", end=later + 2, start=later), "query", p, later + 2.1, QUIET)) == \
        [Swap, Draft, Release]
