"""`assistant bench`: synthesise fixed-seed scenes, replay each in real time, print + write metrics.

Scenes: quiet questions (voice-to-voice, answered rate), noise only (false responses),
barge-ins (stop latency, answered rate). Definitions in assistant/metrics.py and DESIGN.md.
"""

from __future__ import annotations

import json
import resource
import time
from pathlib import Path

from tqdm import tqdm

from assistant import metrics, scenes
from assistant.events import Interrupt
from assistant.options import Profile
from assistant.replay import replay
from assistant.runtime import load_models


def _fmt(x: float | None) -> str:
    return "—" if x is None else f"{x:.2f}"


def bench(profile: Profile, out: Path, n_queries: int = 12, n_barge: int = 4) -> int:
    out.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    models = load_models(profile)
    load_s = time.perf_counter() - t0
    noise_kinds = [*scenes.NOISES, *scenes.SPEECHY_NOISES]
    todo = ([scenes.quiet_query(i) for i in range(n_queries)]
            + [scenes.noise_only(k, seconds=12.0, seed=i) for i, k in enumerate(noise_kinds)]
            + [scenes.barge_in(i) for i in range(n_barge)])
    v2v: list[float] = []
    stops: list[float] = []
    answered = false_resp = barge_answered = interrupts = n_real = 0
    rows = []
    for sc in tqdm(todo, desc="bench scenes", unit="scene"):
        wav = sc.save(out / "scenes")
        r = replay(models, profile, wav, out / sc.name)
        row: dict[str, object] = {"scene": sc.name}
        if sc.name.startswith("quiet_query"):
            q = sc.intervals[0]
            start = metrics.first_audio_after(r.assistant, q.end)
            if start is not None:
                answered += 1
                v2v.append(start - q.end)
            row["voice_to_voice_s"] = None if start is None else round(start - q.end, 3)
        elif sc.name.startswith("noise"):
            spoke = metrics.audio_seconds(r.assistant) > 0
            false_resp += spoke
            row["false_response"] = spoke
        else:
            first, second = sc.intervals
            talking = metrics.audio_seconds(r.assistant, second.start - 0.5, second.start) > 0
            ans = metrics.first_audio_after(r.assistant, second.end) is not None
            row.update(talking_at_onset=talking, answered=ans)
            if talking:  # only a real barge-in counts: the answer may have ended before it
                n_real += 1
                stop = metrics.stop_time_after(r.assistant, second.start) - second.start
                cut = any(isinstance(e, Interrupt) for e in r.events)
                interrupts += cut
                stops.append(stop)
                barge_answered += ans
                row.update(stop_latency_s=round(stop, 3), interrupted=cut)
        rows.append(row)
    n_noise = len(noise_kinds)
    summary = {
        "profile": profile.name,
        "llm": profile.models.remote_url or profile.models.llm,
        "model_load_s": round(load_s, 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "query_answered": f"{answered}/{n_queries}",
        "voice_to_voice_p50_s": metrics.percentile(v2v, 50),
        "voice_to_voice_p95_s": metrics.percentile(v2v, 95),
        "voice_to_voice_n": len(v2v),
        "noise_false_response": f"{false_resp}/{n_noise}",
        "barge_in_interrupted": f"{interrupts}/{n_real}",  # of scenes where the assistant was talking
        "barge_in_answered": f"{barge_answered}/{n_real}",
        "stop_latency_p50_s": metrics.percentile(stops, 50),
        "stop_latency_p95_s": metrics.percentile(stops, 95),
        "stop_latency_n": len(stops),
    }
    (out / "bench.json").write_text(json.dumps({"summary": summary, "scenes": rows}, indent=1))
    print(f"\n{'metric':28s} value")
    for k, v in summary.items():
        print(f"{k:28s} {_fmt(v) if isinstance(v, float) or v is None else v}")
    print(f"\nwrote {out / 'bench.json'}")
    models.close()
    return 0
