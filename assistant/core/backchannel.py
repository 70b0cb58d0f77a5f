"""Words that ask nothing: thanks, acknowledgements and fillers said on their own ("Thanks.",
"Great, thank you.", "Okay.", "Yeah, right.", "Mm-hmm", "谢谢", "好的"), and the short answers people give
each other's questions ("I am.", "Yes, I do.", "It's not.", "We can't.").

Right after an answer they may be for the assistant (the follow-up window decides that); to an idle
assistant that said nothing for a while there is nothing in them to answer: people say them to each
other (a meeting's "Great, thank you." "Thanks."), and Whisper makes "Thank you." out of noise. The
monitor's judge (assistant/core/judge.py) leans such a segment to `side` by `[policy]
backchannel_log_odds`. A pure rule over the transcript's words.
"""

from __future__ import annotations

import re

from assistant.text import HAN_RANGE

# every word of the segment in this set (English, lower case) = nothing asked
WORDS = frozenset("""
thanks thank you very much so a lot great good nice cool fine okay ok alright right yeah yes yep yup no nope
sure mm mmm hmm hm uh um uhm ah oh aha mhm huh wow well and i see got it indeed exactly true bye goodbye cheers
lovely perfect brilliant awesome excellent sounds thats that's it
""".split())
ZH = ("谢谢", "多谢", "好的", "好", "嗯", "对", "是的", "行", "哦", "啊", "没事", "可以", "知道了", "明白", "再见", "拜拜")
MAX_WORDS = 6  # longer speech says something whatever its words
# a short answer: a subject and an auxiliary, perhaps "not" ("I am.", "No, we don't.", "it is not")
_SHORT_ANSWER = re.compile(r"^(?:(?:yes|yeah|no|nope|well|oh|um|uh)\s+)?(?:i|you|we|they|he|she|it|that|there)\s*"
                           r"(?:'m|'re|'s|am|are|is|was|were|do|does|did|will|would|can|could|have|has|had|should|"
                           r"don't|doesn't|didn't|won't|can't|couldn't|isn't|aren't|wasn't|haven't)(?:\s+not)?$")
_WORD = re.compile(f"[a-z']+|[{HAN_RANGE}]+")
_FILLER_ZH = re.compile(rf"^(?:{'|'.join(sorted(ZH, key=len, reverse=True))}|[，。！、\s])+$")


def asks_nothing(text: str) -> bool:
    """The words are only thanks, acknowledgements and fillers (at least one word)."""
    words = _WORD.findall(text.lower().replace("-", " "))
    if not words or len(words) > MAX_WORDS:
        return False
    if _SHORT_ANSWER.match(" ".join(words).replace(" '", "'")):
        return True
    return all(w in WORDS or _FILLER_ZH.match(w) is not None for w in words)
