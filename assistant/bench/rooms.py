"""Scenes of the real rooms a kiosk or a cockpit meets (`assistant bench --rooms-only`, `make bench-rooms`).

What must get **no** answer: people talking to each other near the idle assistant (two or three
voices in a back-and-forth, questions to each other by name, at the user's level and nearer); a
TV or radio quiz asking questions from a band-limited loudspeaker across a reverberant room; 20 s
of babble. What must be answered: requests in a quiet room, from across the room (reverberant,
16 dB below a near talker) and over babble (10 dB SNR).

Voices are the spoken-QA bench's (three TTS families, assistant/bench/voices.py), requests its
requests (assistant/bench/qa_items.py); the dialogues and quiz lines below are this bench's own.
Each kind has a `tune` and a `held` half (voices, phrases and seeds); no training run, prompt or
threshold ever sees the held half, and neither half is in the monitor's training phrases. Scenes are
fixed by their seeds, except that Piper's voice samples its own noise (its clips vary a little).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy import signal

from assistant.bench.qa_items import FACT_KINDS, items
from assistant.bench.scenes import Interval, Scene, place_speech, room
from assistant.bench.voices import VOICES, Half, Voice
from audio import synth
from audio.frames import SAMPLE_RATE

NEAR_DBFS = -24.0  # a talker at arm's length (the QA bench's middle level)
NEARER_DBFS = -20.0  # people standing right at the device
FAR_DROP_DB = 16.0  # a talker across the room: this much below a near one, and reverberant
TV_DBFS = -28.0  # a TV or radio across the room
BABBLE_DBFS = -30.0  # a cafeteria around the device
OVER_BABBLE_SNR_DB = 10.0  # a request this far above the babble
TAIL_S = 8.0  # s of room after the last words (an answer would come in it)
# direct-to-reverberant energy ratios (dB) of a living room: at arm's length, ~4 m away, a TV across it
NEAR_DRR_DB, FAR_DRR_DB, TV_DRR_DB = 10.0, -3.0, 0.0

# Two or three people talking to each other: questions by name, answers, plans. Never to the device.
DIALOGUES: dict[Half, tuple[tuple[str, ...], ...]] = {
    "tune": (
        ("Jo, did you feed the dog?", "Yes, this morning. Did you take the bins out?", "Not yet, I'll do it after dinner."),
        ("Sam, when does your train leave?", "At ten past six, I think.", "Then we should go now."),
        ("Mia, what did the doctor say?", "Nothing serious, just rest for a week.", "That's a relief."),
        ("Tom, can you pass me the keys?", "Which ones, the car or the house?", "The car, please."),
        ("Anna, what time is the film?", "Half past eight.", "Do we need tickets?", "No, I booked them."),
        ("Ben, is it going to rain later?", "The app says maybe.", "Take a coat, then."),
    ),
    "held": (
        ("Lucy, did you lock the back door?", "I did, and I closed the windows.", "Great, thanks."),
        ("Dad, how much was the petrol?", "About fifty pounds.", "That's more than last week."),
        ("Priya, what's the wifi password?", "It's on the fridge.", "Oh, I see it now."),
        ("Mark, where did you park?", "Level two, near the lift.", "Okay, let's go."),
        ("Grace, who is picking up the kids?", "Your mum said she would.", "Can you check with her?", "I'll text her."),
        ("Leo, what should we cook tonight?", "How about pasta?", "We had that yesterday."),
    ),
}
# A TV or radio quiz: a host asking questions (the kind the assistant could answer: it must not).
QUIZ: dict[Half, tuple[tuple[str, ...], ...]] = {
    "tune": (
        ("Welcome back to the quiz.", "For two hundred points, what is the capital of Portugal?"),
        ("Next question, contestant two.", "Which planet has the biggest rings?"),
        ("Here is your final question.", "How many sides does a hexagon have?"),
        ("Fingers on buzzers.", "Who painted the ceiling of the Sistine Chapel?"),
    ),
    "held": (
        ("And now the bonus round.", "What is the largest desert in the world?"),
        ("Contestant one, for the jackpot.", "In which year did the Second World War end?"),
        ("Quick fire round, are you ready?", "What is the chemical symbol for gold?"),
        ("Our next caller is on the line.", "Which ocean lies between Africa and Australia?"),
    ),
}
SHOULD_ANSWER = ("quiet_request", "far_request", "request_over_babble")
MUST_NOT_ANSWER = ("idle_side_talk", "tv_quiz", "babble_20s")


@dataclass(frozen=True)
class RoomScene:
    scene: Scene
    kind: str  # one of SHOULD_ANSWER or MUST_NOT_ANSWER
    half: Half
    voices: str  # the voices' labels, for the report


def _reverb(x: np.ndarray, rng: np.random.Generator, rt_s: float, drr_db: float) -> np.ndarray:
    """A room: the direct path plus an exponentially decaying tail (reverberation time `rt_s`)
    `drr_db` below it in energy, and a little high-frequency loss."""
    n = int(rt_s * SAMPLE_RATE)
    tail = rng.standard_normal(n) * np.exp(-np.arange(n) * 6.9 / n)
    tail *= np.sqrt(10 ** (-drr_db / 10) / np.sum(tail**2))
    tail[0] += 1.0
    y = signal.fftconvolve(x, tail)[: x.size]
    b, a = signal.butter(2, rng.uniform(3500, 6000) / (SAMPLE_RATE / 2))
    return signal.lfilter(b, a, y).astype(np.float32)


def _loudspeaker(x: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A TV or radio: a small speaker's band (150 Hz–4 kHz) in a reverberant room."""
    return _reverb(synth.distant(x, rng, (150.0, 4000.0)), rng, rng.uniform(0.4, 0.7), TV_DRR_DB)


