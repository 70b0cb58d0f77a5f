"""What a word means, from WordNet 3.0 (Debian `wordnet-base`, a permissive licence): "what does
platypus mean?", "what is a stethoscope?", "define nostalgia", "what are glaciers?".

The noun's (else the verb's or adjective's) most frequent sense: `index.POS` gives a lemma's synset
offsets, most frequent first; the gloss follows `|` on that line of `data.POS`, and only its first
part (before "; " and any quoted example) is said. Plurals go back to their lemma (`noun.exc`, then
-s / -es / -ies). Glosses that time has made wrong are corrected (`STALE`; WordNet 3.0 is from 2006:
nine planets). Not for names of people or places (the Factbook has countries) or multi-word questions.
"""

from __future__ import annotations

import logging
import re
from functools import cache
from pathlib import Path

log = logging.getLogger(__name__)

SOURCE = "WordNet 3.0"
DIR = Path("/usr/share/wordnet")
POS = ("noun", "verb", "adj")
MAX_WORDS = 3  # the term asked about ("stethoscope", "black hole", "global warming")
STALE = {  # lemma → the gloss said instead (WordNet 3.0 predates these)
    "pluto": "a dwarf planet beyond Neptune, in the Kuiper belt; it was counted as the ninth planet until 2006",
    "planet": "any of the eight large celestial bodies of the solar system that revolve around the sun and "
              "shine by reflected light",
}
# "what is a/an X", "what does X mean", "what is the meaning of X", "define X", "what are Xs"
ASKS = re.compile(r"^(?:(?:and|so|okay|ok|hey|um|uh|please)\W+)*(?:"
                  r"what(?:'s| is| does) (?:a |an |the word |the term )?(?P<a>[a-z][a-z -]*?) mean"
                  r"|what(?:'s| is) the meaning of (?:a |an |the word )?(?P<b>[a-z][a-z -]*?)"
                  r"|what(?:'s| is) (?:a|an) (?P<c>[a-z][a-z -]*?)"
                  r"|what are (?P<d>[a-z][a-z -]*?s)"
                  r"|(?:define|definition of) (?:a |an |the word )?(?P<e>[a-z][a-z -]*?)"
                  r"|what(?:'s| is) (?P<f>[a-z][a-z-]*)"  # one word, no article: a noun's meaning ("what is gravity?")
                  r")(?: please)?\W*$")
NOUN_PERSON = "18"  # the lexicographer file of people (noun.person) in a data line's second field
# ... of animals, artifacts, body, food, objects, phenomena, plants, substances: said before a person sense
NOUN_THINGS = frozenset(("05", "06", "08", "13", "17", "19", "20", "27"))
PERSON_LOOKAHEAD = 4  # senses read to find a thing that is not a person
SKIP = frozenset("it this that thing something anything one time day good idea lot "
                 "up new wrong happening going next love life today tomorrow yesterday".split())


@cache
def _index(pos: str) -> dict[str, tuple[int, tuple[int, ...]]]:
    """lemma → (how often its senses were seen in tagged text, their byte offsets in `data.POS`, most
    frequent first)."""
    out: dict[str, tuple[int, tuple[int, ...]]] = {}
    path = DIR / f"index.{pos}"
    if not path.exists():
        log.warning("WordNet: %s is missing (install the Debian package wordnet-base: `make setup`)", path)
        return out
    with path.open(encoding="utf-8", errors="replace") as f:
        for line in f:
            if line.startswith(" "):
                continue
            parts = line.split()
            n = int(parts[2])
            out[parts[0]] = (int(parts[-n - 1]), tuple(int(x) for x in parts[-n:]))
    return out


@cache
def _exceptions() -> dict[str, str]:
    path = DIR / "noun.exc"
    if not path.exists():
        return {}
    return {p[0]: p[1] for p in (line.split() for line in path.read_text(errors="replace").splitlines()) if len(p) > 1}


def _line(pos: str, offset: int) -> str:
    with (DIR / f"data.{pos}").open("rb") as f:
        f.seek(offset)
        return f.readline().decode("utf-8", errors="replace")


def _sense(pos: str, offsets: tuple[int, ...]) -> str:
    """The gloss of the most frequent sense; a thing before a person ("whale": the animal, not 'a very
    large person', which WordNet counts first)."""
    lines = [_line(pos, o) for o in offsets[:PERSON_LOOKAHEAD]]
    if pos == "noun" and lines[0].split()[1] == NOUN_PERSON:
        lines = [line for line in lines if line.split()[1] in NOUN_THINGS] + lines
    return _gloss(lines[0])


def _gloss(line: str) -> str:
    gloss = line.split("|", 1)[1] if "|" in line else ""
    gloss = re.split(r';\s*"|;\s|:\s', gloss.strip(), maxsplit=1)[0]  # (the first part: no examples, no lists)
    return re.sub(r"\s*\([^)]*\)", "", gloss).strip(' ;"')  # (asides in brackets are not said)


def _lemmas(term: str) -> list[str]:
    t = term.strip().replace(" ", "_")
    out = [t, _exceptions().get(t, "")]
    if t.endswith("ies"):
        out.append(t[:-3] + "y")
    if t.endswith("es"):
        out.append(t[:-2])
    if t.endswith("s"):
        out.append(t[:-1])
    return [x for x in dict.fromkeys(out) if x]


def meaning(term: str) -> tuple[str, str, str] | None:
    """(the lemma, its part of speech, the gloss) of `term`, or None. Among the forms (the word, its
    singular) and parts of speech, the one seen most often in tagged text; a noun on a tie."""
    lemmas = _lemmas(term.lower())
    if lemmas[0] in STALE:
        return lemmas[0], "noun", STALE[lemmas[0]]
    found = [(_index(pos)[lemma][0], pos == "noun", -i, lemma, pos) for pos in POS for i, lemma in enumerate(lemmas)
             if lemma in _index(pos)]
    if not found:
        return None
    *_, lemma, pos = max(found)
    return lemma, pos, STALE.get(lemma) or _sense(pos, _index(pos)[lemma][1])


def warm() -> None:
    """Read the lemma indexes (~0.5 s, once per process)."""
    for pos in POS:
        _index(pos)
    _exceptions()


def _article(word: str) -> str:
    return "An" if word[:1] in "aeiou" else "A"


def answer(text: str) -> tuple[str, str] | None:
    """(the sentence, the entry read) for a question that asks what a word means, or None."""
    m = ASKS.match(text.lower().strip())
    if m is None:
        return None
    key = next(k for k in "abcdef" if m.group(k))
    term = m.group(key).strip()
    if not term or len(term.split()) > MAX_WORDS or term in SKIP:
        return None
    found = meaning(term)
    if found is None or not found[2]:
        return None
    lemma, pos, gloss = found
    if key == "f" and pos != "noun":  # ("what is up?", "what is new?": not a question about a word)
        return None
    word = lemma.replace("_", " ")
    if key in "abe" or pos != "noun":  # asked what a word means
        return f"{word[:1].upper()}{word[1:]} means: {gloss}.", f"{lemma} ({pos})"
    if key == "f":  # a mass noun said bare: "Gravity is …"
        return f"{word[:1].upper()}{word[1:]} is {gloss}.", f"{lemma} ({pos})"
    article = "" if re.match(r"(?:a|an|the|any|one|some) ", gloss) else ("an " if gloss[:1] in "aeiou" else "a ")
    return f"{_article(word)} {word} is {article}{gloss}.", f"{lemma} ({pos})"
