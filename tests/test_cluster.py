"""The cluster on loopback, end to end with the real models (`pytest -m cluster` runs it alone).

A Ray head, 2 worker nodes of 2 session slots, 2 llama.cpp servers behind vllm-router; aiortc
clients speak real TTS questions over one WebSocket each. Placement 2 + 2 and a 5th refused at
once; every answer heard on the track; a session's completions on one LLM server, its second
turn mostly cached; a worker node killed (its sessions told within 10 s, the others go on, a
reconnect refused, a fresh node restores capacity within 30 s); an LLM server killed (at most
one turn lost per session, none ends); nothing left running; only 127.0.0.1 on any socket.
"""

from __future__ import annotations

import asyncio
import re
import subprocess
import time
from collections import Counter
from dataclasses import dataclass

import numpy as np
import pytest

from assistant.cluster.client import SessionClient, Turn
from assistant.cluster.layout import ClusterOptions, cluster_python
from assistant.cluster.local import LocalCluster
from audio.synth import espeak, flite

# its own time limit, not the suite's 300 s: its bounds stretch with the machine (Bounds), and the one limit that covers
# set-up, the scenario and tear-down must not cut the tear-down short on a slow machine (that left a cluster running)
TIMEOUT_S = 1200
pytestmark = [pytest.mark.cluster, pytest.mark.slow, pytest.mark.timeout(TIMEOUT_S)]

BASE_PORT = 23000


REFERENCE_LOOP = 5_000_000  # additions timed once per run
REFERENCE_LOOP_S = 0.15  # s they take on a machine like the one the bounds were set on (its tests ran 2.2x faster than
#   on the 2026-12-07 machine, where they take 0.31–0.35 s)
LEAD_S = 0.5  # s of silence before each question
TRIES = 3  # times a person says a question the assistant did not take up, each time in the next voice


def _slowness() -> float:
    """How much slower this machine's Python runs than the one the bounds below were set on (≥ 1): the
    cluster's turns wait on 2 cores shared by everything, so on a slower machine every bound stretches
    with it — they are bounds on behaviour (answered, told, restored), never speed bars."""
    took = []
    for _ in range(3):  # (the fastest of three: another process's burst does not count)
        t0 = time.perf_counter()
        s = 0
        for i in range(REFERENCE_LOOP):
            s += i
        took.append(time.perf_counter() - t0)
    return max(1.0, min(took) / REFERENCE_LOOP_S)


@dataclass(frozen=True)
class Bounds:
    """The test's bounds on this machine, each stretched by how much slower it runs than the reference."""

    slow: float
    lost_within_s: float  # for a killed node's clients to learn it
    restore_within_s: float  # for a fresh node to take sessions again
    refuse_within_s: float  # for "at capacity"
    answer_s: float  # a turn may take on 2 shared cores with 4 sessions live
    killed_turn_s: float  # the turn during which an LLM server dies may take (a lost one waits this long)
    # a new session may take to warm up (its replicas' prefill through the router, the tools' data) before it
    # listens: ~5 s on a free machine, ~60 s with four starting at once on a 2.5x slower one (a user waits for
    # "listening" too; what is said before it is not heard, at most MIC_QUEUE_S of it)
    ready_s: float
    # sessions per worker node: two on a machine like the reference; on one much slower, one (four live sessions,
    # two LLM servers and Ray on its 2 cores fall behind the mic for good: the test is of survival, not capacity)
    slots: int

    @classmethod
    def measured(cls) -> Bounds:
        slow = _slowness()
        return cls(slow=slow, lost_within_s=10.0 * slow, restore_within_s=30.0 * slow, refuse_within_s=1.0 * slow,
                   answer_s=60.0 * slow, killed_turn_s=30.0 * slow, ready_s=60.0 * slow, slots=2 if slow < 1.5 else 1)


# two TTS families; a client says its question in its own voice, and in the next one if it is not taken up (whether a
# TTS voice's words are taken for a question is the monitor's choice, not the cluster's: its rate is in the load bench)
VOICES = [lambda t: espeak(t, "en-us"), lambda t: flite(t, "slt"), lambda t: espeak(t, "en-gb+f2"),
          lambda t: flite(t, "rms")]
# the LLM answers the first turn (a tool's answer never reaches its server, so a second turn could not find the first
# in the cache it is meant to reuse; session 0's second turn too: a question a tool answers reaches the LLM only
# through its first partial words)
FIRST = ["Who wrote Romeo and Juliet?", "How many days are there in a week?", "What colour is a ripe banana?",
         "What is the largest ocean on Earth?"]
SECOND = ["Who painted the Mona Lisa?", "How many hours are in a day?", "What colour is the sky on a clear day?",
          "How many legs does a spider have?"]  # (follow-ups like "tell me more" are often side talk to the monitor)


