"""The assistant's own voice through a real room: `assistant bench --echo-only`, `make bench-echo`.

A speaker with no browser AEC (CLI, kiosk, cockpit) plays the answer at -6 or 0 dB into the mic through
a reverberant room (RT60 0.3–0.5 s, 30–150 ms delay, a small speaker's roll-off on some) or, every
fourth scene, a car cabin (6–30 ms, RT60 0.08–0.12 s). Every third
scene also has the sound card's delay slipping by up to ±5 ms every ~2 s (a stress: a real device
slips at a buffer under- or overrun), reported apart. Two kinds, each with a tune and a held half
(voices, requests and barge-in lines; the users speak with espeak and Flite voices, as Piper's
voice is the assistant's own):
- `own_voice_room`: a long request, then the answer plays back into the mic. Nothing may interrupt
  it and it must not answer itself.
- `barge_over_echo`: the same, and 5 s after the request the user talks over the answer (double talk), often
  with an opener that could be side talk ("wait, …", "can we …"). It must stop, hear the words and
  answer them.
Scored by what the user gets: interrupts, the assistant answering itself, the barge-in's words
heard (share of them in the user turn), the audible stop, the new answer.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from assistant.bench import metrics, runner
from assistant.bench.scenes import Scene, place_speech, room
from assistant.bench.voices import VOICES, Half, Voice
from assistant.core.events import Interrupt, SpeechStart, UserTurn
from assistant.core.options import Profile
from assistant.core.runtime import Models
from assistant.run.replay import ReplayResult, replay
from audio.echo import EchoSpec
from audio.frames import SAMPLE_RATE

ECHO_DB = -6.0  # dB, the echo's level relative to what was played (a device at arm's length)
ECHO_DBS = (ECHO_DB, 0.0)  # ... alternate scenes here
USER_DBFS = -24.0  # a user at arm's length
BARGE_AFTER_S = 5.0  # s after the request ends (the answer is playing: its first words come ~1-2 s after)
JITTER_MS = 5.0  # ms the delay slips by on every third scene
TAIL_S = 14.0  # s of room after the request: the answer plays into it
TALKING_WITHIN_S = 2.0  # s before a barge-in in which answer audio makes it a barge-in
AFTER_BARGE_S = 9.0  # s after a barge-in: the new answer comes in it

LONG_ASKS: dict[Half, tuple[str, ...]] = {
    "tune": ("Tell me a long story about a brave little dragon who learns to fly.",
             "Explain in detail how bread is baked, step by step.",
             "Tell me a long story about a cat who travels to the moon.",
             "Describe a walk through a busy market in the morning, with lots of detail.",
             "Tell me a long story about a pirate ship and its crew."),
    "held": ("Tell me a bedtime story about a sleepy owl and a lost star.",
             "Explain how a car engine works, in detail.",
             "Tell me a long story about a girl who builds a robot friend.",
             "Describe a day at the beach from morning to night.",
             "Tell me a long story about a fox who opens a bakery."),
}
# barge-ins, many opening with words that could begin side talk
BARGE_LINES: dict[Half, tuple[str, ...]] = {
    "tune": ("Wait, what about the weather tomorrow?",
             "Can we talk about something else? What is two plus two?",
             "Hold on, how far away is the moon?",
             "Sorry, stop there. What time is it?",
             "Actually, what is the capital of Spain?"),
    "held": ("Wait, can you tell me a joke instead?",
             "Hang on, how many days are in a leap year?",
             "Can we stop there? What is five times six?",
             "Excuse me, what is the boiling point of water?",
             "Um, what about the capital of Japan?"),
}
KINDS = ("own_voice_room", "barge_over_echo")
PER_HALF = {"own_voice_room": 6, "barge_over_echo": 7}  # per half: 4 + 2 slipping, 5 + 2 slipping


@dataclass(frozen=True)
class EchoScene:
    scene: Scene
    kind: str
    half: Half
    voice: str


def _path(rng: np.random.Generator, i: int, seed: int) -> EchoSpec:
    """Odd scenes at 0 dB (a loud device, a mic near its speaker), the rest at -6; every fourth a car
    cabin (a short delay, a short, dead reverberation) instead of a room."""
    delay, lowpass, rt60 = float(rng.uniform(30, 150)), float(rng.choice([0.0, 3500.0, 5000.0])), float(rng.uniform(0.3, 0.5))
    if _cabin(i):
        delay, lowpass, rt60 = delay / 5, 0.0, rt60 / 4
    return EchoSpec(delay, ECHO_DBS[i % len(ECHO_DBS)], lowpass, rt60, JITTER_MS if _slipping(i) else 0.0, seed)


def _cabin(i: int) -> bool:
    return i % 4 == 3


def _slipping(i: int) -> bool:
    return i % 3 == 2


def _user_voices(half: Half) -> list[Voice]:
    """The half's voices but Piper's joe: that is the assistant's own voice (the monitor was taught
    that it is never the user, and no user sounds exactly like it)."""
    return [v for v in VOICES[half] if v.family != "piper"]


def echo_scene(kind: str, half: Half, i: int) -> EchoScene:
    seed = 9000 + 50 * KINDS.index(kind) + i + (500 if half == "held" else 0)
    rng = np.random.default_rng(seed)
    echo = _path(rng, i, seed)  # first: Piper's clips vary in length, the room drawn after them too
    voices = _user_voices(half)
    voice = voices[(3 * i + KINDS.index(kind)) % len(voices)]
    asks = LONG_ASKS[half]
    ask_text = asks[i % len(asks)]
    ask = voice.say(ask_text)
    seconds = 1.0 + ask.size / SAMPLE_RATE + TAIL_S
    if kind == "barge_over_echo":
        line = BARGE_LINES[half][i % len(BARGE_LINES[half])]
        barge = voice.say(line)
        seconds = 1.0 + ask.size / SAMPLE_RATE + BARGE_AFTER_S + barge.size / SAMPLE_RATE + AFTER_BARGE_S
    bed = room(seconds, rng)
    ivs = [place_speech(bed, ask, 1.0, "query", ask_text, USER_DBFS)]
    if kind == "barge_over_echo":
        ivs.append(place_speech(bed, barge, ivs[0].end + BARGE_AFTER_S, "barge_in", line, USER_DBFS))
    name = f"echo_{half}_{'own' if kind == 'own_voice_room' else 'barge'}_{i:02d}"
    return EchoScene(Scene(name, bed, ivs, echo), kind, half, voice.label)


def echo_scenes(per_half: dict[str, int] | None = None) -> list[EchoScene]:
    counts = per_half or PER_HALF
    return [echo_scene(kind, half, i) for half in ("tune", "held") for kind, n in counts.items() for i in range(n)]


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9']+", text.lower())


def score(es: EchoScene, r: ReplayResult) -> dict[str, Any]:
    ask = es.scene.intervals[0]
    echo = es.scene.echo
    turns = [e for e in r.events if isinstance(e, UserTurn)]
    row: dict[str, Any] = {"scene": es.scene.name, "kind": es.kind, "half": es.half, "voice": es.voice,
                           "echo": echo.label() if echo else "", "slipping": bool(echo and echo.jitter_ms),
                           "user_turns": [e.text for e in turns]}
    if es.kind == "own_voice_room":
        row["answer_s"] = round(metrics.audio_seconds(r.assistant, ask.end), 2)
        row["false_interrupt"] = any(isinstance(e, Interrupt) for e in r.events)
        row["heard_itself"] = sum(isinstance(e, SpeechStart) and e.assistant_speaking for e in r.events)
        row["answered_itself"] = len(turns) > 1
        return row
    barge = es.scene.intervals[1]
    # the answer was playing (a hold on an echo's residue or a pause between clauses may have
    # silenced it just before the user began)
    row["talking_at_onset"] = bool(metrics.audio_seconds(r.assistant, barge.start - TALKING_WITHIN_S, barge.start) > 0)
    row["interrupted"] = any(isinstance(e, Interrupt) and e.t >= barge.start for e in r.events)
    after = [e.text for e in turns if e.t >= barge.start]
    said = _words(barge.text)
    heard = set(_words(" ".join(after)))
    row["words_heard"] = round(sum(w in heard for w in said) / max(1, len(said)), 2)
    row["answered"] = bool(after) and metrics.first_audio_after(r.assistant, barge.end) is not None
    row["stop_s"] = round(metrics.stop_time_after(r.assistant, barge.start) - barge.start, 3)
    return row


def summary(rows: list[dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for slipping, tag in ((False, ""), (True, "slipping_")):
        own = [r for r in rows if r["kind"] == "own_voice_room" and r["slipping"] == slipping]
        # an answer long enough to have echoed (or cut short by its own echo: that counts)
        played = [r for r in own if r["answer_s"] >= 3.0 or r["false_interrupt"]]
        asked = [r for r in rows if r["kind"] == "barge_over_echo" and r["slipping"] == slipping]
        barge = [r for r in asked if r["talking_at_onset"]]  # (a real barge-in: the answer was playing)
        stops = [r["stop_s"] for r in barge if r["interrupted"]]
        out.update({
            f"{tag}own_voice_false_interrupts": f"{sum(r['false_interrupt'] for r in played)}/{len(played)}",
            f"{tag}own_voice_answered_itself": f"{sum(r['answered_itself'] for r in played)}/{len(played)}",
            f"{tag}own_voice_heard_as_speech": sum(r["heard_itself"] for r in played),
            f"{tag}barge_over_echo_interrupted": f"{sum(r['interrupted'] for r in barge)}/{len(barge)}",
            f"{tag}barge_over_echo_answered": f"{sum(r['answered'] for r in asked)}/{len(asked)}",  # (all asked)
            f"{tag}barge_words_heard_mean": round(float(np.mean([r["words_heard"] for r in barge])), 2)
            if barge else None,
            f"{tag}barge_stop_p50_s": metrics.percentile(stops, 50),
            f"{tag}barge_stop_p95_s": metrics.percentile(stops, 95),
        })
    return out


def _play(models: Models, profile: Profile, out: Path, es: EchoScene) -> dict[str, Any]:
    return score(es, replay(models, profile, es.scene.save(out / "scenes"), out / es.scene.name, echo=es.scene.echo))


def _line(es: EchoScene, row: dict[str, Any]) -> str:
    return f"{es.scene.name:22s} {row['echo']:34s} " + json.dumps(
        {k: v for k, v in row.items() if k not in ("scene", "kind", "half", "voice", "echo")})


def bench_echo(profile: Profile, out: Path, per_half: dict[str, int] | None = None) -> int:
    bench = runner.SceneBench(f"own voice in a room ({profile.audio.echo_canceller})", "echo.json", _play, _line, summary)
    return runner.run(bench, profile, out, echo_scenes(per_half),
                      extra={"echo_canceller": profile.audio.echo_canceller})
