"""One checked passage for a question no tool answers: WordNet 3.0's glosses in an SQLite FTS5 index.

A small model copies whatever numbers sit in its context (given the raw top three search passages, the
0.5B went down on a 29-question probe), so the LLM gets at most **one** passage, and only when it clearly
covers the question: every content word of the question (two or more; a single word is the wordnet
tool's "what is X") is in the passage's names or gloss as a word (or its plural / singular), not only as
a stem; a "how many / how much / how far …" question only from a gloss with a number in it; a superlative
only from a gloss that ranks the same thing ("the largest planet", not "largest carnivorous land animals").
Among those, a passage named by the question's words comes first ("spider: predatory arachnid with eight
legs…" before "spider crab: … very long legs"), then FTS5's bm25 with names weighted up.

The index (114k synsets: nouns, verbs, adjectives; names with their gloss, "Mars, Red Planet: a small
reddish planet…") is built in memory from Debian `wordnet-base` at warm-up (~1.5 s, ~30 MB). Glosses that
time has made wrong are corrected or dropped (`wordnet.STALE`).
"""

from __future__ import annotations

import logging
import re
import sqlite3
import threading
from dataclasses import dataclass
from functools import cache

from assistant.tools.spoken_numbers import SCALES, TENS, UNITS
from assistant.tools.wordnet import DIR, POS, STALE
from assistant.tools.wordnet import SOURCE as WORDNET

log = logging.getLogger(__name__)

SOURCE = WORDNET
MIN_CONTENT_WORDS = 2  # fewer: "what is X" (the wordnet tool) or too little to check a passage against
MAX_CONTENT_WORDS = 6  # more: a long request, not a look-up
CANDIDATES = 20  # passages FTS5 returns before the word check
NAMES_WEIGHT = 5.0  # bm25 weight of the names column against the gloss's 1
# words that carry no content in a question (question words, articles, auxiliaries, prepositions)
STOP = frozenset("""a an the is are was were be been being am do does did done what which who whom whose when where
why how many much of in on at to for from by with and or but our your my their its it this that these those there
here known as called have has had than then can could would will shall should may might must about into over
under most more some any tell me please us you i we they he she him her them name one ones kind sort also if
whether not so just very""".split())
_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")
# the scope a superlative is meant in anyway: "the largest planet in our solar system" is "the largest planet"
# (WordNet: "Jupiter: the largest planet and the 5th from the sun"); kept, its words would have to be in the gloss
SCOPE = re.compile(r"\b(?:(?:in|on|of) (?:our|the|this) (?:solar system|world|universe|planet|earth)|on earth|"
                   r"of all time|in existence|ever)\b")
SAME = {"biggest": "largest", "bigger": "larger"}  # (WordNet's glosses say "largest")
# a superlative must stand right before the question's next word in the gloss: "the largest animal?" is not
# "Carnosaura: largest carnivorous land animals ever known"
SUPERLATIVES = frozenset("""largest smallest longest shortest tallest highest lowest deepest shallowest fastest slowest
hottest coldest heaviest lightest oldest youngest nearest closest farthest furthest brightest hardest softest
richest poorest best worst first last""".split())
RANK_SPAN = 6  # words after a superlative's noun that the rest of what it ranks may take
# "how many …" / "how much …" asks for a number: a gloss with none cannot answer it ("how many hours are in a
# day?" → "hour, time of day: clock time"), and the LLM is better left to what it knows
COUNTS = re.compile(r"\bhow (?:many|much|long|far|old|tall|big|heavy|deep|high)\b")
HAS_NUMBER = re.compile(r"\d|\b(?:" + "|".join(sorted({*UNITS, *TENS, *SCALES} - {"zero"}, key=len, reverse=True))
                        + r"|dozen|twice|thrice|double|half)\b")
# an explanation or a how-to is not looked up: a gloss that shares its words is about something else ("explain
# why the sky is blue" → John Tyndall, the physicist)
EXPLAINS = re.compile(r"^\W*(?:(?:and|so|okay|ok|please)\W+)*(?:explain|describe|why|how (?:do|does|can|should|would|to)\b)")


@dataclass(frozen=True)
class Passage:
    source: str
    title: str  # the synset's names ("Mars, Red Planet")
    text: str  # "Mars, Red Planet: a small reddish planet that is the 4th from the sun…"


