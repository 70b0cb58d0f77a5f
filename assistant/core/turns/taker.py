"""The turn rules' façade: what the shell tells them (onsets, segment versions, words, verdicts, ticks,
the host's typed turns and stops), each answered with actions. The rules themselves are in the classes
it builds on: barge_in (speech over an answer) → idle (the idle turn) → lone (a lone question nobody
answered) → others (people talking to each other) → volume (the answer's volume) → state (what is remembered)."""

from __future__ import annotations

import math

import assistant.core.actions as do
from assistant.core.turns.barge_in import BargeIn
from assistant.core.turns.state import ECHO_TAIL_S, ENDLESS, PTT_LEAD_S, TAKEN_UP_MIN_S, InHand, Mark, Pair, Span, kept
from assistant.core.unfinished import unfinished
from audio.segmenter import Segment, SpeechOnset


class TurnTaker(BargeIn):
    def admit(self, seg: Segment, now: do.Now) -> bool:
        """Is this segment version worth a place in the judge's mailbox? (Told every version as it is
        cut: a pause in it marks where the last speech heard ended.)"""
        sid = seg.seg_id
        self._levels = kept({**self._levels, sid: seg.level_db})
        if seg.stage != "partial":
            if sid != self._heard.seg:
                self._prior = kept({**self._prior, sid: self._heard})
            self._heard = Mark(sid, seg.speech_end)
        return seg.final or self._may_barge_in(seg, now) or (not now.speaking and self._readable(seg)) or \
            self._awaited(seg)

    def on_onset(self, onset: SpeechOnset, now: do.Now) -> list[do.Action]:
        self._onset = Mark(onset.seg_id, onset.t)
        if not now.speaking:
            self._after = Mark(onset.seg_id, onset.t - self._spoke_until)
            heard = self._heard
            if heard.t > self._spoke_until and 0 <= onset.t - heard.t <= self.policy.exchange_window_s:
                self._answering(onset.seg_id, heard.seg)
            return self._sync([], now)
        self._barge.add(onset.seg_id)
        asked = self._asked
        if self._taking_up(asked.ended, onset.t) and asked.reply == self._reply:  # speech right after the question: who?
            self._answering(onset.seg_id, asked.seg)
        self._hold_until = now.t + self.policy.tts_hold_s
        return self._sync(self._duck(onset.seg_id, now), now)

    def on_segment(self, seg: Segment, now: do.Now) -> list[do.Action]:
        """A segment version from the mailbox: judge it (by whom), reuse a tentative end, or skip."""
        sid = seg.seg_id
        if now.speaking or sid in self._barge:
            if self._may_barge_in(seg, now) or seg.final:
                self._judging = InHand(sid, "barge", "monitor")
                self._after_talk(seg)
                answers = self._answers.other if self._answers.seg == sid else None
                return [do.Judge(sid, "monitor", after_voice=answers, conversation=self._in_conversation(sid))]
            return []
        by: do.Role = "generator" if sid == self._owned else "monitor"
        if self._deferred is not None and self._awaited(seg) and seg.stage == "partial":  # whose voice is this?
            self._judging = InHand(sid, "taken", "monitor")
            return [do.Judge(sid, "monitor", after_voice=self._deferred.seg, conversation=self._in_conversation(sid))]
        if seg.stage == "partial":
            return [do.Read(sid, by)] if self._readable(seg) else []
        early = self._early.pop(sid, None)
        if seg.final and seg.capped and self.policy.ignore_endless:  # no pause in max_segment_ms: babble, a TV
            self._owned, spec, self._spec = None, self._spec, None
            drafts = {rid for rid in (early.reply if early else None, spec.other if spec else None) if rid is not None}
            return [*(a for rid in sorted(drafts) for a in self._drop(rid)), do.Ignore(sid, ENDLESS, 1.0)]
        if early and seg.final and early.speech_end == seg.speech_end:
            return [do.Heard(sid, seg.speech_start, seg.end, early.text), *self._settle(sid, early)]
        void = self._drop(early.reply) if early and early.reply is not None else []  # the user went on talking
        self._judging = InHand(sid, "idle", by)
        after = self._after.t if self._after.seg == sid else -math.inf  # (-inf: it did not begin while idle)
        followup = self.policy.followup_log_odds if 0 <= after <= self.policy.followup_window_s else 0.0
        answers = self._answers.other if self._answers.seg == sid else None
        return [*void, do.Judge(sid, by, followup, after <= ECHO_TAIL_S, answers, self._in_conversation(sid))]

    def on_heard(self, seg: Segment, text: str, now: do.Now) -> list[do.Action]:
        """The words of an idle version being judged, before the verdict: an unfinished sentence waits
        for the rest; else the judging replica drafts the answer now, while the verdict is worked out."""
        sid, judging = seg.seg_id, self._judging
        if now.speaking or sid in self._barge or judging is None or judging.seg != sid or seg.stage == "partial":
            return []
        if seg.tentative and unfinished(text):
            return [do.Extend(sid, self.policy.unfinished_hangover_ms)]
        if not self.policy.draft_before_verdict or (self._deferred is not None and self._deferred.waits_on == sid):
            return []  # (the speaker holds one reply: an answer waiting on this speech keeps its place)
        self._spec = Pair(sid, self._new_reply())
        return [do.Draft(self._spec.other, sid, text, judging.by)]

    def on_judged(self, seg: Segment, text: str, token: str, p: float, now: do.Now,
                  other_voice: bool = False, unclear: bool = False, stranger: bool = False) -> list[do.Action]:
        """A verdict; `other_voice`: the judge found another voice at the level of the speech this one
        began soon after (the `after_voice` it was given); `unclear`: its words were heard too badly to
        answer unless the verdict is sure (`ask_back_min_p_query`; heard badly, a sure verdict's answer is an
        ask-back: assistant/core/unclear.py); `stranger`: a voice nobody enrolled while someone has (the speaker
        gate: never served, whatever its verdict — the gate's log-odds alone once let a passenger's sure question
        through at p 0.61 on another machine, 0.59 here — and never asked back)."""
        self._hold_until = 0.0
        judging, self._judging = self._judging, None
        if judging is None or judging.seg != seg.seg_id:
            return self._sync([], now)
        if self._pressed is not None and self._pressed.start - PTT_LEAD_S <= seg.speech_start <= self._pressed.end:
            token, p = "query", 1.0  # the user holds the push-to-talk button: addressed, whatever the monitor says
        elif self._enrolled.start <= seg.speech_start < self._enrolled.end:
            token, p = "side", 1.0  # a voice being enrolled: not a turn
        elif stranger and token == "query":
            token = "stranger"  # (ignored as "not an enrolled voice"; over an answer, talk that does not cut it)
        mode, by = judging.mode, judging.by
        # (a partial judged for its voice alone: whatever its words read as, its end decides the rest)
        seen = "noise" if mode == "taken" else token
        if mode == "barge" and seg.speech_end - seg.speech_start < TAKEN_UP_MIN_S:
            other_voice = False  # (too short to tell a voice over a playing answer: its own echo, often)
        first = self._taken_up(seg.seg_id, seen, other_voice) or self._undefer(seg.seg_id, seen)
        if mode == "taken":  # (a partial judged only for whose voice it is)
            return self._sync(first, now)
        misheard = unclear and mode != "barge" and token == "query" and p < self.policy.ask_back_min_p_query
        if misheard:
            token = "unsure"  # (words not caught, and not sure they were for it: not answered; if lone, asked back)
        acts = self._barge_in(seg, text, token, p, now) if mode == "barge" else \
            self._idle(seg, text, token, p, by, stranger, misheard)
        return self._sync(first + acts, now)

    def on_tick(self, now: do.Now) -> list[do.Action]:
        self._spoke_until = now.t if now.speaking else self._spoke_until
        acts: list[do.Action] = self._lone_due(now)
        if self._ducked is not None and now.t > self._ducked.until:  # no verdict in time: play on
            acts += self._unduck() if self._soft else self._soften(now)
        return self._sync(acts, now)

    def on_typed(self, text: str, now: do.Now) -> list[do.Action]:
        """A turn that arrives as text (a host, a test): cut what is playing, answer it now."""
        acts: list[do.Action] = []
        if now.speaking and self._reply is not None:
            acts.append(do.Interrupt(-1, self._reply))
            self._forget(self._reply)
        acts += self._unduck()
        rid = self._new_reply()
        return self._sync([*acts, do.Draft(rid, -1, text), do.Release(-1, rid, text)], now)

    def on_stop(self, now: do.Now) -> list[do.Action]:
        """The host says stop speaking: cut what is playing (the history keeps what was heard)."""
        acts: list[do.Action] = []
        if now.speaking and self._reply is not None:
            acts.append(do.Interrupt(-1, self._reply))
            self._forget(self._reply)
        return self._sync([*acts, *self._unduck()], now)

    def on_say(self, text: str, now: do.Now) -> list[do.Action]:
        """The host gives a sentence to say (an announcement, not an answer): it replaces what plays."""
        acts = self.on_stop(now)
        return self._sync([*acts, do.Say(self._new_reply(), text)], now)

    def on_push_to_talk(self, on: bool, now: do.Now) -> list[do.Action]:
        """The host's push-to-talk button: speech that begins while it is held (or PTT_LEAD_S before the
        press) is a query whatever the monitor says."""
        if on:
            self._pressed = Span(now.t)
        elif self._pressed is not None and self._pressed.end == math.inf:
            self._pressed = Span(self._pressed.start, now.t)
        return self._sync([], now)

    def on_enrolling(self, start: float, end: float = math.inf) -> None:
        """A voice is being enrolled from `start` (until `end`): speech that begins then is not a turn."""
        self._enrolled = Span(start, end)

    def forget_judging(self) -> list[do.Action]:
        """The judge failed on the segment in hand: nothing to decide (its early draft is dropped; an
        answer waiting on it is released)."""
        judging, self._judging, spec, self._spec = self._judging, None, self._spec, None
        acts = self._drop(spec.other) if spec else []
        return acts + (self._undefer(judging.seg, "noise") if judging else [])