def _voices(half: Half, i: int, n: int) -> list[Voice]:
    pool = VOICES[half]
    return [pool[(i + k * 2) % len(pool)] for k in range(n)]  # (every second voice: different families)


def _babble(half: Half, seconds: float, rng: np.random.Generator) -> np.ndarray:
    lines = [line for d in DIALOGUES[half] for line in d]
    talkers = [v.say(str(rng.choice(lines))) for v in _voices(half, int(rng.integers(10)), 4)]
    return synth.babble(talkers, seconds, rng)


def _rng(base: int, half: Half, i: int) -> np.random.Generator:
    """The scene's own generator: `base` per kind, the held half 500 seeds away from the tune half."""
    return np.random.default_rng(base + i + (500 if half == "held" else 0))


def _requests(half: Half) -> list[str]:
    return [it.ask for it in items() if it.half == half and it.kind in FACT_KINDS and not it.before]


def idle_side_talk(half: Half, i: int) -> RoomScene:
    rng = _rng(5000, half, i)
    lines = DIALOGUES[half][i % len(DIALOGUES[half])]
    voices = _voices(half, i, 3 if len(lines) > 3 and i % 2 else 2)
    level = NEARER_DBFS if i % 2 else NEAR_DBFS
    clips = [voices[k % len(voices)].say(line) for k, line in enumerate(lines)]
    total = 1.0 + sum(c.size for c in clips) / SAMPLE_RATE + 0.8 * len(clips) + TAIL_S
    bed, at, ivs = room(total, rng), 1.0, []
    for clip, line in zip(clips, lines, strict=True):
        iv = place_speech(bed, _reverb(clip, rng, 0.3, NEAR_DRR_DB), at, "side", line, level + rng.uniform(-2, 2))
        ivs.append(iv)
        at = iv.end + rng.uniform(0.3, 0.8)  # a turn follows the last one after a short gap
    return RoomScene(Scene(f"room_{half}_side_{i:02d}", bed, ivs), "idle_side_talk", half,
                     " / ".join(v.label for v in voices))


