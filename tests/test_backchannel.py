"""Words that ask nothing: the rule, what the shell tells the judge, and what it does to a real verdict."""

from __future__ import annotations

import numpy as np
import pytest
from fakes import FakeJudge, Run, fake_models, feed, profile, scenario, silence, speech

from assistant.core.backchannel import asks_nothing
from assistant.core.events import UserTurn
from assistant.core.judge import JudgeContext
from audio import synth


@pytest.mark.parametrize(("text", "nothing"), [
    ("Thanks.", True), ("Great, thank you.", True), ("Thank you very much.", True), ("Okay.", True),
    ("Mm-hmm.", True), ("Yeah, right.", True), ("I see.", True), ("No.", True), ("谢谢", True), ("好的，谢谢。", True),
    ("Thank you, what is the capital of France?", False), ("Yes, please turn on the light.", False),
    ("What time is it?", False), ("Stop.", False), ("Hello?", False), ("", False), ("Good night.", False),
    ("okay okay okay okay okay okay okay", False),  # (longer speech says something)
    ("今天天气怎么样", False),
    ("I am.", True), ("Yes, I do.", True), ("It's not.", True), ("No, we can't.", True), ("I am hungry.", False),
    ("Is it?", False), ("Can you?", False), ("It is what time?", False),
])
def test_the_rule(text: str, nothing: bool):
    assert asks_nothing(text) is nothing


def _said(*gaps: float) -> np.ndarray:
    """Speech 1 s long after each gap of silence, then 3 s of silence."""
    return np.concatenate([np.concatenate([silence(g), speech(1.0, seed=i)]) for i, g in enumerate(gaps)] + [silence(3.0)])


def test_the_lean_goes_to_an_idle_users_words_and_not_to_a_follow_up_or_a_barge_in():
    judge = FakeJudge(("query", 0.95), text="Thanks.")
    run = Run(fake_models(judge))

    async def body(core):
        await feed(core, _said(0.5, 2.5), run)  # a question (answered), then words 2.5 s after it: a follow-up
        return core

    scenario(run, profile(), body)
    weights = [c.backchannel_weight for c in judge.calls]
    assert len(run.of(UserTurn)) >= 1 and weights[0] == profile().policy.backchannel_log_odds, weights
    assert weights[-1] == 0.0, "speech soon after an answer (or over it) is not leaned: 'thanks' may be for it"


def test_a_lone_thanks_to_an_idle_assistant_is_not_a_query(models):
    """A real voice's "Thank you very much." through the real encoder, LM state and head: with the lean it is not a query."""
    rng = np.random.default_rng(11)
    pcm = synth.at_level(synth.pink(3.5, rng), -62)
    said = synth.at_level(synth.flite("Thank you very much.", "slt"), -24)
    pcm[4000 : 4000 + said.size] += said[: pcm.size - 4000]
    leaned = models.judge.judge(pcm, JudgeContext(backchannel_weight=3.0))
    plain = models.judge.judge(pcm, JudgeContext())
    assert asks_nothing(leaned.text), leaned.text
    assert leaned.verdict.token != "query" and leaned.verdict.probs["query"] < plain.verdict.probs["query"]
