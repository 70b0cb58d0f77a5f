"""The duplex core, a thin shell: frame → Listener → onset / segment version → TurnTaker (the rules)
→ actions → `_do`, the one place where effects happen and events are published. Segment versions
wait in a mailbox for one worker, which runs the judge in one worker call. Time is the mic timeline.
"""

from __future__ import annotations

import asyncio
import functools
import logging

import numpy as np

from assistant.core import actions as do
from assistant.core import events as ev
from assistant.core.answers import Answers
from assistant.core.camera import Camera
from assistant.core.controls import HostControls
from assistant.core.conversation import Conversation
from assistant.core.effects import Effects
from assistant.core.judging import Judging, Languages
from assistant.core.mailbox import Mailbox
from assistant.core.options import Profile
from assistant.core.reader import Reader
from assistant.core.replicas import ReplicaPair
from assistant.core.runtime import Models
from assistant.core.speaker import Speaker
from assistant.core.status import Observed, status_of
from assistant.core.turns import TurnTaker
from assistant.core.workers import Workers
from audio.aec import make_canceller
from audio.frames import FRAME_S, FRAME_SAMPLES, AudioFrame
from audio.listener import Listener
from audio.playout import Playout
from audio.segmenter import SpeechOnset
from audio.vad import Vad, make_vad

log = logging.getLogger(__name__)



