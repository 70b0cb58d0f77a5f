"""One answer's life: LLM text deltas → clauses → TTS → the playout buffer.

A reply is drafted held (its audio waits until the user's turn is released), may be paused
(TTS waits on `may_speak`, an event, not a polling loop), and ends one of three ways: it runs
out, it is `cut` (what was heard is returned; the rest is flushed) or it is `drop`ped (never
heard). Any failure of the engine or TTS is an `Error` event and the reply ends; the session goes on.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np

from assistant.core.clauses import ClauseSplitter, speakable
from assistant.core.events import Bus, Error, ReplyAudio, ReplyDone, ReplyProgress, ReplyText
from assistant.core.prompt import Turn
from assistant.core.workers import Workers
from audio.frames import SAMPLE_RATE
from audio.playout import Playout
from models.llm import OnText

log = logging.getLogger(__name__)
CLOSE_S = 5.0  # s a cancelled reply may take to end when the session closes


class Tts(Protocol):
    def synthesize(self, text: str) -> np.ndarray: ...  # 16 kHz mono float32


Generate = Callable[[OnText], str]  # runs the LLM (blocking), calling back with each text delta


@dataclass
class Reply:
    id: int
    turn: Turn  # the assistant turn in the conversation: its text grows with the answer
    held: bool = True  # drafted while the user may still be talking: audio waits for the release
    cancel: threading.Event = field(default_factory=threading.Event)  # read by the LLM's thread
    task: asyncio.Task[Any] | None = None
    generating: bool = True
    held_audio: list[tuple[np.ndarray, str]] = field(default_factory=list)
    done: bool = False  # the whole answer was generated
    heard_any: bool = False  # its first audio is queued
    clauses: int = 0  # clauses sent on to TTS


class Speaker:
    def __init__(self, playout: Playout, tts: Tts, workers: Workers, bus: Bus, now: Callable[[], float],
                 first_clause_words: int, on_first_audio: Callable[[], None]) -> None:
        self.playout = playout
        self.tts = tts
        self.workers = workers
        self.bus = bus
        self.now = now  # s, mic timeline
        self.first_clause_words = first_clause_words
        self.on_first_audio = on_first_audio  # the user hears the answer now: time for slack work
        self.reply: Reply | None = None  # the live reply (the last one started, not cut or dropped)
        self.may_speak = asyncio.Event()
        self.may_speak.set()

    @property
    def speaking(self) -> bool:
        """Talking or about to: a reply is being generated (not held) or audio is queued."""
        r = self.reply
        return (r is not None and r.generating and not r.held) or self.playout.busy

    @property
    def preparing(self) -> bool:
        """An answer is being generated and none of it is playing yet."""
        r = self.reply
        return r is not None and r.generating and not r.heard_any

    @property
    def live(self) -> int | None:
        """The id of the reply still being made, held or heard (its turn may change); None once it is
        over (then the history settles with it: the next turn is read and heard after it)."""
        r = self.reply
        return r.id if r is not None and (r.generating or r.held or self.playout.busy) else None

    @property
    def saying(self) -> str:
        """What the assistant is saying now (context for its own voice coming back)."""
        r = self.reply
        return r.turn.text if r is not None and not r.held else ""

    def hold(self, on: bool) -> None:
        if on:
            self.may_speak.clear()
        else:
            self.may_speak.set()

    def start(self, rid: int, turn: Turn, generate: Generate) -> Reply:
        r = Reply(rid, turn)
        self.reply = r
        r.task = asyncio.get_running_loop().create_task(self._run(r, generate))
        return r

    def release(self, rid: int) -> None:
        """The user's turn is over: the reply's audio may play."""
        r = self.reply
        if r is None or r.id != rid:
            return
        r.held = False
        for pcm, words in r.held_audio:
            self._queue(r, pcm, words)
        r.held_audio.clear()
        if r.done:
            self.bus.publish(ReplyDone(self.now(), r.id, r.turn.text))

    def cut(self, rid: int) -> str:
        """Stop the reply now; return the words the user heard."""
        self._end(rid)
        self.playout.flush()
        heard = self.playout.heard_text(rid)
        self.playout.forget(rid)
        return heard

    def drop(self, rid: int) -> None:
        """Forget a reply that was never heard."""
        self._end(rid)

    def _end(self, rid: int) -> None:
        r = self.reply
        if r is None or r.id != rid:
            return
        r.cancel.set()
        r.generating = False
        if r.task is not None:
            r.task.cancel()
        self.reply = None

    async def close(self) -> None:
        r = self.reply
        if r is not None:
            self._end(r.id)
            if r.task is not None:
                _, late = await asyncio.wait([r.task], timeout=CLOSE_S)
                if late:
                    log.error("reply %d did not end within %.0f s of its cancel", r.id, CLOSE_S)

    async def _run(self, r: Reply, generate: Generate) -> None:
        loop = asyncio.get_running_loop()
        deltas: asyncio.Queue[str | None] = asyncio.Queue()

        def on_text(d: str) -> bool:
            loop.call_soon_threadsafe(deltas.put_nowait, d)
            return r.cancel.is_set()

        def run() -> str:
            try:
                return generate(on_text)
            finally:
                loop.call_soon_threadsafe(deltas.put_nowait, None)

        fut = asyncio.ensure_future(self.workers.run("llm", run))
        splitter = ClauseSplitter(self.first_clause_words)
        full = ""
        try:
            while (d := await deltas.get()) is not None:
                if not full:
                    self.bus.publish(ReplyProgress(self.now(), r.id, "first_token"))
                full += d
                r.turn.text = full.strip()
                for clause in splitter.push(d):
                    await self._say(r, clause)
            for clause in splitter.flush():
                await self._say(r, clause)
            await fut
            r.done = True
            if not r.held:
                self.bus.publish(ReplyDone(self.now(), r.id, r.turn.text))
        except asyncio.CancelledError:
            r.cancel.set()
            raise
        except Exception as e:  # the engine or TTS failed: say so, end this reply, keep the session
            log.exception("reply %d failed", r.id)
            self.bus.publish(Error(self.now(), f"reply {r.id}: {e}"))
            r.cancel.set()
        finally:
            r.generating = False

    async def _say(self, r: Reply, clause: str) -> None:
        words = speakable(clause)
        if not words or r.cancel.is_set():
            return
        if not r.clauses:
            self.bus.publish(ReplyProgress(self.now(), r.id, "first_clause"))
        r.clauses += 1
        await self.may_speak.wait()  # a barge-in is being judged, or the answer is paused
        pcm = await self.workers.run("tts", self.tts.synthesize, words)
        if r.cancel.is_set():
            return
        if r.held:
            r.held_audio.append((pcm, words))
        else:
            self._queue(r, pcm, words)

    def _queue(self, r: Reply, pcm: np.ndarray, words: str) -> None:
        first = not r.heard_any
        r.heard_any = True
        self.playout.push(pcm, r.id, words)
        if first:
            self.on_first_audio()
        now = self.now()
        self.bus.publish(ReplyText(now, r.id, words))
        self.bus.publish(ReplyAudio(now, r.id, pcm.size / SAMPLE_RATE))
