"""The rest of an answer that was cut, from the start of the sentence it was cut in.

A barge-in cut the answer, then another voice took that question up: it was for someone else, and the
listener should not lose the answer. `rest_of` takes what had been written of it and what was heard
(the playout's word count: whole words, or characters for Chinese) and returns what is to be said,
led back to the start of the sentence the cut fell in.
"""

from __future__ import annotations

import re

from assistant.text import HAN

SENTENCE_END = re.compile(r"[.!?。！？]['\")”’]*$")
LEAD = "As I was saying, "
LEAD_ZH = "我接着说，"


def rest_of(full: str, heard: str) -> str:
    """What of `full` is to be said again ("" if nothing is left): from the sentence `heard` ends in."""
    full, heard = full.strip(), heard.strip()
    if not full:
        return ""
    if HAN.search(full):
        n = min(len(heard), len(full))
        start = max((m.end() for m in re.finditer(r"[。！？!?]", full[:n])), default=0)
        rest = full[start:].strip()
        return f"{LEAD_ZH}{rest}" if rest and n < len(full) else ""
    words, n = full.split(), len(heard.split())
    if n >= len(words):
        return ""
    start = max((i + 1 for i, w in enumerate(words[:n]) if SENTENCE_END.search(w)), default=0)
    return LEAD + " ".join(words[start:])
