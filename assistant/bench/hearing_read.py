"""Word error rate on real people's read speech, by noise type and SNR (`make bench-hearing-read`).

The people corpus's NOIZEUS sentences (30 IEEE sentences, six readers, halves by reader) clean, and over
the half's own real noises (car, train, street, station, restaurant, exhibition, airport, babble):
every sentence over every noise at 5 dB, and over one noise each (round the eight) at 10 and 0 dB. Per
decoding setting (tiny.en greedy / beam 5, base multilingual as English with beam 5: the settings a
profile can choose), per half. The references are the IEEE sentences NOIZEUS reads (Loizou, *Speech
Enhancement*, appendix C), checked word for word against Whisper base on the clean recordings.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path
from typing import Any

import numpy as np
from tqdm import tqdm

from assistant.bench.hearing import edits, words
from assistant.bench.hearing_people import PAD_S, SETTINGS, Hearers, Setting
from assistant.bench.people import CORPUS, _index, _load, noise_bed
from audio import synth
from audio.frames import SAMPLE_RATE

LEVEL_DBFS = -26.0  # a near talker
EVERY_NOISE_SNR_DB = 5.0  # every sentence over every noise at this SNR
ONE_NOISE_SNRS_DB = (10.0, 0.0)  # and over one noise each at these
NOISES = 8
SENTENCES = {
    "sp01": "The birch canoe slid on the smooth planks.", "sp02": "He knew the skill of the great young actress.",
    "sp03": "Her purse was full of useless trash.", "sp04": "Read verse out loud for pleasure.",
    "sp05": "Wipe the grease off his dirty face.", "sp06": "Men strive but seldom get rich.",
    "sp07": "We find joy in the simplest things.", "sp08": "Hedge apples may stain your hands green.",
    "sp09": "Hurdle the pit with the aid of a long pole.", "sp10": "The sky that morning was clear and bright blue.",
    "sp11": "He wrote down a long list of items.", "sp12": "The drip of the rain made a pleasant sound.",
    "sp13": "Smoke poured out of every crack.", "sp14": "Hats are worn to tea and not to dinner.",
    "sp15": "The clothes dried on a thin wooden rack.", "sp16": "The stray cat gave birth to kittens.",
    "sp17": "The lazy cow lay in the cool grass.", "sp18": "The friendly gang left the drug store.",
    "sp19": "We talked of the sideshow in the circus.", "sp20": "The set of china hit the floor with a crash.",
    "sp21": "Clams are small, round, soft and tasty.", "sp22": "The line where the edges join was clean.",
    "sp23": "Stop whistling and watch the boys march.", "sp24": "A cruise in warm waters in a sleek yacht is fun.",
    "sp25": "A good book informs of what we ought to know.", "sp26": "She has a smart way of wearing clothes.",
    "sp27": "Bring your best compass to the third class.", "sp28": "The club rented the rink for the fifth night.",
    "sp29": "The flint sputtered and lit a pine torch.", "sp30": "Let us all join as we sing the last chorus.",
}
READ_SETTINGS = tuple(s for s in SETTINGS if not s.prompt)  # (a read sentence follows no words of the assistant)


def _beds(half: str, seconds: float) -> list[tuple[str, np.ndarray]]:
    """The half's eight noises, each `seconds` long (read once: a sentence takes the start of one)."""
    return [noise_bed(half, j, seconds) for j in range(NOISES)]


