"""The listener alone against its own voice (`make bench-echo-listener`, ~1.5 min): speech onsets the
assistant's echo opens, and users talking over it, with the Speex canceller, frame by frame, no LLM.

Piper's answers (the assistant's own voice) at -16 dBFS are played into rooms (RT60 0.3–0.5 s,
30–150 ms, a small speaker's band on some; 6 rooms at -6 dB, 3 at 0 dB); each answer is played
alone and with an espeak user at -24 dBFS beginning 0.8, 1.5, 2.5 or 4 s into it (the canceller is
still learning the room in the first seconds). A user counts as heard if an onset comes within
HEARD_WITHIN_S of their first word and no echo onset came before.
"""

from __future__ import annotations

import argparse
import json
import statistics
from pathlib import Path

import numpy as np
from tqdm import tqdm

from audio import synth
from audio.aec import SpeexCanceller
from audio.echo import EchoPath, EchoSpec
from audio.frames import FRAME_S, FRAME_SAMPLES, SAMPLE_RATE, AudioFrame
from audio.listener import Listener
from audio.segmenter import SpeechOnset
from audio.vad import SileroVad
from models.tts import PiperTts

ANSWERS = ("A brave dragon named Zephyr, born in a small village in the heart of the forest, was a curious "
           "and adventurous creature. He had wings that could fly in all directions.",
           "Bread is baked in a few steps. First you mix flour, water, salt and yeast, then you knead the "
           "dough until it is smooth and leave it to rise for an hour.")
USERS = (("Wait, what is the capital of Italy?", "en-us+f3"), ("Stop, tell me about cats instead.", "en-gb+m3"))
ANSWER_DBFS, USER_DBFS = -16.0, -24.0
STARTS_S = (0.8, 1.5, 2.5, 4.0)  # s into the answer the user begins
HEARD_WITHIN_S = 2.0  # s after the user's first word an onset still counts as hearing them
EARLY_S = 0.05  # s: an onset this much before the user's first word is the echo's
ROOM_SEED = 1


def rooms() -> list[EchoSpec]:
    rng = np.random.default_rng(ROOM_SEED)
    return [EchoSpec(float(rng.uniform(30, 150)), gain, float(rng.choice([0.0, 3500.0, 5000.0])),
                     float(rng.uniform(0.3, 0.5)), 0.0, seed=i) for i, gain in enumerate([-6.0] * 6 + [0.0] * 3)]


def onsets(far: np.ndarray, near: np.ndarray, room: EchoSpec) -> list[float]:
    """Times (s) of the listener's speech onsets: `near` in the mic, `far` played and echoed through `room`."""
    path, listener = EchoPath(room), Listener(SileroVad(), canceller=SpeexCanceller())
    out = []
    for k in range(near.size // FRAME_SAMPLES):
        sl = slice(k * FRAME_SAMPLES, (k + 1) * FRAME_SAMPLES)
        out += [k * FRAME_S for ev in listener.push(AudioFrame(k * FRAME_S, path.mix(near[sl])))
                if isinstance(ev, SpeechOnset)]
        listener.played(far[sl])
        path.feed(far[sl])
    return out


def run() -> dict:
    tts = PiperTts(quiet=True)
    answers = [synth.at_level(tts.synthesize(a), ANSWER_DBFS) for a in ANSWERS]
    users = [synth.at_level(synth.espeak(text, voice), USER_DBFS) for text, voice in USERS]
    echo_onsets, runs = 0, 0
    heard: dict[float, list[float | None]] = {s: [] for s in STARTS_S}
    jobs = [(room, a, at) for room in rooms() for a in answers for at in (None, *STARTS_S)]
    for room, answer, at in tqdm(jobs, desc="own voice at the listener", unit="run"):
        near = np.zeros(answer.size + SAMPLE_RATE, np.float32)
        if at is not None:
            synth.place(near, users[STARTS_S.index(at) % len(users)], at)
        ts = onsets(np.pad(answer, (0, near.size - answer.size)), near, room)
        runs += 1
        if at is None:
            echo_onsets += len(ts)
            continue
        early = [t for t in ts if t < at - EARLY_S]
        echo_onsets += len(early)
        hit = [t - at for t in ts if at - EARLY_S <= t <= at + HEARD_WITHIN_S]
        heard[at].append(hit[0] if hit and not early else None)
    rows = {f"{at:.1f}": {"heard": sum(x is not None for x in v), "n": len(v),
                          "p50_s": statistics.median([x for x in v if x is not None]) if any(x is not None for x in v) else None}
            for at, v in heard.items()}
    return {"runs": runs, "echo_onsets": echo_onsets, "users": rows}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default="bench-out/echo_listener.json")
    r = run()
    out = Path(ap.parse_args().out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(r, indent=2))
    print(f"\necho onsets (should be 0): {r['echo_onsets']} over {r['runs']} runs")
    print("| user begins | heard (no echo onset before) | onset after their first word, p50 |\n|---|---|---|")
    for at, row in r["users"].items():
        p50 = f"{row['p50_s']:.2f} s" if row["p50_s"] is not None else "—"
        print(f"| {at} s into the answer | {row['heard']}/{row['n']} | {p50} |")
    print(f"(JSON: {out})")


if __name__ == "__main__":
    main()
