"""Reading ahead: the conversation and the user's words go into a replica's KV cache before they
are needed (llama.cpp keeps a slot's common prefix, so a later prompt only prefills what changed).

- After the first audio of an answer the monitor reads the settled history (`settled`), so a
  barge-in verdict or the next answer only prefills the new words.
- While an idle user talks, each read partial transcript goes into the replica that will answer
  (`words`), and the final transcript too, while the judge is still deciding: at the verdict only
  the last words (if any) remain to prefill.
A failed prefill only costs speed: it is logged by the workers, never lost.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

import numpy as np

from assistant.core.actions import Role
from assistant.core.camera import Camera
from assistant.core.conversation import Conversation
from assistant.core.events import Bus, SegmentHeard
from assistant.core.prompt import Turn, with_camera
from assistant.core.replicas import ReplicaPair
from assistant.core.shedding import PartialGate
from assistant.core.workers import Workers
from audio.segmenter import Segment
from models.whisper import Transcript


class Reader:
    def __init__(self, conversation: Conversation, live: Callable[[], int | None], replicas: ReplicaPair,
                 workers: Workers, camera: Camera | None, bus: Bus, now: Callable[[], float],
                 asr_context: bool = True) -> None:
        self.conversation, self.live, self.replicas, self.workers, self.camera = (
            conversation, live, replicas, workers, camera)
        self.bus, self.now, self.asr_context = bus, now, asr_context
        self._reading: Future[Any] | None = None  # the last partial's prefill
        self._read: tuple[str, str] = ("", "")  # (replica, words) read last: the same words are not read twice
        self.partials = PartialGate()  # partials yield to the end's verdict (shedding.py)

    def settled(self, *opening: Turn) -> None:
        """The monitor reads the settled history (+ the opening of a turn)."""
        self.workers.submit("llm", "monitor prefill", self.replicas.monitor.prefill,
                            [*self.conversation.settled(self.live()), *opening])

    def recent(self) -> str:
        """The conversation's last words, Whisper's previous text (empty with `asr_context` off)."""
        return self.conversation.recent(self.live()) if self.asr_context else ""

    async def partial(self, seg: Segment, by: Role, hear: Callable[[np.ndarray, str, int], Transcript]) -> None:
        """Transcribe a partial of an idle user's turn (published as heard) and read it ahead, unless the
        judge lane is behind (see shedding.py)."""
        t0, w0 = self.now(), time.perf_counter()
        if not self.partials.admit(t0, seg.end, settled=seg.voiced < seg.pcm.size):
            return
        heard = await self.workers.run("judge", hear, seg.pcm, self.recent(), seg.voiced)
        self.partials.spent(t0, self.now())
        self.bus.publish(SegmentHeard(self.now(), seg.seg_id, seg.speech_start, seg.end, False, heard.text,
                                      self.now() - t0, time.perf_counter() - w0, heard.language))
        self.words(by, True)(heard)

    async def at_onset(self, camera: Camera) -> None:
        """The monitor reads the onset's camera line while the user is still talking (~35 tokens)."""
        self.settled(Turn("user", with_camera("", await camera.at_onset())))

    def words(self, by: Role, partial: bool,
              then: Callable[[Transcript], None] | None = None) -> Callable[[Transcript], None]:
        """A function (safe to call from a worker thread) that reads the user's turn so far into the
        replica that will answer it: `by` judges it and, on a query, generates. A partial is skipped
        while the previous partial's prefill still runs; the final words always go, unless they are
        the words read last. `then(transcript)` is called on the event loop afterwards."""
        loop = asyncio.get_running_loop()
        replica = self.replicas.by(by)
        history = self.conversation.settled(self.live())
        seen = self.camera.line() if self.camera is not None else None

        def read(tr: Transcript) -> None:
            text = tr.text
            if then is not None:
                loop.call_soon_threadsafe(then, tr)
            if (replica.name, text) == self._read or (partial and self._reading is not None and not self._reading.done()):
                return
            self._read = (replica.name, text)
            turn = Turn("user", text if seen is None else with_camera(text, seen))
            self._reading = self.workers.submit("llm", "read ahead", replica.prefill, [*history, turn])

        return read