def _speech(voice, text: str) -> np.ndarray:  # type: ignore[no-untyped-def]
    return np.concatenate([np.zeros(int(LEAD_S * 16000), np.float32), voice(text).astype(np.float32)])


async def _ask(clients: list[SessionClient], texts: list[str], wait_s: float, tries: int = TRIES) -> list[Turn]:
    """Each client says its text; one not answered says it again, up to `tries` times in all, each time in the next
    voice, as a person would speak up. The last turn of each client."""
    turns: list[Turn] = []
    for attempt in range(tries):
        due = [i for i, t in enumerate(turns) if not t.answered and clients[i].lost_at is None] if turns else \
            list(range(len(clients)))
        if not due:
            break
        if attempt:
            print(f"said again in another voice (not answered): {[texts[i] for i in due]}")
        said = await asyncio.gather(*(clients[i].say(_speech(VOICES[(i + attempt) % len(VOICES)], texts[i]))
                                      for i in due))
        await asyncio.gather(*(clients[i].wait_answer(t, wait_s) for i, t in zip(due, said, strict=True)))
        turns = said if not turns else [said[due.index(i)] if i in due else t for i, t in enumerate(turns)]
    return turns


async def _open(url: str) -> SessionClient:
    c = SessionClient(url)
    if await c.connect():
        await c.start_media()
    return c


async def _ready(clients: list[SessionClient], ready_s: float) -> None:
    """Until each session says what state it is in (its core runs: it listens)."""
    deadline = time.monotonic() + ready_s
    while time.monotonic() < deadline and not all(any(e["type"] == "status" for e in c.events) for c in clients):
        await asyncio.sleep(0.2)
    late = [i for i, c in enumerate(clients) if not any(e["type"] == "status" for e in c.events)]
    assert not late, f"sessions {late} never listened within {ready_s:.0f} s"


def _story(c: SessionClient, since: float) -> str:
    """What a session saw after `since`: for a failure's message."""
    evs = [e for e in c.events if e["_at"] >= since]
    said = " | ".join(f"{e['type']}:{e.get('message') or e.get('text') or e.get('token') or ''}"[:80] for e in evs[-30:])
    return f"{c.node}: {said}"


def _sockets(pids: set[int]) -> list[tuple[str, str, str]]:
    """(local, peer, owner) of every TCP/UDP socket the given processes hold."""
    out = subprocess.run(["ss", "-tuanpH"], capture_output=True, text=True, check=True).stdout
    found = []
    for line in out.splitlines():
        owners = {int(p) for p in re.findall(r"pid=(\d+)", line)}
        if owners & pids:
            cols = line.split()
            found.append((cols[4], cols[5], cols[-1]))
    return found


def _host(addr: str) -> str:
    return addr.rsplit(":", 1)[0].strip("[]").removeprefix("::ffff:")


@pytest.fixture(scope="module")
def bounds() -> Bounds:
    return Bounds.measured()


@pytest.fixture(scope="module")
def cluster(bounds: Bounds):
    if "venv-cluster" not in cluster_python():
        pytest.fail("the cluster's virtualenv is missing: run `make cluster-setup` (make test does)")
    c = LocalCluster(ClusterOptions(workers=2, slots=bounds.slots, llm_servers=2, base_port=BASE_PORT))
    c.start()
    yield c
    c.stop()
    assert c.survivors() == {}, "processes of the cluster outlived it"