def clips(half: str) -> list[dict[str, Any]]:
    out = []
    read = sorted((k, v) for k, v in _index()["read"].items() if v["half"] == half and k in SENTENCES)
    beds = _beds(half, max(v["seconds"] for _, v in read) + 2 * PAD_S + 1.0)
    for i, (key, v) in enumerate(read):
        pad = np.zeros(int(PAD_S * SAMPLE_RATE), np.float32)
        pcm = np.concatenate([pad, synth.at_level(_load(CORPUS / "read" / f"{key}.opus"), LEVEL_DBFS), pad])
        base = {"half": half, "sentence": key, "reader": v["reader"], "ref": SENTENCES[key]}
        out.append({**base, "noise": "clean", "snr_db": None, "pcm": pcm})
        for j in range(NOISES):
            noise, bed = beds[j]
            out.append({**base, "noise": noise, "snr_db": EVERY_NOISE_SNR_DB,
                        "pcm": pcm + synth.at_level(bed[: pcm.size], LEVEL_DBFS - EVERY_NOISE_SNR_DB)})
        for snr in ONE_NOISE_SNRS_DB:
            noise, bed = beds[i % NOISES]
            out.append({**base, "noise": noise, "snr_db": snr, "pcm": pcm + synth.at_level(bed[: pcm.size], LEVEL_DBFS - snr)})
    return out


def wer(rows: list[dict[str, Any]]) -> float:
    return round(sum(r["errors"] for r in rows) / max(1, sum(r["ref_words"] for r in rows)), 3)


def summarise(rows: list[dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {"clean": wer([r for r in rows if r["snr_db"] is None])}
    for snr in (*ONE_NOISE_SNRS_DB, EVERY_NOISE_SNR_DB):
        out[f"{snr:g} dB"] = wer([r for r in rows if r["snr_db"] == snr])
    for noise in sorted({r["noise"] for r in rows} - {"clean"}):
        out[f"{noise} 5 dB"] = wer([r for r in rows if r["noise"] == noise and r["snr_db"] == EVERY_NOISE_SNR_DB])
    out["n_clips"] = len(rows)
    out["ref_words"] = sum(r["ref_words"] for r in rows)
    out["p50_s"] = round(statistics.median(r["seconds"] for r in rows), 3)
    return out


def run(out: Path, settings: tuple[Setting, ...] = READ_SETTINGS) -> dict[str, Any]:
    hearers, result, t0 = Hearers(), {}, time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)
    for half in ("tune", "held"):
        todo = clips(half)
        for s in settings:
            rows = []
            for c in tqdm(todo, desc=f"read speech ({half}): {s.name}", unit="clip"):
                w0 = time.perf_counter()
                heard, _ = hearers.hear(s, c["pcm"])
                ref = words(c["ref"])
                rows.append({**{k: v for k, v in c.items() if k != "pcm"}, "heard": heard, "ref_words": len(ref),
                             "errors": edits(ref, words(heard)), "seconds": time.perf_counter() - w0})
            result[f"{half} / {s.name}"] = summarise(rows)
            (out / f"{half}-{s.name.replace(' ', '_')}.json").write_text(json.dumps(rows, indent=0))
    (out / "hearing_read.json").write_text(json.dumps({"seconds": round(time.perf_counter() - t0), "results": result},
                                                      indent=1))
    print(table(result))
    return result


def table(result: dict[str, Any]) -> str:
    cols = [k for k in next(iter(result.values())) if k not in ("n_clips", "ref_words", "p50_s")]
    lines = ["| WER, half / setting | " + " | ".join(cols) + " | words | p50 s |", "|---" * (len(cols) + 3) + "|"]
    for name, r in result.items():
        lines.append(f"| {name} | " + " | ".join(f"{r[c]:.2f}" for c in cols) + f" | {r['ref_words']} | {r['p50_s']} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="bench-hearing-read", description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path, nargs="?", default=Path("bench-out/hearing-read"))
    ap.add_argument("--tiny-only", action="store_true", help="tiny.en settings only (the product's English ears)")
    ap.add_argument("--only", default="", help="settings whose name holds this text (e.g. 'beam 5')")
    a = ap.parse_args(argv)
    settings = tuple(s for s in READ_SETTINGS if s.model != "base") if a.tiny_only else READ_SETTINGS
    run(a.out, tuple(s for s in settings if a.only in s.name))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
