"""The skeleton the scene benches share (rooms, own voice, side talk over the answer, real people,
Mandarin): load the models once, replay each scene in real time and score it, print a line per scene,
close the models whatever happens, then summarise the tune and held halves side by side (halves.py)."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from tqdm import tqdm

from assistant.bench import halves, waterfall
from assistant.core.options import Profile
from assistant.core.runtime import Models, load_models

S = TypeVar("S")
Row = dict[str, Any]


@dataclass(frozen=True)
class SceneBench(Generic[S]):
    title: str  # the progress bar's and the table's
    json_name: str  # the result, written under the output directory
    play: Callable[[Models, Profile, Path, S], Row]  # replay one scene (its wav and trace under the directory), scored
    line: Callable[[S, Row], str]  # the progress line of a scored scene
    summary: Callable[[list[Row]], dict[str, Any]]  # one half's (or both halves') numbers
    needs: Callable[[Models], str] = lambda m: ""  # why these models cannot run it ("" they can)


def run(bench: SceneBench[S], profile: Profile, out: Path, todo: Sequence[S], busy: int = 0, plot: bool = False,
        extra: dict[str, Any] | None = None) -> int:
    """Run `todo` and report (with `extra` settings in the JSON); `busy` loops in other processes keep cores busy
    meanwhile; `plot`: the latency waterfall of the scenes that have one."""
    out.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    models = load_models(profile, vision=False)
    rows: list[Row] = []
    loops = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(busy)]
    try:
        if why := bench.needs(models):
            raise ValueError(why)
        for s in tqdm(todo, desc=bench.title, unit="scene"):
            row = bench.play(models, profile, out, s)
            rows.append(row)
            tqdm.write(bench.line(s, row))
    finally:
        for p in loops:
            p.kill()
            p.wait(timeout=5)
        models.close()
    if plot and any(r.get("waterfall") for r in rows):
        waterfall.plot([(r["scene"], r.get("waterfall", {})) for r in rows], out / "waterfall.png")
    halves.report(bench.title, rows, bench.summary, out / bench.json_name, **(extra or {}))
    print(f"\nwrote {out / bench.json_name} ({time.perf_counter() - t0:.0f} s)")
    return 0
