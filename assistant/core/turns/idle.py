"""The idle turn: a segment heard while the assistant is silent is read ahead, drafted before its verdict,
and released as the user's turn when it is over (or ignored, with its reason). People talking nearby
raise the bar a query needs; a lone question nobody answers is asked back."""

from __future__ import annotations

import assistant.core.actions as do
from assistant.core.addressee import addressee
from assistant.core.turns.lone import LoneQuestion
from assistant.core.turns.state import LIVE_REPLIES_KEPT, REASON, TALK_KEPT, Asked, Deferred, Early
from audio.segmenter import Segment


class IdleTurn(LoneQuestion):
    def _idle_bar(self, t: float) -> float:
        """p(query) an idle verdict needs at speech begun at `t`: more while people have been talking nearby (a
        conversation the assistant is not part of: `talk_segments` segments ignored as side talk within
        `talk_window_s`, or one that ended `exchange_window_s` or less before: this may be its reply — "Nothing
        serious, just rest for a week." was answered at 0.65 after "Mia, what did the doctor say?")."""
        pol = self.policy
        recent = sum(0 <= t - end <= pol.talk_window_s for end in self._talk)
        replying = any(0 <= t - end <= pol.exchange_window_s for end in self._talk)
        return max(pol.idle_min_p_query, pol.talk_min_p_query if recent >= pol.talk_segments or replying else 0.0)

    def _readable(self, seg: Segment) -> bool:
        """An idle segment version worth the judge's time: a tentative end, or a long enough partial."""
        if seg.stage == "partial":
            return self.policy.read_partials and (seg.end - seg.speech_start) * 1000 >= self.policy.read_min_speech_ms
        return seg.tentative

    def _idle(self, seg: Segment, text: str, token: str, p: float, by: do.Role, stranger: bool = False,
              misheard: bool = False) -> list[do.Action]:
        # the monitor judges; on `query` it has just read the turn into its cache, so it takes
        # the generator role and drafts the answer (held back until the segment is over)
        acts: list[do.Action] = []
        if token == "query" and p < self._idle_bar(seg.speech_start):  # leaning to query, not sure: not answered
            token = "unsure"
        rec = Early(seg.speech_end, text, token, p, stranger=stranger, began=seg.speech_start, misheard=misheard)
        spec, self._spec = (self._spec.other if self._spec and self._spec.seg == seg.seg_id else None), None
        if token == "query":
            if by == "monitor":
                acts.append(do.Swap())
                self._owned = seg.seg_id
            rec.reply = spec if spec is not None else self._new_reply()
            acts += [] if spec is not None else [do.Draft(rec.reply, seg.seg_id, text)]
        elif spec is not None:  # drafted before the verdict, for words not meant for the assistant
            acts += self._drop(spec)
        if seg.tentative:
            self._early[seg.seg_id] = rec
            return acts
        return acts + self._settle(seg.seg_id, rec)

    def _settle(self, sid: int, rec: Early) -> list[do.Action]:
        """The segment is over: release its drafted answer, or say why it is ignored (an answer whose
        question other speech followed at once waits until that speech is judged)."""
        self._owned = None
        if rec.reply is None or rec.reply not in self._live:
            if rec.token == "side" or addressee(rec.text) == "other":  # (a name: 老李，… heard as noise is still talk)
                self._aside = [*self._aside[-LIVE_REPLIES_KEPT + 1:], sid]
            if rec.token in ("side", "unsure"):
                self._talk = [*self._talk[-TALK_KEPT + 1:], rec.speech_end]
            self._wait_lone(sid, rec)
            return [do.Ignore(sid, REASON.get(rec.token, "not addressed"), rec.p)]
        if self._onset.seg > sid and self._taking_up(rec.speech_end, self._onset.t):
            self._deferred = Deferred(sid, rec, self._onset.seg)
            return []
        self._asked = Asked(sid, rec.speech_end, rec.reply)
        return [do.Release(sid, rec.reply, rec.text)]
