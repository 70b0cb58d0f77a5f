"""Heard badly: a turn the assistant should ask back about instead of answering a guess.

Whisper's mean token log-probability falls when it is guessing (far talkers, loud rooms: the words it
writes are then often not the ones said); a short transcript that stops on a word that needs more
("what is the", "can you") is a fragment. A turn judged for the assistant but heard badly gets "Sorry, I didn't
catch that. Could you say it again?" (assistant/core/answers.py) — the verdict still decides whether
anything is said, so side talk, TV and noise never start asking back. A pure rule.
"""

from __future__ import annotations

import re

from assistant.text import is_chinese
from assistant.tools.repeat import asks_repeat

# a last word that cannot end a request: the sentence was cut or misheard
_DANGLING = re.compile(r"\b(?:the|a|an|of|to|and|or|for|with|my|your|is|are|what|what's|whats|can|could|would|"
                       r"please|how|which|about|in|on|at|from)\W*$")
_WORD = re.compile(r"[a-z']+")
# a longer turn that stops on such a word still says what it wants: Whisper drops a soft last word of real
# people's orders ("… with soy milk and a lot of"); answering the rest beats asking for all of it again
FRAGMENT_MAX_WORDS = 5


def heard_badly(text: str, confidence: float, min_logprob: float) -> str:
    """Why the words are not worth answering as heard ("" when they are): "unsure words", "a fragment".
    `confidence`: Whisper's mean token log-probability (`Transcript.confidence`)."""
    if asks_repeat(text):  # ("say that again, please": answered word for word, whatever else was heard)
        return ""
    if is_chinese(text):  # (Mandarin: Whisper base's confidence; no fragment rule yet)
        return "unsure words" if confidence < min_logprob else ""
    words = _WORD.findall(text.lower())
    if not words:
        return ""
    if confidence < min_logprob:
        return "unsure words"
    if 2 <= len(words) <= FRAGMENT_MAX_WORDS and _DANGLING.search(text.lower()):
        return "a fragment"
    return ""


def doubtful(text: str, confidence: float, min_logprob: float) -> bool:
    """English words Whisper was less sure of than `min_logprob` (`PolicyOptions.unsure_min_logprob`): not worth
    answering unless the verdict is sure they were for the assistant. (Mandarin: Whisper base's confidence runs
    on another scale; heard_badly's bar alone.)"""
    return bool(_WORD.search(text.lower())) and not is_chinese(text) and not asks_repeat(text) and confidence < min_logprob
