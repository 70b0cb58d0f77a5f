"""How well Whisper hears real people (`make bench-hearing-people`): kiosk orders by many speakers and phones
(the people corpus: Picovoice's crowd-sourced orders), clean and over the half's real noises (NOIZEUS:
car, train, street, station, restaurant, exhibition, airport, babble) at 10, 5 and 0 dB SNR, per decoding
setting (tiny.en greedy / beam 5 / beam 5 with the conversation's words as previous text; base multilingual
as English, beam 5 with and without), both halves apart.

Picovoice labels its orders by slot values ("triple shot", "light roast", "iced coffee"), not by
transcript, so the score is what the kiosk needs: the share of slot words in the transcript and the share
of orders with every slot word heard. With each transcript, whether the product would ask back
(assistant/core/unclear.py at the profile's bar) — and how many orders it would answer on words that lost
a slot (answered wrong) against how many it asks again.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from tqdm import tqdm

from assistant.bench.hearing import words
from assistant.bench.people import _load, noise_bed, recordings
from assistant.core.options import ModelOptions, PolicyOptions
from assistant.core.unclear import heard_badly
from audio import synth
from audio.frames import SAMPLE_RATE
from models.whisper import SharedAudioEncoder, Transcript
from models.whisper_multi import MultilingualWhisper

SNRS_DB = (None, 10.0, 5.0, 0.0)  # None: clean
PER_HALF = 24  # orders per half (spread over the speakers)
LEVEL_DBFS = -26.0  # a near talker at a kiosk
PAD_S = 0.5  # s of silence around an order (as a segment cut by the VAD)
PROMPT = "Welcome! What can I get you today?"  # the assistant's last words: Whisper's previous text


@dataclass(frozen=True)
class Setting:
    name: str
    model: str  # "tiny.en" / "base" / "second ear" (tiny.en, base again where unsure: the product's default)
    beam: int
    prompt: bool


SETTINGS = (Setting("tiny.en greedy", "tiny.en", 1, False), Setting("tiny.en beam 5", "tiny.en", 5, False),
            Setting("tiny.en beam 5 + previous text", "tiny.en", 5, True), Setting("base beam 5", "base", 5, False),
            Setting("base beam 5 + previous text", "base", 5, True),
            Setting("tiny.en beam 5 + second ear", "second ear", 5, False),
            Setting("tiny.en beam 5 + previous text + second ear", "second ear", 5, True))


class Hearers:
    """tiny.en as the product runs it; base multilingual through faster-whisper's own English path."""

    def __init__(self) -> None:
        self.tiny = SharedAudioEncoder(quiet=True)
        self._base: Any = None
        self._second: MultilingualWhisper | None = None
        self.again = self.kept = 0  # clips the second ear heard again, and those whose words it kept

    def hear(self, s: Setting, pcm: np.ndarray) -> tuple[str, float]:
        """(the words, Whisper's confidence: mean token log-probability)."""
        if s.model in ("tiny.en", "second ear"):
            self.tiny.beam_size = s.beam
            tr: Transcript = self.tiny.transcribe(self.tiny.encode(pcm), PROMPT if s.prompt else "")
            if s.model == "tiny.en" or tr.confidence >= ModelOptions().second_ear_below:
                return tr.text, tr.confidence
            if self._second is None:  # (as the product hears: assistant/core/ears.py, an 8 s window)
                self._second = MultilingualWhisper(quiet=True, beam_size=s.beam)
            again = self._second.english(pcm, PROMPT if s.prompt else "")
            self.again += 1
            if again.confidence > tr.confidence and again.text.strip():
                self.kept += 1
                return again.text, again.confidence
            return tr.text, tr.confidence
        if self._base is None:
            from faster_whisper import WhisperModel

            from models.weights import whisper_base_dir
            self._base = WhisperModel(str(whisper_base_dir(progress=True)), device="cpu", compute_type="int8", cpu_threads=2)
        segs, _ = self._base.transcribe(pcm, language="en", beam_size=s.beam, initial_prompt=PROMPT if s.prompt else None,
                                        condition_on_previous_text=False, without_timestamps=True, vad_filter=False)
        segs = list(segs)
        text = " ".join(x.text.strip() for x in segs)
        return text, (float(np.mean([x.avg_logprob for x in segs])) if segs else -3.0)


def slot_share(slots: str, heard: str) -> float:
    want, got = words(slots), set(words(heard))
    return sum(w in got for w in want) / max(1, len(want))


