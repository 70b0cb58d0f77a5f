"""People talking to each other: speech that began right after other speech may answer it (a talk the
assistant is not part of, idle or over its answer), and a question another voice takes up was not for
the assistant — its answer is let go, and the answer that question had cut goes on."""

from __future__ import annotations

import assistant.core.actions as do
from assistant.core.turns.state import LIVE_REPLIES_KEPT, TAKEN_UP_MIN_S, Asked, Mark, Pair
from assistant.core.turns.volume import Volume
from audio.segmenter import Segment


class PeopleTalking(Volume):
    def _answering(self, sid: int, prev: int) -> None:
        """Segment `sid` began soon after `prev` ended: it may answer it (one more turn of a talk)."""
        self._answers = Pair(sid, prev)
        self._turns = {k: v for k, v in self._turns.items() if k >= sid - LIVE_REPLIES_KEPT}
        self._turns[sid] = self._turns.get(prev, 0) + 1

    def _talked_over(self, seg: Segment, token: str) -> None:
        """A version of speech over the answer is judged not for the assistant (said to someone, or not
        sure): once it is long enough to have a voice (its own echo's bits are shorter), speech beginning
        soon after its end may be someone answering it."""
        if token != "noise" and seg.stage != "partial" and seg.speech_end - seg.speech_start >= TAKEN_UP_MIN_S:
            self._talk_over = Mark(seg.seg_id, seg.speech_end)

    def _after_talk(self, seg: Segment) -> None:
        """Speech over the answer that began within `exchange_window_s` after such talk ended is judged
        with it at hand (`after_voice`): another voice then is people talking to each other over the
        answer ("Where are my keys?" "Under the map."), not a barge-in. (A question the speech may take
        up, the assistant's own, keeps its place.)"""
        talk, sid = self._talk_over, seg.seg_id
        if self._answers.seg != sid and talk.seg != sid and \
                0 <= seg.speech_start - talk.t <= self.policy.exchange_window_s:
            self._answering(sid, talk.seg)

    def _awaited(self, seg: Segment) -> bool:
        """An answer waits on this segment's voice, and it has enough speech to tell."""
        speech_ms = (seg.end - seg.speech_start) * 1000
        return self._deferred is not None and self._deferred.waits_on == seg.seg_id and \
            speech_ms >= self.policy.barge_in_min_speech_ms

    def _in_conversation(self, sid: int) -> bool:
        """Two turns or more of talk came right before this one (each soon after the last), or the one
        right before was said to someone else: a reply in a talk between people."""
        if self._answers.seg != sid:
            return False
        prev = self._answers.other
        early = self._early.get(prev)
        return self._turns.get(sid, 0) >= 2 or prev in self._aside or (early is not None and early.token == "side")

    def _taking_up(self, ended: float, onset: float) -> bool:
        """Could speech beginning at `onset` be a reply to a question whose speech ended at `ended`?"""
        return self.policy.taken_up_withdraws and 0 <= onset - ended <= self.policy.exchange_window_s

    def _taken_up(self, sid: int, token: str, other_voice: bool) -> list[do.Action]:
        """Another voice took the question up (not asking the assistant itself): let its answer go.
        (This speech is then decided as usual: not a query, it is ignored.)"""
        if not other_voice or token == "query":
            return []
        if self._deferred is not None and self._deferred.waits_on == sid:  # its answer was waiting on this speech
            asked, rec = self._deferred.seg, self._deferred.early
            self._deferred = None
            if rec.reply is None or rec.reply not in self._live:
                return []
            self._forget(rec.reply)
            return [do.Withdraw(asked, rec.reply, sid), *self._resume(asked)]
        asked, reply = self._asked.seg, self._asked.reply
        if self._answers != Pair(sid, asked) or reply is None or reply != self._reply:
            return []
        self._forget(reply)  # its answer is playing (held at this speech's onset): cut it
        self._asked = Asked()
        return [do.Withdraw(asked, reply, sid), *self._unduck(), *self._resume(asked)]

    def _resume(self, asked: int) -> list[do.Action]:
        """The withdrawn question had cut an answer (a barge-in, not for the assistant after all): its rest
        is said, from the sentence it was cut in (`resume_cut_answer`)."""
        if self._cut_by.seg != asked or not self.policy.resume_cut_answer:
            return []
        cut, self._cut_by = self._cut_by.other, Pair()
        return [do.Resume(self._new_reply(), cut)]

    def _undefer(self, sid: int, token: str) -> list[do.Action]:
        """The speech an answer waited on is judged, not another voice taking the question up: a query
        (the user went on asking) lets the waiting answer go; anything else releases it. (A partial
        judged for its voice alone releases it whatever it reads as: its end decides the rest.)"""
        if self._deferred is None or self._deferred.waits_on != sid:
            return []
        asked, rec = self._deferred.seg, self._deferred.early
        self._deferred = None
        if rec.reply is None or rec.reply not in self._live:
            return []
        if token == "query":
            return self._drop(rec.reply)
        self._asked = Asked(asked, rec.speech_end, rec.reply)
        return [do.Release(asked, rec.reply, rec.text)]
