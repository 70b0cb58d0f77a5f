"""The replicas on the real model: state tokens are the model's distribution, stories are told,
settings reach the engine (the interrupt-and-swap rule is tested on doubles in test_duplex.py)."""

from __future__ import annotations

import pytest

from assistant.core.prompt import Turn
from assistant.core.replicas import Replica
from models.state_tokens import STATE_TOKENS

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


def test_story_requests_get_a_story_not_a_refusal(models):
    """The state rules stay out of the generator's prompt with the trained head: with them the
    0.5B refused 2 of 18 story requests here. Greedy, so the outcome is the prompt's, not a draw's
    (at the product's temperature 0.3 a clean-clone run once drew "I'm sorry, but I can't assist
    with that." for the pirate ship; the QA bench counts refusals over 96 sampled requests)."""
    rep = Replica("T", 0, models.engine)
    for ask in ("Tell me a long story about pirate ship and its crew.",
                "Tell me a long story about a brave little dragon who learns to fly."):
        reply = rep.generate([Turn("user", ask)], lambda _d: False, max_tokens=60, temperature=0.0)
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