class _Index:
    def __init__(self) -> None:
        self.db = sqlite3.connect(":memory:", check_same_thread=False)
        self.db.execute("CREATE VIRTUAL TABLE p USING fts5(names, gloss, tokenize='porter')")
        self.lock = threading.Lock()
        rows = list(_synsets())
        self.db.executemany("INSERT INTO p VALUES (?, ?)", rows)
        self.size = len(rows)


def _synsets() -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    for pos in POS:
        path = DIR / f"data.{pos}"
        if not path.exists():
            log.warning("WordNet: %s is missing (install the Debian package wordnet-base: `make setup`)", path)
            continue
        with path.open(encoding="utf-8", errors="replace") as f:
            for line in f:
                if line.startswith(" ") or "|" not in line:
                    continue
                head, gloss = line.split("|", 1)
                parts = head.split()
                n = int(parts[3], 16)
                names = list(dict.fromkeys(re.sub(r"\(.*\)", "", parts[4 + 2 * i]).replace("_", " ") for i in range(n)))
                stale = next((STALE[x.lower()] for x in names if x.lower() in STALE), None)
                rows.append((", ".join(names), stale or gloss.strip()))
    return rows


@cache
def _index() -> _Index:
    return _Index()


def warm() -> None:
    """Build the index (~1.5 s, once per process)."""
    log.info("passages: %d WordNet synsets indexed", _index().size)


def content_words(text: str) -> list[str]:
    words = _WORD.findall(SCOPE.sub(" ", text.lower()))
    return list(dict.fromkeys(SAME.get(w, w) for w in words if w not in STOP and len(w) > 1))


def _forms(word: str) -> set[str]:
    out = {word, word + "s", word + "es", word + "ing", word + "ed", word + "d"}
    if word.endswith("e"):
        out.add(word[:-1] + "ing")
    if word.endswith("ies"):
        out.add(word[:-3] + "y")
    if word.endswith("es"):
        out.add(word[:-2])
    if word.endswith("s"):
        out.add(word[:-1])
    return out


def _covers(words: list[str], names: str, gloss: str) -> bool:
    said = _WORD.findall(f"{names} {gloss}".lower())
    return all(_forms(w) & set(said) for w in words) and \
        all(_ranked(words[i:], said) for i, w in enumerate(words[:-1]) if w in SUPERLATIVES)


def _ranked(words: list[str], said: list[str]) -> bool:
    """Does `said` rank what the question ranks: its superlative right before its next word, and the words after
    that within `RANK_SPAN` words on? ("first man on the moon": "the first man to set foot on the Moon", not
    "United States labor leader who was the first president of the AFL-CIO" for the United States' president.)"""
    sup, noun, rest = words[0], _forms(words[1]), words[2:]
    return any(said[j] == sup and said[j + 1] in noun and all(_forms(w) & set(said[j + 2 : j + 2 + RANK_SPAN]) for w in rest)
               for j in range(len(said) - 1))


def _named(words: list[str], names: str) -> bool:
    """Is the passage about one of the question's words or word pairs ("spider", "leap year")?"""
    asked = {*(f for w in words for f in _forms(w)), *(f"{a} {b}" for a, b in zip(words, words[1:], strict=False))}
    return any(n.strip().lower() in asked for n in names.split(","))


def find(text: str) -> Passage | None:
    """The one passage that clearly covers the question's content words, or None."""
    if EXPLAINS.match(text.lower()):
        return None
    words = content_words(text)
    if not MIN_CONTENT_WORDS <= len(words) <= MAX_CONTENT_WORDS:
        return None
    idx = _index()
    query = " AND ".join(f'"{w}"' for w in words)
    with idx.lock:
        rows = idx.db.execute(f"SELECT names, gloss FROM p WHERE p MATCH ? ORDER BY bm25(p, {NAMES_WEIGHT}, 1.0) "
                              f"LIMIT {CANDIDATES}", (query,)).fetchall()
    glosses = [(names, re.sub(r'\s*;\s*"[^"]*"', "", gloss).strip()) for names, gloss in rows]  # (no examples)
    counts = COUNTS.search(text.lower()) is not None
    covering = [(names, gloss) for names, gloss in glosses if _covers(words, names, gloss)
                and (not counts or HAS_NUMBER.search(f"{names} {gloss}".lower()))]
    if not covering:
        return None
    names, gloss = next((r for r in covering if _named(words, r[0])), covering[0])
    return Passage(SOURCE, names, f"{names}: {gloss}")
