"""The Earth's superlatives (the Factbook's World profile) and physical constants (SciPy's CODATA), routed
before the LLM; questions they do not answer are left to it."""

from __future__ import annotations

import pytest

from assistant.tools import Toolbox, constants, earth
from assistant.tools.factbook import countries


def test_the_world_profile_is_read_into_ranked_lists():
    w = earth.world()
    assert [o.name for o in w.oceans] == ["Pacific Ocean", "Atlantic Ocean", "Indian Ocean", "Southern Ocean",
                                          "Arctic Ocean"]
    assert [c.name for c in w.continents][:2] == ["Asia", "Africa"] and len(w.continents) == 7
    assert (w.rivers[0].name, w.rivers[0].size, w.rivers[0].where) == ("Nile", 6650.0, "Africa")
    assert w.peaks["Africa"].name == "Kilimanjaro" and w.mountains[0].name == "Mount Everest"
    assert w.lakes[0].name == "Caspian Sea" and w.islands[0].name == "Greenland" and w.deserts[0].name == "Sahara"
    assert w.population > 7_900_000_000 and w.smallest_countries[0].name == "Holy See"


@pytest.mark.parametrize(("asked", "says"), [
    ("What is the largest ocean?", "The largest of the five oceans is the Pacific Ocean"),
    ("Which ocean is the smallest?", "The smallest of the five oceans is the Arctic Ocean"),
    ("What is the longest river in Asia?", "The longest river in Asia is the Yangtze, 6,300 kilometres"),
    ("what's the longest river in the world", "The longest river in the world is the Nile"),
    ("What is the highest mountain in South America?", "The highest mountain in South America is Cerro Aconcagua"),
    ("What is the tallest mountain in the world?", "The highest mountain in the world is Mount Everest, 8,849"),
    ("Which is the smallest continent?", "The smallest continent is Australia"),
    ("How many continents are there?", "There are seven continents: Asia, Africa"),
    ("What is the largest lake in the world?", "The largest lake in the world is the Caspian Sea"),
    ("What is the largest country in South America?", "The largest country in South America is Brazil"),
    ("What is the smallest country in the world?", "The smallest country is the Holy See (Vatican City)"),
    ("How many people live on Earth?", "About 8.06 billion people live on Earth"),
    ("What is the deepest point in the ocean?", "The deepest point in the ocean is the Challenger Deep"),
])
def test_superlatives_are_answered_from_the_world_profile(asked, says):
    got = earth.answer(asked)
    assert got is not None and got[0].startswith(says), got


@pytest.mark.parametrize("text", [
    "What is the largest planet in our solar system?",  # (not the Earth's)
    "What is the second largest ocean?",  # (a rank it does not say)
    "What is the longest river in Europe?",  # (none of the ten longest is in Europe)
    "What is the largest country in Europe?",  # (Russia lies in two: the LLM says it)
    "What is the highest mountain in Japan?",  # (the country's own entry: the world tool's)
    "I swam in the largest lake last summer.",  # (a remark, not a question)
    "What is the largest mammal?",
])
def test_what_the_profile_does_not_answer_is_left_alone(text):
    assert earth.answer(text) is None


@pytest.mark.parametrize(("last", "asked", "says"), [
    ("The largest continent is Asia, about 44.6 million square kilometres.", "And the smallest.",
     "The smallest continent is Australia"),  # (heard without "?"; the 0.5B said "Africa, about 12.4 million")
    ("The largest of the five oceans is the Pacific Ocean, about 155 million square kilometres.", "what about the smallest",
     "The smallest of the five oceans is the Arctic Ocean"),
    ("The smallest country is the Holy See (Vatican City), 0.44 square kilometres.", "And the largest?",
     "The largest country in the world is Russia"),
])
def test_a_short_follow_up_asks_about_the_last_answers_thing(last, asked, says):
    got = Toolbox().route(asked, last)
    assert got is not None and got.tool == "earth" and got.said.startswith(says), got


@pytest.mark.parametrize(("last", "asked"), [
    ("The capital of France is Paris.", "And the largest?"),  # (nothing of the profile's was asked)
    ("The largest country in South America is Brazil, about 8.5 million square kilometres.", "And the smallest?"),
    ("The largest continent is Asia, about 44.6 million square kilometres.", "I think the smallest is my favourite."),
    ("The longest river in Asia is the Yangtze, 6,300 kilometres long.", "And in Africa?"),  # (no superlative)
])
def test_a_follow_up_the_profile_cannot_answer_is_left_to_the_llm(last, asked):
    assert earth.answer(asked, last) is None


def test_a_country_area_in_millions_is_read_as_millions():
    assert countries()["chad"].area_km2 == 1_284_000 and countries()["holy see"].area_km2 == 0.44


@pytest.mark.parametrize(("asked", "says"), [
    ("What is the speed of light?", "The speed of light in a vacuum is 299,792,458 metres per second"),
    ("What's the acceleration due to gravity on Earth?", "The standard acceleration due to gravity on Earth is 9.80665"),
    ("What is Avogadro's number?", "Avogadro's number is 6.022 times ten to the power of 23 per mole"),
    ("What is Planck's constant?", "Planck's constant is 6.626 times ten to the power of minus 34"),
    ("What is absolute zero?", "Absolute zero is minus 273.15 degrees Celsius"),
])
def test_constants_are_read_from_codata(asked, says):
    got = constants.answer(asked)
    assert got is not None and got[0].startswith(says), got


def test_the_router_reaches_each_source_and_names_it():
    tb = Toolbox()
    cases = {"What is the capital of Peru?": ("world", "CIA World Factbook"),
             "What is the tallest mountain in North America?": ("earth", "CIA World Factbook"),
             "What is the speed of light?": ("constants", constants.SOURCE),
             "Which element has the atomic number one?": ("elements", "periodictable"),
             "What does the word ancient mean?": ("wordnet", "WordNet 3.0"),
             "What is photosynthesis?": ("wordnet", "WordNet 3.0")}
    for asked, (tool, source) in cases.items():
        got = tb.route(asked)
        assert got is not None and (got.tool, got.source) == (tool, source), (asked, got)
    assert "Mount McKinley" in tb.route("What is the tallest mountain in North America?").said  # (not "America" = the US)
    assert tb.route("What is up?") is None and tb.route("What is love?") is None


def test_a_constant_or_element_heard_a_little_wrong_is_still_found_but_not_a_person():
    tb = Toolbox()
    assert tb.route("What is Avocadro's umber?").said.startswith("Avogadro's number is 6.022")
    assert tb.route("What is the economic number of carbon?").said == "The atomic number of carbon is 6."
    assert tb.route("Who was Avogadro?") is None and tb.route("What is the number of carbon atoms in glucose?") is None
