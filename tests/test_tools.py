"""Tools: exact answers to arithmetic, clock and unit questions, in the words Whisper writes;
no tool for anything else (facts, chat, side talk); and the core speaks a tool's answer without
asking the LLM. No model is loaded."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from fakes import FakeEngine, FakeJudge, Run, fake_models, feed, profile, scenario, silence, speech

from assistant.core.events import ReplyText, ToolUsed
from assistant.tools import Toolbox, arithmetic, clock, units
from assistant.tools.spoken_numbers import parse, tokens


@pytest.mark.parametrize("words, value", [
    ("one hundred forty four", 144), ("144", 144), ("twenty three", 23), ("a hundred", 100),
    ("two hundred and five", 205), ("1,000", 1000), ("fifty-six", 56), ("six point two", 6.2),
    ("three thousand four hundred", 3400),
])
def test_spoken_numbers(words, value):
    got = parse(tokens(words))
    assert got is not None and got[0] == pytest.approx(value)


@pytest.mark.parametrize("question, says", [
    ("What is seven times eight?", "is 56."),
    ("What is 7 x 8?", "is 56."),
    ("what's one hundred minus thirty seven", "is 63."),
    ("What is 144 divided by 12?", "is 12."),
    ("What is fifteen percent of two hundred?", "is 30."),
    ("What is six squared?", "is 36."),
    ("What is three cubed?", "is 27."),
    ("What is half of ninety?", "is 45."),
    ("What is the square root of 81?", "is 9."),
    ("Can you tell me what twenty three plus forty nine is?", "is 72."),
    ("What is ten divided by three?", "is about 3.33."),
])
def test_arithmetic_is_exact(question, says):
    got = arithmetic.answer(question)
    assert got is not None and got.endswith(says), got


def test_that_is_the_previous_answers_number():
    assert arithmetic.answer("And what is that times two?", "Five plus three is 8.") == "8 times 2 is 16."
    assert arithmetic.answer("And what is that times two?", "") is None, "nothing to refer to: the LLM answers"
    assert arithmetic.answer("And what is that time to?", "5 plus 3 is 8.") == "8 times 2 is 16.", "as Whisper hears it"
    assert arithmetic.answer("Is it time to go?", "5 plus 3 is 8.") is None, "'time to' after no number: no sum"


def test_division_by_zero_is_no_answer():
    assert arithmetic.answer("What is five divided by zero?") is None


NOT_TOOLS = [
    "How many legs does a spider have?", "How many days are in a leap year?",
    "Tell me a story about three bears.", "I have two kids and three dogs.", "Is it five or six?",
    "Did you remember to buy milk on the way home?", "We need to leave in ten minutes if we want to catch the train.",
    "The kids have soccer practice at four today.", "What day did the war end?", "How many people live in Tokyo?",
    "Explain why the sky is blue.", "Stop.",
]


@pytest.mark.parametrize("text", NOT_TOOLS)
def test_no_tool_for_other_turns(text):
    assert Toolbox().route(text, "Five plus three is 8.") is None


NOW = dt.datetime(2026, 11, 30, 14, 5)


@pytest.mark.parametrize("question, says", [
    ("What time is it?", "It's 2:05 in the afternoon."),
    ("What's the time right now?", "It's 2:05 in the afternoon."),
    ("What day of the week is it today?", "Today is Monday."),
    ("What is today's date?", "Today is Monday, November 30th, 2026."),
    ("What month is it?", "It's November."),
])
def test_clock(question, says):
    assert clock.answer(question, NOW) == says


@pytest.mark.parametrize("question, says", [
    ("How many centimeters are in a meter?", "100 centimeters"),
    ("How many grams are in a kilogram?", "1000 grams"),
    ("How many miles is ten kilometers?", "about 6.2 miles"),
    ("How many kilometers is five miles?", "about 8 kilometers"),
    ("How many inches are in a foot?", "12 inches"),
    ("Convert 20 degrees celsius to fahrenheit.", "68 degrees Fahrenheit"),
])
def test_units(question, says):
    got = units.answer(question)
    assert got is not None and says in got, got


def test_the_core_says_a_tools_answer_without_the_llm():
    engine = FakeEngine()
    judge = FakeJudge(text="What is seven times eight?")
    run = Run(fake_models(judge, engine))

    async def body(core):
        await feed(core, np.concatenate([silence(0.5), speech(1.5), silence(3.0)]), run)
        return core

    core = scenario(run, profile(), body)
    used = run.of(ToolUsed)
    assert [u.tool for u in used] == ["arithmetic"] and used[0].said == "7 times 8 is 56."
    assert " ".join(e.text for e in run.of(ReplyText)) == "7 times 8 is 56."
    assert not engine.prompts, "the LLM was not asked"
    assert core.conversation.turns[-1].text == "7 times 8 is 56.", "the history has the exact answer"
