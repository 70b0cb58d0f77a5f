"""One checked passage for a question no tool answers (WordNet glosses, SQLite FTS5): found only when it
covers every content word; the LLM then gets it inline and a `consulted` event names the source."""

from __future__ import annotations

import asyncio

import pytest
from fakes import FakeEngine, profile

from assistant.core.answers import Answers
from assistant.core.conversation import Conversation
from assistant.core.events import Bus, Consulted
from assistant.core.replicas import Replica
from assistant.tools import passages


@pytest.mark.parametrize(("question", "names", "says"), [
    ("What is the largest mammal?", "blue whale", "largest mammal ever known"),
    ("How many legs does a spider have?", "spider", "eight legs"),  # (not "spider crab": very long legs)
    ("Which planet is known as the red planet?", "Mars, Red Planet", "reddish planet"),
    ("Who was the first man on the moon?", "Armstrong", "first man to set foot on the Moon"),
    ("What does a thermometer measure?", "thermometer", "measuring temperature"),  # (measure ~ measuring)
    ("How many days are there in a leap year?", "leap year", "366 days"),
    ("How many hours are in a day?", "day", "twenty-four hours"),  # (not "hour, time of day: clock time": no number)
    ("What is the largest planet in our solar system?", "Jupiter", "the largest planet"),  # (the scope is implied)
    ("What is the biggest planet?", "Jupiter", "the largest planet"),
    ("What is the largest mammal on earth?", "blue whale", "largest mammal"),
])
def test_a_passage_that_covers_the_questions_words_is_found(question, names, says):
    p = passages.find(question)
    assert p is not None and p.title.startswith(names) and says in p.text and p.source == "WordNet 3.0", p


@pytest.mark.parametrize(("question", "why"), [
    ("How many continents are there?", "one content word: 'continents' stems to 'continence'"),
    ("What is photosynthesis?", "one word: the wordnet tool's"),
    ("Who painted the Mona Lisa?", "no gloss holds all of painted, mona, lisa"),
    ("Explain why the sky is blue.", "an explanation (a gloss sharing its words is John Tyndall's)"),
    ("How do I boil an egg?", "a how-to"),
    ("What if on the table?", "'table' only in a usage example (\"the table tottered\"), 'if' no content word"),
    ("What is the largest animal?", "'largest' is not before 'animal' (Carnosaura: largest carnivorous land animals)"),
    ("Who was the first president of the United States?", "George Meany, first president of the AFL-CIO"),
    ("Can you tell me a long story about a dragon and a castle by the sea at night?", "a long request"),
])
def test_no_passage_when_none_clearly_covers_the_question(question, why):
    assert passages.find(question) is None, why


def test_the_llm_gets_the_one_passage_inline_and_the_source_is_named():
    bus, seen = Bus(), []
    bus.subscribe(seen.append)
    answers = Answers(Conversation(), profile().policy, bus)
    engine = FakeEngine(reply="The largest mammal is the blue whale.")
    replica = Replica("A", 0, engine, "generator")

    async def main() -> str:
        _, gen = answers.draft(0.0, 1, "What is the largest mammal?", None, replica)
        out = await asyncio.to_thread(gen, lambda d: False)
        await asyncio.sleep(0)  # (the event is published from the answer's worker through the loop)
        return out

    said = asyncio.run(main())
    assert said == "The largest mammal is the blue whale."
    prompt = engine.prompts[-1]
    assert "[reference WordNet 3.0: blue whale" in prompt and prompt.count("[reference") == 1
    consulted = [e for e in seen if isinstance(e, Consulted)]
    assert [(c.source, c.found) for c in consulted] == [("WordNet 3.0", True)] and consulted[0].title.startswith("blue whale")
    # the passage stays in the history: the next turn's prompt extends this one (its KV cache is reused)
    assert answers.conversation.turns[0].text.startswith("[reference WordNet 3.0: blue whale")
