"""Whom the words name: "Sam, when does your train leave?" is for Sam, "did you feed the dog, Jo?"
for Jo, "Duplex, what time is it?" for the assistant.

A rule over Whisper's punctuated transcript: a capitalised word set off by a comma at the start
or the end of the words is a name (a few kinship words count too, in any case), unless it is one
of the words that open or close a sentence without naming anyone ("Okay, …", "Sorry, …",
"…, please."). The monitor's judge turns it into a cue (assistant/core/judge.py): naming someone
else leans to `side`, naming the assistant leans to `query`. Missed when Whisper drops the comma
or mishears the name; a name that is also a common word at a sentence's start ("Will, …") is
taken as a name.
"""

from __future__ import annotations

import re
from typing import Literal

Addressee = Literal["assistant", "other"]

ASSISTANT_NAMES = frozenset({"duplex"})
# people addressed by what they are to the speaker (lower case in a transcript)
KIN = frozenset({"mom", "mum", "mommy", "mummy", "dad", "daddy", "grandma", "grandpa", "granny", "honey", "darling",
                 "sweetie", "sweetheart", "babe", "baby", "love", "guys", "kids", "buddy", "mate", "bro", "son"})
# words that open or close a sentence with a comma without naming anyone
NOT_NAMES = frozenset("""
okay ok sorry wait stop actually well yes yeah yep no nope please so hey hi hello listen look right alright
great thanks thank also first then next again anyway besides honestly seriously basically sure um uh hmm oh ah
fine cool wow today tonight tomorrow yesterday here there quick quickly finally otherwise however meanwhile perhaps
maybe hopefully unfortunately luckily sometimes usually normally now and but or because although though still
just hold hang excuse pardon sir madam everyone everybody folks lastly secondly firstly indeed of course hmm
""".split())

_LEAD = re.compile(r"^\W*(?:(?i:hey|hi|oh|okay|ok|so)\W+)?([A-Za-z][a-z']+)\s*,")
_TAIL = re.compile(r",\s*([A-Za-z][a-z']+)\W*$")


def addressee(text: str) -> Addressee | None:
    """Who the words say they are for, if they name someone; else None."""
    for m, lead in ((_LEAD.search(text), True), (_TAIL.search(text), False)):
        if m is None:
            continue
        word = m.group(1)
        low = word.lower()
        if low in ASSISTANT_NAMES:
            return "assistant"
        if low in NOT_NAMES:
            continue
        if low in KIN or (word[0].isupper() and (lead or len(word) > 1)):
            return "other"
    return None
