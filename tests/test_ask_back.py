"""Asking back instead of guessing, follow-ups that refer to the last answer, and "could you repeat that?"."""

from __future__ import annotations

import numpy as np
import pytest
from fakes import FakeEngine, FakeJudge, Run, fake_models, feed, profile, scenario, silence, speech

from assistant.core.answers import ASK_BACK, ASK_BACK_ZH
from assistant.core.events import AskedBack, Ignored, ReplyProgress, ReplyText, UserTurn
from assistant.core.refers_back import refers_back
from assistant.core.unclear import doubtful, heard_badly
from assistant.tools import Toolbox

MIN = -1.0


@pytest.mark.parametrize(("text", "logprob", "why"), [
    ("What is the capital of France?", -0.3, ""),
    ("What is the capital of France?", -1.6, "unsure words"),
    ("What is the capital of", -0.3, "a fragment"),
    ("Can you tell me the", -0.4, "a fragment"),
    ("Turn on the light.", -0.5, ""),
    ("Hello.", -0.2, ""),
    ("", -3.0, ""),  # (no words: nothing to ask back about; the verdict calls it noise)
    ("法国的首都是哪里？", -0.4, ""), ("法国的首都是哪里？", -1.5, "unsure words"),
    ("Say that again, please.", -1.5, ""),  # (a request to repeat is answered word for word, never asked back)
])
def test_heard_badly(text, logprob, why):
    assert heard_badly(text, logprob, MIN) == why


@pytest.mark.parametrize(("text", "back"), [
    ("And its population?", True), ("Why?", True), ("Could you repeat that?", True), ("What about Spain?", True),
    ("How tall is it?", True), ("Say that again, please.", True), ("Really?", True), ("那它的人口呢？", True),
    ("What is the capital of France?", False), ("Turn on the light.", False), ("I went to the shop yesterday.", False),
    ("And then we drove all the way home through the rain and got there very late at night.", False),
])
def test_refers_back(text, back):
    assert refers_back(text) is back


def test_repeat_says_the_last_answer_again_word_for_word():
    box = Toolbox()
    got = box.route("Sorry, could you repeat that?", "The capital of Canada is Ottawa.")
    assert got is not None and (got.tool, got.said) == ("repeat", "The capital of Canada is Ottawa.")
    assert box.route("再说一遍", "加拿大的首都是渥太华。").said == "加拿大的首都是渥太华。"  # type: ignore[union-attr]
    assert box.route("Could you repeat that?", "") is None, "nothing said yet: the LLM answers"
    assert box.route("Please repeat the steps for making bread from the recipe you know.", "x") is None


def _said(*gaps: float) -> np.ndarray:
    return np.concatenate([np.concatenate([silence(g), speech(1.0, seed=i)]) for i, g in enumerate(gaps)] + [silence(3.0)])


def test_a_query_heard_badly_is_asked_back_and_not_answered():
    judge = FakeJudge(("query", 0.95), text="What is the weather in Bath tomorrow?", logprob=-1.8)
    run = Run(fake_models(judge))

    async def body(core):
        await feed(core, _said(0.5), run)
        return core

    scenario(run, profile(), body)
    asked = run.of(AskedBack)
    assert len(asked) == 1 and asked[0].why == "unsure words" and asked[0].heard.startswith("What is the weather")
    said = " ".join(e.text for e in run.of(ReplyText))
    assert "didn't catch that" in said and "dragon" not in said, said  # (the fake LLM's story never starts)
    assert ASK_BACK.split(".")[0] in said and len(run.of(UserTurn)) == 1


def test_words_are_asked_back_in_the_language_they_were_heard_in():
    """The ear heard Mandarin but wrote only Latin letters ("Wi-Fi?"): the asking back is in Mandarin — the
    segment's language is the ear's, not guessed again from the script of its words."""
    judge = FakeJudge(("query", 0.95), text="Wi-Fi?", logprob=-1.8, language="zh")
    run = Run(fake_models(judge))

    async def body(core):
        await feed(core, _said(0.5), run)
        return core

    scenario(run, profile(), body)
    said = " ".join(e.text for e in run.of(ReplyText))
    assert len(run.of(AskedBack)) == 1 and ASK_BACK_ZH[:4] in said and ASK_BACK.split(".")[0] not in said, said


def test_side_talk_heard_badly_is_not_asked_back():
    judge = FakeJudge(("side", 0.9), text="mumble about the thing on the", logprob=-1.9)
    run = Run(fake_models(judge))

    async def body(core):
        await feed(core, _said(0.5), run)
        return core

    scenario(run, profile(), body)
    assert run.of(Ignored) and not run.of(AskedBack) and not run.of(ReplyText)


def test_a_query_heard_well_is_answered():
    judge = FakeJudge(("query", 0.95), text="Tell me a story.", logprob=-0.3)
    run = Run(fake_models(judge))

    async def body(core):
        await feed(core, _said(0.5), run)
        return core

    scenario(run, profile(), body)
    assert not run.of(AskedBack) and "dragon" in " ".join(e.text for e in run.of(ReplyText))


