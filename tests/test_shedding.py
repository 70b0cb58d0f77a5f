"""Speculative work yields to the critical path: partials shed when the judge lane is behind, and a
fire-and-forget job never queues twice (real worker threads, every wait bounded)."""

from __future__ import annotations

import asyncio
import threading

import pytest

from assistant.core.shedding import PartialGate
from assistant.core.workers import Workers

WAIT_S = 5.0  # bound on any wait in these tests


def test_partials_on_free_cores_are_all_read():
    gate = PartialGate()
    t = 1.0
    for _ in range(10):  # one every 0.3 s, each read in 0.15 s (this machine, both cores free)
        assert gate.admit(t, t)
        gate.spent(t, t + 0.15)
        t += 0.3
    assert gate.shed == 0


def test_slow_partials_take_at_most_half_the_lane():
    gate, free, busy, read = PartialGate(), 0.0, 0.0, 0
    for k in range(20):  # a partial every 0.3 s for 6 s, each taking 0.5 s to read (a core busy elsewhere)
        made = 1.0 + 0.3 * k
        turn = max(made, free)  # its turn comes when the lane is free
        if gate.admit(turn, made):
            free = turn + 0.5
            gate.spent(turn, free)
            busy += 0.5
            read += 1
    assert read >= 3 and busy / 6.0 <= 0.5 + 0.1, f"partials took {busy / 6.0:.0%} of the lane"
    assert gate.shed > 0


def test_a_partial_that_waited_for_the_lane_is_shed():
    gate = PartialGate()
    assert not gate.admit(now=2.0, audio_end=1.6), "its audio ended 0.4 s before its turn: the lane is behind"
    assert gate.admit(now=2.0, audio_end=1.9)
    assert gate.shed == 1


def test_a_queued_job_of_the_same_kind_is_superseded_by_the_newer_one():
    async def main() -> list[str]:
        workers, ran, hold = Workers(), [], threading.Event()
        try:
            blockers = [workers.submit("llm", f"hold {i}", hold.wait, WAIT_S) for i in range(2)]  # both llm threads
            first = workers.submit("llm", "read ahead", ran.append, "partial 1")
            second = workers.submit("llm", "read ahead", ran.append, "partial 2")
            other = workers.submit("llm", "monitor prefill", ran.append, "history")
            hold.set()
            await asyncio.wait_for(asyncio.wrap_future(second), WAIT_S)
            await asyncio.wait_for(asyncio.wrap_future(other), WAIT_S)
            assert first.cancelled() and all(b.result() for b in blockers)
        finally:
            hold.set()
            await workers.close()
        return ran

    assert sorted(asyncio.run(main())) == ["history", "partial 2"]


@pytest.mark.parametrize("duty", [0.25, 0.5])
def test_the_spacing_follows_the_duty_share(duty: float):
    gate = PartialGate(duty=duty)
    gate.spent(1.0, 1.4)
    wait = 0.4 * (1 - duty) / duty
    assert not gate.admit(1.4 + wait - 0.01, 1.4 + wait - 0.01)
    assert gate.admit(1.4 + wait + 0.01, 1.4 + wait + 0.01)


def test_the_pause_partial_is_not_spaced_out_but_is_shed_when_stale():
    gate = PartialGate(duty=0.5)
    gate.spent(2.54, 2.78)  # a partial took 0.24 s: the next waits until 3.02
    assert not gate.admit(2.80, 2.70), "a partial in the spacing is skipped"
    assert gate.admit(2.80, 2.70, settled=True), "the pause partial (ending in silence) is read: the end reuses it"
    assert not gate.admit(3.00, 2.70, settled=True), "but not once it is stale: the end is on its way"
