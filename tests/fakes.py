"""Test doubles for the control-logic tests: a scripted judge, an engine, TTS, an energy VAD and
inline workers, driven on virtual time (the mic timeline advances only when a frame is pushed).

These are named doubles, not stand-ins for the product: the real models are the truth in the
end-to-end replay tests, the browser test and the bench.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Callable, Coroutine, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from assistant.core.events import Bus, Event
from assistant.core.judge import JudgeContext, Judged
from assistant.core.options import Profile, load_profile
from assistant.core.runtime import Models
from assistant.core.verdict import Verdict
from assistant.core.workers import Workers
from audio.frames import FRAME_S, FRAME_SAMPLES, SAMPLE_RATE, AudioFrame
from models.llm import EngineError
from models.whisper import Transcript

log = logging.getLogger(__name__)
SPEECH_LEVEL = 0.1  # amplitude of the fake speech (noise bursts)
SPINS = 30  # loop turns after each frame: enough for the worker and the speaker to settle
RECORDED = 20  # calls a double remembers (bounded: the memory test runs for thousands of calls)


class FakeJudge:
    """Verdicts from a script of (token, p) or exceptions, one per call, the last one repeated."""

    def __init__(self, *script: tuple[str, float] | Exception, text: str = "fake words",
                 texts: tuple[str, ...] = (), other_voice: bool = False, logprob: float = -0.2,
                 language: str = "en", speaker: str = "") -> None:
        self.script: list[tuple[str, float] | Exception] = list(script) or [("query", 0.95)]
        self.text = text
        self.texts = list(texts)  # transcripts of the judged versions, one per call, the last one repeated
        self.calls: deque[JudgeContext] = deque(maxlen=RECORDED)
        self.heard = 0  # partials transcribed (hear)
        self.other_voice = other_voice  # told what speech came just before, it finds another voice at its level
        self.logprob = logprob  # Whisper's mean token log-probability of every transcript
        self.language = language  # the language every transcript is heard in
        self.speaker = speaker  # the enrolled voice every segment is heard in ("": none), once someone has enrolled

    def warm(self) -> None:
        pass

    def hear(self, pcm: np.ndarray, context: str = "", voiced: int | None = None,
             languages: tuple[str, ...] = ("en",)) -> Transcript:
        self.heard += 1
        return Transcript(self.text, 0.0, self.logprob / 10, self.language, confidence=self.logprob)

    def judge(self, pcm: np.ndarray, ctx: JudgeContext) -> Judged:
        if self.texts:
            self.text = self.texts.pop(0) if len(self.texts) > 1 else self.texts[0]
        self.calls.append(ctx)
        if ctx.heard is not None:
            ctx.heard(Transcript(self.text, 0.0, self.logprob / 10, self.language, confidence=self.logprob))
        step = self.script.pop(0) if len(self.script) > 1 else self.script[0]
        if isinstance(step, Exception):
            raise step
        token, p = step
        rest = (1 - p) / 2
        return Judged(self.text, Verdict.from_probs({"query": rest, "noise": rest, "side": rest, token: p}),
                      other_voice=self.other_voice and ctx.before is not None, language=self.language,
                      confidence=self.logprob, speaker=self.speaker if ctx.speakers else "")


@dataclass
class FakeEngine:
    """Streams a fixed reply word by word; `fail` calls raise EngineError first."""

    reply: str = ("Once upon a time a small dragon lived in a cave by the sea, and every morning it "
                  "flew over the water to watch the boats. One day a storm came in from the west.")
    fail: int = 0
    name: str = "fake"
    choice: str = '{"name": "none"}'  # what a constrained call (a host function's choice) writes
    prompts: deque[str] = field(default_factory=lambda: deque(maxlen=RECORDED))
    prefills: deque[tuple[int, str]] = field(default_factory=lambda: deque(maxlen=RECORDED))  # (slot, prompt)

    def stream(self, prompt: str, *, slot: int, max_tokens: int, on_text: Callable[[str], bool],
               temperature: float = 0.3, stop: Sequence[str] = ()) -> str:
        if self.fail:
            self.fail -= 1
            raise EngineError("fake engine: connection refused")
        self.prompts.append(prompt)
        out = ""
        for w in self.reply.split()[:max_tokens]:
            out += w + " "
            if on_text(w + " "):
                break
        return out.strip()

    def next_token_probs(self, prompt: str, *, slot: int, candidates: Sequence[str]) -> dict[str, float]:
        self.prefills.append((slot, prompt))
        return {c: 1 / len(candidates) for c in candidates}

    def complete_json(self, prompt: str, *, slot: int, schema: dict[str, Any], max_tokens: int) -> str:
        self.prompts.append(prompt)
        return self.choice

    def close(self) -> None:
        pass


@dataclass
class FakeTts:
    """A 220 Hz tone, `s_per_word` long for each word; `fail` calls raise first."""

    s_per_word: float = 0.3
    fail: int = 0

    def synthesize(self, text: str) -> np.ndarray:
        if self.fail:
            self.fail -= 1
            raise RuntimeError("fake TTS: voice file unreadable")
        n = int(len(text.split()) * self.s_per_word * SAMPLE_RATE)
        return (0.3 * np.sin(2 * np.pi * 220 * np.arange(n) / SAMPLE_RATE)).astype(np.float32)


class EnergyVad:
    """Speech probability 1 for a frame louder than half the fake speech level."""

    def __call__(self, pcm: np.ndarray) -> float:
        return 1.0 if float(np.sqrt(np.mean(pcm**2))) > SPEECH_LEVEL / 2 else 0.0

    def reset(self) -> None:
        pass


class InlineWorkers(Workers):
    """Runs every blocking call at once on the loop thread: deterministic order, no threads."""

    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[Any]] = set()

    async def run(self, lane: str, fn: Callable[..., Any], *args: Any) -> Any:  # type: ignore[override]
        out = fn(*args)
        await asyncio.sleep(0)  # as from a thread: what `fn` scheduled on the loop runs before its result
        return out

    def submit(self, lane: str, what: str, fn: Callable[..., Any], *args: Any) -> Future[Any]:  # type: ignore[override]
        done: Future[Any] = Future()
        try:
            done.set_result(fn(*args))
        except Exception as e:
            log.warning("%s failed: %s", what, e)
            done.set_exception(e)
        return done

    async def close(self) -> None:
        for t in list(self._tasks):
            t.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)


def fake_models(judge: FakeJudge | None = None, engine: FakeEngine | None = None, tts: FakeTts | None = None) -> Models:
    return Models(engine or FakeEngine(), tts or FakeTts(), judge or FakeJudge())


def profile(**policy: Any) -> Profile:
    """The embedded profile without the echo canceller (no echo path here; its denoiser would take
    the fake noise-like speech for noise): the control logic alone."""
    return load_profile("embedded", policy=policy, audio={"echo_canceller": "none"})


def speech(seconds: float, seed: int = 0) -> np.ndarray:
    """Noise at speech level: the energy VAD calls it speech."""
    return (SPEECH_LEVEL * np.random.default_rng(seed).standard_normal(int(seconds * SAMPLE_RATE))).astype(np.float32)


def silence(seconds: float) -> np.ndarray:
    return np.zeros(int(seconds * SAMPLE_RATE), np.float32)


@dataclass
class Run:
    """A core on fakes and virtual time; `events` is everything it published, `out` what it played."""

    models: Models
    bus: Bus = field(default_factory=Bus)
    record: bool = True  # keep every event in `events` (off for the memory test)
    events: list[Event] = field(default_factory=list)
    out: list[tuple[float, float]] = field(default_factory=list)  # (mic time at the end of the frame, peak)

    def __post_init__(self) -> None:
        if self.record:
            self.bus.subscribe(self.events.append)

    def of(self, kind: type) -> list[Any]:
        return [e for e in self.events if isinstance(e, kind)]


async def settle(spins: int = SPINS) -> None:
    for _ in range(spins):
        await asyncio.sleep(0)


async def feed(core: Any, mic: np.ndarray, run: Run, t0: float = 0.0, spins: int = SPINS) -> float:
    """Push `mic` frame by frame from mic time `t0`, letting the core's tasks run after each frame."""
    k0 = round(t0 / FRAME_S)
    for k in range(mic.size // FRAME_SAMPLES):
        core.on_frame(AudioFrame((k0 + k) * FRAME_S, mic[k * FRAME_SAMPLES : (k + 1) * FRAME_SAMPLES]))
        played = core.next_output()
        run.out.append((core.now, float(np.abs(played).max())))
        await settle(spins)
    return t0 + (mic.size // FRAME_SAMPLES) * FRAME_S


def scenario(run: Run, prof: Profile, body: Callable[[Any], Coroutine[Any, Any, Any]]) -> Any:
    """Open a core on `run.models` with inline workers and an energy VAD, run `body(core)`, close it."""
    from assistant.core.loop import open_core

    async def main() -> Any:
        async with open_core(run.models, prof, run.bus, workers=InlineWorkers(), vad=EnergyVad()) as core:
            return await body(core)

    return asyncio.run(main())
