"""Real people (`make bench-people`): human recordings near the assistant, not TTS voices.

- `human_request`: a person's spoken order to a coffee kiosk (Picovoice's crowd-sourced recordings,
  many speakers and phones), levelled to a near talker (-24 dBFS ± 4), 1 s of room before it and 8 s
  after: it must be answered; voice-to-voice from its last word.
- `meeting`: people talking to each other (an AMI meeting excerpt, ~30 s) near the idle assistant:
  no answer.
- `read_aloud`: a person reading aloud as from a radio across the room (through a small loudspeaker):
  six readers of NOIZEUS's IEEE sentences (halves by reader), and a LibriVox reader (Debian's
  pocketsphinx-testdata, where the package is installed: `make setup`): no answer.
- `noisy_request`: a person's request (as `human_request`) over a real noise recorded in a car, a train,
  a street, a station, a restaurant, an exhibition hall, an airport or a babbling crowd (NOIZEUS's noises,
  the half's own stretch of each) at 5–15 dB SNR: it must be answered.
- `real_noise`: 12 s of one of the half's real noises (as under `noisy_request`) alone near the idle
  assistant, as loud as a near talker or up to 8 dB under: no answer.
- `human_barge_in`: a person's request; its answer plays back into the mic through a room (a speaker
  device, -6 dB, as `make bench-echo`); 2.5 s after the request another person of the half orders over
  it: the answer must stop, and the new order be heard and answered.

The recordings and their halves come from assistant/bench/people/ (built by people_build.py): the
held half shares no speaker with the tune half; nothing is tuned or trained on it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import soundfile as sf

from assistant.bench import echo_rooms, metrics, rooms_run, runner, waterfall
from assistant.bench.echo_rooms import ECHO_DB
from assistant.bench.rooms import NEAR_DBFS, TAIL_S, TV_DBFS, RoomScene, _loudspeaker, _rng
from assistant.bench.scenes import Interval, Scene, place_speech, room
from assistant.core.events import SegmentHeard, UserTurn, Withdrawn
from assistant.core.options import Profile
from audio import synth
from audio.echo import EchoSpec
from audio.frames import SAMPLE_RATE

CORPUS = Path(__file__).resolve().parent / "people"
LIBRIVOX = Path("/usr/share/pocketsphinx/test/data/librivox")
LEAD_S = 1.0  # s of room before the person speaks
SHOULD_ANSWER = ("human_request", "noisy_request")
MUST_NOT_ANSWER = ("meeting", "read_aloud", "real_noise")
BARGE = "human_barge_in"
# at most this many scenes of each kind per half
PER_HALF = {"human_request": 24, "noisy_request": 16, "meeting": 5, "read_aloud": 12, "real_noise": 8, BARGE: 12}
NOISE_S = 12.0  # s of a `real_noise` scene's noise
NOISE_UNDER_DB = (0.0, 8.0)  # dB a `real_noise` scene's noise is under a near talker
BARGE_AFTER_S = 2.5  # s after the first request ends that the second person begins (its answer is playing)
AFTER_BARGE_S = 9.0  # s of room after the barge-in: the new answer comes in it
NOISE_SNR_DB = (5.0, 15.0)  # a noisy request's speech over its noise


@dataclass(frozen=True)
class Recording:
    path: Path
    half: str
    who: str  # speaker label(s), for the report
    text: str = ""
    turns: tuple[tuple[float, float], ...] = ()  # a meeting's speaker turns: (start s, length s) in the clip


def _index() -> dict[str, Any]:
    return dict(json.loads((CORPUS / "index.json").read_text()))


def recordings(kind: str) -> list[Recording]:
    idx = _index()
    if kind == "human_request":
        return [Recording(CORPUS / "requests" / f"{k}.opus", v["half"], v["speaker"],
                          " ".join(str(s) for s in v["slots"].values())) for k, v in sorted(idx["requests"].items())]
    if kind == "meeting":
        return [Recording(CORPUS / "meetings" / f"{k}.opus", v["half"], " / ".join(sorted({t[2] for t in v["turns"]})),
                          turns=tuple((float(t[0]), float(t[1])) for t in v["turns"]))
                for k, v in sorted(idx["meetings"].items())]
    if kind in ("noisy_request", BARGE):
        return recordings("human_request")
    if kind == "read_aloud":  # NOIZEUS's readers by half; the one LibriVox reader's clips alternate between halves
        clips = sorted(LIBRIVOX.glob("*.wav")) if LIBRIVOX.is_dir() else []
        return ([Recording(CORPUS / "read" / f"{k}.opus", v["half"], v["reader"]) for k, v in sorted(idx.get("read", {}).items())]
                + [Recording(p, ("tune", "held")[i % 2], "librivox reader") for i, p in enumerate(clips)])
    if kind == "real_noise":
        return [Recording(CORPUS / "noise" / f"{k}.opus", v["half"], v["noise"]) for k, v in sorted(idx["noise"].items())]
    raise ValueError(f"unknown kind {kind!r}")


def _load(path: Path) -> np.ndarray:
    pcm, sr = sf.read(path, dtype="float32", always_2d=True)
    if sr != SAMPLE_RATE:
        raise ValueError(f"{path}: {sr} Hz, expected {SAMPLE_RATE}")
    return pcm.mean(axis=1)


def noise_bed(half: str, i: int, seconds: float) -> tuple[str, np.ndarray]:
    """The i-th real noise (round the eight) of `half`, `seconds` long (looped), and its name."""
    beds = sorted((k, v) for k, v in _index().get("noise", {}).items() if v["half"] == half)
    if not beds:
        raise FileNotFoundError(f"no real noises in {CORPUS / 'index.json'} (python -m assistant.bench.people_build --noizeus)")
    name, v = beds[i % len(beds)]
    x = _load(CORPUS / "noise" / f"{name}.opus")
    return v["noise"], np.resize(x, int(seconds * SAMPLE_RATE)).astype(np.float32)


def barge_scene(first: Recording, second: Recording, i: int) -> RoomScene:
    """`first` asks; its answer echoes back; `second` (another person) orders over it."""
    rng = _rng(9000 + 101 * 5, first.half, i)  # type: ignore[arg-type]
    echo = EchoSpec(float(rng.uniform(30, 150)), ECHO_DB, float(rng.choice([0.0, 3500.0, 5000.0])),
                    float(rng.uniform(0.3, 0.5)), 0.0, int(rng.integers(1 << 30)))
    ask, barge = _load(first.path), _load(second.path)
    bed = room(LEAD_S + ask.size / SAMPLE_RATE + BARGE_AFTER_S + barge.size / SAMPLE_RATE + AFTER_BARGE_S, rng)
    iv = place_speech(bed, ask, LEAD_S, "query", first.text, NEAR_DBFS)
    over = place_speech(bed, barge, iv.end + BARGE_AFTER_S, "barge_in", second.text, NEAR_DBFS + (i % 3 - 1) * 4)
    return RoomScene(Scene(f"people_{first.half}_{BARGE}_{i:02d}", bed.astype(np.float32), [iv, over], echo), BARGE,
                     first.half, f"{first.who} then {second.who}")  # type: ignore[arg-type]


def scene(kind: str, rec: Recording, i: int) -> RoomScene:
    rng = _rng(9000 + 101 * (SHOULD_ANSWER + MUST_NOT_ANSWER).index(kind), rec.half, i)  # type: ignore[arg-type]
    clip = _load(rec.path)
    level = NEAR_DBFS + (i % 3 - 1) * 4 if kind in SHOULD_ANSWER else NEAR_DBFS if kind == "meeting" else TV_DBFS
    if kind == "read_aloud":
        clip = _loudspeaker(clip, rng)
    if kind == "real_noise":
        at = int(rng.integers(0, max(1, clip.size - int(NOISE_S * SAMPLE_RATE))))
        clip = clip[at : at + int(NOISE_S * SAMPLE_RATE)]
        level = NEAR_DBFS - float(rng.uniform(*NOISE_UNDER_DB))
    bed = room(LEAD_S + clip.size / SAMPLE_RATE + TAIL_S, rng)
    who = rec.who
    if kind == "noisy_request":
        noise, under = noise_bed(rec.half, i, bed.size / SAMPLE_RATE)
        bed += synth.at_level(under, level - float(rng.uniform(*NOISE_SNR_DB)))
        who = f"{rec.who} in {noise}"
    iv: Interval = place_speech(bed, clip, LEAD_S, "query" if kind in SHOULD_ANSWER else "side", rec.text, level)
    name = f"people_{rec.half}_{kind}_{i:02d}"
    turns = [Interval(round(LEAD_S + a, 3), round(LEAD_S + a + n, 3), "side") for a, n in rec.turns]  # after the whole
    return RoomScene(Scene(name, bed.astype(np.float32), [iv, *turns]), kind, rec.half, who)  # type: ignore[arg-type]


def people_scenes(per_half: dict[str, int] | None = None, halves_: tuple[str, ...] = ("tune", "held")) -> list[RoomScene]:
    counts = per_half or PER_HALF
    out = []
    for kind, n in counts.items():
        if n <= 0:
            continue
        recs = recordings(kind)
        for half in halves_:
            mine = [r for r in recs if r.half == half]
            step = max(1, len(mine) // n) if mine else 1  # spread over the speakers, fixed
            if len(mine) < n:  # fewer recordings than scenes: each again, in another room (another scene index)
                mine = [mine[k % len(mine)] for k in range(n)]
            if kind == BARGE:  # the second person: from the other half of the half's list
                out += [barge_scene(r, mine[(k * step + len(mine) // 2) % len(mine)], k)
                        for k, r in enumerate(mine[::step][:n])]
                continue
            out += [scene(kind, r, i) for i, r in enumerate(mine[::step][:n])]
    return out


def score(rs: RoomScene, r: Any) -> dict[str, Any]:
    if rs.kind == BARGE:  # scored as the echo bench's barge-ins: stopped, heard, answered
        row = echo_rooms.score(echo_rooms.EchoScene(rs.scene, "barge_over_echo", rs.half, rs.voices), r)
        return {**row, "kind": BARGE, "heard": [e.text for e in r.events if isinstance(e, SegmentHeard) and e.final]}
    row = rooms_run.score(rs, r, SHOULD_ANSWER)
    if rs.kind in SHOULD_ANSWER and row["answered"]:
        ask = rs.scene.intervals[0]
        row["waterfall"] = waterfall.stages(r.events, ask.end, metrics.first_audio_after(r.assistant, ask.end))
    if rs.kind == "meeting":  # each speaker turn apart: answered if a segment overlapping it became a user turn
        withdrawn = {e.segment for e in r.events if isinstance(e, Withdrawn)}
        taken = {e.segment for e in r.events if isinstance(e, UserTurn)} - withdrawn
        spans = [(e.start, e.end) for e in r.events if isinstance(e, SegmentHeard) and e.final and e.segment in taken]
        turns = rs.scene.intervals[1:]
        row["turns"] = len(turns)
        row["turns_answered"] = sum(any(a < t.end and t.start < b for a, b in spans) for t in turns)
    return row


def summary(rows: list[dict[str, Any]]) -> dict[str, Any]:
    out = rooms_run.summary(rows, (*SHOULD_ANSWER, *MUST_NOT_ANSWER, BARGE))
    barge = [r for r in rows if r["kind"] == BARGE and r["talking_at_onset"]]  # (the answer was playing)
    stops = [r["stop_s"] for r in barge if r["interrupted"]]
    out[f"{BARGE}_interrupted"] = f"{sum(r['interrupted'] for r in barge)}/{len(barge)}"
    out[f"{BARGE}_stop_p50_s"] = metrics.percentile(stops, 50)
    out[f"{BARGE}_words_heard_mean"] = round(float(np.mean([r["words_heard"] for r in barge])), 2) if barge else None
    met = [r for r in rows if r["kind"] == "meeting"]
    out["meeting_turns_answered"] = f"{sum(r.get('turns_answered', 0) for r in met)}/{sum(r.get('turns', 0) for r in met)}"
    for step in waterfall.STEPS:
        out[f"{step}_p50_s"] = metrics.percentile([r["waterfall"][step] for r in rows if step in r.get("waterfall", {})], 50)
    return out


def bench_people(profile: Profile, out: Path, per_half: dict[str, int] | None = None,
                 halves_: tuple[str, ...] = ("tune", "held"), busy: int = 0) -> int:
    from assistant.run.replay import replay

    def play(models: Any, profile: Profile, out: Path, rs: RoomScene) -> dict[str, Any]:
        return score(rs, replay(models, profile, rs.scene.save(out / "scenes"), out / rs.scene.name, echo=rs.scene.echo))

    def line(rs: RoomScene, row: dict[str, Any]) -> str:
        bad = row["answered"] != (rs.kind in (*SHOULD_ANSWER, BARGE))
        return f"{'BAD' if bad else 'ok '} {rs.scene.name:30s} heard {row['heard']} → {row.get('verdicts', '')}"

    return runner.run(runner.SceneBench("real people", "people.json", play, line, summary), profile, out,
                      people_scenes(per_half, halves_), busy=busy, plot=True, extra={"busy_loops": busy})


def main(argv: list[str] | None = None) -> int:
    import argparse

    from assistant.core.options import load_profile

    ap = argparse.ArgumentParser(prog="bench-people", description=__doc__.splitlines()[0])
    ap.add_argument("out", nargs="?", default="bench-out/people", type=Path)
    ap.add_argument("--per-half", default="", help="scenes per half of some kinds, e.g. human_request=8,meeting=4 "
                                                   f"(default {','.join(f'{k}={n}' for k, n in PER_HALF.items())})")
    ap.add_argument("--profile", default="embedded")
    ap.add_argument("--half", choices=("tune", "held"), help="one half only (default both)")
    ap.add_argument("--busy", type=int, default=0, help="busy loops (other processes) on the cores meanwhile")
    a = ap.parse_args(argv)
    counts = dict(PER_HALF)
    for part in filter(None, a.per_half.split(",")):
        kind, _, n = part.partition("=")
        if kind not in counts or not n.isdigit():
            ap.error(f"--per-half wants KIND=N with KIND one of {', '.join(counts)}, got {part!r}")
        counts[kind] = int(n)
    return bench_people(load_profile(a.profile), a.out, counts, (a.half,) if a.half else ("tune", "held"), a.busy)


if __name__ == "__main__":
    import sys

    sys.exit(main())
