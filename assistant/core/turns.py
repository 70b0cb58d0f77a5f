"""The turn-taking rules, pure and synchronous: told what was heard, they answer with actions.

No asyncio, threads or models. The shell (assistant/core/duplex.py) tells the rules about onsets,
segment versions, verdicts and ticks, and carries out the actions they return (mic-timeline times).

The rules, as the README states them:
- Speech while the assistant talks: duck at the onset (the shell holds the playout in its place,
  or lowers it: `duck_mode`), TTS waits for the verdict (`tts_hold_s`).
- A `noise`/`side` verdict while the speech goes on softens (plays on lower, `talk_over_db`): never
  back at full volume before the utterance is judged whole (a tentative end of soft talk is not its
  end; talk going on after a held one's is softened again); `say_again_after_s` after its final the volume
  comes back (the shell says again what played softly; speech beginning meanwhile holds it again), and
  the final is ignored with its reason. A verdict lifts
  only its own segment's hold. No verdict within `duck_max_s` also softens, for at most SOFT_MAX_S.
- A `query` below `barge_in_min_p_query` stays ducked (the next verdict decides, or the duck
  times out after `duck_max_s`); on the final it is ignored as "unsure".
- A confident `query` partial pauses the answer (`confirm_on_final`): silent, kept, until the
  speech stops; the verdict at the tentative end or the final resumes it unless it is a query
  (which then needs only `barge_in_paused_min_p_query`).
- A query on the final (or on a partial without `confirm_on_final`) interrupts the answer (the
  history keeps what was heard), swaps the replicas and answers.
- While idle: partials are read ahead into the next generator (`read_min_speech_ms`); a tentative
  end is judged at once; the answer is drafted (held) as soon as its words are known, before the
  verdict (`draft_before_verdict`), and dropped unless the verdict is `query`; the final releases
  it when no speech came after, or drops it and judges the whole segment again. A tentative end
  whose words sound unfinished waits `unfinished_hangover_ms` of silence for the rest.
- A segment that began over the assistant's speech is judged as a barge-in even if the answer has
  ended meanwhile; one that began within `followup_window_s` after it is judged leaning to query,
  and is checked for the assistant's own words only within ECHO_TAIL_S of them. One that began
  within `exchange_window_s` after other speech ended, the assistant silent since, is judged with
  that speech at hand (`after_voice`): another voice answering it is people talking to each other;
  if that speech itself answered speech before it, or was said to someone else (judged `side`, or
  naming someone else), people are in a conversation (`conversation`): "老李，明天几点开会？" "上午九点。"
- A question another voice takes up (`taken_up_withdraws`): when speech begins within
  `exchange_window_s` after a query ended, its answer is not released until that speech's voice is
  known (its first partial of `barge_in_min_speech_ms`, judged for the voice alone); if the answer
  is already playing, the speech is judged as a barge-in with the question at hand. If it is another
  voice at the question's level (and, over a playing answer, not a query itself), the question was
  for that person: the answer is let go (cut if playing) and the question leaves the history; if the
  question had cut an answer (a barge-in), that answer's rest is said, from the sentence it was cut in.
- An idle segment of sound with no pause at all for max_segment_ms (`capped`: closed by the
  segmenter's cap, or going on from one without a pause) is babble or a TV, not a turn: ignored as
  ENDLESS, its drafts dropped (`ignore_endless`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import assistant.core.actions as do
from assistant.core.addressee import addressee
from assistant.core.options import PolicyOptions
from assistant.core.unfinished import unfinished
from audio.segmenter import Segment, SpeechOnset

LIVE_REPLIES_KEPT = 4  # reply ids remembered as not cut or dropped (a draft is released within one segment)
SOFT_MAX_S = 10.0  # s an answer plays on softly over speech whose end never got a verdict
ECHO_TAIL_S = 0.5  # s after the assistant stopped in which speech may still be its own voice coming back
REASON = {"noise": "noise", "unsure": "unsure"}  # why a verdict's segment is ignored (else: "not addressed")
# s of speech over a playing answer before it may count as another voice taking the question up (the echo
# of the answer's first words, 0.36 s heard as "writing.", was once taken for another person's reply)
TAKEN_UP_MIN_S = 1.0
TALK_KEPT = 8  # speech ends of recent side talk kept (for the idle bar)
ENDLESS = "endless"  # why an idle segment with no pause in max_segment_ms is ignored (babble, a TV)


@dataclass
class _Early:
    """What a tentative end produced, reused when the final brings no new speech."""
    speech_end: float
    text: str
    token: str
    p: float
    reply: int | None = None


class TurnTaker:
    def __init__(self, policy: PolicyOptions) -> None:
        self.policy, self._next_reply = policy, 0
        self._reply: int | None = None  # the live reply (the last drafted, not cut or dropped)
        self._live: list[int] = []  # recent replies not cut or dropped
        self._owned: int | None = None  # a segment whose judge already took the generator role
        self._barge: set[int] = set()  # segments that began while the assistant spoke, not yet decided
        self._early: dict[int, _Early] = {}  # tentative ends awaiting their final
        self._judging: tuple[int, str, do.Role] | None = None  # (segment, "barge" | "idle", by)
        self._hold_until, self._tts_held = 0.0, False  # s until which TTS waits; whether it is held
        self._ducked: tuple[int, float] | None = None  # (segment, s when the duck ends by itself)
        self._soft = False  # the duck is a soft one (the answer plays on, lower)
        self._paused: int | None = None  # segment whose confident query partial paused the answer
        self._spec: tuple[int, int] | None = None  # (segment, reply) drafted before its verdict
        self._spoke_until = -math.inf  # s, the last tick the assistant was speaking
        self._after: tuple[int, float] = (-1, math.inf)  # (idle segment, s from the assistant's last words to its onset)
        self._heard: tuple[int, float] = (-1, -math.inf)  # (segment, s its speech ended): the last speech heard whole
        self._answers: tuple[int, int] = (-1, -1)  # (idle segment, the segment of speech it began soon after)
        self._onset: tuple[int, float] = (-1, -math.inf)  # (segment, s) of the last onset
        self._turns: dict[int, int] = {}  # segment → turns of talk right before it (each soon after the last)
        self._aside: list[int] = []  # recent segments ignored as said to someone else (`side`)
        self._talk: list[float] = []  # speech ends of recent idle segments ignored as side talk or unsure
        self._asked: tuple[int, float, int] = (-1, -math.inf, -1)  # (segment, speech end, reply): the last query released
        self._deferred: tuple[int, _Early, int] | None = None  # (segment, its answer, the later segment it waits on)
        self._cut_by: tuple[int, int] = (-1, -1)  # (segment, reply): the last barge-in and the answer it cut

    # ---- what the shell tells -------------------------------------------------------------
    def admit(self, seg: Segment, now: do.Now) -> bool:
        """Is this segment version worth a place in the judge's mailbox? (Told every version as it is
        cut: a pause in it marks where the last speech heard ended.)"""
        if seg.stage != "partial":
            self._heard = (seg.seg_id, seg.speech_end)
        return seg.final or self._may_barge_in(seg, now) or (not now.speaking and self._readable(seg)) or \
            self._awaited(seg)

    def on_onset(self, onset: SpeechOnset, now: do.Now) -> list[do.Action]:
        self._onset = (onset.seg_id, onset.t)
        if not now.speaking:
            self._after = (onset.seg_id, onset.t - self._spoke_until)
            prev, ended = self._heard
            if ended > self._spoke_until and 0 <= onset.t - ended <= self.policy.exchange_window_s:
                self._answering(onset.seg_id, prev)
            return self._sync([], now)
        self._barge.add(onset.seg_id)
        asked, ended, reply = self._asked
        if self._taking_up(ended, onset.t) and reply == self._reply:  # speech right after the question: who?
            self._answering(onset.seg_id, asked)
        self._hold_until = now.t + self.policy.tts_hold_s
        return self._sync(self._duck(onset.seg_id, now), now)

    def on_segment(self, seg: Segment, now: do.Now) -> list[do.Action]:
        """A segment version from the mailbox: judge it (by whom), reuse a tentative end, or skip."""
        sid = seg.seg_id
        if now.speaking or sid in self._barge:
            if self._may_barge_in(seg, now) or seg.final:
                self._judging = (sid, "barge", "monitor")
                answers = self._answers[1] if self._answers[0] == sid else None
                return [do.Judge(sid, "monitor", after_voice=answers, conversation=self._in_conversation(sid))]
            return []
        by: do.Role = "generator" if sid == self._owned else "monitor"
        if self._deferred is not None and self._awaited(seg) and seg.stage == "partial":  # whose voice is this?
            self._judging = (sid, "taken", "monitor")
            return [do.Judge(sid, "monitor", after_voice=self._deferred[0], conversation=self._in_conversation(sid))]
        if seg.stage == "partial":
            return [do.Read(sid, by)] if self._readable(seg) else []
        early = self._early.pop(sid, None)
        if seg.final and seg.capped and self.policy.ignore_endless:  # no pause in max_segment_ms: babble, a TV
            self._owned, spec, self._spec = None, self._spec, None
            drafts = {rid for rid in (early.reply if early else None, spec[1] if spec else None) if rid is not None}
            return [*(a for rid in sorted(drafts) for a in self._drop(rid)), do.Ignore(sid, ENDLESS, 1.0)]
        if early and seg.final and early.speech_end == seg.speech_end:
            return [do.Heard(sid, seg.speech_start, seg.end, early.text), *self._settle(sid, early)]
        void = self._drop(early.reply) if early and early.reply is not None else []  # the user went on talking
        self._judging = (sid, "idle", by)
        after = self._after[1] if self._after[0] == sid else -math.inf  # (-inf: it did not begin while idle)
        followup = self.policy.followup_log_odds if 0 <= after <= self.policy.followup_window_s else 0.0
        answers = self._answers[1] if self._answers[0] == sid else None
        return [*void, do.Judge(sid, by, followup, after <= ECHO_TAIL_S, answers, self._in_conversation(sid))]

    def on_heard(self, seg: Segment, text: str, now: do.Now) -> list[do.Action]:
        """The words of an idle version being judged, before the verdict: an unfinished sentence waits
        for the rest; else the judging replica drafts the answer now, while the verdict is worked out."""
        sid, judging = seg.seg_id, self._judging
        if now.speaking or sid in self._barge or judging is None or judging[0] != sid or seg.stage == "partial":
            return []
        if seg.tentative and unfinished(text):
            return [do.Extend(sid, self.policy.unfinished_hangover_ms)]
        if not self.policy.draft_before_verdict or (self._deferred is not None and self._deferred[2] == sid):
            return []  # (the speaker holds one reply: an answer waiting on this speech keeps its place)
        self._spec = (sid, self._new_reply())
        return [do.Draft(self._spec[1], sid, text, judging[2])]

    def on_judged(self, seg: Segment, text: str, token: str, p: float, now: do.Now,
                  other_voice: bool = False, unclear: bool = False) -> list[do.Action]:
        """A verdict; `other_voice`: the judge found another voice at the level of the speech this one
        began soon after (the `after_voice` it was given); `unclear`: its words were heard badly (the
        answer would be an ask-back: only for speech that is most likely for the assistant)."""
        self._hold_until = 0.0
        judging, self._judging = self._judging, None
        if judging is None or judging[0] != seg.seg_id:
            return self._sync([], now)
        _, mode, by = judging
        # (a partial judged for its voice alone: whatever its words read as, its end decides the rest)
        seen = "noise" if mode == "taken" else token
        if mode == "barge" and seg.speech_end - seg.speech_start < TAKEN_UP_MIN_S:
            other_voice = False  # (too short to tell a voice over a playing answer: its own echo, often)
        first = self._taken_up(seg.seg_id, seen, other_voice) or self._undefer(seg.seg_id, seen)
        if mode == "taken":  # (a partial judged only for whose voice it is)
            return self._sync(first, now)
        if unclear and mode != "barge" and token == "query" and p < self.policy.ask_back_min_p_query:
            token = "unsure"  # (words not caught, and not sure they were for it: asking back would be a guess too)
        acts = self._barge_in(seg, text, token, p, now) if mode == "barge" else self._idle(seg, text, token, p, by)
        return self._sync(first + acts, now)

    def on_tick(self, now: do.Now) -> list[do.Action]:
        self._spoke_until = now.t if now.speaking else self._spoke_until
        acts: list[do.Action] = []
        if self._ducked is not None and now.t > self._ducked[1]:  # no verdict in time: play on
            acts = self._unduck() if self._soft else self._soften(now)
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

    def forget_judging(self) -> list[do.Action]:
        """The judge failed on the segment in hand: nothing to decide (its early draft is dropped; an
        answer waiting on it is released)."""
        judging, self._judging, spec, self._spec = self._judging, None, self._spec, None
        acts = self._drop(spec[1]) if spec else []
        return acts + (self._undefer(judging[0], "noise") if judging else [])

    # ---- the rules --------------------------------------------------------------------------
    def _may_barge_in(self, seg: Segment, now: do.Now) -> bool:
        """Speech over the assistant (even if it has finished since) long enough to be judged."""
        speech_ms = (seg.end - seg.speech_start) * 1000
        over_it = now.speaking or seg.seg_id in self._barge
        return over_it and speech_ms >= self.policy.barge_in_min_speech_ms

    def _idle_bar(self, t: float) -> float:
        """p(query) an idle verdict needs: more while people have been talking nearby (a conversation the
        assistant is not part of: `talk_segments` segments ignored as side talk within `talk_window_s`)."""
        pol = self.policy
        recent = sum(0 <= t - end <= pol.talk_window_s for end in self._talk)
        return max(pol.idle_min_p_query, pol.talk_min_p_query if recent >= pol.talk_segments else 0.0)

    def _readable(self, seg: Segment) -> bool:
        """An idle segment version worth the judge's time: a tentative end, or a long enough partial."""
        if seg.stage == "partial":
            return self.policy.read_partials and (seg.end - seg.speech_start) * 1000 >= self.policy.read_min_speech_ms
        return seg.tentative

    def _idle(self, seg: Segment, text: str, token: str, p: float, by: do.Role) -> list[do.Action]:
        # the monitor judges; on `query` it has just read the turn into its cache, so it takes
        # the generator role and drafts the answer (held back until the segment is over)
        acts: list[do.Action] = []
        if token == "query" and p < self._idle_bar(seg.speech_start):  # leaning to query, not sure: not answered
            token = "unsure"
        rec = _Early(seg.speech_end, text, token, p)
        spec, self._spec = (self._spec[1] if self._spec and self._spec[0] == seg.seg_id else None), None
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
        if token == "query" and p < bar:
            # leaning to query but not sure (often the first words of side talk): stay ducked and
            # listen on; the next partial decides, or the duck times out and the answer goes on
            unduck = self._unduck(sid) if resume else []
            return unduck + ([do.Ignore(sid, "unsure", p)] if seg.final else [])
        if token != "query":
            if paused and not resume:
                return []  # paused on a confident partial: the end of the utterance decides
            # (held: a tentative end plays on at once; already soft under talk: only its final restores the volume,
            # and what played softly is said again then — a pause between two people's lines is not the end)
            if seg.final and self._soft and self._ducked is not None and self._ducked[0] == sid:
                self._ducked = (sid, now.t + self.policy.say_again_after_s)  # (soft a little longer: on_tick lifts it)
                back = []
            else:
                back = self._unduck(sid) if seg.final or (seg.tentative and not self._soft) else self._soften(now, sid)
            return back + ([do.Ignore(sid, REASON.get(token, "not addressed"), p)] if seg.final else [])
        if self.policy.confirm_on_final and not seg.final and self._reply is not None:
            return self._pause(sid, p)  # silent and kept until the whole utterance is judged
        self._barge.discard(sid)  # decided: the rest of this segment is a user turn
        acts: list[do.Action] = []
        if now.speaking and self._reply is not None:  # (it may have finished while the user talked)
            acts.append(do.Interrupt(sid, self._reply))
            self._cut_by = (sid, self._reply)
            self._forget(self._reply)
        acts += self._unduck()  # the playout is empty now; the next answer plays at full volume
        acts.append(do.Swap())
        self._owned = sid  # the new generator judges the rest of this segment itself
        if seg.final:  # the whole barge-in was heard at once: answer it now
            rid = self._new_reply()
            acts.append(do.Draft(rid, sid, text))
            acts += self._settle(sid, _Early(seg.speech_end, text, token, p, rid))
        return acts

    def _settle(self, sid: int, rec: _Early) -> list[do.Action]:
        """The segment is over: release its drafted answer, or say why it is ignored (an answer whose
        question other speech followed at once waits until that speech is judged)."""
        self._owned = None
        if rec.reply is None or rec.reply not in self._live:
            if rec.token == "side" or addressee(rec.text) == "other":  # (a name: 老李，… heard as noise is still talk)
                self._aside = [*self._aside[-LIVE_REPLIES_KEPT + 1:], sid]
            if rec.token in ("side", "unsure"):
                self._talk = [*self._talk[-TALK_KEPT + 1:], rec.speech_end]
            return [do.Ignore(sid, REASON.get(rec.token, "not addressed"), rec.p)]
        later, at = self._onset
        if later > sid and self._taking_up(rec.speech_end, at):
            self._deferred = (sid, rec, later)
            return []
        self._asked = (sid, rec.speech_end, rec.reply)
        return [do.Release(sid, rec.reply, rec.text)]

    def _answering(self, sid: int, prev: int) -> None:
        """Segment `sid` began soon after `prev` ended: it may answer it (one more turn of a talk)."""
        self._answers = (sid, prev)
        self._turns = {k: v for k, v in self._turns.items() if k >= sid - LIVE_REPLIES_KEPT}
        self._turns[sid] = self._turns.get(prev, 0) + 1

    def _awaited(self, seg: Segment) -> bool:
        """An answer waits on this segment's voice, and it has enough speech to tell."""
        speech_ms = (seg.end - seg.speech_start) * 1000
        return self._deferred is not None and self._deferred[2] == seg.seg_id and \
            speech_ms >= self.policy.barge_in_min_speech_ms

    def _in_conversation(self, sid: int) -> bool:
        """Two turns or more of talk came right before this one (each soon after the last), or the one
        right before was said to someone else: a reply in a talk between people."""
        if self._answers[0] != sid:
            return False
        prev = self._answers[1]
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
        if self._deferred is not None and self._deferred[2] == sid:  # its answer was waiting on this speech
            asked, rec, _ = self._deferred
            self._deferred = None
            if rec.reply is None or rec.reply not in self._live:
                return []
            self._forget(rec.reply)
            return [do.Withdraw(asked, rec.reply, sid), *self._resume(asked)]
        asked, _, reply = self._asked
        if self._answers != (sid, asked) or reply is None or reply != self._reply:
            return []
        self._forget(reply)  # its answer is playing (held at this speech's onset): cut it
        self._asked = (-1, -math.inf, -1)
        return [do.Withdraw(asked, reply, sid), *self._unduck(), *self._resume(asked)]

    def _resume(self, asked: int) -> list[do.Action]:
        """The withdrawn question had cut an answer (a barge-in, not for the assistant after all): its rest
        is said, from the sentence it was cut in (`resume_cut_answer`)."""
        seg, cut = self._cut_by
        if seg != asked or not self.policy.resume_cut_answer:
            return []
        self._cut_by = (-1, -1)
        return [do.Resume(self._new_reply(), cut)]

    def _undefer(self, sid: int, token: str) -> list[do.Action]:
        """The speech an answer waited on is judged, not another voice taking the question up: a query
        (the user went on asking) lets the waiting answer go; anything else releases it. (A partial
        judged for its voice alone releases it whatever it reads as: its end decides the rest.)"""
        if self._deferred is None or self._deferred[2] != sid:
            return []
        asked, rec, _ = self._deferred
        self._deferred = None
        if rec.reply is None or rec.reply not in self._live:
            return []
        if token == "query":
            return self._drop(rec.reply)
        self._asked = (asked, rec.speech_end, rec.reply)
        return [do.Release(asked, rec.reply, rec.text)]

    def _duck(self, sid: int, now: do.Now) -> list[do.Action]:
        """Lower the playout (or keep it low for another `duck_max_s`; a pause stays until decided)."""
        was, soft = self._ducked, self._soft
        until = math.inf if self._paused is not None else now.t + self.policy.duck_max_s
        self._ducked, self._soft = (sid, until), False
        return [do.Duck(sid)] if was is None or soft else []

    def _soften(self, now: do.Now, sid: int | None = None) -> list[do.Action]:
        """The speech goes on and is not (yet) a query: play on lower until it is judged whole (again, if a
        tentative end had restored the volume and the talk went on)."""
        if self._ducked is None:
            if sid is None or not now.speaking:
                return []
            self._ducked = (sid, now.t)
        elif self._soft or (sid is not None and self._ducked[0] != sid):  # (another segment's hold stays)
            return []
        self._soft, self._paused = True, None
        self._ducked = (self._ducked[0], now.t + SOFT_MAX_S)
        return [do.Soften(self._ducked[0])]

    def _pause(self, sid: int, p: float) -> list[do.Action]:
        if self._paused is not None or self._reply is None:
            return []
        self._paused, self._ducked = sid, (sid, math.inf)  # the duck no longer times out
        return [do.Pause(sid, self._reply, p)]

    def _unduck(self, sid: int | None = None) -> list[do.Action]:
        """Full volume again — for a verdict on segment `sid`, only if the duck is that segment's: speech that
        began while it was judged holds the answer until its own verdict."""
        if sid is not None and self._ducked is not None and self._ducked[0] != sid:
            return []
        was, self._ducked, self._paused, self._soft = self._ducked, None, None, False
        return [] if was is None else [do.Unduck(was[0])]

    def _new_reply(self) -> int:
        rid, self._next_reply, self._reply = self._next_reply, self._next_reply + 1, self._next_reply
        self._live = [*self._live[-(LIVE_REPLIES_KEPT - 1):], rid]
        return rid

    def _drop(self, rid: int) -> list[do.Action]:
        self._forget(rid)
        return [do.Drop(rid)]

    def _forget(self, rid: int) -> None:
        self._live = [r for r in self._live if r != rid]
        self._reply = None if self._reply == rid else self._reply

    def _sync(self, acts: list[do.Action], now: do.Now) -> list[do.Action]:
        """Append a HoldTts when whether TTS must wait has changed (a barge-in onset, or a pause)."""
        held = now.t < self._hold_until or self._paused is not None
        if held != self._tts_held:
            self._tts_held = held
            acts.append(do.HoldTts(held))
        return acts
