"""Where the rules' actions take effect: the playout ducked, held or said again, answers drafted, cut,
withdrawn or resumed, the replicas swapped — and the events that say so published. The one place the
shell's effects happen (`DuplexCore._do`); it decides nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from assistant.core import actions as do
from assistant.core import events as ev
from assistant.core.answers import Answers, saying
from assistant.core.camera import Camera
from assistant.core.conversation import Conversation
from assistant.core.policy import PolicyOptions
from assistant.core.replicas import ReplicaPair
from assistant.core.resume import rest_of
from assistant.core.speaker import Speaker
from assistant.core.unclear import doubtful, heard_badly
from assistant.text import is_chinese
from audio.frames import SAMPLE_RATE
from audio.listener import Listener
from audio.playout import Playout

HELD_DB = -120.0  # the gain a Duck event reports for a held (silent, kept) playout
HEARINGS_KEPT = 8  # segments whose hearing is kept (a draft looks its segment up)


@dataclass(frozen=True)
class Hearing:
    """How a segment's latest words were heard: what its answer (or its asking back) goes by."""

    language: str  # the language the ear heard them in: the answer's
    unclear: str  # why they were heard badly ("" heard well: answered as heard, else asked back)
    doubtful: bool  # heard badly, or less well than a turn not sure to be for the assistant needs to be answered


