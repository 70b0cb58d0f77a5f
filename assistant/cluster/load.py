"""`assistant cluster load`: N sessions of real speech against a cluster, for N in a few steps.

Bounded: each step opens N sessions one after another (as users arrive), has every session that
was taken ask `TURNS` questions together, then closes them all. Reported per N: sessions taken
and refused, turns answered (user turn + reply done + the answer heard on the track), and the
voice-to-voice time (end of the question's audio → first loud answer frame at the client) p50/p95
with its denominator. Not a test: no bar is asserted.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from assistant.bench.metrics import percentile
from assistant.cluster.client import SessionClient, Turn
from audio.synth import espeak, flite

log = logging.getLogger(__name__)
TURNS = 2  # questions per session per step
ANSWER_S = 60.0  # s a turn may take before it counts as unanswered
LEAD_S = 0.5  # s of silence before each question
PHRASES = ["What is the capital of Spain?", "How many minutes are in an hour?", "What do bees make?",
           "Which planet is closest to the sun?", "What is the opposite of cold?", "How many wheels does a bicycle have?",
           "What language is spoken in Brazil?", "What is ten minus four?"]
VOICES: list[Callable[[str], np.ndarray]] = [lambda t: espeak(t, "en-us"), lambda t: flite(t, "slt"),
                                             lambda t: espeak(t, "en-gb+f2"), lambda t: flite(t, "awb")]


@dataclass(frozen=True)
class Step:
    sessions: int  # sessions asked for
    taken: int
    refused: int
    asked: int  # turns asked (by taken sessions)
    answered: int
    v2v_p50_s: float | None
    v2v_p95_s: float | None
    v2v_n: int  # turns with a voice-to-voice time
    missed: tuple[str, ...] = ()  # each unanswered turn: its phrase, voice and what was missing


async def _step(url: str, n: int, offset: int) -> Step:
    clients = [SessionClient(url) for _ in range(n)]
    taken = [c for c in clients if await c.connect()]
    try:
        await asyncio.gather(*(c.start_media() for c in taken))
        turns: list[Turn] = []
        asked: list[str] = []
        for k in range(TURNS):
            said = []
            for i, c in enumerate(taken):
                j = offset + k * len(taken) + i
                audio = VOICES[j % len(VOICES)](PHRASES[j % len(PHRASES)])
                asked.append(f"{PHRASES[j % len(PHRASES)]!r} (voice {j % len(VOICES)})")
                said.append(c.say(np.concatenate([np.zeros(int(LEAD_S * 16000), np.float32), audio])))
            now = await asyncio.gather(*said)
            await asyncio.gather(*(c.wait_answer(t, ANSWER_S) for c, t in zip(taken, now, strict=True)))
            turns += now
    finally:
        for c in clients:
            await c.close()
    v2v = [t.voice_to_voice_s for t in turns if t.answered and t.voice_to_voice_s is not None]
    p50, p95 = percentile(v2v, 50), percentile(v2v, 95)
    missed = tuple(f"{a}: {_why(t)}" for a, t in zip(asked, turns, strict=True) if not t.answered)
    return Step(n, len(taken), n - len(taken), len(turns), sum(1 for t in turns if t.answered),
                None if p50 is None else float(p50), None if p95 is None else float(p95), len(v2v), missed)


def _why(t: Turn) -> str:
    if t.user_turn is None:
        return "not taken for a question (no user_turn)"
    if t.done is None:
        return "no reply_done"
    return f"answer not heard (peak {t.peak_dbfs:.0f} dBFS)"


async def run_load(url: str, steps: list[int], progress: Callable[[str], None] = print) -> list[Step]:
    out = []
    for k, n in enumerate(steps):
        progress(f"load: {n} session(s) …")
        s = await _step(url, n, offset=k * 7)
        progress(f"  taken {s.taken}, refused {s.refused}, answered {s.answered}/{s.asked}, "
                 f"v2v p50 {_f(s.v2v_p50_s)} p95 {_f(s.v2v_p95_s)} (n={s.v2v_n})")
        for m in s.missed:
            progress(f"  missed {m}")
        out.append(s)
        await asyncio.sleep(2.0)  # the hosts free the slots
    return out


def _f(x: float | None) -> str:
    return "—" if x is None else f"{x:.2f} s"


def table(steps: list[Step]) -> str:
    rows = ["| sessions | taken | refused | turns answered | v2v p50 | v2v p95 |", "|---|---|---|---|---|---|"]
    for s in steps:
        rows.append(f"| {s.sessions} | {s.taken} | {s.refused} | {s.answered}/{s.asked} | {_f(s.v2v_p50_s)} | "
                    f"{_f(s.v2v_p95_s)} (n={s.v2v_n}) |")
    return "\n".join(rows)


def write(steps: list[Step], out_dir: Path, meta: dict[str, object]) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / "cluster_load.json"
    path.write_text(json.dumps({**meta, "steps": [asdict(s) for s in steps]}, indent=1))
    (out_dir / "cluster_load.md").write_text(table(steps) + "\n")
    return path
