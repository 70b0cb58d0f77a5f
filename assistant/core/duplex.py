"""The duplex core: mic frames in, events out, answer audio into the playout buffer.

Flow: frame → VAD → segmenter → (partial/final segment) → shared encoder (once per segment
version) → transcript + monitor verdict (state token) → maybe interrupt + swap → answer
(generator streams text → clauses → TTS → playout). Heavy work runs in worker threads; the
core itself runs on one asyncio loop and is the only writer of its state.
"""

from __future__ import annotations

import asyncio
import itertools
import math
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from assistant.core.camera import Camera
from assistant.core.clauses import ClauseSplitter, speakable
from assistant.core.clock import Clock
from assistant.core.events import (
    Bus,
    Duck,
    Error,
    Ignored,
    Interrupt,
    Paused,
    ReplyAudio,
    ReplyDone,
    ReplyHeard,
    ReplyText,
    RolesSwapped,
    SegmentEnded,
    SpeechStart,
    StateToken,
    UserTurn,
)
from assistant.core.gaze_cue import with_gaze
from assistant.core.judge import Verdict, combine
from assistant.core.options import Profile
from assistant.core.prompt import Turn, with_camera
from assistant.core.replicas import Replica
from assistant.core.runtime import Models
from assistant.core.scene_words import describe
from audio.frames import FRAME_SAMPLES, SAMPLE_RATE, AudioFrame
from audio.owngate import OwnVoiceGate
from audio.playout import Playout
from audio.segmenter import Segment, Segmenter, SpeechOnset
from audio.vad import make_vad
from models.llm import EngineError
from models.whisper import Encoded, Transcript


@dataclass
class _Reply:
    id: int
    turn: Turn  # the assistant turn in the history; its text becomes what was heard on interrupt
    user: Turn  # the user turn it answers
    cancel: threading.Event = field(default_factory=threading.Event)
    task: asyncio.Task[Any] | None = None
    generating: bool = True
    held: bool = False  # prepared on a tentative end: audio waits until the final confirms it
    held_audio: list[tuple[np.ndarray, str]] = field(default_factory=list)
    done_text: str | None = None  # the whole answer, once generated
    heard_any: bool = False  # its first audio is queued


_CORE_IDS = itertools.count()


def _reason(v: Verdict) -> str:
    return "noise" if v.token == "noise" else "not addressed"


@dataclass
class _Early:
    """What a tentative end produced, reused when the final segment brings no new speech."""

    speech_end: float
    text: str
    verdict: Verdict
    reply: _Reply | None = None


