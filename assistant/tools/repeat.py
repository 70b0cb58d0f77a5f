"""'Could you repeat that?': the last answer, said again word for word (no LLM: it would rephrase it).

English and Mandarin; a short turn only (a long one that contains "repeat" asks something else).
"""

from __future__ import annotations

import re

MAX_WORDS = 10
ASKS = re.compile(r"\b(?:repeat(?: that| it| this| the answer| yourself)?|say (?:that|it) again|come again|"
                  r"what did you (?:just )?say|pardon(?: me)?|i didn'?t (?:catch|hear|get) (?:that|it|you|what you said))\b"
                  r"|^(?:sorry|what|huh|excuse me)\W*$")
ZH_ASKS = re.compile(r"再说一遍|再说一次|重复一下|重复一遍|你说什么|没听清|没听懂你说")


def asks_repeat(text: str) -> bool:
    low = text.lower().strip()
    return (len(low.split()) <= MAX_WORDS and ASKS.search(low) is not None) or (
        len(text) <= 16 and ZH_ASKS.search(text) is not None)


def answer(text: str, previous: str) -> str | None:
    """The last answer again, or None (nothing said yet, or not asked)."""
    return previous if previous and asks_repeat(text) else None
