"""How well Whisper hears the spoken-QA bench's voices (`make bench-hearing`): word error rate per
half and TTS family, and time per transcript, for the decoding settings a profile can choose
(`[models] asr_beam`, `asr_context`). Each request is spoken once by its voice at its level (as in
assistant/bench/qa.py); follow-ups get their first turn as Whisper's previous text.
"""

from __future__ import annotations

import json
import re
import statistics
import time
from pathlib import Path

from tqdm import tqdm

from assistant.bench.qa_items import PAUSE_MARK, items
from assistant.bench.voices import LEVELS_DBFS, VOICES
from assistant.tools.spoken_numbers import parse, tokens
from audio import synth
from models.whisper import SharedAudioEncoder

SETTINGS = (("greedy", 1, False), ("beam 5", 5, False), ("beam 5 + previous text", 5, True))


def words(text: str) -> list[str]:
    """Lower-case words with numbers as digits ("forty four" and "44" are the same word)."""
    ws, out, i = tokens(text), [], 0
    while i < len(ws):
        n = parse(ws[i:]) if ws[i] not in ("a", "an", "and", "oh") else None
        if n is not None:
            out.append(f"{n[0]:g}")
            i += n[1]
            continue
        if re.fullmatch(r"[a-z0-9']+", ws[i]):
            out.append(ws[i])
        i += 1
    return out


def edits(a: list[str], b: list[str]) -> int:
    row = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, y in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (x != y))
    return row[-1]


def run(out: Path) -> dict[str, dict[str, float]]:
    enc = SharedAudioEncoder()
    clips = []
    for i, it in enumerate(items()):
        voice = VOICES[it.half][i % len(VOICES[it.half])]
        text = it.ask.replace(PAUSE_MARK, " ")
        clips.append((it, voice.family, text, synth.at_level(voice.say(text), LEVELS_DBFS[i % len(LEVELS_DBFS)])))
    result: dict[str, dict[str, float]] = {}
    for name, beam, context in SETTINGS:
        enc.beam_size = beam
        errors: dict[str, list[int]] = {}
        seconds = []
        for it, family, text, pcm in tqdm(clips, desc=f"hearing: {name}", unit="request"):
            t0 = time.perf_counter()
            heard = enc.transcribe(enc.encode(pcm), it.before if context else "").text
            seconds.append(time.perf_counter() - t0)
            ref = words(text)
            for key in (it.half, family):
                e = errors.setdefault(key, [0, 0])
                e[0] += edits(ref, words(heard))
                e[1] += len(ref)
        result[name] = {f"wer_{k}": round(e / n, 3) for k, (e, n) in errors.items()}
        result[name] |= {"p50_s": round(statistics.median(seconds), 3), "n": len(seconds)}
    out.mkdir(parents=True, exist_ok=True)
    (out / "hearing.json").write_text(json.dumps(result, indent=1))
    for name, r in result.items():
        print(f"{name:24} " + "  ".join(f"{k} {v}" for k, v in r.items()))
    return result


if __name__ == "__main__":
    run(Path("bench-out/hearing"))
