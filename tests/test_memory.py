"""A long session on test doubles and virtual time: the core's memory stays flat once its windows
(bus history, conversation, played audio) are full, however long the session goes on."""

from __future__ import annotations

import gc
import tracemalloc

import numpy as np
from fakes import FakeEngine, FakeTts, Run, fake_models, feed, profile, scenario, silence, speech

from assistant.core.events import Bus, UserTurn

CYCLES = 380  # questions and answers (7 min of mic); segment ids pass 256, where Python stops sharing ints
CHECKPOINTS = (269, 368)  # both after the windows are full of large-id events
SAMPLES = 11  # questions measured at each checkpoint; the least counts (a 100-event window is ~11 questions)


def test_memory_stays_flat_over_a_long_session():
    cycle = np.concatenate([speech(0.4, seed=3), silence(0.7)])
    answered: list[UserTurn] = []
    run = Run(fake_models(engine=FakeEngine(reply="Fine, thanks."), tts=FakeTts(s_per_word=0.1)), bus=Bus(keep=100),
              record=False)
    run.bus.subscribe(lambda e: answered.append(e) if isinstance(e, UserTurn) and len(answered) < 3 else None)
    sizes: dict[int, int] = {}  # traced bytes
    objects: dict[int, int] = {}  # live objects the garbage collector tracks (events, turns, chunks, …)

    async def body(core):
        t = 0.0
        for i in range(CYCLES):
            t = await feed(core, cycle, run, t0=t, spins=6)
            run.out.clear()
            at = next((c for c in CHECKPOINTS if c <= i < c + SAMPLES), None)
            if at is not None:
                gc.collect()
                sizes[at] = min(sizes.get(at, 1 << 62), tracemalloc.get_traced_memory()[0])
                objects[at] = min(objects.get(at, 1 << 62), len(gc.get_objects()))
        return core

    tracemalloc.start()
    try:
        core = scenario(run, profile(), body)
    finally:
        tracemalloc.stop()
    assert len(answered) == 3, "the questions are answered"
    assert len(core.conversation.turns) <= 24 and len(run.bus.history) == 100
    n = CHECKPOINTS[1] - CHECKPOINTS[0]
    first, last = (objects[c] for c in CHECKPOINTS)
    assert last <= first * 1.05, f"live objects grew {first} → {last} over {n} questions"
    # bytes (the window's mix of short strings and floats moves them by ~±5 %; a frame of audio
    # kept per question would add 130 kB here)
    first, last = (sizes[c] for c in CHECKPOINTS)
    assert last <= first * 1.10, f"grew {first} → {last} bytes over {n} questions"
