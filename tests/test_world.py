"""World facts from packaged data: the Factbook's countries and the periodic table, routed before the LLM."""

from __future__ import annotations

import pytest

from assistant.tools import Toolbox, elements, wordnet, world
from assistant.tools.factbook import countries


def test_factbook_profiles_are_read_clean():
    c = countries()
    assert len(set(c.values())) > 200
    fr = c["france"]
    assert (fr.capital, fr.currency, fr.continent, fr.official) == ("Paris", "euros", "Europe", ("French",))
    assert fr.population > 60_000_000 and fr.population_year >= "2024"
    assert "Spain" in fr.neighbours and "Mont Blanc" in fr.highest
    assert c["usa"] is c["united states"] and c["usa"].name == "the United States"
    assert c["south korea"].capital == "Seoul" and c["north korea"].capital == "Pyongyang"
    assert "<" not in c["china"].highest and "(" not in c["mexico"].capital


@pytest.mark.parametrize(("asked", "says"), [
    ("What is the capital of Australia?", "The capital of Australia is Canberra."),
    ("how many people live in Japan", "Japan has about 12"),
    ("What currency do they use in Switzerland?", "Switzerland uses Swiss francs."),
    ("Which countries border Mexico?", "Mexico borders Belize, Guatemala and the United States."),
    ("What's the highest mountain in Japan?", "The highest point in Japan is Mount Fuji, 3,776 metres."),
    ("What language do they speak in Brazil?", "The official language of Brazil is Portuguese."),
    ("What is the capital of the USA?", "The capital of the United States is Washington, D.C."),
    ("Which continent is Egypt in?", "Egypt is in Africa."),
    ("法国的首都是哪里？", "法国的首都是巴黎。"),
    ("日本有多少人口？", "日本大约有"),
])
def test_country_questions_are_answered_from_the_data(asked, says):
    got = world.answer(asked)
    assert got is not None and got[0].startswith(says), got


def test_a_follow_up_takes_the_last_answers_country():
    said, entry = world.answer("And what about its population?", "The capital of France is Paris.") or ("", "")
    assert said.startswith("France has about 68") and entry == "France: population"
    assert world.answer("And its population?") is None  # no country said before: not for this tool
    said, _ = world.answer("And its population.", "The capital of Egypt is Cairo.") or ("", "")  # (heard without "?")
    assert said.startswith("Egypt has about 11")


@pytest.mark.parametrize("text", ["I love Paris in the spring.", "Is it going to rain?", "What is the capital letter for?",
                                  "My neighbour is from Chad.", "Tell me a joke about Turkey."])
def test_words_that_ask_no_country_fact_are_left_to_the_llm(text):
    assert world.answer(text) is None


@pytest.mark.parametrize(("asked", "says"), [
    ("What is the chemical symbol for gold?", "The chemical symbol for gold is Au, that is A U."),
    ("what's the atomic number of carbon", "The atomic number of carbon is 6."),
    ("Which element has the symbol Fe?", "Fe, that is F E is the symbol of iron."),
    ("What element is number 26?", "Element number 26 is iron."),
    ("atomic mass of oxygen?", "The atomic mass of oxygen is 15.999."),
])
def test_element_questions_are_answered_from_the_table(asked, says):
    got = elements.answer(asked)
    assert got is not None and got[0].startswith(says), got


def test_the_toolbox_names_the_source_of_a_fact_and_still_computes_arithmetic_first():
    box = Toolbox()
    fact = box.route("What is the capital of Canada?")
    assert fact is not None and (fact.tool, fact.source, fact.entry) == ("world", "CIA World Factbook", "Canada: capital")
    assert fact.said == "The capital of Canada is Ottawa."
    sum_ = box.route("what is 7 times 8")
    assert sum_ is not None and sum_.tool == "arithmetic" and sum_.source == "" and "56" in sum_.said
    assert box.route("Tell me about the history of jazz.") is None


def test_a_failing_tool_is_logged_and_the_llm_answers(caplog):
    from assistant.tools import Tool

    box = Toolbox()

    def broken(_args: dict) -> str:
        raise RuntimeError("data package missing")
    box.register(Tool("world", "", {"properties": {"text": {}}}, broken, "CIA World Factbook"))
    with caplog.at_level("ERROR"):
        assert box.route("What is the capital of Canada?") is None
    assert "tool world failed" in caplog.text


@pytest.mark.parametrize(("asked", "says"), [
    ("What is a stethoscope?", "A stethoscope is a medical instrument for listening to the sounds generated inside the body."),
    ("What does ephemeral mean?", "Ephemeral means: lasting a very short time."),
    ("What are glaciers?", "A glacier is a slowly moving mass of ice."),
    ("What is a whale?", "A whale is any of the larger cetacean mammals"),  # (the animal before "a very large person")
    ("What is a doctor?", "A doctor is a licensed medical practitioner."),
    ("What is a planet?", "A planet is any of the eight large"),  # (WordNet 3.0 said nine: corrected)
])
def test_what_a_word_means_comes_from_wordnet(asked, says):
    got = wordnet.answer(asked)
    assert got is not None and got[0].startswith(says), got


@pytest.mark.parametrize("text", ["What is the capital of France?", "What is it?", "What are you doing?",
                                  "What is a good idea for dinner tonight with the kids?"])
def test_questions_that_ask_no_meaning_are_not_wordnets(text):
    assert wordnet.answer(text) is None


def test_wordnet_missing_is_logged_and_leaves_the_question_to_the_llm(monkeypatch, tmp_path, caplog):
    monkeypatch.setattr(wordnet, "DIR", tmp_path)
    wordnet._index.cache_clear()
    wordnet._exceptions.cache_clear()
    try:
        with caplog.at_level("WARNING"):
            assert wordnet.answer("What is a stethoscope?") is None
        assert "wordnet-base" in caplog.text
    finally:
        wordnet._index.cache_clear()
        wordnet._exceptions.cache_clear()


def test_warm_loads_the_data_once_and_a_missing_source_is_logged(monkeypatch, caplog):
    from assistant.tools import factbook

    Toolbox().warm()
    assert world._names.cache_info().currsize == 1 and wordnet._index.cache_info().currsize == len(wordnet.POS)

    def gone() -> None:
        raise factbook.FactbookError("the World Factbook package is missing")
    monkeypatch.setattr(world, "warm", gone)
    with caplog.at_level("ERROR"):
        Toolbox().warm()
    assert "tool world: its data did not load" in caplog.text