def test_words_that_refer_back_lean_to_query_only_right_after_an_answer():
    judge = FakeJudge(("query", 0.95), text="And why is that?")
    run = Run(fake_models(judge, FakeEngine(reply="Paris.")))  # (a short answer: over before the next words)

    async def body(core):
        await feed(core, _said(0.5, 3.0), run)
        return core

    scenario(run, profile(), body)
    weights = [c.refers_back_weight for c in judge.calls]
    assert weights[0] == 0.0, "an idle assistant's first turn: no answer to refer back to"
    assert weights[-1] == profile().policy.refers_back_log_odds, weights


def test_a_long_turn_that_stops_on_a_soft_last_word_is_answered():
    """Whisper drops a real person's soft last word: the order is still there, so it is not asked back."""
    assert heard_badly("brew a dark roast mocha with soy milk and a lot of", -0.3, MIN) == ""


def test_an_ask_back_drafted_for_words_that_go_on_is_never_said():
    """A draft at a pause is dropped when the user goes on: its ask-back is not said, and no event claims it."""
    judge = FakeJudge(("query", 0.95), texts=("What is the", "What is the capital of Peru?"), logprob=-0.3)
    run = Run(fake_models(judge, FakeEngine(reply="Lima.")))

    async def body(core):
        await feed(core, np.concatenate([silence(0.5), speech(0.6), silence(0.5), speech(1.0, seed=1), silence(3.0)]), run)
        return core

    scenario(run, profile(), body)
    drafted = {e.reply for e in run.of(ReplyProgress) if e.step == "drafted"}
    assert len(drafted) >= 2, "the fragment at the pause was drafted (an ask-back), then the whole question"
    assert not run.of(AskedBack), [e for e in run.of(AskedBack)]
    assert "didn't catch" not in " ".join(e.text for e in run.of(ReplyText))


def test_words_heard_badly_are_asked_back_only_when_the_verdict_is_sure():
    """Not caught and not sure it was for the assistant (p below ask_back_min_p_query): silence, not a question."""
    judge = FakeJudge(("query", 0.7), text="drive.", logprob=-1.2)
    run = Run(fake_models(judge))

    async def body(core):
        await feed(core, _said(0.5), run)
        return core

    scenario(run, profile(), body)
    assert not run.of(AskedBack) and not run.of(ReplyText)
    assert [e.reason for e in run.of(Ignored)] == ["unsure"]


@pytest.mark.parametrize(("p", "logprob", "answered"), [
    (0.7, -0.6, False),  # unsure of the words and of whom they were for: not answered as heard
    (0.95, -0.6, True),  # sure they were for it: words above the ask-back bar are answered
    (0.7, -0.3, True),  # heard well: the verdict alone decides
])
def test_a_turn_not_sure_to_be_for_it_needs_words_heard_well(p, logprob, answered):
    judge = FakeJudge(("query", p), text="How many miles is going to go on?", logprob=logprob)
    run = Run(fake_models(judge, FakeEngine(reply="About four.")))

    async def body(core):
        await feed(core, _said(0.5), run)
        return core

    scenario(run, profile(), body)
    said = " ".join(e.text for e in run.of(ReplyText))
    assert ("About four." in said) is answered, said
    assert [e.reason for e in run.of(Ignored)] == ([] if answered else ["unsure"])


def test_doubtful_words():
    assert doubtful("What is the capital of Peru?", -0.6, -0.5)
    assert not doubtful("What is the capital of Peru?", -0.4, -0.5)
    assert not doubtful("秘鲁的首都是哪里？", -0.9, -0.5)  # (Whisper base's scale: heard_badly's bar alone)
    assert not doubtful("Say that again, please.", -0.9, -0.5)


def test_a_country_fact_of_a_place_nobody_knows_is_asked_back_not_guessed():
    judge = FakeJudge(("query", 0.95), text="What is the capital of me at arm?", logprob=-0.3)  # ("Vietnam", misheard)
    run = Run(fake_models(judge))

    async def body(core):
        await feed(core, _said(0.5), run)
        return core

    scenario(run, profile(), body)
    asked = run.of(AskedBack)
    assert len(asked) == 1 and "me at arm" in asked[0].why and asked[0].segment >= 0, asked
    said = " ".join(e.text for e in run.of(ReplyText))
    assert "Which one did you mean?" in said and "dragon" not in said, said


@pytest.mark.parametrize(("text", "asks"), [
    ("What is the capital of me at arm?", True), ("Which countries border friends?", True),
    ("What is the capital offer?", True), ("What is the capital gains tax?", False),
    ("What is the capital of Texas?", False),  # (a state: the LLM answers)
    ("What is the capital of France?", False), ("What language is spoken most in the world?", False),
    ("What languages do you speak?", False), ("What currency is used in Europe?", False),
])
def test_only_a_country_fact_of_an_unknown_place_asks_which_country(text, asks):
    got = Toolbox().route(text)
    assert (got is not None and bool(got.asks_back)) is asks, got
