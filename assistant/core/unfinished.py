"""Does a transcript sound like a sentence its speaker has not finished ("what is the capital of…")?

A pure rule over the words: it ends in a word that cannot end an English sentence — an article,
"of", a conjunction, a possessive, a filler — or it is a wh-question ending in an auxiliary with
no subject before it ("which planet is…", "how many legs does…"; not "what time it is", not
"explain what a computer does"), or it ends in a trailing "…" or comma. Prepositions that
end everyday questions ("where are you from?", "which planet do we live on?") do not count.
Whisper puts a "?" after "What is the capital of" as readily as after a whole question, so the
punctuation it adds at the end is ignored.
"""

from __future__ import annotations

import re

DANGLING = frozenset("a an the of and or but because if than my your his her their our um uh er erm".split())
AUXILIARIES = frozenset("is are was were does do did can could would will should".split())
SUBJECTS = frozenset("i you he she it we they there that this who what which one".split())
WH = frozenset("what which who where when why how".split())
_WORDS = re.compile(r"[a-z']+")


def unfinished(text: str) -> bool:
    t = text.strip()
    if t.endswith(("...", "…", ",", "-")):
        return True
    words = _WORDS.findall(t.lower())
    if not words:
        return False
    if words[-1] in AUXILIARIES:
        return words[0] in WH and len(words) > 1 and words[-2] not in SUBJECTS
    return words[-1] in DANGLING