class DuplexCore:
    def __init__(self, models: Models, profile: Profile, bus: ev.Bus, slots: tuple[int, int] = (0, 1),
                 camera: bool = False, workers: Workers | None = None, vad: Vad | None = None) -> None:
        self.models, self.profile, self.bus = models, profile, bus
        self.now = 0.0  # s, mic timeline: the end of the last frame pushed
        self.listener = Listener(vad or make_vad(profile.models.vad), profile.segmenter,
                                 canceller=make_canceller(profile.audio.echo_canceller))
        self.playout, self.turns = Playout(), TurnTaker(profile.policy)
        self.replicas = ReplicaPair(models.engine, slots, models.lm_judge)
        self.conversation = Conversation()
        self.answers = Answers(self.conversation, profile.policy, bus, tool_slot=models.tool_slot, now=lambda: self.now,
                               knowledge=models.knowledge, strict=profile.knowledge.strict,
                               quote=profile.knowledge.answer == "quote")
        self.workers = workers or Workers()
        self.speaker = Speaker(self.playout, models.tts, self.workers, bus, lambda: self.now,
                               profile.policy.first_clause_words, lambda: self.reader.settled())
        self._mailbox = Mailbox()
        self.workers.failed = lambda what, e: bus.publish(ev.Error(self.now, f"{what}: {e}"))
        vector = getattr(models.judge, "speaker_vector", None)
        self.controls = HostControls(bus, lambda: self.now, self.workers.spawn,
                                     (lambda pcm: self.workers.run("judge", vector, pcm)) if vector else None,
                                     lambda on: self._do(self.turns.on_push_to_talk(on, self._state())),
                                     self.turns.on_enrolling)
        self.mute, self.push_to_talk, self.enrol = self.controls.mute, self.controls.push_to_talk, self.controls.enrol
        self.status: tuple[str, str] = ("", "")  # the state word last published, and its detail
        self.camera = Camera(models.vision, profile.vision, bus, lambda: self.now,
                             lambda: self._mailbox.pending or self.speaker.preparing) if camera else None
        if self.camera is not None:
            self.replicas.see()
        if models.knowledge is not None:
            self.replicas.consult()
        self.effects = Effects(bus, lambda: self.now, profile.policy, playout=self.playout, speaker=self.speaker,
                               listener=self.listener, replicas=self.replicas, answers=self.answers,
                               conversation=self.conversation, camera=self.camera)
        self._do = self.effects.apply
        self.languages = Languages()
        self.set_language("auto" if len(profile.language.hear) > 1 else profile.language.hear[0])
        self.reader = Reader(self.conversation, lambda: self.speaker.live, self.replicas, self.workers, self.camera,
                             bus, lambda: self.now, profile.models.asr_context)
        self.judging = Judging(models, profile, bus, lambda: self.now, workers=self.workers, turns=self.turns,
                               state=self._state, effects=self.effects, controls=self.controls, speaker=self.speaker,
                               conversation=self.conversation, replicas=self.replicas, reader=self.reader,
                               camera=self.camera, languages=self.languages)

    def on_video(self, t: float, rgb: np.ndarray) -> None:
        """A camera frame (H×W×3 uint8 RGB) taken at `t` on the mic timeline."""
        if self.camera is not None:
            self.camera.push(t, rgb)

    async def warm(self) -> None:
        """Prefill both replicas' slots with the system prompt, so the first verdict is fast; load the tools' data."""
        await asyncio.gather(*(self.workers.run("llm", r.prefill, []) for r in self.replicas))
        await self.workers.run("judge", self.models.judge.warm)
        await self.workers.run("judge", self.answers.tools.warm)  # (the packaged facts: not on the loop at the first question)

    def start(self) -> None:
        self.workers.spawn(self._work())
        if self.camera is not None:
            self.workers.spawn(self.camera.run())

    async def stop(self) -> None:
        await self.speaker.close()
        await self.workers.close()
        if self.camera is not None:
            self.camera.close()

    def ask(self, text: str) -> None:
        """A user turn as text (a host, a test): cut what is playing, answer it now."""
        self.bus.publish(ev.Control(self.now, "ask"))
        self._do(self.turns.on_typed(text, self._state()))

    def say(self, text: str) -> None:
        """Speak a host's sentence now (what plays is cut); the history keeps it as the assistant's."""
        self.bus.publish(ev.Control(self.now, "say"))
        self._do(self.turns.on_say(text, self._state()))

    def set_language(self, language: str) -> None:
        """What this session hears: "en", "zh", or "auto" (both; each segment's language read while it is
        said). ValueError (one line) if the models loaded cannot hear it."""
        both = self.profile.language.hear if len(self.profile.language.hear) == 2 else ("zh", "en")
        wanted = {"en": ("en",), "zh": ("zh",), "auto": both}.get(language)
        if wanted is None:
            raise ValueError(f"language must be en, zh or auto, got {language!r}")
        if "zh" in wanted and self.models.multilingual is None:
            raise ValueError(f"{language!r} needs Whisper base multilingual: a profile whose [language] hears zh")
        self.languages.expected, self.languages.mode = wanted, language
        self.replicas.speak_chinese("zh" in wanted)
        self.bus.publish(ev.LanguageSet(self.now, language, wanted))

    def stop_speaking(self) -> None:
        """Cut the answer that plays (the history keeps what was heard)."""
        self.bus.publish(ev.Control(self.now, "stop"))
        self._do(self.turns.on_stop(self._state()))

    @property
    def idle(self) -> bool:
        return not (self.speaker.speaking or self._mailbox.pending or self.listener.in_speech)

    def _state(self) -> do.Now:
        return do.Now(self.now, self.speaker.speaking)

    def on_frame(self, frame: AudioFrame) -> None:
        self.now = frame.t + FRAME_S
        if self.controls.muted:
            frame = AudioFrame(frame.t, np.zeros_like(frame.pcm))
        for heard in self.listener.push(frame):
            if isinstance(heard, SpeechOnset):
                self.bus.publish(ev.SpeechStart(self.now, heard.seg_id, self.speaker.speaking))
                if self.camera is not None:  # on demand: a frame from when the speech began
                    self.workers.spawn(self.reader.at_onset(self.camera))
                self._do(self.turns.on_onset(heard, self._state()))
            else:
                if heard.stage != "partial":
                    self.judging.spoken(heard)
                self.controls.heard(heard)
                if self.turns.admit(heard, self._state()):
                    self._mailbox.put(heard)

    def next_output(self) -> np.ndarray:
        """The next 20 ms of assistant audio for the speaker; remembered as the echo reference."""
        self._do(self.turns.on_tick(self._state()))
        self.controls.tick()
        pcm = self.playout.pull(FRAME_SAMPLES)
        self.listener.played(pcm)
        self._show()
        return pcm

    def _show(self) -> None:
        """Publish the state word when it changes."""
        r = self.speaker.reply
        shown = status_of(Observed(self.now, self.controls.muted, self.listener.in_speech or self._mailbox.pending,
                                   r is not None and r.generating and not r.held and not r.heard_any,
                                   self.playout.busy and not self.playout.paused, self.playout.paused,
                                   *self.effects.ignored))
        if shown != self.status:
            self.status = shown
            self.bus.publish(ev.Status(self.now, *shown))

    async def _work(self) -> None:
        while True:
            seg = await self._mailbox.get()
            try:
                for act in self.turns.on_segment(seg, self._state()):
                    if isinstance(act, do.Judge):
                        await self.judging.judge(seg, act)
                    elif isinstance(act, do.Read):  # an idle user's words so far, into the next generator
                        await self.reader.partial(seg, act.by, functools.partial(self.models.judge.hear,
                                                                                   languages=self.languages.expected))
                    else:
                        self._do([act])
            except Exception as e:  # a failure costs this segment, never the session
                log.exception("segment %d", seg.seg_id)
                self._do(self.turns.forget_judging())
                self.bus.publish(ev.Error(self.now, f"segment {seg.seg_id}: {e}"))
            finally:
                self._mailbox.done()