def test_sessions_on_two_nodes_survive_a_node_and_an_llm_server(cluster: LocalCluster, bounds: Bounds):
    async def scenario() -> None:
        SLOTS, ANSWER_S = bounds.slots, bounds.answer_s
        url = cluster.session_url
        clients = [await _open(url) for _ in range(2 * SLOTS)]
        nodes = Counter(c.node for c in clients)
        assert sorted(nodes.values()) == [SLOTS, SLOTS], f"placed {dict(nodes)}"
        t0 = time.monotonic()
        fifth = SessionClient(url)
        assert not await fifth.connect()
        assert fifth.refused == "at_capacity" and time.monotonic() - t0 <= bounds.refuse_within_s, fifth.refused
        await _ready(clients, bounds.ready_s)

        # two turns each: answered, and every completion of a session on one LLM server
        print(f"this machine runs {bounds.slow:.1f}x slower than the bounds' reference: every bound stretched as much, "
              f"{SLOTS} session(s) per node")
        first = await _ask(clients, FIRST[:len(clients)], ANSWER_S)
        second = await _ask(clients, SECOND[:len(clients)], ANSWER_S)
        for i, (c, a, b) in enumerate(zip(clients, first, second, strict=True)):
            assert a.answered and b.answered, (i, a, b, [e["type"] for e in c.events][-20:])
            servers = {u["server"] for u in c.usage()}
            assert len(servers) == 1, f"session {i} used {servers}"
            # the second turn's prompt extends the first's in the session's own KV slot: its cache covers at least
            # the whole first prompt (another session's slot shares the system prompt only; a passage or camera line
            # a turn was answered from stays in the history, or the cache would break there)
            turn1 = [u for u in c.usage() if a.began <= u["_at"] <= (a.done or 0) and u["prompt_tokens"] > 0]
            turn2 = [u for u in c.usage() if b.began <= u["_at"] <= (b.done or 0) and u["prompt_tokens"] > 0]
            assert turn1 and turn2, f"session {i}: no completion in a turn ({c.usage()})"
            need, best = max(u["prompt_tokens"] for u in turn1), max(u["cached_tokens"] for u in turn2)
            assert best >= need, f"session {i}: second turn cached {best} tokens, first prompt {need} ({turn1}, {turn2})"
            print(f"session {i} on {c.node}, LLM {servers}: second turn cached {best} tokens, first prompt {need}")

        # only loopback on every socket of every cluster process
        socks = _sockets(cluster.pids())
        assert socks, "found the cluster's sockets"
        unconnected = ("*:*", "0.0.0.0:*", "[::]:*")
        outside = [s for s in socks if _host(s[0]) != "127.0.0.1" or (s[1] not in unconnected and _host(s[1]) != "127.0.0.1")]
        assert not outside, f"not loopback: {outside}"

        # a worker node dies: its sessions learn it, the others answer on
        victim_node = clients[0].node
        victim = cluster.worker_of(victim_node)
        killed_at = time.monotonic()
        cluster.kill_worker(victim)
        lost = [c for c in clients if c.node == victim_node]
        kept = [c for c in clients if c.node != victim_node]
        while time.monotonic() - killed_at < bounds.lost_within_s and not all(
                c.lost_at is not None or c.silent_for() > 3.0 for c in lost):
            await asyncio.sleep(0.2)
        assert all(c.lost_at is not None or c.silent_for() > 3.0 for c in lost), "a lost session was not told"
        print("lost sessions told after " + ", ".join(f"{(c.lost_at or time.monotonic()) - killed_at:.1f} s" for c in lost))
        third = await _ask(kept, ["What is two plus three?", "What is the capital of Germany?"][:len(kept)], ANSWER_S)
        assert all(t.answered for t in third), third
        again = SessionClient(url)
        assert not await again.connect() and again.refused == "at_capacity"

        # a fresh node restores capacity
        started = time.monotonic()
        cluster.add_worker()
        back: list[SessionClient] = []
        while len(back) < SLOTS and time.monotonic() - started < bounds.restore_within_s:
            c = SessionClient(url)
            if await c.connect():
                back.append(c)
            else:
                await asyncio.sleep(0.5)
        restored_s = time.monotonic() - started
        assert len(back) == SLOTS, f"capacity not restored within {bounds.restore_within_s:.0f} s"
        print(f"capacity restored {restored_s:.1f} s after the fresh node started")
        for c in back:
            await c.start_media()
        await _ready(back, bounds.ready_s)

        # an LLM server dies: at most one turn lost per session, none ends
        live = kept + back
        await _ask(back, ["What is the capital of Italy?", "How many legs does a spider have?"][:len(back)], ANSWER_S)
        used = Counter(next(iter({u["server"] for u in c.usage()}), "") for c in live)
        dead = used.most_common(1)[0][0]
        before = [len(c.turns) for c in live]
        ask = asyncio.create_task(_ask(live, ["What is the boiling point of water?"] * len(live), bounds.killed_turn_s, tries=1))
        deadline = time.monotonic() + ANSWER_S  # kill it mid-answer: once a session's question is taken
        while time.monotonic() < deadline and not any(
                len(c.turns) > n and c.turns[-1].user_turn is not None for c, n in zip(live, before, strict=True)):
            await asyncio.sleep(0.05)
        cluster.kill_llm(int(dead.split("-")[1]))
        tries = await ask
        retry = [c for c, t in zip(live, tries, strict=True) if not t.answered]
        print(f"{dead} killed: {len(retry)} of {len(live)} sessions lost that turn")
        if retry:
            since = time.monotonic()
            again_turns = await _ask(retry, ["How many legs does a cat have?"] * len(retry), ANSWER_S)
            assert all(t.answered for t in again_turns), "a session lost more than one turn: " + "\n".join(
                _story(c, since) for c, t in zip(retry, again_turns, strict=True) if not t.answered)
        assert all(c.lost_at is None for c in live), "a session ended when an LLM server died"
        for c in live:
            assert c.usage()[-1]["server"] != dead
        for c in clients + back + [fifth, again]:
            await c.close()

    asyncio.run(scenario())
