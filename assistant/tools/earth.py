"""The Earth's largest, longest and highest things, from the World Factbook's World profile.

"What is the largest ocean?", "the longest river in Asia?", "the highest mountain in Africa?",
"the smallest continent?", "the largest lake / island / desert / country?", "the deepest point in
the ocean?", "how many continents are there?", "how many people live on Earth?". The profile's
ranked lists (oceans and landmasses by area, the ten longest rivers with their continent, the
highest point of each continent, lakes, islands, deserts) are read once; a question names one kind
of thing and one superlative, maybe a continent. Anything else: None (the LLM answers).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from assistant.tools.factbook import clean, countries, data_dir
from assistant.tools.spoken_numbers import UNITS
from assistant.tools.world import find_country

CONTINENTS = ("Asia", "Africa", "North America", "South America", "Antarctica", "Europe", "Australia")  # largest first
SAID_CONTINENT = {"oceania": "Australia", "australia": "Australia"}  # words for the continent → the profile's name
ONE_REGION = {  # a continent → the Factbook's map regions inside it (for "the largest country in …")
    "Africa": ("Africa",), "South America": ("South America",), "Australia": ("Oceania",),
    "North America": ("North America", "Central America and the Caribbean"),
}
BIG = r"\b(?:largest|biggest|greatest|longest|highest|tallest|deepest)\b"
SMALL = r"\b(?:smallest|tiniest|shortest|lowest)\b"
ASKING = r"\?\s*$|^(?:(?:and|so|ok|okay|well|then)\W+)*(?:what|what's|whats|which|where|how|name|tell|do you know)\b"
# "And the smallest?" right after "The largest continent is Asia, …": the thing (and its continent) of the last answer
FOLLOW_UP = r"^(?:and|so|what about|how about)\b"
FOLLOW_UP_WORDS = 6  # longer turns say what they ask about themselves


@dataclass(frozen=True)
class Ranked:
    name: str  # "Nile", "Pacific Ocean"
    size: float  # km, km² or m, as the list gives it
    where: str = ""  # the continent or countries in brackets ("Africa", "China-Nepal")


@dataclass(frozen=True)
class World:
    oceans: tuple[Ranked, ...]  # largest first
    continents: tuple[Ranked, ...]
    rivers: tuple[Ranked, ...]  # longest first, each with its continent
    peaks: dict[str, Ranked]  # continent → its highest point
    mountains: tuple[Ranked, ...]  # the world's highest, above sea level
    lakes: tuple[Ranked, ...]
    islands: tuple[Ranked, ...]
    deserts: tuple[Ranked, ...]  # non-polar
    population: int
    population_year: str
    deepest: str  # where the ocean is deepest, as the profile says it
    smallest_countries: tuple[Ranked, ...]  # the smallest independent countries, smallest first


def _ranked(text: str) -> tuple[Ranked, ...]:
    """'Nile (Africa) 6,650 km; Amazon (South America) 6,436 km; …' → ranked entries, in the list's order."""
    out = []
    for part in text.split(";"):
        m = re.match(r"\s*(?:[A-Za-z ]+ - )?([^()\d;]+?)\s*(?:\(([^)]*)\))?\s*(-?[\d,.]+)\s*(?:sq km|km|m)?\s*$", part)
        if m:
            out.append(Ranked(m.group(1).strip(), float(m.group(3).replace(",", "")), (m.group(2) or "").strip()))
    return tuple(out)


def _after(text: str, heading: str) -> str:
    """The list after a bold heading of a profile entry, up to the next heading."""
    m = re.search(re.escape(heading) + r":?\s*</strong>\s*(.*?)(?:<br>\s*<br>|</p>|$)", text, re.S)
    return clean(m.group(1)) if m else ""