class DuplexCore:
    def __init__(self, models: Models, profile: Profile, bus: Bus, clock: Clock, slots: tuple[int, int] = (0, 1)) -> None:
        self.models = models
        self.profile = profile
        self.bus = bus
        self.clock = clock
        self.vad = make_vad(profile.models.vad)
        self.segmenter = Segmenter(profile.segmenter)
        self._uid = next(_CORE_IDS)  # tells this core's segments apart in the shared encoder cache
        self.playout = Playout()
        self.own_voice = OwnVoiceGate()  # the assistant's own voice coming back must not count as speech
        # two replicas of one model, each with its own KV-cache slot (a session owns a slot pair)
        lm = models.monitor is None  # no trained head: the LM judges, and its prompt carries the rules
        a, b = Replica("A", slots[0], models.engine, "generator", lm), Replica("B", slots[1], models.engine, "monitor", lm)
        self.generator, self.monitor = a, b
        self.history: list[Turn] = []
        self._reply: _Reply | None = None
        self._next_reply = 0
        self._owned_segment: int | None = None  # a segment whose judge already took the generator role
        self._barge_segs: set[int] = set()  # segments that began while the assistant spoke, not yet decided
        self._pending: dict[int, Segment] = {}  # latest version of each segment not yet handled
        self._early: dict[int, _Early] = {}  # tentative ends awaiting their final segment
        self._wake = asyncio.Event()
        self._busy = False
        self._tts_hold_until = 0.0  # mic time until which TTS waits, freeing the CPU for a verdict
        self._ducked: tuple[int, float] | None = None  # (segment, mic time the duck ends by itself)
        self._paused: int | None = None  # segment whose confident `query` partial paused the answer
        # ASR and TTS share one thread each; two for the LLM (monitor and generator at once)
        self._asr = ThreadPoolExecutor(1, thread_name_prefix="asr")
        self._tts = ThreadPoolExecutor(1, thread_name_prefix="tts")
        self._llm = ThreadPoolExecutor(2, thread_name_prefix="llm")
        self._worker: asyncio.Task[None] | None = None
        self._tasks: set[asyncio.Task[Any]] = set()
        self.camera: Camera | None = None  # see attach_camera()
        self._scene_line: str | None = None  # what the camera saw at the last speech onset, for the answer

    def attach_camera(self) -> Camera:
        """This session has a camera: frames go to `on_video`, answers and verdicts read what it sees.
        Call before `warm()` (the replicas' system prompt then says how to use the camera line)."""
        if self.models.vision is None:
            raise RuntimeError("a camera needs the vision encoders: load_models(..., vision=True)")
        self.camera = Camera(self.models.vision, self.profile.vision, self.bus, self.clock, self._uid)
        self.generator.camera = self.monitor.camera = True
        return self.camera

    def on_video(self, t: float, rgb: np.ndarray) -> None:
        """A camera frame (H×W×3 uint8 RGB) taken at `t` on the mic clock."""
        if self.camera is not None:
            self.camera.push(t, rgb)

    # ---- lifecycle -------------------------------------------------------------------------
    async def warm(self) -> None:
        """Prefill both replicas' slots with the system prompt, so the first verdict is fast."""
        await asyncio.gather(*(self._run(self._llm, r.prefill, []) for r in (self.generator, self.monitor)))
        if self.models.monitor:
            await self._run(self._llm, self.models.monitor.state.state, "hello")

    def start(self) -> None:
        self._worker = asyncio.get_running_loop().create_task(self._segment_worker())
        if self.camera is not None:
            self._spawn(self.camera.run())

    def _spawn(self, coro: Any) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def stop(self) -> None:
        if self._reply:
            self._reply.cancel.set()
        for t in [self._worker, *self._tasks]:
            if t:
                t.cancel()
        await asyncio.gather(*[t for t in [self._worker, *self._tasks] if t], return_exceptions=True)
        for pool in (self._asr, self._tts, self._llm):
            pool.shutdown(wait=True, cancel_futures=True)
        if self.camera is not None:
            self.camera.close()

    @property
    def speaking(self) -> bool:
        """The assistant is talking or about to: a reply is being generated or audio is queued."""
        r = self._reply
        return (r is not None and r.generating and not r.held) or self.playout.busy

    @property
    def idle(self) -> bool:
        return not self.speaking and not self._pending and not self._busy and not self.segmenter.in_speech

    # ---- per mic frame (called on the loop, every 20 ms) --------------------------------------
    def on_frame(self, frame: AudioFrame) -> None:
        p = self.vad(frame.pcm)
        if self.own_voice.is_own_voice(frame.pcm):
            p = 0.0
        for ev in self.segmenter.push(frame, p):
            if isinstance(ev, SpeechOnset):
                speaking = self.speaking
                self.bus.publish(SpeechStart(self.clock.now(), ev.seg_id, speaking))
                if self.camera is not None:  # on demand: a frame from when the speech began
                    self._spawn(self._see_at_onset())
                if speaking:  # duck at once, then decide; TTS waits so the verdict gets the CPU
                    self._barge_segs.add(ev.seg_id)
                    self._tts_hold_until = self.clock.now() + self.profile.policy.tts_hold_s
                    self._duck(ev.seg_id)
            elif ev.final or self._may_barge_in(ev) or (ev.tentative and not self.speaking):
                self._pending[ev.seg_id] = ev
                self._wake.set()

    def _duck(self, seg_id: int) -> None:
        """Lower the playout (or keep it low for another `duck_max_s`) while a verdict is pending."""
        pol = self.profile.policy
        self.playout.duck_gain = 10 ** (pol.duck_db / 20)
        was, self._ducked = self._ducked, (seg_id, self.clock.now() + pol.duck_max_s)
        if was is None:
            self.bus.publish(Duck(self.clock.now(), seg_id, True, pol.duck_db))

    def _pause(self, seg_id: int, p: float) -> None:
        """Silence the answer without losing it (the duck no longer times out) until the segment ends."""
        if self._paused is None and self._reply is not None:
            self.playout.paused = True
            self._paused = seg_id
            self._ducked = (seg_id, math.inf)
            self.bus.publish(Paused(self.clock.now(), seg_id, self._reply.id, p))

    def _unduck(self) -> None:
        """Full volume again; a paused answer plays on from where it stopped."""
        self._paused = None
        self.playout.paused = False
        if self._ducked is None:
            return
        seg_id, _ = self._ducked
        self._ducked = None
        self.playout.duck_gain = 1.0
        self.bus.publish(Duck(self.clock.now(), seg_id, False, 0.0))

    def next_output(self) -> np.ndarray:
        """The next 20 ms of assistant audio for the speaker; remembered as the echo reference."""
        if self._ducked is not None and self.clock.now() > self._ducked[1]:
            self._unduck()  # no verdict in time: carry on at full volume
        pcm = self.playout.pull(FRAME_SAMPLES)
        self.own_voice.played(pcm)
        return pcm

    def _may_barge_in(self, seg: Segment) -> bool:
        """Speech over the assistant (even if it has finished since) long enough to be judged."""
        speech_ms = (seg.end - seg.speech_start) * 1000
        over_it = self.speaking or seg.seg_id in self._barge_segs
        return over_it and speech_ms >= self.profile.policy.barge_in_min_speech_ms

    # ---- segments --------------------------------------------------------------------------
    async def _segment_worker(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            while self._pending:
                seg_id = min(self._pending)
                seg = self._pending.pop(seg_id)
                self._busy = True
                try:
                    await self._handle(seg)
                except EngineError as e:
                    self.bus.publish(Error(self.clock.now(), str(e)))
                finally:
                    self._busy = False

    async def _run(self, pool: ThreadPoolExecutor, fn: Any, *args: Any) -> Any:
        return await asyncio.get_running_loop().run_in_executor(pool, fn, *args)

    async def _handle(self, seg: Segment) -> None:
        if self.speaking or seg.seg_id in self._barge_segs:
            if self._may_barge_in(seg) or seg.final:
                await self._barge_in(seg)
            return
        if not (seg.final or seg.tentative):
            return  # the assistant stopped talking meanwhile: wait for the end of the segment
        early = self._early.pop(seg.seg_id, None)
        if early and seg.final and early.speech_end == seg.speech_end:
            self._settle(seg, early)  # only silence since the tentative end: its work stands
            return
        if early and early.reply:  # the user went on talking: the prepared answer is void
            self._drop(early.reply)
        enc, tr = await self._transcribe(seg)
        # the monitor judges; on `query` it has just read the turn into its cache, so it takes
        # the generator role and drafts the answer (held back until the segment is over)
        judge = self.generator if seg.seg_id == self._owned_segment else self.monitor
        v = await self._verdict(seg, enc, tr, judge)
        rec = _Early(seg.speech_end, tr.text, v)
        if v.token == "query":
            if judge is self.monitor:
                self._swap()
                self._owned_segment = seg.seg_id
            rec.reply = self._answer(tr.text, seg.seg_id, held=True)
        if seg.tentative:
            self._early[seg.seg_id] = rec
        else:
            self._settle(seg, rec, publish_segment=False)

    async def _barge_in(self, seg: Segment) -> None:
        """Speech while the assistant talks: the monitor decides; a query interrupts and swaps roles."""
        enc, tr = await self._transcribe(seg)
        v = await self._verdict(seg, enc, tr, self.monitor)
        if seg.final:
            self._barge_segs.discard(seg.seg_id)
        paused = self._paused == seg.seg_id
        # a paused answer resumes as soon as the speech stops (a tentative end) and is not judged a
        # query: if the talk goes on, the next confident partial pauses it again
        resume = seg.final or (paused and seg.tentative)
        if v.token == "query" and v.p < self.profile.policy.barge_in_min_p_query:
            # leaning to query but not sure (often the first words of side talk): stay ducked and
            # listen on; the next partial decides, or the duck times out and the answer goes on
            if resume:
                self._unduck()
            if seg.final:
                self.bus.publish(Ignored(self.clock.now(), seg.seg_id, "unsure", v.p))
            return
        if v.token != "query":
            if paused and not resume:
                return  # paused on a confident partial: the end of the utterance decides
            self._unduck()  # noise or side talk: back to full volume, keep talking
            if seg.final:
                self.bus.publish(Ignored(self.clock.now(), seg.seg_id, _reason(v), v.p))
            return
        if self.profile.policy.confirm_on_final and not seg.final and self._reply is not None:
            self._pause(seg.seg_id, v.p)  # silent and kept until the whole utterance is judged
            return
        self._barge_segs.discard(seg.seg_id)  # decided: the rest of this segment is a user turn
        if self.speaking:  # (it may have finished its answer while the user was talking)
            self._interrupt(seg.seg_id)
        self._unduck()  # the playout is empty now; the next answer plays at full volume
        self._swap()
        self._owned_segment = seg.seg_id  # the new generator judges the rest of this segment itself
        if seg.final:  # the whole barge-in was heard at once: answer it now
            draft = self._answer(tr.text, seg.seg_id, held=True)
            self._settle(seg, _Early(seg.speech_end, tr.text, v, draft), publish_segment=False)

    async def _transcribe(self, seg: Segment) -> tuple[Encoded, Transcript]:
        # the encoder cache is shared by every session and replay: key by this core as well
        enc: Encoded = await self._run(self._asr, self.models.encoder.encode, (self._uid, *seg.key), seg.pcm)
        tr: Transcript = await self._run(self._asr, self.models.encoder.transcribe, enc)
        self.bus.publish(SegmentEnded(self.clock.now(), seg.seg_id, seg.speech_start, seg.end, seg.final, tr.text))
        return enc, tr

    async def _verdict(self, seg: Segment, enc: Encoded, tr: Transcript, judge: Replica) -> Verdict:
        speaking = self._reply.turn.text if self._reply and not self._reply.held else ""
        if self.models.monitor:  # the trained head: sound + words + context
            v: Verdict = await self._run(self._llm, self.models.monitor.verdict, enc, tr, speaking)
        else:  # the untrained LM judging the transcript in the conversation
            context = [*self._settled_history(), Turn("user", tr.text)]
            v = combine(await self._run(self._llm, judge.state_probs, context), tr, speaking)
        if self.camera is not None:  # a face turned toward the device (or nobody looking) weighs in
            v = with_gaze(v, self.camera.latest(), self.profile.vision.gaze_weight)
        now = self.clock.now()
        self._tts_hold_until = 0.0
        self.bus.publish(StateToken(now, seg.seg_id, v.token, v.p, v.probs, judge.name, seg.final, now - seg.end))
        return v

    def _settle(self, seg: Segment, early: _Early, publish_segment: bool = True) -> None:
        """The segment is over: release its held answer, or say why it is ignored."""
        now = self.clock.now()
        self._owned_segment = None
        if publish_segment:
            self.bus.publish(SegmentEnded(now, seg.seg_id, seg.speech_start, seg.end, True, early.text))
        r = early.reply
        if r is None or r.cancel.is_set():
            self.bus.publish(Ignored(now, seg.seg_id, _reason(early.verdict), early.verdict.p))
            return
        self.bus.publish(UserTurn(now, seg.seg_id, early.text))  # what was said (the turn may carry a camera line)
        r.held = False
        for pcm, words in r.held_audio:
            self._queue_audio(r, pcm, words)
        r.held_audio.clear()
        if r.done_text is not None:
            self.bus.publish(ReplyDone(now, r.id, r.done_text))

    def _drop(self, r: _Reply) -> None:
        """Forget a prepared answer that was never heard (speech went on after a tentative end)."""
        r.cancel.set()
        r.generating = False
        if r.task:
            r.task.cancel()
        self.history = [t for t in self.history if t is not r.turn and t is not r.user]
        if self._reply is r:
            self._reply = None

    def _settled_history(self) -> list[Turn]:
        """The history without the reply still being spoken: what the monitor judges against.

        Leaving the live reply out keeps the monitor's cached prefix valid while the generator
        talks, so a barge-in verdict only prefills the new words (~0.3 s instead of ~1.3 s here).
        """
        live = self._reply.turn if self._reply else None
        return [t for t in self.history if t is not live]

    # ---- roles, interruption ---------------------------------------------------------------
    def _swap(self) -> None:
        self.generator, self.monitor = self.monitor, self.generator
        self.generator.role, self.monitor.role = "generator", "monitor"
        self.bus.publish(RolesSwapped(self.clock.now(), self.generator.name, self.monitor.name))

    async def _see_at_onset(self) -> None:
        """Encode the frame from the speech onset and read its camera line into the monitor's cache
        while the user is still talking (the monitor becomes the generator if this is a query), so
        the ~35 tokens of the line cost no time after the user stops."""
        assert self.camera is not None
        await self.camera.sample()
        self._scene_line = describe(self.camera.latest())
        self._prefill_monitor(Turn("user", with_camera("", self._scene_line)))

    def _prefill_monitor(self, *opening: Turn) -> None:
        """Let the monitor read the settled history (and the `opening` of a turn) into its cache, so
        a barge-in verdict only prefills the new words (~0.3 s instead of ~1 s here)."""
        fut = asyncio.get_running_loop().run_in_executor(self._llm, self.monitor.prefill,
                                                         [*self._settled_history(), *opening])
        fut.add_done_callback(lambda f: f.exception())  # a failed prefill only costs speed

    def _interrupt(self, seg_id: int) -> None:
        r = self._reply
        if r is None:
            return
        r.cancel.set()
        r.generating = False
        if r.task:
            r.task.cancel()
        self.playout.flush()
        heard = self.playout.heard_text(r.id)
        r.turn.text = heard + " …" if heard else "…"
        self.playout.forget(r.id)
        self._reply = None
        now = self.clock.now()
        self.bus.publish(Interrupt(now, seg_id, r.id))
        self.bus.publish(ReplyHeard(now, r.id, heard))

    # ---- answering -------------------------------------------------------------------------
    def _answer(self, text: str, seg_id: int, held: bool = False) -> _Reply:
        if not held:
            self.bus.publish(UserTurn(self.clock.now(), seg_id, text))
        if self.camera is not None:  # the model also gets what the camera saw when this was said
            text = with_camera(text, self._scene_line or describe(self.camera.latest()))
        user = Turn("user", text)
        self.history.append(user)
        r = _Reply(self._next_reply, Turn("assistant", "", self._next_reply), user, held=held)
        self._next_reply += 1
        self._reply = r
        r.task = asyncio.get_running_loop().create_task(self._speak(r, list(self.history)))
        self.history.append(r.turn)
        self._tasks.add(r.task)
        r.task.add_done_callback(self._tasks.discard)
        return r

    async def _speak(self, r: _Reply, context: list[Turn]) -> None:
        loop = asyncio.get_running_loop()
        deltas: asyncio.Queue[str | None] = asyncio.Queue()
        gen = self.generator
        pol = self.profile.policy

        def on_text(d: str) -> bool:
            loop.call_soon_threadsafe(deltas.put_nowait, d)
            return r.cancel.is_set()

        def generate() -> str:
            try:
                return gen.generate(context, on_text, pol.max_reply_tokens, pol.temperature)
            finally:
                loop.call_soon_threadsafe(deltas.put_nowait, None)

        fut = loop.run_in_executor(self._llm, generate)
        splitter = ClauseSplitter(pol.first_clause_words)
        full = ""
        try:
            while (d := await deltas.get()) is not None:
                full += d
                r.turn.text = full.strip()
                for clause in splitter.push(d):
                    await self._say(r, clause)
            for clause in splitter.flush():
                await self._say(r, clause)
            await fut
            r.generating = False
            r.done_text = full.strip()
            if not r.held:
                self.bus.publish(ReplyDone(self.clock.now(), r.id, r.done_text))
        except asyncio.CancelledError:
            r.cancel.set()
            raise
        except EngineError as e:
            r.generating = False
            self.bus.publish(Error(self.clock.now(), str(e)))

    async def _say(self, r: _Reply, clause: str) -> None:
        words = speakable(clause)
        if not words or r.cancel.is_set():
            return
        # TTS waits at a barge-in onset, and all the while the answer is paused (nothing is played
        # meanwhile), so the verdicts get the CPU
        while (self.clock.now() < self._tts_hold_until or self._paused is not None) and not r.cancel.is_set():
            await asyncio.sleep(0.02)
        pcm = await self._run(self._tts, self.models.tts.synthesize, words)
        if r.cancel.is_set():
            return
        if r.held:
            r.held_audio.append((pcm, words))
        else:
            self._queue_audio(r, pcm, words)

    def _queue_audio(self, r: _Reply, pcm: np.ndarray, words: str) -> None:
        first = not r.heard_any
        r.heard_any = True
        self.playout.push(pcm, r.id, words)
        if first:  # the user hears the answer now: the monitor can read the history in the slack
            self._prefill_monitor()
        now = self.clock.now()
        self.bus.publish(ReplyText(now, r.id, words))
        self.bus.publish(ReplyAudio(now, r.id, pcm.size / SAMPLE_RATE))
