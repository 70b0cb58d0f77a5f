"""Words shaped like a question or a request ("How many days are there in a leap year?", "tell me the time",
"at what temperature does water boil", "长城有多长？"), however badly the rest was heard: a far talker's
"How many days aren't there in the last few years" still opens like a question. Used only for a lone
turn nobody answered (assistant/core/turns/lone.py), to ask back instead of staying silent. A pure rule.
"""

from __future__ import annotations

import re

from assistant.text import is_chinese

MIN_WORDS = 3  # "What?" alone, "Who's that?" are not worth asking back about
MIN_CHARS_ZH = 4
# a question word, an auxiliary that opens a yes/no question, or a request to the device; after at most one
# joining word, preposition or greeting — "At what temperature …", "In which year …", "So how …" (not any word:
# "She has a smart lady…", a radio's reading, opened like "has …?")
_LEAD = r"(?:so|and|but|then|also|okay|ok|hey|hi|hello|excuse me|please|sorry|um|uh|oh|well|now|at|in|on|for|from|to|" \
        r"by|of|with|about|during|after|before)\W+"
_OPEN = re.compile(rf"^(?:{_LEAD})?(?:what|what's|whats|which|who|who's|whom|whose|when|where|where's|why|how|how's|"
                   r"is|are|was|were|does|do|did|can|could|will|would|should|shall|may|has|have|"
                   r"tell me|give me|show me|explain|define|name|play|set|turn|remind|call|find|convert)\b")
_ZH = re.compile(r"[吗呢么]\W*$|什么|怎么|多少|多久|多长|多大|多高|多远|几|哪|谁|为什么|是不是|有没有|能不能|"
                 r"可不可以|请|帮我|告诉我")
# a sum said alone asks for its result, however the words around it were heard: "What? It's 140, 4 divided by
# 12." (a far "What is one hundred forty four divided by twelve?"); Whisper writes a spoken sum's numbers as digits
_SUM = re.compile(r"\d\s*(?:divided by|times|multiplied by|plus|minus|over|percent of|% of|[+×÷*/])\s*\d")
_SENTENCE_END = re.compile(r"(?<=[.?!。？！])\s*")


def asks_something(text: str) -> bool:
    """The words' last sentence opens like a question or a request (English or Mandarin), ends with a question
    mark, or holds a sum ("4 divided by 12"). (Only the last: "Can you pass me the keys? Which ones? The car,
    please." — three voices Whisper wrote as one turn — was asked and answered.)"""
    words = next((s for s in reversed(_SENTENCE_END.split(text.strip())) if s.strip()), "")
    if not enough_words(words):
        return False
    if is_chinese(words):
        return _ZH.search(words) is not None or words.endswith("？")
    low = words.lower()
    return low.endswith("?") or _OPEN.match(low) is not None or _SUM.search(low) is not None


def enough_words(text: str) -> bool:
    """Enough words to be worth asking back about (`MIN_WORDS`, or `MIN_CHARS_ZH` characters of Mandarin)."""
    if is_chinese(text):
        return len(re.sub(r"\W", "", text)) >= MIN_CHARS_ZH
    return len(re.findall(r"[a-z0-9']+", text.lower())) >= MIN_WORDS
