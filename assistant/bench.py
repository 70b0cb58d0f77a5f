"""`assistant bench`: synthesise fixed-seed scenes, replay each in real time, print + write metrics.

Scenes: quiet questions (voice-to-voice, answered rate), noise only (false responses),
barge-ins (stop latency, answered rate), side talk during an answer (kept speaking), and the
assistant's own voice echoed into the mic (false interrupts). Definitions in
assistant/metrics.py and DESIGN.md. Each scene also gets its timeline.png.
"""

from __future__ import annotations

import json
import resource
import time
from pathlib import Path
from typing import Any

from tqdm import tqdm

from assistant import metrics, scenes
from assistant.events import Interrupt, ReplyAudio, SpeechStart, UserTurn
from assistant.options import Profile
from assistant.replay import ReplayResult, replay
from assistant.runtime import load_models


KEPT_WINDOW_S = 1.5  # s after the side talk ends in which the answer must still be heard


def _fmt(x: Any) -> str:
    return "—" if x is None else f"{x:.2f}" if isinstance(x, float) else str(x)


def _talking_at(r: ReplayResult, t: float) -> bool:
    return metrics.audio_seconds(r.assistant, t - 0.5, t) > 0


def _interrupts(r: ReplayResult) -> list[Interrupt]:
    return [e for e in r.events if isinstance(e, Interrupt)]


def _planned_end(r: ReplayResult, after: float) -> float:
    """When the first answer after `after` would have ended if nothing cut it: its first audible
    moment plus all the audio queued for it."""
    start = metrics.first_audio_after(r.assistant, after) or after
    first = next((e.reply for e in r.events if isinstance(e, ReplyAudio)), None)
    return start + sum(e.seconds for e in r.events if isinstance(e, ReplyAudio) and e.reply == first)


def bench(profile: Profile, out: Path, n_queries: int = 12, n_barge: int = 6, n_side: int = 10,
          n_echo: int = 4) -> int:
    out.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    models = load_models(profile)
    load_s = time.perf_counter() - t0
    noise_kinds = [*scenes.NOISES, *scenes.SPEECHY_NOISES]
    todo = ([scenes.quiet_query(i) for i in range(n_queries)]
            + [scenes.noise_only(k, seconds=12.0, seed=i, level=lvl) for lvl in (-30.0, -20.0)
               for i, k in enumerate(noise_kinds)]
            + [scenes.barge_in(i) for i in range(n_barge)]
            + [scenes.side_talk_during_answer(i) for i in range(n_side)]
            + [scenes.own_voice_echo(i) for i in range(n_echo)])
    v2v: list[float] = []
    stops: list[float] = []
    decisions: list[float] = []
    c = {k: 0 for k in ("answered", "false", "barge_real", "barge_cut", "barge_answered", "side_real", "side_kept", "side_short",
                        "echo_cut", "echo_heard")}
    rows = []
    for sc in tqdm(todo, desc="bench scenes", unit="scene"):
        wav = sc.save(out / "scenes")
        r = replay(models, profile, wav, out / sc.name, echo=sc.echo)
        row: dict[str, object] = {"scene": sc.name}
        kind = sc.name.rsplit("_", 1)[0]
        if kind == "quiet_query":
            q = sc.intervals[0]
            start = metrics.first_audio_after(r.assistant, q.end)
            c["answered"] += start is not None
            if start is not None:
                v2v.append(start - q.end)
            row["voice_to_voice_s"] = None if start is None else round(start - q.end, 3)
        elif kind.startswith("noise"):
            spoke = metrics.audio_seconds(r.assistant) > 0
            c["false"] += spoke
            row["false_response"] = spoke
        elif kind == "barge_in":
            _, cut = sc.intervals
            ans = metrics.first_audio_after(r.assistant, cut.end) is not None
            row.update(talking_at_onset=_talking_at(r, cut.start), answered=ans)
            if row["talking_at_onset"]:  # only a real barge-in counts: the answer may have ended before it
                c["barge_real"] += 1
                stop = metrics.stop_time_after(r.assistant, cut.start) - cut.start
                stops.append(stop)
                hits = [e for e in _interrupts(r) if e.t >= cut.start]
                c["barge_cut"] += bool(hits)
                c["barge_answered"] += ans
                if hits:
                    decisions.append(hits[0].t - cut.start)
                row.update(stop_latency_s=round(stop, 3), interrupted=bool(hits))
        elif kind == "side_talk":
            ask, side = sc.intervals
            row["talking_at_onset"] = _talking_at(r, side.start)
            cut = bool([e for e in _interrupts(r) if e.t >= side.start])
            answered = bool([e for e in r.events if isinstance(e, UserTurn) and e.t >= side.start])
            # an answer that ends by itself before the side talk is over cannot show "kept speaking"
            short = _planned_end(r, ask.end) < side.end + KEPT_WINDOW_S
            row.update(interrupted=cut, answered_side_talk=answered, answer_too_short=short)
            if row["talking_at_onset"] and (cut or answered or not short):
                c["side_real"] += 1
                kept = not cut and not answered and \
                    metrics.audio_seconds(r.assistant, side.end, side.end + KEPT_WINDOW_S) > 0.3
                c["side_kept"] += kept
                row["kept_speaking"] = kept
            elif row["talking_at_onset"]:
                c["side_short"] += 1
        else:  # echo
            cut = bool(_interrupts(r))
            heard = any(isinstance(e, SpeechStart) and e.assistant_speaking for e in r.events)
            c["echo_cut"] += cut
            c["echo_heard"] += heard
            row.update(echo=str(sc.echo), false_interrupt=cut, heard_itself=heard)
        rows.append(row)
    summary = {
        "profile": profile.name,
        "llm": profile.models.remote_url or profile.models.llm,
        "scenes": len(todo),
        "model_load_s": round(load_s, 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "query_answered": f"{c['answered']}/{n_queries}",
        "voice_to_voice_p50_s": metrics.percentile(v2v, 50),
        "voice_to_voice_p95_s": metrics.percentile(v2v, 95),
        "voice_to_voice_n": len(v2v),
        "noise_false_response": f"{c['false']}/{2 * len(noise_kinds)}",
        "barge_in_interrupted": f"{c['barge_cut']}/{c['barge_real']}",  # of scenes where it was talking
        "barge_in_answered": f"{c['barge_answered']}/{c['barge_real']}",
        "stop_latency_p50_s": metrics.percentile(stops, 50),  # audible stop (the duck counts)
        "stop_latency_p95_s": metrics.percentile(stops, 95),
        "decision_latency_p50_s": metrics.percentile(decisions, 50),  # onset → interrupt event
        "stop_latency_n": len(stops),
        "side_talk_kept_speaking": f"{c['side_kept']}/{c['side_real']}",
        "side_talk_answer_too_short": c["side_short"],  # answer ended by itself, side talk not answered
        "echo_false_interrupts": f"{c['echo_cut']}/{n_echo}",
        "echo_heard_as_speech": f"{c['echo_heard']}/{n_echo}",
    }
    (out / "bench.json").write_text(json.dumps({"summary": summary, "scenes": rows}, indent=1))
    print(f"\n{'metric':28s} value")
    for k, v in summary.items():
        print(f"{k:28s} {_fmt(v)}")
    print(f"\nwrote {out / 'bench.json'} and a timeline.png per scene")
    models.close()
    return 0