class Effects:
    def __init__(self, bus: ev.Bus, now: Callable[[], float], policy: PolicyOptions, *, playout: Playout, speaker: Speaker,
                 listener: Listener, replicas: ReplicaPair, answers: Answers, conversation: Conversation,
                 camera: Camera | None) -> None:
        self.bus, self.now, self.policy = bus, now, policy
        self.playout, self.speaker, self.listener, self.replicas = playout, speaker, listener, replicas
        self.answers, self.conversation, self.camera = answers, conversation, camera
        self.heard: dict[int, Hearing] = {}  # segment → how its latest words were heard
        self.rest: tuple[int, str] = (-1, "")  # (reply, what of it is left to say): the answer a barge-in cut last
        self.ignored: tuple[float | None, str] = (None, "")  # (s, reason) speech was last ignored

    def hearing(self, seg: int, words: str, confidence: float, language: str) -> None:
        """The segment's latest words (Whisper's `confidence` in them, the `language` they were heard in): whether
        they are worth answering as heard (its draft asks back if not), and in which language."""
        pol = self.policy
        unclear = heard_badly(words, confidence, pol.ask_back_min_logprob)
        self.heard[seg] = Hearing(language, unclear, bool(unclear) or doubtful(words, confidence, pol.unsure_min_logprob))
        while len(self.heard) > HEARINGS_KEPT:
            self.heard.pop(next(iter(self.heard)))

    def unclear(self, seg: int) -> str:
        """Why the segment's latest words were heard badly ("" heard well, or not heard by the ear: typed)."""
        return h.unclear if (h := self.heard.get(seg)) is not None else ""

    def doubtful(self, seg: int) -> bool:
        """Were the segment's latest words heard too badly to answer unless the verdict is sure? (unclear.doubtful)"""
        return h.doubtful if (h := self.heard.get(seg)) is not None else False

    def language(self, seg: int, text: str) -> str:
        """The language the segment was heard in (words the ear never heard: their script says it)."""
        return h.language if (h := self.heard.get(seg)) is not None else ("zh" if is_chinese(text) else "en")

    def _resume(self, gain_db: float) -> None:
        """Play on at `gain_db`; a held or paused answer first steps back to the word it cut."""
        if self.playout.paused:
            self.playout.rewind(self.policy.resume_rewind_ms * SAMPLE_RATE // 1000)
        self.playout.paused, self.playout.duck_gain = False, 10 ** (gain_db / 20)

    def apply(self, actions: list[do.Action]) -> None:
        pub, now, pol = self.bus.publish, self.now(), self.policy
        for a in actions:
            match a:
                case do.Duck(seg):
                    if pol.duck_mode == "hold":  # silent and kept: the listener loses no word
                        self.playout.paused = True
                        pub(ev.Duck(now, seg, True, HELD_DB))
                    else:  # (words under a deep duck are lost: said again too, if it was not a query)
                        if pol.say_again_max_s > 0:
                            self.playout.mark()
                        self.playout.duck_gain = 10 ** (pol.duck_db / 20)
                        pub(ev.Duck(now, seg, True, pol.duck_db))
                case do.Soften(seg):
                    if pol.say_again_max_s > 0:
                        self.playout.mark()  # (what plays under the talk may be missed: said again after it)
                    self._resume(pol.talk_over_db)
                    pub(ev.Duck(now, seg, True, pol.talk_over_db))
                case do.Unduck(seg):
                    again = self.playout.say_again(int(pol.say_again_max_s * SAMPLE_RATE))
                    self._resume(0.0)
                    pub(ev.Duck(now, seg, False, 0.0, self.playout.take_lost() / SAMPLE_RATE, again / SAMPLE_RATE))
                case do.Pause(seg, reply, p):
                    self.playout.paused = True
                    pub(ev.Paused(now, seg, reply, p))
                case do.HoldTts(on):
                    self.speaker.hold(on)
                case do.Extend(seg, ms):
                    self.listener.extend(seg, ms)
                    pub(ev.Waiting(now, seg, ms / 1000))
                case do.Heard(seg, start, end, text):  # (its words stand, in the language they were heard in)
                    pub(ev.SegmentHeard(now, seg, start, end, True, text, language=self.language(seg, text)))
                case do.Swap():
                    self.replicas.swap()
                    pub(ev.RolesSwapped(now, self.replicas.generator.name, self.replicas.monitor.name))
                case do.Draft(reply, seg, text, by, ask) if ask or self.unclear(seg):  # heard badly: asked again
                    pub(ev.ReplyProgress(now, reply, "drafted"))
                    self.speaker.start(reply, *self.answers.ask_back(now, seg, reply, text, ask or self.unclear(seg),
                                                                     self.language(seg, text)))
                case do.Draft(reply, seg, text, by):  # (the answer also gets what the camera saw when this was said)
                    pub(ev.ReplyProgress(now, reply, "drafted"))
                    seen, read = (self.camera.line(), self.camera.read_now) if self.camera else (None, None)
                    self.speaker.start(reply, *self.answers.draft(now, reply, text, seen, self.replicas.by(by), read, seg,
                                                                  self.language(seg, text)))
                case do.Say(reply, text):
                    turn = self.conversation.said(reply, text)
                    self.speaker.start(reply, turn, saying(text))
                    self.speaker.release(reply)
                case do.Release(seg, reply, text):
                    pub(ev.UserTurn(now, seg, text))  # what was said (the model's turn may carry a camera line)
                    self.speaker.release(reply)
                    self.answers.released(reply)
                case do.Drop(reply):
                    self.speaker.drop(reply)
                    self.answers.ended(reply)
                    self.conversation.remove(reply)
                case do.Interrupt(seg, reply):
                    heard, written = self.speaker.cut(reply), self.conversation.answer(reply)
                    self.answers.ended(reply)
                    self.conversation.cut(reply, heard)
                    self.rest = (reply, rest_of(written, heard))  # (said if the question was someone else's)
                    pub(ev.Interrupt(now, seg, reply))
                    pub(ev.ReplyHeard(now, reply, heard))
                case do.Withdraw(seg, reply, by):  # a question someone else took up: as if never asked
                    self.speaker.cut(reply)
                    self.answers.ended(reply)
                    self.conversation.remove(reply)
                    pub(ev.Withdrawn(now, seg, reply, by))
                case do.Resume(reply, cut):
                    if self.rest[0] == cut and self.rest[1]:
                        turn = self.conversation.said(reply, self.rest[1])
                        self.speaker.start(reply, turn, saying(self.rest[1]))
                        self.speaker.release(reply)
                        pub(ev.Resumed(now, reply, cut, self.rest[1]))
                    self.rest = (-1, "")
                case do.Ignore(seg, reason, p):
                    self.ignored = (now, reason)
                    pub(ev.Ignored(now, seg, reason, p))
