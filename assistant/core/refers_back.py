"""Words that refer back to what the assistant just said: "and its population?", "why?", "could you
repeat that?", "what about Spain?", "那它的人口呢？".

Said right after an answer (within `[policy] followup_window_s`) they are for the assistant: the judge
(assistant/core/judge.py) adds `[policy] refers_back_log_odds` to p(query), on top of the follow-up
window's own lean. Outside that window nothing changes. A pure rule over the transcript's words.
"""

from __future__ import annotations

import re

from assistant.text import is_chinese
from assistant.tools.repeat import asks_repeat

MAX_WORDS = 10  # a longer turn is a new question, whatever its first word
_OPENER = re.compile(r"^(?:and|so|but|then|also|what about|how about|and what about|why|why not|how come|really|"
                     r"is that (?:so|true|right)|what do you mean|tell me more|more about)\b")
_BACK = re.compile(r"\b(?:its|it|they|their|them|there|that|those|these|he|she|his|her)\b")
_ASK = re.compile(r"\b(?:what|which|who|whom|whose|when|where|why|how|is|are|was|were|does|do|did|can|could|"
                  r"will|would|tell)\b|\?")
_ZH = re.compile(r"^(?:那|那么|还有|为什么|怎么)|它的|他们的|那里|那儿|呢[？?]?$|为什么|再说")


def refers_back(text: str) -> bool:
    """A short turn that takes up the last answer (a follow-up question, "why?", a repeat request)."""
    low = text.lower().strip()
    if not low:
        return False
    if asks_repeat(text):
        return True
    if is_chinese(text):
        return len(text) <= 16 and _ZH.search(text) is not None
    if len(low.split()) > MAX_WORDS:
        return False
    return _OPENER.search(low) is not None or (_BACK.search(low) is not None and _ASK.search(low) is not None)
