"""The replicas on the real model: state tokens are the model's distribution; roles swap on an interrupt."""

from __future__ import annotations

import asyncio

import numpy as np
import pytest

from assistant.core.clock import Clock
from assistant.core.duplex import DuplexCore
from assistant.core.events import Bus, Interrupt, ReplyHeard, RolesSwapped, StateToken
from assistant.core.prompt import STATE_TOKENS, Turn
from assistant.core.replicas import Replica
from audio import synth
from audio.segmenter import Segment

pytestmark = pytest.mark.slow


def test_verdict_is_the_models_distribution_over_three_state_tokens(models):
    rep = Replica("T", 0, models.engine)
    a = rep.state_probs([Turn("user", "What is the capital of France?")])
    b = rep.state_probs([Turn("user", "uh hmm the the")])
    for p in (a, b):
        assert set(p) == set(STATE_TOKENS)
        assert abs(sum(p.values()) - 1) < 1e-6 and all(0 <= v <= 1 for v in p.values())
    assert a["query"] > 0.5
    assert a != b, "the distribution must depend on what was said"


def test_encoder_runs_once_per_segment_version(models):
    pcm = synth.at_level(synth.espeak("Hello there"), -24)
    n0 = models.encoder.encode_calls
    e1 = models.encoder.encode(("unit", pcm.size), pcm)
    e2 = models.encoder.encode(("unit", pcm.size), pcm)
    assert e1 is e2 and models.encoder.encode_calls == n0 + 1
    assert e1.features.shape[1] == 384


def test_query_while_speaking_interrupts_and_swaps(models, profile):
    async def scenario() -> tuple[DuplexCore, Bus]:
        bus, clock = Bus(), Clock()
        core = DuplexCore(models, profile, bus, clock)
        await core.warm()
        clock.start()
        core.start()
        core._answer("Tell me a long story about a dragon.", seg_id=0)
        while not core.playout.busy:  # wait for the first clause to be queued
            await asyncio.sleep(0.05)
        core.playout.pull(16000)  # one second of it was played
        before = core.generator.name
        pcm = synth.at_level(synth.espeak("Wait, what is the capital of Italy?"), -24)
        seg = Segment(1, 5.0, 5.0 + pcm.size / 16000, 5.0, pcm, final=True)
        await core._handle(seg)
        assert core.generator.name != before
        await core.stop()
        return core, bus

    core, bus = asyncio.run(scenario())
    kinds = [type(e) for e in bus.history]
    assert StateToken in kinds and Interrupt in kinds
    assert kinds.index(Interrupt) < max(i for i, k in enumerate(kinds) if k is RolesSwapped)
    heard = next(e for e in bus.history if isinstance(e, ReplyHeard))
    first_answer = next(t for t in core.history if t.role == "assistant")
    assert first_answer.text.rstrip(" …") == heard.text
    assert 0 < len(heard.text.split()) < 40
    assert core.history[-2].text.startswith("Wait") or "Italy" in core.history[-2].text


def test_remote_engine_speaks_openai_completions_to_a_real_llama_server(models):
    """The remote backend against llama.cpp's own HTTP server (the one xllamacpp opens on loopback)."""
    from models.llm import EngineError, RemoteEngine, RemoteEngineOptions

    eng = models.engine
    remote = RemoteEngine(RemoteEngineOptions(eng.listening_address, api_key=eng.api_key))
    pieces: list[str] = []
    text = remote.stream("<|im_start|>user\nSay hello.<|im_end|>\n<|im_start|>assistant\n", slot=1, max_tokens=8,
                         on_text=lambda d: pieces.append(d) is not None)
    assert text and "".join(pieces) == text
    probs = remote.next_token_probs("The capital of France is", slot=1, candidates=("Paris", "London", "Rome"))
    assert set(probs) == {"Paris", "London", "Rome"} and abs(sum(probs.values()) - 1) < 1e-6
    locked = RemoteEngine(RemoteEngineOptions(eng.listening_address))  # no key: the listener refuses
    with pytest.raises(EngineError, match="401"):
        locked.next_token_probs("hi", slot=1, candidates=("a",))


def test_two_cores_never_share_a_transcript(models, profile):
    """The encoder cache is shared: equal segment ids and lengths in two sessions must not collide."""
    from assistant.core.clock import Clock
    from assistant.core.events import Bus

    a = synth.at_level(synth.espeak("What is the capital of France?"), -24)
    b = synth.at_level(synth.espeak("Set a timer for ten minutes please"), -24)
    n = max(a.size, b.size)
    a, b = (np.pad(x, (0, n - x.size)) for x in (a, b))

    async def both() -> tuple[str, str]:
        texts = []
        for pcm in (a, b):
            core = DuplexCore(models, profile, Bus(), Clock())
            texts.append((await core._transcribe(Segment(0, 0.0, n / 16000, 0.0, pcm, final=True)))[1].text)
            await core.stop()
        return texts[0], texts[1]

    ta, tb = asyncio.run(both())
    assert "France" in ta and "timer" in tb.lower(), (ta, tb)


def test_story_requests_get_a_story_not_a_refusal(models):
    """The state rules stay out of the generator's prompt with the trained head: with them the
    0.5B refused 2 of 18 story requests here."""
    rep = Replica("T", 0, models.engine)
    for ask in ("Tell me a long story about pirate ship and its crew.",
                "Tell me a long story about a brave little dragon who learns to fly."):
        reply = rep.generate([Turn("user", ask)], lambda _d: False, max_tokens=60)
        assert "sorry" not in reply.lower() and len(reply.split()) >= 30, reply


def test_temperature_reaches_the_engine(models):
    """`[policy] temperature` is passed through: greedy replies repeat word for word (from the same
    cache state: a fully cached prompt is re-read in another batch shape, which can flip a near tie)."""
    rep = Replica("T", 0, models.engine)
    ask = [Turn("user", "Tell me a long story about a wizard who lost his hat.")]
    other = [Turn("user", "What is the capital of France?")]

    def greedy() -> str:
        rep.generate(other, lambda _d: False, max_tokens=1, temperature=0.0)
        return rep.generate(ask, lambda _d: False, max_tokens=40, temperature=0.0)

    a, b = greedy(), greedy()
    assert a == b and len(a.split()) >= 15, (a, b)
