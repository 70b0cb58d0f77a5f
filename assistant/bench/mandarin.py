"""The Mandarin bench (`assistant --profile mandarin bench --mandarin-only`, `make bench-mandarin`).

Scenes (assistant/bench/zh_items.py, tune and held halves), replayed through the whole loop in real
time, scored on what the user gets:
- quiet requests: answered in Mandarin (a user turn, answer audio after the request, Chinese in the
  answer), facts right (the answer *audio* transcribed by Whisper base matches the item's pattern),
  voice-to-voice (last word → first answer audio above -45 dBFS);
- people talking to each other in Mandarin near the idle assistant: any user turn or answer audio is
  a false answer (the second person is the voice shape whose vocal tract differs most from the first:
  shapes of one tract are one voice to the speaker embedder, 0.94–0.97, so pairing them made one
  person talk to themselves — the first run did that in 4 of 12 scenes);
- barge-ins: a long request, and 3.5 s after it a new question over the answer: was it talking then,
  when did it fall silent, was the new question answered (a user turn, then a new reply in Chinese
  with audio) and right.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np

from assistant.bench import metrics, runner
from assistant.bench.scenes import Interval, Scene, place_speech, room
from assistant.bench.zh_items import BARGE_INS, DIALOGUES, ITEMS, VOICES, Half, ZhItem
from assistant.core.events import ReplyDone, ReplyText, UserTurn, Withdrawn
from assistant.core.options import Profile
from assistant.core.runtime import Models
from assistant.run.replay import ReplayResult, replay
from assistant.text import is_chinese
from audio.frames import SAMPLE_RATE
from models.whisper_multi import MultilingualWhisper

LEVELS_DBFS = (-20.0, -24.0, -28.0)
TAIL_S = {"story": 28.0}
TAIL_DEFAULT_S = 12.0
BARGE_AFTER_S = 3.5  # s from the end of the long request to the barge-in (its answer, begun ~1.5 s after, plays by then)
SIDE_GAP_S = (0.3, 0.8)  # s between the turns of people talking to each other
KINDS = ("quiet", "side", "barge_in")


def _rng(base: int, half: Half, i: int) -> np.random.Generator:
    return np.random.default_rng(base + i + (500 if half == "held" else 0))


def quiet(item: ZhItem, i: int) -> Scene:
    rng = _rng(11000, item.half, i)
    voice = VOICES[item.half][i % len(VOICES[item.half])]
    clip = voice.say(item.ask)
    bed = room(1.0 + clip.size / SAMPLE_RATE + TAIL_S.get(item.kind, TAIL_DEFAULT_S), rng)
    iv = place_speech(bed, clip, 1.0, "query", item.ask, LEVELS_DBFS[i % len(LEVELS_DBFS)])
    return Scene(f"zh_{item.id}", bed, [iv])


def side(half: Half, i: int) -> Scene:
    rng = _rng(12000, half, i)
    lines = DIALOGUES[half][i % len(DIALOGUES[half])]
    pool = VOICES[half]
    first = pool[i % len(pool)]  # the other person: the shape least like the first (two people, two voices)
    voices = [first, max(pool, key=lambda v: abs(v.tract - first.tract))]
    level = LEVELS_DBFS[i % 2]
    clips = [voices[k % 2].say(line) for k, line in enumerate(lines)]
    bed = room(1.0 + sum(c.size for c in clips) / SAMPLE_RATE + 0.8 * len(clips) + TAIL_DEFAULT_S, rng)
    at, ivs = 1.0, []
    for clip, line in zip(clips, lines, strict=True):
        iv = place_speech(bed, clip, at, "side", line, level + rng.uniform(-2, 2))
        ivs.append(iv)
        at = iv.end + rng.uniform(*SIDE_GAP_S)
    return Scene(f"zh_side_{half}_{i:02d}", bed, ivs)


def barge_in(half: Half, i: int) -> Scene:
    rng = _rng(13000, half, i)
    ask, barge, _ = BARGE_INS[half][i % len(BARGE_INS[half])]
    voice = VOICES[half][i % len(VOICES[half])]
    first, second = voice.say(ask), voice.say(barge)
    at = 1.0 + first.size / SAMPLE_RATE + BARGE_AFTER_S
    bed = room(at + second.size / SAMPLE_RATE + TAIL_DEFAULT_S, rng)
    level = LEVELS_DBFS[i % len(LEVELS_DBFS)]
    return Scene(f"zh_barge_{half}_{i:02d}", bed,
                 [place_speech(bed, first, 1.0, "query", ask, level), place_speech(bed, second, at, "barge_in", barge, level)])


def scenes(per_half_side: int = 6, per_half_barge: int = 6) -> list[tuple[str, Half, Scene, str]]:
    """(kind, half, scene, expected pattern) for every scene, both halves."""
    out: list[tuple[str, Half, Scene, str]] = []
    for i, item in enumerate(ITEMS):
        out.append(("quiet", item.half, quiet(item, i), item.expect))
    for half in ("tune", "held"):
        h: Half = half  # type: ignore[assignment]
        out += [("side", h, side(h, i), "") for i in range(per_half_side)]
        out += [("barge_in", h, barge_in(h, i), BARGE_INS[h][i % len(BARGE_INS[h])][2]) for i in range(per_half_barge)]
    return out


def _turns_after(r: ReplayResult, t: float) -> list[UserTurn]:
    withdrawn = {e.segment for e in r.events if isinstance(e, Withdrawn)}
    return [e for e in r.events if isinstance(e, UserTurn) and e.t >= t and e.segment not in withdrawn]


def _replies_after(r: ReplayResult, t: float) -> str:
    """The text of the replies begun after `t` (their first text came after it)."""
    first: dict[int, float] = {}
    for e in r.events:
        if isinstance(e, ReplyText):
            first.setdefault(e.reply, e.t)
    return " ".join(e.text for e in r.events if isinstance(e, ReplyDone) and first.get(e.reply, e.t) >= t)


def score(kind: str, half: Half, sc: Scene, expect: str, r: ReplayResult, hear: MultilingualWhisper) -> dict[str, Any]:
    ivs = sc.intervals
    row: dict[str, Any] = {"scene": sc.name, "kind": kind, "half": half, "said": " | ".join(iv.text for iv in ivs)}
    if kind == "side":
        turns = _turns_after(r, ivs[0].start)
        row.update(user_turns=[e.text for e in turns], answered=bool(turns) or metrics.audio_seconds(r.assistant) > 0)
        return row
    ask: Interval = ivs[-1]
    turns = _turns_after(r, ask.start)
    reply = _replies_after(r, ask.start)
    first = metrics.first_audio_after(r.assistant, ask.end)
    heard = hear.transcribe_audio(r.assistant[int(ask.end * SAMPLE_RATE):]) if first is not None else ""
    row.update(user_turns=[e.text for e in turns], reply=reply, answer_heard=heard,
               answered=bool(turns) and first is not None and is_chinese(reply),
               right=bool(expect) and re.search(expect, heard) is not None)
    if kind == "quiet":
        row["v2v_s"] = round(first - ask.end, 3) if row["answered"] and first is not None else None
        row["fact"] = bool(expect)
    else:
        onset = ask.start
        row["talking_at_onset"] = metrics.audio_seconds(r.assistant, onset - 0.5, onset) > 0
        row["stop_s"] = round(metrics.stop_time_after(r.assistant, onset) - onset, 3)
    return row


def summary(rows: list[dict[str, Any]]) -> dict[str, Any]:
    def rate(sel: list[dict[str, Any]], key: str) -> str:
        return f"{sum(bool(r.get(key)) for r in sel)}/{len(sel)}"

    quiet_rows = [r for r in rows if r["kind"] == "quiet"]
    barge = [r for r in rows if r["kind"] == "barge_in" and r.get("talking_at_onset")]
    v2v = [r["v2v_s"] for r in quiet_rows if r.get("v2v_s") is not None]
    stops = [r["stop_s"] for r in barge]
    return {
        "quiet_answered_in_mandarin": rate(quiet_rows, "answered"),
        "facts_right": rate([r for r in quiet_rows if r["fact"]], "right"),
        "side_talk_answered": rate([r for r in rows if r["kind"] == "side"], "answered"),
        "barge_in_real": f"{len(barge)}/{sum(r['kind'] == 'barge_in' for r in rows)}",
        "barge_in_answered": rate(barge, "answered"),
        "barge_in_right": rate(barge, "right"),
        "barge_in_stop_p50_s": metrics.percentile(stops, 50),
        "v2v_n": len(v2v),
        "v2v_p50_s": metrics.percentile(v2v, 50),
        "v2v_p95_s": metrics.percentile(v2v, 95),
    }


def _play(models: Models, profile: Profile, out: Path, s: tuple[str, Half, Scene, str]) -> dict[str, Any]:
    kind, half, sc, expect = s
    assert models.multilingual is not None
    return score(kind, half, sc, expect, replay(models, profile, sc.save(out / "scenes"), out / sc.name), models.multilingual)


def _line(s: tuple[str, Half, Scene, str], row: dict[str, Any]) -> str:
    good = not row["answered"] if s[0] == "side" else row["answered"]
    return (f"{'ok ' if good else 'BAD'} {s[2].name:18s} {row['said'][:30]} → {row.get('reply', row['user_turns'])!s:.60}"
            f"{' RIGHT' if row.get('right') else ''}")


def _needs(models: Models) -> str:
    return "" if models.multilingual else "the Mandarin bench needs a profile that hears Mandarin (--profile mandarin)"


def bench_mandarin(profile: Profile, out: Path, kinds: tuple[str, ...] = KINDS) -> int:
    bench = runner.SceneBench(f"Mandarin ({profile.models.llm})", "mandarin.json", _play, _line, summary, _needs)
    return runner.run(bench, profile, out, [s for s in scenes() if s[0] in kinds],
                      extra={"profile": profile.name, "llm": profile.models.llm})
