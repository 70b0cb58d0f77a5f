"""Speech over a playing answer: long enough, it is judged as a barge-in; a confident query pauses the
answer, then interrupts it and swaps the replicas; anything else lets it play on (softly while the talk
goes on, said again after it)."""

from __future__ import annotations

import assistant.core.actions as do
from assistant.core.stop_words import asks_to_stop
from assistant.core.turns.idle import IdleTurn
from assistant.core.turns.state import REASON, Early, Held, Mark, Pair
from audio.segmenter import Segment


class BargeIn(IdleTurn):
    def _may_barge_in(self, seg: Segment, now: do.Now) -> bool:
        """Speech over the assistant (even if it has finished since) long enough to be judged."""
        speech_ms = (seg.end - seg.speech_start) * 1000
        over_it = now.speaking or seg.seg_id in self._barge
        return over_it and speech_ms >= self.policy.barge_in_min_speech_ms

    def _a_bit(self, seg: Segment, text: str) -> bool:
        """Speech that ended this short cannot cut the answer (the length of its own echo's bits), unless it
        asks to stop. (A partial's speech goes on: it may pause the answer, its end decides.)"""
        speech_ms = (seg.speech_end - seg.speech_start) * 1000
        return seg.stage != "partial" and speech_ms < self.policy.barge_in_min_query_ms and not asks_to_stop(text)

    def _barge_in(self, seg: Segment, text: str, token: str, p: float, now: do.Now) -> list[do.Action]:
        """Speech while the assistant talks: a confident query pauses, then interrupts and swaps."""
        sid = seg.seg_id
        if seg.final:
            self._barge.discard(sid)
        paused = self._paused == sid
        # a paused answer resumes as soon as the speech stops (a tentative end) and is not judged a
        # query: if the talk goes on, the next confident partial pauses it again
        resume = seg.final or (paused and seg.tentative)
        # after a confident partial paused the answer, a query verdict needs less: the evidence adds up
        bar = self.policy.barge_in_paused_min_p_query if paused else self.policy.barge_in_min_p_query
        if token == "query" and (p < bar or self._a_bit(seg, text)):
            # leaning to query but not sure (often the first words of side talk): stay ducked and
            # listen on; the next partial decides, or the duck times out and the answer goes on
            self._talked_over(seg, "unsure")
            unduck = self._unduck(sid) if resume else []
            return unduck + ([do.Ignore(sid, "unsure", p)] if seg.final else [])
        if token != "query":
            self._talked_over(seg, token)
            if paused and not resume:
                return []  # paused on a confident partial: the end of the utterance decides
            # (held: a tentative end plays on at once; already soft under talk: only its final restores the volume,
            # and what played softly is said again then — a pause between two people's lines is not the end)
            if seg.final and self._soft and self._ducked is not None and self._ducked.seg == sid:
                self._ducked = Held(sid, now.t + self.policy.say_again_after_s)  # (soft a little longer: on_tick lifts it)
                back = []
            else:
                back = self._unduck(sid) if seg.final or (seg.tentative and not self._soft) else self._soften(now, sid)
            return back + ([do.Ignore(sid, REASON.get(token, "not addressed"), p)] if seg.final else [])
        if self.policy.confirm_on_final and not seg.final and self._reply is not None:
            return self._pause(sid, p)  # silent and kept until the whole utterance is judged
        self._barge.discard(sid)  # decided: the rest of this segment is a user turn
        self._talk_over = Mark() if self._talk_over.seg == sid else self._talk_over
        acts: list[do.Action] = []
        if now.speaking and self._reply is not None:  # (it may have finished while the user talked)
            acts.append(do.Interrupt(sid, self._reply))
            self._cut_by = Pair(sid, self._reply)
            self._forget(self._reply)
        acts += self._unduck()  # the playout is empty now; the next answer plays at full volume
        acts.append(do.Swap())
        self._owned = sid  # the new generator judges the rest of this segment itself
        if seg.final:  # the whole barge-in was heard at once: answer it now
            rid = self._new_reply()
            acts.append(do.Draft(rid, sid, text))
            acts += self._settle(sid, Early(seg.speech_end, text, token, p, rid))
        return acts