@cache
def world() -> World:
    d = json.loads((data_dir() / "world" / "xx.json").read_text())
    geo, people = d["Geography"], d["People and Society"]
    rankings, elevation = geo["Area - rankings"]["text"], geo["Elevation"]["note"]
    peaks = {}
    for part in _after(elevation, "highest point on each continent").split(";"):
        continent, _, rest = part.partition(" - ")
        found = _ranked(rest)
        if found:
            peaks[continent.strip()] = found[0]
    pop = clean(people["Population"]["total"]["text"])
    year = re.search(r"\((\d{4}) est", pop)
    return World(
        oceans=tuple(r for r in _ranked(_after(rankings, "top ten largest water bodies")) if r.name.endswith("Ocean")),
        continents=tuple(r for r in _ranked(_after(rankings, "top ten largest landmasses")) if r.name in CONTINENTS),
        rivers=_ranked(_after(geo["Major rivers (by length in km)"]["text"], "top ten longest rivers")),
        peaks=peaks,
        mountains=_ranked(_after(elevation, "top ten highest mountains (measured from sea level)")),
        lakes=_ranked(_after(geo["Major lakes (area sq km)"]["text"], "top ten largest natural lakes")),
        islands=_ranked(_after(rankings, "top ten largest islands")),
        deserts=_ranked(_after(rankings, "top ten largest (non-polar*) deserts")),
        population=int(re.sub(r"\D", "", pop.split("(")[0])), population_year=year.group(1) if year else "",
        deepest=clean(geo["Elevation"]["lowest point"]["text"]),
        smallest_countries=_ranked(_after(rankings, "ten smallest independent countries")))


def warm() -> None:
    world()


def _km(x: float) -> str:
    if x >= 1e6:
        return f"about {x / 1e6:.3g} million square kilometres"
    return f"{x:,.0f} square kilometres" if x >= 10 else f"{x:g} square kilometres"


def _continent(text: str) -> str | None:
    for name in sorted(CONTINENTS, key=len, reverse=True):
        if re.search(rf"\b{name.lower()}\b", text):
            return name
    return next((c for said, c in SAID_CONTINENT.items() if re.search(rf"\b{said}\b", text)), None)


def _ocean(w: World, big: bool, where: str | None) -> str | None:
    o = w.oceans[0 if big else -1]
    return (f"The {'largest' if big else 'smallest'} of the {_said(len(w.oceans))} oceans is the {o.name}, "
            f"{_km(o.size)}.")


def _continent_fact(w: World, big: bool, where: str | None) -> str | None:
    c = w.continents[0 if big else -1]
    return f"The {'largest' if big else 'smallest'} continent is {c.name}, {_km(c.size)}."


def _river(w: World, big: bool, where: str | None) -> str | None:
    if not big:
        return None
    r = next((r for r in w.rivers if where is None or r.where == where), None)
    if r is None:
        return None
    scope = f"in {where}" if where else "in the world"
    return f"The longest river {scope} is the {r.name}, {r.size:,.0f} kilometres long" + (
        f", in {r.where}." if where is None and r.where else ".")


def _mountain(w: World, big: bool, where: str | None) -> str | None:
    if not big:
        return None
    if where is None:
        m = w.mountains[0]
        return f"The highest mountain in the world is {m.name}, {m.size:,.0f} metres above sea level."
    p = w.peaks.get(where)
    name = p.name.replace("'", "") if p else ""  # ("El'brus": the TTS says Elbrus)
    return f"The highest mountain in {where} is {name}, {p.size:,.0f} metres." if p else None


def _first(attr: str, thing: str, extra: str = "") -> Callable[[World, bool, str | None], str | None]:
    def say(w: World, big: bool, where: str | None) -> str | None:
        items = getattr(w, attr)
        if not big or where is not None or not items:
            return None
        r = items[0]
        return f"The largest {thing} in the world is {'the ' if attr != 'islands' else ''}{r.name}, {_km(r.size)}.{extra}"
    return say


def _country(w: World, big: bool, where: str | None) -> str | None:
    if not big:  # (the Factbook's own list: a dependency such as Gibraltar is not a country)
        c = w.smallest_countries[0] if where is None and w.smallest_countries else None
        return f"The smallest country is the {c.name}{f' ({c.where})' if c.where else ''}, {_km(c.size)}." if c else None
    if where not in (None, *ONE_REGION):
        return None  # (Russia and Turkey lie in Europe and Asia: the LLM says it)
    every = {c.name: c for c in countries().values() if c.area_km2 and (where is None or c.continent in
                                                                        ONE_REGION.get(where, ()))}.values()
    if not every:
        return None
    big_one = max(every, key=lambda c: c.area_km2)
    scope = f"in {where}" if where else "in the world"
    return f"The largest country {scope} is {big_one.name}, {_km(big_one.area_km2)}."


