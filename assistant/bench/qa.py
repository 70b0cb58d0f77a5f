"""The spoken-QA bench (`assistant bench --qa-only`, `make bench-qa`): is the answer right?

Each request of assistant/bench/qa_items.py is spoken by a voice of its half (three TTS families,
assistant/bench/voices.py) at a varied level into a quiet room, replayed through the whole duplex
loop in real time, and the answer *audio* is transcribed (Whisper) and scored: right (its pattern
or rule), refused (an apology instead of an answer), voice-to-voice and the latency waterfall
(assistant/bench/waterfall.py). Both halves are reported side by side.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import time
from pathlib import Path
from typing import Any

import numpy as np
from tqdm import tqdm

from assistant.bench import metrics, waterfall
from assistant.bench.qa_items import FACT_KINDS, PAUSE_MARK, PAUSES_S, SOURCE_KINDS, STOP_MAX_S, STORY_MIN_S, QaItem, items
from assistant.bench.scenes import Interval, Scene, place_speech, room, speech_extent
from assistant.bench.voices import LEVELS_DBFS, VOICES
from assistant.core.events import AskedBack, ReplyDone
from assistant.core.options import Profile
from assistant.core.runtime import Models, load_models
from assistant.run.replay import replay
from audio.frames import SAMPLE_RATE

REFUSAL = re.compile(r"\b(sorry|apologi[sz]e)\b.{0,40}\b(can(no|')t|unable|not able)\b|\bas an ai\b", re.I | re.S)
RESULT = re.compile(r"\b(is|equals|equal to|makes|gives( you)?)\b|=", re.I)
AUDIBLE_MIN_S = 0.2  # s of answer audio a "said right" answer needs ("George." is 0.4 s)
TAIL_S = {"story": 28.0, "explanation": 16.0, "howto": 16.0}  # s of room after the request
TAIL_DEFAULT_S = 11.0
GAP_S = {"stops": 5.0, "shorter": 16.0}  # s from the first turn's end to the second request
GAP_DEFAULT_S = 9.0
NUMBER_WORDS = ("zero one two three four five six seven eight nine ten eleven twelve").split()


def scene(item: QaItem, i: int) -> Scene:
    """The item spoken by its voice, at its level, into a quiet room (fixed by `i`)."""
    rng = np.random.default_rng(1000 + i)
    pool = VOICES[item.half]
    voice = pool[i % len(pool)]
    level = LEVELS_DBFS[i % len(LEVELS_DBFS)]
    first = voice.say(item.before) if item.before else None
    parts = [voice.say(p) for p in item.ask.split(PAUSE_MARK)]
    pause = PAUSES_S[i % len(PAUSES_S)]
    gap = GAP_S.get(item.expect, GAP_DEFAULT_S)
    at = 1.0 + (first.size / SAMPLE_RATE + gap if first is not None else 0.0)
    spoken_s = sum(p.size for p in parts) / SAMPLE_RATE + pause * (len(parts) - 1)
    bed = room(at + spoken_s + TAIL_S.get(item.kind, TAIL_DEFAULT_S), rng)
    ivs: list[Interval] = []
    if first is not None:
        ivs.append(place_speech(bed, first, 1.0, "query", item.before, level))
    said = [place_speech(bed, parts[0], at, "query", item.ask, level)]
    for p in parts[1:]:  # the next words begin `pause` s after the last audible ones
        said.append(place_speech(bed, p, said[-1].end + pause - speech_extent(p)[0], "query", item.ask, level))
    if len(said) > 1:  # (the pause is inside the request: one interval from its first word to its last)
        ivs.append(Interval(said[0].start, said[-1].end, "query", item.ask))
        ivs.append(Interval(said[0].end, said[-1].start, "pause", ""))
    else:
        ivs += said
    return Scene(f"qa_{item.id}", bed, ivs)


def expected(pattern: str, now: dt.datetime) -> str:
    """Fill the clock placeholders ({hour} also accepts the next hour within two minutes of it, and the
    hour followed by its minutes)."""
    hours = {now.hour % 12 or 12, (now + dt.timedelta(minutes=2)).hour % 12 or 12}
    said = [str(h) for h in hours] + [NUMBER_WORDS[h] for h in hours]
    clock = [rf"{h}[:.]?\d\d" for h in hours]  # "5:44", "5.44" or "544": five forty-four, transcribed
    return (pattern.replace("{hour}", r"\b(" + "|".join(said + clock) + r")\b")
            .replace("{weekday}", now.strftime("%A")).replace("{month}", now.strftime("%B")))


def matches(item: QaItem, text: str, now: dt.datetime) -> bool:
    """Does the answer say what a right answer says? For arithmetic only what follows the first
    "is / equals / makes" counts (an answer that repeats the question's numbers is not right)."""
    if item.kind == "arithmetic":
        m = RESULT.search(text)
        text = text[m.end():] if m else text
    return re.search(expected(item.expect, now), text, re.I) is not None


def score(item: QaItem, sc: Scene, assistant: np.ndarray, transcribe: Any, now: dt.datetime,
          said: str = "") -> dict[str, Any]:
    """One replayed item: the transcript of the scored answer, right or not, refused or not. A pattern item is
    `right` when the words the assistant said (`said`, its replies' text) match and at least AUDIBLE_MIN_S of
    answer audio was heard; `heard_right` when the Whisper transcript of that audio matches (tiny.en writes
    names a listener hears fine as other words: "Yangtze" → "Yansi", "Ankara" → "ankhara")."""
    ask = next(iv for iv in reversed(sc.intervals) if iv.kind == "query")
    end = sc.duration
    text = transcribe(assistant[int(ask.end * SAMPLE_RATE):])
    speech_s = metrics.audio_seconds(assistant, ask.end, end)
    row: dict[str, Any] = {"id": item.id, "kind": item.kind, "half": item.half, "ask": item.ask,
                           "answer": text, "answer_s": round(speech_s, 2)}
    if item.expect == "story":
        right = speech_s >= STORY_MIN_S
    elif item.expect == "stops":
        right = speech_s <= STOP_MAX_S
    elif item.expect == "shorter":
        before = metrics.audio_seconds(assistant, sc.intervals[0].end, ask.start)
        row["before_s"] = round(before, 2)
        right = 0 < speech_s < before
    else:
        row["heard_right"] = matches(item, text, now)
        right = speech_s >= AUDIBLE_MIN_S and matches(item, said, now)
    row["right"] = bool(right)
    pause = next((iv for iv in sc.intervals if iv.kind == "pause"), None)
    if pause is not None:  # answer audio before the sentence was over: the user was cut off
        row["cut_off"] = metrics.audio_seconds(assistant, pause.start, ask.end) > 0
    row["refused"] = REFUSAL.search(text) is not None
    return row


def _p(xs: list[float], q: float) -> float | None:
    v = metrics.percentile(xs, q)
    return None if v is None else round(v, 3)


def summary(rows: list[dict[str, Any]]) -> dict[str, Any]:
    def rate(sel: list[dict[str, Any]]) -> str:
        return f"{sum(r['right'] for r in sel)}/{len(sel)}"

    def wrong(sel: list[dict[str, Any]]) -> str:  # an answer said, not right, not a request to say it again
        return f"{sum(not r['right'] and not r.get('asked_back') and r['answer_s'] > 0 for r in sel)}/{len(sel)}"

    source = [r for r in rows if r["kind"] in SOURCE_KINDS]
    out: dict[str, Any] = {
        "source_facts_right": rate(source),
        "source_facts_heard_right": f"{sum(r.get('heard_right', False) for r in source)}/{len(source)}",
        "source_facts_wrong": wrong(source),
        "source_facts_asked_back": f"{sum(bool(r.get('asked_back')) for r in source)}/{len(source)}",
        "facts_right": rate([r for r in rows if r["kind"] in FACT_KINDS]),
        "facts_wrong": wrong([r for r in rows if r["kind"] in FACT_KINDS]),
        "followups_right": rate([r for r in rows if r["kind"] == "followup"]),
        "commands_right": rate([r for r in rows if r["kind"] == "command"]),
        "stories_8s": rate([r for r in rows if r["kind"] == "story"]),
        "explain_howto_right": rate([r for r in rows if r["kind"] in ("explanation", "howto")]),
        "pauses_right": rate([r for r in rows if r["kind"] == "pause"]),
        "pauses_cut_off": f"{sum(r.get('cut_off', False) for r in rows)}/{sum(r['kind'] == 'pause' for r in rows)}",
        "all_right": rate(rows),
        "refused": sum(r["refused"] for r in rows),
    }
    for kind in ("fact", "arithmetic", "time", "units", "definition", "lookup"):
        out[f"  {kind}"] = rate([r for r in rows if r["kind"] == kind])
    v2v = [r["v2v_s"] for r in rows if r.get("v2v_s") is not None]
    out["v2v_n"] = len(v2v)
    out["v2v_p50_s"], out["v2v_p95_s"] = _p(v2v, 50), _p(v2v, 95)
    for step in waterfall.STEPS:
        out[f"{step}_p50_s"] = _p([r["waterfall"][step] for r in rows if step in r.get("waterfall", {})], 50)
    return out


def run_qa(models: Models, profile: Profile, out: Path, limit: int | None = None,
           kinds: tuple[str, ...] = ()) -> dict[str, Any]:
    every = items()
    todo = [it for it in every if not kinds or it.kind in kinds]
    if limit:  # a quick look: the first `limit` of each half
        todo = [it for h in ("tune", "held") for it in [x for x in todo if x.half == h][:limit]]
    if models.encoder is None:
        raise ValueError("the spoken-QA bench transcribes the answers: it needs the Whisper encoder")
    rows: list[dict[str, Any]] = []
    for item in tqdm(todo, desc="spoken QA", unit="request"):
        i = every.index(item)  # (an item's voice, level and pause stay the same in any subset)
        sc = scene(item, i)
        wav = sc.save(out / "scenes")
        r = replay(models, profile, wav, out / sc.name)
        ask = next(iv for iv in reversed(sc.intervals) if iv.kind == "query")  # (the scored request)
        said = " ".join(e.text for e in r.events if isinstance(e, ReplyDone) and e.t >= ask.start)
        row = score(item, sc, r.assistant, models.encoder.transcribe_audio, dt.datetime.now(), said)
        row["voice"] = VOICES[item.half][i % len(VOICES[item.half])].label
        row["reply_text"] = said
        row["asked_back"] = any(isinstance(e, AskedBack) and e.t >= ask.start for e in r.events)
        if not item.before and item.kind != "pause":
            ask = sc.intervals[-1]
            first = metrics.first_audio_after(r.assistant, ask.end)
            row["v2v_s"] = None if first is None else round(first - ask.end, 3)
            row["waterfall"] = waterfall.stages(r.events, ask.end, first)
        rows.append(row)
        tqdm.write(f"{'ok ' if row['right'] else 'BAD'} {item.id:8s} {item.ask[:40]:40s} → {row['answer'][:70]}")
    result = {"halves": {h: summary([r for r in rows if r["half"] == h]) for h in ("tune", "held")},
              "both": summary(rows), "items": rows}
    waterfall.plot([(r["id"], r.get("waterfall", {})) for r in rows], out / "waterfall.png")
    (out / "qa.json").write_text(json.dumps(result, indent=1))
    return result


def print_table(result: dict[str, Any]) -> None:
    tune, held, both = result["halves"]["tune"], result["halves"]["held"], result["both"]
    print(f"\n{'spoken QA':24s} {'tune half':>10s} {'held half':>10s} {'both':>10s}")
    for k in both:
        print(f"{k:24s} {_f(tune.get(k)):>10s} {_f(held.get(k)):>10s} {_f(both.get(k)):>10s}")


def _f(x: Any) -> str:
    return "—" if x is None else f"{x:.2f}" if isinstance(x, float) else str(x)


def bench_qa(profile: Profile, out: Path, limit: int | None = None, kinds: tuple[str, ...] = ()) -> int:
    out.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    models = load_models(profile, vision=False)
    try:
        result = run_qa(models, profile, out, limit, kinds)
    finally:
        models.close()
    print_table(result)
    print(f"\nwrote {out / 'qa.json'} and {out / 'waterfall.png'} ({time.perf_counter() - t0:.0f} s)")
    return 0
