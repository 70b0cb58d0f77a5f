"""`assistant bench`: synthesise fixed-seed scenes, replay each in real time, print + write metrics.

Scenes: quiet questions (voice-to-voice, answered rate), noise only (false responses),
barge-ins (stop latency, answered rate), side talk during an answer (kept speaking), and the
assistant's own voice echoed into the mic (false interrupts). Definitions in
assistant/bench/score.py and the README. Each scene also gets its timeline.png.

With the camera (default; `--no-camera` skips it) the questions, barge-ins and side talk are
replayed again while the camera films a scene: the user facing the device for questions and
barge-ins, nobody facing it for side talk. That is the second column, plus vision costs.
"""

from __future__ import annotations

import json
import resource
import time
from pathlib import Path
from typing import Any

import numpy as np
from tqdm import tqdm

from assistant.bench import metrics, pictures, scenes
from assistant.bench.score import Tally
from assistant.core.options import Profile
from assistant.core.runtime import Models, load_models
from assistant.run.replay import replay

# what the camera films in each scene kind of the camera column
CAMERA_PICTURE = {"quiet_query": "hopper", "barge_in": "hopper", "side_talk": "coffee"}


def _fmt(x: Any) -> str:
    return "—" if x is None else f"{x:.2f}" if isinstance(x, float) else str(x)


def _run(models: Models, profile: Profile, todo: list[scenes.Scene], out: Path, desc: str,
         camera: bool = False) -> Tally:
    tally = Tally()
    for sc in tqdm(todo, desc=desc, unit="scene"):
        wav = sc.save(out / "scenes")
        image: np.ndarray | None = None
        if camera:
            image = pictures.photo(CAMERA_PICTURE[sc.name.rsplit("_", 1)[0]])
        r = replay(models, profile, wav, out / (sc.name + ("_camera" if camera else "")), echo=sc.echo, image=image)
        tally.add(sc, r)
    return tally


def _vision_costs(models: Models, seconds: float) -> dict[str, Any]:
    costs = models.vision.costs if models.vision else []
    out: dict[str, Any] = {"vision_frames": len(costs),
                           "vision_fps_sustained": round(len(costs) / seconds, 2) if seconds else None}
    for enc in ("objects", "faces", "text"):
        xs = [c[enc] for c in costs if enc in c]
        out[f"vision_{enc}_ms_p50"] = metrics.percentile(xs, 50)
        out[f"vision_{enc}_ms_p95"] = metrics.percentile(xs, 95)
    return out


def bench(profile: Profile, out: Path, n_queries: int = 12, n_barge: int = 6, n_side: int = 10,
          n_echo: int = 4, camera: bool = True) -> int:
    out.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    models = load_models(profile, vision=camera)
    load_s = time.perf_counter() - t0
    noise_kinds = [*scenes.NOISES, *scenes.SPEECHY_NOISES]
    talk = ([scenes.quiet_query(i) for i in range(n_queries)]
            + [scenes.barge_in(i) for i in range(n_barge)]
            + [scenes.side_talk_during_answer(i) for i in range(n_side)])
    rest = ([scenes.noise_only(k, seconds=12.0, seed=i, level=lvl) for lvl in (-30.0, -20.0)
             for i, k in enumerate(noise_kinds)]
            + [scenes.own_voice_echo(i) for i in range(n_echo)])
    off = _run(models, profile, talk + rest, out, "bench scenes")
    summary: dict[str, Any] = {
        "profile": profile.name,
        "llm": profile.models.remote_url or profile.models.llm,
        "scenes": len(talk) + len(rest),
        "model_load_s": round(load_s, 2),
        **off.summary(),
    }
    result: dict[str, Any] = {"summary": summary, "scenes": off.rows}
    if camera:
        t1 = time.perf_counter()
        on = _run(models, profile, talk, out, "bench scenes, camera on", camera=True)
        cam = {k: v for k, v in on.summary().items() if not k.startswith(("noise", "echo"))}
        cam.update(_vision_costs(models, sum(sc.duration for sc in talk)))
        cam["camera_pictures"] = CAMERA_PICTURE
        cam["scenes"] = len(talk)
        cam["wall_s"] = round(time.perf_counter() - t1)
        result.update(camera=cam, camera_scenes=on.rows)
    summary["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    (out / "bench.json").write_text(json.dumps(result, indent=1))
    cam = result.get("camera", {})
    print(f"\n{'metric':28s} {'camera off':>12s} {'camera on':>12s}")
    for k in dict.fromkeys([*summary, *cam]):
        if k != "camera_pictures":
            print(f"{k:28s} {_fmt(summary.get(k)):>12s} {_fmt(cam.get(k)) if k in cam else '':>12s}")
    print(f"\nwrote {out / 'bench.json'} and a timeline.png per scene")
    models.close()
    return 0
