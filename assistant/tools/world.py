"""Country facts answered from the data (assistant/tools/factbook.py), never from the LLM's memory.

"What is the capital of Australia?", "how many people live in Japan?", "what currency do they use
in Peru?", "which countries border France?", "what's the highest mountain in Japan?", "and its
population?" (a follow-up: the country of the last answer), and in Mandarin "法国的首都是哪里？",
"日本有多少人口？". A question names one fact (`ASKS`, tried in order) and one country; anything
else is not for this tool (None: the LLM answers). The sentence is said as is: the fact is the
Factbook's, with its year where it has one.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

from assistant.text import is_chinese
from assistant.tools.asking import AskBack
from assistant.tools.factbook import Country, countries, places
from assistant.tools.zh_countries import ZH_COUNTRIES

ASKS: tuple[tuple[str, str], ...] = (  # (fact, words that ask for it), first match wins
    ("population", r"\bpopulation\b|how many (?:people|inhabitants|citizens|residents)|\bpeople live\b|how populous"),
    ("capital", r"\bcapital(?: city)?\b"),
    ("currency", r"\bcurrency\b|\bcurrencies\b|\bmoney\b|\bwhat do they pay with\b"),
    ("languages", r"\blanguages?\b|\bspeak\b|\bspoken\b"),
    ("neighbours", r"\bborders?\b|\bbordering\b|\bneighbou?r(?:s|ing)?\b"),
    ("highest", r"\b(?:highest|tallest) (?:point|mountain|peak)\b"),
    ("area", r"\barea\b|\bhow (?:big|large)\b|\bsize of\b|\bsquare (?:kilomet|mile)"),
    ("continent", r"\bcontinent\b|\bwhich part of the world\b"),
)
ZH_ASKS: tuple[tuple[str, str], ...] = (
    ("population", r"人口|多少人"), ("capital", r"首都"), ("area", r"面积|多大"),
)
ASKING = (r"\?\s*$|^(?:(?:and|so|ok|okay|hey|um|uh|well|then)\W+)*(?:what|what's|whats|which|who|how|where|tell|"
          r"do you know|can you|could you|is|are|does|do|name|list)\b"  # a question or a request, not a remark,
          r"|^(?:and|so|what about)\W+(?:its|their)\b")  # or a follow-up that names only the fact ("and its population.")
# facts only a country has: asked of a place nobody knows, the place was misheard ("the capital of me at arm")
ONLY_COUNTRIES = ("capital", "currency", "languages", "neighbours")
PLACE = r"\b(?:of|in|border|borders|bordering)\s+(?:the\s+)?([a-z][a-z' -]*?)\s*(?:[?.!]|$)"  # the place a question names
NOT_A_PLACE = re.compile(  # words after "of"/"in" that name no place: the question is about something else
    r"\b(?:world|earth|planet|universe|europe|asia|africa|america|oceania|antarctica|australia|england|scotland|"
    r"wales|northern ireland|state|province|city|company|team|game|story|book|film|movie|song|this|that|it|them|"
    r"there|here|my|your|our|their|his|her|general|total|common|most|use|question|sentence|word)\b")
# "what is the capital offer?" (of Peru): a capital asked of no place at all, not a capital sum or letter
CAPITAL_OF_NOTHING = re.compile(r"^(?:(?:and|so|ok|okay|well)\W+)*what(?:'s| is) the capital\b"
                                r"(?!\s+(?:gains?|letters?|punishment|markets?|expenditure|city of|one)\b)")
WHICH_COUNTRY = "Sorry, I didn't catch the country. Which one did you mean?"
FOLLOW_UP = r"\b(?:its|their|there|it|they|that country)\b"  # "and its population?": the last answer's country


def _amount(n: float, unit: str) -> str:
    """68_512_806 → 'about 68.5 million'; spoken by the TTS as words."""
    for size, word in ((1e9, "billion"), (1e6, "million"), (1e3, "thousand")):
        if n >= size:
            return f"about {n / size:.3g} {word} {unit}".rstrip()
    return f"{n:g} {unit}".rstrip()


def _list(items: tuple[str, ...]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _capital(c: Country) -> str:
    parts = [p.strip() for p in c.capital.split(";") if p.strip() and "note" not in p]
    if len(parts) > 1:
        said = [re.sub(r"\s*\((\w+) capital\)", r", the \1 capital", p) for p in parts]
        return f"{c.name} has {len(parts)} capitals: {_list(tuple(said))}."
    return f"The capital of {c.name} is {parts[0]}."


SAY: dict[str, Callable[[Country], str | None]] = {
    "capital": _capital,
    "population": lambda c: f"{c.name} has {_amount(c.population, 'people')}" + (
        f" (a {c.population_year} estimate)." if c.population_year else ".") if c.population else None,
    "currency": lambda c: f"{c.name} uses {c.currency}." if c.currency else None,
    "languages": lambda c: (f"The official language{'s' if len(c.official) > 1 else ''} of {c.name} "
                            f"{'are' if len(c.official) > 1 else 'is'} {_list(c.official)}." if c.official else
                            f"The most widely spoken languages in {c.name} are {_list(c.languages)}."
                            if len(c.languages) > 1 else f"In {c.name} people speak {c.languages[0]}."
                            if c.languages else None),
    "neighbours": lambda c: f"{c.name} borders {_list(c.neighbours)}." if c.neighbours else
    f"{c.name} has no land borders.",
    "highest": lambda c: f"The highest point in {c.name} is " + re.sub(r" ([\d,]+) m$", r", \1 metres", c.highest) + "."
    if c.highest else None,
    "area": lambda c: f"{c.name} covers {_amount(c.area_km2, 'square kilometres')}." if c.area_km2 else None,
    "continent": lambda c: f"{c.name} is in {c.continent}." if c.continent else None,
}
ZH_SAY: dict[str, Callable[[Country, str, str], str | None]] = {
    "capital": lambda c, name, cap: f"{name}的首都是{cap}。",
    "population": lambda c, name, cap: (f"{name}大约有{c.population / 1e4:.0f}万人（{c.population_year}年估计）。"
                                        if c.population else None),
    "area": lambda c, name, cap: f"{name}的面积大约是{c.area_km2 / 1e4:.0f}万平方公里。" if c.area_km2 else None,
}


@cache
def _names() -> re.Pattern[str]:
    names = sorted(countries(), key=len, reverse=True)
    return re.compile(r"\b(" + "|".join(map(re.escape, names)) + r")\b")


def warm() -> None:
    """Read the Factbook, its places and build the names pattern (~0.5 s, once per process)."""
    _names()
    places()


def find_country(text: str) -> Country | None:
    """The country named in `text` (longest name first: 'south korea' before 'korea')."""
    text = re.sub(r"\b(?:north|south|central|latin) america\b", " ", text.lower())  # (a continent, not "america")
    m = _names().search(re.sub(r"[^\w' -]", " ", text))
    return countries()[m.group(1)] if m else None


def _fact(text: str, asks: tuple[tuple[str, str], ...]) -> str | None:
    return next((fact for fact, words in asks if re.search(words, text)), None)


def _unknown_place(low: str, fact: str) -> AskBack | None:
    """A question for a fact only countries have, of a place that is no country, division or capital."""
    m = re.search(PLACE, low)
    if fact == "capital" and m is None and CAPITAL_OF_NOTHING.search(low):
        return AskBack(WHICH_COUNTRY, f"no country heard in {low!r}")
    if fact not in ONLY_COUNTRIES or m is None or NOT_A_PLACE.search(m.group(1)):
        return None
    place = m.group(1).strip()
    if place in places() or len(place.split()) > 4:
        return None
    return AskBack(WHICH_COUNTRY, f"no country heard in {place!r}")


def answer_en(text: str, previous: str = "") -> tuple[str, str] | AskBack | None:
    """(the sentence, what was looked up), a question back, or None."""
    low = text.lower().strip()
    fact = _fact(low, ASKS)
    if fact is None or not re.search(ASKING, low):
        return None
    country = find_country(low)
    if country is None and previous and re.search(FOLLOW_UP, low) and len(low.split()) <= 8:
        country = find_country(previous)
    if country is None:
        return _unknown_place(low, fact)
    said = SAY[fact](country)
    said = said[:1].upper() + said[1:] if said else None
    return (said, f"{country.name}: {fact}") if said else None


def answer_zh(text: str) -> tuple[str, str] | None:
    fact = _fact(text, ZH_ASKS)
    name = next((n for n in sorted(ZH_COUNTRIES, key=len, reverse=True) if n in text), None)
    if fact is None or name is None:
        return None
    key, capital = ZH_COUNTRIES[name]
    country = countries().get(key)
    said = ZH_SAY[fact](country, name, capital) if country else None
    return (said, f"{country.name}: {fact}") if said and country else None


def answer(text: str, previous: str = "") -> tuple[str, str] | AskBack | None:
    """A country fact asked in English or Mandarin: (the sentence to say, the entry read), or None."""
    if is_chinese(text):
        return answer_zh(text)
    return answer_en(text, previous)
