"""Chemical elements answered from `periodictable` (public domain data): symbol, atomic number, mass.

"What is the chemical symbol for gold?", "what's the atomic number of carbon?", "which element has
the symbol Fe?", "what element is number 26?", "atomic mass of oxygen". Symbols are spelled out
("Au, that is A U") because a voice reads "Au" as a word. Anything else: None (the LLM answers).
"""

from __future__ import annotations

import re
from functools import cache

from assistant.tools.spoken_numbers import parse, tokens

SOURCE = "periodictable"
ASKS_SYMBOL = r"\b(?:chemical |element(?:al)? |atomic )?symbol\b"
ASKS_NUMBER = r"\batomic number\b|\bproton number\b|\bhow many protons\b"
ASKS_MASS = r"\batomic (?:mass|weight)\b|\bmolar mass\b"
ASKS_ELEMENT = r"\b(?:which|what) (?:chemical )?element\b"


@cache
def _table() -> dict[str, tuple[str, int, float]]:
    import periodictable

    return {e.name: (e.symbol, e.number, float(e.mass)) for e in periodictable.elements if e.number > 0}


def warm() -> None:
    _table()


def _spell(symbol: str) -> str:
    return f"{symbol}, that is {' '.join(symbol.upper())}" if len(symbol) > 1 else symbol


def _named(text: str) -> str | None:
    """The element named in `text` (aluminium said the British way too)."""
    text = text.replace("aluminium", "aluminum").replace("sulphur", "sulfur").replace("caesium", "cesium")
    return next((n for n in sorted(_table(), key=len, reverse=True) if re.search(rf"\b{n}\b", text)), None)


def answer(text: str) -> tuple[str, str] | None:
    """(the sentence, the entry read) or None."""
    low = text.lower()
    table = _table()
    if re.search(ASKS_ELEMENT, low):
        if m := re.search(r"\bsymbol (?:is )?([a-z]{1,2})\b", low):
            name = next((n for n, (sym, _, _) in table.items() if sym.lower() == m.group(1)), None)
            return (f"{_spell(table[name][0])} is the symbol of {name}.", f"{name}: symbol") if name else None
        if m := re.search(r"\bnumber (?:of )?(\w.*)$", low):  # "number 26", "atomic number six"
            said = parse(tokens(m.group(1)))
            n = int(said[0]) if said and said[0].is_integer() else -1
            name = next((x for x, (_, num, _) in table.items() if num == n), None)
            return (f"Element number {n} is {name}.", f"{name}: number") if name else None
    name = _named(low)
    if name is None:
        return None
    symbol, number, mass = table[name]
    if re.search(ASKS_NUMBER, low):
        return f"The atomic number of {name} is {number}.", f"{name}: number"
    if re.search(ASKS_MASS, low):
        return f"The atomic mass of {name} is {round(mass, 3):g}.", f"{name}: mass"
    if re.search(ASKS_SYMBOL, low):
        return f"The chemical symbol for {name} is {_spell(symbol)}.", f"{name}: symbol"
    if re.search(rf"\bnumber (?:of|for) {name}\W*$", low):  # ("the economic number of carbon": atomic, misheard)
        return f"The atomic number of {name} is {number}.", f"{name}: number"
    return None
