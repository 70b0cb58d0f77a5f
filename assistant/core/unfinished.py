"""Does a transcript sound like a sentence its speaker has not finished ("what is the capital of…")?

A pure rule over the words: it ends in a word that cannot end an English sentence (an article, a
preposition, a conjunction, an auxiliary, a possessive, a filler) or in a trailing "…" or comma.
Whisper puts a "?" after "What is the capital of" as readily as after a whole question, so the
punctuation it adds at the end is ignored.
"""

from __future__ import annotations

import re

DANGLING = frozenset(
    "a an the of to in on at for with about from by into onto like than as and or but because if that so "
    "is are was were does do did can could would will should shall may might must am "
    "my your his her their our its um uh er erm".split())
_WORDS = re.compile(r"[a-z']+")


def unfinished(text: str) -> bool:
    t = text.strip()
    if t.endswith(("...", "…", ",", "-")):
        return True
    words = _WORDS.findall(t.lower())
    return bool(words) and words[-1] in DANGLING