def tv_quiz(half: Half, i: int) -> RoomScene:
    rng = _rng(6000, half, i)
    lines = QUIZ[half][i % len(QUIZ[half])]
    host = _voices(half, i, 1)[0]
    speech = np.concatenate([np.concatenate([host.say(x), np.zeros(int(0.4 * SAMPLE_RATE), np.float32)]) for x in lines])
    seconds = 1.0 + speech.size / SAMPLE_RATE + TAIL_S
    bed = room(seconds, rng)
    iv = place_speech(bed, _loudspeaker(speech, rng), 1.0, "noise", " ".join(lines), TV_DBFS)
    music = synth.at_level(_loudspeaker(synth.music(seconds, rng), rng), TV_DBFS - 14)
    bed += music[: bed.size]
    return RoomScene(Scene(f"room_{half}_tv_{i:02d}", bed, [iv]), "tv_quiz", half, host.label)


def babble_20s(half: Half, i: int) -> RoomScene:
    rng = _rng(7000, half, i)
    bed = room(20.0, rng) + synth.at_level(_babble(half, 20.0, rng), BABBLE_DBFS)
    return RoomScene(Scene(f"room_{half}_babble_{i:02d}", bed.astype(np.float32), [Interval(0.0, 20.0, "noise", "babble")]),
                     "babble_20s", half, "4 voices")


def _request(kind: str, half: Half, i: int, shape: Callable[[np.ndarray, np.random.Generator], np.ndarray],
             level: float, under: Callable[[float, np.random.Generator], np.ndarray] | None = None) -> RoomScene:
    k = SHOULD_ANSWER.index(kind)
    rng = _rng(8000 + 97 * k, half, i)
    asks = _requests(half)
    text = asks[(i * 7 + k * 3) % len(asks)]
    voice = _voices(half, i, 1)[0]
    clip = shape(voice.say(text), rng)
    seconds = 1.5 + clip.size / SAMPLE_RATE + TAIL_S
    bed = room(seconds, rng)
    if under is not None:
        bed += synth.at_level(under(seconds, rng), level - OVER_BABBLE_SNR_DB)[: bed.size]
    iv = place_speech(bed, clip, 1.5, "query", text, level)
    return RoomScene(Scene(f"room_{half}_{kind.split('_')[0]}_{i:02d}", bed, [iv]), kind, half, voice.label)


def quiet_request(half: Half, i: int) -> RoomScene:
    return _request("quiet_request", half, i, lambda x, rng: x, NEAR_DBFS + (i % 3 - 1) * 4)


def far_request(half: Half, i: int) -> RoomScene:
    return _request("far_request", half, i, lambda x, rng: _reverb(x, rng, rng.uniform(0.4, 0.7), FAR_DRR_DB),
                    NEAR_DBFS - FAR_DROP_DB)


def request_over_babble(half: Half, i: int) -> RoomScene:
    return _request("request_over_babble", half, i, lambda x, rng: x, NEAR_DBFS,
                    lambda sec, rng: _babble(half, sec, rng))


MAKERS: dict[str, Callable[[Half, int], RoomScene]] = {
    "quiet_request": quiet_request, "far_request": far_request, "request_over_babble": request_over_babble,
    "idle_side_talk": idle_side_talk, "tv_quiz": tv_quiz, "babble_20s": babble_20s,
}
PER_HALF = {"quiet_request": 12, "far_request": 4, "request_over_babble": 4, "idle_side_talk": 6, "tv_quiz": 4,
            "babble_20s": 4}  # scenes per half (both halves: quiet n = 24, side talk n = 12, the others n = 8)


def room_scenes(per_half: dict[str, int] | None = None) -> list[RoomScene]:
    counts = per_half or PER_HALF
    return [MAKERS[kind](half, i) for half in ("tune", "held") for kind, n in counts.items() for i in range(n)]