def clips(half: str, n: int) -> list[dict[str, Any]]:
    """Each order of the half (n, spread over speakers) clean and over one real noise at each SNR."""
    recs = [r for r in recordings("human_request") if r.half == half]
    recs = recs[:: max(1, len(recs) // n)][:n]
    out = []
    for i, r in enumerate(recs):
        speech = synth.at_level(_load(r.path), LEVEL_DBFS)
        pad = np.zeros(int(PAD_S * SAMPLE_RATE), np.float32)
        pcm = np.concatenate([pad, speech, pad])
        noise, bed = noise_bed(half, i, pcm.size / SAMPLE_RATE)
        for snr in SNRS_DB:
            x = pcm if snr is None else pcm + synth.at_level(bed, LEVEL_DBFS - snr)
            out.append({"half": half, "speaker": r.who, "slots": r.text, "noise": "clean" if snr is None else noise,
                        "snr_db": snr, "pcm": x.astype(np.float32)})
    return out


def summarise(rows: list[dict[str, Any]], min_logprob: float) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, of in (("level", lambda r: "clean" if r["snr_db"] is None else f"{r['snr_db']:g} dB"),
                    ("noise", lambda r: r["noise"])):
        for value in sorted({of(r) for r in rows}):
            sel = [r for r in rows if of(r) == value]
            asked = [r for r in sel if heard_badly(r["heard"], r["confidence"], min_logprob)]
            kept = [r for r in sel if r not in asked]
            out[f"{key} {value}"] = {
                "n": len(sel), "slot_words_heard": round(statistics.mean(r["slots_heard"] for r in sel), 3),
                "orders_all_heard": round(float(np.mean([r["slots_heard"] == 1 for r in sel])), 3),
                "asked_back": round(len(asked) / len(sel), 3),
                "answered_wrong": round(sum(r["slots_heard"] < 1 for r in kept) / len(sel), 3),
                "p50_s": round(statistics.median(r["seconds"] for r in sel), 3)}
    return out


def run(out: Path, per_half: int = PER_HALF, settings: tuple[Setting, ...] = SETTINGS) -> dict[str, Any]:
    min_logprob = PolicyOptions().ask_back_min_logprob
    hearers = Hearers()
    result: dict[str, Any] = {}
    t0 = time.perf_counter()
    for half in ("tune", "held"):
        todo = clips(half, per_half)
        for s in settings:
            rows = []
            for c in tqdm(todo, desc=f"hearing people ({half}): {s.name}", unit="clip"):
                w0 = time.perf_counter()
                heard, confidence = hearers.hear(s, c["pcm"])
                rows.append({**{k: v for k, v in c.items() if k != "pcm"}, "heard": heard, "confidence": round(confidence, 3),
                             "slots_heard": slot_share(c["slots"], heard), "seconds": time.perf_counter() - w0})
            result[f"{half} / {s.name}"] = summarise(rows, min_logprob)
            (out / "rows").mkdir(parents=True, exist_ok=True)
            (out / "rows" / f"{half}-{s.name.replace(' ', '_')}.json").write_text(json.dumps(rows, indent=0))
    out.mkdir(parents=True, exist_ok=True)
    (out / "hearing_people.json").write_text(json.dumps({"ask_back_min_logprob": min_logprob, "per_half": per_half,
                                                          "seconds": round(time.perf_counter() - t0), "results": result},
                                                         indent=1))
    print(table(result))
    return result


def table(result: dict[str, Any]) -> str:
    lines = ["| half / setting | clean | 10 dB | 5 dB | 0 dB | asked back at 0 dB | answered on lost slots at 0 dB | p50 s |",
             "|---|---|---|---|---|---|---|---|"]
    for name, r in result.items():
        lvl = [r.get(f"level {k}", {}).get("orders_all_heard", float("nan")) for k in ("clean", "10 dB", "5 dB", "0 dB")]
        z = r.get("level 0 dB", {})
        lines.append(f"| {name} | " + " | ".join(f"{v:.2f}" for v in lvl) +
                     f" | {z.get('asked_back', 0):.2f} | {z.get('answered_wrong', 0):.2f} | {r['level clean']['p50_s']} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="bench-hearing-people", description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path, nargs="?", default=Path("bench-out/hearing-people"))
    ap.add_argument("--per-half", type=int, default=PER_HALF)
    ap.add_argument("--tiny-only", action="store_true", help="tiny.en settings only (the product's English ears)")
    ap.add_argument("--only", default="", help="settings whose name holds this text (e.g. 'beam 5')")
    a = ap.parse_args(argv)
    settings = tuple(s for s in SETTINGS if s.model != "base") if a.tiny_only else SETTINGS
    run(a.out, a.per_half, tuple(s for s in settings if a.only in s.name))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
