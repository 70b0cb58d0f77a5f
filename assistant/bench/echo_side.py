"""People talking to each other while the answer plays from a loudspeaker: `make bench-side`.

A user asks (espeak/Flite voices of the half); the answer plays into the mic through the echo bench's
rooms and cabins (-6/0 dB, the canceller as the profile says); `SIDE_AFTER_S` after the request two
people talk to each other near the device: on even scenes a stretch of a real AMI meeting (the people
corpus, its halves), on odd ones two TTS voices trading a line each. The answer must not be cut (or,
cut by a question the other person then answered, must go on) nor the talk answered, and the listener
must get the answer's words: the output is transcribed by another ear with the talk's stretches
silenced (assistant/bench/listener.py), so a word heard only softly under the talk counts as missed
unless it is said again after. Both halves; nothing is tuned on held.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from assistant.bench import listener, metrics, people, runner
from assistant.bench.echo_rooms import USER_DBFS, EchoScene, _path, _user_voices
from assistant.bench.scenes import Interval, Scene, place_speech, room
from assistant.bench.voices import Half
from assistant.core.events import Duck, Interrupt, ReplyText, Resumed, UserTurn
from assistant.core.options import Profile
from assistant.run.replay import replay
from audio.frames import SAMPLE_RATE

SIDE_AFTER_S = 4.0  # s after the request ends: the answer's first clauses are playing
MEETING_S = 7.0  # s of a meeting's talk taken, from one of its speaker turns
GAP_S = 0.4  # s between the two TTS lines
TAIL_S = 40.0  # s after the talk: the answer (up to 120 tokens) and what is said again end in it
ENDED_S = 1.0  # an answer still audible in the scene's last second did not end: its words are not scored
PER_HALF = 6

ASKS: dict[Half, tuple[str, ...]] = {
    "tune": ("Tell me about the history of the bicycle.", "How do bees make honey?", "Explain how rainbows form.",
             "Tell me about the planet Mars.", "How does a refrigerator keep food cold?",
             "Tell me about the life of whales."),
    "held": ("Tell me about the history of tea.", "How do volcanoes erupt?", "Explain how airplanes stay in the air.",
             "Tell me about elephants.", "How does a compass work?", "Tell me about the pyramids of Egypt."),
}
PAIRS: dict[Half, tuple[tuple[str, str], ...]] = {  # (one person, the other's reply)
    "tune": (("Did you remember to buy milk on the way home?", "Yes, it's in the fridge already."),
             ("I think we should leave in about ten minutes.", "Okay, let me grab my jacket first."),
             ("Your mother called this afternoon.", "Oh, I'll call her back after dinner.")),
    "held": (("Can you pass me the keys on the table?", "Here you go, they were under the map."),
             ("We're almost out of petrol.", "There's a station after the next exit."),
             ("Did the kids finish their homework?", "Most of it, the maths is still left.")),
}


def side_scene(half: Half, i: int) -> EchoScene:
    seed = 9700 + i + (500 if half == "held" else 0)
    rng = np.random.default_rng(seed)
    echo = _path(rng, i, seed)
    voices = _user_voices(half)
    user, other = voices[(3 * i) % len(voices)], voices[(3 * i + 1) % len(voices)]
    text = ASKS[half][i % len(ASKS[half])]
    ask = user.say(text)
    if i % 2 == 0:  # real people: a stretch of a meeting of the half, from one of its turns
        meetings = [r for r in people.recordings("meeting") if r.half == half]
        rec = meetings[(i // 2) % len(meetings)]
        start = rec.turns[(i // 2) % len(rec.turns)][0] if rec.turns else 0.0
        clip = people._load(rec.path)[int(start * SAMPLE_RATE):][: int(MEETING_S * SAMPLE_RATE)]
        talk, who = [(clip, "meeting")], f"{user.label}; meeting {rec.path.stem}"
    else:
        a, b = PAIRS[half][(i // 2) % len(PAIRS[half])]
        talk, who = [(other.say(a), a), (user.say(b), b)], f"{user.label}; {other.label} and {user.label}"
    talk_s = sum(c.size for c, _ in talk) / SAMPLE_RATE + GAP_S
    bed = room(1.0 + ask.size / SAMPLE_RATE + SIDE_AFTER_S + talk_s + TAIL_S, rng)
    ivs = [place_speech(bed, ask, 1.0, "query", text, USER_DBFS)]
    at = ivs[0].end + SIDE_AFTER_S
    for clip, line in talk:  # (one interval per stretch the talk sounds: its pauses unmask the answer)
        whole = place_speech(bed, clip, at, "side", line, USER_DBFS)
        ivs += [Interval(round(at + a, 3), round(at + b, 3), "side", line) for a, b in listener.runs(clip)]
        at = whole.end + GAP_S
    return EchoScene(Scene(f"side_{half}_{i:02d}", bed, ivs, echo), "side_over_echo", half, who)


def score(es: EchoScene, r: Any, ear: listener.Ear) -> dict[str, Any]:
    ask, talk = es.scene.intervals[0], es.scene.intervals[1:]
    start, end = talk[0].start, talk[-1].end
    echo = es.scene.echo
    row: dict[str, Any] = {"scene": es.scene.name, "kind": es.kind, "half": es.half, "voice": es.voice,
                           "echo": echo.label() if echo else "", "real_people": talk[0].text == "meeting"}
    row["talking_at_onset"] = bool(metrics.audio_seconds(r.assistant, start - 2.0, start) > 0)
    row["cut"] = any(isinstance(e, Interrupt) and e.t >= start for e in r.events)
    row["resumed"] = any(isinstance(e, Resumed) and e.t >= start for e in r.events)  # (its rest said after all)
    row["answered_talk"] = any(isinstance(e, UserTurn) and e.t >= start for e in r.events)
    row["said_again_s"] = round(sum(e.again_s for e in r.events if isinstance(e, Duck) and e.t >= start), 2)
    scene_s = r.assistant.size / SAMPLE_RATE
    row["ended"] = metrics.audio_seconds(r.assistant, scene_s - ENDED_S) == 0
    first = next((e.reply for e in r.events if isinstance(e, ReplyText) and e.t >= ask.end), None)
    said = " ".join(e.text for e in r.events if isinstance(e, ReplyText) and e.reply == first)
    heard, n = listener.recall(said, ear.hear(listener.masked(r.assistant, [(iv.start, iv.end) for iv in talk])))
    whole, _ = listener.recall(said, ear.hear(r.assistant))
    row.update(words_said=n, words_heard=heard, words_whole_output=whole, talk_s=round(end - start, 1))
    return row


def summary(rows: list[dict[str, Any]]) -> dict[str, Any]:
    during = [r for r in rows if r["talking_at_onset"]]
    scored = [r for r in during if r["ended"] and (not r["cut"] or r["resumed"])]
    said = sum(r["words_said"] for r in scored)
    return {
        "talk_during_answer": f"{len(during)}/{len(rows)}",
        "answer_cut": f"{sum(r['cut'] for r in during)}/{len(during)}",
        "answer_cut_not_resumed": f"{sum(r['cut'] and not r.get('resumed') for r in during)}/{len(during)}",
        "talk_answered": f"{sum(r['answered_talk'] for r in during)}/{len(during)}",
        "real_people_cut": f"{sum(r['cut'] for r in during if r['real_people'])}/{sum(r['real_people'] for r in during)}",
        "words_heard_share": round(sum(r["words_heard"] for r in scored) / said, 3) if said else None,
        "words_whole_output_share": round(sum(r["words_whole_output"] for r in scored) / said, 3) if said else None,
        "words_scored_scenes": f"{len(scored)}/{len(during)}",
        "said_again_s_mean": round(float(np.mean([r["said_again_s"] for r in during])), 2) if during else None,
    }


def bench_side(profile: Profile, out: Path, per_half: int = PER_HALF) -> int:
    ear = listener.Ear()

    def play(models: Any, profile: Profile, out: Path, es: EchoScene) -> dict[str, Any]:
        return score(es, replay(models, profile, es.scene.save(out / "scenes"), out / es.scene.name,
                                echo=es.scene.echo), ear)

    def line(es: EchoScene, row: dict[str, Any]) -> str:
        return f"{es.scene.name:14s} " + json.dumps({k: v for k, v in row.items() if k not in ("scene", "kind")})

    todo = [side_scene(h, i) for h in ("tune", "held") for i in range(per_half)]  # type: ignore[arg-type]
    return runner.run(runner.SceneBench("people talking over the answer", "side.json", play, line, summary),
                      profile, out, todo, extra={"echo_canceller": profile.audio.echo_canceller,
                                                 "say_again_max_s": profile.policy.say_again_max_s})


def main(argv: list[str] | None = None) -> int:
    import argparse

    from assistant.core.options import load_profile

    ap = argparse.ArgumentParser(prog="bench-side", description=__doc__.splitlines()[0])
    ap.add_argument("out", nargs="?", default="bench-out/side", type=Path)
    ap.add_argument("--profile", default="embedded")
    ap.add_argument("--per-half", type=int, default=PER_HALF)
    a = ap.parse_args(argv)
    return bench_side(load_profile(a.profile), a.out, a.per_half)


if __name__ == "__main__":
    raise SystemExit(main())

