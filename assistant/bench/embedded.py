"""The kiosk's and the cockpit's own questions (`make bench-embedded`, ~3 min): spoken, heard by the
real Whisper and judged by the real monitor, each request once — no replay timing, so the rates
say what the user gets, not how fast.

- **cockpit**: a driver enrols (two sentences, flite awb); the driver's requests and passengers'
  (voices of two other TTS families) under road noise at two levels; served = the monitor's verdict
  is `query` with the speaker gate of the cockpit profile (its 6 log-odds were set before either half
  ran); the held half is other phrasings and other passengers' voices.
- **kiosk**: the service hall's FAQ questions (tests/data/kiosk_questions.json, both halves) spoken
  by three voices, transcribed, and looked up: from the right document, from a wrong one, or nothing
  (out-of-scope questions must find nothing).
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import numpy as np
from tqdm import tqdm

from assistant.bench import halves
from assistant.bench.voices import Voice
from assistant.core.judge import JudgeContext
from assistant.core.options import Profile, load_profile
from assistant.core.runtime import load_knowledge, load_models
from audio import synth

DRIVER = Voice("flite", "awb")
PASSENGERS = {"tune": (Voice("flite", "slt"), Voice("espeak", "en-us", 0.95)),
              "held": (Voice("flite", "rms", 1.1), Voice("espeak", "en-gb+f2", 1.05, pitch=60), Voice("flite", "kal", 0.9))}
ENROLMENT = "This is my voice. I drive this car. Please listen to me and not to the others in the car."
ASKS = {
    "tune": ("Turn up the temperature a little.", "How far is it to the next petrol station?", "What is seven times eight?",
             "Play some music, please.", "What is the capital of Italy?", "How long will the drive take?"),
    "held": ("Is there a car park near the station?", "What time is it in Tokyo?", "Who wrote the Odyssey?",
             "How many miles is fifty kilometers?", "Open the sunroof.", "What is the speed limit on a motorway?"),
}
ROAD_DBFS = (-42.0, -34.0)  # brown-noise rumble under the -24 dBFS voices: a quiet road, a motorway
KIOSK_VOICES = (Voice("espeak", "en-us", 0.95), Voice("flite", "slt"), Voice("flite", "awb"))
QUESTIONS = Path(__file__).resolve().parents[2] / "tests" / "data" / "kiosk_questions.json"


def _in_the_car(clip: np.ndarray, road_dbfs: float, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    pad = np.zeros(int(0.4 * 16000), np.float32)
    x = np.concatenate([pad, synth.at_level(clip, -24.0), pad])
    return (x + synth.at_level(synth.brown(x.size / 16000, rng), road_dbfs)[: x.size]).astype(np.float32)


def cockpit_rows(models: Any, cockpit: Profile) -> list[dict[str, Any]]:
    judge = models.judge
    ctx = JudgeContext(speakers={"driver": judge.speaker_vector(DRIVER.say(ENROLMENT))},
                       speaker_weight=cockpit.policy.speaker_gate_log_odds)
    rows = []
    todo = [(half, who, v, q, road) for half in ("tune", "held") for road in ROAD_DBFS for i, q in enumerate(ASKS[half])
            for who, v in (("driver", DRIVER), ("passenger", PASSENGERS[half][i % len(PASSENGERS[half])]))]
    for k, (half, who, voice, q, road) in enumerate(tqdm(todo, desc="cockpit: driver and passengers", unit="request")):
        j = judge.judge(_in_the_car(voice.say(q), road, k), ctx)
        rows.append({"half": half, "kind": who, "voice": voice.label, "road_dbfs": road, "said": q, "heard": j.text,
                     "verdict": f"{j.verdict.token} {j.verdict.p:.2f}", "speaker": j.speaker,
                     "similarity": round(j.speaker_sim, 3), "served": j.verdict.token == "query"})
    return rows


def kiosk_rows(models: Any) -> list[dict[str, Any]]:
    knowledge = load_knowledge(load_profile("kiosk"))
    assert knowledge is not None
    q = json.loads(QUESTIONS.read_text())
    todo = [(half, text, doc) for half in ("tune", "held") for text, doc in q[half]["in_scope"]] + \
           [(half, text, "") for half in ("tune", "held") for text in q[half]["out_of_scope"]]
    rows = []
    for k, (half, text, doc) in enumerate(tqdm(todo, desc="kiosk: spoken FAQ questions", unit="question")):
        heard = models.encoder.transcribe_audio(synth.at_level(KIOSK_VOICES[k % 3].say(text), -24.0))
        found = knowledge.find(heard)
        got = found.passage.source if found else ""
        rows.append({"half": half, "kind": "in_scope" if doc else "out_of_scope", "said": text, "heard": heard,
                     "expected": doc, "found": got, "score": round(found.score, 2) if found else 0.0,
                     "right": got == doc})
    return rows


def _rate(rows: list[dict[str, Any]], kind: str, key: str) -> str:
    mine = [r for r in rows if r["kind"] == kind]
    return f"{sum(bool(r[key]) for r in mine)}/{len(mine)}"


def _cockpit_summary(rows: list[dict[str, Any]]) -> dict[str, Any]:
    out = {"driver_served": _rate(rows, "driver", "served"), "passenger_served": _rate(rows, "passenger", "served")}
    for road in ROAD_DBFS:
        at = [r for r in rows if r["road_dbfs"] == road]
        out[f"driver_served_road_{road:g}dB"] = _rate(at, "driver", "served")
        out[f"passenger_served_road_{road:g}dB"] = _rate(at, "passenger", "served")
    return out


def _kiosk_summary(rows: list[dict[str, Any]]) -> dict[str, Any]:
    ins = [r for r in rows if r["kind"] == "in_scope"]
    return {"in_scope_right_document": _rate(rows, "in_scope", "right"),
            "in_scope_wrong_document": f"{sum(1 for r in ins if r['found'] and not r['right'])}/{len(ins)}",
            "in_scope_nothing_found": f"{sum(1 for r in ins if not r['found'])}/{len(ins)}",
            "out_of_scope_found_nothing": _rate(rows, "out_of_scope", "right")}


def bench_embedded(profile: Profile, out: Path) -> int:
    out.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    models = load_models(profile, vision=False)
    try:
        cockpit = cockpit_rows(models, load_profile("cockpit"))
        kiosk = kiosk_rows(models)
    finally:
        models.close()
    halves.report("cockpit: the enrolled driver is served", cockpit, _cockpit_summary, out / "cockpit.json")
    halves.report("kiosk: spoken questions, local knowledge", kiosk, _kiosk_summary, out / "kiosk.json")
    print(f"\nwrote {out / 'cockpit.json'}, {out / 'kiosk.json'} ({time.perf_counter() - t0:.0f} s)")
    return 0
