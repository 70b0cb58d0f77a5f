"""One judge call for a segment version the rules asked about: its context built (with keywords, here
only), the judge run in its worker, the verdict published and handed back to the rules.

What the shell knows besides the sound goes into the context: what the assistant is saying (a barge-in
is compared with it), the settled conversation, the camera's report, the voice heard just before
(someone answering someone else), the enrolled voices, the languages expected (the one heard last first).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from assistant.core import actions as do
from assistant.core import events as ev
from assistant.core.camera import Camera
from assistant.core.controls import HostControls
from assistant.core.conversation import Conversation
from assistant.core.effects import Effects
from assistant.core.judge import JudgeContext
from assistant.core.options import Profile
from assistant.core.reader import Reader
from assistant.core.replicas import ReplicaPair
from assistant.core.runtime import Models
from assistant.core.speaker import Speaker
from assistant.core.turns import TurnTaker
from assistant.core.workers import Workers
from audio.segmenter import Segment
from models.whisper import Transcript


@dataclass
class Languages:
    """What the session hears, the one expected next first; in "auto" each final's language goes first."""

    expected: tuple[str, ...] = ("en",)
    mode: str = "en"

    def heard(self, language: str) -> None:
        if self.mode == "auto" and language in self.expected:
            self.expected = (language, *(x for x in self.expected if x != language))


class Judging:
    def __init__(self, models: Models, profile: Profile, bus: ev.Bus, now: Callable[[], float], *, workers: Workers,
                 turns: TurnTaker, state: Callable[[], do.Now], effects: Effects, controls: HostControls,
                 speaker: Speaker, conversation: Conversation, replicas: ReplicaPair, reader: Reader,
                 camera: Camera | None, languages: Languages) -> None:
        self.models, self.profile, self.bus, self.now = models, profile, bus, now
        self.workers, self.turns, self.state, self.effects, self.controls = workers, turns, state, effects, controls
        self.speaker, self.conversation, self.replicas, self.reader, self.camera = (speaker, conversation, replicas,
                                                                                    reader, camera)
        self.languages = languages
        self._spoken: dict[int, np.ndarray] = {}  # the last segments' voiced audio (a reply's voice is compared with it)

    def spoken(self, seg: Segment) -> None:
        """A segment's tentative or final version: its voiced audio is kept (with the one before it)."""
        self._spoken = {k: v for k, v in self._spoken.items() if k >= seg.seg_id - 1}
        self._spoken[seg.seg_id] = seg.pcm[: seg.voiced]

    def context(self, seg: Segment, act: do.Judge, heard: Callable[[Transcript], None]) -> JudgeContext:
        pol, camera = self.profile.policy, self.camera
        before = self._spoken.get(act.after_voice) if act.after_voice is not None else None
        return JudgeContext(
            saying=self.speaker.saying if act.own_voice else "",
            history=self.conversation.settled(self.speaker.live),
            replica=self.replicas.by(act.by),
            seen=camera.latest() if camera else None,
            gaze_weight=self.profile.vision.gaze_weight,
            heard=self.reader.words(act.by, False, heard),
            recent=self.reader.recent(),
            voiced=seg.voiced,
            followup=act.followup,
            addressee_weight=pol.addressee_log_odds,
            before=(act.after_voice, before) if act.after_voice is not None and before is not None and before.size else None,
            exchange_weight=pol.exchange_log_odds + (pol.conversation_log_odds if act.conversation else 0.0),
            speakers=dict(self.controls.speakers) if pol.speaker_gate_log_odds > 0 else {},
            speaker_weight=pol.speaker_gate_log_odds,
            languages=self.languages.expected,
            segment=seg.seg_id,
            # an idle user's words with nothing just said to reply to (barge-ins: own_voice)
            backchannel_weight=pol.backchannel_log_odds if not act.own_voice and act.followup == 0 else 0.0,
            refers_back_weight=pol.refers_back_log_odds if act.followup > 0 else 0.0,
        )

    async def judge(self, seg: Segment, act: do.Judge) -> None:
        def then(tr: Transcript) -> None:  # the words, before the verdict: the rules may wait
            self.effects.hearing(seg.seg_id, tr.text, tr.confidence, tr.language)
            self.effects.apply(self.turns.on_heard(seg, tr.text, self.state()))

        ctx, t0 = self.context(seg, act, then), self.now()
        judged = await self.workers.run("judge", self.models.judge.judge, seg.pcm, ctx)
        v, now, pub = judged.verdict, self.now(), self.bus.publish
        if seg.final:
            self.languages.heard(judged.language)
        if ctx.speakers:
            pub(ev.SpeakerOf(now, seg.seg_id, judged.speaker, round(judged.speaker_sim, 3)))
        pub(ev.SegmentHeard(now, seg.seg_id, seg.speech_start, seg.end, seg.final, judged.text,
                            now - t0, judged.asr_s, judged.language, judged.ear, round(judged.confidence, 3),
                            round(seg.level_db, 1)))
        pub(ev.StateToken(now, seg.seg_id, v.token, v.p, v.probs, ctx.replica.name if ctx.replica else "",
                          seg.final, now - seg.end))
        self.effects.hearing(seg.seg_id, judged.text, judged.confidence, judged.language)
        self.effects.apply(self.turns.on_judged(seg, judged.text, v.token, v.p, self.state(), judged.other_voice,
                                                self.effects.doubtful(seg.seg_id),
                                                bool(ctx.speakers) and not judged.speaker))