THINGS: tuple[tuple[str, str, Callable[[World, bool, str | None], str | None]], ...] = (  # (entry, words, answer)
    ("mountain ranges", r"\bmountain range\b", lambda w, big, where: None),  # (not the highest mountain)
    ("oceans", r"\boceans?\b", _ocean),
    ("continents", r"\bcontinents?\b", _continent_fact),
    ("rivers", r"\brivers?\b", _river),
    ("highest points", r"\b(?:mountain|peak|point)s?\b", _mountain),
    ("lakes", r"\blakes?\b", _first("lakes", "lake")),
    ("islands", r"\bislands?\b", _first("islands", "island")),
    ("deserts", r"\bdeserts?\b", _first("deserts", "hot desert",
                                          " Counting the polar deserts, the Antarctic Desert is the largest of all.")),
    ("countries by area", r"\bcountry\b|\bcountries\b|\bnation\b", _country),
)


def _said(n: int) -> str:
    return list(UNITS)[n] if 0 <= n < len(UNITS) else str(n)


def _count(w: World, text: str) -> str | None:
    """Counts, the world's population, the ocean's deepest point; "" when the question is one of these
    but the profile lacks the answer."""
    if re.search(r"\bhow many continents\b", text):
        return f"There are {_said(len(w.continents))} continents: " + ", ".join(c.name for c in w.continents[:-1]) + \
            f" and {w.continents[-1].name}."
    if re.search(r"\bhow many oceans\b", text):
        names = [o.name.removesuffix(" Ocean") for o in w.oceans]
        return f"There are {_said(len(names))} oceans: the " + ", ".join(names[:-1]) + f" and {names[-1]}."
    if re.search(r"\b(?:population of|people (?:live|are there|are living) (?:on|in)) (?:the )?(?:world|earth|planet)\b"
                 r"|\bworld(?:'s)? population\b|\bhow many people (?:are there )?(?:on|in) (?:the )?(?:world|earth)\b", text):
        return (f"About {w.population / 1e9:.3g} billion people live on Earth"
                + (f" (a {w.population_year} estimate)." if w.population_year else "."))
    if re.search(r"\b(?:deepest|lowest) (?:point|place|part|spot) (?:in|of) the (?:ocean|sea|oceans|world|earth)\b"
                 r"|\bdeepest (?:ocean )?trench\b", text):
        m = re.search(r"Challenger Deep in the Mariana Trench[^)]*?-?([\d,]+) m below the surface of the (\w+ Ocean)",
                      w.deepest)
        return (f"The deepest point in the ocean is the Challenger Deep in the Mariana Trench, {m.group(1)} metres "
                f"below the surface of the {m.group(2)}.") if m else ""
    return None


def _follow_up(low: str, previous: str) -> str | None:
    """What a short "and the smallest?" asks about: the subject of the last answer ("the largest continent"
    of "The largest continent is Asia, …"), when it names one of THINGS and the turn names none."""
    if not previous or not re.search(FOLLOW_UP, low) or len(low.split()) > FOLLOW_UP_WORDS or \
            any(re.search(words, low) for _, words, _ in THINGS):
        return None
    subject = previous.lower().split(" is ", 1)[0]
    return subject if any(re.search(words, subject) for _, words, _ in THINGS) else None


def answer(text: str, previous: str = "") -> tuple[str, str] | None:
    """(the sentence, the entry read) for a question about the Earth's superlatives or counts, or None;
    `previous`, the last answer, says what a short follow-up ("and the smallest?") asks about."""
    low = text.lower().strip()
    subject = _follow_up(low, previous)
    if not re.search(ASKING, low) and subject is None:
        return None
    w = world()
    said = _count(w, low)
    if said is not None:
        return (said, "World: counts") if said else None
    big, small = re.search(BIG, low), re.search(SMALL, low)
    if not big and not small or re.search(r"\bsecond|\bthird|\bafter\b", low):
        return None
    if re.search(r"\b(?:in|of|on) (?:the )?(?:solar system|universe|space|galaxy)\b", low):
        return None
    where = _continent(low) or (_continent(subject) if subject else None)
    if where is None and find_country(low) is not None:  # ("the highest mountain in Japan": the country's own entry)
        return None
    for entry, words, say in THINGS:
        if re.search(words, subject or low):
            said = say(w, big is not None, where)
            return (said, f"World: {entry}") if said else None
    return None
